//! The probe loop: each planned case sent as one request (at most `rate` a second, at
//! most `max_requests` in all), its fetches at the key server collected, its answer turned
//! into an outcome (the verdict from the status, the identity the service reports) and
//! graded by the harness like any other implementation's.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::features::Claimed;
use jwtc_harness::grade::{Codes, State};
use jwtc_harness::outcome::{skip, Got, Outcome};
use jwtc_harness::run::{run_cases_with, Answer, Run};
use jwtc_vectors::load::LoadedCase;

use crate::http::{self, HttpError, Response};
use crate::keyserver::{KeyServer, DOCUMENTS};
use crate::plan::Planned;

/// Status codes, as inclusive ranges.
pub type Statuses = Vec<(u16, u16)>;

/// Parses `200-299,204` into ranges; the error names the bad item.
pub fn statuses(s: &str) -> Result<Statuses, String> {
    s.split(',')
        .map(|item| {
            let item = item.trim();
            let (a, b) = item.split_once('-').unwrap_or((item, item));
            match (a.trim().parse::<u16>(), b.trim().parse::<u16>()) {
                (Ok(a), Ok(b)) if (100..=999).contains(&a) && a <= b && b <= 999 => Ok((a, b)),
                _ => Err(format!(
                    "status list {s:?}: {item:?} is not a status code or a range like 200-299"
                )),
            }
        })
        .collect()
}

/// How requests are sent and answers read.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Per request.
    pub timeout: Duration,
    /// Requests a second, at most.
    pub rate: f64,
    /// Requests in all, at most (the rest are skipped, said so).
    pub max_requests: usize,
    /// The most body bytes read.
    pub body_limit: usize,
}

/// How answers are read.
#[derive(Clone, Debug)]
pub struct Reading {
    /// Statuses meaning accept.
    pub accept: Statuses,
    /// Statuses meaning reject.
    pub reject: Statuses,
    /// Identity members from the JSON body: (member, JSON pointer).
    pub json: Vec<(String, String)>,
    /// Identity members from response headers: (member, header name).
    pub headers: Vec<(String, String)>,
}

/// A finished probe.
pub struct Probe {
    /// The graded run (the harness's reports take it).
    pub run: Run,
    /// Requests sent.
    pub requests: usize,
    /// Wall time of the requests.
    pub wall: Duration,
}

impl Probe {
    /// Requests a second reached.
    pub fn rate(&self) -> f64 {
        self.requests as f64 / self.wall.as_secs_f64().max(1e-9)
    }
}

/// Sends every planned case to `addr`, grades the answers.
#[allow(clippy::too_many_arguments)]
pub fn probe(
    name: &str,
    suite_version: &str,
    now: i64,
    addr: SocketAddr,
    planned: Vec<Planned>,
    server: &KeyServer,
    limits: &Limits,
    reading: &Reading,
    progress: bool,
) -> Probe {
    let mut cases: Vec<LoadedCase> = Vec::with_capacity(planned.len());
    let mut requests = Vec::with_capacity(planned.len());
    for p in planned {
        cases.push(p.case);
        requests.push((p.request, p.docs, p.aliases));
    }
    let start = Instant::now();
    let mut sent = 0usize;
    let gap = Duration::from_secs_f64(1.0 / limits.rate.max(0.001));
    let mut next = Instant::now();
    let mut index = 0usize;
    let run = run_cases_with(
        name,
        suite_version,
        now,
        &cases,
        &ExpectedFailures::default(),
        Codes::Column,
        progress,
        &Claimed::all(),
        |c| {
            let (req, docs, aliases) = &requests[index];
            index += 1;
            let req = match req {
                Err(why) => return c.steps.iter().map(|_| (skip(why.clone()), None)).collect(),
                Ok(r) => r,
            };
            if sent >= limits.max_requests {
                return vec![(
                    skip(format!(
                        "not sent: over --max-requests {}",
                        limits.max_requests
                    )),
                    None,
                )];
            }
            let wait = next.saturating_duration_since(Instant::now());
            std::thread::sleep(wait);
            next = Instant::now() + gap;
            sent += 1;
            server.begin_with(&c.case.id, docs.clone());
            let answer = http::send(addr, req, limits.timeout, limits.body_limit);
            let fetches = server.end();
            let mut a = answer_of(answer, reading);
            for f in fetches {
                let configured = !f.attacker && DOCUMENTS.iter().any(|(p, _)| f.url.ends_with(p));
                if !configured {
                    // The case's network URL the fetch stands for, when it is one.
                    let url = aliases
                        .iter()
                        .find(|(fetched, _)| *fetched == f.url)
                        .map_or(f.url, |(_, key)| key.clone());
                    a.0.fetches.push(url);
                }
            }
            vec![a]
        },
    );
    // The wall time counts the last request's slot: n requests at the cap take n gaps.
    let wall = start.elapsed().max(next.saturating_duration_since(start));
    Probe {
        run,
        requests: sent,
        wall,
    }
}

fn within(s: &Statuses, code: u16) -> bool {
    s.iter().any(|(a, b)| (*a..=*b).contains(&code))
}

/// The outcome of one exchange.
fn answer_of(answer: Result<Response, HttpError>, reading: &Reading) -> Answer {
    let resp = match answer {
        Ok(r) => r,
        Err(e @ HttpError::Timeout(_)) => {
            return (Outcome::error(e.to_string()), Some(State::Hang))
        }
        Err(e) => return (Outcome::error(e.to_string()), Some(State::Crash)),
    };
    let excerpt = || {
        let t = String::from_utf8_lossy(&resp.body);
        let t: String = t.chars().take(120).collect();
        t.replace(['\r', '\n'], " ")
    };
    if within(&reading.accept, resp.status) {
        let mut o = Outcome::accept(identity(&resp, reading));
        o.detail = format!("HTTP {}", resp.status);
        (o, None)
    } else if within(&reading.reject, resp.status) {
        let mut o = Outcome::reject("", format!("HTTP {}: {}", resp.status, excerpt()));
        o.error = None;
        o.verdict = Got::Reject;
        (o, None)
    } else {
        let how = if (300..400).contains(&resp.status) {
            format!(
                " (a redirect to {:?}, not followed)",
                resp.header("location").unwrap_or("")
            )
        } else {
            String::new()
        };
        (
            Outcome::error(format!(
                "HTTP {}{how} is neither an accept nor a reject status (--accept-status, --reject-status): {}",
                resp.status,
                excerpt()
            )),
            None,
        )
    }
}

/// The identity the service reports, as named by the flags.
fn identity(resp: &Response, reading: &Reading) -> Value {
    let mut out = serde_json::Map::new();
    if !reading.json.is_empty() {
        match serde_json::from_slice::<Value>(&resp.body) {
            Ok(body) => {
                for (name, pointer) in &reading.json {
                    if let Some(v) = body.pointer(pointer).filter(|v| !v.is_null()) {
                        out.insert(name.clone(), v.clone());
                    }
                }
            }
            Err(e) => {
                out.insert("body".into(), json!(format!("not JSON: {e}")));
            }
        }
    }
    for (name, header) in &reading.headers {
        if let Some(v) = resp.header(header) {
            out.insert(name.clone(), json!(v));
        }
    }
    Value::Object(out)
}
