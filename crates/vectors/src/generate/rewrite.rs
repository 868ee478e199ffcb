//! Text replaced in minted cases after the fact (tokens are rewritten before signing, by
//! [`crate::mint::Mint::rewriting`]): a live probe's key server origins in place of the
//! COYO seed's host names, in every string and object key of a case (its `network` URLs,
//! a redirect's `Location`, the context's allowlist, the descriptions).

use serde_json::Value;

use crate::model::VectorFile;

/// `v` with every string and object key rewritten.
pub fn value(pairs: &[(String, String)], v: Value) -> Value {
    let text = |s: &str| {
        pairs
            .iter()
            .fold(s.to_owned(), |t, (from, to)| t.replace(from.as_str(), to))
    };
    match v {
        Value::String(s) => Value::String(text(&s)),
        Value::Array(a) => Value::Array(a.into_iter().map(|x| value(pairs, x)).collect()),
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, x)| (text(&k), value(pairs, x)))
                .collect(),
        ),
        other => other,
    }
}

/// `file` with every string rewritten; the error says which file did not round-trip.
pub fn file(pairs: &[(String, String)], file: VectorFile) -> Result<VectorFile, String> {
    let group = file.group.clone();
    let v = serde_json::to_value(file).map_err(|e| format!("rewriting {group}: {e}"))?;
    serde_json::from_value(value(pairs, v)).map_err(|e| format!("rewriting {group}: {e}"))
}
