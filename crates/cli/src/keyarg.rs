//! Keys given on the command line (`--key`, `--builtin`, `--decryption-key`, `--secret`):
//! where the text comes from (a file, an environment variable, or the flag's value
//! itself) and what it holds (a JWK, a JWK Set, a PEM public key or certificate, an
//! OpenSSH public-key line), turned into the context entries the profiles take. Every
//! key is checked here, so a bad one stops the command with a message naming the flag.

use base64::Engine;
use serde_json::{json, Value};

use jwtc_verifier::keys::jwk_from_pem;
use jwtc_verifier::Key;

/// Where a flag's key text came from, for messages.
pub(crate) fn source_text(flag: &str, value: &str) -> Result<(String, String), String> {
    if let Some(var) = value.strip_prefix("env:") {
        let text = std::env::var(var)
            .map_err(|e| format!("{flag} env:{var}: the environment variable is unusable: {e}"))?;
        return Ok((text, format!("{flag} env:{var}")));
    }
    let path = std::path::Path::new(value);
    let looks_inline = value.trim_start().starts_with('{') || value.contains("-----BEGIN");
    if !looks_inline && path.is_file() {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{flag} {value}: cannot read the file: {e}"))?;
        return Ok((text, format!("{flag} {value}")));
    }
    if !looks_inline && !value.starts_with("ssh-") && !value.starts_with("ecdsa-") {
        return Err(format!(
            "{flag} {value:?}: no such file, and not a JWK, a JWK Set, a PEM or an OpenSSH key \
             (give a path, env:VAR, or the key's text)"
        ));
    }
    Ok((value.to_owned(), format!("{flag} (inline)")))
}

/// The public keys one `--key` (or `--builtin`) flag gives: each a JWK, or `{"pem": text}`
/// for PEM and OpenSSH text (the profiles take both), checked by the reference verifier.
pub fn public_keys(flag: &str, value: &str) -> Result<Vec<Value>, String> {
    let (text, shown) = source_text(flag, value)?;
    let trimmed = text.trim();
    let entries: Vec<Value> = if trimmed.starts_with('{') {
        let doc: Value =
            serde_json::from_str(trimmed).map_err(|e| format!("{shown}: not JSON: {e}"))?;
        match doc.get("keys") {
            Some(Value::Array(set)) if set.is_empty() => {
                return Err(format!("{shown}: the JWK Set has no keys"))
            }
            Some(Value::Array(set)) => set.clone(),
            Some(_) => return Err(format!("{shown}: \"keys\" is not an array")),
            None => vec![doc],
        }
    } else {
        vec![json!({ "pem": text })]
    };
    for (i, entry) in entries.iter().enumerate() {
        let at = if entries.len() > 1 {
            format!("{shown}: keys[{i}]")
        } else {
            shown.clone()
        };
        let checked = match entry.get("pem").and_then(Value::as_str) {
            Some(pem) => Key::from_pem(pem, None),
            None if entry.is_object() => Key::from_jwk(entry),
            None => return Err(format!("{at}: a key is not a JSON object")),
        };
        checked.map_err(|e| format!("{at}: {e}"))?;
        if entry.get("d").is_some() && entry.get("kty").and_then(Value::as_str) != Some("oct") {
            return Err(format!(
                "{at}: a private key where a public key is trusted (remove \"d\" and the other private members)"
            ));
        }
    }
    Ok(entries)
}

/// A private JWK (`--decryption-key`, `--signing-key`): the text must be a JWK with its
/// private members.
pub fn private_jwk(flag: &str, value: &str) -> Result<Value, String> {
    let (text, shown) = source_text(flag, value)?;
    let doc: Value = serde_json::from_str(text.trim()).map_err(|e| {
        format!("{shown}: not a JWK ({e}); give the private key as a JWK with \"d\", \"p\", \"q\"")
    })?;
    if doc.get("d").is_none() {
        return Err(format!("{shown}: not a private key (no \"d\")"));
    }
    Ok(doc)
}

/// One RSA key from a flag (a JWK, a JWK Set of one key, or PEM); `private` asks for the
/// private members. The error names the flag and what is wrong.
pub fn rsa_jwk(flag: &str, value: &str, what: &str, private: bool) -> Result<Value, String> {
    let (text, shown) = source_text(flag, value)?;
    let t = text.trim();
    let jwk = if t.starts_with('{') {
        let doc: Value = serde_json::from_str(t).map_err(|e| format!("{shown}: not JSON: {e}"))?;
        match doc.get("keys").map(|k| k.as_array().map(Vec::as_slice)) {
            None => doc,
            Some(Some([one])) => one.clone(),
            Some(Some(set)) => {
                return Err(format!(
                    "{shown}: a JWK Set of {} keys; give the one key ({what})",
                    set.len()
                ))
            }
            Some(None) => return Err(format!("{shown}: \"keys\" is not an array")),
        }
    } else {
        jwk_from_pem(t, &shown)
            .map_err(|e| format!("{shown}: {e}"))?
            .jwk
    };
    match jwk.get("kty").and_then(Value::as_str) {
        Some("RSA") => {}
        other => {
            return Err(format!(
                "{shown}: a key of type {}; {what} is an RSA key",
                other.map_or("(no kty)".into(), |k| format!("{k:?}"))
            ))
        }
    }
    if private && jwk.get("d").is_none() {
        return Err(format!("{shown}: not a private key (no \"d\"); {what}"));
    }
    Ok(jwk)
}

/// A Pendo key as the vendor shows it, `NAME=SECRET`: an `oct` JWK whose `kid` is the
/// name and whose bytes are the secret's text (never base64-decoded).
pub fn pendo_secret(value: &str) -> Result<Value, String> {
    let (name, secret) = value.split_once('=').ok_or_else(|| {
        format!("--secret {value:?}: give NAME=SECRET (the key name and the secret as Pendo shows them)")
    })?;
    let secret = secret_text(&format!("--secret {name}="), secret)?;
    if name.is_empty() || secret.is_empty() {
        return Err(format!(
            "--secret {value:?}: the name and the secret must not be empty"
        ));
    }
    Ok(pendo_jwk(name, &secret))
}

/// A Pendo secret's text: `raw` itself, or the variable it names as `env:VAR` (`shown`
/// prefixes the flag in the message).
pub fn secret_text(shown: &str, raw: &str) -> Result<String, String> {
    match raw.strip_prefix("env:") {
        Some(var) => std::env::var(var)
            .map_err(|e| format!("{shown}env:{var}: the environment variable is unusable: {e}")),
        None => Ok(raw.to_owned()),
    }
}

/// Pendo's key `name` as an `oct` JWK whose bytes are the secret's text (never decoded).
pub fn pendo_jwk(name: &str, secret: &str) -> Value {
    let k = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret.as_bytes());
    json!({ "kty": "oct", "kid": name, "k": k })
}

#[cfg(test)]
mod tests {
    use super::*;

    const P256: &str = r#"{"kty":"EC","crv":"P-256","kid":"p","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM"}"#;

    #[test]
    fn inline_texts_give_entries_or_located_errors() {
        let table: &[(&str, Result<usize, &str>)] = &[
            (P256, Ok(1)),
            (&format!("{{\"keys\":[{P256},{P256}]}}"), Ok(2)),
            (
                "{\"keys\":[]}",
                Err("--key (inline): the JWK Set has no keys"),
            ),
            (
                "{\"keys\":1}",
                Err("--key (inline): \"keys\" is not an array"),
            ),
            ("{nope", Err("--key (inline): not JSON")),
            (
                "no-such-file.pem",
                Err("--key \"no-such-file.pem\": no such file"),
            ),
            (
                "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
                Err("--key (inline): "),
            ),
        ];
        for (text, want) in table {
            match (public_keys("--key", text), want) {
                (Ok(keys), Ok(n)) => assert_eq!(keys.len(), *n, "{text}"),
                (Err(e), Err(prefix)) => assert!(e.starts_with(prefix), "{text}: {e}"),
                (got, want) => panic!("{text}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn pendo_secrets_are_the_shown_text() {
        let jwk = pendo_secret("pendo-1=8ihlgIFBygkJ+7czjJ7GjcUpw2vwTJi33jHy0ELM").unwrap();
        assert_eq!(jwk["kid"], "pendo-1");
        assert_eq!(
            jwk["k"],
            "OGlobGdJRkJ5Z2tKKzdjempKN0dqY1VwdzJ2d1RKaTMzakh5MEVMTQ"
        );
        assert!(pendo_secret("no-equals")
            .unwrap_err()
            .contains("NAME=SECRET"));
        assert!(pendo_secret("=x")
            .unwrap_err()
            .contains("must not be empty"));
    }
}
