//! Reports of a run: a terminal table by rule, JSON (schema in
//! vectors/schema/report.schema.json), Markdown, JUnit XML and one self-contained HTML
//! page; and the comparison of a run with an earlier JSON report (`--baseline`).

use serde_json::{json, Value};
use std::collections::BTreeMap;

use jwtc_verifier::rules::RULES;

use crate::grade::{CaseResult, State};
use crate::runner::Run;

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

pub(crate) fn codes_cell(t: &Tally) -> String {
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
        "results": run.results.iter().map(|r| {
            let mut v = json!({
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
            });
            // A case that did not pass carries what was sent, to debug it from the report alone.
            if matches!(r.state, State::Fail | State::Hang | State::Crash) {
                v["input"] = r.input.clone();
                v["context"] = r.context.clone();
            }
            v
        }).collect::<Vec<_>>(),
    })
}

pub(crate) fn md_escape(s: &str) -> String {
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

/// Escapes text for HTML (element content and quoted attribute values).
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub(crate) const HTML_STYLE: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.2em .6em}\
td.n{text-align:right}tr.fail td{background:#fdd}tr.warn td{background:#ffd}tr.ok td{background:#efe}\
tr.total td{font-weight:bold}.pass{color:#070}.fail,.hang,.crash{color:#b00;font-weight:bold}\
.skip,.known{color:#860}pre{background:#f6f6f6;padding:.5em;overflow-x:auto;white-space:pre-wrap;word-break:break-all}\
details{margin:.4em 0;border-left:3px solid #ccc;padding-left:.6em}summary{cursor:pointer}dt{font-weight:bold}";

/// One self-contained HTML page: the rule × result table, then every case that did not
/// pass with its input, context, expected and got. No external assets; everything escaped.
pub fn html(run: &Run) -> String {
    let (rules, total) = tallies(run);
    let e = html_escape;
    let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string());
    let mut out = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>jwtc conformance: {impl_}</title><style>{HTML_STYLE}</style></head><body>\n\
<h1>jwtc conformance: {impl_}</h1>\n<p>Suite {version} at clock {now}; {cases} cases in {wall:.3} s \
({rate:.0} cases/s); {restarts} restart(s); result: <span class=\"{cls}\">{verdict}</span>.</p>\n",
        impl_ = e(&run.implementation),
        version = e(&run.suite_version),
        now = run.now,
        cases = total.cases,
        wall = run.wall.as_secs_f64(),
        rate = run.rate(),
        restarts = run.restarts,
        cls = if run.ok() { "pass" } else { "fail" },
        verdict = if run.ok() { "PASS" } else { "FAIL" },
    );
    out.push_str("<table>\n<tr><th>rule</th><th>cases</th><th>pass</th><th>fail</th><th>known</th><th>skip</th><th>codes agree</th></tr>\n");
    let row = |name: &str, t: &Tally, extra: &str| {
        let cls = if t.fail > 0 {
            "fail"
        } else if t.skip > 0 || t.known > 0 {
            "warn"
        } else {
            "ok"
        };
        format!(
            "<tr class=\"{cls}{extra}\"><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
            e(name), t.cases, t.pass, t.fail, t.known, t.skip, e(&codes_cell(t))
        )
    };
    for (rule, t) in &rules {
        out.push_str(&row(rule, t, ""));
    }
    out.push_str(&row("total", &total, " total"));
    out.push_str("</table>\n");
    let mut order: Vec<&CaseResult> = run
        .results
        .iter()
        .filter(|r| r.state != State::Pass)
        .collect();
    // Unexpected failures first, then known divergences, then skips.
    order.sort_by_key(|r| (!r.is_unexpected(), r.state == State::Skip));
    let failing = order.iter().filter(|r| r.state != State::Skip).count();
    if failing > 0 {
        out.push_str(&format!("<h2>{failing} case(s) not passing</h2>\n"));
    }
    for r in order.iter().filter(|r| r.state != State::Skip) {
        let label = if r.known.is_some() {
            format!("{} (known)", r.state.as_str())
        } else {
            r.state.as_str().to_owned()
        };
        out.push_str(&format!(
            "<details{open}><summary><span class=\"{cls}\">{label}</span> <code>{id}</code> [{rule}, {sev}]: {msg}</summary>\n<dl>\n",
            open = if r.is_unexpected() { " open" } else { "" },
            cls = if r.known.is_some() { "known" } else { r.state.as_str() },
            label = e(&label.to_uppercase()),
            id = e(&r.id),
            rule = e(&r.rule),
            sev = r.severity.as_str(),
            msg = e(&r.message),
        ));
        if let Some(reason) = &r.known {
            out.push_str(&format!(
                "<dt>known divergence</dt><dd>{}</dd>\n",
                e(reason)
            ));
        }
        let expected = serde_json::to_value(&r.expected).unwrap_or(Value::Null);
        let got = serde_json::to_value(&r.got).unwrap_or(Value::Null);
        for (name, v) in [
            ("expected", &expected),
            ("got", &got),
            ("input", &r.input),
            ("context", &r.context),
        ] {
            out.push_str(&format!(
                "<dt>{name}</dt><dd><pre>{}</pre></dd>\n",
                e(&pretty(v))
            ));
        }
        out.push_str("</dl></details>\n");
    }
    let skips: Vec<&&CaseResult> = order.iter().filter(|r| r.state == State::Skip).collect();
    if !skips.is_empty() {
        out.push_str(&format!(
            "<h2>{} case(s) skipped</h2>\n<table>\n<tr><th>case</th><th>rule</th><th>reason</th></tr>\n",
            skips.len()
        ));
        for r in skips {
            out.push_str(&format!(
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>\n",
                e(&r.id),
                e(&r.rule),
                e(&r.message)
            ));
        }
        out.push_str("</table>\n");
    }
    if !run.stale.is_empty() {
        out.push_str("<h2>Stale expected-failure entries</h2>\n<ul>\n");
        for s in &run.stale {
            out.push_str(&format!("<li><code>{}</code></li>\n", e(s)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</body></html>\n");
    out
}

/// A case whose result changed against a baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// The case id.
    pub id: String,
    /// Its rule.
    pub rule: String,
    /// Its state in the baseline (`absent` when the baseline lacks it).
    pub was: String,
    /// Its state now.
    pub now: String,
    /// Why it fails now (empty for a pass).
    pub message: String,
}

/// What changed between a baseline report and this run.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The baseline's implementation and suite version, for the heading.
    pub baseline: String,
    /// Cases that fail now (unexpectedly) and did not in the baseline.
    pub newly_failing: Vec<Change>,
    /// Cases that pass now and failed, hung or crashed in the baseline.
    pub newly_passing: Vec<Change>,
    /// Cases this run has and the baseline does not.
    pub added: usize,
    /// Cases the baseline has and this run does not.
    pub removed: usize,
}

/// Compares `run` with `baseline`, an earlier JSON report. The error says what in the
/// baseline is not a report.
pub fn compare(run: &Run, baseline: &Value) -> Result<Comparison, String> {
    let results = baseline
        .get("results")
        .and_then(Value::as_array)
        .ok_or("it has no \"results\" array: is it a JSON report (--report json)?")?;
    let mut old: BTreeMap<&str, (&str, bool)> = BTreeMap::new();
    for (i, r) in results.iter().enumerate() {
        let (Some(id), Some(state)) = (
            r.get("id").and_then(Value::as_str),
            r.get("state").and_then(Value::as_str),
        ) else {
            return Err(format!("results[{i}] has no string \"id\" and \"state\""));
        };
        let known = r.get("known").is_some_and(|k| !k.is_null());
        old.insert(id, (state, known));
    }
    let bad = |s: &str| matches!(s, "fail" | "hang" | "crash");
    // An unexpected failure in the baseline: failed, hung or crashed, and not listed.
    let unexpected = |state: &str, known: bool| bad(state) && !known;
    let mut newly_failing = Vec::new();
    let mut newly_passing = Vec::new();
    let mut added = 0;
    for r in &run.results {
        let before = old.remove(r.id.as_str());
        if before.is_none() {
            added += 1;
        }
        let change = |was: &str| Change {
            id: r.id.clone(),
            rule: r.rule.clone(),
            was: was.to_owned(),
            now: r.state.as_str().to_owned(),
            message: r.message.clone(),
        };
        match before {
            Some((was, known)) if r.is_unexpected() && !unexpected(was, known) => {
                newly_failing.push(change(was))
            }
            None if r.is_unexpected() => newly_failing.push(change("absent")),
            Some((was, _)) if r.state == State::Pass && bad(was) => newly_passing.push(change(was)),
            _ => {}
        }
    }
    Ok(Comparison {
        baseline: format!(
            "{} (suite {})",
            baseline
                .get("implementation")
                .and_then(Value::as_str)
                .unwrap_or("?"),
            baseline
                .get("suite_version")
                .and_then(Value::as_str)
                .unwrap_or("?")
        ),
        newly_failing,
        newly_passing,
        added,
        removed: old.len(),
    })
}

impl Comparison {
    /// Markdown that reads as plain text too (what a CI job posts on a pull request).
    pub fn render(&self) -> String {
        let mut out = format!(
            "Compared with the baseline {}: {} newly failing, {} newly passing; {} case(s) new, {} gone.\n",
            self.baseline,
            self.newly_failing.len(),
            self.newly_passing.len(),
            self.added,
            self.removed
        );
        if !self.newly_failing.is_empty() {
            out.push_str("\nNewly failing:\n");
            for c in &self.newly_failing {
                out.push_str(&format!(
                    "- `{}` ({}): {} → {}: {}\n",
                    c.id,
                    c.rule,
                    c.was,
                    c.now,
                    md_escape(&c.message)
                ));
            }
        }
        if !self.newly_passing.is_empty() {
            out.push_str("\nNewly passing:\n");
            for c in &self.newly_passing {
                out.push_str(&format!(
                    "- `{}` ({}): {} → {}\n",
                    c.id, c.rule, c.was, c.now
                ));
            }
        }
        out
    }
}
