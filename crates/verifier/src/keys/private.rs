//! Private keys a profile is configured with, loaded and checked here like the public
//! ones: [`SigningKey`], the ES256 key Pomerium's proxy role signs assertions with, and
//! [`DecryptionKey`], the RSA key Watson's `user_payload` is encrypted to.

use p256::ecdsa::signature::Signer as _;
use rsa::traits::PublicKeyParts;
use serde_json::{json, Value};

use super::{MAX_RSA_BITS, MIN_RSA_BITS};
use crate::b64;
use crate::error::Error;
use crate::json;
use crate::oaep;

/// The proxy's signing key: a private P-256 JWK (`d`, and `x`/`y` that must match it).
#[derive(Clone, Debug)]
pub struct SigningKey {
    key: p256::ecdsa::SigningKey,
    /// The `kid` put in the assertion's header, if the JWK has one.
    pub kid: Option<String>,
}

impl SigningKey {
    /// Loads a private EC JWK on P-256. A configuration error names what is wrong.
    pub fn from_jwk(jwk: &Value) -> Result<SigningKey, Error> {
        let kid = jwk.get("kid").and_then(Value::as_str).map(str::to_owned);
        let refuse = |reason: String| Error::KeyRefused {
            key: kid.clone().unwrap_or_else(|| "(signing key)".into()),
            reason,
        };
        let member = |name: &str| -> Result<Vec<u8>, Error> {
            let s = jwk
                .get(name)
                .and_then(Value::as_str)
                .ok_or_else(|| refuse(format!("member {name:?} missing or not a string")))?;
            b64::decode(s).map_err(|e| refuse(format!("member {name:?}: {e}")))
        };
        if jwk.get("kty").and_then(Value::as_str) != Some("EC") {
            return Err(refuse("kty is not \"EC\"".into()));
        }
        match jwk.get("crv").and_then(Value::as_str) {
            Some("P-256") => {}
            other => {
                return Err(refuse(format!(
                    "crv {other:?} is not \"P-256\" (the assertion is ES256)"
                )))
            }
        }
        let d = member("d")?;
        if d.len() != 32 {
            return Err(refuse(format!("d is {} bytes, not 32", d.len())));
        }
        let key = p256::ecdsa::SigningKey::from_slice(&d)
            .map_err(|_| refuse("d is not a valid P-256 private scalar".into()))?;
        if jwk.get("x").is_some() || jwk.get("y").is_some() {
            let point = key.verifying_key().to_encoded_point(false);
            let (x, y) = (member("x")?, member("y")?);
            let same =
                |have: Option<&p256::FieldBytes>, want: &[u8]| have.is_some_and(|h| h[..] == *want);
            if !same(point.x(), &x) || !same(point.y(), &y) {
                return Err(refuse("x and y are not the public point of d".into()));
            }
        }
        Ok(SigningKey { key, kid })
    }

    /// The public half, as a JWK (what a verifier is given).
    pub fn public_jwk(&self) -> Value {
        let point = self.key.verifying_key().to_encoded_point(false);
        let mut jwk = json!({
            "kty": "EC",
            "crv": "P-256",
            "x": b64::encode(&point.x().expect("uncompressed point")[..]),
            "y": b64::encode(&point.y().expect("uncompressed point")[..]),
        });
        if let Some(kid) = &self.kid {
            jwk["kid"] = json!(kid);
        }
        jwk
    }

    /// Signs `message` with ES256: the signature r‖s, 64 bytes (RFC 6979 nonces:
    /// deterministic, the same input gives the same bytes).
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        let sig: p256::ecdsa::Signature = self.key.sign(message);
        sig.to_bytes().to_vec()
    }
}

/// The service's private RSA key that `user_payload` is encrypted to (IBM's key pair).
#[derive(Clone, Debug)]
pub struct DecryptionKey {
    label: String,
    /// Parsed once by the backend in force ([`crate::crypto`]).
    key: oaep::PrivateKey,
}

impl DecryptionKey {
    /// A private RSA JWK (`n`, `e`, `d`; `p` and `q` together or not at all). Refused, as a
    /// configuration error naming the key, when it is not RSA, lacks its private part, is
    /// inconsistent (the private part does not match `n`/`e`), or is under 2048 bits.
    pub fn from_jwk(jwk: &Value) -> Result<DecryptionKey, Error> {
        let obj = jwk.as_object().ok_or_else(|| Error::KeyRefused {
            key: "(decryption key)".into(),
            reason: format!("a JWK is a JSON object, not a {}", json::kind(jwk)),
        })?;
        let label = match obj.get("kid") {
            Some(Value::String(k)) => k.clone(),
            _ => "(decryption key)".into(),
        };
        let refuse = |reason: String| Error::KeyRefused {
            key: label.clone(),
            reason,
        };
        match obj.get("kty") {
            Some(Value::String(k)) if k == "RSA" => {}
            Some(Value::String(k)) => {
                return Err(refuse(format!(
                    "kty {k:?}: user_payload is RSA-OAEP, the decryption key must be RSA"
                )))
            }
            _ => return Err(refuse("kty missing or not a string".into())),
        }
        let int = |name: &str| -> Result<Option<rsa::BigUint>, Error> {
            match obj.get(name) {
                None => Ok(None),
                Some(Value::String(s)) => b64::decode(s)
                    .map(|b| Some(rsa::BigUint::from_bytes_be(&b)))
                    .map_err(|e| refuse(format!("member {name:?} is not base64url: {e}"))),
                Some(other) => Err(refuse(format!(
                    "member {name:?} is JSON {}, not a string",
                    json::kind(other)
                ))),
            }
        };
        let need = |name: &str| {
            int(name)?.ok_or_else(|| {
                refuse(format!(
                    "member {name:?} missing: a decryption key needs the private key"
                ))
            })
        };
        let (n, e, d) = (need("n")?, need("e")?, need("d")?);
        let primes = match (int("p")?, int("q")?) {
            (Some(p), Some(q)) => vec![p, q],
            (None, None) => Vec::new(),
            _ => return Err(refuse("has one of p and q without the other".into())),
        };
        if n.bits() > MAX_RSA_BITS {
            return Err(refuse(format!(
                "modulus is {} bits; at most {MAX_RSA_BITS} are loaded",
                n.bits()
            )));
        }
        let key = rsa::RsaPrivateKey::from_components(n, e, d, primes)
            .map_err(|err| refuse(format!("not a usable RSA private key: {err}")))?;
        Self::new(&label, key)
    }

    /// Wraps a parsed private key after the same checks as [`DecryptionKey::from_jwk`].
    pub fn new(label: &str, key: rsa::RsaPrivateKey) -> Result<DecryptionKey, Error> {
        let refuse = |reason: String| Error::KeyRefused {
            key: label.to_owned(),
            reason,
        };
        key.validate().map_err(|err| {
            refuse(format!(
                "the private part does not match the public key (n, e): {err}"
            ))
        })?;
        let bits = key.n().bits();
        if bits < MIN_RSA_BITS {
            return Err(refuse(format!(
                "modulus is {bits} bits; at least {MIN_RSA_BITS} required"
            )));
        }
        Ok(DecryptionKey {
            label: label.to_owned(),
            key: oaep::PrivateKey::new(&key).map_err(refuse)?,
        })
    }

    /// The modulus length k in bytes: the size of one ciphertext block.
    pub fn block_len(&self) -> usize {
        self.key.modulus_len()
    }

    /// The name of the backend that decrypts with this key.
    pub fn backend(&self) -> &'static str {
        self.key.backend()
    }

    /// The key's label (its `kid`), for messages.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Decrypts node-rsa's long-message form with this key: whole RSA-OAEP (SHA-1) blocks,
    /// the plaintexts concatenated ([`oaep::decrypt_blocks`], whose errors these are).
    pub fn decrypt(&self, ciphertext: &[u8]) -> Result<Vec<u8>, String> {
        oaep::decrypt_blocks(&self.key, ciphertext)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p256_a() -> Value {
        serde_json::from_str(include_str!("../../../../vectors/keys/p256-a.json")).unwrap()
    }

    #[test]
    fn signing_keys() {
        let k = SigningKey::from_jwk(&p256_a()).unwrap();
        let mut public = p256_a();
        public.as_object_mut().unwrap().remove("d");
        assert_eq!(k.public_jwk(), public);
        let mut wrong = p256_a();
        wrong["x"] = p256_a()["y"].clone();
        assert!(SigningKey::from_jwk(&wrong).is_err());
        let mut curve = p256_a();
        curve["crv"] = json!("P-384");
        assert!(SigningKey::from_jwk(&curve).is_err());
        let mut public_only = p256_a();
        public_only.as_object_mut().unwrap().remove("d");
        assert!(SigningKey::from_jwk(&public_only).is_err());
        assert!(SigningKey::from_jwk(&json!("p256-a")).is_err());
    }
}
