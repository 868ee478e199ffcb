//! Vectors `pendo/key-name.json`, rule `pendo.key-name`: `signingKeyName` selects an active
//! key.

use base64::Engine;
use serde_json::json;

use super::{allow, claims, ctx, full, hdr, signed, tok, VISITOR};
use crate::generate::{split, Group};
use crate::mint::{hmac, Mint};
use crate::model::Severity::{Critical, High, Low, Medium};
use crate::model::VectorFile;
use jwtc_verifier::b64;

pub(super) fn group(m: &Mint<'_>) -> VectorFile {
    let mut g = Group::new("pendo", "key-name");
    let rule = "pendo.key-name";
    let c = claims("n-key");
    for k in ["pendo-1", "pendo-2"] {
        g.case(
            &format!("named-{k}"),
            rule,
            Low,
            &format!("signed with {k}'s secret (its UTF-8 bytes) and naming {k}"),
        )
        .refs(&["RFC 7518 §3.2"])
        .input(signed("e-1", &tok(m, k, &c), k))
        .context(allow())
        .accept(full(true));
    }
    g.case(
        "unknown-name",
        rule,
        Critical,
        "signingKeyName names no key of the subscription (the token is signed by a key the attacker made)",
    )
    .input(signed("e-1", &tok(m, "hs256-a", &c), "attacker-key"))
    .context(allow())
    .reject("key_unknown");
    g.case(
        "name-case-differs",
        rule,
        Medium,
        "signingKeyName \"PENDO-1\" for the key pendo-1: names are compared exactly",
    )
    .input(signed("e-1", &tok(m, "pendo-1", &c), "PENDO-1"))
    .context(allow())
    .reject("key_unknown");
    g.case(
        "revoked-name",
        rule,
        Critical,
        "signed with and naming pendo-3, which the subscription revoked",
    )
    .input(signed("e-1", &tok(m, "pendo-3", &c), "pendo-3"))
    .context(ctx("allow", &["pendo-1", "pendo-2"], &["pendo-3"]))
    .reject("key_revoked");
    g.case(
        "jwt-without-key-name",
        rule,
        Medium,
        "a jwt and no signingKeyName",
    )
    .input(json!({"event": {"id": "e-1", "jwt": tok(m, "pendo-1", &c)}}))
    .context(allow())
    .reject("malformed");
    g.case(
        "key-name-without-jwt",
        rule,
        Medium,
        "a signingKeyName and no jwt, with plain metadata beside it",
    )
    .input(json!({"event": {"id": "e-1", "signingKeyName": "pendo-1", "metadata": {"visitor": {"id": VISITOR}}}}))
    .context(allow())
    .reject("malformed");
    g.case(
        "key-name-not-a-string",
        rule,
        Low,
        "signingKeyName is a number",
    )
    .input(json!({"event": {"id": "e-1", "jwt": tok(m, "pendo-1", &c), "signingKeyName": 1}}))
    .context(allow())
    .reject("malformed");
    g.case(
        "jwt-not-a-string",
        rule,
        Low,
        "jwt is a JSON object (the claims themselves, unsigned)",
    )
    .input(json!({"event": {"id": "e-1", "jwt": c, "signingKeyName": "pendo-1"}}))
    .context(allow())
    .reject("malformed");
    g.case(
        "signed-by-another-active-key",
        rule,
        Medium,
        "signed with pendo-2 but naming pendo-1; both are active (the reference verifies with the named key only)",
    )
    .input(signed("e-1", &tok(m, "pendo-2", &c), "pendo-1"))
    .context(allow())
    .either("bad_signature");
    // The secret as shown is text; a library that base64-decodes it gets other bytes.
    let shown = String::from_utf8(m.secret("pendo-1")).expect("pendo secrets are text");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(&shown)
        .expect("the pendo-1 secret is base64 text");
    let h = b64::encode(hdr().to_string());
    let p = b64::encode(c.to_string());
    let mac = hmac("HS256", &decoded, format!("{h}.{p}").as_bytes());
    g.case(
        "secret-base64-decoded",
        rule,
        High,
        "HMAC keyed with the base64-decoded secret instead of the secret's UTF-8 bytes",
    )
    .input(signed(
        "e-1",
        &format!("{h}.{p}.{}", b64::encode(mac)),
        "pendo-1",
    ))
    .context(allow())
    .reject("bad_signature");
    let t = m.jwt(
        "HS256",
        "pendo-1",
        &json!({"alg": "HS256", "kid": "pendo-2"}),
        &c,
    );
    g.case(
        "header-kid-ignored",
        rule,
        Low,
        "signed with pendo-1, naming pendo-1, with a header kid of pendo-2: signingKeyName selects the key",
    )
    .input(signed("e-1", &t, "pendo-1"))
    .context(allow())
    .accept(full(true));
    let (h, _, s) = split(&tok(m, "pendo-1", &c));
    let mut other = c.clone();
    other["visitor"]["id"] = json!("someone-else");
    let p2 = b64::encode(other.to_string());
    g.case(
        "payload-swapped",
        rule,
        Critical,
        "the payload replaced (another visitor id), the signature kept",
    )
    .input(signed("e-1", &format!("{h}.{p2}.{s}"), "pendo-1"))
    .context(allow())
    .reject("bad_signature");
    let forged = m.jwt(
        "HS256",
        "pendo-2",
        &hdr(),
        &json!({"visitor": {"id": 7}, "exp": 1}),
    );
    g.case(
        "forged-with-bad-claims",
        "core.order",
        Critical,
        "a forged token whose claims are also wrong (no nonce, visitor.id a number, expired): the signature decides",
    )
    .input(signed("e-1", &forged, "pendo-1"))
    .context(allow())
    .reject("bad_signature");
    g.finish()
}
