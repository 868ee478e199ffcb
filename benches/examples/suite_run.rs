//! Runs the whole suite once, as one iteration of a `suite/*` bench does, for callgrind:
//! where the time of the protocol rows goes, counted in instructions (which do not move
//! with the machine's load), on both sides of the pipe at once.
//!
//! ```sh
//! cargo build --release -p jwtc-benches --example suite_run --example null_adapter -p jwtc-adapter-reference
//! valgrind --tool=callgrind --trace-children=yes target/release/examples/suite_run protocol target/release/jwtc-adapter-reference
//! valgrind --tool=callgrind target/release/examples/suite_run in-process
//! ```
//!
//! `MODE`: `in-process` (`run_reference` on RustCrypto), `protocol` or `lockstep` (the
//! program named next, pipelined or not). With `--trace-children=yes` callgrind writes one
//! file for the harness and one for the adapter. The adapter is built without features, so
//! both sides verify with RustCrypto, as in the bench.

use std::path::PathBuf;

use jwtc_benches as fx;
use jwtc_harness::grade::Codes;
use jwtc_harness::iut::{self, Launch, Options};
use jwtc_harness::run;
use jwtc_verifier::crypto;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (loaded, known) = fx::suite();
    let (version, now, cases) = (&loaded.suite.version, loaded.suite.now, &loaded.cases);
    // As a bench iteration times it: the adapter's start and exit included.
    let timed = std::time::Instant::now();
    let r = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["in-process"] => crypto::with_backend(&crypto::RUST_CRYPTO, || {
            run::run_reference(version, now, cases, &known)
        }),
        [mode @ ("protocol" | "lockstep"), program] => {
            let launch = Launch {
                program: PathBuf::from(program).display().to_string(),
                args: Vec::new(),
                cwd: None,
                shown: (*program).to_owned(),
            };
            let mut opts = Options::new(std::env::temp_dir().join("jwtc-suite-run.stderr.log"));
            opts.codes = Codes::Required;
            opts.pipeline = *mode == "protocol";
            // Under valgrind everything is some fifty times slower: no case is over budget.
            opts.budget = None;
            opts.timeout = std::time::Duration::from_secs(600);
            iut::run(&launch, &opts, version, now, cases, &known).expect("the adapter runs")
        }
        _ => {
            eprintln!("usage: suite_run in-process | protocol PROGRAM | lockstep PROGRAM");
            std::process::exit(2);
        }
    };
    let total = timed.elapsed();
    let failed = r.results.iter().filter(|c| c.is_unexpected()).count();
    println!(
        "{}: {} cases, {failed} unexpected, {} restarts, {:.1} ms ({:.1} ms with the start)",
        r.implementation,
        r.results.len(),
        r.restarts,
        r.wall.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3
    );
}
