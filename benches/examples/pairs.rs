//! The ratios of issue 10 measured interleaved, for `cargo xtask bench`: on a shared
//! virtual machine the speed drifts over the minutes criterion spends between one bench and
//! the next, enough to move a ratio of two sequential medians by 20 % either way. Here the
//! bodies of one algorithm take turns: each round times every body for about 20 ms (the
//! order rotating from round to round), a round's ratio compares bodies measured within
//! the same ~80 ms, and the ratio printed is the median over the rounds.
//!
//! ```sh
//! cargo build --release -p jwtc-benches --features bench --example pairs
//! target/release/examples/pairs rustcrypto 41
//! ```
//!
//! One line of JSON per algorithm: `{"alg", "backend", "rounds", "reference/raw",
//! "reference/jsonwebtoken", "reference-map/jsonwebtoken"}`. One backend per process:
//! jsonwebtoken 11 takes its crypto provider once per process.

use std::hint::black_box;
use std::time::{Duration, Instant};

use jwtc_benches as fx;
use jwtc_verifier::crypto;
use jwtc_verifier::Alg;

/// How long each body runs in one round.
const SLICE: Duration = Duration::from_millis(20);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [backend, rounds] = args.as_slice() else {
        eprintln!("usage: pairs rustcrypto|aws-lc ROUNDS");
        std::process::exit(2);
    };
    let Some(chosen) = crypto::by_name(backend) else {
        eprintln!("pairs: {backend:?} is not a backend (rustcrypto or aws-lc)");
        std::process::exit(2);
    };
    let rounds: usize = match rounds.parse() {
        Ok(n) if n >= 1 => n,
        _ => {
            eprintln!("pairs: ROUNDS must be a count of at least 1, not {rounds:?}");
            std::process::exit(2);
        }
    };
    fx::raw::install_jsonwebtoken(backend);
    for alg in [Alg::HS256, Alg::RS256, Alg::ES256] {
        let bodies: [fx::raw::Body; 4] = crypto::with_backend(chosen, || {
            let t = fx::token(alg);
            let (keys, policy) = fx::core(alg);
            let (t2, keys2, policy2) = (t.clone(), keys.clone(), policy.clone());
            [
                fx::raw::primitive(alg, backend),
                Box::new(move || fx::verify_core(&t.token, &keys, &policy).is_ok()),
                Box::new(move || fx::verify_core_to_map(&t2.token, &keys2, &policy2).is_ok()),
                fx::raw::jsonwebtoken(alg),
            ]
        });
        for (i, body) in bodies.iter().enumerate() {
            assert!(body(), "{alg} {backend}: body {i} refuses its token");
        }
        // Iterations per slice, from one calibration run of each body.
        let counts: Vec<u32> = bodies.iter().map(calibrate).collect();
        let mut per_round: [Vec<f64>; 3] = Default::default();
        for round in 0..rounds {
            let mut ns = [0f64; 4];
            for k in 0..bodies.len() {
                let i = (round + k) % bodies.len();
                ns[i] = time(&bodies[i], counts[i]);
            }
            per_round[0].push(ns[1] / ns[0]);
            per_round[1].push(ns[1] / ns[3]);
            per_round[2].push(ns[2] / ns[3]);
        }
        let [vs_raw, vs_lib, map_vs_lib] = per_round.map(median);
        println!(
            "{}",
            serde_json::json!({
                "alg": alg.name(),
                "backend": backend,
                "rounds": rounds,
                "reference/raw": vs_raw,
                "reference/jsonwebtoken": vs_lib,
                "reference-map/jsonwebtoken": map_vs_lib,
            })
        );
    }
}

/// How many calls of `body` fill one slice.
fn calibrate(body: &fx::raw::Body) -> u32 {
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < SLICE {
        black_box(body());
        n += 1;
    }
    n.max(1)
}

/// Nanoseconds per call over `n` calls.
fn time(body: &fx::raw::Body, n: u32) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        black_box(body());
    }
    start.elapsed().as_nanos() as f64 / f64::from(n)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
