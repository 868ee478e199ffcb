//! Profiles `pomerium` (verifier role) and `pomerium-proxy` (proxy role) behind the
//! case interface. The canonical form a proxy's output is graded in, and the proxy
//! context both read, are the grader's ([`crate::grade::proxy`]).
//!
//! Verifier context: `{"audience", "issuer"?, "skew"?, "keys"? | "jwks_url"?}`. With
//! `keys`, those are the keys; with `jwks_url`, the JWKS there; with neither, the JWKS at
//! `https://<issuer>/.well-known/pomerium/jwks.json`. Input `{"headers": [[name, value]…]}`,
//! output `{"sub", "email"?, "groups"?}`.
//!
//! Proxy: the context [`proxy_config`] reads; input the client's headers; output
//! `{"headers": […]}`.

use serde_json::{json, Value};

use jwtc_verifier::net::JwksCache;
use jwtc_verifier::pomerium::{self, Config, KeySource, DEFAULT_ISSUER, DEFAULT_SKEW};

use super::network::SimNet;
use super::{field, load_keys, verdict, Session};
use crate::grade::proxy::{pairs, proxy_config};
use crate::outcome::Outcome;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::Got;

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
