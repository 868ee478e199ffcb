//! What an implementation answered for one case.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An implementation's verdict on a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Got {
    /// It accepted.
    Accept,
    /// It rejected (with an error code, ideally).
    Reject,
    /// It does not do what the case needs (with a reason).
    Skip,
    /// It could not run the case (bad context, setup failure): always a failure.
    Error,
}

/// An implementation's answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// The verdict.
    pub verdict: Got,
    /// The stable error code of a reject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What an accept returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// A message for people: the reason of a reject or skip, with its values.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// Every URL the implementation fetched for this step, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fetches: Vec<String>,
    /// The wall-clock time (seconds) the harness read when this answer arrived: set only
    /// for an implementation whose mints are graded at the wall clock
    /// ([`crate::features::Clock::Wall`]); the signer grader judges time claims against it.
    /// (Non-zero, so an outcome stays small: no answer arrives at the epoch.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<std::num::NonZeroI64>,
}

impl Outcome {
    /// An accept with its output.
    pub fn accept(output: Value) -> Outcome {
        Outcome {
            verdict: Got::Accept,
            error: None,
            output: Some(output),
            detail: String::new(),
            fetches: Vec::new(),
            at: None,
        }
    }
    /// A reject with its code and message.
    pub fn reject(code: &str, detail: impl Into<String>) -> Outcome {
        Outcome {
            verdict: Got::Reject,
            error: Some(code.to_owned()),
            output: None,
            detail: detail.into(),
            fetches: Vec::new(),
            at: None,
        }
    }
    /// A case the implementation could not run.
    pub fn error(detail: impl Into<String>) -> Outcome {
        Outcome {
            verdict: Got::Error,
            error: None,
            output: None,
            detail: detail.into(),
            fetches: Vec::new(),
            at: None,
        }
    }
}

/// Skips with a reason (an implementation that does not do what a case needs).
pub fn skip(reason: impl Into<String>) -> Outcome {
    Outcome {
        verdict: Got::Skip,
        error: None,
        output: None,
        detail: reason.into(),
        fetches: Vec::new(),
        at: None,
    }
}
