//! The verifier role of profile `pomerium`: a request's headers in, the [`Identity`] of
//! its verified assertion out.

use serde_json::Value;

use super::{check_headers, shorten, Config, Identity, KeySource};
use super::{ASSERTION_HEADER, IAP_ASSERTION_HEADER};
use crate::alg::{Alg, Family};
use crate::claims::{self, TimeRules};
use crate::error::Error;
use crate::jose::{self, Limits, Payload};
use crate::json::{self, Members};
use crate::net::{Fetch, JwksCache};

/// Optional whitespace around a field value (RFC 9110 §5.6.3: SP and HTAB).
fn trim_ows(s: &str) -> &str {
    s.trim_matches(|c| c == ' ' || c == '\t')
}

/// The assertion of a request (rule pomerium.header): from `x-pomerium-jwt-assertion`,
/// names compared case-insensitively, surrounding whitespace trimmed; a value holding a
/// comma is a folded list (RFC 9110 §5.3) of several values. No assertion rejects
/// `token_missing` (the seed's `x-pomerium-iap-jwt-assertion` alone counts as none: the
/// strict side of an `either`); more than one value under either name rejects
/// `header_conflict`, identical or not (identical duplicates are `either`).
pub fn assertion<'h>(headers: &'h [(String, String)], limits: &Limits) -> Result<&'h str, Error> {
    let mut primary: Vec<&str> = Vec::new();
    let mut iap: Vec<&str> = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for (name, value) in headers {
        let list = if name.eq_ignore_ascii_case(ASSERTION_HEADER) {
            &mut primary
        } else if name.eq_ignore_ascii_case(IAP_ASSERTION_HEADER) {
            &mut iap
        } else {
            continue;
        };
        // rule: core.size — a header value over the bound, before anything else.
        if value.len() > limits.max_token_len {
            return Err(Error::TooLarge {
                len: value.len(),
                max: limits.max_token_len,
            });
        }
        names.push(name);
        list.extend(value.split(',').map(trim_ows).filter(|v| !v.is_empty()));
    }
    check_headers(headers)?;
    // rule: pomerium.header
    if primary.is_empty() {
        return Err(Error::TokenMissing {
            detail: if iap.is_empty() {
                format!("no {ASSERTION_HEADER} header with a value")
            } else {
                format!(
                    "only {IAP_ASSERTION_HEADER}, which the reference does not read: \
                     current Pomerium sends {ASSERTION_HEADER}"
                )
            },
        });
    }
    let count = primary.len() + iap.len();
    if count > 1 {
        let all: Vec<&str> = primary.iter().chain(iap.iter()).copied().collect();
        let identical = all.iter().all(|v| *v == all[0]);
        return Err(Error::HeaderConflict {
            header: names.join(", "),
            count,
            detail: if identical {
                "identical values; one assertion is expected".into()
            } else {
                "differing values".into()
            },
        });
    }
    Ok(primary[0])
}

fn shown(v: Option<&Value>) -> String {
    match v {
        None => "(missing)".into(),
        Some(v) => shorten(&v.to_string()),
    }
}

fn check_issuer(claims: &json::Object, expected: &str) -> Result<(), Error> {
    // rule: pomerium.iss — exactly the configured issuer; anything else is issuer_mismatch.
    match claims.member("iss").as_deref() {
        Some(Value::String(s)) if s == expected => Ok(()),
        Some(Value::String(s)) => Err(Error::IssuerMismatch {
            expected: expected.to_owned(),
            got: shorten(s),
        }),
        other => Err(Error::IssuerMismatch {
            expected: expected.to_owned(),
            got: shown(other),
        }),
    }
}

fn check_audience(claims: &json::Object, expected: &str) -> Result<(), Error> {
    // rule: pomerium.aud — a string equal to the audience, or an array that holds it.
    let aud = claims.get("aud");
    let ok = match &aud {
        Some(Value::String(s)) => s == expected,
        Some(Value::Array(items)) => items.iter().any(|a| a.as_str() == Some(expected)),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::AudienceMismatch {
            expected: expected.to_owned(),
            got: shown(aud.as_ref()),
        })
    }
}

fn check_times(claims: &json::Object, now: i64, skew: i64) -> Result<(), Error> {
    // rule: pomerium.exp, pomerium.iat — both required, both with the skew; exp accepted
    // while now < exp + skew (exactly at the edge rejects: the strict side of `either`).
    let rules = TimeRules {
        skew,
        require_exp: true,
        require_iat: true,
        iat_not_in_future: true,
    };
    claims::check_times(claims, now, &rules)?;
    // The edge itself (iat == now + skew) is `either`; the reference rejects it, so that
    // iat is accepted while iat < now + skew, the mirror of exp.
    if let Some(iat) = claims.get("iat").as_ref().and_then(Value::as_f64) {
        if iat.ceil() >= (now + skew) as f64 {
            return Err(Error::IssuedAtEdge { iat, skew, now });
        }
    }
    Ok(())
}

/// Verifies a request's assertion and returns its identity (verifier role).
///
/// Order (core.order): header extraction › structure › ES256 › key › signature › claims.
/// With a JWKS source the unverified `iss` is compared with the configured issuer *before*
/// anything is fetched (rule pomerium.jwks): a token naming another issuer never makes the
/// verifier fetch, and rejects `issuer_mismatch`.
pub fn verify(
    headers: &[(String, String)],
    config: &Config,
    cache: &mut JwksCache,
    now: i64,
    fetch: &mut dyn Fetch,
) -> Result<(Identity, Vec<String>), Error> {
    let token = assertion(headers, &config.limits)?;
    let parsed = jose::parse(token, &config.limits, Payload::JsonObject)?;
    // rule: pomerium.alg
    let alg = jose::check_alg(&parsed, &[Alg::ES256])?;
    let claims = parsed.claims.clone().unwrap_or_default();
    let mut notes = Vec::new();
    // rule: pomerium.jwks — keys from configuration, or from the configured URL; the
    // token's `iss` (and any jku/x5u/jwk in its header) never chooses where keys come from.
    let fetched;
    let keys = match &config.keys {
        KeySource::Static(keys) => keys,
        KeySource::Jwks(url) => {
            check_issuer(&claims, &config.issuer)?;
            let (set, n, _) = cache.keys(
                url,
                alg,
                parsed.kid().as_deref(),
                now,
                fetch,
                &config.fetch,
                Family::P256,
            )?;
            notes = n;
            fetched = set;
            &fetched
        }
    };
    jose::verify_signature(&parsed, alg, keys)?;
    // rule: core.order — claims only now.
    check_issuer(&claims, &config.issuer)?;
    check_audience(&claims, &config.audience)?;
    check_times(&claims, now, config.skew)?;
    // rule: pomerium.identity — from the verified claims only; the unsigned
    // x-pomerium-authenticated-user-* and x-pomerium-claim-* headers are never read.
    Ok((Identity::from_claims(&claims)?, notes))
}

#[cfg(test)]
mod tests {
    use super::super::tests::h;
    use super::*;

    fn code(r: Result<&str, Error>) -> &'static str {
        match r {
            Ok(_) => "ok",
            Err(e) => e.code().as_str(),
        }
    }

    #[test]
    fn the_assertion_header() {
        let l = Limits::default();
        let a = ASSERTION_HEADER;
        assert_eq!(assertion(&h(&[(a, "t")]), &l).unwrap(), "t");
        assert_eq!(
            assertion(&h(&[("X-Pomerium-JWT-Assertion", " \tt\t ")]), &l).unwrap(),
            "t"
        );
        assert_eq!(code(assertion(&h(&[]), &l)), "token_missing");
        assert_eq!(code(assertion(&h(&[(a, "  ")]), &l)), "token_missing");
        assert_eq!(
            code(assertion(&h(&[(IAP_ASSERTION_HEADER, "t")]), &l)),
            "token_missing"
        );
        assert_eq!(
            code(assertion(&h(&[("x-pomerium-jwt-assertion-for", "t")]), &l)),
            "token_missing"
        );
        assert_eq!(
            code(assertion(&h(&[(a, "t"), (a, "u")]), &l)),
            "header_conflict"
        );
        assert_eq!(
            code(assertion(&h(&[(a, "t"), (a, "t")]), &l)),
            "header_conflict"
        );
        assert_eq!(code(assertion(&h(&[(a, "t, u")]), &l)), "header_conflict");
        assert_eq!(
            code(assertion(&h(&[(a, "t"), (IAP_ASSERTION_HEADER, "t")]), &l)),
            "header_conflict"
        );
        assert_eq!(code(assertion(&h(&[(a, "t\0u")]), &l)), "malformed");
        assert_eq!(
            code(assertion(&h(&[(a, "t\r\nx-evil: 1")]), &l)),
            "malformed"
        );
        assert_eq!(
            code(assertion(&h(&[(a, "t"), ("bad name", "v")]), &l)),
            "malformed"
        );
        assert_eq!(code(assertion(&h(&[(a, "t"), ("", "v")]), &l)), "malformed");
        let big = "e".repeat(l.max_token_len + 1);
        assert_eq!(code(assertion(&h(&[(a, &big)]), &l)), "too_large");
        // Non-ASCII (obs-text) is not a control character; the token parse judges it.
        assert_eq!(assertion(&h(&[(a, "tö")]), &l).unwrap(), "tö");
    }
}
