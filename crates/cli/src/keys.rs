//! `jwtc keys`: the public test keys the suite's cases trust, for an implementation or a
//! service that must be configured with them: a JWK Set (default), PEM, or the JWK Set
//! documents the cases serve at their URLs. Never a private key: an `oct` key (HS256,
//! Pendo) is its secret and is printed as such, marked.

use std::collections::BTreeMap;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde_json::{json, Value};

use jwtc_vectors::load::Loaded;

use crate::exit::{usage, Failure};

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct KeysArgs {
    /// `serve`: the local key server for `jwtc probe` (crate jwtc-probe).
    #[command(subcommand)]
    pub action: Option<KeysAction>,
    /// Only the keys of this profile's cases (core, jws, pendo, watson, pomerium, coyo).
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,
    /// How to print them.
    #[arg(long, value_enum, default_value = "jwks")]
    pub format: KeyFormat,
}

/// `jwtc keys` subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum KeysAction {
    /// Serve the JWK Sets a probed service trusts on 127.0.0.1 (and an attacker's origin),
    /// print what the service must be configured with, log every fetch.
    Serve(crate::probe::ServeArgs),
}

/// The output of `jwtc keys`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum KeyFormat {
    /// One JWK Set of every key, sorted by kid.
    Jwks,
    /// Each public key as PEM (SubjectPublicKeyInfo) after a `# kid` line; secrets as
    /// `# kid` and the secret's text.
    Pem,
    /// The JWK Set documents the cases serve, by URL (a JSON object URL -> document).
    Documents,
}

/// Runs `jwtc keys`.
pub fn keys(args: KeysArgs) -> Result<ExitCode, Failure> {
    if let Some(KeysAction::Serve(serve)) = args.action {
        return crate::probe::serve(serve);
    }
    let loaded = crate::suite::embedded()?;
    crate::run::say(&keys_to_string(
        &loaded,
        args.profile.as_deref(),
        args.format,
    )?);
    Ok(ExitCode::SUCCESS)
}

/// What `jwtc keys` prints for `loaded`.
pub fn keys_to_string(
    loaded: &Loaded,
    profile: Option<&str>,
    format: KeyFormat,
) -> Result<String, Failure> {
    let cases: Vec<_> = loaded
        .cases
        .iter()
        .filter(|c| {
            profile.is_none_or(|p| c.profile == p || c.profile.starts_with(&format!("{p}-")))
        })
        .collect();
    if cases.is_empty() {
        return usage(format!(
            "--profile {}: no case of that profile (profiles: core, jws, pendo, watson, pomerium, coyo)",
            profile.unwrap_or_default()
        ));
    }
    let mut by_kid: BTreeMap<String, Value> = BTreeMap::new();
    let mut documents: BTreeMap<String, Value> = BTreeMap::new();
    for c in &cases {
        for step in &c.steps {
            collect_keys(&step.context, &mut by_kid);
        }
        if let Some(Value::Object(net)) = &c.case.network {
            for (url, answer) in net {
                let body = answer
                    .get("body")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if let Ok(doc @ Value::Object(_)) = serde_json::from_str::<Value>(body) {
                    if doc.get("keys").is_some_and(Value::is_array) {
                        documents.entry(url.clone()).or_insert(doc);
                    }
                }
            }
        }
    }
    Ok(match format {
        KeyFormat::Jwks => {
            let set = json!({ "keys": by_kid.values().collect::<Vec<_>>() });
            serde_json::to_string_pretty(&set).expect("JSON prints") + "\n"
        }
        KeyFormat::Documents => {
            serde_json::to_string_pretty(&documents).expect("JSON prints") + "\n"
        }
        KeyFormat::Pem => {
            let mut out = String::new();
            for (kid, jwk) in &by_kid {
                match pem_of(jwk) {
                    Ok(pem) => out.push_str(&format!("# {kid}\n{pem}\n")),
                    Err(why) => out.push_str(&format!("# {kid}: {why}\n\n")),
                }
            }
            out
        }
    })
}

/// Every public JWK with a `kid` in a resolved context (`keys`, `builtin`, issuers'
/// `keys`), private members never among them (the loader strips them).
fn collect_keys(v: &Value, out: &mut BTreeMap<String, Value>) {
    match v {
        Value::Object(map) => {
            for (field, value) in map {
                if field == "keys" || field == "builtin" {
                    for k in value.as_array().into_iter().flatten() {
                        let kid = k.get("kid").and_then(Value::as_str);
                        let public = k.get("d").is_none()
                            || k.get("kty").and_then(Value::as_str) == Some("oct");
                        if let (Some(kid), true, Some("RSA" | "EC" | "oct")) =
                            (kid, public, k.get("kty").and_then(Value::as_str))
                        {
                            out.entry(kid.to_owned()).or_insert_with(|| k.clone());
                        }
                    }
                } else {
                    collect_keys(value, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_keys(i, out)),
        _ => {}
    }
}

/// A public JWK as PEM (SubjectPublicKeyInfo); an `oct` key as its secret's text.
pub fn pem_of(jwk: &Value) -> Result<String, String> {
    use base64::Engine;
    let b64 = |name: &str| -> Result<Vec<u8>, String> {
        let s = jwk
            .get(name)
            .and_then(Value::as_str)
            .ok_or_else(|| format!("JWK without {name:?}"))?;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|e| format!("JWK member {name:?}: {e}"))
    };
    match jwk.get("kty").and_then(Value::as_str) {
        Some("RSA") => {
            use rsa::pkcs8::EncodePublicKey;
            let key = rsa::RsaPublicKey::new(
                rsa::BigUint::from_bytes_be(&b64("n")?),
                rsa::BigUint::from_bytes_be(&b64("e")?),
            )
            .map_err(|e| format!("RSA JWK: {e}"))?;
            key.to_public_key_pem(rsa::pkcs8::LineEnding::LF)
                .map_err(|e| e.to_string())
        }
        Some("EC") if jwk.get("crv").and_then(Value::as_str) != Some("P-256") => Err(format!(
            "an EC key on {} (only P-256 keys are printed as PEM)",
            jwk.get("crv").unwrap_or(&Value::Null)
        )),
        Some("EC") => {
            use p256::pkcs8::EncodePublicKey;
            let mut point = vec![4u8];
            point.extend(b64("x")?);
            point.extend(b64("y")?);
            let key =
                p256::PublicKey::from_sec1_bytes(&point).map_err(|e| format!("EC JWK: {e}"))?;
            key.to_public_key_pem(p256::pkcs8::LineEnding::LF)
                .map_err(|e| e.to_string())
        }
        Some("oct") => {
            let secret = b64("k")?;
            Ok(match String::from_utf8(secret.clone()) {
                Ok(text) => format!("secret (text): {text}\n"),
                Err(_) => format!(
                    "secret (base64url): {}\n",
                    jwk["k"].as_str().unwrap_or_default()
                ),
            })
        }
        other => Err(format!("a key of kty {other:?} has no PEM form here")),
    }
}
