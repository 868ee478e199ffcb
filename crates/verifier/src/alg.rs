//! The JWS algorithms the verifier implements (RFC 7518 §3) and their signature primitives.

use hmac::{Hmac, Mac};
use p256::ecdsa::signature::Verifier;
use sha2::{Sha256, Sha384, Sha512};
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

    /// Verifies `sig` over `msg` with `key`. The error says why, for the message.
    /// The caller has already checked that the key's family fits.
    pub fn verify(self, key: &Material, msg: &[u8], sig: &[u8]) -> Result<(), String> {
        match (self, key) {
            (Alg::HS256, Material::Hmac(k)) => hmac_verify::<Hmac<Sha256>>(k, msg, sig, 32),
            (Alg::HS384, Material::Hmac(k)) => hmac_verify::<Hmac<Sha384>>(k, msg, sig, 48),
            (Alg::HS512, Material::Hmac(k)) => hmac_verify::<Hmac<Sha512>>(k, msg, sig, 64),
            (Alg::RS256, Material::Rsa(k)) => pkcs1_verify::<Sha256>(k, msg, sig),
            (Alg::RS384, Material::Rsa(k)) => pkcs1_verify::<Sha384>(k, msg, sig),
            (Alg::RS512, Material::Rsa(k)) => pkcs1_verify::<Sha512>(k, msg, sig),
            (Alg::PS256, Material::Rsa(k)) => pss_verify::<Sha256>(k, msg, sig),
            (Alg::PS384, Material::Rsa(k)) => pss_verify::<Sha384>(k, msg, sig),
            (Alg::PS512, Material::Rsa(k)) => pss_verify::<Sha512>(k, msg, sig),
            (Alg::ES256, Material::P256(k)) => es256_verify(k, msg, sig),
            (alg, _) => Err(format!("{alg} does not verify with this kind of key")),
        }
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

// rule: core.sig-hs256 — exact length, constant-time comparison (Mac::verify_slice).
fn hmac_verify<M: Mac + hmac::digest::KeyInit>(
    key: &[u8],
    msg: &[u8],
    sig: &[u8],
    len: usize,
) -> Result<(), String> {
    if sig.len() != len {
        return Err(format!("MAC is {} bytes, expected {len}", sig.len()));
    }
    let mut mac = <M as Mac>::new_from_slice(key).map_err(|e| e.to_string())?;
    mac.update(msg);
    mac.verify_slice(sig)
        .map_err(|_| "MAC mismatch".to_string())
}

/// An RSA signature is exactly as long as the modulus (no leading zero, no trailing garbage).
fn modulus_length(key: &rsa::RsaPublicKey, sig: &[u8]) -> Result<(), String> {
    use rsa::traits::PublicKeyParts;
    if sig.len() != key.size() {
        return Err(format!(
            "signature is {} bytes, modulus is {}",
            sig.len(),
            key.size()
        ));
    }
    Ok(())
}

// rule: core.sig-rs256 — length equals the modulus length; PKCS#1 v1.5 with DigestInfo.
fn pkcs1_verify<D>(key: &rsa::RsaPublicKey, msg: &[u8], sig: &[u8]) -> Result<(), String>
where
    D: sha2::Digest + rsa::pkcs8::AssociatedOid,
{
    modulus_length(key, sig)?;
    let hashed = D::digest(msg);
    key.verify(rsa::Pkcs1v15Sign::new::<D>(), &hashed, sig)
        .map_err(|_| "PKCS#1 v1.5 verification failed".to_string())
}

fn pss_verify<D>(key: &rsa::RsaPublicKey, msg: &[u8], sig: &[u8]) -> Result<(), String>
where
    D: sha2::Digest + sha2::digest::DynDigest + Send + Sync + 'static,
{
    modulus_length(key, sig)?;
    let hashed = D::digest(msg);
    // RFC 7518 §3.5: the salt is as long as the hash output.
    key.verify(
        rsa::Pss::new_with_salt::<D>(<D as sha2::Digest>::output_size()),
        &hashed,
        sig,
    )
    .map_err(|_| "RSASSA-PSS verification failed".to_string())
}

// rule: core.sig-es256 — exactly 64 bytes r‖s; zero or out-of-range r or s rejected
// (Signature::from_slice refuses them: CVE-2022-21449); high-s accepted.
fn es256_verify(key: &p256::ecdsa::VerifyingKey, msg: &[u8], sig: &[u8]) -> Result<(), String> {
    if sig.len() != 64 {
        return Err(format!(
            "signature is {} bytes, expected 64 (r‖s; DER is not JOSE)",
            sig.len()
        ));
    }
    let sig = p256::ecdsa::Signature::from_slice(sig)
        .map_err(|_| "r or s is zero or not below the group order".to_string())?;
    key.verify(msg, &sig)
        .map_err(|_| "ECDSA verification failed".to_string())
}
