//! Vectors `pendo/key-limit.json`, rule `pendo.key-limit`: at most five active keys;
//! revocation permanent.

use super::{claims, ctx, full, signed, tok};
use crate::generate::Group;
use crate::mint::Mint;
use crate::model::Severity::{Critical, High, Low};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>) -> VectorFile {
    let mut g = Group::new("pendo", "key-limit");
    let rule = "pendo.key-limit";
    let c = claims("n-limit");
    let five = ["pendo-1", "pendo-2", "pendo-3", "pendo-4", "pendo-5"];
    let six = [
        "pendo-1", "pendo-2", "pendo-3", "pendo-4", "pendo-5", "pendo-6",
    ];
    g.case(
        "five-keys-fifth-verifies",
        rule,
        Low,
        "five active keys (the limit); a token signed with the fifth",
    )
    .input(signed("e-1", &tok(m, "pendo-5", &c), "pendo-5"))
    .context(ctx("allow", &five, &[]))
    .accept(full(true));
    g.case(
        "six-keys-sixth-refused",
        rule,
        High,
        "six keys configured: the sixth is refused at configuration, so a token naming it is not verified",
    )
    .input(signed("e-1", &tok(m, "pendo-6", &c), "pendo-6"))
    .context(ctx("allow", &six, &[]))
    .reject("key_unknown");
    g.case(
        "six-keys-first-still-verifies",
        rule,
        Low,
        "six keys configured: the refused sixth does not disable the five before it",
    )
    .input(signed("e-1", &tok(m, "pendo-1", &c), "pendo-1"))
    .context(ctx("allow", &six, &[]))
    .accept(full(true));
    g.case(
        "revoked-and-listed-active",
        rule,
        Critical,
        "pendo-1 listed among the keys and among the revoked: re-activation is refused, the key stays revoked",
    )
    .input(signed("e-1", &tok(m, "pendo-1", &c), "pendo-1"))
    .context(ctx("allow", &["pendo-1", "pendo-2"], &["pendo-1"]))
    .reject("key_revoked");
    g.case(
        "six-with-one-revoked",
        rule,
        Low,
        "six keys ever, one revoked: five active, the sixth verifies",
    )
    .input(signed("e-1", &tok(m, "pendo-6", &c), "pendo-6"))
    .context(ctx(
        "allow",
        &["pendo-2", "pendo-3", "pendo-4", "pendo-5", "pendo-6"],
        &["pendo-1"],
    ))
    .accept(full(true));
    g.case(
        "short-secret-refused",
        rule,
        High,
        "a 16-byte secret configured as a key: refused (RFC 7518 §3.2), so a token naming it is not verified",
    )
    .refs(&["RFC 7518 §3.2"])
    .input(signed("e-1", &tok(m, "hs256-short", &c), "hs256-short"))
    .context(ctx("allow", &["pendo-1", "hs256-short"], &[]))
    .reject("key_unknown");
    g.finish()
}
