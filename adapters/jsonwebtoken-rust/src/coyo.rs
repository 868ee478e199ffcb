//! COYO plug-in tokens (COYO's "JWT token security"): RS256, keys registered per issuer pattern, built-in
//! keys, and keys downloaded from the header's `jku` when its origin is allowlisted.
//!
//! The library: `decode` with `Validation::new(RS256)`, `iss` required (it is the
//! output), `exp`/`nbf` validated with leeway = the context's skew (0),
//! `reject_tokens_expiring_in_less_than` = 1; keys from `DecodingKey::from_jwk` and a
//! fetched `jsonwebtoken::jwk::JwkSet`; `decode_header` for `kid`/`jku`,
//! `dangerous::insecure_decode` for the issuer that selects registered keys (the seed's
//! JwkStore matches "the regex … 'iss' issuer claim" before it can verify).
//!
//! The glue is the seed's JwkStore, which jsonwebtoken does not have: issuer patterns
//! (the seed's JavaScript literal `/…/i`, matched against the whole `iss`), built-in keys
//! first, and the `jku` allowlist ("a plug-in MUST check the public key download URL
//! ('jku' header claim) against a whitelist of known sites", "the protocol MUST be
//! secured by TLS using HTTPS"): the `jku` is parsed (WHATWG, the `url` crate), must be
//! https with an allowlisted origin, and only then is its serialization fetched.

use crate::compat::AlgorithmFamily;
use jsonwebtoken::{Algorithm, Validation};
use regex::{Regex, RegexBuilder};
use serde_json::{json, Value};
use url::Url;

use crate::clock::pin;
use crate::core::{skew, token, tri, REJECT_EXPIRING_IN_LESS_THAN};
use crate::keys::{self, candidates, from_set, load_all, verify, Trusted};
use crate::net::{Cache, Fetcher, Want};
use crate::verdict::{Reject, Verdict};

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
        let token = tri!(token(input));
        // coyo.alg: RS256, or RS512 by a key that declares it (COYO's built-in keys are RS512).
        let rs512 = jsonwebtoken::decode_header(token).is_ok_and(|h| h.alg == Algorithm::RS512);
        let declared = |keys: &mut Vec<Trusted>| {
            if rs512 {
                keys.retain(|k| k.jwk_alg == Some(jsonwebtoken::jwk::KeyAlgorithm::RS512));
            }
        };
        let mut validation = Validation::new(if rs512 {
            Algorithm::RS512
        } else {
            Algorithm::RS256
        });
        validation.set_required_spec_claims(&["iss"]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.leeway = tri!(skew(context));
        validation.reject_tokens_expiring_in_less_than = REJECT_EXPIRING_IN_LESS_THAN;
        let (validation, clock) = pin(validation, now);

        let header = match keys::allowed_header(token, &validation.algorithms) {
            Ok(h) => h,
            Err(r) => return Verdict::Reject(r),
        };

        // Built-in keys first, then the keys registered for every pattern the (still
        // unverified) issuer matches.
        let (mut keys, mut notes) = load_all(
            tri!(keys::list(context, "builtin").map_err(Verdict::Error)),
            Some(AlgorithmFamily::Rsa),
        );
        let iss = jsonwebtoken::dangerous::insecure_decode::<Value>(token)
            .ok()
            .and_then(|d| {
                d.claims
                    .get("iss")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            });
        for entry in tri!(keys::list(context, "issuers").map_err(Verdict::Error)) {
            let pattern = entry
                .get("pattern")
                .and_then(Value::as_str)
                .unwrap_or_default();
            match issuer_pattern(pattern) {
                Ok(re) => {
                    if iss.as_deref().is_some_and(|iss| re.is_match(iss)) {
                        let (k, n) = load_all(
                            tri!(keys::list(entry, "keys").map_err(Verdict::Error)),
                            Some(AlgorithmFamily::Rsa),
                        );
                        keys.extend(k);
                        notes.extend(n);
                    }
                }
                Err(e) => notes.push(e),
            }
        }

        declared(&mut keys);
        if candidates(&keys, header.kid.as_deref()).is_empty() {
            if let Some(jku) = header.jku.as_deref() {
                let allowlist = tri!(keys::list(context, "jku_allowlist").map_err(Verdict::Error));
                let url = match allowed(jku, allowlist) {
                    Ok(u) => u,
                    Err(r) => return Verdict::Reject(r),
                };
                match tri!(self.fetched_keys(url.as_str(), header.kid.as_deref(), now, net)) {
                    Ok((k, n)) => {
                        keys = k;
                        declared(&mut keys);
                        notes.extend(n);
                    }
                    Err(r) => return Verdict::Reject(r),
                }
            }
        }

        let claims = match verify(token, &keys, &validation, &clock, &notes) {
            Ok(data) => data.claims,
            Err(r) => return Verdict::Reject(r),
        };
        let mut out = json!({});
        match claims.get("iss") {
            Some(Value::String(iss)) => out["iss"] = json!(iss),
            other => {
                return Verdict::reject("claim_invalid", format!("iss is not a string: {other:?}"))
            }
        }
        match claims.get("sub") {
            None => {}
            Some(Value::String(sub)) => out["sub"] = json!(sub),
            Some(other) => {
                return Verdict::reject("claim_invalid", format!("sub is not a string: {other}"))
            }
        }
        Verdict::Accept(out)
    }

    /// The keys of the set at `url` (cached; refetched for an unknown kid only when the
    /// cool-down allows).
    #[allow(clippy::type_complexity)]
    fn fetched_keys(
        &mut self,
        url: &str,
        kid: Option<&str>,
        now: u64,
        net: &mut dyn Fetcher,
    ) -> Result<Result<(Vec<Trusted>, Vec<String>), Reject>, Verdict> {
        let mut want = Want::Any;
        loop {
            let set = match self.jwks.get(url, want, now, net).map_err(Verdict::Error)? {
                Ok(set) => set,
                Err(e) => return Ok(Err(Reject::new("key_unavailable", e.0))),
            };
            let (keys, notes) = from_set(&set, url);
            if !candidates(&keys, kid).is_empty() || want == Want::Refresh {
                return Ok(Ok((keys, notes)));
            }
            want = Want::Refresh;
        }
    }
}

/// An issuer pattern as the seed writes it, `/…/flags` (a JavaScript literal; only the
/// `i` flag is supported), or a bare expression; matched against the whole `iss`.
fn issuer_pattern(pattern: &str) -> Result<Regex, String> {
    let (body, flags) = match pattern.strip_prefix('/').and_then(|p| p.rsplit_once('/')) {
        Some((body, flags)) => (body, flags),
        None => (pattern, ""),
    };
    if let Some(f) = flags.chars().find(|&f| f != 'i') {
        return Err(format!(
            "issuer pattern {pattern:?}: flag {f:?} is not supported"
        ));
    }
    // The expression must compile on its own before it is anchored.
    Regex::new(body).map_err(|e| format!("issuer pattern {pattern:?} does not compile: {e}"))?;
    RegexBuilder::new(&format!("^(?:{body})$"))
        .case_insensitive(flags.contains('i'))
        .build()
        .map_err(|e| format!("issuer pattern {pattern:?} does not compile: {e}"))
}

/// The `jku`, parsed (WHATWG), if it is https and its origin is allowlisted.
fn allowed(jku: &str, allowlist: &[Value]) -> Result<Url, Reject> {
    let refuse = |why: String| Reject::new("jku_not_allowed", format!("jku {jku:?}: {why}"));
    let url = Url::parse(jku).map_err(|e| refuse(format!("not an absolute URL ({e})")))?;
    if url.scheme() != "https" {
        return Err(refuse(format!("scheme {:?} is not https", url.scheme())));
    }
    let origin = url.origin();
    let listed = allowlist
        .iter()
        .filter_map(Value::as_str)
        .filter_map(|a| Url::parse(a).ok())
        .any(|a| a.origin() == origin);
    if !listed {
        return Err(refuse(format!(
            "origin {} is not allowlisted",
            origin.ascii_serialization()
        )));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_patterns_are_the_seeds_literals_matched_in_full() {
        let seed = issuer_pattern(r"/^https:\/\/some.site$/i").unwrap();
        assert!(seed.is_match("https://some.site"));
        assert!(seed.is_match("HTTPS://SOME.SITE"));
        assert!(
            seed.is_match("https://someXsite"),
            "the seed's unescaped dot is a regex dot"
        );
        assert!(!seed.is_match("https://some.site\n"));
        let bare = issuer_pattern(r"https://some\.site").unwrap();
        assert!(bare.is_match("https://some.site"));
        assert!(!bare.is_match("https://evil.example/https://some.site"));
        assert!(!bare.is_match("https://some.site.evil.example"));
        assert!(issuer_pattern(r"/^https:\/\/some\.site$/g").is_err());
        assert!(issuer_pattern(r"/^https:\/\/some\.site($/i").is_err());
    }

    #[test]
    fn a_jku_is_fetched_only_from_an_allowlisted_https_origin() {
        let list = [json!("https://pubkeys.coyocloud.example")];
        let ok = |jku: &str| allowed(jku, &list).map(|u| u.to_string());
        assert_eq!(
            ok("https://pubkeys.coyocloud.example/jwks.json").unwrap(),
            "https://pubkeys.coyocloud.example/jwks.json"
        );
        assert_eq!(
            ok("HTTPS://PUBKEYS.coyocloud.example:443/a/../jwks.json").unwrap(),
            "https://pubkeys.coyocloud.example/jwks.json"
        );
        for bad in [
            "https://pubkeys.coyocloud.example.evil.example/jwks.json",
            "https://pubkeys.coyocloud.example@evil.example/jwks.json",
            "https://pubkeys.coyocloud.example%2f@evil.example/jwks.json",
            "http://pubkeys.coyocloud.example/jwks.json",
            "https://pubkeys.coyocloud.example:8443/jwks.json",
            "/jwks.json",
            "",
        ] {
            assert_eq!(ok(bad).unwrap_err().code, "jku_not_allowed", "{bad}");
        }
    }
}
