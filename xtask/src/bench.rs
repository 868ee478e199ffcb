//! `cargo xtask bench`: runs the criterion benches of `benches/` (`cargo bench -p
//! jwtc-benches --features bench`), reads the median of every bench this run measured
//! (`<target>/criterion/**/new/estimates.json`, written after the run started), and writes
//! docs/performance.md: the machine, the date, the command, a table of medians, and the
//! ratios against the targets of issue 10, each miss with what the same run measured of
//! its cause. Everything after the notes marker of the old file is kept as it was.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, ExitCode};
use std::time::SystemTime;

use crate::util::{run, say, utc_now, Setup};

#[derive(clap::Args)]
pub struct BenchArgs {
    /// A short run for development (criterion: 0.5 s warm-up, 1 s measurement, 20 samples);
    /// the file says so.
    #[arg(long)]
    quick: bool,
    /// Where to write the report.
    #[arg(long, value_name = "PATH", default_value = "docs/performance.md")]
    out: PathBuf,
}

/// The line after which docs/performance.md is hand-written and kept by every run.
const NOTES_MARKER: &str = "<!-- notes: everything below this line is written by hand and kept by `cargo xtask bench`; no measured numbers below it -->";

const BACKENDS: [&str; 2] = ["rustcrypto", "aws-lc"];
const ALGS: [&str; 3] = ["HS256", "RS256", "ES256"];

/// The rows of the table for one algorithm: (criterion function id, what it measures).
fn rows(alg: &str) -> Vec<(&'static str, &'static str)> {
    let mut rows = vec![
        ("raw", "raw primitive (key prepared once)"),
        ("reference-core", "reference verifier, profile `core`"),
        (
            "reference-core-map",
            "reference verifier, profile `core`, then every claim built into a map (`claims.to_map()`, what `decode::<Value>` returns)",
        ),
    ];
    match alg {
        "HS256" => rows.push(("reference-pendo", "reference verifier, profile `pendo`")),
        "RS256" => rows.extend([
            ("reference-watson", "reference verifier, profile `watson`"),
            (
                "reference-watson-decrypt",
                "reference verifier, `watson` with a `user_payload` to decrypt (RSA-OAEP)",
            ),
            (
                "reference-coyo",
                "reference verifier, profile `coyo` (built-in key)",
            ),
        ]),
        _ => rows.push((
            "reference-pomerium",
            "reference verifier, profile `pomerium`",
        )),
    }
    rows.push((
        "jsonwebtoken",
        "`jsonwebtoken::decode` 11.1 (DecodingKey made once)",
    ));
    rows
}

pub fn bench(args: BenchArgs) -> Result<ExitCode, Setup> {
    let started = SystemTime::now();
    let load_before = load_average();
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
    let load_after = load_average();

    let medians = read_medians(&target.join("criterion"), started)?;
    say("counting instructions under callgrind (load-independent)...\n");
    let instructions = instruction_counts(&target, args.quick);
    say("timing the ratios interleaved (benches/examples/pairs.rs)...\n");
    let paired = paired_ratios(&target, args.quick);
    let command = if args.quick {
        "cargo xtask bench --quick"
    } else {
        "cargo xtask bench"
    };
    let old = std::fs::read_to_string(&args.out).unwrap_or_default();
    let notes = old
        .split_once(NOTES_MARKER)
        .map(|(_, n)| n.trim_start_matches('\n').to_string())
        .unwrap_or_default();
    let (text, misses) = render(
        &medians,
        &instructions,
        &paired,
        &Context {
            command,
            timing: timing.join(" "),
            load_before,
            load_after,
        },
    );
    let mut text = text;
    text.push_str(NOTES_MARKER);
    text.push_str("\n\n");
    text.push_str(&notes);
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

/// The medians (nanoseconds) of every bench whose estimates were written after `since`, by
/// criterion id (`HS256/raw/aws-lc`, `parse/RS256`, `suite/protocol`).
fn read_medians(dir: &Path, since: SystemTime) -> Result<BTreeMap<String, f64>, Setup> {
    let pattern = format!("{}/**/new/estimates.json", dir.display());
    let mut out = BTreeMap::new();
    for path in glob::glob(&pattern)
        .map_err(|e| Setup(format!("{pattern}: {e}")))?
        .flatten()
    {
        let fresh = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .is_ok_and(|t| t >= since);
        if !fresh {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Setup(format!("{}: {e}", path.display())))?;
        let doc: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| Setup(format!("{}: not JSON: {e}", path.display())))?;
        let median = doc["median"]["point_estimate"].as_f64().ok_or_else(|| {
            Setup(format!(
                "{}: no median.point_estimate (a criterion version this reader does not know)",
                path.display()
            ))
        })?;
        let id = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .parent()
            .and_then(Path::parent)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        out.insert(id, median);
    }
    if out.is_empty() {
        return Err(Setup(format!(
            "no criterion estimates under {} were written by this run",
            dir.display()
        )));
    }
    Ok(out)
}

/// The bodies counted under callgrind: (what, algorithm, backend).
fn counted() -> Vec<(&'static str, &'static str, &'static str)> {
    let mut out = Vec::new();
    for alg in ALGS {
        for what in ["raw", "core", "jsonwebtoken"] {
            for b in BACKENDS {
                out.push((what, alg, b));
            }
        }
        out.push(("parse", alg, "rustcrypto"));
    }
    out
}

/// Builds one example of `benches/` in release, with the bench feature.
fn build_example(name: &str) -> Result<(), String> {
    let status = Process::new("cargo")
        .args([
            "build",
            "--release",
            "--quiet",
            "--package",
            "jwtc-benches",
            "--features",
            "bench",
            "--example",
            name,
        ])
        .status()
        .map_err(|e| format!("cargo build --example {name}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo build --example {name} failed ({status})"))
    }
}

/// Instructions per call of each bench body, by `<ALG>/<what>/<backend>`: the profile
/// example run under `valgrind --tool=callgrind` with N calls and with none, the difference
/// over N. An error says why nothing was counted (no valgrind, a build failure).
fn instruction_counts(target: &Path, quick: bool) -> Result<BTreeMap<String, f64>, String> {
    let valgrind = Process::new("valgrind")
        .arg("--version")
        .output()
        .map_err(|e| format!("valgrind is not installed ({e})"))?;
    if !valgrind.status.success() {
        return Err("valgrind --version failed".into());
    }
    build_example("profile")?;
    let exe = target.join("release/examples/profile");
    let count = |what: &str, alg: &str, backend: &str, n: u64| -> Result<f64, String> {
        let out = Process::new("valgrind")
            .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
            .arg(&exe)
            .args([what, alg, backend, &n.to_string()])
            .output()
            .map_err(|e| format!("valgrind: {e}"))?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() {
            return Err(format!(
                "profile {what} {alg} {backend} {n} failed: {stderr}"
            ));
        }
        stderr
            .lines()
            .find_map(|l| {
                l.split_once("refs:")
                    .map(|(_, v)| v.trim().replace(',', ""))
            })
            .and_then(|v| v.parse::<f64>().ok())
            .ok_or_else(|| format!("no instruction total in valgrind's output: {stderr}"))
    };
    let mut out = BTreeMap::new();
    for (what, alg, backend) in counted() {
        let n: u64 = match (what, alg) {
            ("parse", _) | (_, "HS256") => 1000,
            _ => 100,
        } / if quick { 10 } else { 1 };
        let with = count(what, alg, backend, n)?;
        let without = count(what, alg, backend, 0)?;
        out.insert(
            format!("{alg}/{what}/{backend}"),
            (with - without) / n as f64,
        );
    }
    Ok(out)
}

/// The ratios of issue 10 timed interleaved by the pairs example, one process per backend:
/// by `<ALG>/<backend>/<ratio>` (`reference/raw`, `reference/jsonwebtoken`,
/// `reference-map/jsonwebtoken`). An error says why they were not timed.
fn paired_ratios(target: &Path, quick: bool) -> Result<BTreeMap<String, f64>, String> {
    build_example("pairs")?;
    let rounds = if quick { "11" } else { PAIRED_ROUNDS };
    let mut out = BTreeMap::new();
    for backend in BACKENDS {
        let run = Process::new(target.join("release/examples/pairs"))
            .args([backend, rounds])
            .output()
            .map_err(|e| format!("pairs {backend}: {e}"))?;
        if !run.status.success() {
            return Err(format!(
                "pairs {backend} {rounds} failed ({}): {}",
                run.status,
                String::from_utf8_lossy(&run.stderr).trim()
            ));
        }
        for line in String::from_utf8_lossy(&run.stdout).lines() {
            let v: serde_json::Value = serde_json::from_str(line)
                .map_err(|e| format!("pairs {backend}: not JSON ({e}): {line}"))?;
            let alg = v["alg"]
                .as_str()
                .ok_or_else(|| format!("pairs {backend}: no alg in {line}"))?;
            for ratio in PAIRED {
                let x = v[ratio]
                    .as_f64()
                    .ok_or_else(|| format!("pairs {backend}: no {ratio} in {line}"))?;
                out.insert(format!("{alg}/{backend}/{ratio}"), x);
            }
        }
    }
    Ok(out)
}

/// The ratios the pairs example prints.
const PAIRED: [&str; 3] = [
    "reference/raw",
    "reference/jsonwebtoken",
    "reference-map/jsonwebtoken",
];

/// Rounds of the pairs example (each round times every body for about 20 ms).
const PAIRED_ROUNDS: &str = "41";

struct Context {
    command: &'static str,
    timing: String,
    load_before: String,
    load_after: String,
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// The CPU model and the number of logical CPUs, from /proc/cpuinfo.
fn machine() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = info
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, m)| m.trim().to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let cpus = info.lines().filter(|l| l.starts_with("processor")).count();
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map(|kb| format!(", {:.0} GiB memory", kb / 1024.0 / 1024.0))
        .unwrap_or_default();
    format!("{model}, {cpus} logical CPU(s){memory}")
}

/// `rustc -V`, for the record.
fn rustc_version() -> String {
    Process::new("rustc")
        .arg("-V")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "rustc (unknown version)".into())
}

/// The locked versions of the crates the numbers depend on, from Cargo.lock.
fn locked_versions() -> String {
    let lock = std::fs::read_to_string("Cargo.lock").unwrap_or_default();
    let mut found = Vec::new();
    for name in [
        "rsa",
        "p256",
        "hmac",
        "sha2",
        "aws-lc-rs",
        "aws-lc-sys",
        "jsonwebtoken",
        "serde_json",
        "criterion",
    ] {
        let needle = format!("name = \"{name}\"\nversion = \"");
        for (i, _) in lock.match_indices(&needle) {
            let rest = &lock[i + needle.len()..];
            if let Some(v) = rest.split('"').next() {
                found.push(format!("{name} {v}"));
            }
        }
    }
    found.join(", ")
}

/// Formats nanoseconds in the unit that suits them.
fn time(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.3} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// The report above the notes marker, and the number of missed targets.
fn render(
    m: &BTreeMap<String, f64>,
    instructions: &Result<BTreeMap<String, f64>, String>,
    paired: &Result<BTreeMap<String, f64>, String>,
    ctx: &Context,
) -> (String, usize) {
    let get = |id: String| m.get(&id).copied();
    let mut out = String::new();
    let _ = writeln!(out, "# Performance\n");
    let _ = writeln!(
        out,
        "Written by `{}`: every number in this file above the notes comes from that one run \
         (criterion's medians, the interleaved ratios of `benches/examples/pairs.rs`, \
         callgrind's counts); do not edit them by hand (the next run rewrites this part).\n",
        ctx.command
    );
    let _ = writeln!(out, "- **Machine**: {}", machine());
    let _ = writeln!(out, "- **Date**: {}", utc_now());
    let _ = writeln!(
        out,
        "- **Command**: `{}` (criterion options `{}`; `--quick` is for development only)",
        ctx.command, ctx.timing
    );
    let _ = writeln!(
        out,
        "- **Load average** (1, 5, 15 min) at the start: {}; at the end: {} (the machine is \
         shared: a load near the number of CPUs means other work ran beside the benches)",
        ctx.load_before, ctx.load_after
    );
    let _ = writeln!(
        out,
        "- **Build**: `cargo bench` (release profile), {}; {}",
        rustc_version(),
        locked_versions()
    );
    let _ = writeln!(
        out,
        "- **Inputs**: one token per algorithm over the same claims set (`benches/src/lib.rs`, \
         {} bytes of JSON), the keys of `vectors/keys/` (HS256 `pendo-1`, RS256 `rsa-2048-a`, \
         ES256 `p256-a`), the suite clock for the reference; every bench of one algorithm \
         verifies the same token bytes.\n",
        jwtc_benches_claims_len()
    );

    let _ = writeln!(out, "## Medians\n");
    let _ = writeln!(out, "| alg | what | rustcrypto | aws-lc |");
    let _ = writeln!(out, "|---|---|---:|---:|");
    for alg in ALGS {
        for (id, what) in rows(alg) {
            let cells: Vec<String> = BACKENDS
                .iter()
                .map(|b| get(format!("{alg}/{id}/{b}")).map_or("—".into(), time))
                .collect();
            let _ = writeln!(out, "| {alg} | {what} | {} | {} |", cells[0], cells[1]);
        }
        if let Some(p) = get(format!("parse/{alg}")) {
            let _ = writeln!(
                out,
                "| {alg} | the parse layer alone (`jose::parse`: segments, base64url, strict JSON of header and claims; no crypto) | {} | (same code) |",
                time(p)
            );
        }
    }
    let _ = writeln!(out);

    let _ = writeln!(out, "## Ratios against the targets\n");
    let _ = writeln!(
        out,
        "`reference` is the `core` profile (the generic verifier `jsonwebtoken::decode` \
         compares with); `raw` and `jsonwebtoken` are of the same backend. The verifier parses \
         only the claims its rules read; the last column (not a target) is the reference with \
         every claim then built into a map, as `decode::<Value>` returns them.\n"
    );
    match paired {
        Ok(_) => {
            let _ = writeln!(
                out,
                "Each ratio is timed interleaved (`benches/examples/pairs.rs`, {PAIRED_ROUNDS} \
                 rounds in which every body of the algorithm runs for about 20 ms in turn; the \
                 median of the rounds' ratios): the bodies compared ran within the same tenth \
                 of a second, where the medians above ran minutes apart on a machine whose \
                 speed drifts. The verdict is the interleaved ratio's; in brackets, the ratio \
                 of the medians above.\n"
            );
        }
        Err(why) => {
            let _ = writeln!(
                out,
                "The interleaved timing did not run ({why}): the ratios and verdicts are those \
                 of the medians above, which ran minutes apart.\n"
            );
        }
    }
    let _ = writeln!(
        out,
        "| alg | backend | reference / raw | target | reference / jsonwebtoken | target | verdict | reference with `to_map()` / jsonwebtoken |"
    );
    let _ = writeln!(out, "|---|---|---:|---|---:|---|---|---:|");
    let mut misses = Vec::new();
    for alg in ALGS {
        for b in BACKENDS {
            let reference = get(format!("{alg}/reference-core/{b}"));
            let raw = get(format!("{alg}/raw/{b}"));
            let lib = get(format!("{alg}/jsonwebtoken/{b}"));
            let medians_vs_raw = reference.zip(raw).map(|(r, p)| r / p);
            let medians_vs_lib = reference.zip(lib).map(|(r, l)| r / l);
            let medians_map_vs_lib = get(format!("{alg}/reference-core-map/{b}"))
                .zip(lib)
                .map(|(r, l)| r / l);
            let interleaved = |ratio: &str| match paired {
                Ok(p) => p.get(&format!("{alg}/{b}/{ratio}")).copied(),
                Err(_) => None,
            };
            let (vs_raw, vs_lib, map_vs_lib) = if paired.is_ok() {
                (
                    interleaved("reference/raw"),
                    interleaved("reference/jsonwebtoken"),
                    interleaved("reference-map/jsonwebtoken"),
                )
            } else {
                (medians_vs_raw, medians_vs_lib, medians_map_vs_lib)
            };
            let (raw_target, lib_target, raw_ok, lib_ok) = if alg == "HS256" {
                ("—", "≤ 0.50", true, vs_lib.is_some_and(|x| x <= 0.5))
            } else {
                (
                    "≤ 1.10",
                    "< 1.00",
                    vs_raw.is_some_and(|x| x <= 1.10),
                    vs_lib.is_some_and(|x| x < 1.0),
                )
            };
            let shown = |x: Option<f64>, medians: Option<f64>| {
                let x = x.map_or("—".into(), |x| format!("{x:.2}×"));
                match (paired.is_ok(), medians) {
                    (true, Some(m)) => format!("{x} ({m:.2}×)"),
                    _ => x,
                }
            };
            let verdict = if raw_ok && lib_ok {
                "met"
            } else {
                "**missed**"
            };
            let _ = writeln!(
                out,
                "| {alg} | {b} | {} | {raw_target} | {} | {lib_target} | {verdict} | {} |",
                shown(vs_raw, medians_vs_raw),
                shown(vs_lib, medians_vs_lib),
                shown(map_vs_lib, medians_map_vs_lib)
            );
            if !(raw_ok && lib_ok) {
                let counts = instructions.as_ref().ok();
                let count = |what: &str, backend: &str| {
                    counts.and_then(|c| c.get(&format!("{alg}/{what}/{backend}")).copied())
                };
                misses.push(miss_cause(
                    alg,
                    b,
                    interleaved("reference/raw"),
                    [reference, raw, lib, get(format!("parse/{alg}"))],
                    [
                        count("core", b),
                        count("raw", b),
                        count("jsonwebtoken", b),
                        count("parse", "rustcrypto"),
                    ],
                ));
            }
        }
    }
    let _ = writeln!(out);
    render_instructions(&mut out, instructions);
    let in_process = get("suite/in-process".into());
    let protocol = get("suite/protocol".into());
    let lockstep = get("suite/protocol-null".into());
    let suite_ratio = in_process.zip(protocol).map(|(i, p)| p / i);
    let suite_ok = suite_ratio.is_some_and(|r| r <= 1.5);
    let _ = writeln!(out, "## The harness\n");
    let _ = writeln!(
        out,
        "The whole suite (every vector file) through the reference on the RustCrypto backend, \
         in process (`run_reference`) and over the JSON Lines protocol through \
         `adapters/reference` built in release (one process for the run, its start included).\n"
    );
    let _ = writeln!(out, "| run | median |");
    let _ = writeln!(out, "|---|---:|");
    let _ = writeln!(
        out,
        "| in process | {} |",
        in_process.map_or("—".into(), time)
    );
    let _ = writeln!(
        out,
        "| over the protocol | {} |",
        protocol.map_or("—".into(), time)
    );
    let _ = writeln!(
        out,
        "| over the protocol to a responder that verifies nothing (`benches/examples/null_adapter.rs`: the lockstep exchange alone) | {} |",
        lockstep.map_or("—".into(), time)
    );
    let _ = writeln!(
        out,
        "\nProtocol / in process: {} (target ≤ 1.50×): {}.\n",
        suite_ratio.map_or("—".into(), |r| format!("{r:.2}×")),
        if suite_ok { "met" } else { "**missed**" }
    );
    if !suite_ok {
        let share = in_process
            .zip(protocol)
            .zip(lockstep)
            .map_or("—".into(), |((i, p), l)| {
                format!("{:.0}%", 100.0 * l / (p - i).max(f64::MIN_POSITIVE))
            });
        misses.push(format!(
            "- suite over the protocol: {} against {} in process. The same run over the \
             protocol to a responder that verifies nothing takes {}, {share} of the \
             difference: the lockstep exchange (one request, then its answer, case by case: \
             the harness's JSON, the pipes and the process wake-ups), not the adapter's \
             verification (see the notes).",
            protocol.map_or("—".into(), time),
            in_process.map_or("—".into(), time),
            lockstep.map_or("—".into(), time)
        ));
    }
    let _ = writeln!(out, "## Fuzz targets\n");
    let _ = writeln!(
        out,
        "Not measured by this command: the execs/s of each target (the parser target's \
         target is ≥ 10,000 execs/s single-threaded) come from `cargo xtask fuzz` and are in \
         [docs/fuzzing.md](fuzzing.md).\n"
    );
    let _ = writeln!(out, "## Misses and their measured causes\n");
    if misses.is_empty() {
        let _ = writeln!(out, "None: every target above is met in this run.\n");
    } else {
        for m in &misses {
            let _ = writeln!(out, "{m}");
        }
        let _ = writeln!(out);
    }
    (out, misses.len())
}

/// The load-independent cross-check: instructions per call and the same ratios.
fn render_instructions(out: &mut String, instructions: &Result<BTreeMap<String, f64>, String>) {
    let _ = writeln!(out, "## Instructions per call (callgrind)\n");
    let counts = match instructions {
        Ok(c) => c,
        Err(why) => {
            let _ = writeln!(out, "Not counted in this run: {why}.\n");
            return;
        }
    };
    let _ = writeln!(
        out,
        "The same bodies run under `valgrind --tool=callgrind` by `benches/examples/profile.rs` \
         (N calls minus the setup alone, over N): a count that does not move with the \
         machine's load, so these ratios hold where the wall times above are noisy. \
         Instructions are not time (RSA and ECDSA code runs more instructions per cycle than \
         JSON parsing), and valgrind's virtual CPU offers no SHA extensions, so SHA-2 (HMAC, \
         and the digest in every signature) runs its portable code here and counts more than \
         it costs natively: the verdicts above stay those of the wall times.\n"
    );
    let _ = writeln!(
        out,
        "| alg | backend | raw | reference (`core`) | jsonwebtoken | parse layer | reference / raw | reference / jsonwebtoken |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|");
    let k = |n: Option<&f64>| n.map_or("—".into(), |v| format!("{:.1} k", v / 1e3));
    for alg in ALGS {
        for b in BACKENDS {
            let raw = counts.get(&format!("{alg}/raw/{b}"));
            let core = counts.get(&format!("{alg}/core/{b}"));
            let lib = counts.get(&format!("{alg}/jsonwebtoken/{b}"));
            let parse = counts.get(&format!("{alg}/parse/rustcrypto"));
            let ratio = |a: Option<&f64>, b: Option<&f64>| {
                a.zip(b)
                    .map_or("—".into(), |(a, b)| format!("{:.2}×", a / b))
            };
            let _ = writeln!(
                out,
                "| {alg} | {b} | {} | {} | {} | {} | {} | {} |",
                k(raw),
                k(core),
                k(lib),
                k(parse),
                ratio(core, raw),
                ratio(core, lib)
            );
        }
    }
    let _ = writeln!(out);
}

/// What the same run measured of a miss's cause: the reference's time over the primitive
/// and the parse layer's share of it, in wall time and in instructions; each value is
/// `[reference, raw, jsonwebtoken, parse layer]`.
fn miss_cause(
    alg: &str,
    backend: &str,
    interleaved: Option<f64>,
    wall: [Option<f64>; 4],
    count: [Option<f64>; 4],
) -> String {
    let mut s = format!("- {alg} on {backend}:");
    let [reference, raw, lib, parse] = wall;
    match (reference, raw) {
        (Some(r), Some(p)) => {
            let _ = write!(
                s,
                " wall time (medians): the reference {}, the raw primitive {}",
                time(r),
                time(p)
            );
            if let Some(x) = interleaved {
                let _ = write!(
                    s,
                    "; timed interleaved, the reference takes {x:.2}× the primitive's time, \
                     about {} more per token",
                    time((x - 1.0).max(0.0) * p)
                );
            }
            if let Some(x) = parse {
                let _ = write!(s, "; the parse layer alone {}", time(x));
            }
            if let Some(l) = lib {
                let _ = write!(s, "; jsonwebtoken {}", time(l));
            }
            s.push('.');
        }
        _ => s.push_str(" not measured in this run."),
    }
    let [reference, raw, lib, parse] = count;
    if let (Some(r), Some(p)) = (reference, raw) {
        let _ = write!(
            s,
            " Instructions: the reference adds {:.1} k to the primitive's {:.1} k",
            (r - p) / 1e3,
            p / 1e3
        );
        if let Some(x) = parse {
            let _ = write!(
                s,
                ", of which the parse layer alone is {:.1} k ({:.0}%)",
                x / 1e3,
                100.0 * x / (r - p).max(1.0)
            );
        }
        if let Some(l) = lib {
            let _ = write!(s, "; jsonwebtoken runs {:.1} k", l / 1e3);
        }
        s.push('.');
    }
    s
}

/// The length of the bench claims set, for the inputs line.
fn jwtc_benches_claims_len() -> usize {
    jwtc_benches::claims().to_string().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> Context {
        Context {
            command: "cargo xtask bench",
            timing: "--warm-up-time 3".into(),
            load_before: "0.00 0.00 0.00".into(),
            load_after: "0.00 0.00 0.00".into(),
        }
    }

    /// Made-up medians (ns): the targets are judged from them, and each miss is named with
    /// the overhead over the primitive and the parse layer's share of it.
    #[test]
    fn ratios_are_judged_against_the_targets() {
        let mut m = BTreeMap::new();
        for b in BACKENDS {
            m.insert(format!("HS256/raw/{b}"), 500.0);
            m.insert(format!("HS256/reference-core/{b}"), 2_000.0);
            m.insert(format!("HS256/jsonwebtoken/{b}"), 5_000.0);
            m.insert(format!("ES256/raw/{b}"), 60_000.0);
            m.insert(format!("ES256/reference-core/{b}"), 62_000.0);
            m.insert(format!("ES256/jsonwebtoken/{b}"), 70_000.0);
        }
        m.insert("RS256/raw/rustcrypto".into(), 270_000.0);
        m.insert("RS256/reference-core/rustcrypto".into(), 272_000.0);
        m.insert("RS256/jsonwebtoken/rustcrypto".into(), 280_000.0);
        m.insert("RS256/raw/aws-lc".into(), 19_000.0);
        m.insert("RS256/reference-core/aws-lc".into(), 22_000.0);
        m.insert("RS256/jsonwebtoken/aws-lc".into(), 25_000.0);
        m.insert("parse/RS256".into(), 1_500.0);
        m.insert("suite/in-process".into(), 1.0e9);
        m.insert("suite/protocol".into(), 1.4e9);
        let (text, misses) = render(
            &m,
            &Err("not counted".into()),
            &Err("not timed".into()),
            &context(),
        );
        assert_eq!(misses, 1, "{text}");
        assert!(
            text.contains("| HS256 | rustcrypto | 4.00× | — | 0.40× | ≤ 0.50 | met |"),
            "{text}"
        );
        assert!(
            text.contains("| RS256 | aws-lc | 1.16× | ≤ 1.10 | 0.88× | < 1.00 | **missed** |"),
            "{text}"
        );
        assert!(
            text.contains("- RS256 on aws-lc: wall time (medians): the reference 22.00 µs, the raw primitive 19.00 µs; the parse layer alone 1.50 µs; jsonwebtoken 25.00 µs."),
            "{text}"
        );
        assert!(
            text.contains("Protocol / in process: 1.40× (target ≤ 1.50×): met."),
            "{text}"
        );
        assert!(
            text.contains("| RS256 | raw primitive (key prepared once) | 270.00 µs | 19.00 µs |"),
            "{text}"
        );
        assert!(text.contains("The interleaved timing did not run (not timed)"));

        // Interleaved ratios, when timed, decide the verdict; the medians' ratio is shown
        // beside them.
        let mut paired = BTreeMap::new();
        for alg in ALGS {
            for b in BACKENDS {
                for (ratio, x) in PAIRED.iter().zip([1.02, 0.40, 0.70]) {
                    paired.insert(format!("{alg}/{b}/{ratio}"), x);
                }
            }
        }
        paired.insert("RS256/rustcrypto/reference/raw".into(), 1.12);
        let (text, misses) = render(&m, &Err("not counted".into()), &Ok(paired), &context());
        assert_eq!(misses, 1, "{text}");
        assert!(
            text.contains("| RS256 | aws-lc | 1.02× (1.16×) | ≤ 1.10 | 0.40× (0.88×) | < 1.00 | met | 0.70× |"),
            "{text}"
        );
        assert!(
            text.contains("| RS256 | rustcrypto | 1.12× (1.01×) | ≤ 1.10 | 0.40× (0.97×) | < 1.00 | **missed** |"),
            "{text}"
        );
        assert!(
            text.contains("- RS256 on rustcrypto: wall time (medians): the reference 272.00 µs, the raw primitive 270.00 µs; timed interleaved, the reference takes 1.12× the primitive's time, about 32.40 µs more per token;"),
            "{text}"
        );
    }

    #[test]
    fn a_bench_not_measured_is_a_dash_and_a_miss() {
        let mut counts = BTreeMap::new();
        counts.insert("RS256/raw/aws-lc".to_string(), 300_000.0);
        counts.insert("RS256/core/aws-lc".to_string(), 330_000.0);
        let (text, misses) = render(
            &BTreeMap::new(),
            &Ok(counts),
            &Err("not timed".into()),
            &context(),
        );
        assert!(
            text.contains("| RS256 | aws-lc | 300.0 k | 330.0 k | — | — | 1.10× | — |"),
            "{text}"
        );
        assert!(text.contains("| HS256 | raw primitive (key prepared once) | — | — |"));
        assert_eq!(misses, 7, "six (alg, backend) pairs and the suite: {text}");
    }
}
