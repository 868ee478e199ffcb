//! The tests of the page's rendering: made-up measurements, and the lines they must give.

use super::*;
use crate::bench::measure::PAIRED;

fn context() -> Context {
    Context {
        command: "cargo xtask bench",
        timing: "--warm-up-time 3".into(),
        load_before: "0.00 0.00 0.00".into(),
        load_after: "0.00 0.00 0.00".into(),
        machine: "Test CPU, 2 logical CPU(s), 4 GiB memory".into(),
        date: "2026-01-01 12:34 UTC".into(),
        rustc: "rustc 1.85.0".into(),
        locked: "rsa 0.9.10, criterion 0.7.0".into(),
        claims_len: 368,
    }
}

/// The record of the run comes from the context, word for word.
#[test]
fn the_page_records_the_run() {
    let (text, _) = render(
        &BTreeMap::new(),
        &Err("not counted".into()),
        &Err("not timed".into()),
        &context(),
    );
    assert!(
        text.starts_with("# Performance\n\nWritten by `cargo xtask bench`: every number"),
        "{text}"
    );
    for line in [
        "- **Machine**: Test CPU, 2 logical CPU(s), 4 GiB memory\n",
        "- **Date**: 2026-01-01 12:34 UTC\n",
        "- **Command**: `cargo xtask bench` (criterion options `--warm-up-time 3`; `--quick` is for development only)\n",
        "- **Load average** (1, 5, 15 min) at the start: 0.00 0.00 0.00; at the end: 0.00 0.00 0.00 (the machine",
        "- **Build**: `cargo bench` (release profile), rustc 1.85.0; rsa 0.9.10, criterion 0.7.0\n",
        "over the same claims set (`benches/src/lib.rs`, 368 bytes of JSON), the keys",
        "\n## Medians\n\n| alg | what | rustcrypto | aws-lc |\n",
        "\n## Instructions per call (callgrind)\n\nNot counted in this run: not counted.\n",
        "\n## Misses and their measured causes\n",
    ] {
        assert!(text.contains(line), "{line:?} not in {text}");
    }
}

/// The hand-written notes below the marker survive a rewrite; a page without the marker
/// gets an empty notes part.
#[test]
fn the_notes_below_the_marker_are_kept() {
    let old = format!("# Performance\n\nold numbers\n{NOTES_MARKER}\n\n## Notes\n\nKept.\n");
    let text = page("# Performance\n\nnew numbers\n".into(), &old);
    assert_eq!(
        text,
        format!("# Performance\n\nnew numbers\n{NOTES_MARKER}\n\n## Notes\n\nKept.\n")
    );
    assert_eq!(
        page("new\n".into(), "no marker here"),
        format!("new\n{NOTES_MARKER}\n\n")
    );
}

/// The checked-in page splits at its marker and joins back to itself: a run keeps every
/// byte below the marker.
#[test]
fn the_checked_in_notes_survive_a_rewrite() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/performance.md");
    let old = std::fs::read_to_string(path).unwrap();
    let (report, _) = old
        .split_once(NOTES_MARKER)
        .expect("docs/performance.md has the notes marker");
    assert_eq!(page(report.to_string(), &old), old);
}

/// Made-up medians (ns): the targets are judged from them, and each miss is named with
/// the overhead over the primitive and the parse layer's share of it.
#[test]
fn ratios_are_judged_against_the_targets() {
    let mut m = BTreeMap::new();
    for b in BACKENDS {
        m.insert(format!("HS256/raw/{b}"), 500.0);
        m.insert(format!("HS256/reference-core/{b}"), 1_400.0);
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
    m.insert("suite/protocol".into(), 1.25e9);
    let (text, misses) = render(
        &m,
        &Err("not counted".into()),
        &Err("not timed".into()),
        &context(),
    );
    assert_eq!(misses, 1, "{text}");
    assert!(
        text.contains("| HS256 | rustcrypto | 2.80× | ≤ 3.00 | 0.28× | ≤ 0.50 | met |"),
        "{text}"
    );
    assert!(
        text.contains("| RS256 | aws-lc | 1.16× | ≤ 1.05 | 0.88× | < 1.00 | **missed** |"),
        "{text}"
    );
    assert!(
        text.contains("- RS256 on aws-lc: wall time (medians): the reference 22.00 µs, the raw primitive 19.00 µs; the parse layer alone 1.50 µs; jsonwebtoken 25.00 µs."),
        "{text}"
    );
    assert!(
        text.contains(
            "Protocol (pipelined) / in process: 1.25× (target ≤ 1.30×): met; in lockstep: —."
        ),
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
    paired.insert("HS256/aws-lc/reference/raw".into(), 3.2);
    let (text, misses) = render(&m, &Err("not counted".into()), &Ok(paired), &context());
    assert_eq!(misses, 2, "{text}");
    assert!(
        text.contains(
            "| HS256 | aws-lc | 3.20× (2.80×) | ≤ 3.00 | 0.40× (0.28×) | ≤ 0.50 | **missed** |"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "| RS256 | aws-lc | 1.02× (1.16×) | ≤ 1.05 | 0.40× (0.88×) | < 1.00 | met | 0.70× |"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "| RS256 | rustcrypto | 1.12× (1.01×) | ≤ 1.05 | 0.40× (0.97×) | < 1.00 | **missed** |"
        ),
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
