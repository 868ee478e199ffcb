//! The per-case time budget: how long one case (all its steps) may take before the
//! harness stops waiting and grades it *over budget* (`State::OverBudget`), a
//! denial-of-service finding counted as a failure, never a hang of the run.
//!
//! Over the protocol (`iut`) the adapter is killed at the budget and restarted, as for a
//! hang. In process ([`Worker`]) a Rust call cannot be pre-empted: each case's session
//! runs on a worker thread, the runner waits for it up to the budget, and a case over
//! budget leaves its thread running, abandoned, while a fresh worker takes the next case.
//! The worker parses keys with the crypto backend in force on the thread that hands it the
//! case (`jwtc_verifier::crypto::with_backend` around a run holds on the worker too).

use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use serde_json::Value;

use jwtc_verifier::crypto::{self, Backend};

use crate::grade::{Answer, State};
use crate::outcome::Outcome;
use crate::session::Session;

/// The default budget: 2 s a case. The slowest honest case of any row of the matrix
/// takes under 0.5 s (PyJWT's Watson cases; every other row under 0.25 s;
/// docs/protocol.md § The per-case time budget has the measurements), so 2 s is four
/// times above it, and five times below the protocol's 10-s time-out.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(2);

/// The message of a case over budget: the time spent and the budget, in milliseconds,
/// then what the harness did (`what`).
pub fn over_budget(spent: Duration, budget: Duration, what: &str) -> String {
    format!(
        "over budget: {} ms spent, budget {} ms; {what}",
        spent.as_millis(),
        budget.as_millis()
    )
}

/// A case's session and what it is stepped through: (input, context) per step, the
/// case's network map, the suite clock, and the crypto backend of the thread that handed
/// it over (a thread-local setting, which the worker's own thread would not see).
struct Job {
    session: Box<dyn Session + Send>,
    steps: Vec<(Value, Value)>,
    network: Option<Value>,
    now: i64,
    backend: &'static dyn Backend,
}

/// A thread that runs one case's session at a time and sends each step's outcome back
/// as it comes (a panic in the session is a crash of that case, with its message).
pub struct Worker {
    jobs: Sender<Job>,
    answers: Receiver<Result<Outcome, String>>,
    abandoned: usize,
}

impl Default for Worker {
    fn default() -> Worker {
        Worker::spawn(0)
    }
}

impl Worker {
    fn spawn(abandoned: usize) -> Worker {
        let (jobs, inbox) = channel::<Job>();
        let (outbox, answers) = channel();
        std::thread::Builder::new()
            .name(format!("jwtc-case-{abandoned}"))
            .spawn(move || {
                for mut job in inbox {
                    for (input, context) in &job.steps {
                        let step = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            crypto::with_backend(job.backend, || {
                                job.session
                                    .step(input, context, job.network.as_ref(), job.now)
                            })
                        }))
                        .map_err(|e| panic_text(e.as_ref()));
                        let panicked = step.is_err();
                        if outbox.send(step).is_err() {
                            return; // abandoned: nobody waits for this case any more
                        }
                        if panicked {
                            break; // the case ends at its panic
                        }
                    }
                }
            })
            .expect("a worker thread starts");
        Worker {
            jobs,
            answers,
            abandoned,
        }
    }

    /// How many workers were abandoned on a case over budget so far.
    pub fn abandoned(&self) -> usize {
        self.abandoned
    }

    /// Steps `session` through `steps` on the worker, with the crypto backend in force on
    /// the calling thread, waiting at most `budget` for all of them (`None`: no limit); `stamp` is called on each outcome as it arrives. A case
    /// over budget ends with an over-budget answer, and this worker is replaced.
    pub fn run(
        &mut self,
        session: Box<dyn Session + Send>,
        steps: Vec<(Value, Value)>,
        network: Option<Value>,
        now: i64,
        budget: Option<Duration>,
        mut stamp: impl FnMut(&mut Outcome),
    ) -> Vec<Answer> {
        let n = steps.len();
        let start = Instant::now();
        let job = Job {
            session,
            steps,
            network,
            now,
            backend: crypto::backend(),
        };
        let mut answers = Vec::with_capacity(n);
        if self.jobs.send(job).is_err() {
            *self = Worker::spawn(self.abandoned);
            answers.push(crash("the worker thread had stopped".into()));
            return answers;
        }
        while answers.len() < n {
            let got = match budget {
                None => self
                    .answers
                    .recv()
                    .map_err(|_| RecvTimeoutError::Disconnected),
                Some(b) => self.answers.recv_timeout(b.saturating_sub(start.elapsed())),
            };
            match got {
                Ok(Ok(mut o)) => {
                    stamp(&mut o);
                    answers.push((o, None));
                }
                Ok(Err(panic)) => {
                    answers.push(crash(format!("the session panicked: {panic}")));
                    break;
                }
                Err(RecvTimeoutError::Timeout) => {
                    let budget = budget.unwrap_or_default();
                    let what = "no answer yet: the harness stopped waiting and left the call running on an abandoned thread";
                    answers.push((
                        Outcome::error(over_budget(start.elapsed(), budget, what)),
                        Some(State::OverBudget),
                    ));
                    *self = Worker::spawn(self.abandoned + 1);
                    break;
                }
                Err(RecvTimeoutError::Disconnected) => {
                    answers.push(crash("the worker thread stopped".into()));
                    *self = Worker::spawn(self.abandoned);
                    break;
                }
            }
        }
        answers
    }
}

fn crash(message: String) -> Answer {
    (Outcome::error(message), Some(State::Crash))
}

/// A panic's message, when it is text.
fn panic_text(e: &(dyn std::any::Any + Send)) -> String {
    e.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| e.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}
