//! The vector file format (schema in vectors/schema/vectors.schema.json).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The schema version of vector files this crate reads and writes.
pub const SCHEMA_VERSION: u64 = 1;

/// One file: the cases of one rule group of one profile.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct VectorFile {
    /// Always [`SCHEMA_VERSION`].
    pub schema: u64,
    /// The profile the cases run under (`core`, `jws`, `pendo`, …).
    pub profile: String,
    /// The rule group (the file's stem). Optional in a user's folder, where it defaults to
    /// the file's stem; our own files always state it.
    #[serde(default)]
    pub group: String,
    /// The clock the cases run at (seconds since the epoch), in a user's folder that has no
    /// suite.json; every file that states one must agree. Our own files never state it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<i64>,
    /// The cases, in order.
    pub cases: Vec<Case>,
}

/// One test case.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// `<profile>/<group>/<name>`, unique across the suite.
    pub id: String,
    /// The rule id (docs/rules.md) this case tests.
    pub rule: String,
    /// What the case does, for a person reading a failure. Optional in a user's folder
    /// (the loader fills in the id); our own cases always state it.
    #[serde(default)]
    pub description: String,
    /// What wrongly accepting it gives an attacker.
    pub severity: Severity,
    /// CVE ids, RFC sections.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<String>,
    /// The optional features an implementation needs to run it (`jwtc_verifier::rules::FEATURES`);
    /// a case needing one the implementation does not claim is not sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    /// What the implementation is given (per profile: docs/protocol.md). Absent in a scenario.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    /// How the implementation is configured (keys by name in vectors/keys, or inline).
    pub context: Value,
    /// Answers to fetches, by URL (COYO, Pomerium JWKS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<Value>,
    /// The most fetches the whole case (every step together) may make: a cache and its
    /// refetch cool-down are graded by count (coyo.fetch-cache). No bound when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_fetches: Option<u64>,
    /// What must come out. Absent in a scenario.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Expect>,
    /// A scenario: steps run in order against one session (state is fresh for each case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<Step>>,
}

/// One step of a scenario.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// What this step does.
    pub description: String,
    /// The step's input.
    pub input: Value,
    /// A new context from this step on (a key revoked, a mode switched); the case's otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    /// What must come out of this step.
    pub expect: Expect,
}

/// What an implementation must do with a case.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// accept, reject, or either.
    pub verdict: Verdict,
    /// The stable error code of a reject (for `either`: the code of the reference's strict reject).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What an accept must return (identity, claims, payload).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// How `output` is compared: exactly (the default), or as a subset.
    #[serde(default, skip_serializing_if = "OutputMatch::is_exact")]
    pub output_match: OutputMatch,
}

/// How an accept's output is compared with the vector's `expect.output`.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum OutputMatch {
    /// The same JSON (numbers by value).
    #[default]
    Exact,
    /// Every member the vector states is present and equal, recursively for objects;
    /// members the vector does not state may be there too. Arrays compare exactly.
    Subset,
}

impl OutputMatch {
    /// Whether this is the default, [`OutputMatch::Exact`].
    pub fn is_exact(&self) -> bool {
        *self == OutputMatch::Exact
    }
}

/// A verdict as vectors state it.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The token must be accepted.
    Accept,
    /// The token must be rejected.
    Reject,
    /// Both are conformant; the reference takes the strict side (reject).
    Either,
}

/// What wrongly accepting a case gives an attacker.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Forged identity or authentication bypass.
    Critical,
    /// A serious weakening (replay, key misuse).
    High,
    /// A policy check skipped (time, audience).
    Medium,
    /// Strictness only.
    Low,
}

impl Case {
    /// The verdicts this case expects: its own, or those of its steps.
    pub fn verdicts(&self) -> Vec<Verdict> {
        match (&self.expect, &self.steps) {
            (Some(e), _) => vec![e.verdict],
            (None, Some(steps)) => steps.iter().map(|s| s.expect.verdict).collect(),
            (None, None) => Vec::new(),
        }
    }
}

impl Verdict {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Accept => "accept",
            Verdict::Reject => "reject",
            Verdict::Either => "either",
        }
    }
}

impl Severity {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }
}

/// The suite-wide settings (vectors/suite.json).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Suite {
    /// Always [`SCHEMA_VERSION`].
    pub schema: u64,
    /// The suite's version.
    pub version: String,
    /// The one clock every case runs at (seconds since the epoch).
    pub now: i64,
}
