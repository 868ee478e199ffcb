//! The reference verifier passes every vector (known divergences from external sets
//! aside), takes the strict side of every `either`, and the reports render.

use std::path::{Path, PathBuf};

use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::grade::State;
use jwtc_harness::outcome::Got;
use jwtc_harness::{reference, report, run};
use jwtc_vectors::load::{load, Loaded};
use jwtc_vectors::model::Verdict;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn suite() -> Loaded {
    load(&root().join("vectors")).unwrap_or_else(|e| panic!("{}", e.join("\n")))
}

fn known() -> ExpectedFailures {
    ExpectedFailures::load(&root().join("adapters/reference/expected-failures.json")).unwrap()
}

#[test]
fn reference_passes_every_vector() {
    let s = suite();
    let r = run::run_reference(&s.suite.version, s.suite.now, &s.cases, &known());
    let bad: Vec<String> = r
        .results
        .iter()
        .filter(|c| c.is_unexpected())
        .map(|c| format!("{}: {}", c.id, c.message))
        .collect();
    assert!(
        bad.is_empty(),
        "{} unexpected failure(s):\n{}",
        bad.len(),
        bad.join("\n")
    );
    assert!(
        r.stale.is_empty(),
        "stale expected-failure entries: {:?}",
        r.stale
    );
    // Our own vectors have no known divergences: those are for external sets only.
    assert!(r
        .results
        .iter()
        .filter(|c| c.known.is_some())
        .all(|c| c.id.starts_with("wycheproof/")));
}

#[test]
fn either_cases_take_the_strict_side() {
    // Rule ids, or case ids, where profiles.md says the reference takes the accepting side;
    // everywhere else it rejects.
    const ACCEPTING_EITHER: [&str; 2] = [
        // "the reference accepts and says so" (an unexpected aud).
        "core.aud-unexpected",
        // pendo.nonce: "the reference ... accepts an empty string"; the rule's other
        // `either` cases (a non-string nonce) take the strict side.
        "pendo/nonce/empty-string",
    ];
    let s = suite();
    let s2 = suite();
    for c in s2.cases.iter().filter(|c| c.profile != "jws") {
        let mut session = reference::session(&c.profile).expect("a reference profile");
        for (i, step) in c.steps.iter().enumerate() {
            let got = session.step(
                &step.input,
                &step.context,
                c.case.network.as_ref(),
                s.suite.now,
            );
            if step.expect.verdict != Verdict::Either {
                continue;
            }
            if ACCEPTING_EITHER.contains(&c.case.rule.as_str())
                || ACCEPTING_EITHER.contains(&c.case.id.as_str())
            {
                assert_eq!(
                    got.verdict,
                    Got::Accept,
                    "{} step {i}: {}",
                    c.case.id,
                    got.detail
                );
            } else {
                assert_eq!(
                    got.verdict,
                    Got::Reject,
                    "{} step {i} must be rejected (strict side)",
                    c.case.id
                );
                assert_eq!(
                    got.error, step.expect.error,
                    "{} step {i}: {}",
                    c.case.id, got.detail
                );
            }
        }
    }
}

#[test]
fn reports_render_every_case() {
    let s = suite();
    let cases: Vec<_> = s
        .cases
        .into_iter()
        .filter(|c| {
            c.case.id.starts_with("core/alg/") || c.case.id.starts_with("wycheproof/jws/tc36")
        })
        .collect();
    let r = run::run_reference(&s.suite.version, s.suite.now, &cases, &known());
    let json = report::json(&r);
    assert_eq!(json["results"].as_array().unwrap().len(), cases.len());
    assert_eq!(json["ok"], true);
    let md = report::markdown(&r);
    assert!(md.contains("| core.alg |"), "{md}");
    let junit = report::junit(&r);
    assert_eq!(junit.matches("<testcase ").count(), cases.len());
    assert!(
        junit.contains(r#"classname="core.alg""#)
            && junit.contains(r#"name="core/alg/alg-missing""#),
        "{junit}"
    );
    assert!(
        junit.contains("<testsuite name=\"core\"") && junit.contains("<testsuite name=\"jws\"")
    );
    let table = report::table(&r, false);
    assert!(table.contains("core.alg") && table.contains("PASS"));
}

#[test]
fn a_wrong_verdict_fails_the_run_and_a_listed_one_does_not() {
    let s = suite();
    let cases: Vec<_> = s
        .cases
        .into_iter()
        .filter(|c| c.case.id == "core/alg/alg-none-with-signature")
        .collect();
    // An implementation that accepts everything.
    let accept_all = |c: &jwtc_vectors::load::LoadedCase| {
        c.steps
            .iter()
            .map(|_| {
                (
                    jwtc_harness::outcome::Outcome::accept(serde_json::json!({})),
                    None,
                )
            })
            .collect()
    };
    let none = ExpectedFailures::default();
    let r = run::run_cases(
        "accept-all",
        "t",
        0,
        &cases,
        &none,
        jwtc_harness::grade::Codes::Column,
        accept_all,
    );
    assert!(!r.ok());
    assert_eq!(r.results[0].state, State::Fail);
    let listed = ExpectedFailures::parse(r#"{"core/alg/alg-none-*": "accepts alg none"}"#).unwrap();
    let r = run::run_cases(
        "accept-all",
        "t",
        0,
        &cases,
        &listed,
        jwtc_harness::grade::Codes::Column,
        accept_all,
    );
    assert!(r.ok());
    assert!(r.stale.is_empty());
    let unused = ExpectedFailures::parse(r#"{"core/nothing/*": "never fails"}"#).unwrap();
    let r = run::run_cases(
        "reference",
        "t",
        0,
        &[],
        &unused,
        jwtc_harness::grade::Codes::Column,
        accept_all,
    );
    assert_eq!(r.stale, vec!["core/nothing/*".to_string()]);
}
