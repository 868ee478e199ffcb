//! The `core` profile (a generic JWT verifier: one algorithm, its keys, a skew) and the
//! `jws` profile (plain RFC 7515 verification, Wycheproof's vectors).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, Validation};
use serde_json::{json, Value};
use std::collections::HashSet;

use crate::clock::pin;
use crate::keys::{self, algorithm, candidates, is_key_error, load_all, verify};
use crate::verdict::{Reject, Verdict};

pub fn token(input: &Value) -> Result<&str, Verdict> {
    input
        .get("token")
        .and_then(Value::as_str)
        .ok_or_else(|| Verdict::Error("input.token is not a string".into()))
}

/// `context.skew` (seconds, default 0) as the library's `leeway`.
pub fn skew(context: &Value) -> Result<u64, Verdict> {
    match context.get("skew") {
        None | Some(Value::Null) => Ok(0),
        Some(v) => v.as_u64().ok_or_else(|| {
            Verdict::Error(format!("context.skew is not a non-negative integer: {v}"))
        }),
    }
}

macro_rules! tri {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(verdict) => return verdict,
        }
    };
}
pub(crate) use tri;

/// RFC 7519 §4.1.4: `exp` is the time "on or after which the JWT MUST NOT be accepted".
/// jsonwebtoken rejects when `exp - reject_tokens_expiring_in_less_than < now - leeway`,
/// so its default (0) accepts a token at exp == now − leeway; 1 second makes exp == now −
/// leeway reject, the RFC's (and docs/rules.md's) "accepted while now < exp + skew".
pub const REJECT_EXPIRING_IN_LESS_THAN: u64 = 1;

pub fn jwt(input: &Value, context: &Value, now: u64) -> Verdict {
    let token = tri!(token(input));
    let name = tri!(context
        .get("algorithm")
        .and_then(Value::as_str)
        .ok_or_else(|| Verdict::Error("context.algorithm is not a string".into())));
    let alg = tri!(algorithm(name).map_err(Verdict::Skip));
    let skew = tri!(skew(context));
    let list = tri!(keys::list(context, "keys").map_err(Verdict::Error));
    let (keys, notes) = load_all(list, Some(crate::compat::family(alg)));

    let mut validation = Validation::new(alg);
    // The core rules require no claim; exp and nbf are honoured when present.
    validation.required_spec_claims = HashSet::new();
    validation.validate_exp = true;
    validation.validate_nbf = true;
    validation.leeway = skew;
    validation.reject_tokens_expiring_in_less_than = REJECT_EXPIRING_IN_LESS_THAN;
    let (validation, clock) = pin(validation, now);

    verify(token, &keys, &validation, &clock, &notes)
        .map(|data| json!({ "claims": data.claims }))
        .into()
}

/// Plain JWS: the library's `decode_header` and `crypto::verify` (jsonwebtoken's `decode`
/// and `jws::decode` insist on a JSON claims object; Wycheproof's payloads are bytes such
/// as "foo"). The key decides the algorithm: a JWK with `alg` verifies that algorithm
/// only (`Validation::new(jwk alg)`, as jsonwebtoken's JWKS examples do), a key without
/// one the allowed algorithms of its family.
pub fn jws(input: &Value, context: &Value) -> Verdict {
    let token = tri!(token(input));
    let names: Vec<&str> = tri!(context
        .get("algorithms")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().map(Value::as_str).collect::<Option<Vec<_>>>())
        .ok_or_else(|| Verdict::Error("context.algorithms is not an array of strings".into())));
    // An allowed algorithm jsonwebtoken does not implement (ES512) verifies nothing here.
    let allowed: Vec<Algorithm> = names.iter().filter_map(|n| algorithm(n).ok()).collect();
    let unimplemented: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| algorithm(n).is_err())
        .collect();
    let list = tri!(keys::list(context, "keys").map_err(Verdict::Error));
    let (keys, notes) = load_all(list, None);
    match verify_jws(token, &keys, &allowed, &notes) {
        Ok(v) => Verdict::Accept(v),
        Err(r) => match header_alg(token) {
            // The header names an allowed algorithm the library cannot even parse.
            Some(alg) if r.code == "malformed" && unimplemented.contains(&alg.as_str()) => {
                Verdict::Skip(format!(
                    "jsonwebtoken {} does not implement {alg} (its Algorithm enum has no such variant: {})",
                    env!("JWTC_JSONWEBTOKEN_VERSION"),
                    r.detail
                ))
            }
            _ => Verdict::Reject(r),
        },
    }
}

/// The header's `alg` as text (glue: only to tell an unimplemented algorithm from a
/// malformed header when the library's `decode_header` refuses the header).
fn header_alg(token: &str) -> Option<String> {
    let segment = token.split('.').next()?;
    let bytes = URL_SAFE_NO_PAD.decode(segment).ok()?;
    let header: Value = serde_json::from_slice(&bytes).ok()?;
    header.get("alg")?.as_str().map(str::to_owned)
}

fn verify_jws(
    token: &str,
    keys: &[keys::Trusted],
    allowed: &[Algorithm],
    notes: &[String],
) -> Result<Value, Reject> {
    let header = keys::allowed_header(token, allowed)?;
    // decode_header succeeded, so the token is header.payload.signature (the library
    // splits from the right, as here).
    let (message, signature) = token
        .rsplit_once('.')
        .ok_or(Reject::new("malformed", "jsonwebtoken: InvalidToken"))?;
    let (_, payload) = message
        .rsplit_once('.')
        .ok_or(Reject::new("malformed", "jsonwebtoken: InvalidToken"))?;

    let mut failures = keys::Failures::default();
    for k in candidates(keys, header.kid.as_deref()) {
        let algs: Vec<Algorithm> = match k.jwk_alg {
            Some(a) => match crate::compat::algorithm_of(a) {
                Ok(a) => vec![a],
                Err(e) => {
                    failures.note(
                        "key_unknown",
                        format!("{}: its alg {a} is not a signature algorithm ({e})", k.name),
                    );
                    continue;
                }
            },
            None => allowed
                .iter()
                .copied()
                .filter(|a| crate::compat::key_fits(&k.key, *a))
                .collect(),
        };
        if !algs.contains(&header.alg) {
            failures.note(
                "alg_not_allowed",
                format!(
                    "jsonwebtoken: InvalidAlgorithm ({} allows {algs:?}, the header says {:?})",
                    k.name, header.alg
                ),
            );
            continue;
        }
        match jsonwebtoken::crypto::verify(signature, message.as_bytes(), &k.key, header.alg) {
            Ok(true) => {
                let bytes = URL_SAFE_NO_PAD.decode(payload).map_err(|e| {
                    Reject::new("malformed", format!("the payload is not base64url: {e}"))
                })?;
                let header = serde_json::to_value(&header)
                    .map_err(|e| Reject::new("malformed", format!("header: {e}")))?;
                return Ok(json!({"header": header, "payload": URL_SAFE_NO_PAD.encode(bytes)}));
            }
            Ok(false) => {
                failures.note(
                    "bad_signature",
                    format!("jsonwebtoken: InvalidSignature ({})", k.name),
                );
            }
            Err(e) if is_key_error(e.kind()) => {
                failures.note("key_unknown", format!("jsonwebtoken: {e} ({})", k.name));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(failures.verdict(|| keys::no_key(header.kid.as_deref(), notes)))
}
