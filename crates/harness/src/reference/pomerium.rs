//! Profiles `pomerium` (verifier role) and `pomerium-proxy` (proxy role) behind the
//! case interface, and the canonical form a proxy's output is graded in.
//!
//! Verifier context: `{"audience", "issuer"?, "skew"?, "keys"? | "jwks_url"?}`. With
//! `keys`, those are the keys; with `jwks_url`, the JWKS there; with neither, the JWKS at
//! `https://<issuer>/.well-known/pomerium/jwks.json`. Input `{"headers": [[name, value]…]}`,
//! output `{"sub", "email"?, "groups"?}`.
//!
//! Proxy context: `{"audience", "issuer"?, "signing_key": private EC JWK, "identity":
//! {"sub", "email"?, "groups"?}}`; input the client's headers; output `{"headers": […]}`.

use serde_json::{json, Value};

use jwtc_verifier::jose::{self, Limits, Payload};
use jwtc_verifier::net::JwksCache;
use jwtc_verifier::pomerium::{
    self, Config, Identity, KeySource, ProxyConfig, SigningKey, ASSERTION_HEADER,
    ASSERTION_LIFETIME, DEFAULT_ISSUER, DEFAULT_SKEW,
};
use jwtc_verifier::KeySet;

use super::network::SimNet;
use super::{field, load_keys, verdict, Session};
use crate::outcome::{Got, Outcome};

/// The verifier role: the JWKS cache lives as long as the case.
#[derive(Default)]
pub struct Verifier {
    cache: JwksCache,
}

/// The proxy role: no state.
pub struct Proxy;

/// `input.headers` as pairs; the error names the entry that is not a `[name, value]` pair.
pub fn headers(input: &Value) -> Result<Vec<(String, String)>, String> {
    field(input, "headers", "input")?
        .as_array()
        .ok_or("input.headers is not an array")?
        .iter()
        .enumerate()
        .map(|(i, h)| match h.as_array().map(Vec::as_slice) {
            Some([Value::String(n), Value::String(v)]) => Ok((n.clone(), v.clone())),
            _ => Err(format!(
                "input.headers[{i}] is not a [name, value] pair of strings"
            )),
        })
        .collect()
}

fn opt_str<'a>(context: &'a Value, name: &str) -> Result<Option<&'a str>, String> {
    match context.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("context.{name} is not a string")),
    }
}

fn config(context: &Value) -> Result<(Config, Vec<String>), String> {
    let audience = opt_str(context, "audience")?.ok_or("context.audience is missing")?;
    let issuer = opt_str(context, "issuer")?;
    let mut notes = Vec::new();
    let keys = match (context.get("keys"), opt_str(context, "jwks_url")?) {
        (Some(_), Some(_)) => return Err("context has both keys and jwks_url".into()),
        (Some(_), None) => {
            let (set, n) = load_keys(context)?;
            notes = n;
            KeySource::Static(set)
        }
        (None, Some(url)) => {
            KeySource::Jwks(pomerium::parse_jwks_url(url).map_err(|e| e.to_string())?)
        }
        (None, None) => KeySource::Jwks(
            pomerium::jwks_url_for_issuer(issuer.unwrap_or(DEFAULT_ISSUER))
                .map_err(|e| e.to_string())?,
        ),
    };
    let mut config = Config::new(audience, issuer, keys);
    config.skew = context
        .get("skew")
        .map_or(Some(DEFAULT_SKEW), Value::as_i64)
        .ok_or("context.skew is not an integer")?;
    Ok((config, notes))
}

impl Session for Verifier {
    fn step(
        &mut self,
        input: &Value,
        context: &Value,
        network: Option<&Value>,
        now: i64,
    ) -> Outcome {
        let (headers, (config, mut notes)) =
            match headers(input).and_then(|h| Ok((h, config(context)?))) {
                Ok(x) => x,
                Err(e) => return Outcome::error(e),
            };
        let mut net = SimNet::new(network);
        let result = pomerium::verify(&headers, &config, &mut self.cache, now, &mut net);
        let result = result.map(|(identity, n)| {
            notes.extend(n);
            identity.to_json()
        });
        let mut o = verdict(result, &notes);
        o.fetches = net.fetched;
        o
    }
}

fn proxy_config(context: &Value) -> Result<(ProxyConfig, Identity), String> {
    let audience = opt_str(context, "audience")?.ok_or("context.audience is missing")?;
    let issuer = opt_str(context, "issuer")?.unwrap_or(DEFAULT_ISSUER);
    let signing_key = SigningKey::from_jwk(field(context, "signing_key", "context")?)
        .map_err(|e| format!("configuration: {e}"))?;
    let identity = field(context, "identity", "context")?
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

fn pairs(headers: &[(String, String)]) -> Value {
    Value::Array(headers.iter().map(|(n, v)| json!([n, v])).collect())
}

impl Session for Proxy {
    fn step(
        &mut self,
        input: &Value,
        context: &Value,
        _network: Option<&Value>,
        now: i64,
    ) -> Outcome {
        let (headers, (config, identity)) = match headers(input).and_then(|h| {
            let c = proxy_config(context)?;
            Ok((h, c))
        }) {
            Ok(x) => x,
            Err(e) => return Outcome::error(e),
        };
        let result = pomerium::forward(&headers, &identity, &config, now)
            .map(|out| json!({ "headers": pairs(&out) }));
        verdict(result, &[])
    }
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
        &mut SimNet::new(None),
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

/// Puts a `pomerium-proxy` case's accepting answers in canonical form (other profiles'
/// answers pass unchanged), so that any correct proxy passes the vectors' exact comparison.
pub fn canonical(
    context_of_step: impl Fn(usize) -> Value,
    answers: Vec<crate::run::Answer>,
    now: i64,
) -> Vec<crate::run::Answer> {
    answers
        .into_iter()
        .enumerate()
        .map(|(i, (mut got, forced))| {
            if got.verdict == Got::Accept {
                if let Some(output) = &got.output {
                    got.output = Some(canonical_proxy_output(output, &context_of_step(i), now));
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

    #[test]
    fn the_canonical_form_verifies_the_assertion() {
        let input =
            json!({"headers": [["Accept", "*/*"], ["X-Pomerium-Claim-Email", "x"], ["B", "1"]]});
        let out = Proxy.step(&input, &context(), None, 1000);
        assert_eq!(out.verdict, Got::Accept, "{}", out.detail);
        let c = canonical_proxy_output(out.output.as_ref().unwrap(), &context(), 1000);
        assert_eq!(
            c,
            json!({"headers": [["accept", "*/*"], ["b", "1"]],
                   "assertion": {"sub": "u1", "email": "u1@example.com", "fresh": true}})
        );
        // Signed by another key, or stale, or twice: not the expected form.
        let mut other = context();
        other["signing_key"] = key("p256-b");
        let forged = Proxy.step(&input, &other, None, 1000).output.unwrap();
        assert!(
            canonical_proxy_output(&forged, &context(), 1000)["assertion"]["error"]
                .as_str()
                .unwrap()
                .contains("key unknown")
        );
        let stale = Proxy
            .step(&input, &context(), None, 1000 - 120)
            .output
            .unwrap();
        assert!(canonical_proxy_output(&stale, &context(), 1000)["assertion"]["fresh"].is_string());
        let mut twice = out.output.clone().unwrap();
        let first = twice["headers"][2].clone();
        twice["headers"].as_array_mut().unwrap().push(first);
        assert!(canonical_proxy_output(&twice, &context(), 1000)["assertion"]["error"].is_string());
        assert!(
            canonical_proxy_output(&json!({"headers": [1]}), &context(), 1000)["error"].is_string()
        );
    }

    #[test]
    fn bad_inputs_are_named() {
        let bad = Proxy.step(&json!({"headers": [["a"]]}), &context(), None, 0);
        assert_eq!(bad.verdict, Got::Error);
        assert!(bad.detail.contains("headers[0]"));
        let mut ctx = context();
        ctx["signing_key"] = key("p384-a");
        let bad = Proxy.step(&json!({"headers": []}), &ctx, None, 0);
        assert!(bad.detail.contains("P-256"), "{}", bad.detail);
        let bad = Verifier::default().step(
            &json!({"headers": []}),
            &json!({"audience": "a", "keys": [], "jwks_url": "https://x/"}),
            None,
            0,
        );
        assert!(bad.detail.contains("both"), "{}", bad.detail);
    }
}
