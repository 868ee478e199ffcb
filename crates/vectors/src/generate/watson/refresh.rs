//! Vectors `watson/refresh.json`, rule `watson.refresh`: scenario: expired token replaced.

use serde_json::json;

use super::{claims, ctx, out, tok, SUB};
use crate::generate::{expect, with, Group};
use crate::mint::Mint;
use crate::model::Severity::Medium;
use crate::model::{VectorFile, Verdict};

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("watson", "refresh");
    let rule = "watson.refresh";
    let t = |exp: i64| tok(m, &with(claims(now), json!({"exp": exp})));
    let ok = || expect(Verdict::Accept, None, Some(out(SUB)));
    let expired = || expect(Verdict::Reject, Some("expired"), None);
    g.case(
        "expired-then-replaced",
        rule,
        Medium,
        "identityTokenExpired: the session's token expires and is rejected; the handler's replacement (same sub) is accepted and the session goes on",
    )
    .context(ctx())
    .step("the first token", json!({"token": t(now + 10)}), None, ok())
    .step("the token has expired (exp = now)", json!({"token": t(now)}), None, expired())
    .step("the replacement token", json!({"token": t(now + 3600)}), None, ok())
    .scenario();
    g.case(
        "no-token-then-provided",
        rule,
        Medium,
        "web chat 3.2+: no token at first (rejected token_missing), then the handler provides one",
    )
    .context(ctx())
    .step(
        "no token yet",
        json!({}),
        None,
        expect(Verdict::Reject, Some("token_missing"), None),
    )
    .step(
        "an expired token",
        json!({"token": t(now - 1)}),
        None,
        expired(),
    )
    .step("the fresh token", json!({"token": t(now + 10)}), None, ok())
    .scenario();
    g.finish()
}
