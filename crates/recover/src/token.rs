//! A compact JWS read just far enough for recovery and cracking: the header's `alg`, the
//! signing input (the first two segments, as sent) and the signature bytes. Nothing is
//! verified here.

use jwtc_verifier::{b64, Alg};

/// The parts of a compact token that recovery and cracking use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The header's `alg`, parsed.
    pub alg: Alg,
    /// `header.payload` exactly as in the token: the bytes that were signed.
    pub input: Vec<u8>,
    /// The third segment, decoded.
    pub signature: Vec<u8>,
}

/// Why a text is not a token this crate can use.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    /// Not three dot-separated segments.
    #[error("{what} is not a compact JWS: {segments} dot-separated segment(s), 3 expected")]
    Segments { what: String, segments: usize },
    /// A segment that is not base64url.
    #[error("{what}: the {segment} segment is not base64url: {reason}")]
    Base64 {
        what: String,
        segment: &'static str,
        reason: String,
    },
    /// A header that is not a JSON object with a string `alg`.
    #[error("{what}: the header {reason}")]
    Header { what: String, reason: String },
    /// An `alg` the suite does not know.
    #[error("{what}: the header's alg {alg:?} is not a JWS algorithm jwtc knows")]
    UnknownAlg { what: String, alg: String },
}

/// Reads `text` (surrounding whitespace ignored) as a compact token; `what` names it in
/// errors ("the first token").
pub fn parse(text: &str, what: &str) -> Result<Token, Error> {
    let text = text.trim();
    let parts: Vec<&str> = text.split('.').collect();
    let [header, payload, signature] = parts[..] else {
        return Err(Error::Segments {
            what: what.to_owned(),
            segments: parts.len(),
        });
    };
    let decode = |segment: &'static str, s: &str| {
        b64::decode(s).map_err(|reason| Error::Base64 {
            what: what.to_owned(),
            segment,
            reason,
        })
    };
    let header_bytes = decode("header", header)?;
    let signature = decode("signature", signature)?;
    let bad_header = |reason: String| Error::Header {
        what: what.to_owned(),
        reason,
    };
    let json: serde_json::Value = serde_json::from_slice(&header_bytes)
        .map_err(|e| bad_header(format!("is not JSON: {e}")))?;
    let alg = match json.get("alg") {
        Some(serde_json::Value::String(alg)) => alg,
        Some(other) => return Err(bad_header(format!("has alg {other}, not a string"))),
        None if json.is_object() => return Err(bad_header("has no alg".to_owned())),
        None => return Err(bad_header(format!("is {json}, not a JSON object"))),
    };
    let alg = Alg::parse(alg).ok_or_else(|| Error::UnknownAlg {
        what: what.to_owned(),
        alg: alg.clone(),
    })?;
    Ok(Token {
        alg,
        input: format!("{header}.{payload}").into_bytes(),
        signature,
    })
}
