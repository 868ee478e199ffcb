//! An adapter folder, `adapters/<name>/`: `adapter.json` says what the implementation under
//! test needs, how to install, build and start it; `expected-failures.json` lists its
//! known divergences.
//!
//! ```json
//! {"requires": ["node", "npm"], "install": {"npm": "."}, "cmd": ["node", "adapter.mjs", "{install_dir}"],
//!  "variants": {"aws_lc_rs": {"build": ["cargo", "build"], "cmd": ["..."], "expected_failures": "expected-failures.aws_lc_rs.json"}}}
//! ```
//!
//! - `cmd` (required): the program and its arguments, started without a shell; `build`
//!   (optional) runs once before the run; both run in `cwd`, relative to the adapter's
//!   folder (default: the folder).
//! - `requires`: programs that must be on `PATH` (a matrix shows a row whose program is
//!   missing as skipped, with the reason).
//! - `install`: `{"npm": FOLDER}` (its package.json and committed package-lock.json,
//!   exact versions only, `npm ci` into the install folder) or `{"pip": FILE}` (a
//!   `==`-pinned requirements file, into a virtual environment at `{install_dir}/venv`).
//! - `{target_dir}` in any string is the cargo target directory (`$CARGO_TARGET_DIR`, else
//!   `target/` of the workspace), so a Rust adapter names its built binary instead of
//!   paying `cargo run` at every start; `{install_dir}` is `<target>/peers/<row>`, where
//!   the install goes.
//! - `codes`: `column` (default) reports error-code agreement in a column of its own,
//!   `required` fails a case whose code differs (the reference).
//! - `variants`: more rows of a matrix from the same folder, `--impl NAME:VARIANT`. A
//!   variant's `cmd`, `build`, `install` and `requires` replace the top level's; its
//!   `expected_failures` names its own list (default: the folder's
//!   `expected-failures.json`). Its install folder is `<target>/peers/NAME-VARIANT`.

use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

use crate::grade::Codes;
use crate::iut::Launch;

/// The members `adapter.json` may have.
const MEMBERS: [&str; 7] = [
    "cmd", "build", "cwd", "codes", "requires", "install", "variants",
];

/// The members a variant may have.
const VARIANT_MEMBERS: [&str; 6] = [
    "cmd",
    "build",
    "install",
    "requires",
    "expected_failures",
    "history",
];

/// A variant that is an older, vulnerable version of the library (`cargo xtask matrix
/// --history`): the row that fixed it, and the advisories the suite must catch.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    /// The row with the fix (`pyjwt`, or `name:variant`).
    pub fixed_by: String,
    /// The published bugs of this version.
    pub advisories: Vec<Advisory>,
}

/// A published bug and the vectors that catch it.
#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Advisory {
    /// CVE or GHSA id.
    pub id: String,
    /// What the bug lets an attacker do, in one line.
    pub title: String,
    /// Where it is published.
    #[serde(default)]
    pub url: Option<String>,
    /// The case ids that must fail on this version and pass on the fixed one.
    pub cases: Vec<String>,
}

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

/// Reads `<dir>/adapter.json` as a JSON object; the error says what to do.
fn read_manifest(dir: &Path) -> Result<Map<String, Value>, String> {
    let file = dir.join("adapter.json");
    let shown = file.display();
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!(
            "{} has no start command: add {shown} with {{\"cmd\": [\"program\", \"arg\", ...]}}",
            dir.display()
        ))
        }
        Err(e) => return Err(format!("cannot read {shown}: {e}")),
    };
    let doc: Value = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{shown} is not JSON ({e}): fix it, e.g. {{\"cmd\": [\"python3\", \"adapter.py\"]}}"
        )
    })?;
    match doc {
        Value::Object(obj) => Ok(obj),
        _ => Err(format!(
            "{shown} is not a JSON object: write {{\"cmd\": [\"program\", \"arg\", ...]}}"
        )),
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
        let file = dir.join("adapter.json");
        let shown = file.display().to_string();
        let mut obj = read_manifest(&dir)?;
        if let Some(other) = obj
            .keys()
            .find(|k| !k.starts_with('$') && !MEMBERS.contains(&k.as_str()))
        {
            return Err(format!(
                "{shown}: unknown member {other:?} (the members are {})",
                MEMBERS.join(", ")
            ));
        }
        let variants = match obj.remove("variants") {
            None => Map::new(),
            Some(Value::Object(v)) => v,
            Some(_) => {
                return Err(format!(
                    "{shown}: \"variants\" must be an object of variant name to {{\"cmd\"?, \"build\"?, ...}}"
                ))
            }
        };
        for (v, body) in &variants {
            if !is_plain_name(v) {
                return Err(format!("{shown}: variant {v:?} is not a plain name"));
            }
            let body = body
                .as_object()
                .ok_or_else(|| format!("{shown}: variant {v:?} must be an object"))?;
            if let Some(other) = body
                .keys()
                .find(|k| !k.starts_with('$') && !VARIANT_MEMBERS.contains(&k.as_str()))
            {
                return Err(format!(
                    "{shown}: variant {v:?} has unknown member {other:?} (a variant's members are {})",
                    VARIANT_MEMBERS.join(", ")
                ));
            }
        }
        let mut expected_failures = dir.join("expected-failures.json");
        let mut history = None;
        let row = match variant {
            None => name.to_owned(),
            Some(v) => {
                let Some(Value::Object(body)) = variants.get(v) else {
                    let known: Vec<&str> = variants.keys().map(String::as_str).collect();
                    return Err(format!(
                        "{shown} has no variant {v:?} (its variants: {})",
                        if known.is_empty() {
                            "none".into()
                        } else {
                            known.join(", ")
                        }
                    ));
                };
                for (k, val) in body {
                    if k == "history" {
                        let h: History = serde_json::from_value(val.clone()).map_err(|e| {
                            format!("{shown}: variant {v:?}: \"history\" is not {{\"fixed_by\": ROW, \"advisories\": [{{\"id\", \"title\", \"url\"?, \"cases\": [CASE_ID]}}]}}: {e}")
                        })?;
                        if h.advisories.iter().any(|a| a.cases.is_empty()) {
                            return Err(format!(
                                "{shown}: variant {v:?}: an advisory names no case that catches it"
                            ));
                        }
                        history = Some(h);
                    } else if k == "expected_failures" {
                        let f = val.as_str().filter(|f| is_plain_name(f)).ok_or_else(|| {
                            format!("{shown}: variant {v:?}: \"expected_failures\" must be a file name in {}", dir.display())
                        })?;
                        expected_failures = dir.join(f);
                    } else if !k.starts_with('$') {
                        obj.insert(k.clone(), val.clone());
                    }
                }
                format!("{name}:{v}")
            }
        };
        let target = target_dir(adapters.parent().unwrap_or(Path::new(".")));
        let install_dir = target.join("peers").join(row.replace(':', "-"));
        let (target_s, install_s) = (
            target.display().to_string(),
            install_dir.display().to_string(),
        );
        let fill = |s: &str| {
            s.replace("{target_dir}", &target_s)
                .replace("{install_dir}", &install_s)
        };
        let argv = |member: &str| -> Result<Option<Vec<String>>, String> {
            let Some(v) = obj.get(member) else {
                return Ok(None);
            };
            let list = v
                .as_array()
                .filter(|a| !a.is_empty())
                .and_then(|a| {
                    a.iter()
                        .map(|s| s.as_str().map(fill))
                        .collect::<Option<Vec<_>>>()
                })
                .filter(|a| !a[0].is_empty())
                .ok_or_else(|| {
                    format!(
                        "{shown}: {member:?} must be a non-empty array of strings: the program, then its arguments"
                    )
                })?;
            Ok(Some(list))
        };
        let cmd = argv("cmd")?.ok_or_else(|| {
            format!("{shown} has no start command: add \"cmd\": [\"program\", \"arg\", ...]")
        })?;
        let build = argv("build")?;
        let requires = match obj.get("requires") {
            None => Vec::new(),
            Some(v) => v
                .as_array()
                .and_then(|a| {
                    a.iter()
                        .map(|s| s.as_str().filter(|s| is_plain_name(s)).map(str::to_owned))
                        .collect::<Option<Vec<_>>>()
                })
                .ok_or_else(|| {
                    format!("{shown}: \"requires\" must be an array of program names, e.g. [\"node\", \"npm\"]")
                })?,
        };
        let cwd = match obj.get("cwd") {
            None => dir.clone(),
            Some(Value::String(c)) => dir.join(c),
            Some(_) => {
                return Err(format!(
                    "{shown}: \"cwd\" must be a string, a folder relative to {}",
                    dir.display()
                ))
            }
        };
        if !cwd.is_dir() {
            return Err(format!(
                "{shown}: \"cwd\" names {}, which is not a folder",
                cwd.display()
            ));
        }
        let install = match obj.get("install") {
            None => None,
            Some(v) => {
                let bad = || {
                    format!(
                        "{shown}: \"install\" must be {{\"npm\": FOLDER}} (package.json + package-lock.json) or {{\"pip\": REQUIREMENTS_FILE}}, relative to {}",
                        dir.display()
                    )
                };
                let o = v.as_object().filter(|o| o.len() == 1).ok_or_else(bad)?;
                let (kind, path) = o.iter().next().expect("one member");
                let path = dir.join(path.as_str().ok_or_else(bad)?);
                let install = match kind.as_str() {
                    "npm" if path.join("package.json").is_file() => Install::Npm(path),
                    "pip" if path.is_file() => Install::Pip(path),
                    "npm" | "pip" => {
                        return Err(format!(
                            "{shown}: \"install\" names {}, which does not exist",
                            if kind == "npm" {
                                path.join("package.json")
                            } else {
                                path
                            }
                            .display()
                        ))
                    }
                    _ => return Err(bad()),
                };
                Some(install)
            }
        };
        let codes = match obj.get("codes").map(|c| c.as_str()) {
            None | Some(Some("column")) => Codes::Column,
            Some(Some("required")) => Codes::Required,
            Some(_) => {
                return Err(format!(
                    "{shown}: \"codes\" must be \"column\" or \"required\""
                ))
            }
        };
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
    /// the order adapter.json lists them. A folder whose adapter.json does not read is
    /// still listed (loading it then says what is wrong).
    pub fn rows(adapters: &Path) -> Vec<String> {
        let mut rows = Vec::new();
        for name in Self::names(adapters) {
            let variants: Vec<String> = read_manifest(&adapters.join(&name))
                .ok()
                .and_then(|mut o| match o.remove("variants") {
                    Some(Value::Object(v)) => Some(v.keys().cloned().collect()),
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
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("jwtc-adapter-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn adapter_folders_load_or_say_what_to_do() {
        let root = scratch("load");
        // (folder, adapter.json or None for no file, Ok(program) or Err(text in the message))
        let bin = target_dir(root.parent().unwrap())
            .join("debug/x")
            .display()
            .to_string();
        let table: [(&str, Option<&str>, Result<&str, &str>); 13] = [
            (
                "target",
                Some(r#"{"cmd": ["{target_dir}/debug/x"]}"#),
                Ok(&bin),
            ),
            ("ok", Some(r#"{"cmd": ["python3", "a.py"]}"#), Ok("python3")),
            (
                "rel",
                Some(r#"{"$comment": "x", "cmd": ["./run.sh"], "codes": "required"}"#),
                Ok("rel/./run.sh"),
            ),
            ("nofile", None, Err("has no start command: add")),
            (
                "nocmd",
                Some(r#"{"build": ["make"]}"#),
                Err("has no start command"),
            ),
            (
                "emptycmd",
                Some(r#"{"cmd": []}"#),
                Err("\"cmd\" must be a non-empty array"),
            ),
            (
                "strcmd",
                Some(r#"{"cmd": "python3 a.py"}"#),
                Err("\"cmd\" must be a non-empty array"),
            ),
            (
                "emptyprog",
                Some(r#"{"cmd": [""]}"#),
                Err("\"cmd\" must be a non-empty array"),
            ),
            ("badjson", Some("{cmd"), Err("is not JSON")),
            ("array", Some("[]"), Err("is not a JSON object")),
            (
                "unknown",
                Some(r#"{"cmd": ["x"], "command": ["x"]}"#),
                Err("unknown member \"command\""),
            ),
            (
                "codes",
                Some(r#"{"cmd": ["x"], "codes": "strict"}"#),
                Err("\"codes\" must be"),
            ),
            (
                "cwd",
                Some(r#"{"cmd": ["x"], "cwd": "nowhere"}"#),
                Err("which is not a folder"),
            ),
        ];
        for (name, file, _) in &table {
            std::fs::create_dir_all(root.join(name)).unwrap();
            if let Some(text) = file {
                std::fs::write(root.join(name).join("adapter.json"), text).unwrap();
            }
        }
        for (name, _, want) in table {
            match (Adapter::load(&root, name), want) {
                (Ok(a), Ok(program)) => {
                    assert!(
                        a.launch.program.ends_with(program),
                        "{name}: {:?}",
                        a.launch
                    );
                    assert_eq!(a.launch.cwd.as_deref(), Some(root.join(name).as_path()));
                }
                (Err(e), Err(text)) => {
                    assert!(e.contains(text), "{name}: {e}");
                    assert!(!e.contains('\n'), "{name}: one line: {e}");
                }
                (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
            }
        }
        let codes = Adapter::load(&root, "rel").unwrap().codes;
        assert_eq!(codes, Codes::Required);
        for bad in ["", "../x", "a/b", ".hidden", "a b"] {
            let e = Adapter::load(&root, bad).unwrap_err();
            assert!(e.contains("is not an adapter name"), "{bad}: {e}");
        }
        let e = Adapter::load(&root, "missing").unwrap_err();
        assert!(
            e.starts_with("unknown --impl missing") && e.contains("array, badjson"),
            "{e}"
        );
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn variants_requires_and_install_load_or_say_what_to_do() {
        let root = scratch("variants");
        let peers = target_dir(root.parent().unwrap()).join("peers");
        let write = |name: &str, text: &str| {
            std::fs::create_dir_all(root.join(name)).unwrap();
            std::fs::write(root.join(name).join("adapter.json"), text).unwrap();
        };
        write(
            "two",
            r#"{"requires": ["sh"], "cmd": ["{install_dir}/bin/a"],
                "variants": {"fast": {"cmd": ["{install_dir}/bin/b", "{target_dir}"], "requires": ["jwtc-no-such-program"],
                                      "expected_failures": "expected-failures.fast.json"},
                             "plain": {}}}"#,
        );
        std::fs::write(root.join("two/package.json"), "{}").unwrap();
        std::fs::write(root.join("two/requirements.txt"), "x==1\n").unwrap();
        let base = Adapter::load(&root, "two").unwrap();
        assert_eq!(base.name, "two");
        assert_eq!(
            base.launch.program,
            peers.join("two/bin/a").display().to_string()
        );
        assert_eq!(
            base.expected_failures,
            root.join("two/expected-failures.json")
        );
        assert_eq!(base.missing_requirement(), None);
        let fast = Adapter::load(&root, "two:fast").unwrap();
        assert_eq!(fast.name, "two:fast");
        assert_eq!(fast.install_dir, peers.join("two-fast"));
        assert_eq!(
            fast.launch.program,
            peers.join("two-fast/bin/b").display().to_string()
        );
        assert_eq!(
            fast.launch.args,
            [peers.parent().unwrap().display().to_string()]
        );
        assert_eq!(
            fast.expected_failures,
            root.join("two/expected-failures.fast.json")
        );
        assert_eq!(
            fast.missing_requirement().as_deref(),
            Some("needs `jwtc-no-such-program`, which is not on PATH")
        );
        let e = fast.prepare().unwrap_err();
        assert!(
            e.starts_with("adapters/two:fast needs `jwtc-no-such-program`"),
            "{e}"
        );
        assert_eq!(Adapter::load(&root, "two:plain").unwrap().launch, {
            let mut l = base.launch.clone();
            l.program = peers.join("two-plain/bin/a").display().to_string();
            l.shown = l
                .shown
                .replace("--impl two (", "--impl two:plain (")
                .replace("/two/bin", "/two-plain/bin");
            l
        });
        // (folder, adapter.json, text in the error of loading "<folder>:v" or "<folder>")
        let table: [(&str, &str, &str, &str); 9] = [
            (
                "nov",
                r#"{"cmd": ["x"]}"#,
                "nov:v",
                "has no variant \"v\" (its variants: none)",
            ),
            (
                "badv",
                r#"{"cmd": ["x"], "variants": []}"#,
                "badv",
                "\"variants\" must be an object",
            ),
            (
                "vmember",
                r#"{"cmd": ["x"], "variants": {"v": {"codes": "required"}}}"#,
                "vmember",
                "variant \"v\" has unknown member \"codes\"",
            ),
            (
                "vname",
                r#"{"cmd": ["x"], "variants": {"a b": {}}}"#,
                "vname",
                "variant \"a b\" is not a plain name",
            ),
            (
                "req",
                r#"{"cmd": ["x"], "requires": "node"}"#,
                "req",
                "\"requires\" must be an array of program names",
            ),
            (
                "inst",
                r#"{"cmd": ["x"], "install": {"cargo": "."}}"#,
                "inst",
                "\"install\" must be {\"npm\": FOLDER}",
            ),
            (
                "instmiss",
                r#"{"cmd": ["x"], "install": {"pip": "requirements.txt"}}"#,
                "instmiss",
                "requirements.txt, which does not exist",
            ),
            (
                "npmmiss",
                r#"{"cmd": ["x"], "install": {"npm": "."}}"#,
                "npmmiss",
                "package.json, which does not exist",
            ),
            (
                "ef",
                r#"{"cmd": ["x"], "variants": {"v": {"expected_failures": "../x.json"}}}"#,
                "ef:v",
                "\"expected_failures\" must be a file name",
            ),
        ];
        for (name, text, spec, want) in table {
            write(name, text);
            let e = Adapter::load(&root, spec).unwrap_err();
            assert!(e.contains(want), "{spec}: {e}");
            assert!(!e.contains('\n'), "{spec}: one line: {e}");
        }
        for bad in ["two:", ":x", "two:a:b", "two:a b"] {
            let e = Adapter::load(&root, bad).unwrap_err();
            assert!(e.contains("is not an adapter name"), "{bad}: {e}");
        }
        let rows = Adapter::rows(&root);
        assert!(
            rows.starts_with(&["badv".into(), "ef".into(), "ef:v".into(), "inst".into()]),
            "{rows:?}"
        );
        assert!(
            rows.ends_with(&[
                "two".into(),
                "two:fast".into(),
                "two:plain".into(),
                "vmember".into(),
                "vmember:v".into(),
                "vname".into(),
                "vname:a b".into()
            ]),
            "{rows:?}"
        );
        write(
            "hist",
            r#"{"cmd": ["x"], "variants": {"1.0": {"history": {"fixed_by": "hist", "advisories": [
                {"id": "CVE-1", "title": "t", "cases": ["core/alg/alg-none"]}]}}}}"#,
        );
        assert_eq!(Adapter::load(&root, "hist").unwrap().history, None);
        let h = Adapter::load(&root, "hist:1.0").unwrap().history.unwrap();
        assert_eq!(
            (h.fixed_by.as_str(), h.advisories[0].cases.len()),
            ("hist", 1)
        );
        for (text, want) in [
            (
                r#"{"fixed_by": "hist", "advisories": [{"id": "x", "title": "t", "cases": []}]}"#,
                "names no case",
            ),
            (
                r#"{"fixed_by": "hist", "advisories": [], "extra": 1}"#,
                "\"history\" is not",
            ),
            (r#"{"advisories": []}"#, "missing field `fixed_by`"),
        ] {
            write(
                "hist",
                &format!(r#"{{"cmd": ["x"], "variants": {{"1.0": {{"history": {text}}}}}}}"#),
            );
            let e = Adapter::load(&root, "hist:1.0").unwrap_err();
            assert!(e.contains(want), "{text}: {e}");
        }
        let pip = {
            write(
                "pip",
                r#"{"cmd": ["{install_dir}/venv/bin/python3"], "install": {"pip": "r.txt"}}"#,
            );
            std::fs::write(root.join("pip/r.txt"), "x==1\n").unwrap();
            Adapter::load(&root, "pip").unwrap()
        };
        assert_eq!(pip.install, Some(Install::Pip(root.join("pip/r.txt"))));
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn a_failing_build_is_named() {
        let root = scratch("build");
        // (folder, build command, Ok or the text of the error)
        let table: [(&str, &str, Result<(), &str>); 3] = [
            ("fine", r#"["sh", "-c", "exit 0"]"#, Ok(())),
            (
                "broken",
                r#"["sh", "-c", "exit 3"]"#,
                Err("the build of adapters/broken failed (exit status: 3)"),
            ),
            (
                "missing",
                r#"["jwtc-no-such-build-tool"]"#,
                Err("cannot run the build of adapters/missing"),
            ),
        ];
        for (name, build, want) in table {
            std::fs::create_dir_all(root.join(name)).unwrap();
            std::fs::write(
                root.join(name).join("adapter.json"),
                format!(r#"{{"cmd": ["x"], "build": {build}}}"#),
            )
            .unwrap();
            let got = Adapter::load(&root, name).unwrap().build();
            match (got, want) {
                (Ok(()), Ok(())) => {}
                (Err(e), Err(text)) => assert!(e.contains(text), "{name}: {e}"),
                (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
            }
        }
        let _ = std::fs::remove_dir_all(&root);
    }
}
