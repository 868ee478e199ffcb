//! Fixtures for the criterion benches of `cargo xtask bench` (benches/benches/*.rs): one
//! claims set of about 360 bytes (`benches/claims.json`), the suite clock, the test keys
//! of `vectors/keys/`, one token per algorithm (HS256, RS256, ES256) signed once, and the
//! verifier's configuration for the generic `core` profile and each vendor profile, with
//! keys parsed once by the crypto backend in force ([`jwtc_verifier::crypto::with_backend`]).
//!
//! The claims satisfy every profile at once (Pendo's `nonce` and `visitor`, Watson's `sub`,
//! Pomerium's `aud`/`iss`/`iat`), so the same token bytes run through the raw primitive,
//! every profile, and jsonwebtoken. `exp` is in 2100: jsonwebtoken reads the wall clock,
//! the reference takes the suite clock, and both must accept.

use std::path::{Path, PathBuf};

#[cfg(feature = "bench")]
pub mod raw;

use base64::Engine;
use hmac::Mac;
use p256::ecdsa::signature::Signer;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use jwtc_verifier::claims::TimeRules;
use jwtc_verifier::jose::Limits;
use jwtc_verifier::net::{CachePolicy, JwksCache, NoNetwork};
use jwtc_verifier::{b64, coyo, jwt, pendo, pomerium, watson, Alg, Error, Key, KeySet};

/// The suite clock (`vectors/suite.json` `now`), the reference's `now` in every bench.
pub const NOW: i64 = 1_767_225_600;
/// `exp` of every bench token: 2100-01-01, after any wall clock jsonwebtoken reads.
pub const EXP: i64 = 4_102_444_800;
/// `iss` of every bench token (Watson, Pomerium and jsonwebtoken are configured with it).
pub const ISSUER: &str = "https://issuer.bench.example";
/// `aud` of every bench token (Pomerium's audience).
pub const AUDIENCE: &str = "httpbin.corp.example.com";
/// The Pendo key (an HS256 secret of 38 bytes) that signs the HS256 token.
pub const HMAC_KEY: &str = "pendo-1";
/// The RSA key that signs the RS256 tokens.
pub const RSA_KEY: &str = "rsa-2048-a";
/// The P-256 key that signs the ES256 token.
pub const P256_KEY: &str = "p256-a";
/// Watson's service key, that `user_payload` is encrypted to.
pub const WATSON_SERVICE_KEY: &str = "rsa-2048-b";

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The whole suite as `cargo xtask conformance` grades it: every vector file, and the
/// reference's expected failures with the suite's errata.
pub fn suite() -> (
    jwtc_vectors::load::Loaded,
    jwtc_harness::expected::ExpectedFailures,
) {
    let root = root();
    let loaded = jwtc_vectors::load::load(&root.join("vectors"))
        .unwrap_or_else(|e| panic!("{}", e.join("\n")));
    let known = jwtc_harness::expected::ExpectedFailures::load(
        &root.join("adapters/reference/expected-failures.json"),
    )
    .expect("the reference's expected failures")
    .with_errata(
        jwtc_vectors::errata::Errata::load(&root.join("vectors")).expect("vectors/errata.json"),
    );
    (loaded, known)
}

/// A test key's JWK (private members included) from `vectors/keys/NAME.json`.
pub fn jwk(name: &str) -> Value {
    let path = root().join("vectors/keys").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The public part of a JWK (what a verifier is configured with).
pub fn public_jwk(name: &str) -> Value {
    let mut j = jwk(name);
    let obj = j.as_object_mut().expect("a JWK is an object");
    for private in ["d", "p", "q", "dp", "dq", "qi"] {
        obj.remove(private);
    }
    j
}

fn member(j: &Value, name: &str) -> Vec<u8> {
    b64::decode(
        j[name]
            .as_str()
            .unwrap_or_else(|| panic!("JWK member {name}")),
    )
    .unwrap_or_else(|e| panic!("JWK member {name}: {e}"))
}

/// The claims set of every bench token (about 360 bytes as compact JSON), from
/// `benches/claims.json`: the one copy, which `cargo xtask bench` also reads (for the size
/// it reports) without building this crate.
pub fn claims() -> Value {
    serde_json::from_str(include_str!("../claims.json")).expect("benches/claims.json is JSON")
}

/// A signed token and its parts, for the primitive benches.
#[derive(Clone, Debug)]
pub struct Signed {
    /// The algorithm.
    pub alg: Alg,
    /// The compact token.
    pub token: String,
    /// `BASE64URL(header) '.' BASE64URL(payload)`: what the signature covers.
    pub signing_input: Vec<u8>,
    /// The decoded signature (or MAC).
    pub signature: Vec<u8>,
    /// The name of the key in `vectors/keys/`.
    pub key: &'static str,
}

/// Signs `claims` with `alg` and the key named for it.
pub fn sign(alg: Alg, claims: &Value) -> Signed {
    let header = json!({ "alg": alg.name(), "typ": "JWT" });
    let signing_input = format!(
        "{}.{}",
        b64::encode(header.to_string()),
        b64::encode(claims.to_string())
    );
    let msg = signing_input.as_bytes();
    let (key, signature) = match alg {
        Alg::HS256 => {
            let mut mac = hmac::Hmac::<Sha256>::new_from_slice(&member(&jwk(HMAC_KEY), "k"))
                .expect("HMAC takes any key");
            mac.update(msg);
            (HMAC_KEY, mac.finalize().into_bytes().to_vec())
        }
        Alg::RS256 => {
            let sig = rsa_private(RSA_KEY)
                .sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(msg))
                .expect("RSA signs");
            (RSA_KEY, sig)
        }
        Alg::ES256 => {
            let key = p256::ecdsa::SigningKey::from_slice(&member(&jwk(P256_KEY), "d"))
                .expect("a P-256 scalar");
            let sig: p256::ecdsa::Signature = key.sign(msg);
            (P256_KEY, sig.to_bytes().to_vec())
        }
        other => panic!("no bench key for {other}"),
    };
    Signed {
        alg,
        token: format!("{signing_input}.{}", b64::encode(&signature)),
        signing_input: msg.to_vec(),
        signature,
        key,
    }
}

/// The RSA private key of a test key (RustCrypto), to sign or encrypt with.
pub fn rsa_private(name: &str) -> rsa::RsaPrivateKey {
    let j = jwk(name);
    let int = |m: &str| rsa::BigUint::from_bytes_be(&member(&j, m));
    rsa::RsaPrivateKey::from_components(int("n"), int("e"), int("d"), vec![int("p"), int("q")])
        .expect("a valid test key")
}

/// The bench token of each algorithm, over [`claims`].
pub fn token(alg: Alg) -> Signed {
    sign(alg, &claims())
}

/// An RS256 token whose claims also carry a Watson `user_payload`: a small JSON object
/// encrypted to [`WATSON_SERVICE_KEY`] the way node-rsa does (RSA-OAEP SHA-1, one block,
/// padded standard base64).
pub fn watson_token_with_payload() -> Signed {
    let public = rsa_private(WATSON_SERVICE_KEY).to_public_key();
    let block = public
        .encrypt(
            &mut rsa::rand_core::OsRng,
            rsa::Oaep::new::<sha1::Sha1>(),
            br#"{"plan":"enterprise","region":"eu-de"}"#,
        )
        .expect("OAEP encrypts");
    let mut c = claims();
    c["user_payload"] = json!(base64::engine::general_purpose::STANDARD.encode(block));
    sign(Alg::RS256, &c)
}

fn key_set(name: &str) -> KeySet {
    KeySet::new(vec![
        Key::from_jwk(&public_jwk(name)).expect("a valid test key")
    ])
    .expect("one key")
}

/// The `core` profile configured for `alg` with the key that signed its token (the
/// harness's `core` session: lenient time rules, no skew, default limits).
pub fn core(alg: Alg) -> (KeySet, jwt::Policy) {
    let name = match alg {
        Alg::HS256 => HMAC_KEY,
        Alg::RS256 => RSA_KEY,
        _ => P256_KEY,
    };
    let policy = jwt::Policy {
        alg,
        time: TimeRules::lenient(0),
        limits: Limits::default(),
    };
    (key_set(name), policy)
}

/// Runs the `core` profile once.
pub fn verify_core(token: &str, keys: &KeySet, policy: &jwt::Policy) -> Result<(), Error> {
    jwt::verify(token, keys, policy, NOW).map(|_| ())
}

/// Runs the generic `core` profile once and builds every claim into a map, as
/// `jsonwebtoken::decode::<Value>` does (the verifier itself parses only the claims its
/// rules read).
pub fn verify_core_to_map(
    token: &str,
    keys: &KeySet,
    policy: &jwt::Policy,
) -> Result<serde_json::Map<String, Value>, Error> {
    jwt::verify(token, keys, policy, NOW).map(|v| v.claims.to_map())
}

/// Pendo: a key ring holding the signing key, and a signed event carrying `token`.
pub fn pendo(token: &str) -> (pendo::KeyRing, Value) {
    let mut ring = pendo::KeyRing::new();
    ring.add_jwk(&public_jwk(HMAC_KEY)).expect("a Pendo key");
    let event = json!({ "id": "evt-1", "jwt": token, "signingKeyName": HMAC_KEY });
    (ring, event)
}

/// Runs the Pendo profile once (one event, mode `only_signed`; no dedupe state).
pub fn verify_pendo(event: &Value, ring: &pendo::KeyRing) -> Result<(), Error> {
    pendo::check_event(event, pendo::Mode::OnlySigned, ring, NOW).map(|_| ())
}

/// Watson: the customer's RSA key, the issuer, and the service key when `decrypt`.
pub fn watson(decrypt: bool) -> watson::Config {
    let (keys, refused) = watson::load_keys(&[public_jwk(RSA_KEY)]).expect("Watson keys");
    assert!(refused.is_empty());
    let service = decrypt.then(|| {
        watson::DecryptionKey::from_jwk(&jwk(WATSON_SERVICE_KEY)).expect("the service key")
    });
    watson::Config::new(Some(ISSUER.into()), keys, service, 0).expect("a Watson config")
}

/// Runs the Watson profile once (no session pinning).
pub fn verify_watson(token: &str, config: &watson::Config) -> Result<(), Error> {
    watson::verify(Some(token), config, NOW).map(|_| ())
}

/// COYO: the signing key as a built-in key (no `jku`, no fetch).
pub fn coyo() -> coyo::Config {
    coyo::Config {
        builtin: key_set(RSA_KEY),
        ..coyo::Config::default()
    }
}

/// Runs the COYO profile once, with a fresh (empty) key cache and no network.
pub fn verify_coyo(token: &str, config: &coyo::Config) -> Result<(), Error> {
    let mut cache = JwksCache::new(CachePolicy::default());
    coyo::verify(token, config, &mut cache, NOW, &mut NoNetwork).map(|_| ())
}

/// Pomerium (verifier role): audience and issuer of the bench claims, the key configured.
pub fn pomerium(token: &str) -> (pomerium::Config, Vec<(String, String)>) {
    let config = pomerium::Config::new(
        AUDIENCE,
        Some(ISSUER),
        pomerium::KeySource::Static(key_set(P256_KEY)),
    );
    let headers = vec![
        ("host".to_string(), AUDIENCE.to_string()),
        ("x-pomerium-jwt-assertion".to_string(), token.to_string()),
    ];
    (config, headers)
}

/// Runs the Pomerium verifier once, with a fresh key cache and no network.
pub fn verify_pomerium(
    headers: &[(String, String)],
    config: &pomerium::Config,
) -> Result<(), Error> {
    let mut cache = JwksCache::new(CachePolicy::default());
    pomerium::verify(headers, config, &mut cache, NOW, &mut NoNetwork).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jwtc_verifier::crypto;

    #[test]
    fn the_claims_set_is_about_360_bytes() {
        let len = claims().to_string().len();
        assert!((340..=380).contains(&len), "{len} bytes");
    }

    /// benches/claims.json holds literal values: they must be the constants the verifiers
    /// are configured with (the suite clock, the issuer, the audience).
    #[test]
    fn the_claims_fixture_agrees_with_the_constants() {
        let c = claims();
        assert_eq!(c["iss"], ISSUER);
        assert_eq!(c["aud"], AUDIENCE);
        assert_eq!(c["exp"], EXP);
        assert_eq!(c["nbf"], NOW - 60);
        assert_eq!(c["iat"], NOW - 60);
    }

    /// Every fixture verifies under every profile it is benched in, on every backend, so a
    /// bench never measures a rejection.
    #[test]
    fn every_fixture_is_accepted_on_every_backend() {
        for backend in crypto::backends() {
            crypto::with_backend(backend, || {
                for alg in [Alg::HS256, Alg::RS256, Alg::ES256] {
                    let t = token(alg);
                    let (keys, policy) = core(alg);
                    verify_core(&t.token, &keys, &policy).unwrap();
                }
                let hs = token(Alg::HS256);
                let (ring, event) = pendo(&hs.token);
                verify_pendo(&event, &ring).unwrap();
                let rs = token(Alg::RS256);
                verify_watson(&rs.token, &watson(false)).unwrap();
                verify_watson(&watson_token_with_payload().token, &watson(true)).unwrap();
                verify_coyo(&rs.token, &coyo()).unwrap();
                let es = token(Alg::ES256);
                let (config, headers) = pomerium(&es.token);
                verify_pomerium(&headers, &config).unwrap();
            });
        }
    }
}
