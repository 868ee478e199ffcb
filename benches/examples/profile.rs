//! Runs one bench body N times, for a profiler: instruction counts under callgrind do not
//! depend on what else the machine runs, where criterion's wall times do.
//!
//! ```sh
//! cargo build --release -p jwtc-benches --features bench --example profile
//! valgrind --tool=callgrind target/release/examples/profile core RS256 aws-lc 2000
//! ```
//!
//! `WHAT` is `parse` or `core`; `ALG` HS256, RS256 or ES256; `BACKEND` rustcrypto or aws-lc.
//! With N = 0 only the setup runs: subtract its count to get the loop's, then divide by N.

use std::hint::black_box;

use jwtc_benches as fx;
use jwtc_verifier::crypto;
use jwtc_verifier::jose::{self, Limits, Payload};
use jwtc_verifier::Alg;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [what, alg, backend, n] = args.as_slice() else {
        eprintln!("usage: profile parse|core HS256|RS256|ES256 rustcrypto|aws-lc N");
        std::process::exit(2);
    };
    let alg = Alg::parse(alg).expect("HS256, RS256 or ES256");
    let backend = crypto::by_name(backend).expect("rustcrypto or aws-lc");
    let n: u64 = n.parse().expect("a count");
    crypto::with_backend(backend, || {
        let t = fx::token(alg);
        let (keys, policy) = fx::core(alg);
        for _ in 0..n {
            match what.as_str() {
                "parse" => {
                    black_box(
                        jose::parse(black_box(&t.token), &Limits::default(), Payload::JsonObject)
                            .unwrap(),
                    );
                }
                "core" => fx::verify_core(black_box(&t.token), &keys, &policy).unwrap(),
                other => panic!("{other}: parse or core"),
            }
        }
    });
}
