//! The fixed test keys of vectors/keys/: JWK files, test-only, checked in. Never
//! generated at test time.

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// Members of a private JWK that a verifier is never given.
const PRIVATE_MEMBERS: [&str; 6] = ["d", "p", "q", "dp", "dq", "qi"];

/// Context fields whose string entries name keys to send as public JWKs.
const PUBLIC_KEY_FIELDS: [&str; 2] = ["keys", "builtin"];
/// Context fields whose string value names a key to send whole (private part included).
const PRIVATE_KEY_FIELDS: [&str; 2] = ["decryption_key", "signing_key"];

/// Every test key by name (the file stem).
#[derive(Clone, Debug, Default)]
pub struct KeyStore {
    keys: BTreeMap<String, Value>,
}

impl KeyStore {
    /// Loads every `*.json` in `dir`; the error names the file.
    pub fn load(dir: &Path) -> Result<KeyStore, String> {
        let mut keys = BTreeMap::new();
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let jwk: Value =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_owned();
            if jwk.get("kty").and_then(Value::as_str).is_none() {
                return Err(format!("{}: not a JWK (no \"kty\" string)", path.display()));
            }
            keys.insert(name, jwk);
        }
        Ok(KeyStore { keys })
    }

    /// A store from named JWKs (for tools that embed their keys, like the fuzz targets).
    pub fn from_entries(entries: impl IntoIterator<Item = (String, Value)>) -> KeyStore {
        KeyStore {
            keys: entries.into_iter().collect(),
        }
    }

    /// The whole JWK (private members included).
    pub fn private_jwk(&self, name: &str) -> Option<&Value> {
        self.keys.get(name)
    }

    /// The JWK a verifier is given: private members removed (an `oct` key is its secret).
    pub fn public_jwk(&self, name: &str) -> Option<Value> {
        let mut jwk = self.keys.get(name)?.clone();
        if jwk.get("kty").and_then(Value::as_str) != Some("oct") {
            if let Some(obj) = jwk.as_object_mut() {
                for m in PRIVATE_MEMBERS {
                    obj.remove(m);
                }
            }
        }
        Some(jwk)
    }

    /// The key names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }

    /// Replaces key names in a context with JWKs, as the harness sends them. The error
    /// names the field and the unknown key.
    pub fn resolve(&self, context: &Value) -> Result<Value, String> {
        let mut out = context.clone();
        self.resolve_in(&mut out, "context")?;
        Ok(out)
    }

    fn resolve_in(&self, v: &mut Value, at: &str) -> Result<(), String> {
        match v {
            Value::Object(map) => self.resolve_map(map, at),
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.resolve_in(item, &format!("{at}[{i}]"))?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn resolve_map(&self, map: &mut Map<String, Value>, at: &str) -> Result<(), String> {
        for (field, value) in map.iter_mut() {
            let here = format!("{at}.{field}");
            if PUBLIC_KEY_FIELDS.contains(&field.as_str()) {
                if let Value::Array(items) = value {
                    for (i, item) in items.iter_mut().enumerate() {
                        if let Value::String(name) = item {
                            *item = self.public_jwk(name).ok_or_else(|| {
                                format!("{here}[{i}]: unknown key {name:?} (not in vectors/keys)")
                            })?;
                        }
                    }
                    continue;
                }
            }
            if PRIVATE_KEY_FIELDS.contains(&field.as_str()) {
                if let Value::String(name) = value {
                    *value = self.private_jwk(name).cloned().ok_or_else(|| {
                        format!("{here}: unknown key {name:?} (not in vectors/keys)")
                    })?;
                    continue;
                }
            }
            self.resolve_in(value, &here)?;
        }
        Ok(())
    }
}
