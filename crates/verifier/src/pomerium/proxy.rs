//! The proxy role of profile `pomerium` (rule pomerium.strip): a client's request headers
//! in, the header set that goes upstream out, with one fresh assertion minted for the
//! identity.

use serde_json::json;

use super::{check_headers, shorten, Identity, ASSERTION_HEADER, OWN_PREFIX};
use crate::b64;
use crate::error::Error;
use crate::jose::DEFAULT_MAX_TOKEN_LEN;
use crate::keys::SigningKey;

/// What the proxy role is configured with.
#[derive(Clone, Debug)]
pub struct ProxyConfig {
    /// The route's audience (the app's host).
    pub audience: String,
    /// The issuer it signs as.
    pub issuer: String,
    /// Its signing key.
    pub signing_key: SigningKey,
    /// Seconds from `iat` to `exp`, default [`ASSERTION_LIFETIME`](super::ASSERTION_LIFETIME).
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
/// client speak for the proxy to such an app (the rules are silent; the vector is `either`).
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
    let assertion = mint_assertion(identity, config, now);
    // An identity too large for an assertion the app could accept (rule core.size bounds
    // every token its verifier reads) is the configuration's fault: refused here rather
    // than forwarded to be refused upstream. Found by the pomerium_headers fuzz target.
    if assertion.len() > DEFAULT_MAX_TOKEN_LEN {
        return Err(Error::Config {
            detail: format!(
                "the assertion for this identity would be {} bytes, over the {DEFAULT_MAX_TOKEN_LEN}-byte \
                 bound of rule core.size that the app's verifier applies",
                assertion.len()
            ),
        });
    }
    out.push((ASSERTION_HEADER.to_owned(), assertion));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::tests::h;
    use super::super::{verify, Config, KeySource, ASSERTION_LIFETIME, DEFAULT_ISSUER};
    use super::*;
    use crate::keys::KeySet;
    use crate::net::JwksCache;
    use serde_json::Value;

    fn p256_a() -> Value {
        serde_json::from_str(include_str!("../../../../vectors/keys/p256-a.json")).unwrap()
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
        let upstream_identity = |out: &[(String, String)]| {
            verify(
                out,
                &config,
                &mut JwksCache::default(),
                1000,
                &mut crate::net::NoNetwork,
            )
            .unwrap()
            .0
        };
        assert_eq!(upstream_identity(&out), id);
        assert!(forward(&h(&[("x_pomerium_jwt_assertion", "t")]), &id, &cfg, 0).is_err());
        assert!(forward(&h(&[("a", "\n")]), &id, &cfg, 0).is_err());
        // Deterministic: the same input mints the same bytes.
        assert_eq!(forward(&client, &id, &cfg, 1000).unwrap(), out);
        // An identity whose assertion would pass the size bound is refused, and one just
        // under it is forwarded and verifies.
        for (sub_len, fits) in [(11_000, true), (12_500, false)] {
            let big = Identity {
                sub: "u".repeat(sub_len),
                ..id.clone()
            };
            match forward(&client, &big, &cfg, 1000) {
                Ok(out) => {
                    assert!(fits, "{sub_len}: forwarded");
                    assert_eq!(upstream_identity(&out), big);
                }
                Err(e) => {
                    assert!(!fits, "{sub_len}: {e}");
                    assert!(e.to_string().contains("over the 16384-byte bound"), "{e}");
                }
            }
        }
    }
}
