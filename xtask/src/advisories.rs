//! `cargo xtask advisories`: the RustSec advisories `cargo deny check advisories` reads.
//!
//! The RustSec database lives on github.com, which CI cannot reach. `advisories/` holds a
//! snapshot of it cut to the crates of this repository's lock files (the advisory files
//! are CC0-1.0): `advisories/crates/<crate>/RUSTSEC-*.md` as upstream has them, and
//! `advisories/snapshot.json` naming the upstream commit, its date, and every crate name
//! the cut considered.
//!
//! - `cargo xtask advisories` checks that the snapshot considered every crate of every
//!   lock file (a crate added since fails, naming the refresh command), then installs it as
//!   a git repository where deny.toml's `db-path` makes cargo-deny look for the default
//!   database, committed at the upstream commit's date, so that cargo-deny's staleness
//!   check sees the snapshot's real age. `.ci/run` then runs `cargo deny --offline check
//!   advisories`.
//! - `cargo xtask advisories --from DIR` cuts a new snapshot from a checkout of
//!   github.com/rustsec/advisory-db (the `fetch` tool, or `git clone` where GitHub is
//!   reachable).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, ExitCode};

use crate::util::{say, Setup};

#[derive(clap::Args)]
pub struct AdvisoriesArgs {
    /// Cut a new snapshot from this checkout of github.com/rustsec/advisory-db.
    #[arg(long, value_name = "DIR")]
    from: Option<PathBuf>,
}

/// Where the snapshot is kept in the repository.
const SNAPSHOT_DIR: &str = "advisories";

/// Where cargo-deny looks for its default database under deny.toml's `db-path`
/// (`target/advisory-dbs`): the directory name cargo-deny derives from the URL
/// https://github.com/rustsec/advisory-db.
const INSTALL_DIR: &str = "target/advisory-dbs/advisory-db-3157b0e258782691";

pub fn advisories(args: AdvisoriesArgs) -> Result<ExitCode, Setup> {
    let root = Path::new(".");
    if let Some(from) = &args.from {
        cut(root, from)?;
    }
    let snapshot = Snapshot::load(root)?;
    let missing = snapshot.missing(&lock_crates(&lock_files(root)?)?);
    if !missing.is_empty() {
        return Err(Setup(format!(
            "{} crate(s) of the lock files were added after the advisory snapshot of {} ({}): {}; cut a new one with `cargo xtask advisories --from <checkout of github.com/rustsec/advisory-db>`",
            missing.len(),
            snapshot.date,
            snapshot.commit,
            missing.into_iter().collect::<Vec<_>>().join(", ")
        )));
    }
    install(root, &snapshot)?;
    say(&format!(
        "advisory snapshot: rustsec/advisory-db {} of {}: {} advisories for {} of the {} crates in the lock files, installed in {INSTALL_DIR}\n",
        snapshot.commit,
        snapshot.date,
        snapshot.advisories,
        snapshot.with_advisories,
        snapshot.crates.len()
    ));
    Ok(ExitCode::SUCCESS)
}

/// What `advisories/snapshot.json` says.
struct Snapshot {
    commit: String,
    date: String,
    crates: BTreeSet<String>,
    advisories: usize,
    with_advisories: usize,
}

impl Snapshot {
    fn load(root: &Path) -> Result<Snapshot, Setup> {
        let path = root.join(SNAPSHOT_DIR).join("snapshot.json");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Setup(format!("{}: {e}", path.display())))?;
        let v: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| Setup(format!("{}: not JSON: {e}", path.display())))?;
        let field = |name: &str| {
            v[name].as_str().map(str::to_owned).ok_or_else(|| {
                Setup(format!(
                    "{}: member {name:?} is not a string",
                    path.display()
                ))
            })
        };
        let count = |name: &str| {
            v[name].as_u64().map(|n| n as usize).ok_or_else(|| {
                Setup(format!(
                    "{}: member {name:?} is not a count",
                    path.display()
                ))
            })
        };
        let crates = v["crates"]
            .as_array()
            .and_then(|a| a.iter().map(|c| c.as_str().map(str::to_owned)).collect())
            .ok_or_else(|| {
                Setup(format!(
                    "{}: member \"crates\" is not an array of names",
                    path.display()
                ))
            })?;
        Ok(Snapshot {
            commit: field("commit")?,
            date: field("date")?,
            crates,
            advisories: count("advisories")?,
            with_advisories: count("crates_with_advisories")?,
        })
    }

    /// The crates of `locked` the snapshot did not consider.
    fn missing(&self, locked: &BTreeSet<String>) -> BTreeSet<String> {
        locked.difference(&self.crates).cloned().collect()
    }
}

/// Every lock file of the repository: the workspace's, fuzz/'s, and the history variants'
/// own (target directories excluded).
fn lock_files(root: &Path) -> Result<Vec<PathBuf>, Setup> {
    let mut files = Vec::new();
    for pattern in [
        "Cargo.lock",
        "fuzz/Cargo.lock",
        "adapters/*/history/*/Cargo.lock",
    ] {
        let found = glob::glob(&root.join(pattern).to_string_lossy())
            .map_err(|e| Setup(format!("{pattern}: {e}")))?;
        files.extend(found.filter_map(Result::ok));
    }
    if files.is_empty() {
        return Err(Setup("no Cargo.lock under the workspace root".into()));
    }
    Ok(files)
}

/// The crate names of the lock files `files`.
fn lock_crates(files: &[PathBuf]) -> Result<BTreeSet<String>, Setup> {
    let mut names = BTreeSet::new();
    for file in files {
        let text =
            std::fs::read_to_string(file).map_err(|e| Setup(format!("{}: {e}", file.display())))?;
        for line in text.lines() {
            if let Some(name) = line
                .strip_prefix("name = \"")
                .and_then(|r| r.strip_suffix('"'))
            {
                names.insert(name.to_owned());
            }
        }
    }
    Ok(names)
}

fn git(dir: &Path, args: &[&str], dates: Option<&str>) -> Result<String, Setup> {
    let mut cmd = Process::new("git");
    cmd.arg("-C").arg(dir).args(args);
    if let Some(date) = dates {
        cmd.env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .env("GIT_AUTHOR_NAME", "jwtc xtask")
            .env("GIT_AUTHOR_EMAIL", "xtask@jwtc.invalid")
            .env("GIT_COMMITTER_NAME", "jwtc xtask")
            .env("GIT_COMMITTER_EMAIL", "xtask@jwtc.invalid");
    }
    let out = cmd
        .output()
        .map_err(|e| Setup(format!("git {}: {e}", args.join(" "))))?;
    if !out.status.success() {
        return Err(Setup(format!(
            "git -C {} {} failed: {}",
            dir.display(),
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Cuts `advisories/` from the checkout `from`.
fn cut(root: &Path, from: &Path) -> Result<(), Setup> {
    let upstream = from.join("crates");
    if !upstream.is_dir() {
        return Err(Setup(format!(
            "{}: no crates/ folder: give --from a checkout of github.com/rustsec/advisory-db",
            from.display()
        )));
    }
    let head = git(from, &["log", "-1", "--format=%H %cI"], None)?;
    let (commit, date) = head
        .split_once(' ')
        .ok_or_else(|| Setup(format!("{}: cannot read HEAD: {head:?}", from.display())))?;
    let files = lock_files(root)?;
    let locked = lock_crates(&files)?;
    let dir = root.join(SNAPSHOT_DIR);
    let crates_dir = dir.join("crates");
    if crates_dir.exists() {
        std::fs::remove_dir_all(&crates_dir)
            .map_err(|e| Setup(format!("{}: {e}", crates_dir.display())))?;
    }
    let (mut advisories, mut with) = (0, 0);
    for name in &locked {
        let source = upstream.join(name);
        let Ok(entries) = std::fs::read_dir(&source) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        files.sort();
        if files.is_empty() {
            continue;
        }
        let target = crates_dir.join(name);
        std::fs::create_dir_all(&target)
            .map_err(|e| Setup(format!("{}: {e}", target.display())))?;
        for file in &files {
            let dest = target.join(file.file_name().unwrap_or_default());
            std::fs::copy(file, &dest)
                .map_err(|e| Setup(format!("{} -> {}: {e}", file.display(), dest.display())))?;
        }
        advisories += files.len();
        with += 1;
    }
    let snapshot = serde_json::json!({
        "source": "https://github.com/rustsec/advisory-db",
        "license": "CC0-1.0 (the advisory files, as upstream publishes them)",
        "commit": commit,
        "date": date,
        "lock_files": files
            .iter()
            .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
            .collect::<Vec<_>>(),
        "advisories": advisories,
        "crates_with_advisories": with,
        "crates": locked,
    });
    let path = dir.join("snapshot.json");
    let text = serde_json::to_string_pretty(&snapshot).unwrap_or_default() + "\n";
    std::fs::write(&path, text).map_err(|e| Setup(format!("{}: {e}", path.display())))?;
    say(&format!(
        "cut {advisories} advisories for {with} of {} crates from rustsec/advisory-db {commit} ({date}) into {SNAPSHOT_DIR}/\n",
        locked.len()
    ));
    Ok(())
}

/// Makes `INSTALL_DIR` a git repository holding the snapshot, committed at its date.
fn install(root: &Path, snapshot: &Snapshot) -> Result<(), Setup> {
    let dir = root.join(INSTALL_DIR);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| Setup(format!("{}: {e}", dir.display())))?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| Setup(format!("{}: {e}", dir.display())))?;
    copy_tree(&root.join(SNAPSHOT_DIR).join("crates"), &dir.join("crates"))?;
    git(&dir, &["init", "--quiet"], None)?;
    git(&dir, &["add", "crates"], None)?;
    let message = format!(
        "rustsec/advisory-db {} ({}), cut to jwtc's lock files",
        snapshot.commit, snapshot.date
    );
    git(
        &dir,
        &["commit", "--quiet", "--no-gpg-sign", "-m", &message],
        Some(&snapshot.date),
    )?;
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), Setup> {
    std::fs::create_dir_all(to).map_err(|e| Setup(format!("{}: {e}", to.display())))?;
    let entries = std::fs::read_dir(from).map_err(|e| Setup(format!("{}: {e}", from.display())))?;
    for entry in entries {
        let entry = entry.map_err(|e| Setup(format!("{}: {e}", from.display())))?;
        let (source, dest) = (entry.path(), to.join(entry.file_name()));
        if source.is_dir() {
            copy_tree(&source, &dest)?;
        } else {
            std::fs::copy(&source, &dest)
                .map_err(|e| Setup(format!("{} -> {}: {e}", source.display(), dest.display())))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    /// A dependency added without a new cut fails here, naming the refresh command's input.
    #[test]
    fn the_snapshot_considered_every_crate_of_every_lock_file() {
        let snapshot = Snapshot::load(&root()).unwrap_or_else(|Setup(e)| panic!("{e}"));
        let locked = lock_files(&root())
            .and_then(|files| lock_crates(&files))
            .unwrap_or_else(|Setup(e)| panic!("{e}"));
        assert!(
            locked.len() > 100,
            "the lock files list {} crates",
            locked.len()
        );
        let missing = snapshot.missing(&locked);
        assert!(
            missing.is_empty(),
            "not in advisories/snapshot.json (run cargo xtask advisories --from <advisory-db checkout>): {missing:?}"
        );
    }

    #[test]
    fn every_snapshot_file_is_an_advisory_of_a_locked_crate() {
        let snapshot = Snapshot::load(&root()).unwrap_or_else(|Setup(e)| panic!("{e}"));
        let mut files = 0;
        for dir in std::fs::read_dir(root().join("advisories/crates")).unwrap() {
            let dir = dir.unwrap();
            let name = dir.file_name().to_string_lossy().into_owned();
            assert!(snapshot.crates.contains(&name), "{name} is in no lock file");
            for f in std::fs::read_dir(dir.path()).unwrap() {
                let f = f.unwrap().file_name().to_string_lossy().into_owned();
                assert!(
                    f.starts_with("RUSTSEC-") && f.ends_with(".md"),
                    "{name}/{f}"
                );
                files += 1;
            }
        }
        assert_eq!(files, snapshot.advisories, "snapshot.json's count");
    }
}
