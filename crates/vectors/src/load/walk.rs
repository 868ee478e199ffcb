//! Finding the vector files of a folder. Ours: `<root>/<dir>/*.json`, one level down.
//! A user's: every `*.json` anywhere under the root, but for the top-level `suite.json`,
//! `errata.json`, `keys/`, `schema/` and `external/`, and hidden entries (a name starting with `.`);
//! symbolic links to files are read, links to folders are an error (never followed, so no
//! loop). Any other file is an error naming it.

use std::path::{Path, PathBuf};

use super::Mode;

/// Top-level folders that hold no vector files of ours. (`interop/` holds ordinary vector
/// files minted by other libraries; its `scripts/` folder is not read.)
const NOT_VECTOR_DIRS: [&str; 3] = ["keys", "schema", "external"];

/// Top-level files of a folder that are not vector files: the suite's settings and errata.
const TOP_FILES: [&str; 2] = ["suite.json", crate::errata::FILE];

/// Every vector file under `root`, sorted; problems go to `errors`. A user's `root` may
/// be one vector file (`jwtc attack --out`'s), which is then the whole suite.
pub(super) fn vector_files(root: &Path, mode: Mode, errors: &mut Vec<String>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    match mode {
        Mode::User if root.is_file() => files.push(root.to_path_buf()),
        Mode::Own => own_files(root, &mut files, errors),
        Mode::User => user_files(root, true, &mut files, errors),
    }
    files.sort();
    files
}

/// `<root>/<dir>/*.json`.
fn own_files(root: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<String>) {
    let dirs = match std::fs::read_dir(root) {
        Ok(d) => d,
        Err(e) => {
            errors.push(format!("{}: {e}", root.display()));
            return;
        }
    };
    for dir in dirs.flatten() {
        let path = dir.path();
        let name = dir.file_name().to_string_lossy().into_owned();
        if !path.is_dir() || NOT_VECTOR_DIRS.contains(&name.as_str()) {
            continue;
        }
        match std::fs::read_dir(&path) {
            Ok(entries) => {
                for f in entries.flatten() {
                    let p = f.path();
                    if p.extension().and_then(|e| e.to_str()) == Some("json") {
                        files.push(p);
                    } else if p.is_file() {
                        errors.push(format!(
                            "{}: not a .json file in a vectors directory",
                            p.display()
                        ));
                    }
                }
            }
            Err(e) => errors.push(format!("{}: {e}", path.display())),
        }
    }
}

/// Every `*.json` under `dir`, recursively.
fn user_files(dir: &Path, top: bool, files: &mut Vec<PathBuf>, errors: &mut Vec<String>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(d) => d,
        Err(e) => {
            errors.push(format!("{}: {e}", dir.display()));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(format!("{}: {e}", dir.display()));
                continue;
            }
        };
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || (top && TOP_FILES.contains(&name.as_str())) {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            errors.push(format!("{}: cannot tell what it is", path.display()));
            continue;
        };
        if kind.is_dir() {
            if !(top && NOT_VECTOR_DIRS.contains(&name.as_str())) {
                user_files(&path, false, files, errors);
            }
            continue;
        }
        let is_file = kind.is_file() || (kind.is_symlink() && path.is_file());
        if kind.is_symlink() && path.is_dir() {
            errors.push(format!(
                "{}: a link to a folder, which is not followed; give the folder itself",
                path.display()
            ));
        } else if is_file && path.extension().and_then(|e| e.to_str()) == Some("json") {
            files.push(path);
        } else {
            errors.push(format!(
                "{}: not a .json vector file (a vectors folder holds vector files, and keys/ its keys)",
                path.display()
            ));
        }
    }
}
