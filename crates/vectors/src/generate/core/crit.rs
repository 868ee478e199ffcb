//! Vectors `core/crit.json`, rule `core.crit`: unknown or empty `crit`, `b64: false`
//! reject.

use serde_json::{json, Value};

use super::{claims, default_ctx, hdr, out};
use crate::generate::{with, Group};
use crate::mint::Mint;
use crate::model::Severity::{High, Low, Medium};
use crate::model::VectorFile;
use jwtc_verifier::b64;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "crit");
    let rule = "core.crit";
    let c = claims(now);
    let t = |extra: Value| m.jwt("ES256", "p256-a", &with(hdr("ES256"), extra), &c);
    g.case(
        "crit-absent",
        rule,
        Low,
        "no crit, no extension parameters: nothing critical to understand",
    )
    .token(t(json!({})))
    .context(default_ctx("ES256"))
    .accept(out(&c));
    g.case(
        "crit-unknown-extension",
        rule,
        High,
        "crit names an extension the verifier cannot implement",
    )
    .refs(&["RFC 7515 §4.1.11"])
    .token(t(
        json!({"crit": ["urn:jwtc:must-understand"], "urn:jwtc:must-understand": true}),
    ))
    .context(default_ctx("ES256"))
    .reject("malformed");
    g.case(
        "crit-exp",
        rule,
        High,
        "crit [\"exp\"] with an exp header parameter (time-bound only if understood)",
    )
    .refs(&["RFC 7515 §4.1.11"])
    .token(t(json!({"crit": ["exp"], "exp": now - 10})))
    .context(default_ctx("ES256"))
    .reject("malformed");
    g.case(
        "crit-empty",
        rule,
        Medium,
        "crit is an empty array (RFC 7515 §4.1.11 forbids it)",
    )
    .refs(&["RFC 7515 §4.1.11"])
    .token(t(json!({"crit": []})))
    .context(default_ctx("ES256"))
    .reject("malformed");
    g.case(
        "crit-string",
        rule,
        Medium,
        "crit is a string, not an array",
    )
    .token(t(json!({"crit": "b64"})))
    .context(default_ctx("ES256"))
    .reject("malformed");
    g.case(
        "crit-names-missing-parameter",
        rule,
        Medium,
        "crit names a parameter absent from the header",
    )
    .token(t(json!({"crit": ["urn:jwtc:absent"]})))
    .context(default_ctx("ES256"))
    .reject("malformed");
    // RFC 7797: with b64 false the signing input holds the raw payload.
    let header = with(hdr("ES256"), json!({"b64": false, "crit": ["b64"]}));
    let h = b64::encode(header.to_string());
    let raw_payload = c.to_string();
    let sig = m.sign("ES256", "p256-a", format!("{h}.{raw_payload}").as_bytes());
    g.case("b64-false", rule, High, "b64 false with crit [\"b64\"] (RFC 7797 unencoded payload), detached payload segment carried base64url")
        .refs(&["RFC 7797"])
        .token(format!("{h}.{}.{}", b64::encode(&raw_payload), b64::encode(sig))).context(default_ctx("ES256")).reject("malformed");
    g.case("b64-false-no-crit", rule, High, "b64 false without crit")
        .refs(&["RFC 7797 §6"])
        .token(t(json!({"b64": false})))
        .context(default_ctx("ES256"))
        .reject("malformed");
    g.finish()
}
