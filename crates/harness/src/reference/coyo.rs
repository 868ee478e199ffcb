//! Profile `coyo` behind the case interface. Context: `{"issuers": [{"pattern", "keys":
//! [RSA JWK]}], "builtin": [RSA JWK], "jku_allowlist": ["https://host[:port]"], "skew"?}`
//! (every member optional); input `{"token"}`; output `{"iss", "sub"?}`. Fetches are
//! answered from the case's network map; the JWK Set cache lives as long as the case.

use std::cell::RefCell;
use std::collections::HashMap;

use serde_json::Value;

use jwtc_verifier::coyo::{self, Config, IssuerKeys, IssuerPattern};
use jwtc_verifier::net::JwksCache;
use jwtc_verifier::Error;

use super::network::SimNet;
use super::{load_keys, token, verdict, Session};
use crate::outcome::Outcome;

/// A COYO session: the cache survives between the steps of a scenario.
#[derive(Default)]
pub struct Coyo {
    cache: Option<JwksCache>,
}

fn list<'a>(context: &'a Value, name: &str) -> Result<&'a [Value], String> {
    match context.get(name) {
        None => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(format!("context.{name} is not an array")),
    }
}

/// What [`IssuerPattern::parse`] gives for a pattern.
type Compiled = Result<(IssuerPattern, Vec<String>), Error>;

/// The most patterns [`issuer_pattern`] keeps per thread (then it starts afresh).
const COMPILED_PATTERNS: usize = 256;

/// [`IssuerPattern::parse`], remembered per thread by the pattern's text: a case's
/// configuration is built again at every step, in process and in `adapters/reference`
/// alike, and compiling the regular expression was a tenth of a whole suite run. A pattern
/// compiles to the same expression every time, so what is remembered is what would be
/// built.
fn issuer_pattern(pattern: &str) -> Compiled {
    thread_local! {
        static COMPILED: RefCell<HashMap<String, Compiled>> = RefCell::new(HashMap::new());
    }
    COMPILED.with(|compiled| {
        if let Some(hit) = compiled.borrow().get(pattern) {
            return hit.clone();
        }
        let built = IssuerPattern::parse(pattern);
        let mut compiled = compiled.borrow_mut();
        if compiled.len() >= COMPILED_PATTERNS {
            compiled.clear();
        }
        compiled.insert(pattern.to_owned(), built.clone());
        built
    })
}

/// Builds the configuration; refused parts (a pattern that does not compile, a key, an
/// allowlist entry) and lint warnings become notes, and the case goes on without them.
pub fn config(context: &Value) -> Result<(Config, Vec<String>), String> {
    let mut notes = Vec::new();
    let mut config = Config::default();
    for (i, entry) in list(context, "issuers")?.iter().enumerate() {
        let pattern = entry
            .get("pattern")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("context.issuers[{i}].pattern is not a string"))?;
        let (keys, n) = load_keys(entry).map_err(|e| format!("context.issuers[{i}]: {e}"))?;
        notes.extend(n);
        match issuer_pattern(pattern) {
            Ok((pattern, lints)) => {
                notes.extend(lints.into_iter().map(|l| format!("lint: {l}")));
                config.issuers.push(IssuerKeys { pattern, keys });
            }
            Err(e) => notes.push(format!("configuration: {e}")),
        }
    }
    if context.get("builtin").is_some() {
        let wrapped = serde_json::json!({ "keys": list(context, "builtin")? });
        let (keys, n) = load_keys(&wrapped).map_err(|e| format!("context.builtin: {e}"))?;
        notes.extend(n);
        config.builtin = keys;
    }
    for (i, entry) in list(context, "jku_allowlist")?.iter().enumerate() {
        let s = entry
            .as_str()
            .ok_or_else(|| format!("context.jku_allowlist[{i}] is not a string"))?;
        match coyo::parse_allowlist_entry(s) {
            Ok(origin) => config.jku_allowlist.push(origin),
            Err(e) => notes.push(format!("configuration: {e}")),
        }
    }
    config.skew = context
        .get("skew")
        .map_or(Some(0), Value::as_i64)
        .ok_or("context.skew is not an integer")?;
    Ok((config, notes))
}

impl Session for Coyo {
    fn step(
        &mut self,
        input: &Value,
        context: &Value,
        network: Option<&Value>,
        now: i64,
    ) -> Outcome {
        let (token, (config, mut notes)) =
            match token(input).and_then(|t| Ok((t, config(context)?))) {
                Ok(x) => x,
                Err(e) => return Outcome::error(e),
            };
        let cache = self
            .cache
            .get_or_insert_with(|| JwksCache::new(config.cache));
        let mut net = SimNet::new(network);
        let result = coyo::verify(token, &config, cache, now, &mut net).map(|v| {
            notes.extend(v.notes.iter().cloned());
            notes.push(format!("key from {}", v.key_source));
            v.to_json()
        });
        let mut o = verdict(result, &notes);
        o.fetches = net.fetched;
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refused_configuration_becomes_notes_and_bad_shapes_errors() {
        let (c, notes) = config(&json!({
            "issuers": [{"pattern": "/(/", "keys": []}, {"pattern": "/^https:\\/\\/a.b$/i", "keys": []}],
            "jku_allowlist": ["http://k.example", "https://k.example"]
        }))
        .unwrap();
        assert_eq!(c.issuers.len(), 1);
        assert_eq!(c.jku_allowlist.len(), 1);
        let all = notes.join("\n");
        assert!(all.contains("does not compile"), "{all}");
        assert!(all.contains("unescaped"), "{all}");
        assert!(all.contains("not https"), "{all}");
        assert!(config(&json!({"issuers": {}})).is_err());
        assert!(config(&json!({"issuers": [{"pattern": 1, "keys": []}]})).is_err());
        assert!(config(&json!({"jku_allowlist": [1]})).is_err());
        let o = Coyo::default().step(&json!({}), &json!({}), None, 0);
        assert!(o.detail.contains("input.token"), "{}", o.detail);
    }

    #[test]
    fn remembered_patterns_are_what_parse_builds() {
        // Refused, compiled with lints, case-insensitive, and past the bound (it starts afresh).
        let patterns = ["/(/", "/^https:\\/\\/a.b$/i", "^https://c\\.d$", "/x/g"];
        for round in 0..3 {
            for p in patterns {
                let (got, want) = (issuer_pattern(p), IssuerPattern::parse(p));
                match (got, want) {
                    (Err(g), Err(w)) => assert_eq!(g, w, "{p}"),
                    (Ok((g, gl)), Ok((w, wl))) => {
                        assert_eq!(
                            (g.source, g.case_insensitive, gl),
                            (w.source.clone(), w.case_insensitive, wl),
                            "{p}"
                        );
                        for iss in [
                            "https://a.b",
                            "https://A.B",
                            "https://axb",
                            "https://c.d",
                            "x",
                        ] {
                            assert_eq!(
                                issuer_pattern(p).unwrap().0.matches(iss),
                                w.matches(iss),
                                "{p} {iss}"
                            );
                        }
                    }
                    (g, w) => panic!("{p} in round {round}: {g:?}, parse: {w:?}"),
                }
            }
            for i in 0..COMPILED_PATTERNS {
                let _ = issuer_pattern(&format!("^https://h{i}\\.example$"));
            }
        }
    }
}
