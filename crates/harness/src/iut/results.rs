//! The answers of a run over the protocol, case by case: amended when a case answers
//! again after its answer was taken, and graded in run order as soon as nothing can amend
//! them any more (only the last case the process answered in full still can), so that the
//! harness grades while the implementation works on the cases sent ahead.

use jwtc_vectors::load::LoadedCase;

use super::Options;
use crate::expected::ExpectedFailures;
use crate::grade::{grade_case_in_run, Answer, CaseResult, RunMemory, State};
use crate::outcome::Outcome;

/// The cases graded so far (a prefix of the run, in order) and what the run remembers
/// across cases (a signer's nonces).
pub(super) struct Grading {
    pub(super) results: Vec<CaseResult>,
    memory: RunMemory,
}

impl Grading {
    pub(super) fn new(cases: usize) -> Grading {
        Grading {
            results: Vec::with_capacity(cases),
            memory: RunMemory::default(),
        }
    }

    /// Grades every case before `end` not graded yet, taking its answers.
    pub(super) fn upto(
        &mut self,
        end: usize,
        cases: &[LoadedCase],
        answers: &mut [Vec<Answer>],
        opts: &Options,
        known: &ExpectedFailures,
        now: i64,
    ) {
        for k in self.results.len()..end.min(answers.len()) {
            let got = std::mem::take(&mut answers[k]);
            let r = grade_case_in_run(&cases[k], got, opts.codes, known, now, &mut self.memory);
            self.results.push(r);
        }
    }
}

/// Marks a case's last answer as a crash (it answered again after its answer was taken).
pub(super) fn amend(answers: &mut Vec<Answer>, message: String) {
    match answers.last_mut() {
        Some((got, forced)) if forced.is_none() => {
            got.detail = message;
            *forced = Some(State::Crash);
        }
        Some(_) => {}
        None => answers.push((Outcome::error(message), Some(State::Crash))),
    }
}
