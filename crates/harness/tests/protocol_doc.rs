//! Every message example in docs/protocol.md is a real protocol message: the harness's
//! parse as what the harness sends, the adapter's as what the harness reads. A `case`
//! naming a vector of the suite is exactly what the harness sends for it, and the
//! `fetched` and `result` after it in the same block answer that vector as it expects.

use std::path::Path;

use jwtc_harness::grade::contains_json;
use jwtc_harness::grade::signer::{canonical, is_signer, judge, Mint};
use jwtc_harness::protocol::{FromIut, ToIut};
use jwtc_vectors::load::{load, LoadedCase};
use jwtc_vectors::model::Verdict;
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq)]
enum From {
    Harness,
    Adapter,
    Either,
}

fn check(line_no: usize, from: From, v: &Value) -> Result<(), String> {
    let text = v.to_string();
    let harness = serde_json::from_str::<ToIut>(&text).map(|_| ());
    let adapter = FromIut::parse(&text).map(|_| ());
    let ok = match from {
        From::Harness => harness.is_ok(),
        From::Adapter => adapter.is_ok(),
        From::Either => harness.is_ok() || adapter.is_ok(),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "docs/protocol.md:{line_no}: not a message {from:?} sends: {text} ({harness:?}, {adapter:?})"
        ))
    }
}

#[test]
fn every_example_in_protocol_md_is_a_message() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/protocol.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let vectors = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../vectors");
    let loaded = load(&vectors).unwrap_or_else(|e| panic!("{}", e.join("\n")));
    let (suite, now) = (loaded.cases, loaded.suite.now);
    let mut samples = std::collections::BTreeSet::new();
    let mut errors = Vec::new();
    let mut checked = 0;
    let mut in_block: Option<String> = None; // the block's language
    let mut json_block = String::new();
    let mut block_start = 0;
    for (i, line) in doc.lines().enumerate() {
        let n = i + 1;
        if let Some(lang) = line.strip_prefix("```") {
            match in_block.take() {
                None => {
                    in_block = Some(lang.to_owned());
                    json_block.clear();
                    block_start = n;
                }
                Some(lang) if lang == "json" => {
                    // A JSON block: one or more messages, possibly over several lines.
                    let mut sample: Option<&LoadedCase> = None;
                    for v in serde_json::Deserializer::from_str(&json_block).into_iter::<Value>() {
                        match v {
                            Ok(v) if v.get("type").is_some() => {
                                checked += 1;
                                let from = match v["type"].as_str() {
                                    Some("case" | "fetched") => From::Harness,
                                    Some("result" | "fetch" | "skip") => From::Adapter,
                                    _ => From::Either,
                                };
                                if let Err(e) = check(block_start, from, &v) {
                                    errors.push(e);
                                }
                                if let Err(e) = against_the_suite(&suite, now, &mut sample, &v) {
                                    errors.push(format!("docs/protocol.md:{block_start}: {e}"));
                                }
                                if v["type"] == "case" && sample.is_some() {
                                    samples.insert(v["profile"].as_str().unwrap_or("").to_owned());
                                }
                            }
                            Ok(_) => {}
                            Err(e) => errors.push(format!("docs/protocol.md:{block_start}: a json block that is not JSON: {e}")),
                        }
                    }
                }
                Some(_) => {}
            }
            continue;
        }
        let Some(lang) = &in_block else { continue };
        let (from, rest) = if let Some(r) = line.strip_prefix("harness → ") {
            (From::Harness, r)
        } else if let Some(r) = line.strip_prefix("adapter → ") {
            (From::Adapter, r)
        } else {
            if lang == "json" {
                json_block.push_str(line);
                json_block.push('\n');
            }
            continue;
        };
        checked += 1;
        match serde_json::from_str::<Value>(rest) {
            Ok(v) => {
                if let Err(e) = check(n, from, &v) {
                    errors.push(e);
                }
            }
            Err(e) => errors.push(format!("docs/protocol.md:{n}: not JSON: {e}: {rest}")),
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert!(checked >= 15, "only {checked} examples found");
    let profiles = [
        "core",
        "jws",
        "pendo",
        "coyo",
        "watson",
        "pomerium",
        "pomerium-proxy",
        "pendo-signer",
        "watson-signer",
    ];
    for p in profiles {
        assert!(
            samples.contains(p),
            "docs/protocol.md has no sample exchange of a real {p} vector"
        );
    }
}

/// Checks a message of a JSON block against the suite: a `case` naming a vector must be
/// what the harness sends for it (and starts a sample); a `fetched` in a sample must be
/// the vector's network entry; a `result` in a sample must be what the vector expects (a
/// signer's mint judged by the signer grader at the suite clock `now`).
fn against_the_suite<'s>(
    suite: &'s [LoadedCase],
    now: i64,
    sample: &mut Option<&'s LoadedCase>,
    v: &Value,
) -> Result<(), String> {
    match v["type"].as_str() {
        Some("case") => {
            *sample = suite.iter().find(|c| v["id"] == c.case.id.as_str());
            let Some(c) = *sample else { return Ok(()) };
            let i = v["step"].as_u64().unwrap_or(u64::MAX) as usize;
            let step = c
                .steps
                .get(i)
                .ok_or(format!("{}: no step {i}", c.case.id))?;
            let sent = serde_json::json!({
                "type": "case", "id": c.case.id, "profile": c.profile, "step": i,
                "steps": c.steps.len(), "input": step.input, "context": step.context,
            });
            if *v != sent {
                return Err(format!("{}: not what the harness sends: {sent}", c.case.id));
            }
        }
        Some("fetched") => {
            let Some(c) = *sample else { return Ok(()) };
            let url = v["url"].as_str().unwrap_or_default();
            let mut entry = c
                .case
                .network
                .as_ref()
                .and_then(|n| n.get(url))
                .cloned()
                .ok_or(format!("{}: the network does not serve {url}", c.case.id))?;
            entry["type"] = "fetched".into();
            entry["url"] = url.into();
            if *v != entry {
                return Err(format!("{}: not the network's answer: {entry}", c.case.id));
            }
        }
        Some("result") => {
            let Some(c) = *sample else { return Ok(()) };
            let i = v["step"].as_u64().unwrap_or(0) as usize;
            let expect = &c.steps[i].expect;
            let verdict = v["verdict"].as_str().unwrap_or_default();
            let allowed = match expect.verdict {
                Verdict::Either => verdict == "accept" || verdict == "reject",
                e => verdict == e.as_str(),
            };
            let error = v["error"].as_str();
            if !allowed || (verdict == "reject" && error != expect.error.as_deref()) {
                return Err(format!("{}: expected {expect:?}", c.case.id));
            }
            if let (true, Some(want)) = (is_signer(&c.profile), &expect.output) {
                let mint = Mint {
                    step: i,
                    request: &c.steps[i].input,
                    context: &c.steps[i].context,
                    output: &v["output"],
                };
                let judged = canonical(&judge(&c.profile, &[mint], now)[0]);
                if verdict == "accept" && !contains_json(&judged, want) {
                    return Err(format!(
                        "{}: the mint is graded {judged}, not {want}",
                        c.case.id
                    ));
                }
            }
            let canonical = c.profile == "pomerium-proxy" || is_signer(&c.profile);
            if let (Some(want), false) = (&expect.output, canonical) {
                if v["output"] != *want {
                    return Err(format!("{}: the output is not {want}", c.case.id));
                }
            }
        }
        _ => {}
    }
    Ok(())
}
