//! Classes on the claims: `claims` (identity and time tampered, the signature kept),
//! `claim-types` (exp/nbf as strings, iss as an array, an array payload) and, with an HS
//! token's secret, `resigned` (expired or not-yet-valid tokens re-signed) and `forged`
//! (another identity re-signed: what the secret gives whoever holds it; accepted).

use serde_json::{json, Value};

use jwtc_vectors::model::Severity::{Critical, High, Medium};
use jwtc_vectors::model::Verdict;

use super::{enc, Ctx};
use crate::attack::Attack;

const YEAR: i64 = 365 * 24 * 3600;

/// Claims changed with the original signature kept.
pub fn tampered(c: &Ctx<'_>) -> Vec<Attack> {
    let t = c.token;
    let now = c.frame.now;
    let rule = c.sig_rule();
    let sub = t
        .text("sub")
        .map(|s| format!("{s}-admin"))
        .unwrap_or_else(|| "admin".into());
    let changes: Vec<(&str, &str, Value)> = vec![
        (
            "sub-changed",
            "sub changed to another user",
            json!({ "sub": sub }),
        ),
        (
            "role-admin",
            "role, roles, admin and groups claims added",
            json!({"role": "admin", "roles": ["admin"], "admin": true, "groups": ["admins"]}),
        ),
        (
            "email-changed",
            "email changed to the attacker's",
            json!({"email": "attacker@evil.example"}),
        ),
        (
            "exp-extended",
            "exp a year later",
            json!({"exp": t.int("exp").unwrap_or(now) + YEAR}),
        ),
        ("exp-removed", "exp removed", json!({"exp": null})),
        (
            "iss-changed",
            "iss changed to the attacker's",
            json!({"iss": "https://evil.example"}),
        ),
        ("aud-removed", "aud removed", json!({"aud": null})),
    ];
    changes
        .into_iter()
        .filter(|(_, _, members)| t.claims_with(members.clone()) != t.claims_value())
        .map(|(name, what, members)| {
            let p = enc(&t.claims_with(members));
            Attack::new("claims", name, rule, Critical,
                format!("{what}, the original signature kept: accepted only by code that decodes without verifying"),
                format!("{}.{p}.{}", t.h64, t.s64))
        })
        .collect()
}

/// Claims of the wrong JSON type; re-signed with the secret when given (then the claim
/// checks, not the signature, must reject them).
pub fn types(c: &Ctx<'_>) -> Vec<Attack> {
    let t = c.token;
    let now = c.frame.now;
    let exp = t.int("exp").unwrap_or(now + 3600);
    let mut out = Vec::new();
    let expired = now - 3600;
    let cases: Vec<(&str, &str, &str, Value, &[&str])> = vec![
        (
            "exp-expired-string",
            "core.numeric-date",
            "exp an hour ago, as a string",
            json!({"exp": expired.to_string()}),
            &["CVE-2026-25537"],
        ),
        (
            "exp-float-string",
            "core.numeric-date",
            "exp as a decimal string",
            json!({"exp": format!("{exp}.0")}),
            &["CVE-2026-25537"],
        ),
        (
            "nbf-future-string",
            "core.numeric-date",
            "nbf a day ahead, as a string",
            json!({"nbf": (now + 86400).to_string()}),
            &["CVE-2026-25537"],
        ),
        (
            "exp-expired-bool",
            "core.numeric-date",
            "exp true",
            json!({"exp": true}),
            &["CVE-2026-25537"],
        ),
    ];
    for (name, rule, what, members, refs) in cases {
        let p = enc(&t.claims_with(members));
        let (tok, resigned) = c.sign_or_keep(&t.h64, &p);
        out.push(
            Attack::new(
                "claim-types",
                name,
                rule,
                High,
                format!("{what}, {}", Ctx::how(resigned)),
                tok,
            )
            .refs(refs),
        );
    }
    // An issuer check is the profile's: with the original signature the token fails there
    // first, re-signed it must fail the issuer rule (core configures none).
    let iss = t
        .text("iss")
        .unwrap_or_else(|| "https://issuer.example".into());
    let iss_rule = match c.frame.profile.as_str() {
        "pomerium" => Some("pomerium.iss"),
        "watson" => Some("watson.iss"),
        "coyo" => Some("coyo.issuer-keys"),
        _ => None,
    };
    let p = enc(&t.claims_with(json!({"iss": [iss, "https://evil.example"]})));
    match iss_rule {
        Some(rule) => {
            let (tok, resigned) = c.sign_or_keep(&t.h64, &p);
            out.push(Attack::new("claim-types", "iss-array", rule, Critical,
                format!("iss an array of the token's issuer and the attacker's, {}", Ctx::how(resigned)), tok)
                .refs(&["CVE-2025-30144", "CVE-2024-53861"]));
        }
        None => out.push(Attack::new("claim-types", "iss-array", c.sig_rule(), Critical,
            "iss an array of the token's issuer and the attacker's, the original signature kept",
            format!("{}.{p}.{}", t.h64, t.s64)).refs(&["CVE-2025-30144"])),
    }
    let p = enc(&json!([t.claims_value()]));
    let (tok, resigned) = c.sign_or_keep(&t.h64, &p);
    out.push(Attack::new(
        "claim-types",
        "array-payload",
        "core.json",
        Medium,
        format!(
            "the payload a JSON array holding the claims, {}",
            Ctx::how(resigned)
        ),
        tok,
    ));
    out
}

/// With an HS token's secret: time claims moved out of the validity window (rejected), and
/// another identity (accepted: the forgery a known or cracked secret makes).
pub fn resigned(c: &Ctx<'_>) -> Vec<Attack> {
    let t = c.token;
    if c.secret.is_none() || t.family() != "HS" {
        return Vec::new();
    }
    let now = c.frame.now;
    let mut out = Vec::new();
    for (name, rule, what, members) in [
        (
            "expired",
            "core.exp",
            "exp an hour before now",
            json!({"exp": now - 3600}),
        ),
        (
            "not-yet-valid",
            "core.nbf",
            "nbf a day after now",
            json!({"nbf": now + 86400}),
        ),
    ] {
        let p = enc(&t.claims_with(members));
        let (tok, _) = c.sign_or_keep(&t.h64, &p);
        out.push(Attack::new(
            "resigned",
            name,
            rule,
            Medium,
            format!("{what}, re-signed with the given secret"),
            tok,
        ));
    }
    if c.frame.profile == "pendo" {
        return out;
    }
    let sub = t
        .text("sub")
        .map(|s| format!("{s}-admin"))
        .unwrap_or_else(|| "admin".into());
    for (name, what, members) in [
        ("sub-changed", format!("sub {sub:?}"), json!({ "sub": sub })),
        (
            "role-admin",
            "role admin added".to_string(),
            json!({"role": "admin"}),
        ),
        (
            "exp-extended",
            "exp a year later".to_string(),
            json!({"exp": t.int("exp").unwrap_or(now) + YEAR}),
        ),
    ] {
        let p = enc(&t.claims_with(members));
        let (tok, _) = c.sign_or_keep(&t.h64, &p);
        out.push(Attack {
            verdict: Verdict::Accept,
            ..Attack::new("forged", name, c.sig_rule(), Critical,
                format!("{what}, re-signed with the given secret: accepted, as it must be; this is what anyone holding the secret can do"), tok)
        });
    }
    out
}
