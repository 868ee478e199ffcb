//! The compact-JWS pipeline shared by every profile. Order is precedence (core.order):
//! size › structure (segments, base64url, JSON, header parameters) › alg › key › signature.
//! Claims are looked at only after this returns (see [`crate::claims`]).

use std::borrow::Cow;

use serde_json::Value;

use crate::alg::Alg;
use crate::error::{Error, Segment};
use crate::json;
use crate::keys::{Key, KeySet};
use crate::{b64, json::DEFAULT_MAX_DEPTH};

/// The default bound on a token's length (docs/rules.md core.size).
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

/// The longest signature kept inline: P-521's ECDSA signature (two 66-byte integers), so
/// every HMAC and ECDSA signature is decoded without an allocation. RSA signatures (256
/// bytes and up) go on the heap: one allocation is nothing beside an RSA verification,
/// where an inline buffer for the largest modulus (1 KiB) was zeroed and moved twice for
/// every token (a `memset` and `memmove`s in every profile of the HS256 parse layer).
const INLINE_SIGNATURE: usize = 132;

/// A decoded signature, inline when it is short.
#[derive(Clone)]
pub enum Signature {
    /// At most [`INLINE_SIGNATURE`] bytes: `buf[..len]`.
    Inline {
        /// The bytes, then unused zeros.
        buf: [u8; INLINE_SIGNATURE],
        /// How many of them are the signature.
        len: usize,
    },
    /// A longer one.
    Heap(Vec<u8>),
}

impl Signature {
    fn decode(s: &str) -> Result<Signature, String> {
        if base64::decoded_len_estimate(s.len()) <= INLINE_SIGNATURE {
            let mut buf = [0; INLINE_SIGNATURE];
            let len = b64::decode_into(s, &mut buf)?;
            Ok(Signature::Inline { buf, len })
        } else {
            b64::decode(s).map(Signature::Heap)
        }
    }
}

impl std::ops::Deref for Signature {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Signature::Inline { buf, len } => &buf[..*len],
            Signature::Heap(v) => v,
        }
    }
}

impl std::fmt::Debug for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signature({} bytes)", self.len())
    }
}

/// A token that is well formed; nothing about it is trusted yet.
#[derive(Clone, Debug)]
pub struct Parsed<'t> {
    /// The protected header: validated, each member read when asked for.
    pub header: json::Object,
    /// The decoded payload bytes, for a plain JWS ([`Payload::Bytes`]); empty for a JWT,
    /// whose payload is read only as [`Parsed::claims`].
    pub payload: Vec<u8>,
    /// The claims, when the payload was parsed as a JSON object: validated, each member
    /// read when asked for.
    pub claims: Option<json::Object>,
    /// The decoded signature.
    pub signature: Signature,
    /// `BASE64URL(header) '.' BASE64URL(payload)`: what was signed.
    pub signing_input: &'t str,
}

impl Parsed<'_> {
    /// The header's `kid`, already checked to be a string if present.
    pub fn kid(&self) -> Option<Cow<'_, str>> {
        self.header.get_str("kid")
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
    // rule: core.segments — exactly two dots (borrowed, no list of parts).
    let mut dots = memchr::memchr_iter(b'.', token.as_bytes());
    let (Some(first), Some(second), None) = (dots.next(), dots.next(), dots.next()) else {
        return Err(Error::Segments {
            count: token.matches('.').count() + 1,
        });
    };
    let (h, p, s) = (
        &token[..first],
        &token[first + 1..second],
        &token[second + 1..],
    );
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
        json::Object::parse(header_bytes, limits.max_depth).map_err(|detail| Error::Json {
            segment: Segment::Header,
            detail,
        })?;
    let payload_error = |detail| Error::Base64 {
        segment: Segment::Payload,
        detail,
    };
    let (payload_bytes, claims) = match payload {
        Payload::Bytes => (b64::decode(p).map_err(payload_error)?, None),
        // A JWT's payload is only read as JSON: validated whole, its members indexed and
        // parsed only when a rule reads them.
        Payload::JsonObject => {
            let bytes = b64::decode(p).map_err(payload_error)?;
            let claims =
                json::Object::parse(bytes, limits.max_depth).map_err(|detail| Error::Json {
                    segment: Segment::Payload,
                    detail,
                })?;
            (Vec::new(), Some(claims))
        }
    };
    let signature = Signature::decode(s).map_err(|detail| Error::Base64 {
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

fn check_header(header: &json::Object) -> Result<(), Error> {
    let bad = |param: &'static str, detail: String| Error::HeaderParam { param, detail };
    // Each parameter is read in place: a string borrowed, any other type only named.
    // rule: core.typ
    match header.get_str_or_kind("typ") {
        None => {}
        Some(Ok(t))
            if !t.eq_ignore_ascii_case("jwt") && !t.eq_ignore_ascii_case("application/jwt") =>
        {
            // `either` in docs/rules.md; the reference takes the strict side.
            let t = t.to_ascii_lowercase();
            return Err(bad("typ", format!("{t:?} is not JWT or application/jwt")));
        }
        Some(Ok(_)) => {}
        Some(Err(kind)) => return Err(bad("typ", format!("a {kind}, not a string"))),
    }
    match header.get_str_or_kind("cty") {
        None => {}
        Some(Ok(c)) if c.eq_ignore_ascii_case("jwt") => {
            return Err(bad("cty", "\"JWT\": nested tokens are not accepted".into()))
        }
        Some(Ok(_)) => {}
        Some(Err(kind)) => return Err(bad("cty", format!("a {kind}, not a string"))),
    }
    // rule: core.crit — the verifier implements no extension, so any crit is refused.
    if let Some(crit) = header.get("crit") {
        let detail = match &crit {
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
    match header.get_raw("b64") {
        None | Some("true") => {}
        Some("false") => {
            return Err(bad(
                "b64",
                "false: unencoded payloads (RFC 7797) are not accepted".into(),
            ))
        }
        Some(_) => {
            let kind = header.get_str_or_kind("b64").and_then(Result::err);
            return Err(bad(
                "b64",
                format!("a {}, not a boolean", kind.unwrap_or("string")),
            ));
        }
    }
    // rule: core.keys — kid is an opaque string.
    if let Some(Err(kind)) = header.get_str_or_kind("kid") {
        return Err(bad("kid", format!("a {kind}, not a string")));
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
    let shown = match parsed.header.get_str_or_kind("alg") {
        None => "(missing)".to_string(),
        Some(Ok(s)) => {
            if let Some(a) = allowed.iter().copied().find(|a| a.name() == s) {
                return Ok(a);
            }
            format!("{s:?}")
        }
        Some(Err(kind)) => format!("(a {kind})"),
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
    for key in keys.candidate_iter(alg, kid.as_deref()) {
        tried += 1;
        match key
            .material
            .verify(alg, parsed.signing_input.as_bytes(), &parsed.signature)
        {
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
