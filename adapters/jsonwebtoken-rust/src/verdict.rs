//! An answer to one step, and how jsonwebtoken's errors map to the error codes of
//! docs/rules.md.

use jsonwebtoken::errors::{Error, ErrorKind};
use serde_json::{json, Value};

/// A reject: the docs/rules.md code, and a message for people (the library's own words
/// where the library decided).
#[derive(Debug)]
pub struct Reject {
    pub code: &'static str,
    pub detail: String,
}

impl Reject {
    pub fn new(code: &'static str, detail: impl Into<String>) -> Reject {
        Reject {
            code,
            detail: detail.into(),
        }
    }
}

impl From<Error> for Reject {
    fn from(e: Error) -> Reject {
        Reject::new(code(e.kind()), format!("jsonwebtoken: {e}"))
    }
}

impl From<ErrorKind> for Reject {
    fn from(kind: ErrorKind) -> Reject {
        Reject::from(Error::from(kind))
    }
}

/// The docs/rules.md code for a jsonwebtoken error.
pub fn code(kind: &ErrorKind) -> &'static str {
    match kind {
        // Wrong number of segments, bad base64url, JSON that does not parse into the
        // header or the claims (jsonwebtoken also reports an unknown `alg`, "none"
        // included, as a JSON error of the header).
        ErrorKind::InvalidToken
        | ErrorKind::Base64(_)
        | ErrorKind::Json(_)
        | ErrorKind::Utf8(_) => "malformed",
        ErrorKind::InvalidAlgorithm
        | ErrorKind::MissingAlgorithm
        | ErrorKind::InvalidAlgorithmName => "alg_not_allowed",
        #[cfg(not(feature = "jsonwebtoken_10_2"))]
        ErrorKind::UnsupportedAlgorithm => "alg_not_allowed",
        ErrorKind::InvalidSignature => "bad_signature",
        ErrorKind::InvalidEcdsaKey
        | ErrorKind::InvalidEddsaKey
        | ErrorKind::InvalidRsaKey(_)
        | ErrorKind::InvalidKeyFormat => "key_unknown",
        ErrorKind::MissingRequiredClaim(_) => "claim_missing",
        #[cfg(not(feature = "jsonwebtoken_10_2"))]
        ErrorKind::InvalidClaimFormat(_) => "claim_invalid",
        ErrorKind::ExpiredSignature => "expired",
        ErrorKind::ImmatureSignature => "not_yet_valid",
        ErrorKind::InvalidIssuer => "issuer_mismatch",
        ErrorKind::InvalidAudience => "audience_mismatch",
        // Only the Watson session sets `Validation::sub` (the pinned user).
        ErrorKind::InvalidSubject => "subject_changed",
        // Signing-side and provider errors never come out of verification; if one does,
        // it is still a refusal of the token.
        _ => "malformed",
    }
}

/// What the adapter answers for one step.
#[derive(Debug)]
pub enum Verdict {
    Accept(Value),
    Reject(Reject),
    /// The library cannot do what the case needs (the reason says what).
    Skip(String),
    /// The adapter could not run the case (a bad context, a bug): fails the case.
    Error(String),
}

impl From<Result<Value, Reject>> for Verdict {
    fn from(r: Result<Value, Reject>) -> Verdict {
        match r {
            Ok(v) => Verdict::Accept(v),
            Err(r) => Verdict::Reject(r),
        }
    }
}

impl Verdict {
    pub fn reject(code: &'static str, detail: impl Into<String>) -> Verdict {
        Verdict::Reject(Reject::new(code, detail))
    }

    /// The protocol message.
    pub fn message(&self, id: &str, step: u64) -> Value {
        match self {
            Verdict::Accept(output) => {
                json!({"type": "result", "id": id, "step": step, "verdict": "accept", "output": output})
            }
            Verdict::Reject(r) => json!({"type": "result", "id": id, "step": step,
                "verdict": "reject", "error": r.code, "detail": r.detail}),
            Verdict::Skip(reason) => {
                json!({"type": "skip", "id": id, "step": step, "reason": reason})
            }
            Verdict::Error(detail) => {
                json!({"type": "result", "id": id, "step": step, "verdict": "error", "detail": detail})
            }
        }
    }
}
