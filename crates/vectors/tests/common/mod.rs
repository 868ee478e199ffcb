//! What the vectors crate's test files share: the repository root, and a scratch copy of
//! the suite's fixed parts with one vector file of the test's choosing.

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A scratch copy of the suite's fixed parts, with one vector file of our choosing.
pub fn scratch_suite(name: &str, file: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jwtc-load-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let src = root().join("vectors");
    for sub in ["keys", "schema"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for e in std::fs::read_dir(src.join(sub)).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, dir.join(sub).join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::copy(src.join("suite.json"), dir.join("suite.json")).unwrap();
    std::fs::create_dir_all(dir.join("core")).unwrap();
    std::fs::write(dir.join("core").join(file), text).unwrap();
    dir
}
