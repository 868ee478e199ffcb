//! Running cases and collecting graded results.

use std::time::{Duration, Instant};

use jwtc_vectors::load::LoadedCase;

use crate::expected::ExpectedFailures;
pub use crate::grade::{grade_case, Answer, CaseResult};
use crate::grade::{Codes, State};
use crate::outcome::Outcome;
use crate::progress::Progress;

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
    /// Wall time of the cases (for a protocol run: from the answer to the first hello on,
    /// so restarts count and the first start does not).
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

/// Grades the answers `answer` gives for each case (one per step). `answer` is the implementation.
pub fn run_cases(
    implementation: &str,
    suite_version: &str,
    now: i64,
    cases: &[LoadedCase],
    known: &ExpectedFailures,
    codes: Codes,
    answer: impl FnMut(&LoadedCase) -> Vec<Answer>,
) -> Run {
    run_cases_with(
        implementation,
        suite_version,
        now,
        cases,
        known,
        codes,
        false,
        answer,
    )
}

/// [`run_cases`], with a progress bar on stderr when `progress` and the run takes over a second.
#[allow(clippy::too_many_arguments)]
pub fn run_cases_with(
    implementation: &str,
    suite_version: &str,
    now: i64,
    cases: &[LoadedCase],
    known: &ExpectedFailures,
    codes: Codes,
    progress: bool,
    mut answer: impl FnMut(&LoadedCase) -> Vec<Answer>,
) -> Run {
    let start = Instant::now();
    let mut bar = Progress::new(cases.len(), progress);
    let mut results = Vec::with_capacity(cases.len());
    for c in cases {
        bar.tick(&c.case.id);
        let answers = answer(c);
        results.push(grade_case(c, answers, codes, known, now));
    }
    bar.finish();
    let wall = start.elapsed();
    Run {
        implementation: implementation.to_owned(),
        suite_version: suite_version.to_owned(),
        now,
        stale: stale_entries(known, &results),
        results,
        wall,
        restarts: 0,
    }
}

/// The expected-failure globs that explain no failing result.
pub fn stale_entries(known: &ExpectedFailures, results: &[CaseResult]) -> Vec<String> {
    known
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
        .collect()
}

/// Runs every case through the reference verifier in this process.
pub fn run_reference(
    suite_version: &str,
    now: i64,
    cases: &[LoadedCase],
    known: &ExpectedFailures,
) -> Run {
    run_reference_with(suite_version, now, cases, known, false)
}

/// [`run_reference`], with a progress bar when `progress` (see [`run_cases_with`]).
pub fn run_reference_with(
    suite_version: &str,
    now: i64,
    cases: &[LoadedCase],
    known: &ExpectedFailures,
    progress: bool,
) -> Run {
    run_cases_with(
        "reference (in process)",
        suite_version,
        now,
        cases,
        known,
        Codes::Required,
        progress,
        |c| match crate::reference::session(&c.profile) {
            None => vec![(
                Outcome::error(format!("the reference has no profile {:?}", c.profile)),
                None,
            )],
            Some(mut session) => c
                .steps
                .iter()
                .map(|s| {
                    (
                        session.step(&s.input, &s.context, c.case.network.as_ref(), now),
                        None,
                    )
                })
                .collect(),
        },
    )
}
