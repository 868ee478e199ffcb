//! Reports of a run: a terminal table by rule, JSON (schema in
//! vectors/schema/report.schema.json), Markdown, and JUnit XML.

use serde_json::{json, Value};
use std::collections::BTreeMap;

use jwtc_verifier::rules::RULES;

use crate::grade::State;
use crate::run::{CaseResult, Run};

/// Counts for one rule (or the total).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tally {
    /// Cases run.
    pub cases: usize,
    /// Passed.
    pub pass: usize,
    /// Failed, hung or crashed, and not listed as expected.
    pub fail: usize,
    /// Failed, hung or crashed, and listed in expected-failures.
    pub known: usize,
    /// Skipped by the implementation.
    pub skip: usize,
    /// Rejects whose error code was compared.
    pub codes_compared: usize,
    /// ... and agreed.
    pub codes_agree: usize,
}

impl Tally {
    fn add(&mut self, r: &CaseResult) {
        self.cases += 1;
        match r.state {
            State::Pass => self.pass += 1,
            State::Skip => self.skip += 1,
            State::Fail | State::Hang | State::Crash if r.known.is_some() => self.known += 1,
            State::Fail | State::Hang | State::Crash => self.fail += 1,
        }
        if let Some(a) = r.code_agrees {
            self.codes_compared += 1;
            self.codes_agree += usize::from(a);
        }
    }
}

/// Per-rule tallies in rule-catalogue order, and the total.
pub fn tallies(run: &Run) -> (Vec<(String, Tally)>, Tally) {
    let mut by_rule: BTreeMap<String, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    for r in &run.results {
        by_rule.entry(r.rule.clone()).or_default().add(r);
        total.add(r);
    }
    let mut ordered = Vec::new();
    for rule in RULES {
        if let Some(t) = by_rule.remove(rule.id) {
            ordered.push((rule.id.to_owned(), t));
        }
    }
    ordered.extend(by_rule);
    (ordered, total)
}

fn codes_cell(t: &Tally) -> String {
    if t.codes_compared == 0 {
        "-".into()
    } else {
        format!("{}/{}", t.codes_agree, t.codes_compared)
    }
}

/// The terminal table, with ANSI colour when `colour`.
pub fn table(run: &Run, colour: bool) -> String {
    let paint = |s: String, code: &str| {
        if colour {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s
        }
    };
    let (rules, total) = tallies(run);
    let width = rules.iter().map(|(r, _)| r.len()).max().unwrap_or(4).max(5);
    let mut out = format!(
        "{:<width$}  {:>5}  {:>5}  {:>5}  {:>5}  {:>5}  {:>9}\n",
        "rule", "cases", "pass", "fail", "known", "skip", "codes"
    );
    let row = |name: &str, t: &Tally| {
        let line = format!(
            "{:<width$}  {:>5}  {:>5}  {:>5}  {:>5}  {:>5}  {:>9}",
            name,
            t.cases,
            t.pass,
            t.fail,
            t.known,
            t.skip,
            codes_cell(t)
        );
        if t.fail > 0 {
            paint(line, "31")
        } else if t.skip > 0 || t.known > 0 {
            paint(line, "33")
        } else {
            paint(line, "32")
        }
    };
    for (rule, t) in &rules {
        out.push_str(&row(rule, t));
        out.push('\n');
    }
    out.push_str(&"-".repeat(width + 50));
    out.push('\n');
    out.push_str(&row("total", &total));
    out.push('\n');
    let failures: Vec<&CaseResult> = run.results.iter().filter(|r| r.is_unexpected()).collect();
    if !failures.is_empty() {
        out.push_str(&format!("\n{} unexpected failure(s):\n", failures.len()));
        for r in failures {
            out.push_str(&format!(
                "  {} {} [{}]: {}\n",
                paint(r.state.as_str().to_uppercase(), "31"),
                r.id,
                r.rule,
                r.message
            ));
        }
    }
    let known: Vec<&CaseResult> = run
        .results
        .iter()
        .filter(|r| r.known.is_some() && r.state != State::Pass)
        .collect();
    if !known.is_empty() {
        out.push_str(&format!(
            "\n{} known divergence(s), listed in expected-failures.json:\n",
            known.len()
        ));
        for r in known {
            out.push_str(&format!(
                "  {} [{}]: {}\n    reason: {}\n",
                r.id,
                r.rule,
                r.message,
                r.known.as_deref().unwrap_or("")
            ));
        }
    }
    if !run.stale.is_empty() {
        out.push_str(&format!(
            "\n{} stale expected-failure entr(y/ies) (no longer failing):\n",
            run.stale.len()
        ));
        for s in &run.stale {
            out.push_str(&format!("  {s}\n"));
        }
    }
    out.push_str(&format!(
        "\n{}: {} cases in {:.3} s ({:.0} cases/s), {} restart(s); {}\n",
        run.implementation,
        total.cases,
        run.wall.as_secs_f64(),
        run.rate(),
        run.restarts,
        if run.ok() {
            paint("PASS".into(), "32")
        } else {
            paint("FAIL".into(), "31")
        }
    ));
    out
}

/// The JSON report (vectors/schema/report.schema.json).
pub fn json(run: &Run) -> Value {
    let (rules, total) = tallies(run);
    let tally = |t: &Tally| {
        json!({"cases": t.cases, "pass": t.pass, "fail": t.fail, "known": t.known, "skip": t.skip,
               "codes_compared": t.codes_compared, "codes_agree": t.codes_agree})
    };
    json!({
        "schema": 1,
        "implementation": run.implementation,
        "suite_version": run.suite_version,
        "now": run.now,
        "ok": run.ok(),
        "wall_seconds": run.wall.as_secs_f64(),
        "cases_per_second": run.rate(),
        "restarts": run.restarts,
        "total": tally(&total),
        "rules": rules.iter().map(|(r, t)| { let mut v = tally(t); v["rule"] = json!(r); v }).collect::<Vec<_>>(),
        "stale": run.stale,
        "results": run.results.iter().map(|r| json!({
            "id": r.id,
            "rule": r.rule,
            "profile": r.profile,
            "severity": r.severity.as_str(),
            "state": r.state.as_str(),
            "expected": r.expected,
            "got": r.got,
            "code_agrees": r.code_agrees,
            "message": r.message,
            "known": r.known,
        })).collect::<Vec<_>>(),
    })
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The Markdown report: the table by rule and every failure.
pub fn markdown(run: &Run) -> String {
    let (rules, total) = tallies(run);
    let mut out = format!(
        "# jwtc conformance: {}\n\nSuite {} at clock {}; {} cases in {:.3} s; result: **{}**.\n\n",
        run.implementation,
        run.suite_version,
        run.now,
        total.cases,
        run.wall.as_secs_f64(),
        if run.ok() { "pass" } else { "FAIL" }
    );
    out.push_str("| rule | cases | pass | fail | known | skip | codes agree |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (rule, t) in rules
        .iter()
        .chain(std::iter::once(&("**total**".to_string(), total.clone())))
    {
        out.push_str(&format!(
            "| {rule} | {} | {} | {} | {} | {} | {} |\n",
            t.cases,
            t.pass,
            t.fail,
            t.known,
            t.skip,
            codes_cell(t)
        ));
    }
    let listed: Vec<&CaseResult> = run
        .results
        .iter()
        .filter(|r| r.state != State::Pass)
        .collect();
    if !listed.is_empty() {
        out.push_str("\n## Cases not passing\n\n| case | rule | state | message | known reason |\n|---|---|---|---|---|\n");
        for r in listed {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                r.id,
                r.rule,
                r.state.as_str(),
                md_escape(&r.message),
                md_escape(r.known.as_deref().unwrap_or(""))
            ));
        }
    }
    out
}

/// JUnit XML: one testsuite per profile, one testcase per vector (classname the rule
/// id, name the case id); failures carry expected and got; skips their reason.
pub fn junit(run: &Run) -> String {
    use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
    let mut report = Report::new(format!("jwtc conformance: {}", run.implementation));
    let mut suites: BTreeMap<&str, TestSuite> = BTreeMap::new();
    for r in &run.results {
        let status = match r.state {
            State::Pass => TestCaseStatus::success(),
            State::Skip => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(r.message.clone());
                s
            }
            State::Fail | State::Hang | State::Crash if r.known.is_some() => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(format!(
                    "known divergence: {} ({})",
                    r.known.as_deref().unwrap_or(""),
                    r.message
                ));
                s
            }
            State::Fail | State::Hang | State::Crash => {
                let kind = if r.state == State::Fail {
                    NonSuccessKind::Failure
                } else {
                    NonSuccessKind::Error
                };
                let mut s = TestCaseStatus::non_success(kind);
                s.set_message(r.message.clone());
                s.set_type(r.state.as_str());
                s.set_description(format!(
                    "{}\nexpected: {}\ngot: {}\ninput: {}",
                    r.message,
                    serde_json::to_string(&r.expected).unwrap_or_default(),
                    serde_json::to_string(&r.got).unwrap_or_default(),
                    r.input
                ));
                s
            }
        };
        let mut case = TestCase::new(r.id.clone(), status);
        case.set_classname(r.rule.clone());
        suites
            .entry(r.profile.as_str())
            .or_insert_with(|| TestSuite::new(r.profile.clone()))
            .add_test_case(case);
    }
    report.add_test_suites(suites.into_values());
    report
        .to_string()
        .unwrap_or_else(|e| format!("<!-- could not write JUnit XML: {e} -->"))
}
