//! Vectors `pendo/nonce.json`, rule `pendo.nonce`: a top-level `nonce` is required.

use serde_json::{json, Value};

use super::{claims, full, signed_case};
use crate::generate::Group;
use crate::mint::Mint;
use crate::model::Severity::{Low, Medium};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>) -> VectorFile {
    let mut g = Group::new("pendo", "nonce");
    let rule = "pendo.nonce";
    signed_case(
        &mut g,
        m,
        ("random-string", rule),
        Low,
        "a random nonce at the top level, beside visitor and account",
        &claims("f3b1c7e0-2a9d-4c61-9a57-0d2e8b4f6a13"),
    )
    .accept(full(true));
    let mut c = claims("x");
    c.as_object_mut().unwrap().remove("nonce");
    signed_case(
        &mut g,
        m,
        ("missing", rule),
        Medium,
        "no nonce anywhere",
        &c,
    )
    .reject("claim_missing");
    let mut n = c.clone();
    n["nonce"] = Value::Null;
    signed_case(&mut g, m, ("null", rule), Medium, "\"nonce\": null", &n).reject("claim_missing");
    let mut v = c.clone();
    v["visitor"]["nonce"] = json!("inside");
    signed_case(
        &mut g,
        m,
        ("inside-visitor-only", rule),
        Medium,
        "a nonce inside visitor and none at the top level (the seed: not contained within one of those sections)",
        &v,
    )
    .reject("claim_missing");
    let mut a = c.clone();
    a["account"]["nonce"] = json!("inside");
    signed_case(
        &mut g,
        m,
        ("inside-account-only", rule),
        Medium,
        "a nonce inside account and none at the top level",
        &a,
    )
    .reject("claim_missing");
    for (name, value, what) in [
        ("number", json!(12345), "a number"),
        ("boolean", json!(true), "a boolean"),
        ("object", json!({"v": "x"}), "an object"),
    ] {
        let mut x = c.clone();
        x["nonce"] = value;
        signed_case(
            &mut g,
            m,
            (name, rule),
            Low,
            &format!("nonce is {what}: the seed says a string but \"not explicitly validated\""),
            &x,
        )
        .either("claim_invalid");
    }
    signed_case(
        &mut g,
        m,
        ("empty-string", rule),
        Low,
        "nonce is the empty string: a value is present but says nothing (the reference accepts)",
        &claims(""),
    )
    .either("claim_invalid");
    g.finish()
}
