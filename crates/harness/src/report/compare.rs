//! The comparison of a run with an earlier JSON report (`--baseline`): what newly fails,
//! what newly passes, what was added and removed.

use serde_json::Value;
use std::collections::BTreeMap;

use crate::grade::State;
use crate::runner::Run;

use super::md_escape;

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
    let bad = |s: &str| matches!(s, "fail" | "hang" | "crash" | "over_budget");
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
