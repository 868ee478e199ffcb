//! Vectors `watson/mint.json` (profile `watson-signer`), rules `watson.mint-*`: requests a
//! correct signer mints, each case graded on its own rule's entry, and the requests whose
//! right answer is a refusal.

use serde_json::json;

use super::{ctx, user, SIGNER};
use crate::generate::Group;
use crate::model::Severity::{Critical, High, Low, Medium};
use crate::model::VectorFile;

/// `{"note": "é" × 150}`: 311 bytes of JSON, two blocks under a 2048-bit key; node-rsa's
/// boundary (byte 156) and the greedy k − 42 boundary (byte 214) both fall inside an `é`.
fn straddling() -> serde_json::Value {
    json!({ "note": "é".repeat(150) })
}

/// `{"note": "x…"}` of exactly `len` bytes of compact JSON (`len` ≥ 11).
fn sized(len: usize) -> serde_json::Value {
    json!({ "note": "x".repeat(len - 11) })
}

pub(super) fn group() -> VectorFile {
    let mut g = Group::new("watson-signer", "mint");
    let id = || user(json!("L12345"));
    for (name, rule, sev, what) in [
        (
            "alg-rs256",
            "watson.mint-alg",
            High,
            "RS256, signed by the configured 2048-bit key",
        ),
        (
            "iss-configured",
            "watson.mint-iss",
            High,
            "iss present and the configured issuer",
        ),
        (
            "sub-user-id",
            "watson.mint-sub",
            High,
            "sub is the requested user id",
        ),
        (
            "exp-short",
            "watson.mint-exp",
            Medium,
            "a short-lived exp (up to 1 h), iat not after now",
        ),
        (
            "payload-none",
            "watson.mint-user-payload",
            Medium,
            "no payload passed: no user_payload claim",
        ),
        (
            "verifies-user-id",
            "watson.mint-verifies",
            Critical,
            "IBM's verifier accepts the token and reports the user id",
        ),
    ] {
        g.case(name, rule, sev, &format!("a user id, no payload: {what}."))
            .input(id())
            .context(ctx(SIGNER))
            .minted();
    }
    g.case(
        "sub-numeric-id",
        "watson.mint-sub",
        Medium,
        "an integer user id: sub is its decimal string",
    )
    .input(user(json!(12345)))
    .context(ctx(SIGNER))
    .minted();
    for (name, payload, sev, what) in [
        ("payload-object", json!({"name": "Ada", "plan": "gold"}), Critical, "a payload object: encrypted to IBM's key, decrypts to it"),
        ("payload-empty-object", json!({}), High, "the payload {} counts (the vendor code's `if (userPayload)`): a user_payload that decrypts to {}"),
        ("payload-multibyte-boundary", straddling(), High, "311 bytes of JSON with 'é' across every block boundary: the blocks join before UTF-8 is read"),
        ("payload-null", json!(null), Medium, "payload null: no payload, no user_payload claim"),
        ("payload-214-bytes", sized(214), Medium, "214 bytes of JSON: exactly one RSA-OAEP (SHA-1) block under a 2048-bit key (k − 42)"),
        ("payload-215-bytes", sized(215), Medium, "215 bytes of JSON: one byte over a block, so two blocks"),
    ] {
        g.case(name, "watson.mint-user-payload", sev, what)
            .input(json!({"user_id": "L12345", "payload": payload}))
            .context(ctx(SIGNER))
            .minted();
    }
    g.case(
        "verifies-payload",
        "watson.mint-verifies",
        Critical,
        "a user id and a payload: IBM's verifier accepts and reports both",
    )
    .input(json!({"user_id": "L12345", "payload": {"name": "Ada"}}))
    .context(ctx(SIGNER))
    .minted();
    g.case(
        "alg-key-1024-refused",
        "watson.mint-alg",
        Critical,
        "the configured signing key has 1024 bits: refused, not used (RFC 7518 §3.3)",
    )
    .input(id())
    .context(ctx("rsa-1024-a"))
    .reject("key_unknown");
    for (name, uid, what) in [
        ("sub-space-refused", "L 12345", "a space"),
        ("sub-tab-refused", "L\t12345", "a tab"),
        ("sub-non-ascii-refused", "Lé12345", "a non-ASCII letter"),
        ("sub-empty-refused", "", "nothing: the empty string"),
    ] {
        g.case(
            name,
            "watson.mint-sub",
            High,
            &format!(
                "a user id with {what} cannot travel in the X-Watson-Metadata header: refused"
            ),
        )
        .input(user(json!(uid)))
        .context(ctx(SIGNER))
        .reject("claim_invalid");
    }
    g.case("sub-semicolon-either", "watson.mint-sub", Low, "a user id with ';' and '=': minted or refused (IBM's customer_id rules forbid them; the page does not)")
        .input(user(json!("L12345;role=admin")))
        .context(ctx(SIGNER))
        .minted_or_refused("claim_invalid");
    g.finish()
}
