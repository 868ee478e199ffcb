//! Classes on the encoding: `format` (duplicate members, `crit`, `b64: false`, padding,
//! whitespace, the standard base64 alphabet, a fourth segment) and `resource` (tens of
//! thousands of dots, deep nesting, a huge header), each bounded in size.

use serde_json::json;

use jwtc_vectors::model::Severity::{Critical, High, Low, Medium};
use jwtc_vectors::model::Verdict;
use jwtc_verifier::b64;

use super::{enc, Ctx};
use crate::attack::Attack;

/// The largest token a resource attack makes.
/// (Node's HTTP parser answers 431 to a header of 50 KB, and resets the connection on
/// one of 130 KB: a bigger token tests the web server, not the verifier.)
pub const MAX_RESOURCE_BYTES: usize = 64 * 1024;

/// Member-level and encoding-level tricks.
pub fn format(c: &Ctx<'_>) -> Vec<Attack> {
    let t = c.token;
    let mut out = Vec::new();
    let header_text = t.header_value().to_string();
    let claims_text = t.claims_value().to_string();
    // Duplicates: the text with a second member appended, which a last-wins parser reads.
    let dup = |text: &str, member: &str| format!("{},{member}}}", &text[..text.len() - 1]);
    // The identity member duplicated: Pendo's visitor, else sub.
    let (member, value) = match (t.claims.get("sub"), t.claims.get("visitor")) {
        (None, Some(_)) => ("visitor", json!({"id": "admin"})),
        _ => (
            "sub",
            json!(t
                .text("sub")
                .map(|s| format!("{s}-admin"))
                .unwrap_or_else(|| "admin".into())),
        ),
    };
    let h = b64::encode(dup(&header_text, r#""alg":"none""#));
    let (tok, r) = c.sign_or_keep(&h, &t.p64);
    out.push(
        Attack::new(
            "format",
            "duplicate-alg",
            "core.json",
            High,
            format!(
                "the header's alg twice, the second \"none\", {}",
                Ctx::how(r)
            ),
            tok,
        )
        .refs(&["RFC 7515 §5.2", "RFC 8725 §3.1"]),
    );
    let p = b64::encode(dup(&claims_text, &format!("\"{member}\":{value}")));
    let (tok, r) = c.sign_or_keep(&t.h64, &p);
    out.push(
        Attack::new(
            "format",
            format!("duplicate-{member}"),
            "core.json",
            Critical,
            format!(
                "the payload's {member} twice, the second {value}, {}",
                Ctx::how(r)
            ),
            tok,
        )
        .refs(&["RFC 7519 §4"]),
    );
    let h = enc(&t.header_with(json!({"crit": ["jwtc-unknown"], "jwtc-unknown": true})));
    let (tok, r) = c.sign_or_keep(&h, &t.p64);
    out.push(
        Attack::new(
            "format",
            "crit-unknown",
            "core.crit",
            High,
            format!(
                "crit naming an extension no verifier implements, {}",
                Ctx::how(r)
            ),
            tok,
        )
        .refs(&[
            "CVE-2025-59420",
            "CVE-2026-35042",
            "CVE-2026-32597",
            "RFC 7515 §4.1.11",
        ]),
    );
    let h = enc(&t.header_with(json!({"b64": false, "crit": ["b64"]})));
    let (tok, r) = c.sign_or_keep(&h, &t.p64);
    out.push(
        Attack::new(
            "format",
            "b64-false",
            "core.crit",
            High,
            format!(
                "b64: false (RFC 7797, unencoded payload) in crit, {}",
                Ctx::how(r)
            ),
            tok,
        )
        .refs(&["RFC 7797 §3"]),
    );
    for (i, (name, seg)) in [
        ("header", &t.h64),
        ("payload", &t.p64),
        ("signature", &t.s64),
    ]
    .into_iter()
    .enumerate()
    {
        if seg.len() % 4 == 0 {
            continue;
        }
        let padded = format!("{seg}{}", "=".repeat(4 - seg.len() % 4));
        let mut parts = [t.h64.clone(), t.p64.clone(), t.s64.clone()];
        parts[i] = padded;
        // The same bytes once decoded: a lenient decoder gives an attacker nothing, so
        // either verdict conforms here (the reference, strict, rejects; the suite's
        // core/base64url cases hold the strict line).
        out.push(Attack {
            verdict: Verdict::Either,
            ..Attack::new(
                "format",
                format!("padded-{name}"),
                "core.base64url",
                Low,
                format!("the {name} segment with = padding (base64url in JWS has none; the decoded bytes are the same)"),
                parts.join("."),
            )
            .refs(&["RFC 7515 §2"])
        });
    }
    let std_sig = t.s64.replace('-', "+").replace('_', "/");
    if std_sig != t.s64 {
        out.push(Attack::new(
            "format",
            "standard-alphabet-signature",
            "core.base64url",
            Low,
            "the signature in the standard base64 alphabet (+ and /)",
            format!("{}.{}.{std_sig}", t.h64, t.p64),
        ));
    }
    let mid = t.p64.len() / 2;
    // HTTP trims a header value's surrounding whitespace: Pomerium's assertion cannot carry it.
    let around = c.frame.profile != "pomerium";
    for (name, what, tok) in [
        (
            "space-in-payload",
            "a space inside the payload segment",
            format!("{}.{} {}.{}", t.h64, &t.p64[..mid], &t.p64[mid..], t.s64),
        ),
        (
            "newline-in-payload",
            "a newline inside the payload segment",
            format!("{}.{}\n{}.{}", t.h64, &t.p64[..mid], &t.p64[mid..], t.s64),
        ),
        (
            "leading-space",
            "a space before the token",
            format!(" {}", t.raw),
        ),
        (
            "trailing-newline",
            "a newline after the token",
            format!("{}\n", t.raw),
        ),
        (
            "four-segments",
            "a fourth segment after the signature",
            format!("{}.{}", t.raw, t.s64),
        ),
    ] {
        if !around && matches!(name, "leading-space" | "trailing-newline") {
            continue;
        }
        out.push(Attack::new(
            "format",
            name,
            if name == "four-segments" {
                "core.segments"
            } else {
                "core.base64url"
            },
            Low,
            what,
            tok,
        ));
    }
    out
}

/// Tokens that cost a parser: bounded, never over [`MAX_RESOURCE_BYTES`].
pub fn resource(c: &Ctx<'_>) -> Vec<Attack> {
    let t = c.token;
    let mut out = vec![Attack::new(
        "resource",
        "dots-50000",
        "core.size",
        Medium,
        "the token followed by 50 000 dots (a splitter that allocates per segment)",
        format!("{}{}", t.raw, ".".repeat(50_000)),
    )];
    for depth in [2_000usize, 20_000] {
        let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let claims = t.claims_value().to_string();
        let text = format!("{},\"jwtc\":{nested}}}", &claims[..claims.len() - 1]);
        let p = b64::encode(text);
        let (tok, r) = c.sign_or_keep(&t.h64, &p);
        let rule = if tok.len() > jwtc_verifier::jose::DEFAULT_MAX_TOKEN_LEN {
            "core.size"
        } else {
            "core.json"
        };
        out.push(Attack::new(
            "resource",
            format!("nesting-{depth}"),
            rule,
            Medium,
            format!(
                "a claim nested {depth} arrays deep ({} bytes), {}",
                tok.len(),
                Ctx::how(r)
            ),
            tok,
        ));
    }
    let h = enc(&t.header_with(json!({"jwtc": "A".repeat(40_000)})));
    let (tok, r) = c.sign_or_keep(&h, &t.p64);
    out.push(Attack::new(
        "resource",
        "huge-header",
        "core.size",
        Medium,
        format!("a header of {} bytes, {}", h.len(), Ctx::how(r)),
        tok,
    ));
    out.retain(|a| a.token.len() <= MAX_RESOURCE_BYTES);
    out
}
