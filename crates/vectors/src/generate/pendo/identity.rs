//! Vectors `pendo/identity.json`, rule `pendo.identity`: identity from the verified JWT
//! only.

use serde_json::json;

use super::{allow, claims, ctx, full, out, plain, signed, tok, ACCOUNT, VISITOR};
use crate::generate::{split, Group};
use crate::mint::Mint;
use crate::model::Severity::{Critical, Medium};
use crate::model::VectorFile;
use jwtc_verifier::b64;

pub(super) fn group(m: &Mint<'_>) -> VectorFile {
    let mut g = Group::new("pendo", "identity");
    let rule = "pendo.identity";
    let c = claims("n-id");
    let attacker = json!({"visitor": {"id": "attacker"}, "account": {"id": "attacker-account"}});
    for mode in ["allow", "only_signed"] {
        let mut input = signed("e-1", &tok(m, "pendo-1", &c), "pendo-1");
        input["event"]["metadata"] = attacker.clone();
        g.case(
            &format!("metadata-beside-jwt-{}", mode.replace('_', "-")),
            rule,
            Critical,
            &format!("{mode}: a verified jwt and plain metadata naming another visitor: identity comes from the jwt"),
        )
        .input(input)
        .context(ctx(mode, &["pendo-1", "pendo-2"], &[]))
        .accept(full(true));
    }
    let anon = json!({"nonce": "n", "visitor": {"otherVisitorField": "hi"}});
    let mut input = signed("e-1", &tok(m, "pendo-1", &anon), "pendo-1");
    input["event"]["metadata"] = attacker.clone();
    g.case(
        "anonymous-jwt-metadata-names-visitor",
        rule,
        Critical,
        "an anonymous verified jwt and plain metadata naming a visitor: the visitor stays anonymous",
    )
    .input(input)
    .context(allow())
    .accept(out(None, None, true));
    let (h, p, _) = split(&tok(m, "pendo-1", &c));
    let mut input = signed(
        "e-1",
        &format!("{h}.{p}.{}", b64::encode([0u8; 32])),
        "pendo-1",
    );
    input["event"]["metadata"] = attacker;
    g.case(
        "bad-jwt-no-fallback",
        rule,
        Critical,
        "a jwt that fails verification beside valid plain metadata: rejected, never read as the plain metadata",
    )
    .input(input)
    .context(allow())
    .reject("bad_signature");
    g.case(
        "plain-reported-unsigned",
        rule,
        Medium,
        "plain metadata in allow mode: accepted and reported signed: false",
    )
    .input(plain(
        "e-1",
        json!({"visitor": {"id": VISITOR}, "account": {"id": ACCOUNT}}),
    ))
    .context(allow())
    .accept(full(false));
    g.finish()
}
