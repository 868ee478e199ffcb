//! Where a command's suite comes from: the one inside the binary, or a folder the user
//! names (a path relative to the shell's directory).

use std::path::Path;

use jwtc_vectors::errata::Errata;
use jwtc_vectors::load::{Loaded, LoadedCase, Mode};

use crate::exit::Failure;

/// The embedded suite, loaded and checked.
pub fn embedded() -> Result<Loaded, Failure> {
    jwtc_vectors::embedded::load().map_err(|errors| {
        Failure::Usage(format!(
            "the embedded suite does not load ({} problem(s)):\n  {}",
            errors.len(),
            errors.join("\n  ")
        ))
    })
}

/// The suite of `dir` with the checks of `mode` (the suite's own folder: every check; a
/// user's folder: docs/vectors.md), or the embedded one when `dir` is `None`.
pub fn load(dir: Option<&Path>, mode: Mode) -> Result<Loaded, Failure> {
    let Some(dir) = dir else { return embedded() };
    if !(dir.is_dir() || mode == Mode::User && dir.is_file()) {
        let what = if dir.exists() {
            "not a folder"
        } else {
            "no such folder"
        };
        return Err(Failure::Usage(format!(
            "--vectors {}: {what}; give the folder that holds your vector files, or one vector file (docs/vectors.md)",
            dir.display()
        )));
    }
    jwtc_vectors::load::load_as(dir, mode).map_err(|errors| {
        let first = errors.first().cloned().unwrap_or_default();
        let rest = if errors.len() > 1 {
            format!(
                " ({} more below)\n  {}",
                errors.len() - 1,
                errors[1..].join("\n  ")
            )
        } else {
            String::new()
        };
        let fix = match mode {
            Mode::Own => "fix the file, or regenerate ours with `cargo xtask vectors`",
            Mode::User => "see docs/vectors.md for what a vectors folder holds",
        };
        Failure::Usage(format!(
            "the vectors in {} do not load: {first}; {fix}{rest}",
            dir.display()
        ))
    })
}

/// The suite's errata (`errata.json` of `dir`, or the embedded one's), each checked to
/// name a case of the suite.
pub fn errata(dir: Option<&Path>, cases: &[LoadedCase]) -> Result<Errata, Failure> {
    let (errata, shown) = match dir {
        Some(dir) => (Errata::load(dir)?, dir.display().to_string()),
        None => match jwtc_vectors::embedded::file("errata.json") {
            Some(_) => (
                Errata::parse(jwtc_vectors::embedded::text("errata.json")?)
                    .map_err(|e| format!("vectors/errata.json (embedded): {e}"))?,
                "vectors".to_string(),
            ),
            None => (Errata::default(), String::new()),
        },
    };
    errata
        .check(cases.iter().map(|c| c.case.id.as_str()))
        .map_err(|e| format!("{shown}/{e}"))?;
    Ok(errata)
}
