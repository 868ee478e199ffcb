//! The in-process reference run: every case in a fresh reference session ([`session`])
//! through the generic runner, a differing error code failing the case; the reference
//! claims every feature but [`super::UNCLAIMED`].

use jwtc_vectors::load::LoadedCase;

use super::{claimed, session};
use crate::expected::ExpectedFailures;
use crate::grade::Codes;
use crate::runner::{run_sessions, Run};

/// Runs every case through the reference verifier in this process.
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
    run_sessions(
        "reference (in process)",
        suite_version,
        now,
        cases,
        known,
        Codes::Required,
        progress,
        &claimed(),
        |profile| {
            session(profile).ok_or_else(|| format!("the reference has no profile {profile:?}"))
        },
    )
}
