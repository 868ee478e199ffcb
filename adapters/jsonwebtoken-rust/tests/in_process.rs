//! The jsonwebtoken crate run in process through jwtc-testkit, as its authors could run
//! the suite from their own `cargo test`: the same sessions as the protocol binary, the
//! same expected-failures file, the same grading (`codes: column`, as adapter.json says).

use jwtc_adapter_jsonwebtoken::{Fetcher, Response, Session as Jwt, Verdict, FEATURES};
use jwtc_testkit::{skip, Clock, Implementation, Network, Options, Outcome, Session, Step};

struct Jsonwebtoken;

/// The harness's network behind the adapter's fetcher.
struct Net<'n, 'a>(&'n mut Network<'a>);

impl Fetcher for Net<'_, '_> {
    fn fetch(&mut self, url: &str) -> Result<Response, String> {
        let f = self.0.fetch(url);
        Ok(Response {
            status: f.status.into(),
            body: f.body,
            delay_ms: f.delay_ms,
            error: f.error,
        })
    }
}

struct InProcess(Jwt);

impl Session for InProcess {
    fn step(&mut self, step: &Step, net: &mut Network) -> Outcome {
        let now = u64::try_from(step.now).unwrap_or(0);
        match self.0.step(step.input, step.context, now, &mut Net(net)) {
            Verdict::Accept(output) => Outcome::accept(output),
            Verdict::Reject(r) => Outcome::reject(r.code, r.detail),
            Verdict::Skip(reason) => skip(reason),
            Verdict::Error(detail) => Outcome::error(detail),
        }
    }
}

impl Implementation for Jsonwebtoken {
    fn name(&self) -> String {
        "jsonwebtoken (in process)".into()
    }
    fn session(&self, profile: &str) -> Option<Box<dyn Session>> {
        Some(Box::new(InProcess(Jwt::new(profile)?)))
    }
    fn features(&self) -> Option<Vec<String>> {
        Some(FEATURES.iter().map(|f| f.to_string()).collect())
    }
    /// Its signer sessions mint at `get_current_timestamp()`, as the protocol binary's
    /// hello says.
    fn clock(&self) -> Clock {
        Clock::Wall
    }
}

#[test]
fn jsonwebtoken_conforms_to_its_expected_failures_in_process() {
    let file = if cfg!(feature = "aws_lc_rs") {
        "expected-failures.aws_lc_rs.json"
    } else {
        "expected-failures.json"
    };
    let options = Options {
        expected_failures: Some(format!("{}/{file}", env!("CARGO_MANIFEST_DIR")).into()),
        ..Options::default()
    };
    let report = jwtc_testkit::run(&Jsonwebtoken, &options).expect("the suite loads");
    report.assert_conforms();
}
