//! Profile `jws`: plain RFC 7515 compact verification for external vector sets
//! (Wycheproof). No claims; the payload may be any bytes.

use crate::alg::Alg;
use crate::error::Error;
use crate::jose::{self, Limits, Payload};
use crate::json;
use crate::keys::KeySet;

/// A verified JWS.
#[derive(Clone, Debug)]
pub struct Verified {
    /// The protected header: validated, each member read when asked for.
    pub header: json::Object,
    /// The payload bytes.
    pub payload: Vec<u8>,
}

/// Verifies a compact JWS with any of `algorithms`; the key's `alg` and family decide.
pub fn verify(
    token: &str,
    keys: &KeySet,
    algorithms: &[Alg],
    limits: &Limits,
) -> Result<Verified, Error> {
    // rule: external.wycheproof-jws, external.wycheproof-jwk — Wycheproof's JWS cases, with
    // one key or against a key set, run here under the core rules.
    let parsed = jose::parse(token, limits, Payload::Bytes)?;
    let alg = jose::check_alg(&parsed, algorithms)?;
    jose::verify_signature(&parsed, alg, keys)?;
    Ok(Verified {
        header: parsed.header,
        payload: parsed.payload,
    })
}
