//! The terminal report: the cases wrongly accepted by severity first, then counts per
//! profile, then each profile's rules, then what did not pass (unexpected failures,
//! errata, not claimed, known divergences, stale entries), and the timing line.

use crate::grade::{CaseResult, State};
use crate::runner::Run;

use super::{
    accepted_by_severity, by_profile, codes_cell, not_claimed_groups, signer_clock, some_ids,
    timing, Tally, COLUMNS, WRONGLY_ACCEPTED,
};

/// The terminal table, with ANSI colour when `colour`.
pub fn table(run: &Run, colour: bool) -> String {
    let paint = |s: String, code: &str| {
        if colour {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s
        }
    };
    let mut out = String::new();
    out.push_str(&wrongly_accepted(run));
    let (profiles, unsent, total) = by_profile(run);
    let names: Vec<String> = profiles
        .iter()
        .flat_map(|p| {
            std::iter::once(p.profile.clone()).chain(p.rules.iter().map(|(r, _)| format!("  {r}")))
        })
        .chain(["total".to_owned(), "profile".to_owned()])
        .collect();
    let width = names.iter().map(String::len).max().unwrap_or(7);
    let head = |first: &str| {
        let mut line = format!("{first:<width$}");
        for (h, _) in COLUMNS {
            line.push_str(&format!("  {h:>w$}", w = h.len().max(5)));
        }
        line.push_str(&format!("  {:>7}", "codes"));
        line
    };
    let row = |name: &str, t: &Tally| {
        let mut line = format!("{name:<width$}");
        for (h, count) in COLUMNS {
            line.push_str(&format!("  {:>w$}", count(t), w = h.len().max(5)));
        }
        line.push_str(&format!("  {:>7}", codes_cell(t)));
        if t.fail > 0 {
            paint(line, "31")
        } else if t.skip + t.known + t.erratum + t.not_claimed > 0 {
            paint(line, "33")
        } else {
            paint(line, "32")
        }
    };
    let rule_width = head("profile").chars().count();
    out.push_str(&format!("\n{}\n", head("profile")));
    for p in &profiles {
        out.push_str(&row(&p.profile, &p.total));
        out.push('\n');
    }
    out.push_str(&"-".repeat(rule_width));
    out.push('\n');
    out.push_str(&row("total", &total));
    out.push('\n');
    for (p, n) in &unsent {
        out.push_str(&format!(
            "({p}: {n} case(s), none sent: the implementation does not claim them)\n"
        ));
    }
    out.push_str(&format!("\nby rule\n{}\n", head("rule")));
    for p in &profiles {
        out.push_str(&format!("{}\n", p.profile));
        for (rule, t) in &p.rules {
            out.push_str(&row(&format!("  {rule}"), t));
            out.push('\n');
        }
    }
    let failures: Vec<&CaseResult> = run.results.iter().filter(|r| r.is_unexpected()).collect();
    if !failures.is_empty() {
        out.push_str(&format!("\n{} unexpected failure(s):\n", failures.len()));
        for r in failures {
            out.push_str(&format!(
                "  {} {} [{}]: {}\n",
                paint(r.state.label().to_uppercase(), "31"),
                r.id,
                r.rule,
                r.message
            ));
        }
    }
    let errata: Vec<&CaseResult> = run
        .results
        .iter()
        .filter(|r| r.state == State::Erratum)
        .collect();
    if !errata.is_empty() {
        out.push_str(&format!(
            "\n{} erratum case(s): the verdict differs from an upstream label listed as wrong in vectors/errata.json:\n",
            errata.len()
        ));
        for r in errata {
            out.push_str(&format!("  {} [{}]: {}\n", r.id, r.rule, r.message));
        }
    }
    let verdict_only: Vec<&str> = run
        .results
        .iter()
        .filter(|r| r.verdict_only && r.state != State::NotClaimed)
        .map(|r| r.id.as_str())
        .collect();
    if !verdict_only.is_empty() {
        out.push_str(&format!(
            "\n{} case(s) graded on the verdict only (their vectors state no error code): {}\n",
            verdict_only.len(),
            some_ids(&verdict_only, 3)
        ));
    }
    let unclaimed = not_claimed_groups(run);
    if !unclaimed.is_empty() {
        let n: usize = unclaimed.iter().map(|(_, ids)| ids.len()).sum();
        out.push_str(&format!("\n{n} case(s) not claimed, not sent:\n"));
        for (reason, ids) in unclaimed {
            out.push_str(&format!(
                "  {} case(s): {reason}: {}\n",
                ids.len(),
                some_ids(&ids, 3)
            ));
        }
    }
    let known: Vec<&CaseResult> = run
        .results
        .iter()
        .filter(|r| r.known.is_some() && r.state.is_failure())
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
    if let Some(clock) = signer_clock(run) {
        out.push_str(&format!("\n{clock}"));
    }
    out.push_str(&format!(
        "\n{}; {}\n",
        timing(run),
        if run.ok() {
            paint("PASS".into(), "32")
        } else {
            paint("FAIL".into(), "31")
        }
    ));
    out
}

/// The summary the report opens with: the cases accepted where the vector says reject,
/// by severity, with their ids (a listed one marked `(known)`).
pub fn wrongly_accepted(run: &Run) -> String {
    let groups = accepted_by_severity(run);
    let n: usize = groups.iter().map(|(_, v)| v.len()).sum();
    if n == 0 {
        return format!("wrongly accepted ({WRONGLY_ACCEPTED}): none\n");
    }
    let mut out = format!("wrongly accepted ({WRONGLY_ACCEPTED}): {n}\n");
    for (severity, cases) in groups {
        let ids: Vec<String> = cases
            .iter()
            .map(|r| {
                if r.known.is_some() {
                    format!("{} (known)", r.id)
                } else {
                    r.id.clone()
                }
            })
            .collect();
        out.push_str(&format!(
            "  {:<8} {:>4}{}\n",
            severity.as_str(),
            cases.len(),
            if ids.is_empty() {
                String::new()
            } else {
                format!("  {}", ids.join(", "))
            }
        ));
    }
    out
}
