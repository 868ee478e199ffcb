//! Keys from a case's context into jsonwebtoken's `DecodingKey`, and verification of a
//! token against a key set with `jsonwebtoken::decode`.
//!
//! jsonwebtoken verifies with one key. For a key set it offers `JwkSet::find(kid)`,
//! which returns the *first* key carrying that kid and never a key without one; RFC 7517
//! §4.5 allows several keys with one kid, and a kid is a hint. So the glue (what an
//! integrator with a key set writes) tries, in order, every key whose kid equals the
//! token's, and every key without a kid; with no kid in the token, every key. It does
//! not look at a JWK's `use`, `key_ops` or `alg` (the library ignores them too: that is
//! measured), nor at key sizes: the library decides what it can verify with.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Header, TokenData, Validation};

use crate::compat::AlgorithmFamily;
use serde_json::Value;

use crate::clock::Clock;
use crate::verdict::Reject;

/// A configured key, loaded by the library.
pub struct Trusted {
    pub kid: Option<String>,
    pub key: DecodingKey,
    /// The JWK's `alg` (the `jws` profile lets the key decide the algorithm).
    pub jwk_alg: Option<jsonwebtoken::jwk::KeyAlgorithm>,
    /// How to name the key in messages.
    pub name: String,
}

/// Loads one context key: a JWK (`DecodingKey::from_jwk`) or `{"pem": ..., "kid"?}`
/// (`DecodingKey::from_rsa_pem` / `from_ec_pem`, chosen by the configured algorithm's
/// family, as an integrator who knows their key type calls them; `None`: PEM refused).
pub fn load(entry: &Value, family: Option<AlgorithmFamily>) -> Result<Trusted, String> {
    if let Some(pem) = entry.get("pem") {
        let pem = pem.as_str().ok_or("a pem entry that is not a string")?;
        let kid = entry.get("kid").and_then(Value::as_str).map(str::to_owned);
        let name = format!(
            "PEM key{}",
            kid.as_ref().map(|k| format!(" {k:?}")).unwrap_or_default()
        );
        let key = match family {
            Some(AlgorithmFamily::Rsa) => DecodingKey::from_rsa_pem(pem.as_bytes()),
            Some(AlgorithmFamily::Ec) => DecodingKey::from_ec_pem(pem.as_bytes()),
            Some(AlgorithmFamily::Ed) => DecodingKey::from_ed_pem(pem.as_bytes()),
            Some(AlgorithmFamily::Hmac) | None => {
                return Err(format!(
                    "{name}: a PEM key where no public-key algorithm is configured"
                ))
            }
        }
        .map_err(|e| format!("{name} refused by jsonwebtoken: {e}"))?;
        return Ok(Trusted {
            kid,
            key,
            jwk_alg: None,
            name,
        });
    }
    let jwk: Jwk = serde_json::from_value(entry.clone())
        .map_err(|e| format!("JWK {} is not a jsonwebtoken Jwk: {e}", describe(entry)))?;
    from_jwk(&jwk, format!("JWK {}", describe(entry)))
}

/// A library `Jwk` (a context key, or one of a fetched `JwkSet`) as a trusted key.
pub fn from_jwk(jwk: &Jwk, name: String) -> Result<Trusted, String> {
    let key =
        DecodingKey::from_jwk(jwk).map_err(|e| format!("{name} refused by jsonwebtoken: {e}"))?;
    Ok(Trusted {
        kid: jwk.common.key_id.clone(),
        key,
        jwk_alg: jwk.common.key_algorithm,
        name,
    })
}

/// The keys of a fetched set (`from`: its URL, for messages); refused ones become notes.
pub fn from_set(set: &jsonwebtoken::jwk::JwkSet, from: &str) -> (Vec<Trusted>, Vec<String>) {
    let mut keys = Vec::new();
    let mut notes = Vec::new();
    for (i, jwk) in set.keys.iter().enumerate() {
        let name = match &jwk.common.key_id {
            Some(kid) => format!("key {kid:?} of {from}"),
            None => format!("key #{} of {from}", i + 1),
        };
        match from_jwk(jwk, name) {
            Ok(k) => keys.push(k),
            Err(e) => notes.push(e),
        }
    }
    (keys, notes)
}

/// Loads a list of context keys; the ones the library refuses become notes.
pub fn load_all(list: &[Value], family: Option<AlgorithmFamily>) -> (Vec<Trusted>, Vec<String>) {
    let mut keys = Vec::new();
    let mut notes = Vec::new();
    for entry in list {
        match load(entry, family) {
            Ok(k) => keys.push(k),
            Err(e) => notes.push(e),
        }
    }
    (keys, notes)
}

/// `context.<name>` as a list of keys.
pub fn list<'a>(context: &'a Value, name: &str) -> Result<&'a [Value], String> {
    match context.get(name) {
        None => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(format!("context.{name} is not an array")),
    }
}

fn describe(jwk: &Value) -> String {
    let kty = jwk.get("kty").and_then(Value::as_str).unwrap_or("?");
    match jwk.get("kid").and_then(Value::as_str) {
        Some(kid) => format!("{kid:?} ({kty})"),
        None => format!("without kid ({kty})"),
    }
}

/// The keys to try for a token that names `kid` (see the module documentation).
pub fn candidates<'a>(keys: &'a [Trusted], kid: Option<&str>) -> Vec<&'a Trusted> {
    keys.iter()
        .filter(|k| match (kid, k.kid.as_deref()) {
            (Some(want), Some(have)) => want == have,
            _ => true,
        })
        .collect()
}

/// Whether a library error is about the key (the next candidate may do better) rather
/// than about the token.
pub fn is_key_error(kind: &ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::InvalidKeyFormat
            | ErrorKind::InvalidEcdsaKey
            | ErrorKind::InvalidRsaKey(_)
            | ErrorKind::InvalidEddsaKey
    )
}

/// The token's header by the library's `decode_header`, its `alg` one of `allowed`.
/// `decode` makes this check first too; made before the key lookup, an algorithm the
/// configuration does not allow is refused before anything is looked up or fetched.
pub fn allowed_header(token: &str, allowed: &[Algorithm]) -> Result<Header, Reject> {
    let header = decode_header(token)?;
    if allowed.contains(&header.alg) {
        Ok(header)
    } else {
        Err(Reject::new(
            "alg_not_allowed",
            format!(
                "jsonwebtoken: InvalidAlgorithm (the header's {:?} is not in {allowed:?})",
                header.alg
            ),
        ))
    }
}

/// Verifies `token` with `jsonwebtoken::decode` under `validation` (from
/// [`crate::clock::pin`]: its time checks are the clock's), trying each candidate key.
/// `notes` (keys the library refused) go into a key_unknown's detail.
pub fn verify(
    token: &str,
    keys: &[Trusted],
    validation: &Validation,
    clock: &Clock,
    notes: &[String],
) -> Result<TokenData<Value>, Reject> {
    let header = allowed_header(token, &validation.algorithms)?;
    let candidates = candidates(keys, header.kid.as_deref());
    if candidates.is_empty() {
        return Err(no_key(header.kid.as_deref(), notes));
    }
    let mut failures = Failures::default();
    for k in candidates {
        match decode_at(token, &k.key, validation, clock) {
            Ok(data) => return Ok(data),
            Err(e) if matches!(e.kind(), ErrorKind::InvalidSignature) => {
                failures.note("bad_signature", format!("jsonwebtoken: {e} ({})", k.name));
            }
            Err(e) if is_key_error(e.kind()) => {
                failures.note("key_unknown", format!("jsonwebtoken: {e} ({})", k.name));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(failures.verdict(|| no_key(header.kid.as_deref(), notes)))
}

/// The first failure of each kind met while trying a token's candidate keys one by one.
#[derive(Default)]
pub struct Failures {
    bad_signature: Option<Reject>,
    other_alg: Option<Reject>,
    key_error: Option<Reject>,
}

impl Failures {
    /// Keeps `detail` if it is the first failure of its kind: `bad_signature`,
    /// `alg_not_allowed` (a key made for another algorithm) or `key_unknown`.
    pub fn note(&mut self, code: &'static str, detail: String) {
        let slot = match code {
            "bad_signature" => &mut self.bad_signature,
            "alg_not_allowed" => &mut self.other_alg,
            _ => &mut self.key_error,
        };
        slot.get_or_insert(Reject::new(code, detail));
    }

    /// The verdict when no key verified: a bad signature over a key of another algorithm
    /// over a key the library refused; `none` when no candidate was tried at all.
    pub fn verdict(self, none: impl FnOnce() -> Reject) -> Reject {
        self.bad_signature
            .or(self.other_alg)
            .or(self.key_error)
            .unwrap_or_else(none)
    }
}

pub fn no_key(kid: Option<&str>, notes: &[String]) -> Reject {
    let mut detail = match kid {
        Some(kid) => format!("no configured key for kid {kid:?}"),
        None => "no configured key".to_string(),
    };
    if !notes.is_empty() {
        detail.push_str(&format!(" (configuration: {})", notes.join("; ")));
    }
    Reject::new("key_unknown", detail)
}

/// `jsonwebtoken::decode` with one key, its time checks at the pinned clock.
pub fn decode_at(
    token: &str,
    key: &DecodingKey,
    validation: &Validation,
    clock: &Clock,
) -> Result<TokenData<Value>, jsonwebtoken::errors::Error> {
    match decode::<Value>(token, key, validation) {
        Ok(data) => {
            clock.check(&data.claims)?;
            Ok(data)
        }
        // These come from the library's claim validation, which runs only after the
        // signature verified, and after its time block: run the time block first, as
        // the library would have.
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::InvalidIssuer | ErrorKind::InvalidAudience | ErrorKind::InvalidSubject
            ) =>
        {
            let claims = jsonwebtoken::dangerous::insecure_decode::<Value>(token)?.claims;
            clock.check(&claims)?;
            Err(e)
        }
        Err(e) => Err(e),
    }
}

/// The algorithm of a configuration (`context.algorithm`), by its JOSE name.
pub fn algorithm(name: &str) -> Result<Algorithm, String> {
    name.parse::<Algorithm>()
        .map_err(|e| format!("context names algorithm {name:?}: {e}"))
}

/// Verifies `token` with one key chosen by the caller (Pendo's `signingKeyName`), whatever
/// the header's kid says.
pub fn verify_one(
    token: &str,
    key: &Trusted,
    validation: &Validation,
    clock: &Clock,
) -> Result<TokenData<Value>, Reject> {
    decode_at(token, &key.key, validation, clock).map_err(|e| {
        let mut r = Reject::from(e);
        r.detail.push_str(&format!(" ({})", key.name));
        r
    })
}
