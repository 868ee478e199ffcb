//! The signature and decryption primitives behind one small trait, with two backends:
//! [`RUST_CRYPTO`] (pure Rust: the pinned `rsa`, `p256`, `hmac`, `sha2` crates; always built)
//! and [`AWS_LC`] (aws-lc-rs; cargo feature `aws-lc`).
//!
//! A [`Backend`] turns key material that [`crate::keys`] has already validated into its own
//! key types, **once, when the key is loaded**; a [`Key`](crate::Key) keeps the parsed key
//! and every verification reuses it. What is the same for every backend (the exact length of
//! a MAC or signature, ES256's `r` and `s` below the group order, which check failed in the
//! message) stays in [`Material::verify`](crate::keys::Material::verify) and
//! [`crate::oaep`], so both backends give the same verdicts with the same messages;
//! `tests/backends.rs` (verifier and harness) hold them to it on every vector and every
//! Wycheproof primitive case. A key a backend parsed for verification is a [`ParsedKey`],
//! opaque outside the crate: no public path verifies with it but `Material::verify`, which
//! makes those checks first.
//!
//! Direction: `crypto` uses only [`crate::alg`], a leaf (its tests also [`crate::b64`]);
//! [`crate::keys`] and [`crate::oaep`] use `crypto`, never the other way round.
//!
//! # Which backend
//!
//! Keys are parsed by the backend in force on the thread: [`backend()`], the process default
//! ([`default_backend`]: aws-lc when the feature is built in, else RustCrypto) unless
//! [`with_backend`] names another for the length of a closure (the differential tests and
//! the benchmarks). A production verifier that decrypts attacker-supplied ciphertexts (Watson's
//! `user_payload`) should be built with `--features aws-lc`: RustCrypto's RSA decryption is not
//! constant-time (RUSTSEC-2023-0071, no fixed release), aws-lc's is, and aws-lc has a
//! FIPS-validated build.

use std::cell::Cell;
use std::fmt;
use std::sync::Arc;

use crate::alg::Alg;

/// The largest RSA modulus the reference loads (bounds verification cost; the most aws-lc
/// and ring verify with, so both backends refuse the same keys).
pub const MAX_RSA_BITS: usize = 8192;

#[cfg(feature = "aws-lc")]
mod aws_lc;
mod rust_crypto;

#[cfg(feature = "aws-lc")]
pub use aws_lc::{AwsLc, AWS_LC};
pub use rust_crypto::{RustCrypto, RUST_CRYPTO};

/// One implementation of the primitives. Its methods parse validated material into the
/// backend's own key types; the keys then verify or decrypt with no further parsing.
pub trait Backend: Sync + fmt::Debug {
    /// Its short name, as benchmarks and test failures show it (`"rustcrypto"`, `"aws-lc"`).
    fn name(&self) -> &'static str;

    /// An HMAC secret, keyed once for SHA-256, SHA-384 and SHA-512.
    fn hmac_key(&self, secret: &[u8]) -> ParsedKey;

    /// An RSA public key from its big-endian modulus and public exponent, both without
    /// leading zeros, already checked by [`crate::keys`] (size, parity, exponent, ROCA).
    /// The error is the backend's reason for refusing it.
    fn rsa_public_key(&self, n: &[u8], e: &[u8]) -> Result<ParsedKey, String>;

    /// A P-256 public key from its affine coordinates (32 bytes each, big-endian).
    fn p256_public_key(&self, x: &[u8], y: &[u8]) -> Result<ParsedKey, String>;

    /// An RSA private key for OAEP decryption, from the key
    /// [`DecryptionKey`](crate::keys::DecryptionKey) has checked.
    fn rsa_decrypting_key(
        &self,
        key: &rsa::RsaPrivateKey,
    ) -> Result<Arc<dyn DecryptingKey>, String>;
}

/// A public key (or HMAC secret) in a backend's own form, opaque outside the crate: the
/// one way to verify with it is [`Material::verify`](crate::keys::Material::verify), which
/// makes the checks every backend shares first.
#[derive(Clone, Debug)]
pub struct ParsedKey(Arc<dyn VerifyingKey>);

impl ParsedKey {
    /// Wraps a backend's key.
    pub(crate) fn new(key: impl VerifyingKey + 'static) -> ParsedKey {
        ParsedKey(Arc::new(key))
    }

    /// The backend's verdict alone: see [`VerifyingKey::verify`] for what the caller has
    /// checked first.
    pub(crate) fn verify(&self, alg: Alg, msg: &[u8], sig: &[u8]) -> bool {
        self.0.verify(alg, msg, sig)
    }
}

/// What a backend's verifying key does (behind [`ParsedKey`]).
pub(crate) trait VerifyingKey: Send + Sync + fmt::Debug {
    /// Whether `sig` is a valid signature (or MAC) of `msg` under `alg`. The caller has
    /// checked the key family, the signature's exact length and, for ES256, that `r` and `s`
    /// are in range; the backend does the rest, with no further parsing of the key.
    fn verify(&self, alg: Alg, msg: &[u8], sig: &[u8]) -> bool;
}

/// An RSA private key in a backend's own form, for RSA-OAEP with SHA-1, MGF1-SHA-1 and
/// the empty label (the Watson `user_payload` scheme).
pub trait DecryptingKey: Send + Sync + fmt::Debug {
    /// The plaintext of one block of exactly the modulus length, or `None` when it does not
    /// decrypt (which check failed is never told: no padding oracle).
    fn decrypt_oaep_sha1(&self, block: &[u8]) -> Option<Vec<u8>>;
}

/// Every backend built into this binary, the default first.
pub fn backends() -> Vec<&'static dyn Backend> {
    #[cfg(feature = "aws-lc")]
    {
        vec![&AWS_LC, &RUST_CRYPTO]
    }
    #[cfg(not(feature = "aws-lc"))]
    {
        vec![&RUST_CRYPTO]
    }
}

/// The process default: aws-lc when the `aws-lc` feature is built in, else RustCrypto.
pub fn default_backend() -> &'static dyn Backend {
    backends()[0]
}

thread_local! {
    static CHOSEN: Cell<Option<&'static dyn Backend>> = const { Cell::new(None) };
}

/// The backend that parses keys on this thread: the one [`with_backend`] chose, else the
/// default.
pub fn backend() -> &'static dyn Backend {
    CHOSEN.with(Cell::get).unwrap_or_else(default_backend)
}

/// Runs `f` with keys parsed by `chosen` on this thread (restored afterwards, also on a
/// panic). Keys parsed earlier keep the backend that parsed them.
pub fn with_backend<R>(chosen: &'static dyn Backend, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<&'static dyn Backend>);
    impl Drop for Restore {
        fn drop(&mut self) {
            CHOSEN.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(CHOSEN.with(|c| c.replace(Some(chosen))));
    f()
}

/// The backend with this name, if it is built in.
pub fn by_name(name: &str) -> Option<&'static dyn Backend> {
    backends().into_iter().find(|b| b.name() == name)
}

/// `SEQUENCE { INTEGER n, INTEGER e }` (RFC 8017 A.1.1 `RSAPublicKey`) in DER, from
/// big-endian magnitudes without leading zeros (what aws-lc parses an RSA key from).
#[cfg(any(feature = "aws-lc", test))]
pub(crate) fn rsa_public_key_der(n: &[u8], e: &[u8]) -> Vec<u8> {
    fn integer(out: &mut Vec<u8>, magnitude: &[u8]) {
        let pad = magnitude.first().is_none_or(|b| b & 0x80 != 0);
        out.push(0x02);
        length(out, magnitude.len() + usize::from(pad));
        if pad {
            out.push(0);
        }
        out.extend_from_slice(magnitude);
    }
    fn length(out: &mut Vec<u8>, len: usize) {
        if len < 0x80 {
            out.push(len as u8);
        } else {
            let bytes = len.to_be_bytes();
            let skip = bytes.iter().take_while(|&&b| b == 0).count();
            out.push(0x80 | (bytes.len() - skip) as u8);
            out.extend_from_slice(&bytes[skip..]);
        }
    }
    let mut body = Vec::with_capacity(n.len() + e.len() + 12);
    integer(&mut body, n);
    integer(&mut body, e);
    let mut out = Vec::with_capacity(body.len() + 4);
    out.push(0x30);
    length(&mut out, body.len());
    out.extend_from_slice(&body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rsa_public_key_der_matches_the_rsa_crate() {
        use rsa::pkcs1::EncodeRsaPublicKey;
        let jwk: serde_json::Value =
            serde_json::from_str(include_str!("../../../../vectors/keys/rsa-2048-a.json")).unwrap();
        let member = |m: &str| crate::b64::decode(jwk[m].as_str().unwrap()).unwrap();
        let (n, e) = (member("n"), member("e"));
        let key = rsa::RsaPublicKey::new(
            rsa::BigUint::from_bytes_be(&n),
            rsa::BigUint::from_bytes_be(&e),
        )
        .unwrap();
        assert_eq!(
            rsa_public_key_der(&n, &e),
            key.to_pkcs1_der().unwrap().as_bytes()
        );
    }

    #[test]
    fn with_backend_restores_the_previous_choice() {
        let before = backend().name();
        with_backend(&RUST_CRYPTO, || assert_eq!(backend().name(), "rustcrypto"));
        assert_eq!(backend().name(), before);
        assert_eq!(default_backend().name(), before);
    }
}
