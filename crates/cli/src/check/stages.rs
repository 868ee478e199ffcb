//! The checks of every profile in the order the reference verifier makes them (rule
//! core.order): each rule with its stage and the error codes it rejects with. `jwtc check`
//! reads a reject's code against this table to say which rules passed, which one failed,
//! and which were never reached. A test holds the table to the rule catalogue.

/// A stage of the pipeline, in the order the verifier runs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// The request around the token: a Pendo event and its mode, Pomerium's headers,
    /// Watson's message.
    Request,
    /// The size bound, before anything is decoded.
    Size,
    /// Segments, base64url, JSON, header parameters.
    Structure,
    /// The algorithm.
    Algorithm,
    /// Choosing a trusted key (and fetching it).
    Key,
    /// The signature.
    Signature,
    /// The claims, only after the signature.
    Claims,
    /// What a session remembers across tokens (scenarios only).
    Session,
}

impl Stage {
    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Request => "request",
            Stage::Size => "size",
            Stage::Structure => "structure",
            Stage::Algorithm => "algorithm",
            Stage::Key => "key",
            Stage::Signature => "signature",
            Stage::Claims => "claims",
            Stage::Session => "session",
        }
    }

    /// The stage a reject's code comes from (`None`: a code the table does not know).
    pub fn of_code(code: &str) -> Option<Stage> {
        Some(match code {
            "token_missing" | "header_conflict" | "signed_not_accepted" | "unsigned_rejected" => {
                Stage::Request
            }
            "too_large" => Stage::Size,
            "malformed" => Stage::Structure,
            "alg_not_allowed" => Stage::Algorithm,
            "key_unknown" | "key_revoked" | "key_unavailable" | "jku_not_allowed" => Stage::Key,
            "bad_signature" => Stage::Signature,
            "claim_missing"
            | "claim_invalid"
            | "expired"
            | "not_yet_valid"
            | "audience_mismatch"
            | "issuer_mismatch"
            | "payload_undecryptable" => Stage::Claims,
            "subject_changed" | "duplicate_event" => Stage::Session,
            _ => return None,
        })
    }
}

/// One rule as a check: its id, stage, and the codes its failure carries.
#[derive(Clone, Copy, Debug)]
pub struct Check {
    /// The rule id.
    pub rule: &'static str,
    /// When it is checked.
    pub stage: Stage,
    /// The codes a failure of this rule carries.
    pub codes: &'static [&'static str],
}

const fn c(rule: &'static str, stage: Stage, codes: &'static [&'static str]) -> Check {
    Check { rule, stage, codes }
}

use Stage::*;

/// The core checks every profile runs on its token (core.order itself is the order of
/// this table; core.aud-unexpected is `either` and never rejects in the reference).
pub const CORE: &[Check] = &[
    c("core.size", Size, &["too_large"]),
    c("core.segments", Structure, &["malformed"]),
    c("core.base64url", Structure, &["malformed"]),
    c("core.json", Structure, &["malformed"]),
    c("core.typ", Structure, &["malformed"]),
    c("core.crit", Structure, &["malformed"]),
    c("core.alg", Algorithm, &["alg_not_allowed"]),
    c("core.embedded-key", Key, &["key_unknown"]),
    c("core.keys", Key, &["key_unknown"]),
    c("core.alg-confusion", Signature, &["bad_signature"]),
    c("core.sig-hs256", Signature, &["bad_signature"]),
    c("core.sig-es256", Signature, &["bad_signature"]),
    c("core.sig-rs256", Signature, &["bad_signature"]),
    c("core.numeric-date", Claims, &["claim_invalid"]),
    c("core.exp", Claims, &["expired"]),
    c("core.nbf", Claims, &["not_yet_valid"]),
];

/// Each vendor profile's own checks.
pub const PROFILE: &[(&str, &[Check])] = &[
    (
        "pendo",
        &[
            c(
                "pendo.mode",
                Request,
                &["signed_not_accepted", "unsigned_rejected", "malformed"],
            ),
            c("pendo.alg", Algorithm, &["alg_not_allowed"]),
            c("pendo.key-name", Key, &["key_unknown", "malformed"]),
            c("pendo.key-limit", Key, &["key_unknown", "key_revoked"]),
            c("pendo.nonce", Claims, &["claim_missing", "claim_invalid"]),
            c("pendo.exp", Claims, &["expired", "not_yet_valid"]),
            c("pendo.visitor", Claims, &["claim_invalid"]),
            c("pendo.identity", Claims, &["claim_invalid"]),
            c("pendo.no-jti", Claims, &[]),
            c("pendo.rotation", Key, &["key_unknown", "key_revoked"]),
            c("pendo.dedupe", Session, &["duplicate_event"]),
        ],
    ),
    (
        "watson",
        &[
            c("watson.token", Request, &["token_missing"]),
            c("watson.alg", Algorithm, &["alg_not_allowed"]),
            c(
                "watson.iss",
                Claims,
                &["claim_missing", "claim_invalid", "issuer_mismatch"],
            ),
            c("watson.sub", Claims, &["claim_missing", "claim_invalid"]),
            c(
                "watson.exp",
                Claims,
                &["claim_missing", "expired", "not_yet_valid"],
            ),
            c(
                "watson.user-payload",
                Claims,
                &["payload_undecryptable", "claim_invalid"],
            ),
            c("watson.sub-pinning", Session, &["subject_changed"]),
            c("watson.refresh", Session, &[]),
        ],
    ),
    (
        "pomerium",
        &[
            c(
                "pomerium.header",
                Request,
                &["token_missing", "header_conflict", "malformed"],
            ),
            c("pomerium.alg", Algorithm, &["alg_not_allowed"]),
            c(
                "pomerium.jwks",
                Key,
                &["key_unknown", "key_unavailable", "issuer_mismatch"],
            ),
            c(
                "pomerium.iss",
                Claims,
                &["claim_missing", "issuer_mismatch"],
            ),
            c(
                "pomerium.aud",
                Claims,
                &["claim_missing", "audience_mismatch"],
            ),
            c("pomerium.exp", Claims, &["claim_missing", "expired"]),
            c("pomerium.iat", Claims, &["claim_missing", "not_yet_valid"]),
            c(
                "pomerium.identity",
                Claims,
                &["claim_missing", "claim_invalid"],
            ),
        ],
    ),
    (
        "coyo",
        &[
            c("coyo.alg", Algorithm, &["alg_not_allowed"]),
            c("coyo.builtin-keys", Key, &["key_unknown"]),
            c(
                "coyo.issuer-keys",
                Key,
                &["key_unknown", "claim_missing", "claim_invalid"],
            ),
            c("coyo.jku-allowlist", Key, &["jku_not_allowed", "malformed"]),
            c("coyo.fetch", Key, &["key_unavailable", "key_unknown"]),
            c("coyo.fetch-cache", Session, &["key_unavailable"]),
        ],
    ),
];

/// The checks `profile` runs, in order: the core ones and its own, sorted by stage
/// (stable: within a stage, core first, then the profile's as listed). Scenario-only
/// rules (stage `Session`) are left out: one token has no session.
pub fn checks(profile: &str) -> Vec<Check> {
    let own = PROFILE
        .iter()
        .find(|(p, _)| *p == profile)
        .map_or(&[][..], |(_, checks)| checks);
    let mut all: Vec<Check> = CORE.iter().chain(own).copied().collect();
    all.retain(|c| c.stage != Session);
    all.sort_by_key(|c| c.stage);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule of the catalogue (but the order itself, the `either`-only
    /// core.aud-unexpected, the proxy role, the signer roles' `*.mint-*` rules, which
    /// `jwtc check` does not lint yet, and the external sets) is a check, once, and
    /// every code in the table is a code of the catalogue with a stage.
    #[test]
    fn the_table_covers_the_catalogue() {
        let table: Vec<&str> = CORE
            .iter()
            .chain(PROFILE.iter().flat_map(|(_, c)| c.iter()))
            .map(|c| c.rule)
            .collect();
        let mut seen = std::collections::BTreeSet::new();
        for rule in &table {
            assert!(seen.insert(*rule), "{rule} twice");
            assert!(
                jwtc_verifier::rules::find(rule).is_some(),
                "{rule} is not in the catalogue"
            );
        }
        let skipped = ["core.order", "core.aud-unexpected", "pomerium.strip"];
        for profile in jwtc_verifier::rules::PROFILES {
            for rule in profile.rules {
                if rule.id.starts_with("external.")
                    || rule.id.contains(".mint-")
                    || skipped.contains(&rule.id)
                {
                    continue;
                }
                assert!(
                    seen.contains(rule.id),
                    "{} has no check in stages.rs",
                    rule.id
                );
            }
        }
        for check in CORE
            .iter()
            .chain(PROFILE.iter().flat_map(|(_, c)| c.iter()))
        {
            for code in check.codes {
                assert!(
                    jwtc_verifier::rules::CODES.iter().any(|c| c.code == *code),
                    "{}: {code} is no error code",
                    check.rule
                );
                assert!(Stage::of_code(code).is_some(), "{code} has no stage");
            }
        }
    }
}
