//! Vectors `pendo/exp.json`, rule `pendo.exp`: no `exp` required; time claims `either`.

use serde_json::json;

use super::{claims, full, signed_case};
use crate::generate::{with, Group};
use crate::mint::Mint;
use crate::model::Severity::Low;
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("pendo", "exp");
    let rule = "pendo.exp";
    signed_case(
        &mut g,
        m,
        ("no-exp", rule),
        Low,
        "no exp: \"valid as long as the signature is valid\"",
        &claims("n"),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .accept(full(true));
    signed_case(
        &mut g,
        m,
        ("iat-a-year-ago", rule),
        Low,
        "iat a year before the clock and no exp: a long-lived token is still valid",
        &with(claims("n-exp"), json!({"iat": now - 365 * 86400})),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .accept(full(true));
    signed_case(
        &mut g,
        m,
        ("exp-now-plus-1", rule),
        Low,
        "exp one second after the clock",
        &with(claims("n-exp"), json!({"exp": now + 1})),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .accept(full(true));
    signed_case(
        &mut g,
        m,
        ("exp-now", rule),
        Low,
        "exp exactly at the clock",
        &with(claims("n-exp"), json!({"exp": now})),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .either("expired");
    signed_case(
        &mut g,
        m,
        ("exp-now-minus-1", rule),
        Low,
        "exp one second before the clock",
        &with(claims("n-exp"), json!({"exp": now - 1})),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .either("expired");
    signed_case(
        &mut g,
        m,
        ("exp-a-year-ago", rule),
        Low,
        "exp a year before the clock",
        &with(claims("n-exp"), json!({"exp": now - 365 * 86400})),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .either("expired");
    signed_case(
        &mut g,
        m,
        ("nbf-now", rule),
        Low,
        "nbf exactly at the clock",
        &with(claims("n-exp"), json!({"nbf": now})),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .accept(full(true));
    signed_case(
        &mut g,
        m,
        ("nbf-now-plus-1", rule),
        Low,
        "nbf one second after the clock",
        &with(claims("n-exp"), json!({"nbf": now + 1})),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .either("not_yet_valid");
    signed_case(
        &mut g,
        m,
        ("exp-string", rule),
        Low,
        "exp is a string",
        &with(claims("n-exp"), json!({"exp": (now + 3600).to_string()})),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .either("claim_invalid");
    signed_case(
        &mut g,
        m,
        ("nbf-string", rule),
        Low,
        "nbf is a string",
        &with(claims("n-exp"), json!({"nbf": now.to_string()})),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .either("claim_invalid");
    g.finish()
}
