//! The compact-JWS pipeline shared by every profile. Order is precedence (core.order):
//! size › structure (segments, base64url, JSON, header parameters) › alg › key › signature.
//! Claims are looked at only after this returns (see [`crate::claims`]).

use serde_json::{Map, Value};

use crate::alg::Alg;
use crate::error::{Error, Segment};
use crate::json;
use crate::keys::{Key, KeySet};
use crate::{b64, json::DEFAULT_MAX_DEPTH};

/// The default bound on a token's length (profiles.md core.size).
pub const DEFAULT_MAX_TOKEN_LEN: usize = 16 * 1024;

/// Resource bounds applied before and during decoding.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Longest token accepted, checked before any decoding (core.size).
    pub max_token_len: usize,
    /// Deepest JSON nesting accepted in header and payload (core.json).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_token_len: DEFAULT_MAX_TOKEN_LEN,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

/// What the payload must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Payload {
    /// A JWT: the payload is a strict JSON object (the claims set).
    JsonObject,
    /// Plain JWS: any bytes.
    Bytes,
}

/// A token that is well formed; nothing about it is trusted yet.
#[derive(Clone, Debug)]
pub struct Parsed<'t> {
    /// The protected header.
    pub header: Map<String, Value>,
    /// The decoded payload bytes.
    pub payload: Vec<u8>,
    /// The claims, when the payload was parsed as a JSON object.
    pub claims: Option<Map<String, Value>>,
    /// The decoded signature.
    pub signature: Vec<u8>,
    /// `BASE64URL(header) '.' BASE64URL(payload)`: what was signed.
    pub signing_input: &'t str,
}

impl Parsed<'_> {
    /// The header's `kid`, already checked to be a string if present.
    pub fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }
}

/// Structure only: size, segments, base64url, JSON, and the header parameters whose
/// form is refused whatever the key (`typ`, `cty`, `crit`, `b64`, `kid`).
pub fn parse<'t>(token: &'t str, limits: &Limits, payload: Payload) -> Result<Parsed<'t>, Error> {
    // rule: core.size — before any decoding work.
    if token.len() > limits.max_token_len {
        return Err(Error::TooLarge {
            len: token.len(),
            max: limits.max_token_len,
        });
    }
    // rule: core.segments
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(Error::Segments { count: parts.len() });
    }
    let (h, p, s) = (parts[0], parts[1], parts[2]);
    if h.is_empty() {
        return Err(Error::EmptySegment {
            segment: Segment::Header,
        });
    }
    if s.is_empty() {
        return Err(Error::EmptySegment {
            segment: Segment::Signature,
        });
    }
    // rule: core.base64url, core.json
    let header_bytes = b64::decode(h).map_err(|detail| Error::Base64 {
        segment: Segment::Header,
        detail,
    })?;
    let header =
        json::parse_object(&header_bytes, limits.max_depth).map_err(|detail| Error::Json {
            segment: Segment::Header,
            detail,
        })?;
    let payload_bytes = b64::decode(p).map_err(|detail| Error::Base64 {
        segment: Segment::Payload,
        detail,
    })?;
    let claims = match payload {
        Payload::Bytes => None,
        Payload::JsonObject => Some(
            json::parse_object(&payload_bytes, limits.max_depth).map_err(|detail| Error::Json {
                segment: Segment::Payload,
                detail,
            })?,
        ),
    };
    let signature = b64::decode(s).map_err(|detail| Error::Base64 {
        segment: Segment::Signature,
        detail,
    })?;
    check_header(&header)?;
    Ok(Parsed {
        header,
        payload: payload_bytes,
        claims,
        signature,
        signing_input: &token[..h.len() + 1 + p.len()],
    })
}

fn check_header(header: &Map<String, Value>) -> Result<(), Error> {
    let bad = |param: &'static str, detail: String| Error::HeaderParam { param, detail };
    // rule: core.typ
    match header.get("typ") {
        None => {}
        Some(Value::String(t)) => {
            let t = t.to_ascii_lowercase();
            if t != "jwt" && t != "application/jwt" {
                // `either` in profiles.md; the reference takes the strict side.
                return Err(bad("typ", format!("{t:?} is not JWT or application/jwt")));
            }
        }
        Some(other) => return Err(bad("typ", format!("a {}, not a string", json::kind(other)))),
    }
    match header.get("cty") {
        None => {}
        Some(Value::String(c)) if c.eq_ignore_ascii_case("jwt") => {
            return Err(bad("cty", "\"JWT\": nested tokens are not accepted".into()))
        }
        Some(Value::String(_)) => {}
        Some(other) => return Err(bad("cty", format!("a {}, not a string", json::kind(other)))),
    }
    // rule: core.crit — the verifier implements no extension, so any crit is refused.
    if let Some(crit) = header.get("crit") {
        let detail = match crit {
            Value::Array(a) if a.is_empty() => "empty (RFC 7515 §4.1.11 forbids it)".to_string(),
            Value::Array(a) if a.iter().all(Value::is_string) => {
                "names an extension this verifier does not implement".to_string()
            }
            Value::Array(_) => "holds a non-string".to_string(),
            other => format!("is a {}, not an array", json::kind(other)),
        };
        return Err(Error::Critical {
            crit: crit.to_string(),
            detail,
        });
    }
    match header.get("b64") {
        None | Some(Value::Bool(true)) => {}
        Some(Value::Bool(false)) => {
            return Err(bad(
                "b64",
                "false: unencoded payloads (RFC 7797) are not accepted".into(),
            ))
        }
        Some(other) => {
            return Err(bad(
                "b64",
                format!("a {}, not a boolean", json::kind(other)),
            ))
        }
    }
    // rule: core.keys — kid is an opaque string.
    match header.get("kid") {
        None | Some(Value::String(_)) => {}
        Some(other) => return Err(bad("kid", format!("a {}, not a string", json::kind(other)))),
    }
    // rule: core.embedded-key — jwk, x5c, x5u and jku are ignored here: never a source of trust.
    Ok(())
}

/// The header's `alg`, which must be exactly one of `allowed` (rule core.alg).
pub fn check_alg(parsed: &Parsed<'_>, allowed: &[Alg]) -> Result<Alg, Error> {
    let names = || {
        allowed
            .iter()
            .map(|a| a.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let shown = match parsed.header.get("alg") {
        None => "(missing)".to_string(),
        Some(Value::String(s)) => {
            if let Some(a) = allowed.iter().copied().find(|a| a.name() == s) {
                return Ok(a);
            }
            format!("{s:?}")
        }
        Some(other) => format!("(a {})", json::kind(other)),
    };
    Err(Error::AlgNotAllowed {
        alg: shown,
        allowed: names(),
    })
}

/// Verifies the signature with every candidate key (rule core.keys) until one succeeds.
pub fn verify_signature<'k>(
    parsed: &Parsed<'_>,
    alg: Alg,
    keys: &'k KeySet,
) -> Result<&'k Key, Error> {
    let kid = parsed.kid();
    let mut tried = 0;
    let mut last = String::new();
    for key in keys.candidates(alg, kid) {
        tried += 1;
        match alg.verify(
            &key.material,
            parsed.signing_input.as_bytes(),
            &parsed.signature,
        ) {
            Ok(()) => return Ok(key),
            Err(why) => last = why,
        }
    }
    if tried == 0 {
        return Err(Error::KeyUnknown {
            alg: alg.name().into(),
            kid: kid.map_or("(none)".to_string(), |k| format!("{k:?}")),
        });
    }
    Err(Error::BadSignature {
        alg: alg.name().into(),
        detail: last,
        candidates: tried,
    })
}
