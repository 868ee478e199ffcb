//! Vectors `watson/exp.json`, rule `watson.exp`: `exp` required, exp == now rejects.

use serde_json::json;

use super::{case, claims, out, tok, SIGNER, SUB};
use crate::generate::{with, without, Group};
use crate::mint::Mint;
use crate::model::Severity::{Low, Medium};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("watson", "exp");
    let rule = "watson.exp";
    let at = |exp: i64| with(claims(now), json!({"exp": exp}));
    let skewed = |skew: i64| json!({"keys": [SIGNER], "skew": skew});
    case(
        &mut g,
        m,
        ("now-plus-1", rule),
        Low,
        "exp one second after the clock",
        &at(now + 1),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .accept(out(SUB));
    case(
        &mut g,
        m,
        ("now", rule),
        Medium,
        "exp exactly at the clock: \"on or after which the JWT cannot be accepted\"",
        &at(now),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .reject("expired");
    case(
        &mut g,
        m,
        ("now-minus-1", rule),
        Medium,
        "exp one second before the clock",
        &at(now - 1),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .reject("expired");
    case(
        &mut g,
        m,
        ("missing", rule),
        Medium,
        "no exp: the seed requires one",
        &without(claims(now), &["exp"]),
    )
    .reject("claim_missing");
    case(
        &mut g,
        m,
        ("string", rule),
        Low,
        "exp is a string",
        &with(claims(now), json!({"exp": (now + 10).to_string()})),
    )
    .reject("claim_invalid");
    g.case(
        "no-skew-configured",
        rule,
        Low,
        "a context without skew (default 0) and exp one second after the clock",
    )
    .token(tok(m, &at(now + 1)))
    .context(json!({"keys": [SIGNER]}))
    .accept(out(SUB));
    for (name, exp, accept) in [
        ("skew-60-exp-now-minus-59", now - 59, true),
        ("skew-60-exp-now-minus-60", now - 60, false),
        ("skew-60-exp-now-minus-61", now - 61, false),
    ] {
        let b = g
            .case(
                name,
                rule,
                Medium,
                &format!("skew 60 s; exp {} s before the clock", now - exp),
            )
            .refs(&["RFC 7519 §4.1.4"])
            .token(tok(m, &at(exp)))
            .context(skewed(60));
        if accept {
            b.accept(out(SUB));
        } else {
            b.reject("expired");
        }
    }
    case(
        &mut g,
        m,
        ("nbf-now", "core.nbf"),
        Low,
        "nbf exactly at the clock",
        &with(claims(now), json!({"nbf": now})),
    )
    .accept(out(SUB));
    case(
        &mut g,
        m,
        ("nbf-now-plus-1", "core.nbf"),
        Medium,
        "nbf one second after the clock (skew 0)",
        &with(claims(now), json!({"nbf": now + 1})),
    )
    .reject("not_yet_valid");
    g.finish()
}
