//! Every peer adapter in adapters/ loads, has a README, and every case its
//! expected-failures lists (of every variant) is explained in docs/findings.md: a finding
//! is never only a line in a JSON file.

use std::path::Path;

use jwtc_harness::adapter::Adapter;
use jwtc_harness::expected::ExpectedFailures;

#[test]
fn every_listed_failure_of_a_peer_is_explained_in_findings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let adapters = root.join("adapters");
    let findings = std::fs::read_to_string(root.join("docs/findings.md")).unwrap();
    let mut missing = Vec::new();
    let mut peers = 0;
    for row in Adapter::rows(&adapters) {
        let a = Adapter::load(&adapters, &row).unwrap_or_else(|e| panic!("{row}: {e}"));
        if a.name == "reference" {
            continue;
        }
        peers += 1;
        assert!(a.dir.join("README.md").is_file(), "{row}: no README.md");
        let known = ExpectedFailures::load(&a.expected_failures).unwrap();
        for e in known.entries {
            if !findings.contains(&format!("`{}`", e.glob)) {
                missing.push(format!("{row}: {}", e.glob));
            }
        }
    }
    assert!(peers >= 4, "only {peers} peer rows");
    assert!(
        missing.is_empty(),
        "listed in an expected-failures file but not in docs/findings.md:\n{}",
        missing.join("\n")
    );
}
