//! Vectors `watson/user-payload.json`, rule `watson.user-payload`: RSA-OAEP `user_payload`
//! as node-rsa makes it.

use base64::Engine;
use serde_json::{json, Value};

use super::{claims, ctx, out, tok, SERVICE, SIGNER, SUB};
use crate::generate::{with, CaseBuilder, Group};
use crate::mint::{Mint, SeededRng};
use crate::model::Severity::{self, High, Low, Medium};
use crate::model::VectorFile;
use jwtc_verifier::b64;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
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

fn ctx_decrypt() -> Value {
    json!({"keys": [SIGNER], "decryption_key": SERVICE, "skew": 0})
}

fn out_payload(user: &str, payload: Value) -> Value {
    json!({ "user_id": user, "user_payload": payload })
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
