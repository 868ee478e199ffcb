//! The rule catalogue, by id: every rule of every profile in full, with the sentences of
//! the vendor's documentation (or the RFC) it rests on, and the error codes with their
//! precedence. Every vector names one of these rules; docs/rules.md is generated from
//! this catalogue and the vectors (`cargo xtask vectors`).
//!
//! The text of a rule is what the reference verifier and the vectors do. Where the
//! project decided differently from the rule as first written, docs/decisions.md says
//! so and why; the rule text here already follows the decision.

mod codes;
mod core;
mod coyo;
mod external;
mod pendo;
mod pomerium;
mod watson;

pub use codes::{ErrorCode, CODES, PRECEDENCE, PRECEDENCE_BY_PROFILE};

/// One rule.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// `<profile>.<topic>`.
    pub id: &'static str,
    /// One line on what the rule requires (the rule table's).
    pub summary: &'static str,
    /// The rule in full: what an implementation must do, as the reference verifier and
    /// the vectors do it (Markdown).
    pub text: &'static str,
    /// The sentences it rests on, each quoted verbatim from its document.
    pub source: &'static [Source],
}

/// A sentence (or a few) quoted verbatim from a vendor's public documentation or an RFC.
#[derive(Clone, Copy, Debug)]
pub struct Source {
    /// The document: the vendor and the page's title, or an RFC's number, section and
    /// title.
    pub document: &'static str,
    /// The words, exactly as the document has them.
    pub quote: &'static str,
}

/// A profile (or an external vector set) and its rules.
#[derive(Clone, Copy, Debug)]
pub struct Profile {
    /// The rule ids' prefix.
    pub name: &'static str,
    /// What it is, for a heading.
    pub title: &'static str,
    /// Its rules, in catalogue order.
    pub rules: &'static [Rule],
}

/// How a case is judged, the words `accept`, `reject` and `either`, and boundaries.
pub const GRADING: &str = "\
A vector expects `accept`, `reject`, or `either`: both verdicts conform (the way Wycheproof \
marks \"acceptable\"), used where a vendor's documentation or an RFC truly leaves the choice \
open. The reference verifier takes the strict side of an `either` unless its rule says \
otherwise. A reject carries one stable error code (below). An implementation under test is \
graded first on its verdict, second on whether its error code agrees, and for COYO and \
Pomerium also on every URL it fetches. A vector at a boundary tests the last accepted and the \
first rejected second on each side; where the exact edge is `either`, vectors sit at edge − 1 \
(accept), edge (`either`) and edge + 1 (reject).

A case may name optional features it needs (`features`, the table below). An implementation \
claims the features it has in its hello; a case needing a feature it does not claim is not \
sent, and is reported as *not claimed*: neither a pass nor a failure. A hello without a \
`features` list claims every feature. An external vector set's upstream label bugs are \
listed once, in vectors/errata.json, with their upstream reference: a case listed there \
whose verdict differs from the upstream label is reported as *erratum* (with the \
reference), not as a failure; a verdict that agrees with the label passes.

Signer cases (profiles `pendo-signer` and `watson-signer`, rules `*.mint-*`) give the app's \
request and the signer's configuration; the answer is what the app would send, or a refusal. \
Every `mint-*` rule is judged on its own, from the decoded output, whether or not the \
signature verifies: the harness grades a canonical form of each mint, one entry per rule \
(`pass`, or `fail: ` with the deciding values), and a case states the entry of its own rule. \
`*.mint-verifies` asks the reference verifier of the profile; where it rejects only on a \
point its own rules mark `either`, the mint is `either`, not failed. A case whose right \
answer is a refusal (a key under 2048 bits, a user id that cannot be a `sub`) expects \
`reject`: a signer that mints anyway fails the refusal's own rule, and nothing else; a \
signer that refuses a valid request fails `*.mint-verifies`. A scenario's steps go through \
one signer session, and a step may change the configuration (a rotation). A signer mints \
at the suite clock it is given.";

/// An optional feature a case may need (`features` in a vector file) and an
/// implementation may claim (its hello's `features`).
#[derive(Clone, Copy, Debug)]
pub struct Feature {
    /// The name, as vectors and hellos spell it.
    pub name: &'static str,
    /// What claiming it means, and which cases need it.
    pub meaning: &'static str,
}

/// The closed set of features, in the order docs/rules.md lists them.
pub const FEATURES: &[Feature] = &[
    Feature {
        name: "jws-payload",
        meaning: "Verifies a JWS whose payload is not a JSON claims set (`foo`, bytes) and \
returns the payload: every Wycheproof JWS and JWK case. A JWT-only library, which must parse \
the payload as JSON, does not claim it, and its rejects of these cases are not counted as \
passes for the wrong reason.",
    },
    Feature {
        name: "es512",
        meaning: "Implements ES512 (ECDSA on P-521 with SHA-512): the Wycheproof cases whose \
token says `alg: ES512`.",
    },
    Feature {
        name: "jwks-fetch",
        meaning: "Fetches keys over the network (COYO's `jku`, Pomerium's JWKS URL), through \
the harness: every case with a `network` map.",
    },
    Feature {
        name: "builtin-keys",
        meaning: "Trusts COYO's built-in keys before any issuer key or `jku`: the cases of \
rule `coyo.builtin-keys`.",
    },
    Feature {
        name: "proxy-role",
        meaning: "Plays Pomerium's proxy role: strips client `x-pomerium-*` headers and signs \
the assertion (profile `pomerium-proxy`).",
    },
];

/// The feature named `name`.
pub fn feature(name: &str) -> Option<&'static Feature> {
    FEATURES.iter().find(|f| f.name == name)
}

/// Every profile, in catalogue order, then the external vector sets.
pub const PROFILES: &[Profile] = &[
    Profile {
        name: "core",
        title: "core — every profile (RFC 7515, 7517, 7518, 7519, 8725)",
        rules: core::RULES,
    },
    Profile {
        name: "pendo",
        title: "pendo — HS256 signed metadata (Pendo, \"Snippet Installation using Signed Metadata with JWT\")",
        rules: pendo::RULES,
    },
    Profile {
        name: "coyo",
        title: "coyo — RS256 with `jku` (COYO, \"JWT token security\")",
        rules: coyo::RULES,
    },
    Profile {
        name: "watson",
        title: "watson — RS256 identity token (IBM Cloud Docs, \"Securing the web chat\")",
        rules: watson::RULES,
    },
    Profile {
        name: "pomerium",
        title: "pomerium — ES256 signed headers (Pomerium, \"Securing your app with signed headers\")",
        rules: pomerium::RULES,
    },
    Profile {
        name: "external",
        title: "external — other projects' vector sets",
        rules: external::RULES,
    },
];

const COUNT: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < PROFILES.len() {
        n += PROFILES[i].rules.len();
        i += 1;
    }
    n
};

const ALL: [Rule; COUNT] = {
    let blank = Rule {
        id: "",
        summary: "",
        text: "",
        source: &[],
    };
    let mut all = [blank; COUNT];
    let (mut n, mut p) = (0, 0);
    while p < PROFILES.len() {
        let mut r = 0;
        while r < PROFILES[p].rules.len() {
            all[n] = PROFILES[p].rules[r];
            n += 1;
            r += 1;
        }
        p += 1;
    }
    all
};

/// Every rule, in catalogue order (the profiles', then the external sets').
pub const RULES: &[Rule] = &ALL;

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;
    use std::collections::BTreeSet;

    #[test]
    fn every_rule_is_complete_and_named_after_its_profile() {
        let mut seen = BTreeSet::new();
        for p in PROFILES {
            assert!(!p.rules.is_empty(), "{} has no rules", p.name);
            for r in p.rules {
                assert!(seen.insert(r.id), "{} twice", r.id);
                assert!(
                    r.id.strip_prefix(p.name)
                        .is_some_and(|t| t.len() > 1 && t.starts_with('.')),
                    "{} is not a rule of {}",
                    r.id,
                    p.name
                );
                assert!(!r.summary.is_empty() && !r.text.is_empty(), "{}", r.id);
                assert!(!r.source.is_empty(), "{} rests on no sentence", r.id);
                for s in r.source {
                    assert!(!s.document.is_empty() && !s.quote.is_empty(), "{}", r.id);
                    assert_eq!(
                        s.quote.trim(),
                        s.quote,
                        "{}: a quote with spaces around",
                        r.id
                    );
                }
            }
        }
        assert_eq!(RULES.len(), seen.len());
        assert_eq!(RULES.len(), 66);
        assert!(find("core.order").is_some() && find("core.nope").is_none());
    }

    #[test]
    fn the_error_codes_are_the_verdict_codes_in_order() {
        let listed: Vec<&str> = CODES.iter().map(|c| c.code).collect();
        let verdicts: Vec<&str> = Code::VERDICTS.iter().map(|c| c.as_str()).collect();
        assert_eq!(listed, verdicts);
        assert!(CODES.iter().all(|c| !c.meaning.is_empty()));
    }

    #[test]
    fn the_precedence_places_every_code_once() {
        let mut placed = BTreeSet::new();
        for tier in PRECEDENCE {
            for code in *tier {
                assert!(Code::parse(code).is_some(), "unknown code {code}");
                assert!(placed.insert(*code), "{code} in two tiers");
            }
        }
        // The profiles' own codes are placed by the per-profile lines.
        for (profile, line) in PRECEDENCE_BY_PROFILE {
            assert!(PROFILES.iter().any(|p| p.name == *profile), "{profile}");
            for code in line.split('`').skip(1).step_by(2) {
                if Code::parse(code).is_some() {
                    placed.insert(code);
                }
            }
        }
        let all: BTreeSet<&str> = Code::VERDICTS.iter().map(|c| c.as_str()).collect();
        assert_eq!(placed, all, "every code has a place in the precedence");
    }

    #[test]
    fn rule_texts_name_only_known_codes_and_rules() {
        for r in RULES {
            for word in r.text.split('`').skip(1).step_by(2) {
                let looks_like_code = word.len() > 3
                    && word.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                    && word.contains('_');
                if looks_like_code && Code::parse(word).is_none() {
                    // Member names (`user_payload`, `key_ops`, `jwks_url`, ...) are allowed.
                    assert!(
                        !word.ends_with("_allowed")
                            && !word.ends_with("_missing")
                            && !word.ends_with("_invalid")
                            && !word.ends_with("_mismatch"),
                        "{}: `{word}` is no error code",
                        r.id
                    );
                }
                let looks_like_rule = PROFILES
                    .iter()
                    .any(|p| word.starts_with(p.name) && word[p.name.len()..].starts_with('.'))
                    && !word.contains(' ');
                if looks_like_rule {
                    assert!(find(word).is_some(), "{}: `{word}` is no rule", r.id);
                }
            }
        }
    }
}
