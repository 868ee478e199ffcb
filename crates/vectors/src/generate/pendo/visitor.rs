//! Vectors `pendo/visitor.json`, rule `pendo.visitor`: `visitor.id` a string when present;
//! none is anonymous.

use serde_json::{json, Value};

use super::{allow, claims, full, out, plain, signed_case, ACCOUNT, VISITOR};
use crate::generate::Group;
use crate::mint::Mint;
use crate::model::Severity::{High, Low, Medium};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>) -> VectorFile {
    let mut g = Group::new("pendo", "visitor");
    let rule = "pendo.visitor";
    signed_case(
        &mut g,
        m,
        ("visitor-id-string", rule),
        Low,
        "visitor.id a string",
        &claims("n"),
    )
    .accept(full(true));
    signed_case(
        &mut g,
        m,
        ("anonymous-seed-example", rule),
        Low,
        "the seed's anonymous payload: visitor without id, account without id",
        &json!({"nonce": "abcdefg78910xyz", "visitor": {"otherVisitorField": "hi"}, "account": {"otherAccountField": "hello world"}}),
    )
    .accept(out(None, None, true));
    signed_case(
        &mut g,
        m,
        ("anonymous-no-visitor", rule),
        Low,
        "no visitor section at all, an account id",
        &json!({"nonce": "n", "account": {"id": ACCOUNT}}),
    )
    .accept(out(None, Some(ACCOUNT), true));
    signed_case(
        &mut g,
        m,
        ("nonce-only", rule),
        Low,
        "only a nonce: an anonymous visitor with no account",
        &json!({"nonce": "n"}),
    )
    .accept(out(None, None, true));
    for (name, value, sev, what) in [
        ("number", json!(12345), High, "a number"),
        ("array", json!(["a", "b"]), High, "an array"),
        ("object", json!({"id": VISITOR}), High, "an object"),
        ("boolean", json!(true), Medium, "a boolean"),
    ] {
        let mut c = claims("n");
        c["visitor"]["id"] = value;
        signed_case(
            &mut g,
            m,
            (&format!("visitor-id-{name}"), rule),
            sev,
            &format!("visitor.id is {what}: the seed says it must be a string"),
            &c,
        )
        .reject("claim_invalid");
    }
    for (name, value, what) in [
        ("null", Value::Null, "null"),
        ("empty", json!(""), "the empty string"),
    ] {
        let mut c = claims("n");
        c["visitor"]["id"] = value;
        signed_case(
            &mut g,
            m,
            (&format!("visitor-id-{name}"), rule),
            Low,
            &format!("visitor.id is {what}: anonymous or invalid (the reference rejects)"),
            &c,
        )
        .either("claim_invalid");
    }
    let mut c = claims("n");
    c["visitor"] = json!(VISITOR);
    signed_case(
        &mut g,
        m,
        ("visitor-not-object", rule),
        Medium,
        "visitor is the id string itself, not an object",
        &c,
    )
    .reject("claim_invalid");
    let mut c = claims("n");
    c["account"] = json!([ACCOUNT]);
    signed_case(
        &mut g,
        m,
        ("account-not-object", rule),
        Medium,
        "account is an array, not an object",
        &c,
    )
    .reject("claim_invalid");
    let mut c = claims("n");
    c["account"]["id"] = json!(42);
    signed_case(
        &mut g,
        m,
        ("account-id-number", rule),
        Low,
        "account.id is a number: the seed gives no type (the reference rejects; see decisions)",
        &c,
    )
    .either("claim_invalid");
    g.case(
        "plain-visitor-id-number",
        rule,
        Medium,
        "unsigned metadata (allow mode) whose visitor.id is a number: the same rule",
    )
    .input(plain("e-1", json!({"visitor": {"id": 12345}})))
    .context(allow())
    .reject("claim_invalid");
    g.case(
        "plain-anonymous",
        rule,
        Low,
        "unsigned event without metadata (allow mode): an anonymous visitor",
    )
    .input(json!({"event": {"id": "e-1"}}))
    .context(allow())
    .accept(out(None, None, false));
    g.finish()
}
