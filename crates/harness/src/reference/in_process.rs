//! The in-process reference run: every case in a fresh reference session ([`session`])
//! through the generic runner, within the per-case time budget, a differing error code
//! failing the case; the reference claims every feature but [`super::UNCLAIMED`].

use std::time::Duration;

use jwtc_vectors::load::LoadedCase;

use super::{claimed, session};
use crate::budget::DEFAULT_BUDGET;
use crate::expected::ExpectedFailures;
use crate::grade::Codes;
use crate::runner::Run;

/// Runs every case through the reference verifier in this process, within the default
/// budget ([`DEFAULT_BUDGET`]).
pub fn run_reference(
    suite_version: &str,
    now: i64,
    cases: &[LoadedCase],
    known: &ExpectedFailures,
) -> Run {
    run_reference_with(suite_version, now, cases, known, false)
}

/// [`run_reference`], with a progress bar when `progress` (see
/// [`crate::runner::run_cases_with`]).
pub fn run_reference_with(
    suite_version: &str,
    now: i64,
    cases: &[LoadedCase],
    known: &ExpectedFailures,
    progress: bool,
) -> Run {
    run_reference_within(
        suite_version,
        now,
        cases,
        known,
        progress,
        Some(DEFAULT_BUDGET),
    )
}

/// [`run_reference_with`] within the per-case time `budget` (`None`: no limit).
pub fn run_reference_within(
    suite_version: &str,
    now: i64,
    cases: &[LoadedCase],
    known: &ExpectedFailures,
    progress: bool,
    budget: Option<Duration>,
) -> Run {
    crate::runner::run_sessions_within(
        "reference (in process)",
        suite_version,
        now,
        cases,
        known,
        Codes::Required,
        progress,
        &claimed(),
        budget,
        |profile| {
            session(profile).ok_or_else(|| format!("the reference has no profile {profile:?}"))
        },
    )
}
