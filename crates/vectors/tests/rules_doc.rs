//! The documents docs/rules.md is made from, and what it links to: every section of
//! docs/decisions.md and docs/findings.md names the rules it is about, every link of
//! docs/rules.md leads to a file and a heading that exist, and no document points
//! outside the repository.

use std::path::{Path, PathBuf};

use jwtc_vectors::rules_doc::{doc_sections, DocSection};
use jwtc_verifier::rules::find;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The line under a section's heading, if it is a `Rules:` line.
fn rules_line(s: &DocSection) -> Option<&str> {
    s.text.lines().nth(1).filter(|l| l.starts_with("Rules: "))
}

#[test]
fn every_decision_and_finding_names_its_rules() {
    for doc in ["docs/decisions.md", "docs/findings.md"] {
        let sections = doc_sections(&read(doc));
        assert!(
            sections.len() > 10,
            "{doc}: only {} sections",
            sections.len()
        );
        for (i, s) in sections.iter().enumerate() {
            // A `##` section that holds `###` entries is their heading, not an entry.
            let holds_entries = s.level == 2
                && sections
                    .get(i + 1)
                    .is_some_and(|next| next.level == 3 && next.parent.as_ref() == Some(&s.title));
            let Some(line) = rules_line(s) else {
                assert!(
                    holds_entries,
                    "{doc}: section {:?} has no `Rules:` line under its heading",
                    s.title
                );
                continue;
            };
            if line == "Rules: none (project-wide)" {
                continue;
            }
            let list = line
                .strip_prefix("Rules: ")
                .and_then(|l| l.strip_suffix('.'))
                .unwrap_or_else(|| panic!("{doc}: {line:?} does not end with a period"));
            for item in list.split(", ") {
                let id = item
                    .strip_prefix('`')
                    .and_then(|i| i.strip_suffix('`'))
                    .unwrap_or_else(|| panic!("{doc}: {item:?} in {line:?} is not `an.id`"));
                assert!(
                    find(id).is_some(),
                    "{doc}: {:?} names no rule {id}",
                    s.title
                );
            }
        }
    }
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

#[test]
fn no_document_points_outside_the_repository() {
    for doc in [
        "docs/rules.md",
        "docs/decisions.md",
        "docs/findings.md",
        "docs/protocol.md",
    ] {
        assert!(!read(doc).contains("../shared"), "{doc} names ../shared");
    }
}
