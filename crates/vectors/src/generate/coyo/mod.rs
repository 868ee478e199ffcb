//! Profile `coyo`: the coyo.* rules of docs/rules.md (COYO's plug-in documentation). Context `{"issuers":
//! [{"pattern", "keys"}], "builtin", "jku_allowlist"}`, input `{"token"}`, output
//! `{"iss", "sub"?}`; fetches answered from each case's `network` map.
//!
//! Keys: rsa-2048-a is registered for `https://some.site`; rsa-3072-a is built in;
//! rsa-2048-c is the tenant key served at the allowlisted jku; rsa-2048-b is the attacker's.
//!
//! One file per vector group (`coyo/<group>.rs` makes `vectors/coyo/<group>.json`);
//! this file holds what the groups share.

mod alg;
mod builtin_keys;
mod fetch;
mod fetch_cache;
mod issuer_keys;
pub(crate) mod jku_allowlist;

use serde_json::{json, Value};

use super::with;
use crate::mint::Mint;
use crate::model::VectorFile;

const SOME: &str = "https://some.site";
/// The seed's pattern, verbatim (its `.` is not escaped).
const SEED_PATTERN: &str = r"/^https:\/\/some.site$/i";
/// The seed's pattern with the dot escaped.
const PATTERN: &str = r"/^https:\/\/some\.site$/i";
const TENANT: &str = "https://acme.coyocloud.example";
/// An on-premise tenant: an issuer no built-in or registered pattern matches, whose key
/// only its jku gives (the case the library's download exists for).
const ONPREM: &str = "https://intranet.acme.example";
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

pub(super) fn ctx() -> Value {
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

/// COYO's key document, `{"alg": <WebCrypto algorithm>, "key": <JWK>}`: the documentation's
/// `addJwk` constant and what @coyoapp/plugin-adapter's `loadJwk` reads from a `jku`.
fn key_doc(m: &Mint<'_>, name: &str, algorithm: Value, extra: Value) -> String {
    json!({"alg": algorithm, "key": published(m, name, extra)}).to_string()
}

/// WebCrypto's RSASSA-PKCS1-v1_5 with `hash` (`SHA-256`, `SHA-512`).
fn pkcs1(hash: &str) -> Value {
    json!({"name": "RSASSA-PKCS1-v1_5", "hash": {"name": hash}})
}

fn ok(body: &str) -> Value {
    json!({"status": 200, "body": body})
}

pub(super) fn files(m: &Mint<'_>, now: i64) -> Vec<VectorFile> {
    vec![
        alg::group(m, now),
        issuer_keys::group(m, now),
        builtin_keys::group(m, now),
        jku_allowlist::group(m, now),
        fetch::group(m, now),
        fetch_cache::group(m, now),
    ]
}
