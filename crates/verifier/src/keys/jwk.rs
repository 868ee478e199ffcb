//! [`Key::from_jwk`]: one JWK (RFC 7517) in, validated (rule core.keys).

use serde_json::{Map, Value};

use super::checks::{p256_key, rsa_key};
use super::{check_hmac_len, Key, Material};
use crate::alg::Alg;
use crate::b64;
use crate::error::Error;

impl Key {
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
