//! Installing a peer's pinned packages into a folder of its own under the target
//! directory: `npm ci` of a committed lock file, or a virtual environment with `==`-pinned
//! requirements. Used by adapter folders (`"install"` in adapter.json) and by `cargo xtask
//! interop`. An install is redone only when its pin files change (a stamp file records
//! their contents), so a second run starts at once.

use std::path::Path;
use std::process::Command;

/// The stamp written after a successful install: the pin files it was made from.
const STAMP: &str = ".jwtc-installed";

/// `npm ci` in `into` of the `package.json` and `package-lock.json` of folder `from`,
/// after checking that every dependency is pinned to an exact version.
pub fn npm(from: &Path, into: &Path) -> Result<(), String> {
    let manifest = from.join("package.json");
    let text =
        std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let doc: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| format!("{}: not JSON: {e}", manifest.display()))?;
    for section in ["dependencies", "devDependencies", "optionalDependencies"] {
        for (name, spec) in doc[section].as_object().into_iter().flatten() {
            let spec = spec.as_str().unwrap_or_default();
            if !is_exact_npm_version(spec) {
                return Err(format!(
                    "{}: {section} {name} is {spec:?}, not an exact version (write e.g. \"1.2.3\", or \"npm:pkg@1.2.3\" for an alias)",
                    manifest.display()
                ));
            }
        }
    }
    let lock = from.join("package-lock.json");
    let lock_text = std::fs::read_to_string(&lock).map_err(|e| {
        format!(
            "{}: {e}: commit the lock file (npm install --package-lock-only in {})",
            lock.display(),
            from.display()
        )
    })?;
    let stamp = format!("npm\n{text}\n{lock_text}");
    if is_current(into, &stamp) {
        return Ok(());
    }
    std::fs::create_dir_all(into).map_err(|e| format!("{}: {e}", into.display()))?;
    for (f, body) in [(&manifest, &text), (&lock, &lock_text)] {
        let to = into.join(f.file_name().expect("a file name"));
        std::fs::write(&to, body).map_err(|e| format!("{}: {e}", to.display()))?;
    }
    run(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
            .current_dir(into),
        &format!("npm ci in {}", into.display()),
    )?;
    write_stamp(into, &stamp)
}

/// A virtual environment at `venv` with the requirements file installed, after checking
/// that every requirement is pinned with `==`.
pub fn pip(requirements: &Path, venv: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(requirements)
        .map_err(|e| format!("{}: {e}", requirements.display()))?;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim().trim_end_matches('\\').trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("--hash") {
            continue;
        }
        if !line.contains("==") {
            return Err(format!(
                "{}:{}: {line:?} is not pinned with == (write e.g. PyJWT==2.10.1)",
                requirements.display(),
                n + 1
            ));
        }
    }
    let stamp = format!("pip\n{text}");
    let root = venv.parent().unwrap_or(venv);
    if is_current(root, &stamp) && venv.join("bin/python3").exists() {
        return Ok(());
    }
    if !venv.join("bin/python3").exists() {
        run(
            Command::new("python3").args(["-m", "venv"]).arg(venv),
            &format!("python3 -m venv {}", venv.display()),
        )?;
    }
    run(
        Command::new(venv.join("bin/python3"))
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(requirements),
        &format!("pip install -r {}", requirements.display()),
    )?;
    write_stamp(root, &stamp)
}

/// Whether `spec` names one exact version: `1.2.3`, `1.2.3-rc.1`, or an alias
/// `npm:name@1.2.3`.
fn is_exact_npm_version(spec: &str) -> bool {
    let version = match spec.strip_prefix("npm:") {
        Some(alias) => match alias.rsplit_once('@') {
            Some((name, v)) if !name.is_empty() => v,
            _ => return false,
        },
        None => spec,
    };
    version.starts_with(|c: char| c.is_ascii_digit())
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

fn is_current(dir: &Path, stamp: &str) -> bool {
    std::fs::read_to_string(dir.join(STAMP)).is_ok_and(|s| s == stamp)
}

fn write_stamp(dir: &Path, stamp: &str) -> Result<(), String> {
    let path = dir.join(STAMP);
    std::fs::write(&path, stamp).map_err(|e| format!("{}: {e}", path.display()))
}

/// Runs a command, its output passed through; a missing program or a failure names it.
pub fn run(cmd: &mut Command, what: &str) -> Result<(), String> {
    let status = cmd.status().map_err(|e| {
        format!(
            "{what}: cannot start {:?}: {e} (is it installed?)",
            cmd.get_program()
        )
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exact_npm_versions_pass() {
        let table = [
            ("9.0.3", true),
            ("1.0.0-rc.1", true),
            ("npm:node-rsa@2.0.0", true),
            ("^9.0.3", false),
            ("~1.2.0", false),
            ("*", false),
            ("latest", false),
            ("", false),
            ("npm:@2.0.0", false),
            ("npm:node-rsa", false),
            (">=1", false),
            ("git+https://x/y.git", false),
        ];
        for (spec, want) in table {
            assert_eq!(is_exact_npm_version(spec), want, "{spec:?}");
        }
    }

    #[test]
    fn unpinned_files_are_refused_before_anything_runs() {
        let dir = std::env::temp_dir().join(format!("jwtc-install-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("package.json"),
            r#"{"dependencies": {"jose": "^6"}}"#,
        )
        .unwrap();
        let e = npm(&dir, &dir.join("out")).unwrap_err();
        assert!(
            e.contains("dependencies jose is \"^6\", not an exact version"),
            "{e}"
        );
        std::fs::write(
            dir.join("package.json"),
            r#"{"dependencies": {"jose": "6.2.17"}}"#,
        )
        .unwrap();
        let e = npm(&dir, &dir.join("out")).unwrap_err();
        assert!(e.contains("commit the lock file"), "{e}");
        let req = dir.join("requirements.txt");
        std::fs::write(&req, "# pins\nPyJWT==2.10.1\ncryptography>=44\n").unwrap();
        let e = pip(&req, &dir.join("venv")).unwrap_err();
        assert!(
            e.contains("requirements.txt:3: \"cryptography>=44\" is not pinned"),
            "{e}"
        );
        assert!(!dir.join("out").exists() && !dir.join("venv").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
