//! Vectors `core/base64url.json`, rule `core.base64url`: canonical unpadded base64url only.

use base64::Engine;
use serde_json::json;

use super::{claims, default_ctx, hdr, out};
use crate::generate::{split, Group};
use crate::mint::Mint;
use crate::model::Severity::{Low, Medium};
use crate::model::VectorFile;
use jwtc_verifier::b64;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "base64url");
    let rule = "core.base64url";
    // A payload whose base64url holds both '-' and '_', and needs padding (length % 3 != 0).
    let mut c = claims(now);
    let mut n = 0;
    let p = loop {
        c["pad"] = json!("?".repeat(n) + "~>");
        let p = b64::encode(c.to_string());
        if p.contains('-') && p.contains('_') && p.len() % 4 != 0 {
            break p;
        }
        n += 1;
    };
    let h = b64::encode(hdr("RS256").to_string());
    let t = m.raw_segments("RS256", "rsa-2048-a", &h, &p);
    g.case(
        "valid-url-alphabet",
        rule,
        Low,
        "a payload whose encoding uses '-' and '_'",
    )
    .token(&t)
    .context(default_ctx("RS256"))
    .accept(out(&c));
    let std_p = p.replace('-', "+").replace('_', "/");
    g.case(
        "standard-alphabet-payload",
        rule,
        Medium,
        "payload in the standard alphabet ('+', '/'); signed over those exact bytes",
    )
    .token(m.raw_segments("RS256", "rsa-2048-a", &h, &std_p))
    .context(default_ctx("RS256"))
    .reject("malformed");
    let pad = "=".repeat((4 - p.len() % 4) % 4);
    g.case(
        "padded-payload",
        rule,
        Medium,
        "payload with '=' padding; signed over the padded bytes",
    )
    .token(m.raw_segments("RS256", "rsa-2048-a", &h, &format!("{p}{pad}")))
    .context(default_ctx("RS256"))
    .reject("malformed");
    let (_, _, s) = split(&t);
    let sig = b64::decode(&s).unwrap();
    let std_sig = base64::engine::general_purpose::STANDARD_NO_PAD.encode(&sig);
    assert!(std_sig.contains('+') || std_sig.contains('/'));
    g.case(
        "standard-alphabet-signature",
        rule,
        Medium,
        "the signature segment in the standard alphabet",
    )
    .token(format!("{h}.{p}.{std_sig}"))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case(
        "padded-signature",
        rule,
        Medium,
        "the signature segment with '=' padding",
    )
    .token(format!("{h}.{p}.{s}=="))
    .context(default_ctx("RS256"))
    .reject("malformed");
    let (a, b) = p.split_at(p.len() / 2);
    g.case(
        "space-in-payload",
        rule,
        Medium,
        "a space inside the payload segment; signed over those exact bytes",
    )
    .token(m.raw_segments("RS256", "rsa-2048-a", &h, &format!("{a} {b}")))
    .context(default_ctx("RS256"))
    .reject("malformed");
    let (a, b) = s.split_at(64);
    g.case(
        "line-break-in-signature",
        rule,
        Medium,
        "a line break inside the signature segment (MIME-style wrapping)",
    )
    .token(format!("{h}.{p}.{a}\n{b}"))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case("leading-whitespace", rule, Low, "a space before the token")
        .token(format!(" {t}"))
        .context(default_ctx("RS256"))
        .reject("malformed");
    g.case(
        "trailing-bits-signature",
        rule,
        Low,
        "non-zero unused bits in the last signature character (RFC 4648 §3.5: decoders MAY reject)",
    )
    .refs(&["RFC 4648 §3.5"])
    .token(format!("{h}.{p}.{}", dirty_trailing_bits(&s)))
    .context(default_ctx("RS256"))
    .either("malformed");
    g.case(
        "trailing-bits-payload",
        rule,
        Low,
        "non-zero unused bits in the last payload character; signed over those exact bytes",
    )
    .refs(&["RFC 4648 §3.5"])
    .token(m.raw_segments("RS256", "rsa-2048-a", &h, &dirty_trailing_bits(&p)))
    .context(default_ctx("RS256"))
    .either("malformed");
    g.case(
        "invalid-character",
        rule,
        Medium,
        "a '*' in the payload segment",
    )
    .token(format!("{h}.{}*.{s}", &p[..p.len() - 1]))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.finish()
}

/// Sets the unused low bits of the last base64url character (non-canonical encoding).
fn dirty_trailing_bits(seg: &str) -> String {
    const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    assert!(seg.len() % 4 != 0, "segment has no unused bits");
    let last = *seg.as_bytes().last().unwrap();
    let v = ALPHA.iter().position(|&c| c == last).unwrap();
    let mut s = seg[..seg.len() - 1].to_owned();
    s.push(ALPHA[v | 1] as char);
    s
}
