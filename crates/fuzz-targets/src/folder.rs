//! Target `vector_folder`: the parsers of a user's vectors folder (docs/vectors.md). Any
//! bytes as one vector file read in user mode, and as a key in a context (PEM text, the
//! same bytes under every PEM label, a JWK, a JWK Set, a network answer): nothing panics,
//! and every error names where (the file, or the context field).

use base64::Engine as _;
use serde_json::{json, Value};
use std::path::Path;
use std::sync::OnceLock;

use jwtc_vectors::keystore::KeyStore;
use jwtc_vectors::load::{self, Mode};

/// The PEM labels the key conversion reads.
const LABELS: [&str; 6] = [
    "PUBLIC KEY",
    "RSA PUBLIC KEY",
    "CERTIFICATE",
    "PRIVATE KEY",
    "RSA PRIVATE KEY",
    "EC PRIVATE KEY",
];

fn env() -> &'static KeyStore {
    static ENV: OnceLock<KeyStore> = OnceLock::new();
    // One named key, embedded, so the binary needs no source tree.
    ENV.get_or_init(|| {
        let key: Value = serde_json::from_str(include_str!("../../../vectors/keys/p256-a.json"))
            .expect("a test key");
        KeyStore::from_entries([("p256-a".to_owned(), key)]).user_forms()
    })
}

/// Any bytes as a user's vector file and as inline keys.
pub fn vector_folder(data: &[u8]) {
    let keys = env();
    let text = String::from_utf8_lossy(data);
    let path = Path::new("mine/any.json");
    if let Err(errors) = load::parse_file_in(Mode::User, &text, path, keys) {
        assert!(!errors.is_empty());
        assert!(
            errors.iter().all(|e| e.starts_with("mine/any.json")),
            "{errors:?}"
        );
    }
    let mut contexts = vec![json!({
        "keys": [text.as_ref()],
        "decryption_key": text.as_ref(),
        "signing_key": text.as_ref(),
    })];
    let der = base64::engine::general_purpose::STANDARD.encode(data);
    for label in LABELS {
        let pem = format!("-----BEGIN {label}-----\n{der}\n-----END {label}-----\n");
        contexts.push(json!({"builtin": [&pem], "signing_key": &pem}));
    }
    if let Ok(v) = serde_json::from_slice::<Value>(data) {
        contexts.push(json!({"keys": v.clone(), "decryption_key": v.clone()}));
        contexts.push(json!({"issuers": [{"keys": [v.clone()]}], "signing_key": v.clone()}));
        let mut net = json!({"https://x.example/": v.clone()});
        let _ = load::network(&mut net);
        let mut net = v;
        if load::network(&mut net).is_ok() {
            for answer in net.as_object().into_iter().flat_map(|m| m.values()) {
                assert!(
                    answer["status"].is_u64() && answer["body"].is_string(),
                    "{answer}"
                );
            }
        }
    }
    for context in contexts {
        if let Err(e) = keys.resolve(&context) {
            assert!(e.starts_with("context."), "{e}");
        }
    }
}

#[cfg(test)]
mod tests {
    /// Inputs that reach deep: real keys in every form, a user's file, and their halves.
    #[test]
    fn real_keys_and_files_and_their_halves() {
        let inputs = [
            include_str!("../../../vectors/keys/p256-a.cert.pem"),
            include_str!("../../../vectors/keys/rsa-2048-a.pkcs1.pem"),
            include_str!("../../../vectors/keys/rsa-2048-b.cert.pem"),
            include_str!("../../../vectors/keys/p384-a.pub.pem"),
            include_str!("../../../vectors/keys/rsa-2048-a.json"),
            include_str!("../../../vectors/core/alg.json"),
            r#"{"keys": [{"kty": "oct", "k": "AA"}, "p256-a", {"keys": ["-----BEGIN X"]}]}"#,
            r#"{"https://a.example/": "x", "https://b.example/": {"body": [1], "status": 700}}"#,
            r#"{"schema": 1, "profile": "core", "now": -1, "cases": [{"id": "A", "rule": "core.alg",
               "severity": "low", "input": {}, "context": {"keys": ["p256-a", {"keys": []}]},
               "network": {"u": "body"}, "expect": {"verdict": "reject"}}]}"#,
        ];
        for text in inputs {
            for cut in [text.len(), text.len() / 2, text.len() / 3] {
                let cut = (0..=cut)
                    .rev()
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(0);
                super::vector_folder(&text.as_bytes()[..cut]);
            }
        }
    }
}
