//! Vectors `core/sig-es256.json`, rule `core.sig-es256`: 64-byte r‖s; DER, zero or
//! out-of-range r/s reject.

use super::{claims, default_ctx, hdr, out};
use crate::generate::{split, Group};
use crate::mint::Mint;
use crate::model::Severity::{Critical, High, Low};
use crate::model::VectorFile;
use jwtc_verifier::b64;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "sig-es256");
    let rule = "core.sig-es256";
    let c = claims(now);
    let t = m.jwt("ES256", "p256-a", &hdr("ES256"), &c);
    let (h, p, s) = split(&t);
    let raw = b64::decode(&s).unwrap();
    let sig = p256::ecdsa::Signature::from_slice(&raw).unwrap();
    let ctx = default_ctx("ES256");
    let with_sig = |bytes: &[u8]| format!("{h}.{p}.{}", b64::encode(bytes));
    g.case("valid", rule, Low, "a valid ES256 signature")
        .token(&t)
        .context(ctx.clone())
        .accept(out(&c));
    let (r, s_scalar) = sig.split_scalars();
    let flipped_s = -*s_scalar;
    let other_s = p256::ecdsa::Signature::from_scalars(r.to_bytes(), flipped_s.to_bytes()).unwrap();
    let (low, high) = if sig.normalize_s().is_none() {
        (sig, other_s)
    } else {
        (other_s, sig)
    };
    g.case("low-s", rule, Low, "the signature in low-s form")
        .token(with_sig(&low.to_bytes()))
        .context(ctx.clone())
        .accept(out(&c));
    g.case(
        "high-s",
        rule,
        Low,
        "the signature in high-s form (n - s): valid ECDSA, JOSE has no low-s rule",
    )
    .token(with_sig(&high.to_bytes()))
    .context(ctx.clone())
    .accept(out(&c));
    g.case(
        "der-encoded",
        rule,
        High,
        "the same signature DER-encoded (ASN.1 SEQUENCE) instead of r‖s",
    )
    .refs(&["RFC 7518 §3.4"])
    .token(with_sig(sig.to_der().as_bytes()))
    .context(ctx.clone())
    .reject("bad_signature");
    g.case(
        "r-and-s-zero",
        rule,
        Critical,
        "r = s = 0: the psychic signature, valid under a broken verifier for any message",
    )
    .refs(&["CVE-2022-21449"])
    .token(with_sig(&[0u8; 64]))
    .context(ctx.clone())
    .reject("bad_signature");
    let order = crate::forge::P256_ORDER;
    let r_bytes = r.to_bytes();
    let s_bytes = s_scalar.to_bytes();
    g.case("r-zero", rule, Critical, "r = 0, s kept")
        .refs(&["CVE-2022-21449"])
        .token(with_sig(&[&[0u8; 32][..], &s_bytes[..]].concat()))
        .context(ctx.clone())
        .reject("bad_signature");
    g.case("s-zero", rule, Critical, "r kept, s = 0")
        .refs(&["CVE-2022-21449"])
        .token(with_sig(&[&r_bytes[..], &[0u8; 32][..]].concat()))
        .context(ctx.clone())
        .reject("bad_signature");
    g.case(
        "r-equals-n",
        rule,
        Critical,
        "r = n (the group order), s kept: r mod n = 0",
    )
    .refs(&["CVE-2022-21449"])
    .token(with_sig(&[&order[..], &s_bytes[..]].concat()))
    .context(ctx.clone())
    .reject("bad_signature");
    g.case("s-equals-n", rule, Critical, "r kept, s = n")
        .refs(&["CVE-2022-21449"])
        .token(with_sig(&[&r_bytes[..], &order[..]].concat()))
        .context(ctx.clone())
        .reject("bad_signature");
    let r_plus_n = add_order(&r_bytes, &order);
    if let Some(rn) = r_plus_n {
        g.case(
            "r-plus-n",
            rule,
            High,
            "r + n in place of r (fits in 32 bytes): out of range, though equal mod n",
        )
        .token(with_sig(&[&rn[..], &s_bytes[..]].concat()))
        .context(ctx.clone())
        .reject("bad_signature");
    }
    g.case(
        "65-bytes",
        rule,
        High,
        "r‖s with a leading zero byte (65 bytes)",
    )
    .token(with_sig(&[&[0u8][..], &raw[..]].concat()))
    .context(ctx.clone())
    .reject("bad_signature");
    g.case(
        "63-bytes",
        rule,
        High,
        "r‖s with its last byte cut (63 bytes)",
    )
    .token(with_sig(&raw[..63]))
    .context(ctx.clone())
    .reject("bad_signature");
    let mut flipped = raw.clone();
    flipped[63] ^= 1;
    g.case(
        "last-bit-flipped",
        rule,
        Critical,
        "the last bit of s flipped",
    )
    .token(with_sig(&flipped))
    .context(ctx.clone())
    .reject("bad_signature");
    g.case(
        "other-key",
        rule,
        Critical,
        "a valid signature by another P-256 key",
    )
    .token(m.jwt("ES256", "p256-b", &hdr("ES256"), &c))
    .context(ctx)
    .reject("bad_signature");
    g.finish()
}

/// a + n as 32 bytes, if it does not overflow.
fn add_order(a: &[u8], n: &[u8; 32]) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    let mut carry = 0u16;
    for i in (0..32).rev() {
        let v = u16::from(a[i]) + u16::from(n[i]) + carry;
        out[i] = v as u8;
        carry = v >> 8;
    }
    (carry == 0).then_some(out)
}
