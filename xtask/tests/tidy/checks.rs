//! The tidy checks on file contents: each takes text and returns what is wrong, and a
//! test beside it plants each breakage and sees it caught.

use std::collections::BTreeSet;

use crate::{steering_ref, MAX_LINES, SOURCE_EXTENSIONS};

/// The rule ids named on the `// rule:` marker lines of `text`.
pub fn marked_rules<'a>(text: &str, ids: &[&'a str]) -> BTreeSet<&'a str> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let Some(at) = line.find("// rule:") else {
            continue;
        };
        let rest = &line[at + "// rule:".len()..];
        for word in rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-')) {
            if let Some(id) = ids.iter().find(|id| **id == word) {
                found.insert(*id);
            }
        }
    }
    found
}

/// Files as (path, text).
pub type Texts<'a> = &'a [(&'a str, &'a str)];

/// Where a signer rule's marker must be: the harness's signer grader judges it (the
/// verifier has no signer).
pub const SIGNER_GRADER: &str = "crates/harness/src/grade/signer";

/// Whether `id` is a signer rule (`<profile>.mint-*`), judged by the harness's signer
/// grader rather than checked by the verifier.
pub fn is_signer_rule(id: &str) -> bool {
    id.split_once('.')
        .is_some_and(|(_, topic)| topic.starts_with("mint-"))
}

/// Every rule id must have a marker in the code that checks it (the verifier; for a
/// signer rule, the harness's signer grader, and only there), a generator naming it
/// (`"<id>"`), a case in a vector file (`"rule": "<id>"`) and a row in docs/rules.md (a
/// table row whose first cell is `` `<id>` ``, linked or not).
pub fn rule_coverage(
    ids: &[&str],
    (verifier, grader): (Texts<'_>, Texts<'_>),
    generators: &[(&str, &str)],
    vectors: &[(&str, &str)],
    rules_md: &str,
) -> Vec<String> {
    let marked_in = |files: &[(&str, &str)]| -> BTreeSet<&str> {
        files
            .iter()
            .flat_map(|(_, t)| marked_rules(t, ids))
            .collect()
    };
    let (in_verifier, in_grader) = (marked_in(verifier), marked_in(grader));
    let mut problems = Vec::new();
    for id in ids {
        let (marked, place) = if is_signer_rule(id) {
            (in_grader.contains(id), SIGNER_GRADER)
        } else {
            (in_verifier.contains(id), "crates/verifier/src")
        };
        if !marked {
            problems.push(format!("{id}: no `// rule: {id}` marker in {place}"));
        }
        let quoted = format!("\"{id}\"");
        if !generators.iter().any(|(_, t)| t.contains(&quoted)) {
            problems.push(format!(
                "{id}: no generator names it (\"{id}\" in crates/vectors/src)"
            ));
        }
        let case = format!("\"rule\": \"{id}\"");
        let has_cases = match external_set(id) {
            // An external set is read in its own format by an importer that names the
            // rule: its files under vectors/external/<set>/ are its vectors.
            Some(set) => {
                let folder = format!("vectors/external/{set}/");
                vectors.iter().any(|(p, _)| p.starts_with(&folder))
            }
            None => vectors.iter().any(|(_, t)| t.contains(&case)),
        };
        if !has_cases {
            problems.push(format!(
                "{id}: no vector file has a case of it (vectors/**/*.json)"
            ));
        }
        let cell = format!("`{id}`");
        let has_row = rules_md.lines().any(|l| {
            l.strip_prefix('|')
                .and_then(|row| row.split('|').next())
                .is_some_and(|first| first.trim().trim_start_matches('[').starts_with(&cell))
        });
        if !has_row {
            problems.push(format!("{id}: no row in docs/rules.md"));
        }
    }
    problems
}

/// The external vector set of a rule `external.<set>-<part>` (`external.wycheproof-jws`
/// is Wycheproof's), or `None` for the project's own rules.
pub fn external_set(id: &str) -> Option<&str> {
    let rest = id.strip_prefix("external.")?;
    Some(rest.split('-').next().unwrap_or(rest))
}

/// The sections of a Markdown document that have no sub-section: (heading, body).
pub fn leaf_sections(text: &str) -> Vec<(String, String)> {
    let mut sections: Vec<(usize, String, String)> = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        let level = line.chars().take_while(|c| *c == '#').count();
        if !in_code && (2..=6).contains(&level) && line[level..].starts_with(' ') {
            sections.push((level, line[level..].trim().to_owned(), String::new()));
        } else if let Some(last) = sections.last_mut() {
            last.2.push_str(line);
            last.2.push('\n');
        }
    }
    let mut leaves = Vec::new();
    for (i, (level, heading, body)) in sections.iter().enumerate() {
        let has_child = sections.get(i + 1).is_some_and(|(next, _, _)| next > level);
        if !has_child {
            leaves.push((heading.clone(), body.clone()));
        }
    }
    leaves
}

/// Every leaf section of `doc` has a `Rules:` line naming catalogue ids (in backticks) or
/// saying `none`; an id-shaped name the catalogue lacks is reported too.
pub fn sections_name_rules(doc: &str, text: &str, ids: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    for (heading, body) in leaf_sections(text) {
        let Some(line) = body.lines().find(|l| l.starts_with("Rules:")) else {
            problems.push(format!(
                "{doc} § {heading}: no `Rules:` line naming the rule ids it is about"
            ));
            continue;
        };
        let named: Vec<&str> = line.split('`').skip(1).step_by(2).collect();
        for name in &named {
            if !ids.contains(name) {
                problems.push(format!(
                    "{doc} § {heading}: `{name}` is not a rule id of the catalogue"
                ));
            }
        }
        if named.is_empty() && !line.contains("none") {
            problems.push(format!(
                "{doc} § {heading}: the `Rules:` line names no rule id and does not say `none`"
            ));
        }
    }
    problems
}

/// Source files over the bound that [`LONG_FILES`] does not name, and entries of it that
/// no longer apply.
pub fn file_sizes(files: &[(&str, usize)], allowed: &[(&str, &str)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, lines) in files {
        let is_source = SOURCE_EXTENSIONS
            .iter()
            .any(|e| path.rsplit_once('.').is_some_and(|(_, ext)| ext == *e));
        if is_source && *lines > MAX_LINES && !allowed.iter().any(|(p, _)| p == path) {
            problems.push(format!("{path}: {lines} lines > {MAX_LINES}: split it by job, or name it with a reason in LONG_FILES (xtask/tests/tidy/main.rs)"));
        }
    }
    for (path, _) in allowed {
        match files.iter().find(|(p, _)| p == path) {
            None => problems.push(format!("LONG_FILES names {path}, which does not exist")),
            Some((_, n)) if *n <= MAX_LINES => problems.push(format!(
                "LONG_FILES names {path}, which has {n} lines: drop the entry"
            )),
            Some(_) => {}
        }
    }
    problems
}

/// A Rust file must open with a `//!` line.
pub fn module_doc(path: &str, text: &str) -> Option<String> {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    (!first.starts_with("//!"))
        .then(|| format!("{path}: does not start with a `//!` line saying what it holds"))
}

/// A file that names the steering folder beside the clone.
pub fn steering_refs(path: &str, text: &str) -> Option<String> {
    let needle = steering_ref();
    text.lines().position(|l| l.contains(&needle)).map(|n| {
        format!(
            "{path}:{}: points into {needle}, which a clone does not have",
            n + 1
        )
    })
}

#[cfg(test)]
mod planted {
    use super::*;

    const IDS: &[&str] = &["core.alg", "pendo.nonce"];

    #[test]
    fn planted_missing_marker_generator_vector_and_row_are_caught() {
        let verifier = [("a.rs", "// rule: core.alg, pendo.nonce — both")];
        let generators = [("g.rs", r#"let r = "core.alg"; let s = "pendo.nonce";"#)];
        let vectors = [("v.json", r#""rule": "core.alg" "rule": "pendo.nonce""#)];
        let md = "| [`core.alg`](#corealg) | x |\n| `pendo.nonce` | y |";
        let none: [(&str, &str); 0] = [];
        let code = (&verifier[..], &none[..]);
        assert!(rule_coverage(IDS, code, &generators, &vectors, md).is_empty());

        let broken = rule_coverage(
            IDS,
            (&[("a.rs", "// rule: core.alg")], &none),
            &generators,
            &vectors,
            md,
        );
        assert_eq!(
            broken,
            ["pendo.nonce: no `// rule: pendo.nonce` marker in crates/verifier/src"]
        );
        let broken = rule_coverage(IDS, code, &[("g.rs", r#""core.alg""#)], &vectors, md);
        assert!(broken[0].contains("no generator"), "{broken:?}");
        let broken = rule_coverage(
            IDS,
            code,
            &generators,
            &[("v.json", r#""rule": "pendo.nonce""#)],
            md,
        );
        assert!(
            broken[0].starts_with("core.alg: no vector file"),
            "{broken:?}"
        );
        let broken = rule_coverage(IDS, code, &generators, &vectors, "| `core.alg` | x |");
        assert_eq!(broken, ["pendo.nonce: no row in docs/rules.md"]);
        // Named in prose or in another cell is not a row of its own.
        let prose = "| `core.alg` | unlike `pendo.nonce` |\nsee `pendo.nonce`";
        let broken = rule_coverage(IDS, code, &generators, &vectors, prose);
        assert_eq!(broken, ["pendo.nonce: no row in docs/rules.md"]);

        // An external set's vectors are its own files under vectors/external/<set>/.
        let ext = ["external.wycheproof-jws"];
        let verifier = [("jws.rs", "// rule: external.wycheproof-jws")];
        let generators = [("w.rs", r#""external.wycheproof-jws""#)];
        let md = "| `external.wycheproof-jws` |";
        let files = [("vectors/external/wycheproof/jws.json", "{}")];
        let code = (&verifier[..], &none[..]);
        assert!(rule_coverage(&ext, code, &generators, &files, md).is_empty());
        let other = [("vectors/external/limbo/x.json", "{}")];
        assert!(rule_coverage(&ext, code, &generators, &other, md)[0].contains("no vector file"));
    }

    #[test]
    fn planted_signer_rule_marked_only_in_the_verifier_is_caught() {
        let ids = ["pendo.mint-alg"];
        let generators = [("g.rs", r#""pendo.mint-alg""#)];
        let vectors = [("v.json", r#""rule": "pendo.mint-alg""#)];
        let md = "| `pendo.mint-alg` | x |";
        let marked = [("a.rs", "// rule: pendo.mint-alg")];
        let none: [(&str, &str); 0] = [];
        assert!(rule_coverage(&ids, (&none, &marked), &generators, &vectors, md).is_empty());
        assert_eq!(
            rule_coverage(&ids, (&marked, &none), &generators, &vectors, md),
            ["pendo.mint-alg: no `// rule: pendo.mint-alg` marker in crates/harness/src/grade/signer"]
        );
        assert!(is_signer_rule("watson.mint-exp") && !is_signer_rule("watson.exp"));
    }

    #[test]
    fn planted_section_without_rules_or_with_an_unknown_id_is_caught() {
        let good = "# T\n\n## A\n\n### a1\nRules: `core.alg`.\n\ntext\n\n### a2\nRules: none (project-wide).\n";
        assert!(sections_name_rules("d.md", good, IDS).is_empty());
        let missing = "## A\n\n### a1\ntext only\n";
        assert_eq!(
            sections_name_rules("d.md", missing, IDS),
            ["d.md § a1: no `Rules:` line naming the rule ids it is about"]
        );
        let unknown = "## A\nRules: `core.algo`.\n";
        assert!(
            sections_name_rules("d.md", unknown, IDS)[0].contains("`core.algo` is not a rule id")
        );
        let empty = "## A\nRules: to be decided.\n";
        assert!(sections_name_rules("d.md", empty, IDS)[0].contains("names no rule id"));
        // A heading inside a code block is not a section.
        let code = "## A\nRules: `core.alg`.\n```\n## not a heading\n```\n";
        assert!(sections_name_rules("d.md", code, IDS).is_empty());
    }

    #[test]
    fn planted_long_file_and_stale_allowance_are_caught() {
        assert!(file_sizes(&[("a.rs", 600), ("b.json", 5000)], &[]).is_empty());
        assert!(file_sizes(&[("a.rs", 601)], &[])[0].starts_with("a.rs: 601 lines"));
        assert!(file_sizes(&[("a.py", 900)], &[("a.py", "a table")]).is_empty());
        assert!(file_sizes(&[("a.py", 10)], &[("a.py", "a table")])[0].contains("drop the entry"));
        assert!(file_sizes(&[], &[("gone.rs", "x")])[0].contains("does not exist"));
    }

    #[test]
    fn planted_missing_module_doc_is_caught() {
        assert!(module_doc("a.rs", "\n//! What it holds.\nuse x;").is_none());
        assert!(module_doc("a.rs", "/// An item doc.\nfn f() {}").is_some());
        assert!(module_doc("a.rs", "#![no_main]\n//! late").is_some());
    }

    #[test]
    fn planted_steering_reference_is_caught() {
        let text = format!("see {}/spec/profiles.md\n", steering_ref());
        assert_eq!(
            steering_refs("docs/x.md", &format!("line one\n{text}")).as_deref(),
            Some(
                format!(
                    "docs/x.md:2: points into {}, which a clone does not have",
                    steering_ref()
                )
                .as_str()
            )
        );
        assert!(steering_refs("docs/x.md", "../vectors/core/alg.json").is_none());
    }
}
