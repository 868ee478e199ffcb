//! `cargo xtask extract CASE_ID`: one case as a standalone vector file (keys resolved), to
//! debug with.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::util::{load_vectors, say, Setup, Shell};

pub(crate) fn extract(id: &str, dir: Option<PathBuf>, shell: &Shell) -> Result<ExitCode, Setup> {
    let (loaded, dir) = load_vectors(dir, shell)?;
    let Some(case) = loaded.cases.iter().find(|c| c.case.id == id) else {
        let near: Vec<&str> = loaded
            .cases
            .iter()
            .map(|c| c.case.id.as_str())
            .filter(|c| {
                let tail = id.rsplit('/').next().unwrap_or(id);
                !tail.is_empty() && c.contains(tail)
            })
            .take(5)
            .collect();
        return Err(Setup(format!(
            "no case {id:?} in {}{}",
            dir.display(),
            if near.is_empty() {
                "; case ids look like core/alg/alg-none (see the JSON report or vectors/)"
                    .to_string()
            } else {
                format!("; did you mean {}?", near.join(", "))
            }
        )));
    };
    let text = serde_json::to_string_pretty(&case.standalone()).expect("a vector file serialises");
    say(&format!("{text}\n"));
    Ok(ExitCode::SUCCESS)
}
