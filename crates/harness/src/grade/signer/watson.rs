//! The `watson.mint-*` rules judged on a `watson-signer` mint: the identity token the
//! customer's server mints (`{"token"}`) for a request `{"user_id", "payload"?}` under a
//! configuration `{"signing_key": private RSA JWK, "issuer", "ibm_public_key": RSA JWK,
//! "decryption_key": IBM's private RSA JWK}` (the last for grading: a signer uses the
//! public key only).

use base64::Engine;
use serde_json::{Map, Value};

use jwtc_verifier::jose::{self, Limits, Payload};
use jwtc_verifier::watson::{self, Config, DecryptionKey, UserPayload};
use jwtc_verifier::{b64, Alg, Code, Key, KeySet};

use super::{all_fail, decode, id_text, At, Judgement, Judgements, Mint};
use crate::grade::same_json;

/// The watson signer rules, in catalogue order.
pub const RULES: [&str; 6] = [
    "watson.mint-alg",
    "watson.mint-iss",
    "watson.mint-sub",
    "watson.mint-exp",
    "watson.mint-user-payload",
    "watson.mint-verifies",
];

/// The longest lifetime that passes (seconds), and the longest that is `either`.
pub const SHORT_LIFETIME: i64 = 3600;
/// Over [`SHORT_LIFETIME`] up to this is `either`; more fails.
pub const LONGEST_LIFETIME: i64 = 86_400;

/// Judges one mint at the suite clock `now`.
pub fn judge(m: &Mint<'_>, now: i64) -> Judgements {
    judge_at(m, At::suite(now))
}

/// Judges one mint at `at` (the suite clock, or a wall-clock signer's answer time with slack).
pub fn judge_at(m: &Mint<'_>, at: At) -> Judgements {
    let now = at.now;
    let token = match m.output.get("token") {
        Some(Value::String(t)) => t.as_str(),
        other => {
            return all_fail(
                &RULES,
                &format!(
                    "output.token is {}, not a string",
                    other.map_or("missing".to_owned(), Value::to_string)
                ),
            )
        }
    };
    let d = match decode(token) {
        Ok(d) => d,
        Err(e) => return all_fail(&RULES, &format!("the token does not decode: {e}")),
    };
    let mut j = Judgements::new();
    j.insert("watson.mint-alg", alg(m.context, token, &d.header));
    j.insert("watson.mint-iss", iss(m.context, &d.claims));
    j.insert("watson.mint-sub", sub(m.request, &d.claims));
    j.insert("watson.mint-exp", exp(&d.claims, at));
    j.insert("watson.mint-user-payload", payload(m, &d.claims));
    j.insert("watson.mint-verifies", verifies(m, token, now));
    j
}

/// The public half of a private RSA JWK (kty, n, e, kid).
pub fn public_half(jwk: &Value) -> Value {
    let mut out = Map::new();
    for k in ["kty", "n", "e", "kid"] {
        if let Some(v) = jwk.get(k) {
            out.insert(k.into(), v.clone());
        }
    }
    Value::Object(out)
}

/// The modulus length of an RSA JWK in bits; `None` when `n` is missing or not base64url.
pub fn modulus_bits(jwk: &Value) -> Option<usize> {
    let n = b64::decode(jwk.get("n")?.as_str()?).ok()?;
    let first = n.iter().position(|b| *b != 0)?;
    Some((n.len() - first) * 8 - n[first].leading_zeros() as usize)
}

fn signer_keys(context: &Value) -> Result<KeySet, String> {
    let jwk = context
        .get("signing_key")
        .ok_or("context.signing_key is missing")?;
    Key::from_jwk(&public_half(jwk))
        .and_then(|k| KeySet::new(vec![k]))
        .map_err(|e| e.to_string())
}

// rule: watson.mint-alg — RS256 by the configured key, never one under 2048 bits.
fn alg(context: &Value, token: &str, header: &Map<String, Value>) -> Judgement {
    let bits = context.get("signing_key").and_then(modulus_bits);
    if let Some(bits) = bits.filter(|b| *b < 2048) {
        return Judgement::Fail(format!(
            "minted with the configured {bits}-bit key, which must be refused (at least 2048 bits)"
        ));
    }
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Judgement::Fail(format!(
            "header alg {} is not \"RS256\"",
            header.get("alg").map_or("missing".into(), Value::to_string)
        ));
    }
    let keys = match signer_keys(context) {
        Ok(k) => k,
        Err(e) => return Judgement::Fail(format!("cannot judge: the signing key: {e}")),
    };
    let verified = jose::parse(token, &Limits::default(), Payload::JsonObject)
        .and_then(|p| jose::verify_signature(&p, Alg::RS256, &keys).map(|_| ()));
    match verified {
        Ok(()) => Judgement::Pass,
        Err(e) => Judgement::Fail(format!(
            "the RS256 signature does not verify with the configured key's public half: {e}"
        )),
    }
}

// rule: watson.mint-iss — present, the configured issuer.
fn iss(context: &Value, claims: &Map<String, Value>) -> Judgement {
    let want = context.get("issuer");
    match (claims.get("iss"), want) {
        (Some(got), Some(want)) if got == want => Judgement::Pass,
        (None, _) => Judgement::Fail(format!(
            "no iss claim (the configured issuer is {})",
            want.map_or("missing".into(), Value::to_string)
        )),
        (Some(got), want) => Judgement::Fail(format!(
            "iss {got} is not the configured issuer {}",
            want.map_or("missing".into(), Value::to_string)
        )),
    }
}

/// Why a user id cannot be a `sub` (`Err`), or `Ok(true)` when it holds `;` or `=`
/// (`either`), `Ok(false)` when it is fine.
pub fn sub_problem(id: &str) -> Result<bool, String> {
    if id.is_empty() {
        return Err("the user id is empty".into());
    }
    if let Some((at, c)) = id
        .char_indices()
        .find(|(_, c)| !matches!(c, '\x21'..='\x7e'))
    {
        return Err(format!(
            "the user id {id:?} has {c:?} (U+{:04X}) at byte {at}, not visible ASCII",
            c as u32
        ));
    }
    Ok(id.contains([';', '=']))
}

// rule: watson.mint-sub — the requested id; an id that cannot be one is refused.
fn sub(request: &Value, claims: &Map<String, Value>) -> Judgement {
    let want = match id_text(request.get("user_id"), "request.user_id") {
        Ok(Some(w)) => w,
        Ok(None) => return Judgement::Fail("cannot judge: the request has no user_id".into()),
        Err(e) => return Judgement::Fail(format!("cannot judge: {e}")),
    };
    let either = match sub_problem(&want) {
        Err(why) => return Judgement::Fail(format!("minted though {why}: it must be refused")),
        Ok(e) => e,
    };
    match claims.get("sub") {
        Some(Value::String(s)) if *s == want => {
            if either {
                Judgement::Either(format!("sub {want:?} holds ';' or '='"))
            } else {
                Judgement::Pass
            }
        }
        got => Judgement::Fail(format!(
            "sub is {}, not the user id {want:?}",
            got.map_or("missing".into(), Value::to_string)
        )),
    }
}

// rule: watson.mint-exp — short-lived, iat not after now (with the wall clock's slack).
fn exp(claims: &Map<String, Value>, at: At) -> Judgement {
    let At { now, slack } = at;
    let clock = if slack > 0 {
        format!("the wall clock {now} + {slack} s of slack")
    } else {
        format!("now {now}")
    };
    if let Some(iat) = claims.get("iat") {
        match iat.as_f64() {
            Some(i) if i <= (now + slack) as f64 => {}
            _ => return Judgement::Fail(format!("iat {iat} is after {clock}")),
        }
    }
    let Some(exp) = claims.get("exp").and_then(Value::as_f64) else {
        return Judgement::Fail(format!(
            "exp is {}, not a number",
            claims.get("exp").map_or("missing".into(), Value::to_string)
        ));
    };
    let life = exp - now as f64;
    let within = |bound: i64| life <= (bound + slack) as f64;
    if life <= 0.0 {
        Judgement::Fail(format!("lifetime {life} s <= 0 (exp {exp}, {clock})"))
    } else if within(SHORT_LIFETIME) {
        Judgement::Pass
    } else if within(LONGEST_LIFETIME) {
        Judgement::Either(format!("lifetime {life} s > {SHORT_LIFETIME} s"))
    } else {
        Judgement::Fail(format!("lifetime {life} s > {LONGEST_LIFETIME} s"))
    }
}

// rule: watson.mint-user-payload — RSA-OAEP blocks to IBM's key, the app's payload.
fn payload(m: &Mint<'_>, claims: &Map<String, Value>) -> Judgement {
    let asked = m.request.get("payload").filter(|p| !p.is_null());
    let got = claims.get("user_payload");
    let (asked, text) = match (asked, got) {
        (None, None) => return Judgement::Pass,
        (None, Some(_)) => {
            return Judgement::Fail("user_payload present though the app passed no payload".into())
        }
        (Some(_), None) => return Judgement::Fail("no user_payload for the app's payload".into()),
        (Some(a), Some(Value::String(t))) => (a, t.as_str()),
        (Some(_), Some(other)) => {
            return Judgement::Fail(format!("user_payload is {other}, not a string"))
        }
    };
    let key = match m.context.get("decryption_key").map(DecryptionKey::from_jwk) {
        Some(Ok(k)) => k,
        Some(Err(e)) => return Judgement::Fail(format!("cannot judge: decryption_key: {e}")),
        None => return Judgement::Fail("cannot judge: context.decryption_key is missing".into()),
    };
    let clear =
        |bytes: &[u8]| serde_json::from_slice::<Value>(bytes).is_ok_and(|v| same_json(&v, asked));
    if clear(text.as_bytes()) {
        return Judgement::Fail("critical: user_payload is the payload in clear".into());
    }
    let (bytes, url) = match payload_bytes(text) {
        Ok(decoded) => decoded,
        Err(e) => return Judgement::Fail(format!("user_payload is not base64: {e}")),
    };
    if clear(&bytes) {
        return Judgement::Fail(
            "critical: user_payload is the payload only base64-encoded, not encrypted".into(),
        );
    }
    let k = key.block_len();
    if bytes.is_empty() || bytes.len() % k != 0 {
        return Judgement::Fail(format!(
            "user_payload is {} bytes, not whole {k}-byte RSA blocks",
            bytes.len()
        ));
    }
    let mut plain = Vec::new();
    let mut sizes = Vec::new();
    for (i, block) in bytes.chunks(k).enumerate() {
        match key.decrypt(block) {
            Ok(p) => {
                sizes.push(p.len());
                plain.extend(p);
            }
            Err(e) => {
                return Judgement::Fail(format!(
                    "block {} of {} does not decrypt with IBM's key (RSA-OAEP SHA-1): {e}",
                    i + 1,
                    bytes.len() / k
                ))
            }
        }
    }
    match serde_json::from_slice::<Value>(&plain) {
        Ok(v) if same_json(&v, asked) => {}
        Ok(v) => return Judgement::Fail(format!("decrypts to {v}, not the app's payload {asked}")),
        Err(e) => return Judgement::Fail(format!("decrypts to bytes that are not JSON: {e}")),
    }
    let mut either = Vec::new();
    let expected = node_rsa_chunks(plain.len(), k);
    if sizes != expected {
        either.push(format!(
            "blocks carry {sizes:?} bytes, node-rsa's equal chunking {expected:?}"
        ));
    }
    if url {
        either.push("base64url text, not standard base64".into());
    }
    if either.is_empty() {
        Judgement::Pass
    } else {
        Judgement::Either(either.join("; "))
    }
}

/// node-rsa's chunk sizes for `len` bytes under a `k`-byte modulus.
pub fn node_rsa_chunks(len: usize, k: usize) -> Vec<usize> {
    let n = len.div_ceil(k - 42).max(1);
    let size = len.div_ceil(n).max(1);
    if len == 0 {
        return vec![0];
    }
    (0..len).step_by(size).map(|s| size.min(len - s)).collect()
}

/// The bytes of a `user_payload` string: standard base64 (what node-rsa's
/// `encrypt(…, 'base64')` writes), else base64url with or without padding (`true`: judged
/// `either`); the error is standard base64's.
pub fn payload_bytes(text: &str) -> Result<(Vec<u8>, bool), base64::DecodeError> {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
    match STANDARD.decode(text) {
        Ok(b) => Ok((b, false)),
        Err(e) => URL_SAFE_NO_PAD
            .decode(text)
            .or_else(|_| URL_SAFE.decode(text))
            .map(|b| (b, true))
            .map_err(|_| e),
    }
}

// rule: watson.mint-verifies — IBM's verifier accepts; the requested id and payload.
fn verifies(m: &Mint<'_>, token: &str, now: i64) -> Judgement {
    let issuer = m
        .context
        .get("issuer")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let config = signer_keys(m.context).and_then(|keys| {
        let key = m
            .context
            .get("decryption_key")
            .map(DecryptionKey::from_jwk)
            .transpose()
            .map_err(|e| e.to_string())?;
        Config::new(issuer, keys, key, 0).map_err(|e| e.to_string())
    });
    let config = match config {
        Ok(c) => c,
        Err(e) => return Judgement::Fail(format!("cannot judge: the configuration: {e}")),
    };
    let want = id_text(m.request.get("user_id"), "request.user_id")
        .ok()
        .flatten();
    let asked = m.request.get("payload").filter(|p| !p.is_null());
    match watson::verify(Some(token), &config, now) {
        Ok(id) => {
            let payload_ok = match (asked, &id.user_payload) {
                (None, None) => true,
                (Some(a), Some(UserPayload::Decrypted(v))) => same_json(a, v),
                // No decryption key (`jwtc check --role signer` without IBM's private
                // key): the ciphertext is not compared here; mint-user-payload judges it.
                (_, Some(UserPayload::Encrypted(_))) => true,
                _ => false,
            };
            if Some(&id.user_id) != want.as_ref() || !payload_ok {
                return Judgement::Fail(format!(
                    "the verifier reports {}; the request is user {want:?}, payload {}",
                    id.to_json(),
                    asked.map_or("none".into(), Value::to_string)
                ));
            }
            Judgement::Pass
        }
        Err(e) => {
            let why = format!("the reference verifier rejects {}: {e}", e.code().as_str());
            let semi = want.as_deref().is_some_and(|w| sub_problem(w) == Ok(true));
            let not_object = asked.is_some_and(|a| !a.is_object());
            match e.code() {
                Code::ClaimInvalid if semi => Judgement::Either(why),
                Code::PayloadUndecryptable if not_object => Judgement::Either(why),
                _ => Judgement::Fail(why),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_rsa_chunks_are_equal() {
        assert_eq!(node_rsa_chunks(601, 256), vec![201, 201, 199]);
        assert_eq!(node_rsa_chunks(214, 256), vec![214]);
        assert_eq!(node_rsa_chunks(215, 256), vec![108, 107]);
        assert_eq!(node_rsa_chunks(0, 256), vec![0]);
    }

    #[test]
    fn ids_that_cannot_be_a_sub_are_named() {
        assert_eq!(sub_problem("L12345"), Ok(false));
        assert_eq!(sub_problem("a;b"), Ok(true));
        assert!(sub_problem("a b")
            .unwrap_err()
            .contains("' ' (U+0020) at byte 1"));
        assert!(sub_problem("é").unwrap_err().contains("U+00E9"));
        assert!(sub_problem("").is_err());
    }
}
