//! Profile `core`: the core.* rules of profiles.md, under a generic JWT verifier
//! configured with one algorithm, its keys and a skew.

use base64::Engine;
use serde_json::{json, Value};

use super::{key_file, split, with, Group};
use crate::mint::{hmac, Mint};
use crate::model::Severity::{Critical, High, Low, Medium};
use crate::model::VectorFile;
use jwtc_verifier::b64;

const ISS: &str = "https://issuer.jwtc.example";

fn claims(now: i64) -> Value {
    json!({"iss": ISS, "sub": "user-1", "iat": now - 60, "exp": now + 3600})
}

fn key_for(alg: &str) -> &'static str {
    match alg {
        "HS256" => "hs256-a",
        "ES256" => "p256-a",
        _ => "rsa-2048-a",
    }
}

fn ctx(alg: &str, keys: Value) -> Value {
    json!({"algorithm": alg, "keys": keys, "skew": 0})
}

fn ctx_skew(alg: &str, keys: Value, skew: i64) -> Value {
    json!({"algorithm": alg, "keys": keys, "skew": skew})
}

fn default_ctx(alg: &str) -> Value {
    ctx(alg, json!([key_for(alg)]))
}

fn hdr(alg: &str) -> Value {
    json!({"alg": alg, "kid": key_for(alg)})
}

fn out(claims: &Value) -> Value {
    json!({ "claims": claims })
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

pub(super) fn files(m: &Mint<'_>, now: i64) -> Vec<VectorFile> {
    vec![
        segments(m, now),
        base64url(m, now),
        json_group(m, now),
        size(m, now),
        alg(m, now),
        alg_confusion(m, now),
        typ(m, now),
        crit(m, now),
        embedded_key(m, now),
        keys(m, now),
        sig_hs256(m, now),
        sig_es256(m, now),
        sig_rs256(m, now),
        numeric_date(m, now),
        exp(m, now),
        nbf(m, now),
        aud_unexpected(m, now),
        order(m, now),
    ]
}

fn segments(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "segments");
    let c = claims(now);
    let t = m.jwt("RS256", "rsa-2048-a", &hdr("RS256"), &c);
    let (h, p, s) = split(&t);
    let rule = "core.segments";
    g.case(
        "valid",
        rule,
        Low,
        "a well-formed RS256 token: three segments",
    )
    .token(&t)
    .context(default_ctx("RS256"))
    .accept(out(&c));
    g.case(
        "two-segments",
        rule,
        High,
        "header and payload only: the signature segment and its dot are gone",
    )
    .token(format!("{h}.{p}"))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case(
        "four-segments",
        rule,
        High,
        "a fourth segment appended to a valid token",
    )
    .token(format!("{t}.{s}"))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case(
        "five-segments-jwe",
        rule,
        High,
        "five segments, the shape of a JWE (RFC 7516), where a JWS is expected",
    )
    .token(format!("{h}..{p}.{p}.{s}"))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case(
        "trailing-dot",
        rule,
        Medium,
        "a valid token followed by a dot",
    )
    .token(format!("{t}."))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case("empty-header", rule, High, "the header segment is empty")
        .token(format!(".{p}.{s}"))
        .context(default_ctx("RS256"))
        .reject("malformed");
    let none_h = b64::encode(br#"{"alg":"none"}"#);
    g.case(
        "empty-signature-alg-none",
        rule,
        Critical,
        "an unsecured JWT (alg none, empty signature segment)",
    )
    .refs(&["CVE-2015-9235", "RFC 7519 §6"])
    .token(format!("{none_h}.{p}."))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case(
        "empty-signature",
        rule,
        Critical,
        "a signed header with the signature segment left empty",
    )
    .token(format!("{h}.{p}."))
    .context(default_ctx("RS256"))
    .reject("malformed");
    let flattened = json!({"protected": h, "payload": p, "signature": s}).to_string();
    g.case(
        "json-serialization",
        rule,
        Medium,
        "the valid token in flattened JSON serialization (RFC 7515 §7.2.2)",
    )
    .token(flattened)
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.finish()
}

fn base64url(m: &Mint<'_>, now: i64) -> VectorFile {
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

fn json_group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "json");
    let rule = "core.json";
    let h = hdr("RS256").to_string();
    let c = claims(now);
    let body = |extra: &str| {
        format!(
            r#"{{"iss":"{ISS}","sub":"user-1","iat":{},{extra}}}"#,
            now - 60
        )
    };
    let tok = |header: &str, payload: &str| {
        m.raw("RS256", "rsa-2048-a", header.as_bytes(), payload.as_bytes())
    };
    g.case("duplicate-exp-last-expired", rule, High,
        "claims {\"exp\": future, \"exp\": past}: rejecting duplicates or taking the last value (RFC 7519 §4) both reject; keeping the first accepts an expired token")
        .refs(&["RFC 7515 §4", "RFC 7519 §4"])
        .token(tok(&h, &body(&format!(r#""exp":{},"exp":{}"#, now + 3600, now - 3600))))
        .context(default_ctx("RS256")).reject("malformed");
    g.case(
        "duplicate-sub-escaped",
        rule,
        High,
        "claims with \"sub\" and \"\\u0073ub\" (the same name once unescaped) naming two users",
    )
    .refs(&["RFC 7519 §4"])
    .token(tok(
        &h,
        &body(&format!(r#""exp":{},"sub":"mallory""#, now + 3600)).replacen(
            r#""sub":"user-1""#,
            r#""\u0073ub":"user-1""#,
            1,
        ),
    ))
    .context(default_ctx("RS256"))
    .either("malformed");
    g.case(
        "duplicate-alg",
        rule,
        Medium,
        "header {\"alg\":\"HS256\",\"alg\":\"RS256\"} signed with RS256",
    )
    .refs(&["RFC 7515 §4"])
    .token(tok(
        r#"{"alg":"HS256","alg":"RS256","kid":"rsa-2048-a"}"#,
        &c.to_string(),
    ))
    .context(default_ctx("RS256"))
    .either("malformed");
    g.case(
        "bom-header",
        rule,
        Low,
        "a UTF-8 byte order mark before the header JSON (RFC 8259 §8.1)",
    )
    .refs(&["RFC 8259 §8.1"])
    .token(m.raw(
        "RS256",
        "rsa-2048-a",
        &[b"\xEF\xBB\xBF".as_slice(), h.as_bytes()].concat(),
        c.to_string().as_bytes(),
    ))
    .context(default_ctx("RS256"))
    .either("malformed");
    let mut bad_utf8 = format!(
        r#"{{"iss":"{ISS}","sub":"user-1","exp":{},"name":"x"#,
        now + 3600
    )
    .into_bytes();
    bad_utf8.extend_from_slice(b"\xff\"}");
    g.case(
        "invalid-utf8",
        rule,
        Medium,
        "a claim string holding the byte 0xFF (not UTF-8)",
    )
    .token(m.raw("RS256", "rsa-2048-a", h.as_bytes(), &bad_utf8))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case(
        "trailing-garbage",
        rule,
        Medium,
        "the claims object followed by more bytes",
    )
    .token(tok(&h, &format!("{c}x")))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case(
        "two-objects",
        rule,
        Medium,
        "two claims objects back to back",
    )
    .token(tok(&h, &format!("{c}{c}")))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case("header-array", rule, Medium, "the header is a JSON array")
        .token(tok(r#"["RS256"]"#, &c.to_string()))
        .context(default_ctx("RS256"))
        .reject("malformed");
    g.case(
        "payload-string",
        rule,
        Medium,
        "the payload is a JSON string, not a claims object",
    )
    .token(tok(&h, r#""user-1""#))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case(
        "payload-not-json",
        rule,
        Medium,
        "the payload is plain text",
    )
    .token(tok(&h, "user-1"))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case(
        "payload-empty",
        rule,
        Medium,
        "the payload segment is empty",
    )
    .token(tok(&h, ""))
    .context(default_ctx("RS256"))
    .reject("malformed");
    let nest = |d: usize| format!("{}{}", "[".repeat(d), "]".repeat(d));
    let deep_ok = with(
        c.clone(),
        json!({ "deep": serde_json::from_str::<Value>(&nest(63)).unwrap() }),
    );
    g.case(
        "depth-64",
        rule,
        Low,
        "claims nested 64 deep (the object and 63 arrays): at the bound",
    )
    .token(tok(&h, &deep_ok.to_string()))
    .context(default_ctx("RS256"))
    .accept(out(&deep_ok));
    g.case(
        "depth-65",
        rule,
        Low,
        "claims nested 65 deep: over the bound of 64",
    )
    .token(tok(
        &h,
        &body(&format!(r#""exp":{},"deep":{}"#, now + 3600, nest(64))),
    ))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case(
        "depth-5000",
        rule,
        Medium,
        "claims nested 5000 deep: a recursive parser's stack",
    )
    .token(tok(
        &h,
        &body(&format!(r#""exp":{},"deep":{}"#, now + 3600, nest(5000))),
    ))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.finish()
}

fn size(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "size");
    let rule = "core.size";
    let bound = jwtc_verifier::jose::DEFAULT_MAX_TOKEN_LEN;
    // Find claims whose token is exactly `len` bytes long.
    let exact = |len: usize| -> (String, Value) {
        for kid_pad in 0..4 {
            let header = json!({"alg": "HS256", "kid": "hs256-a", "x": "y".repeat(kid_pad)});
            let h = b64::encode(header.to_string());
            let base = claims(now);
            let sig_len = 43;
            for fill in 0..len {
                let c = with(base.clone(), json!({"fill": "z".repeat(fill)}));
                let p_len = (c.to_string().len() * 4).div_ceil(3);
                let total = h.len() + 1 + p_len + 1 + sig_len;
                if total == len {
                    let t = m.jwt("HS256", "hs256-a", &header, &c);
                    assert_eq!(t.len(), len);
                    return (t, c);
                }
                if total > len {
                    break;
                }
            }
        }
        panic!("generator: no token of exactly {len} bytes");
    };
    let (t, c) = exact(bound);
    g.case(
        "at-bound",
        rule,
        Low,
        "a valid HS256 token of exactly 16384 bytes, the default bound",
    )
    .token(t)
    .context(default_ctx("HS256"))
    .accept(out(&c));
    let (t, _) = exact(bound + 1);
    g.case(
        "over-bound-by-one",
        rule,
        Low,
        "a valid HS256 token of 16385 bytes: bounds differ between implementations",
    )
    .token(t)
    .context(default_ctx("HS256"))
    .either("too_large");
    let big = format!(
        "{}.{}.{}",
        "e".repeat(20_000),
        "e".repeat(20_000),
        "e".repeat(20_000)
    );
    g.case(
        "garbage-60k",
        rule,
        Medium,
        "60 KB of base64url-looking garbage: rejected before any decoding",
    )
    .token(big)
    .context(default_ctx("HS256"))
    .reject("too_large");
    g.finish()
}

fn alg(m: &Mint<'_>, now: i64) -> VectorFile {
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

fn alg_confusion(m: &Mint<'_>, now: i64) -> VectorFile {
    use p256::pkcs8::EncodePublicKey;
    let mut g = Group::new("core", "alg-confusion");
    let rule = "core.alg-confusion";
    let c = claims(now);
    let rsa_pub = m.rsa_private("rsa-2048-a").to_public_key();
    let ec_pub = m.p256_private("p256-a").verifying_key().to_owned();
    let rsa_pem = rsa_pub
        .to_public_key_pem(p256::pkcs8::LineEnding::LF)
        .unwrap();
    let ec_pem = ec_pub
        .to_public_key_pem(p256::pkcs8::LineEnding::LF)
        .unwrap();
    let rsa_der = rsa_pub.to_public_key_der().unwrap().as_bytes().to_vec();
    let ec_der = ec_pub.to_public_key_der().unwrap().as_bytes().to_vec();
    let rsa_jwk = m.keys().public_jwk("rsa-2048-a").unwrap().to_string();
    let ec_jwk = m.keys().public_jwk("p256-a").unwrap().to_string();
    let ec_point = ec_pub.to_encoded_point(false).as_bytes().to_vec();
    let rsa_n = b64::decode(
        m.keys().public_jwk("rsa-2048-a").unwrap()["n"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let secrets: Vec<(&str, &str, &str, Vec<u8>)> = vec![
        (
            "rsa-pem",
            "RS256",
            "the RSA public key's PEM text",
            rsa_pem.clone().into_bytes(),
        ),
        (
            "rsa-pem-no-newline",
            "RS256",
            "the RSA public key's PEM text without its final newline",
            rsa_pem.trim_end().as_bytes().to_vec(),
        ),
        (
            "rsa-der",
            "RS256",
            "the RSA public key's DER (SPKI) bytes",
            rsa_der,
        ),
        (
            "rsa-jwk",
            "RS256",
            "the RSA public key's JWK JSON text",
            rsa_jwk.into_bytes(),
        ),
        ("rsa-modulus", "RS256", "the RSA modulus bytes", rsa_n),
        (
            "ec-pem",
            "ES256",
            "the P-256 public key's PEM text",
            ec_pem.into_bytes(),
        ),
        (
            "ec-der",
            "ES256",
            "the P-256 public key's DER (SPKI) bytes",
            ec_der,
        ),
        (
            "ec-jwk",
            "ES256",
            "the P-256 public key's JWK JSON text",
            ec_jwk.into_bytes(),
        ),
        (
            "ec-point",
            "ES256",
            "the P-256 public key's uncompressed point",
            ec_point,
        ),
    ];
    for (name, profile_alg, what, secret) in secrets {
        let header = json!({"alg": "HS256", "kid": key_for(profile_alg)});
        let h = b64::encode(header.to_string());
        let p = b64::encode(c.to_string());
        let mac = hmac("HS256", &secret, format!("{h}.{p}").as_bytes());
        g.case(
            &format!("hs256-keyed-with-{name}"),
            rule,
            Critical,
            &format!(
                "an HS256 token whose HMAC key is {what}, under an {profile_alg} configuration"
            ),
        )
        .refs(&[
            "CVE-2015-9235",
            "CVE-2016-5431",
            "CVE-2022-29217",
            "RFC 8725 §2.1",
        ])
        .token(format!("{h}.{p}.{}", b64::encode(mac)))
        .context(default_ctx(profile_alg))
        .reject("alg_not_allowed");
    }
    for a in ["RS256", "ES256"] {
        g.case(
            &format!("genuine-{}", a.to_lowercase()),
            rule,
            Low,
            &format!("the genuine {a} token by the same key under the same configuration"),
        )
        .token(m.jwt(a, key_for(a), &hdr(a), &c))
        .context(default_ctx(a))
        .accept(out(&c));
    }
    // The PEM the user pasted, configured as PEM: the classic setup of the attack.
    let header = json!({"alg": "HS256"});
    let h = b64::encode(header.to_string());
    let p = b64::encode(c.to_string());
    let mac = hmac("HS256", rsa_pem.as_bytes(), format!("{h}.{p}").as_bytes());
    g.case(
        "hs256-keyed-with-configured-pem",
        rule,
        Critical,
        "an HS256 token keyed with the PEM text the verifier was configured with (as PEM), no kid",
    )
    .refs(&["CVE-2015-9235", "CVE-2022-29217"])
    .token(format!("{h}.{p}.{}", b64::encode(mac)))
    .context(ctx("RS256", json!([{"pem": rsa_pem}])))
    .reject("alg_not_allowed");
    // The OpenSSH public-key line of the P-256 key (an `id_ecdsa.pub` file's text, RFC 5656
    // §3.1 blob), configured as key text: PyJWT < 2.4.0's HMAC key check knew `ssh-rsa`
    // and three PEM headers, not `ecdsa-sha2-nistp256` (CVE-2022-29217).
    let ssh_line = {
        let mut blob = Vec::new();
        for part in [
            &b"ecdsa-sha2-nistp256"[..],
            &b"nistp256"[..],
            ec_pub.to_encoded_point(false).as_bytes(),
        ] {
            blob.extend_from_slice(&(part.len() as u32).to_be_bytes());
            blob.extend_from_slice(part);
        }
        format!(
            "ecdsa-sha2-nistp256 {} p256-a\n",
            base64::engine::general_purpose::STANDARD.encode(blob)
        )
    };
    let mac = hmac("HS256", ssh_line.as_bytes(), format!("{h}.{p}").as_bytes());
    g.case(
        "hs256-keyed-with-configured-openssh",
        rule,
        Critical,
        "an HS256 token keyed with the OpenSSH public-key line (ecdsa-sha2-nistp256, an id_ecdsa.pub file) the verifier was configured with as key text, no kid",
    )
    .refs(&["CVE-2022-29217", "RFC 8725 §2.1"])
    .token(format!("{h}.{p}.{}", b64::encode(mac)))
    .context(ctx("ES256", json!([{"pem": ssh_line}])))
    .reject("alg_not_allowed");
    g.finish()
}

fn typ(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "typ");
    let rule = "core.typ";
    let c = claims(now);
    let t = |extra: Value| m.jwt("ES256", "p256-a", &with(hdr("ES256"), extra), &c);
    for (name, typ) in [
        ("jwt", "JWT"),
        ("jwt-lowercase", "jwt"),
        ("application-jwt", "application/jwt"),
        ("application-jwt-upper", "APPLICATION/JWT"),
    ] {
        g.case(&format!("typ-{name}"), rule, Low, &format!("typ {typ:?}"))
            .token(t(json!({"typ": typ})))
            .context(default_ctx("ES256"))
            .accept(out(&c));
    }
    g.case("typ-absent", rule, Low, "no typ")
        .token(t(json!({})))
        .context(default_ctx("ES256"))
        .accept(out(&c));
    for (name, typ) in [("at-jwt", "at+jwt"), ("jose", "JOSE")] {
        g.case(
            &format!("typ-{name}"),
            rule,
            Low,
            &format!("typ {typ:?}: another token type (RFC 8725 §3.11)"),
        )
        .refs(&["RFC 8725 §3.11"])
        .token(t(json!({"typ": typ})))
        .context(default_ctx("ES256"))
        .either("malformed");
    }
    for (name, typ) in [
        ("number", json!(1)),
        ("null", Value::Null),
        ("object", json!({"t": "JWT"})),
    ] {
        g.case(
            &format!("typ-{name}"),
            rule,
            Low,
            &format!("typ is a JSON {name}"),
        )
        .token(t(json!({"typ": typ})))
        .context(default_ctx("ES256"))
        .reject("malformed");
    }
    g.case(
        "cty-jwt",
        rule,
        Medium,
        "cty \"JWT\": the payload claims to be a nested token",
    )
    .refs(&["RFC 7519 §5.2"])
    .token(t(json!({"cty": "JWT"})))
    .context(default_ctx("ES256"))
    .reject("malformed");
    g.case("cty-jwt-lowercase", rule, Medium, "cty \"jwt\"")
        .token(t(json!({"cty": "jwt"})))
        .context(default_ctx("ES256"))
        .reject("malformed");
    g.finish()
}

fn crit(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "crit");
    let rule = "core.crit";
    let c = claims(now);
    let t = |extra: Value| m.jwt("ES256", "p256-a", &with(hdr("ES256"), extra), &c);
    g.case(
        "crit-absent",
        rule,
        Low,
        "no crit, no extension parameters: nothing critical to understand",
    )
    .token(t(json!({})))
    .context(default_ctx("ES256"))
    .accept(out(&c));
    g.case(
        "crit-unknown-extension",
        rule,
        High,
        "crit names an extension the verifier cannot implement",
    )
    .refs(&["RFC 7515 §4.1.11"])
    .token(t(
        json!({"crit": ["urn:jwtc:must-understand"], "urn:jwtc:must-understand": true}),
    ))
    .context(default_ctx("ES256"))
    .reject("malformed");
    g.case(
        "crit-exp",
        rule,
        High,
        "crit [\"exp\"] with an exp header parameter (time-bound only if understood)",
    )
    .refs(&["RFC 7515 §4.1.11"])
    .token(t(json!({"crit": ["exp"], "exp": now - 10})))
    .context(default_ctx("ES256"))
    .reject("malformed");
    g.case(
        "crit-empty",
        rule,
        Medium,
        "crit is an empty array (RFC 7515 §4.1.11 forbids it)",
    )
    .refs(&["RFC 7515 §4.1.11"])
    .token(t(json!({"crit": []})))
    .context(default_ctx("ES256"))
    .reject("malformed");
    g.case(
        "crit-string",
        rule,
        Medium,
        "crit is a string, not an array",
    )
    .token(t(json!({"crit": "b64"})))
    .context(default_ctx("ES256"))
    .reject("malformed");
    g.case(
        "crit-names-missing-parameter",
        rule,
        Medium,
        "crit names a parameter absent from the header",
    )
    .token(t(json!({"crit": ["urn:jwtc:absent"]})))
    .context(default_ctx("ES256"))
    .reject("malformed");
    // RFC 7797: with b64 false the signing input holds the raw payload.
    let header = with(hdr("ES256"), json!({"b64": false, "crit": ["b64"]}));
    let h = b64::encode(header.to_string());
    let raw_payload = c.to_string();
    let sig = m.sign("ES256", "p256-a", format!("{h}.{raw_payload}").as_bytes());
    g.case("b64-false", rule, High, "b64 false with crit [\"b64\"] (RFC 7797 unencoded payload), detached payload segment carried base64url")
        .refs(&["RFC 7797"])
        .token(format!("{h}.{}.{}", b64::encode(&raw_payload), b64::encode(sig))).context(default_ctx("ES256")).reject("malformed");
    g.case("b64-false-no-crit", rule, High, "b64 false without crit")
        .refs(&["RFC 7797 §6"])
        .token(t(json!({"b64": false})))
        .context(default_ctx("ES256"))
        .reject("malformed");
    g.finish()
}

fn embedded_key(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "embedded-key");
    let rule = "core.embedded-key";
    let c = claims(now);
    let attacker = m.keys().public_jwk("rsa-2048-b").unwrap();
    let cert = key_file("rsa-2048-b.cert.pem");
    let der_b64: String = cert.lines().filter(|l| !l.starts_with("-----")).collect();
    let forged = |extra: Value, kid: &str| {
        m.jwt(
            "RS256",
            "rsa-2048-b",
            &with(json!({"alg": "RS256", "kid": kid}), extra),
            &c,
        )
    };
    let refs = ["CVE-2018-0114", "RFC 8725 §3.10"];
    g.case("jwk-self-signed", rule, Critical, "signed by the attacker's key, which the header carries as jwk; the trusted key's kid is named")
        .refs(&refs).token(forged(json!({"jwk": attacker}), "rsa-2048-a")).context(default_ctx("RS256")).reject("bad_signature");
    g.case(
        "jwk-self-signed-own-kid",
        rule,
        Critical,
        "signed by the attacker's key carried as jwk, kid naming the attacker's key",
    )
    .refs(&refs)
    .token(forged(json!({"jwk": attacker}), "rsa-2048-b"))
    .context(default_ctx("RS256"))
    .reject("key_unknown");
    g.case(
        "x5c-self-signed",
        rule,
        Critical,
        "signed by the attacker's key, whose self-signed certificate the header carries as x5c",
    )
    .refs(&["RFC 7515 §4.1.6"])
    .token(forged(json!({"x5c": [der_b64]}), "rsa-2048-a"))
    .context(default_ctx("RS256"))
    .reject("bad_signature");
    g.case(
        "jku-attacker",
        rule,
        Critical,
        "signed by the attacker's key, jku naming the attacker's JWK Set; nothing may be fetched",
    )
    .refs(&["RFC 8725 §3.10"])
    .token(forged(
        json!({"jku": "https://attacker.jwtc.example/jwks.json"}),
        "rsa-2048-a",
    ))
    .context(default_ctx("RS256"))
    .reject("bad_signature");
    g.case("x5u-attacker", rule, Critical, "signed by the attacker's key, x5u naming the attacker's certificate; nothing may be fetched")
        .token(forged(json!({"x5u": "https://attacker.jwtc.example/cert.pem"}), "rsa-2048-a")).context(default_ctx("RS256")).reject("bad_signature");
    let trusted = m.keys().public_jwk("rsa-2048-a").unwrap();
    g.case(
        "jwk-equal-to-trusted",
        rule,
        Low,
        "a valid token whose header also carries the trusted key as jwk: ignored, not refused",
    )
    .token(m.jwt(
        "RS256",
        "rsa-2048-a",
        &with(hdr("RS256"), json!({"jwk": trusted})),
        &c,
    ))
    .context(default_ctx("RS256"))
    .accept(out(&c));
    g.finish()
}

fn keys(m: &Mint<'_>, now: i64) -> VectorFile {
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

fn sig_hs256(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "sig-hs256");
    let rule = "core.sig-hs256";
    let c = claims(now);
    let t = m.jwt("HS256", "hs256-a", &hdr("HS256"), &c);
    let (h, p, s) = split(&t);
    let mac = b64::decode(&s).unwrap();
    let ctx = default_ctx("HS256");
    g.case("valid", rule, Low, "a valid HS256 MAC")
        .token(&t)
        .context(ctx.clone())
        .accept(out(&c));
    g.case(
        "truncated-16",
        rule,
        Critical,
        "the MAC truncated to 16 bytes",
    )
    .token(format!("{h}.{p}.{}", b64::encode(&mac[..16])))
    .context(ctx.clone())
    .reject("bad_signature");
    g.case(
        "truncated-1",
        rule,
        Critical,
        "the MAC truncated to its first byte",
    )
    .token(format!("{h}.{p}.{}", b64::encode(&mac[..1])))
    .context(ctx.clone())
    .reject("bad_signature");
    g.case("extended", rule, High, "the MAC with a zero byte appended")
        .token(format!(
            "{h}.{p}.{}",
            b64::encode([&mac[..], &[0]].concat())
        ))
        .context(ctx.clone())
        .reject("bad_signature");
    let mut flipped = mac.clone();
    flipped[31] ^= 1;
    g.case(
        "last-bit-flipped",
        rule,
        Critical,
        "the last bit of the MAC flipped",
    )
    .token(format!("{h}.{p}.{}", b64::encode(&flipped)))
    .context(ctx.clone())
    .reject("bad_signature");
    g.case(
        "other-secret",
        rule,
        Critical,
        "a MAC by another 32-byte secret",
    )
    .token(m.jwt("HS256", "hs256-b", &hdr("HS256"), &c))
    .context(ctx.clone())
    .reject("bad_signature");
    g.case("zero-mac", rule, Critical, "a MAC of 32 zero bytes")
        .token(format!("{h}.{p}.{}", b64::encode([0u8; 32])))
        .context(ctx.clone())
        .reject("bad_signature");
    let other = with(c.clone(), json!({"sub": "admin"}));
    g.case(
        "payload-swapped",
        rule,
        Critical,
        "a valid MAC over other claims, with the payload changed to sub admin",
    )
    .token(format!("{h}.{}.{s}", b64::encode(other.to_string())))
    .context(ctx)
    .reject("bad_signature");
    g.finish()
}

fn sig_es256(m: &Mint<'_>, now: i64) -> VectorFile {
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
    let order: [u8; 32] = hex32("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
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

fn hex32(s: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
    }
    out
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

fn sig_rs256(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "sig-rs256");
    let rule = "core.sig-rs256";
    let c = claims(now);
    let t = m.jwt("RS256", "rsa-2048-a", &hdr("RS256"), &c);
    let (h, p, s) = split(&t);
    let raw = b64::decode(&s).unwrap();
    let ctx = default_ctx("RS256");
    let with_sig = |bytes: &[u8]| format!("{h}.{p}.{}", b64::encode(bytes));
    g.case("valid", rule, Low, "a valid RS256 signature")
        .token(&t)
        .context(ctx.clone())
        .accept(out(&c));
    g.case(
        "leading-zero-byte",
        rule,
        High,
        "the signature with a zero byte prepended (257 bytes for a 256-byte modulus)",
    )
    .token(with_sig(&[&[0u8][..], &raw[..]].concat()))
    .context(ctx.clone())
    .reject("bad_signature");
    g.case(
        "trailing-byte",
        rule,
        High,
        "the signature with a byte appended",
    )
    .token(with_sig(&[&raw[..], &[0u8][..]].concat()))
    .context(ctx.clone())
    .reject("bad_signature");
    g.case(
        "truncated",
        rule,
        High,
        "the signature missing its last byte",
    )
    .token(with_sig(&raw[..255]))
    .context(ctx.clone())
    .reject("bad_signature");
    let mut flipped = raw.clone();
    flipped[255] ^= 1;
    g.case(
        "last-bit-flipped",
        rule,
        Critical,
        "the last bit of the signature flipped",
    )
    .token(with_sig(&flipped))
    .context(ctx.clone())
    .reject("bad_signature");
    g.case(
        "other-key",
        rule,
        Critical,
        "a valid signature by another RSA key",
    )
    .token(m.jwt("RS256", "rsa-2048-b", &hdr("RS256"), &c))
    .context(ctx.clone())
    .reject("bad_signature");
    let rs384 = m.sign("RS384", "rsa-2048-a", format!("{h}.{p}").as_bytes());
    g.case("sha384-digestinfo", rule, Critical, "a PKCS#1 v1.5 signature by the trusted key over SHA-384 (wrong DigestInfo) under alg RS256")
        .token(with_sig(&rs384)).context(ctx.clone()).reject("bad_signature");
    let pss = m.sign("PS256", "rsa-2048-a", format!("{h}.{p}").as_bytes());
    g.case(
        "pss-signature",
        rule,
        High,
        "an RSASSA-PSS signature by the trusted key under alg RS256",
    )
    .token(with_sig(&pss))
    .context(ctx.clone())
    .reject("bad_signature");
    g.case("zero-signature", rule, Critical, "256 zero bytes")
        .token(with_sig(&[0u8; 256]))
        .context(ctx.clone())
        .reject("bad_signature");
    let modulus = b64::decode(
        m.keys().public_jwk("rsa-2048-a").unwrap()["n"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    g.case(
        "signature-equals-modulus",
        rule,
        High,
        "the modulus itself as the signature (out of range)",
    )
    .token(with_sig(&modulus))
    .context(ctx)
    .reject("bad_signature");
    g.finish()
}

fn numeric_date(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "numeric-date");
    let rule = "core.numeric-date";
    let base = json!({"iss": ISS, "sub": "user-1"});
    let ctx = default_ctx("ES256");
    let mut case = |name: &str,
                    sev,
                    desc: &str,
                    extra: Value,
                    refs: &[&str],
                    verdict: (&str, Option<&str>)| {
        let c = with(base.clone(), extra);
        let b = g
            .case(name, rule, sev, desc)
            .refs(refs)
            .token(m.jwt("ES256", "p256-a", &hdr("ES256"), &c))
            .context(ctx.clone());
        match verdict {
            ("accept", _) => b.accept(out(&c)),
            ("reject", Some(code)) => b.reject(code),
            (_, Some(code)) => b.either(code),
            _ => unreachable!(),
        }
    };
    let str_refs: &[&str] = &["RFC 7519 §2", "jsonwebtoken (crate) < 10.3.0"];
    case(
        "exp-integer",
        Low,
        "exp an integer an hour ahead",
        json!({"exp": now + 3600}),
        &[],
        ("accept", None),
    );
    case(
        "exp-fraction",
        Low,
        "exp a fraction an hour ahead",
        json!({"exp": now as f64 + 3600.5}),
        &[],
        ("accept", None),
    );
    case(
        "exp-exponent-form",
        Low,
        "exp in exponent form (1.7672292e9, an hour ahead)",
        json!({"exp": serde_json::from_str::<Value>(&format!("{:e}", (now + 3600) as f64)).unwrap()}),
        &[],
        ("accept", None),
    );
    case(
        "exp-string",
        High,
        "exp \"<an hour ago>\" as a string: a library that ignores it accepts an expired token",
        json!({"exp": (now - 3600).to_string()}),
        str_refs,
        ("reject", Some("claim_invalid")),
    );
    case(
        "exp-string-future",
        Medium,
        "exp a string an hour ahead",
        json!({"exp": (now + 3600).to_string()}),
        str_refs,
        ("reject", Some("claim_invalid")),
    );
    case(
        "exp-boolean",
        Medium,
        "exp true",
        json!({"exp": true}),
        &[],
        ("reject", Some("claim_invalid")),
    );
    case(
        "exp-null",
        Medium,
        "exp null",
        json!({"exp": null}),
        &[],
        ("reject", Some("claim_invalid")),
    );
    case(
        "exp-array",
        Medium,
        "exp [<an hour ago>]",
        json!({"exp": [now - 3600]}),
        &[],
        ("reject", Some("claim_invalid")),
    );
    case(
        "nbf-string",
        Medium,
        "nbf a string a day ahead",
        json!({"nbf": (now + 86400).to_string(), "exp": now + 172800}),
        str_refs,
        ("reject", Some("claim_invalid")),
    );
    case(
        "iat-string",
        Low,
        "iat a string",
        json!({"iat": now.to_string(), "exp": now + 3600}),
        &[],
        ("reject", Some("claim_invalid")),
    );
    case(
        "exp-huge",
        Low,
        "exp 1e12, after year 9999: never expires, or out of range",
        json!({"exp": 1e12}),
        &[],
        ("either", Some("claim_invalid")),
    );
    case(
        "exp-negative",
        Medium,
        "exp -1",
        json!({"exp": -1}),
        &[],
        ("reject", Some("expired")),
    );
    case(
        "nbf-huge",
        Medium,
        "nbf 1e12, after year 9999",
        json!({"nbf": 1e12, "exp": now + 3600}),
        &[],
        ("reject", Some("not_yet_valid")),
    );
    case(
        "iat-huge",
        Medium,
        "iat 1e12, after year 9999",
        json!({"iat": 1e12, "exp": now + 3600}),
        &[],
        ("reject", Some("not_yet_valid")),
    );
    case(
        "iat-negative",
        Low,
        "iat -1",
        json!({"iat": -1, "exp": now + 3600}),
        &[],
        ("either", Some("claim_invalid")),
    );
    case(
        "nbf-negative",
        Low,
        "nbf -1",
        json!({"nbf": -1, "exp": now + 3600}),
        &[],
        ("either", Some("claim_invalid")),
    );
    case(
        "exp-fraction-straddles",
        Low,
        "exp = now + 0.5: valid for half a second, or expired once truncated",
        json!({"exp": now as f64 + 0.5}),
        &[],
        ("either", Some("expired")),
    );
    case(
        "nbf-fraction-straddles",
        Low,
        "nbf = now + 0.5: not valid for half a second, or valid once truncated",
        json!({"nbf": now as f64 + 0.5, "exp": now + 3600}),
        &[],
        ("either", Some("not_yet_valid")),
    );
    g.finish()
}

fn exp(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "exp");
    let rule = "core.exp";
    let base = json!({"iss": ISS, "sub": "user-1"});
    for (skew, cases) in [
        (
            0,
            vec![
                ("plus-1", 1, true),
                ("at-now", 0, false),
                ("minus-1", -1, false),
            ],
        ),
        (
            60,
            vec![
                ("skew60-minus-59", -59, true),
                ("skew60-minus-60", -60, false),
                ("skew60-minus-61", -61, false),
            ],
        ),
    ] {
        for (name, delta, ok) in cases {
            let c = with(base.clone(), json!({"exp": now + delta}));
            let b = g
                .case(
                    &format!("exp-{name}"),
                    rule,
                    Medium,
                    &format!("exp = now {delta:+}, skew {skew}: accepted while now < exp + skew"),
                )
                .refs(&["RFC 7519 §4.1.4"])
                .token(m.jwt("HS256", "hs256-a", &hdr("HS256"), &c))
                .context(ctx_skew("HS256", json!(["hs256-a"]), skew));
            if ok {
                b.accept(out(&c))
            } else {
                b.reject("expired")
            }
        }
    }
    let c = base.clone();
    g.case(
        "exp-absent",
        rule,
        Low,
        "no exp: not required by the core rules",
    )
    .token(m.jwt("HS256", "hs256-a", &hdr("HS256"), &c))
    .context(default_ctx("HS256"))
    .accept(out(&c));
    g.finish()
}

fn nbf(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "nbf");
    let rule = "core.nbf";
    let base = json!({"iss": ISS, "sub": "user-1", "exp": now + 3600});
    for (skew, cases) in [
        (
            0,
            vec![
                ("at-now", 0, true),
                ("plus-1", 1, false),
                ("minus-1", -1, true),
            ],
        ),
        (
            60,
            vec![("skew60-plus-60", 60, true), ("skew60-plus-61", 61, false)],
        ),
    ] {
        for (name, delta, ok) in cases {
            let c = with(base.clone(), json!({"nbf": now + delta}));
            let b = g
                .case(
                    &format!("nbf-{name}"),
                    rule,
                    Medium,
                    &format!("nbf = now {delta:+}, skew {skew}: rejected while now + skew < nbf"),
                )
                .refs(&["RFC 7519 §4.1.5"])
                .token(m.jwt("HS256", "hs256-a", &hdr("HS256"), &c))
                .context(ctx_skew("HS256", json!(["hs256-a"]), skew));
            if ok {
                b.accept(out(&c))
            } else {
                b.reject("not_yet_valid")
            }
        }
    }
    g.finish()
}

fn aud_unexpected(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "aud-unexpected");
    let rule = "core.aud-unexpected";
    let c = claims(now);
    g.case("aud-absent", rule, Low, "no aud, no audience configured")
        .token(m.jwt("HS256", "hs256-a", &hdr("HS256"), &c))
        .context(default_ctx("HS256"))
        .accept(out(&c));
    for (name, aud) in [
        ("string", json!("https://other.jwtc.example")),
        (
            "array",
            json!(["https://a.jwtc.example", "https://b.jwtc.example"]),
        ),
    ] {
        let c = with(claims(now), json!({"aud": aud}));
        g.case(
            &format!("aud-{name}"),
            rule,
            Low,
            &format!("an aud ({name}) where no audience is configured (RFC 7519 §4.1.3)"),
        )
        .refs(&["RFC 7519 §4.1.3"])
        .token(m.jwt("HS256", "hs256-a", &hdr("HS256"), &c))
        .context(default_ctx("HS256"))
        .either("audience_mismatch");
    }
    g.finish()
}

fn order(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "order");
    let rule = "core.order";
    let forged = |c: &Value| m.jwt("HS256", "hs256-b", &hdr("HS256"), c);
    let expired = with(claims(now), json!({"exp": now - 3600}));
    g.case(
        "forged-and-expired",
        rule,
        Medium,
        "a bad MAC over expired claims: bad_signature, never a claim code",
    )
    .token(forged(&expired))
    .context(default_ctx("HS256"))
    .reject("bad_signature");
    let bad_exp = with(claims(now), json!({"exp": "tomorrow"}));
    g.case(
        "forged-and-exp-string",
        rule,
        Medium,
        "a bad MAC over claims whose exp is a string",
    )
    .token(forged(&bad_exp))
    .context(default_ctx("HS256"))
    .reject("bad_signature");
    let c = claims(now);
    let t = m.jwt(
        "HS256",
        "hs256-a",
        &json!({"alg": "HS256", "kid": "nobody"}),
        &c,
    );
    g.case(
        "unknown-kid-over-bad-signature",
        rule,
        Low,
        "kid names no key: key_unknown before any signature check",
    )
    .token(t)
    .context(default_ctx("HS256"))
    .reject("key_unknown");
    let h = b64::encode(json!({"alg": "none", "kid": "nobody"}).to_string());
    g.case(
        "alg-over-kid",
        rule,
        Medium,
        "alg none and a kid naming no key: alg_not_allowed comes first",
    )
    .token(format!("{h}.{}.AAAA", b64::encode(c.to_string())))
    .context(default_ctx("HS256"))
    .reject("alg_not_allowed");
    let h = b64::encode(json!({"alg": "none"}).to_string());
    g.case(
        "malformed-over-alg",
        rule,
        Medium,
        "alg none and a payload that is not JSON: malformed comes first",
    )
    .token(format!("{h}.{}.AAAA", b64::encode("not json")))
    .context(default_ctx("HS256"))
    .reject("malformed");
    g.case(
        "too-large-over-malformed",
        rule,
        Medium,
        "20 KB that is not even a token: too_large comes first",
    )
    .token("!".repeat(20_000))
    .context(default_ctx("HS256"))
    .reject("too_large");
    g.finish()
}
