//! One token per algorithm, in one run: the raw primitive of each backend (the key parsed
//! once, the signing input and the decoded signature given), the reference verifier (core
//! and each vendor profile that uses the algorithm) on each backend, and the parse layer
//! alone. jsonwebtoken is in `jsonwebtoken_*.rs` (its backend is chosen once per process).
//!
//! Criterion ids: `<ALG>/raw/<backend>`, `<ALG>/reference-<profile>/<backend>`,
//! `parse/<ALG>`; `cargo xtask bench` reads their medians.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

use jwtc_benches as fx;
use jwtc_verifier::crypto::{self, Backend};
use jwtc_verifier::jose::{self, Limits, Payload};
use jwtc_verifier::Alg;

/// The raw primitives (`jwtc_benches::raw::primitive`): the libraries called directly,
/// each with its key prepared once.
fn raw(c: &mut Criterion) {
    for alg in [Alg::HS256, Alg::RS256, Alg::ES256] {
        let mut g = c.benchmark_group(alg.name());
        for backend in ["rustcrypto", "aws-lc"] {
            let body = fx::raw::primitive(alg, backend);
            assert!(
                body(),
                "the raw {alg} primitive ({backend}) refuses its token"
            );
            g.bench_function(BenchmarkId::new("raw", backend), |b| b.iter(&body));
        }
        g.finish();
    }
}

/// The reference verifier, keys parsed once by each backend, the same tokens.
fn reference(c: &mut Criterion) {
    for backend in crypto::backends() {
        reference_on(c, backend);
    }
}

fn reference_on(c: &mut Criterion, backend: &'static dyn Backend) {
    let name = backend.name();
    crypto::with_backend(backend, || {
        for alg in [Alg::HS256, Alg::RS256, Alg::ES256] {
            let t = fx::token(alg);
            let mut g = c.benchmark_group(alg.name());
            let (keys, policy) = fx::core(alg);
            g.bench_function(BenchmarkId::new("reference-core", name), |b| {
                b.iter(|| fx::verify_core(black_box(&t.token), &keys, &policy).unwrap())
            });
            g.bench_function(BenchmarkId::new("reference-core-map", name), |b| {
                b.iter(|| fx::verify_core_to_map(black_box(&t.token), &keys, &policy).unwrap())
            });
            match alg {
                Alg::HS256 => {
                    let (ring, event) = fx::pendo(&t.token);
                    g.bench_function(BenchmarkId::new("reference-pendo", name), |b| {
                        b.iter(|| fx::verify_pendo(black_box(&event), &ring).unwrap())
                    });
                }
                Alg::RS256 => {
                    let watson = fx::watson(false);
                    g.bench_function(BenchmarkId::new("reference-watson", name), |b| {
                        b.iter(|| fx::verify_watson(black_box(&t.token), &watson).unwrap())
                    });
                    let coyo = fx::coyo();
                    g.bench_function(BenchmarkId::new("reference-coyo", name), |b| {
                        b.iter(|| fx::verify_coyo(black_box(&t.token), &coyo).unwrap())
                    });
                    // With a user_payload to decrypt: one RSA-OAEP private-key operation.
                    let with_payload = fx::watson_token_with_payload();
                    let decrypting = fx::watson(true);
                    g.bench_function(BenchmarkId::new("reference-watson-decrypt", name), |b| {
                        b.iter(|| {
                            fx::verify_watson(black_box(&with_payload.token), &decrypting).unwrap()
                        })
                    });
                }
                _ => {
                    let (config, headers) = fx::pomerium(&t.token);
                    g.bench_function(BenchmarkId::new("reference-pomerium", name), |b| {
                        b.iter(|| fx::verify_pomerium(black_box(&headers), &config).unwrap())
                    });
                }
            }
            g.finish();
        }
    });
}

/// The parse layer alone (size, segments, base64url, strict JSON of header and claims,
/// header parameters): what the reference adds before the signature.
fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    for alg in [Alg::HS256, Alg::RS256, Alg::ES256] {
        let t = fx::token(alg);
        g.bench_function(alg.name(), |b| {
            b.iter(|| {
                jose::parse(black_box(&t.token), &Limits::default(), Payload::JsonObject).unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, raw, reference, parse);
criterion_main!(benches);
