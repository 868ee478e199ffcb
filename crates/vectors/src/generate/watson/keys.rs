//! Vectors `watson/keys.json`, rule `core.keys` under Watson's configuration: the
//! customer's public key as PEM text, a second key, keys of the wrong type or size, a kid
//! naming no key.

use rsa::pkcs8::EncodePublicKey;
use serde_json::json;

use super::{claims, ctx, hdr, out, tok, SERVICE, SIGNER, SUB};
use crate::generate::Group;
use crate::mint::Mint;
use crate::model::Severity::{Critical, High, Low, Medium};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("watson", "keys");
    let rule = "core.keys";
    let c = claims(now);
    let pem = m
        .rsa_private(SIGNER)
        .to_public_key()
        .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
        .unwrap();
    g.case(
        "public-key-pem",
        rule,
        Low,
        "the public key as the seed configures it: PEM text (openssl genrsa, then its public half)",
    )
    .token(tok(m, &c))
    .context(json!({"keys": [{"pem": pem}], "skew": 0}))
    .accept(out(SUB));
    g.case(
        "second-key-3072",
        rule,
        Low,
        "two configured keys; the token is signed by the 3072-bit one",
    )
    .token(m.jwt("RS256", "rsa-3072-a", &hdr(), &c))
    .context(json!({"keys": [SIGNER, "rsa-3072-a"], "skew": 0}))
    .accept(out(SUB));
    g.case(
        "signed-by-another-key",
        rule,
        Critical,
        "RS256 by a key the service was not given",
    )
    .token(m.jwt("RS256", SERVICE, &hdr(), &c))
    .context(ctx())
    .reject("bad_signature");
    g.case(
        "ec-key-configured",
        rule,
        Medium,
        "the configured key is an EC key: refused at configuration (Watson is RS256), so nothing verifies",
    )
    .token(tok(m, &c))
    .context(json!({"keys": ["p256-a"], "skew": 0}))
    .reject("key_unknown");
    g.case(
        "hmac-key-configured",
        rule,
        High,
        "the configured key is an HMAC secret: refused at configuration, so nothing verifies",
    )
    .token(tok(m, &c))
    .context(json!({"keys": ["hs256-a"], "skew": 0}))
    .reject("key_unknown");
    g.case(
        "rsa-1024",
        rule,
        Medium,
        "a 1024-bit customer key and a token it signed (RFC 7518 §3.3 asks for 2048 bits)",
    )
    .refs(&["RFC 7518 §3.3"])
    .token(m.jwt("RS256", "rsa-1024-a", &hdr(), &c))
    .context(json!({"keys": ["rsa-1024-a"], "skew": 0}))
    .either("key_unknown");
    g.case(
        "kid-names-no-key",
        rule,
        Medium,
        "the header kid names no configured key (the configured JWK has a kid)",
    )
    .token(m.jwt(
        "RS256",
        SIGNER,
        &json!({"alg": "RS256", "kid": "rsa-9999"}),
        &c,
    ))
    .context(ctx())
    .reject("key_unknown");
    g.finish()
}
