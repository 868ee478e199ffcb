//! `cargo xtask vectors [--check]`: regenerate (or only check) vectors/<profile>/*.json
//! and docs/rules.md from the fixed test keys.

use std::path::Path;
use std::process::ExitCode;

use jwtc_vectors::load;

use crate::util::{load_suite, say, Setup};

pub(crate) fn vectors(check: bool) -> Result<ExitCode, Setup> {
    let root = Path::new("vectors");
    let keys = jwtc_vectors::keystore::KeyStore::load(&root.join("keys")).map_err(Setup)?;
    let suite = load::read_suite(root).map_err(Setup)?;
    let files = jwtc_vectors::generate::generate(&keys, suite.now);
    let mut differ = Vec::new();
    for (rel, text) in &files {
        let path = root.join(rel);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            differ.push(path.display().to_string());
            if !check {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| Setup(format!("{}: {e}", dir.display())))?;
                }
                std::fs::write(&path, text)
                    .map_err(|e| Setup(format!("{}: {e}", path.display())))?;
            }
        }
    }
    let loaded = load_suite(root, jwtc_vectors::load::Mode::Own)?;
    let cases: Vec<_> = loaded.cases.into_iter().map(|c| c.case).collect();
    let table = jwtc_vectors::rules_doc::rules_table_in(&cases, "docs").map_err(Setup)?;
    let rules_md = Path::new("docs/rules.md");
    if std::fs::read_to_string(rules_md).ok().as_deref() != Some(table.as_str()) {
        differ.push(rules_md.display().to_string());
        if !check {
            std::fs::write(rules_md, &table)
                .map_err(|e| Setup(format!("{}: {e}", rules_md.display())))?;
        }
    }
    if check && !differ.is_empty() {
        eprintln!(
            "out of date (run `cargo xtask vectors`):\n  {}",
            differ.join("\n  ")
        );
        return Ok(ExitCode::FAILURE);
    }
    say(&format!(
        "{} vector files, {} cases; {} file(s) {}\n",
        files.len(),
        cases.len(),
        differ.len(),
        if check { "differ" } else { "written" }
    ));
    Ok(ExitCode::SUCCESS)
}
