//! The fixed test keys the structured targets sign and verify with, each prepared once per
//! process: parsed key sets (one per crypto backend), the HMAC secret, the signing keys, and
//! a memo of signatures keyed by algorithm and signing input.
//!
//! Why: an RS256 input used to cost an RSA-2048 private-key operation in the coverage-
//! instrumented `rsa` crate (tens of milliseconds) plus the key's JSON parsed again; the
//! targets ran at 51 to 221 execs/s. What is signed here is the *target's* doing, not the
//! code under test, so with the `aws-lc` feature (on in fuzz/Cargo.toml) RS256 is signed
//! with aws-lc (uninstrumented C; PKCS#1 v1.5 is deterministic, so the bytes are the ones
//! the `rsa` crate makes, `tests` below hold them equal). ES256 keeps RustCrypto's RFC 6979
//! signer (deterministic: an input replays to the same token), memoised.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use arbitrary::Arbitrary;
use hmac::{Hmac, Mac};
use p256::ecdsa::signature::Signer;
use serde_json::Value;
use sha2::Sha256;

use jwtc_verifier::crypto::{self, Backend};
use jwtc_verifier::{b64, Key, KeySet};

const HS256_KEY: &str = include_str!("../../../vectors/keys/hs256-a.json");
const P256_KEY: &str = include_str!("../../../vectors/keys/p256-a.json");
/// The RS256 key (`rsa-2048-a`), a private JWK.
pub const RSA_KEY: &str = include_str!("../../../vectors/keys/rsa-2048-a.json");

/// The three algorithms the targets sign with.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignAlg {
    /// HMAC with `hs256-a`.
    HS256,
    /// ECDSA with `p256-a`.
    ES256,
    /// RSA PKCS#1 v1.5 with `rsa-2048-a`.
    RS256,
}

impl SignAlg {
    /// The JOSE name.
    pub fn name(self) -> &'static str {
        match self {
            SignAlg::HS256 => "HS256",
            SignAlg::ES256 => "ES256",
            SignAlg::RS256 => "RS256",
        }
    }
    /// The verifier's algorithm.
    pub fn alg(self) -> jwtc_verifier::Alg {
        match self {
            SignAlg::HS256 => jwtc_verifier::Alg::HS256,
            SignAlg::ES256 => jwtc_verifier::Alg::ES256,
            SignAlg::RS256 => jwtc_verifier::Alg::RS256,
        }
    }
    fn jwk_text(self) -> &'static str {
        match self {
            SignAlg::HS256 => HS256_KEY,
            SignAlg::ES256 => P256_KEY,
            SignAlg::RS256 => RSA_KEY,
        }
    }
}

/// A checked-in test key's JWK.
pub fn jwk(text: &str) -> Value {
    serde_json::from_str(text).expect("a checked-in test key")
}

/// The public half of a checked-in private JWK (the private members removed).
pub fn public_jwk(text: &str) -> Value {
    let mut j = jwk(text);
    if let Some(o) = j.as_object_mut() {
        for m in ["d", "p", "q", "dp", "dq", "qi"] {
            o.remove(m);
        }
    }
    j
}

/// The HMAC secret of `hs256-a`.
pub fn hs_secret() -> &'static [u8] {
    static SECRET: OnceLock<Vec<u8>> = OnceLock::new();
    SECRET.get_or_init(|| b64::decode(jwk(HS256_KEY)["k"].as_str().unwrap()).unwrap())
}

/// The trusted key set for an algorithm the spec signs with, parsed by the process's
/// default backend (aws-lc when built in).
pub fn trusted(alg: SignAlg) -> KeySet {
    trusted_on(alg, crypto::default_backend())
}

/// The trusted key set for `alg`, its key parsed by `backend` (once per process).
pub fn trusted_on(alg: SignAlg, backend: &'static dyn Backend) -> KeySet {
    static SETS: OnceLock<Mutex<HashMap<(SignAlg, &'static str), KeySet>>> = OnceLock::new();
    let mut sets = SETS.get_or_init(Default::default).lock().unwrap();
    sets.entry((alg, backend.name()))
        .or_insert_with(|| {
            crypto::with_backend(backend, || {
                KeySet::new(vec![Key::from_jwk(&public_jwk(alg.jwk_text())).unwrap()]).unwrap()
            })
        })
        .clone()
}

/// Signs `input` with the fixed key of `alg`. RS256 and ES256 signatures are remembered
/// (the last 4096 signing inputs): the fuzzer often keeps a signing input and mutates the
/// signature, the text or the rest of the input.
pub fn sign(alg: SignAlg, input: &[u8]) -> Vec<u8> {
    if alg == SignAlg::HS256 {
        static MAC: OnceLock<Hmac<Sha256>> = OnceLock::new();
        let mut m = MAC
            .get_or_init(|| <Hmac<Sha256> as Mac>::new_from_slice(hs_secret()).unwrap())
            .clone();
        m.update(input);
        return m.finalize().into_bytes().to_vec();
    }
    type Memo = Mutex<HashMap<(SignAlg, Vec<u8>), Vec<u8>>>;
    static MEMO: OnceLock<Memo> = OnceLock::new();
    let memo = MEMO.get_or_init(Default::default);
    let key = (alg, input.to_vec());
    if let Some(sig) = memo.lock().unwrap().get(&key) {
        return sig.clone();
    }
    let sig = if alg == SignAlg::ES256 {
        static P256: OnceLock<p256::ecdsa::SigningKey> = OnceLock::new();
        let sk = P256.get_or_init(|| {
            let d = b64::decode(jwk(P256_KEY)["d"].as_str().unwrap()).unwrap();
            p256::ecdsa::SigningKey::from_slice(&d).unwrap()
        });
        let s: p256::ecdsa::Signature = sk.sign(input);
        s.to_bytes().to_vec()
    } else {
        rs256(input)
    };
    let mut m = memo.lock().unwrap();
    if m.len() >= 4096 {
        m.clear();
    }
    m.insert(key, sig.clone());
    sig
}

/// RS256 with `rsa-2048-a` on aws-lc (uninstrumented C, about a millisecond).
#[cfg(feature = "aws-lc")]
fn rs256(input: &[u8]) -> Vec<u8> {
    use aws_lc_rs::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
    static PAIR: OnceLock<RsaKeyPair> = OnceLock::new();
    let pair = PAIR.get_or_init(|| {
        use rsa::pkcs1::EncodeRsaPrivateKey;
        let der = rsa_private(RSA_KEY).to_pkcs1_der().expect("a PKCS#1 key");
        RsaKeyPair::from_der(der.as_bytes()).expect("aws-lc loads rsa-2048-a")
    });
    let mut sig = vec![0; pair.public_modulus_len()];
    pair.sign(
        &RSA_PKCS1_SHA256,
        &aws_lc_rs::rand::SystemRandom::new(),
        input,
        &mut sig,
    )
    .expect("RS256 signing");
    sig
}

/// RS256 with `rsa-2048-a` on the `rsa` crate (the build without aws-lc: `cargo test`).
#[cfg(not(feature = "aws-lc"))]
fn rs256(input: &[u8]) -> Vec<u8> {
    rs256_rsa_crate(input)
}

#[cfg(any(test, not(feature = "aws-lc")))]
fn rs256_rsa_crate(input: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    rsa_private(RSA_KEY)
        .sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(input))
        .expect("RS256 signing")
}

/// The RSA private key of a checked-in JWK, parsed once per key.
pub fn rsa_private(text: &'static str) -> &'static rsa::RsaPrivateKey {
    static KEYS: OnceLock<Mutex<HashMap<usize, &'static rsa::RsaPrivateKey>>> = OnceLock::new();
    let mut map = KEYS.get_or_init(Default::default).lock().unwrap();
    map.entry(text.as_ptr() as usize).or_insert_with(|| {
        let j = jwk(text);
        let big =
            |m: &str| rsa::BigUint::from_bytes_be(&b64::decode(j[m].as_str().unwrap()).unwrap());
        let k = rsa::RsaPrivateKey::from_components(
            big("n"),
            big("e"),
            big("d"),
            vec![big("p"), big("q")],
        )
        .unwrap();
        Box::leak(Box::new(k))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rs256_is_the_rsa_crates_signature() {
        // With aws-lc built in, `sign` uses it; PKCS#1 v1.5 is deterministic, so both
        // must give the same bytes (and the memo must return them again).
        for input in [&b""[..], b"eyJhbGciOiJSUzI1NiJ9.e30", &[0xa5; 300]] {
            let want = rs256_rsa_crate(input);
            assert_eq!(sign(SignAlg::RS256, input), want);
            assert_eq!(sign(SignAlg::RS256, input), want);
        }
    }

    #[test]
    fn every_signature_verifies_on_every_backend() {
        use jwtc_verifier::jose::{self, Limits, Payload};
        for alg in [SignAlg::HS256, SignAlg::ES256, SignAlg::RS256] {
            let input = format!(
                "{}.{}",
                b64::encode(format!(r#"{{"alg":"{}"}}"#, alg.name())),
                b64::encode("{}")
            );
            let token = format!("{input}.{}", b64::encode(sign(alg, input.as_bytes())));
            let parsed = jose::parse(&token, &Limits::default(), Payload::JsonObject).unwrap();
            for backend in crypto::backends() {
                let keys = trusted_on(alg, backend);
                assert!(
                    jose::verify_signature(&parsed, alg.alg(), &keys).is_ok(),
                    "{} on {}",
                    alg.name(),
                    backend.name()
                );
            }
        }
    }
}
