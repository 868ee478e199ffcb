//! Vectors `pendo/no-jti.json`, rule `pendo.no-jti`: `jti` ignored; the same token accepted
//! again.

use serde_json::json;

use super::{allow, claims, full, signed, tok};
use crate::generate::{expect, Group};
use crate::mint::Mint;
use crate::model::Severity::{Low, Medium};
use crate::model::{VectorFile, Verdict};

pub(super) fn group(m: &Mint<'_>) -> VectorFile {
    let mut g = Group::new("pendo", "no-jti");
    let rule = "pendo.no-jti";
    let mut c = claims("n-jti");
    c["jti"] = json!("0b8f6a52-8a1e-4c3b-a0cf-3f2e7d9b1c44");
    let t = tok(m, "pendo-1", &c);
    g.case(
        "jti-ignored",
        rule,
        Low,
        "a token with a jti: the claim is not supported and is ignored",
    )
    .input(signed("e-1", &t, "pendo-1"))
    .context(allow())
    .accept(full(true));
    g.case(
        "same-token-new-events",
        rule,
        Medium,
        "one token (with a jti) in three events: accepted while the event id is new, dropped when the id repeats",
    )
    .context(allow())
    .step(
        "first event with the token",
        signed("e-1", &t, "pendo-1"),
        None,
        expect(Verdict::Accept, None, Some(full(true))),
    )
    .step(
        "another event, the same token: no jti replay check",
        signed("e-2", &t, "pendo-1"),
        None,
        expect(Verdict::Accept, None, Some(full(true))),
    )
    .step(
        "the first event id again: dropped by event id",
        signed("e-1", &t, "pendo-1"),
        None,
        expect(Verdict::Reject, Some("duplicate_event"), None),
    )
    .scenario();
    g.finish()
}
