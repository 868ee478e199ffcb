//! The signer profiles (`pendo-signer`, `watson-signer`): what a Pendo or Watson customer's
//! server mints with `jsonwebtoken::encode`, written the way the crate's README shows it
//! (`encode(&Header::new(alg), &claims, &EncodingKey::from_…)`, `exp` from
//! `get_current_timestamp()`: the wall clock, so the hello says `"clock": "wall"`).
//!
//! The glue is the customer's own code and does what the vendor pages ask, nothing more:
//! Pendo: the options `{jwt, signingKeyName}`, a random nonce, ids as strings, an anonymous
//! visitor without an id; Watson: `iss` and `sub`, a five-minute `exp`, `user_payload`
//! encrypted to IBM's public key with the `rsa` crate's RSA-OAEP (SHA-1, node-rsa's default
//! scheme, which IBM decrypts) in blocks of k − 42 bytes, standard base64. What the library
//! refuses is a refusal; it checks nothing else (README.md).

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use jsonwebtoken::{encode, get_current_timestamp, Algorithm, EncodingKey, Header};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::rand_core::{OsRng, RngCore};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, Oaep, RsaPublicKey};
use serde_json::{json, Map, Value};

use crate::verdict::Verdict;
use crate::watson::private_key;

/// The app's visitor or account with its id as a string, and no id when it has none.
fn ided(part: &Value) -> Result<Value, String> {
    let mut out: Map<String, Value> = part
        .as_object()
        .cloned()
        .ok_or_else(|| format!("visitor/account is {part}, not an object"))?;
    match out.get("id") {
        None | Some(Value::Null) => {
            out.remove("id");
        }
        Some(Value::Number(n)) => {
            let s = n.to_string();
            out.insert("id".into(), json!(s));
        }
        Some(_) => {}
    }
    Ok(Value::Object(out))
}

/// Pendo: the options object the app passes to `pendo.initialize`.
pub fn pendo(input: &Value, context: &Value) -> Verdict {
    let name = context
        .get("active")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some(k) = context
        .get("keys")
        .and_then(Value::as_array)
        .and_then(|keys| keys.iter().find(|k| k.get("kid") == Some(&json!(name))))
        .and_then(|k| k.get("k"))
        .and_then(Value::as_str)
    else {
        return Verdict::Error(format!("context.keys has no key {name:?}"));
    };
    // The secret as Pendo's settings page shows it: the text's bytes, used as they are.
    let Ok(secret) = URL_SAFE_NO_PAD.decode(k) else {
        return Verdict::Error(format!("context key {name:?}: k is not base64url"));
    };
    let mut nonce = [0u8; 16];
    OsRng.fill_bytes(&mut nonce);
    let mut claims = json!({"nonce": URL_SAFE_NO_PAD.encode(nonce)});
    for part in ["visitor", "account"] {
        if let Some(p) = input.get(part) {
            match ided(p) {
                Ok(v) => claims[part] = v,
                Err(e) => return Verdict::Error(e),
            }
        }
    }
    match encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&secret),
    ) {
        Ok(jwt) => Verdict::Accept(json!({"jwt": jwt, "signingKeyName": name})),
        Err(e) => Verdict::reject("key_unknown", format!("encode refused: {e}")),
    }
}

/// node-rsa's `encrypt(JSON, 'base64')` made with the `rsa` crate.
fn encrypt(payload: &Value, jwk: &Value) -> Result<String, String> {
    let int = |name: &str| {
        jwk.get(name)
            .and_then(Value::as_str)
            .and_then(|s| URL_SAFE_NO_PAD.decode(s).ok())
            .map(|b| BigUint::from_bytes_be(&b))
            .ok_or_else(|| format!("ibm_public_key: no usable {name}"))
    };
    let key = RsaPublicKey::new(int("n")?, int("e")?).map_err(|e| e.to_string())?;
    let data = payload.to_string().into_bytes();
    let step = key.size() - 42;
    let mut out = Vec::new();
    for chunk in data.chunks(step) {
        out.extend(
            key.encrypt(&mut OsRng, Oaep::new::<sha1::Sha1>(), chunk)
                .map_err(|e| e.to_string())?,
        );
    }
    Ok(STANDARD.encode(out))
}

/// Watson: the identity token the customer's server mints.
pub fn watson(input: &Value, context: &Value) -> Verdict {
    let key = match context.get("signing_key").map(private_key) {
        Some(Ok(k)) => k,
        Some(Err(e)) => return Verdict::Error(format!("signing_key: {e}")),
        None => return Verdict::Error("context.signing_key is missing".into()),
    };
    let der = match key.to_pkcs1_der() {
        Ok(d) => d,
        Err(e) => return Verdict::Error(format!("signing_key: {e}")),
    };
    let sub = match input.get("user_id") {
        Some(Value::Number(n)) => json!(n.to_string()),
        Some(v) => v.clone(),
        None => Value::Null,
    };
    let now = get_current_timestamp();
    let mut claims =
        json!({"iss": context.get("issuer"), "sub": sub, "iat": now, "exp": now + 300});
    if let Some(p) = input.get("payload").filter(|p| !p.is_null()) {
        match context
            .get("ibm_public_key")
            .ok_or_else(|| "context.ibm_public_key is missing".to_owned())
            .and_then(|jwk| encrypt(p, jwk))
        {
            Ok(text) => claims["user_payload"] = json!(text),
            Err(e) => return Verdict::Error(e),
        }
    }
    match encode(
        &Header::new(Algorithm::RS256),
        &claims,
        &EncodingKey::from_rsa_der(der.as_bytes()),
    ) {
        Ok(token) => Verdict::Accept(json!({"token": token})),
        Err(e) => Verdict::reject("key_unknown", format!("encode refused: {e}")),
    }
}
