//! The loader checks a vector file's shape by hand (`load::check_shape`), not with a JSON
//! Schema engine; this test holds it to vectors/schema/vectors.schema.json, the format's
//! published definition: one verdict on every file of the suite, on a document that
//! breaks each constraint once (and a few that bend without breaking), and on thousands
//! of random edits of a document using every part of the format. Where the schema
//! refuses, the loader's message names the same case the schema's instance path does.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use jwtc_vectors::load::{check_shape, schema};

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../vectors")
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema(&vectors()).unwrap()).unwrap()
}

/// A document using every part of the format: a plain case with keys of each form and a
/// network answer of each form, and a scenario.
fn base() -> Value {
    json!({
        "schema": 1,
        "profile": "coyo",
        "group": "mine-1",
        "now": 1767225600,
        "cases": [
            {
                "id": "Plain",
                "rule": "core.alg",
                "description": "a plain case",
                "severity": "high",
                "refs": ["CVE-2015-9235"],
                "features": ["jwks-fetch", "builtin-keys"],
                "max_fetches": 1,
                "input": {"token": "a.b.c"},
                "context": {"keys": [
                    "rsa-2048-a",
                    {"pem": "-----BEGIN PUBLIC KEY-----", "kid": "k"},
                    {"kty": "EC", "crv": "P-256"},
                    {"keys": [{"kty": "RSA"}, "p256-a"]}
                ]},
                "network": {
                    "https://a.example/jwks.json": "{\"keys\":[]}",
                    "https://b.example/jwks.json": {"status": 302, "body": {"keys": []}, "delay_ms": 10, "headers": {"Location": "x"}}
                },
                "expect": {"verdict": "reject", "error": "bad_signature"}
            },
            {
                "id": "Scenario",
                "rule": "coyo.fetch",
                "severity": "low",
                "context": {"keys": {"keys": [{"kty": "oct", "k": "AA"}]}},
                "steps": [
                    {"description": "first", "input": {}, "context": {}, "expect": {"verdict": "accept", "output": {"sub": "a"}, "output_match": "subset"}},
                    {"description": "second", "input": {}, "expect": {"verdict": "either", "error": "expired"}}
                ]
            }
        ]
    })
}

/// The verdicts of the schema and of the loader's shape check on `doc`, with their errors.
fn verdicts(v: &jsonschema::Validator, doc: &Value) -> (Vec<String>, Vec<String>) {
    let schema: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} {e}", e.instance_path()))
        .collect();
    (schema, check_shape(doc))
}

#[test]
fn every_file_of_the_suite_has_the_shape_by_both() {
    let v = validator();
    let mut files = 0;
    for dir in std::fs::read_dir(vectors()).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir()
            || ["keys", "schema", "external"]
                .iter()
                .any(|d| dir.ends_with(d))
        {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let doc: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
            let (schema, shape) = verdicts(&v, &doc);
            assert!(
                schema.is_empty() && shape.is_empty(),
                "{}: {schema:?} {shape:?}",
                f.display()
            );
            files += 1;
        }
    }
    assert!(files > 50, "only {files} files");
    let (schema, shape) = verdicts(&v, &base());
    assert!(
        schema.is_empty() && shape.is_empty(),
        "{schema:?} {shape:?}"
    );
}

/// Sets the member at `pointer` (its parent must exist) to `value`, or removes it (`None`).
fn edit(doc: &mut Value, pointer: &str, value: Option<Value>) {
    let (parent, last) = pointer.rsplit_once('/').unwrap();
    let last = last.replace("~1", "/").replace("~0", "~");
    match (doc.pointer_mut(parent).unwrap(), value) {
        (Value::Object(m), Some(v)) => {
            m.insert(last, v);
        }
        (Value::Object(m), None) => {
            m.remove(&last);
        }
        (Value::Array(a), Some(v)) => a[last.parse::<usize>().unwrap()] = v,
        (Value::Array(a), None) => {
            a.remove(last.parse::<usize>().unwrap());
        }
        (other, _) => panic!("{pointer}: parent {other}"),
    }
}

#[test]
fn each_constraint_broken_once_is_refused_by_both_naming_the_same_case() {
    let v = validator();
    // (pointer, new value or removal, the loader's message names this)
    let broken: Vec<(&str, Option<Value>, &str)> = vec![
        ("/schema", Some(json!(2)), "schema: 2 is not 1"),
        ("/schema", None, "\"schema\" is a required member"),
        (
            "/profile",
            Some(json!("okta")),
            "profile: \"okta\" is not one of",
        ),
        (
            "/group",
            Some(json!("Bad_Group")),
            "group: \"Bad_Group\" does not match",
        ),
        (
            "/now",
            Some(json!("soon")),
            "now: \"soon\" is not an integer",
        ),
        ("/cases", Some(json!([])), "cases: has no case"),
        ("/extra", Some(json!(1)), "unknown member \"extra\""),
        ("/cases/0/id", Some(json!("")), "case 0: id: is empty"),
        (
            "/cases/0/rule",
            Some(json!("Core.alg")),
            "case 0 (Plain): rule:",
        ),
        ("/cases/0/rule", None, "the reports group by rule"),
        (
            "/cases/0/severity",
            Some(json!("severe")),
            "case 0 (Plain): severity: \"severe\" is not one of critical",
        ),
        ("/cases/0/severity", None, "the reports rank by it"),
        (
            "/cases/0/description",
            Some(json!("")),
            "case 0 (Plain): description: is empty",
        ),
        (
            "/cases/0/refs/0",
            Some(json!("")),
            "case 0 (Plain): refs.0: is empty",
        ),
        (
            "/cases/0/features/1",
            Some(json!("jwks-fetch")),
            "listed twice",
        ),
        (
            "/cases/0/features/0",
            Some(json!("fetching")),
            "features.0: \"fetching\" is not one of",
        ),
        (
            "/cases/0/max_fetches",
            Some(json!(-1)),
            "max_fetches: -1 is not within",
        ),
        (
            "/cases/0/input",
            Some(json!("a.b.c")),
            "input: \"a.b.c\" is not an object",
        ),
        ("/cases/0/context", None, "\"context\" is a required member"),
        (
            "/cases/0/context/keys/0",
            Some(json!("")),
            "context.keys.0: an empty key name",
        ),
        (
            "/cases/0/context/keys/1/extra",
            Some(json!(1)),
            "context.keys.1: unknown member \"extra\"",
        ),
        (
            "/cases/0/context/keys/2/keys",
            Some(json!([])),
            "context.keys.2: ",
        ),
        (
            "/cases/0/context/keys/3/keys",
            Some(json!("x")),
            "context.keys.3.keys: \"x\" is not an array",
        ),
        (
            "/cases/0/context/keys/3/keys/0",
            Some(json!({"kid": "k"})),
            "context.keys.3.keys.0: {\"kid\":\"k\"} is not a key",
        ),
        (
            "/cases/0/context/keys",
            Some(json!(5)),
            "context.keys: 5 is neither",
        ),
        (
            "/cases/0/network/https:~1~1b.example~1jwks.json/status",
            Some(json!(99)),
            "status: 99 is not within 100..=599",
        ),
        (
            "/cases/0/network/https:~1~1b.example~1jwks.json/delay_ms",
            Some(json!(-5)),
            "delay_ms: -5 is not within",
        ),
        (
            "/cases/0/network/https:~1~1b.example~1jwks.json/headers/Location",
            Some(json!(5)),
            "headers.Location: 5 is not a string",
        ),
        (
            "/cases/0/network/https:~1~1b.example~1jwks.json/retry",
            Some(json!(1)),
            "unknown member \"retry\"",
        ),
        (
            "/cases/0/network/https:~1~1a.example~1jwks.json",
            Some(json!(5)),
            "5 is neither the body's text nor an answer",
        ),
        (
            "/cases/0/expect/verdict",
            Some(json!("maybe")),
            "expect.verdict: \"maybe\" is not one of accept",
        ),
        (
            "/cases/0/expect/error",
            Some(json!("nope")),
            "expect.error: \"nope\" is not one of",
        ),
        (
            "/cases/0/expect/verdict",
            Some(json!("accept")),
            "expect.error: an accept states no error code",
        ),
        (
            "/cases/0/expect/output_match",
            Some(json!("loose")),
            "output_match",
        ),
        ("/cases/0/expect", None, "either \"input\" and \"expect\""),
        (
            "/cases/0/steps",
            Some(json!([])),
            "either \"input\" and \"expect\"",
        ),
        (
            "/cases/1/steps",
            Some(json!([])),
            "case 1 (Scenario): steps: has no step",
        ),
        (
            "/cases/1/steps/0/description",
            None,
            "case 1 (Scenario): steps.0: \"description\" is a required member",
        ),
        (
            "/cases/1/steps/1/context",
            Some(json!([])),
            "steps.1.context: [] is not an object",
        ),
        (
            "/cases/1/steps/1/note",
            Some(json!("x")),
            "steps.1: unknown member \"note\"",
        ),
        (
            "/cases/1/input",
            Some(json!({})),
            "either \"input\" and \"expect\"",
        ),
        (
            "/cases/1/context/keys",
            Some(json!({"keys": [], "kty": "RSA"})),
            "case 1 (Scenario): context.keys:",
        ),
    ];
    for (pointer, value, says) in broken {
        let mut doc = base();
        edit(&mut doc, pointer, value.clone());
        let (schema, shape) = verdicts(&v, &doc);
        assert!(
            !schema.is_empty(),
            "{pointer} = {value:?}: the schema accepts it"
        );
        assert!(
            shape.iter().any(|e| e.contains(says)),
            "{pointer} = {value:?}: the loader says {shape:?}, not {says:?}"
        );
        // The schema's first complaint and the loader's name the same case.
        let case_of = |s: &str| {
            let path = s.split(' ').next().unwrap_or_default();
            path.strip_prefix("/cases/")
                .and_then(|r| r.split('/').next())
                .map(str::to_owned)
        };
        let schema_case = case_of(&schema[0]);
        if let Some(i) = schema_case {
            assert!(
                shape.iter().any(|e| e.starts_with(&format!("case {i}"))),
                "{pointer}: schema {schema:?}, loader {shape:?}"
            );
        }
    }
    // Bent, not broken: both accept.
    let fine: Vec<(&str, Value)> = vec![
        ("/cases/0/context/keys/1/kty", json!("RSA")),
        ("/cases/0/context/keys/1/keys", json!([])),
        ("/cases/0/network/https:~1~1b.example~1jwks.json", json!({})),
        ("/now", json!(-5)),
        ("/cases/0/expect/output", json!(null)),
    ];
    for (pointer, value) in fine {
        let mut doc = base();
        edit(&mut doc, pointer, Some(value.clone()));
        let (schema, shape) = verdicts(&v, &doc);
        assert!(
            schema.is_empty() && shape.is_empty(),
            "{pointer} = {value}: schema {schema:?}, loader {shape:?}"
        );
    }
}

/// Every JSON pointer into `v`.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(x, p, out);
            }
        }
        _ => {}
    }
}

#[test]
fn random_edits_get_one_verdict_from_both() {
    let v = validator();
    let palette = [
        json!(null),
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(100),
        json!(600),
        json!(""),
        json!("x"),
        json!("accept"),
        json!("critical"),
        json!("core.alg"),
        json!("jwks-fetch"),
        json!("expired"),
        json!([]),
        json!(["x"]),
        json!({}),
        json!({"kty": "EC"}),
        json!({"pem": "x"}),
        json!({"keys": []}),
        json!({"verdict": "reject"}),
    ];
    let mut all = Vec::new();
    pointers(&base(), String::new(), &mut all);
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let (mut refused, mut edits) = (0, 0);
    for round in 0..3000 {
        let mut doc = base();
        // One to three edits: set a member to a palette value, or remove it.
        for _ in 0..1 + next(3) {
            let p = &all[next(all.len())];
            if doc.pointer(p).is_none() {
                continue;
            }
            let value = (next(5) > 0).then(|| palette[next(palette.len())].clone());
            edit(&mut doc, p, value);
            edits += 1;
        }
        let (schema, shape) = verdicts(&v, &doc);
        assert_eq!(
            schema.is_empty(),
            shape.is_empty(),
            "round {round}: schema {schema:?}, loader {shape:?}\n{doc}"
        );
        refused += usize::from(!schema.is_empty());
    }
    eprintln!("3000 edited documents ({edits} edits): {refused} refused by both, the rest accepted by both");
    assert!(refused > 1000, "the edits rarely break anything: {refused}");
}
