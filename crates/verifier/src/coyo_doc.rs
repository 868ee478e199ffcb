//! COYO's key document at a `jku` (rule coyo.fetch): `{"alg": <WebCrypto algorithm>, "key": <JWK>}`,
//! the shape COYO's `addJwk` takes and `@coyoapp/plugin-adapter` reads (docs/decisions.md § coyo).

use serde_json::Value;

use crate::json;

/// COYO's key document, `{"alg": <WebCrypto algorithm>, "key": <JWK>}` (the shape the
/// documentation's `addJwk` takes and `@coyoapp/plugin-adapter`'s `loadJwk` reads from a
/// `jku`): the JWK with the JWS `alg` its algorithm names. RSASSA-PKCS1-v1_5 with SHA-256
/// is RS256 and with SHA-512 RS512; any other algorithm, a key whose own `alg` disagrees,
/// or another member is refused with the reason.
pub(crate) fn key_document(o: &serde_json::Map<String, Value>) -> Result<Value, String> {
    if let Some(other) = o.keys().find(|k| *k != "alg" && *k != "key") {
        return Err(format!(
            "key document: unknown member {other:?} (only alg and key)"
        ));
    }
    let mut key = match o.get("key") {
        Some(Value::Object(k)) => k.clone(),
        Some(other) => {
            return Err(format!(
                "key document: key is a {}, not a JWK object",
                json::kind(other)
            ))
        }
        None => return Err("key document: no key".into()),
    };
    let algorithm = o
        .get("alg")
        .ok_or("key document: no alg (a WebCrypto algorithm)")?;
    let name = algorithm.get("name").and_then(Value::as_str);
    let hash = match algorithm.get("hash") {
        Some(Value::String(h)) => Some(h.as_str()),
        Some(h) => h.get("name").and_then(Value::as_str),
        None => None,
    };
    let jws = match (name, hash) {
        (Some("RSASSA-PKCS1-v1_5"), Some("SHA-256")) => "RS256",
        (Some("RSASSA-PKCS1-v1_5"), Some("SHA-512")) => "RS512",
        _ => {
            return Err(format!(
                "key document: alg {} is not RSASSA-PKCS1-v1_5 with SHA-256 or SHA-512",
                algorithm.to_string().chars().take(120).collect::<String>()
            ))
        }
    };
    match key.get("alg") {
        None => {
            key.insert("alg".into(), Value::String(jws.into()));
        }
        Some(Value::String(a)) if a == jws => {}
        Some(other) => {
            return Err(format!(
                "key document: the key's alg {other} disagrees with the document's alg ({jws})"
            ))
        }
    }
    Ok(Value::Object(key))
}
