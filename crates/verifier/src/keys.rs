//! Trusted keys (rule core.keys): JWK (RFC 7517) and PEM/SPKI in, validated at load,
//! and candidate selection by `kid`, `kty`/`crv`, `alg`, `use` and `key_ops`.

use rsa::traits::PublicKeyParts;
use serde_json::{Map, Value};

use crate::alg::{Alg, Family};
use crate::b64;
use crate::error::Error;

/// The smallest RSA modulus the reference accepts (RFC 7518 §3.3 binds the signer to 2048).
pub const MIN_RSA_BITS: usize = 2048;
/// The largest RSA modulus the reference loads (bounds verification cost).
pub const MAX_RSA_BITS: usize = 16384;

/// The longest PEM text a key is read from: a certificate with a 16384-bit RSA key is
/// about 5 KiB of PEM; 64 KiB leaves room for extensions and bounds the work.
pub const MAX_PEM_LEN: usize = 65_536;
/// The smallest HMAC key (RFC 7518 §3.2, for HS256).
pub const MIN_HMAC_LEN: usize = 32;

/// Key material, parsed once into the primitive's own type.
#[derive(Clone, Debug)]
pub enum Material {
    /// An HMAC secret.
    Hmac(Vec<u8>),
    /// An RSA public key.
    Rsa(rsa::RsaPublicKey),
    /// A P-256 public key.
    P256(p256::ecdsa::VerifyingKey),
}

impl Material {
    /// The key family.
    pub fn family(&self) -> Family {
        match self {
            Material::Hmac(_) => Family::Hmac,
            Material::Rsa(_) => Family::Rsa,
            Material::P256(_) => Family::P256,
        }
    }
}

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
            material: Material::Hmac(secret.to_vec()),
        })
    }

    /// Parses and validates one JWK (RFC 7517). Private members are ignored:
    /// only the public part of an asymmetric key is kept.
    pub fn from_jwk(jwk: &Value) -> Result<Key, Error> {
        let obj = jwk.as_object().ok_or_else(|| Error::KeyRefused {
            key: "(jwk)".into(),
            reason: format!("a JWK is a JSON object, not a {}", crate::json::kind(jwk)),
        })?;
        let kid = opt_str(obj, "kid", "(jwk)")?;
        let label = kid.clone().unwrap_or_else(|| "(no kid)".into());
        let refuse = |reason: String| Error::KeyRefused {
            key: label.clone(),
            reason,
        };
        let kty = opt_str(obj, "kty", &label)?.ok_or_else(|| refuse("kty missing".into()))?;
        let alg = match opt_str(obj, "alg", &label)? {
            None => None,
            Some(name) => Some(Alg::parse(&name).ok_or_else(|| {
                refuse(format!(
                    "alg {name:?} is not a signature algorithm this verifier implements"
                ))
            })?),
        };
        let usage = opt_str(obj, "use", &label)?;
        let key_ops = match obj.get("key_ops") {
            None => None,
            Some(Value::Array(ops)) => Some(
                ops.iter()
                    .map(|o| {
                        o.as_str()
                            .map(str::to_owned)
                            .ok_or_else(|| refuse("key_ops holds a non-string".into()))
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Some(other) => {
                return Err(refuse(format!(
                    "key_ops is a {}, not an array",
                    crate::json::kind(other)
                )))
            }
        };
        let member = |name: &str| -> Result<Vec<u8>, Error> {
            let s = opt_str(obj, name, &label)?
                .ok_or_else(|| refuse(format!("kty {kty} needs member {name:?}")))?;
            b64::decode(&s).map_err(|e| refuse(format!("member {name:?} is not base64url: {e}")))
        };
        let material = match kty.as_str() {
            "oct" => {
                let k = member("k")?;
                check_hmac_len(&label, k.len(), alg)?;
                Material::Hmac(k)
            }
            "RSA" => Material::Rsa(rsa_key(&label, &member("n")?, &member("e")?)?),
            "EC" => {
                let crv = opt_str(obj, "crv", &label)?
                    .ok_or_else(|| refuse("kty EC needs crv".into()))?;
                if crv != "P-256" {
                    return Err(refuse(format!(
                        "crv {crv:?} is not supported (ES256 needs P-256)"
                    )));
                }
                Material::P256(p256_key(&label, &member("x")?, &member("y")?)?)
            }
            other => return Err(refuse(format!("kty {other:?} is not supported"))),
        };
        if let Some(alg) = alg {
            if alg.family() != material.family() {
                return Err(refuse(format!("alg {alg} does not fit kty {kty}")));
            }
        }
        Ok(Key {
            kid,
            alg,
            usage,
            key_ops,
            material,
        })
    }

    /// Parses a PEM public key: SPKI (`PUBLIC KEY`, RSA or P-256), PKCS#1 (`RSA PUBLIC KEY`),
    /// or the subject public key of an X.509 `CERTIFICATE` (the Pomerium seed has users paste
    /// the output of `openssl req -x509`). A certificate is only a container here: its
    /// validity dates, issuer, extensions and signature are not looked at (docs/decisions.md).
    pub fn from_pem(pem: &str, kid: Option<&str>) -> Result<Key, Error> {
        use p256::pkcs8::DecodePublicKey;
        use rsa::pkcs1::DecodeRsaPublicKey;
        let label = kid.unwrap_or("(pem)").to_owned();
        let refuse = |reason: String| Error::KeyRefused {
            key: label.clone(),
            reason,
        };
        if pem.len() > MAX_PEM_LEN {
            return Err(refuse(format!(
                "PEM text of {} bytes, over the bound of {MAX_PEM_LEN}",
                pem.len()
            )));
        }
        let first = pem.trim_start().lines().next().unwrap_or("").trim();
        let material = match first {
            "-----BEGIN PUBLIC KEY-----" => {
                if let Ok(k) = rsa::RsaPublicKey::from_public_key_pem(pem.trim()) {
                    Material::Rsa(validate_rsa(&label, k)?)
                } else {
                    let k = p256::PublicKey::from_public_key_pem(pem.trim()).map_err(|e| {
                        refuse(format!("SPKI is neither an RSA nor a P-256 public key: {e}"))
                    })?;
                    Material::P256(p256::ecdsa::VerifyingKey::from(k))
                }
            }
            "-----BEGIN CERTIFICATE-----" => {
                use x509_cert::der::{Decode, Encode};
                // Decoded to bytes first, then parsed from the slice: der 0.7's streaming
                // PemReader (Certificate::from_pem) spun for minutes on a fuzzed input
                // (fuzz/regressions/keys/).
                let (kind, der) = x509_cert::der::pem::decode_vec(pem.trim().as_bytes())
                    .map_err(|e| refuse(format!("not a PEM certificate: {e}")))?;
                if kind != "CERTIFICATE" {
                    return Err(refuse(format!("PEM label {kind:?}, not CERTIFICATE")));
                }
                let cert = x509_cert::Certificate::from_der(&der)
                    .map_err(|e| refuse(format!("not an X.509 certificate: {e}")))?;
                let spki = cert
                    .tbs_certificate
                    .subject_public_key_info
                    .to_der()
                    .map_err(|e| refuse(format!("certificate's public key: {e}")))?;
                if let Ok(k) = rsa::RsaPublicKey::from_public_key_der(&spki) {
                    Material::Rsa(validate_rsa(&label, k)?)
                } else {
                    let k = p256::PublicKey::from_public_key_der(&spki).map_err(|e| {
                        refuse(format!(
                            "the certificate's key is neither RSA nor P-256: {e}"
                        ))
                    })?;
                    Material::P256(p256::ecdsa::VerifyingKey::from(k))
                }
            }
            "-----BEGIN RSA PUBLIC KEY-----" => {
                let k = rsa::RsaPublicKey::from_pkcs1_pem(pem.trim())
                    .map_err(|e| refuse(format!("PKCS#1 RSA public key: {e}")))?;
                Material::Rsa(validate_rsa(&label, k)?)
            }
            other => {
                return Err(refuse(format!(
                    "PEM starts with {other:?}; expected -----BEGIN PUBLIC KEY-----, -----BEGIN RSA PUBLIC KEY----- or -----BEGIN CERTIFICATE-----"
                )))
            }
        };
        Ok(Key {
            kid: kid.map(str::to_owned),
            alg: None,
            usage: None,
            key_ops: None,
            material,
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
        match (&self.material, alg.hmac_len()) {
            (Material::Hmac(k), Some(min)) => k.len() >= min,
            _ => true,
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
            .filter(|k| matches!(k.material, Material::Hmac(_)))
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
        self.keys
            .iter()
            .filter(|k| {
                k.fits(alg)
                    && match (kid, k.kid.as_deref()) {
                        (Some(want), Some(have)) => want == have,
                        _ => true,
                    }
            })
            .collect()
    }
}

fn opt_str(obj: &Map<String, Value>, name: &str, label: &str) -> Result<Option<String>, Error> {
    match obj.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(Error::KeyRefused {
            key: label.to_owned(),
            reason: format!(
                "member {name:?} is a {}, not a string",
                crate::json::kind(other)
            ),
        }),
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

fn rsa_key(label: &str, n: &[u8], e: &[u8]) -> Result<rsa::RsaPublicKey, Error> {
    let refuse = |reason: String| Error::KeyRefused {
        key: label.to_owned(),
        reason,
    };
    let n = rsa::BigUint::from_bytes_be(n);
    let e = rsa::BigUint::from_bytes_be(e);
    if e.bits() > 64 {
        return Err(refuse(format!("public exponent is {} bits", e.bits())));
    }
    let key = rsa::RsaPublicKey::new_with_max_size(n, e, MAX_RSA_BITS)
        .map_err(|err| refuse(format!("not a usable RSA public key: {err}")))?;
    validate_rsa(label, key)
}

/// RSA checks of core.keys: `e` odd and ≥ 3, modulus ≥ 2048 bits and odd, no ROCA fingerprint.
fn validate_rsa(label: &str, key: rsa::RsaPublicKey) -> Result<rsa::RsaPublicKey, Error> {
    let refuse = |reason: String| Error::KeyRefused {
        key: label.to_owned(),
        reason,
    };
    let e = key.e().to_bytes_be();
    let e_small = e.iter().fold(0u128, |acc, b| (acc << 8) | u128::from(*b));
    if e_small < 3 || e_small % 2 == 0 {
        return Err(refuse(format!(
            "public exponent {e_small} must be odd and >= 3 (RFC 8017 §3.1)"
        )));
    }
    let n = key.n().to_bytes_be();
    if n.last().is_some_and(|b| b % 2 == 0) {
        return Err(refuse("modulus is even".into()));
    }
    let bits = key.n().bits();
    if bits < MIN_RSA_BITS {
        return Err(refuse(format!(
            "modulus is {bits} bits; at least {MIN_RSA_BITS} required (RFC 7518 §3.3)"
        )));
    }
    if roca_fingerprint(&n) {
        return Err(refuse(
            "modulus has the ROCA fingerprint (CVE-2017-15361): its factors can be recovered"
                .into(),
        ));
    }
    Ok(key)
}

/// The ROCA test (Nemec et al., CCS 2017): a modulus made by the vulnerable Infineon
/// generator is, modulo each small prime below, in the subgroup generated by 65537.
pub fn roca_fingerprint(n_be: &[u8]) -> bool {
    const PRIMES: [u32; 38] = [
        3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89,
        97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167,
    ];
    PRIMES.iter().all(|&p| {
        let r = n_be
            .iter()
            .fold(0u32, |acc, &b| (acc * 256 + u32::from(b)) % p);
        let g = 65537 % p;
        let mut x = 1u32;
        for _ in 0..p {
            if x == r {
                return true;
            }
            x = x * g % p;
        }
        false
    })
}

fn p256_key(label: &str, x: &[u8], y: &[u8]) -> Result<p256::ecdsa::VerifyingKey, Error> {
    let refuse = |reason: String| Error::KeyRefused {
        key: label.to_owned(),
        reason,
    };
    if x.len() != 32 || y.len() != 32 {
        return Err(refuse(format!(
            "P-256 coordinates are {} and {} bytes; both must be exactly 32 (RFC 7518 §6.2.1.2)",
            x.len(),
            y.len()
        )));
    }
    let point = p256::EncodedPoint::from_affine_coordinates(x.into(), y.into(), false);
    p256::ecdsa::VerifyingKey::from_encoded_point(&point)
        .map_err(|_| refuse("(x, y) is not a point on P-256".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const P256_CERT: &str = include_str!("../../../vectors/keys/p256-a.cert.pem");
    const P256_SPKI: &str = include_str!("../../../vectors/keys/p256-a.pub.pem");
    const RSA_CERT: &str = include_str!("../../../vectors/keys/rsa-2048-b.cert.pem");

    #[test]
    fn a_certificate_is_a_container_for_its_public_key() {
        let from_cert = Key::from_pem(P256_CERT, Some("p256-a")).unwrap();
        let from_spki = Key::from_pem(P256_SPKI, Some("p256-a")).unwrap();
        match (&from_cert.material, &from_spki.material) {
            (Material::P256(a), Material::P256(b)) => assert_eq!(a, b),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            Key::from_pem(RSA_CERT, None).unwrap().material,
            Material::Rsa(_)
        ));
    }

    #[test]
    fn a_broken_certificate_is_refused_with_the_reason() {
        let broken = P256_CERT.replacen("MII", "MIX", 1);
        let e = Key::from_pem(&broken, Some("k")).unwrap_err();
        assert_eq!(e.code(), crate::Code::Config);
        assert!(e.to_string().starts_with("key k refused: "), "{e}");
        let e = Key::from_pem(
            "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
            None,
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("not an X.509 certificate")
                || e.to_string().contains("not a PEM certificate"),
            "{e}"
        );
        let big = format!("-----BEGIN CERTIFICATE-----\n{}", "A".repeat(MAX_PEM_LEN));
        let e = Key::from_pem(&big, None).unwrap_err();
        assert!(e.to_string().contains("over the bound of 65536"), "{e}");
        let e = Key::from_pem("-----BEGIN PRIVATE KEY-----\n", None).unwrap_err();
        assert!(e.to_string().contains("CERTIFICATE"), "{e}");
    }
}
