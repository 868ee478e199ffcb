//! Vectors `pomerium/exp.json`, rule `pomerium.exp`: `exp` required, 60 s skew.

use serde_json::{json, Value};

use super::{claims, ctx, hdr, identity, one, Settings};
use crate::generate::{with, without, Group};
use crate::mint::Mint;
use crate::model::Severity::{High, Low, Medium};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, st: &Settings) -> VectorFile {
    let now = st.now;
    let mut g = Group::new("pomerium", "exp");
    let rule = "pomerium.exp";
    let tok = |c: &Value| m.jwt("ES256", "p256-a", &hdr("p256-a"), c);
    let at = |exp: i64| with(claims(st), json!({"iat": exp - 300, "exp": exp}));
    g.case(
        "expired-59s",
        rule,
        Medium,
        "exp 59 s before the suite clock: inside the 60 s skew",
    )
    .input(one(&tok(&at(now - 59))))
    .context(ctx(st))
    .accept(identity());
    g.case("expired-60s", rule, Medium,
        "exp exactly 60 s before the suite clock: the edge (go-jose is inclusive, the js-sdk exclusive)")
        .input(one(&tok(&at(now - 60))))
        .context(ctx(st))
        .either("expired");
    g.case(
        "expired-61s",
        rule,
        Medium,
        "exp 61 s before the suite clock: one second past the allowed skew",
    )
    .refs(&["RFC 7519 §4.1.4"])
    .input(one(&tok(&at(now - 61))))
    .context(ctx(st))
    .reject("expired");
    g.case(
        "expired-a-day",
        rule,
        High,
        "exp a day before the suite clock",
    )
    .input(one(&tok(&at(now - 86_400))))
    .context(ctx(st))
    .reject("expired");
    g.case(
        "valid-an-hour",
        rule,
        Low,
        "exp an hour after the suite clock",
    )
    .input(one(&tok(&with(claims(st), json!({"exp": now + 3600})))))
    .context(ctx(st))
    .accept(identity());
    g.case("exp-missing", rule, High, "no exp: required")
        .input(one(&tok(&without(claims(st), &["exp"]))))
        .context(ctx(st))
        .reject("claim_missing");
    g.case("exp-string", rule, Medium, "exp as a string of digits")
        .input(one(&tok(&with(
            claims(st),
            json!({"exp": (now + 290).to_string()}),
        ))))
        .context(ctx(st))
        .reject("claim_invalid");
    g.finish()
}
