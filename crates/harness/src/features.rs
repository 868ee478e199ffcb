//! The optional features an implementation claims (`jwtc_verifier::rules::FEATURES`):
//! from its hello over the protocol, or given by the caller in process. A case needing a
//! feature that is not claimed is not sent and is reported as *not claimed*.

use std::collections::BTreeSet;

use jwtc_vectors::load::LoadedCase;
use jwtc_verifier::rules::FEATURES;

/// The features an implementation claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claimed {
    /// `None`: every feature (a hello without a `features` list).
    only: Option<BTreeSet<String>>,
}

impl Default for Claimed {
    fn default() -> Self {
        Claimed::all()
    }
}

impl Claimed {
    /// Every feature.
    pub fn all() -> Claimed {
        Claimed { only: None }
    }

    /// Exactly these features. The error names a feature the suite does not define.
    pub fn only<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> Result<Claimed, String> {
        let mut set = BTreeSet::new();
        for n in names {
            let n = n.as_ref();
            if !FEATURES.iter().any(|f| f.name == n) {
                return Err(format!(
                    "feature {n:?} is not one the suite defines ({})",
                    FEATURES
                        .iter()
                        .map(|f| f.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            set.insert(n.to_owned());
        }
        Ok(Claimed { only: Some(set) })
    }

    /// Every feature but these (the reference verifier: all but `es512`).
    pub fn all_but(missing: &[&str]) -> Claimed {
        Claimed {
            only: Some(
                FEATURES
                    .iter()
                    .map(|f| f.name)
                    .filter(|n| !missing.contains(n))
                    .map(str::to_owned)
                    .collect(),
            ),
        }
    }

    /// From a hello's `features` (absent: every feature).
    pub fn from_hello(features: Option<&[String]>) -> Result<Claimed, String> {
        match features {
            None => Ok(Claimed::all()),
            Some(list) => Claimed::only(list),
        }
    }

    /// The features claimed, in catalogue order, for a hello's `features` (`None`: every
    /// feature, a hello without the list).
    pub fn list(&self) -> Option<Vec<String>> {
        let only = self.only.as_ref()?;
        Some(
            FEATURES
                .iter()
                .filter(|f| only.contains(f.name))
                .map(|f| f.name.to_owned())
                .collect(),
        )
    }

    /// Whether `name` is claimed.
    pub fn has(&self, name: &str) -> bool {
        self.only.as_ref().is_none_or(|s| s.contains(name))
    }

    /// The features case `c` needs and this claim lacks, in the case's order.
    pub fn missing<'a>(&self, c: &'a LoadedCase) -> Vec<&'a str> {
        c.case
            .features
            .iter()
            .map(String::as_str)
            .filter(|f| !self.has(f))
            .collect()
    }

    /// Why case `c` is not sent, when it needs a feature not claimed.
    pub fn not_sent(&self, c: &LoadedCase) -> Option<String> {
        let missing = self.missing(c);
        if missing.is_empty() {
            return None;
        }
        let claimed = match &self.only {
            Some(s) if s.is_empty() => "none".to_owned(),
            Some(s) => s.iter().cloned().collect::<Vec<_>>().join(", "),
            None => "every feature".to_owned(),
        };
        Some(format!(
            "not sent: the case needs feature(s) {}, which the implementation does not claim (it claims: {claimed})",
            missing.join(", ")
        ))
    }
}
