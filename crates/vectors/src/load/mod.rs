//! Loading a vectors folder: every file checked for the shape the JSON Schema describes
//! (`shape`), then against the rule catalogue and the keys. Any problem fails the load with a message naming the file,
//! the case and the field; nothing is silently skipped.
//!
//! Two callers, two modes ([`Mode`]): [`load`] reads the project's own suite (vectors/:
//! suite.json, schema/, keys/, `<dir>/<group>.json`, every check of our own files), and
//! [`load_folder`] a user's folder of vector files (docs/vectors.md: no suite.json,
//! schema/ or keys/ needed, files anywhere under it, ids of any shape, keys inline as
//! PEM or JWK Sets). `file.rs` checks one file, `shape.rs` its shape, `walk.rs` finds the
//! files, `case.rs` builds a case's steps.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::keystore::KeyStore;
use crate::model::{Suite, SCHEMA_VERSION};
use crate::wycheproof;

mod case;
mod file;
mod shape;
mod walk;

pub use case::{network, LoadedCase, LoadedStep};
pub use file::{parse_file, parse_file_in, FileCases};
pub use shape::check as check_shape;

/// The schema of vector files, embedded: the one a user's folder without schema/ is
/// checked against (the same file as vectors/schema/vectors.schema.json).
pub const SCHEMA: &str = include_str!("../../../../vectors/schema/vectors.schema.json");

/// The clock a user's folder runs at when neither suite.json nor a file states one:
/// 2026-01-01T00:00:00Z, the suite's own.
pub const DEFAULT_NOW: i64 = 1_767_225_600;

/// The version a user's folder without suite.json reports.
pub const USER_VERSION: &str = "user";

/// Which checks a load applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The project's own suite: every check of our generated files.
    Own,
    /// A user's folder of vector files (docs/vectors.md).
    User,
}

/// Where the clock of a loaded suite came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClockSource {
    /// The folder's suite.json.
    SuiteFile(PathBuf),
    /// The top-level `now` of this vector file (every file that states one agrees).
    VectorFile(PathBuf),
    /// No file states one: [`DEFAULT_NOW`].
    Default,
}

/// A whole suite.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// suite.json, or for a user's folder without one: version `user` and the clock found.
    pub suite: Suite,
    /// The keys.
    pub keys: KeyStore,
    /// Every case, the folder's first (by file path), then the external sets.
    pub cases: Vec<LoadedCase>,
    /// The checks it was loaded with.
    pub mode: Mode,
    /// Where `suite.now` came from.
    pub clock: ClockSource,
}

impl Loaded {
    /// One line saying the clock and where it came from, for a run to print.
    pub fn clock_note(&self) -> String {
        let from = match &self.clock {
            ClockSource::SuiteFile(p) => p.display().to_string(),
            ClockSource::VectorFile(p) => format!("\"now\" in {}", p.display()),
            ClockSource::Default => "the default (no file states \"now\")".into(),
        };
        format!(
            "clock: now = {} ({}), from {from}",
            self.suite.now,
            utc(self.suite.now)
        )
    }
}

/// Seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian, UTC).
pub fn utc(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // H. Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The schema every vector file of `root` must satisfy (root/schema/vectors.schema.json).
pub fn schema(root: &Path) -> Result<Value, String> {
    let path = root.join("schema/vectors.schema.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The embedded schema ([`SCHEMA`]), parsed.
pub fn embedded_schema() -> Value {
    serde_json::from_str(SCHEMA).expect("vectors.schema.json is JSON (a test checks it)")
}

/// Loads the project's own suite at `root` (normally `vectors/`). Every problem found is
/// returned, each naming where.
pub fn load(root: &Path) -> Result<Loaded, Vec<String>> {
    load_as(root, Mode::Own)
}

/// Loads a user's folder of vector files (docs/vectors.md). Every problem found is
/// returned, each naming where.
pub fn load_folder(root: &Path) -> Result<Loaded, Vec<String>> {
    load_as(root, Mode::User)
}

/// Loads `root` with the checks of `mode`.
pub fn load_as(root: &Path, mode: Mode) -> Result<Loaded, Vec<String>> {
    let mut errors = Vec::new();
    let has_suite = root.join("suite.json").exists();
    let suite = match (mode, has_suite) {
        (Mode::User, false) => None,
        _ => read_suite(root).map_err(|e| errors.push(e)).ok(),
    };
    let keys = match mode {
        Mode::Own => KeyStore::load(&root.join("keys")),
        Mode::User => KeyStore::load_user(&root.join("keys")),
    }
    .unwrap_or_else(|e| {
        errors.push(e);
        KeyStore::default()
    });
    let mut cases = Vec::new();
    let mut stated: Option<(i64, PathBuf)> = None;
    let files = walk::vector_files(root, mode, &mut errors);
    if mode == Mode::User && files.is_empty() && errors.is_empty() && !has_wycheproof(root) {
        errors.push(format!(
            "{}: no vector files (*.json) in this folder or under it",
            root.display()
        ));
    }
    for path in files {
        match file::load_file(&path, mode, &keys) {
            Ok(mut f) => {
                if let Some(now) = f.now {
                    match &stated {
                        Some((first, at)) if *first != now => errors.push(format!(
                            "{}: now {now} differs from now {first} in {}; every file that states the clock must agree",
                            path.display(),
                            at.display()
                        )),
                        Some(_) => {}
                        None => stated = Some((now, path.clone())),
                    }
                }
                cases.append(&mut f.cases)
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    load_wycheproof(root, &keys, &mut cases, &mut errors);
    let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
    for c in &cases {
        if let Some(first) = seen.insert(&c.case.id, &c.file) {
            errors.push(format!(
                "{}: case id {:?} is not unique in the suite: {} has it too",
                c.file.display(),
                c.case.id,
                first.display()
            ));
        }
    }
    let (suite, clock) = match (suite, stated) {
        (Some(suite), Some((now, at))) if now != suite.now => {
            errors.push(format!(
                "{}: now {now} differs from now {} in {}",
                at.display(),
                suite.now,
                root.join("suite.json").display()
            ));
            (suite, ClockSource::Default)
        }
        (Some(suite), _) => (suite, ClockSource::SuiteFile(root.join("suite.json"))),
        (None, Some((now, at))) => (user_suite(now), ClockSource::VectorFile(at)),
        (None, None) => (user_suite(DEFAULT_NOW), ClockSource::Default),
    };
    if !errors.is_empty() || (mode == Mode::Own && !has_suite) {
        return Err(errors);
    }
    Ok(Loaded {
        suite,
        keys,
        cases,
        mode,
        clock,
    })
}

fn user_suite(now: i64) -> Suite {
    Suite {
        schema: SCHEMA_VERSION,
        version: USER_VERSION.into(),
        now,
    }
}

fn has_wycheproof(root: &Path) -> bool {
    wycheproof::FILES
        .iter()
        .any(|(f, _, _)| root.join("external/wycheproof").join(f).exists())
}

/// Wycheproof's files under `root/external/wycheproof`, read in their own format.
fn load_wycheproof(
    root: &Path,
    keys: &KeyStore,
    cases: &mut Vec<LoadedCase>,
    errors: &mut Vec<String>,
) {
    for (file, rule, prefix) in wycheproof::FILES {
        let path = root.join("external/wycheproof").join(file);
        if !path.exists() {
            continue;
        }
        match wycheproof::load(&path, rule, prefix) {
            Ok(external) => {
                for case in external {
                    let id = case.id.clone();
                    match LoadedCase::new(case, "jws".into(), path.clone(), keys) {
                        Ok(c) => cases.push(c),
                        Err(e) => errors.push(format!("{}: {id}: {e}", path.display())),
                    }
                }
            }
            Err(e) => errors.push(e),
        }
    }
}

/// Reads `root/suite.json`; the error names it.
pub fn read_suite(root: &Path) -> Result<Suite, String> {
    let path = root.join("suite.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let suite: Suite =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if suite.schema != SCHEMA_VERSION {
        return Err(format!(
            "{}: schema {} is not {SCHEMA_VERSION}",
            path.display(),
            suite.schema
        ));
    }
    Ok(suite)
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_dates() {
        for (secs, want) in [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (super::DEFAULT_NOW, "2026-01-01T00:00:00Z"),
            (1_767_229_261, "2026-01-01T01:01:01Z"),
            (-1, "1969-12-31T23:59:59Z"),
        ] {
            assert_eq!(super::utc(secs), want, "{secs}");
        }
    }
}
