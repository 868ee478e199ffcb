//! Vectors `pendo/alg.json`, rule `pendo.alg`: HS256 only.

use serde_json::json;

use super::{allow, claims, full, signed, tok};
use crate::generate::{split, Group};
use crate::mint::Mint;
use crate::model::Severity::{Critical, High, Low, Medium};
use crate::model::VectorFile;
use jwtc_verifier::b64;

pub(super) fn group(m: &Mint<'_>) -> VectorFile {
    let mut g = Group::new("pendo", "alg");
    let rule = "pendo.alg";
    let c = claims("n-alg");
    g.case(
        "hs256",
        rule,
        Low,
        "the seed's snippet payload signed HS256 with the named key",
    )
    .input(signed("e-1", &tok(m, "pendo-1", &c), "pendo-1"))
    .context(allow())
    .accept(full(true));
    for a in ["HS384", "HS512"] {
        let t = m.jwt(a, "pendo-1", &json!({"alg": a, "typ": "JWT"}), &c);
        g.case(
            &a.to_lowercase(),
            rule,
            Medium,
            &format!("{a} with the named key's secret: the seed says HMAC SHA-256"),
        )
        .input(signed("e-1", &t, "pendo-1"))
        .context(allow())
        .reject("alg_not_allowed");
    }
    let t = m.jwt("RS256", "rsa-2048-a", &json!({"alg": "RS256"}), &c);
    g.case(
        "rs256",
        rule,
        High,
        "RS256 under a subscription whose keys are HMAC secrets",
    )
    .refs(&["RFC 8725 §3.1"])
    .input(signed("e-1", &t, "pendo-1"))
    .context(allow())
    .reject("alg_not_allowed");
    let (_, p, s) = split(&tok(m, "pendo-1", &c));
    for (name, a) in [("none", "none"), ("none-upper", "None")] {
        let h = b64::encode(json!({"alg": a, "typ": "JWT"}).to_string());
        g.case(
            &format!("alg-{name}-with-signature"),
            rule,
            Critical,
            &format!("alg {a:?}, the genuine HS256 signature kept"),
        )
        .refs(&["CVE-2015-9235", "RFC 8725 §3.1"])
        .input(signed("e-1", &format!("{h}.{p}.{s}"), "pendo-1"))
        .context(allow())
        .reject("alg_not_allowed");
    }
    let h = b64::encode(json!({"alg": "none"}).to_string());
    g.case(
        "alg-none-unsecured",
        "core.segments",
        Critical,
        "an unsecured JWT (alg none, empty signature) with a signingKeyName",
    )
    .refs(&["CVE-2015-9235", "RFC 7519 §6"])
    .input(signed("e-1", &format!("{h}.{p}."), "pendo-1"))
    .context(allow())
    .reject("malformed");
    let t = m.jwt("HS256", "pendo-1", &json!({"alg": "hs256"}), &c);
    g.case(
        "hs256-lowercase",
        rule,
        Low,
        "alg \"hs256\": names are case-sensitive",
    )
    .input(signed("e-1", &t, "pendo-1"))
    .context(allow())
    .reject("alg_not_allowed");
    g.finish()
}
