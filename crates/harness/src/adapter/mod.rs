//! An adapter folder, `adapters/<name>/`: `adapter.json` says what the implementation under
//! test needs, how to install, build and start it (its format: [`manifest::Manifest`]);
//! `expected-failures.json` lists its known divergences. [`Adapter::load`] makes one row
//! (the folder, or one of its variants) ready to start.

use std::path::{Path, PathBuf};

use crate::grade::Codes;
use crate::iut::Launch;

pub mod manifest;

pub use manifest::{Advisory, History};
use manifest::{InstallSpec, Manifest};

/// What an adapter installs before it builds.
#[derive(Clone, Debug, PartialEq)]
pub enum Install {
    /// `npm ci` of the package.json and package-lock.json in this folder.
    Npm(PathBuf),
    /// A virtual environment with this `==`-pinned requirements file.
    Pip(PathBuf),
}

/// A loaded adapter folder (one row: the folder, or one of its variants).
#[derive(Clone, Debug)]
pub struct Adapter {
    /// The row's name, `--impl NAME` or `--impl NAME:VARIANT`.
    pub name: String,
    /// The folder.
    pub dir: PathBuf,
    /// How to start it.
    pub launch: Launch,
    /// How to build it first, if it needs building.
    pub build: Option<Launch>,
    /// How error codes count.
    pub codes: Codes,
    /// Its expected-failures list (which may not exist: no known divergences).
    pub expected_failures: PathBuf,
    /// Programs it needs on `PATH`.
    pub requires: Vec<String>,
    /// What to install first, if anything.
    pub install: Option<Install>,
    /// Where the install goes (`{install_dir}`).
    pub install_dir: PathBuf,
    /// For an older, vulnerable version: its advisories and the row that fixed them.
    pub history: Option<History>,
}

/// The cargo target directory of the workspace at `workspace`, as an absolute path (an
/// adapter runs in its own folder): `$CARGO_TARGET_DIR` (relative to the workspace when
/// relative), else `<workspace>/target`.
pub fn target_dir(workspace: &Path) -> PathBuf {
    let workspace = std::env::current_dir()
        .map(|here| here.join(workspace))
        .unwrap_or_else(|_| workspace.to_path_buf());
    match std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        Some(d) => workspace.join(d),
        None => workspace.join("target"),
    }
}

/// Whether `name` is a plain folder or variant name (no path, no blank, no dot first).
fn is_plain_name(name: &str) -> bool {
    !(name.is_empty()
        || name.starts_with('.')
        || name.contains(['/', '\\', ':'])
        || name.chars().any(char::is_whitespace))
}

/// Whether `file` is a file this user may run.
fn is_executable(file: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(file).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        file.is_file()
    }
}

impl Adapter {
    /// Loads the row `spec` (`NAME` or `NAME:VARIANT`) of `<adapters>/NAME/adapter.json`.
    /// The error is one line naming the folder or the member and saying what to do.
    pub fn load(adapters: &Path, spec: &str) -> Result<Adapter, String> {
        let (name, variant) = match spec.split_once(':') {
            Some((n, v)) => (n, Some(v)),
            None => (spec, None),
        };
        if !is_plain_name(name) || variant.is_some_and(|v| !is_plain_name(v)) {
            return Err(format!(
                "--impl {spec:?} is not an adapter name: give the name of a folder under {} (or NAME:VARIANT)",
                adapters.display()
            ));
        }
        let dir = adapters.join(name);
        if !dir.is_dir() {
            let known = Self::names(adapters);
            return Err(format!(
                "unknown --impl {name}: there is no folder {} (adapters here: {}); add one with an adapter.json, or use --cmd",
                dir.display(),
                if known.is_empty() { "none".to_string() } else { known.join(", ") }
            ));
        }
        let shown = dir.join("adapter.json").display().to_string();
        let manifest = Manifest::read(&dir)?;
        let mut expected_failures = dir.join("expected-failures.json");
        let mut history = None;
        let (mut cmd, mut build, mut install, mut requires) = (
            manifest.cmd,
            manifest.build,
            manifest.install,
            manifest.requires,
        );
        let row = match variant {
            None => name.to_owned(),
            Some(v) => {
                let known: Vec<&str> = manifest.variants.iter().map(|(n, _)| n.as_str()).collect();
                let Some((_, body)) = manifest.variants.iter().find(|(n, _)| n == v) else {
                    return Err(format!(
                        "{shown} has no variant {v:?} (its variants: {})",
                        if known.is_empty() {
                            "none".into()
                        } else {
                            known.join(", ")
                        }
                    ));
                };
                let body = body.clone();
                if let Some(f) = body.expected_failures {
                    expected_failures = dir.join(f);
                }
                history = body.history;
                cmd = body.cmd.or(cmd);
                build = body.build.or(build);
                install = body.install.or(install);
                requires = body.requires.or(requires);
                format!("{name}:{v}")
            }
        };
        let target = target_dir(adapters.parent().unwrap_or(Path::new(".")));
        let install_dir = target.join("peers").join(row.replace(':', "-"));
        let (target_s, install_s) = (
            target.display().to_string(),
            install_dir.display().to_string(),
        );
        let fill = |argv: Vec<String>| -> Vec<String> {
            argv.iter()
                .map(|s| {
                    s.replace("{target_dir}", &target_s)
                        .replace("{install_dir}", &install_s)
                })
                .collect()
        };
        let cmd = cmd.map(fill).ok_or_else(|| {
            format!("{shown} has no start command: add \"cmd\": [\"program\", \"arg\", ...]")
        })?;
        let build = build.map(fill);
        let requires = requires.unwrap_or_default();
        let cwd = manifest.cwd.map_or_else(|| dir.clone(), |c| dir.join(c));
        if !cwd.is_dir() {
            return Err(format!(
                "{shown}: \"cwd\" names {}, which is not a folder",
                cwd.display()
            ));
        }
        let install = match install {
            None => None,
            Some(InstallSpec::Npm(folder)) => {
                let path = dir.join(folder);
                let package = path.join("package.json");
                if !package.is_file() {
                    return Err(format!(
                        "{shown}: \"install\" names {}, which does not exist",
                        package.display()
                    ));
                }
                Some(Install::Npm(path))
            }
            Some(InstallSpec::Pip(file)) => {
                let path = dir.join(file);
                if !path.is_file() {
                    return Err(format!(
                        "{shown}: \"install\" names {}, which does not exist",
                        path.display()
                    ));
                }
                Some(Install::Pip(path))
            }
        };
        let codes = manifest.codes.unwrap_or(Codes::Column);
        let launch = |argv: Vec<String>| -> Result<Launch, String> {
            let mut argv = argv;
            // A relative path to a program is relative to cwd, as it reads in the file.
            if argv[0].contains('/') && Path::new(&argv[0]).is_relative() {
                argv[0] = cwd.join(&argv[0]).display().to_string();
            }
            let mut l = Launch::argv(&argv, Some(cwd.clone()))?;
            l.shown = format!("--impl {row} ({})", argv.join(" "));
            Ok(l)
        };
        Ok(Adapter {
            launch: launch(cmd)?,
            build: build.map(launch).transpose()?,
            codes,
            expected_failures,
            requires,
            install,
            install_dir,
            history,
            name: row,
            dir,
        })
    }

    /// The adapter folders under `adapters`, sorted.
    pub fn names(adapters: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(adapters)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        names.sort();
        names
    }

    /// Every row under `adapters`: each folder, then its variants as `NAME:VARIANT`, in
    /// name order (as serde_json's map keeps them). A folder whose adapter.json does not
    /// read is still listed, as are its variants whatever they hold (loading the row then
    /// says what is wrong).
    pub fn rows(adapters: &Path) -> Vec<String> {
        let mut rows = Vec::new();
        for name in Self::names(adapters) {
            let variants: Vec<String> = manifest::read_object(&adapters.join(&name))
                .ok()
                .and_then(|mut o| match o.remove("variants") {
                    Some(serde_json::Value::Object(v)) => Some(v.keys().cloned().collect()),
                    _ => None,
                })
                .unwrap_or_default();
            rows.push(name.clone());
            rows.extend(variants.into_iter().map(|v| format!("{name}:{v}")));
        }
        rows
    }

    /// Why this row cannot run here, if it cannot: the first required program that is not
    /// on `PATH`.
    pub fn missing_requirement(&self) -> Option<String> {
        let path = std::env::var_os("PATH").unwrap_or_default();
        self.requires
            .iter()
            .find(|program| {
                !std::env::split_paths(&path).any(|d| is_executable(&d.join(program.as_str())))
            })
            .map(|program| format!("needs `{program}`, which is not on PATH"))
    }

    /// Makes the row ready to start: checks its required programs, installs its pinned
    /// packages (a no-op when they are current), then runs its build. The error names
    /// the step that failed.
    pub fn prepare(&self) -> Result<(), String> {
        if let Some(why) = self.missing_requirement() {
            return Err(format!("adapters/{} {why}", self.name));
        }
        match &self.install {
            None => {}
            Some(Install::Npm(from)) => crate::install::npm(from, &self.install_dir)
                .map_err(|e| format!("the install of adapters/{}: {e}", self.name))?,
            Some(Install::Pip(req)) => crate::install::pip(req, &self.install_dir.join("venv"))
                .map_err(|e| format!("the install of adapters/{}: {e}", self.name))?,
        }
        self.build()
    }

    /// Runs the build command, its output passed through; the error names the command.
    pub fn build(&self) -> Result<(), String> {
        let Some(b) = &self.build else {
            return Ok(());
        };
        let mut cmd = std::process::Command::new(&b.program);
        cmd.args(&b.args);
        if let Some(d) = &b.cwd {
            cmd.current_dir(d);
        }
        let status = cmd.status().map_err(|e| {
            format!(
                "cannot run the build of adapters/{} ({}): {e}",
                self.name, b.shown
            )
        })?;
        if status.success() {
            Ok(())
        } else {
            Err(format!(
                "the build of adapters/{} failed ({status}): {}; fix it and run again",
                self.name, b.shown
            ))
        }
    }
}

#[cfg(test)]
mod tests;
