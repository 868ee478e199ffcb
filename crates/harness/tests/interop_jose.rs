//! Tokens minted by jose (npm) for the pomerium and coyo profiles, checked in as
//! vectors/interop/jose-pomerium-coyo.json by vectors/interop/scripts/jose-pomerium-coyo.mjs,
//! run through the reference verifier. No Node is needed here.
//!
//! Fixture format: `{"fixture": 1, "library", "version", "script", "now", "groups":
//! [{"profile", "cases": [case]}]}`, where a case is a vector case (id, rule, description,
//! severity, input, context with key names, network?, max_fetches?, expect).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::run;
use jwtc_vectors::keystore::KeyStore;
use jwtc_vectors::load::{read_suite, LoadedCase};
use jwtc_vectors::model::{Case, Verdict};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    fixture: u64,
    library: String,
    version: String,
    script: String,
    now: i64,
    groups: Vec<FixtureGroup>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FixtureGroup {
    profile: String,
    cases: Vec<Case>,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn jose_tokens_for_pomerium_and_coyo_grade_as_fixed() {
    let path = root().join("vectors/interop/jose-pomerium-coyo.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let fixture: Fixture =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(fixture.fixture, 1);
    assert_eq!(fixture.library, "jose");
    assert!(root().join(&fixture.script).exists(), "{}", fixture.script);
    let suite = read_suite(&root().join("vectors")).unwrap();
    assert_eq!(
        fixture.now, suite.now,
        "minted at another clock than the suite's"
    );
    let keys = KeyStore::load(&root().join("vectors/keys")).unwrap();
    let mut cases = Vec::new();
    for group in fixture.groups {
        for case in group.cases {
            assert!(
                jwtc_verifier::rules::find(&case.rule).is_some(),
                "{}: unknown rule {}",
                case.id,
                case.rule
            );
            assert!(case.id.starts_with("interop/jose-"), "{}", case.id);
            cases.push(
                LoadedCase::new(case, group.profile.clone(), path.clone(), &keys)
                    .unwrap_or_else(|e| panic!("{e}")),
            );
        }
    }
    let profiles: std::collections::BTreeSet<_> =
        cases.iter().map(|c| c.profile.as_str()).collect();
    assert_eq!(
        profiles.into_iter().collect::<Vec<_>>(),
        ["coyo", "pomerium"]
    );
    // Both ways, in each profile.
    for p in ["coyo", "pomerium"] {
        for v in [Verdict::Accept, Verdict::Reject] {
            assert!(
                cases
                    .iter()
                    .any(|c| c.profile == p && c.case.verdicts().contains(&v)),
                "no {} {p} case",
                v.as_str()
            );
        }
    }
    let r = run::run_reference(
        &fixture.version,
        fixture.now,
        &cases,
        &ExpectedFailures::default(),
    );
    let bad: Vec<String> = r
        .results
        .iter()
        .filter(|c| c.is_unexpected())
        .map(|c| format!("{}: {}", c.id, c.message))
        .collect();
    assert!(
        bad.is_empty(),
        "jose {}:\n{}",
        fixture.version,
        bad.join("\n")
    );
}
