//! The reference signers, profiles `pendo-signer` and `watson-signer` behind the case
//! interface: what a correct customer's code mints for the app's request under the
//! configuration, at the suite clock, or the refusal. The grader that judges any signer's
//! mints is [`crate::grade::signer`].
//!
//! Pendo: input `{"visitor"?, "account"?}`, context `{"keys": [oct JWK, kid = key name],
//! "active", "revoked"?}`, output the options `{"jwt", "signingKeyName"}`; each nonce is
//! 16 bytes of OS randomness (new in every mint and every run). Watson: input
//! `{"user_id", "payload"?}`, context `{"signing_key", "issuer", "ibm_public_key",
//! "decryption_key"}`, output `{"token"}` (RS256, `exp` 5 minutes after now,
//! `user_payload` as node-rsa's `encrypt(…, 'base64')` makes it, seeded from the OS).

use rsa::rand_core::{OsRng, RngCore};
use serde_json::{json, Map, Value};

use jwtc_vectors::keystore::KeyStore;
use jwtc_vectors::mint::{node_rsa_encrypt, Mint};
use jwtc_verifier::watson::DecryptionKey;
use jwtc_verifier::{b64, Error};

use super::{field, Session};
use crate::grade::signer::id_text;
use crate::grade::signer::watson::sub_problem;
use crate::outcome::Outcome;

/// How long the reference's Watson tokens live (seconds): short, as the rule asks.
pub const WATSON_LIFETIME: i64 = 300;

/// A Pendo customer's app: no state but the OS generator.
pub struct PendoSigner;

/// A Watson customer's `mockLogin`: no state.
pub struct WatsonSigner;

fn text<'a>(context: &'a Value, name: &str) -> Result<&'a str, String> {
    field(context, name, "context")?
        .as_str()
        .ok_or_else(|| format!("context.{name} is not a string"))
}

/// A copy of the request's `visitor` or `account` with its `id` as a string (an integer
/// as its decimal string) and no `id` when the app has none (`null`).
fn part(request: &Value, name: &str) -> Result<Option<Value>, Outcome> {
    let Some(v) = request.get(name) else {
        return Ok(None);
    };
    let Some(obj) = v.as_object() else {
        return Err(Outcome::error(format!("input.{name} is not an object")));
    };
    let mut out: Map<String, Value> = obj.clone();
    match id_text(obj.get("id"), &format!("input.{name}.id")) {
        Ok(Some(id)) => {
            out.insert("id".into(), json!(id));
        }
        Ok(None) => {
            out.remove("id");
        }
        Err(e) => {
            return Err(Outcome::reject(
                "claim_invalid",
                format!("pendo.mint-visitor: {e}; refused"),
            ))
        }
    }
    Ok(Some(Value::Object(out)))
}

impl PendoSigner {
    fn mint(input: &Value, context: &Value) -> Result<Outcome, Outcome> {
        let name = text(context, "active").map_err(Outcome::error)?;
        let revoked = context
            .get("revoked")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|n| n == name));
        if revoked {
            return Err(Outcome::reject(
                "key_revoked",
                format!("the active key {name:?} is revoked"),
            ));
        }
        let jwk = field(context, "keys", "context")
            .map_err(Outcome::error)?
            .as_array()
            .and_then(|keys| keys.iter().find(|k| k.get("kid") == Some(&json!(name))))
            .ok_or_else(|| Outcome::reject("key_unknown", format!("no key named {name:?}")))?;
        match jwk.get("k").and_then(Value::as_str).map(b64::decode) {
            Some(Ok(_)) => {}
            _ => {
                return Err(Outcome::reject(
                    "key_unknown",
                    format!("key {name:?} has no base64url k"),
                ))
            }
        }
        let mut claims = Map::new();
        for p in ["visitor", "account"] {
            if let Some(v) = part(input, p)? {
                claims.insert(p.into(), v);
            }
        }
        let mut nonce = [0u8; 16];
        OsRng.fill_bytes(&mut nonce);
        claims.insert("nonce".into(), json!(b64::encode(nonce)));
        let store = KeyStore::from_entries([(name.to_owned(), jwk.clone())]);
        let jwt = Mint::new(&store).jwt(
            "HS256",
            name,
            &json!({"alg": "HS256", "typ": "JWT"}),
            &Value::Object(claims),
        );
        Ok(Outcome::accept(json!({"jwt": jwt, "signingKeyName": name})))
    }
}

impl Session for PendoSigner {
    fn step(&mut self, input: &Value, context: &Value, _: Option<&Value>, _now: i64) -> Outcome {
        Self::mint(input, context).unwrap_or_else(|o| o)
    }
}

/// IBM's public key as the `rsa` crate's.
fn rsa_public(jwk: &Value) -> Result<rsa::RsaPublicKey, String> {
    let int = |m: &str| -> Result<rsa::BigUint, String> {
        let s = jwk
            .get(m)
            .and_then(Value::as_str)
            .ok_or(format!("context.ibm_public_key has no {m}"))?;
        let b = b64::decode(s).map_err(|e| format!("context.ibm_public_key.{m}: {e}"))?;
        Ok(rsa::BigUint::from_bytes_be(&b))
    };
    use rsa::traits::PublicKeyParts;
    let key = rsa::RsaPublicKey::new(int("n")?, int("e")?)
        .map_err(|e| format!("context.ibm_public_key: {e}"))?;
    if key.size() < 256 {
        return Err(format!(
            "context.ibm_public_key: {} bits; at least 2048 required",
            key.n().bits()
        ));
    }
    Ok(key)
}

impl WatsonSigner {
    fn mint(input: &Value, context: &Value, now: i64) -> Result<Outcome, Outcome> {
        let jwk = field(context, "signing_key", "context").map_err(Outcome::error)?;
        // rule: watson.mint-alg — a key under 2048 bits (or unusable) is refused, not used.
        let refused = |e: String| {
            Outcome::reject(
                "key_unknown",
                format!("watson.mint-alg: the signing key is refused: {e}"),
            )
        };
        DecryptionKey::from_jwk(jwk).map_err(|e: Error| refused(e.to_string()))?;
        if jwk.get("p").is_none() || jwk.get("q").is_none() {
            return Err(refused("it has no p and q".into()));
        }
        let issuer = text(context, "issuer").map_err(Outcome::error)?;
        let id = match id_text(input.get("user_id"), "input.user_id") {
            Ok(Some(id)) => id,
            Ok(None) => return Err(Outcome::error("input.user_id is missing")),
            Err(e) => return Err(Outcome::error(e)),
        };
        // rule: watson.mint-sub — ';' and '=' are `either`: the strict side refuses them too.
        match sub_problem(&id) {
            Err(why) => {
                return Err(Outcome::reject(
                    "claim_invalid",
                    format!("watson.mint-sub: {why}: it cannot be a sub"),
                ))
            }
            Ok(true) => {
                return Err(Outcome::reject(
                    "claim_invalid",
                    format!("watson.mint-sub: the user id {id:?} holds ';' or '=', which IBM's customer_id forbids"),
                ))
            }
            Ok(false) => {}
        }
        let mut claims =
            json!({"iss": issuer, "sub": id, "iat": now, "exp": now + WATSON_LIFETIME});
        if let Some(p) = input.get("payload").filter(|p| !p.is_null()) {
            let ibm = field(context, "ibm_public_key", "context").map_err(Outcome::error)?;
            let key = rsa_public(ibm).map_err(Outcome::error)?;
            let text = p.to_string();
            claims["user_payload"] =
                json!(node_rsa_encrypt(&key, text.as_bytes(), OsRng.next_u64()));
        }
        let store = KeyStore::from_entries([("signing_key".to_owned(), jwk.clone())]);
        let token = Mint::new(&store).jwt(
            "RS256",
            "signing_key",
            &json!({"alg": "RS256", "typ": "JWT"}),
            &claims,
        );
        Ok(Outcome::accept(json!({ "token": token })))
    }
}

impl Session for WatsonSigner {
    fn step(&mut self, input: &Value, context: &Value, _: Option<&Value>, now: i64) -> Outcome {
        Self::mint(input, context, now).unwrap_or_else(|o| o)
    }
}
