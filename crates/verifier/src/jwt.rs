//! Profile `core`: a generic signed JWT under the core rules, one algorithm fixed by
//! configuration. The core vectors run here; every named profile builds on the same steps.

use crate::alg::Alg;
use crate::claims::{self, TimeRules};
use crate::error::Error;
use crate::jose::{self, Limits, Payload};
use crate::json;
use crate::keys::KeySet;

/// What the verifier is configured with.
#[derive(Clone, Debug)]
pub struct Policy {
    /// The one algorithm accepted; the key decides it, never the header.
    pub alg: Alg,
    /// Time claim rules and skew.
    pub time: TimeRules,
    /// Size and depth bounds.
    pub limits: Limits,
}

/// A verified token.
#[derive(Clone, Debug)]
pub struct Verified {
    /// The protected header: validated, each member read when asked for.
    pub header: json::Object,
    /// The claims set: validated, each member read when asked for ([`json::Object::get`],
    /// or [`json::Object::to_map`] for all of them).
    pub claims: json::Object,
    /// The `kid` of the key that verified, if it has one.
    pub key_id: Option<String>,
}

/// Verifies a compact JWT: structure, alg, key, signature, then claims (core.order).
pub fn verify(token: &str, keys: &KeySet, policy: &Policy, now: i64) -> Result<Verified, Error> {
    let parsed = jose::parse(token, &policy.limits, Payload::JsonObject)?;
    // rule: core.alg, core.alg-confusion — only the configured algorithm; an HS256 token
    // against an RSA or EC configuration never reaches a key.
    let alg = jose::check_alg(&parsed, &[policy.alg])?;
    let key = jose::verify_signature(&parsed, alg, keys)?;
    let claims = parsed.claims.unwrap_or_default();
    // rule: core.order — claims only now.
    claims::check_times(&claims, now, &policy.time)?;
    // rule: core.aud-unexpected — no audience configured: a present `aud` is accepted.
    Ok(Verified {
        header: parsed.header,
        claims,
        key_id: key.kid.clone(),
    })
}
