//! The bodies of jwtc's fuzz targets. `fuzz/fuzz_targets/<name>.rs` calls [`run`] (or the
//! function of the same name) from libFuzzer; `tests/regressions.rs` replays every file in
//! `fuzz/regressions/<name>/` through the same function under plain `cargo test`.
//!
//! Beyond "never panics", the structured targets check oracles: a token whose signature or
//! text was changed never verifies; an accepted token's time claims hold at the clock; the
//! differential target aborts on any verdict disagreement with the jsonwebtoken crate that
//! [`differential::explain`] does not account for.

pub mod differential;
pub mod folder;
pub mod profiles;
pub mod protocol;
pub mod spec;
pub mod testkeys;

use arbitrary::{Arbitrary, Unstructured};
use serde_json::Value;
use std::path::Path;
use std::sync::OnceLock;

use jwtc_verifier::claims::TimeRules;
use jwtc_verifier::jose::{self, Limits, Payload};
use jwtc_verifier::{json, jwt, Key, KeySet};
use spec::{TokenSpec, NOW};

/// Every target, by name (the names of fuzz/fuzz_targets/*.rs).
pub const TARGETS: [&str; 11] = [
    "parse",
    "keys",
    "core_token",
    "vector_file",
    "differential",
    "pendo_event",
    "watson_token",
    "pomerium_headers",
    "coyo_token",
    "protocol_line",
    "vector_folder",
];

/// Runs target `name` on `data`; `false` for an unknown name.
pub fn run(name: &str, data: &[u8]) -> bool {
    match name {
        "parse" => parse(data),
        "keys" => keys(data),
        "core_token" => structured(data, core_token),
        "vector_file" => vector_file(data),
        "differential" => structured(data, differential::differential),
        "pendo_event" => structured(data, profiles::pendo_event),
        "watson_token" => structured(data, profiles::watson_token),
        "pomerium_headers" => structured(data, profiles::pomerium_headers),
        "coyo_token" => structured(data, profiles::coyo_token),
        "protocol_line" => protocol::protocol_line(data),
        "vector_folder" => folder::vector_folder(data),
        _ => return false,
    }
    true
}

fn structured<T: for<'a> Arbitrary<'a>>(data: &[u8], f: impl FnOnce(T)) {
    if let Ok(t) = T::arbitrary_take_rest(Unstructured::new(data)) {
        f(t)
    }
}

/// The compact parser, base64url and strict JSON layers: any bytes, no panic, the
/// parser's verdicts are consistent with the layers beneath it, and both base64url
/// decoders agree.
pub fn parse(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let limits = Limits::default();
    for payload in [Payload::JsonObject, Payload::Bytes] {
        if let Ok(p) = jose::parse(&text, &limits, payload) {
            // A parsed token re-encodes to exactly its own text (canonical base64url).
            let mut segs = text.split('.');
            let h = segs.next().unwrap_or_default();
            assert_eq!(
                jwtc_verifier::b64::decode(h)
                    .ok()
                    .map(|b| json::parse_object(&b, 64).is_ok()),
                Some(true)
            );
            assert_eq!(
                p.signing_input.len() + 1 + segs.nth(1).map_or(0, str::len),
                text.len()
            );
        }
    }
    let _ = json::parse_value(data, json::DEFAULT_MAX_DEPTH);
    object_agrees(data);
    // The fast decoder (base64-simd) answers exactly as the reference (the base64 crate),
    // on the whole text and on each dot-separated part.
    for part in std::iter::once(&*text).chain(text.split('.')) {
        assert_eq!(
            jwtc_verifier::b64::decode(part),
            jwtc_verifier::b64::decode_slow(part),
            "{part:?}"
        );
    }
}

/// The lazily read object (a JWT's claims) accepts exactly what the building parser
/// accepts, refuses with the same message, and reads every member as the map holds it.
pub fn object_agrees(data: &[u8]) {
    for depth in [json::DEFAULT_MAX_DEPTH, 2] {
        match (
            json::parse_object(data, depth),
            json::Object::parse(data.to_vec(), depth),
        ) {
            (Ok(map), Ok(object)) => {
                assert_eq!(object.to_map(), map);
                for (name, value) in &map {
                    assert_eq!(object.get(name).as_ref(), Some(value), "member {name:?}");
                }
            }
            (Err(a), Err(b)) => assert_eq!(a, b),
            (a, b) => panic!("parse_object {a:?} but Object::parse {b:?}"),
        }
    }
}

/// JWK, JWK Set and PEM parsing: any input, no panic; a loaded key set has only keys that load alone.
pub fn keys(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(v) = serde_json::from_slice::<Value>(data) {
        let _ = Key::from_jwk(&v);
        if let Ok((set, refused)) = KeySet::from_jwks(&v) {
            let listed = v["keys"].as_array().map_or(0, Vec::len);
            assert_eq!(set.keys().len() + refused.len(), listed);
        }
    }
    let _ = Key::from_pem(&text, Some("fuzz"));
}

/// The core profile behind a valid signature, with oracles.
pub fn core_token(spec: TokenSpec) {
    let r = spec.render();
    let policy = jwt::Policy {
        alg: spec.sign.alg(),
        time: TimeRules::lenient(0),
        limits: Limits::default(),
    };
    let result = jwt::verify(&r.token, &spec::trusted(spec.sign), &policy, NOW);
    let Ok(v) = result else { return };
    assert!(r.genuine, "a changed token verified: {}", r.token);
    assert_eq!(
        v.header.get("alg").as_ref().and_then(Value::as_str),
        Some(spec.sign.name()),
        "accepted with another alg"
    );
    if let Some(exp) = v.claims.get("exp").as_ref().and_then(Value::as_f64) {
        assert!(
            (NOW as f64) < exp.floor(),
            "accepted with exp {exp} at now {NOW}"
        );
    }
    if let Some(nbf) = v.claims.get("nbf").as_ref().and_then(Value::as_f64) {
        assert!(
            nbf.ceil() <= NOW as f64,
            "accepted with nbf {nbf} at now {NOW}"
        );
    }
    // The claims must be the signed text as serde_json reads it, floats to the last bit
    // (serde_json's `float_roundtrip` is on: `fuzz/regressions/core_token/float-claim-one-ulp`).
    assert_eq!(
        v.claims.to_map(),
        r.claims,
        "the verified claims are not the claims signed"
    );
}

fn vector_env() -> &'static jwtc_vectors::keystore::KeyStore {
    static ENV: OnceLock<jwtc_vectors::keystore::KeyStore> = OnceLock::new();
    // Embedded, so the target runs where the source tree is absent (ClusterFuzzLite).
    ENV.get_or_init(|| {
        let keys = [
            (
                "hs256-a",
                include_str!("../../../vectors/keys/hs256-a.json"),
            ),
            (
                "rsa-2048-a",
                include_str!("../../../vectors/keys/rsa-2048-a.json"),
            ),
            ("p256-a", include_str!("../../../vectors/keys/p256-a.json")),
        ]
        .into_iter()
        .map(|(n, t)| (n.to_owned(), serde_json::from_str(t).expect("a test key")));
        jwtc_vectors::keystore::KeyStore::from_entries(keys)
    })
}

/// The vector-file loader: any text; a file either loads or every error names the file.
pub fn vector_file(data: &[u8]) {
    let keys = vector_env();
    let text = String::from_utf8_lossy(data);
    let path = Path::new("vectors/core/alg.json");
    if let Err(errors) = jwtc_vectors::load::parse_file(&text, path, keys) {
        assert!(!errors.is_empty());
        assert!(
            errors
                .iter()
                .all(|e| e.starts_with("vectors/core/alg.json")),
            "{errors:?}"
        );
    }
}
