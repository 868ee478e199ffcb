//! Profile `pomerium`: ES256 signed headers (seed 003, profiles.md § pomerium), both roles.
//!
//! - Verifier role ([`verify`]): a request's headers in, the identity of the verified
//!   `x-pomerium-jwt-assertion` out. Keys come from configuration or from a JWKS document
//!   at a URL that is configured or built from the *configured* issuer, never from the
//!   token's `iss`.
//! - Proxy role ([`forward`]): a client's request headers in, the header set that goes
//!   upstream out: every client-supplied `x-pomerium-*` header stripped, one fresh
//!   assertion added, signed with a [`SigningKey`] (loaded by [`crate::keys`]).

use serde_json::{json, Map, Value};
use url::Url;

use crate::alg::{Alg, Family};
use crate::b64;
use crate::claims::{self, TimeRules};
use crate::error::Error;
use crate::jose::{self, Limits, Payload};
use crate::json::{self, Members};
use crate::keys::KeySet;
use crate::net::{Fetch, FetchLimits, JwksCache};

pub use crate::keys::SigningKey;

/// The header that carries the assertion (current Pomerium).
pub const ASSERTION_HEADER: &str = "x-pomerium-jwt-assertion";
/// The header name the seed gives; alone it is `either` (the reference does not read it).
pub const IAP_ASSERTION_HEADER: &str = "x-pomerium-iap-jwt-assertion";
/// Every header Pomerium owns starts with this (compared ASCII case-insensitively).
pub const OWN_PREFIX: &str = "x-pomerium-";
/// The seed's issuer, used when the configuration names none.
pub const DEFAULT_ISSUER: &str = "pomerium-proxy";
/// The seed's skew: "Allow 1 minute for skew".
pub const DEFAULT_SKEW: i64 = 60;
/// Where Pomerium serves its signing keys, on the issuer's host.
pub const JWKS_PATH: &str = "/.well-known/pomerium/jwks.json";
/// The lifetime of an assertion the proxy role mints (seconds): `exp = iat + 300`.
pub const ASSERTION_LIFETIME: i64 = 300;

/// Where the verifier's keys come from (rule pomerium.jwks).
#[derive(Clone, Debug)]
pub enum KeySource {
    /// Keys given in configuration (JWK, SPKI PEM, or a certificate's public key).
    Static(KeySet),
    /// A JWKS document at this URL: configured, or built from the configured issuer.
    Jwks(Url),
}

/// What the verifier role is configured with.
#[derive(Clone, Debug)]
pub struct Config {
    /// The app's host without a port (`httpbin.corp.example.com`).
    pub audience: String,
    /// The expected `iss`, default [`DEFAULT_ISSUER`].
    pub issuer: String,
    /// The keys.
    pub keys: KeySource,
    /// Seconds of skew for `exp` and `iat`, default [`DEFAULT_SKEW`].
    pub skew: i64,
    /// Size and depth bounds; `max_token_len` also bounds each assertion header value.
    pub limits: Limits,
    /// The bounds of a JWKS fetch.
    pub fetch: FetchLimits,
}

impl Config {
    /// A configuration with the seed's defaults.
    pub fn new(audience: &str, issuer: Option<&str>, keys: KeySource) -> Config {
        Config {
            audience: audience.to_owned(),
            issuer: issuer.unwrap_or(DEFAULT_ISSUER).to_owned(),
            keys,
            skew: DEFAULT_SKEW,
            limits: Limits::default(),
            fetch: FetchLimits::default(),
        }
    }
}

/// The JWKS URL of an issuer: `https://<issuer>/.well-known/pomerium/jwks.json`. The issuer
/// must be a bare host name (current Pomerium's issuer is the authenticate service's host).
pub fn jwks_url_for_issuer(issuer: &str) -> Result<Url, Error> {
    let refuse = |detail: String| Error::Config {
        detail: format!("cannot build a JWKS URL from issuer {issuer:?}: {detail}"),
    };
    if issuer.is_empty()
        || !issuer
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b':')
    {
        return Err(refuse("not a bare host name".into()));
    }
    let url =
        Url::parse(&format!("https://{issuer}{JWKS_PATH}")).map_err(|e| refuse(e.to_string()))?;
    let want = format!("https://{}{JWKS_PATH}", issuer.to_ascii_lowercase());
    if url.as_str() != want {
        return Err(refuse(format!("it parses to {}", url.as_str())));
    }
    Ok(url)
}

/// A configured JWKS URL: https only, no credentials.
pub fn parse_jwks_url(s: &str) -> Result<Url, Error> {
    let refuse = |detail: String| Error::Config {
        detail: format!("jwks_url {s:?}: {detail}"),
    };
    let url = Url::parse(s).map_err(|e| refuse(e.to_string()))?;
    if url.scheme() != "https" {
        return Err(refuse(format!("scheme {:?} is not https", url.scheme())));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse("carries credentials".into()));
    }
    Ok(url)
}

/// The identity a verified assertion carries (rule pomerium.identity).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// `sub`: the user's id.
    pub sub: String,
    /// `email`; an empty string counts as absent.
    pub email: Option<String>,
    /// `groups`; absent, null and `[]` are no groups.
    pub groups: Vec<String>,
}

impl Identity {
    /// The protocol's output: `{"sub", "email"?, "groups"?}` (absent members left out).
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("sub".into(), json!(self.sub));
        if let Some(e) = &self.email {
            out.insert("email".into(), json!(e));
        }
        if !self.groups.is_empty() {
            out.insert("groups".into(), json!(self.groups));
        }
        Value::Object(out)
    }

    /// Reads an identity from claims (a verified token's, or a proxy's configuration).
    pub fn from_claims(claims: &impl Members) -> Result<Identity, Error> {
        // rule: pomerium.identity
        let sub = claims::required_str(claims, "sub")?;
        if sub.is_empty() {
            // profiles.md is silent: an empty sub names nobody; the vector is `either`.
            return Err(Error::ClaimInvalid {
                claim: "sub".into(),
                detail: "empty string: names no user".into(),
            });
        }
        let email = match claims.member("email").as_deref() {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                return Err(Error::ClaimInvalid {
                    claim: "email".into(),
                    detail: format!("a {}, not a string", json::kind(other)),
                })
            }
        };
        let groups = match claims.member("groups").as_deref() {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, g)| {
                    g.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| Error::ClaimInvalid {
                            claim: "groups".into(),
                            detail: format!("groups[{i}] is a {}, not a string", json::kind(g)),
                        })
                })
                .collect::<Result<_, _>>()?,
            Some(other) => {
                return Err(Error::ClaimInvalid {
                    claim: "groups".into(),
                    detail: format!("a {}, not an array of strings", json::kind(other)),
                })
            }
        };
        Ok(Identity {
            sub: sub.into_owned(),
            email,
            groups,
        })
    }
}

/// An RFC 9110 `token` (a field name): one or more tchar.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Every header is a well-formed HTTP field (RFC 9110 §5.1, §5.5): the name a token, the
/// value free of control characters other than HTAB. The error names the header and where.
pub fn check_headers(headers: &[(String, String)]) -> Result<(), Error> {
    for (name, value) in headers {
        if !is_token(name) {
            let at = name
                .char_indices()
                .find(|(_, c)| !(c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(*c)))
                .map_or("it is empty".to_string(), |(i, c)| {
                    format!("{c:?} at byte {i} is not a token character")
                });
            return Err(Error::HeaderInvalid {
                name: shorten(name),
                detail: format!("not a field name (RFC 9110 §5.1): {at}"),
            });
        }
        if let Some((i, c)) = value
            .char_indices()
            .find(|(_, c)| c.is_ascii_control() && *c != '\t')
        {
            return Err(Error::HeaderInvalid {
                name: shorten(name),
                detail: format!(
                    "control character U+{:04X} at byte {i} of the value (RFC 9110 §5.5)",
                    c as u32
                ),
            });
        }
    }
    Ok(())
}

fn shorten(s: &str) -> String {
    const MAX: usize = 80;
    if s.len() <= MAX {
        return s.to_owned();
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", &s[..end], s.len())
}

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

/// What the proxy role is configured with.
#[derive(Clone, Debug)]
pub struct ProxyConfig {
    /// The route's audience (the app's host).
    pub audience: String,
    /// The issuer it signs as.
    pub issuer: String,
    /// Its signing key.
    pub signing_key: SigningKey,
    /// Seconds from `iat` to `exp`, default [`ASSERTION_LIFETIME`].
    pub lifetime: i64,
}

/// Mints the assertion for `identity` at `now` (ES256, RFC 6979 nonces: deterministic).
pub fn mint_assertion(identity: &Identity, config: &ProxyConfig, now: i64) -> String {
    let mut header = json!({"alg": "ES256", "typ": "JWT"});
    if let Some(kid) = &config.signing_key.kid {
        header["kid"] = json!(kid);
    }
    let mut claims = identity.to_json();
    let c = claims.as_object_mut().expect("an object");
    c.insert("iss".into(), json!(config.issuer));
    c.insert("aud".into(), json!(config.audience));
    c.insert("iat".into(), json!(now));
    c.insert("exp".into(), json!(now + config.lifetime));
    let input = format!(
        "{}.{}",
        b64::encode(header.to_string()),
        b64::encode(claims.to_string())
    );
    let sig = config.signing_key.sign(input.as_bytes());
    format!("{input}.{}", b64::encode(sig))
}

/// Whether a header name is Pomerium's: `x-pomerium-` in any case, any suffix.
pub fn is_own_header(name: &str) -> bool {
    name.len() >= OWN_PREFIX.len()
        && name.as_bytes()[..OWN_PREFIX.len()].eq_ignore_ascii_case(OWN_PREFIX.as_bytes())
}

/// The header set that goes upstream for a client's request (proxy role, rule
/// pomerium.strip): every client header but Pomerium's own, in order, then exactly one
/// fresh assertion. A request with a malformed header is refused (`malformed`), and so is
/// one whose header name spells a Pomerium header with `_` for `-`: CGI and WSGI map both
/// to the same variable (`HTTP_X_POMERIUM_JWT_ASSERTION`), so forwarding it would let the
/// client speak for the proxy to such an app (profiles.md is silent; the vector is `either`).
pub fn forward(
    headers: &[(String, String)],
    identity: &Identity,
    config: &ProxyConfig,
    now: i64,
) -> Result<Vec<(String, String)>, Error> {
    check_headers(headers)?;
    // rule: pomerium.strip
    let mut out = Vec::with_capacity(headers.len() + 1);
    for (name, value) in headers {
        if is_own_header(name) {
            continue;
        }
        if is_own_header(&name.replace('_', "-")) {
            return Err(Error::HeaderInvalid {
                name: shorten(name),
                detail: format!(
                    "spells a {OWN_PREFIX}* header with '_': CGI/WSGI apps would read it as Pomerium's"
                ),
            });
        }
        out.push((name.clone(), value.clone()));
    }
    out.push((
        ASSERTION_HEADER.to_owned(),
        mint_assertion(identity, config, now),
    ));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

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

    #[test]
    fn messages_name_the_header_and_the_byte() {
        let e = check_headers(&h(&[("x-a", "ab\u{7f}")])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "malformed: header \"x-a\": control character U+007F at byte 2 of the value (RFC 9110 §5.5)"
        );
        let e = check_headers(&h(&[("x a", "v")])).unwrap_err();
        assert!(e.to_string().contains("' ' at byte 1"), "{e}");
        let long = format!("x{}", "\u{1}".repeat(500));
        let e = check_headers(&h(&[(&long, "v")])).unwrap_err();
        assert!(e.to_string().contains("(501 bytes)"), "{e}");
        assert!(e.to_string().len() < 700, "{e}");
    }

    #[test]
    fn identity_claims() {
        let id = |v: Value| Identity::from_claims(v.as_object().unwrap());
        assert_eq!(
            id(json!({"sub": "u", "email": "", "groups": null}))
                .unwrap()
                .to_json(),
            json!({"sub": "u"})
        );
        assert_eq!(
            id(json!({"sub": "u", "email": "e", "groups": ["a"]}))
                .unwrap()
                .to_json(),
            json!({"sub": "u", "email": "e", "groups": ["a"]})
        );
        for bad in [
            json!({"email": "e"}),
            json!({"sub": ""}),
            json!({"sub": 1}),
            json!({"sub": "u", "email": 1}),
            json!({"sub": "u", "groups": "admins"}),
            json!({"sub": "u", "groups": ["a", 1]}),
        ] {
            assert!(id(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn jwks_urls() {
        assert_eq!(
            jwks_url_for_issuer("authenticate.corp.example.com")
                .unwrap()
                .as_str(),
            "https://authenticate.corp.example.com/.well-known/pomerium/jwks.json"
        );
        for bad in [
            "",
            "evil.example/x",
            "a@b",
            "https://x",
            "a b",
            "évil.example",
        ] {
            assert!(jwks_url_for_issuer(bad).is_err(), "{bad}");
        }
        assert!(parse_jwks_url("http://k.example/jwks.json").is_err());
        assert!(parse_jwks_url("https://u:p@k.example/jwks.json").is_err());
        assert!(parse_jwks_url("/jwks.json").is_err());
    }

    fn p256_a() -> Value {
        serde_json::from_str(include_str!("../../../vectors/keys/p256-a.json")).unwrap()
    }

    #[test]
    fn forward_strips_and_signs_a_verifiable_assertion() {
        let key = SigningKey::from_jwk(&p256_a()).unwrap();
        let public = crate::keys::Key::from_jwk(&key.public_jwk()).unwrap();
        let cfg = ProxyConfig {
            audience: "app.example".into(),
            issuer: DEFAULT_ISSUER.into(),
            signing_key: key,
            lifetime: ASSERTION_LIFETIME,
        };
        let id = Identity {
            sub: "u1".into(),
            email: Some("u1@example.com".into()),
            groups: vec!["g".into()],
        };
        let client = h(&[
            ("Host", "app.example"),
            ("X-Pomerium-Jwt-Assertion", "forged"),
            ("x-POMERIUM-claim-email", "evil@example.com"),
            ("Accept", "*/*"),
        ]);
        let out = forward(&client, &id, &cfg, 1000).unwrap();
        assert_eq!(out.len(), 3);
        assert_eq!(out[0], ("Host".to_string(), "app.example".to_string()));
        assert_eq!(out[1].0, "Accept");
        let config = Config::new(
            "app.example",
            None,
            KeySource::Static(KeySet::new(vec![public]).unwrap()),
        );
        let (got, _) = verify(
            &out,
            &config,
            &mut JwksCache::default(),
            1000,
            &mut crate::net::NoNetwork,
        )
        .unwrap();
        assert_eq!(got, id);
        assert!(forward(&h(&[("x_pomerium_jwt_assertion", "t")]), &id, &cfg, 0).is_err());
        assert!(forward(&h(&[("a", "\n")]), &id, &cfg, 0).is_err());
        // Deterministic: the same input mints the same bytes.
        assert_eq!(forward(&client, &id, &cfg, 1000).unwrap(), out);
    }
}
