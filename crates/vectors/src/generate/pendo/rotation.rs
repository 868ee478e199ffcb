//! Vectors `pendo/rotation.json`, rule `pendo.rotation`: scenario: old and new keys, then
//! revocation.

use super::{claims, ctx, full, signed, tok};
use crate::generate::{expect, Group};
use crate::mint::Mint;
use crate::model::Severity::{Critical, High};
use crate::model::{VectorFile, Verdict};

pub(super) fn group(m: &Mint<'_>) -> VectorFile {
    let mut g = Group::new("pendo", "rotation");
    let rule = "pendo.rotation";
    let c = claims("n-rot");
    let old = tok(m, "pendo-1", &c);
    let new = tok(m, "pendo-2", &c);
    let ok = || expect(Verdict::Accept, None, Some(full(true)));
    let revoked = || expect(Verdict::Reject, Some("key_revoked"), None);
    g.case(
        "exchange-then-revoke",
        rule,
        Critical,
        "the seed's exchange: a new key beside the old, both verify; the old is revoked and rejects; listing it again does not undo the revocation",
    )
    .context(ctx("allow", &["pendo-1"], &[]))
    .step("the old key alone", signed("e-1", &old, "pendo-1"), None, ok())
    .step(
        "a new key generated: the old still verifies",
        signed("e-2", &old, "pendo-1"),
        Some(ctx("allow", &["pendo-1", "pendo-2"], &[])),
        ok(),
    )
    .step(
        "and the new one verifies",
        signed("e-3", &new, "pendo-2"),
        None,
        ok(),
    )
    .step(
        "the old key revoked: it rejects",
        signed("e-4", &old, "pendo-1"),
        Some(ctx("allow", &["pendo-2"], &["pendo-1"])),
        revoked(),
    )
    .step(
        "the new key still verifies",
        signed("e-5", &new, "pendo-2"),
        None,
        ok(),
    )
    .step(
        "a configuration lists the old key as active again and forgets the revocation: refused, still revoked",
        signed("e-6", &old, "pendo-1"),
        Some(ctx("allow", &["pendo-1", "pendo-2"], &[])),
        revoked(),
    )
    .step(
        "the new key is unaffected",
        signed("e-7", &new, "pendo-2"),
        None,
        ok(),
    )
    .scenario();
    g.case(
        "revoked-before-snippet-updated",
        rule,
        High,
        "the seed's warning: the old key revoked before the snippet signs with the new one; events signed with the old key are not processed until it does",
    )
    .context(ctx("only_signed", &["pendo-1", "pendo-2"], &[]))
    .step("the old key, before", signed("e-1", &old, "pendo-1"), None, ok())
    .step(
        "revoked too early: the snippet still signs with it",
        signed("e-2", &old, "pendo-1"),
        Some(ctx("only_signed", &["pendo-2"], &["pendo-1"])),
        revoked(),
    )
    .step(
        "the snippet updated to the new key",
        signed("e-3", &new, "pendo-2"),
        None,
        ok(),
    )
    .scenario();
    g.finish()
}
