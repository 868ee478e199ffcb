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

pub(super) use super::Settings;
use crate::mint::Mint;
use crate::model::VectorFile;

const AUTH: &str = "authenticate.corp.example.com";
const A: &str = "x-pomerium-jwt-assertion";
const IAP: &str = "x-pomerium-iap-jwt-assertion";

fn claims(s: &Settings) -> Value {
    json!({
        "iss": s.issuer, "aud": s.audience, "sub": "user-1", "email": "user-1@corp.example.com",
        "groups": ["engineering"], "iat": s.now - 10, "exp": s.now + 290
    })
}

fn identity() -> Value {
    json!({"sub": "user-1", "email": "user-1@corp.example.com", "groups": ["engineering"]})
}

fn hdr(kid: &str) -> Value {
    json!({"alg": "ES256", "kid": kid, "typ": "JWT"})
}

pub(super) fn ctx(s: &Settings) -> Value {
    json!({"audience": s.audience, "issuer": s.issuer, "keys": ["p256-a"], "skew": 60})
}

fn headers(pairs: &[(&str, &str)]) -> Value {
    json!({ "headers": pairs.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>() })
}

fn one(token: &str) -> Value {
    headers(&[(A, token)])
}

pub(super) fn files(m: &Mint<'_>, s: &Settings) -> Vec<VectorFile> {
    vec![
        alg::group(m, s),
        header::group(m, s),
        exp::group(m, s),
        iat::group(m, s),
        aud::group(m, s),
        iss::group(m, s),
        identity::group(m, s),
        jwks::group(m, s),
        strip::group(s),
    ]
}
