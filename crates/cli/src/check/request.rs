//! What `jwtc check` sends the reference verifier: the profile's input and context built
//! from the flags, as a case of that profile would carry them (docs/protocol.md), and the
//! network map of `--fetch`.

use serde_json::{json, Map, Value};

use super::CheckArgs;
use crate::keyarg;

/// One check's case: input, context, network map, and the settings the explanation shows.
pub struct Request {
    pub input: Value,
    pub context: Value,
    pub network: Option<Value>,
    /// The profile's algorithm.
    pub alg: String,
    /// The skew in force.
    pub skew: i64,
    /// The compact token inside the input, for the explanation.
    pub token: Option<String>,
}

/// The algorithm each vendor profile fixes.
fn profile_alg(profile: &str) -> Option<&'static str> {
    match profile {
        "pendo" => Some("HS256"),
        "watson" | "coyo" => Some("RS256"),
        "pomerium" => Some("ES256"),
        _ => None,
    }
}

/// Builds the case for `args.profile` around `token` (the argument, or stdin's text).
pub fn build(args: &CheckArgs, token: &str) -> Result<Request, String> {
    let profile = args.profile.as_str();
    let alg = match (profile, &args.alg) {
        ("core", Some(a)) => a.clone(),
        ("core", None) => {
            return Err("--profile core needs --alg (RS256, ES256 or HS256): a verifier is configured with one algorithm, never the token's".into())
        }
        (p, Some(a)) if profile_alg(p) != Some(a.as_str()) => {
            return Err(format!(
                "--alg {a}: the {p} profile fixes {}",
                profile_alg(p).unwrap_or("its algorithm")
            ))
        }
        (p, _) => profile_alg(p).unwrap_or_default().to_owned(),
    };
    let default_skew = if profile == "pomerium" { 60 } else { 0 };
    let skew = args.skew.unwrap_or(default_skew);
    let mut keys = Vec::new();
    for k in &args.key {
        keys.extend(keyarg::public_keys("--key", k)?);
    }
    for s in &args.secret {
        keys.push(keyarg::pendo_secret(s)?);
    }
    let need_keys = |what: &str| -> Result<(), String> {
        if keys.is_empty() {
            Err(format!("--profile {profile} needs {what}"))
        } else {
            Ok(())
        }
    };
    let mut context = Map::new();
    let compact = token.trim().to_owned();
    let (input, token) = match profile {
        "core" => {
            need_keys("--key (the key the verifier trusts)")?;
            context.insert("algorithm".into(), json!(alg));
            context.insert("keys".into(), json!(keys));
            context.insert("skew".into(), json!(skew));
            (json!({ "token": compact }), Some(compact))
        }
        "watson" => {
            need_keys("--key (the customer's public key that IBM trusts)")?;
            context.insert("keys".into(), json!(keys));
            context.insert("skew".into(), json!(skew));
            if let Some(iss) = &args.issuer {
                context.insert("issuer".into(), json!(iss));
            }
            if let Some(k) = &args.decryption_key {
                context.insert(
                    "decryption_key".into(),
                    keyarg::private_jwk("--decryption-key", k)?,
                );
            }
            (json!({ "token": compact }), Some(compact))
        }
        "coyo" => {
            let mut builtin = Vec::new();
            for k in &args.builtin {
                builtin.extend(keyarg::public_keys("--builtin", k)?);
            }
            if keys.is_empty() && builtin.is_empty() && args.jku_allow.is_empty() {
                return Err("--profile coyo needs keys: --key with --issuer-pattern, --builtin, or --jku-allow with --fetch".into());
            }
            if !keys.is_empty() {
                let pattern = args.issuer_pattern.clone().ok_or(
                    "--profile coyo: --key registers issuer keys and needs --issuer-pattern (an anchored regular expression, e.g. '^https://a\\.coyocloud\\.com$')",
                )?;
                context.insert(
                    "issuers".into(),
                    json!([{ "pattern": pattern, "keys": keys }]),
                );
            }
            context.insert("builtin".into(), json!(builtin));
            context.insert("jku_allowlist".into(), json!(args.jku_allow));
            context.insert("skew".into(), json!(skew));
            (json!({ "token": compact }), Some(compact))
        }
        "pomerium" => {
            let audience = args
                .audience
                .clone()
                .ok_or("--profile pomerium needs --audience (the route's host)")?;
            let issuer = args
                .issuer
                .clone()
                .ok_or("--profile pomerium needs --issuer (the authenticate service's host)")?;
            context.insert("audience".into(), json!(audience));
            context.insert("issuer".into(), json!(issuer));
            match &args.jwks_url {
                Some(url) => {
                    context.insert("jwks_url".into(), json!(url));
                }
                None => {
                    need_keys("--key (Pomerium's public signing key) or --jwks-url with --fetch")?;
                    context.insert("keys".into(), json!(keys));
                }
            }
            context.insert("skew".into(), json!(skew));
            let mut headers = Vec::new();
            for h in &args.header {
                let (name, value) = h
                    .split_once(':')
                    .ok_or_else(|| format!("--header {h:?}: give 'Name: value'"))?;
                headers.push(json!([name.trim(), value.trim()]));
            }
            if !compact.is_empty() {
                headers.push(json!(["X-Pomerium-Jwt-Assertion", compact]));
            }
            if headers.is_empty() {
                return Err("--profile pomerium: give the assertion as TOKEN or the request's headers with --header".into());
            }
            let assertion = headers.iter().find_map(|h| {
                (h[0]
                    .as_str()?
                    .eq_ignore_ascii_case("x-pomerium-jwt-assertion"))
                .then(|| h[1].as_str().map(str::to_owned))
                .flatten()
            });
            (json!({ "headers": headers }), assertion)
        }
        "pendo" => {
            context.insert("mode".into(), json!(args.mode));
            context.insert("keys".into(), json!(keys));
            context.insert("revoked".into(), json!(args.revoked));
            let event: Value = if compact.starts_with('{') {
                serde_json::from_str(&compact)
                    .map_err(|e| format!("the Pendo event is not JSON: {e}"))?
            } else {
                let name = args.key_name.clone().ok_or(
                    "--profile pendo: give the event as JSON ({\"id\", \"jwt\", \"signingKeyName\"}), or the jwt with --key-name",
                )?;
                json!({ "id": "jwtc-check", "jwt": compact, "signingKeyName": name })
            };
            let jwt = event.get("jwt").and_then(Value::as_str).map(str::to_owned);
            (json!({ "event": event }), jwt)
        }
        other => {
            return Err(format!(
                "--profile {other:?}: check knows core, pendo, watson, pomerium and coyo"
            ))
        }
    };
    let network = network_map(&args.fetch)?;
    Ok(Request {
        input,
        context: Value::Object(context),
        network,
        alg,
        skew,
        token,
    })
}

/// `--fetch URL=FILE`: what a fetch of URL answers (status 200, the file's text).
fn network_map(fetch: &[String]) -> Result<Option<Value>, String> {
    if fetch.is_empty() {
        return Ok(None);
    }
    let mut map = Map::new();
    for f in fetch {
        let (url, file) = f
            .split_once('=')
            .ok_or_else(|| format!("--fetch {f:?}: give URL=FILE"))?;
        let body = std::fs::read_to_string(file)
            .map_err(|e| format!("--fetch {url}={file}: cannot read the file: {e}"))?;
        map.insert(url.to_owned(), json!({ "status": 200, "body": body }));
    }
    Ok(Some(Value::Object(map)))
}
