//! The per-case time budget, both ways of running: a case not answered within it is graded
//! over budget (its own state, a failure, with the time spent and the budget in its
//! message), and the next case still runs. In process against sessions that sleep, loop or
//! panic; over the protocol against the fake implementation (src/bin/fake_iut.rs). The
//! budgets are small (200 ms); nothing here depends on the wall clock beyond them.

use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::features::Claimed;
use jwtc_harness::grade::{Codes, State};
use jwtc_harness::outcome::Outcome;
use jwtc_harness::report;
use jwtc_harness::run::{run_sessions_within, Run};
use jwtc_harness::session::Session;
use jwtc_vectors::load::LoadedCase;
use jwtc_verifier::crypto::{self, Backend, DecryptingKey, ParsedKey};

mod common;

const BUDGET: Duration = Duration::from_millis(200);

/// A case of profile core whose token is `token` (`steps` > 0: that many steps).
fn case(id: &str, token: &str, steps: usize) -> LoadedCase {
    common::accept_case(id, token, steps)
}

/// A session that does what its token says: `fast` accepts, `sleep` sleeps an hour,
/// `spin` loops forever, `panic` panics; `fast#0`-style step tokens too.
struct Told;

impl Session for Told {
    fn step(&mut self, input: &Value, _: &Value, _: Option<&Value>, _: i64) -> Outcome {
        let token = input["token"].as_str().unwrap_or_default();
        match token.split('#').next().unwrap_or_default() {
            "sleep" => std::thread::sleep(Duration::from_secs(3600)),
            "spin" => {
                let mut n = 0u64;
                while std::hint::black_box(n) != u64::MAX {
                    n = n.wrapping_add(1) | 1;
                }
            }
            "panic" => panic!("told to panic"),
            // The second step of a scenario `slow-second` sleeps.
            "slow-second" if token.ends_with("#1") => std::thread::sleep(Duration::from_secs(3600)),
            _ => {}
        }
        Outcome::accept(json!({}))
    }
}

fn in_process(cases: &[LoadedCase], known: &ExpectedFailures, budget: Duration) -> Run {
    run_sessions_within(
        "told",
        "test",
        1767225600,
        cases,
        known,
        Codes::Column,
        false,
        &Claimed::all(),
        Some(budget),
        |_| Ok(Box::new(Told) as Box<dyn Session + Send>),
    )
}

#[test]
fn in_process_a_case_over_budget_is_its_own_state_and_the_next_case_runs() {
    // (token, steps, the budget, the state, what the message says); a panic gets a
    // longer budget, for the panic hook's backtrace under RUST_BACKTRACE.
    let long = Duration::from_secs(4);
    let table: [(&str, usize, Duration, State, &str); 6] = [
        ("fast", 0, BUDGET, State::Pass, ""),
        (
            "sleep",
            0,
            BUDGET,
            State::OverBudget,
            "budget 200 ms; no answer yet",
        ),
        (
            "spin",
            0,
            BUDGET,
            State::OverBudget,
            "left the call running on an abandoned thread",
        ),
        (
            "slow-second",
            3,
            BUDGET,
            State::OverBudget,
            "step 2/3 (part 2): over budget: ",
        ),
        (
            "panic",
            0,
            long,
            State::Crash,
            "the session panicked: told to panic",
        ),
        ("fast", 2, BUDGET, State::Pass, ""),
    ];
    for (token, steps, budget, state, says) in table {
        let cases = [
            case("t/b/before", "fast", 0),
            case("t/b/it", token, steps),
            case("t/b/after", "fast", 0),
        ];
        let started = Instant::now();
        let r = in_process(&cases, &ExpectedFailures::default(), budget);
        let states: Vec<State> = r.results.iter().map(|c| c.state).collect();
        assert_eq!(
            states,
            [State::Pass, state, State::Pass],
            "{token}: {:#?}",
            r.results
        );
        let it = &r.results[1];
        assert!(
            it.message.contains(says),
            "{token}: {:?} does not say {says:?}",
            it.message
        );
        assert_eq!(r.ok(), state == State::Pass, "{token}");
        assert!(
            started.elapsed() < budget + Duration::from_secs(3),
            "{token} took {:?}",
            started.elapsed()
        );
        if state == State::OverBudget {
            // The time spent and the budget, in milliseconds: the values that decided it.
            let spent: u64 = it
                .message
                .split("over budget: ")
                .nth(1)
                .and_then(|m| m.split(" ms spent").next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{token}: {:?}", it.message));
            assert!(spent >= 200, "{token}: {spent} ms spent, under the budget");
        }
    }
}

#[test]
fn an_over_budget_case_can_be_listed_as_expected_and_every_report_shows_the_state() {
    let cases = [case("t/b/fast", "fast", 0), case("t/b/slow", "sleep", 0)];
    let r = in_process(&cases, &ExpectedFailures::default(), BUDGET);
    assert!(!r.ok());
    let (_, total) = report::tallies(&r);
    assert_eq!((total.fail, total.over_budget, total.known), (1, 1, 0));
    let shown = [
        ("table", report::table(&r, false), "OVER BUDGET t/b/slow"),
        (
            "json",
            report::json(&r).to_string(),
            r#""state":"over_budget""#,
        ),
        (
            "json total",
            report::json(&r)["total"]["over_budget"].to_string(),
            "1",
        ),
        (
            "markdown",
            report::markdown(&r),
            "| `t/b/slow` | core.alg | over budget | over budget: ",
        ),
        ("junit", report::junit(&r), r#"type="over_budget""#),
        ("html", report::html(&r), "over budget"),
    ];
    for (form, text, says) in shown {
        assert!(
            text.contains(says),
            "{form} does not show {says:?}:\n{text}"
        );
    }
    let known =
        ExpectedFailures::parse(r#"{"t/b/slow": "a DoS the library has: it sleeps"}"#).unwrap();
    let r = in_process(&cases, &known, BUDGET);
    assert!(r.ok(), "a listed over-budget case is a known divergence");
    assert!(
        r.stale.is_empty(),
        "the entry explains the case: {:?}",
        r.stale
    );
    let (_, total) = report::tallies(&r);
    assert_eq!((total.fail, total.over_budget, total.known), (0, 0, 1));
}

#[test]
fn over_the_protocol_the_adapter_is_killed_at_the_budget_and_restarted() {
    // (fault, budget ms, time-out ms, the state): the earlier limit decides.
    let table: [(&[&str], u64, u64, State, &str); 4] = [
        (
            &["--fault", "hang"],
            200,
            5000,
            State::OverBudget,
            "over budget: ",
        ),
        (
            &["--fault", "slow", "--slow-ms", "1500"],
            200,
            5000,
            State::OverBudget,
            "budget 200 ms; no answer yet; the harness killed it",
        ),
        (
            &["--fault", "slow", "--slow-ms", "10"],
            3000,
            5000,
            State::Pass,
            "",
        ),
        (
            &["--fault", "hang"],
            3000,
            300,
            State::Hang,
            "no answer within the time-out",
        ),
    ];
    for (args, budget, timeout, state, says) in table {
        let mut argv = args.to_vec();
        argv.extend(["--on", "it"]);
        let cases = [
            case("t/p/first", "x", 0),
            case("t/p/it", "x", 0),
            case("t/p/last", "x", 0),
        ];
        let mut opts = common::options(&format!("budget-{}-{budget}", args[1]), timeout);
        opts.budget = Some(Duration::from_millis(budget));
        let started = Instant::now();
        let r = common::run(&argv, &cases, &opts).unwrap();
        assert_eq!(
            common::states(&r),
            [State::Skip, state, State::Skip],
            "{args:?}: {:#?}",
            r.results
        );
        assert!(
            r.results[1].message.contains(says),
            "{args:?}: {:?}",
            r.results[1].message
        );
        assert_eq!(r.restarts, usize::from(state != State::Pass), "{args:?}");
        assert_eq!(
            r.results[2].message, "skipped: fake",
            "{args:?}: the run went on"
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{args:?} took {:?}",
            started.elapsed()
        );
    }
}

/// RustCrypto under another name: the backend a run chose, told apart from the default.
#[derive(Debug)]
struct Labelled;

impl Backend for Labelled {
    fn name(&self) -> &'static str {
        "labelled"
    }
    fn hmac_key(&self, secret: &[u8]) -> ParsedKey {
        crypto::RUST_CRYPTO.hmac_key(secret)
    }
    fn rsa_public_key(&self, n: &[u8], e: &[u8]) -> Result<ParsedKey, String> {
        crypto::RUST_CRYPTO.rsa_public_key(n, e)
    }
    fn p256_public_key(&self, x: &[u8], y: &[u8]) -> Result<ParsedKey, String> {
        crypto::RUST_CRYPTO.p256_public_key(x, y)
    }
    fn rsa_decrypting_key(
        &self,
        key: &rsa::RsaPrivateKey,
    ) -> Result<Arc<dyn DecryptingKey>, String> {
        crypto::RUST_CRYPTO.rsa_decrypting_key(key)
    }
}

static LABELLED: Labelled = Labelled;

/// A session that answers with the backend its keys would be parsed by, at every step.
struct SaysBackend;

impl Session for SaysBackend {
    fn step(&mut self, _: &Value, _: &Value, _: Option<&Value>, _: i64) -> Outcome {
        Outcome::accept(json!({ "backend": crypto::backend().name() }))
    }
}

#[test]
fn in_process_sessions_parse_keys_with_the_backend_the_run_was_given() {
    // The worker thread has a backend setting of its own (a thread-local): without the
    // caller's carried over, a run under `with_backend` verified with the default, and
    // the two-backend comparison (tests/backends.rs) compared the default with itself.
    let cases = [case("t/k/one", "fast", 0), case("t/k/two", "fast", 2)];
    let run = |chosen: Option<&'static dyn Backend>| {
        let go = || {
            run_sessions_within(
                "says",
                "test",
                1767225600,
                &cases,
                &ExpectedFailures::default(),
                Codes::Column,
                false,
                &Claimed::all(),
                Some(Duration::from_secs(5)),
                |_| Ok(Box::new(SaysBackend) as Box<dyn Session + Send>),
            )
        };
        let r = match chosen {
            Some(b) => crypto::with_backend(b, go),
            None => go(),
        };
        r.results
            .iter()
            .map(|c| c.got.output.clone())
            .collect::<Vec<_>>()
    };
    let default = crypto::default_backend().name();
    for (chosen, name) in [
        (Some(&LABELLED as &dyn Backend), "labelled"),
        (None, default),
    ] {
        let said = run(chosen);
        assert_eq!(
            said,
            vec![Some(json!({ "backend": name })); 2],
            "run with {name}"
        );
    }
}
