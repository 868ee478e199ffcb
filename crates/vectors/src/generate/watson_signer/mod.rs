//! Profile `watson-signer` (the signer role of IBM's "Securing the web chat": the
//! customer's `mockLogin`): the app's request `{"user_id", "payload"?}` under a
//! configuration `{"signing_key": private RSA JWK, "issuer", "ibm_public_key": RSA JWK,
//! "decryption_key": IBM's private RSA JWK}` (the last for grading only); a correct signer
//! answers `{"token"}`, graded in canonical form (jwtc-harness `grade::signer`), or
//! refuses. Nothing is minted here: the cases are requests.
//!
//! One file per vector group (`watson_signer/<group>.rs` makes `vectors/watson/<group>.json`);
//! this file holds what the groups share.

mod mint;

use serde_json::{json, Value};

use crate::model::VectorFile;

const ISS: &str = "www.example.com";
const SIGNER: &str = "rsa-2048-a";
const IBM: &str = "rsa-2048-b";

/// The configuration, signing with `signer`.
fn ctx(signer: &str) -> Value {
    json!({"signing_key": signer, "issuer": ISS, "ibm_public_key": IBM, "decryption_key": IBM})
}

fn user(id: Value) -> Value {
    json!({ "user_id": id })
}

pub(super) fn files() -> Vec<VectorFile> {
    vec![mint::group()]
}
