//! Profile `watson`: IBM Watson Assistant web chat's identity token (IBM's "Securing the web chat").
//!
//! An RS256 JWT signed with the customer's private key and verified with the public key
//! pasted into the web chat's security settings. `sub` becomes the user id (and the
//! `customer_id` of the `X-Watson-Metadata` header); an optional `user_payload` is
//! encrypted to the service's own RSA key the way node-rsa's default `encrypt(…,
//! 'base64')` does it (RSA-OAEP SHA-1 blocks, concatenated, standard base64). A
//! [`Session`] pins its user id. Every rule is on the strict side of docs/rules.md's
//! `either`; docs/decisions.md § watson says where the seed was read.
//!
//! - this file: the configuration, the token's checks, the identity, the [`Session`];
//! - `payload.rs`: `user_payload`'s decryption ([`decrypt_user_payload`]), with the
//!   service's [`DecryptionKey`] (loaded by [`crate::keys`]).

use serde_json::{json, Value};

use crate::alg::{Alg, Family};
use crate::claims::{self, TimeRules};
use crate::error::Error;
use crate::jose::{self, Limits, Payload};
use crate::keys::{Key, KeySet};

mod payload;
#[cfg(test)]
mod tests;

pub use crate::keys::DecryptionKey;
pub use payload::decrypt_user_payload;

/// The one algorithm (rule watson.alg).
pub const ALG: Alg = Alg::RS256;

/// Loads the public keys the customer configured (JWKs): see [`key_set`].
pub fn load_keys(jwks: &[Value]) -> Result<(KeySet, Vec<Error>), Error> {
    key_set(jwks.iter().map(Key::from_jwk))
}

/// The customer's keys, parsed (JWK or PEM) by the caller: RSA only, a key of another
/// type refused as a configuration error naming it. Returns the usable keys and every
/// refused one (parse errors included).
pub fn key_set(
    keys: impl IntoIterator<Item = Result<Key, Error>>,
) -> Result<(KeySet, Vec<Error>), Error> {
    let mut ok = Vec::new();
    let mut refused = Vec::new();
    for key in keys {
        match key.and_then(rsa_only) {
            Ok(k) => ok.push(k),
            Err(e) => refused.push(e),
        }
    }
    Ok((KeySet::new(ok)?, refused))
}

/// Refuses a key that is not an RSA public key (Watson verifies RS256 only).
pub fn rsa_only(key: Key) -> Result<Key, Error> {
    if key.material.family() == Family::Rsa {
        return Ok(key);
    }
    Err(Error::KeyRefused {
        key: key.kid.clone().unwrap_or_else(|| "(no kid)".into()),
        reason: format!(
            "{}: Watson verifies RS256 only, with the customer's RSA public key",
            match key.material.family() {
                Family::Hmac => "an HMAC secret (kty oct)",
                Family::P256 => "an EC P-256 key",
                Family::Rsa => "an RSA key",
            }
        ),
    })
}

/// How the service is configured.
#[derive(Clone, Debug)]
pub struct Config {
    /// Compared with `iss` (exactly, case-sensitive) only when set; the seed configures none.
    pub issuer: Option<String>,
    /// The customer's RSA public keys.
    pub keys: KeySet,
    /// The service's key for `user_payload`; without it the ciphertext passes through.
    pub decryption_key: Option<DecryptionKey>,
    /// Seconds of clock skew allowed on `exp` and `nbf` (default 0).
    pub skew: i64,
    /// Size and depth bounds.
    pub limits: Limits,
}

impl Config {
    /// A configuration; a negative skew is refused.
    pub fn new(
        issuer: Option<String>,
        keys: KeySet,
        decryption_key: Option<DecryptionKey>,
        skew: i64,
    ) -> Result<Config, Error> {
        if skew < 0 {
            return Err(Error::Config {
                detail: format!("skew {skew} is negative"),
            });
        }
        Ok(Config {
            issuer,
            keys,
            decryption_key,
            skew,
            limits: Limits::default(),
        })
    }
}

/// `user_payload` as it comes out.
#[derive(Clone, Debug, PartialEq)]
pub enum UserPayload {
    /// Decrypted: the JSON object the customer encrypted.
    Decrypted(Value),
    /// No decryption key configured: the ciphertext, untouched.
    Encrypted(String),
}

/// Who the token says the user is.
#[derive(Clone, Debug, PartialEq)]
pub struct Identity {
    /// `sub`: the user id (`context.global.system.user_id`, `customer_id`).
    pub user_id: String,
    /// `user_payload`, when the token has one.
    pub user_payload: Option<UserPayload>,
}

impl Identity {
    /// The protocol's output: `{"user_id", "user_payload"?}`.
    pub fn to_json(&self) -> Value {
        let mut out = json!({ "user_id": self.user_id });
        match &self.user_payload {
            None => {}
            Some(UserPayload::Decrypted(v)) => out["user_payload"] = v.clone(),
            Some(UserPayload::Encrypted(s)) => out["user_payload"] = Value::String(s.clone()),
        }
        out
    }
}

/// Verifies one message's token (`None`: the message carries none).
pub fn verify(token: Option<&str>, config: &Config, now: i64) -> Result<Identity, Error> {
    // rule: watson.token — an empty string is no token (the web chat treats it so).
    let token = match token {
        None => {
            return Err(Error::TokenMissing {
                detail: "security is on and the message carries no identity token".into(),
            })
        }
        Some("") => {
            return Err(Error::TokenMissing {
                detail: "security is on and the identity token is the empty string".into(),
            })
        }
        Some(t) => t,
    };
    let parsed = jose::parse(token, &config.limits, Payload::JsonObject)?;
    // rule: watson.alg
    let alg = jose::check_alg(&parsed, &[ALG])?;
    jose::verify_signature(&parsed, alg, &config.keys)?;
    let claims = parsed.claims.unwrap_or_default();

    // rule: watson.iss
    let iss = claims::required_str(&claims, "iss")?;
    if let Some(expected) = &config.issuer {
        if iss != expected.as_str() {
            return Err(Error::IssuerMismatch {
                expected: expected.clone(),
                got: iss.into_owned(),
            });
        }
    }
    // rule: watson.sub
    let sub = claims::required_str(&claims, "sub")?;
    check_sub(&sub)?;
    // rule: watson.exp — required; exp == now rejects ("on or after which").
    claims::check_times(
        &claims,
        now,
        &TimeRules {
            skew: config.skew,
            require_exp: true,
            require_iat: false,
            iat_not_in_future: false,
        },
    )?;
    // rule: watson.user-payload
    let user_payload = payload::user_payload(&claims, config.decryption_key.as_ref())?;
    Ok(Identity {
        user_id: sub.into_owned(),
        user_payload,
    })
}

/// `sub` is a non-empty string of visible ASCII (RFC 7230 VCHAR, 0x21–0x7E) without `;`
/// or `=` (it becomes `customer_id` inside the `X-Watson-Metadata` header).
pub fn check_sub(sub: &str) -> Result<(), Error> {
    let bad = |detail: String| Error::ClaimInvalid {
        claim: "sub".into(),
        detail,
    };
    if sub.is_empty() {
        return Err(bad("empty: the user id must be a non-empty string".into()));
    }
    for (i, c) in sub.char_indices() {
        if !('\x21'..='\x7e').contains(&c) {
            return Err(bad(format!(
                "{c:?} (U+{:04X}) at byte {i} is not visible ASCII (RFC 7230 VCHAR 0x21-0x7E): sub is sent in a header",
                c as u32
            )));
        }
        if c == ';' || c == '=' {
            // `either` in docs/rules.md; the reference rejects.
            return Err(bad(format!(
                "{c:?} at byte {i}: IBM's customer_id forbids ';' and '=' (they would add a field to X-Watson-Metadata)"
            )));
        }
    }
    Ok(())
}

/// One web chat session: the first accepted token pins the user id.
#[derive(Clone, Debug, Default)]
pub struct Session {
    pinned: Option<String>,
}

impl Session {
    /// A session with no user yet.
    pub fn new() -> Session {
        Session::default()
    }

    /// The pinned user id, once a token was accepted.
    pub fn user_id(&self) -> Option<&str> {
        self.pinned.as_deref()
    }

    /// Verifies a token in this session. Only an accepted token pins the user id; a
    /// later token (a refresh included) naming another `sub` rejects `subject_changed`.
    pub fn verify(
        &mut self,
        token: Option<&str>,
        config: &Config,
        now: i64,
    ) -> Result<Identity, Error> {
        let identity = verify(token, config, now)?;
        // rule: watson.sub-pinning, watson.refresh
        match &self.pinned {
            Some(pinned) if *pinned != identity.user_id => Err(Error::SubjectChanged {
                pinned: pinned.clone(),
                got: identity.user_id,
            }),
            Some(_) => Ok(identity),
            None => {
                self.pinned = Some(identity.user_id.clone());
                Ok(identity)
            }
        }
    }
}
