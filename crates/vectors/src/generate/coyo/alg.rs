//! Vectors `coyo/alg.json`, rule `coyo.alg`: RS256, or RS512 by a key that declares it.

use serde_json::json;

use super::{
    claims, ctx, hdr, jku_hdr, key_doc, ok, out, pkcs1, served, JKU, ONPREM, SOME, TENANT,
};
use crate::generate::{key_file, split, with, Group};
use crate::mint::{hmac, Mint};
use crate::model::Severity::{Critical, High, Low, Medium};
use crate::model::VectorFile;
use jwtc_verifier::b64;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("coyo", "alg");
    let rule = "coyo.alg";
    let c = claims(SOME, now);
    g.case(
        "rs256-registered-key",
        rule,
        Low,
        "RS256 signed by the key registered for the issuer",
    )
    .token(m.jwt("RS256", "rsa-2048-a", &hdr("rsa-2048-a"), &c))
    .context(ctx())
    .accept(out(SOME));
    g.case(
        "rs256-from-jku",
        rule,
        Low,
        "RS256 signed by the tenant key at the allowlisted jku",
    )
    .token(m.jwt(
        "RS256",
        "rsa-2048-c",
        &jku_hdr("rsa-2048-c", JKU),
        &claims(TENANT, now),
    ))
    .context(ctx())
    .network(json!({ JKU: ok(&served(m)) }))
    .accept(out(TENANT));
    for a in ["RS384", "RS512", "PS256"] {
        g.case(
            &format!("{}-registered-key", a.to_lowercase()),
            rule,
            High,
            &format!("{a} signed by the registered RSA key"),
        )
        .token(m.jwt(a, "rsa-2048-a", &json!({"alg": a, "kid": "rsa-2048-a"}), &c))
        .context(ctx())
        .reject("alg_not_allowed");
    }
    let pem = key_file("rsa-2048-a.pub.pem");
    let h = b64::encode(json!({"alg": "HS256", "kid": "rsa-2048-a"}).to_string());
    let p = b64::encode(c.to_string());
    let sig = hmac("HS256", pem.as_bytes(), format!("{h}.{p}").as_bytes());
    g.case(
        "hs256-keyed-with-pem",
        rule,
        Critical,
        "HS256 whose HMAC key is the registered RSA key's PEM text",
    )
    .refs(&["CVE-2016-10555", "RFC 8725 §2.1"])
    .token(format!("{h}.{p}.{}", b64::encode(sig)))
    .context(ctx())
    .reject("alg_not_allowed");
    let t = m.jwt("RS256", "rsa-2048-a", &hdr("rsa-2048-a"), &c);
    let (_, p, s) = split(&t);
    let none_h = b64::encode(json!({"alg": "none", "kid": "rsa-2048-a"}).to_string());
    g.case(
        "none-with-signature",
        rule,
        Critical,
        "alg none on a valid token's payload, signature kept",
    )
    .refs(&["CVE-2015-9235"])
    .token(format!("{none_h}.{p}.{s}"))
    .context(ctx())
    .reject("alg_not_allowed");
    g.case(
        "es256",
        rule,
        High,
        "ES256 signed by a P-256 key, jku at the allowlisted origin: nothing is fetched",
    )
    .token(m.jwt(
        "ES256",
        "p256-a",
        &json!({"alg": "ES256", "kid": "p256-a", "jku": JKU}),
        &claims(TENANT, now),
    ))
    .context(ctx())
    .network(json!({ JKU: ok(&served(m)) }))
    .max_fetches(0)
    .reject("alg_not_allowed");
    // COYO's built-in keys are RS512 (@coyoapp/plugin-adapter's jwk-defaults.js): a key
    // that declares RS512 verifies RS512, and only RS512.
    let rs512 = with(
        m.keys().public_jwk("rsa-3072-a").unwrap(),
        json!({"alg": "RS512", "use": "sig"}),
    );
    let rs512_ctx = with(ctx(), json!({ "builtin": [rs512] }));
    g.case(
        "rs512-builtin-key",
        rule,
        Low,
        "RS512 signed by a built-in key that declares alg RS512, as COYO's built-in keys do",
    )
    .token(m.jwt(
        "RS512",
        "rsa-3072-a",
        &json!({"alg": "RS512", "kid": "rsa-3072-a"}),
        &claims(TENANT, now),
    ))
    .context(rs512_ctx.clone())
    .accept(out(TENANT));
    g.case(
        "rs256-by-rs512-builtin-key",
        rule,
        Medium,
        "RS256 signed by the built-in key that declares RS512: it verifies RS512 only",
    )
    .token(m.jwt(
        "RS256",
        "rsa-3072-a",
        &hdr("rsa-3072-a"),
        &claims(TENANT, now),
    ))
    .context(rs512_ctx)
    .reject("key_unknown");
    g.case(
        "rs512-from-key-document",
        rule,
        Low,
        "RS512 by the on-premise tenant's key, served at the jku as a key document with SHA-512",
    )
    .token(m.jwt(
        "RS512",
        "rsa-2048-c",
        &json!({"alg": "RS512", "kid": "rsa-2048-c", "jku": JKU}),
        &claims(ONPREM, now),
    ))
    .context(ctx())
    .network(
        json!({ JKU: ok(&key_doc(m, "rsa-2048-c", pkcs1("SHA-512"), json!({"alg": "RS512"}))) }),
    )
    .accept(out(ONPREM));
    g.finish()
}
