//! Pomerium signed headers (Pomerium's "Securing your app with signed headers"): an app verifying `x-pomerium-jwt-assertion`
//! (profile `pomerium`), and Pomerium's proxy role signing it (`pomerium-proxy`).
//!
//! The library: `decode` with `Validation::new(ES256)`, the claims of the seed's table
//! required (`exp`, `iss`, `aud`, `sub`), `leeway` = the context's skew ("Allow 1 minute
//! for skew"), `nbf` validated, `reject_tokens_expiring_in_less_than` = 1,
//! `set_audience(&[audience])`, `set_issuer(&[issuer])` (default "pomerium-proxy": "Issuer
//! must be pomerium-proxy"); keys from `DecodingKey::from_jwk` / `from_ec_pem` (the seed
//! has users paste `ec_public.pem`, a certificate) or a fetched `JwkSet`. The proxy signs
//! with `jsonwebtoken::encode` and an `EncodingKey::from_ec_der`.
//!
//! The glue: finding the header (names case-insensitive, values trimmed, several
//! differing assertions a conflict) and the HTTP layer's refusal of malformed fields;
//! `iat` with the same skew (the seed's table says so and jsonwebtoken does not check
//! `iat`); the identity output; the JWKS fetch (only for a token naming the configured
//! issuer: the URL comes from configuration, never from the token); the proxy's stripping
//! of client `x-pomerium-*` headers.

use jsonwebtoken::{encode, Algorithm, EncodingKey, Header, Validation};

use crate::compat::AlgorithmFamily;
use p256::pkcs8::EncodePrivateKey;
use serde_json::{json, Map, Value};

use crate::clock::{numeric_date, pin, TryParse};
use crate::core::{skew, tri, REJECT_EXPIRING_IN_LESS_THAN};
use crate::keys::{self, from_set, load_all, verify};
use crate::net::{Cache, Fetcher, Want};
use crate::verdict::{Reject, Verdict};

const ASSERTION: &str = "x-pomerium-jwt-assertion";
/// The name the seed gives first ("The JWT is in the HTTP request header
/// x-pomerium-iap-jwt-assertion"); read when the assertion header is absent.
const SEED_ASSERTION: &str = "x-pomerium-iap-jwt-assertion";
const DEFAULT_ISSUER: &str = "pomerium-proxy";
/// The proxy's assertions live this long.
const LIFETIME: u64 = 300;

#[derive(Default)]
pub struct Session {
    jwks: Cache,
}

impl Session {
    pub fn step(
        &mut self,
        input: &Value,
        context: &Value,
        now: u64,
        net: &mut dyn Fetcher,
    ) -> Verdict {
        let headers = tri!(headers(input));
        if let Err(r) = well_formed(&headers) {
            return Verdict::Reject(r);
        }
        let token = match assertion(&headers) {
            Ok(t) => t,
            Err(r) => return Verdict::Reject(r),
        };
        let audience = tri!(context
            .get("audience")
            .and_then(Value::as_str)
            .ok_or_else(|| Verdict::Error("context.audience is not a string".into())));
        let issuer = context
            .get("issuer")
            .and_then(Value::as_str)
            .unwrap_or(DEFAULT_ISSUER);
        let skew = tri!(skew(context));

        let mut validation = Validation::new(Algorithm::ES256);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.leeway = skew;
        validation.reject_tokens_expiring_in_less_than = REJECT_EXPIRING_IN_LESS_THAN;
        validation.set_audience(&[audience]);
        validation.set_issuer(&[issuer]);
        let (validation, clock) = pin(validation, now);

        let (keys, notes) = if context.get("keys").is_some() {
            let list = tri!(keys::list(context, "keys").map_err(Verdict::Error));
            load_all(list, Some(AlgorithmFamily::Ec))
        } else {
            let url = match context.get("jwks_url").and_then(Value::as_str) {
                Some(u) => u.to_owned(),
                None => format!("https://{issuer}/.well-known/pomerium/jwks.json"),
            };
            // Before anything is fetched: the algorithm, and the issuer the token names
            // (unverified, read with the library's dangerous::insecure_decode).
            let header = match keys::allowed_header(&token, &validation.algorithms) {
                Ok(h) => h,
                Err(r) => return Verdict::Reject(r),
            };
            let named = jsonwebtoken::dangerous::insecure_decode::<Value>(&token)
                .ok()
                .and_then(|d| d.claims.get("iss").cloned());
            if named.as_ref().and_then(Value::as_str) != Some(issuer) {
                return Verdict::reject(
                    "issuer_mismatch",
                    format!("the token names issuer {named:?}, not the configured {issuer:?}: no key set is fetched"),
                );
            }
            let mut want = Want::Any;
            loop {
                let set = match tri!(self.jwks.get(&url, want, now, net).map_err(Verdict::Error)) {
                    Ok(set) => set,
                    Err(e) => return Verdict::reject("key_unavailable", e.0),
                };
                let (keys, notes) = from_set(&set, &url);
                let has = !keys::candidates(&keys, header.kid.as_deref()).is_empty();
                if has || want == Want::Refresh {
                    break (keys, notes);
                }
                want = Want::Refresh;
            }
        };

        let claims = match verify(&token, &keys, &validation, &clock, &notes) {
            Ok(data) => data.claims,
            Err(r) => return Verdict::Reject(r),
        };
        // "iat: Issued-at time … Allow 1 minute for skew." (parsed as the library parses
        // exp and nbf, compared as it compares nbf).
        match numeric_date(&claims, "iat") {
            TryParse::FailedToParse => {
                return Verdict::reject("claim_invalid", "iat is not a NumericDate")
            }
            TryParse::Parsed(iat) if iat > now.saturating_add(skew) => {
                return Verdict::reject(
                    "not_yet_valid",
                    format!("iat {iat} is after now {now} + skew {skew}"),
                )
            }
            _ => {}
        }
        identity(&claims).into()
    }
}

/// `{"sub", "email"?, "groups"?}` from verified claims.
fn identity(claims: &Value) -> Result<Value, Reject> {
    let invalid = |why: String| Reject::new("claim_invalid", why);
    let sub = claims
        .get("sub")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("sub is not a string".into()))?;
    let mut out = Map::new();
    out.insert("sub".into(), json!(sub));
    match claims.get("email") {
        None | Some(Value::Null) => {}
        Some(Value::String(e)) if e.is_empty() => {}
        Some(Value::String(e)) => {
            out.insert("email".into(), json!(e));
        }
        Some(other) => return Err(invalid(format!("email is not a string: {other}"))),
    }
    match claims.get("groups") {
        None | Some(Value::Null) => {}
        Some(Value::Array(g)) if g.is_empty() => {}
        Some(Value::Array(g)) => {
            if let Some(bad) = g.iter().find(|x| !x.is_string()) {
                return Err(invalid(format!("groups holds a non-string: {bad}")));
            }
            out.insert("groups".into(), json!(g));
        }
        Some(other) => return Err(invalid(format!("groups is not an array: {other}"))),
    }
    Ok(Value::Object(out))
}

/// `input.headers`: `[[name, value], ...]`.
fn headers(input: &Value) -> Result<Vec<(String, String)>, Verdict> {
    let list = input
        .get("headers")
        .and_then(Value::as_array)
        .ok_or_else(|| Verdict::Error("input.headers is not an array".into()))?;
    list.iter()
        .map(|h| match h.as_array().map(Vec::as_slice) {
            Some([Value::String(n), Value::String(v)]) => Ok((n.clone(), v.clone())),
            _ => Err(Verdict::Error(format!(
                "a header that is not [name, value]: {h}"
            ))),
        })
        .collect()
}

/// What an HTTP server refuses before the app sees the request: a field name that is not
/// an RFC 9110 token, a value with a control character other than HTAB.
fn well_formed(headers: &[(String, String)]) -> Result<(), Reject> {
    let tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    for (name, value) in headers {
        if name.is_empty() || !name.bytes().all(tchar) {
            return Err(Reject::new(
                "malformed",
                format!("header name {name:?} is not a token"),
            ));
        }
        if let Some(b) = value
            .bytes()
            .find(|&b| (b < 0x20 && b != b'\t') || b == 0x7f)
        {
            return Err(Reject::new(
                "malformed",
                format!("header {name:?} holds the control character 0x{b:02x}"),
            ));
        }
    }
    Ok(())
}

/// The assertion: every value of the header (names compared case-insensitively, a
/// comma-separated value being several, RFC 9110 §5.3), trimmed; they must agree.
fn assertion(headers: &[(String, String)]) -> Result<String, Reject> {
    let values = |wanted: &str| -> Vec<String> {
        headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(wanted))
            .flat_map(|(_, v)| v.split(',').map(|p| p.trim_matches([' ', '\t']).to_owned()))
            .filter(|v| !v.is_empty())
            .collect()
    };
    let mut found = values(ASSERTION);
    if found.is_empty() {
        found = values(SEED_ASSERTION);
    }
    found.dedup();
    match found.as_slice() {
        [] => Err(Reject::new(
            "token_missing",
            format!("no {ASSERTION} header"),
        )),
        [one] => Ok(one.clone()),
        more => Err(Reject::new(
            "header_conflict",
            format!("{} differing assertions", more.len()),
        )),
    }
}

/// The proxy role: the client's `x-pomerium-*` headers stripped ("pomerium strips the
/// x-pomerium-* headers provided by the client"), one fresh assertion added, signed
/// with `jsonwebtoken::encode`.
pub fn proxy(input: &Value, context: &Value, now: u64) -> Verdict {
    let headers = tri!(headers(input));
    if let Err(r) = well_formed(&headers) {
        return Verdict::Reject(r);
    }
    let field = |name: &str| {
        context
            .get(name)
            .ok_or_else(|| Verdict::Error(format!("context.{name} is missing")))
    };
    let audience = tri!(field("audience"));
    let identity = tri!(tri!(field("identity"))
        .as_object()
        .ok_or_else(|| Verdict::Error("context.identity is not an object".into())));
    let signing_key = tri!(field("signing_key"));
    let issuer = context
        .get("issuer")
        .and_then(Value::as_str)
        .unwrap_or(DEFAULT_ISSUER);

    let key =
        tri!(encoding_key(signing_key)
            .map_err(|e| Verdict::Error(format!("context.signing_key: {e}"))));
    let mut header = Header::new(Algorithm::ES256);
    header.kid = signing_key
        .get("kid")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let mut claims = identity.clone();
    claims.insert("iss".into(), json!(issuer));
    claims.insert("aud".into(), audience.clone());
    claims.insert("iat".into(), json!(now));
    claims.insert("exp".into(), json!(now + LIFETIME));
    let token = tri!(encode(&header, &claims, &key)
        .map_err(|e| Verdict::Error(format!("jsonwebtoken::encode: {e}"))));

    let mut upstream: Vec<Value> = headers
        .iter()
        .filter(|(n, _)| !n.to_ascii_lowercase().starts_with("x-pomerium-"))
        .map(|(n, v)| json!([n, v]))
        .collect();
    upstream.push(json!([ASSERTION, token]));
    Verdict::Accept(json!({ "headers": upstream }))
}

/// A private P-256 JWK as jsonwebtoken's `EncodingKey` (which takes PKCS#8 DER: the
/// library has no JWK import for private keys).
fn encoding_key(jwk: &Value) -> Result<EncodingKey, String> {
    if jwk.get("kty").and_then(Value::as_str) != Some("EC")
        || jwk.get("crv").and_then(Value::as_str) != Some("P-256")
    {
        return Err("not a P-256 JWK".into());
    }
    let d = jwk.get("d").and_then(Value::as_str).ok_or("no d")?;
    let d = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, d)
        .map_err(|e| format!("d: {e}"))?;
    let secret = p256::SecretKey::from_slice(&d).map_err(|e| format!("d: {e}"))?;
    let der = secret.to_pkcs8_der().map_err(|e| format!("PKCS#8: {e}"))?;
    Ok(EncodingKey::from_ec_der(der.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_assertion_header_is_found_trimmed_and_never_ambiguous() {
        assert_eq!(
            assertion(&h(&[("X-Pomerium-Jwt-Assertion", " \tt1 ")])).unwrap(),
            "t1"
        );
        assert_eq!(
            assertion(&h(&[(ASSERTION, "t1"), (ASSERTION, "t1")])).unwrap(),
            "t1"
        );
        assert_eq!(assertion(&h(&[(SEED_ASSERTION, "t1")])).unwrap(), "t1");
        let code = |l: &[(&str, &str)]| assertion(&h(l)).unwrap_err().code;
        assert_eq!(
            code(&[(ASSERTION, "t1"), ("X-POMERIUM-JWT-ASSERTION", "t2")]),
            "header_conflict"
        );
        assert_eq!(code(&[(ASSERTION, "t1, t2")]), "header_conflict");
        assert_eq!(code(&[(ASSERTION, "")]), "token_missing");
        assert_eq!(
            code(&[("x-pomerium-jwt-assertion-for", "t1")]),
            "token_missing"
        );
    }

    #[test]
    fn malformed_fields_are_refused_as_an_http_server_would() {
        assert!(well_formed(&h(&[("Accept", "text/html"), ("x", "a\tb")])).is_ok());
        assert!(well_formed(&h(&[("Accept-Language", "en\r\nx: y")])).is_err());
        assert!(well_formed(&h(&[("x-pomerium-jwt-assertion\0", "t")])).is_err());
        assert!(well_formed(&h(&[("x-pomerium-jwt-assertion ", "t")])).is_err());
    }
}
