//! The unit tests of profile `watson`: the token, its claims, `user_payload`'s decryption,
//! the keys, the session.

use base64::Engine;
use rsa::rand_core::{CryptoRng, RngCore};
use rsa::traits::PublicKeyParts;
use serde_json::{json, Value};

use super::payload::STANDARD_PADDED;
use super::*;
use crate::Code;

const NOW: i64 = 1_767_225_600;

/// splitmix64, a fixed-seed generator for OAEP seeds in tests (never for keys).
struct Rng(u64);
impl RngCore for Rng {
    fn next_u32(&mut self) -> u32 {
        self.next_u64() as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for b in dest {
            *b = self.next_u64() as u8;
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rsa::rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}
impl CryptoRng for Rng {}

fn jwk(name: &str) -> Value {
    let text = match name {
        "rsa-2048-a" => include_str!("../../../../vectors/keys/rsa-2048-a.json"),
        "rsa-2048-b" => include_str!("../../../../vectors/keys/rsa-2048-b.json"),
        "rsa-1024-a" => include_str!("../../../../vectors/keys/rsa-1024-a.json"),
        "p256-a" => include_str!("../../../../vectors/keys/p256-a.json"),
        "hs256-a" => include_str!("../../../../vectors/keys/hs256-a.json"),
        other => panic!("no test key {other}"),
    };
    serde_json::from_str(text).unwrap()
}

fn private(name: &str) -> rsa::RsaPrivateKey {
    let j = jwk(name);
    let int =
        |m: &str| rsa::BigUint::from_bytes_be(&crate::b64::decode(j[m].as_str().unwrap()).unwrap());
    rsa::RsaPrivateKey::from_components(int("n"), int("e"), int("d"), vec![int("p"), int("q")])
        .unwrap()
}

/// node-rsa's chunking: n = ceil(len / (k - 42)) chunks of ceil(len / n) bytes.
fn node_rsa_encrypt(key: &rsa::RsaPrivateKey, msg: &[u8], seed: u64) -> String {
    let max = key.size() - 42;
    let n = msg.len().div_ceil(max).max(1);
    let size = msg.len().div_ceil(n).max(1);
    let mut rng = Rng(seed);
    let chunks: Vec<&[u8]> = if msg.is_empty() {
        vec![msg]
    } else {
        msg.chunks(size).collect()
    };
    let mut out = Vec::new();
    for chunk in chunks {
        out.extend(
            key.to_public_key()
                .encrypt(&mut rng, rsa::Oaep::new::<sha1::Sha1>(), chunk)
                .unwrap(),
        );
    }
    STANDARD_PADDED.encode(out)
}

fn sign(claims: Value) -> String {
    use sha2::{Digest, Sha256};
    let key = private("rsa-2048-a");
    let h = crate::b64::encode(r#"{"alg":"RS256","typ":"JWT"}"#);
    let p = crate::b64::encode(claims.to_string());
    let input = format!("{h}.{p}");
    let sig = key
        .sign(
            rsa::Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(input.as_bytes()),
        )
        .unwrap();
    format!("{input}.{}", crate::b64::encode(sig))
}

fn config(decrypt: bool) -> Config {
    let (keys, refused) = load_keys(&[jwk("rsa-2048-a")]).unwrap();
    assert!(refused.is_empty());
    let dk = decrypt.then(|| DecryptionKey::from_jwk(&jwk("rsa-2048-b")).unwrap());
    Config::new(None, keys, dk, 0).unwrap()
}

fn code(r: Result<Identity, Error>) -> Code {
    r.unwrap_err().code()
}

#[test]
fn sub_is_visible_ascii_without_separators() {
    assert!(check_sub("L12345").is_ok());
    assert!(check_sub("!~").is_ok());
    for bad in [
        "",
        "a b",
        "a\tb",
        "a\u{7f}",
        "caf\u{e9}",
        "a;b",
        "a=b",
        "a\nb",
    ] {
        let e = check_sub(bad).unwrap_err();
        assert_eq!(e.code(), Code::ClaimInvalid, "{bad:?}");
    }
    let e = check_sub("ab\u{e9}").unwrap_err().to_string();
    assert!(e.contains("U+00E9") && e.contains("byte 2"), "{e}");
}

#[test]
fn two_block_payload_with_a_straddling_character_decrypts() {
    let cfg = config(true);
    let key = private("rsa-2048-b");
    // 214 bytes a block for 2048 bits: put a 3-byte character across the 1st boundary.
    let mut text = String::from("{\"note\":\"");
    while text.len() < 212 {
        text.push('x');
    }
    text.push('\u{20ac}'); // bytes 212..215
    while text.len() < 300 {
        text.push('y');
    }
    text.push_str("\"}");
    let ct = node_rsa_encrypt(&key, text.as_bytes(), 7);
    assert_eq!(STANDARD_PADDED.decode(&ct).unwrap().len(), 512);
    let token = sign(json!({"iss": "i", "sub": "u", "exp": NOW + 10, "user_payload": ct}));
    let id = verify(Some(&token), &cfg, NOW).unwrap();
    let want: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(id.user_payload, Some(UserPayload::Decrypted(want)));
    // Without a decryption key the ciphertext passes through.
    let id = verify(Some(&token), &config(false), NOW).unwrap();
    assert_eq!(id.user_payload, Some(UserPayload::Encrypted(ct)));
}

#[test]
fn bad_payloads_are_specific() {
    let cfg = config(true);
    let dk = cfg.decryption_key.as_ref().unwrap();
    let key = private("rsa-2048-b");
    let one = node_rsa_encrypt(&key, br#"{"a":1}"#, 1);
    assert_eq!(decrypt_user_payload(&one, dk).unwrap(), json!({"a": 1}));
    let msg = |t: &str| decrypt_user_payload(t, dk).unwrap_err().to_string();
    assert!(msg("not base64!").contains("not canonical padded standard base64"));
    assert!(msg(one.trim_end_matches('=')).contains("base64"));
    let bytes = STANDARD_PADDED.decode(&one).unwrap();
    let short = STANDARD_PADDED.encode(&bytes[..255]);
    assert!(
        msg(&short).contains("255 bytes, not a whole number"),
        "{}",
        msg(&short)
    );
    let mut flipped = bytes.clone();
    flipped[10] ^= 0x40;
    assert!(msg(&STANDARD_PADDED.encode(flipped)).contains("block 1 of 1: OAEP decoding failed"));
    // Encrypted to another key: the mismatch is a verdict, not a panic.
    let other = node_rsa_encrypt(&private("rsa-2048-a"), br#"{"a":1}"#, 2);
    assert!(msg(&other).contains("OAEP decoding failed"));
    assert!(msg(&node_rsa_encrypt(&key, b"not json", 3)).contains("not JSON"));
    assert!(msg(&node_rsa_encrypt(&key, b"[1,2]", 4)).contains("JSON array, not an object"));
    assert!(msg(&node_rsa_encrypt(&key, b"\xff\xfe", 5)).contains("not UTF-8 (at byte 0)"));
    assert!(msg(&node_rsa_encrypt(&key, br#"{"a":1,"a":2}"#, 6)).contains("not JSON"));
    assert!(msg(&node_rsa_encrypt(&key, b"\xef\xbb\xbf{}", 7)).contains("byte order mark"));
    let wrapped = format!("{}\n{}", &one[..64], &one[64..]);
    assert!(msg(&wrapped).contains("not canonical padded standard base64"));
    for e in [
        decrypt_user_payload("", dk).unwrap_err(),
        decrypt_user_payload(&short, dk).unwrap_err(),
    ] {
        assert_eq!(e.code(), Code::PayloadUndecryptable);
    }
}

#[test]
fn claims_and_token() {
    let cfg = config(false);
    let ok = json!({"iss": "yourdomain.com", "sub": "some-user-id", "exp": NOW + 1});
    let id = verify(Some(&sign(ok.clone())), &cfg, NOW).unwrap();
    assert_eq!(id.to_json(), json!({"user_id": "some-user-id"}));
    assert_eq!(code(verify(None, &cfg, NOW)), Code::TokenMissing);
    assert_eq!(code(verify(Some(""), &cfg, NOW)), Code::TokenMissing);
    let at = |exp: i64| {
        code(verify(
            Some(&sign(json!({"iss": "i", "sub": "s", "exp": exp}))),
            &cfg,
            NOW,
        ))
    };
    assert_eq!(at(NOW), Code::Expired);
    let no_exp = sign(json!({"iss": "i", "sub": "s"}));
    assert_eq!(code(verify(Some(&no_exp), &cfg, NOW)), Code::ClaimMissing);
    let no_iss = sign(json!({"sub": "s", "exp": NOW + 1}));
    assert_eq!(code(verify(Some(&no_iss), &cfg, NOW)), Code::ClaimMissing);
    let mut with_issuer = cfg.clone();
    with_issuer.issuer = Some("YourDomain.com".into());
    let e = verify(Some(&sign(ok)), &with_issuer, NOW).unwrap_err();
    assert_eq!(e.code(), Code::IssuerMismatch);
    assert!(e.to_string().contains("\"yourdomain.com\""), "{e}");
}

#[test]
fn session_pins_the_subject() {
    let cfg = config(false);
    let tok = |sub: &str, exp: i64| sign(json!({"iss": "i", "sub": sub, "exp": exp}));
    let mut s = Session::new();
    s.verify(Some(&tok("a", NOW + 5)), &cfg, NOW).unwrap();
    assert_eq!(s.user_id(), Some("a"));
    let e = s.verify(Some(&tok("b", NOW + 5)), &cfg, NOW).unwrap_err();
    assert_eq!(e.code(), Code::SubjectChanged);
    assert!(s.verify(Some(&tok("a", NOW + 60)), &cfg, NOW).is_ok());
    // A rejected token never pins.
    let mut fresh = Session::new();
    assert!(fresh.verify(Some(&tok("b", NOW)), &cfg, NOW).is_err());
    assert!(fresh.verify(Some(&tok("c", NOW + 1)), &cfg, NOW).is_ok());
}

#[test]
fn keys_of_the_wrong_kind_are_configuration_errors() {
    let (set, refused) = load_keys(&[jwk("rsa-2048-a"), jwk("p256-a"), jwk("rsa-1024-a")]).unwrap();
    assert_eq!(set.keys().len(), 1);
    assert_eq!(refused.len(), 2);
    assert!(refused.iter().all(|e| e.code() == Code::Config));
    assert!(refused[0].to_string().contains("p256-a"), "{}", refused[0]);
    // The HMAC key alone: refused, so the set is empty rather than mixed.
    let (set, refused) = load_keys(&[jwk("hs256-a")]).unwrap();
    assert!(set.keys().is_empty() && refused.len() == 1);

    let pub_only = {
        let mut j = jwk("rsa-2048-b");
        for m in ["d", "p", "q", "dp", "dq", "qi"] {
            j.as_object_mut().unwrap().remove(m);
        }
        j
    };
    let e = DecryptionKey::from_jwk(&pub_only).unwrap_err();
    assert!(e.to_string().contains("\"d\" missing"), "{e}");
    let e = DecryptionKey::from_jwk(&jwk("p256-a")).unwrap_err();
    assert!(e.to_string().contains("must be RSA"), "{e}");
    let e = DecryptionKey::from_jwk(&jwk("rsa-1024-a")).unwrap_err();
    assert!(e.to_string().contains("at least 2048"), "{e}");
    // A private exponent that belongs to another key: refused at load, named.
    let mut mixed = jwk("rsa-2048-b");
    mixed["d"] = jwk("rsa-2048-a")["d"].clone();
    let e = DecryptionKey::from_jwk(&mixed).unwrap_err();
    assert_eq!(e.code(), Code::Config);
    assert!(e.to_string().contains("rsa-2048-b"), "{e}");
    // Primes that do not multiply to n.
    let mut wrong_p = jwk("rsa-2048-b");
    wrong_p["p"] = jwk("rsa-2048-a")["p"].clone();
    assert_eq!(
        DecryptionKey::from_jwk(&wrong_p).unwrap_err().code(),
        Code::Config
    );
    let mut one_prime = jwk("rsa-2048-b");
    one_prime.as_object_mut().unwrap().remove("q");
    assert!(DecryptionKey::from_jwk(&one_prime).is_err());
    assert!(DecryptionKey::from_jwk(&json!("rsa")).is_err());
    // The private part recovered from n, e, d alone.
    let mut no_primes = jwk("rsa-2048-b");
    for m in ["p", "q", "dp", "dq", "qi"] {
        no_primes.as_object_mut().unwrap().remove(m);
    }
    let dk = DecryptionKey::from_jwk(&no_primes).unwrap();
    assert_eq!(dk.block_len(), 256);
    let text = node_rsa_encrypt(&private("rsa-2048-b"), br#"{"a":1}"#, 7);
    assert_eq!(decrypt_user_payload(&text, &dk).unwrap(), json!({"a": 1}));
    assert!(Config::new(None, KeySet::default(), None, -1).is_err());
}
