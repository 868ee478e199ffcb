//! Shared by the protocol tests (`protocol.rs`, `protocol_clock.rs`): the fake
//! implementation (src/bin/fake_iut.rs) launched with a fault's arguments, and a run of it
//! over some cases at the suite clock.
#![allow(dead_code)] // each test binary uses its own part

use std::path::{Path, PathBuf};
use std::time::Duration;

use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::grade::State;
use jwtc_harness::iut::{self, Launch, Options};
use jwtc_harness::run::Run;
use jwtc_vectors::load::LoadedCase;

pub const FAKE: &str = env!("CARGO_BIN_EXE_jwtc-fake-iut");

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Where the fake's stderr is logged for `test`.
pub fn log_path(test: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "jwtc-protocol-{}-{test}/fake.stderr.log",
        std::process::id()
    ))
}

/// Options with a per-step deadline of `timeout_ms` (start: at least 2 s).
pub fn options(test: &str, timeout_ms: u64) -> Options {
    let mut o = Options::new(log_path(test));
    o.timeout = Duration::from_millis(timeout_ms);
    o.start_timeout = Duration::from_millis(timeout_ms.max(2000));
    o
}

/// The fake implementation with these arguments.
pub fn fake(args: &[&str]) -> Launch {
    let argv: Vec<String> = std::iter::once(FAKE)
        .chain(args.iter().copied())
        .map(str::to_owned)
        .collect();
    Launch::argv(&argv, None).unwrap()
}

/// The fake with `args` run over `cases` at the suite clock.
pub fn run(args: &[&str], cases: &[LoadedCase], opts: &Options) -> Result<Run, String> {
    iut::run(
        &fake(args),
        opts,
        "test",
        1767225600,
        cases,
        &ExpectedFailures::default(),
    )
}

/// Each case's graded state.
pub fn states(r: &Run) -> Vec<State> {
    r.results.iter().map(|c| c.state).collect()
}
