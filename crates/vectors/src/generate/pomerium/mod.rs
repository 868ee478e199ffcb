//! Profiles `pomerium` and `pomerium-proxy`: the pomerium.* rules of docs/rules.md (Pomerium's signed headers).
//! Verifier context `{"audience", "issuer", "keys" | "jwks_url", "skew"}`, input
//! `{"headers": [[name, value]…]}`, output `{"sub", "email"?, "groups"?}`.
//!
//! One file per vector group (`pomerium/<group>.rs` makes `vectors/pomerium/<group>.json`);
//! this file holds what the groups share.

mod alg;
mod aud;
mod exp;
mod header;
mod iat;
mod identity;
mod iss;
mod jwks;
mod strip;

use serde_json::{json, Value};

use crate::mint::Mint;
use crate::model::VectorFile;

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

pub(super) fn files(m: &Mint<'_>, now: i64) -> Vec<VectorFile> {
    vec![
        alg::group(m, now),
        header::group(m, now),
        exp::group(m, now),
        iat::group(m, now),
        aud::group(m, now),
        iss::group(m, now),
        identity::group(m, now),
        jwks::group(m, now),
        strip::group(),
    ]
}
