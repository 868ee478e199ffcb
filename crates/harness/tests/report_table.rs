//! The terminal report of a small fixed run over the protocol (the fake implementation of
//! src/bin/fake_iut.rs), checked by its exact text: the cases wrongly accepted by severity
//! first, counts per profile (only the profiles sent), each profile's rules, then errata,
//! cases not claimed, known divergences, and the timing line with a rate in decimals.

use serde_json::json;
use std::path::PathBuf;
use std::time::Duration;

use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::iut::{self, Launch, Options};
use jwtc_harness::report;
use jwtc_vectors::errata::Errata;
use jwtc_vectors::keystore::KeyStore;
use jwtc_vectors::load::LoadedCase;
use jwtc_vectors::model::{Case, Expect, Severity, Verdict};

const FAKE: &str = env!("CARGO_BIN_EXE_jwtc-fake-iut");

/// A one-step case: the fake accepts it when its id contains "accept", else skips it.
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

#[test]
fn the_table_of_a_small_run_reads_as_written() {
    use Severity::*;
    use Verdict::*;
    let cases = [
        case("core", "core/alg/accept-ok", "core.alg", Low, Accept, &[]),
        case(
            "core",
            "core/alg/accept-none",
            "core.alg",
            Critical,
            Reject,
            &[],
        ),
        case(
            "core",
            "core/keys/accept-listed",
            "core.keys",
            High,
            Reject,
            &[],
        ),
        case("core", "core/keys/skipped", "core.keys", Low, Accept, &[]),
        case(
            "pendo",
            "pendo/nonce/accept",
            "pendo.nonce",
            High,
            Reject,
            &[],
        ),
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
        "--profiles",
        "core,jws",
        "--features",
        "jws-payload,jwks-fetch",
    ]
    .map(str::to_owned)
    .to_vec();
    let opts = Options::new(std::env::temp_dir().join(format!(
        "jwtc-report-table-{}/fake.stderr.log",
        std::process::id()
    )));
    let mut run = iut::run(
        &Launch::argv(&argv, None).unwrap(),
        &opts,
        "test",
        1767225600,
        &cases,
        &known,
    )
    .unwrap();
    // The clock is the one thing a run does not fix: pin it.
    run.wall = Duration::from_millis(12_345);
    let want = "\
wrongly accepted (an accept where the vector says reject): 2
  critical    1  core/alg/accept-none
  high        1  core/keys/accept-listed (known)
  medium      0
  low         0

profile                    cases   pass   fail  known  erratum  not claimed   skip   hang  crash    codes
core                           4      1      1      1        0            0      1      0      0        -
jws                            2      0      0      0        1            1      0      0      0        -
---------------------------------------------------------------------------------------------------------
total                          7      1      1      1        1            2      1      0      0        -
(pendo: 1 case(s), none sent: the implementation does not claim them)

by rule
rule                       cases   pass   fail  known  erratum  not claimed   skip   hang  crash    codes
core
  core.alg                     2      1      1      0        0            0      0      0      0        -
  core.keys                    2      0      0      1        0            0      1      0      0        -
jws
  external.wycheproof-jws      2      0      0      0        1            1      0      0      0        -

1 unexpected failure(s):
  FAIL core/alg/accept-none [core.alg]: expected reject, got accept

1 erratum case(s): the verdict differs from an upstream label listed as wrong in vectors/errata.json:
  wycheproof/jws/tc1-accept [external.wycheproof-jws]: expected reject, got accept (erratum up#1: mislabelled)

3 case(s) graded on the verdict only (their vectors state no error code): core/alg/accept-none, core/keys/accept-listed, wycheproof/jws/tc1-accept

2 case(s) not claimed, not sent:
  1 case(s): not sent: the implementation's hello lists profiles [core, jws], not pendo: pendo/nonce/accept
  1 case(s): not sent: the case needs feature(s) es512, which the implementation does not claim (it claims: jwks-fetch, jws-payload): wycheproof/jws/tc2-accept

1 known divergence(s), listed in expected-failures.json:
  core/keys/accept-listed [core.keys]: expected reject, got accept
    reason: takes any key

fake 0: 7 cases (5 sent) in 12.345 s (0.405 cases/s), 0 restart(s); FAIL
";
    let got = report::table(&run, false);
    assert_eq!(got, want, "\n--- got ---\n{got}");
    // The same grouping in the other forms.
    let doc = report::json(&run);
    assert_eq!(
        doc["wrongly_accepted"],
        json!({"critical": ["core/alg/accept-none"], "high": ["core/keys/accept-listed"], "medium": [], "low": []})
    );
    let profiles: Vec<&str> = doc["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["profile"].as_str().unwrap())
        .collect();
    assert_eq!(profiles, ["core", "jws"]);
    let md = report::markdown(&run);
    assert!(
        md.contains("| critical | 1 | `core/alg/accept-none` |"),
        "{md}"
    );
    assert!(!md.contains("## pendo"), "{md}");
    let html = report::html(&run);
    assert!(html.contains("<h2>jws</h2>") && !html.contains("<h2>pendo</h2>"));
}
