//! An implementation's known divergences: `expected-failures.json`, a JSON object from
//! case-id glob to the reason. Only unexpected results fail a run; an entry that
//! matches no failing case is reported as stale. Beside the implementation's list, the
//! suite's errata (vectors/errata.json, [`jwtc_vectors::errata`]) ride along: they apply
//! to every implementation, and no adapter repeats them.

use std::path::Path;

use jwtc_vectors::errata::Errata;

/// One entry.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The glob as written.
    pub glob: String,
    pattern: glob::Pattern,
    /// Why the implementation diverges (names the behaviour).
    pub reason: String,
}

/// The whole list.
#[derive(Clone, Debug, Default)]
pub struct ExpectedFailures {
    /// Entries in file order.
    pub entries: Vec<Entry>,
    /// The suite's errata (upstream label bugs), the same for every implementation.
    pub errata: Errata,
}

impl ExpectedFailures {
    /// Reads a file; a missing file is an empty list. Errors name the file and entry.
    pub fn load(path: &Path) -> Result<ExpectedFailures, String> {
        if !path.exists() {
            return Ok(ExpectedFailures::default());
        }
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parses the JSON text.
    pub fn parse(text: &str) -> Result<ExpectedFailures, String> {
        let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let obj = doc
            .as_object()
            .ok_or("not a JSON object of case-id glob to reason")?;
        let mut entries = Vec::new();
        for (glob, reason) in obj {
            if glob.starts_with('$') {
                continue; // "$comment" and the like
            }
            let reason = reason
                .as_str()
                .filter(|r| !r.trim().is_empty())
                .ok_or_else(|| format!("{glob:?}: the reason must be a non-empty string"))?;
            let pattern =
                glob::Pattern::new(glob).map_err(|e| format!("{glob:?}: not a glob: {e}"))?;
            entries.push(Entry {
                glob: glob.clone(),
                pattern,
                reason: reason.to_owned(),
            });
        }
        Ok(ExpectedFailures {
            entries,
            errata: Errata::default(),
        })
    }

    /// This list with the suite's errata.
    pub fn with_errata(mut self, errata: Errata) -> ExpectedFailures {
        self.errata = errata;
        self
    }

    /// The first entry whose glob matches `id`.
    pub fn find(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.pattern.matches(id))
    }
}
