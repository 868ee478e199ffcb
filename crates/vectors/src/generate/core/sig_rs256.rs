//! Vectors `core/sig-rs256.json`, rule `core.sig-rs256`: PKCS#1 v1.5, modulus-length
//! signature, 2048+ bit keys.

use super::{claims, default_ctx, hdr, out};
use crate::generate::{split, Group};
use crate::mint::Mint;
use crate::model::Severity::{Critical, High, Low};
use crate::model::VectorFile;
use jwtc_verifier::b64;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "sig-rs256");
    let rule = "core.sig-rs256";
    let c = claims(now);
    let t = m.jwt("RS256", "rsa-2048-a", &hdr("RS256"), &c);
    let (h, p, s) = split(&t);
    let raw = b64::decode(&s).unwrap();
    let ctx = default_ctx("RS256");
    let with_sig = |bytes: &[u8]| format!("{h}.{p}.{}", b64::encode(bytes));
    g.case("valid", rule, Low, "a valid RS256 signature")
        .token(&t)
        .context(ctx.clone())
        .accept(out(&c));
    g.case(
        "leading-zero-byte",
        rule,
        High,
        "the signature with a zero byte prepended (257 bytes for a 256-byte modulus)",
    )
    .token(with_sig(&[&[0u8][..], &raw[..]].concat()))
    .context(ctx.clone())
    .reject("bad_signature");
    g.case(
        "trailing-byte",
        rule,
        High,
        "the signature with a byte appended",
    )
    .token(with_sig(&[&raw[..], &[0u8][..]].concat()))
    .context(ctx.clone())
    .reject("bad_signature");
    g.case(
        "truncated",
        rule,
        High,
        "the signature missing its last byte",
    )
    .token(with_sig(&raw[..255]))
    .context(ctx.clone())
    .reject("bad_signature");
    let mut flipped = raw.clone();
    flipped[255] ^= 1;
    g.case(
        "last-bit-flipped",
        rule,
        Critical,
        "the last bit of the signature flipped",
    )
    .token(with_sig(&flipped))
    .context(ctx.clone())
    .reject("bad_signature");
    g.case(
        "other-key",
        rule,
        Critical,
        "a valid signature by another RSA key",
    )
    .token(m.jwt("RS256", "rsa-2048-b", &hdr("RS256"), &c))
    .context(ctx.clone())
    .reject("bad_signature");
    let rs384 = m.sign("RS384", "rsa-2048-a", format!("{h}.{p}").as_bytes());
    g.case("sha384-digestinfo", rule, Critical, "a PKCS#1 v1.5 signature by the trusted key over SHA-384 (wrong DigestInfo) under alg RS256")
        .token(with_sig(&rs384)).context(ctx.clone()).reject("bad_signature");
    let pss = m.sign("PS256", "rsa-2048-a", format!("{h}.{p}").as_bytes());
    g.case(
        "pss-signature",
        rule,
        High,
        "an RSASSA-PSS signature by the trusted key under alg RS256",
    )
    .token(with_sig(&pss))
    .context(ctx.clone())
    .reject("bad_signature");
    g.case("zero-signature", rule, Critical, "256 zero bytes")
        .token(with_sig(&[0u8; 256]))
        .context(ctx.clone())
        .reject("bad_signature");
    let modulus = b64::decode(
        m.keys().public_jwk("rsa-2048-a").unwrap()["n"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    g.case(
        "signature-equals-modulus",
        rule,
        High,
        "the modulus itself as the signature (out of range)",
    )
    .token(with_sig(&modulus))
    .context(ctx)
    .reject("bad_signature");
    g.finish()
}
