//! `cargo xtask fuzz [TARGET] [--time 60s] [--jobs N] [--seed]`: seed corpora made from
//! the vectors, then run one or all cargo-fuzz targets and print execs/s, coverage and
//! new corpus entries per target.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use crate::util::Setup;

/// The targets, as in fuzz/Cargo.toml (the bodies: crates/fuzz-targets).
pub const TARGETS: [&str; 11] = [
    "parse",
    "keys",
    "core_token",
    "vector_file",
    "differential",
    "pendo_event",
    "watson_token",
    "pomerium_headers",
    "coyo_token",
    "protocol_line",
    "vector_folder",
];

#[derive(clap::Args)]
pub struct FuzzArgs {
    /// One target (default: all).
    target: Option<String>,
    /// How long each target runs, e.g. 60s, 10m.
    #[arg(long, default_value = "60s")]
    time: String,
    /// Parallel jobs per target (libFuzzer -jobs/-workers).
    #[arg(long, default_value_t = 1)]
    jobs: u32,
    /// Only (re)write the seed corpora from the vectors and exit.
    #[arg(long)]
    seed: bool,
    /// Build with a sanitizer (needs nightly for `address`); `none` runs on stable.
    #[arg(long, default_value = "none")]
    sanitizer: String,
}

fn seconds(s: &str) -> Result<u64, Setup> {
    let bad = || {
        Setup(format!(
            "--time {s:?}: expected a number with s, m or h (e.g. 60s, 10m)"
        ))
    };
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = num.parse().map_err(|_| bad())?;
    Ok(match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        _ => return Err(bad()),
    })
}

fn write_seed(dir: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    let path = dir.join(format!("seed-{:016x}", h.finish()));
    if path.exists() {
        return Ok(false);
    }
    std::fs::write(path, bytes).map(|_| true)
}

/// Writes fuzz/corpus/<target>/seed-* from the vectors: tokens for `parse`, keys for
/// `keys`, vector files for `vector_file`, both for `vector_folder`, the answers an implementation would give
/// (as protocol lines) for `protocol_line`. The structured targets start from their own.
pub fn seed() -> Result<usize, Setup> {
    let loaded = jwtc_vectors::load::load(Path::new("vectors")).map_err(|e| Setup(e.join("\n")))?;
    let mut written = 0;
    let mut put = |target: &str, bytes: &[u8]| -> Result<(), Setup> {
        let dir = PathBuf::from("fuzz/corpus").join(target);
        std::fs::create_dir_all(&dir).map_err(|e| Setup(format!("{}: {e}", dir.display())))?;
        written += usize::from(
            write_seed(&dir, bytes).map_err(|e| Setup(format!("{}: {e}", dir.display())))?,
        );
        Ok(())
    };
    for c in &loaded.cases {
        for (i, s) in c.steps.iter().enumerate() {
            let mut answer = serde_json::json!({"type": "result", "id": c.case.id, "step": i,
                "verdict": s.expect.verdict, "error": s.expect.error, "output": s.expect.output});
            answer
                .as_object_mut()
                .expect("an object")
                .retain(|_, v| !v.is_null());
            put("protocol_line", format!("{answer}\n").as_bytes())?;
            if let Some(t) = s.input.get("token").and_then(|t| t.as_str()) {
                put("parse", t.as_bytes())?;
            }
            for k in s
                .context
                .get("keys")
                .and_then(|k| k.as_array())
                .into_iter()
                .flatten()
            {
                put("keys", k.to_string().as_bytes())?;
            }
        }
    }
    for e in std::fs::read_dir("vectors/keys").map_err(|e| Setup(format!("vectors/keys: {e}")))? {
        let p = e.map_err(|e| Setup(e.to_string()))?.path();
        let bytes = std::fs::read(&p).map_err(|e| Setup(format!("{}: {e}", p.display())))?;
        put("keys", &bytes)?;
        put("vector_folder", &bytes)?;
    }
    for dir in std::fs::read_dir("vectors").map_err(|e| Setup(e.to_string()))? {
        let dir = dir.map_err(|e| Setup(e.to_string()))?.path();
        if !dir.is_dir()
            || ["keys", "schema", "external"]
                .iter()
                .any(|n| dir.ends_with(n))
        {
            continue;
        }
        for f in std::fs::read_dir(&dir).map_err(|e| Setup(e.to_string()))? {
            let f = f.map_err(|e| Setup(e.to_string()))?.path();
            if f.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let bytes = std::fs::read(&f).map_err(|e| Setup(format!("{}: {e}", f.display())))?;
            put("vector_file", &bytes)?;
            put("vector_folder", &bytes)?;
        }
    }
    Ok(written)
}

/// What one libFuzzer run reported.
#[derive(Debug, Default)]
struct Stats {
    execs: u64,
    execs_per_sec: u64,
    new_units: u64,
    coverage: u64,
    features: u64,
    crashed: bool,
    build_failed: bool,
}

fn parse_stats(log: &str) -> Stats {
    let mut s = Stats::default();
    for line in log.lines() {
        let num = |key: &str| {
            line.strip_prefix(key)
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        if let Some(v) = num("stat::number_of_executed_units:") {
            s.execs = v;
        } else if let Some(v) = num("stat::average_exec_per_sec:") {
            s.execs_per_sec = v;
        } else if let Some(v) = num("stat::new_units_added:") {
            s.new_units = v;
        }
        if let Some(i) = line.find(" cov: ") {
            let rest = &line[i + 6..];
            s.coverage = rest
                .split_whitespace()
                .next()
                .and_then(|v| v.parse().ok())
                .unwrap_or(s.coverage);
            if let Some(j) = line.find(" ft: ") {
                s.features = line[j + 5..]
                    .split_whitespace()
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(s.features);
            }
        }
        if line.starts_with("error: could not compile") || line.starts_with("error[E") {
            s.build_failed = true;
        }
        if line.contains("ERROR: libFuzzer")
            || line.contains("panicked at")
            || line.starts_with("==") && line.contains("ERROR")
        {
            s.crashed = true;
        }
    }
    s
}

/// Runs the targets.
pub fn fuzz(args: FuzzArgs) -> Result<ExitCode, Setup> {
    let n = seed()?;
    println!("seed corpora: {n} new file(s) under fuzz/corpus/");
    if args.seed {
        return Ok(ExitCode::SUCCESS);
    }
    let secs = seconds(&args.time)?;
    let targets: Vec<&str> = match &args.target {
        Some(t) if TARGETS.contains(&t.as_str()) => {
            vec![TARGETS.iter().copied().find(|x| x == t).unwrap()]
        }
        Some(t) => {
            return Err(Setup(format!(
                "unknown fuzz target {t:?}; targets: {}",
                TARGETS.join(", ")
            )))
        }
        None => TARGETS.to_vec(),
    };
    let have = Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        return Err(Setup(
            "cargo-fuzz is not installed: run `cargo install cargo-fuzz --locked`".into(),
        ));
    }
    let mut rows = Vec::new();
    let mut failed = false;
    for t in targets {
        let corpus = PathBuf::from("fuzz/corpus").join(t);
        std::fs::create_dir_all(&corpus)
            .map_err(|e| Setup(format!("{}: {e}", corpus.display())))?;
        let before = std::fs::read_dir(&corpus).map(|d| d.count()).unwrap_or(0);
        println!("== {t}: {secs} s, {} job(s)", args.jobs);
        let mut cmd = Command::new("cargo");
        cmd.current_dir("fuzz").args([
            "fuzz",
            "run",
            t,
            "--sanitizer",
            &args.sanitizer,
            "--release",
        ]);
        cmd.arg("--")
            .arg(format!("-max_total_time={secs}"))
            .arg("-dict=jose.dict")
            .arg("-print_final_stats=1");
        if args.jobs > 1 {
            cmd.arg(format!("-jobs={}", args.jobs))
                .arg(format!("-workers={}", args.jobs));
        }
        cmd.arg(format!("corpus/{t}"));
        let out = cmd
            .output()
            .map_err(|e| Setup(format!("cannot run cargo fuzz: {e}")))?;
        let log = String::from_utf8_lossy(&out.stderr).into_owned()
            + &String::from_utf8_lossy(&out.stdout);
        let log_path = PathBuf::from("target/fuzz-logs").join(format!("{t}.log"));
        let _ = std::fs::create_dir_all("target/fuzz-logs");
        let _ = std::fs::write(&log_path, &log);
        let mut stats = parse_stats(&log);
        stats.crashed |= !out.status.success() && !stats.build_failed;
        let after = std::fs::read_dir(&corpus).map(|d| d.count()).unwrap_or(0);
        failed |= stats.crashed || stats.build_failed;
        rows.push((t, stats, after.saturating_sub(before), log_path));
    }
    println!(
        "\n{:<14} {:>12} {:>10} {:>8} {:>8} {:>10}  result",
        "target", "execs", "execs/s", "cov", "ft", "new files"
    );
    for (t, s, new_files, log) in &rows {
        println!(
            "{:<14} {:>12} {:>10} {:>8} {:>8} {:>10}  {}",
            t,
            s.execs,
            s.execs_per_sec,
            s.coverage,
            s.features,
            new_files,
            if s.build_failed {
                format!("BUILD FAILED (log: {})", log.display())
            } else if s.crashed {
                format!("CRASH (log: {}; artifacts in fuzz/artifacts/{t}/: minimise with `cargo fuzz tmin` into fuzz/regressions/{t}/)", log.display())
            } else {
                "ok".into()
            }
        );
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_stats() {
        assert_eq!(seconds("60s").ok(), Some(60));
        assert_eq!(seconds("10m").ok(), Some(600));
        assert_eq!(seconds("5").ok(), Some(5));
        assert!(seconds("ten").is_err());
        let s = parse_stats("#1024 pulse  cov: 812 ft: 2048 corp: 40/3Kb\n#99 DONE cov: 900 ft: 2100 corp: 50\nstat::number_of_executed_units: 123456\nstat::average_exec_per_sec:     4115\nstat::new_units_added:          17\n");
        assert_eq!(
            (
                s.execs,
                s.execs_per_sec,
                s.new_units,
                s.coverage,
                s.features,
                s.crashed
            ),
            (123456, 4115, 17, 900, 2100, false)
        );
    }

    #[test]
    fn the_target_list_matches_the_crate() {
        assert_eq!(TARGETS, jwtc_fuzz_targets::TARGETS);
    }
}
