//! Properties of the parser and verifier (issue 3, item 8): arbitrary input never
//! panics; a minted token verifies; flipping any byte of a valid token rejects it;
//! base64url decoding accepts only canonical encodings.

use hmac::{Hmac, Mac};
use p256::ecdsa::signature::Signer;
use proptest::prelude::*;
use serde_json::{json, Value};
use sha2::Sha256;

use jwtc_verifier::claims::TimeRules;
use jwtc_verifier::jose::Limits;
use jwtc_verifier::{b64, jwt, Alg, Key, KeySet};

const NOW: i64 = 1_767_225_600;

fn jwk(name: &str) -> Value {
    let path = format!(
        "{}/../../vectors/keys/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn hs_secret() -> Vec<u8> {
    b64::decode(jwk("hs256-a")["k"].as_str().unwrap()).unwrap()
}

fn es_key() -> p256::ecdsa::SigningKey {
    p256::ecdsa::SigningKey::from_slice(&b64::decode(jwk("p256-a")["d"].as_str().unwrap()).unwrap())
        .unwrap()
}

fn keyset(name: &str) -> KeySet {
    KeySet::new(vec![Key::from_jwk(&jwk(name)).unwrap()]).unwrap()
}

fn policy(alg: Alg) -> jwt::Policy {
    jwt::Policy {
        alg,
        time: TimeRules::lenient(0),
        limits: Limits::default(),
    }
}

fn mint(alg: Alg, claims: &Value) -> String {
    let header = json!({"alg": alg.name()});
    let input = format!(
        "{}.{}",
        b64::encode(header.to_string()),
        b64::encode(claims.to_string())
    );
    let sig = match alg {
        Alg::HS256 => {
            let mut m = <Hmac<Sha256> as Mac>::new_from_slice(&hs_secret()).unwrap();
            m.update(input.as_bytes());
            m.finalize().into_bytes().to_vec()
        }
        Alg::ES256 => {
            let s: p256::ecdsa::Signature = es_key().sign(input.as_bytes());
            s.to_bytes().to_vec()
        }
        _ => unreachable!(),
    };
    format!("{input}.{}", b64::encode(sig))
}

fn claims_strategy() -> impl Strategy<Value = Value> {
    (
        "[ -~]{0,40}",
        proptest::option::of(1i64..1_000_000),
        proptest::collection::btree_map("[a-z]{1,8}", "[ -~]{0,16}", 0..4),
    )
        .prop_map(|(sub, exp_ahead, extra)| {
            let mut c = json!({"sub": sub});
            if let Some(a) = exp_ahead {
                c["exp"] = json!(NOW + a);
            }
            for (k, v) in extra {
                if !matches!(k.as_str(), "exp" | "nbf" | "iat" | "sub") {
                    c[k] = json!(v);
                }
            }
            c
        })
}

fn either_alg() -> impl Strategy<Value = (Alg, &'static str)> {
    prop_oneof![Just((Alg::HS256, "hs256-a")), Just((Alg::ES256, "p256-a"))]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let token = String::from_utf8_lossy(&bytes);
        for (alg, key) in [(Alg::HS256, "hs256-a"), (Alg::ES256, "p256-a")] {
            let _ = jwt::verify(&token, &keyset(key), &policy(alg), NOW);
        }
    }

    #[test]
    fn arbitrary_segments_never_panic(h in "[A-Za-z0-9_=+/ -]{0,80}", p in "[A-Za-z0-9_-]{0,80}", s in "[A-Za-z0-9_-]{0,100}") {
        let token = format!("{h}.{p}.{s}");
        prop_assert!(jwt::verify(&token, &keyset("hs256-a"), &policy(Alg::HS256), NOW).is_err());
    }

    #[test]
    fn arbitrary_json_never_panics(header in "\\PC{0,60}", claims in "\\PC{0,60}") {
        let token = format!("{}.{}.{}", b64::encode(header), b64::encode(claims), b64::encode([0u8; 32]));
        let _ = jwt::verify(&token, &keyset("hs256-a"), &policy(Alg::HS256), NOW);
    }

    #[test]
    fn a_minted_token_verifies((alg, key) in either_alg(), claims in claims_strategy()) {
        let token = mint(alg, &claims);
        let v = jwt::verify(&token, &keyset(key), &policy(alg), NOW);
        prop_assert!(v.is_ok(), "{:?}", v.err());
        prop_assert_eq!(Value::Object(v.unwrap().claims.to_map()), claims);
    }

    #[test]
    fn flipping_any_byte_rejects((alg, key) in either_alg(), claims in claims_strategy(), at in any::<prop::sample::Index>(), flip in 1u8..=255) {
        let token = mint(alg, &claims);
        let mut bytes = token.into_bytes();
        let i = at.index(bytes.len());
        bytes[i] ^= flip;
        if let Ok(changed) = String::from_utf8(bytes) {
            prop_assert!(jwt::verify(&changed, &keyset(key), &policy(alg), NOW).is_err(), "byte {} flipped by {:#x} still verifies", i, flip);
        }
    }

    #[test]
    fn base64url_decode_accepts_only_canonical_encodings(s in "[A-Za-z0-9_=+/ -]{0,24}") {
        if let Ok(bytes) = b64::decode(&s) {
            prop_assert_eq!(b64::encode(&bytes), s);
        }
    }

    #[test]
    fn base64url_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        prop_assert_eq!(b64::decode(&b64::encode(&bytes)).unwrap(), bytes);
    }
}
