//! A case ready to run ([`LoadedCase`]): its context with keys resolved, its steps, its
//! network answers in one shape (`{status, body}`), and the case as a standalone file.

use serde_json::{Map, Value};
use std::path::PathBuf;

use crate::keystore::KeyStore;
use crate::model::{Case, Expect, VectorFile, SCHEMA_VERSION};

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

    /// Builds the steps of `case` with resolved contexts; the error names the step. A
    /// missing description becomes the id; network answers are normalised ([`network`]).
    pub fn new(
        mut case: Case,
        profile: String,
        file: PathBuf,
        keys: &KeyStore,
    ) -> Result<LoadedCase, String> {
        if case.description.is_empty() {
            case.description = case.id.clone();
        }
        if let Some(net) = case.network.as_mut() {
            network(net)?;
        }
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
    /// the file needs nothing from a keys/ folder; valid under vectors.schema.json.
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
        // Our ids are <dir>/<group>/<name>; a user's id may say no group.
        let group = match case.id.split('/').collect::<Vec<_>>().as_slice() {
            [_, group, _] => (*group).to_owned(),
            _ => "extracted".to_owned(),
        };
        VectorFile {
            schema: SCHEMA_VERSION,
            profile: self.profile.clone(),
            group,
            now: None,
            cases: vec![case],
        }
    }
}

/// Puts a case's network answers in the one shape the harness sends: a string is the body
/// with status 200; a response object gets status 200 when it has none, and a body that is
/// not a string becomes its compact JSON text. The error names the URL.
pub fn network(net: &mut Value) -> Result<(), String> {
    let Some(map) = net.as_object_mut() else {
        return Err("network: a map from URL to answer, not a list or a value".into());
    };
    for (url, answer) in map.iter_mut() {
        match answer {
            Value::String(body) => {
                let mut m = Map::new();
                m.insert("status".into(), 200.into());
                m.insert("body".into(), Value::String(std::mem::take(body)));
                *answer = Value::Object(m);
            }
            Value::Object(m) => {
                let status = m.entry("status").or_insert(200.into());
                if !status.as_u64().is_some_and(|s| (100..=599).contains(&s)) {
                    return Err(format!(
                        "network.{url}.status: {status} is not an HTTP status (100 to 599)"
                    ));
                }
                if let Some(body) = m.get_mut("body").filter(|b| !b.is_string()) {
                    *body = Value::String(body.to_string());
                }
            }
            other => {
                let kind = match other {
                    Value::Array(_) => "a list",
                    Value::Number(_) => "a number",
                    Value::Bool(_) => "a boolean",
                    _ => "null",
                };
                return Err(format!(
                    "network.{url}: an answer is the body text or a {{status, body}} object, not {kind}"
                ));
            }
        }
    }
    Ok(())
}
