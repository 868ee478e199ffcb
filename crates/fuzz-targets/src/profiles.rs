//! Targets for the vendor profiles' entry points, with fixed keys and clock.

use arbitrary::Arbitrary;
use serde_json::{json, Map, Value};

use jwtc_verifier::jose::Limits;
use jwtc_verifier::{pendo, watson, Error, KeySet};

use crate::spec::{self, SignAlg, TokenSpec, NOW};

/// A Pendo event around a structured token.
#[derive(Arbitrary, Debug)]
pub struct PendoInput {
    mode: u8,
    id: String,
    jwt: Option<TokenSpec>,
    key_name: Option<bool>,
    metadata: Option<Vec<(String, String)>>,
}

/// Pendo's event check and dedupe. Oracles: a signed event is accepted only with the
/// genuine signature of the named key and in a mode that takes JWTs; an accepted event
/// delivered again is dropped as a duplicate.
pub fn pendo_event(input: PendoInput) {
    let mode = match input.mode % 3 {
        0 => pendo::Mode::Disabled,
        1 => pendo::Mode::Allow,
        _ => pendo::Mode::OnlySigned,
    };
    let mut sub = pendo::Subscription::new(mode);
    let key =
        serde_json::from_str::<Value>(include_str!("../../../vectors/keys/hs256-a.json")).unwrap();
    let mut configured = sub.ring.configure(std::slice::from_ref(&key), &[]);
    assert!(configured.is_empty(), "{configured:?}");
    configured.clear();
    let mut event = Map::new();
    event.insert("id".into(), json!(input.id));
    let mut rendered = None;
    if let Some(spec) = &input.jwt {
        let mut spec = spec.clone();
        spec.sign = SignAlg::HS256;
        let r = spec.render();
        event.insert("jwt".into(), json!(r.token));
        rendered = Some(r);
    }
    match input.key_name {
        Some(true) => {
            event.insert("signingKeyName".into(), json!("hs256-a"));
        }
        Some(false) => {
            event.insert("signingKeyName".into(), json!("not-a-key"));
        }
        None => {}
    }
    if let Some(m) = &input.metadata {
        event.insert(
            "metadata".into(),
            Value::Object(m.iter().map(|(k, v)| (k.clone(), json!(v))).collect()),
        );
    }
    let event = Value::Object(event);
    let Ok(accepted) = sub.receive(&event, NOW) else {
        return;
    };
    if let Some(r) = &rendered {
        assert!(
            mode != pendo::Mode::Disabled,
            "a JWT accepted in disabled mode"
        );
        assert!(r.genuine, "a changed Pendo token accepted: {}", r.token);
        assert_eq!(
            input.key_name,
            Some(true),
            "accepted without naming the signing key"
        );
        if let Some(id) = r
            .claims
            .get("visitor")
            .and_then(|v| v.get("id"))
            .and_then(Value::as_str)
        {
            assert_eq!(
                accepted.to_json()["visitor_id"],
                json!(id),
                "visitor id not from the token"
            );
        }
    } else {
        assert!(
            mode != pendo::Mode::OnlySigned,
            "an unsigned event accepted in only_signed mode"
        );
    }
    assert!(
        matches!(sub.receive(&event, NOW), Err(Error::DuplicateEvent { .. })),
        "an accepted event was accepted twice"
    );
}

/// A Watson token with an optional `user_payload`.
#[derive(Arbitrary, Debug)]
pub struct WatsonInput {
    spec: TokenSpec,
    payload: Option<Payload>,
    decrypt: bool,
}

/// What goes in `user_payload`.
#[derive(Arbitrary, Debug)]
pub enum Payload {
    /// This plaintext encrypted as node-rsa does (OAEP SHA-1, chunked).
    Encrypt(String),
    /// This text as is.
    Raw(String),
}

const SERVICE_KEY: &str = include_str!("../../../vectors/keys/rsa-2048-b.json");

/// node-rsa's chunking: n = ceil(len / (k − 42)) chunks of ceil(len / n) bytes.
fn node_rsa_encrypt(plain: &[u8]) -> String {
    use base64::Engine;
    let public = rsa::RsaPublicKey::from(spec::rsa_private(SERVICE_KEY));
    let max = 256 - 42;
    let n = plain.len().div_ceil(max).max(1);
    let size = plain.len().div_ceil(n).max(1);
    let mut rng = jwtc_vectors::mint::SeededRng(plain.len() as u64);
    let mut out = Vec::new();
    for chunk in plain.chunks(size) {
        out.extend(
            public
                .encrypt(&mut rng, rsa::Oaep::new::<sha1::Sha1>(), chunk)
                .expect("OAEP encryption"),
        );
    }
    if plain.is_empty() {
        out.extend(
            public
                .encrypt(&mut rng, rsa::Oaep::new::<sha1::Sha1>(), b"")
                .expect("OAEP encryption"),
        );
    }
    base64::engine::general_purpose::STANDARD.encode(out)
}

/// Watson's verification. Oracles: an accepted token is genuine, its user id is visible
/// ASCII and it has not expired; a payload encrypted from JSON decrypts to that JSON.
pub fn watson_token(input: WatsonInput) {
    let mut spec = input.spec;
    spec.sign = SignAlg::RS256;
    let mut extra = Map::new();
    let mut plaintext = None;
    match &input.payload {
        Some(Payload::Encrypt(p)) => {
            extra.insert("user_payload".into(), json!(node_rsa_encrypt(p.as_bytes())));
            plaintext = Some(p.clone());
        }
        Some(Payload::Raw(p)) => {
            extra.insert("user_payload".into(), json!(p));
        }
        None => {}
    }
    let r = spec.render_with(&extra);
    let keys: KeySet = spec::trusted(SignAlg::RS256);
    let decryption = input.decrypt.then(|| {
        watson::DecryptionKey::from_jwk(&serde_json::from_str(SERVICE_KEY).unwrap())
            .expect("the service key loads")
    });
    let config = watson::Config {
        limits: Limits::default(),
        ..watson::Config::new(None, keys, decryption, 0).unwrap()
    };
    let Ok(identity) = watson::verify(Some(&r.token), &config, NOW) else {
        return;
    };
    assert!(r.genuine, "a changed Watson token accepted: {}", r.token);
    let out = identity.to_json();
    let user = out["user_id"].as_str().expect("a user id");
    assert!(
        !user.is_empty() && user.bytes().all(|b| (0x21..=0x7e).contains(&b)),
        "user id {user:?}"
    );
    let exp = r
        .claims
        .get("exp")
        .and_then(Value::as_f64)
        .expect("exp is required");
    assert!((NOW as f64) < exp.floor());
    if let (true, Some(p)) = (input.decrypt, plaintext) {
        if let Ok(v) = serde_json::from_str::<Value>(&p) {
            assert_eq!(
                out["user_payload"], v,
                "the payload does not decrypt to what was encrypted"
            );
        }
    }
}
