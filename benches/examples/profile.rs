//! Runs one bench body N times, for callgrind: instruction counts do not depend on what
//! else the machine runs, where criterion's wall times do. `cargo xtask bench` runs it
//! under `valgrind --tool=callgrind` with N and with 0 (the setup alone) and divides the
//! difference by N.
//!
//! ```sh
//! cargo build --release -p jwtc-benches --features bench --example profile
//! valgrind --tool=callgrind target/release/examples/profile core RS256 aws-lc 200
//! ```
//!
//! `WHAT`: `raw` (the primitive), `core` (the reference, profile `core`), `jsonwebtoken`
//! or `parse` (the parse layer alone); `ALG`: HS256, RS256 or ES256; `BACKEND`:
//! `rustcrypto` or `aws-lc`.

use std::hint::black_box;

use jwtc_benches as fx;
use jwtc_verifier::crypto;
use jwtc_verifier::jose::{self, Limits, Payload};
use jwtc_verifier::Alg;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [what, alg, backend, n] = args.as_slice() else {
        eprintln!(
            "usage: profile raw|core|jsonwebtoken|parse HS256|RS256|ES256 rustcrypto|aws-lc N"
        );
        std::process::exit(2);
    };
    let alg = Alg::parse(alg).expect("HS256, RS256 or ES256");
    let n: u64 = n.parse().expect("a count");
    let chosen = crypto::by_name(backend).expect("rustcrypto or aws-lc");
    let body: fx::raw::Body = crypto::with_backend(chosen, || match what.as_str() {
        "raw" => fx::raw::primitive(alg, backend),
        "jsonwebtoken" => {
            fx::raw::install_jsonwebtoken(backend);
            fx::raw::jsonwebtoken(alg)
        }
        "core" => {
            let t = fx::token(alg);
            let (keys, policy) = fx::core(alg);
            Box::new(move || fx::verify_core(&t.token, &keys, &policy).is_ok())
        }
        "parse" => {
            let t = fx::token(alg);
            Box::new(move || {
                jose::parse(black_box(&t.token), &Limits::default(), Payload::JsonObject).is_ok()
            })
        }
        other => panic!("{other}: raw, core, jsonwebtoken or parse"),
    });
    // Once in the setup, so that N = 0 pays for every first-call cost too.
    assert!(body(), "{what} {alg} {backend} refuses its token");
    for _ in 0..n {
        assert!(black_box(body()));
    }
}
