//! One self-contained HTML page: the cases wrongly accepted by severity, counts per
//! profile, each profile's rules, then every case that did not pass with its input,
//! context, expected and got. No external assets; everything escaped.

use serde_json::Value;

use crate::grade::{CaseResult, State};
use crate::runner::Run;

use super::{
    accepted_by_severity, by_profile, codes_cell, not_claimed_groups, rate_text, some_ids, Tally,
    COLUMNS,
};

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
tr.total td{font-weight:bold}.pass{color:#070}.fail,.hang,.crash,.over_budget{color:#b00;font-weight:bold}\
.skip,.known,.erratum,.not_claimed{color:#860}pre{background:#f6f6f6;padding:.5em;overflow-x:auto;white-space:pre-wrap;word-break:break-all}\
details{margin:.4em 0;border-left:3px solid #ccc;padding-left:.6em}summary{cursor:pointer}dt{font-weight:bold}";

/// One self-contained HTML page (see the module's documentation).
pub fn html(run: &Run) -> String {
    let (profiles, unsent, total) = by_profile(run);
    let e = html_escape;
    let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string());
    let mut out = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>jwtc conformance: {impl_}</title><style>{HTML_STYLE}</style></head><body>\n\
<h1>jwtc conformance: {impl_}</h1>\n<p>Suite {version} at clock {now}; {cases} cases in {wall:.3} s \
({rate} cases/s); {restarts} restart(s); result: <span class=\"{cls}\">{verdict}</span>.{clock}</p>\n",
        impl_ = e(&run.implementation),
        version = e(&run.suite_version),
        now = run.now,
        cases = total.cases,
        wall = run.wall.as_secs_f64(),
        rate = rate_text(run.rate()),
        restarts = run.restarts,
        cls = if run.ok() { "pass" } else { "fail" },
        verdict = if run.ok() { "PASS" } else { "FAIL" },
        clock = super::signer_clock(run).map_or_else(String::new, |c| format!(" Note: {}.", e(&c))),
    );
    out.push_str(&format!("<h2>Wrongly accepted</h2>\n<p>{}.</p>\n<table>\n<tr><th>severity</th><th>cases</th><th>ids</th></tr>\n", super::capitalised(super::WRONGLY_ACCEPTED)));
    for (severity, cases) in accepted_by_severity(run) {
        let ids: Vec<String> = cases
            .iter()
            .map(|r| {
                let mark = if r.known.is_some() { " (known)" } else { "" };
                format!("<code>{}</code>{mark}", e(&r.id))
            })
            .collect();
        out.push_str(&format!(
            "<tr class=\"{}\"><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>\n",
            if cases.is_empty() { "ok" } else { "fail" },
            severity.as_str(),
            cases.len(),
            ids.join(", ")
        ));
    }
    out.push_str("</table>\n");
    let head = |first: &str| {
        format!("<table>\n<tr><th>{first}</th><th>cases</th><th>pass</th><th>fail</th><th>known</th><th>erratum</th><th>not claimed</th><th>skip</th><th>hang</th><th>crash</th><th>over budget</th><th>codes agree</th></tr>\n")
    };
    let row = |name: &str, t: &Tally, extra: &str| {
        let cls = if t.fail > 0 {
            "fail"
        } else if t.skip + t.known + t.erratum + t.not_claimed > 0 {
            "warn"
        } else {
            "ok"
        };
        let mut line = format!("<tr class=\"{cls}{extra}\"><td>{}</td>", e(name));
        for (_, count) in COLUMNS {
            line.push_str(&format!("<td class=\"n\">{}</td>", count(t)));
        }
        line.push_str(&format!(
            "<td class=\"n\">{}</td></tr>\n",
            e(&codes_cell(t))
        ));
        line
    };
    out.push_str("<h2>By profile</h2>\n");
    out.push_str(&head("profile"));
    for p in &profiles {
        out.push_str(&row(&p.profile, &p.total, ""));
    }
    out.push_str(&row("total", &total, " total"));
    out.push_str("</table>\n");
    for (p, n) in &unsent {
        out.push_str(&format!(
            "<p>{}: {n} case(s), none sent (the implementation does not claim them).</p>\n",
            e(p)
        ));
    }
    for p in &profiles {
        out.push_str(&format!("<h2>{}</h2>\n", e(&p.profile)));
        out.push_str(&head("rule"));
        for (rule, t) in &p.rules {
            out.push_str(&row(rule, t, ""));
        }
        out.push_str("</table>\n");
    }
    let unclaimed = not_claimed_groups(run);
    if !unclaimed.is_empty() {
        out.push_str(
            "<h2>Not claimed</h2>\n<table>\n<tr><th>cases</th><th>reason</th><th>ids</th></tr>\n",
        );
        for (reason, ids) in unclaimed {
            out.push_str(&format!(
                "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>\n",
                ids.len(),
                e(&reason),
                e(&some_ids(&ids, 3))
            ));
        }
        out.push_str("</table>\n");
    }
    let mut order: Vec<&CaseResult> = run
        .results
        .iter()
        .filter(|r| !matches!(r.state, State::Pass | State::NotClaimed))
        .collect();
    // Unexpected failures first, then known divergences, then skips.
    order.sort_by_key(|r| (!r.is_unexpected(), r.state == State::Skip));
    let failing = order.iter().filter(|r| r.state != State::Skip).count();
    if failing > 0 {
        out.push_str(&format!("<h2>{failing} case(s) not passing</h2>\n"));
    }
    for r in order.iter().filter(|r| r.state != State::Skip) {
        let label = if r.known.is_some() {
            format!("{} (known)", r.state.label())
        } else {
            r.state.label().to_owned()
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
