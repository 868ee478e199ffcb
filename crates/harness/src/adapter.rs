//! An adapter folder, `adapters/<name>/`: `adapter.json` says how to build and start the
//! implementation under test, `expected-failures.json` lists its known divergences.
//!
//! ```json
//! {"build": ["cargo", "build", "--package", "x"], "cmd": ["cargo", "run", "--package", "x"], "cwd": ".", "codes": "column"}
//! ```
//!
//! `cmd` (required) is the program and its arguments, started without a shell; `build`
//! (optional) runs once before the run; both run in `cwd`, relative to the adapter's
//! folder (default: the folder). `{target_dir}` in any of their strings is the cargo
//! target directory (`$CARGO_TARGET_DIR`, else `target/` of the workspace), so a Rust
//! adapter can name its built binary instead of paying `cargo run` at every start. `codes`: `column` (default) reports error-code agreement
//! in a column of its own, `required` fails a case whose code differs (the reference).

use serde_json::Value;
use std::path::{Path, PathBuf};

use crate::grade::Codes;
use crate::iut::Launch;

/// The members `adapter.json` may have.
const MEMBERS: [&str; 4] = ["cmd", "build", "cwd", "codes"];

/// A loaded adapter folder.
#[derive(Clone, Debug)]
pub struct Adapter {
    /// The folder's name (`--impl NAME`).
    pub name: String,
    /// The folder.
    pub dir: PathBuf,
    /// How to start it.
    pub launch: Launch,
    /// How to build it first, if it needs building.
    pub build: Option<Launch>,
    /// How error codes count.
    pub codes: Codes,
    /// Its expected-failures.json (which may not exist: no known divergences).
    pub expected_failures: PathBuf,
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

impl Adapter {
    /// Loads `<adapters>/<name>/adapter.json`. The error is one line naming the folder or
    /// the member and saying what to do.
    pub fn load(adapters: &Path, name: &str) -> Result<Adapter, String> {
        if name.is_empty()
            || name.starts_with('.')
            || name.contains(['/', '\\'])
            || name.chars().any(char::is_whitespace)
        {
            return Err(format!(
                "--impl {name:?} is not an adapter name: give the name of a folder under {}",
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
        let doc: Value = serde_json::from_str(&text)
            .map_err(|e| format!("{shown} is not JSON ({e}): fix it, e.g. {{\"cmd\": [\"python3\", \"adapter.py\"]}}"))?;
        let obj = doc.as_object().ok_or_else(|| {
            format!("{shown} is not a JSON object: write {{\"cmd\": [\"program\", \"arg\", ...]}}")
        })?;
        if let Some(other) = obj
            .keys()
            .find(|k| !k.starts_with('$') && !MEMBERS.contains(&k.as_str()))
        {
            return Err(format!(
                "{shown}: unknown member {other:?} (the members are {})",
                MEMBERS.join(", ")
            ));
        }
        let target = target_dir(adapters.parent().unwrap_or(Path::new(".")))
            .display()
            .to_string();
        let argv = |member: &str| -> Result<Option<Vec<String>>, String> {
            let Some(v) = obj.get(member) else {
                return Ok(None);
            };
            let list = v
                .as_array()
                .filter(|a| !a.is_empty())
                .and_then(|a| {
                    a.iter()
                        .map(|s| s.as_str().map(|s| s.replace("{target_dir}", &target)))
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
            l.shown = format!("--impl {name} ({})", argv.join(" "));
            Ok(l)
        };
        Ok(Adapter {
            name: name.to_owned(),
            launch: launch(cmd)?,
            build: build.map(launch).transpose()?,
            codes,
            expected_failures: dir.join("expected-failures.json"),
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
