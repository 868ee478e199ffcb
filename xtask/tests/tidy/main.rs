//! Tidy: the repository's shape, checked under `cargo test` (as rust-analyzer's
//! xtask/src/tidy.rs does). Each check is a function from file contents to the list of
//! what is wrong, so a unit test below plants each breakage and sees it caught; the
//! `repository_*` tests run the checks on the real tree.
//!
//! - every rule id of the catalogue (`jwtc_verifier::rules::RULES`) has a `// rule:`
//!   marker in the verifier, a generator that names it, a vector file that holds a case
//!   of it, and a row in docs/rules.md;
//! - every section of docs/decisions.md and docs/findings.md names the rule ids it is
//!   about on a `Rules:` line (or says `none`), and names no id the catalogue lacks;
//! - no source file over 600 lines, unless [`LONG_FILES`] names it with its reason;
//! - every Rust file starts with a `//!` line saying what it holds;
//! - no file of the repository points into the steering folder beside the clone;
//! - no import loop between the top-level modules of any crate of the workspace.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The line bound of one source file.
pub const MAX_LINES: usize = 600;

/// Source files allowed over [`MAX_LINES`], each with its reason. An entry whose file is
/// gone or back under the bound fails the test, so the list never goes stale.
pub const LONG_FILES: &[(&str, &str)] = &[];

/// The folder beside a clone that the project may never point into (spelled in two
/// pieces so this file does not name it).
pub fn steering_ref() -> String {
    format!("{}/{}", "..", "shared")
}

/// The extensions counted as source code for the size bound.
pub const SOURCE_EXTENSIONS: &[&str] = &["rs", "py", "mjs", "js", "ts", "go", "sh"];

/// Folders never walked: build output, installed packages, version control.
const SKIPPED_DIRS: &[&str] = &[
    "target",
    ".git",
    "node_modules",
    "__pycache__",
    "corpus",
    "artifacts",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the repository root")
}

/// Every file under `dir`, as paths relative to `base`, in a stable order.
fn walk(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if !SKIPPED_DIRS.contains(&name) {
                walk(base, &path, out);
            }
        } else if let Ok(rel) = path.strip_prefix(base) {
            out.push(rel.to_path_buf());
        }
    }
}

/// The repository's files (relative paths) and, for text files, their contents.
struct Tree {
    files: Vec<(String, Option<String>)>,
}

impl Tree {
    fn load() -> Tree {
        let root = root();
        let mut paths = Vec::new();
        walk(&root, &root, &mut paths);
        let files = paths
            .into_iter()
            .map(|p| {
                let text = std::fs::read(root.join(&p))
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok());
                (p.to_string_lossy().replace('\\', "/"), text)
            })
            .collect();
        Tree { files }
    }

    /// The text files whose path starts with `prefix` and ends with `suffix`.
    fn texts<'a>(
        &'a self,
        prefix: &'a str,
        suffix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.files.iter().filter_map(move |(p, t)| {
            let t = t.as_deref()?;
            (p.starts_with(prefix) && p.ends_with(suffix)).then_some((p.as_str(), t))
        })
    }

    fn text(&self, path: &str) -> &str {
        self.files
            .iter()
            .find(|(p, _)| p == path)
            .and_then(|(_, t)| t.as_deref())
            .unwrap_or_else(|| panic!("{path} is missing or not UTF-8"))
    }
}

fn rule_ids() -> Vec<&'static str> {
    jwtc_verifier::rules::RULES.iter().map(|r| r.id).collect()
}

mod checks;
mod imports;

use checks::*;
use imports::*;

/// The `src/` folders of the workspace's crates.
fn crate_sources(tree: &Tree) -> BTreeSet<String> {
    tree.files
        .iter()
        .filter_map(|(p, _)| {
            let (dir, _) = p.split_once("/src/")?;
            (p.ends_with("/src/lib.rs") || p.ends_with("/src/main.rs"))
                .then(|| format!("{dir}/src/"))
        })
        .collect()
}

fn report(what: &str, problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "tidy: {what}: {} problem(s):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

// ---- the real tree ----------------------------------------------------------------

#[test]
fn repository_every_rule_has_code_generator_vectors_and_a_row() {
    let tree = Tree::load();
    let verifier: Vec<_> = tree.texts("crates/verifier/src/", ".rs").collect();
    let grader_dir = format!("{SIGNER_GRADER}/");
    let grader: Vec<_> = tree.texts(&grader_dir, ".rs").collect();
    let generators: Vec<_> = tree.texts("crates/vectors/src/", ".rs").collect();
    let vectors: Vec<_> = tree.texts("vectors/", ".json").collect();
    report(
        "rule coverage",
        rule_coverage(
            &rule_ids(),
            (&verifier, &grader),
            &generators,
            &vectors,
            tree.text("docs/rules.md"),
        ),
    );
}

#[test]
fn repository_every_decision_and_finding_names_its_rules() {
    let tree = Tree::load();
    let ids = rule_ids();
    let mut problems = Vec::new();
    for doc in ["docs/decisions.md", "docs/findings.md"] {
        problems.extend(sections_name_rules(doc, tree.text(doc), &ids));
    }
    report("decisions and findings", problems);
}

#[test]
fn repository_file_sizes() {
    let tree = Tree::load();
    let sizes: Vec<(&str, usize)> = tree
        .files
        .iter()
        .filter_map(|(p, t)| Some((p.as_str(), t.as_deref()?.lines().count())))
        .collect();
    report("file sizes", file_sizes(&sizes, LONG_FILES));
}

#[test]
fn repository_every_rust_file_starts_with_a_module_doc() {
    let tree = Tree::load();
    let problems = tree
        .texts("", ".rs")
        .filter_map(|(p, t)| module_doc(p, t))
        .collect();
    report("module docs", problems);
}

#[test]
fn repository_points_nowhere_outside_itself() {
    let tree = Tree::load();
    let problems = tree
        .files
        .iter()
        .filter_map(|(p, t)| steering_refs(p, t.as_deref()?))
        .collect();
    report("self-contained", problems);
}

#[test]
fn repository_has_no_import_loop() {
    let tree = Tree::load();
    let mut problems = Vec::new();
    for src in crate_sources(&tree) {
        let files: Vec<(&str, &str)> = tree
            .texts(&src, ".rs")
            .filter_map(|(p, t)| Some((top_module(&p[src.len()..])?, t)))
            .collect();
        for cycle in cycles(&module_edges(&files)) {
            problems.push(format!("{src}: import loop between {}", cycle.join(" ↔ ")));
        }
    }
    report("import loops", problems);
}
