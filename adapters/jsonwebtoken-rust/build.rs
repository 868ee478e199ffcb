//! The versions of jsonwebtoken and aws-lc-rs this binary is built with, from the
//! workspace's Cargo.lock (a Rust program links its library at build time: this is the
//! "version as installed"), for the hello's `version`.

use std::path::Path;

fn main() {
    // CARGO_MANIFEST_DIR read when the script runs, not baked in when it was compiled: a
    // script compiled for another checkout sharing this target dir (a git worktree) would
    // otherwise read that checkout's lock file, or none ("unknown").
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let lock = Path::new(&dir).join("../../Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    let text = std::fs::read_to_string(&lock).unwrap_or_default();
    for (krate, var) in [
        ("jsonwebtoken", "JWTC_JSONWEBTOKEN_VERSION"),
        ("aws-lc-rs", "JWTC_AWS_LC_RS_VERSION"),
    ] {
        println!("cargo:rustc-env={var}={}", locked_version(&text, krate));
    }
}

/// The version of the `[[package]]` named `krate` in Cargo.lock ("unknown" without one).
fn locked_version(lock: &str, krate: &str) -> String {
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{krate}\"") {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|l| l.strip_suffix('"'))
            {
                return v.to_owned();
            }
        }
    }
    "unknown".to_owned()
}
