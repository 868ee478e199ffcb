//! Running cases and collecting graded results.

use serde_json::Value;
use std::time::{Duration, Instant};

use jwtc_vectors::load::LoadedCase;
use jwtc_vectors::model::{Expect, Severity};

use crate::expected::ExpectedFailures;
use crate::grade::{grade, Codes, State};
use crate::outcome::Outcome;

/// The graded result of one case.
#[derive(Clone, Debug)]
pub struct CaseResult {
    /// The case id.
    pub id: String,
    /// Its rule id.
    pub rule: String,
    /// Its profile.
    pub profile: String,
    /// Its severity.
    pub severity: Severity,
    /// What the case expects.
    pub expected: Expect,
    /// What came back.
    pub got: Outcome,
    /// pass, fail, skip, hang or crash.
    pub state: State,
    /// Error-code agreement, when there was a code to compare.
    pub code_agrees: Option<bool>,
    /// Why it failed or was skipped.
    pub message: String,
    /// The reason from expected-failures.json, when the case is listed there.
    pub known: Option<String>,
    /// The input, for reports that show a failing case whole.
    pub input: Value,
    /// The context sent.
    pub context: Value,
}

impl CaseResult {
    /// A failure the implementation's expected-failures list does not explain.
    pub fn is_unexpected(&self) -> bool {
        matches!(self.state, State::Fail | State::Hang | State::Crash) && self.known.is_none()
    }
}

/// A whole run.
#[derive(Clone, Debug)]
pub struct Run {
    /// The implementation's name.
    pub implementation: String,
    /// The suite version and clock.
    pub suite_version: String,
    /// The suite clock.
    pub now: i64,
    /// Results in case order.
    pub results: Vec<CaseResult>,
    /// Wall time of the cases.
    pub wall: Duration,
    /// Expected-failure globs that matched no failing case.
    pub stale: Vec<String>,
    /// Times the implementation was restarted (protocol runs).
    pub restarts: usize,
}

impl Run {
    /// Whether the run passes: no unexpected failure.
    pub fn ok(&self) -> bool {
        !self.results.iter().any(CaseResult::is_unexpected)
    }

    /// Cases per second.
    pub fn rate(&self) -> f64 {
        self.results.len() as f64 / self.wall.as_secs_f64().max(1e-9)
    }
}

/// Grades outcomes produced by `answer` for each case. `answer` is the implementation.
pub fn run_cases(
    implementation: &str,
    suite_version: &str,
    now: i64,
    cases: &[LoadedCase],
    known: &ExpectedFailures,
    codes: Codes,
    mut answer: impl FnMut(&LoadedCase) -> (Outcome, Option<State>),
) -> Run {
    let start = Instant::now();
    let mut results = Vec::with_capacity(cases.len());
    for c in cases {
        let (got, forced) = answer(c);
        let g = grade(&c.case.expect, &got, codes);
        let (state, message) = match forced {
            Some(s) => (s, got.detail.clone()),
            None => (g.state, g.message),
        };
        results.push(CaseResult {
            id: c.case.id.clone(),
            rule: c.case.rule.clone(),
            profile: c.profile.clone(),
            severity: c.case.severity,
            expected: c.case.expect.clone(),
            got,
            state,
            code_agrees: g.code_agrees,
            message,
            known: known.find(&c.case.id).map(|e| e.reason.clone()),
            input: c.case.input.clone(),
            context: c.context.clone(),
        });
    }
    let wall = start.elapsed();
    let stale = known
        .entries
        .iter()
        .filter(|e| {
            !results.iter().any(|r| {
                r.known.as_deref() == Some(e.reason.as_str())
                    && matches!(r.state, State::Fail | State::Hang | State::Crash)
                    && known.find(&r.id).map(|f| &f.glob) == Some(&e.glob)
            })
        })
        .map(|e| e.glob.clone())
        .collect();
    Run {
        implementation: implementation.to_owned(),
        suite_version: suite_version.to_owned(),
        now,
        results,
        wall,
        stale,
        restarts: 0,
    }
}

/// Runs every case through the reference verifier in this process.
pub fn run_reference(suite_version: &str, now: i64, cases: &[LoadedCase], known: &ExpectedFailures) -> Run {
    run_cases("reference (in process)", suite_version, now, cases, known, Codes::Required, |c| {
        (crate::reference::run_case(&c.profile, &c.case.input, &c.context, now), None)
    })
}
