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

/// What `fuzz/regressions/core_token/float-claim-one-ulp` found (docs/fuzzing.md, "Found"):
/// the verifier's JSON layer read numbers with serde_json's default float parser, which is
/// not correctly rounded, so `3.61431122165222e180` (the shortest text of that f64) came
/// back one unit in the last place low. The workspace now enables serde_json's
/// `float_roundtrip`; these floats, each the shortest text of its f64, must read back
/// exactly, the found one first, then time claims one ulp either side of the suite clock.
#[test]
fn float_claims_are_read_exactly() {
    let now = 1_767_225_600_f64;
    let cases = [
        3.61431122165222e180_f64,
        now,
        f64::from_bits(now.to_bits() + 1),
        f64::from_bits(now.to_bits() - 1),
        0.1,
        1e-300,
        f64::MAX,
        f64::MIN_POSITIVE,
        f64::from_bits(0x000f_ffff_ffff_ffff), // the largest subnormal
        9007199254740993.0,
        1.7976931348623157e308,
        5e-324,
    ];
    for want in cases {
        let text = format!(r#"{{"exp":{}}}"#, serde_json::to_string(&want).unwrap());
        let got = jwtc_verifier::json::parse_value(
            text.as_bytes(),
            jwtc_verifier::json::DEFAULT_MAX_DEPTH,
        )
        .unwrap();
        assert_eq!(got["exp"].as_f64(), Some(want), "read from {text}");
    }
}
