//! jwtc's suite in process, for a Rust JWT library's own `cargo test`.
//!
//! Add it as a dev-dependency (a path or git dependency on this repository), implement
//! [`Implementation`] (a fresh [`Session`] per case, by profile), and run:
//!
//! ```no_run
//! use jwtc_testkit::{Implementation, Network, Outcome, Session, Step};
//!
//! struct MyLib;
//! struct Core;
//!
//! impl Session for Core {
//!     fn step(&mut self, step: &Step, _net: &mut Network) -> Outcome {
//!         // call your library on step.input["token"] with step.context's keys at step.now
//!         Outcome::reject("bad_signature", "my library said no")
//!     }
//! }
//!
//! impl Implementation for MyLib {
//!     fn name(&self) -> String { "my-lib 1.0".into() }
//!     fn session(&self, profile: &str) -> Option<Box<dyn Session>> {
//!         (profile == "core").then(|| Box::new(Core) as Box<dyn Session>)
//!     }
//! }
//!
//! let report = jwtc_testkit::run(&MyLib, &jwtc_testkit::Options::default()).unwrap();
//! report.assert_conforms(); // prints the table; panics on an unexpected failure
//! ```
//!
//! A case's profile the implementation has no session for is a skip (shown as one). The
//! cases, their inputs, contexts and the output an accept must return are those of
//! docs/protocol.md; grading is the harness's, the same as `jwtc run`.

use std::path::PathBuf;

use serde_json::{Map, Value};

use jwtc_harness::expected::ExpectedFailures;
pub use jwtc_harness::features::Clock;
use jwtc_harness::features::{system_now, Claimed};
use jwtc_harness::grade::Codes;
use jwtc_harness::report;
use jwtc_harness::run::{run_sessions, Run};
use jwtc_vectors::errata::Errata;

pub use jwtc_harness::outcome::{skip, Got, Outcome};

/// One step of a case, as the protocol's `case` message carries it.
#[derive(Debug)]
pub struct Step<'a> {
    /// The profile (`core`, `jws`, `pendo`, `watson`, `pomerium`, `pomerium-proxy`, `coyo`,
    /// and the signer roles `pendo-signer`, `watson-signer`).
    pub profile: &'a str,
    /// What the implementation is given.
    pub input: &'a Value,
    /// How it is configured (keys as JWKs).
    pub context: &'a Value,
    /// The suite clock: verify at this time, never the wall clock.
    pub now: i64,
}

/// One case's state in the implementation: a fresh one per case, stepped through it.
pub trait Session {
    /// Answers one step; fetches go through `net`.
    fn step(&mut self, step: &Step, net: &mut Network) -> Outcome;
}

/// An implementation under test.
pub trait Implementation {
    /// Its name and version, for the report.
    fn name(&self) -> String;
    /// A fresh session for a case of `profile`; `None`: the profile is not implemented
    /// (its cases are skips).
    fn session(&self, profile: &str) -> Option<Box<dyn Session>>;
    /// The optional features it claims (docs/protocol.md: `jws-payload`, `es512`,
    /// `jwks-fetch`, `builtin-keys`, `proxy-role`); `None`, the default, claims every one.
    /// A case needing an unclaimed feature is not run and is reported as not claimed.
    fn features(&self) -> Option<Vec<String>> {
        None
    }
    /// The clock its signer sessions mint at: [`Clock::Suite`], the default (the `now` of
    /// each step), or [`Clock::Wall`] (it reads the wall clock: each mint is graded at the
    /// wall-clock time its answer came back, with 5 s of slack). Docs/protocol.md: hello `clock`.
    fn clock(&self) -> Clock {
        Clock::Suite
    }
}

/// What a fetch answers: the case's network entry, or status 599 with an `error` when
/// the URL is not in the case's network (a fetch the case does not expect, which fails it).
#[derive(Clone, Debug, PartialEq)]
pub struct Fetched {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: String,
    /// Response headers (e.g. `Location` of a redirect), names as the vector has them.
    pub headers: Map<String, Value>,
    /// How long the answer takes: over your fetch time-out, treat it as a time-out.
    pub delay_ms: u64,
    /// A transport failure instead of a response.
    pub error: Option<String>,
}

/// The network of a case, as the harness plays it over the protocol: answers from the
/// case's network map, and every URL recorded (the grader checks them).
pub struct Network<'a> {
    map: Option<&'a Value>,
    fetched: Vec<String>,
}

impl<'a> Network<'a> {
    /// The case's network map itself (URL -> `{status, body, headers?, delay_ms?}`), for
    /// an implementation that plays it on its own and lists its fetches in its
    /// [`Outcome`] (the reference verifier does).
    pub fn map(&self) -> Option<&'a Value> {
        self.map
    }

    /// Fetches `url`.
    pub fn fetch(&mut self, url: &str) -> Fetched {
        self.fetched.push(url.to_owned());
        match self.map.and_then(|m| m.get(url)) {
            Some(entry) => Fetched {
                status: entry
                    .get("status")
                    .and_then(Value::as_u64)
                    .and_then(|s| u16::try_from(s).ok())
                    .unwrap_or(200),
                body: entry
                    .get("body")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                headers: entry
                    .get("headers")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default(),
                delay_ms: entry.get("delay_ms").and_then(Value::as_u64).unwrap_or(0),
                error: entry
                    .get("error")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            },
            None => Fetched {
                status: 599,
                body: String::new(),
                headers: Map::new(),
                delay_ms: 0,
                error: Some(format!("{url} is not in this case's network")),
            },
        }
    }
}

/// What to run and what is known.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The implementation's known divergences (`expected-failures.json`: case-id glob ->
    /// reason); `None`: none.
    pub expected_failures: Option<PathBuf>,
    /// Only cases whose id matches this glob.
    pub only: Option<String>,
    /// Only these profiles (empty: all).
    pub profiles: Vec<String>,
    /// Grade error codes too (`true`: a reject with another code than the vector's fails).
    /// Off by default: most libraries' error kinds do not map one-to-one onto the codes.
    pub codes_required: bool,
}

/// A graded run.
pub struct Report {
    /// Every case's result.
    pub run: Run,
}

impl Report {
    /// The terminal table `jwtc run` prints (no colour).
    pub fn table(&self) -> String {
        report::table(&self.run, false)
    }

    /// Whether every failure is listed in the expected-failures file and no entry is stale.
    pub fn conforms(&self) -> bool {
        self.run.ok() && self.run.stale.is_empty()
    }

    /// Prints the table; panics naming every unexpected failure and every stale
    /// expected-failure entry.
    pub fn assert_conforms(&self) {
        println!("{}", self.table());
        let unexpected: Vec<String> = self
            .run
            .results
            .iter()
            .filter(|r| r.is_unexpected())
            .map(|r| format!("{}: {}", r.id, r.message))
            .collect();
        assert!(
            unexpected.is_empty() && self.run.stale.is_empty(),
            "{} unexpected failure(s):\n  {}\n{} stale expected-failure entr(y/ies): {}",
            unexpected.len(),
            unexpected.join("\n  "),
            self.run.stale.len(),
            self.run.stale.join(", ")
        );
    }
}

/// Runs the suite inside jwtc (every case of `options`) against `imp`, in this process.
/// The error is a setup problem: the suite or the expected-failures file does not load,
/// or `options` select no case.
pub fn run(imp: &dyn Implementation, options: &Options) -> Result<Report, String> {
    let loaded = jwtc_vectors::embedded::load().map_err(|e| e.join("\n"))?;
    let only = match &options.only {
        Some(g) => Some(glob::Pattern::new(g).map_err(|e| format!("only {g:?}: {e}"))?),
        None => None,
    };
    let cases: Vec<_> = loaded
        .cases
        .into_iter()
        .filter(|c| only.as_ref().is_none_or(|p| p.matches(&c.case.id)))
        .filter(|c| options.profiles.is_empty() || options.profiles.contains(&c.profile))
        .collect();
    if cases.is_empty() {
        return Err("no case matches the options' only/profiles".into());
    }
    let known = match &options.expected_failures {
        Some(path) if !path.is_file() => {
            return Err(format!(
                "{}: no such expected-failures file",
                path.display()
            ))
        }
        Some(path) => ExpectedFailures::load(path)?,
        None => ExpectedFailures::default(),
    };
    let codes = if options.codes_required {
        Codes::Required
    } else {
        Codes::Column
    };
    let claimed = match imp.features() {
        None => Claimed::all(),
        Some(list) => Claimed::only(list)?,
    }
    .with_clock(imp.clock(), system_now);
    let errata = match jwtc_vectors::embedded::file("errata.json") {
        Some(_) => Errata::parse(jwtc_vectors::embedded::text("errata.json")?)
            .map_err(|e| format!("vectors/errata.json: {e}"))?,
        None => Errata::default(),
    };
    let known = known.with_errata(errata);
    let name = imp.name();
    let run = run_sessions(
        &name,
        &loaded.suite.version,
        loaded.suite.now,
        &cases,
        &known,
        codes,
        false,
        &claimed,
        |profile| {
            Ok(match imp.session(profile) {
                Some(session) => Box::new(Adapted {
                    session,
                    profile: profile.to_owned(),
                }) as Box<dyn jwtc_harness::session::Session>,
                None => Box::new(Unsupported(profile.to_owned())),
            })
        },
    );
    Ok(Report { run })
}

/// A library's session behind the harness's session interface.
struct Adapted {
    session: Box<dyn Session>,
    profile: String,
}

impl jwtc_harness::session::Session for Adapted {
    fn step(
        &mut self,
        input: &Value,
        context: &Value,
        network: Option<&Value>,
        now: i64,
    ) -> Outcome {
        let mut net = Network {
            map: network,
            fetched: Vec::new(),
        };
        let step = Step {
            profile: &self.profile,
            input,
            context,
            now,
        };
        let mut outcome = self.session.step(&step, &mut net);
        outcome.fetches.extend(net.fetched);
        outcome
    }
}

/// A profile the implementation does not have: every step is a skip.
struct Unsupported(String);

impl jwtc_harness::session::Session for Unsupported {
    fn step(&mut self, _: &Value, _: &Value, _: Option<&Value>, _: i64) -> Outcome {
        skip(format!(
            "the implementation has no session for profile {:?}",
            self.0
        ))
    }
}
