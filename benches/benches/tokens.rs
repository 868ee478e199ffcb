//! One token per algorithm, in one run: the raw primitive of each backend (the key parsed
//! once, the signing input and the decoded signature given), the reference verifier (core
//! and each vendor profile that uses the algorithm) on each backend, and the parse layer
//! alone. jsonwebtoken is in `jsonwebtoken_*.rs` (its backend is chosen once per process).
//!
//! Criterion ids: `<ALG>/raw/<backend>`, `<ALG>/reference-<profile>/<backend>`,
//! `parse/<ALG>`; `cargo xtask bench` reads their medians.

use std::hint::black_box;

use aws_lc_rs::{hmac as lc_hmac, signature as lc_sig};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use hmac::Mac;
use p256::ecdsa::signature::Verifier;
use sha2::{Digest, Sha256};

use jwtc_benches as fx;
use jwtc_verifier::crypto::{self, Backend};
use jwtc_verifier::jose::{self, Limits, Payload};
use jwtc_verifier::{b64, Alg};

fn member(name: &str, m: &str) -> Vec<u8> {
    b64::decode(fx::jwk(name)[m].as_str().expect("a JWK member")).expect("base64url")
}

/// The raw primitives: the libraries called directly, each with its key prepared once
/// (an HMAC keyed state, an `rsa::RsaPublicKey`, a `p256` verifying key, aws-lc's
/// `hmac::Key` and `ParsedPublicKey`).
fn raw(c: &mut Criterion) {
    let hs = fx::token(Alg::HS256);
    let mut g = c.benchmark_group("HS256");
    let keyed = hmac::Hmac::<Sha256>::new_from_slice(&member(fx::HMAC_KEY, "k")).unwrap();
    g.bench_function(BenchmarkId::new("raw", "rustcrypto"), |b| {
        b.iter(|| {
            let mut mac = keyed.clone();
            mac.update(black_box(&hs.signing_input));
            mac.verify_slice(black_box(&hs.signature)).unwrap()
        })
    });
    let lc_key = lc_hmac::Key::new(lc_hmac::HMAC_SHA256, &member(fx::HMAC_KEY, "k"));
    g.bench_function(BenchmarkId::new("raw", "aws-lc"), |b| {
        b.iter(|| {
            lc_hmac::verify(
                &lc_key,
                black_box(&hs.signing_input),
                black_box(&hs.signature),
            )
            .unwrap()
        })
    });
    g.finish();

    let rs = fx::token(Alg::RS256);
    let mut g = c.benchmark_group("RS256");
    let (n, e) = (member(fx::RSA_KEY, "n"), member(fx::RSA_KEY, "e"));
    let rc_key = rsa::RsaPublicKey::new(
        rsa::BigUint::from_bytes_be(&n),
        rsa::BigUint::from_bytes_be(&e),
    )
    .unwrap();
    g.bench_function(BenchmarkId::new("raw", "rustcrypto"), |b| {
        b.iter(|| {
            let hashed = Sha256::digest(black_box(&rs.signing_input));
            rc_key
                .verify(
                    rsa::Pkcs1v15Sign::new::<Sha256>(),
                    &hashed,
                    black_box(&rs.signature),
                )
                .unwrap()
        })
    });
    let der = {
        use rsa::pkcs1::EncodeRsaPublicKey;
        rc_key.to_pkcs1_der().unwrap().into_vec()
    };
    let lc_key = lc_sig::ParsedPublicKey::new(&lc_sig::RSA_PKCS1_2048_8192_SHA256, der).unwrap();
    g.bench_function(BenchmarkId::new("raw", "aws-lc"), |b| {
        b.iter(|| {
            lc_key
                .verify_sig(black_box(&rs.signing_input), black_box(&rs.signature))
                .unwrap()
        })
    });
    g.finish();

    let es = fx::token(Alg::ES256);
    let mut g = c.benchmark_group("ES256");
    let (x, y) = (member(fx::P256_KEY, "x"), member(fx::P256_KEY, "y"));
    let point = p256::EncodedPoint::from_affine_coordinates(x[..].into(), y[..].into(), false);
    let rc_key = p256::ecdsa::VerifyingKey::from_encoded_point(&point).unwrap();
    g.bench_function(BenchmarkId::new("raw", "rustcrypto"), |b| {
        b.iter(|| {
            let sig = p256::ecdsa::Signature::from_slice(black_box(&es.signature)).unwrap();
            rc_key.verify(black_box(&es.signing_input), &sig).unwrap()
        })
    });
    let sec1 = [&[4u8][..], &x, &y].concat();
    let lc_key = lc_sig::ParsedPublicKey::new(&lc_sig::ECDSA_P256_SHA256_FIXED, sec1).unwrap();
    g.bench_function(BenchmarkId::new("raw", "aws-lc"), |b| {
        b.iter(|| {
            lc_key
                .verify_sig(black_box(&es.signing_input), black_box(&es.signature))
                .unwrap()
        })
    });
    g.finish();
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
