//! Vectors `pomerium/iat.json`, rule `pomerium.iat`: `iat` with 60 s skew.

use serde_json::{json, Value};

use super::{claims, ctx, hdr, identity, one, Settings};
use crate::generate::{with, without, Group};
use crate::mint::Mint;
use crate::model::Severity::{Low, Medium};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, st: &Settings) -> VectorFile {
    let now = st.now;
    let mut g = Group::new("pomerium", "iat");
    let rule = "pomerium.iat";
    let tok = |c: &Value| m.jwt("ES256", "p256-a", &hdr("p256-a"), c);
    let at = |iat: i64| with(claims(st), json!({"iat": iat, "exp": iat + 300}));
    g.case(
        "future-59s",
        rule,
        Medium,
        "iat 59 s after the suite clock: inside the 60 s skew",
    )
    .input(one(&tok(&at(now + 59))))
    .context(ctx(st))
    .accept(identity());
    g.case(
        "future-60s",
        rule,
        Medium,
        "iat exactly 60 s after the suite clock: the edge",
    )
    .input(one(&tok(&at(now + 60))))
    .context(ctx(st))
    .either("not_yet_valid");
    g.case(
        "future-61s",
        rule,
        Medium,
        "iat 61 s after the suite clock: one second past the allowed skew",
    )
    .input(one(&tok(&at(now + 61))))
    .context(ctx(st))
    .reject("not_yet_valid");
    g.case(
        "future-a-day",
        rule,
        Medium,
        "iat a day after the suite clock (exp a day and 300 s after)",
    )
    .input(one(&tok(&at(now + 86_400))))
    .context(ctx(st))
    .reject("not_yet_valid");
    g.case(
        "past-an-hour",
        rule,
        Low,
        "iat an hour before the suite clock, exp still ahead: no maximum age",
    )
    .input(one(&tok(&with(
        claims(st),
        json!({"iat": now - 3600, "exp": now + 60}),
    ))))
    .context(ctx(st))
    .accept(identity());
    g.case(
        "iat-missing",
        rule,
        Low,
        "no iat: the seed lists it, go-jose does not require it",
    )
    .input(one(&tok(&without(claims(st), &["iat"]))))
    .context(ctx(st))
    .either("claim_missing");
    g.case("iat-string", rule, Medium, "iat as a string of digits")
        .input(one(&tok(&with(
            claims(st),
            json!({"iat": (now - 10).to_string()}),
        ))))
        .context(ctx(st))
        .reject("claim_invalid");
    g.finish()
}
