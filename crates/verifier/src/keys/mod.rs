//! Trusted keys (rule core.keys): JWK (RFC 7517) and PEM/SPKI in, validated at load,
//! and candidate selection by `kid`, `kty`/`crv`, `alg`, `use` and `key_ops`; also the
//! private keys a profile is configured with.
//!
//! - this file: [`Key`], [`KeySet`] and candidate selection, the size bounds;
//! - `jwk.rs` ([`Key::from_jwk`]) and `pem.rs` ([`Key::from_pem`]): the two ways a public
//!   key comes in; `checks.rs`: the core.keys checks on RSA and P-256 material, the same
//!   whatever the backend (size, exponent, ROCA); `export.rs` ([`jwk_from_pem`]): a PEM
//!   key (public, certificate or private) written as a JWK, for vector files that give PEM;
//! - `material.rs`: [`Material`], a key parsed once by the crypto backend, and
//!   [`Material::verify`], the one way a signature is checked;
//! - `private.rs`: private keys, [`SigningKey`] (Pomerium's proxy, ES256) and
//!   [`DecryptionKey`] (Watson's `user_payload`, RSA-OAEP).
//!
//! Direction: `keys` uses [`crate::crypto`] (the backends parse the material),
//! [`crate::oaep`] (the decryption key), [`crate::alg`], [`crate::json`], [`crate::b64`]
//! and `error`; none of those uses `keys`.

use serde_json::Value;

use crate::alg::{Alg, Family};
use crate::error::Error;

mod checks;
mod export;
mod jwk;
mod material;
mod pem;
mod private;

/// The largest RSA modulus the reference loads: the crypto backends' bound.
pub use crate::crypto::MAX_RSA_BITS;
pub use checks::roca_fingerprint;
pub use export::{jwk_from_pem, PemJwk};
pub use material::Material;
pub use private::{DecryptionKey, SigningKey};

/// The smallest RSA modulus the reference accepts (RFC 7518 §3.3 binds the signer to 2048).
pub const MIN_RSA_BITS: usize = 2048;
/// The largest RSA public exponent loaded: 2^33 - 1, the bound of `rsa` and of aws-lc.
pub const MAX_RSA_EXPONENT: u64 = (1 << 33) - 1;

/// The longest PEM text a key is read from: a certificate with an 8192-bit RSA key is
/// about 3 KiB of PEM; 64 KiB leaves room for extensions and bounds the work.
pub const MAX_PEM_LEN: usize = 65_536;
/// The smallest HMAC key (RFC 7518 §3.2, for HS256).
pub const MIN_HMAC_LEN: usize = 32;

/// One trusted, validated key.
#[derive(Clone, Debug)]
pub struct Key {
    /// `kid`, compared exactly; a key without one is a candidate for any token kid.
    pub kid: Option<String>,
    /// `alg`: when set, the only algorithm this key verifies.
    pub alg: Option<Alg>,
    /// `use`: when set, must be `sig` for the key to be a candidate.
    pub usage: Option<String>,
    /// `key_ops`: when set, must contain `verify` for the key to be a candidate.
    pub key_ops: Option<Vec<String>>,
    /// The parsed key.
    pub material: Material,
}

impl Key {
    /// A bare HMAC key from the bytes of a secret (Pendo's `'JWT-SECRET-KEY'` is its UTF-8 bytes).
    pub fn hmac(secret: &[u8], kid: Option<&str>) -> Result<Key, Error> {
        let label = kid.unwrap_or("(no kid)");
        check_hmac_len(label, secret.len(), None)?;
        Ok(Key {
            kid: kid.map(str::to_owned),
            alg: None,
            usage: None,
            key_ops: None,
            material: Material::hmac(secret),
        })
    }

    /// Whether this key may verify a token of `alg`: family, `alg`, `use`, `key_ops`, HMAC length.
    pub fn fits(&self, alg: Alg) -> bool {
        if self.material.family() != alg.family() {
            return false;
        }
        if self.alg.is_some_and(|a| a != alg) {
            return false;
        }
        if self.usage.as_deref().is_some_and(|u| u != "sig") {
            return false;
        }
        if let Some(ops) = &self.key_ops {
            if !ops.iter().any(|o| o == "verify") {
                return false;
            }
        }
        match alg.hmac_len() {
            Some(min) => self.material.size() >= min,
            None => true,
        }
    }
}

/// The trusted keys of one verification.
#[derive(Clone, Debug, Default)]
pub struct KeySet {
    keys: Vec<Key>,
}

impl KeySet {
    /// A key set; refuses one that mixes HMAC secrets with public keys (Wycheproof's
    /// MixedKeySet: the configuration under which algorithm confusion happens).
    pub fn new(keys: Vec<Key>) -> Result<KeySet, Error> {
        let secret = keys
            .iter()
            .filter(|k| k.material.family() == Family::Hmac)
            .count();
        if secret > 0 && secret < keys.len() {
            return Err(Error::Config {
                detail: format!(
                    "key set mixes {secret} HMAC secret(s) with {} public key(s)",
                    keys.len() - secret
                ),
            });
        }
        Ok(KeySet { keys })
    }

    /// Loads a JWK Set document's `keys`, keeping the usable keys and returning the refused
    /// ones beside them (each a configuration error naming the key).
    pub fn from_jwks(doc: &Value) -> Result<(KeySet, Vec<Error>), Error> {
        let keys = doc
            .get("keys")
            .and_then(Value::as_array)
            .ok_or_else(|| Error::Config {
                detail: "a JWK Set is an object with a \"keys\" array".into(),
            })?;
        Self::from_jwk_list(keys)
    }

    /// Loads a list of JWKs, keeping the usable ones and returning the refused ones.
    pub fn from_jwk_list(jwks: &[Value]) -> Result<(KeySet, Vec<Error>), Error> {
        let mut ok = Vec::new();
        let mut refused = Vec::new();
        for j in jwks {
            match Key::from_jwk(j) {
                Ok(k) => ok.push(k),
                Err(e) => refused.push(e),
            }
        }
        Ok((KeySet::new(ok)?, refused))
    }

    /// The keys, in the order given.
    pub fn keys(&self) -> &[Key] {
        &self.keys
    }

    /// Candidate keys for a token (rule core.keys): every key that fits `alg`, restricted by
    /// `kid` when the token names one (a key without a `kid` stays a candidate).
    pub fn candidates(&self, alg: Alg, kid: Option<&str>) -> Vec<&Key> {
        self.candidate_iter(alg, kid).collect()
    }

    /// [`KeySet::candidates`], one at a time (no list is made).
    pub fn candidate_iter<'s, 'q>(
        &'s self,
        alg: Alg,
        kid: Option<&'q str>,
    ) -> impl Iterator<Item = &'s Key> + use<'s, 'q> {
        self.keys.iter().filter(move |k| {
            k.fits(alg)
                && match (kid, k.kid.as_deref()) {
                    (Some(want), Some(have)) => want == have,
                    _ => true,
                }
        })
    }
}

fn check_hmac_len(label: &str, len: usize, alg: Option<Alg>) -> Result<(), Error> {
    let min = alg.and_then(Alg::hmac_len).unwrap_or(MIN_HMAC_LEN);
    if len < min {
        return Err(Error::KeyRefused {
            key: label.to_owned(),
            reason: format!(
                "HMAC key is {len} bytes; {} needs at least {min} (RFC 7518 §3.2)",
                alg.map_or("HS256".to_string(), |a| a.to_string())
            ),
        });
    }
    Ok(())
}
