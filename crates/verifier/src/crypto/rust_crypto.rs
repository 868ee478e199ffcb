//! The RustCrypto backend: `hmac` + `sha2`, `rsa` 0.9 and `p256` 0.13 (the generation
//! jsonwebtoken 11's `rust_crypto` feature uses), pure Rust. The default build's only backend.
//!
//! RSA decryption here is not constant-time (RUSTSEC-2023-0071, Marvin; no fixed `rsa`
//! release): it always runs blinded, which narrows the timing channel but does not close it
//! (see [`crate::oaep`]).

use std::fmt;
use std::sync::Arc;

use hmac::{Hmac, Mac};
use p256::ecdsa::signature::Verifier as _;
use rsa::rand_core::OsRng;
use sha2::{Sha256, Sha384, Sha512};

use super::{Backend, DecryptingKey, ParsedKey, VerifyingKey};
use crate::alg::Alg;

/// The RustCrypto backend.
#[derive(Debug)]
pub struct RustCrypto;

/// The one RustCrypto backend value.
pub static RUST_CRYPTO: RustCrypto = RustCrypto;

impl Backend for RustCrypto {
    fn name(&self) -> &'static str {
        "rustcrypto"
    }

    fn hmac_key(&self, secret: &[u8]) -> ParsedKey {
        // Keyed once: each verification clones the state after the key block.
        let keyed = "HMAC takes a key of any length";
        ParsedKey::new(HmacKey {
            sha256: Hmac::new_from_slice(secret).expect(keyed),
            sha384: Hmac::new_from_slice(secret).expect(keyed),
            sha512: Hmac::new_from_slice(secret).expect(keyed),
        })
    }

    fn rsa_public_key(&self, n: &[u8], e: &[u8]) -> Result<ParsedKey, String> {
        let key = rsa::RsaPublicKey::new_with_max_size(
            rsa::BigUint::from_bytes_be(n),
            rsa::BigUint::from_bytes_be(e),
            super::MAX_RSA_BITS,
        )
        .map_err(|e| format!("not a usable RSA public key: {e}"))?;
        Ok(ParsedKey::new(RsaKey(key)))
    }

    fn p256_public_key(&self, x: &[u8], y: &[u8]) -> Result<ParsedKey, String> {
        let point = p256::EncodedPoint::from_affine_coordinates(x.into(), y.into(), false);
        let key = p256::ecdsa::VerifyingKey::from_encoded_point(&point)
            .map_err(|_| "(x, y) is not a point on P-256".to_string())?;
        Ok(ParsedKey::new(P256Key(key)))
    }

    fn rsa_decrypting_key(
        &self,
        key: &rsa::RsaPrivateKey,
    ) -> Result<Arc<dyn DecryptingKey>, String> {
        Ok(Arc::new(RsaPrivate(key.clone())))
    }
}

#[derive(Clone)]
struct HmacKey {
    sha256: Hmac<Sha256>,
    sha384: Hmac<Sha384>,
    sha512: Hmac<Sha512>,
}

impl fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("rustcrypto HMAC key (secret not shown)")
    }
}

// rule: core.sig-hs256 — constant-time comparison (Mac::verify_slice); the exact length
// was checked by the caller.
fn mac_matches<M: Mac + Clone>(keyed: &M, msg: &[u8], tag: &[u8]) -> bool {
    let mut mac = keyed.clone();
    mac.update(msg);
    mac.verify_slice(tag).is_ok()
}

impl VerifyingKey for HmacKey {
    fn verify(&self, alg: Alg, msg: &[u8], sig: &[u8]) -> bool {
        match alg {
            Alg::HS256 => mac_matches(&self.sha256, msg, sig),
            Alg::HS384 => mac_matches(&self.sha384, msg, sig),
            Alg::HS512 => mac_matches(&self.sha512, msg, sig),
            _ => false,
        }
    }
}

#[derive(Debug)]
struct RsaKey(rsa::RsaPublicKey);

impl RsaKey {
    // rule: core.sig-rs256 — PKCS#1 v1.5 with the DigestInfo prefix.
    fn pkcs1<D: sha2::Digest + rsa::pkcs8::AssociatedOid>(&self, msg: &[u8], sig: &[u8]) -> bool {
        let hashed = D::digest(msg);
        self.0
            .verify(rsa::Pkcs1v15Sign::new::<D>(), &hashed, sig)
            .is_ok()
    }

    fn pss<D>(&self, msg: &[u8], sig: &[u8]) -> bool
    where
        D: sha2::Digest + sha2::digest::DynDigest + Send + Sync + 'static,
    {
        let hashed = D::digest(msg);
        // RFC 7518 §3.5: the salt is as long as the hash output.
        let scheme = rsa::Pss::new_with_salt::<D>(<D as sha2::Digest>::output_size());
        self.0.verify(scheme, &hashed, sig).is_ok()
    }
}

impl VerifyingKey for RsaKey {
    fn verify(&self, alg: Alg, msg: &[u8], sig: &[u8]) -> bool {
        match alg {
            Alg::RS256 => self.pkcs1::<Sha256>(msg, sig),
            Alg::RS384 => self.pkcs1::<Sha384>(msg, sig),
            Alg::RS512 => self.pkcs1::<Sha512>(msg, sig),
            Alg::PS256 => self.pss::<Sha256>(msg, sig),
            Alg::PS384 => self.pss::<Sha384>(msg, sig),
            Alg::PS512 => self.pss::<Sha512>(msg, sig),
            _ => false,
        }
    }
}

#[derive(Debug)]
struct P256Key(p256::ecdsa::VerifyingKey);

impl VerifyingKey for P256Key {
    // rule: core.sig-es256 — r‖s; the caller has checked r and s are in [1, n-1].
    fn verify(&self, alg: Alg, msg: &[u8], sig: &[u8]) -> bool {
        if alg != Alg::ES256 {
            return false;
        }
        match p256::ecdsa::Signature::from_slice(sig) {
            Ok(sig) => self.0.verify(msg, &sig).is_ok(),
            Err(_) => false,
        }
    }
}

struct RsaPrivate(rsa::RsaPrivateKey);

impl fmt::Debug for RsaPrivate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("rustcrypto RSA private key (not shown)")
    }
}

impl DecryptingKey for RsaPrivate {
    // Blinded with the operating system's generator: RUSTSEC-2023-0071 (crate::oaep).
    fn decrypt_oaep_sha1(&self, block: &[u8]) -> Option<Vec<u8>> {
        self.0
            .decrypt_blinded(&mut OsRng, rsa::Oaep::new::<sha1::Sha1>(), block)
            .ok()
    }
}
