//! The generic runner: each case's answers, from any implementation, graded into a
//! [`Run`]. In process, an implementation is a session factory ([`run_sessions`]); over
//! the protocol, `iut::run` collects the answers and grades them with the same code.

use std::time::{Duration, Instant};

use jwtc_vectors::load::LoadedCase;

use crate::budget::Worker;
use crate::expected::ExpectedFailures;
use crate::features::{Claimed, Clock};
use crate::grade::{grade_case_in_run, Answer, CaseResult, Codes, RunMemory, State};
use crate::outcome::{skip, Outcome};
use crate::progress::Progress;
use crate::session::Session;

/// A whole run.
#[derive(Clone, Debug)]
pub struct Run {
    /// The implementation's name.
    pub implementation: String,
    /// The suite version and clock.
    pub suite_version: String,
    /// The suite clock.
    pub now: i64,
    /// The clock the signer cases were graded at (the implementation's claim).
    pub clock: Clock,
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

    /// Cases per second (of the cases sent: a case not claimed takes no time).
    pub fn rate(&self) -> f64 {
        let sent = self
            .results
            .iter()
            .filter(|r| r.state != State::NotClaimed)
            .count();
        sent as f64 / self.wall.as_secs_f64().max(1e-9)
    }
}

/// Grades the answers `answer` gives for each case (one per step). `answer` is the
/// implementation, which claims every feature.
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
        &Claimed::all(),
        answer,
    )
}

/// [`run_cases`], with a progress bar on stderr when `progress` and the run takes over a
/// second, for an implementation that claims the features `claimed`: a case needing
/// another is not given to `answer`, and is graded *not claimed*.
#[allow(clippy::too_many_arguments)]
pub fn run_cases_with(
    implementation: &str,
    suite_version: &str,
    now: i64,
    cases: &[LoadedCase],
    known: &ExpectedFailures,
    codes: Codes,
    progress: bool,
    claimed: &Claimed,
    mut answer: impl FnMut(&LoadedCase) -> Vec<Answer>,
) -> Run {
    let start = Instant::now();
    let mut bar = Progress::new(cases.len(), progress);
    let mut results = Vec::with_capacity(cases.len());
    let mut memory = RunMemory::default();
    for c in cases {
        bar.tick(&c.case.id);
        let answers = match claimed.not_sent(c) {
            Some(why) => vec![(skip(why), Some(State::NotClaimed))],
            None => answer(c),
        };
        results.push(grade_case_in_run(
            c,
            answers,
            codes,
            known,
            now,
            &mut memory,
        ));
    }
    bar.finish();
    let wall = start.elapsed();
    Run {
        implementation: implementation.to_owned(),
        suite_version: suite_version.to_owned(),
        now,
        clock: claimed.clock(),
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
                    && r.state.is_failure()
                    && known.find(&r.id).map(|f| &f.glob) == Some(&e.glob)
            })
        })
        .map(|e| e.glob.clone())
        .collect()
}

/// Runs every case in process, each in a fresh session from `make` (profile → session; an
/// `Err` says why there is none and is the case's one answer), and grades the answers
/// ([`run_cases_with`]); a case needing a feature outside `claimed` is not run. For a
/// wall-clock implementation (`claimed`'s clock) each answer is stamped with the time it
/// arrived, read from `claimed`'s wall clock.
#[allow(clippy::too_many_arguments)]
pub fn run_sessions(
    implementation: &str,
    suite_version: &str,
    now: i64,
    cases: &[LoadedCase],
    known: &ExpectedFailures,
    codes: Codes,
    progress: bool,
    claimed: &Claimed,
    mut make: impl FnMut(&str) -> Result<Box<dyn Session>, String>,
) -> Run {
    run_cases_with(
        implementation,
        suite_version,
        now,
        cases,
        known,
        codes,
        progress,
        claimed,
        |c| match make(&c.profile) {
            Err(why) => vec![(Outcome::error(why), None)],
            Ok(mut session) => c
                .steps
                .iter()
                .map(|s| {
                    let mut got = session.step(&s.input, &s.context, c.case.network.as_ref(), now);
                    got.at = claimed.answer_time();
                    (got, None)
                })
                .collect(),
        },
    )
}

/// [`run_sessions`] for sessions that can move to another thread, within a per-case time
/// `budget` (`None`: no limit; [`crate::budget::DEFAULT_BUDGET`] is the default of
/// `jwtc run`): each case runs on a worker thread ([`Worker`]), and a case whose steps
/// are not all answered within the budget is graded over budget, its call left running on
/// an abandoned thread while the next case goes on. A session that panics crashes its
/// case only.
#[allow(clippy::too_many_arguments)]
pub fn run_sessions_within(
    implementation: &str,
    suite_version: &str,
    now: i64,
    cases: &[LoadedCase],
    known: &ExpectedFailures,
    codes: Codes,
    progress: bool,
    claimed: &Claimed,
    budget: Option<Duration>,
    mut make: impl FnMut(&str) -> Result<Box<dyn Session + Send>, String>,
) -> Run {
    let mut worker = Worker::default();
    run_cases_with(
        implementation,
        suite_version,
        now,
        cases,
        known,
        codes,
        progress,
        claimed,
        |c| match make(&c.profile) {
            Err(why) => vec![(Outcome::error(why), None)],
            Ok(session) => worker.run(
                session,
                c.steps
                    .iter()
                    .map(|s| (s.input.clone(), s.context.clone()))
                    .collect(),
                c.case.network.clone(),
                now,
                budget,
                |got| got.at = claimed.answer_time(),
            ),
        },
    )
}
