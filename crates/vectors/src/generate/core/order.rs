//! Vectors `core/order.json`, rule `core.order`: claims only after the signature; code
//! precedence.

use serde_json::{json, Value};

use super::{claims, default_ctx, hdr};
use crate::generate::{with, Group};
use crate::mint::Mint;
use crate::model::Severity::{Low, Medium};
use crate::model::VectorFile;
use jwtc_verifier::b64;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "order");
    let rule = "core.order";
    let forged = |c: &Value| m.jwt("HS256", "hs256-b", &hdr("HS256"), c);
    let expired = with(claims(now), json!({"exp": now - 3600}));
    g.case(
        "forged-and-expired",
        rule,
        Medium,
        "a bad MAC over expired claims: bad_signature, never a claim code",
    )
    .token(forged(&expired))
    .context(default_ctx("HS256"))
    .reject("bad_signature");
    let bad_exp = with(claims(now), json!({"exp": "tomorrow"}));
    g.case(
        "forged-and-exp-string",
        rule,
        Medium,
        "a bad MAC over claims whose exp is a string",
    )
    .token(forged(&bad_exp))
    .context(default_ctx("HS256"))
    .reject("bad_signature");
    let c = claims(now);
    let t = m.jwt(
        "HS256",
        "hs256-a",
        &json!({"alg": "HS256", "kid": "nobody"}),
        &c,
    );
    g.case(
        "unknown-kid-over-bad-signature",
        rule,
        Low,
        "kid names no key: key_unknown before any signature check",
    )
    .token(t)
    .context(default_ctx("HS256"))
    .reject("key_unknown");
    let h = b64::encode(json!({"alg": "none", "kid": "nobody"}).to_string());
    g.case(
        "alg-over-kid",
        rule,
        Medium,
        "alg none and a kid naming no key: alg_not_allowed comes first",
    )
    .token(format!("{h}.{}.AAAA", b64::encode(c.to_string())))
    .context(default_ctx("HS256"))
    .reject("alg_not_allowed");
    let h = b64::encode(json!({"alg": "none"}).to_string());
    g.case(
        "malformed-over-alg",
        rule,
        Medium,
        "alg none and a payload that is not JSON: malformed comes first",
    )
    .token(format!("{h}.{}.AAAA", b64::encode("not json")))
    .context(default_ctx("HS256"))
    .reject("malformed");
    g.case(
        "too-large-over-malformed",
        rule,
        Medium,
        "20 KB that is not even a token: too_large comes first",
    )
    .token("!".repeat(20_000))
    .context(default_ctx("HS256"))
    .reject("too_large");
    g.finish()
}
