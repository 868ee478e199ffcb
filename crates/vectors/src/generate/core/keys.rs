//! Vectors `core/keys.json`, rule `core.keys`: kid exact; candidates by
//! kty/alg/use/key_ops; keys validated at load.

use serde_json::json;

use super::{claims, ctx, default_ctx, hdr, out};
use crate::generate::{key_file, with, Group};
use crate::mint::Mint;
use crate::model::Severity::{Critical, High, Low, Medium};
use crate::model::VectorFile;
use jwtc_verifier::b64;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "keys");
    let rule = "core.keys";
    let c = claims(now);
    let pubk = |n: &str| m.keys().public_jwk(n).unwrap();
    let rs = |kid: Option<&str>, key: &str| {
        let h = match kid {
            Some(k) => json!({"alg": "RS256", "kid": k}),
            None => json!({"alg": "RS256"}),
        };
        m.jwt("RS256", key, &h, &c)
    };
    let both = json!(["rsa-2048-a", "rsa-2048-b"]);
    g.case("kid-exact", rule, Low, "kid names the trusted key exactly")
        .token(rs(Some("rsa-2048-a"), "rsa-2048-a"))
        .context(default_ctx("RS256"))
        .accept(out(&c));
    g.case(
        "kid-case-differs",
        rule,
        Medium,
        "kid \"RSA-2048-A\": kids compare exactly",
    )
    .token(rs(Some("RSA-2048-A"), "rsa-2048-a"))
    .context(default_ctx("RS256"))
    .reject("key_unknown");
    g.case(
        "kid-path-traversal",
        rule,
        Critical,
        "kid \"../../../../dev/null\": never a path",
    )
    .refs(&["CVE-2018-1000531"])
    .token(rs(Some("../../../../dev/null"), "rsa-2048-a"))
    .context(default_ctx("RS256"))
    .reject("key_unknown");
    g.case("kid-sql", rule, Critical, "kid holding SQL: never a query")
        .token(rs(Some("x' UNION SELECT 'secret' --"), "rsa-2048-a"))
        .context(default_ctx("RS256"))
        .reject("key_unknown");
    let h = b64::encode(json!({"alg": "RS256", "kid": 7}).to_string());
    g.case("kid-number", rule, Low, "kid is a JSON number")
        .token(m.raw_segments("RS256", "rsa-2048-a", &h, &b64::encode(c.to_string())))
        .context(default_ctx("RS256"))
        .reject("malformed");
    g.case(
        "no-kid-second-key",
        rule,
        Low,
        "no kid, two trusted keys, signed by the second: every candidate is tried",
    )
    .token(rs(None, "rsa-2048-b"))
    .context(ctx("RS256", both.clone()))
    .accept(out(&c));
    g.case(
        "kid-selects-second",
        rule,
        Low,
        "kid names the second of two trusted keys",
    )
    .token(rs(Some("rsa-2048-b"), "rsa-2048-b"))
    .context(ctx("RS256", both.clone()))
    .accept(out(&c));
    g.case(
        "kid-names-other-key",
        rule,
        High,
        "kid names one trusted key, the signature is by the other",
    )
    .token(rs(Some("rsa-2048-a"), "rsa-2048-b"))
    .context(ctx("RS256", both))
    .reject("bad_signature");
    let dup = json!([
        with(pubk("rsa-2048-a"), json!({"kid": "dup"})),
        with(pubk("rsa-2048-b"), json!({"kid": "dup"}))
    ]);
    g.case(
        "duplicate-kid-second",
        rule,
        Low,
        "two trusted keys share kid \"dup\" (RFC 7517 §4.5 allows it); signed by the second",
    )
    .refs(&["RFC 7517 §4.5"])
    .token(rs(Some("dup"), "rsa-2048-b"))
    .context(ctx("RS256", dup))
    .accept(out(&c));
    let mut no_kid = pubk("rsa-2048-a");
    no_kid.as_object_mut().unwrap().remove("kid");
    g.case(
        "trusted-key-without-kid",
        rule,
        Low,
        "the trusted key has no kid; the token names one: still a candidate",
    )
    .token(rs(Some("anything"), "rsa-2048-a"))
    .context(ctx("RS256", json!([no_kid])))
    .accept(out(&c));
    g.case(
        "key-use-enc",
        rule,
        High,
        "the only trusted key has use \"enc\"",
    )
    .token(rs(Some("rsa-2048-a"), "rsa-2048-a"))
    .context(ctx(
        "RS256",
        json!([with(pubk("rsa-2048-a"), json!({"use": "enc"}))]),
    ))
    .reject("key_unknown");
    g.case("key-use-sig", rule, Low, "the trusted key has use \"sig\"")
        .token(rs(Some("rsa-2048-a"), "rsa-2048-a"))
        .context(ctx(
            "RS256",
            json!([with(pubk("rsa-2048-a"), json!({"use": "sig"}))]),
        ))
        .accept(out(&c));
    g.case(
        "key-ops-encrypt",
        rule,
        High,
        "the only trusted key has key_ops [\"encrypt\"]",
    )
    .token(rs(Some("rsa-2048-a"), "rsa-2048-a"))
    .context(ctx(
        "RS256",
        json!([with(pubk("rsa-2048-a"), json!({"key_ops": ["encrypt"]}))]),
    ))
    .reject("key_unknown");
    g.case(
        "key-ops-verify",
        rule,
        Low,
        "the trusted key has key_ops [\"verify\"]",
    )
    .token(rs(Some("rsa-2048-a"), "rsa-2048-a"))
    .context(ctx(
        "RS256",
        json!([with(pubk("rsa-2048-a"), json!({"key_ops": ["verify"]}))]),
    ))
    .accept(out(&c));
    g.case(
        "key-alg-rs384",
        rule,
        High,
        "the only trusted key is bound to RS384 by its alg; the token is RS256",
    )
    .token(rs(Some("rsa-2048-a"), "rsa-2048-a"))
    .context(ctx(
        "RS256",
        json!([with(pubk("rsa-2048-a"), json!({"alg": "RS384"}))]),
    ))
    .reject("key_unknown");
    g.case(
        "rsa-1024",
        rule,
        Medium,
        "signed by a 1024-bit RSA key, the only one trusted (RFC 7518 §3.3 requires 2048)",
    )
    .refs(&["RFC 7518 §3.3"])
    .token(rs(Some("rsa-1024-a"), "rsa-1024-a"))
    .context(ctx("RS256", json!(["rsa-1024-a"])))
    .either("key_unknown");
    g.case("rsa-3072", rule, Low, "signed by a 3072-bit RSA key")
        .token(rs(Some("rsa-3072-a"), "rsa-3072-a"))
        .context(ctx("RS256", json!(["rsa-3072-a"])))
        .accept(out(&c));
    // e = 1: the "signature" is the encoded message itself, which anyone can compute.
    let e1 = with(pubk("rsa-2048-a"), json!({"e": "AQ", "kid": "rsa-e1"}));
    let h = b64::encode(json!({"alg": "RS256", "kid": "rsa-e1"}).to_string());
    let p = b64::encode(c.to_string());
    let em = pkcs1_sha256_encoding(format!("{h}.{p}").as_bytes(), 256);
    g.case("rsa-exponent-1-forgery", rule, Critical, "a trusted RSA key with e = 1, and a forged signature equal to the PKCS#1 encoding of the message")
        .refs(&["RFC 8017 §3.1", "Wycheproof json_web_key_test tcId 9"])
        .token(format!("{h}.{p}.{}", b64::encode(em))).context(ctx("RS256", json!([e1]))).reject("key_unknown");
    let e2 = with(pubk("rsa-2048-a"), json!({"e": "Ag"}));
    g.case(
        "rsa-exponent-even",
        rule,
        High,
        "a trusted RSA key with e = 2",
    )
    .token(rs(Some("rsa-2048-a"), "rsa-2048-a"))
    .context(ctx("RS256", json!([e2])))
    .reject("key_unknown");
    let ec = pubk("p256-a");
    let mut y = b64::decode(ec["y"].as_str().unwrap()).unwrap();
    y[31] ^= 1;
    let off_curve = with(ec.clone(), json!({"y": b64::encode(&y)}));
    let es = m.jwt("ES256", "p256-a", &hdr("ES256"), &c);
    g.case(
        "ec-point-off-curve",
        rule,
        Critical,
        "a trusted P-256 key whose (x, y) is not on the curve (invalid-curve attacks)",
    )
    .refs(&["RFC 7518 §6.2.1", "CVE-2017-16007"])
    .token(&es)
    .context(ctx("ES256", json!([off_curve])))
    .reject("key_unknown");
    let x = b64::decode(ec["x"].as_str().unwrap()).unwrap();
    let long_x = with(
        ec.clone(),
        json!({"x": b64::encode([&[0u8][..], &x].concat())}),
    );
    g.case("ec-x-33-bytes", rule, Low, "a trusted P-256 key whose x has a leading zero octet (33 bytes; RFC 7518 §6.2.1.2 says exactly 32)")
        .refs(&["RFC 7518 §6.2.1.2"])
        .token(&es).context(ctx("ES256", json!([long_x]))).reject("key_unknown");
    g.case(
        "ec-wrong-curve",
        rule,
        High,
        "the only trusted EC key is on P-384",
    )
    .token(&es)
    .context(ctx("ES256", json!(["p384-a"])))
    .reject("key_unknown");
    g.case(
        "hmac-key-16-bytes",
        rule,
        Medium,
        "signed with a 16-byte HMAC secret, the only one trusted (RFC 7518 §3.2 needs 32)",
    )
    .refs(&["RFC 7518 §3.2"])
    .token(m.jwt(
        "HS256",
        "hs256-short",
        &json!({"alg": "HS256", "kid": "hs256-short"}),
        &c,
    ))
    .context(ctx("HS256", json!(["hs256-short"])))
    .reject("key_unknown");
    // A zero-length HMAC key is no key: anyone can compute the MAC. Libraries that test the
    // secret for truth, or pass b"" on where they would refuse None, accept this token.
    {
        let h = b64::encode(json!({"alg": "HS256"}).to_string());
        let p = b64::encode(c.to_string());
        let mac = crate::mint::hmac("HS256", b"", format!("{h}.{p}").as_bytes());
        g.case(
            "hmac-key-empty",
            rule,
            High,
            "signed with the empty HMAC secret; the only trusted key is {\"kty\":\"oct\",\"k\":\"\"} (a zero-length key is no key)",
        )
        .refs(&["RFC 7518 §3.2", "RFC 2104 §3"])
        .token(format!("{h}.{p}.{}", b64::encode(mac)))
        .context(ctx("HS256", json!([{"kty": "oct", "k": ""}])))
        .reject("key_unknown");
    }
    g.case("mixed-secret-and-public-keys", rule, High, "the trusted set mixes an HMAC secret with an RSA public key (Wycheproof MixedKeySet); HS256 token by the secret")
        .refs(&["Wycheproof json_web_key_test tcId 1"])
        .token(m.jwt("HS256", "hs256-a", &hdr("HS256"), &c)).context(ctx("HS256", json!(["hs256-a", "rsa-2048-a"]))).either("key_unknown");
    g.case(
        "pem-spki-rsa",
        rule,
        Low,
        "the trusted RSA key configured as SPKI PEM text",
    )
    .token(rs(Some("rsa-2048-a"), "rsa-2048-a"))
    .context(ctx(
        "RS256",
        json!([{"pem": key_file("rsa-2048-a.pub.pem")}]),
    ))
    .accept(out(&c));
    g.case(
        "pem-pkcs1-rsa",
        rule,
        Low,
        "the trusted RSA key configured as PKCS#1 PEM text (BEGIN RSA PUBLIC KEY)",
    )
    .token(rs(Some("rsa-2048-a"), "rsa-2048-a"))
    .context(ctx(
        "RS256",
        json!([{"pem": key_file("rsa-2048-a.pkcs1.pem")}]),
    ))
    .accept(out(&c));
    // jsonwebtoken (npm) <= 8.5.1 never checked the key's type against alg: node's
    // createVerify('RSA-SHA256') verifies an ECDSA (DER) signature with an EC key.
    {
        use p256::ecdsa::signature::Signer;
        let h = b64::encode(json!({"alg": "RS256"}).to_string());
        let p = b64::encode(c.to_string());
        let sig: p256::ecdsa::Signature =
            m.p256_private("p256-a").sign(format!("{h}.{p}").as_bytes());
        g.case(
            "ec-key-under-rs256",
            rule,
            High,
            "alg RS256 but an ECDSA P-256 signature (DER) by the only trusted key, a P-256 key configured as SPKI PEM text, under an RS256 configuration",
        )
        .refs(&["CVE-2022-23539"])
        .token(format!("{h}.{p}.{}", b64::encode(sig.to_der().as_bytes())))
        .context(ctx("RS256", json!([{"pem": key_file("p256-a.pub.pem")}])))
        .reject("key_unknown");
    }
    g.case(
        "pem-spki-p256",
        rule,
        Low,
        "the trusted P-256 key configured as SPKI PEM text",
    )
    .token(&es)
    .context(ctx("ES256", json!([{"pem": key_file("p256-a.pub.pem")}])))
    .accept(out(&c));
    g.finish()
}

/// EMSA-PKCS1-v1_5 encoding with the SHA-256 DigestInfo (RFC 8017 §9.2).
fn pkcs1_sha256_encoding(msg: &[u8], k: usize) -> Vec<u8> {
    use sha2::Digest;
    const PREFIX: [u8; 19] = [
        0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
        0x05, 0x00, 0x04, 0x20,
    ];
    let t = [&PREFIX[..], &sha2::Sha256::digest(msg)[..]].concat();
    let mut em = vec![0x00, 0x01];
    em.extend(std::iter::repeat_n(0xff, k - t.len() - 3));
    em.push(0x00);
    em.extend(t);
    em
}
