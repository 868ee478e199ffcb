//! The JWS algorithms the verifier implements (RFC 7518 §3) and their signature primitives.

use std::fmt;

use crate::keys::Material;

/// A JWS signature algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Alg {
    /// HMAC with SHA-256.
    HS256,
    /// HMAC with SHA-384.
    HS384,
    /// HMAC with SHA-512.
    HS512,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// RSASSA-PSS with SHA-256 and MGF1-SHA-256.
    PS256,
    /// RSASSA-PSS with SHA-384 and MGF1-SHA-384.
    PS384,
    /// RSASSA-PSS with SHA-512 and MGF1-SHA-512.
    PS512,
    /// ECDSA on P-256 with SHA-256, signature r‖s.
    ES256,
}

/// The family of key an algorithm needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// A shared secret (`kty` oct).
    Hmac,
    /// An RSA public key.
    Rsa,
    /// A P-256 public key.
    P256,
}

impl Alg {
    /// Every algorithm, in RFC 7518 order.
    pub const ALL: [Alg; 10] = [
        Alg::HS256,
        Alg::HS384,
        Alg::HS512,
        Alg::RS256,
        Alg::RS384,
        Alg::RS512,
        Alg::PS256,
        Alg::PS384,
        Alg::PS512,
        Alg::ES256,
    ];

    /// The exact, case-sensitive name (`"RS256"`).
    pub fn name(self) -> &'static str {
        match self {
            Alg::HS256 => "HS256",
            Alg::HS384 => "HS384",
            Alg::HS512 => "HS512",
            Alg::RS256 => "RS256",
            Alg::RS384 => "RS384",
            Alg::RS512 => "RS512",
            Alg::PS256 => "PS256",
            Alg::PS384 => "PS384",
            Alg::PS512 => "PS512",
            Alg::ES256 => "ES256",
        }
    }

    /// Parses an exact, case-sensitive name.
    pub fn parse(name: &str) -> Option<Alg> {
        Alg::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The key family this algorithm verifies with.
    pub fn family(self) -> Family {
        match self {
            Alg::HS256 | Alg::HS384 | Alg::HS512 => Family::Hmac,
            Alg::ES256 => Family::P256,
            _ => Family::Rsa,
        }
    }

    /// For HMAC: the hash output length, which is also the minimum key length (RFC 7518 §3.2).
    pub fn hmac_len(self) -> Option<usize> {
        match self {
            Alg::HS256 => Some(32),
            Alg::HS384 => Some(48),
            Alg::HS512 => Some(64),
            _ => None,
        }
    }

    /// Verifies `sig` over `msg` with `key`, parsed by its backend when it was loaded. The
    /// checks that do not depend on the backend are made here, so both backends give the
    /// same verdict with the same message. The error says why, for the message.
    pub fn verify(self, key: &Material, msg: &[u8], sig: &[u8]) -> Result<(), String> {
        if key.family() != self.family() {
            return Err(format!("{self} does not verify with this kind of key"));
        }
        let why = match self.family() {
            // rule: core.sig-hs256 — exactly the hash length (no truncated tags), then a
            // constant-time comparison in the backend.
            Family::Hmac => {
                let len = self.hmac_len().unwrap_or_default();
                if sig.len() != len {
                    return Err(format!("MAC is {} bytes, expected {len}", sig.len()));
                }
                "MAC mismatch"
            }
            // rule: core.sig-rs256 — exactly the modulus length (no leading zero, no trailing
            // garbage); PKCS#1 v1.5 with DigestInfo, or PSS with a hash-length salt.
            Family::Rsa => {
                if sig.len() != key.size() {
                    return Err(format!(
                        "signature is {} bytes, modulus is {}",
                        sig.len(),
                        key.size()
                    ));
                }
                match self {
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
        if key.verify(self, msg, sig) {
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

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
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
