//! What docs/rules.md links to: every link leads to a file and a heading that exist.
//! (That every section of docs/decisions.md and docs/findings.md names its rules, and that
//! no document points outside the repository, the tidy test checks: xtask/tests/tidy.)

use std::path::{Path, PathBuf};

use jwtc_vectors::rules_doc::doc_sections;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn every_link_of_rules_md_leads_somewhere() {
    let rules_md = read("docs/rules.md");
    let anchors = |rel: &str| -> Vec<String> {
        doc_sections(&read(rel))
            .into_iter()
            .map(|s| s.anchor)
            .collect()
    };
    let own = anchors("docs/rules.md");
    let (decisions, findings) = (anchors("docs/decisions.md"), anchors("docs/findings.md"));
    let mut checked = 0;
    for link in rules_md.split("](").skip(1) {
        let target = &link[..link.find(')').expect("a link is closed")];
        checked += 1;
        let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
        let known: &[String] = match file {
            "" => &own,
            "decisions.md" => &decisions,
            "findings.md" => &findings,
            other => {
                assert!(
                    root().join("docs").join(other).is_file(),
                    "docs/rules.md links to {other}, which does not exist"
                );
                &[]
            }
        };
        if !anchor.is_empty() {
            assert!(
                known.iter().any(|a| a == anchor),
                "docs/rules.md links to {target}: no such heading"
            );
        }
    }
    assert!(checked > 200, "only {checked} links in docs/rules.md");
}
