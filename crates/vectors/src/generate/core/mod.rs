//! Profile `core`: the core.* rules of docs/rules.md, under a generic JWT verifier
//! configured with one algorithm, its keys and a skew.
//!
//! One file per vector group (`core/<group>.rs` makes `vectors/core/<group>.json`); this
//! file holds what the groups share: the issuer, default claims, keys, header and context.

mod alg;
mod alg_confusion;
mod alg_confusion_pem;
mod aud_unexpected;
mod base64url;
mod crit;
mod embedded_key;
mod exp;
mod json;
mod keys;
mod nbf;
mod numeric_date;
mod order;
mod resource;
mod segments;
mod sig_es256;
mod sig_hs256;
mod sig_rs256;
mod size;
mod typ;

use serde_json::{json, Value};

use crate::mint::Mint;
use crate::model::VectorFile;

const ISS: &str = "https://issuer.jwtc.example";

fn claims(now: i64) -> Value {
    json!({"iss": ISS, "sub": "user-1", "iat": now - 60, "exp": now + 3600})
}

fn key_for(alg: &str) -> &'static str {
    match alg {
        "HS256" => "hs256-a",
        "ES256" => "p256-a",
        _ => "rsa-2048-a",
    }
}

fn ctx(alg: &str, keys: Value) -> Value {
    json!({"algorithm": alg, "keys": keys, "skew": 0})
}

fn ctx_skew(alg: &str, keys: Value, skew: i64) -> Value {
    json!({"algorithm": alg, "keys": keys, "skew": skew})
}

fn default_ctx(alg: &str) -> Value {
    ctx(alg, json!([key_for(alg)]))
}

fn hdr(alg: &str) -> Value {
    json!({"alg": alg, "kid": key_for(alg)})
}

fn out(claims: &Value) -> Value {
    json!({ "claims": claims })
}

pub(super) fn files(m: &Mint<'_>, now: i64) -> Vec<VectorFile> {
    vec![
        segments::group(m, now),
        base64url::group(m, now),
        json::group(m, now),
        size::group(m, now),
        resource::group(m, now),
        alg::group(m, now),
        alg_confusion::group(m, now),
        alg_confusion_pem::group(m, now),
        typ::group(m, now),
        crit::group(m, now),
        embedded_key::group(m, now),
        keys::group(m, now),
        sig_hs256::group(m, now),
        sig_es256::group(m, now),
        sig_rs256::group(m, now),
        numeric_date::group(m, now),
        exp::group(m, now),
        nbf::group(m, now),
        aud_unexpected::group(m, now),
        order::group(m, now),
    ]
}
