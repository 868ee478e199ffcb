//! [`Key::from_pem`]: a PEM public key in (SPKI, PKCS#1, or an X.509 certificate's subject
//! public key), validated (rule core.keys).

use rsa::traits::PublicKeyParts;

use super::checks::{p256_key, rsa_key};
use super::{Key, Material, MAX_PEM_LEN};
use crate::error::Error;

impl Key {
    /// Parses a PEM public key: SPKI (`PUBLIC KEY`, RSA or P-256), PKCS#1 (`RSA PUBLIC KEY`),
    /// or the subject public key of an X.509 `CERTIFICATE` (the Pomerium seed has users paste
    /// the output of `openssl req -x509`). A certificate is only a container here: its
    /// validity dates, issuer, extensions and signature are not looked at (docs/decisions.md).
    pub fn from_pem(pem: &str, kid: Option<&str>) -> Result<Key, Error> {
        let label = kid.unwrap_or("(pem)");
        let material = match decode_public(pem, label)? {
            PublicPem::Rsa(k) => rsa_key(label, &k.n().to_bytes_be(), &k.e().to_bytes_be())?,
            PublicPem::P256(k) => p256_point(label, &k)?,
        };
        Ok(Key {
            kid: kid.map(str::to_owned),
            alg: None,
            usage: None,
            key_ops: None,
            material,
        })
    }
}

/// A public key read from PEM, before any of the verifier's checks (size, exponent).
pub(super) enum PublicPem {
    /// An RSA public key.
    Rsa(rsa::RsaPublicKey),
    /// A P-256 point.
    P256(p256::PublicKey),
}

/// The refusal of the key `label` for `reason` (a configuration error).
pub(super) fn refused(label: &str, reason: String) -> Error {
    Error::KeyRefused {
        key: label.to_owned(),
        reason,
    }
}

/// Decodes a PEM public key (SPKI, PKCS#1 or a certificate's subject public key) without
/// judging it; the error names `label` and what the text is not.
pub(super) fn decode_public(pem: &str, label: &str) -> Result<PublicPem, Error> {
    use p256::pkcs8::DecodePublicKey;
    use rsa::pkcs1::DecodeRsaPublicKey;
    let refuse = |reason: String| refused(label, reason);
    if pem.len() > MAX_PEM_LEN {
        return Err(refuse(format!(
            "PEM text of {} bytes, over the bound of {MAX_PEM_LEN}",
            pem.len()
        )));
    }
    let first = pem.trim_start().lines().next().unwrap_or("").trim();
    Ok(match first {
        "-----BEGIN PUBLIC KEY-----" => {
            if let Ok(k) = rsa::RsaPublicKey::from_public_key_pem(pem.trim()) {
                PublicPem::Rsa(k)
            } else {
                let k = p256::PublicKey::from_public_key_pem(pem.trim()).map_err(|e| {
                    refuse(format!("SPKI is neither an RSA nor a P-256 public key: {e}"))
                })?;
                PublicPem::P256(k)
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
                PublicPem::Rsa(k)
            } else {
                let k = p256::PublicKey::from_public_key_der(&spki).map_err(|e| {
                    refuse(format!(
                        "the certificate's key is neither RSA nor P-256: {e}"
                    ))
                })?;
                PublicPem::P256(k)
            }
        }
        "-----BEGIN RSA PUBLIC KEY-----" => PublicPem::Rsa(
            rsa::RsaPublicKey::from_pkcs1_pem(pem.trim())
                .map_err(|e| refuse(format!("PKCS#1 RSA public key: {e}")))?,
        ),
        other => {
            return Err(refuse(format!(
                "PEM starts with {other:?}; expected -----BEGIN PUBLIC KEY-----, -----BEGIN RSA PUBLIC KEY----- or -----BEGIN CERTIFICATE-----"
            )))
        }
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
    use crate::alg::Family;

    const P256_CERT: &str = include_str!("../../../../vectors/keys/p256-a.cert.pem");
    const P256_SPKI: &str = include_str!("../../../../vectors/keys/p256-a.pub.pem");
    const RSA_CERT: &str = include_str!("../../../../vectors/keys/rsa-2048-b.cert.pem");

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
