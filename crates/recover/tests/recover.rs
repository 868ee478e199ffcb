//! RSA key recovery on the suite's fixed test keys (vectors/keys): the recovered modulus is
//! the key's own, the EMSA block is what the key's signatures open to, and every bad input
//! gets its own error.

use std::path::PathBuf;

use jwtc_recover::emsa;
use jwtc_recover::modulus::{self, Error};
use jwtc_vectors::keystore::KeyStore;
use jwtc_vectors::mint::Mint;
use jwtc_verifier::{b64, Alg};
use serde_json::json;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn keys() -> KeyStore {
    KeyStore::load(&root().join("vectors/keys")).unwrap()
}

/// A token of `alg` under the test key `key`, with claims `sub`.
fn token(keys: &KeyStore, alg: &str, key: &str, sub: &str) -> String {
    Mint::new(keys).jwt(
        alg,
        key,
        &json!({"alg": alg, "typ": "JWT"}),
        &json!({"sub": sub}),
    )
}

fn member(keys: &KeyStore, key: &str, name: &str) -> Vec<u8> {
    b64::decode(keys.public_jwk(key).unwrap()[name].as_str().unwrap()).unwrap()
}

/// One full recovery and its checks (the key's n, e, PEM file and JWK).
#[cfg(feature = "malachite")]
fn recovers(key: &str, alg: &str) {
    let keys = keys();
    let (a, b) = (
        token(&keys, alg, key, "alice"),
        token(&keys, alg, key, "bob"),
    );
    let found = modulus::recover(&a, &b).unwrap_or_else(|e| panic!("{key} {alg}: {e}"));
    assert_eq!(found.n, member(&keys, key, "n"), "{key} {alg}: the modulus");
    assert_eq!(found.e, 65537, "{key} {alg}");
    assert_eq!(found.alg.name(), alg);
    assert_eq!(
        found.bits as usize,
        found.n.len() * 8,
        "{key}: the suite's keys are full size"
    );
    let pem = std::fs::read_to_string(root().join(format!("vectors/keys/{key}.pub.pem"))).unwrap();
    assert_eq!(
        found.pem.trim(),
        pem.trim(),
        "{key}: the PEM is the key's .pub.pem"
    );
    let jwk = keys.public_jwk(key).unwrap();
    assert_eq!(
        (&found.jwk["kty"], &found.jwk["n"], &found.jwk["e"]),
        (&jwk["kty"], &jwk["n"], &jwk["e"])
    );
}

#[cfg(feature = "malachite")]
#[test]
fn two_rs256_tokens_of_the_1024_bit_key_give_its_modulus() {
    recovers("rsa-1024-a", "RS256");
}

#[cfg(feature = "malachite")]
#[test]
#[ignore = "a 2048-bit recovery takes about 2 min on this 2-core machine with its cores shared (docs/attack-recovery.md); run with --ignored --release"]
fn two_tokens_of_each_2048_bit_key_give_its_modulus() {
    for (key, alg) in [
        ("rsa-2048-a", "RS256"),
        ("rsa-2048-b", "RS384"),
        ("rsa-2048-c", "RS512"),
    ] {
        recovers(key, alg);
    }
}

/// The block recovery subtracts is exactly what each key's signature opens to
/// (s^e mod n), for every digest: checked with the key, so no gcd is needed.
#[test]
fn the_emsa_block_is_what_the_signature_opens_to() {
    let keys = keys();
    for key in ["rsa-1024-a", "rsa-2048-a", "rsa-3072-a"] {
        let n = rsa::BigUint::from_bytes_be(&member(&keys, key, "n"));
        let e = rsa::BigUint::from_bytes_be(&member(&keys, key, "e"));
        for alg in ["RS256", "RS384", "RS512"] {
            let t = jwtc_recover::token::parse(&token(&keys, alg, key, "carol"), "t").unwrap();
            let opened = rsa::BigUint::from_bytes_be(&t.signature).modpow(&e, &n);
            let em = emsa::encode(Alg::parse(alg).unwrap(), &t.input, t.signature.len()).unwrap();
            assert_eq!(opened, rsa::BigUint::from_bytes_be(&em), "{key} {alg}");
        }
    }
}

#[test]
fn bad_pairs_get_an_error_naming_what_was_found() {
    let keys = keys();
    let t = |alg: &str, key: &str, sub: &str| token(&keys, alg, key, sub);
    let rs = t("RS256", "rsa-2048-a", "alice");
    let cases: Vec<(&str, String, String, Error, &str)> = vec![
        (
            "not a JWT",
            "abc".into(),
            rs.clone(),
            modulus::recover("abc", &rs).unwrap_err(),
            "the first token is not a compact JWS: 1 dot-separated segment(s)",
        ),
        (
            "HS256",
            rs.clone(),
            t("HS256", "hs256-a", "x"),
            Error::NotRs {
                which: "the second token",
                alg: "HS256",
            },
            "the second token is HS256, not an RSA PKCS#1 v1.5 token",
        ),
        (
            "ES256",
            t("ES256", "p256-a", "x"),
            rs.clone(),
            Error::NotRs {
                which: "the first token",
                alg: "ES256",
            },
            "the first token is ES256",
        ),
        (
            "PS256",
            t("PS256", "rsa-2048-a", "x"),
            rs.clone(),
            Error::Pss {
                which: "the first token",
                alg: "PS256",
            },
            "RSASSA-PSS salts the signed block",
        ),
        (
            "two algorithms",
            rs.clone(),
            t("RS384", "rsa-2048-a", "x"),
            Error::Algs {
                first: "RS256",
                second: "RS384",
            },
            "different algorithms (RS256 and RS384)",
        ),
        (
            "two key sizes",
            rs.clone(),
            t("RS256", "rsa-3072-a", "x"),
            Error::Lengths {
                first: 256,
                second: 384,
            },
            "signatures are 256 and 384 bytes long",
        ),
        (
            "one message twice",
            rs.clone(),
            rs.clone(),
            Error::Same,
            "both tokens sign the same header.payload",
        ),
    ];
    for (name, first, second, expected, text) in cases {
        let got = modulus::recover(&first, &second).unwrap_err();
        assert_eq!(got, expected, "{name}");
        assert!(got.to_string().contains(text), "{name}: {got}");
    }
}

#[test]
fn a_signature_of_a_size_no_key_recovery_takes_is_refused() {
    let keys = keys();
    let rs = token(&keys, "RS256", "rsa-2048-a", "alice");
    let (head, _) = rs.rsplit_once('.').unwrap();
    for bytes in [0usize, 64, 513] {
        let forged = format!("{head}.{}", b64::encode(vec![7u8; bytes]));
        let other = format!(
            "{}.{}",
            token(&keys, "RS256", "rsa-2048-a", "bob")
                .rsplit_once('.')
                .unwrap()
                .0,
            b64::encode(vec![9u8; bytes])
        );
        let got = modulus::recover(&forged, &other).unwrap_err();
        assert_eq!(got, Error::Length { bytes }, "{bytes}");
        assert!(
            got.to_string().contains(&format!("{bytes} bytes long")),
            "{got}"
        );
    }
}

/// Tokens of two keys (e = 3 only, so the gcd is of 6144-bit numbers and quick): no key,
/// and the error says what the gcd was.
#[cfg(feature = "malachite")]
#[test]
fn tokens_of_two_keys_give_no_key_and_say_what_the_gcd_was() {
    let keys = keys();
    let a = token(&keys, "RS256", "rsa-2048-a", "alice");
    let b = token(&keys, "RS256", "rsa-2048-b", "bob");
    let got = modulus::recover_with(&a, &b, &[3]).unwrap_err();
    let Error::NoKey {
        alg,
        bytes,
        attempts,
    } = &got
    else {
        panic!("{got}")
    };
    assert_eq!(
        (*alg, *bytes, attempts.len(), attempts[0].e),
        ("RS256", 256, 1, 3)
    );
    let text = got.to_string();
    assert!(
        text.contains(
            "no RSA key verifies both tokens (RS256, 256-byte signatures): e = 3: the gcd has "
        ),
        "{text}"
    );
    assert!(
        text.contains("not the 2041..=2048 bits of a modulus"),
        "{text}"
    );
}

#[cfg(not(feature = "malachite"))]
#[test]
fn without_the_feature_recovery_says_it_is_not_built() {
    let keys = keys();
    let a = token(&keys, "RS256", "rsa-2048-a", "alice");
    let b = token(&keys, "RS256", "rsa-2048-a", "bob");
    let got = modulus::recover(&a, &b).unwrap_err();
    assert_eq!(got, Error::NotBuilt);
    assert!(got.to_string().contains("`malachite` feature"), "{got}");
}
