//! What the snapshot tests of the `jwtc` binary share: running it from a fresh temporary
//! folder, the suite's vector cases and test keys, and insta's filters for the parts of
//! an output that differ between machines and runs (the repository's path, the
//! temporary folder, this process's id).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The folder jwtc runs in: a fresh temporary one, outside the repository.
pub fn workdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jwtc-cli-snap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs jwtc in [`workdir`], colour off whatever the environment says: (exit code,
/// stdout, stderr).
pub fn jwtc(args: &[&str]) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_jwtc"))
        .args(args)
        .current_dir(workdir())
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        status.code().unwrap_or(-1),
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

/// What the user sees of one command: the command line, the exit code, stdout, stderr.
pub fn transcript(args: &[&str]) -> String {
    let (code, out, err) = jwtc(args);
    let shown: Vec<String> = args
        .iter()
        .map(|a| {
            if a.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./=:,*".contains(c))
            {
                (*a).to_owned()
            } else {
                format!("'{a}'")
            }
        })
        .collect();
    format!(
        "$ jwtc {}\nexit: {code}\n--- stdout ---\n{out}--- stderr ---\n{err}",
        shown.join(" ")
    )
}

/// One case of a vector file under vectors/.
pub fn case(file: &str, id: &str) -> Value {
    let text = std::fs::read_to_string(root().join("vectors").join(file)).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no case {id} in {file}"))
        .clone()
}

/// The path of a test key file under vectors/keys/.
pub fn key(name: &str) -> String {
    root().join("vectors/keys").join(name).display().to_string()
}

/// Regex-escapes a literal for insta's filters.
fn literal(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let special = "\\.+*?()|[]{}^$#&-~".contains(c);
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

/// insta's settings with the machine's parts replaced: the repository's path (`[repo]`),
/// the temporary folder (`[tmp]`), this process's id (`[pid]`).
pub fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    let repo = root().canonicalize().unwrap_or_else(|_| root());
    s.add_filter(&literal(&root().display().to_string()), "[repo]");
    s.add_filter(&literal(&repo.display().to_string()), "[repo]");
    s.add_filter(
        &literal(&std::env::temp_dir().display().to_string()),
        "[tmp]",
    );
    s.add_filter(&format!("-{}\\b", std::process::id()), "-[pid]");
    s
}
