//! The implementation's process: how to start it ([`Launch`]), its stderr log, and the
//! plumbing of a running one ([`Process`]): its own process group, one thread writing
//! its stdin (so a process that stops reading cannot block the harness), one reading
//! its stdout line by line, bounded ([`MAX_LINE`]), through a bounded channel the
//! runner waits on with a deadline, and a kill of the whole group.

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, SyncSender};
use std::time::{Duration, Instant};

use crate::protocol::{excerpt, line, read_line, Line, ToIut, MAX_LINE};

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

/// The last non-empty line of a log, shortened, for a one-line message.
pub(super) fn last_line(path: &Path) -> Option<String> {
    let text = std::fs::read(path).ok()?;
    let start = text.len().saturating_sub(4096);
    let text = String::from_utf8_lossy(&text[start..]);
    text.lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("=== jwtc:"))
        .map(excerpt)
}

pub(super) fn open_log(path: &Path) -> Result<File, String> {
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

/// A running implementation: its stdin behind a writer thread, its stdout behind a
/// reader thread.
pub(super) struct Process {
    child: Child,
    to_child: Option<Sender<Vec<u8>>>,
    lines: Receiver<Line>,
}

impl Process {
    pub(super) fn spawn(launch: &Launch, log: &File) -> Result<Process, String> {
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
    pub(super) fn send(&self, msg: &ToIut<'_>) {
        if let Some(tx) = &self.to_child {
            let _ = tx.send(line(msg));
        }
    }

    pub(super) fn close_stdin(&mut self) {
        self.to_child = None;
    }

    /// The next line, or `None` when the deadline passes.
    pub(super) fn recv(&self, deadline: Instant) -> Option<Line> {
        let wait = deadline.saturating_duration_since(Instant::now());
        match self.lines.recv_timeout(wait) {
            Ok(l) => Some(l),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => Some(Line::Eof),
        }
    }

    /// What a line that is not a message means, for people.
    pub(super) fn describe(&mut self, l: &Line) -> String {
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
    pub(super) fn kill(&mut self) {
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
