//! The look-ahead of a pipelined run (docs/protocol.md § Pipelining): which cases are
//! sent at all, and the step-0 messages sent ahead while a case's last step runs.

use std::collections::VecDeque;

use jwtc_vectors::load::LoadedCase;

use super::process::Process;
use super::{Hello, PIPELINE_WINDOW};
use crate::protocol::ToIut;

/// Step `i` of case `c`, as sent.
pub(super) fn step_message(c: &LoadedCase, i: usize) -> ToIut<'_> {
    let step = &c.steps[i];
    ToIut::Case {
        id: c.case.id.as_str().into(),
        profile: c.profile.as_str().into(),
        step: i,
        steps: c.steps.len(),
        input: std::borrow::Cow::Borrowed(&step.input),
        context: std::borrow::Cow::Borrowed(&step.context),
    }
}

/// Whether case `c` goes to the implementation at all (its profile and features claimed,
/// and the harness has not given up restarting it).
fn is_sent(hello: &Hello, gave_up: bool, c: &LoadedCase) -> bool {
    !gave_up
        && hello
            .profiles
            .as_ref()
            .is_none_or(|profiles| profiles.iter().any(|p| p == &c.profile))
        && hello.features.not_sent(c).is_none()
}

/// Tops up the cases in flight to [`PIPELINE_WINDOW`] while the last step of case
/// `current` runs: step 0 of each next case that is sent at all, in run order. A scenario's
/// later steps wait for its earlier answers, so a case of several steps ends the chain
/// (nothing is sent after it until it is answered in full), and what the implementation
/// reads stays in run order.
pub(super) fn send_ahead(
    p: &Process,
    cases: &[LoadedCase],
    hello: &Hello,
    gave_up: bool,
    in_flight: &mut VecDeque<usize>,
    look: &mut usize,
    current: usize,
) {
    *look = (*look).max(current + 1);
    if in_flight
        .back()
        .is_some_and(|&last| cases[last].steps.len() > 1)
    {
        return;
    }
    while in_flight.len() < PIPELINE_WINDOW {
        let Some(c) = cases.get(*look) else { return };
        *look += 1;
        if !is_sent(hello, gave_up, c) {
            continue;
        }
        p.send(&step_message(c, 0));
        in_flight.push_back(*look - 1);
        if c.steps.len() > 1 {
            return;
        }
    }
}
