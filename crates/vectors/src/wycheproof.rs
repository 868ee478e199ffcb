//! Wycheproof's JSON Web Signature and JSON Web Key tests (vectors/external/wycheproof/,
//! Apache-2.0), read in their own format and turned into `jws` cases.

use serde_json::{json, Value};
use std::path::Path;

use crate::model::{Case, Expect, Severity, Verdict};

/// The algorithms a `jws` case allows: every signature algorithm of RFC 7518 the set's
/// tokens use, so that a library implementing one can accept its valid cases (the key
/// decides which applies). The reference does not implement ES384 and ES512, rejects
/// their tokens `alg_not_allowed`, and lists those cases as known divergences.
pub const JWS_ALGORITHMS: [&str; 12] = [
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
    "ES384", "ES512",
];

/// The Wycheproof files read, with the rule their cases test and their id prefix.
pub const FILES: [(&str, &str, &str); 2] = [
    (
        "json_web_signature_test.json",
        "external.wycheproof-jws",
        "wycheproof/jws",
    ),
    (
        "json_web_key_test.json",
        "external.wycheproof-jwk",
        "wycheproof/jwk",
    ),
];

/// Reads one Wycheproof file into cases. The error names the file and the test group.
pub fn load(path: &Path, rule: &str, prefix: &str) -> Result<Vec<Case>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse(&text, path, rule, prefix)
}

/// Reads one Wycheproof file's text as if it were at `path` (for messages).
pub fn parse(text: &str, path: &Path, rule: &str, prefix: &str) -> Result<Vec<Case>, String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| format!("{}: {e}", path.display()))?;
    let groups = doc
        .get("testGroups")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("{}: no \"testGroups\" array", path.display()))?;
    let declared = doc.get("numberOfTests").and_then(Value::as_u64);
    let mut cases = Vec::new();
    for (gi, group) in groups.iter().enumerate() {
        let at = |what: &str| format!("{}: testGroups[{gi}]: {what}", path.display());
        // The verifier is given the public key (set) when there is one, else the secret.
        let key = group
            .get("public")
            .filter(|v| !v.is_null())
            .or_else(|| group.get("private"))
            .ok_or_else(|| at("neither \"public\" nor \"private\""))?;
        let keys = match key.get("keys") {
            Some(Value::Array(set)) => set.clone(),
            Some(_) => return Err(at("\"keys\" is not an array")),
            None => vec![key.clone()],
        };
        let tests = group
            .get("tests")
            .and_then(Value::as_array)
            .ok_or_else(|| at("no \"tests\" array"))?;
        for t in tests {
            let tc = t
                .get("tcId")
                .and_then(Value::as_u64)
                .ok_or_else(|| at("a test without tcId"))?;
            let token = match t.get("jws") {
                Some(Value::String(s)) => s.clone(),
                Some(other @ Value::Object(_)) => other.to_string(),
                _ => return Err(at(&format!("tcId {tc}: no \"jws\""))),
            };
            let result = t.get("result").and_then(Value::as_str).unwrap_or("");
            let flags: Vec<String> = t
                .get("flags")
                .and_then(Value::as_array)
                .map(|f| {
                    f.iter()
                        .filter_map(|x| x.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            let comment = t.get("comment").and_then(Value::as_str).unwrap_or("");
            let verdict = match result {
                "valid" => Verdict::Accept,
                "invalid" => Verdict::Reject,
                "acceptable" => Verdict::Either,
                other => return Err(at(&format!("tcId {tc}: unknown result {other:?}"))),
            };
            let severity = match verdict {
                Verdict::Accept => Severity::Low,
                _ if flags
                    .iter()
                    .any(|f| f == "AlgIsNone" || f == "WrongPrimitive") =>
                {
                    Severity::Critical
                }
                _ if comment.contains("Modified") || comment.contains("Signature") => {
                    Severity::Critical
                }
                _ => Severity::High,
            };
            let group_comment = group.get("comment").and_then(Value::as_str).unwrap_or("");
            let flag_text = if flags.is_empty() {
                String::new()
            } else {
                format!(" [{}]", flags.join(", "))
            };
            // Every Wycheproof payload is a string, not a JWT claims set; ES512 tokens need ES512.
            let mut features = vec!["jws-payload".to_owned()];
            if header_alg(&token).as_deref() == Some("ES512") {
                features.push("es512".to_owned());
            }
            cases.push(Case {
                id: format!("{prefix}/tc{tc}"),
                rule: rule.to_owned(),
                description: format!("Wycheproof {group_comment} tcId {tc}: {comment}{flag_text}"),
                severity,
                refs: vec![format!(
                    "wycheproof {} tcId {tc}",
                    path.file_name().and_then(|f| f.to_str()).unwrap_or("")
                )],
                features,
                input: Some(json!({ "token": token })),
                context: json!({ "algorithms": JWS_ALGORITHMS, "keys": keys }),
                network: None,
                max_fetches: None,
                expect: Some(Expect {
                    verdict,
                    error: None,
                    output: None,
                    output_match: Default::default(),
                }),
                steps: None,
            });
        }
    }
    if let Some(n) = declared {
        if n as usize != cases.len() {
            return Err(format!(
                "{}: numberOfTests says {n}, the groups hold {}",
                path.display(),
                cases.len()
            ));
        }
    }
    Ok(cases)
}

/// The `alg` of a compact token's protected header, when it decodes to a JSON object
/// (the JSON serialisation and undecodable headers give `None`).
fn header_alg(token: &str) -> Option<String> {
    use base64::Engine;
    let header = token.split('.').next()?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header)
        .ok()?;
    let value: Value = serde_json::from_slice(&bytes).ok()?;
    value.get("alg")?.as_str().map(str::to_owned)
}
