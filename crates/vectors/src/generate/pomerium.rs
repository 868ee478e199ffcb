//! Profiles `pomerium` and `pomerium-proxy`: the pomerium.* rules of profiles.md (seed 003).
//! Verifier context `{"audience", "issuer", "keys" | "jwks_url", "skew"}`, input
//! `{"headers": [[name, value]…]}`, output `{"sub", "email"?, "groups"?}`.

use serde_json::{json, Value};

use super::{expect, key_file, split, with, without, Group};
use crate::mint::{hmac, Mint};
use crate::model::Severity::{Critical, High, Low, Medium};
use crate::model::{VectorFile, Verdict};
use jwtc_verifier::b64;

const AUD: &str = "httpbin.corp.example.com";
const ISS: &str = "pomerium-proxy";
const AUTH: &str = "authenticate.corp.example.com";
const A: &str = "x-pomerium-jwt-assertion";
const IAP: &str = "x-pomerium-iap-jwt-assertion";

fn claims(now: i64) -> Value {
    json!({
        "iss": ISS, "aud": AUD, "sub": "user-1", "email": "user-1@corp.example.com",
        "groups": ["engineering"], "iat": now - 10, "exp": now + 290
    })
}

fn identity() -> Value {
    json!({"sub": "user-1", "email": "user-1@corp.example.com", "groups": ["engineering"]})
}

fn hdr(kid: &str) -> Value {
    json!({"alg": "ES256", "kid": kid, "typ": "JWT"})
}

fn ctx() -> Value {
    json!({"audience": AUD, "issuer": ISS, "keys": ["p256-a"], "skew": 60})
}

fn headers(pairs: &[(&str, &str)]) -> Value {
    json!({ "headers": pairs.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>() })
}

fn one(token: &str) -> Value {
    headers(&[(A, token)])
}

fn jwks_body(m: &Mint<'_>, names: &[&str]) -> String {
    let keys: Vec<Value> = names
        .iter()
        .map(|n| {
            with(
                m.keys().public_jwk(n).unwrap(),
                json!({"alg": "ES256", "use": "sig"}),
            )
        })
        .collect();
    json!({ "keys": keys }).to_string()
}

pub(super) fn files(m: &Mint<'_>, now: i64) -> Vec<VectorFile> {
    vec![
        alg(m, now),
        header(m, now),
        exp(m, now),
        iat(m, now),
        aud(m, now),
        iss(m, now),
        identity_group(m, now),
        jwks(m, now),
        strip(),
    ]
}

fn alg(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("pomerium", "alg");
    let rule = "pomerium.alg";
    let c = claims(now);
    let t = m.jwt("ES256", "p256-a", &hdr("p256-a"), &c);
    g.case(
        "es256-valid",
        rule,
        Low,
        "an ES256 assertion signed by the configured P-256 key",
    )
    .input(one(&t))
    .context(ctx())
    .accept(identity());
    g.case(
        "es256-high-s",
        rule,
        Low,
        "the same assertion with s replaced by n - s: valid ECDSA (JOSE has no low-s rule)",
    )
    .input(one(&high_s(&t)))
    .context(ctx())
    .accept(identity());
    let rs = m.jwt(
        "RS256",
        "rsa-2048-a",
        &json!({"alg": "RS256", "kid": "rsa-2048-a"}),
        &c,
    );
    g.case(
        "rs256",
        rule,
        High,
        "an RS256 assertion (valid under rsa-2048-a, which is also configured)",
    )
    .input(one(&rs))
    .context(with(ctx(), json!({"keys": ["p256-a", "rsa-2048-a"]})))
    .reject("alg_not_allowed");
    let input = |h: &Value| {
        format!(
            "{}.{}",
            b64::encode(h.to_string()),
            b64::encode(c.to_string())
        )
    };
    for (name, secret, what) in [
        (
            "hs256-keyed-with-pem",
            key_file("p256-a.pub.pem").into_bytes(),
            "the SPKI PEM text",
        ),
        (
            "hs256-keyed-with-jwk",
            m.keys()
                .public_jwk("p256-a")
                .unwrap()
                .to_string()
                .into_bytes(),
            "the JWK text",
        ),
    ] {
        let h = json!({"alg": "HS256", "kid": "p256-a", "typ": "JWT"});
        let si = input(&h);
        let sig = hmac("HS256", &secret, si.as_bytes());
        g.case(
            name,
            rule,
            Critical,
            &format!("HS256 whose HMAC key is {what} of the configured public key"),
        )
        .refs(&["CVE-2016-10555", "RFC 8725 §2.1"])
        .input(one(&format!("{si}.{}", b64::encode(sig))))
        .context(ctx())
        .reject("alg_not_allowed");
    }
    let (_, p, s) = split(&t);
    for (name, alg) in [("none", "none"), ("es384", "ES384"), ("lowercase", "es256")] {
        let h = b64::encode(json!({"alg": alg, "kid": "p256-a", "typ": "JWT"}).to_string());
        g.case(
            &format!("alg-{name}"),
            rule,
            if alg == "none" { Critical } else { High },
            &format!("alg {alg:?} on the valid assertion's payload and signature"),
        )
        .refs(&["RFC 8725 §3.1"])
        .input(one(&format!("{h}.{p}.{s}")))
        .context(ctx())
        .reject("alg_not_allowed");
    }
    g.case(
        "signed-by-other-key",
        rule,
        Critical,
        "ES256 signed by an attacker's P-256 key, kid naming the configured key",
    )
    .input(one(&m.jwt("ES256", "p256-b", &hdr("p256-a"), &c)))
    .context(ctx())
    .reject("bad_signature");
    let (h, p, _) = split(&t);
    g.case(
        "zero-signature",
        rule,
        Critical,
        "r = s = 0 (64 zero bytes): the psychic signature",
    )
    .refs(&["CVE-2022-21449"])
    .input(one(&format!("{h}.{p}.{}", b64::encode([0u8; 64]))))
    .context(ctx())
    .reject("bad_signature");
    g.finish()
}

/// The same signature with s replaced by n − s (valid: ECDSA signatures come in pairs).
fn high_s(token: &str) -> String {
    use p256::elliptic_curve::PrimeField;
    let (h, p, s) = split(token);
    let sig = p256::ecdsa::Signature::from_slice(&b64::decode(&s).unwrap()).unwrap();
    let (r, s) = sig.split_scalars();
    let neg: p256::Scalar = -*s.as_ref();
    let flipped = p256::ecdsa::Signature::from_scalars(r.as_ref().to_repr(), neg.to_repr())
        .expect("n - s is a valid scalar");
    format!("{h}.{p}.{}", b64::encode(flipped.to_bytes()))
}

fn header(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("pomerium", "header");
    let rule = "pomerium.header";
    let t = m.jwt("ES256", "p256-a", &hdr("p256-a"), &claims(now));
    let other = with(
        claims(now),
        json!({"sub": "user-2", "email": "user-2@corp.example.com"}),
    );
    let t2 = m.jwt("ES256", "p256-a", &hdr("p256-a"), &other);
    let forged = m.jwt(
        "ES256",
        "p256-b",
        &hdr("p256-a"),
        &with(
            claims(now),
            json!({"sub": "admin", "email": "admin@corp.example.com"}),
        ),
    );
    for (name, hname) in [
        ("lowercase-name", A),
        ("canonical-case-name", "X-Pomerium-Jwt-Assertion"),
        ("upper-case-name", "X-POMERIUM-JWT-ASSERTION"),
    ] {
        g.case(
            name,
            rule,
            Low,
            &format!("the assertion under {hname:?}: names are case-insensitive"),
        )
        .refs(&["RFC 9110 §5.1"])
        .input(headers(&[(hname, &t)]))
        .context(ctx())
        .accept(identity());
    }
    g.case(
        "value-whitespace-trimmed",
        rule,
        Low,
        "spaces and a tab around the value: optional whitespace is trimmed",
    )
    .refs(&["RFC 9110 §5.6.3"])
    .input(headers(&[(A, &format!("  {t}\t"))]))
    .context(ctx())
    .accept(identity());
    g.case(
        "among-other-headers",
        rule,
        Low,
        "the assertion among a browser's usual headers",
    )
    .input(headers(&[
        ("host", AUD),
        ("accept", "text/html"),
        ("cookie", "_pomerium=abc"),
        (A, &t),
        ("x-forwarded-for", "203.0.113.7"),
    ]))
    .context(ctx())
    .accept(identity());
    g.case(
        "no-headers",
        rule,
        Critical,
        "a request with no headers at all",
    )
    .input(headers(&[]))
    .context(ctx())
    .reject("token_missing");
    g.case("only-unsigned-identity-headers", rule, Critical,
        "no assertion, only the unsigned x-pomerium-authenticated-user-{id,email,groups} headers an attacker who bypasses Pomerium can forge")
        .input(headers(&[
            ("x-pomerium-authenticated-user-id", "admin"),
            ("x-pomerium-authenticated-user-email", "admin@corp.example.com"),
            ("x-pomerium-authenticated-user-groups", "admins"),
        ]))
        .context(ctx())
        .reject("token_missing");
    g.case(
        "empty-value",
        rule,
        Critical,
        "the assertion header present with an empty value",
    )
    .input(headers(&[(A, "")]))
    .context(ctx())
    .reject("token_missing");
    g.case(
        "assertion-for-only",
        rule,
        High,
        "a valid token under x-pomerium-jwt-assertion-for (an upstream's assertion), none under the assertion header",
    )
    .input(headers(&[("x-pomerium-jwt-assertion-for", &t)]))
    .context(ctx())
    .reject("token_missing");
    g.case("iap-header-only", rule, Low,
        "the valid token under the seed's x-pomerium-iap-jwt-assertion only; current Pomerium sends x-pomerium-jwt-assertion")
        .input(headers(&[(IAP, &t)]))
        .context(ctx())
        .either("token_missing");
    g.case("underscore-name-only", rule, Low,
        "the valid token under x_pomerium_jwt_assertion: a CGI/WSGI app sees it as the assertion header")
        .input(headers(&[("x_pomerium_jwt_assertion", &t)]))
        .context(ctx())
        .either("token_missing");
    g.case(
        "two-differing",
        rule,
        High,
        "two assertion headers carrying valid tokens of two users",
    )
    .input(headers(&[(A, &t), (A, &t2)]))
    .context(ctx())
    .reject("header_conflict");
    g.case(
        "two-differing-names-in-other-case",
        rule,
        High,
        "the assertion twice, under two spellings of the name, two users",
    )
    .input(headers(&[("X-Pomerium-Jwt-Assertion", &t), (A, &t2)]))
    .context(ctx())
    .reject("header_conflict");
    g.case(
        "comma-folded",
        rule,
        High,
        "one header whose value is two tokens folded with a comma (RFC 9110 §5.3)",
    )
    .refs(&["RFC 9110 §5.3"])
    .input(headers(&[(A, &format!("{t}, {t2}"))]))
    .context(ctx())
    .reject("header_conflict");
    g.case(
        "forged-then-valid",
        rule,
        Critical,
        "a forged assertion (admin) before a valid one: a verifier must not pick one of them",
    )
    .input(headers(&[(A, &forged), (A, &t)]))
    .context(ctx())
    .reject("header_conflict");
    g.case(
        "identical-duplicates",
        rule,
        Low,
        "the same valid token twice under the assertion header",
    )
    .input(headers(&[(A, &t), (A, &t)]))
    .context(ctx())
    .either("header_conflict");
    g.case(
        "assertion-and-iap-identical",
        rule,
        Low,
        "the same valid token under both the assertion and the seed's iap header",
    )
    .input(headers(&[(A, &t), (IAP, &t)]))
    .context(ctx())
    .either("header_conflict");
    g.case(
        "assertion-and-iap-differing",
        rule,
        Medium,
        "valid tokens of two users under the assertion and the iap header",
    )
    .input(headers(&[(A, &t), (IAP, &t2)]))
    .context(ctx())
    .either("header_conflict");
    g.case("crlf-in-value", rule, High,
        "the valid token followed by CR LF and an injected header line: control characters in a field value")
        .refs(&["RFC 9110 §5.5"])
        .input(headers(&[(A, &format!("{t}\r\nx-pomerium-authenticated-user-email: admin@corp.example.com"))]))
        .context(ctx())
        .reject("malformed");
    g.case(
        "nul-in-value",
        rule,
        Medium,
        "a NUL byte after the valid token",
    )
    .refs(&["RFC 9110 §5.5"])
    .input(headers(&[(A, &format!("{t}\u{0}"))]))
    .context(ctx())
    .reject("malformed");
    g.case(
        "space-in-name",
        rule,
        Medium,
        "the valid token under \"x-pomerium-jwt-assertion \" (a space in a field name)",
    )
    .refs(&["RFC 9110 §5.1"])
    .input(headers(&[("x-pomerium-jwt-assertion ", &t)]))
    .context(ctx())
    .reject("malformed");
    g.case(
        "oversize-value",
        "core.size",
        Medium,
        "an assertion header value of 20000 bytes: rejected before any decoding",
    )
    .input(headers(&[(A, &"e".repeat(20_000))]))
    .context(ctx())
    .reject("too_large");
    g.finish()
}

fn exp(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("pomerium", "exp");
    let rule = "pomerium.exp";
    let tok = |c: &Value| m.jwt("ES256", "p256-a", &hdr("p256-a"), c);
    let at = |exp: i64| with(claims(now), json!({"iat": exp - 300, "exp": exp}));
    g.case(
        "expired-59s",
        rule,
        Medium,
        "exp 59 s before the suite clock: inside the 60 s skew",
    )
    .input(one(&tok(&at(now - 59))))
    .context(ctx())
    .accept(identity());
    g.case("expired-60s", rule, Medium,
        "exp exactly 60 s before the suite clock: the edge (go-jose is inclusive, the js-sdk exclusive)")
        .input(one(&tok(&at(now - 60))))
        .context(ctx())
        .either("expired");
    g.case(
        "expired-61s",
        rule,
        Medium,
        "exp 61 s before the suite clock: one second past the allowed skew",
    )
    .refs(&["RFC 7519 §4.1.4"])
    .input(one(&tok(&at(now - 61))))
    .context(ctx())
    .reject("expired");
    g.case(
        "expired-a-day",
        rule,
        High,
        "exp a day before the suite clock",
    )
    .input(one(&tok(&at(now - 86_400))))
    .context(ctx())
    .reject("expired");
    g.case(
        "valid-an-hour",
        rule,
        Low,
        "exp an hour after the suite clock",
    )
    .input(one(&tok(&with(claims(now), json!({"exp": now + 3600})))))
    .context(ctx())
    .accept(identity());
    g.case("exp-missing", rule, High, "no exp: required")
        .input(one(&tok(&without(claims(now), &["exp"]))))
        .context(ctx())
        .reject("claim_missing");
    g.case("exp-string", rule, Medium, "exp as a string of digits")
        .input(one(&tok(&with(
            claims(now),
            json!({"exp": (now + 290).to_string()}),
        ))))
        .context(ctx())
        .reject("claim_invalid");
    g.finish()
}

fn iat(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("pomerium", "iat");
    let rule = "pomerium.iat";
    let tok = |c: &Value| m.jwt("ES256", "p256-a", &hdr("p256-a"), c);
    let at = |iat: i64| with(claims(now), json!({"iat": iat, "exp": iat + 300}));
    g.case(
        "future-59s",
        rule,
        Medium,
        "iat 59 s after the suite clock: inside the 60 s skew",
    )
    .input(one(&tok(&at(now + 59))))
    .context(ctx())
    .accept(identity());
    g.case(
        "future-60s",
        rule,
        Medium,
        "iat exactly 60 s after the suite clock: the edge",
    )
    .input(one(&tok(&at(now + 60))))
    .context(ctx())
    .either("not_yet_valid");
    g.case(
        "future-61s",
        rule,
        Medium,
        "iat 61 s after the suite clock: one second past the allowed skew",
    )
    .input(one(&tok(&at(now + 61))))
    .context(ctx())
    .reject("not_yet_valid");
    g.case(
        "future-a-day",
        rule,
        Medium,
        "iat a day after the suite clock (exp a day and 300 s after)",
    )
    .input(one(&tok(&at(now + 86_400))))
    .context(ctx())
    .reject("not_yet_valid");
    g.case(
        "past-an-hour",
        rule,
        Low,
        "iat an hour before the suite clock, exp still ahead: no maximum age",
    )
    .input(one(&tok(&with(
        claims(now),
        json!({"iat": now - 3600, "exp": now + 60}),
    ))))
    .context(ctx())
    .accept(identity());
    g.case(
        "iat-missing",
        rule,
        Low,
        "no iat: the seed lists it, go-jose does not require it",
    )
    .input(one(&tok(&without(claims(now), &["iat"]))))
    .context(ctx())
    .either("claim_missing");
    g.case("iat-string", rule, Medium, "iat as a string of digits")
        .input(one(&tok(&with(
            claims(now),
            json!({"iat": (now - 10).to_string()}),
        ))))
        .context(ctx())
        .reject("claim_invalid");
    g.finish()
}

fn aud(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("pomerium", "aud");
    let rule = "pomerium.aud";
    let tok = |aud: Value| {
        let c = match aud {
            Value::Null => without(claims(now), &["aud"]),
            a => with(claims(now), json!({ "aud": a })),
        };
        m.jwt("ES256", "p256-a", &hdr("p256-a"), &c)
    };
    g.case(
        "string-equal",
        rule,
        Low,
        "aud is the configured audience as a string",
    )
    .input(one(&tok(json!(AUD))))
    .context(ctx())
    .accept(identity());
    g.case(
        "array-containing",
        rule,
        Low,
        "aud is an array holding another app and the configured audience",
    )
    .refs(&["RFC 7519 §4.1.3"])
    .input(one(&tok(json!(["grafana.corp.example.com", AUD]))))
    .context(ctx())
    .accept(identity());
    g.case(
        "array-single",
        rule,
        Low,
        "aud is an array of the configured audience alone",
    )
    .input(one(&tok(json!([AUD]))))
    .context(ctx())
    .accept(identity());
    for (name, sev, aud, what) in [
        (
            "other-app",
            High,
            json!("grafana.corp.example.com"),
            "another app's host: a token replayed across routes",
        ),
        (
            "array-without",
            High,
            json!(["grafana.corp.example.com", "wiki.corp.example.com"]),
            "an array of other apps",
        ),
        ("array-empty", Medium, json!([]), "an empty array"),
        ("missing", Medium, Value::Null, "no aud"),
        (
            "with-port",
            Low,
            json!(format!("{AUD}:443")),
            "the host with a port (the audience is the host without one)",
        ),
        (
            "url-form",
            Low,
            json!(format!("https://{AUD}")),
            "a URL rather than the host",
        ),
        (
            "suffix-host",
            High,
            json!(format!("{AUD}.evil.example")),
            "a host that starts with the audience",
        ),
        (
            "parent-domain",
            Medium,
            json!("corp.example.com"),
            "the audience's parent domain",
        ),
        (
            "case-differs",
            Low,
            json!(AUD.to_uppercase()),
            "the audience in upper case: compared exactly",
        ),
        ("number", Low, json!(443), "a number"),
        (
            "object",
            Low,
            json!({ "aud": AUD }),
            "an object wrapping the audience",
        ),
    ] {
        g.case(name, rule, sev, &format!("aud is {what}"))
            .input(one(&tok(aud)))
            .context(ctx())
            .reject("audience_mismatch");
    }
    g.finish()
}

fn iss(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("pomerium", "iss");
    let rule = "pomerium.iss";
    let tok = |iss: Value| {
        let c = match iss {
            Value::Null => without(claims(now), &["iss"]),
            i => with(claims(now), json!({ "iss": i })),
        };
        m.jwt("ES256", "p256-a", &hdr("p256-a"), &c)
    };
    g.case(
        "default-issuer",
        rule,
        Low,
        "iss pomerium-proxy and a context that names no issuer: the seed's default",
    )
    .input(one(&tok(json!(ISS))))
    .context(without(ctx(), &["issuer"]))
    .accept(identity());
    let auth_ctx = with(ctx(), json!({ "issuer": AUTH }));
    g.case(
        "authenticate-host",
        rule,
        Low,
        "iss the authenticate service's host, as configured (current Pomerium)",
    )
    .input(one(&tok(json!(AUTH))))
    .context(auth_ctx.clone())
    .accept(identity());
    g.case(
        "default-where-host-configured",
        rule,
        Medium,
        "iss pomerium-proxy where the authenticate host is configured",
    )
    .input(one(&tok(json!(ISS))))
    .context(auth_ctx)
    .reject("issuer_mismatch");
    for (name, sev, iss, what) in [
        (
            "other",
            High,
            json!("evil-proxy"),
            "another issuer, same key",
        ),
        ("missing", Medium, Value::Null, "absent"),
        (
            "case-differs",
            Low,
            json!("Pomerium-Proxy"),
            "pomerium-proxy in other case",
        ),
        (
            "trailing-space",
            Low,
            json!("pomerium-proxy "),
            "pomerium-proxy with a trailing space",
        ),
        ("number", Low, json!(1), "a number"),
        ("array", Low, json!([ISS]), "an array holding the issuer"),
    ] {
        g.case(name, rule, sev, &format!("iss is {what}"))
            .input(one(&tok(iss)))
            .context(ctx())
            .reject("issuer_mismatch");
    }
    // PyJWT 2.10.0 compared a configured issuer string with `in`: a substring passed.
    g.case(
        "substring",
        rule,
        High,
        "iss \"pomerium\", a substring of the configured pomerium-proxy",
    )
    .refs(&["CVE-2024-53861"])
    .input(one(&tok(json!("pomerium"))))
    .context(ctx())
    .reject("issuer_mismatch");
    g.case(
        "host-substring",
        rule,
        High,
        "iss \"corp.example.com\", a substring of the configured authenticate host",
    )
    .refs(&["CVE-2024-53861"])
    .input(one(&tok(json!("corp.example.com"))))
    .context(with(ctx(), json!({ "issuer": AUTH })))
    .reject("issuer_mismatch");
    g.finish()
}

fn identity_group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("pomerium", "identity");
    let rule = "pomerium.identity";
    let tok = |c: &Value| m.jwt("ES256", "p256-a", &hdr("p256-a"), c);
    let t = tok(&claims(now));
    g.case(
        "full",
        rule,
        Low,
        "sub, email and groups from the verified token",
    )
    .input(one(&t))
    .context(ctx())
    .accept(identity());
    g.case("sub-only", rule, Low, "no email, no groups")
        .input(one(&tok(&without(claims(now), &["email", "groups"]))))
        .context(ctx())
        .accept(json!({"sub": "user-1"}));
    g.case(
        "empty-email-absent",
        rule,
        Low,
        "email \"\" counts as absent",
    )
    .input(one(&tok(&with(claims(now), json!({"email": ""})))))
    .context(ctx())
    .accept(json!({"sub": "user-1", "groups": ["engineering"]}));
    for (name, groups) in [("groups-null", json!(null)), ("groups-empty", json!([]))] {
        g.case(name, rule, Low, &format!("groups {groups}: no groups"))
            .input(one(&tok(&with(claims(now), json!({ "groups": groups })))))
            .context(ctx())
            .accept(json!({"sub": "user-1", "email": "user-1@corp.example.com"}));
    }
    let many = json!(["engineering", "on-call", "ünïcode"]);
    g.case(
        "groups-several",
        rule,
        Low,
        "three groups, one of them non-ASCII, in order",
    )
    .input(one(&tok(&with(claims(now), json!({ "groups": many })))))
    .context(ctx())
    .accept(json!({"sub": "user-1", "email": "user-1@corp.example.com", "groups": many}));
    let spoof = [
        ("x-pomerium-authenticated-user-id", "admin"),
        (
            "x-pomerium-authenticated-user-email",
            "admin@corp.example.com",
        ),
        ("x-pomerium-authenticated-user-groups", "admins"),
    ];
    let mut with_spoof = spoof.to_vec();
    with_spoof.push((A, &t));
    g.case("unsigned-headers-ignored", rule, Critical,
        "a valid assertion for user-1 beside unsigned x-pomerium-authenticated-user-* headers naming admin: identity only from the token")
        .input(headers(&with_spoof))
        .context(ctx())
        .accept(identity());
    g.case("claim-headers-ignored", rule, Critical,
        "a valid assertion beside x-pomerium-claim-email and x-pomerium-claim-groups headers naming admin")
        .input(headers(&[
            ("x-pomerium-claim-email", "admin@corp.example.com"),
            ("x-pomerium-claim-groups", "admins"),
            (A, &t),
        ]))
        .context(ctx())
        .accept(identity());
    let admin = with(
        claims(now),
        json!({"sub": "admin", "email": "admin@corp.example.com", "groups": ["admins"]}),
    );
    let admin_t = tok(&admin);
    g.case("assertion-for-ignored", rule, Critical,
        "a valid assertion for user-1 beside x-pomerium-jwt-assertion-for carrying a valid token for admin")
        .input(headers(&[("x-pomerium-jwt-assertion-for", &admin_t), (A, &t)]))
        .context(ctx())
        .accept(identity());
    let forged = m.jwt("ES256", "p256-b", &hdr("p256-a"), &admin);
    let mut forged_spoof = spoof.to_vec();
    forged_spoof.push((A, &forged));
    g.case("forged-with-matching-headers", rule, Critical,
        "an assertion for admin signed by an attacker's key, with unsigned headers that agree with it")
        .input(headers(&forged_spoof))
        .context(ctx())
        .reject("bad_signature");
    g.case("sub-missing", rule, High, "no sub")
        .input(one(&tok(&without(claims(now), &["sub"]))))
        .context(ctx())
        .reject("claim_missing");
    g.case(
        "sub-empty",
        rule,
        Medium,
        "sub \"\": names no user (profiles.md is silent)",
    )
    .input(one(&tok(&with(claims(now), json!({"sub": ""})))))
    .context(ctx())
    .either("claim_invalid");
    for (name, extra, what) in [
        ("sub-number", json!({"sub": 1}), "sub is a number"),
        ("email-number", json!({"email": 1}), "email is a number"),
        (
            "groups-string",
            json!({"groups": "admins"}),
            "groups is a string, not an array",
        ),
        (
            "groups-with-number",
            json!({"groups": ["engineering", 7]}),
            "groups holds a number",
        ),
        (
            "groups-object",
            json!({"groups": {"admins": true}}),
            "groups is an object",
        ),
    ] {
        g.case(name, rule, Medium, what)
            .input(one(&tok(&with(claims(now), extra))))
            .context(ctx())
            .reject("claim_invalid");
    }
    g.finish()
}

fn jwks(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("pomerium", "jwks");
    let rule = "pomerium.jwks";
    let c = claims(now);
    let t = m.jwt("ES256", "p256-a", &hdr("p256-a"), &c);
    let both = with(ctx(), json!({"keys": ["p256-a", "p256-b"]}));
    g.case(
        "kid-selects-second",
        rule,
        Low,
        "two configured keys; kid names the second, which signed",
    )
    .input(one(&m.jwt("ES256", "p256-b", &hdr("p256-b"), &c)))
    .context(both.clone())
    .accept(identity());
    g.case(
        "no-kid-tries-each",
        rule,
        Low,
        "two configured keys; no kid; signed by the second",
    )
    .input(one(&m.jwt(
        "ES256",
        "p256-b",
        &json!({"alg": "ES256", "typ": "JWT"}),
        &c,
    )))
    .context(both)
    .accept(identity());
    g.case("kid-unknown", rule, Medium, "kid names no configured key")
        .input(one(&m.jwt("ES256", "p256-a", &hdr("p256-c"), &c)))
        .context(ctx())
        .reject("key_unknown");
    g.case("certificate-pem", rule, Low,
        "the key configured as the seed has users paste it: ec_public.pem, a self-signed certificate from openssl req -x509 (its public key is used; validity is not looked at)")
        .input(one(&t))
        .context(with(ctx(), json!({"keys": [{"pem": key_file("p256-a.cert.pem"), "kid": "p256-a"}]})))
        .accept(identity());
    g.case("spki-pem", rule, Low, "the key configured as an SPKI PEM")
        .input(one(&t))
        .context(with(
            ctx(),
            json!({"keys": [{"pem": key_file("p256-a.pub.pem"), "kid": "p256-a"}]}),
        ))
        .accept(identity());
    g.case("wrong-curve-key", rule, Medium,
        "the only configured key is on P-384 (refused at load: a configuration error); an ES256 token")
        .input(one(&t))
        .context(with(ctx(), json!({"keys": ["p384-a"]})))
        .reject("key_unknown");
    g.case(
        "rsa-certificate",
        rule,
        Medium,
        "the only configured key is an RSA certificate: never a candidate for ES256",
    )
    .input(one(&t))
    .context(with(
        ctx(),
        json!({"keys": [{"pem": key_file("rsa-2048-b.cert.pem"), "kid": "p256-a"}]}),
    ))
    .reject("key_unknown");
    let evil_h = json!({"alg": "ES256", "kid": "p256-b", "typ": "JWT",
        "jku": "https://evil.example/.well-known/pomerium/jwks.json",
        "jwk": m.keys().public_jwk("p256-b").unwrap()});
    g.case("header-jku-and-jwk-ignored", rule, Critical,
        "signed by an attacker's key that the header carries as jwk and jku: nothing is fetched or trusted")
        .refs(&["RFC 8725 §3.10"])
        .input(one(&m.jwt("ES256", "p256-b", &evil_h, &c)))
        .context(ctx())
        .max_fetches(0)
        .reject("key_unknown");
    let url = format!("https://{AUTH}/.well-known/pomerium/jwks.json");
    let served =
        json!({ url.clone(): {"status": 200, "body": jwks_body(m, &["p256-a", "p256-b"])} });
    let url_ctx = json!({"audience": AUD, "issuer": ISS, "jwks_url": url, "skew": 60});
    g.case(
        "jwks-url",
        rule,
        Low,
        "keys from the configured JWKS URL; kid selects",
    )
    .input(one(&t))
    .context(url_ctx.clone())
    .network(served.clone())
    .accept(identity());
    let auth_claims = with(c.clone(), json!({ "iss": AUTH }));
    let auth_ctx = json!({"audience": AUD, "issuer": AUTH, "skew": 60});
    g.case(
        "jwks-from-configured-issuer",
        rule,
        Low,
        "no keys, no URL: the JWKS at https://<configured issuer>/.well-known/pomerium/jwks.json",
    )
    .input(one(&m.jwt("ES256", "p256-a", &hdr("p256-a"), &auth_claims)))
    .context(auth_ctx.clone())
    .network(served.clone())
    .accept(identity());
    let attacker = with(c.clone(), json!({"iss": "evil.example", "sub": "admin"}));
    g.case("token-iss-names-attacker", rule, Critical,
        "the token names the attacker's host as iss and is signed by the attacker's key: Pomerium's SDKs would fetch https://evil.example/.well-known/pomerium/jwks.json; nothing may be fetched")
        .input(one(&m.jwt("ES256", "p256-b", &hdr("p256-b"), &attacker)))
        .context(auth_ctx.clone())
        .network(served.clone())
        .max_fetches(0)
        .reject("issuer_mismatch");
    g.case(
        "token-iss-other-with-jwks-url",
        rule,
        Critical,
        "a JWKS URL configured; the token names another issuer: rejected before any fetch",
    )
    .input(one(&m.jwt("ES256", "p256-b", &hdr("p256-b"), &attacker)))
    .context(url_ctx.clone())
    .network(served.clone())
    .max_fetches(0)
    .reject("issuer_mismatch");
    let only_b = json!({ url.clone(): {"status": 200, "body": jwks_body(m, &["p256-b"])} });
    g.case(
        "jwks-lacks-kid",
        rule,
        Medium,
        "the JWKS does not hold the token's kid",
    )
    .input(one(&t))
    .context(url_ctx.clone())
    .network(only_b)
    .reject("key_unknown");
    let p384 = m.keys().public_jwk("p384-a").unwrap();
    let wrong_curve = json!({ url.clone(): {"status": 200, "body": json!({"keys": [with(p384, json!({"kid": "p256-a"}))]}).to_string()} });
    g.case(
        "jwks-wrong-curve",
        rule,
        Medium,
        "the JWKS holds the token's kid on a P-384 key: skipped",
    )
    .input(one(&t))
    .context(url_ctx.clone())
    .network(wrong_curve)
    .reject("key_unknown");
    for (name, answer, what) in [
        (
            "jwks-http-500",
            json!({"status": 500, "body": "internal error"}),
            "HTTP 500",
        ),
        (
            "jwks-not-json",
            json!({"status": 200, "body": "<html>login</html>"}),
            "an HTML page",
        ),
        (
            "jwks-unparsable",
            json!({"status": 200, "body": "{\"keys\": [{\"kty\": \"EC\","}),
            "truncated JSON",
        ),
        (
            "jwks-timeout",
            json!({"status": 200, "body": jwks_body(m, &["p256-a"]), "delay_ms": 60000}),
            "no answer within the time-out",
        ),
    ] {
        g.case(
            name,
            rule,
            Medium,
            &format!("the configured JWKS URL answers {what}"),
        )
        .input(one(&t))
        .context(url_ctx.clone())
        .network(json!({ url.clone(): answer }))
        .reject("key_unavailable");
    }
    let second = m.jwt(
        "ES256",
        "p256-b",
        &hdr("p256-b"),
        &with(
            c.clone(),
            json!({"sub": "user-2", "email": "user-2@corp.example.com"}),
        ),
    );
    g.case(
        "jwks-fetched-once",
        rule,
        Medium,
        "three requests in one session: the JWKS is fetched once",
    )
    .context(url_ctx)
    .network(served)
    .max_fetches(1)
    .step(
        "user-1, kid p256-a",
        one(&t),
        None,
        expect(Verdict::Accept, None, Some(identity())),
    )
    .step(
        "user-2, kid p256-b (in the cached set)",
        one(&second),
        None,
        expect(
            Verdict::Accept,
            None,
            Some(json!({"sub": "user-2", "email": "user-2@corp.example.com", "groups": ["engineering"]})),
        ),
    )
    .step(
        "user-1 again",
        one(&t),
        None,
        expect(Verdict::Accept, None, Some(identity())),
    )
    .scenario();
    g.finish()
}

/// The canonical form of a proxy's output (see the harness's `canonical_proxy_output`):
/// non-assertion headers lowercased and sorted by name, and the assertion's identity.
fn forwarded(client: &[(&str, &str)], identity: &Value) -> Value {
    let mut rest: Vec<(String, String)> = client
        .iter()
        .filter(|(n, _)| !n.to_ascii_lowercase().starts_with("x-pomerium-"))
        .map(|(n, v)| (n.to_ascii_lowercase(), v.to_string()))
        .collect();
    rest.sort_by(|a, b| a.0.cmp(&b.0));
    let mut assertion = identity.clone();
    assertion["fresh"] = json!(true);
    json!({
        "headers": rest.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
        "assertion": assertion,
    })
}

fn strip() -> VectorFile {
    let mut g = Group::new("pomerium-proxy", "strip");
    let rule = "pomerium.strip";
    let ctx =
        json!({"audience": AUD, "issuer": ISS, "signing_key": "p256-a", "identity": identity()});
    let browser = [
        ("Host", AUD),
        ("User-Agent", "Mozilla/5.0"),
        ("Accept", "text/html"),
    ];
    let out = |extra: &[(&str, &str)]| {
        let mut all = browser.to_vec();
        all.extend_from_slice(extra);
        (headers(&all), forwarded(&all, &identity()))
    };
    let note = " Graded in canonical form: the other headers lowercased and sorted by name; \
                the one assertion verified with the signing key's public half and shown as \
                its identity, fresh when iat is within 60 s of now and exp in (now, now + 3600].";
    let (input, output) = out(&[]);
    g.case(
        "plain-request",
        rule,
        Low,
        &format!("a browser's request: its headers pass, one assertion is added.{note}"),
    )
    .input(input)
    .context(ctx.clone())
    .accept(output);
    for (name, sev, extra, what) in [
        (
            "forged-assertion",
            Critical,
            vec![(A, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.")],
            "a client-supplied x-pomerium-jwt-assertion",
        ),
        (
            "forged-assertion-upper-case",
            Critical,
            vec![("X-POMERIUM-JWT-ASSERTION", "forged")],
            "a client-supplied assertion in upper case",
        ),
        (
            "forged-assertion-twice",
            Critical,
            vec![(A, "forged-1"), ("X-Pomerium-Jwt-Assertion", "forged-2")],
            "two client-supplied assertions",
        ),
        (
            "authenticated-user-headers",
            Critical,
            vec![
                ("x-pomerium-authenticated-user-id", "admin"),
                (
                    "X-Pomerium-Authenticated-User-Email",
                    "admin@corp.example.com",
                ),
                ("x-pomerium-authenticated-user-groups", "admins"),
            ],
            "the unsigned identity headers, naming admin",
        ),
        (
            "claim-headers",
            High,
            vec![
                ("x-pomerium-claim-email", "admin@corp.example.com"),
                ("X-Pomerium-Claim-Groups", "admins"),
            ],
            "x-pomerium-claim-* headers",
        ),
        (
            "other-pomerium-headers",
            High,
            vec![
                (IAP, "forged"),
                ("x-pomerium-jwt-assertion-for", "forged"),
                ("X-Pomerium-Routing-Key", "x"),
                ("x-pomerium-", "empty suffix"),
            ],
            "the iap assertion, assertion-for, and other x-pomerium-* names",
        ),
    ] {
        let (input, output) = out(&extra);
        g.case(
            name,
            rule,
            sev,
            &format!("a request with {what}: stripped; one fresh assertion goes upstream.{note}"),
        )
        .input(input)
        .context(ctx.clone())
        .accept(output);
    }
    let (input, output) = out(&[
        ("x-forwarded-x-pomerium-jwt-assertion", "kept"),
        ("x-pomeriumish", "kept"),
    ]);
    g.case(
        "lookalike-names-kept",
        rule,
        Low,
        &format!(
            "headers that contain but do not start with x-pomerium-: not Pomerium's, passed on.{note}"
        ),
    )
    .input(input)
    .context(ctx.clone())
    .accept(output);
    let (input, _) = out(&[]);
    let minimal = json!({"sub": "user-1"});
    g.case(
        "identity-sub-only",
        rule,
        Low,
        &format!("an identity with no email and no groups.{note}"),
    )
    .input(input)
    .context(with(ctx.clone(), json!({ "identity": minimal })))
    .accept(forwarded(&browser, &minimal));
    g.case(
        "no-client-headers",
        rule,
        Low,
        &format!("a request with no headers: only the assertion goes upstream.{note}"),
    )
    .input(headers(&[]))
    .context(ctx.clone())
    .accept(forwarded(&[], &identity()));
    let (input, _) = out(&[("x_pomerium_jwt_assertion", "forged")]);
    g.case("underscore-alias", rule, High,
        "x_pomerium_jwt_assertion from the client: CGI/WSGI apps read it as the assertion header (HTTP_X_POMERIUM_JWT_ASSERTION); refused or, if forwarded, a bypass for such apps")
        .input(input)
        .context(ctx.clone())
        .either("malformed");
    let (input, _) = out(&[("Accept-Language", "en\r\nx-pomerium-jwt-assertion: forged")]);
    g.case(
        "crlf-injection",
        rule,
        Critical,
        "a header value carrying CR LF and a forged assertion line: the request is refused",
    )
    .refs(&["RFC 9110 §5.5"])
    .input(input)
    .context(ctx.clone())
    .reject("malformed");
    let (input, _) = out(&[("x-pomerium-jwt-assertion\u{0}", "forged")]);
    g.case(
        "nul-in-name",
        rule,
        High,
        "a header name with a NUL byte after x-pomerium-jwt-assertion",
    )
    .refs(&["RFC 9110 §5.1"])
    .input(input)
    .context(ctx)
    .reject("malformed");
    g.finish()
}
