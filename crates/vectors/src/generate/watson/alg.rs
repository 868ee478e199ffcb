//! Vectors `watson/alg.json`, rule `watson.alg`: RS256 only.

use rsa::pkcs8::EncodePublicKey;
use serde_json::json;

use super::{case, claims, ctx, out, tok, SIGNER, SUB};
use crate::generate::{split, Group};
use crate::mint::{hmac, Mint};
use crate::model::Severity::{Critical, High, Low, Medium};
use crate::model::VectorFile;
use jwtc_verifier::b64;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("watson", "alg");
    let rule = "watson.alg";
    let c = claims(now);
    case(
        &mut g,
        m,
        ("rs256", rule),
        Low,
        "the seed's token: RS256 by the customer's key",
        &c,
    )
    .accept(out(SUB));
    for a in ["RS384", "RS512", "PS256"] {
        g.case(
            &a.to_lowercase(),
            rule,
            Medium,
            &format!("{a} by the customer's RSA key: the seed says RS256"),
        )
        .token(m.jwt(a, SIGNER, &json!({"alg": a, "typ": "JWT"}), &c))
        .context(ctx())
        .reject("alg_not_allowed");
    }
    g.case(
        "es256",
        rule,
        High,
        "ES256 by an EC key the service was never given",
    )
    .token(m.jwt("ES256", "p256-a", &json!({"alg": "ES256"}), &c))
    .context(ctx())
    .reject("alg_not_allowed");
    let t = tok(m, &c);
    let (_, p, s) = split(&t);
    let h = b64::encode(json!({"alg": "none", "typ": "JWT"}).to_string());
    g.case(
        "alg-none-with-signature",
        rule,
        Critical,
        "alg none with the genuine RS256 signature kept",
    )
    .refs(&["CVE-2015-9235", "RFC 8725 §3.1"])
    .token(format!("{h}.{p}.{s}"))
    .context(ctx())
    .reject("alg_not_allowed");
    // The public key the customer pasted is a PEM: HMAC keyed with that text.
    let pem = m
        .rsa_private(SIGNER)
        .to_public_key()
        .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
        .unwrap();
    let h = b64::encode(json!({"alg": "HS256", "typ": "JWT"}).to_string());
    let mac = hmac("HS256", pem.as_bytes(), format!("{h}.{p}").as_bytes());
    g.case(
        "hs256-keyed-with-public-pem",
        "core.alg-confusion",
        Critical,
        "HS256 whose HMAC key is the customer's public key PEM, as pasted into the security settings",
    )
    .refs(&["CVE-2015-9235", "CVE-2016-5431", "RFC 8725 §2.1"])
    .token(format!("{h}.{p}.{}", b64::encode(mac)))
    .context(json!({"keys": [{"pem": pem}], "skew": 0}))
    .reject("alg_not_allowed");
    g.finish()
}
