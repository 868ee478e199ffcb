//! `adapter.json`, read with serde: [`Manifest`] and its [`Variant`]s, every member
//! checked as it is read, and serde's errors put in words that name the file, the member
//! (and the variant) and what was wrong.

use serde::de::{self, Deserializer};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::path::Path;

use super::is_plain_name;
use crate::grade::Codes;

/// `adapters/<name>/adapter.json`: what the implementation under test needs, how to
/// install, build and start it (its known divergences are in `expected-failures.json`
/// beside it).
///
/// ```json
/// {"requires": ["node", "npm"], "install": {"npm": "."}, "cmd": ["node", "adapter.mjs", "{install_dir}"],
///  "variants": {"aws_lc_rs": {"build": ["cargo", "build"], "cmd": ["..."], "expected_failures": "expected-failures.aws_lc_rs.json"}}}
/// ```
///
/// In `cmd` and `build`, `{target_dir}` is the cargo target directory
/// (`$CARGO_TARGET_DIR`, else `target/` of the workspace), so a Rust adapter names its
/// built binary instead of paying `cargo run` at every start, and `{install_dir}` is
/// `<target>/peers/<row>`, where the install goes. A member whose name starts with `$`
/// (`$comment`) is a comment; any other member not listed here is an error.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The program and its arguments, started without a shell in `cwd` (required, here or
    /// in the variant). A relative path to a program (one with a `/`) is relative to `cwd`.
    #[serde(default, deserialize_with = "cmd")]
    pub cmd: Option<Vec<String>>,
    /// Run once before the run, in `cwd`, like `cmd`.
    #[serde(default, deserialize_with = "build")]
    pub build: Option<Vec<String>>,
    /// The folder `cmd` and `build` run in, relative to the adapter's folder (default: the
    /// folder).
    #[serde(default, deserialize_with = "cwd")]
    pub cwd: Option<String>,
    /// `column` (default) reports error-code agreement in a column of its own, `required`
    /// fails a case whose code differs (the reference).
    #[serde(default, deserialize_with = "codes")]
    pub codes: Option<Codes>,
    /// Programs that must be on `PATH` (a matrix shows a row whose program is missing as
    /// skipped, with the reason).
    #[serde(default, deserialize_with = "requires")]
    pub requires: Option<Vec<String>>,
    /// What to install before the build, relative to the adapter's folder.
    #[serde(default, deserialize_with = "install")]
    pub install: Option<InstallSpec>,
    /// More rows of a matrix from the same folder, `--impl NAME:VARIANT`, by name (as
    /// serde_json's map keeps them: sorted). A variant's install folder is
    /// `<target>/peers/NAME-VARIANT`.
    #[serde(default, deserialize_with = "variants")]
    pub variants: Vec<(String, Variant)>,
}

/// A variant of an adapter folder: its `cmd`, `build`, `install` and `requires` replace
/// the top level's (see [`Manifest`]); the others are its own.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// Replaces [`Manifest::cmd`].
    #[serde(default, deserialize_with = "cmd")]
    pub cmd: Option<Vec<String>>,
    /// Replaces [`Manifest::build`].
    #[serde(default, deserialize_with = "build")]
    pub build: Option<Vec<String>>,
    /// Replaces [`Manifest::install`].
    #[serde(default, deserialize_with = "install")]
    pub install: Option<InstallSpec>,
    /// Replaces [`Manifest::requires`].
    #[serde(default, deserialize_with = "requires")]
    pub requires: Option<Vec<String>>,
    /// The variant's expected-failures list, a file in the adapter's folder (default: the
    /// folder's `expected-failures.json`).
    #[serde(default, deserialize_with = "expected_failures")]
    pub expected_failures: Option<String>,
    /// For an older, vulnerable version of the library: its advisories and the row that
    /// fixed them (`cargo xtask matrix --history`).
    #[serde(default, deserialize_with = "history")]
    pub history: Option<History>,
}

/// `install`: one member, naming a path relative to the adapter's folder.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InstallSpec {
    /// `{"npm": FOLDER}`: its package.json and committed package-lock.json, exact versions
    /// only, `npm ci` into the install folder.
    Npm(String),
    /// `{"pip": FILE}`: a `==`-pinned requirements file, into a virtual environment at
    /// `{install_dir}/venv`.
    Pip(String),
}

/// A variant that is an older, vulnerable version of the library (`cargo xtask matrix
/// --history`): the row that fixed it, and the advisories the suite must catch.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    /// The row with the fix (`pyjwt`, or `name:variant`).
    pub fixed_by: String,
    /// The published bugs of this version.
    pub advisories: Vec<Advisory>,
}

/// A published bug and the vectors that catch it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
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

/// Ends a member's error message that names the adapter's folder: [`Manifest::read`]
/// puts the folder there (a member's reader does not know it).
const THE_FOLDER: &str = "{folder}";

impl Manifest {
    /// Reads and checks `<dir>/adapter.json`. The error is one line naming the file, and
    /// the member (and variant) that is wrong, and says what to do.
    pub fn read(dir: &Path) -> Result<Manifest, String> {
        let shown = dir.join("adapter.json").display().to_string();
        let obj = read_object(dir)?;
        Manifest::deserialize(Value::Object(without_comments(obj))).map_err(|e| {
            let message = match unknown_member(&e.to_string()) {
                Some((member, members)) => {
                    format!("unknown member {member:?} (the members are {members})")
                }
                None => e.to_string(),
            };
            match message.strip_suffix(THE_FOLDER) {
                Some(m) => format!("{shown}: {m}{}", dir.display()),
                None => format!("{shown}: {message}"),
            }
        })
    }
}

/// Reads `<dir>/adapter.json` as a JSON object, unchecked; the error says what to do.
pub fn read_object(dir: &Path) -> Result<Map<String, Value>, String> {
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

/// The object without its `$` members (comments).
fn without_comments(mut obj: Map<String, Value>) -> Map<String, Value> {
    obj.retain(|k, _| !k.starts_with('$'));
    obj
}

/// serde's `unknown field `X`, expected one of `a`, `b`` as (`X`, `a, b`).
fn unknown_member(message: &str) -> Option<(String, String)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (member, expected) = rest.rsplit_once("`, expected ")?;
    let members = expected
        .strip_prefix("one of ")
        .unwrap_or(expected)
        .replace("` or `", ", ")
        .replace('`', "");
    Some((member.to_owned(), members))
}

fn error<E: de::Error>(message: impl std::fmt::Display) -> E {
    E::custom(message)
}

fn argv<'de, D: Deserializer<'de>>(d: D, member: &str) -> Result<Option<Vec<String>>, D::Error> {
    Vec::<String>::deserialize(d)
        .ok()
        .filter(|a| a.first().is_some_and(|program| !program.is_empty()))
        .map(Some)
        .ok_or_else(|| {
            error(format!(
                "{member:?} must be a non-empty array of strings: the program, then its arguments"
            ))
        })
}

fn cmd<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    argv(d, "cmd")
}

fn build<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    argv(d, "build")
}

fn cwd<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    String::deserialize(d).map(Some).map_err(|_| {
        error(format!(
            "\"cwd\" must be a string, a folder relative to {THE_FOLDER}"
        ))
    })
}

fn codes<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Codes>, D::Error> {
    match String::deserialize(d).as_deref() {
        Ok("column") => Ok(Some(Codes::Column)),
        Ok("required") => Ok(Some(Codes::Required)),
        _ => Err(error("\"codes\" must be \"column\" or \"required\"")),
    }
}

fn requires<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    Vec::<String>::deserialize(d)
        .ok()
        .filter(|programs| programs.iter().all(|p| is_plain_name(p)))
        .map(Some)
        .ok_or_else(|| {
            error("\"requires\" must be an array of program names, e.g. [\"node\", \"npm\"]")
        })
}

fn install<'de, D: Deserializer<'de>>(d: D) -> Result<Option<InstallSpec>, D::Error> {
    InstallSpec::deserialize(d).map(Some).map_err(|_| {
        error(format!(
            "\"install\" must be {{\"npm\": FOLDER}} (package.json + package-lock.json) or {{\"pip\": REQUIREMENTS_FILE}}, relative to {THE_FOLDER}"
        ))
    })
}

fn expected_failures<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    String::deserialize(d)
        .ok()
        .filter(|f| is_plain_name(f))
        .map(Some)
        .ok_or_else(|| {
            error(format!(
                "\"expected_failures\" must be a file name in {THE_FOLDER}"
            ))
        })
}

fn history<'de, D: Deserializer<'de>>(d: D) -> Result<Option<History>, D::Error> {
    let h = History::deserialize(d).map_err(|e| {
        error::<D::Error>(format!("\"history\" is not {{\"fixed_by\": ROW, \"advisories\": [{{\"id\", \"title\", \"url\"?, \"cases\": [CASE_ID]}}]}}: {e}"))
    })?;
    if h.advisories.iter().any(|a| a.cases.is_empty()) {
        return Err(error("an advisory names no case that catches it"));
    }
    Ok(Some(h))
}

/// `variants`, each read as a [`Variant`] whose errors name it.
fn variants<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, Variant)>, D::Error> {
    let map = Map::<String, Value>::deserialize(d).map_err(|_| {
        error::<D::Error>(
            "\"variants\" must be an object of variant name to {\"cmd\"?, \"build\"?, ...}",
        )
    })?;
    map.into_iter()
        .map(|(name, body)| {
            if !is_plain_name(&name) {
                return Err(error(format!("variant {name:?} is not a plain name")));
            }
            let Value::Object(body) = body else {
                return Err(error(format!("variant {name:?} must be an object")));
            };
            let variant = Variant::deserialize(Value::Object(without_comments(body)))
                .map_err(|e| match unknown_member(&e.to_string()) {
                    Some((member, members)) => error::<D::Error>(format!(
                        "variant {name:?} has unknown member {member:?} (a variant's members are {members})"
                    )),
                    None => error(format!("variant {name:?}: {e}")),
                })?;
            Ok((name, variant))
        })
        .collect()
}
