//! Signer endpoints (`jwtc probe --role signer`): an endpoint of the customer's app that
//! answers what the app would send, for the app's own view of a user: Pendo's options
//! object `{"jwt", "signingKeyName"}`, or Watson's identity token. Each step of the suite's
//! signer cases is one `POST` of the step's request as JSON; each answer is graded by the
//! harness's signer grader at the time it arrived (the app reads its own clock), nonces
//! compared across the whole probe. The app keeps one configuration for the whole probe
//! ([`App`]): a case written for another (a second active key, a rotation between steps,
//! a 1024-bit key) is kept as a skip that names the configuration it needs.

use std::net::SocketAddr;

use serde_json::{json, Value};

use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::features::{wall_time, Claimed, Clock, WallClock};
use jwtc_harness::grade::Codes;
use jwtc_harness::outcome::skip;
use jwtc_harness::run::run_cases_with;
use jwtc_vectors::load::LoadedCase;

use crate::http::{self, Request, Response};
use crate::run::{answer_of, Limits, Pacer, Probe, Reading};

/// The app under test: its signer profile and the one configuration it runs with, in the
/// grader's form (docs/protocol.md: `pendo-signer` `{"keys", "active", "revoked"?}`,
/// `watson-signer` `{"signing_key", "issuer", "ibm_public_key", "decryption_key"}`).
#[derive(Clone, Debug)]
pub struct App {
    /// `pendo-signer` or `watson-signer`.
    pub profile: String,
    /// Its configuration, as the grader takes it.
    pub context: Value,
}

/// One case and the requests of its steps, or why it is not sent.
pub struct Planned {
    /// The case, its steps' configuration replaced by the app's.
    pub case: LoadedCase,
    /// One request per step, or the reason the case is skipped.
    pub requests: Result<Vec<Request>, String>,
}

/// The profile's cases among `cases`, planned for `app` at `path` (the URL's path and
/// query). A case is sent when every step's configuration is the one most of the
/// profile's cases share (the app stands in for it); the rest are skips with the reason.
pub fn plan(cases: &[LoadedCase], app: &App, path: &str) -> Vec<Planned> {
    let mine: Vec<&LoadedCase> = cases.iter().filter(|c| c.profile == app.profile).collect();
    let mut seen: Vec<(&Value, usize)> = Vec::new();
    for s in mine.iter().flat_map(|c| &c.steps) {
        match seen.iter_mut().find(|(v, _)| **v == s.context) {
            Some((_, n)) => *n += 1,
            None => seen.push((&s.context, 1)),
        }
    }
    let standard = seen
        .iter()
        .max_by_key(|(_, n)| *n)
        .map_or(Value::Null, |(v, _)| (*v).clone());
    mine.into_iter()
        .map(|c| {
            let mut case = c.clone();
            let odd = case
                .steps
                .iter()
                .find(|s| s.context != standard)
                .map(|s| s.context.clone());
            let requests = match odd {
                Some(ctx) => Err(format!(
                    "not sent: written for another configuration of the app ({}) than the one it keeps for the whole probe",
                    summary(&app.profile, &ctx, case.steps.len() > 1)
                )),
                None => {
                    for s in &mut case.steps {
                        s.context = app.context.clone();
                        // An HTTP refusal carries no error code: graded on the verdict.
                        s.expect.error = None;
                    }
                    Ok(case.steps.iter().map(|s| request(&s.input, path)).collect())
                }
            };
            Planned { case, requests }
        })
        .collect()
}

/// A configuration in a few words, for a skip's reason.
fn summary(profile: &str, ctx: &Value, scenario: bool) -> String {
    let mut s = match profile {
        "pendo-signer" => {
            let names = |m: &str| -> Vec<String> {
                ctx[m]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|k| k.get("kid").unwrap_or(k).as_str().unwrap_or("?").to_owned())
                    .collect()
            };
            let mut s = format!(
                "keys [{}], active {}",
                names("keys").join(", "),
                ctx["active"].as_str().unwrap_or("(none)")
            );
            let revoked = names("revoked");
            if !revoked.is_empty() {
                s.push_str(&format!(", revoked [{}]", revoked.join(", ")));
            }
            s
        }
        _ => match jwtc_harness::grade::signer::watson::modulus_bits(&ctx["signing_key"]) {
            Some(bits) => format!("a {bits}-bit signing key"),
            None => "another signing key".into(),
        },
    };
    if scenario {
        s.push_str(", changed between the case's steps");
    }
    s
}

/// The `POST` of one step's request.
fn request(input: &Value, path: &str) -> Request {
    Request {
        method: "POST".into(),
        target: path.to_owned(),
        headers: vec![
            ("Content-Type".into(), "application/json".into()),
            ("Accept".into(), "application/json".into()),
        ],
        body: Some(input.to_string().into_bytes()),
    }
}

/// What the app answered with an accept status, as the grader's output: Pendo's options
/// object; Watson's `{"token"}` (a JSON object holding it, or the bare token as text).
pub fn output(profile: &str, resp: &Response) -> Result<Value, String> {
    let text = String::from_utf8_lossy(&resp.body);
    let body: Option<Value> = serde_json::from_str(&text).ok();
    match profile {
        "pendo-signer" => match body {
            Some(v) if v.get("jwt").is_some_and(Value::is_string) => Ok(v),
            _ => Err(
                "the body is not the options object {\"jwt\", \"signingKeyName\"} the app passes to pendo.initialize".into(),
            ),
        },
        _ => match body {
            Some(v) if v.get("token").is_some_and(Value::is_string) => {
                Ok(json!({ "token": v["token"] }))
            }
            Some(Value::String(t)) => Ok(json!({ "token": t })),
            None if looks_like_jwt(text.trim()) => Ok(json!({ "token": text.trim() })),
            _ => Err("the body is neither {\"token\": \"…\"} nor a bare JWT".into()),
        },
    }
}

/// Three base64url parts joined by dots.
fn looks_like_jwt(t: &str) -> bool {
    let parts: Vec<&str> = t.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        && !parts[0].is_empty()
}

/// Asks the app at `addr` for every planned step and grades the answers, each stamped with
/// the time `wall` reads when it arrived.
#[allow(clippy::too_many_arguments)]
pub fn probe(
    name: &str,
    suite_version: &str,
    now: i64,
    addr: SocketAddr,
    planned: Vec<Planned>,
    limits: &Limits,
    reading: &Reading,
    wall: WallClock,
    progress: bool,
) -> Probe {
    let (cases, requests): (Vec<LoadedCase>, Vec<_>) =
        planned.into_iter().map(|p| (p.case, p.requests)).unzip();
    let mut pacer = Pacer::new(limits);
    let mut index = 0usize;
    let claimed = Claimed::all().with_clock(Clock::Wall, wall);
    let run = run_cases_with(
        name,
        suite_version,
        now,
        &cases,
        &ExpectedFailures::default(),
        Codes::Column,
        progress,
        &claimed,
        |c| {
            let reqs = &requests[index];
            index += 1;
            let reqs = match reqs {
                Err(why) => return c.steps.iter().map(|_| (skip(why.clone()), None)).collect(),
                Ok(r) => r,
            };
            let mut answers = Vec::with_capacity(reqs.len());
            for req in reqs {
                if let Err(why) = pacer.wait() {
                    answers.resize(reqs.len(), (skip(why), None));
                    break;
                }
                let answer = http::send(addr, req, limits.timeout, limits.body_limit);
                let mut a = answer_of(answer, reading, |r| output(&c.profile, r));
                a.0.at = wall_time(wall);
                answers.push(a);
            }
            answers
        },
    );
    pacer.finish(run)
}
