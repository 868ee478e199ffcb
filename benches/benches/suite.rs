//! The harness: the whole suite (every vector file) through the reference verifier in
//! process, and over the JSON Lines protocol through `adapters/reference` (one process for
//! the run, started by each iteration). Both on the RustCrypto backend: the adapter is built
//! without features (`cargo xtask bench` builds it in release and names it in
//! `JWTC_BENCH_ADAPTER`). Criterion ids: `suite/in-process`, `suite/protocol` (pipelined: the
//! adapter's hello offers it), `suite/protocol-lockstep` (the same run with one step in
//! flight), `suite/protocol-null` (a responder that verifies nothing). The harness's own
//! side (the grading, which verifies a signer's mints and a proxy's assertions) runs on
//! RustCrypto too, in every row: the bench binary has aws-lc built in, the process default.

use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};

use jwtc_benches as fx;
use jwtc_harness::grade::Codes;
use jwtc_harness::iut::{self, Launch, Options};
use jwtc_harness::run;
use jwtc_verifier::crypto;

fn suite(c: &mut Criterion) {
    // With the suite's errata, as every run of the suite grades (cargo xtask conformance).
    let (loaded, known) = fx::suite();
    let root = fx::root();
    let (version, now, cases) = (&loaded.suite.version, loaded.suite.now, &loaded.cases);

    let mut g = c.benchmark_group("suite");
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.bench_function("in-process", |b| {
        b.iter(|| {
            let r = crypto::with_backend(&crypto::RUST_CRYPTO, || {
                run::run_reference(version, now, cases, &known)
            });
            assert!(r.ok(), "the reference fails in process: {}", unexpected(&r));
        })
    });

    let adapter = std::env::var_os("JWTC_BENCH_ADAPTER")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            jwtc_harness::adapter::target_dir(&root).join("release/jwtc-adapter-reference")
        });
    if !adapter.is_file() {
        eprintln!(
            "suite/protocol skipped: no adapter binary at {} (cargo xtask bench builds it)",
            adapter.display()
        );
        return;
    }
    let launch = Launch {
        program: adapter.display().to_string(),
        args: Vec::new(),
        cwd: None,
        shown: "adapters/reference (release)".into(),
    };
    let mut opts = Options::new(std::env::temp_dir().join("jwtc-bench-adapter.stderr.log"));
    opts.codes = Codes::Required;
    g.bench_function("protocol", |b| {
        b.iter(|| {
            let r = crypto::with_backend(&crypto::RUST_CRYPTO, || {
                iut::run(&launch, &opts, version, now, cases, &known)
            })
            .expect("the adapter runs");
            assert!(
                r.ok(),
                "the reference fails over the protocol: {}",
                unexpected(&r)
            );
        })
    });
    // The same in lockstep (the adapter's `"pipeline": true` not taken up): one step in
    // flight, as an adapter without it runs.
    let lockstep = Options {
        pipeline: false,
        ..opts.clone()
    };
    g.bench_function("protocol-lockstep", |b| {
        b.iter(|| {
            let r = crypto::with_backend(&crypto::RUST_CRYPTO, || {
                iut::run(&launch, &lockstep, version, now, cases, &known)
            })
            .expect("the adapter runs");
            assert!(
                r.ok(),
                "the reference fails over the protocol: {}",
                unexpected(&r)
            );
        })
    });

    // The exchange alone: the same run through a responder that verifies nothing.
    let null = jwtc_harness::adapter::target_dir(&root).join("release/examples/null_adapter");
    if !null.is_file() {
        eprintln!(
            "suite/protocol-null skipped: no responder at {} (cargo xtask bench builds it)",
            null.display()
        );
        return;
    }
    let launch = Launch {
        program: null.display().to_string(),
        args: Vec::new(),
        cwd: None,
        shown: "benches/examples/null_adapter (release)".into(),
    };
    g.bench_function("protocol-null", |b| {
        b.iter(|| {
            let r = crypto::with_backend(&crypto::RUST_CRYPTO, || {
                iut::run(&launch, &opts, version, now, cases, &known)
            })
            .expect("the responder runs");
            assert_eq!(r.restarts, 0, "the null responder restarted");
        })
    });
    g.finish();
}

/// The cases a run did not end as expected, with their messages.
fn unexpected(r: &run::Run) -> String {
    r.results
        .iter()
        .filter(|c| c.is_unexpected())
        .map(|c| format!("{} ({}): {}", c.id, c.state.as_str(), c.message))
        .collect::<Vec<_>>()
        .join("; ")
}

criterion_group!(benches, suite);
criterion_main!(benches);
