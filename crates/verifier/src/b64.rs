//! Strict base64url (rule core.base64url): unpadded, URL-safe alphabet only, and
//! canonical (non-zero unused trailing bits are rejected: the strict side of an `either`).
//!
//! Two decoders, one answer. Every text is decoded first by base64-simd (AVX2 or SSSE3
//! when the CPU has them, chosen at run time), which is as strict as the rule; a text it
//! refuses is decoded again by the `base64` crate, whose answer is returned: its located
//! message (`Invalid symbol 43, offset 2.`) where base64-simd only says "Base64Error". So
//! what is accepted, and every message, is the `base64` crate's, provided base64-simd
//! accepts nothing the `base64` crate refuses and decodes alike: held by
//! `crates/verifier/tests/b64.rs` (every text of up to three symbols, every symbol at the
//! telling positions of 117 lengths to 261, random texts) and by the `parse` fuzz target
//! on every input.

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

/// The one engine the verifier decodes with.
pub const STRICT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(false),
);

/// The fast decoder tried first: the same alphabet, no padding, canonical trailing bits.
const FAST: base64_simd::Base64 = base64_simd::URL_SAFE_NO_PAD;

/// Decodes canonical unpadded base64url; the error says what was wrong and where.
pub fn decode(s: &str) -> Result<Vec<u8>, String> {
    match FAST.decode_to_vec(s) {
        Ok(bytes) => Ok(bytes),
        Err(_) => decode_slow(s),
    }
}

/// The `base64` crate's decoding: the reference for what is accepted, and the messages.
pub fn decode_slow(s: &str) -> Result<Vec<u8>, String> {
    STRICT.decode(s).map_err(|e| e.to_string())
}

/// The length canonical unpadded base64url of `len` symbols decodes to (for a length
/// no such text has, `len % 4 == 1`, a bound that the decoder then refuses).
fn decoded_len(len: usize) -> usize {
    len / 4 * 3 + (len % 4).saturating_sub(1)
}

/// Decodes canonical unpadded base64url into `out`, which must hold
/// [`base64::decoded_len_estimate`] bytes of `s`; returns the decoded length. The error is
/// [`decode`]'s, word for word.
pub fn decode_into(s: &str, out: &mut [u8]) -> Result<usize, String> {
    use base64::DecodeSliceError;
    if decoded_len(s.len()) <= out.len() {
        if let Ok(bytes) = FAST.decode(s.as_bytes(), base64_simd::Out::from_slice(out)) {
            return Ok(bytes.len());
        }
    }
    match STRICT.decode_slice(s, out) {
        Ok(n) => Ok(n),
        Err(DecodeSliceError::DecodeError(e)) => Err(e.to_string()),
        Err(DecodeSliceError::OutputSliceTooSmall) => Err(format!(
            "decodes to more than the {} bytes given (give decoded_len_estimate bytes)",
            out.len()
        )),
    }
}

/// Encodes as unpadded base64url.
pub fn encode(bytes: impl AsRef<[u8]>) -> String {
    STRICT.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_every_non_canonical_form() {
        assert_eq!(decode("Zm9v").unwrap(), b"foo");
        for bad in [
            "Zm9=", "Zm8=", "Zm+v", "Zm/v", "Zm 9v", "Zm9v\n", "Zm9", "Zh", "Z",
        ] {
            assert!(decode(bad).is_err(), "{bad:?} must be rejected");
        }
        // "Zg" is canonical for "f"; "Zh" has non-zero trailing bits.
        assert_eq!(decode("Zg").unwrap(), b"f");
        // decode_into: the same bytes and the same messages.
        for s in ["Zm9v", "Zg", "", "Zm9=", "Zh", "Z", "Zm+v", "AAAAAAAAAAAA"] {
            let mut buf = [0u8; 16];
            let into = decode_into(s, &mut buf).map(|n| buf[..n].to_vec());
            assert_eq!(into, decode(s), "{s:?}");
        }
    }
}
