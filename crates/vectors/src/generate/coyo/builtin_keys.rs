//! Vectors `coyo/builtin-keys.json`, rule `coyo.builtin-keys`: built-in keys first, no
//! network.

use serde_json::json;

use super::{claims, ctx, hdr, jku_hdr, out, JKU, TENANT};
use crate::generate::{with, Group};
use crate::mint::Mint;
use crate::model::Severity::{Critical, Low, Medium};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("coyo", "builtin-keys");
    let rule = "coyo.builtin-keys";
    let c = claims(TENANT, now);
    g.case("builtin-first-no-fetch", rule, Medium,
        "signed by a built-in key, with an allowlisted jku: verified with no network (the case allows no fetch)")
        .token(m.jwt("RS256", "rsa-3072-a", &jku_hdr("rsa-3072-a", JKU), &c))
        .context(ctx())
        .max_fetches(0)
        .accept(out(TENANT));
    g.case(
        "builtin-no-jku",
        rule,
        Low,
        "signed by a built-in key, no jku",
    )
    .token(m.jwt("RS256", "rsa-3072-a", &hdr("rsa-3072-a"), &c))
    .context(ctx())
    .accept(out(TENANT));
    let mut no_kid = m.keys().public_jwk("rsa-3072-a").unwrap();
    no_kid.as_object_mut().unwrap().remove("kid");
    g.case(
        "builtin-without-kid",
        rule,
        Low,
        "the built-in key has no kid; the token names one: still a candidate",
    )
    .token(m.jwt("RS256", "rsa-3072-a", &hdr("coyocloud-2025"), &c))
    .context(with(ctx(), json!({ "builtin": [no_kid] })))
    .accept(out(TENANT));
    g.case("builtin-kid-forged", rule, Critical,
        "kid names the built-in key, the attacker signed, jku allowlisted: bad_signature with no fetch")
        .token(m.jwt("RS256", "rsa-2048-b", &jku_hdr("rsa-3072-a", JKU), &c))
        .context(ctx())
        .max_fetches(0)
        .reject("bad_signature");
    g.case(
        "unknown-kid-no-jku",
        rule,
        Medium,
        "a kid that no built-in or registered key has, and no jku",
    )
    .token(m.jwt("RS256", "rsa-2048-c", &hdr("rsa-2048-c"), &c))
    .context(ctx())
    .reject("key_unknown");
    g.finish()
}
