//! Profile `watson` (seed 002): RS256 identity tokens signed by the customer
//! (`rsa-2048-a`), with `user_payload` encrypted to the service's key (`rsa-2048-b`)
//! exactly as node-rsa's default `encrypt(text, 'base64')` does
//! ([`crate::mint::node_rsa_encrypt`]). OAEP is randomised; the seeded generator keeps
//! the files byte-identical.

use base64::Engine;
use rsa::pkcs8::EncodePublicKey;
use serde_json::{json, Value};

use super::{expect, split, with, without, CaseBuilder, Group};
use crate::mint::{hmac, Mint, SeededRng};
use crate::model::Severity::{self, Critical, High, Low, Medium};
use crate::model::{VectorFile, Verdict};
use jwtc_verifier::b64;

const SUB: &str = "L12345";
const ISS: &str = "www.example.com";
const SIGNER: &str = "rsa-2048-a";
const SERVICE: &str = "rsa-2048-b";

fn hdr() -> Value {
    json!({"alg": "RS256", "typ": "JWT"})
}

/// The seed's payload as jsonwebtoken signs it with `expiresIn: '10000ms'`.
fn claims(now: i64) -> Value {
    json!({"sub": SUB, "iss": ISS, "iat": now, "exp": now + 10})
}

fn ctx() -> Value {
    json!({"keys": [SIGNER], "skew": 0})
}

fn ctx_decrypt() -> Value {
    json!({"keys": [SIGNER], "decryption_key": SERVICE, "skew": 0})
}

fn out(user: &str) -> Value {
    json!({ "user_id": user })
}

fn out_payload(user: &str, payload: Value) -> Value {
    json!({ "user_id": user, "user_payload": payload })
}

fn tok(m: &Mint<'_>, claims: &Value) -> String {
    m.jwt("RS256", SIGNER, &hdr(), claims)
}

fn case<'g>(
    g: &'g mut Group,
    m: &Mint<'_>,
    (name, rule): (&str, &str),
    severity: Severity,
    description: &str,
    claims: &Value,
) -> CaseBuilder<'g> {
    g.case(name, rule, severity, description)
        .token(tok(m, claims))
        .context(ctx())
}

/// A JSON object text of exactly `len` bytes.
fn json_of_len(prefix: &str, len: usize) -> String {
    let head = format!("{{\"loyalty\":\"gold\",\"{prefix}\":\"");
    let tail = "\"}";
    assert!(head.len() + tail.len() <= len);
    format!("{head}{}{tail}", "x".repeat(len - head.len() - tail.len()))
}

/// A JSON object text of two node-rsa blocks (2048-bit key) in which the 3-byte `€`
/// starts one byte before the chunk boundary, so its bytes straddle the two blocks.
fn straddling_payload() -> (String, usize) {
    for filler in 0..400 {
        let text = format!(
            "{{\"tier\":\"VIP\",\"name\":\"J\u{fc}rgen M\u{fc}ller\",\"note\":\"{}\u{20ac}{}\"}}",
            "x".repeat(filler),
            "y".repeat(120)
        );
        let len = text.len();
        let n = len.div_ceil(214);
        let size = len.div_ceil(n);
        let euro = text.find('\u{20ac}').unwrap();
        if n == 2 && euro + 1 == size {
            return (text, size);
        }
    }
    unreachable!("a filler length puts the euro sign across the boundary")
}

pub(super) fn files(m: &Mint<'_>, now: i64) -> Vec<VectorFile> {
    vec![
        alg(m, now),
        keys(m, now),
        token(m, now),
        iss(m, now),
        sub(m, now),
        exp(m, now),
        user_payload(m, now),
        sub_pinning(m, now),
        refresh(m, now),
    ]
}

fn alg(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("watson", "alg");
    let rule = "watson.alg";
    let c = claims(now);
    case(
        &mut g,
        m,
        ("rs256", rule),
        Low,
        "the seed's token: RS256 by the customer's key",
        &c,
    )
    .accept(out(SUB));
    for a in ["RS384", "RS512", "PS256"] {
        g.case(
            &a.to_lowercase(),
            rule,
            Medium,
            &format!("{a} by the customer's RSA key: the seed says RS256"),
        )
        .token(m.jwt(a, SIGNER, &json!({"alg": a, "typ": "JWT"}), &c))
        .context(ctx())
        .reject("alg_not_allowed");
    }
    g.case(
        "es256",
        rule,
        High,
        "ES256 by an EC key the service was never given",
    )
    .token(m.jwt("ES256", "p256-a", &json!({"alg": "ES256"}), &c))
    .context(ctx())
    .reject("alg_not_allowed");
    let t = tok(m, &c);
    let (_, p, s) = split(&t);
    let h = b64::encode(json!({"alg": "none", "typ": "JWT"}).to_string());
    g.case(
        "alg-none-with-signature",
        rule,
        Critical,
        "alg none with the genuine RS256 signature kept",
    )
    .refs(&["CVE-2015-9235", "RFC 8725 §3.1"])
    .token(format!("{h}.{p}.{s}"))
    .context(ctx())
    .reject("alg_not_allowed");
    // The public key the customer pasted is a PEM: HMAC keyed with that text.
    let pem = m
        .rsa_private(SIGNER)
        .to_public_key()
        .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
        .unwrap();
    let h = b64::encode(json!({"alg": "HS256", "typ": "JWT"}).to_string());
    let mac = hmac("HS256", pem.as_bytes(), format!("{h}.{p}").as_bytes());
    g.case(
        "hs256-keyed-with-public-pem",
        "core.alg-confusion",
        Critical,
        "HS256 whose HMAC key is the customer's public key PEM, as pasted into the security settings",
    )
    .refs(&["CVE-2015-9235", "CVE-2016-5431", "RFC 8725 §2.1"])
    .token(format!("{h}.{p}.{}", b64::encode(mac)))
    .context(json!({"keys": [{"pem": pem}], "skew": 0}))
    .reject("alg_not_allowed");
    g.finish()
}

fn keys(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("watson", "keys");
    let rule = "core.keys";
    let c = claims(now);
    let pem = m
        .rsa_private(SIGNER)
        .to_public_key()
        .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
        .unwrap();
    g.case(
        "public-key-pem",
        rule,
        Low,
        "the public key as the seed configures it: PEM text (openssl genrsa, then its public half)",
    )
    .token(tok(m, &c))
    .context(json!({"keys": [{"pem": pem}], "skew": 0}))
    .accept(out(SUB));
    g.case(
        "second-key-3072",
        rule,
        Low,
        "two configured keys; the token is signed by the 3072-bit one",
    )
    .token(m.jwt("RS256", "rsa-3072-a", &hdr(), &c))
    .context(json!({"keys": [SIGNER, "rsa-3072-a"], "skew": 0}))
    .accept(out(SUB));
    g.case(
        "signed-by-another-key",
        rule,
        Critical,
        "RS256 by a key the service was not given",
    )
    .token(m.jwt("RS256", SERVICE, &hdr(), &c))
    .context(ctx())
    .reject("bad_signature");
    g.case(
        "ec-key-configured",
        rule,
        Medium,
        "the configured key is an EC key: refused at configuration (Watson is RS256), so nothing verifies",
    )
    .token(tok(m, &c))
    .context(json!({"keys": ["p256-a"], "skew": 0}))
    .reject("key_unknown");
    g.case(
        "hmac-key-configured",
        rule,
        High,
        "the configured key is an HMAC secret: refused at configuration, so nothing verifies",
    )
    .token(tok(m, &c))
    .context(json!({"keys": ["hs256-a"], "skew": 0}))
    .reject("key_unknown");
    g.case(
        "rsa-1024",
        rule,
        Medium,
        "a 1024-bit customer key and a token it signed (RFC 7518 §3.3 asks for 2048 bits)",
    )
    .refs(&["RFC 7518 §3.3"])
    .token(m.jwt("RS256", "rsa-1024-a", &hdr(), &c))
    .context(json!({"keys": ["rsa-1024-a"], "skew": 0}))
    .either("key_unknown");
    g.case(
        "kid-names-no-key",
        rule,
        Medium,
        "the header kid names no configured key (the configured JWK has a kid)",
    )
    .token(m.jwt(
        "RS256",
        SIGNER,
        &json!({"alg": "RS256", "kid": "rsa-9999"}),
        &c,
    ))
    .context(ctx())
    .reject("key_unknown");
    g.finish()
}

fn token(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("watson", "token");
    let rule = "watson.token";
    let t = tok(m, &claims(now));
    g.case(
        "present",
        rule,
        Low,
        "the identityToken is present and valid",
    )
    .token(&t)
    .context(ctx())
    .accept(out(SUB));
    g.case(
        "absent",
        rule,
        Critical,
        "security is on and the message carries no token",
    )
    .input(json!({}))
    .context(ctx())
    .reject("token_missing");
    g.case("null", rule, Critical, "the token is null")
        .input(json!({"token": null}))
        .context(ctx())
        .reject("token_missing");
    g.case(
        "empty",
        rule,
        Critical,
        "the token is the empty string (identityToken: '')",
    )
    .token("")
    .context(ctx())
    .reject("token_missing");
    g.case(
        "bearer-prefix",
        rule,
        Low,
        "the token with an HTTP \"Bearer \" prefix",
    )
    .token(format!("Bearer {t}"))
    .context(ctx())
    .reject("malformed");
    g.finish()
}

fn iss(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("watson", "iss");
    let rule = "watson.iss";
    case(
        &mut g,
        m,
        ("any-iss-no-issuer-configured", rule),
        Low,
        "iss present; the seed configures no issuer, so any string is accepted",
        &with(claims(now), json!({"iss": "yourdomain.com"})),
    )
    .accept(out(SUB));
    case(
        &mut g,
        m,
        ("missing", rule),
        Medium,
        "no iss: the seed lists it as required",
        &without(claims(now), &["iss"]),
    )
    .reject("claim_missing");
    case(
        &mut g,
        m,
        ("null", rule),
        Medium,
        "iss is null",
        &with(claims(now), json!({"iss": null})),
    )
    .reject("claim_missing");
    case(
        &mut g,
        m,
        ("number", rule),
        Low,
        "iss is a number",
        &with(claims(now), json!({"iss": 42})),
    )
    .reject("claim_invalid");
    let configured = json!({"issuer": ISS, "keys": [SIGNER], "skew": 0});
    g.case(
        "configured-equal",
        rule,
        Low,
        "an issuer configured and iss equal to it",
    )
    .refs(&["RFC 7519 §4.1.1"])
    .token(tok(m, &claims(now)))
    .context(configured.clone())
    .accept(out(SUB));
    for (name, value, what) in [
        (
            "configured-case-differs",
            "WWW.EXAMPLE.COM",
            "the configured issuer in upper case: case-sensitive",
        ),
        ("configured-other", "attacker.example", "another issuer"),
        (
            "configured-trailing-slash",
            "www.example.com/",
            "the configured issuer with a trailing slash",
        ),
    ] {
        g.case(
            name,
            rule,
            High,
            &format!("an issuer configured; iss is {what}"),
        )
        .refs(&["RFC 7519 §4.1.1"])
        .token(tok(m, &with(claims(now), json!({"iss": value}))))
        .context(configured.clone())
        .reject("issuer_mismatch");
    }
    g.finish()
}

fn sub(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("watson", "sub");
    let rule = "watson.sub";
    for (name, value, what) in [
        ("seed-user-id", "L12345", "the seed's L12345"),
        (
            "anonymous-cookie-id",
            "anon-5f3c9a2e",
            "an id for an unauthenticated user (the seed's billing advice)",
        ),
        (
            "lowest-vchar",
            "!",
            "\"!\" (0x21, the first visible ASCII character)",
        ),
        (
            "highest-vchar",
            "~",
            "\"~\" (0x7E, the last visible ASCII character)",
        ),
        (
            "all-punctuation",
            "!\"#$%&'()*+,-./:<>?@[\\]^_`{|}~",
            "every visible ASCII punctuation character but ; and =",
        ),
    ] {
        case(
            &mut g,
            m,
            (name, rule),
            Low,
            &format!("sub is {what}"),
            &with(claims(now), json!({"sub": value})),
        )
        .refs(&["RFC 7230 §3.2.6"])
        .accept(out(value));
    }
    case(
        &mut g,
        m,
        ("missing", rule),
        High,
        "no sub: the user id is required",
        &without(claims(now), &["sub"]),
    )
    .reject("claim_missing");
    case(
        &mut g,
        m,
        ("null", rule),
        High,
        "sub is null",
        &with(claims(now), json!({"sub": null})),
    )
    .reject("claim_missing");
    case(
        &mut g,
        m,
        ("number", rule),
        Medium,
        "sub is a number",
        &with(claims(now), json!({"sub": 12345})),
    )
    .reject("claim_invalid");
    case(
        &mut g,
        m,
        ("empty", rule),
        High,
        "sub is the empty string",
        &with(claims(now), json!({"sub": ""})),
    )
    .reject("claim_invalid");
    for (name, value, sev, what) in [
        (
            "space",
            "L 12345",
            Medium,
            "a space (0x20, just below visible ASCII)",
        ),
        ("tab", "L\t12345", Medium, "a tab"),
        (
            "crlf-injection",
            "L12345\r\nX-Injected: 1",
            High,
            "CR LF and a header line (header injection)",
        ),
        ("nul", "L12345\u{0}", Medium, "a NUL byte"),
        (
            "del",
            "L12345\u{7f}",
            Medium,
            "DEL (0x7F, just above visible ASCII)",
        ),
        ("non-ascii", "J\u{fc}rgen", Medium, "a non-ASCII letter (ü)"),
    ] {
        case(
            &mut g,
            m,
            (name, rule),
            sev,
            &format!("sub holds {what}: it is sent in the X-Watson-Metadata header"),
            &with(claims(now), json!({"sub": value})),
        )
        .refs(&["RFC 7230 §3.2.6"])
        .reject("claim_invalid");
    }
    for (name, value, what) in [
        (
            "semicolon",
            "L12345;customer_id=victim",
            "\";\" and \"=\" (a second customer_id field)",
        ),
        ("equals", "a=b", "\"=\""),
    ] {
        case(
            &mut g,
            m,
            (name, rule),
            Medium,
            &format!("sub holds {what}: IBM's customer_id forbids them; the seed does not say"),
            &with(claims(now), json!({"sub": value})),
        )
        .either("claim_invalid");
    }
    g.finish()
}

fn exp(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("watson", "exp");
    let rule = "watson.exp";
    let at = |exp: i64| with(claims(now), json!({"exp": exp}));
    let skewed = |skew: i64| json!({"keys": [SIGNER], "skew": skew});
    case(
        &mut g,
        m,
        ("now-plus-1", rule),
        Low,
        "exp one second after the clock",
        &at(now + 1),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .accept(out(SUB));
    case(
        &mut g,
        m,
        ("now", rule),
        Medium,
        "exp exactly at the clock: \"on or after which the JWT cannot be accepted\"",
        &at(now),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .reject("expired");
    case(
        &mut g,
        m,
        ("now-minus-1", rule),
        Medium,
        "exp one second before the clock",
        &at(now - 1),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .reject("expired");
    case(
        &mut g,
        m,
        ("missing", rule),
        Medium,
        "no exp: the seed requires one",
        &without(claims(now), &["exp"]),
    )
    .reject("claim_missing");
    case(
        &mut g,
        m,
        ("string", rule),
        Low,
        "exp is a string",
        &with(claims(now), json!({"exp": (now + 10).to_string()})),
    )
    .reject("claim_invalid");
    g.case(
        "no-skew-configured",
        rule,
        Low,
        "a context without skew (default 0) and exp one second after the clock",
    )
    .token(tok(m, &at(now + 1)))
    .context(json!({"keys": [SIGNER]}))
    .accept(out(SUB));
    for (name, exp, accept) in [
        ("skew-60-exp-now-minus-59", now - 59, true),
        ("skew-60-exp-now-minus-60", now - 60, false),
        ("skew-60-exp-now-minus-61", now - 61, false),
    ] {
        let b = g
            .case(
                name,
                rule,
                Medium,
                &format!("skew 60 s; exp {} s before the clock", now - exp),
            )
            .refs(&["RFC 7519 §4.1.4"])
            .token(tok(m, &at(exp)))
            .context(skewed(60));
        if accept {
            b.accept(out(SUB));
        } else {
            b.reject("expired");
        }
    }
    case(
        &mut g,
        m,
        ("nbf-now", "core.nbf"),
        Low,
        "nbf exactly at the clock",
        &with(claims(now), json!({"nbf": now})),
    )
    .accept(out(SUB));
    case(
        &mut g,
        m,
        ("nbf-now-plus-1", "core.nbf"),
        Medium,
        "nbf one second after the clock (skew 0)",
        &with(claims(now), json!({"nbf": now + 1})),
    )
    .reject("not_yet_valid");
    g.finish()
}

fn user_payload(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("watson", "user-payload");
    let rule = "watson.user-payload";
    let enc = |text: &str, seed: u64| m.node_rsa_encrypt(SERVICE, text.as_bytes(), seed);
    let with_payload = |p: &str| with(claims(now), json!({"user_payload": p}));
    let small = r#"{"loyalty":"gold","mvp":true}"#;
    let small_ct = enc(small, 1);
    dcase(
        &mut g,
        (m, now),
        "one-block",
        Low,
        "a short JSON object in one OAEP block: decrypted into the output",
        &small_ct,
    )
    .accept(out_payload(SUB, serde_json::from_str(small).unwrap()));
    let (straddle, boundary) = straddling_payload();
    dcase(
        &mut g,
        (m, now),
        "two-blocks-utf8-straddles",
        Medium,
        &format!(
            "a {}-byte JSON object in two blocks of {boundary} + {} bytes; the euro sign's three bytes straddle the boundary, so the blocks are joined before UTF-8 is decoded",
            straddle.len(),
            straddle.len() - boundary
        ),
        &enc(&straddle, 2),
    )
    .accept(out_payload(SUB, serde_json::from_str(&straddle).unwrap()));
    let t601 = json_of_len("note", 601);
    dcase(
        &mut g,
        (m, now),
        "three-blocks-601-bytes",
        Medium,
        "601 bytes: node-rsa makes three chunks of 201, 201 and 199 bytes (not 214 + 214 + 173)",
        &enc(&t601, 3),
    )
    .accept(out_payload(SUB, serde_json::from_str(&t601).unwrap()));
    let t400 = json_of_len("note", 400);
    g.case(
        "two-blocks-3072-bit-key",
        rule,
        Medium,
        "a 3072-bit service key: 384-byte blocks of at most 342 bytes each (400 bytes: 200 + 200)",
    )
    .refs(&["RFC 8017 §7.1"])
    .token(tok(
        m,
        &with_payload(&m.node_rsa_encrypt("rsa-3072-a", t400.as_bytes(), 4)),
    ))
    .context(json!({"keys": [SIGNER], "decryption_key": "rsa-3072-a", "skew": 0}))
    .accept(out_payload(SUB, serde_json::from_str(&t400).unwrap()));
    g.case(
        "no-decryption-key-passes-through",
        rule,
        Low,
        "no decryption key in the context: the ciphertext comes out untouched",
    )
    .token(tok(m, &with_payload(&small_ct)))
    .context(ctx())
    .accept(out_payload(SUB, json!(small_ct)));
    g.case(
        "no-decryption-key-garbage-passes-through",
        rule,
        Low,
        "no decryption key: even text that is not base64 is passed through, not judged",
    )
    .token(tok(m, &with_payload("not base64!")))
    .context(ctx())
    .accept(out_payload(SUB, json!("not base64!")));
    let absent = tok(m, &claims(now));
    g.case(
        "absent-with-decryption-key",
        rule,
        Low,
        "a decryption key configured and no user_payload: none in the output",
    )
    .token(absent)
    .context(ctx_decrypt())
    .accept(out(SUB));
    // Rejections.
    let two = base64::engine::general_purpose::STANDARD
        .decode(enc(&straddle, 5))
        .unwrap();
    let std_b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    dcase(
        &mut g,
        (m, now),
        "truncated-one-byte",
        High,
        "two blocks less their last byte: not a whole number of 256-byte blocks",
        &std_b64(&two[..two.len() - 1]),
    )
    .reject("payload_undecryptable");
    dcase(
        &mut g,
        (m, now),
        "block-and-a-half",
        High,
        "384 bytes: a block and a half",
        &std_b64(&two[..384]),
    )
    .reject("payload_undecryptable");
    let mut corrupt = two.clone();
    corrupt[256 + 100] ^= 0x01;
    dcase(
        &mut g,
        (m, now),
        "second-block-corrupted",
        High,
        "one bit of the second block flipped: its OAEP decoding fails",
        &std_b64(&corrupt),
    )
    .reject("payload_undecryptable");
    dcase(
        &mut g,
        (m, now),
        "blocks-swapped",
        Medium,
        "the two blocks in the wrong order: each decrypts, the joined bytes are not UTF-8 JSON",
        &std_b64(&[&two[256..], &two[..256]].concat()),
    )
    .reject("payload_undecryptable");
    dcase(
        &mut g,
        (m, now),
        "not-json",
        Medium,
        "the plaintext is not JSON (a bare string the customer forgot to stringify)",
        &enc("gold customer", 6),
    )
    .reject("payload_undecryptable");
    dcase(
        &mut g,
        (m, now),
        "not-base64",
        Medium,
        "user_payload is not base64 at all",
        "not base64!",
    )
    .reject("payload_undecryptable");
    dcase(
        &mut g,
        (m, now),
        "empty",
        Medium,
        "user_payload is the empty string: zero blocks",
        "",
    )
    .reject("payload_undecryptable");
    let other_key = m.node_rsa_encrypt(SIGNER, small.as_bytes(), 7);
    dcase(
        &mut g,
        (m, now),
        "encrypted-to-another-key",
        High,
        "encrypted to another public key (the customer's own) than the service's",
        &other_key,
    )
    .reject("payload_undecryptable");
    let pk = m.rsa_private(SERVICE).to_public_key();
    let v15 = pk
        .encrypt(&mut SeededRng(8), rsa::Pkcs1v15Encrypt, small.as_bytes())
        .unwrap();
    dcase(
        &mut g,
        (m, now),
        "pkcs1-v15-scheme",
        Medium,
        "encrypted with node-rsa's other scheme, encryptionScheme 'pkcs1' (PKCS#1 v1.5), not the default OAEP",
        &std_b64(&v15),
    )
    .reject("payload_undecryptable");
    let sha256 = pk
        .encrypt(
            &mut SeededRng(9),
            rsa::Oaep::new::<sha2::Sha256>(),
            small.as_bytes(),
        )
        .unwrap();
    dcase(
        &mut g,
        (m, now),
        "oaep-sha256",
        Medium,
        "RSA-OAEP with SHA-256 (WebCrypto's usual choice), not node-rsa's SHA-1",
        &std_b64(&sha256),
    )
    .reject("payload_undecryptable");
    g.case(
        "not-a-string",
        rule,
        Medium,
        "user_payload is a JSON object (plaintext, not encrypted)",
    )
    .token(tok(
        m,
        &with(claims(now), json!({"user_payload": {"loyalty": "gold"}})),
    ))
    .context(ctx_decrypt())
    .reject("claim_invalid");
    for (name, text, what) in [
        ("json-array", "[\"gold\",\"mvp\"]", "an array"),
        ("json-string", "\"gold\"", "a string"),
        ("json-number", "42", "a number"),
    ] {
        dcase(
            &mut g,
            (m, now),
            name,
            Low,
            &format!("the plaintext is JSON but {what}, not an object"),
            &enc(text, 10),
        )
        .either("payload_undecryptable");
    }
    let padded = (11..)
        .map(|seed| enc(small, seed))
        .find(|c| c.contains('+') && c.contains('/'))
        .unwrap();
    dcase(
        &mut g,
        (m, now),
        "unpadded",
        Low,
        "the standard base64 without its trailing '='",
        padded.trim_end_matches('='),
    )
    .either("payload_undecryptable");
    dcase(
        &mut g,
        (m, now),
        "base64url",
        Low,
        "the same bytes in base64url ('-' and '_', no padding)",
        &b64::encode(
            base64::engine::general_purpose::STANDARD
                .decode(&padded)
                .unwrap(),
        ),
    )
    .either("payload_undecryptable");
    g.finish()
}

/// A case whose token carries `payload` as user_payload, under a context with the service's key.
fn dcase<'g>(
    g: &'g mut Group,
    (m, now): (&Mint<'_>, i64),
    name: &str,
    severity: Severity,
    description: &str,
    payload: &str,
) -> CaseBuilder<'g> {
    g.case(name, "watson.user-payload", severity, description)
        .refs(&["RFC 8017 §7.1"])
        .token(tok(
            m,
            &with(claims(now), json!({ "user_payload": payload })),
        ))
        .context(ctx_decrypt())
}

fn sub_pinning(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("watson", "sub-pinning");
    let rule = "watson.sub-pinning";
    let t = |sub: &str, exp: i64| tok(m, &with(claims(now), json!({"sub": sub, "exp": exp})));
    let ok = |user: &str| expect(Verdict::Accept, None, Some(out(user)));
    let changed = || expect(Verdict::Reject, Some("subject_changed"), None);
    g.case(
        "another-sub-rejected",
        rule,
        Critical,
        "\"After you set the value of the sub claim … you cannot change the claim to another user\": a session pinned to L12345 refuses a token for another user, refreshed or not",
    )
    .context(ctx())
    .step("the first token pins L12345", json!({"token": t(SUB, now + 10)}), None, ok(SUB))
    .step("a token for L99999", json!({"token": t("L99999", now + 10)}), None, changed())
    .step(
        "a refreshed token (later exp) for L99999",
        json!({"token": t("L99999", now + 3600)}),
        None,
        changed(),
    )
    .step(
        "a refreshed token for L12345 goes on",
        json!({"token": t(SUB, now + 3600)}),
        None,
        ok(SUB),
    )
    .scenario();
    let forged = m.jwt(
        "RS256",
        SERVICE,
        &hdr(),
        &with(claims(now), json!({"sub": "L99999"})),
    );
    g.case(
        "rejected-token-does-not-pin",
        rule,
        High,
        "an expired token and a forged one come first and are rejected: neither pins its sub; the first accepted token does, and binds",
    )
    .context(ctx())
    .step(
        "an expired token for L99999",
        json!({"token": t("L99999", now)}),
        None,
        expect(Verdict::Reject, Some("expired"), None),
    )
    .step(
        "a forged token for L99999",
        json!({"token": forged}),
        None,
        expect(Verdict::Reject, Some("bad_signature"), None),
    )
    .step("a token for L12345 pins it", json!({"token": t(SUB, now + 10)}), None, ok(SUB))
    .step("now L99999 is another user", json!({"token": t("L99999", now + 10)}), None, changed())
    .scenario();
    g.finish()
}

fn refresh(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("watson", "refresh");
    let rule = "watson.refresh";
    let t = |exp: i64| tok(m, &with(claims(now), json!({"exp": exp})));
    let ok = || expect(Verdict::Accept, None, Some(out(SUB)));
    let expired = || expect(Verdict::Reject, Some("expired"), None);
    g.case(
        "expired-then-replaced",
        rule,
        Medium,
        "identityTokenExpired: the session's token expires and is rejected; the handler's replacement (same sub) is accepted and the session goes on",
    )
    .context(ctx())
    .step("the first token", json!({"token": t(now + 10)}), None, ok())
    .step("the token has expired (exp = now)", json!({"token": t(now)}), None, expired())
    .step("the replacement token", json!({"token": t(now + 3600)}), None, ok())
    .scenario();
    g.case(
        "no-token-then-provided",
        rule,
        Medium,
        "web chat 3.2+: no token at first (rejected token_missing), then the handler provides one",
    )
    .context(ctx())
    .step(
        "no token yet",
        json!({}),
        None,
        expect(Verdict::Reject, Some("token_missing"), None),
    )
    .step(
        "an expired token",
        json!({"token": t(now - 1)}),
        None,
        expired(),
    )
    .step("the fresh token", json!({"token": t(now + 10)}), None, ok())
    .scenario();
    g.finish()
}
