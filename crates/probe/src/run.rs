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
        requests.push((p.request, p.docs, p.aliases, p.delay));
    }
    let mut pacer = Pacer::new(limits);
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
            let (req, docs, aliases, delay) = &requests[index];
            index += 1;
            let req = match req {
                Err(why) => return c.steps.iter().map(|_| (skip(why.clone()), None)).collect(),
                Ok(r) => r,
            };
            if let Err(why) = pacer.wait() {
                return vec![(skip(why), None)];
            }
            server.begin_with(&c.case.id, docs.clone());
            let answer = http::send(addr, req, limits.timeout + *delay, limits.body_limit);
            let fetches = server.end();
            let mut a = answer_of(answer, reading, |r| Ok(identity(r, reading)));
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
    pacer.finish(run)
}

/// Requests paced at `rate` a second and capped at `max_requests`; the wall time of a
/// probe counts the last request's slot (n requests at the cap take n gaps).
pub struct Pacer {
    start: Instant,
    next: Instant,
    gap: Duration,
    sent: usize,
    max: usize,
}

impl Pacer {
    /// A pacer for `limits`, its clock started.
    pub fn new(limits: &Limits) -> Pacer {
        let now = Instant::now();
        Pacer {
            start: now,
            next: now,
            gap: Duration::from_secs_f64(1.0 / limits.rate.max(0.001)),
            sent: 0,
            max: limits.max_requests,
        }
    }

    /// Waits for the next request's slot and counts it; `Err` (the skip's reason) once
    /// `max_requests` are sent.
    pub fn wait(&mut self) -> Result<(), String> {
        if self.sent >= self.max {
            return Err(format!("not sent: over --max-requests {}", self.max));
        }
        std::thread::sleep(self.next.saturating_duration_since(Instant::now()));
        self.next = Instant::now() + self.gap;
        self.sent += 1;
        Ok(())
    }

    /// The finished probe of `run`.
    pub fn finish(self, run: Run) -> Probe {
        let wall = self
            .start
            .elapsed()
            .max(self.next.saturating_duration_since(self.start));
        Probe {
            run,
            requests: self.sent,
            wall,
        }
    }
}

fn within(s: &Statuses, code: u16) -> bool {
    s.iter().any(|(a, b)| (*a..=*b).contains(&code))
}

/// The outcome of one exchange: the verdict from the status (`reading`'s lists), an
/// accept's output from `output` (`Err`: the answer is unusable, an error for the case).
pub fn answer_of(
    answer: Result<Response, HttpError>,
    reading: &Reading,
    output: impl FnOnce(&Response) -> Result<Value, String>,
) -> Answer {
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
        match output(&resp) {
            Ok(v) => {
                let mut o = Outcome::accept(v);
                o.detail = format!("HTTP {}", resp.status);
                (o, None)
            }
            Err(why) => (
                Outcome::error(format!("HTTP {}, but {why}: {}", resp.status, excerpt())),
                None,
            ),
        }
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
