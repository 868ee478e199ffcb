//! Vectors `pomerium/jwks.json`, rule `pomerium.jwks`: keys from configuration, never from
//! the token's `iss`.

use serde_json::{json, Value};

use super::{claims, ctx, hdr, identity, one, Settings, AUTH};
use crate::generate::{expect, key_file, with, Group};
use crate::mint::Mint;
use crate::model::Severity::{Critical, Low, Medium};
use crate::model::{VectorFile, Verdict};

pub(super) fn group(m: &Mint<'_>, st: &Settings) -> VectorFile {
    let (aud, iss) = (st.audience.as_str(), st.issuer.as_str());
    let mut g = Group::new("pomerium", "jwks");
    let rule = "pomerium.jwks";
    let c = claims(st);
    let t = m.jwt("ES256", "p256-a", &hdr("p256-a"), &c);
    let both = with(ctx(st), json!({"keys": ["p256-a", "p256-b"]}));
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
        .context(ctx(st))
        .reject("key_unknown");
    g.case("certificate-pem", rule, Low,
        "the key configured as the seed has users paste it: ec_public.pem, a self-signed certificate from openssl req -x509 (its public key is used; validity is not looked at)")
        .input(one(&t))
        .context(with(ctx(st), json!({"keys": [{"pem": key_file("p256-a.cert.pem"), "kid": "p256-a"}]})))
        .accept(identity());
    g.case("spki-pem", rule, Low, "the key configured as an SPKI PEM")
        .input(one(&t))
        .context(with(
            ctx(st),
            json!({"keys": [{"pem": key_file("p256-a.pub.pem"), "kid": "p256-a"}]}),
        ))
        .accept(identity());
    g.case("wrong-curve-key", rule, Medium,
        "the only configured key is on P-384 (refused at load: a configuration error); an ES256 token")
        .input(one(&t))
        .context(with(ctx(st), json!({"keys": ["p384-a"]})))
        .reject("key_unknown");
    g.case(
        "rsa-certificate",
        rule,
        Medium,
        "the only configured key is an RSA certificate: never a candidate for ES256",
    )
    .input(one(&t))
    .context(with(
        ctx(st),
        json!({"keys": [{"pem": key_file("rsa-2048-b.cert.pem"), "kid": "p256-a"}]}),
    ))
    .reject("key_unknown");
    let evil_h = json!({"alg": "ES256", "kid": "p256-b", "typ": "JWT",
        "jku": format!("https://{}/.well-known/pomerium/jwks.json", st.attacker),
        "jwk": m.keys().public_jwk("p256-b").unwrap()});
    g.case("header-jku-and-jwk-ignored", rule, Critical,
        "signed by an attacker's key that the header carries as jwk and jku: nothing is fetched or trusted")
        .refs(&["RFC 8725 §3.10"])
        .input(one(&m.jwt("ES256", "p256-b", &evil_h, &c)))
        .context(ctx(st))
        .max_fetches(0)
        .reject("key_unknown");
    let url = format!("https://{AUTH}/.well-known/pomerium/jwks.json");
    let served =
        json!({ url.clone(): {"status": 200, "body": jwks_body(m, &["p256-a", "p256-b"])} });
    let url_ctx = json!({"audience": aud, "issuer": iss, "jwks_url": url, "skew": 60});
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
    let auth_ctx = json!({"audience": aud, "issuer": AUTH, "skew": 60});
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
    let attacker = with(c.clone(), json!({"iss": st.attacker, "sub": "admin"}));
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
