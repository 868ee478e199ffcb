//! `user_payload` (rule watson.user-payload): encrypted to the service's own RSA key the
//! way node-rsa's default `encrypt(…, 'base64')` does it (RSA-OAEP SHA-1 blocks,
//! concatenated, standard base64), decrypted here when a [`DecryptionKey`] is configured.

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use serde_json::Value;

use super::{DecryptionKey, UserPayload};
use crate::error::Error;
use crate::json;

/// node-rsa's `'base64'` output: the standard alphabet with padding, canonical.
pub(super) const STANDARD_PADDED: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_encode_padding(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(false),
);

/// The `user_payload` claim: absent, a string passed through untouched when no key is
/// configured, or decrypted with the key; any other JSON type is `claim_invalid`.
pub(super) fn user_payload(
    claims: &json::Object,
    key: Option<&DecryptionKey>,
) -> Result<Option<UserPayload>, Error> {
    let text = match claims.get("user_payload") {
        None => return Ok(None),
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(Error::ClaimInvalid {
                claim: "user_payload".into(),
                detail: format!(
                    "JSON {}, not a string (base64 ciphertext)",
                    json::kind(&other)
                ),
            })
        }
    };
    match key {
        None => Ok(Some(UserPayload::Encrypted(text))),
        Some(key) => decrypt_user_payload(&text, key).map(|v| Some(UserPayload::Decrypted(v))),
    }
}

/// Decrypts a `user_payload` as node-rsa's `encrypt(text, 'base64')` makes it: canonical
/// standard base64 (padded), whole RSA-OAEP blocks, the decrypted bytes concatenated and
/// only then read as UTF-8, which must be strict JSON holding an object.
pub fn decrypt_user_payload(text: &str, key: &DecryptionKey) -> Result<Value, Error> {
    let undecryptable = |detail: String| Error::PayloadUndecryptable {
        claim: "user_payload",
        detail,
    };
    // Unpadded or base64url text is `either` in docs/rules.md; the reference rejects it.
    let bytes = STANDARD_PADDED.decode(text).map_err(|e| {
        undecryptable(format!(
            "not canonical padded standard base64 (node-rsa's 'base64'): {e}"
        ))
    })?;
    let plain = key
        .decrypt(&bytes)
        .map_err(|e| undecryptable(format!("under key {}: {e}", key.label())))?;
    let text = String::from_utf8(plain).map_err(|e| {
        undecryptable(format!(
            "the decrypted bytes are not UTF-8 (at byte {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    let value = json::parse_value(text.as_bytes(), json::DEFAULT_MAX_DEPTH)
        .map_err(|e| undecryptable(format!("the decrypted text is not JSON: {e}")))?;
    if !value.is_object() {
        // `either` in docs/rules.md ("the userPayload is stringified JSON"); the reference
        // rejects anything but an object, which is what the dialog's context reads.
        return Err(undecryptable(format!(
            "the decrypted text is JSON {}, not an object",
            json::kind(&value)
        )));
    }
    Ok(value)
}
