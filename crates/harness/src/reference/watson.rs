//! Profile `watson` behind the case interface: `input {"token"?}`, context `{"issuer"?,
//! "keys": [RSA JWK], "decryption_key"?: private RSA JWK, "skew"?: 0}`. The session pins
//! the user id of its first accepted token.

use serde_json::Value;

use jwtc_verifier::watson::{self, Config, DecryptionKey};
use jwtc_verifier::Key;

use super::{field, verdict, Session};
use crate::outcome::Outcome;

/// One web chat session for the steps of one case.
#[derive(Default)]
pub struct Watson {
    session: watson::Session,
}

/// The configuration a context describes, and the notes on refused keys. A refused
/// decryption key is a configuration error the case cannot run without (it would
/// otherwise pass ciphertext through as if none were configured).
fn config(context: &Value) -> Result<(Config, Vec<String>), String> {
    let issuer = match context.get("issuer") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err("context.issuer is not a string".into()),
    };
    let list = field(context, "keys", "context")?
        .as_array()
        .ok_or("context.keys is not an array")?;
    let parsed = list.iter().map(|k| match k.get("pem") {
        Some(Value::String(pem)) => Key::from_pem(pem, k.get("kid").and_then(Value::as_str)),
        Some(_) => Err(jwtc_verifier::Error::Config {
            detail: "context.keys: a pem entry is not a string".into(),
        }),
        None => Key::from_jwk(k),
    });
    let (keys, refused) = watson::key_set(parsed).map_err(|e| format!("configuration: {e}"))?;
    let notes = refused
        .iter()
        .map(|e| format!("configuration: {e}"))
        .collect();
    let decryption_key = match context.get("decryption_key") {
        None | Some(Value::Null) => None,
        Some(jwk) => Some(
            DecryptionKey::from_jwk(jwk)
                .map_err(|e| format!("configuration: decryption_key: {e}"))?,
        ),
    };
    let skew = context
        .get("skew")
        .map_or(Some(0), Value::as_i64)
        .ok_or("context.skew is not an integer")?;
    let config = Config::new(issuer, keys, decryption_key, skew)
        .map_err(|e| format!("configuration: {e}"))?;
    Ok((config, notes))
}

impl Session for Watson {
    fn step(
        &mut self,
        input: &Value,
        context: &Value,
        _network: Option<&Value>,
        now: i64,
    ) -> Outcome {
        let mut run = || -> Result<Outcome, String> {
            let token = match input.get("token") {
                None | Some(Value::Null) => None,
                Some(Value::String(t)) => Some(t.as_str()),
                Some(_) => return Err("input.token is not a string".into()),
            };
            let (config, notes) = config(context)?;
            Ok(verdict(
                self.session
                    .verify(token, &config, now)
                    .map(|id| id.to_json()),
                &notes,
            ))
        };
        run().unwrap_or_else(Outcome::error)
    }
}
