//! The protocol runner against a fake implementation (src/bin/fake_iut.rs) that
//! misbehaves on request: every fault fails its case with a message saying what
//! happened, the implementation is restarted, and the run goes on. Every fault's message
//! is pinned by a snapshot (tests/snapshots/protocol__*.snap), the fake's path, the
//! temporary folder and the process id replaced through insta's filters.

use serde_json::{json, Value};
use std::time::{Duration, Instant};

use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::grade::State;
use jwtc_harness::iut::{self, Launch};
use jwtc_harness::outcome::Got;
use jwtc_vectors::load::LoadedCase;

mod common;

use common::{fake, log_path, options, root, run, states, FAKE};

/// A one-step case (profile core) with an empty context.
fn case(id: &str) -> LoadedCase {
    scenario(id, 0, None)
}

/// A case of `steps` steps (0: a plain case), with a network map; its context is
/// `{"n": 1}`, and its second step's `{"n": 2}`.
fn scenario(id: &str, steps: usize, network: Option<Value>) -> LoadedCase {
    let mut c = common::accept_model(id, id, steps);
    c.context = json!({"n": 1});
    c.network = network;
    if let Some(second) = c.steps.as_mut().and_then(|s| s.get_mut(1)) {
        second.context = Some(json!({"n": 2}));
    }
    common::load(c)
}

/// Regex-escapes a literal for insta's filters.
fn literal(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~".contains(c);
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

/// Snapshots `lines` as `name` with what differs between machines and runs replaced: the
/// fake's path (`[fake-iut]`), the temporary folder (`[tmp]`), this process's id (`[pid]`)
/// and the shell's wording of "not found".
fn snapshot(name: &str, lines: &[String]) {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(&literal(FAKE), "[fake-iut]");
    let tmp = std::env::temp_dir();
    settings.add_filter(&literal(tmp.to_str().unwrap_or("/tmp")), "[tmp]");
    settings.add_filter(&format!("-{}-", std::process::id()), "-[pid]-");
    // The shell's own wording of "not found" differs (dash, bash): keep only its gist.
    settings.add_filter(
        r"its stderr ends: sh: [^(]*not found",
        "its stderr ends: [sh: … not found]",
    );
    settings.bind(|| insta::assert_snapshot!(name, lines.join("\n")));
}

#[test]
fn every_fault_fails_its_case_and_the_run_goes_on() {
    // (fault, state of the faulty case, what its message must say)
    let table: [(&str, State, &str); 12] = [
        ("crash", State::Crash, "exited (exit code 3)"),
        ("abort", State::Crash, "killed by signal 6 (SIGABRT"),
        ("exit", State::Crash, "exited (exit code 0)"),
        ("hang", State::Hang, "no answer within the time-out of 1 s"),
        (
            "close-stdout",
            State::Crash,
            "closed its stdout but kept running",
        ),
        ("garbage", State::Crash, "a line that is not JSON"),
        (
            "deep",
            State::Crash,
            "printed a line that nests deeper than the harness reads (128 levels",
        ),
        ("huge", State::Crash, "longer than 1 MiB"),
        (
            "wrong-id",
            State::Crash,
            "answered case \"not/the/case\" while case \"t/f/faulty\" was running",
        ),
        (
            "hello-again",
            State::Crash,
            "sent hello in the middle of a case",
        ),
        (
            "two-results",
            State::Crash,
            "sent a second answer for this case",
        ),
        ("none", State::Skip, "skipped: fake"),
    ];
    let cases = [case("t/f/first"), case("t/f/faulty"), case("t/f/last")];
    let mut messages = Vec::new();
    for (fault, state, says) in table {
        let started = Instant::now();
        let r = run(
            &["--fault", fault, "--on", "faulty"],
            &cases,
            &options(fault, 1000),
        )
        .unwrap_or_else(|e| panic!("{fault}: {e}"));
        assert_eq!(
            states(&r),
            [State::Skip, state, State::Skip],
            "{fault}: {:#?}",
            r.results
        );
        let faulty = &r.results[1];
        messages.push(format!(
            "{fault:<13} {:<5} {}",
            faulty.state.as_str(),
            faulty.message
        ));
        assert!(
            faulty.message.contains(says),
            "{fault}: {:?} does not say {says:?}",
            faulty.message
        );
        assert_eq!(r.restarts, usize::from(state != State::Skip), "{fault}");
        assert_eq!(r.ok(), state == State::Skip, "{fault}");
        assert_eq!(
            r.results[2].message, "skipped: fake",
            "{fault}: the run went on"
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{fault} took {:?}",
            started.elapsed()
        );
    }
    snapshot("fault_messages", &messages);
}

#[test]
fn a_second_answer_to_the_last_case_is_caught_at_the_end() {
    let cases = [case("t/f/first"), case("t/f/faulty")];
    let r = run(
        &["--fault", "two-results", "--on", "faulty"],
        &cases,
        &options("two-last", 2000),
    )
    .unwrap();
    assert_eq!(states(&r), [State::Skip, State::Crash]);
    assert!(
        r.results[1].message.contains("second answer"),
        "{}",
        r.results[1].message
    );
    assert_eq!(r.restarts, 0);
    snapshot("second_answer_at_the_end", &[r.results[1].message.clone()]);
}

#[test]
fn an_implementation_that_does_not_come_back_fails_the_rest_quickly() {
    // --once: the first start works, every restart dies at hello.
    let marker = log_path("once").with_file_name("started");
    let _ = std::fs::create_dir_all(marker.parent().unwrap());
    let _ = std::fs::remove_file(&marker);
    let cases: Vec<LoadedCase> = (0..6).map(|i| case(&format!("t/r/c{i}"))).collect();
    let r = run(
        &[
            "--fault",
            "crash",
            "--on",
            "c1",
            "--once",
            marker.to_str().unwrap(),
        ],
        &cases,
        &options("once", 2000),
    )
    .unwrap();
    assert_eq!(
        states(&r),
        [
            State::Skip,
            State::Crash,
            State::Crash,
            State::Crash,
            State::Crash,
            State::Crash
        ]
    );
    for i in 2..5 {
        assert!(
            r.results[i]
                .message
                .contains("could not restart the implementation")
                && r.results[i].message.contains("exited (exit code 7)"),
            "{}",
            r.results[i].message
        );
    }
    assert!(
        r.results[5].message.contains("failed to restart 3 times"),
        "{}",
        r.results[5].message
    );
    assert_eq!(r.restarts, 3);
    let messages: Vec<String> = r.results[2..]
        .iter()
        .map(|c| format!("{}  {}", c.id, c.message))
        .collect();
    snapshot("restart_failure_messages", &messages);
}

#[test]
fn start_failures_are_setup_errors_that_say_what_happened() {
    let cases = [case("t/s/one")];
    let mut messages = Vec::new();
    let table: [(Launch, &str); 5] = [
        (fake(&["--fault", "no-hello"]), "no hello within 1 s"),
        (
            fake(&["--fault", "bad-hello"]),
            "answered hello with a JSON line that is not an object",
        ),
        (
            fake(&["--fault", "die-at-hello"]),
            "exited (exit code 7) instead of answering hello",
        ),
        (
            Launch::argv(&["/nonexistent/jwtc-iut".to_string()], None).unwrap(),
            "cannot run \"/nonexistent/jwtc-iut\": No such file or directory",
        ),
        (
            Launch::shell("jwtc-no-such-command-here"),
            "exited (exit code 127)",
        ),
    ];
    for (launch, says) in table {
        let mut opts = options("start", 1000);
        opts.start_timeout = Duration::from_secs(1);
        let e =
            iut::run(&launch, &opts, "t", 0, &cases, &ExpectedFailures::default()).expect_err(says);
        assert!(e.contains(says), "{e}");
        assert!(e.contains(&launch.shown), "names the command: {e}");
        assert!(!e.contains('\n'), "one line: {e}");
        messages.push(e);
    }
    // The shell's complaint reaches the message (from the stderr log).
    let e = iut::run(
        &Launch::shell("jwtc-no-such-command-here"),
        &options("start-sh", 1000),
        "t",
        0,
        &cases,
        &ExpectedFailures::default(),
    )
    .unwrap_err();
    assert!(e.contains("not found"), "{e}");
    messages.push(e);
    snapshot("start_failure_messages", &messages);
}

#[test]
fn stderr_goes_to_the_log() {
    let opts = options("stderr", 2000);
    run(&["--fault", "stderr"], &[case("t/l/one")], &opts).unwrap();
    let log = std::fs::read_to_string(&opts.stderr_log).unwrap();
    assert!(log.contains("a line for the log about t/l/one"), "{log}");
}

#[test]
fn the_harness_plays_the_network() {
    let allowed = "https://keys.example/jwks.json";
    let network = json!({ allowed: {"status": 200, "body": "{\"keys\":[]}", "headers": {"content-type": "application/json"}} });
    let cases = [scenario("t/n/fetch", 0, Some(network))];
    // An allowed URL: the entry verbatim; the fetch is logged.
    let r = run(
        &["--fault", "fetch", "--url", allowed],
        &cases,
        &options("net-ok", 2000),
    )
    .unwrap();
    let got = &r.results[0].got;
    assert_eq!(r.results[0].state, State::Pass, "{}", r.results[0].message);
    assert_eq!(got.fetches, [allowed]);
    assert_eq!(
        got.output,
        Some(
            json!({"type": "fetched", "url": allowed, "status": 200, "body": "{\"keys\":[]}",
                    "headers": {"content-type": "application/json"}})
        )
    );
    // Another URL: 599 with the reason, and the case fails whatever the verdict.
    let evil = "https://evil.example/jwks.json";
    let r = run(
        &["--fault", "fetch", "--url", evil],
        &cases,
        &options("net-evil", 2000),
    )
    .unwrap();
    let res = &r.results[0];
    assert_eq!(res.state, State::Fail);
    assert!(
        res.message.contains("which the case does not allow"),
        "{}",
        res.message
    );
    assert_eq!(
        res.got.output,
        Some(
            json!({"type": "fetched", "url": evil, "status": 599, "body": "",
                    "error": "not in this case's network"})
        )
    );
}

#[test]
fn a_scenario_is_one_case_message_per_step() {
    let c = scenario("t/s/three", 3, None);
    // The fake echoes each case message as its output: expect exactly the documented shape.
    let mut c2 = c.clone();
    for (i, step) in c2.steps.iter_mut().enumerate() {
        step.expect.output = Some(json!({
            "type": "case", "id": "t/s/three", "profile": "core", "step": i, "steps": 3,
            "input": {"token": format!("t/s/three#{i}")},
            "context": {"n": if i == 0 { 1 } else { 2 }},
        }));
    }
    let r = run(&["--fault", "echo"], &[c2], &options("scenario", 2000)).unwrap();
    assert_eq!(r.results[0].state, State::Pass, "{}", r.results[0].message);
    // A skip at step 0 ends the case: one skip, the reason kept.
    let r = run(&["--fault", "none"], &[c], &options("scenario-skip", 2000)).unwrap();
    assert_eq!(r.results[0].state, State::Skip);
    assert_eq!(r.results[0].message, "step 1/3 (part 1): skipped: fake");
}

#[test]
fn profiles_and_features_the_implementation_does_not_claim_are_not_sent() {
    let mut jws = case("t/p/jws");
    jws.profile = "jws".into();
    let mut es512 = case("t/p/es512");
    es512.case.features = vec!["es512".into()];
    let mut fetch = case("t/p/fetch");
    fetch.case.features = vec!["jwks-fetch".into()];
    let r = run(
        &[
            "--fault",
            "echo",
            "--profiles",
            "core,pendo",
            "--features",
            "jwks-fetch",
        ],
        &[case("t/p/core"), jws, es512.clone(), fetch.clone()],
        &options("profiles", 2000),
    )
    .unwrap();
    assert_eq!(
        states(&r),
        [
            State::Pass,
            State::NotClaimed,
            State::NotClaimed,
            State::Pass
        ]
    );
    assert_eq!(
        r.results[1].message,
        "not sent: the implementation's hello lists profiles [core, pendo], not jws"
    );
    assert_eq!(
        r.results[2].message,
        "not sent: the case needs feature(s) es512, which the implementation does not claim (it claims: jwks-fetch)"
    );
    // No list claims every feature; an empty list none; an unknown name is a setup error.
    let all = run(
        &["--fault", "echo"],
        &[es512.clone()],
        &options("all", 2000),
    )
    .unwrap();
    assert_eq!(states(&all), [State::Pass]);
    let none = run(
        &["--fault", "echo", "--features", ""],
        &[es512, fetch],
        &options("none", 2000),
    )
    .unwrap();
    assert_eq!(states(&none), [State::NotClaimed, State::NotClaimed]);
    let e = run(
        &["--fault", "echo", "--features", "es521"],
        &[case("t/p/x")],
        &options("unknown", 2000),
    )
    .unwrap_err();
    assert!(
        e.contains("answered hello with feature \"es521\" is not one the suite defines (jws-payload, es512"),
        "{e}"
    );
    assert_eq!(r.results[0].got.verdict, Got::Accept);
    assert_eq!(r.implementation, "fake 0");
}

#[test]
fn reports_of_protocol_runs_are_valid() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("vectors/schema/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let cases = [case("t/v/ok"), case("t/v/faulty"), case("t/v/three")];
    let r = run(
        &["--fault", "hang", "--on", "faulty"],
        &cases,
        &options("report", 1000),
    )
    .unwrap();
    let report = jwtc_harness::report::json(&r);
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(report["results"][1]["state"], "hang");
    assert_eq!(
        report["results"][1]["input"],
        json!({"token": "t/v/faulty"})
    );
    assert_eq!(report["restarts"], 1);
    let html = jwtc_harness::report::html(&r);
    assert!(
        html.contains("HANG") && html.contains("t/v/faulty"),
        "{html}"
    );
}

#[test]
fn protocol_parse_errors() {
    // Every way a line from the implementation fails to be a message, as the case's message says it.
    let lines = [
        "DEBUG: verifying t/p/one".to_string(),
        "\"hello?\"".into(),
        "[1, 2]".into(),
        r#"{"type": "nope", "id": "t/p/one"}"#.into(),
        r#"{"type": "result", "id": "t/p/one"}"#.into(),
        r#"{"type": "result", "id": "t/p/one", "verdict": "maybe"}"#.into(),
        r#"{"type": "skip", "id": "t/p/one"}"#.into(),
        r#"{"type": "fetch"}"#.into(),
        format!("{}{}", "[".repeat(200), "]".repeat(200)),
        format!("{{\"type\": \"result\", \"id\": \"{}\"", "x".repeat(300)),
    ];
    let messages: Vec<String> = lines
        .iter()
        .map(|l| match jwtc_harness::protocol::FromIut::parse(l) {
            Ok(m) => panic!("{l} parsed as {m:?}"),
            Err(e) => e,
        })
        .collect();
    snapshot("parse_errors", &messages);
}
