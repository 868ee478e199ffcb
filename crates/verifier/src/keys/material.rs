//! [`Material`]: key material parsed once, when the key is loaded, by the crypto backend in
//! force, and [`Material::verify`], the one way a signature is checked: the checks every
//! backend shares (the key family, a MAC's or signature's exact length, ES256's `r` and `s`
//! in range), then the backend's verdict.

use crate::alg::{Alg, Family};
use crate::crypto::{self, ParsedKey};

/// Key material, parsed once, when the key is loaded, into the backend's own key type
/// ([`crate::crypto`]); every verification reuses it.
#[derive(Clone, Debug)]
pub struct Material {
    family: Family,
    /// HMAC: the secret's length; RSA: the modulus length in bytes; P-256: 32.
    size: usize,
    /// The public key's identity (RSA: the modulus; P-256: x ‖ y); empty for a secret.
    public: Box<[u8]>,
    backend: &'static str,
    key: ParsedKey,
}

impl Material {
    /// An HMAC secret, keyed by the backend in force ([`crypto::backend`]). No length
    /// policy here: [`Key::hmac`](super::Key::hmac) and [`Key::from_jwk`](super::Key::from_jwk)
    /// apply it.
    pub fn hmac(secret: &[u8]) -> Material {
        let backend = crypto::backend();
        Material {
            family: Family::Hmac,
            size: secret.len(),
            public: Box::default(),
            backend: backend.name(),
            key: backend.hmac_key(secret),
        }
    }

    /// An RSA public key from its big-endian modulus and exponent, parsed by the backend in
    /// force. Only the backend's own checks apply here; [`Key::from_jwk`](super::Key::from_jwk)
    /// and [`Key::from_pem`](super::Key::from_pem) add the verifier's (size, exponent, ROCA).
    pub fn rsa(n: &[u8], e: &[u8]) -> Result<Material, String> {
        let (n, e) = (strip_zeros(n), strip_zeros(e));
        let backend = crypto::backend();
        Ok(Material {
            family: Family::Rsa,
            size: n.len(),
            public: n.into(),
            backend: backend.name(),
            key: backend.rsa_public_key(n, e)?,
        })
    }

    /// A P-256 public key from its affine coordinates (32 bytes each), parsed by the
    /// backend in force; the error says why it is not a key.
    pub fn p256(x: &[u8], y: &[u8]) -> Result<Material, String> {
        if x.len() != 32 || y.len() != 32 {
            return Err(format!(
                "P-256 coordinates are {} and {} bytes; both must be exactly 32 (RFC 7518 §6.2.1.2)",
                x.len(),
                y.len()
            ));
        }
        let backend = crypto::backend();
        Ok(Material {
            family: Family::P256,
            size: 32,
            public: [x, y].concat().into(),
            backend: backend.name(),
            key: backend.p256_public_key(x, y)?,
        })
    }

    /// The key family.
    pub fn family(&self) -> Family {
        self.family
    }

    /// HMAC: the secret's length; RSA: the modulus length in bytes (a signature's exact
    /// length); P-256: 32.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The public key's identity: an RSA modulus, or a P-256 point's x ‖ y; empty for an
    /// HMAC secret.
    pub fn public_bytes(&self) -> &[u8] {
        &self.public
    }

    /// The name of the backend that parsed this key.
    pub fn backend(&self) -> &'static str {
        self.backend
    }

    /// Verifies `sig` over `msg` under `alg` with this key: the one way a signature is
    /// checked. The checks that do not depend on the backend are made here, so both
    /// backends give the same verdict with the same message; then the backend's own
    /// verification, with no further parsing of the key. The error says why, for the
    /// message.
    pub fn verify(&self, alg: Alg, msg: &[u8], sig: &[u8]) -> Result<(), String> {
        if self.family() != alg.family() {
            return Err(format!("{alg} does not verify with this kind of key"));
        }
        let why = match alg.family() {
            // rule: core.sig-hs256 — exactly the hash length (no truncated tags), then a
            // constant-time comparison in the backend.
            Family::Hmac => {
                let len = alg.hmac_len().unwrap_or_default();
                if sig.len() != len {
                    return Err(format!("MAC is {} bytes, expected {len}", sig.len()));
                }
                "MAC mismatch"
            }
            // rule: core.sig-rs256 — exactly the modulus length (no leading zero, no trailing
            // garbage); PKCS#1 v1.5 with DigestInfo, or PSS with a hash-length salt.
            Family::Rsa => {
                if sig.len() != self.size() {
                    return Err(format!(
                        "signature is {} bytes, modulus is {}",
                        sig.len(),
                        self.size()
                    ));
                }
                match alg {
                    Alg::PS256 | Alg::PS384 | Alg::PS512 => "RSASSA-PSS verification failed",
                    _ => "PKCS#1 v1.5 verification failed",
                }
            }
            // rule: core.sig-es256 — exactly 64 bytes r‖s; zero or out-of-range r or s
            // rejected (CVE-2022-21449); high-s accepted.
            Family::P256 => {
                if sig.len() != 64 {
                    return Err(format!(
                        "signature is {} bytes, expected 64 (r‖s; DER is not JOSE)",
                        sig.len()
                    ));
                }
                let (r, s) = sig.split_at(32);
                if !p256_scalar_in_range(r) || !p256_scalar_in_range(s) {
                    return Err("r or s is zero or not below the group order".into());
                }
                "ECDSA verification failed"
            }
        };
        if self.key.verify(alg, msg, sig) {
            Ok(())
        } else {
            Err(why.into())
        }
    }
}

/// The order n of the P-256 group, big-endian (FIPS 186-4 D.1.2.3).
const P256_ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// Whether a 32-byte big-endian scalar is in [1, n-1]. Not secret: part of a signature.
fn p256_scalar_in_range(v: &[u8]) -> bool {
    v.iter().any(|&b| b != 0) && v < &P256_ORDER[..]
}

/// A big-endian magnitude without its leading zero bytes.
pub(super) fn strip_zeros(b: &[u8]) -> &[u8] {
    let first = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    &b[first..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p256_scalar_range() {
        let mut n = P256_ORDER;
        assert!(!p256_scalar_in_range(&n));
        n[31] -= 1;
        assert!(p256_scalar_in_range(&n));
        assert!(!p256_scalar_in_range(&[0; 32]));
        let mut one = [0; 32];
        one[31] = 1;
        assert!(p256_scalar_in_range(&one));
        assert!(!p256_scalar_in_range(&[0xff; 32]));
    }
}
