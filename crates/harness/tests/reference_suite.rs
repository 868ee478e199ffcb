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
    ExpectedFailures::load(&root().join("adapters/reference/expected-failures.json"))
        .unwrap()
        .with_errata(jwtc_vectors::errata::Errata::load(&root().join("vectors")).unwrap())
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
    // The suite's errata are errata, not failures; ES512, which the reference does not
    // claim, is not sent.
    let ids = |state: State| -> Vec<&str> {
        r.results
            .iter()
            .filter(|c| c.state == state)
            .map(|c| c.id.as_str())
            .collect()
    };
    assert_eq!(
        ids(State::Erratum),
        [
            "wycheproof/jws/tc367",
            "wycheproof/jws/tc370",
            "wycheproof/jws/tc372",
            "wycheproof/jws/tc373"
        ]
    );
    assert_eq!(
        ids(State::NotClaimed),
        ["wycheproof/jws/tc347", "wycheproof/jws/tc351"]
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
    // Rule ids, or case ids, where docs/rules.md says the reference takes the accepting side;
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

#[test]
fn the_json_report_follows_its_schema_and_the_schema_can_say_no() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("vectors/schema/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let s = suite();
    let r = run::run_reference(&s.suite.version, s.suite.now, &s.cases, &known());
    let report = report::json(&r);
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The known divergences carry what was sent; passes do not.
    let listed = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["known"].is_string())
        .expect("a known divergence");
    assert!(listed["input"].is_object() && listed["context"].is_object());
    // (JSON pointer, a value the schema must refuse there)
    let broken: [(&str, serde_json::Value); 5] = [
        ("/results/0/state", serde_json::json!("maybe")),
        ("/total/pass", serde_json::json!(-1)),
        ("/ok", serde_json::json!("yes")),
        ("/results/0/got/verdict", serde_json::json!("timeout")),
        ("/schema", serde_json::json!(2)),
    ];
    for (at, bad) in broken {
        let mut doc = report.clone();
        *doc.pointer_mut(at).unwrap() = bad;
        assert!(!validator.is_valid(&doc), "{at} was accepted");
    }
    let mut doc = report.clone();
    let failing = doc["results"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["state"] == "fail")
        .unwrap();
    failing.as_object_mut().unwrap().remove("input");
    assert!(
        !validator.is_valid(&doc),
        "a failing case without its input was accepted"
    );
}

/// An implementation that accepts everything, with markup in its messages.
fn accept_all(c: &jwtc_vectors::load::LoadedCase) -> Vec<run::Answer> {
    c.steps
        .iter()
        .map(|_| {
            let mut o = jwtc_harness::outcome::Outcome::accept(serde_json::json!({"x": "<b>"}));
            o.detail = "<script>alert('x')</script> & \"quotes\"".into();
            (o, None)
        })
        .collect()
}

#[test]
fn the_html_report_is_self_contained_and_escaped() {
    let s = suite();
    let cases: Vec<_> = s
        .cases
        .into_iter()
        .filter(|c| c.case.id.starts_with("core/alg/"))
        .collect();
    let r = run::run_cases(
        "accept <all>",
        "t",
        0,
        &cases,
        &ExpectedFailures::default(),
        jwtc_harness::grade::Codes::Column,
        accept_all,
    );
    assert!(!r.ok());
    let html = report::html(&r);
    assert!(html.starts_with("<!doctype html>") && html.ends_with("</html>\n"));
    assert!(
        !html.contains("<script") && !html.contains("<b>"),
        "unescaped markup"
    );
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;")
    );
    assert!(html.contains("accept &lt;all&gt;"));
    for external in ["src=", "href=", "@import", "url("] {
        assert!(!html.contains(external), "external asset: {external}");
    }
    // Every rule row, and every failing case with what was sent.
    assert!(html.contains("<td>core.alg</td>"));
    let failing = r.results.iter().filter(|c| c.state == State::Fail).count();
    assert!(failing > 0);
    assert_eq!(html.matches("<details").count(), failing);
    assert_eq!(html.matches("<dt>input</dt>").count(), failing);
    assert_eq!(html.matches("<dt>context</dt>").count(), failing);
}

#[test]
fn a_baseline_comparison_names_what_newly_fails_and_passes() {
    let s = suite();
    let cases: Vec<_> = s
        .cases
        .into_iter()
        .filter(|c| c.case.id.starts_with("core/alg/"))
        .collect();
    let none = ExpectedFailures::default();
    let good = run::run_reference(&s.suite.version, s.suite.now, &cases, &none);
    let bad = run::run_cases(
        "accept-all",
        "t",
        0,
        &cases,
        &none,
        jwtc_harness::grade::Codes::Column,
        accept_all,
    );
    let failing: Vec<&str> = bad
        .results
        .iter()
        .filter(|c| c.is_unexpected())
        .map(|c| c.id.as_str())
        .collect();
    assert!(!failing.is_empty());
    // (baseline, run, newly failing, newly passing)
    let table = [
        (&good, &bad, failing.clone(), vec![]),
        (&bad, &good, vec![], failing.clone()),
        (&good, &good, vec![], vec![]),
    ];
    for (old, new, fails, passes) in table {
        let cmp = report::compare(new, &report::json(old)).unwrap();
        let ids = |v: &[report::Change]| v.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&cmp.newly_failing), fails);
        assert_eq!(ids(&cmp.newly_passing), passes);
        assert_eq!((cmp.added, cmp.removed), (0, 0));
        let text = cmp.render();
        assert!(
            text.contains(&format!(
                "{} newly failing, {} newly passing",
                fails.len(),
                passes.len()
            )),
            "{text}"
        );
    }
    // A baseline with fewer cases: the rest count as new, and new failures among them too.
    let mut old = report::json(&good);
    old["results"].as_array_mut().unwrap().truncate(1);
    let cmp = report::compare(&bad, &old).unwrap();
    assert_eq!(cmp.added, cases.len() - 1);
    assert!(cmp.newly_failing.iter().any(|c| c.was == "absent"));
    assert!(report::compare(&bad, &serde_json::json!({"x": 1}))
        .unwrap_err()
        .contains("no \"results\" array"));
}
