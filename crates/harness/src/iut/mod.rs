//! Running an implementation under test (IUT) over the protocol ([`crate::protocol`],
//! docs/protocol.md): one process for the whole run, its stderr in a log file, the
//! network played from each case's `network` map.
//!
//! Faults never stop or hang a run. A case that is not answered within the time-out
//! (state hang) or within the per-case budget when that is the earlier (state over
//! budget, [`crate::budget`]), an implementation that exits, crashes, closes its stdout, prints a line
//! that is not a protocol message or is longer than [`crate::protocol::MAX_LINE`],
//! answers another case, or answers twice (state crash): the case fails with a message
//! saying what happened, the process (its whole process group on Unix) is killed, and
//! the next case starts a fresh one, which is sent `hello` again. [`Run::restarts`]
//! counts the restarts.
//!
//! Messages count steps from 1 (`step 2/3 (…): …`, put before a scenario's message by
//! the grader), while the wire's `step` counts from 0.
//!
//! This file is the runner: the state machine that takes each case step by step in
//! lockstep, answers its fetches from the case's network map, keeps the deadlines and
//! restarts. The child-process plumbing (threads, channels, process group, kill) is
//! [`process`]'s.

use serde_json::{Map, Value};
use std::collections::VecDeque;
use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use jwtc_vectors::load::LoadedCase;

use crate::budget::{over_budget, DEFAULT_BUDGET};
use crate::expected::ExpectedFailures;
use crate::features::{system_now, wall_time, Claimed, Clock, WallClock};
use crate::grade::{Answer, Codes, State};
use crate::outcome::{skip, Got, Outcome};
use crate::progress::Progress;
use crate::protocol::{
    excerpt, FromIut, Line, ToIut, NOT_IN_NETWORK, NOT_IN_NETWORK_STATUS, PROTOCOL_SCHEMA,
};
use crate::runner::{stale_entries, Run};

mod ahead;
mod process;
mod results;

use ahead::{send_ahead, step_message};
pub use process::Launch;
use process::{last_line, open_log, Process};
use results::{amend, Grading};

/// How to run it.
#[derive(Clone, Debug)]
pub struct Options {
    /// How long one case (all its steps) may take before it is a hang.
    pub timeout: Duration,
    /// The per-case time budget ([`crate::budget`]): a case not answered within it (when
    /// it is not above `timeout`) is over budget, and the process is killed as for a hang.
    pub budget: Option<Duration>,
    /// How long the implementation may take to answer `hello`.
    pub start_timeout: Duration,
    /// Where its stderr goes (created, or emptied, at the start of the run).
    pub stderr_log: PathBuf,
    /// Whether a differing error code fails a case.
    pub codes: Codes,
    /// Whether to show a progress bar (on stderr, when the run takes over a second).
    pub progress: bool,
    /// Where the time an answer arrives is read, for an implementation whose hello says
    /// `"clock": "wall"` ([`system_now`]; tests fix it).
    pub wall_clock: WallClock,
    /// Whether to send cases ahead to an implementation whose hello says `"pipeline":
    /// true` (docs/protocol.md § Pipelining); `false` keeps every run in lockstep.
    pub pipeline: bool,
}

impl Options {
    /// Ten seconds a case, the default budget ([`DEFAULT_BUDGET`]), thirty seconds to
    /// start, codes in a column of their own, no progress bar, pipelining when the
    /// implementation offers it.
    pub fn new(stderr_log: PathBuf) -> Options {
        Options {
            timeout: Duration::from_secs(10),
            budget: Some(DEFAULT_BUDGET),
            start_timeout: Duration::from_secs(30),
            stderr_log,
            codes: Codes::Column,
            progress: false,
            wall_clock: system_now,
            pipeline: true,
        }
    }
}

/// What the implementation said in its `hello`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Hello {
    /// Its name.
    pub name: Option<String>,
    /// Its version.
    pub version: Option<String>,
    /// The profiles it implements (`None`: it did not say, every case is sent).
    pub profiles: Option<Vec<String>>,
    /// The optional features it claims (every feature when its hello has no list), and
    /// the clock its mints are graded at (its hello's `clock`).
    pub features: Claimed,
    /// Whether it reads ahead (its hello's `"pipeline": true`): the harness then keeps up
    /// to [`PIPELINE_WINDOW`] cases in flight instead of one step.
    pub pipeline: bool,
}

/// How many cases the harness sends ahead of the one it waits for, to an implementation
/// that reads ahead: enough to keep it busy while the harness reads an answer, few enough
/// that a fault costs little to resend.
pub const PIPELINE_WINDOW: usize = 16;

/// Restarts that fail in a row before the harness stops trying and fails the rest.
const RESTART_ATTEMPTS: usize = 3;

/// Runs `cases` through the implementation `launch` starts, grades them, and returns the
/// run. An `Err` is a setup error (the log cannot be written, the implementation does not
/// start or does not answer `hello`): one line naming the thing and what to do.
pub fn run(
    launch: &Launch,
    opts: &Options,
    suite_version: &str,
    now: i64,
    cases: &[LoadedCase],
    known: &ExpectedFailures,
) -> Result<Run, String> {
    let log = open_log(&opts.stderr_log)?;
    let mut runner = Runner {
        launch,
        opts,
        log,
        now,
        process: None,
        hello: Hello::default(),
        restarts: 0,
        failed_restarts: 0,
        gave_up: None,
        previous: None,
        cases,
        in_flight: VecDeque::new(),
        look: 0,
        answered: None,
    };
    runner.start().map_err(|e| {
        let tail = last_line(&opts.stderr_log)
            .map(|l| format!("; its stderr ends: {l}"))
            .unwrap_or_default();
        format!(
            "{} did not start: {e}{tail} (log: {}); check the command, or run it by hand and type a hello line (docs/protocol.md)",
            launch.shown,
            opts.stderr_log.display(),
        )
    })?;
    // The wall time is the cases' (restarts included) and their grading, as in process,
    // not the first start's.
    let started = Instant::now();
    let mut progress = Progress::new(cases.len(), opts.progress);
    let mut answers: Vec<Vec<Answer>> = Vec::with_capacity(cases.len());
    // Each case is graded, in run order, once no later message can amend its answers
    // (only the last case the process answered in full can still get a second answer):
    // so the grading of case i runs while the implementation works on the cases sent
    // ahead, instead of after the whole run.
    let mut graded = Grading::new(cases.len());
    for (index, c) in cases.iter().enumerate() {
        progress.tick(&c.case.id);
        let got = match runner.case(index, c) {
            Ok(a) => a,
            Err(Stray { case, message }) => {
                debug_assert!(case >= graded.results.len(), "a graded case amended");
                amend(&mut answers[case], message);
                runner.stop("a case's second result");
                // The process was out of step: run this case again on a fresh one.
                runner
                    .case(index, c)
                    .unwrap_or_else(|s| vec![(Outcome::error(s.message), Some(State::Crash))])
            }
        };
        answers.push(got);
        let settled = runner.previous.as_ref().map_or(index + 1, |(p, _)| *p);
        graded.upto(settled, cases, &mut answers, opts, known, now);
    }
    for (id, message) in runner.finish() {
        if let Some(i) = cases.iter().position(|c| c.case.id == id) {
            amend(&mut answers[i], message);
        }
    }
    graded.upto(cases.len(), cases, &mut answers, opts, known, now);
    progress.finish();
    let wall = started.elapsed();
    let results = graded.results;
    let implementation = match (&runner.hello.name, &runner.hello.version) {
        (Some(n), Some(v)) => format!("{n} {v}"),
        (Some(n), None) => n.clone(),
        _ => launch.shown.clone(),
    };
    Ok(Run {
        implementation,
        suite_version: suite_version.to_owned(),
        now,
        clock: runner.hello.features.clock(),
        stale: stale_entries(known, &results),
        results,
        wall,
        restarts: runner.restarts,
    })
}

/// The case that answered twice: its answers are amended, and the current case is run again.
struct Stray {
    case: usize,
    message: String,
}

struct Runner<'a> {
    launch: &'a Launch,
    opts: &'a Options,
    log: File,
    now: i64,
    process: Option<Process>,
    hello: Hello,
    restarts: usize,
    failed_restarts: usize,
    gave_up: Option<String>,
    /// The last case the running process answered in full (index, id).
    previous: Option<(usize, String)>,
    /// Every case of the run, for the look-ahead of a pipelined implementation.
    cases: &'a [LoadedCase],
    /// The cases whose step 0 was sent ahead to the running process and not yet waited
    /// for, in the order sent (empty in lockstep).
    in_flight: VecDeque<usize>,
    /// The next case the look-ahead considers (0: the one after the current case).
    look: usize,
    /// When the running process's last answer was taken: a case sent ahead could start
    /// then, so its deadline counts from then (not from when the harness, having graded
    /// the cases before it, turns to wait for it).
    answered: Option<Instant>,
}

impl Runner<'_> {
    /// Starts the process and exchanges `hello`.
    fn start(&mut self) -> Result<(), String> {
        let mut p = Process::spawn(self.launch, &self.log)?;
        p.send(&ToIut::Hello {
            schema: PROTOCOL_SCHEMA,
            now: self.now,
        });
        let deadline = Instant::now() + self.opts.start_timeout;
        let fail = |p: &mut Process, e: String| {
            p.kill();
            Err(e)
        };
        loop {
            let text = match p.recv(deadline) {
                None => {
                    return fail(
                        &mut p,
                        format!(
                            "no hello within {} s",
                            self.opts.start_timeout.as_secs_f64()
                        ),
                    )
                }
                Some(Line::Text(t)) if t.trim().is_empty() => continue,
                Some(Line::Text(t)) => t,
                Some(other) => {
                    let what = p.describe(&other);
                    return fail(&mut p, format!("{what} instead of answering hello"));
                }
            };
            match FromIut::parse(&text) {
                Ok(FromIut::Hello {
                    name,
                    version,
                    profiles,
                    features,
                    clock,
                    pipeline,
                }) => {
                    let features = match Claimed::from_hello(features.as_deref()).and_then(|f| {
                        Ok(f.with_clock(Clock::parse(clock.as_deref())?, self.opts.wall_clock))
                    }) {
                        Ok(f) => f,
                        Err(e) => return fail(&mut p, format!("answered hello with {e}")),
                    };
                    self.hello = Hello {
                        name,
                        version,
                        profiles,
                        features,
                        pipeline: self.opts.pipeline && pipeline == Some(true),
                    };
                    self.process = Some(p);
                    self.previous = None;
                    self.in_flight.clear();
                    self.look = 0;
                    self.answered = None;
                    return Ok(());
                }
                Ok(_) => {
                    return fail(
                        &mut p,
                        format!("answered hello with another message: {}", excerpt(&text)),
                    )
                }
                Err(e) => return fail(&mut p, format!("answered hello with {e}")),
            }
        }
    }

    /// Kills the process; the next case starts a new one.
    fn stop(&mut self, why: &str) {
        // What was sent ahead is sent again, to the next process, when its turn comes.
        self.in_flight.clear();
        self.look = 0;
        self.answered = None;
        if let Some(mut p) = self.process.take() {
            p.kill();
            let _ = writeln!(self.log, "=== jwtc: stopped the implementation ({why}) ===");
        }
    }

    /// Runs one case: every step, or up to the first skip or fault.
    fn case(&mut self, index: usize, c: &LoadedCase) -> Result<Vec<Answer>, Stray> {
        if let Some(profiles) = &self.hello.profiles {
            if !profiles.iter().any(|p| p == &c.profile) {
                let reason = format!(
                    "not sent: the implementation's hello lists profiles [{}], not {}",
                    profiles.join(", "),
                    c.profile
                );
                return Ok(vec![(skip(reason), Some(State::NotClaimed))]);
            }
        }
        if let Some(reason) = self.hello.features.not_sent(c) {
            return Ok(vec![(skip(reason), Some(State::NotClaimed))]);
        }
        if let Some(why) = &self.gave_up {
            return Ok(vec![(Outcome::error(why.clone()), Some(State::Crash))]);
        }
        if self.process.is_none() {
            self.restarts += 1;
            let _ = writeln!(
                self.log,
                "=== jwtc: restart {} before case {} ===",
                self.restarts, c.case.id
            );
            if let Err(e) = self.start() {
                self.failed_restarts += 1;
                let message = format!("could not restart the implementation: {e}");
                if self.failed_restarts >= RESTART_ATTEMPTS {
                    self.gave_up = Some(format!(
                        "not run: the implementation failed to restart {RESTART_ATTEMPTS} times in a row (last: {e})"
                    ));
                }
                return Ok(vec![(Outcome::error(message), Some(State::Crash))]);
            }
            self.failed_restarts = 0;
        }
        let result = self.steps(index, c);
        match &result {
            Ok(answers) if answers.iter().any(|(_, forced)| forced.is_some()) => {
                self.stop(&format!("fault in case {}", c.case.id));
            }
            Ok(_) => self.previous = Some((index, c.case.id.clone())),
            Err(_) => {}
        }
        result
    }

    fn steps(&mut self, index: usize, c: &LoadedCase) -> Result<Vec<Answer>, Stray> {
        let timeout = self.opts.timeout;
        // The budget decides when it is the earlier limit (or the same).
        let budget = self.opts.budget.filter(|b| *b <= timeout);
        // A case sent ahead could start when the answer before it was taken; one sent now, now.
        let started = match self.answered {
            Some(t) if self.in_flight.front() == Some(&index) => t,
            _ => Instant::now(),
        };
        let deadline = started + budget.unwrap_or(timeout);
        let n = c.steps.len();
        let mut answers: Vec<Answer> = Vec::with_capacity(n);
        let Some(p) = self.process.as_mut() else {
            return Ok(vec![(
                Outcome::error("the implementation is not running"),
                Some(State::Crash),
            )]);
        };
        for i in 0..n {
            if i == 0 && self.in_flight.front() == Some(&index) {
                // Sent ahead while the previous case ran.
                self.in_flight.pop_front();
            } else {
                debug_assert!(self.in_flight.is_empty(), "sent ahead out of order");
                p.send(&step_message(c, i));
            }
            if i + 1 == n && self.hello.pipeline {
                send_ahead(
                    p,
                    self.cases,
                    &self.hello,
                    self.gave_up.is_some(),
                    &mut self.in_flight,
                    &mut self.look,
                    index,
                );
            }
            let mut fetches: Vec<String> = Vec::new();
            let answer: Answer = loop {
                let fault = |state: State, m: String, fetches: &mut Vec<String>| {
                    let mut o = Outcome::error(m);
                    o.fetches = std::mem::take(fetches);
                    (o, Some(state))
                };
                let text = match p.recv(deadline) {
                    None if budget.is_some() => {
                        let spent = started.elapsed();
                        let what = "no answer yet; the harness killed it";
                        let message = over_budget(spent, budget.unwrap_or_default(), what);
                        break fault(State::OverBudget, message, &mut fetches);
                    }
                    None => {
                        break fault(
                            State::Hang,
                            format!(
                                "no answer within the time-out of {} s; the harness killed it",
                                timeout.as_secs_f64()
                            ),
                            &mut fetches,
                        )
                    }
                    Some(Line::Text(t)) if t.trim().is_empty() => continue,
                    Some(Line::Text(t)) => t,
                    Some(other) => {
                        let what = p.describe(&other);
                        break fault(State::Crash, what, &mut fetches);
                    }
                };
                let msg = match FromIut::parse(&text) {
                    Ok(m) => m,
                    Err(e) => {
                        break fault(
                            State::Crash,
                            format!("printed {e} (logs go to stderr)"),
                            &mut fetches,
                        )
                    }
                };
                let (id, step_answered) = match &msg {
                    FromIut::Fetch { url } => {
                        fetches.push(url.clone());
                        p.send(&fetched(c.case.network.as_ref(), url));
                        continue;
                    }
                    FromIut::Hello { .. } => {
                        break fault(
                            State::Crash,
                            "sent hello in the middle of a case".to_owned(),
                            &mut fetches,
                        )
                    }
                    FromIut::Result { id, step, .. } | FromIut::Skip { id, step, .. } => {
                        (id.clone(), step.unwrap_or(i))
                    }
                };
                if id != c.case.id {
                    if let Some((prev, prev_id)) = &self.previous {
                        if *prev_id == id {
                            return Err(Stray {
                                case: *prev,
                                message: format!(
                                    "sent a second answer for this case after its answer was taken: {}",
                                    excerpt(&text)
                                ),
                            });
                        }
                    }
                    break fault(
                        State::Crash,
                        format!(
                            "answered case {id:?} while case {:?} was running",
                            c.case.id
                        ),
                        &mut fetches,
                    );
                }
                if step_answered != i {
                    let what = if step_answered < i {
                        format!("a second answer for step {}", step_answered + 1)
                    } else {
                        format!(
                            "an answer for step {}, which was not sent yet",
                            step_answered + 1
                        )
                    };
                    break fault(
                        State::Crash,
                        format!(
                            "sent {what} (\"step\": {step_answered}, counted from 0) while step {} was running",
                            i + 1
                        ),
                        &mut fetches,
                    );
                }
                let outcome = match msg {
                    FromIut::Result {
                        verdict,
                        error,
                        output,
                        detail,
                        reason,
                        ..
                    } => Outcome {
                        verdict,
                        error,
                        output,
                        detail: detail.or(reason).unwrap_or_default(),
                        fetches: std::mem::take(&mut fetches),
                        at: None,
                    },
                    FromIut::Skip { reason, .. } => {
                        let mut o = skip(reason);
                        o.fetches = std::mem::take(&mut fetches);
                        o
                    }
                    FromIut::Fetch { .. } | FromIut::Hello { .. } => unreachable!("handled above"),
                };
                let mut outcome = outcome;
                if self.hello.features.clock() == Clock::Wall {
                    outcome.at = wall_time(self.opts.wall_clock);
                }
                break (outcome, None);
            };
            let stop = answer.1.is_some() || answer.0.verdict == Got::Skip;
            self.answered = Some(Instant::now());
            answers.push(answer);
            if stop {
                break;
            }
        }
        if let Some((o, None)) = answers.last() {
            if o.verdict == Got::Skip && answers.len() < n {
                let reason = format!("not sent: step {} was skipped", answers.len());
                answers.extend((answers.len()..n).map(|_| (skip(reason.clone()), None)));
            }
        }
        Ok(answers)
    }

    /// Closes the implementation's stdin and reads what it still prints until it exits:
    /// an answer for the last case there is a second answer (case id, message).
    fn finish(&mut self) -> Vec<(String, String)> {
        let mut late = Vec::new();
        let Some(mut p) = self.process.take() else {
            return late;
        };
        p.close_stdin();
        let deadline = Instant::now() + self.opts.timeout.min(Duration::from_secs(2));
        while let Some(Line::Text(text)) = p.recv(deadline) {
            if let Ok(FromIut::Result { id, .. } | FromIut::Skip { id, .. }) = FromIut::parse(&text)
            {
                if self.previous.as_ref().is_some_and(|(_, prev)| *prev == id) {
                    late.push((
                        id,
                        format!(
                            "sent a second answer for this case after its answer was taken: {}",
                            excerpt(&text)
                        ),
                    ));
                }
            }
        }
        p.kill();
        late
    }
}

/// The answer to a fetch: the case's network entry, or 599 "not in this case's network".
fn fetched<'a>(network: Option<&Value>, url: &'a str) -> ToIut<'a> {
    let response = match network.and_then(|n| n.get(url)).and_then(Value::as_object) {
        Some(entry) => entry.clone(),
        None => {
            let mut m = Map::new();
            m.insert("status".into(), NOT_IN_NETWORK_STATUS.into());
            m.insert("body".into(), "".into());
            m.insert("error".into(), NOT_IN_NETWORK.into());
            m
        }
    };
    ToIut::Fetched {
        url: url.into(),
        response,
    }
}
