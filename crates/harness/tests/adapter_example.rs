//! docs/adapter_example.py, the minimal adapter docs/protocol.md shows, runs over the
//! whole suite: every case skipped with its reason, no failure. It needs python3 (the
//! machine has it; the test fails, loudly, where it does not).

use std::path::{Path, PathBuf};

use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::grade::State;
use jwtc_harness::iut::{self, Launch, Options};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_python_example_skips_every_case_with_a_reason() {
    let suite = jwtc_vectors::load::load(&root().join("vectors"))
        .unwrap_or_else(|e| panic!("{}", e.join("\n")));
    let script = root().join("docs/adapter_example.py");
    let launch =
        Launch::argv(&["python3".to_string(), script.display().to_string()], None).unwrap();
    let opts = Options::new(std::env::temp_dir().join(format!(
        "jwtc-example-{}/example.stderr.log",
        std::process::id()
    )));
    let r = iut::run(
        &launch,
        &opts,
        &suite.suite.version,
        suite.suite.now,
        &suite.cases,
        &ExpectedFailures::default(),
    )
    .unwrap_or_else(|e| panic!("python3 docs/adapter_example.py: {e}"));
    assert_eq!(r.implementation, "adapter-example 0.1.0");
    assert_eq!(r.results.len(), suite.cases.len());
    for c in &r.results {
        assert_eq!(c.state, State::Skip, "{}: {}", c.id, c.message);
        assert!(
            c.message.ends_with(
                "skipped: adapter_example.py verifies nothing: fill in verify() with your library"
            ),
            "{}: {}",
            c.id,
            c.message
        );
    }
    assert!(r.ok());
    assert_eq!(r.restarts, 0);
    let log = std::fs::read_to_string(&opts.stderr_log).unwrap();
    let clock = format!("adapter_example: clock {}", suite.suite.now);
    assert!(log.contains(&clock), "{log}");
}
