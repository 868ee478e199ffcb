//! Vectors `pendo/dedupe.json`, rule `pendo.dedupe`: scenario: duplicate event ids dropped.

use serde_json::json;

use super::{allow, claims, full, plain, signed, tok, ACCOUNT, VISITOR};
use crate::generate::{expect, Group};
use crate::mint::Mint;
use crate::model::Severity::{High, Medium};
use crate::model::{VectorFile, Verdict};

pub(super) fn group(m: &Mint<'_>) -> VectorFile {
    let mut g = Group::new("pendo", "dedupe");
    let rule = "pendo.dedupe";
    let c = claims("n-dup");
    let real = tok(m, "pendo-1", &c);
    let mut evil = c.clone();
    evil["visitor"]["id"] = json!("attacker");
    let forged = tok(m, "hs256-a", &evil);
    let ok = |signed: bool| expect(Verdict::Accept, None, Some(full(signed)));
    let dup = || expect(Verdict::Reject, Some("duplicate_event"), None);
    g.case(
        "duplicate-dropped",
        rule,
        High,
        "the same signed event twice: the second is dropped; a new id is accepted",
    )
    .context(allow())
    .step(
        "first delivery",
        signed("e-1", &real, "pendo-1"),
        None,
        ok(true),
    )
    .step("replayed", signed("e-1", &real, "pendo-1"), None, dup())
    .step(
        "a new event",
        signed("e-2", &real, "pendo-1"),
        None,
        ok(true),
    )
    .scenario();
    g.case(
        "forgery-does-not-block-real-event",
        rule,
        High,
        "a forged event carrying the real event's id arrives first and is rejected; the real event is still accepted, then its replay dropped",
    )
    .context(allow())
    .step(
        "the forgery, with the real event's id",
        signed("e-1", &forged, "pendo-1"),
        None,
        expect(Verdict::Reject, Some("bad_signature"), None),
    )
    .step("the real event", signed("e-1", &real, "pendo-1"), None, ok(true))
    .step("the real event replayed", signed("e-1", &real, "pendo-1"), None, dup())
    .scenario();
    let mut no_nonce = c.clone();
    no_nonce.as_object_mut().unwrap().remove("nonce");
    g.case(
        "rejected-event-not-remembered",
        rule,
        Medium,
        "an event rejected for its claims (no nonce) does not enter the seen-set: a valid event of the same id is accepted",
    )
    .context(allow())
    .step(
        "rejected: no nonce",
        signed("e-1", &tok(m, "pendo-1", &no_nonce), "pendo-1"),
        None,
        expect(Verdict::Reject, Some("claim_missing"), None),
    )
    .step("the valid event, same id", signed("e-1", &real, "pendo-1"), None, ok(true))
    .scenario();
    let meta = json!({"visitor": {"id": VISITOR}, "account": {"id": ACCOUNT}});
    g.case(
        "unsigned-duplicate-dropped",
        rule,
        Medium,
        "plain metadata events (allow mode) are dropped by id too",
    )
    .context(allow())
    .step("first", plain("e-1", meta.clone()), None, ok(false))
    .step("again", plain("e-1", meta), None, dup())
    .scenario();
    g.finish()
}
