//! The two crypto backends on the whole suite (built only with `--features aws-lc`):
//! every case of every vector file runs through the reference verifier once with keys
//! parsed by aws-lc and once by RustCrypto, and every step's answer must be the same
//! (verdict, error code, output, message, fetches), and so must the grade. With the
//! verifier's `tests/wycheproof_primitives.rs` under the same feature (every Wycheproof
//! primitive case on both backends), this is the differential check of the two crypto
//! stacks that `.ci/run` runs.
#![cfg(feature = "aws-lc")]

use std::path::{Path, PathBuf};

use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::run::{self, Run};
use jwtc_vectors::load::{load, Loaded};
use jwtc_verifier::crypto::{self, Backend};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn suite() -> Loaded {
    load(&root().join("vectors")).unwrap_or_else(|e| panic!("{}", e.join("\n")))
}

fn run_on(backend: &'static dyn Backend, s: &Loaded, known: &ExpectedFailures) -> Run {
    crypto::with_backend(backend, || {
        run::run_reference(&s.suite.version, s.suite.now, &s.cases, known)
    })
}

#[test]
fn both_backends_give_the_same_answer_on_every_vector() {
    let s = suite();
    let known = ExpectedFailures::load(&root().join("adapters/reference/expected-failures.json"))
        .unwrap()
        .with_errata(jwtc_vectors::errata::Errata::load(&root().join("vectors")).unwrap());
    let aws = run_on(&crypto::AWS_LC, &s, &known);
    let rust = run_on(&crypto::RUST_CRYPTO, &s, &known);
    assert_eq!(aws.results.len(), s.cases.len());
    assert_eq!(rust.results.len(), s.cases.len());
    let mut differ = Vec::new();
    for (a, r) in aws.results.iter().zip(&rust.results) {
        assert_eq!(a.id, r.id);
        if a.got != r.got || a.state != r.state || a.code_agrees != r.code_agrees {
            differ.push(format!(
                "{}:\n    aws-lc     {:?} {:?}\n    rustcrypto {:?} {:?}",
                a.id, a.state, a.got, r.state, r.got
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "the backends disagree on {} of {} case(s):\n  {}",
        differ.len(),
        s.cases.len(),
        differ.join("\n  ")
    );
    assert!(aws.ok() && rust.ok(), "a backend fails a vector");
    println!(
        "aws-lc and rustcrypto agree on all {} cases ({} steps); in process: aws-lc {:.3} s, rustcrypto {:.3} s",
        s.cases.len(),
        s.cases.iter().map(|c| c.steps.len()).sum::<usize>(),
        aws.wall.as_secs_f64(),
        rust.wall.as_secs_f64()
    );
}
