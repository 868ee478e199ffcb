//! Pipelining (docs/protocol.md § Pipelining): against a fake whose hello says
//! `"pipeline": true`, the harness sends cases ahead, and every run ends case by case
//! exactly as the same run in lockstep (states, messages, restarts), whatever the faults.

use jwtc_harness::grade::State;
use jwtc_harness::run::Run;
use jwtc_vectors::load::LoadedCase;

mod common;

use common::{options, run, states};

/// A case of `steps` steps (0: a plain case) whose id, and token, is `id`.
fn case(id: &str, steps: usize) -> LoadedCase {
    common::accept_case(id, id, steps)
}

/// Every case's state and message, and the restarts.
fn outline(r: &Run) -> (Vec<(State, String)>, usize) {
    let cases = r
        .results
        .iter()
        .map(|c| (c.state, c.message.clone()))
        .collect();
    (cases, r.restarts)
}

/// More cases than the window, faults among them (after, before and inside a scenario).
fn cases() -> Vec<LoadedCase> {
    let mut cases: Vec<LoadedCase> = (0..20).map(|i| case(&format!("p/a/{i}"), 0)).collect();
    cases.insert(3, case("p/s/faulty-scenario", 3));
    cases.insert(7, case("p/x/faulty", 0));
    cases.insert(12, case("p/s/plain-scenario", 2));
    cases.push(case("p/x/faulty-last", 0));
    cases
}

#[test]
fn a_pipelined_run_ends_as_the_lockstep_run_whatever_the_faults() {
    let cases = cases();
    for fault in [
        "none",
        "crash",
        "hang",
        "garbage",
        "wrong-id",
        "two-results",
        "hello-again",
        "echo",
    ] {
        let args = ["--fault", fault, "--on", "faulty"];
        let lockstep = run(&args, &cases, &options(&format!("lock-{fault}"), 1000))
            .unwrap_or_else(|e| panic!("{fault}: {e}"));
        let piped = [&args[..], &["--pipeline"]].concat();
        let pipelined = run(&piped, &cases, &options(&format!("pipe-{fault}"), 1000))
            .unwrap_or_else(|e| panic!("{fault}: {e}"));
        assert_eq!(outline(&pipelined), outline(&lockstep), "{fault}");
        // Turned off by the harness's options, the pipelining adapter runs in lockstep.
        let mut off = options(&format!("off-{fault}"), 1000);
        off.pipeline = false;
        let off = run(&piped, &cases, &off).unwrap_or_else(|e| panic!("{fault}: {e}"));
        assert_eq!(outline(&off), outline(&lockstep), "{fault}");
    }
}

#[test]
fn cases_are_sent_ahead_only_to_an_implementation_that_asks() {
    // The fake reads the next case before it answers this one: only a harness that sent
    // it ahead gets both answers; in lockstep the case hangs.
    let cases = [
        case("p/a/first", 0),
        case("p/r/read-ahead", 0),
        case("p/a/next", 0),
    ];
    let args = ["--fault", "read-ahead", "--on", "read-ahead"];
    let pipelined = run(
        &[&args[..], &["--pipeline"]].concat(),
        &cases,
        &options("ahead", 1000),
    )
    .unwrap();
    assert_eq!(
        states(&pipelined),
        [State::Skip; 3],
        "{:#?}",
        pipelined.results
    );
    assert_eq!(pipelined.restarts, 0);
    let lockstep = run(&args, &cases, &options("no-ahead", 1000)).unwrap();
    assert_eq!(
        states(&lockstep),
        [State::Skip, State::Hang, State::Skip],
        "{:#?}",
        lockstep.results
    );
}
