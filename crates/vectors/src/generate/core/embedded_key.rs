//! Vectors `core/embedded-key.json`, rule `core.embedded-key`: `jwk`/`x5c`/`x5u`/`jku` in
//! the header never trusted.

use serde_json::{json, Value};

use super::{claims, default_ctx, hdr, out};
use crate::generate::{key_file, with, Group};
use crate::mint::Mint;
use crate::model::Severity::{Critical, Low};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "embedded-key");
    let rule = "core.embedded-key";
    let c = claims(now);
    let attacker = m.keys().public_jwk("rsa-2048-b").unwrap();
    let cert = key_file("rsa-2048-b.cert.pem");
    let der_b64: String = cert.lines().filter(|l| !l.starts_with("-----")).collect();
    let forged = |extra: Value, kid: &str| {
        m.jwt(
            "RS256",
            "rsa-2048-b",
            &with(json!({"alg": "RS256", "kid": kid}), extra),
            &c,
        )
    };
    let refs = ["CVE-2018-0114", "RFC 8725 §3.10"];
    g.case("jwk-self-signed", rule, Critical, "signed by the attacker's key, which the header carries as jwk; the trusted key's kid is named")
        .refs(&refs).token(forged(json!({"jwk": attacker}), "rsa-2048-a")).context(default_ctx("RS256")).reject("bad_signature");
    g.case(
        "jwk-self-signed-own-kid",
        rule,
        Critical,
        "signed by the attacker's key carried as jwk, kid naming the attacker's key",
    )
    .refs(&refs)
    .token(forged(json!({"jwk": attacker}), "rsa-2048-b"))
    .context(default_ctx("RS256"))
    .reject("key_unknown");
    g.case(
        "x5c-self-signed",
        rule,
        Critical,
        "signed by the attacker's key, whose self-signed certificate the header carries as x5c",
    )
    .refs(&["RFC 7515 §4.1.6"])
    .token(forged(json!({"x5c": [der_b64]}), "rsa-2048-a"))
    .context(default_ctx("RS256"))
    .reject("bad_signature");
    g.case(
        "jku-attacker",
        rule,
        Critical,
        "signed by the attacker's key, jku naming the attacker's JWK Set; nothing may be fetched",
    )
    .refs(&["RFC 8725 §3.10"])
    .token(forged(
        json!({"jku": "https://attacker.jwtc.example/jwks.json"}),
        "rsa-2048-a",
    ))
    .context(default_ctx("RS256"))
    .reject("bad_signature");
    g.case("x5u-attacker", rule, Critical, "signed by the attacker's key, x5u naming the attacker's certificate; nothing may be fetched")
        .token(forged(json!({"x5u": "https://attacker.jwtc.example/cert.pem"}), "rsa-2048-a")).context(default_ctx("RS256")).reject("bad_signature");
    let trusted = m.keys().public_jwk("rsa-2048-a").unwrap();
    g.case(
        "jwk-equal-to-trusted",
        rule,
        Low,
        "a valid token whose header also carries the trusted key as jwk: ignored, not refused",
    )
    .token(m.jwt(
        "RS256",
        "rsa-2048-a",
        &with(hdr("RS256"), json!({"jwk": trusted})),
        &c,
    ))
    .context(default_ctx("RS256"))
    .accept(out(&c));
    g.finish()
}
