//! Vectors `coyo/fetch.json`, rule `coyo.fetch`: a fetched JWK Set, filtered; failures
//! `key_unavailable`.

use serde_json::{json, Value};

use super::{
    claims, ctx, jku_hdr, jwks, key_doc, ok, out, pkcs1, published, served, JKU, ONPREM, TENANT,
};
use crate::generate::{with, Group};
use crate::mint::Mint;
use crate::model::Severity::{self, Critical, Low, Medium};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("coyo", "fetch");
    let rule = "coyo.fetch";
    let c = claims(TENANT, now);
    let t = m.jwt("RS256", "rsa-2048-c", &jku_hdr("rsa-2048-c", JKU), &c);
    let answer = |a: Value| json!({ JKU: a });
    g.case(
        "jwk-set",
        rule,
        Low,
        "a JWK Set holding the token's key (alg RS256, use sig)",
    )
    .token(&t)
    .context(ctx())
    .network(answer(ok(&served(m))))
    .accept(out(TENANT));
    // COYO's key document, the shape the vendor's library reads (docs/decisions.md § coyo).
    let t_onprem = m.jwt(
        "RS256",
        "rsa-2048-c",
        &jku_hdr("rsa-2048-c", JKU),
        &claims(ONPREM, now),
    );
    let doc = key_doc(m, "rsa-2048-c", pkcs1("SHA-256"), json!({}));
    g.case("key-document", rule, Low,
        "an on-premise tenant's token; the jku serves COYO's key document {alg: RSASSA-PKCS1-v1_5 SHA-256, key}")
        .token(&t_onprem)
        .context(ctx())
        .network(answer(ok(&doc)))
        .accept(out(ONPREM));
    g.case(
        "key-document-tenant",
        rule,
        Low,
        "the same key document for a coyocloud tenant's token whose kid no built-in key has",
    )
    .token(&t)
    .context(ctx())
    .network(answer(ok(&doc)))
    .accept(out(TENANT));
    g.case(
        "key-document-http-404",
        rule,
        Medium,
        "the genuine key document, but with HTTP status 404",
    )
    .token(&t_onprem)
    .context(ctx())
    .network(answer(json!({"status": 404, "body": doc})))
    .reject("key_unavailable");
    g.case(
        "key-document-rsa-pss",
        rule,
        Medium,
        "a key document whose algorithm is RSA-PSS, not RSASSA-PKCS1-v1_5",
    )
    .token(&t_onprem)
    .context(ctx())
    .network(answer(ok(&key_doc(
        m,
        "rsa-2048-c",
        json!({"name": "RSA-PSS", "hash": {"name": "SHA-256"}}),
        json!({"alg": "PS256"}),
    ))))
    .reject("key_unavailable");
    g.case(
        "key-document-alg-disagrees",
        rule,
        Medium,
        "a key document saying SHA-512 around a key whose own alg is RS256",
    )
    .token(&t_onprem)
    .context(ctx())
    .network(answer(ok(&key_doc(
        m,
        "rsa-2048-c",
        pkcs1("SHA-512"),
        json!({}),
    ))))
    .reject("key_unavailable");
    let several = jwks(vec![
        published(m, "rsa-2048-b", json!({"kid": "2024"})),
        published(m, "rsa-3072-a", json!({"kid": "2025"})),
        published(m, "rsa-2048-c", json!({})),
    ]);
    g.case(
        "kid-selects-third",
        rule,
        Low,
        "three keys in the set; kid selects the third",
    )
    .token(&t)
    .context(ctx())
    .network(answer(ok(&several)))
    .accept(out(TENANT));
    let mut bare = published(m, "rsa-2048-c", json!({}));
    bare.as_object_mut().unwrap().remove("kid");
    g.case(
        "set-key-without-kid",
        rule,
        Low,
        "the set's one key has no kid: a candidate whatever the token's kid",
    )
    .token(&t)
    .context(ctx())
    .network(answer(ok(&jwks(vec![bare]))))
    .accept(out(TENANT));
    let noisy = json!({"keys": [
        {"kty": "oct", "kid": "rsa-2048-c", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"},
        with(m.keys().public_jwk("p256-a").unwrap(), json!({"kid": "rsa-2048-c"})),
        {"kty": "RSA", "kid": "rsa-2048-c", "n": "AQAB", "e": "AQAB"},
        published(m, "rsa-2048-c", json!({})),
    ]})
    .to_string();
    g.case("unusable-keys-skipped", rule, Medium,
        "an oct key, an EC key and a broken RSA key share the kid with the genuine key: they are skipped")
        .token(&t)
        .context(ctx())
        .network(answer(ok(&noisy)))
        .accept(out(TENANT));
    let renamed = several.replace("\"kid\":\"rsa-2048-c\"", "\"kid\":\"2026\"");
    assert_ne!(renamed, several);
    g.case(
        "kid-not-in-set",
        rule,
        Medium,
        "the set holds only other kids",
    )
    .token(&t)
    .context(ctx())
    .network(answer(ok(&renamed)))
    .reject("key_unknown");
    let filtered = |name: &str, key: &str, extra: Value, what: &str| {
        (
            name.to_owned(),
            m.jwt("RS256", key, &jku_hdr("rsa-2048-c", JKU), &c),
            jwks(vec![published(
                m,
                key,
                with(json!({"kid": "rsa-2048-c"}), extra),
            )]),
            what.to_owned(),
        )
    };
    for (name, token, body, what) in [
        filtered(
            "key-1024-bits",
            "rsa-1024-a",
            json!({}),
            "an RSA key of 1024 bits (which signed)",
        ),
        filtered(
            "key-use-enc",
            "rsa-2048-c",
            json!({"use": "enc"}),
            "the signing key marked use enc",
        ),
        filtered(
            "key-alg-rs512",
            "rsa-2048-c",
            json!({"alg": "RS512"}),
            "the signing key marked alg RS512",
        ),
        filtered(
            "key-alg-rsa-oaep",
            "rsa-2048-c",
            json!({"alg": "RSA-OAEP"}),
            "the signing key marked alg RSA-OAEP",
        ),
        filtered(
            "key-ops-encrypt",
            "rsa-2048-c",
            json!({"key_ops": ["encrypt"]}),
            "the signing key with key_ops [encrypt]",
        ),
    ] {
        g.case(
            &name,
            rule,
            Medium,
            &format!("the set's only key with the kid is {what}: skipped"),
        )
        .token(token)
        .context(ctx())
        .network(answer(ok(&body)))
        .reject("key_unknown");
    }
    let bad: Vec<(&str, Severity, Value, &str)> = vec![
        ("http-404", Medium, json!({"status": 404, "body": "not found"}), "HTTP 404"),
        ("http-500", Medium, json!({"status": 500, "body": served(m)}), "HTTP 500 (with a JWK Set body)"),
        ("http-204", Medium, json!({"status": 204, "body": ""}), "HTTP 204, no body"),
        ("empty-body", Medium, ok(""), "200 with an empty body"),
        ("html", Medium, ok("<!doctype html><title>Sign in</title>"), "an HTML page"),
        ("truncated-json", Medium, ok(&served(m)[..100]), "a JWK Set cut off after 100 bytes"),
        ("json-array", Medium, ok(&format!("[{}]", published(m, "rsa-2048-c", json!({})))), "a JSON array of keys"),
        ("keys-not-array", Medium, ok(&json!({"keys": published(m, "rsa-2048-c", json!({}))}).to_string()), "an object whose keys is one JWK"),
        ("time-out", Medium, json!({"status": 200, "body": served(m), "delay_ms": 60000}), "the set, after 60 s"),
        ("redirect-other-origin", Critical, json!({"status": 302, "body": "", "headers": {"Location": "https://evil.example/jwks.json"}}),
            "302 to the attacker's host (which the case does not serve: following it fails the case)"),
        ("oversize-128k", Medium, ok(&padded(&served(m), 128 * 1024)),
            "a valid JWK Set padded to over 128 KiB (twice the reference's bound)"),
    ];
    for (name, sev, a, what) in bad {
        g.case(name, rule, sev, &format!("the jku answers {what}"))
            .token(&t)
            .context(ctx())
            .network(answer(a))
            .reject("key_unavailable");
    }
    g.case(
        "bare-jwk",
        rule,
        Low,
        "the jku answers one bare JWK, not a JWK Set",
    )
    .token(&t)
    .context(ctx())
    .network(answer(ok(
        &published(m, "rsa-2048-c", json!({})).to_string()
    )))
    .either("key_unavailable");
    let limit = jwtc_verifier::net::DEFAULT_MAX_BODY;
    let base = served(m);
    let pad = limit + 1 - base.len() - ",\"pad\":\"\"".len();
    let just_over = padded(&base, pad);
    assert_eq!(just_over.len(), limit + 1);
    g.case(
        "just-over-64k",
        rule,
        Low,
        "a valid JWK Set of 65537 bytes: one over the reference's bound (bounds differ)",
    )
    .token(&t)
    .context(ctx())
    .network(answer(ok(&just_over)))
    .either("key_unavailable");
    let moved = "https://pubkeys.coyocloud.example/v2/jwks.json";
    g.case(
        "redirect-same-origin",
        rule,
        Low,
        "301 to another path on the allowlisted origin, which serves the set",
    )
    .token(&t)
    .context(ctx())
    .network(json!({
        JKU: {"status": 301, "body": "", "headers": {"Location": moved}},
        moved: ok(&served(m))
    }))
    .either("key_unavailable");
    g.finish()
}

/// A JSON object with a `"pad"` member of `n` x's added at its end.
fn padded(object: &str, n: usize) -> String {
    let open = object.strip_suffix('}').expect("a JSON object");
    format!("{open},\"pad\":\"{}\"}}", "x".repeat(n))
}
