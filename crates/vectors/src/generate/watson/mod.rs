//! Profile `watson` (IBM's "Securing the web chat"): RS256 identity tokens signed by the customer
//! (`rsa-2048-a`), with `user_payload` encrypted to the service's key (`rsa-2048-b`)
//! exactly as node-rsa's default `encrypt(text, 'base64')` does
//! ([`crate::mint::node_rsa_encrypt`]). OAEP is randomised; the seeded generator keeps
//! the files byte-identical.
//!
//! One file per vector group (`watson/<group>.rs` makes `vectors/watson/<group>.json`);
//! this file holds what the groups share.

mod alg;
mod exp;
mod iss;
mod keys;
mod refresh;
mod sub;
mod sub_pinning;
mod token;
mod user_payload;

use serde_json::{json, Value};

use super::{CaseBuilder, Group};
use crate::mint::Mint;
use crate::model::Severity;
use crate::model::VectorFile;

const SUB: &str = "L12345";
const ISS: &str = "www.example.com";
const SIGNER: &str = "rsa-2048-a";
const SERVICE: &str = "rsa-2048-b";

fn hdr() -> Value {
    json!({"alg": "RS256", "typ": "JWT"})
}

/// The seed's payload as jsonwebtoken signs it with `expiresIn: '10000ms'`.
fn claims(now: i64) -> Value {
    json!({"sub": SUB, "iss": ISS, "iat": now, "exp": now + 10})
}

fn ctx() -> Value {
    json!({"keys": [SIGNER], "skew": 0})
}

fn out(user: &str) -> Value {
    json!({ "user_id": user })
}

fn tok(m: &Mint<'_>, claims: &Value) -> String {
    m.jwt("RS256", SIGNER, &hdr(), claims)
}

fn case<'g>(
    g: &'g mut Group,
    m: &Mint<'_>,
    (name, rule): (&str, &str),
    severity: Severity,
    description: &str,
    claims: &Value,
) -> CaseBuilder<'g> {
    g.case(name, rule, severity, description)
        .token(tok(m, claims))
        .context(ctx())
}

pub(super) fn files(m: &Mint<'_>, now: i64) -> Vec<VectorFile> {
    vec![
        alg::group(m, now),
        keys::group(m, now),
        token::group(m, now),
        iss::group(m, now),
        sub::group(m, now),
        exp::group(m, now),
        user_payload::group(m, now),
        sub_pinning::group(m, now),
        refresh::group(m, now),
    ]
}
