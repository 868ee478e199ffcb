//! Profile `pendo` (Pendo's "Snippet Installation using Signed Metadata with JWT"): signed metadata events under a subscription's mode and
//! named HS256 keys. Keys `pendo-1` … `pendo-6` are secrets as Pendo shows them (text);
//! the HMAC key is the text's UTF-8 bytes, which is what their JWK `k` holds.
//!
//! One file per vector group (`pendo/<group>.rs` makes `vectors/pendo/<group>.json`);
//! this file holds what the groups share.

mod alg;
mod dedupe;
mod exp;
mod identity;
mod key_limit;
mod key_name;
mod mode;
mod no_jti;
mod nonce;
mod rotation;
mod visitor;

use serde_json::{json, Value};

use super::{CaseBuilder, Group};
use crate::mint::Mint;
use crate::model::VectorFile;

const VISITOR: &str = "VISITOR-UNIQUE-ID";
const ACCOUNT: &str = "ACCOUNT-UNIQUE-ID";

fn hdr() -> Value {
    json!({"alg": "HS256", "typ": "JWT"})
}

/// The seed's snippet payload: visitor, account, and a top-level nonce.
fn claims(nonce: &str) -> Value {
    json!({
        "visitor": {"id": VISITOR, "email": "visitor@example.com", "full_name": "Ada Lovelace"},
        "account": {"id": ACCOUNT, "is_paying": true},
        "nonce": nonce,
    })
}

fn ctx(mode: &str, keys: &[&str], revoked: &[&str]) -> Value {
    json!({"mode": mode, "keys": keys, "revoked": revoked})
}

fn allow() -> Value {
    ctx("allow", &["pendo-1", "pendo-2"], &[])
}

fn signed(id: &str, jwt: &str, key: &str) -> Value {
    json!({"event": {"id": id, "jwt": jwt, "signingKeyName": key}})
}

fn plain(id: &str, metadata: Value) -> Value {
    json!({"event": {"id": id, "metadata": metadata}})
}

fn out(visitor: Option<&str>, account: Option<&str>, signed: bool) -> Value {
    let mut o = json!({"anonymous": visitor.is_none(), "signed": signed});
    if let Some(v) = visitor {
        o["visitor_id"] = json!(v);
    }
    if let Some(a) = account {
        o["account_id"] = json!(a);
    }
    o
}

fn full(signed: bool) -> Value {
    out(Some(VISITOR), Some(ACCOUNT), signed)
}

fn tok(m: &Mint<'_>, key: &str, claims: &Value) -> String {
    m.jwt("HS256", key, &hdr(), claims)
}

/// A case whose event carries `claims` signed with pendo-1, in allow mode.
fn signed_case<'g>(
    g: &'g mut Group,
    m: &Mint<'_>,
    (name, rule): (&str, &str),
    severity: crate::model::Severity,
    description: &str,
    claims: &Value,
) -> CaseBuilder<'g> {
    g.case(name, rule, severity, description)
        .input(signed("e-1", &tok(m, "pendo-1", claims), "pendo-1"))
        .context(allow())
}

pub(super) fn files(m: &Mint<'_>, now: i64) -> Vec<VectorFile> {
    vec![
        alg::group(m),
        key_name::group(m),
        key_limit::group(m),
        nonce::group(m),
        visitor::group(m),
        identity::group(m),
        no_jti::group(m),
        exp::group(m, now),
        mode::group(m),
        rotation::group(m),
        dedupe::group(m),
    ]
}
