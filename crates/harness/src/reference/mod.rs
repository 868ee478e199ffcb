//! The reference verifier (and the reference signers) behind the case interface: a case's profile, input and
//! context in, an [`Outcome`] out. Used in process by `cargo xtask conformance`
//! ([`run_reference`]: [`session`] as the generic runner's session factory) and behind
//! the protocol by adapters/reference.
//!
//! Each case runs in a fresh [`Session`] (scenario state: seen event ids, a pinned
//! subject, a key cache); each profile has its session type, registered in [`session`].
//! The runner and the grader never name this module: it depends on them.

use serde_json::{json, Value};

use jwtc_verifier::claims::TimeRules;
use jwtc_verifier::jose::Limits;
use jwtc_verifier::{b64, jws, jwt, Alg, Error, Key, KeySet};

use crate::outcome::Outcome;

pub mod coyo;
mod in_process;
pub mod network;
mod pendo;
pub mod pomerium;
mod signer;
mod watson;

pub use crate::session::Session;
pub use in_process::{run_reference, run_reference_with, run_reference_within};

/// The profiles the reference implements.
pub const PROFILES: [&str; 9] = [
    "core",
    "jws",
    "pendo",
    "watson",
    "pomerium",
    "pomerium-proxy",
    "coyo",
    "pendo-signer",
    "watson-signer",
];

/// The optional features the reference does not claim: ES512 (the profiles need ES256
/// only). Every other feature of `jwtc_verifier::rules::FEATURES` it has.
pub const UNCLAIMED: [&str; 1] = ["es512"];

/// The features the reference claims, in process and in adapters/reference's hello.
pub fn claimed() -> crate::features::Claimed {
    crate::features::Claimed::all_but(&UNCLAIMED)
}

/// A fresh session for a profile; `None` for a profile the reference does not know.
pub fn session(profile: &str) -> Option<Box<dyn Session + Send>> {
    match profile {
        "core" => Some(Box::new(Stateless(core))),
        "jws" => Some(Box::new(Stateless(
            |input: &Value, context: &Value, _now| plain_jws(input, context),
        ))),
        "pendo" => Some(Box::new(pendo::Pendo::default())),
        "watson" => Some(Box::new(watson::Watson::default())),
        "pomerium" => Some(Box::<pomerium::Verifier>::default()),
        "pomerium-proxy" => Some(Box::new(pomerium::Proxy)),
        "coyo" => Some(Box::<coyo::Coyo>::default()),
        "pendo-signer" => Some(Box::new(signer::PendoSigner)),
        "watson-signer" => Some(Box::new(signer::WatsonSigner)),
        _ => None,
    }
}

/// Runs a one-step case in a fresh session at time `now`.
pub fn run_case(profile: &str, input: &Value, context: &Value, now: i64) -> Outcome {
    match session(profile) {
        Some(mut s) => s.step(input, context, None, now),
        None => Outcome::error(format!("reference: profile {profile:?} is not implemented")),
    }
}

/// A profile without state between steps (and without network).
struct Stateless<F>(F);

impl<F: Fn(&Value, &Value, i64) -> Result<Outcome, String>> Session for Stateless<F> {
    fn step(
        &mut self,
        input: &Value,
        context: &Value,
        _network: Option<&Value>,
        now: i64,
    ) -> Outcome {
        (self.0)(input, context, now).unwrap_or_else(Outcome::error)
    }
}

/// Turns a verifier result into an outcome; configuration notes (refused keys) go in the detail.
pub fn verdict(result: Result<Value, Error>, notes: &[String]) -> Outcome {
    let mut o = match result {
        Ok(output) => Outcome::accept(output),
        Err(e) => Outcome::reject(e.code().as_str(), e.to_string()),
    };
    if !notes.is_empty() {
        let notes = notes.join("; ");
        o.detail = if o.detail.is_empty() {
            notes
        } else {
            format!("{}; {notes}", o.detail)
        };
    }
    o
}

pub fn field<'a>(v: &'a Value, name: &str, what: &str) -> Result<&'a Value, String> {
    v.get(name)
        .ok_or_else(|| format!("{what}.{name} is missing"))
}

pub fn token(input: &Value) -> Result<&str, String> {
    field(input, "token", "input")?
        .as_str()
        .ok_or_else(|| "input.token is not a string".into())
}

/// Loads `context.keys`: JWKs, or `{"pem": ..., "kid"?}`. Refused keys become notes (a
/// configuration error names the key; the case goes on without it), as does a refused set.
pub fn load_keys(context: &Value) -> Result<(KeySet, Vec<String>), String> {
    let list = field(context, "keys", "context")?
        .as_array()
        .ok_or_else(|| "context.keys is not an array".to_string())?;
    let mut keys = Vec::new();
    let mut notes = Vec::new();
    for k in list {
        let loaded = match k.get("pem") {
            Some(Value::String(pem)) => Key::from_pem(pem, k.get("kid").and_then(Value::as_str)),
            Some(_) => return Err("context.keys: a pem entry is not a string".into()),
            None => Key::from_jwk(k),
        };
        match loaded {
            Ok(key) => keys.push(key),
            Err(e) => notes.push(format!("configuration: {e}")),
        }
    }
    match KeySet::new(keys) {
        Ok(set) => Ok((set, notes)),
        Err(e) => {
            notes.push(format!("configuration: {e}"));
            Ok((KeySet::default(), notes))
        }
    }
}

pub fn alg(name: &str) -> Result<Alg, String> {
    Alg::parse(name).ok_or_else(|| {
        format!("context names algorithm {name:?}, which the reference does not implement")
    })
}

fn core(input: &Value, context: &Value, now: i64) -> Result<Outcome, String> {
    let token = token(input)?;
    let name = field(context, "algorithm", "context")?
        .as_str()
        .ok_or_else(|| "context.algorithm is not a string".to_string())?;
    let skew = context
        .get("skew")
        .map_or(Some(0), Value::as_i64)
        .ok_or("context.skew is not an integer")?;
    let (keys, notes) = load_keys(context)?;
    let policy = jwt::Policy {
        alg: alg(name)?,
        time: TimeRules::lenient(skew),
        limits: Limits::default(),
    };
    let result =
        jwt::verify(token, &keys, &policy, now).map(|v| json!({ "claims": v.claims.to_map() }));
    Ok(verdict(result, &notes))
}

fn plain_jws(input: &Value, context: &Value) -> Result<Outcome, String> {
    let token = token(input)?;
    let names = field(context, "algorithms", "context")?
        .as_array()
        .ok_or("context.algorithms is not an array")?
        .iter()
        .map(|a| {
            a.as_str()
                .ok_or_else(|| "context.algorithms holds a non-string".to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    // An allowed algorithm the reference does not implement (ES384, ES512) is one it
    // cannot verify: its tokens reject alg_not_allowed, as any library without it would.
    let algorithms: Vec<Alg> = names.into_iter().filter_map(Alg::parse).collect();
    let (keys, notes) = load_keys(context)?;
    let result = jws::verify(token, &keys, &algorithms, &Limits::default())
        .map(|v| json!({ "header": v.header.to_map(), "payload": b64::encode(&v.payload) }));
    Ok(verdict(result, &notes))
}
