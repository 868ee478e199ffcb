//! What `cargo xtask bench` records beside its numbers: the machine, its load, the
//! toolchain and the locked versions of the crates measured, and the size of the claims
//! set every bench token carries (benches/claims.json, the fixture benches/src/lib.rs
//! signs).

use std::path::Path;
use std::process::Command as Process;

use crate::util::Setup;

/// The claims set of every bench token, as benches/src/lib.rs reads it.
const CLAIMS: &str = "benches/claims.json";

/// The load average (1, 5, 15 min), from /proc/loadavg.
pub(super) fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// The CPU model and the number of logical CPUs, from /proc/cpuinfo.
pub(super) fn machine() -> String {
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
pub(super) fn rustc_version() -> String {
    Process::new("rustc")
        .arg("-V")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "rustc (unknown version)".into())
}

/// The locked versions of the crates the numbers depend on, from Cargo.lock.
pub(super) fn locked_versions() -> String {
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

/// The length of the bench claims set as compact JSON (what the tokens carry), for the
/// inputs line; `root` is the workspace root.
pub(super) fn claims_len(root: &Path) -> Result<usize, Setup> {
    let path = root.join(CLAIMS);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Setup(format!("cannot read {}: {e}", path.display())))?;
    let claims: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Setup(format!("{}: not JSON: {e}", path.display())))?;
    Ok(claims.to_string().len())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::util::Setup;

    /// benches/claims.json reads as about 360 bytes of compact JSON (benches/src/lib.rs's
    /// own test bounds it the same way); without it, the error names the file.
    #[test]
    fn the_claims_set_is_read_from_the_fixture() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let len = super::claims_len(&root).unwrap_or_else(|Setup(e)| panic!("{e}"));
        assert!((340..=380).contains(&len), "{len} bytes");
        let Err(Setup(e)) = super::claims_len(&root.join("no-such-dir")) else {
            panic!("a missing fixture is a setup error");
        };
        assert!(
            e.starts_with("cannot read ") && e.contains("benches/claims.json"),
            "{e}"
        );
    }
}
