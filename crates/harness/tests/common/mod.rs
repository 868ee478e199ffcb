//! Shared by the protocol tests (`protocol.rs`, `protocol_clock.rs`, `budget.rs`,
//! `pipeline.rs`): the fake implementation (src/bin/fake_iut.rs) launched with a fault's
//! arguments, a run of it over some cases at the suite clock, and the cases themselves.
#![allow(dead_code)] // each test binary uses its own part

use std::path::{Path, PathBuf};
use std::time::Duration;

use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::grade::State;
use jwtc_harness::iut::{self, Launch, Options};
use jwtc_harness::run::Run;
use jwtc_vectors::load::LoadedCase;

/// A case of profile core whose token is `token`, or of `steps` steps whose tokens are
/// `token#0`, `token#1`, ... (every step expects an accept), as the vector model holds it
/// (a test may change its context or network before [`load`]).
pub fn accept_model(id: &str, token: &str, steps: usize) -> jwtc_vectors::model::Case {
    use jwtc_vectors::model::{Case, Expect, Severity, Step, Verdict};
    use serde_json::json;
    let accept = Expect {
        verdict: Verdict::Accept,
        error: None,
        output: None,
        output_match: Default::default(),
    };
    let mut c = Case {
        id: id.into(),
        rule: "core.alg".into(),
        description: format!("case {id}"),
        severity: Severity::Low,
        refs: Vec::new(),
        features: Vec::new(),
        input: Some(json!({ "token": token })),
        context: json!({}),
        network: None,
        max_fetches: None,
        expect: Some(accept.clone()),
        steps: None,
    };
    if steps > 0 {
        c.input = None;
        c.expect = None;
        c.steps = Some(
            (0..steps)
                .map(|i| Step {
                    description: format!("part {}", i + 1),
                    input: json!({ "token": format!("{token}#{i}") }),
                    context: None,
                    expect: accept.clone(),
                })
                .collect(),
        );
    }
    c
}

/// The case loaded as the harness runs it (profile core, no keys).
pub fn load(c: jwtc_vectors::model::Case) -> LoadedCase {
    use jwtc_vectors::keystore::KeyStore;
    LoadedCase::new(
        c,
        "core".into(),
        PathBuf::from("test"),
        &KeyStore::default(),
    )
    .unwrap()
}

/// [`accept_model`], loaded.
pub fn accept_case(id: &str, token: &str, steps: usize) -> LoadedCase {
    load(accept_model(id, token, steps))
}

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
