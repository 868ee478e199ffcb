//! The measuring of `cargo xtask bench`: what is measured (the algorithms, the backends,
//! the interleaved ratios), criterion's medians read back from its estimates, the
//! instructions per call counted under callgrind (benches/examples/profile.rs), and the
//! ratios timed interleaved (benches/examples/pairs.rs).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command as Process;
use std::time::SystemTime;

use crate::util::Setup;

/// The crypto backends every bench runs on.
pub(super) const BACKENDS: [&str; 2] = ["rustcrypto", "aws-lc"];
/// The algorithms of the bench tokens.
pub(super) const ALGS: [&str; 3] = ["HS256", "RS256", "ES256"];

/// The medians (nanoseconds) of every bench whose estimates were written after `since`, by
/// criterion id (`HS256/raw/aws-lc`, `parse/RS256`, `suite/protocol`).
pub(super) fn read_medians(dir: &Path, since: SystemTime) -> Result<BTreeMap<String, f64>, Setup> {
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
pub(super) fn instruction_counts(
    target: &Path,
    quick: bool,
) -> Result<BTreeMap<String, f64>, String> {
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
pub(super) fn paired_ratios(target: &Path, quick: bool) -> Result<BTreeMap<String, f64>, String> {
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
pub(super) const PAIRED: [&str; 3] = [
    "reference/raw",
    "reference/jsonwebtoken",
    "reference-map/jsonwebtoken",
];

/// Rounds of the pairs example (each round times every body for about 20 ms).
pub(super) const PAIRED_ROUNDS: &str = "41";
