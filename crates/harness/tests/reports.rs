//! The reports of a small fixed run over the protocol (the fake implementation of
//! src/bin/fake_iut.rs), pinned by snapshots in tests/snapshots/reports__*.snap: the
//! terminal table (colour off) and the JSON, Markdown, JUnit and HTML reports of one run
//! holding a pass, a fail, a known divergence, a skip, a hang, a crash, an erratum and
//! cases not claimed. The run's clock is the one thing it does not fix: the time and
//! rate are replaced through insta's filters (text) and redactions (JSON); the timing
//! line's own wording is pinned apart with a fixed clock.

use serde_json::json;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::iut::{self, Launch, Options};
use jwtc_harness::report;
use jwtc_harness::run::Run;
use jwtc_vectors::errata::Errata;
use jwtc_vectors::keystore::KeyStore;
use jwtc_vectors::load::LoadedCase;
use jwtc_vectors::model::{Case, Expect, Severity, Verdict};

const FAKE: &str = env!("CARGO_BIN_EXE_jwtc-fake-iut");

/// A one-step case. The fake accepts it when its id contains "accept", hangs when it
/// contains "hang", exits with code 3 when it contains "crash", else skips it.
fn case(
    profile: &str,
    id: &str,
    rule: &str,
    severity: Severity,
    verdict: Verdict,
    features: &[&str],
) -> LoadedCase {
    let c = Case {
        id: id.into(),
        rule: rule.into(),
        description: format!("case {id}"),
        severity,
        refs: Vec::new(),
        features: features.iter().map(|f| f.to_string()).collect(),
        input: Some(json!({"token": id})),
        context: json!({}),
        network: None,
        max_fetches: None,
        expect: Some(Expect {
            verdict,
            error: None,
            output: None,
            output_match: Default::default(),
        }),
        steps: None,
    };
    LoadedCase::new(
        c,
        profile.into(),
        PathBuf::from("test"),
        &KeyStore::default(),
    )
    .unwrap()
}

/// The run every snapshot of this file is made from, run once.
fn small_run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        use Severity::*;
        use Verdict::*;
        let cases = [
            case("core", "core/alg/accept-ok", "core.alg", Low, Accept, &[]),
            case("core", "core/alg/accept-none", "core.alg", Critical, Reject, &[]),
            case("core", "core/keys/accept-listed", "core.keys", High, Reject, &[]),
            case("core", "core/keys/skipped", "core.keys", Low, Accept, &[]),
            case("core", "core/exp/hang-forever", "core.exp", Medium, Reject, &[]),
            case("core", "core/exp/crash-at-once", "core.exp", Low, Accept, &[]),
            case("pendo", "pendo/nonce/accept", "pendo.nonce", High, Reject, &[]),
            case(
                "jws",
                "wycheproof/jws/tc1-accept",
                "external.wycheproof-jws",
                Low,
                Reject,
                &["jws-payload"],
            ),
            case(
                "jws",
                "wycheproof/jws/tc2-accept",
                "external.wycheproof-jws",
                Low,
                Accept,
                &["jws-payload", "es512"],
            ),
        ];
        let known = ExpectedFailures::parse(r#"{"core/keys/accept-listed": "takes any key"}"#)
            .unwrap()
            .with_errata(
                Errata::parse(
                    r#"{"errata": [{"case": "wycheproof/jws/tc1-accept", "upstream": "up#1", "reason": "mislabelled"}]}"#,
                )
                .unwrap(),
            );
        let argv: Vec<String> = [
            FAKE,
            "--fault",
            "echo",
            "--on",
            "accept",
            "--fault-on",
            "hang:hang",
            "--fault-on",
            "crash:crash",
            "--profiles",
            "core,jws",
            "--features",
            "jws-payload,jwks-fetch",
        ]
        .map(str::to_owned)
        .to_vec();
        let mut opts = Options::new(std::env::temp_dir().join(format!(
            "jwtc-reports-{}/fake.stderr.log",
            std::process::id()
        )));
        // Long enough that a loaded machine never turns an answer into a hang; the one hang
        // costs it once.
        opts.timeout = Duration::from_secs(2);
        // The hang stays a hang: no budget (tests/budget.rs shows over budget in each form).
        opts.budget = None;
        iut::run(
            &Launch::argv(&argv, None).unwrap(),
            &opts,
            "test",
            1767225600,
            &cases,
            &known,
        )
        .unwrap()
    })
}

/// insta's settings for the text forms: the wall time and the rate replaced (`[wall]`,
/// `[rate]`), the only parts of a report that differ between two runs.
fn text_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(
        r"in \d+\.\d{3} s \((\d+(\.\d+)?|-) cases/s\)",
        "in [wall] s ([rate] cases/s)",
    );
    s
}

#[test]
fn table() {
    let run = small_run();
    text_settings().bind(|| insta::assert_snapshot!("table", report::table(run, false)));
}

#[test]
fn timing_line_with_a_pinned_clock() {
    let mut run = small_run().clone();
    run.wall = Duration::from_millis(12_345);
    insta::assert_snapshot!("timing_pinned_clock", report::timing(&run));
}

#[test]
fn json() {
    insta::assert_json_snapshot!("json", report::json(small_run()), {
        ".wall_seconds" => "[wall]",
        ".cases_per_second" => "[rate]",
    });
}

#[test]
fn markdown() {
    let run = small_run();
    text_settings().bind(|| insta::assert_snapshot!("markdown", report::markdown(run)));
}

#[test]
fn junit() {
    insta::assert_snapshot!("junit", report::junit(small_run()));
}

#[test]
fn html() {
    let run = small_run();
    text_settings().bind(|| insta::assert_snapshot!("html", report::html(run)));
}
