//! Vectors `core/sig-hs256.json`, rule `core.sig-hs256`: 32-byte MAC, constant-time
//! compare, keys of 32+ bytes.

use serde_json::json;

use super::{claims, default_ctx, hdr, out};
use crate::generate::{split, with, Group};
use crate::mint::Mint;
use crate::model::Severity::{Critical, High, Low};
use crate::model::VectorFile;
use jwtc_verifier::b64;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "sig-hs256");
    let rule = "core.sig-hs256";
    let c = claims(now);
    let t = m.jwt("HS256", "hs256-a", &hdr("HS256"), &c);
    let (h, p, s) = split(&t);
    let mac = b64::decode(&s).unwrap();
    let ctx = default_ctx("HS256");
    g.case("valid", rule, Low, "a valid HS256 MAC")
        .token(&t)
        .context(ctx.clone())
        .accept(out(&c));
    g.case(
        "truncated-16",
        rule,
        Critical,
        "the MAC truncated to 16 bytes",
    )
    .token(format!("{h}.{p}.{}", b64::encode(&mac[..16])))
    .context(ctx.clone())
    .reject("bad_signature");
    g.case(
        "truncated-1",
        rule,
        Critical,
        "the MAC truncated to its first byte",
    )
    .token(format!("{h}.{p}.{}", b64::encode(&mac[..1])))
    .context(ctx.clone())
    .reject("bad_signature");
    g.case("extended", rule, High, "the MAC with a zero byte appended")
        .token(format!(
            "{h}.{p}.{}",
            b64::encode([&mac[..], &[0]].concat())
        ))
        .context(ctx.clone())
        .reject("bad_signature");
    let mut flipped = mac.clone();
    flipped[31] ^= 1;
    g.case(
        "last-bit-flipped",
        rule,
        Critical,
        "the last bit of the MAC flipped",
    )
    .token(format!("{h}.{p}.{}", b64::encode(&flipped)))
    .context(ctx.clone())
    .reject("bad_signature");
    g.case(
        "other-secret",
        rule,
        Critical,
        "a MAC by another 32-byte secret",
    )
    .token(m.jwt("HS256", "hs256-b", &hdr("HS256"), &c))
    .context(ctx.clone())
    .reject("bad_signature");
    g.case("zero-mac", rule, Critical, "a MAC of 32 zero bytes")
        .token(format!("{h}.{p}.{}", b64::encode([0u8; 32])))
        .context(ctx.clone())
        .reject("bad_signature");
    let other = with(c.clone(), json!({"sub": "admin"}));
    g.case(
        "payload-swapped",
        rule,
        Critical,
        "a valid MAC over other claims, with the payload changed to sub admin",
    )
    .token(format!("{h}.{}.{s}", b64::encode(other.to_string())))
    .context(ctx)
    .reject("bad_signature");
    g.finish()
}
