//! Vectors `watson/iss.json`, rule `watson.iss`: `iss` required, compared when configured.

use serde_json::json;

use super::{case, claims, out, tok, ISS, SIGNER, SUB};
use crate::generate::{with, without, Group};
use crate::mint::Mint;
use crate::model::Severity::{High, Low, Medium};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("watson", "iss");
    let rule = "watson.iss";
    case(
        &mut g,
        m,
        ("any-iss-no-issuer-configured", rule),
        Low,
        "iss present; the seed configures no issuer, so any string is accepted",
        &with(claims(now), json!({"iss": "yourdomain.com"})),
    )
    .accept(out(SUB));
    case(
        &mut g,
        m,
        ("missing", rule),
        Medium,
        "no iss: the seed lists it as required",
        &without(claims(now), &["iss"]),
    )
    .reject("claim_missing");
    case(
        &mut g,
        m,
        ("null", rule),
        Medium,
        "iss is null",
        &with(claims(now), json!({"iss": null})),
    )
    .reject("claim_missing");
    case(
        &mut g,
        m,
        ("number", rule),
        Low,
        "iss is a number",
        &with(claims(now), json!({"iss": 42})),
    )
    .reject("claim_invalid");
    let configured = json!({"issuer": ISS, "keys": [SIGNER], "skew": 0});
    g.case(
        "configured-equal",
        rule,
        Low,
        "an issuer configured and iss equal to it",
    )
    .refs(&["RFC 7519 §4.1.1"])
    .token(tok(m, &claims(now)))
    .context(configured.clone())
    .accept(out(SUB));
    for (name, value, what) in [
        (
            "configured-case-differs",
            "WWW.EXAMPLE.COM",
            "the configured issuer in upper case: case-sensitive",
        ),
        ("configured-other", "attacker.example", "another issuer"),
        (
            "configured-trailing-slash",
            "www.example.com/",
            "the configured issuer with a trailing slash",
        ),
    ] {
        g.case(
            name,
            rule,
            High,
            &format!("an issuer configured; iss is {what}"),
        )
        .refs(&["RFC 7519 §4.1.1"])
        .token(tok(m, &with(claims(now), json!({"iss": value}))))
        .context(configured.clone())
        .reject("issuer_mismatch");
    }
    g.finish()
}
