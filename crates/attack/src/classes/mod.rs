//! The attack classes, one module per family; this file holds what they share (the
//! token, the key or secret, the attacker's key and origins) and lists them in order.

mod claims;
mod embed;
mod format;
mod sig;
mod vendor;

use serde_json::{json, Value};

use jwtc_vectors::mint::{hmac, Mint};
use jwtc_verifier::b64;

use crate::attack::Attack;
use crate::key::PublicKey;
use crate::profile::{Frame, Secret};
use crate::token::Token;

/// The attacker's origins on the probe's key server (`host:port`), which serve the
/// attacker's JWK Set (vectors/keys p256-b and rsa-2048-b) at every path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attacker {
    /// The plain http attacker origin.
    pub http: String,
    /// The https attacker origin.
    pub https: String,
}

impl Default for Attacker {
    /// `jwtc probe`'s default attacker ports on 127.0.0.1.
    fn default() -> Attacker {
        Attacker {
            http: "127.0.0.1:47302".into(),
            https: "127.0.0.1:47304".into(),
        }
    }
}

/// What every class reads.
pub struct Ctx<'a> {
    /// The user's token.
    pub token: &'a Token,
    /// The public key, if given.
    pub key: Option<&'a PublicKey>,
    /// The HMAC secret, if given.
    pub secret: Option<&'a Secret>,
    /// Signs with the suite's keys (the attacker's).
    pub mint: &'a Mint<'a>,
    /// The attacker's origins.
    pub attacker: &'a Attacker,
    /// The profile, context and clock.
    pub frame: &'a Frame,
}

/// Every attack on the token, the control first.
pub fn all(c: &Ctx<'_>) -> Vec<Attack> {
    let mut out = vec![Attack {
        verdict: jwtc_vectors::model::Verdict::Accept,
        ..Attack::new(
            "control",
            "unchanged",
            c.sig_rule(),
            jwtc_vectors::model::Severity::Low,
            "the token unchanged: a correct verifier accepts it (else every reject below proves nothing)",
            c.token.raw.clone(),
        )
    }];
    out.extend(sig::alg_none(c));
    out.extend(sig::signature(c));
    out.extend(sig::psychic(c));
    out.extend(sig::confusion(c));
    out.extend(embed::embedded(c));
    out.extend(embed::kid(c));
    out.extend(claims::tampered(c));
    out.extend(claims::types(c));
    out.extend(claims::resigned(c));
    out.extend(format::format(c));
    out.extend(format::resource(c));
    out.extend(vendor::attacks(c));
    out
}

impl Ctx<'_> {
    /// The signature rule of the token's algorithm.
    pub fn sig_rule(&self) -> &'static str {
        match self.token.family() {
            "HS" => "core.sig-hs256",
            "ES" => "core.sig-es256",
            _ => "core.sig-rs256",
        }
    }

    /// A compact token from header and payload segments, signed with the secret when one
    /// is given for an HS token (then true), else carrying the original signature.
    pub fn sign_or_keep(&self, h64: &str, p64: &str) -> (String, bool) {
        match (self.token.family(), self.secret) {
            ("HS", Some(s)) => {
                let mac = hmac(&self.token.alg, &s.bytes, format!("{h64}.{p64}").as_bytes());
                (format!("{h64}.{p64}.{}", b64::encode(mac)), true)
            }
            _ => (format!("{h64}.{p64}.{}", self.token.s64), false),
        }
    }

    /// "re-signed with the secret" or "the original signature kept".
    pub fn how(resigned: bool) -> &'static str {
        if resigned {
            "re-signed with the given secret"
        } else {
            "the original signature kept"
        }
    }

    /// The attacker's key name and algorithm for the token's family.
    pub fn attacker_key(&self) -> (&'static str, &'static str) {
        match self.token.family() {
            "ES" => ("ES256", "p256-b"),
            _ => ("RS256", "rsa-2048-b"),
        }
    }

    /// A token signed by the attacker's key: `header` (alg set to the attacker's) over `claims`.
    pub fn attacker_sign(&self, header: Value, claims: &Value) -> String {
        let (alg, key) = self.attacker_key();
        let mut h = header;
        if let Some(o) = h.as_object_mut() {
            o.insert("alg".into(), json!(alg));
        }
        self.mint.jwt(alg, key, &h, claims)
    }

    /// The attacker's JWK Set, as the probe's key server serves it.
    pub fn attacker_jwks(&self) -> String {
        jwtc_probe::keyserver::jwks(self.mint.keys(), jwtc_probe::keyserver::ATTACKER_KEYS)
            .unwrap_or_default()
    }
}

/// base64url of a JSON value's compact text.
pub fn enc(v: &Value) -> String {
    b64::encode(v.to_string())
}
