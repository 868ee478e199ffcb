//! The Markdown report: the cases wrongly accepted by severity, counts per profile, each
//! profile's rules, then every case that did not pass.

use crate::grade::{CaseResult, State};
use crate::runner::Run;

use super::{
    accepted_by_severity, by_profile, codes_cell, md_escape, not_claimed_groups, rate_text,
    some_ids, Tally, COLUMNS,
};

const HEAD: &str =
    "| cases | pass | fail | known | erratum | not claimed | skip | hang | crash | over budget | codes agree |";

fn cells(t: &Tally) -> String {
    let mut row = String::from("|");
    for (_, count) in COLUMNS {
        row.push_str(&format!(" {} |", count(t)));
    }
    row.push_str(&format!(" {} |", codes_cell(t)));
    row
}

/// The Markdown report.
pub fn markdown(run: &Run) -> String {
    let (profiles, unsent, total) = by_profile(run);
    let mut out = format!(
        "# jwtc conformance: {}\n\nSuite {} at clock {}; {} cases in {:.3} s ({} cases/s); result: **{}**.\n\n",
        run.implementation,
        run.suite_version,
        run.now,
        total.cases,
        run.wall.as_secs_f64(),
        rate_text(run.rate()),
        if run.ok() { "pass" } else { "FAIL" }
    );
    if let Some(clock) = super::signer_clock(run) {
        out.insert_str(out.len() - 2, &format!(" {}.", capitalised(&clock)));
    }
    out.push_str(&format!(
        "## Wrongly accepted\n\n{}.\n\n| severity | cases | ids |\n|---|---:|---|\n",
        super::capitalised(super::WRONGLY_ACCEPTED)
    ));
    for (severity, cases) in accepted_by_severity(run) {
        let ids: Vec<String> = cases
            .iter()
            .map(|r| {
                let mark = if r.known.is_some() { " (known)" } else { "" };
                format!("`{}`{mark}", r.id)
            })
            .collect();
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            severity.as_str(),
            cases.len(),
            ids.join(", ")
        ));
    }
    let rule = "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
    out.push_str(&format!(
        "\n## By profile\n\n| profile {HEAD}\n|---{rule}\n"
    ));
    for p in &profiles {
        out.push_str(&format!("| {} {}\n", p.profile, cells(&p.total)));
    }
    out.push_str(&format!("| **total** {}\n", cells(&total)));
    for (p, n) in &unsent {
        out.push_str(&format!(
            "\n{p}: {n} case(s), none sent (the implementation does not claim them).\n"
        ));
    }
    for p in &profiles {
        out.push_str(&format!(
            "\n## {}\n\n| rule {HEAD}\n|---{rule}\n",
            p.profile
        ));
        for (r, t) in &p.rules {
            out.push_str(&format!("| {r} {}\n", cells(t)));
        }
    }
    let unclaimed = not_claimed_groups(run);
    if !unclaimed.is_empty() {
        out.push_str("\n## Not claimed\n\n| cases | reason | ids |\n|---:|---|---|\n");
        for (reason, ids) in unclaimed {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                ids.len(),
                md_escape(&reason),
                some_ids(&ids, 3)
            ));
        }
    }
    let listed: Vec<&CaseResult> = run
        .results
        .iter()
        .filter(|r| !matches!(r.state, State::Pass | State::NotClaimed))
        .collect();
    if !listed.is_empty() {
        out.push_str("\n## Cases not passing\n\n| case | rule | state | message | known reason |\n|---|---|---|---|---|\n");
        for r in listed {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                r.id,
                r.rule,
                r.state.label(),
                md_escape(&r.message),
                md_escape(r.known.as_deref().unwrap_or(""))
            ));
        }
    }
    out
}

/// `text` with its first letter upper case.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}
