//! Tokens minted by jose (npm) for the pomerium and coyo profiles, checked in as the
//! ordinary vector files vectors/interop/jose-pomerium.json and jose-coyo.json by
//! vectors/interop/scripts/jose-pomerium-coyo.mjs (`cargo xtask interop`), pass the
//! reference verifier both ways in each profile. No Node is needed here.

use std::path::{Path, PathBuf};

use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::run;
use jwtc_vectors::load::load;
use jwtc_vectors::model::Verdict;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn jose_tokens_for_pomerium_and_coyo_grade_as_fixed() {
    let loaded = load(&root().join("vectors")).unwrap_or_else(|e| panic!("{}", e.join("\n")));
    let cases: Vec<_> = loaded
        .cases
        .into_iter()
        .filter(|c| c.case.id.starts_with("interop/jose-"))
        .collect();
    for p in ["coyo", "pomerium"] {
        for v in [Verdict::Accept, Verdict::Reject] {
            assert!(
                cases
                    .iter()
                    .any(|c| c.profile == p && c.case.verdicts().contains(&v)),
                "no {} {p} case minted by jose",
                v.as_str()
            );
        }
    }
    assert!(cases
        .iter()
        .all(|c| c.case.refs.iter().any(|r| r.starts_with("jose "))));
    let r = run::run_reference(
        &loaded.suite.version,
        loaded.suite.now,
        &cases,
        &ExpectedFailures::default(),
    );
    let bad: Vec<String> = r
        .results
        .iter()
        .filter(|c| c.is_unexpected())
        .map(|c| format!("{}: {}", c.id, c.message))
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
