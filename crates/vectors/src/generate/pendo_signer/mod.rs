//! Profile `pendo-signer` (the signer role of Pendo's "Snippet Installation using Signed
//! Metadata with JWT"): the app's request `{"visitor"?, "account"?}` under a configuration
//! `{"keys": [oct JWK, kid = key name], "active", "revoked"?}`; a correct signer answers
//! the options object `{"jwt", "signingKeyName"}`, graded in canonical form
//! (jwtc-harness `grade::signer`). Nothing is minted here: the cases are requests.
//!
//! One file per vector group (`pendo_signer/<group>.rs` makes `vectors/pendo/<group>.json`);
//! this file holds what the groups share.

mod mint;

use serde_json::{json, Value};

use crate::model::VectorFile;

/// The configuration: `keys` active, `active` the one the app signs with, `revoked` names.
fn ctx(keys: &[&str], active: &str, revoked: &[&str]) -> Value {
    let mut c = json!({"keys": keys, "active": active});
    if !revoked.is_empty() {
        c["revoked"] = json!(revoked);
    }
    c
}

/// A logged-in visitor of a paying account, as the seed's snippet shows them.
fn named() -> Value {
    json!({
        "visitor": {"id": "VISITOR-UNIQUE-ID", "email": "visitor@example.com", "full_name": "Ada Lovelace"},
        "account": {"id": "ACCOUNT-UNIQUE-ID", "is_paying": true}
    })
}

pub(super) fn files() -> Vec<VectorFile> {
    vec![mint::group()]
}
