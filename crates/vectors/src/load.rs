//! Loading a vectors directory: every file checked against the JSON Schema, then
//! against the rule catalogue and the key store. Any problem fails the load with a
//! message naming the file, the case and the field; nothing is silently skipped.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::keystore::KeyStore;
use crate::model::{Case, Expect, Suite, VectorFile, SCHEMA_VERSION};
use crate::wycheproof;

/// Directories under the vectors root that hold no vector files of ours. (`interop/` holds
/// ordinary vector files minted by other libraries; its `scripts/` folder is not read.)
const NOT_VECTOR_DIRS: [&str; 3] = ["keys", "schema", "external"];

/// One case ready to run.
#[derive(Clone, Debug)]
pub struct LoadedCase {
    /// The case as written.
    pub case: Case,
    /// The profile it runs under.
    pub profile: String,
    /// Its context with key names replaced by JWKs (what an implementation is sent).
    pub context: Value,
    /// What to run: one step for a plain case, the scenario's steps otherwise.
    pub steps: Vec<LoadedStep>,
    /// The file it came from, for messages.
    pub file: PathBuf,
}

/// One step ready to run: input, the context in force (keys resolved), and what must come out.
#[derive(Clone, Debug)]
pub struct LoadedStep {
    /// What the step does (the case's description for a plain case).
    pub description: String,
    /// The input.
    pub input: Value,
    /// The context in force at this step.
    pub context: Value,
    /// What must come out.
    pub expect: Expect,
}

impl LoadedCase {
    /// Whether this case is a scenario of several steps.
    pub fn is_scenario(&self) -> bool {
        self.case.steps.is_some()
    }

    /// Builds the steps of `case` with resolved contexts; the error names the step.
    pub fn new(
        case: Case,
        profile: String,
        file: PathBuf,
        keys: &KeyStore,
    ) -> Result<LoadedCase, String> {
        let context = keys.resolve(&case.context)?;
        let steps = match (&case.steps, &case.input, &case.expect) {
            (None, Some(input), Some(expect)) => vec![LoadedStep {
                description: case.description.clone(),
                input: input.clone(),
                context: context.clone(),
                expect: expect.clone(),
            }],
            (Some(steps), None, None) if !steps.is_empty() => {
                let mut current = context.clone();
                let mut out = Vec::new();
                for (i, s) in steps.iter().enumerate() {
                    if let Some(c) = &s.context {
                        current = keys.resolve(c).map_err(|e| format!("steps[{i}]: {e}"))?;
                    }
                    out.push(LoadedStep {
                        description: s.description.clone(),
                        input: s.input.clone(),
                        context: current.clone(),
                        expect: s.expect.clone(),
                    });
                }
                out
            }
            _ => {
                return Err(
                    "a case has either input and expect, or a non-empty steps list, not both"
                        .into(),
                )
            }
        };
        Ok(LoadedCase {
            case,
            profile,
            context,
            steps,
            file,
        })
    }
}

impl LoadedCase {
    /// The case as a standalone vector file of its own (`cargo xtask extract`): key names
    /// in its context, and in each step's context, replaced by the JWKs that are sent, so
    /// the file needs nothing from vectors/keys. Our cases give files valid under
    /// vectors.schema.json; an imported Wycheproof reject has no error code (Wycheproof
    /// labels valid/invalid only), which the schema asks for, and nothing else missing.
    pub fn standalone(&self) -> VectorFile {
        let mut case = self.case.clone();
        case.context = self.context.clone();
        if let Some(steps) = case.steps.as_mut() {
            for (step, loaded) in steps.iter_mut().zip(&self.steps) {
                if step.context.is_some() {
                    step.context = Some(loaded.context.clone());
                }
            }
        }
        let group = case.id.split('/').nth(1).unwrap_or_default().to_owned();
        VectorFile {
            schema: SCHEMA_VERSION,
            profile: self.profile.clone(),
            group,
            cases: vec![case],
        }
    }
}

/// A whole suite.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// vectors/suite.json.
    pub suite: Suite,
    /// The test keys.
    pub keys: KeyStore,
    /// Every case, ours first (by file path), then the external sets.
    pub cases: Vec<LoadedCase>,
}

/// The schema every vector file must satisfy.
pub fn schema(root: &Path) -> Result<Value, String> {
    let path = root.join("schema/vectors.schema.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Loads `root` (normally `vectors/`). Every problem found is returned, each naming where.
pub fn load(root: &Path) -> Result<Loaded, Vec<String>> {
    let mut errors = Vec::new();
    let suite = match read_suite(root) {
        Ok(s) => Some(s),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let keys = KeyStore::load(&root.join("keys")).unwrap_or_else(|e| {
        errors.push(e);
        KeyStore::default()
    });
    let validator = match schema(root).and_then(|s| {
        jsonschema::validator_for(&s)
            .map_err(|e| format!("{}: schema does not compile: {e}", root.display()))
    }) {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let mut cases = Vec::new();
    for path in vector_files(root, &mut errors) {
        let Some(validator) = &validator else { break };
        match load_file(&path, validator, &keys) {
            Ok(mut c) => cases.append(&mut c),
            Err(mut e) => errors.append(&mut e),
        }
    }
    for (file, rule, prefix) in wycheproof::FILES {
        let path = root.join("external/wycheproof").join(file);
        if !path.exists() {
            continue;
        }
        match wycheproof::load(&path, rule, prefix) {
            Ok(external) => {
                for case in external {
                    let id = case.id.clone();
                    match LoadedCase::new(case, "jws".into(), path.clone(), &keys) {
                        Ok(c) => cases.push(c),
                        Err(e) => errors.push(format!("{}: {id}: {e}", path.display())),
                    }
                }
            }
            Err(e) => errors.push(e),
        }
    }
    let mut seen = BTreeSet::new();
    for c in &cases {
        if !seen.insert(c.case.id.clone()) {
            errors.push(format!(
                "{}: case id {:?} is not unique in the suite",
                c.file.display(),
                c.case.id
            ));
        }
    }
    match (suite, errors.is_empty()) {
        (Some(suite), true) => Ok(Loaded { suite, keys, cases }),
        _ => Err(errors),
    }
}

pub fn read_suite(root: &Path) -> Result<Suite, String> {
    let path = root.join("suite.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let suite: Suite =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if suite.schema != SCHEMA_VERSION {
        return Err(format!(
            "{}: schema {} is not {SCHEMA_VERSION}",
            path.display(),
            suite.schema
        ));
    }
    Ok(suite)
}

/// Every `<root>/<dir>/*.json` vector file, sorted.
fn vector_files(root: &Path, errors: &mut Vec<String>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let dirs = match std::fs::read_dir(root) {
        Ok(d) => d,
        Err(e) => {
            errors.push(format!("{}: {e}", root.display()));
            return files;
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
    files.sort();
    files
}

/// Turns a schema instance path (`/cases/3/expect/verdict`) into `case 3 (id): expect.verdict`.
fn locate(doc: &Value, pointer: &str) -> String {
    let parts: Vec<&str> = pointer.split('/').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        ["cases", i, rest @ ..] => {
            let id = i
                .parse::<usize>()
                .ok()
                .and_then(|i| doc["cases"].get(i))
                .and_then(|c| c.get("id"))
                .and_then(Value::as_str)
                .map(|id| format!(" ({id})"))
                .unwrap_or_default();
            if rest.is_empty() {
                format!("case {i}{id}")
            } else {
                format!("case {i}{id}: {}", rest.join("."))
            }
        }
        [] => "top level".into(),
        other => other.join("."),
    }
}

fn load_file(
    path: &Path,
    validator: &jsonschema::Validator,
    keys: &KeyStore,
) -> Result<Vec<LoadedCase>, Vec<String>> {
    let text =
        std::fs::read_to_string(path).map_err(|e| vec![format!("{}: {e}", path.display())])?;
    parse_file(&text, path, validator, keys)
}

/// Checks one vector file's text as if it were at `path` (its directory and stem name the
/// profile directory and group): schema, rule ids, id prefixes, key names.
pub fn parse_file(
    text: &str,
    path: &Path,
    validator: &jsonschema::Validator,
    keys: &KeyStore,
) -> Result<Vec<LoadedCase>, Vec<String>> {
    let shown = path.display();
    let doc: Value =
        serde_json::from_str(text).map_err(|e| vec![format!("{shown}: not JSON: {e}")])?;
    let schema_errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{shown}: {}: {e}", locate(&doc, e.instance_path().as_str())))
        .collect();
    if !schema_errors.is_empty() {
        return Err(schema_errors);
    }
    let file: VectorFile =
        serde_json::from_value(doc).map_err(|e| vec![format!("{shown}: {e}")])?;
    let mut errors = Vec::new();
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let dir = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if file.group != stem {
        errors.push(format!(
            "{shown}: group {:?} differs from the file name {stem:?}",
            file.group
        ));
    }
    let mut out = Vec::new();
    for (i, case) in file.cases.into_iter().enumerate() {
        let at = format!("{shown}: case {i} ({})", case.id);
        let prefix = format!("{dir}/{}/", file.group);
        if !case.id.starts_with(&prefix) {
            errors.push(format!("{at}: id must start with {prefix:?}"));
        }
        match jwtc_verifier::rules::find(&case.rule) {
            None => errors.push(format!(
                "{at}: rule: unknown rule id {:?} (see docs/rules.md)",
                case.rule
            )),
            Some(_) => {
                let owner = case.rule.split('.').next().unwrap_or_default();
                let home = file.profile.split('-').next().unwrap_or_default();
                if owner != "core" && owner != home {
                    errors.push(format!(
                        "{at}: rule: {} belongs to another profile than {}",
                        case.rule, file.profile
                    ));
                }
            }
        }
        match LoadedCase::new(case, file.profile.clone(), path.to_path_buf(), keys) {
            Ok(c) => out.push(c),
            Err(e) => errors.push(format!("{at}: {e}")),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
