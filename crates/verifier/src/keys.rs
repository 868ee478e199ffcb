//! Trusted keys (rule core.keys): JWK (RFC 7517) and PEM/SPKI in, validated at load,
//! and candidate selection by `kid`, `kty`/`crv`, `alg`, `use` and `key_ops`.

use std::sync::Arc;

use rsa::traits::PublicKeyParts;
use serde_json::{Map, Value};

use crate::alg::{Alg, Family};
use crate::b64;
use crate::crypto::{self, VerifyingKey};
use crate::error::Error;

/// The smallest RSA modulus the reference accepts (RFC 7518 §3.3 binds the signer to 2048).
pub const MIN_RSA_BITS: usize = 2048;
/// The largest RSA modulus the reference loads (bounds verification cost; the most aws-lc
/// and ring verify with, so both backends refuse the same keys).
pub const MAX_RSA_BITS: usize = 8192;
/// The largest RSA public exponent loaded: 2^33 - 1, the bound of `rsa` and of aws-lc.
pub const MAX_RSA_EXPONENT: u64 = (1 << 33) - 1;

/// The longest PEM text a key is read from: a certificate with an 8192-bit RSA key is
/// about 3 KiB of PEM; 64 KiB leaves room for extensions and bounds the work.
pub const MAX_PEM_LEN: usize = 65_536;
/// The smallest HMAC key (RFC 7518 §3.2, for HS256).
pub const MIN_HMAC_LEN: usize = 32;

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
    key: Arc<dyn VerifyingKey>,
}

impl Material {
    /// An HMAC secret, keyed by the backend in force ([`crypto::backend`]). No length
    /// policy here: [`Key::hmac`] and [`Key::from_jwk`] apply it.
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
    /// force. Only the backend's own checks apply here; [`Key::from_jwk`] and
    /// [`Key::from_pem`] add the verifier's (size, exponent, ROCA).
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

    /// The backend's verdict alone; [`Alg::verify`] makes the checks every backend shares
    /// first, and is what the verifier calls.
    pub fn verify(&self, alg: Alg, msg: &[u8], sig: &[u8]) -> bool {
        self.key.verify(alg, msg, sig)
    }
}

fn strip_zeros(b: &[u8]) -> &[u8] {
    let first = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    &b[first..]
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
            material: Material::hmac(secret),
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
                Material::hmac(&k)
            }
            "RSA" => rsa_key(&label, &member("n")?, &member("e")?)?,
            "EC" => {
                let crv = opt_str(obj, "crv", &label)?
                    .ok_or_else(|| refuse("kty EC needs crv".into()))?;
                if crv != "P-256" {
                    return Err(refuse(format!(
                        "crv {crv:?} is not supported (ES256 needs P-256)"
                    )));
                }
                p256_key(&label, &member("x")?, &member("y")?)?
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
                    rsa_key(&label, &k.n().to_bytes_be(), &k.e().to_bytes_be())?
                } else {
                    let k = p256::PublicKey::from_public_key_pem(pem.trim()).map_err(|e| {
                        refuse(format!("SPKI is neither an RSA nor a P-256 public key: {e}"))
                    })?;
                    p256_point(&label, &k)?
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
                    rsa_key(&label, &k.n().to_bytes_be(), &k.e().to_bytes_be())?
                } else {
                    let k = p256::PublicKey::from_public_key_der(&spki).map_err(|e| {
                        refuse(format!(
                            "the certificate's key is neither RSA nor P-256: {e}"
                        ))
                    })?;
                    p256_point(&label, &k)?
                }
            }
            "-----BEGIN RSA PUBLIC KEY-----" => {
                let k = rsa::RsaPublicKey::from_pkcs1_pem(pem.trim())
                    .map_err(|e| refuse(format!("PKCS#1 RSA public key: {e}")))?;
                rsa_key(&label, &k.n().to_bytes_be(), &k.e().to_bytes_be())?
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

/// RSA checks of core.keys, the same whatever the backend: `e` odd, ≥ 3 and at most
/// [`MAX_RSA_EXPONENT`], the modulus odd, larger than `e`, between [`MIN_RSA_BITS`] and
/// [`MAX_RSA_BITS`] bits, and without the ROCA fingerprint; then the backend parses it.
fn rsa_key(label: &str, n: &[u8], e: &[u8]) -> Result<Material, Error> {
    let refuse = |reason: String| Error::KeyRefused {
        key: label.to_owned(),
        reason,
    };
    let (n, e) = (strip_zeros(n), strip_zeros(e));
    if e.len() > 8 {
        return Err(refuse(format!("public exponent is {} bits", bit_len(e))));
    }
    let e_value = e.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    if e_value < 3 || e_value % 2 == 0 {
        return Err(refuse(format!(
            "public exponent {e_value} must be odd and >= 3 (RFC 8017 §3.1)"
        )));
    }
    if e_value > MAX_RSA_EXPONENT {
        return Err(refuse(format!(
            "public exponent {e_value} is over {MAX_RSA_EXPONENT} (2^33 - 1)"
        )));
    }
    if n.last().is_none_or(|b| b % 2 == 0) {
        return Err(refuse("modulus is even".into()));
    }
    let bits = bit_len(n);
    if bits > MAX_RSA_BITS {
        return Err(refuse(format!(
            "modulus is {bits} bits; at most {MAX_RSA_BITS} are loaded"
        )));
    }
    if bits < MIN_RSA_BITS {
        return Err(refuse(format!(
            "modulus is {bits} bits; at least {MIN_RSA_BITS} required (RFC 7518 §3.3)"
        )));
    }
    if roca_fingerprint(n) {
        return Err(refuse(
            "modulus has the ROCA fingerprint (CVE-2017-15361): its factors can be recovered"
                .into(),
        ));
    }
    Material::rsa(n, e).map_err(refuse)
}

/// The length in bits of a big-endian magnitude without leading zeros.
fn bit_len(b: &[u8]) -> usize {
    match b.first() {
        None => 0,
        Some(&top) => b.len() * 8 - top.leading_zeros() as usize,
    }
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

fn p256_key(label: &str, x: &[u8], y: &[u8]) -> Result<Material, Error> {
    Material::p256(x, y).map_err(|reason| Error::KeyRefused {
        key: label.to_owned(),
        reason,
    })
}

/// A point RustCrypto's SPKI decoder has read, handed to the backend by its coordinates.
fn p256_point(label: &str, key: &p256::PublicKey) -> Result<Material, Error> {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    let point = key.to_encoded_point(false);
    match (point.x(), point.y()) {
        (Some(x), Some(y)) => p256_key(label, x, y),
        _ => Err(Error::KeyRefused {
            key: label.to_owned(),
            reason: "the P-256 point is the identity".into(),
        }),
    }
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
        assert_eq!(from_cert.material.family(), Family::P256);
        assert_eq!(
            from_cert.material.public_bytes(),
            from_spki.material.public_bytes()
        );
        assert_eq!(
            Key::from_pem(RSA_CERT, None).unwrap().material.family(),
            Family::Rsa
        );
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
