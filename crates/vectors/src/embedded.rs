//! The suite inside the binary (feature `embedded`): every file of the repository's
//! `vectors/` at build time, loaded with the same checks as a directory, and written out
//! as plain files (`jwtc vectors export`). The files are those of `load::load`'s own
//! suite, checked the same way (`Mode::Own`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::keystore::KeyStore;
use crate::load::{parse_file, ClockSource, Loaded, LoadedCase, Mode};
use crate::model::{Suite, SCHEMA_VERSION};
use crate::wycheproof;

/// Every file of the suite: its path under `vectors/` (`/`-separated) and its bytes,
/// sorted by path.
pub const FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/embedded_files.rs"));

/// The prefix every embedded file is named with in messages and reports.
pub const SHOWN_ROOT: &str = "vectors";

/// One embedded file's bytes, by its path under `vectors/`.
pub fn file(rel: &str) -> Option<&'static [u8]> {
    FILES
        .binary_search_by(|(name, _)| (*name).cmp(rel))
        .ok()
        .map(|i| FILES[i].1)
}

/// One embedded file as text; the error names it.
pub fn text(rel: &str) -> Result<&'static str, String> {
    let bytes =
        file(rel).ok_or_else(|| format!("{SHOWN_ROOT}/{rel}: not in the embedded suite"))?;
    std::str::from_utf8(bytes).map_err(|e| format!("{SHOWN_ROOT}/{rel}: not UTF-8: {e}"))
}

/// The embedded suite, checked as `load::load` checks a directory: the schema, the rule
/// catalogue, the keys, unique ids. Every problem is returned, each naming the file.
pub fn load() -> Result<Loaded, Vec<String>> {
    let mut errors = Vec::new();
    let suite = text("suite.json").and_then(|t| {
        let suite: Suite =
            serde_json::from_str(t).map_err(|e| format!("{SHOWN_ROOT}/suite.json: {e}"))?;
        if suite.schema == SCHEMA_VERSION {
            Ok(suite)
        } else {
            Err(format!(
                "{SHOWN_ROOT}/suite.json: schema {} is not {SCHEMA_VERSION}",
                suite.schema
            ))
        }
    });
    let suite = suite.map_err(|e| errors.push(e)).ok();
    let mut keys = Vec::new();
    for (rel, _) in FILES
        .iter()
        .filter(|(r, _)| in_dir(r, "keys") && r.ends_with(".json"))
    {
        let name = rel["keys/".len()..rel.len() - ".json".len()].to_owned();
        match text(rel).and_then(|t| {
            serde_json::from_str::<serde_json::Value>(t)
                .map_err(|e| format!("{SHOWN_ROOT}/{rel}: {e}"))
        }) {
            Ok(jwk) => keys.push((name, jwk)),
            Err(e) => errors.push(e),
        }
    }
    let keys = KeyStore::from_entries(keys);
    let mut cases: Vec<LoadedCase> = Vec::new();
    for (rel, _) in FILES.iter().filter(|(r, _)| is_vector_file(r)) {
        let shown = PathBuf::from(SHOWN_ROOT).join(rel);
        match text(rel) {
            Ok(t) => match parse_file(t, &shown, &keys) {
                Ok(mut c) => cases.append(&mut c),
                Err(mut e) => errors.append(&mut e),
            },
            Err(e) => errors.push(e),
        }
    }
    for (name, rule, prefix) in wycheproof::FILES {
        let rel = format!("external/wycheproof/{name}");
        let shown = PathBuf::from(SHOWN_ROOT).join(&rel);
        let Ok(t) = text(&rel) else { continue };
        match wycheproof::parse(t, &shown, rule, prefix) {
            Ok(external) => {
                for case in external {
                    let id = case.id.clone();
                    match LoadedCase::new(case, "jws".into(), shown.clone(), &keys) {
                        Ok(c) => cases.push(c),
                        Err(e) => errors.push(format!("{}: {id}: {e}", shown.display())),
                    }
                }
            }
            Err(e) => errors.push(e),
        }
    }
    let mut seen = BTreeSet::new();
    for c in &cases {
        if !seen.insert(c.case.id.clone()) {
            errors.push(format!(
                "{}: case id {:?} is not unique in the suite",
                c.file.display(),
                c.case.id
            ));
        }
    }
    match (suite, errors.is_empty()) {
        (Some(suite), true) => Ok(Loaded {
            suite,
            keys,
            cases,
            mode: Mode::Own,
            clock: ClockSource::SuiteFile(PathBuf::from(SHOWN_ROOT).join("suite.json")),
        }),
        _ => Err(errors),
    }
}

/// Writes every embedded file under `dir` (created if missing), as `vectors/` is laid out
/// in the repository; an existing file is replaced. Returns how many files were written.
pub fn export(dir: &Path) -> Result<usize, String> {
    for (rel, bytes) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, bytes)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(FILES.len())
}

/// Whether `rel` lies in the top-level folder `dir`.
fn in_dir(rel: &str, dir: &str) -> bool {
    rel.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

/// A vector file of ours: `<folder>/<group>.json` outside keys/, schema/ and external/.
fn is_vector_file(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    parts.len() == 2
        && parts[1].ends_with(".json")
        && !["keys", "schema", "external"].contains(&parts[0])
}
