//! `cargo xtask conformance`: `jwtc run` (`jwtc::run`, crates/cli) with the repository's
//! defaults: the suite's own vectors/ with every check, the reference's expected failures
//! (adapters/reference/) in process, `--impl NAME` a folder of adapters/, the
//! implementation's stderr under the target directory in use. Also the protocol run
//! `cargo xtask matrix` repeats for each row, and the errata check it shares.
//!
//! Paths on the command line are from the shell's directory (xtask itself runs from the
//! workspace root). `--vectors DIR` other than the suite's own vectors/ is loaded as a
//! user's folder (docs/vectors.md), and only the expected failures named for it apply.

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use jwtc::exit::Failure;
use jwtc::run::{Defaults, RunArgs};
use jwtc_harness::adapter::target_dir;
use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::iut::Launch;
use jwtc_harness::run::Run;
use jwtc_vectors::errata::Errata;
use jwtc_vectors::load;

use crate::util::{Setup, Shell, OWN_VECTORS};

/// The flags of `jwtc run`; `--impl` takes the name of a folder of adapters/ (NAME or
/// NAME:VARIANT).
#[derive(clap::Args)]
pub(crate) struct ConformanceArgs {
    #[command(flatten)]
    run: RunArgs,
}

pub(crate) fn conformance(args: ConformanceArgs, shell: &Shell) -> Result<ExitCode, Setup> {
    let mut run = args.run;
    let resolve = |p: Option<std::path::PathBuf>, flag: &str| -> Result<_, Setup> {
        p.map(|p| shell.resolve(&p, flag)).transpose()
    };
    run.baseline = resolve(run.baseline, "--baseline")?;
    run.out = resolve(run.out, "--out")?;
    run.expected_failures = resolve(run.expected_failures, "--expected-failures")?;
    run.vectors = resolve(run.vectors, "--vectors")?;
    run.log_dir = resolve(run.log_dir, "--log-dir")?;
    if let Some(name) = run.implementation.take() {
        if name.contains(['/', '\\']) || name.starts_with('.') {
            return Err(Setup(format!(
                "--impl {name:?} is not an adapter name: give the name of a folder under adapters (or NAME:VARIANT)"
            )));
        }
        run.implementation = Some(format!("adapters/{name}"));
    }
    let defaults = Defaults {
        vectors: Some(OWN_VECTORS.into()),
        reference_expected: Some("adapters/reference/expected-failures.json".into()),
        log_dir: target_dir(Path::new(".")).join("jwtc"),
    };
    jwtc::run::run_with(run, &defaults).map_err(|Failure::Usage(msg)| Setup(msg))
}

/// The suite's errata (`<vectors>/errata.json`), each checked to name a case of the suite.
pub(crate) fn load_errata(vectors: &Path, cases: &[load::LoadedCase]) -> Result<Errata, Setup> {
    jwtc::suite::errata(Some(vectors), cases).map_err(|Failure::Usage(msg)| Setup(msg))
}

/// Runs `cases` over the protocol against the implementation `launch` starts, with the
/// time-out and the per-case budget `limits`; its stderr
/// goes to jwtc/<log_name>.stderr.log under the target directory in use
/// (`$CARGO_TARGET_DIR`, else the workspace's `target/`).
pub(crate) fn run_protocol(
    launch: &Launch,
    codes: jwtc_harness::grade::Codes,
    log_name: &str,
    limits: (Duration, Duration),
    suite: &jwtc_vectors::model::Suite,
    cases: &[load::LoadedCase],
    known: &ExpectedFailures,
) -> Result<Run, Setup> {
    let log = target_dir(Path::new(".")).join(format!("jwtc/{log_name}.stderr.log"));
    jwtc::run::run_protocol(launch, codes, &log, limits, suite, cases, known)
        .map_err(|Failure::Usage(msg)| Setup(msg))
}
