//! The public key the user gave (`--key`), as the JWK the vector file's context carries
//! and as every text a library might take for an HMAC secret: PEM (SPKI, PKCS#1; with and
//! without the final newline, after a newline or spaces), DER, the JWK's JSON text, the
//! OpenSSH line, the bare modulus or point.

use p256::pkcs8::{EncodePublicKey, LineEnding};
use rsa::pkcs1::EncodeRsaPublicKey;
use serde_json::Value;

use jwtc_vectors::forge;
use jwtc_verifier::b64;

/// A public key, RSA or P-256.
#[derive(Clone, Debug)]
pub struct PublicKey {
    /// The JWK (public members, and the `kid` it was given or took from the token).
    pub jwk: Value,
    material: Material,
}

#[derive(Clone, Debug)]
enum Material {
    Rsa(rsa::RsaPublicKey),
    P256(p256::PublicKey),
}

/// One text a library might take for an HMAC secret.
pub struct KeyText {
    /// The last part of the attack's name.
    pub name: &'static str,
    /// What it is, for the description.
    pub what: &'static str,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Advisories of libraries that took this text for a secret.
    pub refs: &'static [&'static str],
}

impl PublicKey {
    /// Reads a public JWK (RSA, or EC P-256); `label` names it in errors.
    pub fn from_jwk(jwk: &Value, label: &str) -> Result<PublicKey, String> {
        let member = |m: &str| -> Result<Vec<u8>, String> {
            let s = jwk
                .get(m)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("{label}: the JWK has no {m:?}"))?;
            b64::decode(s).map_err(|e| format!("{label}: the JWK's {m:?} is not base64url: {e}"))
        };
        if jwk.get("d").is_some() {
            return Err(format!(
                "{label}: a private key; give the public key the service verifies with"
            ));
        }
        let material = match jwk.get("kty").and_then(Value::as_str) {
            Some("RSA") => Material::Rsa(
                rsa::RsaPublicKey::new(
                    rsa::BigUint::from_bytes_be(&member("n")?),
                    rsa::BigUint::from_bytes_be(&member("e")?),
                )
                .map_err(|e| format!("{label}: not a usable RSA public key: {e}"))?,
            ),
            Some("EC") if jwk.get("crv").and_then(Value::as_str) == Some("P-256") => {
                let mut sec1 = vec![4u8];
                sec1.extend(member("x")?);
                sec1.extend(member("y")?);
                Material::P256(
                    p256::PublicKey::from_sec1_bytes(&sec1)
                        .map_err(|e| format!("{label}: not a point of P-256: {e}"))?,
                )
            }
            other => {
                return Err(format!(
                    "{label}: a key of type {}, crv {}: jwtc attack takes an RSA or EC P-256 public key (an HS token's secret goes in --secret)",
                    other.unwrap_or("(none)"),
                    jwk.get("crv").map_or("(none)".into(), Value::to_string)
                ))
            }
        };
        let mut public = jwk.clone();
        if let Some(o) = public.as_object_mut() {
            o.retain(|k, _| matches!(k.as_str(), "kty" | "n" | "e" | "crv" | "x" | "y" | "kid"));
        }
        Ok(PublicKey {
            jwk: public,
            material,
        })
    }

    /// The algorithm family the key verifies: `RS` or `ES`.
    pub fn family(&self) -> &'static str {
        match self.material {
            Material::Rsa(_) => "RS",
            Material::P256(_) => "ES",
        }
    }

    /// Every text of this key a library might take for an HMAC secret.
    pub fn texts(&self) -> Vec<KeyText> {
        const PEM: &[&str] = &[
            "CVE-2015-9235",
            "CVE-2016-5431",
            "CVE-2022-23541",
            "CVE-2024-37568",
            "RFC 8725 §2.1",
        ];
        const SPACE: &[&str] = &["CVE-2026-34950", "RFC 8725 §2.1"];
        const PKCS1: &[&str] = &["CVE-2023-48223", "RFC 8725 §2.1"];
        const SSH: &[&str] = &["CVE-2022-29217", "CVE-2024-33663", "RFC 8725 §2.1"];
        const RAW: &[&str] = &["CVE-2015-9235", "RFC 8725 §2.1"];
        let (spki, der, ssh, bare) = match &self.material {
            Material::Rsa(k) => {
                use rsa::traits::PublicKeyParts;
                let (n, e) = (k.n().to_bytes_be(), k.e().to_bytes_be());
                (
                    k.to_public_key_pem(LineEnding::LF).unwrap_or_default(),
                    k.to_public_key_der()
                        .map(|d| d.as_bytes().to_vec())
                        .unwrap_or_default(),
                    forge::openssh_rsa(&n, &e, "jwtc"),
                    n,
                )
            }
            Material::P256(k) => {
                use p256::elliptic_curve::sec1::ToEncodedPoint;
                let point = k.to_encoded_point(false).as_bytes().to_vec();
                (
                    k.to_public_key_pem(LineEnding::LF).unwrap_or_default(),
                    k.to_public_key_der()
                        .map(|d| d.as_bytes().to_vec())
                        .unwrap_or_default(),
                    forge::openssh_p256(&point, "jwtc"),
                    point,
                )
            }
        };
        let mut jwk = self.jwk.clone();
        if let Some(o) = jwk.as_object_mut() {
            o.remove("kid");
        }
        let mut out = vec![
            text(
                "spki-pem",
                "the public key's SPKI PEM (BEGIN PUBLIC KEY)",
                spki.clone().into_bytes(),
                PEM,
            ),
            text(
                "spki-pem-no-newline",
                "the SPKI PEM without its final newline",
                spki.trim_end().as_bytes().to_vec(),
                PEM,
            ),
            text(
                "spki-pem-crlf",
                "the SPKI PEM with CRLF line ends",
                spki.replace('\n', "\r\n").into_bytes(),
                PEM,
            ),
            text(
                "spki-pem-leading-newline",
                "the SPKI PEM after a newline (a YAML block, a database column)",
                format!("\n{spki}").into_bytes(),
                SPACE,
            ),
            text(
                "spki-pem-leading-spaces",
                "the SPKI PEM after two spaces",
                format!("  {spki}").into_bytes(),
                SPACE,
            ),
            text("spki-der", "the SPKI DER bytes", der, RAW),
            text(
                "jwk-json",
                "the JWK's JSON text",
                jwk.to_string().into_bytes(),
                RAW,
            ),
            text(
                "openssh",
                "the OpenSSH public-key line (an id_*.pub file)",
                ssh.into_bytes(),
                SSH,
            ),
            text(
                "bare",
                "the bare modulus (RSA) or uncompressed point (P-256)",
                bare,
                RAW,
            ),
        ];
        if let Material::Rsa(k) = &self.material {
            let pkcs1 = k.to_pkcs1_pem(LineEnding::LF).unwrap_or_default();
            let pkcs1_der = k
                .to_pkcs1_der()
                .map(|d| d.as_bytes().to_vec())
                .unwrap_or_default();
            out.push(text(
                "pkcs1-pem",
                "the PKCS#1 PEM (BEGIN RSA PUBLIC KEY)",
                pkcs1.clone().into_bytes(),
                PKCS1,
            ));
            out.push(text(
                "pkcs1-pem-no-newline",
                "the PKCS#1 PEM without its final newline",
                pkcs1.trim_end().as_bytes().to_vec(),
                PKCS1,
            ));
            out.push(text("pkcs1-der", "the PKCS#1 DER bytes", pkcs1_der, RAW));
        }
        out
    }
}

fn text(
    name: &'static str,
    what: &'static str,
    bytes: Vec<u8>,
    refs: &'static [&'static str],
) -> KeyText {
    KeyText {
        name,
        what,
        bytes,
        refs,
    }
}
