//! Vectors `watson/token.json`, rule `watson.token`: no token rejects `token_missing`.

use serde_json::json;

use super::{claims, ctx, out, tok, SUB};
use crate::generate::Group;
use crate::mint::Mint;
use crate::model::Severity::{Critical, Low};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("watson", "token");
    let rule = "watson.token";
    let t = tok(m, &claims(now));
    g.case(
        "present",
        rule,
        Low,
        "the identityToken is present and valid",
    )
    .token(&t)
    .context(ctx())
    .accept(out(SUB));
    g.case(
        "absent",
        rule,
        Critical,
        "security is on and the message carries no token",
    )
    .input(json!({}))
    .context(ctx())
    .reject("token_missing");
    g.case("null", rule, Critical, "the token is null")
        .input(json!({"token": null}))
        .context(ctx())
        .reject("token_missing");
    g.case(
        "empty",
        rule,
        Critical,
        "the token is the empty string (identityToken: '')",
    )
    .token("")
    .context(ctx())
    .reject("token_missing");
    g.case(
        "bearer-prefix",
        rule,
        Low,
        "the token with an HTTP \"Bearer \" prefix",
    )
    .token(format!("Bearer {t}"))
    .context(ctx())
    .reject("malformed");
    g.finish()
}
