//! One vector file checked: JSON, its shape (`shape`: the schema's constraints), then what
//! the schema cannot say (rule ids
//! of the catalogue, the rule's profile, keys; and for our own files the id layout, the
//! group, a description and an error code on every reject). Every message names the file,
//! the case and the field.

use serde_json::Value;
use std::path::Path;

use super::case::LoadedCase;
use super::Mode;
use crate::keystore::KeyStore;
use crate::model::{Case, Expect, VectorFile, Verdict};

/// The cases of one file, and the clock it states.
#[derive(Clone, Debug)]
pub struct FileCases {
    /// Its cases, ready to run.
    pub cases: Vec<LoadedCase>,
    /// Its top-level `now`, when it states one.
    pub now: Option<i64>,
}

pub(super) fn load_file(
    path: &Path,
    mode: Mode,
    keys: &KeyStore,
) -> Result<FileCases, Vec<String>> {
    let text =
        std::fs::read_to_string(path).map_err(|e| vec![format!("{}: {e}", path.display())])?;
    parse_file_in(mode, &text, path, keys)
}

/// Checks one of our own vector files' text as if it were at `path` (its directory and
/// stem name the profile directory and group): shape, rule ids, id prefixes, key names.
pub fn parse_file(
    text: &str,
    path: &Path,
    keys: &KeyStore,
) -> Result<Vec<LoadedCase>, Vec<String>> {
    parse_file_in(Mode::Own, text, path, keys).map(|f| f.cases)
}

/// Checks one vector file's text as if it were at `path`, with the checks of `mode`.
pub fn parse_file_in(
    mode: Mode,
    text: &str,
    path: &Path,
    keys: &KeyStore,
) -> Result<FileCases, Vec<String>> {
    let shown = path.display();
    let doc: Value =
        serde_json::from_str(text).map_err(|e| vec![format!("{shown}: not JSON: {e}")])?;
    let shape_errors: Vec<String> = super::shape::check(&doc)
        .into_iter()
        .map(|e| format!("{shown}: {e}"))
        .collect();
    if !shape_errors.is_empty() {
        return Err(shape_errors);
    }
    let mut file: VectorFile =
        serde_json::from_value(doc).map_err(|e| vec![format!("{shown}: {e}")])?;
    let mut errors = Vec::new();
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let dir = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if mode == Mode::Own {
        if file.group != stem {
            errors.push(format!(
                "{shown}: group {:?} differs from the file name {stem:?}",
                file.group
            ));
        }
        if let Some(now) = file.now {
            errors.push(format!(
                "{shown}: now: {now} stated in one of our files; the suite's clock is suite.json's"
            ));
        }
    } else if file.group.is_empty() {
        stem.clone_into(&mut file.group);
    }
    let mut out = Vec::new();
    for (i, case) in file.cases.into_iter().enumerate() {
        let at = format!("{shown}: case {i} ({})", case.id);
        if mode == Mode::Own {
            own_checks(&case, dir, &file.group, &at, &mut errors);
        }
        match jwtc_verifier::rules::find(&case.rule) {
            None => errors.push(format!(
                "{at}: rule: unknown rule id {:?} (the ids are those of docs/rules.md)",
                case.rule
            )),
            Some(_) => {
                let owner = case.rule.split('.').next().unwrap_or_default();
                let home = file.profile.split('-').next().unwrap_or_default();
                if owner != "core" && owner != home {
                    errors.push(format!(
                        "{at}: rule: {} belongs to another profile than {}",
                        case.rule, file.profile
                    ));
                }
            }
        }
        match LoadedCase::new(case, file.profile.clone(), path.to_path_buf(), keys) {
            Ok(c) => out.push(c),
            Err(e) => errors.push(format!("{at}: {e}")),
        }
    }
    if errors.is_empty() {
        Ok(FileCases {
            cases: out,
            now: file.now,
        })
    } else {
        Err(errors)
    }
}

/// What our own cases carry beyond the schema: an id `<dir>/<group>/<name>` in lowercase,
/// a description, and an error code on every reject (and `either`).
fn own_checks(case: &Case, dir: &str, group: &str, at: &str, errors: &mut Vec<String>) {
    let prefix = format!("{dir}/{group}/");
    if !case.id.starts_with(&prefix) {
        errors.push(format!("{at}: id must start with {prefix:?}"));
    }
    if !own_id(&case.id) {
        errors.push(format!(
            "{at}: id: ours are <dir>/<group>/<name> in a-z, 0-9 and -._ (the name's first character a letter or digit)"
        ));
    }
    if case.description.is_empty() {
        errors.push(format!(
            "{at}: description: missing; each of our cases says what it does"
        ));
    }
    let expects: Vec<(String, &Expect)> = match (&case.expect, &case.steps) {
        (Some(e), _) => vec![("expect".into(), e)],
        (None, Some(steps)) => steps
            .iter()
            .enumerate()
            .map(|(i, s)| (format!("steps[{i}].expect"), &s.expect))
            .collect(),
        (None, None) => Vec::new(),
    };
    for (field, e) in expects {
        if e.verdict != Verdict::Accept && e.error.is_none() {
            errors.push(format!(
                "{at}: {field}.error: missing; every {} of ours states the error code",
                e.verdict.as_str()
            ));
        }
    }
}

/// `^[a-z0-9-]+/[a-z0-9-]+/[a-z0-9][a-z0-9._-]*$`
fn own_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('/').collect();
    let word = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
    };
    match parts.as_slice() {
        [dir, group, name] => {
            word(dir)
                && word(group)
                && name
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                && name
                    .bytes()
                    .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-'))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn own_ids() {
        for (id, ok) in [
            ("core/alg/alg-none", true),
            ("core/alg/1.x_y", true),
            ("core/alg/-x", false),
            ("Core/alg/x", false),
            ("core/alg", false),
            ("core/alg/x/y", false),
            ("core//x", false),
        ] {
            assert_eq!(super::own_id(id), ok, "{id}");
        }
    }
}
