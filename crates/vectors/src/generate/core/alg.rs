//! Vectors `core/alg.json`, rule `core.alg`: `alg` exactly the profile's algorithm; never
//! `none`.

use serde_json::{json, Value};

use super::{claims, default_ctx, hdr, key_for, out};
use crate::generate::{split, Group};
use crate::mint::Mint;
use crate::model::Severity::{Critical, High, Low, Medium};
use crate::model::VectorFile;
use jwtc_verifier::b64;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "alg");
    let rule = "core.alg";
    let c = claims(now);
    for a in ["HS256", "RS256", "ES256"] {
        g.case(
            &format!("valid-{}", a.to_lowercase()),
            rule,
            Low,
            &format!("a valid {a} token under an {a} configuration"),
        )
        .token(m.jwt(a, key_for(a), &hdr(a), &c))
        .context(default_ctx(a))
        .accept(out(&c));
    }
    let valid = m.jwt("RS256", "rsa-2048-a", &hdr("RS256"), &c);
    let (_, p, s) = split(&valid);
    for (name, alg) in [
        ("none", "none"),
        ("none-capitalised", "None"),
        ("none-upper", "NONE"),
        ("none-mixed", "nOnE"),
    ] {
        let h = b64::encode(json!({"alg": alg, "kid": "rsa-2048-a"}).to_string());
        g.case(
            &format!("alg-{name}-with-signature"),
            rule,
            Critical,
            &format!("alg {alg:?} with the original RS256 signature kept"),
        )
        .refs(&["CVE-2015-9235", "RFC 8725 §3.1"])
        .token(format!("{h}.{p}.{s}"))
        .context(default_ctx("RS256"))
        .reject("alg_not_allowed");
    }
    let h = b64::encode(json!({"kid": "rsa-2048-a"}).to_string());
    g.case(
        "alg-missing",
        rule,
        High,
        "no alg in the header, signature of RS256",
    )
    .token(m.raw_segments("RS256", "rsa-2048-a", &h, &p))
    .context(default_ctx("RS256"))
    .reject("alg_not_allowed");
    for (name, alg) in [
        ("number", json!(256)),
        ("null", Value::Null),
        ("array", json!(["RS256"])),
    ] {
        let h = b64::encode(json!({"alg": alg, "kid": "rsa-2048-a"}).to_string());
        g.case(
            &format!("alg-{name}"),
            rule,
            High,
            &format!("alg is a JSON {name}"),
        )
        .token(m.raw_segments("RS256", "rsa-2048-a", &h, &p))
        .context(default_ctx("RS256"))
        .reject("alg_not_allowed");
    }
    for (name, alg) in [("lowercase", "rs256"), ("trailing-space", "RS256 ")] {
        let h = b64::encode(json!({"alg": alg, "kid": "rsa-2048-a"}).to_string());
        g.case(
            &format!("alg-{name}"),
            rule,
            Medium,
            &format!("alg {alg:?}: names compare exactly"),
        )
        .token(m.raw_segments("RS256", "rsa-2048-a", &h, &p))
        .context(default_ctx("RS256"))
        .reject("alg_not_allowed");
    }
    for other in ["RS384", "RS512", "PS256"] {
        g.case(
            &format!("other-rsa-{}", other.to_lowercase()),
            rule,
            Medium,
            &format!(
                "a valid {other} signature by the trusted RSA key, under an RS256 configuration"
            ),
        )
        .token(m.jwt(
            other,
            "rsa-2048-a",
            &json!({"alg": other, "kid": "rsa-2048-a"}),
            &c,
        ))
        .context(default_ctx("RS256"))
        .reject("alg_not_allowed");
    }
    // jsonwebtoken (npm) <= 8.5.1 without `algorithms`: a key lookup that finds nothing
    // hands verify() a falsy key, and an unsigned token then verifies as `none`.
    let h = b64::encode(json!({"alg": "none", "kid": "nobody"}).to_string());
    g.case(
        "alg-none-unsigned-unknown-kid",
        rule,
        Critical,
        "an unsigned token (alg none, empty signature) whose kid names no trusted key: a key lookup by kid finds nothing",
    )
    .refs(&["CVE-2022-23540", "CVE-2015-9235", "RFC 8725 §3.1"])
    .token(format!("{h}.{p}."))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case(
        "hs384-under-hs256",
        rule,
        Medium,
        "a valid HS384 MAC by the trusted secret, under an HS256 configuration",
    )
    .token(m.jwt(
        "HS384",
        "hs256-a",
        &json!({"alg": "HS384", "kid": "hs256-a"}),
        &c,
    ))
    .context(default_ctx("HS256"))
    .reject("alg_not_allowed");
    g.case(
        "rs256-under-hs256",
        rule,
        High,
        "an RS256 token under an HS256 configuration",
    )
    .token(valid.clone())
    .context(default_ctx("HS256"))
    .reject("alg_not_allowed");
    g.finish()
}
