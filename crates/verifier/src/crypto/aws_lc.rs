//! The aws-lc backend (cargo feature `aws-lc`): aws-lc-rs 1.19 (aws-lc-sys 0.47, past the
//! aws-lc advisories RUSTSEC-2026-0044 to -0048), which jsonwebtoken 11.1's `aws_lc_rs`
//! feature also takes (it asks for 1.15.4 or any later 1.x), so a tree holds one aws-lc. Keys are parsed once into
//! aws-lc's own `EVP_PKEY`s ([`ParsedPublicKey`], one per algorithm the key may verify,
//! since aws-lc-rs binds a parsed key to its algorithm) and `hmac::Key`s. RSA decryption is
//! constant-time (blinded, with constant-time big-number code), and aws-lc has a
//! FIPS-validated build: the backend a production verifier should use.

use std::fmt;
use std::sync::Arc;

use aws_lc_rs::hmac;
use aws_lc_rs::rsa::{OaepPrivateDecryptingKey, PrivateDecryptingKey, OAEP_SHA1_MGF1SHA1};
use aws_lc_rs::signature::{self, ParsedPublicKey, RsaParameters};

use super::{Backend, DecryptingKey, ParsedKey, VerifyingKey};
use crate::alg::Alg;

/// The aws-lc backend.
#[derive(Debug)]
pub struct AwsLc;

/// The one aws-lc backend value.
pub static AWS_LC: AwsLc = AwsLc;

/// The RSA algorithms, in the order of [`RsaKey::by_alg`].
const RSA_ALGS: [(Alg, &RsaParameters); 6] = [
    (Alg::RS256, &signature::RSA_PKCS1_2048_8192_SHA256),
    (Alg::RS384, &signature::RSA_PKCS1_2048_8192_SHA384),
    (Alg::RS512, &signature::RSA_PKCS1_2048_8192_SHA512),
    (Alg::PS256, &signature::RSA_PSS_2048_8192_SHA256),
    (Alg::PS384, &signature::RSA_PSS_2048_8192_SHA384),
    (Alg::PS512, &signature::RSA_PSS_2048_8192_SHA512),
];

impl Backend for AwsLc {
    fn name(&self) -> &'static str {
        "aws-lc"
    }

    fn hmac_key(&self, secret: &[u8]) -> ParsedKey {
        ParsedKey::new(HmacKey {
            sha256: hmac::Key::new(hmac::HMAC_SHA256, secret),
            sha384: hmac::Key::new(hmac::HMAC_SHA384, secret),
            sha512: hmac::Key::new(hmac::HMAC_SHA512, secret),
        })
    }

    fn rsa_public_key(&self, n: &[u8], e: &[u8]) -> Result<ParsedKey, String> {
        let der = super::rsa_public_key_der(n, e);
        let mut by_alg = Vec::with_capacity(RSA_ALGS.len());
        for (_, params) in RSA_ALGS {
            let parsed = ParsedPublicKey::new(params, &der)
                .map_err(|e| format!("not a usable RSA public key: {e}"))?;
            by_alg.push(parsed);
        }
        Ok(ParsedKey::new(RsaKey { by_alg }))
    }

    fn p256_public_key(&self, x: &[u8], y: &[u8]) -> Result<ParsedKey, String> {
        let mut sec1 = Vec::with_capacity(65);
        sec1.push(0x04);
        sec1.extend_from_slice(x);
        sec1.extend_from_slice(y);
        let parsed = ParsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, &sec1)
            .map_err(|_| "(x, y) is not a point on P-256".to_string())?;
        Ok(ParsedKey::new(P256Key(parsed)))
    }

    fn rsa_decrypting_key(
        &self,
        key: &rsa::RsaPrivateKey,
    ) -> Result<Arc<dyn DecryptingKey>, String> {
        use rsa::pkcs8::EncodePrivateKey;
        let pkcs8 = key
            .to_pkcs8_der()
            .map_err(|e| format!("cannot encode the private key as PKCS#8: {e}"))?;
        let private = PrivateDecryptingKey::from_pkcs8(pkcs8.as_bytes())
            .map_err(|e| format!("aws-lc refuses the private key: {e}"))?;
        let key = OaepPrivateDecryptingKey::new(private)
            .map_err(|_| "aws-lc refuses the private key for RSA-OAEP".to_string())?;
        Ok(Arc::new(RsaPrivate(key)))
    }
}

struct HmacKey {
    sha256: hmac::Key,
    sha384: hmac::Key,
    sha512: hmac::Key,
}

impl fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("aws-lc HMAC key (secret not shown)")
    }
}

impl VerifyingKey for HmacKey {
    // rule: core.sig-hs256 — hmac::verify compares in constant time.
    fn verify(&self, alg: Alg, msg: &[u8], sig: &[u8]) -> bool {
        let key = match alg {
            Alg::HS256 => &self.sha256,
            Alg::HS384 => &self.sha384,
            Alg::HS512 => &self.sha512,
            _ => return false,
        };
        hmac::verify(key, msg, sig).is_ok()
    }
}

#[derive(Debug)]
struct RsaKey {
    /// The key parsed for each of [`RSA_ALGS`], in that order.
    by_alg: Vec<ParsedPublicKey>,
}

impl VerifyingKey for RsaKey {
    fn verify(&self, alg: Alg, msg: &[u8], sig: &[u8]) -> bool {
        RSA_ALGS
            .iter()
            .position(|(a, _)| *a == alg)
            .is_some_and(|i| self.by_alg[i].verify_sig(msg, sig).is_ok())
    }
}

#[derive(Debug)]
struct P256Key(ParsedPublicKey);

impl VerifyingKey for P256Key {
    fn verify(&self, alg: Alg, msg: &[u8], sig: &[u8]) -> bool {
        alg == Alg::ES256 && self.0.verify_sig(msg, sig).is_ok()
    }
}

struct RsaPrivate(OaepPrivateDecryptingKey);

// No `unsafe` here: aws-lc-rs 1.19 marks the `PrivateDecryptingKey` inside
// `OaepPrivateDecryptingKey` Send and Sync, citing aws-lc's rule that an `EVP_PKEY` may be
// used on several threads at once by non-mutating functions, as decryption is.

impl fmt::Debug for RsaPrivate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("aws-lc RSA private key (not shown)")
    }
}

impl DecryptingKey for RsaPrivate {
    fn decrypt_oaep_sha1(&self, block: &[u8]) -> Option<Vec<u8>> {
        let mut out = vec![0; self.0.min_output_size()];
        let len = self
            .0
            .decrypt(&OAEP_SHA1_MGF1SHA1, block, &mut out, None)
            .ok()?
            .len();
        out.truncate(len);
        Some(out)
    }
}
