//! The grading of the signer profiles (`pendo-signer`, `watson-signer`): every `*.mint-*`
//! rule judged on its own from the decoded output, and the canonical form a mint is
//! compared in (a signer's nonce, OAEP padding and clock differ from the reference's, so
//! its bytes are never compared).
//!
//! Canonical form of an accepted mint: `{"<rule>": "pass" | "fail: <rule>: <why>", …,
//! "either"?: ["<rule>: <why>", …]}`, one member per `mint-*` rule of the profile; a point
//! the rules mark `either` passes and is listed under `either`. A vector states its own
//! rule's entry (`output_match: subset`), so each rule is judged on its own. Properties
//! across mints (every nonce differs) are judged over the steps of a case: a scenario's
//! steps go through one signer session.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use jwtc_vectors::load::LoadedCase;
use jwtc_verifier::b64;

use super::case::Answer;
use crate::outcome::Got;

pub mod pendo;
pub mod watson;

/// The signer profiles, each the signer role of a verifier profile.
pub const PROFILES: [&str; 2] = ["pendo-signer", "watson-signer"];

/// Whether `profile` is a signer profile.
pub fn is_signer(profile: &str) -> bool {
    PROFILES.contains(&profile)
}

/// The judgement of one rule on one mint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Judgement {
    /// The rule holds.
    Pass,
    /// A point the rule marks `either`: not a failure; the text says which.
    Either(String),
    /// The rule is broken; the text names the rule and the deciding values.
    Fail(String),
}

/// Every rule's judgement on one mint, by rule id.
pub type Judgements = BTreeMap<&'static str, Judgement>;

/// One accepted mint of a case: the step, the app's request, the configuration in force,
/// what the signer answered.
#[derive(Clone, Copy, Debug)]
pub struct Mint<'a> {
    /// The step's index in the case (from 0).
    pub step: usize,
    /// The step's input: the app's request.
    pub request: &'a Value,
    /// The step's context: the signer's configuration.
    pub context: &'a Value,
    /// The accept's output.
    pub output: &'a Value,
}

/// The time one mint is judged at: the suite clock (no slack), or, for a signer that reads
/// the wall clock, the wall-clock time the harness read when its answer arrived, with
/// [`crate::features::WALL_SLACK`] seconds of slack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct At {
    /// Seconds since the epoch.
    pub now: i64,
    /// How far `iat` may be after `now`, and a lifetime over its bound, in seconds.
    pub slack: i64,
}

impl At {
    /// The suite clock `now`, no slack.
    pub fn suite(now: i64) -> At {
        At { now, slack: 0 }
    }

    /// The wall-clock time `now` an answer arrived at, with the wall clock's slack.
    pub fn wall(now: i64) -> At {
        At {
            now,
            slack: crate::features::WALL_SLACK,
        }
    }
}

/// Judges the mints of one case, in step order: each mint against its request and
/// configuration, and the earlier mints of the case (nonce reuse), at the suite clock `now`.
pub fn judge(profile: &str, mints: &[Mint<'_>], now: i64) -> Vec<Judgements> {
    judge_at(profile, mints, &vec![At::suite(now); mints.len()], &[])
}

/// [`judge`], each mint at its own time `at[i]` (a mint without one: the last given, or
/// the epoch), and its nonce compared also with `run_nonces`, the nonces the earlier cases
/// of the run minted (case id, nonce).
pub fn judge_at(
    profile: &str,
    mints: &[Mint<'_>],
    at: &[At],
    run_nonces: &[(String, String)],
) -> Vec<Judgements> {
    let at_of = |i: usize| at.get(i).or(at.last()).copied().unwrap_or(At::suite(0));
    match profile {
        "pendo-signer" => pendo::judge_at(mints, &at_of, run_nonces),
        "watson-signer" => mints
            .iter()
            .enumerate()
            .map(|(i, m)| watson::judge_at(m, at_of(i)))
            .collect(),
        _ => Vec::new(),
    }
}

/// The canonical form of one mint's judgements (module docs).
pub fn canonical(judgements: &Judgements) -> Value {
    let mut out = serde_json::Map::new();
    let mut either = Vec::new();
    for (rule, j) in judgements {
        let v = match j {
            Judgement::Pass => "pass".to_owned(),
            Judgement::Either(why) => {
                either.push(json!(format!("{rule}: {why}")));
                "pass".to_owned()
            }
            Judgement::Fail(why) => format!("fail: {rule}: {why}"),
        };
        out.insert((*rule).to_owned(), json!(v));
    }
    if !either.is_empty() {
        out.insert("either".into(), Value::Array(either));
    }
    Value::Object(out)
}

/// Puts a signer case's answers in the form its vectors compare: each accepting answer's
/// output replaced by its canonical form; a mint where the vector expects a refusal, and a
/// refusal where it expects a mint, say so in their detail with the rule they fail.
pub fn canonical_signer_answers(case: &LoadedCase, answers: Vec<Answer>, now: i64) -> Vec<Answer> {
    canonical_signer_answers_in_run(case, answers, now, &[])
}

/// [`canonical_signer_answers`] in a run: each mint judged at the time its answer carries
/// ([`crate::outcome::Outcome::at`], a wall-clock signer's) or else the suite clock `now`,
/// and its nonce compared with `run_nonces`, those of the earlier cases of the run (case
/// id, nonce).
pub fn canonical_signer_answers_in_run(
    case: &LoadedCase,
    answers: Vec<Answer>,
    now: i64,
    run_nonces: &[(String, String)],
) -> Vec<Answer> {
    let mut at = Vec::new();
    let mints: Vec<Mint<'_>> = answers
        .iter()
        .enumerate()
        .filter_map(|(i, (got, _))| {
            let step = case.steps.get(i)?;
            (got.verdict == Got::Accept).then(|| {
                at.push(got.at.map_or(At::suite(now), |t| At::wall(t.get())));
                Mint {
                    step: i,
                    request: &step.input,
                    context: &step.context,
                    output: got.output.as_ref().unwrap_or(&Value::Null),
                }
            })
        })
        .collect();
    let mut judged: BTreeMap<usize, Judgements> = mints
        .iter()
        .map(|m| m.step)
        .zip(judge_at(&case.profile, &mints, &at, run_nonces))
        .collect();
    let verifies = format!(
        "{}.mint-verifies",
        case.profile.split('-').next().unwrap_or_default()
    );
    answers
        .into_iter()
        .enumerate()
        .map(|(i, (mut got, forced))| {
            let expect = case.steps.get(i).map(|s| s.expect.verdict);
            match got.verdict {
                Got::Accept => {
                    if let Some(j) = judged.remove(&i) {
                        got.output = Some(canonical(&j));
                    }
                    if expect == Some(jwtc_vectors::model::Verdict::Reject) {
                        got.detail = join(
                            &format!(
                                "{}: minted where the right answer is a refusal",
                                case.case.rule
                            ),
                            &got.detail,
                        );
                    }
                }
                Got::Reject if expect == Some(jwtc_vectors::model::Verdict::Accept) => {
                    got.detail = join(&format!("{verifies}: refused a valid request"), &got.detail);
                }
                _ => {}
            }
            (got, forced)
        })
        .collect()
}

fn join(a: &str, b: &str) -> String {
    if b.is_empty() {
        a.to_owned()
    } else {
        format!("{a}: {b}")
    }
}

/// A compact JWT decoded without verifying anything: header, claims, the signing input and
/// the signature bytes. The error says which part does not decode.
pub struct Decoded<'t> {
    /// The protected header.
    pub header: serde_json::Map<String, Value>,
    /// The claims.
    pub claims: serde_json::Map<String, Value>,
    /// `header '.' payload`, as signed.
    pub signing_input: &'t str,
    /// The signature bytes.
    pub signature: Vec<u8>,
}

/// Decodes `token` (module [`Decoded`]).
pub fn decode(token: &str) -> Result<Decoded<'_>, String> {
    let parts: Vec<&str> = token.split('.').collect();
    let [h, p, s] = parts.as_slice() else {
        return Err(format!(
            "the token has {} segments, not 3 (header.payload.signature)",
            parts.len()
        ));
    };
    let object = |what: &str, seg: &str| -> Result<serde_json::Map<String, Value>, String> {
        let bytes = b64::decode(seg).map_err(|e| format!("the {what} is not base64url: {e}"))?;
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(other) => Err(format!("the {what} is JSON {other}, not an object")),
            Err(e) => Err(format!("the {what} is not JSON: {e}")),
        }
    };
    Ok(Decoded {
        header: object("header", h)?,
        claims: object("payload", p)?,
        signing_input: &token[..h.len() + 1 + p.len()],
        signature: b64::decode(s).map_err(|e| format!("the signature is not base64url: {e}"))?,
    })
}

/// Every rule of `rules` failed with the same reason (an output that cannot be read).
pub fn all_fail(rules: &[&'static str], why: &str) -> Judgements {
    rules
        .iter()
        .map(|r| (*r, Judgement::Fail(why.to_owned())))
        .collect()
}

/// An id the app passes (a string, or an integer sent as its decimal string); `None` for
/// no id (absent or `null`); the error names any other JSON type.
pub fn id_text(v: Option<&Value>, what: &str) -> Result<Option<String>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Ok(Some(n.to_string())),
        Some(other) => Err(format!(
            "{what} is {other}: neither a string nor an integer"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_lists_eithers_apart_and_names_failures() {
        let mut j = Judgements::new();
        j.insert("pendo.mint-alg", Judgement::Pass);
        j.insert("pendo.mint-nonce", Judgement::Either("a counter".into()));
        j.insert("pendo.mint-key", Judgement::Fail("name \"x\"".into()));
        assert_eq!(
            canonical(&j),
            json!({"pendo.mint-alg": "pass", "pendo.mint-nonce": "pass",
                   "pendo.mint-key": "fail: pendo.mint-key: name \"x\"",
                   "either": ["pendo.mint-nonce: a counter"]})
        );
    }

    #[test]
    fn decoding_names_the_part() {
        assert!(decode("a.b").err().unwrap().contains("2 segments"));
        assert!(decode("!.e30.").err().unwrap().contains("header"));
        assert!(decode("e30.WzFd.")
            .err()
            .unwrap()
            .contains("payload is JSON [1]"));
        let d = decode("e30.e30.AA").unwrap();
        assert_eq!((d.signing_input, d.signature), ("e30.e30", vec![0]));
        assert_eq!(id_text(Some(&json!(42)), "id"), Ok(Some("42".into())));
        assert!(id_text(Some(&json!(1.5)), "id").is_err());
    }
}
