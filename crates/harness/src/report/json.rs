//! The JSON report (vectors/schema/report.schema.json, schema 1). The fields of the first
//! version stay as they were (`--baseline` reads `results[].id`, `state`, `known`);
//! `profiles`, `wrongly_accepted` and the tallies' `erratum`, `not_claimed`, `hang`,
//! `crash`, `over_budget` are added beside them.

use serde_json::{json, Value};

use crate::runner::Run;

use super::{accepted_by_severity, by_profile, tallies, Tally};

fn tally(t: &Tally) -> Value {
    json!({"cases": t.cases, "pass": t.pass, "fail": t.fail, "known": t.known,
           "erratum": t.erratum, "not_claimed": t.not_claimed, "skip": t.skip,
           "hang": t.hang, "crash": t.crash, "over_budget": t.over_budget,
           "codes_compared": t.codes_compared, "codes_agree": t.codes_agree})
}

fn rule_tallies(rules: &[(String, Tally)]) -> Vec<Value> {
    rules
        .iter()
        .map(|(r, t)| {
            let mut v = tally(t);
            v["rule"] = json!(r);
            v
        })
        .collect()
}

/// The JSON report (vectors/schema/report.schema.json).
pub fn json(run: &Run) -> Value {
    let (rules, total) = tallies(run);
    let (profiles, _, _) = by_profile(run);
    let mut wrongly = serde_json::Map::new();
    for (severity, cases) in accepted_by_severity(run) {
        wrongly.insert(
            severity.as_str().to_owned(),
            json!(cases.iter().map(|r| r.id.as_str()).collect::<Vec<_>>()),
        );
    }
    json!({
        "schema": 1,
        "implementation": run.implementation,
        "suite_version": run.suite_version,
        "now": run.now,
        "signer_clock": run.clock.as_str(),
        "ok": run.ok(),
        "wall_seconds": run.wall.as_secs_f64(),
        "cases_per_second": run.rate(),
        "restarts": run.restarts,
        "total": tally(&total),
        "rules": rule_tallies(&rules),
        "profiles": profiles.iter().map(|p| {
            let mut v = tally(&p.total);
            v["profile"] = json!(p.profile);
            v["rules"] = json!(rule_tallies(&p.rules));
            v
        }).collect::<Vec<_>>(),
        "wrongly_accepted": wrongly,
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
                "erratum": r.erratum,
                "verdict_only": r.verdict_only,
            });
            // A case that did not pass carries what was sent, to debug it from the report alone.
            if r.state.is_failure() {
                v["input"] = r.input.clone();
                v["context"] = r.context.clone();
            }
            v
        }).collect::<Vec<_>>(),
    })
}
