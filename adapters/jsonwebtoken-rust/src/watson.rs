//! IBM Watson Assistant web chat security (IBM's "Securing the web chat"): the service's side.
//!
//! The library: `decode` with `Validation::new(RS256)`, the claims the seed lists as
//! required (`set_required_spec_claims(&["exp", "iss", "sub"])`), `leeway` = the
//! context's skew, `nbf` validated, `reject_tokens_expiring_in_less_than` = 1 (the seed's
//! exp is the time "on or after which the JWT cannot be accepted"), `set_issuer` when the
//! context configures one, and the session's pinned user as `Validation::sub` ("After
//! you set the value of the sub claim … you cannot change the claim to another user").
//!
//! The glue: a message without a token; `sub`'s syntax ("the syntax must meet the
//! requirements for header fields as defined in RFC 7230 (all visible ASCII
//! characters)"); `user_payload`, node-rsa's `encrypt(text, 'base64')` with its default
//! scheme (RSA-OAEP, SHA-1, MGF1-SHA-1, one modulus-length block per chunk), decrypted
//! with the RustCrypto `rsa` crate's `Oaep` (blinded: RUSTSEC-2023-0071).

use crate::compat::AlgorithmFamily;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use jsonwebtoken::{Algorithm, Validation};
use rsa::rand_core::OsRng;
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, Oaep, RsaPrivateKey};
use serde_json::{json, Value};

use crate::clock::pin;
use crate::core::{skew, tri, REJECT_EXPIRING_IN_LESS_THAN};
use crate::keys::{self, load_all, verify};
use crate::verdict::{Reject, Verdict};

#[derive(Default)]
pub struct Session {
    /// The user of the session: the `sub` of its first accepted token.
    user: Option<String>,
}

impl Session {
    pub fn step(&mut self, input: &Value, context: &Value, now: u64) -> Verdict {
        // "each message that is submitted from your web chat implementation must include
        // the JSON Web Token" (the web chat treats identityToken '' as no token).
        let token = match input.get("token") {
            None | Some(Value::Null) => {
                return Verdict::reject("token_missing", "the message carries no token")
            }
            Some(Value::String(t)) if t.is_empty() => {
                return Verdict::reject("token_missing", "the token is the empty string")
            }
            Some(Value::String(t)) => t.as_str(),
            Some(other) => {
                return Verdict::reject("malformed", format!("the token is not a string: {other}"))
            }
        };
        let list = tri!(keys::list(context, "keys").map_err(Verdict::Error));
        let (keys, notes) = load_all(list, Some(AlgorithmFamily::Rsa));
        let decryption_key = match context.get("decryption_key") {
            None | Some(Value::Null) => None,
            Some(jwk) => Some(tri!(
                private_key(jwk).map_err(|e| Verdict::Error(format!("decryption_key: {e}")))
            )),
        };

        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.leeway = tri!(skew(context));
        validation.reject_tokens_expiring_in_less_than = REJECT_EXPIRING_IN_LESS_THAN;
        if let Some(issuer) = context.get("issuer").and_then(Value::as_str) {
            validation.set_issuer(&[issuer]);
        }
        validation.sub = self.user.clone();
        let (validation, clock) = pin(validation, now);

        let claims = match verify(token, &keys, &validation, &clock, &notes) {
            Ok(data) => data.claims,
            Err(r) => return Verdict::Reject(r),
        };
        let result = output(&claims, decryption_key.as_ref());
        if let (Ok(out), None) = (&result, &self.user) {
            self.user = out
                .get("user_id")
                .and_then(Value::as_str)
                .map(str::to_owned);
        }
        result.into()
    }
}

fn output(claims: &Value, decryption_key: Option<&RsaPrivateKey>) -> Result<Value, Reject> {
    // Present and a string: the library's required-claim check parsed it as one.
    let sub = claims
        .get("sub")
        .and_then(Value::as_str)
        .ok_or_else(|| Reject::new("claim_invalid", "sub is not a string"))?;
    if sub.is_empty() {
        return Err(Reject::new(
            "claim_invalid",
            "sub is empty: the user id names no one",
        ));
    }
    if let Some((i, c)) = sub
        .char_indices()
        .find(|(_, c)| !matches!(c, '\x21'..='\x7e'))
    {
        return Err(Reject::new(
            "claim_invalid",
            format!("sub holds {c:?} at byte {i}: not visible ASCII (RFC 7230), and it is sent in a header"),
        ));
    }
    let mut out = json!({ "user_id": sub });
    match claims.get("user_payload") {
        None => {}
        Some(Value::String(text)) => {
            out["user_payload"] = match decryption_key {
                None => json!(text),
                Some(key) => decrypt_payload(key, text)?,
            };
        }
        Some(other) => {
            return Err(Reject::new(
                "claim_invalid",
                format!("user_payload is not a string: {other}"),
            ))
        }
    }
    Ok(out)
}

/// node-rsa's `encrypt(JSON text, 'base64')` undone: base64, then each modulus-length
/// block RSA-OAEP (SHA-1) decrypted, the blocks' bytes joined, then UTF-8 JSON.
fn decrypt_payload(key: &RsaPrivateKey, text: &str) -> Result<Value, Reject> {
    let undecryptable = |why: String| Reject::new("payload_undecryptable", why);
    let bytes = STANDARD
        .decode(text)
        .map_err(|e| undecryptable(format!("user_payload is not base64: {e}")))?;
    let k = key.size();
    if bytes.is_empty() || bytes.len() % k != 0 {
        return Err(undecryptable(format!(
            "user_payload is {} bytes, not a whole number of {k}-byte blocks",
            bytes.len()
        )));
    }
    let n = bytes.len() / k;
    let mut plain = Vec::with_capacity(bytes.len());
    for (i, block) in bytes.chunks(k).enumerate() {
        let part = key
            .decrypt_blinded(&mut OsRng, Oaep::new::<sha1::Sha1>(), block)
            .map_err(|_| {
                undecryptable(format!("block {} of {n}: OAEP decryption failed", i + 1))
            })?;
        plain.extend_from_slice(&part);
    }
    let text = String::from_utf8(plain)
        .map_err(|e| undecryptable(format!("the plaintext is not UTF-8: {e}")))?;
    serde_json::from_str(&text)
        .map_err(|e| undecryptable(format!("the plaintext is not JSON: {e}")))
}

/// A private RSA JWK (`n`, `e`, `d`, and `p`, `q` when given): IBM's key pair, or the
/// customer's signing key (`signer.rs`).
pub(crate) fn private_key(jwk: &Value) -> Result<RsaPrivateKey, String> {
    let int = |name: &str| -> Result<Option<BigUint>, String> {
        match jwk.get(name).and_then(Value::as_str) {
            None => Ok(None),
            Some(s) => base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(s)
                .map(|b| Some(BigUint::from_bytes_be(&b)))
                .map_err(|e| format!("{name}: {e}")),
        }
    };
    if jwk.get("kty").and_then(Value::as_str) != Some("RSA") {
        return Err("not an RSA JWK".into());
    }
    let need = |name: &str| int(name)?.ok_or_else(|| format!("no {name}"));
    let (n, e, d) = (need("n")?, need("e")?, need("d")?);
    let key = match (int("p")?, int("q")?) {
        (Some(p), Some(q)) => RsaPrivateKey::from_components(n, e, d, vec![p, q]),
        _ => RsaPrivateKey::from_components(n, e, d, vec![]),
    }
    .map_err(|e| e.to_string())?;
    key.validate().map_err(|e| e.to_string())?;
    Ok(key)
}
