//! Running cases and collecting graded results.

use serde_json::Value;
use std::time::{Duration, Instant};

use jwtc_vectors::load::LoadedCase;
use jwtc_vectors::model::{Expect, Severity};

use crate::expected::ExpectedFailures;
use crate::grade::{grade, Codes, State};
use crate::outcome::Outcome;
use crate::progress::Progress;

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

/// What an implementation answered for one step: its outcome, or a state the runner
/// decided (hang, crash) with the outcome's detail saying what happened.
pub type Answer = (Outcome, Option<State>);

/// Grades a case's answers step by step: the case takes the state of its first step that
/// does not pass (a skip only when nothing failed); a missing answer fails its step.
/// Outputs that cannot be compared byte for byte (a proxy's freshly signed assertion) are
/// first put in canonical form at the suite clock `now`, whatever the implementation.
pub fn grade_case(
    c: &LoadedCase,
    answers: Vec<Answer>,
    codes: Codes,
    known: &ExpectedFailures,
    now: i64,
) -> CaseResult {
    let answers = crate::reference::canonical_answers(c, answers, now);
    let n = c.steps.len();
    let mut answers = answers.into_iter();
    let mut decided: Option<(usize, State, String, Outcome)> = None;
    let mut skipped: Option<(usize, String, Outcome)> = None;
    let mut code_agrees: Option<bool> = None;
    let mut last = None;
    let mut all_fetches: Vec<Vec<String>> = Vec::new();
    for (i, step) in c.steps.iter().enumerate() {
        let (got, forced) = answers
            .next()
            .unwrap_or_else(|| (Outcome::error("no answer for this step"), Some(State::Fail)));
        all_fetches.push(got.fetches.clone());
        let g = grade(&step.expect, &got, codes, c.case.network.as_ref());
        if let Some(a) = g.code_agrees {
            code_agrees = Some(code_agrees.unwrap_or(true) && a);
        }
        let (state, message) = match forced {
            Some(s) => (s, got.detail.clone()),
            None => (g.state, g.message),
        };
        let at = |m: String| {
            if n > 1 {
                format!("step {}/{n} ({}): {m}", i + 1, step.description)
            } else {
                m
            }
        };
        match state {
            State::Pass => {}
            State::Skip => {
                skipped.get_or_insert((i, at(message), got.clone()));
            }
            _ => {
                decided = Some((i, state, at(message), got));
                break;
            }
        }
        last = Some((i, got));
    }
    if let (None, Some(max)) = (&decided, c.case.max_fetches) {
        let fetched: Vec<&String> = all_fetches.iter().flatten().collect();
        if fetched.len() as u64 > max {
            let (i, got) = last.clone().unwrap_or((0, Outcome::error("no steps")));
            decided = Some((
                i,
                State::Fail,
                format!(
                    "fetched {} time(s) over the case's steps ({}); the case allows at most {max}",
                    fetched.len(),
                    fetched
                        .iter()
                        .map(|u| u.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                got,
            ));
        }
    }
    let (step, state, message, got) = match (decided, skipped) {
        (Some(d), _) => d,
        (None, Some((i, m, got))) => (i, State::Skip, m, got),
        (None, None) => {
            let (i, got) = last.unwrap_or((0, Outcome::error("no steps")));
            (i, State::Pass, String::new(), got)
        }
    };
    let s = &c.steps[step.min(n.saturating_sub(1))];
    CaseResult {
        id: c.case.id.clone(),
        rule: c.case.rule.clone(),
        profile: c.profile.clone(),
        severity: c.case.severity,
        expected: s.expect.clone(),
        got,
        state,
        code_agrees,
        message,
        known: known.find(&c.case.id).map(|e| e.reason.clone()),
        input: s.input.clone(),
        context: s.context.clone(),
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
