//! Every input ever minimised into fuzz/regressions/<target>/ is replayed through the same
//! target body, under plain `cargo test` (stable, no cargo-fuzz needed).

use std::path::Path;

#[test]
fn every_regression_replays() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions");
    let mut replayed = 0;
    for target in jwtc_fuzz_targets::TARGETS {
        let dir = root.join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries {
            let path = e.unwrap().path();
            if path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            {
                continue;
            }
            let data = std::fs::read(&path).unwrap();
            assert!(jwtc_fuzz_targets::run(target, &data));
            replayed += 1;
        }
    }
    // Every target directory exists; an unknown directory is a mistake, not a skip.
    for d in std::fs::read_dir(&root).unwrap() {
        let name = d.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            jwtc_fuzz_targets::TARGETS.contains(&name.as_str())
                || name.starts_with('.')
                || name == "README.md",
            "fuzz/regressions/{name} names no target"
        );
    }
    println!("replayed {replayed} regression input(s)");
}

#[test]
fn every_target_runs_on_small_inputs() {
    for target in jwtc_fuzz_targets::TARGETS {
        for data in [&b""[..], b"\0", b"eyJ.eyJ.AA", &[0xff; 64], &[7u8; 300]] {
            assert!(jwtc_fuzz_targets::run(target, data));
        }
    }
    assert!(!jwtc_fuzz_targets::run("no-such-target", b""));
}
