//! The keys a vectors folder names: ours are the fixed test keys of vectors/keys/ (JWK
//! files, test-only, checked in, never generated at test time); a user's folder may have a
//! keys/ folder of JWK `.json` and `.pem` files, or none, and may put keys inline as PEM
//! text or JWK Sets ([`KeyStore::user_forms`]), converted here to the JWKs that are sent.

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Members of a private JWK that a verifier is never given.
const PRIVATE_MEMBERS: [&str; 6] = ["d", "p", "q", "dp", "dq", "qi"];

/// Context fields whose entries are keys to send as public JWKs.
const PUBLIC_KEY_FIELDS: [&str; 2] = ["keys", "builtin"];
/// Context fields whose value is one public key (a signer's encryption key: Watson's
/// `ibm_public_key`), sent as its public half.
const ONE_PUBLIC_KEY_FIELDS: [&str; 1] = ["ibm_public_key"];
/// Context fields whose value is one key to send whole (private part included).
const PRIVATE_KEY_FIELDS: [&str; 2] = ["decryption_key", "signing_key"];

/// How a string in a key field starts when it is PEM text rather than a key name.
const PEM_START: &str = "-----BEGIN";

/// Every key by name (the file stem).
#[derive(Clone, Debug, Default)]
pub struct KeyStore {
    keys: BTreeMap<String, Value>,
    /// `.pem` key files (a user's folder), converted when a case names them: name → (file, text).
    pems: BTreeMap<String, (PathBuf, String)>,
    /// Where the keys came from, for the unknown-key message.
    source: String,
    /// Whether the forms of a user's folder are read: PEM text and JWK Sets inline.
    user: bool,
}

impl KeyStore {
    /// Loads every `*.json` in `dir` (our vectors/keys; other files there are not keys of
    /// the suite); the error names the file.
    pub fn load(dir: &Path) -> Result<KeyStore, String> {
        let mut keys = BTreeMap::new();
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                continue;
            }
            keys.insert(stem(&path), read_jwk(&path)?);
        }
        Ok(KeyStore {
            keys,
            source: dir.display().to_string(),
            ..KeyStore::default()
        })
    }

    /// The keys of a user's folder: `dir` may be absent (every key inline); when present,
    /// it holds only `NAME.json` (a JWK) and `NAME.pem` files (a `.pem` is read when a case
    /// names it; its key gets the name as `kid`). Hidden files are passed over; any other
    /// file, or a name given twice, is an error naming it. The store reads the inline forms.
    pub fn load_user(dir: &Path) -> Result<KeyStore, String> {
        let mut store = KeyStore {
            source: dir.display().to_string(),
            user: true,
            ..KeyStore::default()
        };
        if !dir.exists() {
            store.source = format!("{} (there is no such folder)", dir.display());
            return Ok(store);
        }
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut paths: Vec<PathBuf> = Vec::new();
        for entry in entries {
            paths.push(entry.map_err(|e| format!("{}: {e}", dir.display()))?.path());
        }
        paths.sort();
        let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
        for path in paths {
            let hidden = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if hidden {
                continue;
            }
            let name = stem(&path);
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !path.is_file() || !matches!(ext, "json" | "pem") {
                return Err(format!(
                    "{}: not a key file: keys/ holds NAME.json (a JWK) and NAME.pem files only",
                    path.display()
                ));
            }
            if let Some(first) = seen.insert(name.clone(), path.clone()) {
                return Err(format!(
                    "{}: key {name:?} is also {}; a name is one file",
                    path.display(),
                    first.display()
                ));
            }
            if ext == "json" {
                store.keys.insert(name, read_jwk(&path)?);
            } else {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                store.pems.insert(name, (path, text));
            }
        }
        Ok(store)
    }

    /// A store from named JWKs (for tools that embed their keys, like the fuzz targets).
    pub fn from_entries(entries: impl IntoIterator<Item = (String, Value)>) -> KeyStore {
        KeyStore {
            keys: entries.into_iter().collect(),
            source: "the embedded test keys".into(),
            ..KeyStore::default()
        }
    }

    /// The same store, reading the inline forms of a user's folder too (PEM text in a key
    /// field, a JWK Set where keys are listed).
    pub fn user_forms(mut self) -> KeyStore {
        self.user = true;
        self
    }

    /// The whole JWK (private members included), of a `.json` key file.
    pub fn private_jwk(&self, name: &str) -> Option<&Value> {
        self.keys.get(name)
    }

    /// The JWK a verifier is given: private members removed (an `oct` key is its secret).
    pub fn public_jwk(&self, name: &str) -> Option<Value> {
        self.keys.get(name).map(public_half)
    }

    /// The key names, sorted (`.json` files; a user's `.pem` files after them).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().chain(self.pems.keys()).map(String::as_str)
    }

    /// Replaces key names (and, in a user's folder, PEM text and JWK Sets) in a context
    /// with JWKs, as the harness sends them. The error names the field and the key.
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
                if self.user && is_jwks(value) {
                    let mut out = Vec::new();
                    self.public_list(value, &here, &mut out)?;
                    *value = Value::Array(out);
                    continue;
                }
                if let Value::Array(items) = value {
                    let mut out = Vec::new();
                    for (i, item) in items.iter().enumerate() {
                        self.public_key(item, &format!("{here}[{i}]"), &mut out)?;
                    }
                    *items = out;
                    continue;
                }
            }
            if ONE_PUBLIC_KEY_FIELDS.contains(&field.as_str()) && !value.is_object() {
                let mut out = Vec::new();
                self.public_key(value, &here, &mut out)?;
                match <[Value; 1]>::try_from(out) {
                    Ok([one]) => *value = one,
                    Err(out) => {
                        return Err(format!(
                            "{here}: {} keys; this field takes one key",
                            out.len()
                        ))
                    }
                }
                continue;
            }
            if PRIVATE_KEY_FIELDS.contains(&field.as_str()) {
                match value {
                    Value::String(text) => {
                        *value = self.private_key(text, &here)?;
                        continue;
                    }
                    Value::Object(_) if self.user && is_jwks(value) => {
                        let mut out = Vec::new();
                        self.flatten(value, &here, &mut out)?;
                        match <[Value; 1]>::try_from(out) {
                            Ok([one]) => *value = one,
                            Err(out) => {
                                return Err(format!(
                                    "{here}: a JWK Set of {} keys; this field takes one key",
                                    out.len()
                                ))
                            }
                        }
                        continue;
                    }
                    _ => {}
                }
            }
            self.resolve_in(value, &here)?;
        }
        Ok(())
    }

    /// Resolves one entry of a public key list into `out` (a JWK Set gives its members).
    fn public_key(&self, item: &Value, at: &str, out: &mut Vec<Value>) -> Result<(), String> {
        match item {
            Value::String(text) if self.user && text.trim_start().starts_with(PEM_START) => {
                out.push(public_half(&pem_jwk(text, at)?.jwk));
            }
            Value::String(name) => out.push(self.named(name, at, false)?),
            _ if self.user && is_jwks(item) => self.public_list(item, at, out)?,
            other => out.push(other.clone()),
        }
        Ok(())
    }

    /// The members of a JWK Set, each resolved as a public key.
    fn public_list(&self, jwks: &Value, at: &str, out: &mut Vec<Value>) -> Result<(), String> {
        match jwks.get("keys") {
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.public_key(item, &format!("{at}.keys[{i}]"), out)?;
                }
                Ok(())
            }
            _ => Err(format!("{at}: a JWK Set's \"keys\" is a list of keys")),
        }
    }

    /// The members of a JWK Set for a private field, each resolved whole.
    fn flatten(&self, jwks: &Value, at: &str, out: &mut Vec<Value>) -> Result<(), String> {
        if let Some(Value::Array(items)) = jwks.get("keys") {
            for (i, item) in items.iter().enumerate() {
                let here = format!("{at}.keys[{i}]");
                match item {
                    Value::String(text) => out.push(self.private_key(text, &here)?),
                    _ if is_jwks(item) => self.flatten(item, &here, out)?,
                    other => out.push(other.clone()),
                }
            }
        }
        Ok(())
    }

    /// A private key field's string: a key name, or (a user's folder) private PEM text.
    fn private_key(&self, text: &str, at: &str) -> Result<Value, String> {
        if self.user && text.trim_start().starts_with(PEM_START) {
            let key = pem_jwk(text, at)?;
            if !key.private {
                return Err(format!(
                    "{at}: the PEM text is a public key; this field takes a private key (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)"
                ));
            }
            return Ok(key.jwk);
        }
        self.named(text, at, true)
    }

    /// The key named `name`: its whole JWK (`private`) or its public half.
    fn named(&self, name: &str, at: &str, private: bool) -> Result<Value, String> {
        if let Some(jwk) = self.keys.get(name) {
            return Ok(if private {
                jwk.clone()
            } else {
                public_half(jwk)
            });
        }
        let Some((path, text)) = self.pems.get(name) else {
            return Err(format!(
                "{at}: unknown key {name:?} (not in {})",
                self.source
            ));
        };
        let key = pem_jwk(text, &format!("{at}: {}", path.display()))?;
        if private && !key.private {
            return Err(format!(
                "{at}: key {name:?} ({}) is a public key; this field takes a private key",
                path.display()
            ));
        }
        let mut jwk = if private {
            key.jwk
        } else {
            public_half(&key.jwk)
        };
        if let Some(obj) = jwk.as_object_mut() {
            obj.insert("kid".into(), Value::String(name.to_owned()));
        }
        Ok(jwk)
    }
}

/// The file stem of `path`, as a key name.
fn stem(path: &Path) -> String {
    path.file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned()
}

/// Reads a JWK file; the error names it.
fn read_jwk(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let jwk: Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if jwk.get("kty").and_then(Value::as_str).is_none() {
        return Err(format!("{}: not a JWK (no \"kty\" string)", path.display()));
    }
    Ok(jwk)
}

/// Whether `v` is a JWK Set (an object with `keys` and no `kty`).
fn is_jwks(v: &Value) -> bool {
    v.get("keys").is_some() && v.get("kty").is_none()
}

/// PEM text as a JWK; the error names where it was.
fn pem_jwk(text: &str, at: &str) -> Result<jwtc_verifier::keys::PemJwk, String> {
    jwtc_verifier::keys::jwk_from_pem(text, "(pem)").map_err(|e| format!("{at}: {e}"))
}

/// A JWK without its private members (an `oct` key is its secret, kept whole).
fn public_half(jwk: &Value) -> Value {
    let mut jwk = jwk.clone();
    if jwk.get("kty").and_then(Value::as_str) != Some("oct") {
        if let Some(obj) = jwk.as_object_mut() {
            for m in PRIVATE_MEMBERS {
                obj.remove(m);
            }
        }
    }
    jwk
}
