//! `cargo xtask bench`: runs the criterion benches of `benches/` (`cargo bench -p
//! jwtc-benches --features bench`), reads the median of every bench this run measured
//! (`<target>/criterion/**/new/estimates.json`, written after the run started), and writes
//! docs/performance.md: the machine, the date, the command, a table of medians, and the
//! ratios against the targets of issue 10, each miss with what the same run measured of
//! its cause. Everything after the notes marker of the old file is kept as it was.
//!
//! `measure` runs and reads the measurements, `setting` records the machine and the
//! inputs, `render` writes the page from them.

mod measure;
mod render;
mod setting;

use std::path::{Path, PathBuf};
use std::process::{Command as Process, ExitCode};
use std::time::SystemTime;

use crate::util::{run, say, utc_now, Setup};
use render::Context;

#[derive(clap::Args)]
pub(crate) struct BenchArgs {
    /// A short run for development (criterion: 0.5 s warm-up, 1 s measurement, 20 samples);
    /// the file says so.
    #[arg(long)]
    quick: bool,
    /// Where to write the report.
    #[arg(long, value_name = "PATH", default_value = "docs/performance.md")]
    out: PathBuf,
}

/// Runs the benches and writes the page.
pub(crate) fn bench(args: BenchArgs) -> Result<ExitCode, Setup> {
    let started = SystemTime::now();
    // The inputs line needs the claims set: a missing fixture fails before the long run.
    let claims_len = setting::claims_len(Path::new("."))?;
    let load_before = setting::load_average();
    let target = jwtc_harness::adapter::target_dir(Path::new("."));
    // The adapter for the protocol bench: release, like the bench binaries, and without
    // features, so it verifies with RustCrypto like the in-process bench beside it; and the
    // responder that verifies nothing, for the lockstep's own cost (suite/protocol-null).
    run(
        Process::new("cargo").args([
            "build",
            "--release",
            "--quiet",
            "--package",
            "jwtc-adapter-reference",
            "--package",
            "jwtc-benches",
            "--bin",
            "jwtc-adapter-reference",
            "--example",
            "null_adapter",
        ]),
        "cargo build --release --package jwtc-adapter-reference --package jwtc-benches --bin jwtc-adapter-reference --example null_adapter",
    )?;
    let adapter = target.join("release/jwtc-adapter-reference");
    let timing: &[&str] = if args.quick {
        &[
            "--warm-up-time",
            "0.5",
            "--measurement-time",
            "1",
            "--sample-size",
            "20",
        ]
    } else {
        &["--warm-up-time", "3", "--measurement-time", "5"]
    };
    let mut cmd = Process::new("cargo");
    cmd.args([
        "bench",
        "--quiet",
        "--package",
        "jwtc-benches",
        "--features",
        "bench",
        "--",
    ])
    .args(timing)
    .env("JWTC_BENCH_ADAPTER", &adapter);
    run(
        &mut cmd,
        "cargo bench --package jwtc-benches --features bench",
    )?;
    let load_after = setting::load_average();

    let medians = measure::read_medians(&target.join("criterion"), started)?;
    say("counting instructions under callgrind (load-independent)...\n");
    let instructions = measure::instruction_counts(&target, args.quick);
    say("timing the ratios interleaved (benches/examples/pairs.rs)...\n");
    let paired = measure::paired_ratios(&target, args.quick);
    let command = if args.quick {
        "cargo xtask bench --quick"
    } else {
        "cargo xtask bench"
    };
    let old = std::fs::read_to_string(&args.out).unwrap_or_default();
    let (text, misses) = render::render(
        &medians,
        &instructions,
        &paired,
        &Context {
            command,
            timing: timing.join(" "),
            load_before,
            load_after,
            machine: setting::machine(),
            date: utc_now(),
            rustc: setting::rustc_version(),
            locked: setting::locked_versions(),
            claims_len,
        },
    );
    let text = render::page(text, &old);
    if let Some(dir) = args.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Setup(format!("{}: {e}", dir.display())))?;
    }
    std::fs::write(&args.out, text)
        .map_err(|e| Setup(format!("cannot write {}: {e}", args.out.display())))?;
    say(&format!(
        "{} benches measured; {} written; {} target(s) missed\n",
        medians.len(),
        args.out.display(),
        misses
    ));
    Ok(ExitCode::SUCCESS)
}
