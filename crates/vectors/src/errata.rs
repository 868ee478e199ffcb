//! The suite's errata (vectors/errata.json): upstream label bugs of external vector sets,
//! listed once for every implementation. Each entry names a case, the upstream reference
//! and the reason; the harness reports a listed case whose verdict differs from the
//! upstream label as *erratum*, not as a failure. Read and checked here, apart from the
//! loader: every problem names the file and the entry.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// The file's name under the vectors root.
pub const FILE: &str = "errata.json";

/// One upstream label bug.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Erratum {
    /// The case id (exact, no glob).
    pub case: String,
    /// Where upstream tracks it (`C2SP/wycheproof#236`), or where the vector sits upstream
    /// when it is not reported there.
    pub upstream: String,
    /// Why the label is wrong, with the values that show it.
    pub reason: String,
}

/// Every erratum, in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Errata {
    /// The entries.
    pub entries: Vec<Erratum>,
}

impl Errata {
    /// Reads `<root>/errata.json`; a missing file is no errata. Errors name the file and
    /// the entry.
    pub fn load(root: &Path) -> Result<Errata, String> {
        let path = root.join(FILE);
        if !path.exists() {
            return Ok(Errata::default());
        }
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        Errata::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parses the file's text: `{"errata": [{"case", "upstream", "reason"}, …]}` (and
    /// `$comment` members anywhere at the top level).
    pub fn parse(text: &str) -> Result<Errata, String> {
        let doc: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let obj = doc
            .as_object()
            .ok_or("not a JSON object with an \"errata\" array")?;
        if let Some(k) = obj.keys().find(|k| *k != "errata" && !k.starts_with('$')) {
            return Err(format!(
                "unknown member {k:?} at the top level (only \"errata\" and \"$comment\")"
            ));
        }
        let list = obj
            .get("errata")
            .and_then(Value::as_array)
            .ok_or("no \"errata\" array")?;
        let mut entries = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, entry) in list.iter().enumerate() {
            let at = |what: String| {
                let case = entry
                    .get("case")
                    .and_then(Value::as_str)
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default();
                format!("errata[{i}]{case}: {what}")
            };
            let fields = entry
                .as_object()
                .ok_or_else(|| at("not an object".into()))?;
            if let Some(k) = fields
                .keys()
                .find(|k| !matches!(k.as_str(), "case" | "upstream" | "reason"))
            {
                return Err(at(format!(
                    "unknown field {k:?} (only \"case\", \"upstream\", \"reason\")"
                )));
            }
            let field = |name: &str| {
                fields
                    .get(name)
                    .and_then(Value::as_str)
                    .filter(|s| !s.trim().is_empty())
                    .map(str::to_owned)
                    .ok_or_else(|| at(format!("\"{name}\" must be a non-empty string")))
            };
            let e = Erratum {
                case: field("case")?,
                upstream: field("upstream")?,
                reason: field("reason")?,
            };
            if !seen.insert(e.case.clone()) {
                return Err(at("the case is listed twice".into()));
            }
            entries.push(e);
        }
        Ok(Errata { entries })
    }

    /// Checks that every entry names a case of the suite (`ids`); the error names the entry.
    pub fn check<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> Result<(), String> {
        let ids: BTreeSet<&str> = ids.into_iter().collect();
        for (i, e) in self.entries.iter().enumerate() {
            if !ids.contains(e.case.as_str()) {
                return Err(format!(
                    "{FILE}: errata[{i}] names case {:?}, which no vector file holds",
                    e.case
                ));
            }
        }
        Ok(())
    }

    /// The erratum of case `id`.
    pub fn find(&self, id: &str) -> Option<&Erratum> {
        self.entries.iter().find(|e| e.case == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_read_and_checked() {
        let ok = r#"{"$comment": "x", "errata": [
            {"case": "wycheproof/jws/tc367", "upstream": "C2SP/wycheproof#236", "reason": "same bytes as tc357"}
        ]}"#;
        let errata = Errata::parse(ok).unwrap();
        assert_eq!(
            errata.find("wycheproof/jws/tc367").unwrap().upstream,
            "C2SP/wycheproof#236"
        );
        assert!(errata.find("wycheproof/jws/tc357").is_none());
        assert!(errata.check(["wycheproof/jws/tc367"]).is_ok());
        assert_eq!(
            errata.check(["core/alg/x"]).unwrap_err(),
            "errata.json: errata[0] names case \"wycheproof/jws/tc367\", which no vector file holds"
        );
        for (text, says) in [
            ("[1]", "not a JSON object"),
            ("{", "not JSON"),
            (r#"{"errata": {}}"#, "no \"errata\" array"),
            (r#"{"errata": [], "extra": 1}"#, "unknown member \"extra\""),
            (r#"{"errata": [3]}"#, "errata[0]: not an object"),
            (
                r#"{"errata": [{"case": "a", "upstream": "u"}]}"#,
                "errata[0] (a): \"reason\" must be a non-empty string",
            ),
            (
                r#"{"errata": [{"case": "a", "upstream": " ", "reason": "r"}]}"#,
                "errata[0] (a): \"upstream\" must be a non-empty string",
            ),
            (
                r#"{"errata": [{"case": "a", "upstream": "u", "reason": "r", "why": 1}]}"#,
                "errata[0] (a): unknown field \"why\"",
            ),
            (
                r#"{"errata": [{"case": "a", "upstream": "u", "reason": "r"}, {"case": "a", "upstream": "u", "reason": "r"}]}"#,
                "errata[1] (a): the case is listed twice",
            ),
        ] {
            let e = Errata::parse(text).unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
    }
}
