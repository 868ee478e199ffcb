//! Vectors `pomerium/alg.json`, rule `pomerium.alg`: ES256 only.

use serde_json::{json, Value};

use super::{claims, ctx, hdr, identity, one, Settings};
use crate::generate::{key_file, split, with, Group};
use crate::mint::{hmac, Mint};
use crate::model::Severity::{Critical, High, Low};
use crate::model::VectorFile;
use jwtc_verifier::b64;

pub(super) fn group(m: &Mint<'_>, st: &Settings) -> VectorFile {
    let mut g = Group::new("pomerium", "alg");
    let rule = "pomerium.alg";
    let c = claims(st);
    let t = m.jwt("ES256", "p256-a", &hdr("p256-a"), &c);
    g.case(
        "es256-valid",
        rule,
        Low,
        "an ES256 assertion signed by the configured P-256 key",
    )
    .input(one(&t))
    .context(ctx(st))
    .accept(identity());
    g.case(
        "es256-high-s",
        rule,
        Low,
        "the same assertion with s replaced by n - s: valid ECDSA (JOSE has no low-s rule)",
    )
    .input(one(&high_s(&t)))
    .context(ctx(st))
    .accept(identity());
    let rs = m.jwt(
        "RS256",
        "rsa-2048-a",
        &json!({"alg": "RS256", "kid": "rsa-2048-a"}),
        &c,
    );
    g.case(
        "rs256",
        rule,
        High,
        "an RS256 assertion (valid under rsa-2048-a, which is also configured)",
    )
    .input(one(&rs))
    .context(with(ctx(st), json!({"keys": ["p256-a", "rsa-2048-a"]})))
    .reject("alg_not_allowed");
    let input = |h: &Value| {
        format!(
            "{}.{}",
            b64::encode(h.to_string()),
            b64::encode(c.to_string())
        )
    };
    for (name, secret, what) in [
        (
            "hs256-keyed-with-pem",
            key_file("p256-a.pub.pem").into_bytes(),
            "the SPKI PEM text",
        ),
        (
            "hs256-keyed-with-jwk",
            m.keys()
                .public_jwk("p256-a")
                .unwrap()
                .to_string()
                .into_bytes(),
            "the JWK text",
        ),
    ] {
        let h = json!({"alg": "HS256", "kid": "p256-a", "typ": "JWT"});
        let si = input(&h);
        let sig = hmac("HS256", &secret, si.as_bytes());
        g.case(
            name,
            rule,
            Critical,
            &format!("HS256 whose HMAC key is {what} of the configured public key"),
        )
        .refs(&["CVE-2016-10555", "RFC 8725 §2.1"])
        .input(one(&format!("{si}.{}", b64::encode(sig))))
        .context(ctx(st))
        .reject("alg_not_allowed");
    }
    let (_, p, s) = split(&t);
    for (name, alg) in [("none", "none"), ("es384", "ES384"), ("lowercase", "es256")] {
        let h = b64::encode(json!({"alg": alg, "kid": "p256-a", "typ": "JWT"}).to_string());
        g.case(
            &format!("alg-{name}"),
            rule,
            if alg == "none" { Critical } else { High },
            &format!("alg {alg:?} on the valid assertion's payload and signature"),
        )
        .refs(&["RFC 8725 §3.1"])
        .input(one(&format!("{h}.{p}.{s}")))
        .context(ctx(st))
        .reject("alg_not_allowed");
    }
    g.case(
        "signed-by-other-key",
        rule,
        Critical,
        "ES256 signed by an attacker's P-256 key, kid naming the configured key",
    )
    .input(one(&m.jwt("ES256", "p256-b", &hdr("p256-a"), &c)))
    .context(ctx(st))
    .reject("bad_signature");
    let (h, p, _) = split(&t);
    g.case(
        "zero-signature",
        rule,
        Critical,
        "r = s = 0 (64 zero bytes): the psychic signature",
    )
    .refs(&["CVE-2022-21449"])
    .input(one(&format!("{h}.{p}.{}", b64::encode([0u8; 64]))))
    .context(ctx(st))
    .reject("bad_signature");
    g.finish()
}

/// The same signature with s replaced by n − s (valid: ECDSA signatures come in pairs).
fn high_s(token: &str) -> String {
    use p256::elliptic_curve::PrimeField;
    let (h, p, s) = split(token);
    let sig = p256::ecdsa::Signature::from_slice(&b64::decode(&s).unwrap()).unwrap();
    let (r, s) = sig.split_scalars();
    let neg: p256::Scalar = -*s.as_ref();
    let flipped = p256::ecdsa::Signature::from_scalars(r.as_ref().to_repr(), neg.to_repr())
        .expect("n - s is a valid scalar");
    format!("{h}.{p}.{}", b64::encode(flipped.to_bytes()))
}
