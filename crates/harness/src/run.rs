//! The public path of a run, `jwtc_harness::run::…`, for callers outside the crate: the
//! generic runner's items ([`crate::runner`]), the case grading they return
//! ([`crate::grade`]), and the in-process reference run ([`crate::reference`]). Only
//! re-exports: no module of the crate names this one.

pub use crate::grade::{grade_case, Answer, CaseResult};
pub use crate::reference::{run_reference, run_reference_with, run_reference_within};
pub use crate::runner::{
    run_cases, run_cases_with, run_sessions, run_sessions_within, stale_entries, Run,
};
