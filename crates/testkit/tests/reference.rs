//! The reference verifier run through the testkit, as a Rust library would run itself:
//! every case of the embedded suite, graded on the error codes too, against the
//! reference's own expected-failures file.

use jwtc_testkit::{Implementation, Network, Options, Outcome, Session, Step};

struct Reference;

struct RefSession(Box<dyn jwtc_harness::session::Session>);

impl Session for RefSession {
    fn step(&mut self, step: &Step, net: &mut Network) -> Outcome {
        self.0.step(step.input, step.context, net.map(), step.now)
    }
}

impl Implementation for Reference {
    fn name(&self) -> String {
        "reference (through jwtc-testkit)".into()
    }
    fn session(&self, profile: &str) -> Option<Box<dyn Session>> {
        let s = jwtc_harness::reference::session(profile)?;
        Some(Box::new(RefSession(s)))
    }
    fn features(&self) -> Option<Vec<String>> {
        jwtc_harness::reference::claimed().list()
    }
}

#[test]
fn the_reference_conforms_through_the_testkit() {
    let options = Options {
        expected_failures: Some(
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../adapters/reference/expected-failures.json"
            )
            .into(),
        ),
        codes_required: true,
        ..Options::default()
    };
    let report = jwtc_testkit::run(&Reference, &options).expect("the suite loads");
    assert_eq!(
        report.run.results.len(),
        jwtc_vectors::embedded::load().unwrap().cases.len()
    );
    report.assert_conforms();
}

/// An implementation that accepts everything fails, and the report says which cases.
#[test]
fn an_accept_everything_library_does_not_conform() {
    struct Yes;
    impl Session for Yes {
        fn step(&mut self, _: &Step, _: &mut Network) -> Outcome {
            Outcome::accept(serde_json::json!({}))
        }
    }
    struct YesLib;
    impl Implementation for YesLib {
        fn name(&self) -> String {
            "yes".into()
        }
        fn session(&self, profile: &str) -> Option<Box<dyn Session>> {
            (profile == "core").then(|| Box::new(Yes) as Box<dyn Session>)
        }
    }
    let options = Options {
        only: Some("core/alg/*".into()),
        ..Options::default()
    };
    let report = jwtc_testkit::run(&YesLib, &options).unwrap();
    assert!(!report.conforms());
    let failed = std::panic::catch_unwind(|| report.assert_conforms()).unwrap_err();
    let text = failed.downcast_ref::<String>().unwrap();
    assert!(text.contains("core/alg/alg-none"), "{text}");
    assert!(jwtc_testkit::run(
        &YesLib,
        &Options {
            only: Some("nothing/*".into()),
            ..Options::default()
        }
    )
    .is_err());
}
