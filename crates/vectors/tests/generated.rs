//! The checked-in vectors and docs/rules.md are exactly what the generator makes, and
//! every file loads under the schema; a broken file fails with a message naming where.

use std::path::{Path, PathBuf};

use jwtc_vectors::generate::generate;
use jwtc_vectors::keystore::KeyStore;
use jwtc_vectors::load::{load, read_suite};
use jwtc_vectors::rules_doc::rules_table;

mod common;
use common::{root, scratch_suite};

#[test]
fn checked_in_vectors_equal_the_generator() {
    let vectors = root().join("vectors");
    let keys = KeyStore::load(&vectors.join("keys")).unwrap();
    let suite = read_suite(&vectors).unwrap();
    let mut stale = Vec::new();
    for (rel, text) in generate(&keys, suite.now) {
        let path = vectors.join(&rel);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(rel.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "vectors differ from the generator (run `cargo xtask vectors`): {stale:?}"
    );
}

#[test]
fn no_vector_file_is_left_over_from_an_older_generator() {
    let vectors = root().join("vectors");
    let keys = KeyStore::load(&vectors.join("keys")).unwrap();
    let suite = read_suite(&vectors).unwrap();
    let made: Vec<PathBuf> = generate(&keys, suite.now)
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    let loaded = load(&vectors).unwrap_or_else(|e| panic!("{}", e.join("\n")));
    // external/ holds other projects' sets; interop/ is written by `cargo xtask interop`.
    for c in loaded.cases.iter().filter(|c| {
        !c.file.starts_with(vectors.join("external"))
            && !c.file.starts_with(vectors.join("interop"))
    }) {
        let rel = c.file.strip_prefix(&vectors).unwrap();
        assert!(
            made.iter().any(|m| m == rel),
            "{} is not made by the generator",
            rel.display()
        );
    }
}

#[test]
fn rules_md_is_up_to_date() {
    let loaded = load(&root().join("vectors")).unwrap_or_else(|e| panic!("{}", e.join("\n")));
    let cases: Vec<_> = loaded.cases.into_iter().map(|c| c.case).collect();
    let doc = |name: &str| std::fs::read_to_string(root().join("docs").join(name)).unwrap();
    let want = rules_table(&cases, &doc("decisions.md"), &doc("findings.md"));
    let have = std::fs::read_to_string(root().join("docs/rules.md")).unwrap_or_default();
    assert!(
        have == want,
        "docs/rules.md is out of date: run `cargo xtask vectors`"
    );
}

#[test]
fn every_rule_with_vectors_is_covered_both_ways_where_both_exist() {
    use jwtc_vectors::model::Verdict;
    // Rules whose every case is a reject by nature (precedence, attacks with no valid form).
    const REJECT_ONLY: [&str; 1] = ["core.order"];
    let loaded = load(&root().join("vectors")).unwrap();
    for rule in jwtc_verifier::rules::RULES
        .iter()
        .filter(|r| !r.id.starts_with("external."))
    {
        let of = |v: Verdict| {
            loaded
                .cases
                .iter()
                .filter(|c| c.case.rule == rule.id && c.case.verdicts().contains(&v))
                .count()
        };
        let (a, r, e) = (
            of(Verdict::Accept),
            of(Verdict::Reject),
            of(Verdict::Either),
        );
        assert!(a + r + e > 0, "{} has no vectors", rule.id);
        // A signer rule's other way is a signer that breaks it: a mint whose canonical
        // form fails the rule (crates/harness/tests/signer_grading.rs has one per rule),
        // not a vector whose right answer is a refusal, which only some rules have.
        if rule.id.contains(".mint-") {
            assert!(a > 0, "{} has no case a correct signer mints", rule.id);
            continue;
        }
        assert!(r + e > 0, "{} has no rejecting vector", rule.id);
        if !REJECT_ONLY.contains(&rule.id) {
            assert!(a > 0, "{} has no accepting vector", rule.id);
        }
    }
}

fn load_errors(dir: &Path) -> String {
    match load(dir) {
        Ok(_) => panic!("a broken suite loaded"),
        Err(e) => e.join("\n"),
    }
}

const CASE: &str = r#"{"schema":1,"profile":"core","group":"alg","cases":[{"id":"core/alg/x","rule":"core.alg",
  "description":"d","severity":"low","input":{"token":"a.b.c"},"context":{"algorithm":"HS256","keys":["hs256-a"]},
  "expect":{"verdict":"VERDICT","error":"malformed"}}]}"#;

#[test]
fn a_bad_verdict_is_named_with_file_case_and_field() {
    let dir = scratch_suite("verdict", "alg.json", &CASE.replace("VERDICT", "acept"));
    let errors = load_errors(&dir);
    assert!(
        errors.contains("core/alg.json: case 0 (core/alg/x): expect.verdict"),
        "{errors}"
    );
    assert!(errors.contains("acept"), "{errors}");
}

#[test]
fn an_unknown_key_rule_or_json_error_fails_the_load() {
    let dir = scratch_suite(
        "key",
        "alg.json",
        &CASE
            .replace("VERDICT", "reject")
            .replace("hs256-a", "no-such-key"),
    );
    assert!(load_errors(&dir).contains("unknown key \"no-such-key\""));
    let dir = scratch_suite(
        "rule",
        "alg.json",
        &CASE
            .replace("VERDICT", "reject")
            .replace("\"core.alg\"", "\"core.nope\""),
    );
    assert!(load_errors(&dir).contains("unknown rule id \"core.nope\""));
    let dir = scratch_suite("json", "alg.json", "{\"schema\": 1,");
    assert!(load_errors(&dir).contains("alg.json: not JSON"));
    let dir = scratch_suite("group", "other.json", &CASE.replace("VERDICT", "reject"));
    assert!(load_errors(&dir).contains("differs from the file name"));
}
