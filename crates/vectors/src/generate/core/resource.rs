//! Vectors `core/resource.json`: resource attacks, each rejected fast by a verifier with
//! bounds (the harness's per-case time budget catches one that is not): a token of tens of
//! thousands of dots, JSON nesting past any sane bound in the header and in the payload,
//! and a huge header. Rules `core.size`, `core.segments` and `core.json`, which bound
//! them; the severity is the denial of service. Every token is an attacker's: its
//! signature is forged (32 zero bytes), so no verdict but reject is right, and what is
//! tested is that the verifier rejects it at all, and fast (a library that parses the
//! header before it checks the signature does that work on any token it is sent).
//!
//! The vector format has no compact (repeat) form, so every token is inline: the huge
//! header is 64 KiB, four times the size bound (which rejects it as well as 1 MiB would),
//! not 1 MiB, to keep the file small.

use serde_json::json;

use super::{claims, default_ctx};
use crate::generate::Group;
use crate::mint::Mint;
use crate::model::Severity::Medium;
use crate::model::VectorFile;
use jwtc_verifier::b64;

/// The dots of the token over the size bound, and of the one under it.
const DOTS_OVER: usize = 50_000;
const DOTS_UNDER: usize = 16_000;
/// Levels of `[` the nesting cases open.
const OPEN: usize = 10_000;
/// Levels of arrays the closed nesting case holds.
const DEPTH: usize = 5_000;
/// Bytes of the huge header (before base64url).
const HUGE_HEADER: usize = 48 * 1024;

/// A token of these header and payload bytes under a forged signature (32 zero bytes).
fn forged(header: &[u8], payload: &[u8]) -> String {
    format!(
        "{}.{}.{}",
        b64::encode(header),
        b64::encode(payload),
        b64::encode([0u8; 32])
    )
}

pub(super) fn group(_: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "resource");
    let dots_ref = "CVE-2025-30204";
    g.case(
        "dots-50000",
        "core.size",
        Medium,
        "a token of 50,000 dots and nothing else: rejected on its length, before any split \
         (a split on every dot allocates per dot)",
    )
    .refs(&[dots_ref])
    .token(".".repeat(DOTS_OVER))
    .context(default_ctx("HS256"))
    .reject("too_large");
    g.case(
        "dots-16000",
        "core.segments",
        Medium,
        "a token of 16,000 dots, under the size bound: not three segments",
    )
    .refs(&[dots_ref])
    .token(".".repeat(DOTS_UNDER))
    .context(default_ctx("HS256"))
    .reject("malformed");
    let payload = claims(now).to_string();
    let header_with = |extra: &str| format!(r#"{{"alg":"HS256","kid":"hs256-a","x":{extra}"#);
    let closed = format!("{}{}", "[".repeat(DEPTH), "]".repeat(DEPTH));
    g.case(
        "header-depth-5000",
        "core.json",
        Medium,
        "a header holding arrays nested 5000 deep: a recursive parser's stack",
    )
    .token(forged(
        format!("{}}}", header_with(&closed)).as_bytes(),
        payload.as_bytes(),
    ))
    .context(default_ctx("HS256"))
    .reject("malformed");
    g.case(
        "header-open-10000",
        "core.json",
        Medium,
        "a header opening 10,000 arrays and never closing them: a recursive parser \
         descends 10,000 levels before it finds the end",
    )
    .token(forged(
        header_with(&"[".repeat(OPEN)).as_bytes(),
        payload.as_bytes(),
    ))
    .context(default_ctx("HS256"))
    .reject("malformed");
    let open_claims = format!(
        r#"{{"iss":"https://issuer.jwtc.example","exp":{},"x":{}"#,
        now + 3600,
        "[".repeat(OPEN)
    );
    g.case(
        "payload-open-10000",
        "core.json",
        Medium,
        "claims opening 10,000 arrays and never closing them",
    )
    .token(forged(
        json!({"alg": "HS256", "kid": "hs256-a"})
            .to_string()
            .as_bytes(),
        open_claims.as_bytes(),
    ))
    .context(default_ctx("HS256"))
    .reject("malformed");
    let mut members = String::from(r#"{"alg":"HS256","kid":"hs256-a""#);
    let mut i = 0;
    while members.len() < HUGE_HEADER {
        members.push_str(&format!(r#","m{i:05}":{i}"#));
        i += 1;
    }
    members.push('}');
    g.case(
        "huge-header",
        "core.size",
        Medium,
        "a header of 48 KiB (3,590 members), the token 64 KiB: rejected on its \
         length, before the header is decoded",
    )
    .token(forged(members.as_bytes(), payload.as_bytes()))
    .context(default_ctx("HS256"))
    .reject("too_large");
    g.finish()
}
