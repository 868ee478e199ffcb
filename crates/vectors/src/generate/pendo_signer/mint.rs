//! Vectors `pendo/mint.json` (profile `pendo-signer`), rules `pendo.mint-*`: requests a
//! correct signer mints, each case graded on its own rule's entry.

use serde_json::json;

use super::{ctx, named};
use crate::generate::{minted, Group};
use crate::model::Severity::{Critical, High, Medium};
use crate::model::VectorFile;

pub(super) fn group() -> VectorFile {
    let mut g = Group::new("pendo-signer", "mint");
    let one = || ctx(&["pendo-1"], "pendo-1", &[]);
    for (name, rule, sev, what) in [
        ("alg-hs256", "pendo.mint-alg", High, "the JWT's header alg is exactly HS256"),
        ("key-named", "pendo.mint-key", Critical, "signingKeyName is the active key's, the MAC keyed with its secret's text as shown (valid base64 text: a signer that decodes it is caught)"),
        ("nonce-top-level", "pendo.mint-nonce", High, "a top-level, non-empty nonce"),
        ("visitor-named", "pendo.mint-visitor", High, "every member of visitor and account in the JWT, ids as strings"),
        ("metadata-none-beside", "pendo.mint-metadata", High, "the options carry jwt and signingKeyName, no plain visitor or account beside them"),
        ("verifies-named", "pendo.mint-verifies", Critical, "Pendo's verifier (only_signed) accepts the event and reports the request's visitor and account"),
    ] {
        g.case(name, rule, sev, &format!("a logged-in visitor of a paying account: {what}."))
            .input(named())
            .context(one())
            .minted();
    }
    g.case(
        "key-second-active",
        "pendo.mint-key",
        High,
        "two active keys, the second the one the app signs with: its name and its secret",
    )
    .input(named())
    .context(ctx(&["pendo-1", "pendo-2"], "pendo-2", &[]))
    .minted();
    g.case(
        "key-rotation",
        "pendo.mint-key",
        Critical,
        "a rotation: the old key alone, then a configuration that makes the new key active and revokes the old one: the next mint uses the new key and its name",
    )
    .context(one())
    .step("the old key", named(), None, minted("pendo.mint-key"))
    .step(
        "the new key active, the old revoked",
        named(),
        Some(ctx(&["pendo-2"], "pendo-2", &["pendo-1"])),
        minted("pendo.mint-key"),
    )
    .scenario();
    g.case(
        "nonce-same-request-thrice",
        "pendo.mint-nonce",
        Critical,
        "the same request minted three times in one session: every nonce differs",
    )
    .context(one())
    .step("first mint", named(), None, minted("pendo.mint-nonce"))
    .step(
        "the same request again",
        named(),
        None,
        minted("pendo.mint-nonce"),
    )
    .step(
        "and a third time",
        named(),
        None,
        minted("pendo.mint-nonce"),
    )
    .scenario();
    for (name, input, what) in [
        ("visitor-numeric-id", json!({"visitor": {"id": 12345}, "account": {"id": 678}}), "integer visitor and account ids: sent as their decimal strings (\"must be a string\")"),
        ("visitor-id-space-non-ascii", json!({"visitor": {"id": "Zoë Ångström 42", "full_name": "Zoë Ångström"}, "account": {"id": "ACME Ünited", "name": "Ünited — 株式会社"}}), "ids with a space and non-ASCII letters, multibyte metadata: signed as given, UTF-8 (Pendo's ids are any string)"),
        ("visitor-anonymous", json!({"account": {"id": "ACCOUNT-UNIQUE-ID"}}), "no visitor: an anonymous visitor is still signed, with no visitor.id"),
        ("visitor-anonymous-null-id", json!({"visitor": {"id": null, "language": "en"}}), "visitor.id null: anonymous, signed without visitor.id (not \"\", not null), its other members kept"),
    ] {
        g.case(name, "pendo.mint-visitor", High, what)
            .input(input)
            .context(one())
            .minted();
    }
    g.case(
        "verifies-anonymous",
        "pendo.mint-verifies",
        Medium,
        "an anonymous visitor: Pendo's verifier accepts the event and reports it anonymous",
    )
    .input(json!({"visitor": {}}))
    .context(one())
    .minted();
    g.finish()
}
