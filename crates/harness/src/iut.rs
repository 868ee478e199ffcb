//! Running an implementation under test (IUT) over the protocol ([`crate::protocol`],
//! docs/protocol.md): one process for the whole run, its stderr in a log file, the
//! network played from each case's `network` map.
//!
//! Faults never stop or hang a run. A case that is not answered within the time-out
//! (state hang), an implementation that exits, crashes, closes its stdout, prints a line
//! that is not a protocol message or is longer than [`MAX_LINE`], answers another case,
//! or answers twice (state crash): the case fails with a message saying what happened,
//! the process (its whole process group on Unix) is killed, and the next case starts a
//! fresh one, which is sent `hello` again. [`Run::restarts`] counts the restarts.
//!
//! Threads and channels, std only: one thread writes the implementation's stdin (so a
//! process that stops reading cannot block the harness), one reads its stdout line by
//! line through a bounded channel, and the harness waits on that channel with a deadline.

use serde_json::{Map, Value};
use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, SyncSender};
use std::time::{Duration, Instant};

use jwtc_vectors::load::LoadedCase;

use crate::expected::ExpectedFailures;
use crate::grade::{grade_case, Answer, Codes, State};
use crate::outcome::{skip, Got, Outcome};
use crate::progress::Progress;
use crate::protocol::{
    excerpt, line, read_line, FromIut, Line, ToIut, MAX_LINE, NOT_IN_NETWORK,
    NOT_IN_NETWORK_STATUS, PROTOCOL_SCHEMA,
};
use crate::runner::{stale_entries, Run};

/// How to start an implementation.
#[derive(Clone, Debug, PartialEq)]
pub struct Launch {
    /// The program.
    pub program: String,
    /// Its arguments.
    pub args: Vec<String>,
    /// The directory to start it in (the harness's own when `None`).
    pub cwd: Option<PathBuf>,
    /// How to show it in messages.
    pub shown: String,
}

impl Launch {
    /// A shell command line, run as `sh -c CMD` (`--cmd`).
    pub fn shell(cmd: &str) -> Launch {
        Launch {
            program: "sh".into(),
            args: vec!["-c".into(), cmd.into()],
            cwd: None,
            shown: format!("--cmd {cmd:?}"),
        }
    }

    /// A program and its arguments, started without a shell.
    pub fn argv(argv: &[String], cwd: Option<PathBuf>) -> Result<Launch, String> {
        let (program, args) = argv
            .split_first()
            .ok_or("the command is empty: give the program and its arguments")?;
        if program.is_empty() {
            return Err("the command's program is an empty string".into());
        }
        Ok(Launch {
            program: program.clone(),
            args: args.to_vec(),
            cwd,
            shown: argv.join(" "),
        })
    }
}

/// How to run it.
#[derive(Clone, Debug)]
pub struct Options {
    /// How long one case (all its steps) may take before it is a hang.
    pub timeout: Duration,
    /// How long the implementation may take to answer `hello`.
    pub start_timeout: Duration,
    /// Where its stderr goes (created, or emptied, at the start of the run).
    pub stderr_log: PathBuf,
    /// Whether a differing error code fails a case.
    pub codes: Codes,
    /// Whether to show a progress bar (on stderr, when the run takes over a second).
    pub progress: bool,
}

impl Options {
    /// Ten seconds a case, thirty to start, codes in a column of their own, no progress bar.
    pub fn new(stderr_log: PathBuf) -> Options {
        Options {
            timeout: Duration::from_secs(10),
            start_timeout: Duration::from_secs(30),
            stderr_log,
            codes: Codes::Column,
            progress: false,
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
}

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
    // The wall time is the cases' (restarts included), not the first start's.
    let started = Instant::now();
    let mut progress = Progress::new(cases.len(), opts.progress);
    let mut answers: Vec<Vec<Answer>> = Vec::with_capacity(cases.len());
    for (index, c) in cases.iter().enumerate() {
        progress.tick(&c.case.id);
        let got = match runner.case(index, c) {
            Ok(a) => a,
            Err(Stray { case, message }) => {
                amend(&mut answers[case], message);
                runner.stop("a case's second result");
                // The process was out of step: run this case again on a fresh one.
                runner
                    .case(index, c)
                    .unwrap_or_else(|s| vec![(Outcome::error(s.message), Some(State::Crash))])
            }
        };
        answers.push(got);
    }
    for (id, message) in runner.finish() {
        if let Some(i) = cases.iter().position(|c| c.case.id == id) {
            amend(&mut answers[i], message);
        }
    }
    progress.finish();
    let wall = started.elapsed();
    let results: Vec<_> = cases
        .iter()
        .zip(answers)
        .map(|(c, a)| grade_case(c, a, opts.codes, known, now))
        .collect();
    let implementation = match (&runner.hello.name, &runner.hello.version) {
        (Some(n), Some(v)) => format!("{n} {v}"),
        (Some(n), None) => n.clone(),
        _ => launch.shown.clone(),
    };
    Ok(Run {
        implementation,
        suite_version: suite_version.to_owned(),
        now,
        stale: stale_entries(known, &results),
        results,
        wall,
        restarts: runner.restarts,
    })
}

/// Marks a case's last answer as a crash (it answered again after its answer was taken).
fn amend(answers: &mut Vec<Answer>, message: String) {
    match answers.last_mut() {
        Some((got, forced)) if forced.is_none() => {
            got.detail = message;
            *forced = Some(State::Crash);
        }
        Some(_) => {}
        None => answers.push((Outcome::error(message), Some(State::Crash))),
    }
}

/// The last non-empty line of a log, shortened, for a one-line message.
fn last_line(path: &Path) -> Option<String> {
    let text = std::fs::read(path).ok()?;
    let start = text.len().saturating_sub(4096);
    let text = String::from_utf8_lossy(&text[start..]);
    text.lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("=== jwtc:"))
        .map(excerpt)
}

fn open_log(path: &Path) -> Result<File, String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            format!(
                "cannot create {} for the implementation's stderr log: {e}",
                dir.display()
            )
        })?;
    }
    std::fs::write(path, b"")
        .and_then(|()| std::fs::OpenOptions::new().append(true).open(path))
        .map_err(|e| {
            format!(
                "cannot write the implementation's stderr log {}: {e}",
                path.display()
            )
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
                }) => {
                    self.hello = Hello {
                        name,
                        version,
                        profiles,
                    };
                    self.process = Some(p);
                    self.previous = None;
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
                return Ok(c
                    .steps
                    .iter()
                    .map(|_| (skip(reason.clone()), None))
                    .collect());
            }
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
        let result = self.steps(c);
        match &result {
            Ok(answers) if answers.iter().any(|(_, forced)| forced.is_some()) => {
                self.stop(&format!("fault in case {}", c.case.id));
            }
            Ok(_) => self.previous = Some((index, c.case.id.clone())),
            Err(_) => {}
        }
        result
    }

    fn steps(&mut self, c: &LoadedCase) -> Result<Vec<Answer>, Stray> {
        let timeout = self.opts.timeout;
        let deadline = Instant::now() + timeout;
        let n = c.steps.len();
        let mut answers: Vec<Answer> = Vec::with_capacity(n);
        let Some(p) = self.process.as_mut() else {
            return Ok(vec![(
                Outcome::error("the implementation is not running"),
                Some(State::Crash),
            )]);
        };
        for (i, step) in c.steps.iter().enumerate() {
            p.send(&ToIut::Case {
                id: c.case.id.as_str().into(),
                profile: c.profile.as_str().into(),
                step: i,
                steps: n,
                input: std::borrow::Cow::Borrowed(&step.input),
                context: std::borrow::Cow::Borrowed(&step.context),
            });
            let at = if n > 1 {
                format!(" (at step {i})")
            } else {
                String::new()
            };
            let mut fetches: Vec<String> = Vec::new();
            let answer: Answer = loop {
                let fault = |state: State, m: String, fetches: &mut Vec<String>| {
                    let mut o = Outcome::error(m);
                    o.fetches = std::mem::take(fetches);
                    (o, Some(state))
                };
                let text = match p.recv(deadline) {
                    None => {
                        break fault(
                            State::Hang,
                            format!(
                                "no answer within the time-out of {} s{at}; the harness killed it",
                                timeout.as_secs_f64()
                            ),
                            &mut fetches,
                        )
                    }
                    Some(Line::Text(t)) if t.trim().is_empty() => continue,
                    Some(Line::Text(t)) => t,
                    Some(other) => {
                        let what = p.describe(&other);
                        break fault(State::Crash, format!("{what}{at}"), &mut fetches);
                    }
                };
                let msg = match FromIut::parse(&text) {
                    Ok(m) => m,
                    Err(e) => {
                        break fault(
                            State::Crash,
                            format!("printed {e}{at} (logs go to stderr)"),
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
                            format!("sent hello in the middle of a case{at}"),
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
                            "answered case {id:?} while case {:?} was running{at}",
                            c.case.id
                        ),
                        &mut fetches,
                    );
                }
                if step_answered != i {
                    let what = if step_answered < i {
                        format!("a second answer for step {step_answered}")
                    } else {
                        format!("an answer for step {step_answered}, which was not sent yet")
                    };
                    break fault(
                        State::Crash,
                        format!("sent {what} while step {i} was running"),
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
                    },
                    FromIut::Skip { reason, .. } => {
                        let mut o = skip(reason);
                        o.fetches = std::mem::take(&mut fetches);
                        o
                    }
                    FromIut::Fetch { .. } | FromIut::Hello { .. } => unreachable!("handled above"),
                };
                break (outcome, None);
            };
            let stop = answer.1.is_some() || answer.0.verdict == Got::Skip;
            answers.push(answer);
            if stop {
                break;
            }
        }
        if let Some((o, None)) = answers.last() {
            if o.verdict == Got::Skip && answers.len() < n {
                let reason = format!("not sent: step {} was skipped", answers.len() - 1);
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

/// A running implementation: its stdin behind a writer thread, its stdout behind a
/// reader thread.
struct Process {
    child: Child,
    to_child: Option<Sender<Vec<u8>>>,
    lines: Receiver<Line>,
}

impl Process {
    fn spawn(launch: &Launch, log: &File) -> Result<Process, String> {
        let mut cmd = std::process::Command::new(&launch.program);
        cmd.args(&launch.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(
                log.try_clone()
                    .map_err(|e| format!("cannot pass the stderr log on: {e}"))?,
            );
        if let Some(dir) = &launch.cwd {
            cmd.current_dir(dir);
        }
        #[cfg(unix)]
        {
            // Its own process group, so that a time-out kills `sh -c`'s children too.
            use std::os::unix::process::CommandExt;
            cmd.process_group(0);
        }
        let mut child = cmd.spawn().map_err(|e| {
            let hint = match e.kind() {
                std::io::ErrorKind::NotFound => "; is it installed and on PATH?",
                std::io::ErrorKind::PermissionDenied => "; is it executable?",
                _ => "",
            };
            let dir = launch
                .cwd
                .as_ref()
                .map(|d| format!(" in {}", d.display()))
                .unwrap_or_default();
            format!("cannot run {:?}{dir}: {e}{hint}", launch.program)
        })?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err("its stdin or stdout could not be piped".into());
        };
        let (to_child, inbox) = mpsc::channel::<Vec<u8>>();
        std::thread::spawn(move || write_all(stdin, inbox));
        // Bounded: an implementation that floods its stdout waits for the harness.
        let (tx, lines) = mpsc::sync_channel::<Line>(64);
        std::thread::spawn(move || read_all(stdout, tx));
        Ok(Process {
            child,
            to_child: Some(to_child),
            lines,
        })
    }

    /// Queues a message for the implementation's stdin (a dead process is noticed by the reader).
    fn send(&self, msg: &ToIut<'_>) {
        if let Some(tx) = &self.to_child {
            let _ = tx.send(line(msg));
        }
    }

    fn close_stdin(&mut self) {
        self.to_child = None;
    }

    /// The next line, or `None` when the deadline passes.
    fn recv(&self, deadline: Instant) -> Option<Line> {
        let wait = deadline.saturating_duration_since(Instant::now());
        match self.lines.recv_timeout(wait) {
            Ok(l) => Some(l),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => Some(Line::Eof),
        }
    }

    /// What a line that is not a message means, for people.
    fn describe(&mut self, l: &Line) -> String {
        match l {
            Line::Text(t) => format!("printed {}", excerpt(t)),
            Line::TooLong => format!(
                "printed a line longer than {} MiB (the protocol's bound)",
                MAX_LINE >> 20
            ),
            Line::NotUtf8 => "printed a line that is not UTF-8".into(),
            Line::Error(e) => format!("its stdout could not be read ({e})"),
            Line::Eof => self.gone(),
        }
    }

    /// Why its stdout ended: it exited (with what status), or it closed its stdout.
    fn gone(&mut self) -> String {
        let until = Instant::now() + Duration::from_millis(500);
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return format!("exited ({})", describe_status(status)),
                Ok(None) if Instant::now() < until => std::thread::sleep(Duration::from_millis(5)),
                Ok(None) => return "closed its stdout but kept running".into(),
                Err(e) => return format!("closed its stdout (its status is unknown: {e})"),
            }
        }
    }

    /// Kills it (its process group on Unix) and reaps it.
    fn kill(&mut self) {
        self.to_child = None;
        #[cfg(unix)]
        if let Ok(pid) = libc::pid_t::try_from(self.child.id()) {
            // SAFETY: kill(2) with a negative pid signals that process group only: the
            // group this process leads (process_group(0) at spawn), no one else's.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            self.kill();
        }
    }
}

fn write_all(mut stdin: ChildStdin, inbox: Receiver<Vec<u8>>) {
    for buf in inbox {
        if stdin.write_all(&buf).and_then(|()| stdin.flush()).is_err() {
            break;
        }
    }
}

fn read_all(stdout: ChildStdout, tx: SyncSender<Line>) {
    let mut r = BufReader::with_capacity(64 * 1024, stdout);
    let mut skipping = false;
    loop {
        let l = read_line(&mut r, MAX_LINE, &mut skipping);
        let end = matches!(l, Line::Eof | Line::Error(_));
        if tx.send(l).is_err() || end {
            break;
        }
    }
}

fn describe_status(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            let name = match sig {
                libc::SIGABRT => " (SIGABRT: aborted)",
                libc::SIGSEGV => " (SIGSEGV: segmentation fault)",
                libc::SIGKILL => " (SIGKILL)",
                libc::SIGTERM => " (SIGTERM)",
                libc::SIGBUS => " (SIGBUS)",
                libc::SIGILL => " (SIGILL)",
                _ => "",
            };
            return format!("killed by signal {sig}{name}");
        }
    }
    match status.code() {
        Some(code) => format!("exit code {code}"),
        None => status.to_string(),
    }
}
