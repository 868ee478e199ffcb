//! Vectors `core/numeric-date.json`, rule `core.numeric-date`: exp/iat/nbf are JSON numbers
//! in 0..=year 9999.

use serde_json::{json, Value};

use super::{default_ctx, hdr, out, ISS};
use crate::generate::{with, Group};
use crate::mint::Mint;
use crate::model::Severity::{High, Low, Medium};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "numeric-date");
    let rule = "core.numeric-date";
    let base = json!({"iss": ISS, "sub": "user-1"});
    let ctx = default_ctx("ES256");
    let mut case = |name: &str,
                    sev,
                    desc: &str,
                    extra: Value,
                    refs: &[&str],
                    verdict: (&str, Option<&str>)| {
        let c = with(base.clone(), extra);
        let b = g
            .case(name, rule, sev, desc)
            .refs(refs)
            .token(m.jwt("ES256", "p256-a", &hdr("ES256"), &c))
            .context(ctx.clone());
        match verdict {
            ("accept", _) => b.accept(out(&c)),
            ("reject", Some(code)) => b.reject(code),
            (_, Some(code)) => b.either(code),
            _ => unreachable!(),
        }
    };
    let str_refs: &[&str] = &["RFC 7519 §2", "jsonwebtoken (crate) < 10.3.0"];
    case(
        "exp-integer",
        Low,
        "exp an integer an hour ahead",
        json!({"exp": now + 3600}),
        &[],
        ("accept", None),
    );
    case(
        "exp-fraction",
        Low,
        "exp a fraction an hour ahead",
        json!({"exp": now as f64 + 3600.5}),
        &[],
        ("accept", None),
    );
    case(
        "exp-exponent-form",
        Low,
        "exp in exponent form (1.7672292e9, an hour ahead)",
        json!({"exp": serde_json::from_str::<Value>(&format!("{:e}", (now + 3600) as f64)).unwrap()}),
        &[],
        ("accept", None),
    );
    case(
        "exp-string",
        High,
        "exp \"<an hour ago>\" as a string: a library that ignores it accepts an expired token",
        json!({"exp": (now - 3600).to_string()}),
        str_refs,
        ("reject", Some("claim_invalid")),
    );
    case(
        "exp-string-future",
        Medium,
        "exp a string an hour ahead",
        json!({"exp": (now + 3600).to_string()}),
        str_refs,
        ("reject", Some("claim_invalid")),
    );
    case(
        "exp-boolean",
        Medium,
        "exp true",
        json!({"exp": true}),
        &[],
        ("reject", Some("claim_invalid")),
    );
    case(
        "exp-null",
        Medium,
        "exp null",
        json!({"exp": null}),
        &[],
        ("reject", Some("claim_invalid")),
    );
    case(
        "exp-array",
        Medium,
        "exp [<an hour ago>]",
        json!({"exp": [now - 3600]}),
        &[],
        ("reject", Some("claim_invalid")),
    );
    case(
        "nbf-string",
        Medium,
        "nbf a string a day ahead",
        json!({"nbf": (now + 86400).to_string(), "exp": now + 172800}),
        str_refs,
        ("reject", Some("claim_invalid")),
    );
    case(
        "iat-string",
        Low,
        "iat a string",
        json!({"iat": now.to_string(), "exp": now + 3600}),
        &[],
        ("reject", Some("claim_invalid")),
    );
    case(
        "exp-huge",
        Low,
        "exp 1e12, after year 9999: never expires, or out of range",
        json!({"exp": 1e12}),
        &[],
        ("either", Some("claim_invalid")),
    );
    case(
        "exp-negative",
        Medium,
        "exp -1",
        json!({"exp": -1}),
        &[],
        ("reject", Some("expired")),
    );
    case(
        "nbf-huge",
        Medium,
        "nbf 1e12, after year 9999",
        json!({"nbf": 1e12, "exp": now + 3600}),
        &[],
        ("reject", Some("not_yet_valid")),
    );
    case(
        "iat-huge",
        Medium,
        "iat 1e12, after year 9999",
        json!({"iat": 1e12, "exp": now + 3600}),
        &[],
        ("reject", Some("not_yet_valid")),
    );
    case(
        "iat-negative",
        Low,
        "iat -1",
        json!({"iat": -1, "exp": now + 3600}),
        &[],
        ("either", Some("claim_invalid")),
    );
    case(
        "nbf-negative",
        Low,
        "nbf -1",
        json!({"nbf": -1, "exp": now + 3600}),
        &[],
        ("either", Some("claim_invalid")),
    );
    case(
        "exp-fraction-straddles",
        Low,
        "exp = now + 0.5: valid for half a second, or expired once truncated",
        json!({"exp": now as f64 + 0.5}),
        &[],
        ("either", Some("expired")),
    );
    case(
        "nbf-fraction-straddles",
        Low,
        "nbf = now + 0.5: not valid for half a second, or valid once truncated",
        json!({"nbf": now as f64 + 0.5, "exp": now + 3600}),
        &[],
        ("either", Some("not_yet_valid")),
    );
    g.finish()
}
