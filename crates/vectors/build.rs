//! With the feature `embedded`, writes `$OUT_DIR/embedded_files.rs`: every file of the
//! suite under the repository's `vectors/` (`.json` and `.pem`; not the interop scripts),
//! as `(relative path, include_bytes!)` pairs sorted by path, so the `jwtc` command carries
//! the suite inside its binary. Without the feature the list is empty. No dependency: a
//! directory walk.

use std::path::{Path, PathBuf};

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let root = manifest.join("../../vectors");
    let mut files = Vec::new();
    if std::env::var_os("CARGO_FEATURE_EMBEDDED").is_some() {
        println!("cargo:rerun-if-changed={}", root.display());
        walk(&root, &root, &mut files);
        files.sort();
        if files.is_empty() {
            panic!(
                "feature `embedded`: no suite files under {} (build jwtc from a clone of the repository)",
                root.display()
            );
        }
    }
    let mut text = String::from("&[\n");
    for rel in &files {
        let abs = root.join(rel);
        println!("cargo:rerun-if-changed={}", abs.display());
        text.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?}) as &[u8]),\n",
            abs.display().to_string()
        ));
    }
    text.push_str("]\n");
    std::fs::write(out.join("embedded_files.rs"), text).expect("OUT_DIR is writable");
}

/// Every `.json` and `.pem` file under `dir`, as `/`-separated paths relative to `root`;
/// `interop/scripts/` (the scripts that mint the interop fixtures) is left out.
fn walk(root: &Path, dir: &Path, files: &mut Vec<String>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .path();
        let rel = path
            .strip_prefix(root)
            .expect("under root")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if path.is_dir() {
            if rel != "interop/scripts" {
                println!("cargo:rerun-if-changed={}", path.display());
                walk(root, &path, files);
            }
        } else if rel.ends_with(".json") || rel.ends_with(".pem") {
            files.push(rel);
        }
    }
}
