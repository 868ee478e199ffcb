//! The canonical form a `pomerium-proxy` output is graded in (rule pomerium.strip), and
//! the proxy profile's context, which the grader reads to check an assertion (the
//! reference's proxy reads it too).
//!
//! Proxy context: `{"audience", "issuer"?, "signing_key": private EC JWK, "identity":
//! {"sub", "email"?, "groups"?}}`; input the client's headers; output `{"headers": […]}`.

use serde_json::{json, Value};

use jwtc_vectors::load::LoadedCase;
use jwtc_verifier::jose::{self, Limits, Payload};
use jwtc_verifier::net::{JwksCache, NoNetwork};
use jwtc_verifier::pomerium::{
    self, Config, Identity, KeySource, ProxyConfig, SigningKey, ASSERTION_HEADER,
    ASSERTION_LIFETIME, DEFAULT_ISSUER,
};
use jwtc_verifier::KeySet;

use super::case::Answer;
use crate::outcome::Got;

/// The proxy's configuration and the identity it asserts, from a `pomerium-proxy` context.
pub fn proxy_config(context: &Value) -> Result<(ProxyConfig, Identity), String> {
    let audience = opt_str(context, "audience")?.ok_or("context.audience is missing")?;
    let issuer = opt_str(context, "issuer")?.unwrap_or(DEFAULT_ISSUER);
    let signing_key = SigningKey::from_jwk(member(context, "signing_key")?)
        .map_err(|e| format!("configuration: {e}"))?;
    let identity = member(context, "identity")?
        .as_object()
        .ok_or("context.identity is not an object")?;
    let identity = Identity::from_claims(identity).map_err(|e| format!("context.identity: {e}"))?;
    Ok((
        ProxyConfig {
            audience: audience.to_owned(),
            issuer: issuer.to_owned(),
            signing_key,
            lifetime: ASSERTION_LIFETIME,
        },
        identity,
    ))
}

fn member<'a>(context: &'a Value, name: &str) -> Result<&'a Value, String> {
    context
        .get(name)
        .ok_or_else(|| format!("context.{name} is missing"))
}

fn opt_str<'a>(context: &'a Value, name: &str) -> Result<Option<&'a str>, String> {
    match context.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("context.{name} is not a string")),
    }
}

/// Headers as the profile writes them: an array of `[name, value]` pairs.
pub fn pairs(headers: &[(String, String)]) -> Value {
    Value::Array(headers.iter().map(|(n, v)| json!([n, v])).collect())
}

/// The longest assertion lifetime the proxy check accepts (seconds from now to `exp`).
pub const MAX_PROXY_LIFETIME: i64 = 3600;
/// How far from now a proxy's `iat` may be (seconds), either way.
pub const PROXY_IAT_SLACK: i64 = 60;

/// The form a `pomerium-proxy` output is graded in (rule pomerium.strip). ES256 signatures
/// of two implementations are not byte-identical, so the assertion is not compared as text:
///
/// - `headers`: every header but the assertion, names lowercased, sorted by name (the order
///   of one name's values kept). A client's `x-pomerium-*` header left in shows up here.
/// - `assertion`: exactly one `x-pomerium-jwt-assertion` must be present. It is verified
///   with the public half of the context's `signing_key` under the pomerium verifier
///   (ES256, `iss`, `aud`, 60 s skew); its identity (`sub`, `email`?, `groups`?) is shown,
///   with `"fresh": true` when `iat` is within 60 s of now and now < `exp` <= now + 3600.
///   Anything else shows as `{"error": "..."}`, which no vector expects.
pub fn canonical_proxy_output(output: &Value, context: &Value, now: i64) -> Value {
    let Some(list) = output.get("headers").and_then(Value::as_array) else {
        return json!({"error": "output.headers is not an array"});
    };
    let mut rest: Vec<(String, String)> = Vec::new();
    let mut assertions: Vec<String> = Vec::new();
    for (i, h) in list.iter().enumerate() {
        match h.as_array().map(Vec::as_slice) {
            Some([Value::String(n), Value::String(v)]) => {
                if n.eq_ignore_ascii_case(ASSERTION_HEADER) {
                    assertions.push(v.clone());
                } else {
                    rest.push((n.to_ascii_lowercase(), v.clone()));
                }
            }
            _ => {
                return json!({
                    "error": format!("output.headers[{i}] is not a [name, value] pair of strings")
                })
            }
        }
    }
    rest.sort_by(|a, b| a.0.cmp(&b.0));
    let assertion = match assertions.as_slice() {
        [one] => check_assertion(one, context, now),
        other => json!({
            "error": format!("{} {ASSERTION_HEADER} header(s); exactly one is required", other.len())
        }),
    };
    json!({ "headers": pairs(&rest), "assertion": assertion })
}

fn check_assertion(token: &str, context: &Value, now: i64) -> Value {
    let (config, _) = match proxy_config(context) {
        Ok(c) => c,
        Err(e) => return json!({ "error": e }),
    };
    let public = match jwtc_verifier::Key::from_jwk(&config.signing_key.public_jwk())
        .and_then(|k| KeySet::new(vec![k]))
    {
        Ok(k) => k,
        Err(e) => return json!({ "error": e.to_string() }),
    };
    let verifier = Config::new(
        &config.audience,
        Some(&config.issuer),
        KeySource::Static(public),
    );
    let headers = [(ASSERTION_HEADER.to_owned(), token.to_owned())];
    let identity = match pomerium::verify(
        &headers,
        &verifier,
        &mut JwksCache::default(),
        now,
        &mut NoNetwork,
    ) {
        Ok((identity, _)) => identity,
        Err(e) => return json!({ "error": e.to_string() }),
    };
    let claims = jose::parse(token, &Limits::default(), Payload::JsonObject)
        .ok()
        .and_then(|p| p.claims)
        .unwrap_or_default();
    let num = |n: &str| claims.get(n).as_ref().and_then(Value::as_f64);
    let fresh = match (num("iat"), num("exp")) {
        (Some(iat), Some(exp)) => {
            let now = now as f64;
            if (iat - now).abs() > PROXY_IAT_SLACK as f64 {
                json!(format!(
                    "iat {iat} is more than {PROXY_IAT_SLACK} s from now {now}"
                ))
            } else if exp <= now || exp > now + MAX_PROXY_LIFETIME as f64 {
                json!(format!(
                    "exp {exp} is not in (now, now + {MAX_PROXY_LIFETIME}] with now {now}"
                ))
            } else {
                json!(true)
            }
        }
        _ => json!("iat or exp missing"),
    };
    let mut out = identity.to_json();
    out["fresh"] = fresh;
    out
}

/// Puts an implementation's answers to a case in the form its vectors compare: a
/// `pomerium-proxy` case's accepting answers are put in canonical form
/// ([`canonical_proxy_output`], at the suite clock `now`) so that any correct proxy passes
/// the vectors' exact comparison; every other profile's answers pass unchanged.
pub fn canonical_answers(case: &LoadedCase, answers: Vec<Answer>, now: i64) -> Vec<Answer> {
    if case.profile != "pomerium-proxy" {
        return answers;
    }
    answers
        .into_iter()
        .enumerate()
        .map(|(i, (mut got, forced))| {
            if got.verdict == Got::Accept {
                if let Some(output) = &got.output {
                    let context = case
                        .steps
                        .get(i)
                        .map(|s| s.context.clone())
                        .unwrap_or_default();
                    got.output = Some(canonical_proxy_output(output, &context, now));
                }
            }
            (got, forced)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> Value {
        let text = std::fs::read_to_string(format!(
            "{}/../../vectors/keys/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        serde_json::from_str(&text).unwrap()
    }

    fn context() -> Value {
        json!({"audience": "app.example", "signing_key": key("p256-a"),
               "identity": {"sub": "u1", "email": "u1@example.com"}})
    }

    /// What a correct proxy configured with `context` forwards at `now`: `{"headers": […]}`.
    fn forward(context: &Value, now: i64) -> Value {
        let client: Vec<(String, String)> = [
            ("Accept", "*/*"),
            ("X-Pomerium-Claim-Email", "x"),
            ("B", "1"),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        let (config, identity) = proxy_config(context).unwrap();
        let out = pomerium::forward(&client, &identity, &config, now).unwrap();
        json!({ "headers": pairs(&out) })
    }

    #[test]
    fn the_canonical_form_verifies_the_assertion() {
        let out = forward(&context(), 1000);
        let c = canonical_proxy_output(&out, &context(), 1000);
        assert_eq!(
            c,
            json!({"headers": [["accept", "*/*"], ["b", "1"]],
                   "assertion": {"sub": "u1", "email": "u1@example.com", "fresh": true}})
        );
        // Signed by another key, or stale, or twice: not the expected form.
        let mut other = context();
        other["signing_key"] = key("p256-b");
        let forged = forward(&other, 1000);
        assert!(
            canonical_proxy_output(&forged, &context(), 1000)["assertion"]["error"]
                .as_str()
                .unwrap()
                .contains("key unknown")
        );
        let stale = forward(&context(), 1000 - 120);
        assert!(canonical_proxy_output(&stale, &context(), 1000)["assertion"]["fresh"].is_string());
        let mut twice = out.clone();
        let first = twice["headers"][2].clone();
        twice["headers"].as_array_mut().unwrap().push(first);
        assert!(canonical_proxy_output(&twice, &context(), 1000)["assertion"]["error"].is_string());
        assert!(
            canonical_proxy_output(&json!({"headers": [1]}), &context(), 1000)["error"].is_string()
        );
    }
}
