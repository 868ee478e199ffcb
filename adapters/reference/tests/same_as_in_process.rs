//! Over the protocol, the reference adapter gives what the reference gives in process:
//! the same state, outcome (verdict, code, output, detail, fetches) and message for
//! every case of the suite, so the same table.

use std::path::{Path, PathBuf};
use std::time::Instant;

use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::grade::Codes;
use jwtc_harness::iut::{self, Launch, Options};
use jwtc_harness::{report, run};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_protocol_run_equals_the_in_process_run_case_by_case() {
    let suite = jwtc_vectors::load::load(&root().join("vectors"))
        .unwrap_or_else(|e| panic!("{}", e.join("\n")));
    let known = ExpectedFailures::load(&root().join("adapters/reference/expected-failures.json"))
        .unwrap()
        .with_errata(jwtc_vectors::errata::Errata::load(&root().join("vectors")).unwrap());
    let t = Instant::now();
    let local = run::run_reference(&suite.suite.version, suite.suite.now, &suite.cases, &known);
    let in_process = t.elapsed();
    let launch = Launch::argv(
        &[env!("CARGO_BIN_EXE_jwtc-adapter-reference").to_string()],
        None,
    )
    .unwrap();
    let mut opts = Options::new(std::env::temp_dir().join(format!(
        "jwtc-reference-{}/reference.stderr.log",
        std::process::id()
    )));
    opts.codes = Codes::Required;
    let t = Instant::now();
    let remote = iut::run(
        &launch,
        &opts,
        &suite.suite.version,
        suite.suite.now,
        &suite.cases,
        &known,
    )
    .unwrap();
    let over_protocol = t.elapsed();
    assert_eq!(remote.implementation, "jwtc-reference 0.1.0");
    assert_eq!(remote.restarts, 0);
    assert_eq!(local.results.len(), remote.results.len());
    let mut differ = Vec::new();
    for (a, b) in local.results.iter().zip(&remote.results) {
        assert_eq!(a.id, b.id);
        if (a.state, &a.got, a.code_agrees, &a.message)
            != (b.state, &b.got, b.code_agrees, &b.message)
        {
            differ.push(format!(
                "{}:\n  in process: {} {:?} {}\n  protocol:   {} {:?} {}",
                a.id,
                a.state.as_str(),
                a.got,
                a.message,
                b.state.as_str(),
                b.got,
                b.message
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "{} case(s) differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
    assert_eq!(report::tallies(&local), report::tallies(&remote));
    assert_eq!(local.stale, remote.stale);
    assert!(remote.ok(), "{}", report::table(&remote, false));
    eprintln!(
        "{} cases: in process {:.3} s, over the protocol {:.3} s (ratio {:.2})",
        local.results.len(),
        in_process.as_secs_f64(),
        over_protocol.as_secs_f64(),
        over_protocol.as_secs_f64() / in_process.as_secs_f64()
    );
}
