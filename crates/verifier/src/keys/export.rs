//! [`jwk_from_pem`]: a PEM key (public, a certificate's, or private) written as the JWK
//! (RFC 7517) an implementation under test is given. Only the structure is read: no
//! policy (size, exponent) is applied, so a weak key a vector means to offer converts.

use p256::elliptic_curve::sec1::ToEncodedPoint;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use serde_json::{json, Value};

use super::pem::{decode_public, refused, PublicPem};
use super::MAX_PEM_LEN;
use crate::b64;
use crate::error::Error;

/// A key read from PEM, as a JWK.
#[derive(Clone, Debug, PartialEq)]
pub struct PemJwk {
    /// The JWK: `kty` RSA (`n`, `e`) or EC P-256 (`crv`, `x`, `y`), with the private
    /// members (`d`, and RSA's `p`, `q`, `dp`, `dq`, `qi`) when the PEM is a private key.
    pub jwk: Value,
    /// Whether the PEM held a private key.
    pub private: bool,
}

/// Converts a PEM key to a JWK: `PUBLIC KEY` (SPKI, RSA or P-256), `RSA PUBLIC KEY`
/// (PKCS#1), `CERTIFICATE` (its subject public key), `PRIVATE KEY` (PKCS#8, RSA or P-256),
/// `RSA PRIVATE KEY` (PKCS#1) or `EC PRIVATE KEY` (SEC1, P-256). The error (a refused key
/// named `label`) says which label was found or what did not decode.
pub fn jwk_from_pem(pem: &str, label: &str) -> Result<PemJwk, Error> {
    let first = pem.trim_start().lines().next().unwrap_or("").trim();
    if pem.len() > MAX_PEM_LEN {
        return Err(refused(
            label,
            format!(
                "PEM text of {} bytes, over the bound of {MAX_PEM_LEN}",
                pem.len()
            ),
        ));
    }
    let private = |jwk: Value| PemJwk { jwk, private: true };
    match first {
        "-----BEGIN PRIVATE KEY-----" => {
            use rsa::pkcs8::DecodePrivateKey;
            if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_pem(pem.trim()) {
                return Ok(private(rsa_private(&k)));
            }
            let k = p256::SecretKey::from_pkcs8_pem(pem.trim()).map_err(|e| {
                refused(
                    label,
                    format!("PKCS#8 is neither an RSA nor a P-256 private key: {e}"),
                )
            })?;
            Ok(private(p256_private(&k)))
        }
        "-----BEGIN RSA PRIVATE KEY-----" => {
            use rsa::pkcs1::DecodeRsaPrivateKey;
            let k = rsa::RsaPrivateKey::from_pkcs1_pem(pem.trim())
                .map_err(|e| refused(label, format!("PKCS#1 RSA private key: {e}")))?;
            Ok(private(rsa_private(&k)))
        }
        "-----BEGIN EC PRIVATE KEY-----" => {
            let k = p256::SecretKey::from_sec1_pem(pem.trim())
                .map_err(|e| refused(label, format!("SEC1 P-256 private key: {e}")))?;
            Ok(private(p256_private(&k)))
        }
        _ => {
            let jwk = match decode_public(pem, label)? {
                PublicPem::Rsa(k) => rsa_public(&k),
                PublicPem::P256(k) => p256_public(&k),
            };
            Ok(PemJwk {
                jwk,
                private: false,
            })
        }
    }
}

fn rsa_public(k: &impl PublicKeyParts) -> Value {
    json!({
        "kty": "RSA",
        "n": b64::encode(k.n().to_bytes_be()),
        "e": b64::encode(k.e().to_bytes_be()),
    })
}

fn rsa_private(k: &rsa::RsaPrivateKey) -> Value {
    let mut jwk = rsa_public(k);
    let enc = |n: &rsa::BigUint| Value::String(b64::encode(n.to_bytes_be()));
    jwk["d"] = enc(k.d());
    if let [p, q] = k.primes() {
        jwk["p"] = enc(p);
        jwk["q"] = enc(q);
        let one = rsa::BigUint::from(1u8);
        jwk["dp"] = enc(&(k.d() % (p - &one)));
        jwk["dq"] = enc(&(k.d() % (q - &one)));
        if let Some(qi) = k.crt_coefficient() {
            jwk["qi"] = enc(&qi);
        }
    }
    jwk
}

fn p256_public(k: &p256::PublicKey) -> Value {
    let point = k.to_encoded_point(false);
    let coord = |c: Option<&p256::FieldBytes>| Value::String(c.map_or(String::new(), b64::encode));
    json!({
        "kty": "EC",
        "crv": "P-256",
        "x": coord(point.x()),
        "y": coord(point.y()),
    })
}

fn p256_private(k: &p256::SecretKey) -> Value {
    let mut jwk = p256_public(&k.public_key());
    jwk["d"] = Value::String(b64::encode(k.to_bytes()));
    jwk
}

#[cfg(test)]
mod tests {
    use super::*;

    const P256_CERT: &str = include_str!("../../../../vectors/keys/p256-a.cert.pem");
    const P256_SPKI: &str = include_str!("../../../../vectors/keys/p256-a.pub.pem");
    const RSA_PKCS1: &str = include_str!("../../../../vectors/keys/rsa-2048-a.pkcs1.pem");
    const RSA_SPKI: &str = include_str!("../../../../vectors/keys/rsa-2048-a.pub.pem");
    const P256_JWK: &str = include_str!("../../../../vectors/keys/p256-a.json");
    const RSA_JWK: &str = include_str!("../../../../vectors/keys/rsa-2048-a.json");

    fn public(jwk: &Value) -> Value {
        let mut out = serde_json::Map::new();
        for m in ["kty", "crv", "n", "e", "x", "y"] {
            if let Some(v) = jwk.get(m) {
                out.insert(m.into(), v.clone());
            }
        }
        Value::Object(out)
    }

    #[test]
    fn public_pems_give_the_public_jwk_of_the_test_key() {
        let p256: Value = serde_json::from_str(P256_JWK).unwrap();
        let rsa: Value = serde_json::from_str(RSA_JWK).unwrap();
        for (pem, want) in [
            (P256_CERT, &p256),
            (P256_SPKI, &p256),
            (RSA_PKCS1, &rsa),
            (RSA_SPKI, &rsa),
        ] {
            let got = jwk_from_pem(pem, "k").unwrap();
            assert!(!got.private);
            assert_eq!(got.jwk, public(want), "{pem}");
        }
    }

    #[test]
    fn private_pems_round_trip_through_their_jwk() {
        use p256::pkcs8::EncodePrivateKey;
        use rsa::pkcs1::EncodeRsaPrivateKey;
        let p256: Value = serde_json::from_str(P256_JWK).unwrap();
        let d = b64::decode(p256["d"].as_str().unwrap()).unwrap();
        let secret = p256::SecretKey::from_slice(&d).unwrap();
        let pkcs8 = secret.to_pkcs8_pem(Default::default()).unwrap();
        let sec1 = secret.to_sec1_pem(Default::default()).unwrap();
        for pem in [pkcs8.as_str(), sec1.as_str()] {
            let got = jwk_from_pem(pem, "k").unwrap();
            assert!(got.private);
            assert_eq!(got.jwk["d"], p256["d"]);
            assert_eq!(public(&got.jwk), public(&p256));
        }
        let rsa_jwk: Value = serde_json::from_str(RSA_JWK).unwrap();
        let n = |m: &str| {
            rsa::BigUint::from_bytes_be(&b64::decode(rsa_jwk[m].as_str().unwrap()).unwrap())
        };
        let key = rsa::RsaPrivateKey::from_components(n("n"), n("e"), n("d"), vec![n("p"), n("q")])
            .unwrap();
        let pem = key.to_pkcs1_pem(Default::default()).unwrap();
        let got = jwk_from_pem(&pem, "k").unwrap();
        for m in ["n", "e", "d", "p", "q", "dp", "dq", "qi"] {
            assert_eq!(got.jwk[m], rsa_jwk[m], "{m}");
        }
    }

    #[test]
    fn what_is_not_a_key_is_refused_by_name() {
        for (pem, says) in [
            (
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                "PKCS#8",
            ),
            ("-----BEGIN EC PRIVATE KEY-----\n", "SEC1"),
            ("-----BEGIN OPENSSH PRIVATE KEY-----\n", "PEM starts with"),
            ("hello", "PEM starts with \"hello\""),
        ] {
            let e = jwk_from_pem(pem, "mine").unwrap_err().to_string();
            assert!(
                e.starts_with("key mine refused: ") && e.contains(says),
                "{e}"
            );
        }
    }
}
