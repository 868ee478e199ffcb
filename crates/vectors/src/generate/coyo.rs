//! Profile `coyo`: the coyo.* rules of profiles.md (seed 001). Context `{"issuers":
//! [{"pattern", "keys"}], "builtin", "jku_allowlist"}`, input `{"token"}`, output
//! `{"iss", "sub"?}`; fetches answered from each case's `network` map.
//!
//! Keys: rsa-2048-a is registered for `https://some.site`; rsa-3072-a is built in;
//! rsa-2048-c is the tenant key served at the allowlisted jku; rsa-2048-b is the attacker's.

use serde_json::{json, Value};
use url::Url;

use super::{expect, key_file, split, with, Group};
use crate::mint::{hmac, Mint};
use crate::model::Severity::{self, Critical, High, Low, Medium};
use crate::model::{VectorFile, Verdict};
use jwtc_verifier::b64;

const SOME: &str = "https://some.site";
/// The seed's pattern, verbatim (its `.` is not escaped).
const SEED_PATTERN: &str = r"/^https:\/\/some.site$/i";
/// The seed's pattern with the dot escaped.
const PATTERN: &str = r"/^https:\/\/some\.site$/i";
const TENANT: &str = "https://acme.coyocloud.example";
const ALLOWED: &str = "https://pubkeys.coyocloud.example";
const ALLOWED6: &str = "https://[2001:db8::10]:8443";
const JKU: &str = "https://pubkeys.coyocloud.example/jwks.json";
const JKU6: &str = "https://[2001:db8::10]:8443/jwks.json";

fn claims(iss: &str, now: i64) -> Value {
    json!({"iss": iss, "sub": "user-1", "iat": now - 60, "exp": now + 3600})
}

fn out(iss: &str) -> Value {
    json!({"iss": iss, "sub": "user-1"})
}

fn ctx() -> Value {
    json!({
        "issuers": [{"pattern": PATTERN, "keys": ["rsa-2048-a"]}],
        "builtin": ["rsa-3072-a"],
        "jku_allowlist": [ALLOWED, ALLOWED6]
    })
}

fn hdr(kid: &str) -> Value {
    json!({"alg": "RS256", "kid": kid})
}

fn jku_hdr(kid: &str, jku: &str) -> Value {
    json!({"alg": "RS256", "kid": kid, "jku": jku})
}

/// A public JWK as the tenant's key server publishes it.
fn published(m: &Mint<'_>, name: &str, extra: Value) -> Value {
    with(
        with(
            m.keys().public_jwk(name).unwrap(),
            json!({"alg": "RS256", "use": "sig"}),
        ),
        extra,
    )
}

fn jwks(keys: Vec<Value>) -> String {
    json!({ "keys": keys }).to_string()
}

fn served(m: &Mint<'_>) -> String {
    jwks(vec![published(m, "rsa-2048-c", json!({}))])
}

/// A JSON object with a `"pad"` member of `n` x's added at its end.
fn padded(object: &str, n: usize) -> String {
    let open = object.strip_suffix('}').expect("a JSON object");
    format!("{open},\"pad\":\"{}\"}}", "x".repeat(n))
}

fn ok(body: &str) -> Value {
    json!({"status": 200, "body": body})
}

pub(super) fn files(m: &Mint<'_>, now: i64) -> Vec<VectorFile> {
    vec![
        alg(m, now),
        issuer_keys(m, now),
        builtin_keys(m, now),
        jku_allowlist(m, now),
        fetch(m, now),
        fetch_cache(m, now),
    ]
}

fn alg(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("coyo", "alg");
    let rule = "coyo.alg";
    let c = claims(SOME, now);
    g.case(
        "rs256-registered-key",
        rule,
        Low,
        "RS256 signed by the key registered for the issuer",
    )
    .token(m.jwt("RS256", "rsa-2048-a", &hdr("rsa-2048-a"), &c))
    .context(ctx())
    .accept(out(SOME));
    g.case(
        "rs256-from-jku",
        rule,
        Low,
        "RS256 signed by the tenant key at the allowlisted jku",
    )
    .token(m.jwt(
        "RS256",
        "rsa-2048-c",
        &jku_hdr("rsa-2048-c", JKU),
        &claims(TENANT, now),
    ))
    .context(ctx())
    .network(json!({ JKU: ok(&served(m)) }))
    .accept(out(TENANT));
    for a in ["RS384", "RS512", "PS256"] {
        g.case(
            &format!("{}-registered-key", a.to_lowercase()),
            rule,
            High,
            &format!("{a} signed by the registered RSA key"),
        )
        .token(m.jwt(a, "rsa-2048-a", &json!({"alg": a, "kid": "rsa-2048-a"}), &c))
        .context(ctx())
        .reject("alg_not_allowed");
    }
    let pem = key_file("rsa-2048-a.pub.pem");
    let h = b64::encode(json!({"alg": "HS256", "kid": "rsa-2048-a"}).to_string());
    let p = b64::encode(c.to_string());
    let sig = hmac("HS256", pem.as_bytes(), format!("{h}.{p}").as_bytes());
    g.case(
        "hs256-keyed-with-pem",
        rule,
        Critical,
        "HS256 whose HMAC key is the registered RSA key's PEM text",
    )
    .refs(&["CVE-2016-10555", "RFC 8725 §2.1"])
    .token(format!("{h}.{p}.{}", b64::encode(sig)))
    .context(ctx())
    .reject("alg_not_allowed");
    let t = m.jwt("RS256", "rsa-2048-a", &hdr("rsa-2048-a"), &c);
    let (_, p, s) = split(&t);
    let none_h = b64::encode(json!({"alg": "none", "kid": "rsa-2048-a"}).to_string());
    g.case(
        "none-with-signature",
        rule,
        Critical,
        "alg none on a valid token's payload, signature kept",
    )
    .refs(&["CVE-2015-9235"])
    .token(format!("{none_h}.{p}.{s}"))
    .context(ctx())
    .reject("alg_not_allowed");
    g.case(
        "es256",
        rule,
        High,
        "ES256 signed by a P-256 key, jku at the allowlisted origin: nothing is fetched",
    )
    .token(m.jwt(
        "ES256",
        "p256-a",
        &json!({"alg": "ES256", "kid": "p256-a", "jku": JKU}),
        &claims(TENANT, now),
    ))
    .context(ctx())
    .network(json!({ JKU: ok(&served(m)) }))
    .max_fetches(0)
    .reject("alg_not_allowed");
    g.finish()
}

fn issuer_keys(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("coyo", "issuer-keys");
    let rule = "coyo.issuer-keys";
    let tok = |key: &str, kid: Option<&str>, iss: &str| {
        let h = match kid {
            Some(k) => hdr(k),
            None => json!({"alg": "RS256"}),
        };
        m.jwt("RS256", key, &h, &claims(iss, now))
    };
    let only =
        |pattern: &str, keys: Value| json!({"issuers": [{"pattern": pattern, "keys": keys}]});
    g.case(
        "seed-pattern",
        rule,
        Low,
        "the seed's pattern /^https:\\/\\/some.site$/i verbatim; iss https://some.site",
    )
    .token(tok("rsa-2048-a", Some("rsa-2048-a"), SOME))
    .context(only(SEED_PATTERN, json!(["rsa-2048-a"])))
    .accept(out(SOME));
    g.case(
        "case-insensitive-flag",
        rule,
        Low,
        "the i flag: iss HTTPS://SOME.SITE matches; the output keeps iss as signed",
    )
    .token(tok("rsa-2048-a", Some("rsa-2048-a"), "HTTPS://SOME.SITE"))
    .context(ctx())
    .accept(out("HTTPS://SOME.SITE"));
    g.case(
        "no-flag-case-sensitive",
        rule,
        Medium,
        "no i flag: iss HTTPS://SOME.SITE does not match, so no key (and no jku)",
    )
    .token(tok("rsa-2048-a", Some("rsa-2048-a"), "HTTPS://SOME.SITE"))
    .context(only(r"/^https:\/\/some\.site$/", json!(["rsa-2048-a"])))
    .reject("key_unknown");
    g.case("seed-pattern-unescaped-dot", rule, Low,
        "the seed's pattern (unescaped '.') matches https://someXsite: regular-expression semantics as configured; the configuration lint warns")
        .token(tok("rsa-2048-a", Some("rsa-2048-a"), "https://someXsite"))
        .context(only(SEED_PATTERN, json!(["rsa-2048-a"])))
        .accept(out("https://someXsite"));
    let unanchored = r"https://some\.site";
    g.case("unanchored-pattern-url-suffix", rule, High,
        "the unanchored pattern https://some\\.site and iss https://evil.example/https://some.site: matched in full, so no key")
        .token(tok("rsa-2048-a", Some("rsa-2048-a"), "https://evil.example/https://some.site"))
        .context(only(unanchored, json!(["rsa-2048-a"])))
        .reject("key_unknown");
    g.case(
        "unanchored-pattern-host-suffix",
        rule,
        High,
        "the unanchored pattern and iss https://some.site.evil.example",
    )
    .token(tok(
        "rsa-2048-a",
        Some("rsa-2048-a"),
        "https://some.site.evil.example",
    ))
    .context(only(unanchored, json!(["rsa-2048-a"])))
    .reject("key_unknown");
    g.case(
        "unanchored-pattern-exact",
        rule,
        Low,
        "the unanchored pattern and iss exactly https://some.site",
    )
    .token(tok("rsa-2048-a", Some("rsa-2048-a"), SOME))
    .context(only(unanchored, json!(["rsa-2048-a"])))
    .accept(out(SOME));
    g.case("trailing-newline", rule, High,
        "iss \"https://some.site\\n\": a '$' that matches before a final newline (Python's re) would accept it")
        .token(tok("rsa-2048-a", Some("rsa-2048-a"), "https://some.site\n"))
        .context(ctx())
        .reject("key_unknown");
    let rotation = only(PATTERN, json!(["rsa-2048-a", "rsa-3072-a"]));
    for (name, key) in [
        ("rotation-old-key", "rsa-2048-a"),
        ("rotation-new-key", "rsa-3072-a"),
    ] {
        g.case(
            name,
            rule,
            Low,
            &format!("two keys registered for the issuer (rotation); signed by {key}"),
        )
        .token(tok(key, Some(key), SOME))
        .context(rotation.clone())
        .accept(out(SOME));
    }
    g.case(
        "rotation-no-kid",
        rule,
        Low,
        "two keys registered; no kid; signed by the second",
    )
    .token(tok("rsa-3072-a", None, SOME))
    .context(rotation)
    .accept(out(SOME));
    let two = json!({"issuers": [
        {"pattern": PATTERN, "keys": ["rsa-2048-a"]},
        {"pattern": r"/^https:\/\/other\.site$/", "keys": ["rsa-2048-b"]}
    ]});
    g.case(
        "other-issuer-own-key",
        rule,
        Low,
        "two issuers; https://other.site signed by its own key",
    )
    .token(tok("rsa-2048-b", Some("rsa-2048-b"), "https://other.site"))
    .context(two.clone())
    .accept(out("https://other.site"));
    g.case("cross-issuer-kid", rule, Critical,
        "a token naming https://other.site signed by the key registered for https://some.site (its kid named)")
        .token(tok("rsa-2048-a", Some("rsa-2048-a"), "https://other.site"))
        .context(two.clone())
        .reject("key_unknown");
    g.case("cross-issuer-no-kid", rule, Critical,
        "a token naming https://other.site signed by some.site's key, no kid: only other.site's key is a candidate")
        .token(tok("rsa-2048-a", None, "https://other.site"))
        .context(two)
        .reject("bad_signature");
    g.case("known-key-fails-no-fetch", rule, Critical,
        "kid names some.site's key, the signature is the attacker's, and the header has an allowlisted jku: bad_signature, nothing fetched")
        .token(m.jwt("RS256", "rsa-2048-b", &jku_hdr("rsa-2048-a", JKU), &claims(SOME, now)))
        .context(ctx())
        .network(json!({ JKU: ok(&served(m)) }))
        .max_fetches(0)
        .reject("bad_signature");
    let lifecycle = json!({"iss": SOME, "iat": now - 5, "exp": now + 300,
        "event": "install", "tenantId": "3f2a", "pluginId": "hello-world"});
    g.case(
        "lifecycle-event",
        rule,
        Low,
        "a lifecycle-event token (install, no sub): the same rules as front-end tokens",
    )
    .token(m.jwt("RS256", "rsa-2048-a", &hdr("rsa-2048-a"), &lifecycle))
    .context(ctx())
    .accept(json!({"iss": SOME}));
    g.case(
        "lifecycle-event-forged",
        rule,
        Critical,
        "a lifecycle-event token signed by the attacker, kid naming some.site's key",
    )
    .token(m.jwt("RS256", "rsa-2048-b", &hdr("rsa-2048-a"), &lifecycle))
    .context(ctx())
    .reject("bad_signature");
    g.case(
        "pattern-does-not-compile",
        rule,
        Medium,
        "the only issuer pattern does not compile (a configuration error that names it): no key",
    )
    .token(tok("rsa-2048-a", Some("rsa-2048-a"), SOME))
    .context(only(r"/^https:\/\/some\.site($/i", json!(["rsa-2048-a"])))
    .reject("key_unknown");
    g.case(
        "pattern-unsupported-flag",
        rule,
        Medium,
        "the pattern has the g flag (refused: a stateful test in JavaScript): no key",
    )
    .token(tok("rsa-2048-a", Some("rsa-2048-a"), SOME))
    .context(only(r"/^https:\/\/some\.site$/g", json!(["rsa-2048-a"])))
    .reject("key_unknown");
    g.case(
        "iss-missing",
        rule,
        Medium,
        "no iss: no pattern can match, no key",
    )
    .token(m.jwt(
        "RS256",
        "rsa-2048-a",
        &hdr("rsa-2048-a"),
        &json!({"sub": "user-1", "exp": now + 3600}),
    ))
    .context(ctx())
    .reject("key_unknown");
    g.case(
        "iss-missing-builtin-key",
        rule,
        Medium,
        "no iss, signed by a built-in key: verified, then iss is required",
    )
    .token(m.jwt(
        "RS256",
        "rsa-3072-a",
        &hdr("rsa-3072-a"),
        &json!({"sub": "user-1", "exp": now + 3600}),
    ))
    .context(ctx())
    .reject("claim_missing");
    g.case(
        "expired",
        rule,
        Medium,
        "a registered key's token whose exp is a second before the suite clock",
    )
    .token(m.jwt(
        "RS256",
        "rsa-2048-a",
        &hdr("rsa-2048-a"),
        &with(claims(SOME, now), json!({"exp": now - 1})),
    ))
    .context(ctx())
    .reject("expired");
    g.finish()
}

fn builtin_keys(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("coyo", "builtin-keys");
    let rule = "coyo.builtin-keys";
    let c = claims(TENANT, now);
    g.case("builtin-first-no-fetch", rule, Medium,
        "signed by a built-in key, with an allowlisted jku: verified with no network (the case allows no fetch)")
        .token(m.jwt("RS256", "rsa-3072-a", &jku_hdr("rsa-3072-a", JKU), &c))
        .context(ctx())
        .max_fetches(0)
        .accept(out(TENANT));
    g.case(
        "builtin-no-jku",
        rule,
        Low,
        "signed by a built-in key, no jku",
    )
    .token(m.jwt("RS256", "rsa-3072-a", &hdr("rsa-3072-a"), &c))
    .context(ctx())
    .accept(out(TENANT));
    let mut no_kid = m.keys().public_jwk("rsa-3072-a").unwrap();
    no_kid.as_object_mut().unwrap().remove("kid");
    g.case(
        "builtin-without-kid",
        rule,
        Low,
        "the built-in key has no kid; the token names one: still a candidate",
    )
    .token(m.jwt("RS256", "rsa-3072-a", &hdr("coyocloud-2025"), &c))
    .context(with(ctx(), json!({ "builtin": [no_kid] })))
    .accept(out(TENANT));
    g.case("builtin-kid-forged", rule, Critical,
        "kid names the built-in key, the attacker signed, jku allowlisted: bad_signature with no fetch")
        .token(m.jwt("RS256", "rsa-2048-b", &jku_hdr("rsa-3072-a", JKU), &c))
        .context(ctx())
        .max_fetches(0)
        .reject("bad_signature");
    g.case(
        "unknown-kid-no-jku",
        rule,
        Medium,
        "a kid that no built-in or registered key has, and no jku",
    )
    .token(m.jwt("RS256", "rsa-2048-c", &hdr("rsa-2048-c"), &c))
    .context(ctx())
    .reject("key_unknown");
    g.finish()
}

/// The allowlist as the verifier parses it, for checking the trick table.
fn allowed_origins() -> Vec<url::Origin> {
    [ALLOWED, ALLOWED6]
        .iter()
        .map(|a| Url::parse(a).unwrap().origin())
        .collect()
}

fn names_allowed_origin(jku: &str) -> bool {
    Url::parse(jku).is_ok_and(|u| u.scheme() == "https" && allowed_origins().contains(&u.origin()))
}

fn jku_allowlist(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("coyo", "jku-allowlist");
    let rule = "coyo.jku-allowlist";
    let refs = ["RFC 8725 §3.10", "RFC 3986 §3.2", "WHATWG URL"];
    let c = claims(TENANT, now);
    let genuine = |jku: &str| m.jwt("RS256", "rsa-2048-c", &jku_hdr("rsa-2048-c", jku), &c);
    let attacker = |jku: &str| m.jwt("RS256", "rsa-2048-b", &jku_hdr("rsa-2048-b", jku), &c);
    for (name, jku) in [
        ("exact", JKU),
        (
            "exact-with-query",
            "https://pubkeys.coyocloud.example/jwks.json?tenant=acme",
        ),
        ("ipv6-origin-exact", JKU6),
    ] {
        g.case(
            name,
            rule,
            Low,
            &format!("jku {jku}: an allowlisted https origin, canonical; fetched"),
        )
        .token(genuine(jku))
        .context(ctx())
        .network(json!({ jku: ok(&served(m)) }))
        .max_fetches(1)
        .accept(out(TENANT));
    }
    let attacker_jwks = jwks(vec![published(m, "rsa-2048-b", json!({}))]);
    let data_url = format!(
        "data:application/json;base64,{}",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &attacker_jwks)
    );
    // Tricks that name another origin (or none): rejected, nothing fetched.
    let tricks: Vec<(&str, Severity, String, &str)> = vec![
        (
            "suffix-host",
            Critical,
            "https://pubkeys.coyocloud.example.evil.example/jwks.json".into(),
            "the allowlisted host as a prefix of the attacker's",
        ),
        (
            "subdomain-of-allowed",
            High,
            "https://evil.pubkeys.coyocloud.example/jwks.json".into(),
            "a subdomain of the allowlisted host",
        ),
        (
            "prefixed-label",
            Critical,
            "https://evilpubkeys.coyocloud.example/jwks.json".into(),
            "the allowlisted host with a prefix on its first label",
        ),
        (
            "userinfo-host",
            Critical,
            "https://pubkeys.coyocloud.example@evil.example/jwks.json".into(),
            "the allowlisted host as userinfo before the attacker's host",
        ),
        (
            "userinfo-host-port",
            Critical,
            "https://pubkeys.coyocloud.example:443@evil.example/jwks.json".into(),
            "the allowlisted host and :443 as userinfo",
        ),
        (
            "userinfo-encoded-slash",
            Critical,
            "https://pubkeys.coyocloud.example%2f@evil.example/jwks.json".into(),
            "userinfo ending in %2f, which a decoding parser reads as a path",
        ),
        (
            "fragment-at",
            Critical,
            "https://evil.example#@pubkeys.coyocloud.example/jwks.json".into(),
            "the attacker's host, then #@ and the allowlisted host in the fragment",
        ),
        (
            "query-at",
            Critical,
            "https://evil.example?@pubkeys.coyocloud.example/jwks.json".into(),
            "the attacker's host, then ?@ and the allowlisted host in the query",
        ),
        (
            "host-in-path",
            Critical,
            "https://evil.example/pubkeys.coyocloud.example/jwks.json".into(),
            "the allowlisted host as a path segment",
        ),
        (
            "url-in-query",
            Critical,
            "https://evil.example/jwks.json?u=https://pubkeys.coyocloud.example/jwks.json".into(),
            "the allowlisted URL in the attacker's query",
        ),
        (
            "backslash-attacker-host",
            Critical,
            "https://evil.example\\.pubkeys.coyocloud.example/jwks.json".into(),
            "a backslash after the attacker's host: WHATWG reads it as a path separator",
        ),
        (
            "http-scheme",
            High,
            "http://pubkeys.coyocloud.example/jwks.json".into(),
            "http: the seed requires TLS",
        ),
        (
            "http-port-443",
            High,
            "http://pubkeys.coyocloud.example:443/jwks.json".into(),
            "http: on port 443",
        ),
        (
            "other-port",
            High,
            "https://pubkeys.coyocloud.example:8443/jwks.json".into(),
            "the allowlisted host on another port",
        ),
        (
            "port-overflow",
            High,
            "https://pubkeys.coyocloud.example:4294967739/jwks.json".into(),
            "port 2^32 + 443, which a 32-bit parser wraps to 443 (WHATWG: a failure)",
        ),
        (
            "file-scheme",
            Critical,
            "file:///etc/coyo/jwks.json".into(),
            "a file: URL",
        ),
        (
            "ftp-scheme",
            High,
            "ftp://pubkeys.coyocloud.example/jwks.json".into(),
            "ftp: on the allowlisted host",
        ),
        (
            "data-url",
            Critical,
            data_url,
            "a data: URL holding the attacker's JWK Set",
        ),
        (
            "relative-path",
            High,
            "/jwks.json".into(),
            "a relative path",
        ),
        (
            "scheme-relative",
            Critical,
            "//evil.example/jwks.json".into(),
            "a scheme-relative URL to the attacker",
        ),
        ("empty", Medium, String::new(), "an empty string"),
        (
            "idn-homograph",
            Critical,
            "https://pubkeys.coyocloud.ex\u{430}mple/jwks.json".into(),
            "a Cyrillic а in the host (punycode: another domain)",
        ),
        (
            "ideographic-full-stop",
            Critical,
            "https://pubkeys.coyocloud.example\u{3002}evil.example/jwks.json".into(),
            "U+3002 after the allowlisted host: IDNA maps it to '.', a suffix host",
        ),
        (
            "encoded-ideographic-full-stop",
            Critical,
            "https://pubkeys.coyocloud.example%E3%80%82evil.example/jwks.json".into(),
            "U+3002 percent-encoded: decoded, a suffix host",
        ),
        (
            "nul-in-host",
            High,
            "https://pubkeys.coyocloud.example%00.evil.example/jwks.json".into(),
            "a percent-encoded NUL in the host: a C resolver stops there",
        ),
        (
            "ipv4-loopback",
            High,
            "https://127.0.0.1/jwks.json".into(),
            "the loopback address",
        ),
        (
            "ipv4-hex-loopback",
            High,
            "https://0x7f.1/jwks.json".into(),
            "the loopback address in hex shorthand",
        ),
        (
            "ipv6-mapped-loopback",
            High,
            "https://[::ffff:127.0.0.1]/jwks.json".into(),
            "the loopback address as an IPv4-mapped IPv6 literal",
        ),
        (
            "ipv6-other-address",
            High,
            "https://[2001:db8::11]:8443/jwks.json".into(),
            "the next IPv6 address after the allowlisted one",
        ),
        (
            "ipv6-default-port",
            High,
            "https://[2001:db8::10]/jwks.json".into(),
            "the allowlisted IPv6 host on port 443, not 8443",
        ),
        (
            "attacker-host",
            Critical,
            "https://evil.example/jwks.json".into(),
            "the attacker's host, plainly",
        ),
    ];
    for (name, sev, jku, what) in &tricks {
        assert!(
            !names_allowed_origin(jku),
            "generator: jku trick {name} parses to an allowlisted origin"
        );
        g.case(
            name,
            rule,
            *sev,
            &format!("jku is {what} ({jku:?}): rejected before any fetch"),
        )
        .refs(&refs)
        .token(attacker(jku))
        .context(ctx())
        .max_fetches(0)
        .reject("jku_not_allowed");
    }
    g.case(
        "jku-not-a-string",
        rule,
        High,
        "jku is an array holding the allowlisted URL",
    )
    .token(m.jwt(
        "RS256",
        "rsa-2048-c",
        &json!({"alg": "RS256", "kid": "rsa-2048-c", "jku": [JKU]}),
        &c,
    ))
    .context(ctx())
    .max_fetches(0)
    .reject("malformed");
    g.case(
        "empty-allowlist",
        rule,
        High,
        "the exact allowlisted URL when the allowlist is empty",
    )
    .token(genuine(JKU))
    .context(with(ctx(), json!({"jku_allowlist": []})))
    .max_fetches(0)
    .reject("jku_not_allowed");
    // Spellings that parse (WHATWG) to an allowlisted origin: either; the reference
    // rejects any jku that is not its own serialization. The network serves the genuine
    // set at the serialization and, where the raw text names the same host under any
    // parser, at the raw text too.
    let spellings: Vec<(&str, String, bool, &str)> = vec![
        ("host-upper-case", "https://PUBKEYS.CoyoCloud.Example/jwks.json".into(), true, "the host in mixed case"),
        ("scheme-upper-case", "HTTPS://pubkeys.coyocloud.example/jwks.json".into(), true, "the scheme in upper case"),
        ("explicit-port-443", "https://pubkeys.coyocloud.example:443/jwks.json".into(), true, "the default port written out"),
        ("port-leading-zero", "https://pubkeys.coyocloud.example:0443/jwks.json".into(), true, "port 0443"),
        ("percent-encoded-dot", "https://pubkeys%2Ecoyocloud.example/jwks.json".into(), true, "a percent-encoded '.' in the host"),
        ("percent-encoded-letter", "https://%70ubkeys.coyocloud.example/jwks.json".into(), true, "a percent-encoded 'p' in the host"),
        ("fullwidth-full-stop", "https://pubkeys.coyocloud\u{ff0e}example/jwks.json".into(), true, "a fullwidth full stop (U+FF0E) in the host"),
        ("fullwidth-letters", "https://\u{ff50}\u{ff55}\u{ff42}\u{ff4b}\u{ff45}\u{ff59}\u{ff53}.coyocloud.example/jwks.json".into(), true, "fullwidth letters in the host (NFKC: ASCII)"),
        ("no-path", ALLOWED.to_string(), true, "no path (it serializes with '/')"),
        ("dot-segments", "https://pubkeys.coyocloud.example/keys/../jwks.json".into(), true, "a '..' segment in the path"),
        ("encoded-dot-segments", "https://pubkeys.coyocloud.example/%2e%2e/jwks.json".into(), true, "a %2e%2e segment in the path"),
        ("leading-space", " https://pubkeys.coyocloud.example/jwks.json".into(), true, "a leading space (WHATWG strips it)"),
        ("tab-in-host", "https://pubkeys.coyo\tcloud.example/jwks.json".into(), true, "a tab inside the host (WHATWG removes it)"),
        ("no-slashes", "https:pubkeys.coyocloud.example/jwks.json".into(), true, "https: without '//'"),
        ("three-slashes", "https:///pubkeys.coyocloud.example/jwks.json".into(), true, "https: with '///'"),
        ("backslashes", "https:\\\\pubkeys.coyocloud.example\\jwks.json".into(), true, "backslashes for every slash"),
        ("backslash-userinfo-lookalike", "https://pubkeys.coyocloud.example\\@evil.example/jwks.json".into(), false,
            "a backslash read as a path separator (WHATWG) before @evil.example: an RFC 3986 parser sees userinfo and the attacker's host, so only the WHATWG serialization may be fetched"),
        ("ipv6-non-canonical", "https://[2001:0db8:0:0::10]:8443/jwks.json".into(), true, "the allowlisted IPv6 address with leading zeros"),
        ("userinfo-on-allowed-host", "https://user:secret@pubkeys.coyocloud.example/jwks.json".into(), true, "credentials before the allowlisted host"),
    ];
    for (name, jku, raw_ok, what) in &spellings {
        let parsed = Url::parse(jku).expect("a spelling parses");
        assert!(
            names_allowed_origin(jku),
            "generator: spelling {name} does not parse to an allowlisted origin"
        );
        let serialized = parsed.as_str().to_owned();
        let mut network = json!({ serialized.clone(): ok(&served(m)) });
        if *raw_ok {
            network[jku.as_str()] = ok(&served(m));
        }
        g.case(
            name,
            rule,
            Low,
            &format!(
                "jku is {what} ({jku:?}): it parses to the allowlisted origin as {serialized}"
            ),
        )
        .refs(&["WHATWG URL"])
        .token(genuine(jku))
        .context(ctx())
        .network(network)
        .max_fetches(1)
        .either("jku_not_allowed");
    }
    let dot = "https://pubkeys.coyocloud.example./jwks.json";
    g.case(
        "trailing-dot",
        rule,
        Low,
        "the allowlisted host with a trailing dot: the same DNS name, another WHATWG origin",
    )
    .refs(&["RFC 1034 §3.1"])
    .token(genuine(dot))
    .context(ctx())
    .network(json!({ dot: ok(&served(m)) }))
    .max_fetches(1)
    .either("jku_not_allowed");
    let long = format!("{JKU}?pad={}", "a".repeat(9000));
    g.case(
        "long-jku",
        rule,
        Low,
        "a canonical allowlisted jku of 9 KB (the reference refuses jku over 2048 bytes unparsed)",
    )
    .token(genuine(&long))
    .context(ctx())
    .network(json!({ long.clone(): ok(&served(m)) }))
    .max_fetches(1)
    .either("jku_not_allowed");
    g.finish()
}

fn fetch(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("coyo", "fetch");
    let rule = "coyo.fetch";
    let c = claims(TENANT, now);
    let t = m.jwt("RS256", "rsa-2048-c", &jku_hdr("rsa-2048-c", JKU), &c);
    let answer = |a: Value| json!({ JKU: a });
    g.case(
        "jwk-set",
        rule,
        Low,
        "a JWK Set holding the token's key (alg RS256, use sig)",
    )
    .token(&t)
    .context(ctx())
    .network(answer(ok(&served(m))))
    .accept(out(TENANT));
    let several = jwks(vec![
        published(m, "rsa-2048-b", json!({"kid": "2024"})),
        published(m, "rsa-3072-a", json!({"kid": "2025"})),
        published(m, "rsa-2048-c", json!({})),
    ]);
    g.case(
        "kid-selects-third",
        rule,
        Low,
        "three keys in the set; kid selects the third",
    )
    .token(&t)
    .context(ctx())
    .network(answer(ok(&several)))
    .accept(out(TENANT));
    let mut bare = published(m, "rsa-2048-c", json!({}));
    bare.as_object_mut().unwrap().remove("kid");
    g.case(
        "set-key-without-kid",
        rule,
        Low,
        "the set's one key has no kid: a candidate whatever the token's kid",
    )
    .token(&t)
    .context(ctx())
    .network(answer(ok(&jwks(vec![bare]))))
    .accept(out(TENANT));
    let noisy = json!({"keys": [
        {"kty": "oct", "kid": "rsa-2048-c", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"},
        with(m.keys().public_jwk("p256-a").unwrap(), json!({"kid": "rsa-2048-c"})),
        {"kty": "RSA", "kid": "rsa-2048-c", "n": "AQAB", "e": "AQAB"},
        published(m, "rsa-2048-c", json!({})),
    ]})
    .to_string();
    g.case("unusable-keys-skipped", rule, Medium,
        "an oct key, an EC key and a broken RSA key share the kid with the genuine key: they are skipped")
        .token(&t)
        .context(ctx())
        .network(answer(ok(&noisy)))
        .accept(out(TENANT));
    let renamed = several.replace("\"kid\":\"rsa-2048-c\"", "\"kid\":\"2026\"");
    assert_ne!(renamed, several);
    g.case(
        "kid-not-in-set",
        rule,
        Medium,
        "the set holds only other kids",
    )
    .token(&t)
    .context(ctx())
    .network(answer(ok(&renamed)))
    .reject("key_unknown");
    let filtered = |name: &str, key: &str, extra: Value, what: &str| {
        (
            name.to_owned(),
            m.jwt("RS256", key, &jku_hdr("rsa-2048-c", JKU), &c),
            jwks(vec![published(
                m,
                key,
                with(json!({"kid": "rsa-2048-c"}), extra),
            )]),
            what.to_owned(),
        )
    };
    for (name, token, body, what) in [
        filtered(
            "key-1024-bits",
            "rsa-1024-a",
            json!({}),
            "an RSA key of 1024 bits (which signed)",
        ),
        filtered(
            "key-use-enc",
            "rsa-2048-c",
            json!({"use": "enc"}),
            "the signing key marked use enc",
        ),
        filtered(
            "key-alg-rs512",
            "rsa-2048-c",
            json!({"alg": "RS512"}),
            "the signing key marked alg RS512",
        ),
        filtered(
            "key-alg-rsa-oaep",
            "rsa-2048-c",
            json!({"alg": "RSA-OAEP"}),
            "the signing key marked alg RSA-OAEP",
        ),
        filtered(
            "key-ops-encrypt",
            "rsa-2048-c",
            json!({"key_ops": ["encrypt"]}),
            "the signing key with key_ops [encrypt]",
        ),
    ] {
        g.case(
            &name,
            rule,
            Medium,
            &format!("the set's only key with the kid is {what}: skipped"),
        )
        .token(token)
        .context(ctx())
        .network(answer(ok(&body)))
        .reject("key_unknown");
    }
    let bad: Vec<(&str, Severity, Value, &str)> = vec![
        ("http-404", Medium, json!({"status": 404, "body": "not found"}), "HTTP 404"),
        ("http-500", Medium, json!({"status": 500, "body": served(m)}), "HTTP 500 (with a JWK Set body)"),
        ("http-204", Medium, json!({"status": 204, "body": ""}), "HTTP 204, no body"),
        ("empty-body", Medium, ok(""), "200 with an empty body"),
        ("html", Medium, ok("<!doctype html><title>Sign in</title>"), "an HTML page"),
        ("truncated-json", Medium, ok(&served(m)[..100]), "a JWK Set cut off after 100 bytes"),
        ("json-array", Medium, ok(&format!("[{}]", published(m, "rsa-2048-c", json!({})))), "a JSON array of keys"),
        ("keys-not-array", Medium, ok(&json!({"keys": published(m, "rsa-2048-c", json!({}))}).to_string()), "an object whose keys is one JWK"),
        ("time-out", Medium, json!({"status": 200, "body": served(m), "delay_ms": 60000}), "the set, after 60 s"),
        ("redirect-other-origin", Critical, json!({"status": 302, "body": "", "headers": {"Location": "https://evil.example/jwks.json"}}),
            "302 to the attacker's host (which the case does not serve: following it fails the case)"),
        ("oversize-128k", Medium, ok(&padded(&served(m), 128 * 1024)),
            "a valid JWK Set padded to over 128 KiB (twice the reference's bound)"),
    ];
    for (name, sev, a, what) in bad {
        g.case(name, rule, sev, &format!("the jku answers {what}"))
            .token(&t)
            .context(ctx())
            .network(answer(a))
            .reject("key_unavailable");
    }
    g.case(
        "bare-jwk",
        rule,
        Low,
        "the jku answers one bare JWK, not a JWK Set",
    )
    .token(&t)
    .context(ctx())
    .network(answer(ok(
        &published(m, "rsa-2048-c", json!({})).to_string()
    )))
    .either("key_unavailable");
    let limit = jwtc_verifier::net::DEFAULT_MAX_BODY;
    let base = served(m);
    let pad = limit + 1 - base.len() - ",\"pad\":\"\"".len();
    let just_over = padded(&base, pad);
    assert_eq!(just_over.len(), limit + 1);
    g.case(
        "just-over-64k",
        rule,
        Low,
        "a valid JWK Set of 65537 bytes: one over the reference's bound (bounds differ)",
    )
    .token(&t)
    .context(ctx())
    .network(answer(ok(&just_over)))
    .either("key_unavailable");
    let moved = "https://pubkeys.coyocloud.example/v2/jwks.json";
    g.case(
        "redirect-same-origin",
        rule,
        Low,
        "301 to another path on the allowlisted origin, which serves the set",
    )
    .token(&t)
    .context(ctx())
    .network(json!({
        JKU: {"status": 301, "body": "", "headers": {"Location": moved}},
        moved: ok(&served(m))
    }))
    .either("key_unavailable");
    g.finish()
}

fn fetch_cache(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("coyo", "fetch-cache");
    let rule = "coyo.fetch-cache";
    let c = claims(TENANT, now);
    let genuine = m.jwt("RS256", "rsa-2048-c", &jku_hdr("rsa-2048-c", JKU), &c);
    let genuine2 = m.jwt(
        "RS256",
        "rsa-2048-c",
        &jku_hdr("rsa-2048-c", JKU),
        &with(c.clone(), json!({"sub": "user-2"})),
    );
    let accept = || expect(Verdict::Accept, None, Some(out(TENANT)));
    let net = json!({ JKU: ok(&served(m)) });
    g.case(
        "cached-set-reused",
        rule,
        Medium,
        "three tokens with the same jku and kid: the set is fetched once",
    )
    .context(ctx())
    .network(net.clone())
    .max_fetches(1)
    .step(
        "first token: fetched",
        json!({"token": genuine}),
        None,
        accept(),
    )
    .step(
        "another user, same key: from the cache",
        json!({"token": genuine2}),
        None,
        expect(
            Verdict::Accept,
            None,
            Some(json!({"iss": TENANT, "sub": "user-2"})),
        ),
    )
    .step(
        "the first token again",
        json!({"token": genuine}),
        None,
        accept(),
    )
    .scenario();
    let mut b = g
        .case("unknown-kid-refetch-bounded", rule, High,
            "after the set is fetched, twelve tokens with kids the set lacks: at most one refetch within the cool-down (two fetches in all)")
        .context(ctx())
        .network(net.clone())
        .max_fetches(2)
        .step("genuine token: fetched", json!({"token": genuine}), None, accept());
    for i in 0..12 {
        let t = m.jwt(
            "RS256",
            "rsa-2048-b",
            &jku_hdr(&format!("unknown-{i}"), JKU),
            &c,
        );
        b = b.step(
            &format!("kid unknown-{i}: not in the set"),
            json!({ "token": t }),
            None,
            expect(Verdict::Reject, Some("key_unknown"), None),
        );
    }
    b.step(
        "the genuine token still verifies",
        json!({"token": genuine}),
        None,
        accept(),
    )
    .scenario();
    let mut b = g
        .case(
            "failing-url-not-hammered",
            rule,
            High,
            "the jku answers HTTP 503; ten tokens in a row: at most one retry within the cool-down",
        )
        .context(ctx())
        .network(json!({ JKU: {"status": 503, "body": "busy"} }))
        .max_fetches(2);
    for i in 0..10 {
        b = b.step(
            &format!("attempt {}", i + 1),
            json!({ "token": genuine }),
            None,
            expect(Verdict::Reject, Some("key_unavailable"), None),
        );
    }
    b.scenario();
    let v2 = "https://pubkeys.coyocloud.example/v2/jwks.json";
    let other_set = jwks(vec![published(m, "rsa-3072-a", json!({"kid": "v2-key"}))]);
    let via_v2 = m.jwt("RS256", "rsa-3072-a", &jku_hdr("v2-key", v2), &c);
    g.case(
        "two-urls-cached-apart",
        rule,
        Medium,
        "two allowlisted jku URLs, alternating: each set is fetched once and keeps to its URL (one refetch allowed for the unknown kid at the end)",
    )
    .context(with(ctx(), json!({"builtin": []})))
    .network(json!({ JKU: ok(&served(m)), v2: ok(&other_set) }))
    .max_fetches(3)
    .step("first URL", json!({"token": genuine}), None, accept())
    .step("second URL", json!({"token": via_v2}), None, accept())
    .step("first URL again", json!({"token": genuine}), None, accept())
    .step("second URL again", json!({"token": via_v2}), None, accept())
    .step(
        "the second URL's kid under the first URL: not in that set",
        json!({"token": m.jwt("RS256", "rsa-3072-a", &jku_hdr("v2-key", JKU), &c)}),
        None,
        expect(Verdict::Reject, Some("key_unknown"), None),
    )
    .scenario();
    g.case(
        "cached-key-still-checked",
        rule,
        Critical,
        "after the set is cached, a token with the cached kid signed by the attacker: the cached key is checked (at most one refetch)",
    )
    .context(ctx())
    .network(net)
    .max_fetches(2)
    .step(
        "genuine token: fetched",
        json!({"token": genuine}),
        None,
        accept(),
    )
    .step(
        "forged token, same kid and jku",
        json!({"token": m.jwt("RS256", "rsa-2048-b", &jku_hdr("rsa-2048-c", JKU), &c)}),
        None,
        expect(Verdict::Reject, Some("bad_signature"), None),
    )
    .scenario();
    g.finish()
}
