//! The jsonwebtoken version of this package's Cargo.lock, for the hello's `version`
//! (the workspace adapter's build.rs reads the workspace's lock; this row has its own).

fn main() {
    // Read when the script runs (not baked in at its compile time: see the adapter's build.rs).
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let lock = std::path::Path::new(&dir).join("Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock.display());
    let text = std::fs::read_to_string(&lock).unwrap_or_default();
    let mut version = "unknown".to_owned();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"jsonwebtoken\"" {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|l| l.strip_suffix('"'))
            {
                version = v.to_owned();
            }
        }
    }
    println!("cargo:rustc-env=JWTC_JSONWEBTOKEN_VERSION={version}");
    println!("cargo:rustc-env=JWTC_AWS_LC_RS_VERSION=unused");
}
