//! Vectors `core/segments.json`, rule `core.segments`: exactly three `.`-separated
//! segments; no JSON serialization.

use serde_json::json;

use super::{claims, default_ctx, hdr, out};
use crate::generate::{split, Group};
use crate::mint::Mint;
use crate::model::Severity::{Critical, High, Low, Medium};
use crate::model::VectorFile;
use jwtc_verifier::b64;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "segments");
    let c = claims(now);
    let t = m.jwt("RS256", "rsa-2048-a", &hdr("RS256"), &c);
    let (h, p, s) = split(&t);
    let rule = "core.segments";
    g.case(
        "valid",
        rule,
        Low,
        "a well-formed RS256 token: three segments",
    )
    .token(&t)
    .context(default_ctx("RS256"))
    .accept(out(&c));
    g.case(
        "two-segments",
        rule,
        High,
        "header and payload only: the signature segment and its dot are gone",
    )
    .token(format!("{h}.{p}"))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case(
        "four-segments",
        rule,
        High,
        "a fourth segment appended to a valid token",
    )
    .token(format!("{t}.{s}"))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case(
        "five-segments-jwe",
        rule,
        High,
        "five segments, the shape of a JWE (RFC 7516), where a JWS is expected",
    )
    .token(format!("{h}..{p}.{p}.{s}"))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case(
        "trailing-dot",
        rule,
        Medium,
        "a valid token followed by a dot",
    )
    .token(format!("{t}."))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case("empty-header", rule, High, "the header segment is empty")
        .token(format!(".{p}.{s}"))
        .context(default_ctx("RS256"))
        .reject("malformed");
    let none_h = b64::encode(br#"{"alg":"none"}"#);
    g.case(
        "empty-signature-alg-none",
        rule,
        Critical,
        "an unsecured JWT (alg none, empty signature segment)",
    )
    .refs(&["CVE-2015-9235", "RFC 7519 §6"])
    .token(format!("{none_h}.{p}."))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case(
        "empty-signature",
        rule,
        Critical,
        "a signed header with the signature segment left empty",
    )
    .token(format!("{h}.{p}."))
    .context(default_ctx("RS256"))
    .reject("malformed");
    let flattened = json!({"protected": h, "payload": p, "signature": s}).to_string();
    g.case(
        "json-serialization",
        rule,
        Medium,
        "the valid token in flattened JSON serialization (RFC 7515 §7.2.2)",
    )
    .token(flattened)
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.finish()
}
