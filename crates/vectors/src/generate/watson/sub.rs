//! Vectors `watson/sub.json`, rule `watson.sub`: `sub` visible ASCII, the user id.

use serde_json::json;

use super::{case, claims, out};
use crate::generate::{with, without, Group};
use crate::mint::Mint;
use crate::model::Severity::{High, Low, Medium};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("watson", "sub");
    let rule = "watson.sub";
    for (name, value, what) in [
        ("seed-user-id", "L12345", "the seed's L12345"),
        (
            "anonymous-cookie-id",
            "anon-5f3c9a2e",
            "an id for an unauthenticated user (the seed's billing advice)",
        ),
        (
            "lowest-vchar",
            "!",
            "\"!\" (0x21, the first visible ASCII character)",
        ),
        (
            "highest-vchar",
            "~",
            "\"~\" (0x7E, the last visible ASCII character)",
        ),
        (
            "all-punctuation",
            "!\"#$%&'()*+,-./:<>?@[\\]^_`{|}~",
            "every visible ASCII punctuation character but ; and =",
        ),
    ] {
        case(
            &mut g,
            m,
            (name, rule),
            Low,
            &format!("sub is {what}"),
            &with(claims(now), json!({"sub": value})),
        )
        .refs(&["RFC 7230 §3.2.6"])
        .accept(out(value));
    }
    case(
        &mut g,
        m,
        ("missing", rule),
        High,
        "no sub: the user id is required",
        &without(claims(now), &["sub"]),
    )
    .reject("claim_missing");
    case(
        &mut g,
        m,
        ("null", rule),
        High,
        "sub is null",
        &with(claims(now), json!({"sub": null})),
    )
    .reject("claim_missing");
    case(
        &mut g,
        m,
        ("number", rule),
        Medium,
        "sub is a number",
        &with(claims(now), json!({"sub": 12345})),
    )
    .reject("claim_invalid");
    case(
        &mut g,
        m,
        ("empty", rule),
        High,
        "sub is the empty string",
        &with(claims(now), json!({"sub": ""})),
    )
    .reject("claim_invalid");
    for (name, value, sev, what) in [
        (
            "space",
            "L 12345",
            Medium,
            "a space (0x20, just below visible ASCII)",
        ),
        ("tab", "L\t12345", Medium, "a tab"),
        (
            "crlf-injection",
            "L12345\r\nX-Injected: 1",
            High,
            "CR LF and a header line (header injection)",
        ),
        ("nul", "L12345\u{0}", Medium, "a NUL byte"),
        (
            "del",
            "L12345\u{7f}",
            Medium,
            "DEL (0x7F, just above visible ASCII)",
        ),
        ("non-ascii", "J\u{fc}rgen", Medium, "a non-ASCII letter (ü)"),
    ] {
        case(
            &mut g,
            m,
            (name, rule),
            sev,
            &format!("sub holds {what}: it is sent in the X-Watson-Metadata header"),
            &with(claims(now), json!({"sub": value})),
        )
        .refs(&["RFC 7230 §3.2.6"])
        .reject("claim_invalid");
    }
    for (name, value, what) in [
        (
            "semicolon",
            "L12345;customer_id=victim",
            "\";\" and \"=\" (a second customer_id field)",
        ),
        ("equals", "a=b", "\"=\""),
    ] {
        case(
            &mut g,
            m,
            (name, rule),
            Medium,
            &format!("sub holds {what}: IBM's customer_id forbids them; the seed does not say"),
            &with(claims(now), json!({"sub": value})),
        )
        .either("claim_invalid");
    }
    g.finish()
}
