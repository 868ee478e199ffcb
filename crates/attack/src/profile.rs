//! What the vector file's cases carry for each profile: the context derived from the
//! token (algorithm, `kid`, issuer, audience, jku origin) and the given key or secret,
//! the token wrapped in the profile's input, and the clock inside the token's validity.

use serde_json::{json, Value};

use jwtc_verifier::b64;

use crate::key::PublicKey;
use crate::token::Token;

/// The profiles `jwtc attack` makes attacks for.
pub const PROFILES: &[&str] = &["core", "pomerium", "coyo", "pendo", "watson"];

/// What the cases of one token share.
#[derive(Clone, Debug)]
pub struct Frame {
    /// The profile.
    pub profile: String,
    /// The context every case runs under (unless it brings its own).
    pub context: Value,
    /// Pendo: the signing key's name.
    pub key_name: Option<String>,
    /// The clock.
    pub now: i64,
    /// Answers every case carries (COYO: the token's own jku serving the given key).
    pub network: Option<Value>,
}

/// The secret's name and bytes (Pendo's keys are named).
#[derive(Clone, Debug)]
pub struct Secret {
    /// The key name (Pendo's signingKeyName), if given.
    pub name: Option<String>,
    /// The secret's bytes.
    pub bytes: Vec<u8>,
}

/// The frame of `token` under `profile`; the error names the missing or mismatched value.
pub fn frame(
    profile: &str,
    token: &Token,
    key: Option<&PublicKey>,
    secret: Option<&Secret>,
    now: Option<i64>,
) -> Result<Frame, String> {
    if !PROFILES.contains(&profile) {
        return Err(format!(
            "--profile {profile:?}: unknown; jwtc attack takes {}",
            PROFILES.join(", ")
        ));
    }
    let want = match profile {
        "pomerium" => Some("ES256"),
        "coyo" | "watson" => Some("RS256"),
        "pendo" => Some("HS256"),
        _ => None,
    };
    if let Some(w) = want.filter(|w| *w != token.alg) {
        return Err(format!(
            "--profile {profile}: the token's alg is {:?}; {profile} tokens are {w}",
            token.alg
        ));
    }
    if profile == "core" && !matches!(token.alg.as_str(), "HS256" | "RS256" | "ES256") {
        return Err(format!(
            "--profile core: the token's alg is {:?}; the core profile configures HS256, RS256 or ES256",
            token.alg
        ));
    }
    let trusted = trusted_key(token, key, secret)?;
    let claim = |name: &str| {
        token.text(name).ok_or_else(|| {
            format!("--profile {profile}: the token has no {name:?} claim (string) to configure the verifier with")
        })
    };
    let mut key_name = None;
    let mut network = None;
    let context = match profile {
        "pomerium" => {
            json!({"audience": claim("aud")?, "issuer": claim("iss")?, "keys": [trusted], "skew": 60})
        }
        "coyo" => {
            let jku: Vec<String> = token
                .header
                .get("jku")
                .and_then(Value::as_str)
                .and_then(|j| url::Url::parse(j).ok())
                .map(|u| u.origin().ascii_serialization())
                .into_iter()
                .collect();
            if let Some(j) = token.header.get("jku").and_then(Value::as_str) {
                network = Some(json!({ j: {"status": 200, "body": {"keys": [trusted]}} }));
            }
            json!({
                "issuers": [{"pattern": format!("^{}$", regex_escape(&claim("iss")?)), "keys": [trusted]}],
                "builtin": [],
                "jku_allowlist": jku,
            })
        }
        "pendo" => {
            let name = secret.and_then(|s| s.name.clone()).ok_or(
                "--profile pendo: give the secret as --secret NAME=SECRET (NAME: the signingKeyName)",
            )?;
            key_name = Some(name);
            json!({"mode": "only_signed", "keys": [trusted], "revoked": []})
        }
        "watson" => json!({"issuer": claim("iss")?, "keys": [trusted], "skew": 0}),
        _ => json!({"algorithm": token.alg, "keys": [trusted], "skew": 0}),
    };
    Ok(Frame {
        profile: profile.to_owned(),
        context,
        key_name,
        now: now.unwrap_or_else(|| inside(token)),
        network,
    })
}

/// The key the verifier trusts: the secret for HS tokens, the public key otherwise, with
/// the token's `kid` when the key has none.
fn trusted_key(
    token: &Token,
    key: Option<&PublicKey>,
    secret: Option<&Secret>,
) -> Result<Value, String> {
    let kid = token.header.get("kid").and_then(Value::as_str);
    let mut jwk = match (token.family(), key, secret) {
        ("HS", _, Some(s)) => json!({"kty": "oct", "k": b64::encode(&s.bytes)}),
        ("HS", _, None) => {
            return Err(format!(
                "the token is {}: give its secret with --secret (the verifier's key; without it no context can accept the token)",
                token.alg
            ))
        }
        (_, None, _) => {
            return Err(format!(
                "the token is {}: give the public key that verifies it with --key (PEM, JWK or JWK Set)",
                token.alg
            ))
        }
        (fam, Some(k), _) if k.family() != fam => {
            return Err(format!(
                "--key is an {} key; the token's alg {} needs an {} key",
                if k.family() == "RS" { "RSA" } else { "EC P-256" },
                token.alg,
                if fam == "RS" { "RSA" } else { "EC P-256" }
            ))
        }
        (_, Some(k), _) => k.jwk.clone(),
    };
    if let Some(o) = jwk.as_object_mut() {
        let name = secret.and_then(|s| s.name.clone());
        match (o.contains_key("kid"), name, kid) {
            (_, Some(n), _) if token.family() == "HS" => {
                o.insert("kid".into(), json!(n));
            }
            (false, _, Some(k)) => {
                o.insert("kid".into(), json!(k));
            }
            _ => {}
        }
    }
    Ok(jwk)
}

/// A clock inside the token's validity: the latest of iat and nbf, else a minute before
/// exp, else the suite's clock.
fn inside(token: &Token) -> i64 {
    match (token.int("iat"), token.int("nbf"), token.int("exp")) {
        (Some(a), Some(b), _) => a.max(b),
        (Some(a), None, _) | (None, Some(a), _) => a,
        (None, None, Some(exp)) => exp - 60,
        (None, None, None) => 1_767_225_600,
    }
}

/// The profile's input for `token` (Pomerium: the assertion header after `extra`).
pub fn input(frame: &Frame, token: &str, extra: &[(String, String)]) -> Value {
    match frame.profile.as_str() {
        "pomerium" => {
            let mut h: Vec<Value> = extra.iter().map(|(n, v)| json!([n, v])).collect();
            h.push(json!(["x-pomerium-jwt-assertion", token]));
            json!({ "headers": h })
        }
        "pendo" => {
            json!({"event": {"id": "jwtc-attack", "jwt": token, "signingKeyName": frame.key_name}})
        }
        _ => json!({ "token": token }),
    }
}

/// `s` with the regular-expression metacharacters escaped.
fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$/".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
