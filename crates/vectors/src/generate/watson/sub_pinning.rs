//! Vectors `watson/sub-pinning.json`, rule `watson.sub-pinning`: scenario: a session pins
//! its `sub`.

use serde_json::json;

use super::{claims, ctx, hdr, out, tok, SERVICE, SUB};
use crate::generate::{expect, with, Group};
use crate::mint::Mint;
use crate::model::Severity::{Critical, High};
use crate::model::{VectorFile, Verdict};

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("watson", "sub-pinning");
    let rule = "watson.sub-pinning";
    let t = |sub: &str, exp: i64| tok(m, &with(claims(now), json!({"sub": sub, "exp": exp})));
    let ok = |user: &str| expect(Verdict::Accept, None, Some(out(user)));
    let changed = || expect(Verdict::Reject, Some("subject_changed"), None);
    g.case(
        "another-sub-rejected",
        rule,
        Critical,
        "\"After you set the value of the sub claim … you cannot change the claim to another user\": a session pinned to L12345 refuses a token for another user, refreshed or not",
    )
    .context(ctx())
    .step("the first token pins L12345", json!({"token": t(SUB, now + 10)}), None, ok(SUB))
    .step("a token for L99999", json!({"token": t("L99999", now + 10)}), None, changed())
    .step(
        "a refreshed token (later exp) for L99999",
        json!({"token": t("L99999", now + 3600)}),
        None,
        changed(),
    )
    .step(
        "a refreshed token for L12345 goes on",
        json!({"token": t(SUB, now + 3600)}),
        None,
        ok(SUB),
    )
    .scenario();
    let forged = m.jwt(
        "RS256",
        SERVICE,
        &hdr(),
        &with(claims(now), json!({"sub": "L99999"})),
    );
    g.case(
        "rejected-token-does-not-pin",
        rule,
        High,
        "an expired token and a forged one come first and are rejected: neither pins its sub; the first accepted token does, and binds",
    )
    .context(ctx())
    .step(
        "an expired token for L99999",
        json!({"token": t("L99999", now)}),
        None,
        expect(Verdict::Reject, Some("expired"), None),
    )
    .step(
        "a forged token for L99999",
        json!({"token": forged}),
        None,
        expect(Verdict::Reject, Some("bad_signature"), None),
    )
    .step("a token for L12345 pins it", json!({"token": t(SUB, now + 10)}), None, ok(SUB))
    .step("now L99999 is another user", json!({"token": t("L99999", now + 10)}), None, changed())
    .scenario();
    g.finish()
}
