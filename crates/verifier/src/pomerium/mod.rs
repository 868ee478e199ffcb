//! Profile `pomerium`: ES256 signed headers (Pomerium's "Securing your app with signed headers"; docs/rules.md § pomerium), both roles.
//!
//! - Verifier role ([`verify()`], `verify.rs`): a request's headers in, the identity of the
//!   verified `x-pomerium-jwt-assertion` out. Keys come from configuration or from a JWKS
//!   document at a URL that is configured or built from the *configured* issuer, never
//!   from the token's `iss`.
//! - Proxy role ([`forward`], `proxy.rs`): a client's request headers in, the header set
//!   that goes upstream out: every client-supplied `x-pomerium-*` header stripped, one
//!   fresh assertion added, signed with a [`SigningKey`] (loaded by [`crate::keys`]).
//!
//! This file holds what both roles share: the constants, the verifier's configuration and
//! key source, the [`Identity`] an assertion carries, and the header syntax check.

use serde_json::{json, Map, Value};
use url::Url;

use crate::claims;
use crate::error::Error;
use crate::jose::Limits;
use crate::json::{self, Members};
use crate::keys::KeySet;
use crate::net::FetchLimits;

mod proxy;
mod verify;

pub use crate::keys::SigningKey;
pub use proxy::{forward, is_own_header, mint_assertion, ProxyConfig};
pub use verify::{assertion, verify};

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
            // the rules are silent: an empty sub names nobody; the vector is `either`.
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

/// A header name or value for a message: at most 80 bytes of it, then its length.
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Header pairs from string pairs (also for the tests of `verify.rs` and `proxy.rs`).
    pub(super) fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
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
}
