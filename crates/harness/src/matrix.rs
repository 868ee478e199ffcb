//! The implementations × rules matrix of `cargo xtask matrix`: one column per
//! implementation (an adapter folder or one of its variants), one row per rule, and for
//! each implementation its known divergences and skips grouped by reason. A row that
//! could not run here (a missing runtime, a failed install) is a column that says why.
//! As Markdown (docs/matrix.md) and one self-contained HTML page.

use std::collections::BTreeMap;

use crate::grade::State;
use crate::report::{codes_cell, html_escape, md_escape, tallies, Tally, HTML_STYLE};
use crate::runner::Run;

/// One implementation of the matrix.
#[derive(Clone, Debug)]
pub enum Column {
    /// It ran: the adapter row's name (`--impl` spec) and the run.
    Ran {
        /// `--impl` spec (`pyjwt`, `jsonwebtoken-rust:aws_lc_rs`).
        row: String,
        /// The run (its `implementation` is the hello's name and version).
        run: Run,
    },
    /// It did not run here, and why (shown as skipped, never as a failure).
    NotRun {
        /// `--impl` spec.
        row: String,
        /// Why: a missing runtime, a failed install or build.
        reason: String,
    },
}

impl Column {
    /// The `--impl` spec.
    pub fn row(&self) -> &str {
        match self {
            Column::Ran { row, .. } | Column::NotRun { row, .. } => row,
        }
    }
}

/// What the page says about the run as a whole.
#[derive(Clone, Debug)]
pub struct Meta {
    /// The suite version.
    pub suite_version: String,
    /// The suite clock.
    pub now: i64,
    /// The day of the run (YYYY-MM-DD), set by the caller.
    pub date: String,
    /// The command that made it.
    pub command: String,
}

/// A cell's text: `✅ 12/12`, `❌ 9/12 · 3 fail`, `🟡 10/12 · 2 known · 1 skip`, `⏭ 0/4 · 4 skip`.
fn cell(t: &Tally) -> String {
    if t.cases == 0 {
        return "·".into();
    }
    let mark = if t.fail > 0 {
        "❌"
    } else if t.known > 0 {
        "🟡"
    } else if t.skip + t.not_claimed == t.cases {
        "⏭"
    } else if t.skip + t.erratum + t.not_claimed > 0 {
        "🟡"
    } else {
        "✅"
    };
    let mut s = format!("{mark} {}/{}", t.pass, t.cases);
    for (n, what) in [
        (t.fail, "fail"),
        (t.known, "known"),
        (t.erratum, "erratum"),
        (t.not_claimed, "not claimed"),
        (t.skip, "skip"),
    ] {
        if n > 0 {
            s.push_str(&format!(" · {n} {what}"));
        }
    }
    s
}

/// The rules in catalogue order over every column that ran, each column's tallies.
fn grid(columns: &[Column]) -> (Vec<String>, Vec<BTreeMap<String, Tally>>, Vec<Tally>) {
    let mut order: Vec<String> = Vec::new();
    let mut per: Vec<BTreeMap<String, Tally>> = Vec::new();
    let mut totals = Vec::new();
    for c in columns {
        let (map, total) = match c {
            Column::Ran { run, .. } => {
                let (rules, total) = tallies(run);
                for (r, _) in &rules {
                    if !order.contains(r) {
                        order.push(r.clone());
                    }
                }
                (rules.into_iter().collect(), total)
            }
            Column::NotRun { .. } => (BTreeMap::new(), Tally::default()),
        };
        per.push(map);
        totals.push(total);
    }
    (order, per, totals)
}

/// A column's heading: the implementation's name and version, and the row spec.
fn heading(c: &Column) -> String {
    match c {
        Column::Ran { row, run } if run.implementation != *row => {
            format!("{} (`{row}`)", run.implementation)
        }
        _ => format!("`{}`", c.row()),
    }
}

/// The known divergences and skips of one run, grouped by reason, in first-seen order:
/// (reason, case ids).
fn grouped(run: &Run, skips: bool) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for r in &run.results {
        let reason = match (skips, r.state, &r.known) {
            (false, s, Some(why)) if s.is_failure() => why.clone(),
            (true, State::Skip | State::NotClaimed, _) => r.message.clone(),
            _ => continue,
        };
        match groups.iter_mut().find(|(g, _)| *g == reason) {
            Some((_, ids)) => ids.push(r.id.clone()),
            None => groups.push((reason, vec![r.id.clone()])),
        }
    }
    groups
}

/// The first few ids and how many more.
fn ids_shown(ids: &[String], max: usize) -> String {
    let mut s = ids
        .iter()
        .take(max)
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > max {
        s.push_str(&format!(" and {} more", ids.len() - max));
    }
    s
}

/// The summary line of one column: state, counts.
fn summary(c: &Column, t: &Tally) -> Vec<String> {
    match c {
        Column::Ran { run, .. } => {
            let count = |s: State| run.results.iter().filter(|r| r.state == s).count();
            let (hang, crash, over) = (
                count(State::Hang),
                count(State::Crash),
                count(State::OverBudget),
            );
            vec![
                heading(c),
                if run.ok() { "pass" } else { "**FAIL**" }.into(),
                t.cases.to_string(),
                t.pass.to_string(),
                t.fail.to_string(),
                t.known.to_string(),
                t.erratum.to_string(),
                t.not_claimed.to_string(),
                t.skip.to_string(),
                format!("{hang} / {crash} / {over}"),
                codes_cell(t),
            ]
        }
        Column::NotRun { reason, .. } => {
            let mut v = vec![heading(c), format!("not run: {}", md_escape(reason))];
            v.extend(std::iter::repeat_n("-".to_string(), SUMMARY_HEAD.len() - 2));
            v
        }
    }
}

const SUMMARY_HEAD: [&str; 11] = [
    "implementation",
    "result",
    "cases",
    "pass",
    "fail",
    "known",
    "erratum",
    "not claimed",
    "skip",
    "hang / crash / over budget",
    "codes agree",
];

/// The Markdown page.
pub fn markdown(columns: &[Column], meta: &Meta) -> String {
    let (rules, per, totals) = grid(columns);
    let mut out = format!(
        "# Conformance matrix\n\n\
Generated by `{cmd}` on {date}: suite {version} at clock {now}. Do not edit by hand.\n\n\
Each implementation is a real library behind an adapter in `adapters/<name>/`, configured \
with its strictest documented settings (each adapter's README says how). A case it fails \
is listed in its `expected-failures.json` with the library behaviour that causes it \
(shown as *known*), so the run stays green while every finding stays visible; \
[findings.md](findings.md) explains each one and what a user must add. A *skip* is a case \
the library cannot express, with the adapter's reason; a case *not claimed* needs an optional \
feature the adapter's hello does not claim (docs/protocol.md), and was not sent; an *erratum* \
is a verdict against an upstream label the suite lists as wrong (vectors/errata.json).\n\n",
        cmd = meta.command,
        date = meta.date,
        version = meta.suite_version,
        now = meta.now,
    );
    out.push_str(&format!(
        "| {} |\n|{}\n",
        SUMMARY_HEAD.join(" | "),
        "---|".repeat(SUMMARY_HEAD.len())
    ));
    for (c, t) in columns.iter().zip(&totals) {
        out.push_str(&format!("| {} |\n", summary(c, t).join(" | ")));
    }
    out.push_str("\n## By rule\n\n✅ all pass · 🟡 known divergences or skips · ❌ unexpected failures · ⏭ all skipped · cells are pass/cases\n\n| rule |");
    for c in columns {
        out.push_str(&format!(" {} |", c.row()));
    }
    out.push_str(&format!("\n|---|{}\n", "---|".repeat(columns.len())));
    for rule in &rules {
        out.push_str(&format!("| {rule} |"));
        for (c, map) in columns.iter().zip(&per) {
            let text = match c {
                Column::NotRun { .. } => "not run".into(),
                Column::Ran { .. } => map.get(rule).map(cell).unwrap_or_else(|| "·".into()),
            };
            out.push_str(&format!(" {text} |"));
        }
        out.push('\n');
    }
    for c in columns {
        out.push_str(&format!("\n## {}\n\n", heading(c)));
        match c {
            Column::NotRun { reason, .. } => {
                out.push_str(&format!(
                    "Not run on this machine: {}.\n",
                    md_escape(reason)
                ));
            }
            Column::Ran { run, .. } => {
                let known = grouped(run, false);
                let skips = grouped(run, true);
                let fails: Vec<_> = run.results.iter().filter(|r| r.is_unexpected()).collect();
                if known.is_empty() && skips.is_empty() && fails.is_empty() {
                    out.push_str("Every case passes.\n");
                }
                if !fails.is_empty() {
                    out.push_str(&format!(
                        "**{} unexpected failure(s)** (not in its expected-failures list):\n\n",
                        fails.len()
                    ));
                    for r in fails {
                        out.push_str(&format!(
                            "- `{}` ({}): {}\n",
                            r.id,
                            r.state.as_str(),
                            md_escape(&r.message)
                        ));
                    }
                    out.push('\n');
                }
                if !known.is_empty() {
                    out.push_str("Known divergences, by the library behaviour behind them:\n\n| cases | behaviour |\n|---|---|\n");
                    for (why, ids) in &known {
                        out.push_str(&format!(
                            "| {} ({}) | {} |\n",
                            ids_shown(ids, 4),
                            ids.len(),
                            md_escape(why)
                        ));
                    }
                    out.push('\n');
                }
                if !skips.is_empty() {
                    out.push_str(
                        "Skipped, with the adapter's reason:\n\n| cases | reason |\n|---|---|\n",
                    );
                    for (why, ids) in &skips {
                        out.push_str(&format!(
                            "| {} ({}) | {} |\n",
                            ids_shown(ids, 3),
                            ids.len(),
                            md_escape(why)
                        ));
                    }
                }
                if !run.stale.is_empty() {
                    out.push_str(&format!(
                        "\nStale expected-failure entries (they no longer fail): {}\n",
                        ids_shown(&run.stale, 10)
                    ));
                }
            }
        }
    }
    out
}

/// The HTML page: the same tables, coloured, with every case id of a group.
pub fn html(columns: &[Column], meta: &Meta) -> String {
    let e = html_escape;
    let (rules, per, totals) = grid(columns);
    let mut out = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>jwtc conformance matrix</title>\
<style>{HTML_STYLE}td.c{{white-space:nowrap}}</style></head><body>\n<h1>jwtc conformance matrix</h1>\n\
<p>Generated by <code>{}</code> on {}: suite {} at clock {}.</p>\n<table>\n<tr>",
        e(&meta.command),
        e(&meta.date),
        e(&meta.suite_version),
        meta.now
    );
    for h in SUMMARY_HEAD {
        out.push_str(&format!("<th>{h}</th>"));
    }
    out.push_str("</tr>\n");
    for (c, t) in columns.iter().zip(&totals) {
        let cls = match c {
            Column::Ran { run, .. } if !run.ok() => "fail",
            Column::Ran { .. } if t.known + t.skip + t.erratum + t.not_claimed == 0 => "ok",
            _ => "warn",
        };
        out.push_str(&format!("<tr class=\"{cls}\">"));
        for v in summary(c, t) {
            out.push_str(&format!(
                "<td>{}</td>",
                e(&v.replace("**", "").replace('`', ""))
            ));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n<h2>By rule</h2>\n<table>\n<tr><th>rule</th>");
    for c in columns {
        out.push_str(&format!("<th>{}</th>", e(c.row())));
    }
    out.push_str("</tr>\n");
    for rule in &rules {
        out.push_str(&format!("<tr><td>{}</td>", e(rule)));
        for (c, map) in columns.iter().zip(&per) {
            let (cls, text) = match (c, map.get(rule)) {
                (Column::NotRun { .. }, _) => ("skip", "not run".to_string()),
                (_, None) => ("", "·".to_string()),
                (_, Some(t)) if t.fail > 0 => ("fail", cell(t)),
                (_, Some(t)) if t.known + t.skip + t.erratum + t.not_claimed > 0 => {
                    ("known", cell(t))
                }
                (_, Some(t)) => ("pass", cell(t)),
            };
            out.push_str(&format!("<td class=\"c {cls}\">{}</td>", e(&text)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
    for c in columns {
        out.push_str(&format!("<h2>{}</h2>\n", e(&heading(c).replace('`', ""))));
        match c {
            Column::NotRun { reason, .. } => {
                out.push_str(&format!("<p>Not run on this machine: {}.</p>\n", e(reason)));
            }
            Column::Ran { run, .. } => {
                for (title, groups) in [
                    ("Known divergences", grouped(run, false)),
                    ("Skipped", grouped(run, true)),
                ] {
                    if groups.is_empty() {
                        continue;
                    }
                    out.push_str(&format!("<h3>{title}</h3>\n"));
                    for (why, ids) in groups {
                        out.push_str(&format!(
                            "<details><summary>{} case(s): {}</summary><p>{}</p></details>\n",
                            ids.len(),
                            e(&why),
                            ids.iter()
                                .map(|i| format!("<code>{}</code>", e(i)))
                                .collect::<Vec<_>>()
                                .join(" ")
                        ));
                    }
                }
                let fails: Vec<_> = run.results.iter().filter(|r| r.is_unexpected()).collect();
                if !fails.is_empty() {
                    out.push_str("<h3 class=\"fail\">Unexpected failures</h3>\n<ul>\n");
                    for r in fails {
                        out.push_str(&format!(
                            "<li><code>{}</code> ({}): {}</li>\n",
                            e(&r.id),
                            r.state.as_str(),
                            e(&r.message)
                        ));
                    }
                    out.push_str("</ul>\n");
                }
            }
        }
    }
    out.push_str("</body></html>\n");
    out
}

/// One advisory's result: the cases on the vulnerable row and on the fixed row.
#[derive(Clone, Debug)]
pub struct Trophy {
    /// The advisory.
    pub advisory: crate::adapter::Advisory,
    /// The vulnerable row and the implementation it ran as (name and version).
    pub vulnerable: (String, String),
    /// The fixed row and the implementation it ran as.
    pub fixed: (String, String),
    /// Per case: its state on the vulnerable row and on the fixed row (`absent` when the
    /// row has no such case, `not run` when the row did not run).
    pub cases: Vec<(String, String, String)>,
}

impl Trophy {
    /// Caught: every case fails on the vulnerable version and passes on the fixed one.
    pub fn caught(&self) -> bool {
        !self.cases.is_empty()
            && self.cases.iter().all(|(_, v, f)| {
                matches!(v.as_str(), "fail" | "hang" | "crash" | "over_budget") && f == "pass"
            })
    }
}

/// The trophies of the history rows among `columns`: for each advisory of each row with
/// a history, its cases' states there and on the row that fixed it.
pub fn trophies(
    columns: &[Column],
    histories: &[(String, crate::adapter::History)],
) -> Vec<Trophy> {
    let find = |row: &str| columns.iter().find(|c| c.row() == row);
    let state = |c: Option<&Column>, id: &str| match c {
        Some(Column::Ran { run, .. }) => run
            .results
            .iter()
            .find(|r| r.id == id)
            .map_or("absent".to_string(), |r| r.state.as_str().to_string()),
        _ => "not run".to_string(),
    };
    let shown = |c: Option<&Column>, row: &str| match c {
        Some(Column::Ran { run, .. }) => run.implementation.clone(),
        _ => format!("{row} (not run)"),
    };
    let mut out = Vec::new();
    for (row, h) in histories {
        let (v, f) = (find(row), find(&h.fixed_by));
        for a in &h.advisories {
            out.push(Trophy {
                advisory: a.clone(),
                vulnerable: (row.clone(), shown(v, row)),
                fixed: (h.fixed_by.clone(), shown(f, &h.fixed_by)),
                cases: a
                    .cases
                    .iter()
                    .map(|id| (id.clone(), state(v, id), state(f, id)))
                    .collect(),
            });
        }
    }
    out
}

/// docs/trophies.md: one row per advisory, from the run.
pub fn trophies_markdown(trophies: &[Trophy], meta: &Meta) -> String {
    let caught = trophies.iter().filter(|t| t.caught()).count();
    // An advisory shown by two call patterns has a row each: the headline counts ids.
    let distinct = |rows: &mut dyn Iterator<Item = &Trophy>| {
        rows.map(|t| t.advisory.id.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };
    let caught_ids = distinct(&mut trophies.iter().filter(|t| t.caught()));
    let all_ids = distinct(&mut trophies.iter());
    let mut out = format!(
        "# Trophies: published bugs the suite catches\n\n\
Generated by `{cmd}` on {date} (suite {version} at clock {now}). Do not edit by hand.\n\n\
Each row is a published verification bug of a real library. The older, vulnerable version \
runs as a variant of the library's adapter (`adapters/<name>/adapter.json`, with the \
advisory and the vectors that should catch it); the row that fixed it runs beside it. \
*Caught* means every named vector fails on the vulnerable version and passes on the fixed \
one, in this run.\n\n**{caught_ids} of {all_ids} distinct advisories caught** ({caught} of {} \
rows; an advisory that more than one call pattern shows has a row for each).\n\n\
| advisory | what it lets an attacker do | vulnerable | fixed | vectors | on the vulnerable version | on the fixed version | caught |\n\
|---|---|---|---|---|---|---|---|\n",
        trophies.len(),
        cmd = meta.command,
        date = meta.date,
        version = meta.suite_version,
        now = meta.now,
    );
    let tally = |states: Vec<&String>| {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for s in states {
            *counts.entry(s.as_str()).or_default() += 1;
        }
        counts
            .iter()
            .map(|(s, n)| format!("{n} {s}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for t in trophies {
        let a = &t.advisory;
        let id = match &a.url {
            Some(u) => format!("[{}]({u})", a.id),
            None => a.id.clone(),
        };
        out.push_str(&format!(
            "| {id} | {} | {} (`{}`) | {} (`{}`) | {} | {} | {} | {} |\n",
            md_escape(&a.title),
            md_escape(&t.vulnerable.1),
            t.vulnerable.0,
            md_escape(&t.fixed.1),
            t.fixed.0,
            t.cases
                .iter()
                .map(|(c, _, _)| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", "),
            tally(t.cases.iter().map(|(_, v, _)| v).collect()),
            tally(t.cases.iter().map(|(_, _, f)| f).collect()),
            if t.caught() { "✅" } else { "❌ no" }
        ));
    }
    out
}
