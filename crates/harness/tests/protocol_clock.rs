//! The hello's `clock` over the protocol: a signer that mints at a fixed time (the fake
//! implementation, src/bin/fake_iut.rs, `--fault sign --mint-at`) graded at the wall clock
//! it claims, read from a fixed clock the test passes (never the real one), or at the suite
//! clock; a bad value is a setup error naming it.

use jwtc_harness::grade::State;
use jwtc_harness::report;
use jwtc_vectors::load::LoadedCase;

mod common;

use common::{options, root, run, states};

/// The suite's signer case `id` (vectors/).
fn signer_case(id: &str) -> LoadedCase {
    let suite = jwtc_vectors::load::load(&root().join("vectors")).unwrap();
    suite.cases.into_iter().find(|c| c.case.id == id).unwrap()
}

fn fixed_wall() -> i64 {
    2_000_000_003
}

fn wall_behind() -> i64 {
    2_000_000_000 - 60
}

#[test]
fn a_wall_clock_signer_is_graded_at_the_time_its_answer_arrived() {
    // A signer that mints at 2000000000 whatever `now` it is given.
    let exp = signer_case("watson/mint/exp-short");
    let args = |clock: Option<&'static str>| {
        let mut a = vec!["--fault", "sign", "--mint-at", "2000000000"];
        if let Some(c) = clock {
            a.extend(["--clock", c]);
        }
        a
    };
    // Wall: graded at the wall time the harness read (a fixed 3 s later): passes, and
    // every report form says which clock.
    let mut opts = options("wall", 5000);
    opts.wall_clock = fixed_wall;
    let wall = run(&args(Some("wall")), std::slice::from_ref(&exp), &opts).unwrap();
    assert_eq!(states(&wall), [State::Pass], "{}", wall.results[0].message);
    assert_eq!(
        wall.results[0].got.at.map(std::num::NonZeroI64::get),
        Some(fixed_wall())
    );
    assert_eq!(wall.clock, jwtc_harness::features::Clock::Wall);
    let said = "signer cases graded at the wall clock (the time each answer arrived, 5 s of slack)";
    assert!(report::table(&wall, false).contains(said));
    assert!(report::markdown(&wall).contains("Signer cases graded at the wall clock"));
    assert!(report::html(&wall).contains(said));
    assert!(report::junit(&wall).contains("signer_clock"));
    assert_eq!(report::json(&wall)["signer_clock"], "wall");
    // The same signer claiming the suite clock: its iat is after the suite's now.
    let suite = run(
        &args(None),
        std::slice::from_ref(&exp),
        &options("suite", 5000),
    )
    .unwrap();
    assert_eq!(states(&suite), [State::Fail]);
    assert!(
        suite.results[0]
            .message
            .contains("iat 2000000000 is after now 1767225600"),
        "{}",
        suite.results[0].message
    );
    assert!(
        report::table(&suite, false).contains("signer cases graded at the suite clock 1767225600")
    );
    // Wall, but the harness's clock a minute behind the mint: more than the slack.
    let mut behind = options("behind", 5000);
    behind.wall_clock = wall_behind;
    let late = run(&args(Some("wall")), std::slice::from_ref(&exp), &behind).unwrap();
    assert!(
        late.results[0]
            .message
            .contains("is after the wall clock 1999999940 + 5 s of slack"),
        "{}",
        late.results[0].message
    );
    // "suite" said out loud is the default; anything else is a setup error naming it.
    let said_suite = run(
        &args(Some("suite")),
        std::slice::from_ref(&exp),
        &options("said", 5000),
    )
    .unwrap();
    assert_eq!(said_suite.clock, jwtc_harness::features::Clock::Suite);
    let e = run(&args(Some("sundial")), &[exp], &options("sundial", 2000)).unwrap_err();
    assert!(
        e.contains(
            "answered hello with clock \"sundial\", which is neither \"suite\" nor \"wall\""
        ),
        "{e}"
    );
}
