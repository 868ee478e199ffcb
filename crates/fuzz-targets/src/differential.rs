//! The differential target: the reference verifier and the jsonwebtoken crate (11, with
//! its RustCrypto backend) get the same token, key, algorithm and clock. A verdict
//! disagreement that [`explain`] does not account for aborts.
//!
//! jsonwebtoken reads the wall clock for `exp`/`nbf` and has no clock parameter, so its
//! time checks are off here; time claims are one of the explained differences.
//!
//! The reference runs on every crypto backend built in, and the backends must agree
//! exactly: fuzz builds have aws-lc (the default there) and RustCrypto, so both stay
//! fuzzed here while the other targets verify on aws-lc alone.

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

use std::sync::OnceLock;

use jwtc_verifier::claims::TimeRules;
use jwtc_verifier::crypto;
use jwtc_verifier::jose::Limits;
use jwtc_verifier::{jwt, Error};

use crate::spec::{self, SignAlg, TokenSpec, NOW};

/// The documented, explained differences. Each is a reason the two may disagree by design.
pub const KNOWN: &[(&str, &str)] = &[
    ("time", "jsonwebtoken's exp/nbf checks read the wall clock and are off in this target; the reference checks exp/nbf/iat at the fixed clock"),
    ("strict-json", "the reference rejects duplicate member names, a BOM and nesting over 64; jsonwebtoken (serde_json) keeps the last duplicate and nests to 128"),
    ("header-params", "the reference rejects typ other than JWT, cty JWT, b64 false and any crit; jsonwebtoken ignores them"),
    ("header-types", "jsonwebtoken's Header struct types typ, cty, jku, jwk, kid, x5u, x5c, x5t, x5t#S256, crit, enc, zip, url and nonce, and refuses a token whose member has another type; the reference ignores the members it never trusts"),
    ("claim-types", "jsonwebtoken parses registered claims (sub, iss, aud, exp, nbf) into typed fields even when it does not validate them"),
    ("kid", "jsonwebtoken is given one key and ignores the token's kid; the reference selects keys by kid (core.keys: a kid naming no trusted key is key_unknown)"),
    ("size", "the reference bounds a token at 16 KiB; jsonwebtoken has no bound"),
    ("alg-case", "the header alg is matched exactly by both, but jsonwebtoken rejects an alg it does not know at header parse time, before the key"),
];

/// Why the two verdicts may differ, if this disagreement is a known one.
pub fn explain(
    ours: &Result<jwt::Verified, Error>,
    theirs: &jsonwebtoken::errors::Result<jsonwebtoken::TokenData<Value>>,
    header: &serde_json::Map<String, Value>,
    claims: &serde_json::Map<String, Value>,
) -> Option<&'static str> {
    use jsonwebtoken::errors::ErrorKind;
    match (ours, theirs) {
        (Err(e), Ok(_)) => match e {
            Error::Expired { .. } | Error::NotYetValid { .. } => Some("time"),
            Error::ClaimInvalid { claim, .. }
                if matches!(claim.as_str(), "exp" | "nbf" | "iat") =>
            {
                Some("time")
            }
            Error::Json { detail, .. }
                if detail.contains("duplicate")
                    || detail.contains("nesting")
                    || detail.contains("byte order mark") =>
            {
                Some("strict-json")
            }
            Error::HeaderParam { .. } | Error::Critical { .. } => Some("header-params"),
            Error::TooLarge { .. } => Some("size"),
            Error::KeyUnknown { .. } => Some("kid"),
            _ => None,
        },
        (Ok(_), Err(e)) => {
            let typed_claims = ["sub", "iss", "aud", "exp", "nbf", "iat"]
                .iter()
                .any(|k| claims.contains_key(*k));
            match e.kind() {
                ErrorKind::Json(_) | ErrorKind::InvalidToken
                    if header_refused_by_their_struct(header) =>
                {
                    Some("header-types")
                }
                ErrorKind::Json(_)
                | ErrorKind::InvalidToken
                | ErrorKind::InvalidIssuer
                | ErrorKind::InvalidAudience
                | ErrorKind::InvalidSubject
                    if typed_claims =>
                {
                    Some("claim-types")
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether a header member has a type jsonwebtoken 11's `Header` struct cannot hold:
/// string members, `x5c`/`crit` string arrays, `jwk` a JWK, `enc`/`zip` enumerations.
fn header_refused_by_their_struct(header: &serde_json::Map<String, Value>) -> bool {
    const STRINGS: [&str; 9] = [
        "typ", "cty", "jku", "kid", "x5u", "x5t", "x5t#S256", "url", "nonce",
    ];
    let string_array = |v: &Value| v.as_array().is_some_and(|a| a.iter().all(Value::is_string));
    header.iter().any(|(k, v)| match k.as_str() {
        k if STRINGS.contains(&k) => !v.is_string(),
        "x5c" | "crit" => !string_array(v),
        "jwk" | "enc" | "zip" => true,
        _ => false,
    })
}

/// jsonwebtoken's key for `alg`, made once per process.
fn their_key(alg: SignAlg) -> &'static DecodingKey {
    static KEYS: OnceLock<[DecodingKey; 3]> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        let ec = spec::public_jwk(include_str!("../../../vectors/keys/p256-a.json"));
        let rsa = spec::public_jwk(spec::RSA_KEY);
        let member = |j: &Value, m: &str| j[m].as_str().unwrap().to_owned();
        [
            DecodingKey::from_secret(spec::hs_secret()),
            DecodingKey::from_ec_components(&member(&ec, "x"), &member(&ec, "y")).unwrap(),
            DecodingKey::from_rsa_components(&member(&rsa, "n"), &member(&rsa, "e")).unwrap(),
        ]
    });
    &keys[alg as usize]
}

/// A verdict as the backends must agree on it: the claims accepted, or the message.
fn verdict(
    result: &Result<jwt::Verified, Error>,
) -> Result<serde_json::Map<String, Value>, String> {
    result
        .as_ref()
        .map(|v| v.claims.to_map())
        .map_err(|e| format!("{:?}: {e}", e.code()))
}

/// Runs both verifiers on one structured token: the reference on every crypto backend
/// built in (RustCrypto always; aws-lc too in fuzz builds, fuzz/Cargo.toml), which must
/// agree exactly (claims, or error code and message), then jsonwebtoken.
pub fn differential(spec: TokenSpec) {
    let r = spec.render();
    let policy = jwt::Policy {
        alg: spec.sign.alg(),
        time: TimeRules::lenient(0),
        limits: Limits::default(),
    };
    let backends = crypto::backends();
    let ours = jwt::verify(
        &r.token,
        &spec::trusted_on(spec.sign, backends[0]),
        &policy,
        NOW,
    );
    for other in &backends[1..] {
        let again = jwt::verify(&r.token, &spec::trusted_on(spec.sign, *other), &policy, NOW);
        assert_eq!(
            verdict(&ours),
            verdict(&again),
            "the {} and {} backends disagree on {}",
            backends[0].name(),
            other.name(),
            r.token
        );
    }
    let alg = match spec.sign {
        SignAlg::HS256 => Algorithm::HS256,
        SignAlg::ES256 => Algorithm::ES256,
        SignAlg::RS256 => Algorithm::RS256,
    };
    let mut v = Validation::new(alg);
    v.validate_exp = false;
    v.validate_nbf = false;
    v.validate_aud = false;
    v.leeway = 0;
    v.required_spec_claims.clear();
    let theirs = jsonwebtoken::decode::<Value>(&r.token, their_key(spec.sign), &v);
    if ours.is_ok() != theirs.is_ok() {
        assert!(
            explain(&ours, &theirs, &r.header, &r.claims).is_some(),
            "unexplained disagreement on {}\n  reference: {:?}\n  jsonwebtoken: {:?}",
            r.token,
            ours.as_ref().map(|_| "accept").map_err(|e| e.to_string()),
            theirs.as_ref().map(|_| "accept").map_err(|e| e.to_string())
        );
    }
}

/// The clock both use, for the docs.
pub const CLOCK: i64 = NOW;
