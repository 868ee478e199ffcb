//! What the service tests share: finding the repository, whether a runtime is here (and
//! whether CI requires it), a service process started on port 0 and killed when dropped,
//! a probe's unexpected failures asserted.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A child process killed when dropped.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn require() -> bool {
    std::env::var("JWTC_REQUIRE_SERVICES").is_ok_and(|v| v == "1")
}

pub fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Spawns a service that prints `listening PORT`; waits (at most 30 s) for its port.
pub fn spawn(mut cmd: Command, mode: &str) -> (Killed, u16) {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node starts");
    let mut child = Killed(child);
    let out = child.0.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(out).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(30))
        .unwrap_or_else(|_| panic!("{mode}: the service printed no port within 30 s"));
    let port = line
        .trim()
        .strip_prefix("listening ")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("{mode}: expected \"listening PORT\", got {line:?}"));
    (child, port)
}

/// Prints the probe's table under `what` and asserts its unexpected failures are exactly
/// `want`, each named with its message when they differ.
pub fn assert_failures(probe: &jwtc_probe::run::Probe, what: &str, want: &[&str]) {
    eprintln!(
        "{what}: {} requests in {:.2} s ({:.1} requests/s)\n{}",
        probe.requests,
        probe.wall.as_secs_f64(),
        probe.rate(),
        jwtc_harness::report::table(&probe.run, false)
    );
    let unexpected: Vec<_> = probe
        .run
        .results
        .iter()
        .filter(|r| r.is_unexpected())
        .collect();
    let failed: Vec<&str> = unexpected.iter().map(|r| r.id.as_str()).collect();
    let details: Vec<String> = unexpected
        .iter()
        .map(|r| format!("{}: {}", r.id, r.message))
        .collect();
    assert_eq!(
        failed,
        want,
        "{what}: unexpected failures differ:\n{}",
        details.join("\n")
    );
}

/// The npm service `dir` (services/NAME) installed pinned under the target directory, or
/// `None` after saying on stderr why `test` is skipped (no node or npm, a failed install);
/// with JWTC_REQUIRE_SERVICES=1 either is a failure instead.
pub fn installed(test: &str, dir: &str) -> Option<PathBuf> {
    if !(have("node") && have("npm")) {
        assert!(
            !require(),
            "JWTC_REQUIRE_SERVICES=1 but node or npm is not on PATH"
        );
        eprintln!("SKIPPED {test}: node and npm are needed (apt-get install nodejs npm)");
        return None;
    }
    let install = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(dir);
    if let Err(e) = jwtc_harness::install::npm(&repo().join(dir), &install) {
        assert!(!require(), "installing {dir}: {e}");
        eprintln!("SKIPPED {test}: installing {dir} failed: {e}");
        return None;
    }
    Some(install)
}
