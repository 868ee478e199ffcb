//! `jsonwebtoken::decode` on the bench tokens, as its documentation suggests: one
//! `DecodingKey` made once from the public key's components and reused, a `Validation` for
//! the one algorithm with the bench issuer, claims into `serde_json::Value` (the reference
//! returns a JSON map too). jsonwebtoken takes its crypto backend from a process-wide
//! provider that can be installed once, hence one bench binary per backend.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};

use jwtc_benches as fx;
use jwtc_verifier::{b64, Alg};

fn member(name: &str, m: &str) -> String {
    fx::jwk(name)[m].as_str().expect("a JWK member").to_owned()
}

/// Benches `decode` for HS256, RS256 and ES256 under the ids `<ALG>/jsonwebtoken/<backend>`.
pub fn bench(c: &mut Criterion, backend: &str) {
    for (alg, lib_alg) in [
        (Alg::HS256, Algorithm::HS256),
        (Alg::RS256, Algorithm::RS256),
        (Alg::ES256, Algorithm::ES256),
    ] {
        let t = fx::token(alg);
        let key = match alg {
            Alg::HS256 => {
                DecodingKey::from_secret(&b64::decode(&member(fx::HMAC_KEY, "k")).unwrap())
            }
            Alg::RS256 => DecodingKey::from_rsa_components(
                &member(fx::RSA_KEY, "n"),
                &member(fx::RSA_KEY, "e"),
            )
            .unwrap(),
            _ => DecodingKey::from_ec_components(
                &member(fx::P256_KEY, "x"),
                &member(fx::P256_KEY, "y"),
            )
            .unwrap(),
        };
        let mut validation = Validation::new(lib_alg);
        // The reference's `core` profile checks exp and nbf and accepts any aud; do the same.
        validation.validate_nbf = true;
        validation.validate_aud = false;
        validation.leeway = 0;
        // Once outside the loop: the token must be accepted.
        jsonwebtoken::decode::<serde_json::Value>(&t.token, &key, &validation)
            .unwrap_or_else(|e| panic!("jsonwebtoken ({backend}) refuses the {alg} token: {e}"));
        let mut g = c.benchmark_group(alg.name());
        g.bench_function(BenchmarkId::new("jsonwebtoken", backend), |b| {
            b.iter(|| {
                jsonwebtoken::decode::<serde_json::Value>(black_box(&t.token), &key, &validation)
                    .unwrap()
            })
        });
        g.finish();
    }
}
