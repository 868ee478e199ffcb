//! The network, behind a trait: the verifier does no I/O of its own. A profile that
//! downloads keys (COYO's `jku`, Pomerium's JWKS) is handed a [`Fetch`]; the harness
//! answers from a case's `network` map and records every URL, a server would plug in an
//! HTTP client. Fetched JWK Sets are checked ([`fetch_jwks`]) and cached with a bound,
//! a maximum age and a refetch cool-down ([`JwksCache`]).
//!
//! Time is a parameter here too: the cache is given `now`, and a time-out is what the
//! fetcher reports, never a sleep of the verifier's.

use std::fmt;

use serde_json::Value;
use url::Url;

use crate::alg::{Alg, Family};
use crate::error::Error;
use crate::json;
use crate::keys::KeySet;

/// The default time-out budget of one fetch (milliseconds).
pub const DEFAULT_TIMEOUT_MS: u64 = 5_000;
/// The default bound on a fetched document (bytes).
pub const DEFAULT_MAX_BODY: usize = 64 * 1024;
/// The nesting bound for a fetched JWK Set (a set is two levels deep; keys add one).
pub const JWKS_MAX_DEPTH: usize = 16;

/// What one fetch may cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FetchLimits {
    /// The time-out budget in milliseconds; a slower answer is a time-out.
    pub timeout_ms: u64,
    /// The largest body accepted; a fetcher may stop reading after this many bytes.
    pub max_body: usize,
}

impl Default for FetchLimits {
    fn default() -> Self {
        FetchLimits {
            timeout_ms: DEFAULT_TIMEOUT_MS,
            max_body: DEFAULT_MAX_BODY,
        }
    }
}

/// An HTTP response, as the fetcher got it. Redirects are returned, never followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The response headers (names as sent).
    pub headers: Vec<(String, String)>,
    /// The body bytes (at most [`FetchLimits::max_body`] + 1 of them suffice to judge size).
    pub body: Vec<u8>,
}

impl Response {
    /// The first header of this name (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a fetch produced no response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchError {
    /// No answer within the budget.
    Timeout {
        /// The budget that ran out, in milliseconds.
        budget_ms: u64,
    },
    /// Anything else: no such host, connection refused, TLS failure.
    Failed {
        /// What happened.
        detail: String,
    },
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Timeout { budget_ms } => write!(f, "time-out after {budget_ms} ms"),
            FetchError::Failed { detail } => write!(f, "fetch failed: {detail}"),
        }
    }
}

/// The network. `fetch` does one GET of exactly `url` and does not follow redirects.
pub trait Fetch {
    /// Fetches `url` within `limits`.
    fn fetch(&mut self, url: &Url, limits: &FetchLimits) -> Result<Response, FetchError>;
}

/// A network with nothing on it: every fetch fails. For configurations without remote keys.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoNetwork;

impl Fetch for NoNetwork {
    fn fetch(&mut self, _url: &Url, _limits: &FetchLimits) -> Result<Response, FetchError> {
        Err(FetchError::Failed {
            detail: "this verifier has no network".into(),
        })
    }
}

/// Fetches `url` and loads it as a JWK Set of `family` keys (rule coyo.fetch, pomerium.jwks).
///
/// The status must be 200 (a redirect is not followed), the body within the bound and
/// strict JSON: an object whose `keys` is an array. A bare JWK is not a set. Keys of
/// another type are skipped; keys that fail validation (e.g. RSA under 2048 bits, an EC
/// point off the curve) are refused one by one and returned beside the set as notes.
pub fn fetch_jwks(
    fetch: &mut dyn Fetch,
    url: &Url,
    limits: &FetchLimits,
    family: Family,
) -> Result<(KeySet, Vec<String>), Error> {
    // rule: coyo.fetch, pomerium.jwks — status, redirects, size, strict JSON, filtering.
    let unavailable = |reason: String| Error::KeyUnavailable {
        url: url.as_str().to_owned(),
        reason,
    };
    let response = fetch
        .fetch(url, limits)
        .map_err(|e| unavailable(e.to_string()))?;
    if (300..400).contains(&response.status) {
        let to = response
            .header("location")
            .map_or("no Location".to_string(), |l| format!("Location {l:?}"));
        return Err(unavailable(format!(
            "HTTP {} redirect ({to}) not followed",
            response.status
        )));
    }
    if response.status != 200 {
        return Err(unavailable(format!("HTTP status {}", response.status)));
    }
    if response.body.len() > limits.max_body {
        return Err(unavailable(format!(
            "body of {} bytes is over the bound of {} bytes",
            response.body.len(),
            limits.max_body
        )));
    }
    let doc = json::parse_value(&response.body, JWKS_MAX_DEPTH)
        .map_err(|e| unavailable(format!("not strict JSON: {e}")))?;
    let document_key;
    let keys = match &doc {
        // rule: coyo.fetch — COYO's key document, the shape @coyoapp/plugin-adapter reads.
        Value::Object(o)
            if family == Family::Rsa && !o.contains_key("keys") && o.contains_key("key") =>
        {
            document_key = [crate::coyo_doc::key_document(o).map_err(unavailable)?];
            &document_key[..]
        }
        Value::Object(o) => match o.get("keys") {
            Some(Value::Array(keys)) => &keys[..],
            Some(other) => {
                return Err(unavailable(format!(
                    "\"keys\" is a {}, not an array",
                    json::kind(other)
                )))
            }
            None if o.contains_key("kty") => {
                return Err(unavailable(
                    "a bare JWK, not a JWK Set (RFC 7517 §5)".to_string(),
                ))
            }
            None => return Err(unavailable("no \"keys\" member: not a JWK Set".into())),
        },
        other => {
            return Err(unavailable(format!(
                "a JSON {}, not a JWK Set object",
                json::kind(other)
            )))
        }
    };
    let kty = match family {
        Family::Rsa => "RSA",
        Family::P256 => "EC",
        Family::Hmac => "oct",
    };
    let mut notes = Vec::new();
    let mut kept = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        match k.get("kty").and_then(Value::as_str) {
            Some(t) if t == kty => kept.push(k.clone()),
            other => notes.push(format!(
                "{}: keys[{i}] skipped: kty {} is not {kty}",
                url.as_str(),
                other.map_or("(none)".to_string(), |t| format!("{t:?}"))
            )),
        }
    }
    let (set, refused) = KeySet::from_jwk_list(&kept)?;
    notes.extend(
        refused
            .into_iter()
            .map(|e| format!("{}: skipped: {e}", url.as_str())),
    );
    Ok((set, notes))
}

/// How fetched sets are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CachePolicy {
    /// At most this many URLs are cached; the least recently used is dropped first.
    pub max_entries: usize,
    /// A set older than this (seconds) is fetched again on its next use.
    pub max_age: i64,
    /// After any fetch of a URL, no other fetch of it for this many seconds: an unknown
    /// `kid` and a failed fetch are answered from the cache meanwhile (coyo.fetch-cache).
    pub cooldown: i64,
}

/// The default cache: 16 URLs, ten minutes, a one-minute cool-down.
pub const DEFAULT_CACHE: CachePolicy = CachePolicy {
    max_entries: 16,
    max_age: 600,
    cooldown: 60,
};

impl Default for CachePolicy {
    fn default() -> Self {
        DEFAULT_CACHE
    }
}

#[derive(Clone, Debug)]
struct Entry {
    url: String,
    /// The last set fetched successfully, with its notes, and when.
    keys: Option<(KeySet, Vec<String>, i64)>,
    /// The last fetch attempt (successful or not).
    attempted_at: i64,
    /// The error of the last attempt, if it failed.
    error: Option<Error>,
    /// For least-recently-used eviction.
    used: u64,
}

/// A bounded cache of fetched JWK Sets, by URL (rule coyo.fetch-cache).
#[derive(Clone, Debug, Default)]
pub struct JwksCache {
    policy: CachePolicy,
    entries: Vec<Entry>,
    tick: u64,
}

/// Where a set came from, for messages and tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Fetched just now.
    Fetched,
    /// From the cache.
    Cached,
}

impl JwksCache {
    /// An empty cache.
    pub fn new(policy: CachePolicy) -> JwksCache {
        JwksCache {
            policy,
            entries: Vec::new(),
            tick: 0,
        }
    }

    /// How many URLs are cached.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The keys at `url` for a token of `alg` and `kid`: from the cache while the cached set
    /// is fresh and has a candidate; otherwise fetched, but at most once per cool-down per
    /// URL (meanwhile the cached set, or the last failure, answers).
    #[allow(clippy::too_many_arguments)]
    pub fn keys(
        &mut self,
        url: &Url,
        alg: Alg,
        kid: Option<&str>,
        now: i64,
        fetch: &mut dyn Fetch,
        limits: &FetchLimits,
        family: Family,
    ) -> Result<(KeySet, Vec<String>, Source), Error> {
        // rule: coyo.fetch-cache — fresh sets answer; one fetch per URL per cool-down.
        self.tick += 1;
        let tick = self.tick;
        let policy = self.policy;
        if let Some(e) = self.entries.iter_mut().find(|e| e.url == url.as_str()) {
            e.used = tick;
            if let Some((set, notes, at)) = &e.keys {
                let fresh = (0..policy.max_age).contains(&(now - at));
                if fresh && !set.candidates(alg, kid).is_empty() {
                    return Ok((set.clone(), notes.clone(), Source::Cached));
                }
            }
            let cooling = (0..policy.cooldown).contains(&(now - e.attempted_at));
            if cooling {
                return match (&e.error, &e.keys) {
                    (Some(err), _) => Err(match err.clone() {
                        Error::KeyUnavailable { url, reason } => Error::KeyUnavailable {
                            url,
                            reason: format!(
                                "{reason} (at {}; no new attempt before the {} s cool-down ends)",
                                e.attempted_at, policy.cooldown
                            ),
                        },
                        other => other,
                    }),
                    (None, Some((set, notes, _))) => {
                        Ok((set.clone(), notes.clone(), Source::Cached))
                    }
                    (None, None) => Ok((KeySet::default(), Vec::new(), Source::Cached)),
                };
            }
        }
        let result = fetch_jwks(fetch, url, limits, family);
        let entry = match self.entries.iter().position(|e| e.url == url.as_str()) {
            Some(i) => &mut self.entries[i],
            None => {
                if self.entries.len() >= policy.max_entries.max(1) {
                    let lru = self
                        .entries
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, e)| e.used)
                        .map(|(i, _)| i)
                        .unwrap_or(0);
                    self.entries.remove(lru);
                }
                self.entries.push(Entry {
                    url: url.as_str().to_owned(),
                    keys: None,
                    attempted_at: now,
                    error: None,
                    used: tick,
                });
                self.entries.last_mut().expect("just pushed")
            }
        };
        entry.attempted_at = now;
        match result {
            Ok((set, notes)) => {
                entry.keys = Some((set.clone(), notes.clone(), now));
                entry.error = None;
                Ok((set, notes, Source::Fetched))
            }
            Err(e) => {
                entry.error = Some(e.clone());
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A scripted network: a map of URL to response, and a log.
    struct Script {
        answers: Vec<(String, Result<Response, FetchError>)>,
        log: Vec<String>,
    }

    impl Fetch for Script {
        fn fetch(&mut self, url: &Url, _: &FetchLimits) -> Result<Response, FetchError> {
            self.log.push(url.as_str().to_owned());
            self.answers
                .iter()
                .find(|(u, _)| u == url.as_str())
                .map(|(_, r)| r.clone())
                .unwrap_or(Err(FetchError::Failed {
                    detail: "no such host".into(),
                }))
        }
    }

    fn ok(body: &str) -> Result<Response, FetchError> {
        Ok(Response {
            status: 200,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        })
    }

    fn rsa_jwk(kid: &str) -> Value {
        // rsa-2048-a of vectors/keys, public part.
        let text = include_str!("../../../vectors/keys/rsa-2048-a.json");
        let mut v: Value = serde_json::from_str(text).unwrap();
        let o = v.as_object_mut().unwrap();
        for m in ["d", "p", "q", "dp", "dq", "qi"] {
            o.remove(m);
        }
        o.insert("kid".into(), json!(kid));
        v
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn reason(r: Result<(KeySet, Vec<String>), Error>) -> String {
        match r {
            Err(Error::KeyUnavailable { reason, .. }) => reason,
            other => panic!("expected key_unavailable, got {other:?}"),
        }
    }

    #[test]
    fn bad_documents_are_unavailable_with_the_reason() {
        let u = url("https://k.example/jwks.json");
        let limits = FetchLimits::default();
        let run = |answer: Result<Response, FetchError>| {
            let mut net = Script {
                answers: vec![(u.as_str().into(), answer)],
                log: vec![],
            };
            fetch_jwks(&mut net, &u, &limits, Family::Rsa)
        };
        assert!(reason(run(ok("not json"))).contains("not strict JSON"));
        assert!(reason(run(ok("{\"keys\":1}"))).contains("not an array"));
        assert!(reason(run(ok("[]"))).contains("not a JWK Set"));
        assert!(reason(run(ok(&rsa_jwk("a").to_string()))).contains("bare JWK"));
        assert!(reason(run(ok(r#"{"keys":[],"keys":[]}"#))).contains("duplicate"));
        assert!(reason(run(ok(&" ".repeat(DEFAULT_MAX_BODY + 1)))).contains("over the bound"));
        assert!(reason(run(Err(FetchError::Timeout { budget_ms: 5000 }))).contains("time-out"));
        let redirect = Ok(Response {
            status: 302,
            headers: vec![("Location".into(), "https://evil.example/".into())],
            body: vec![],
        });
        assert!(reason(run(redirect)).contains("not followed"));
        let err = Ok(Response {
            status: 500,
            headers: vec![],
            body: b"{\"keys\":[]}".to_vec(),
        });
        assert!(reason(run(err)).contains("HTTP status 500"));
        let deep = format!("{{\"keys\":{}{}}}", "[".repeat(100), "]".repeat(100));
        assert!(reason(run(ok(&deep))).contains("not strict JSON"));
    }

    #[test]
    fn other_key_types_and_refused_keys_are_skipped_with_notes() {
        let u = url("https://k.example/jwks.json");
        let doc = json!({"keys": [
            {"kty": "oct", "k": "AAAA"},
            {"kty": "RSA", "kid": "short", "n": "AQAB", "e": "AQAB"},
            rsa_jwk("good"),
            "not an object"
        ]});
        let mut net = Script {
            answers: vec![(u.as_str().into(), ok(&doc.to_string()))],
            log: vec![],
        };
        let (set, notes) = fetch_jwks(&mut net, &u, &FetchLimits::default(), Family::Rsa).unwrap();
        assert_eq!(set.keys().len(), 1);
        assert_eq!(set.keys()[0].kid.as_deref(), Some("good"));
        assert_eq!(notes.len(), 3, "{notes:?}");
    }

    #[test]
    fn cache_refetches_at_most_once_per_cooldown() {
        let u = url("https://k.example/jwks.json");
        let doc = json!({"keys": [rsa_jwk("k1")]}).to_string();
        let mut net = Script {
            answers: vec![(u.as_str().into(), ok(&doc))],
            log: vec![],
        };
        let mut cache = JwksCache::new(DEFAULT_CACHE);
        let l = FetchLimits::default();
        let get = |cache: &mut JwksCache, net: &mut Script, kid: &str, now: i64| {
            cache
                .keys(&u, Alg::RS256, Some(kid), now, net, &l, Family::Rsa)
                .map(|(s, _, src)| (s.candidates(Alg::RS256, Some(kid)).len(), src))
        };
        assert_eq!(
            get(&mut cache, &mut net, "k1", 1000),
            Ok((1, Source::Fetched))
        );
        assert_eq!(
            get(&mut cache, &mut net, "k1", 1001),
            Ok((1, Source::Cached))
        );
        // An unknown kid inside the cool-down: no fetch, the cached set answers.
        for t in 1000..1060 {
            assert_eq!(get(&mut cache, &mut net, "k9", t), Ok((0, Source::Cached)));
        }
        assert_eq!(net.log.len(), 1);
        // After the cool-down, one refetch; then quiet again.
        assert_eq!(
            get(&mut cache, &mut net, "k9", 1060),
            Ok((0, Source::Fetched))
        );
        assert_eq!(
            get(&mut cache, &mut net, "k9", 1061),
            Ok((0, Source::Cached))
        );
        assert_eq!(net.log.len(), 2);
        // A known kid past the maximum age is fetched again.
        assert_eq!(
            get(&mut cache, &mut net, "k1", 1060 + 600),
            Ok((1, Source::Fetched))
        );
        assert_eq!(net.log.len(), 3);
        // A clock that goes backwards never counts as fresh or cooled down forever.
        assert_eq!(
            get(&mut cache, &mut net, "k1", 10),
            Ok((1, Source::Fetched))
        );
    }

    #[test]
    fn a_failed_fetch_is_not_retried_inside_the_cooldown() {
        let u = url("https://k.example/jwks.json");
        let mut net = Script {
            answers: vec![],
            log: vec![],
        };
        let mut cache = JwksCache::new(DEFAULT_CACHE);
        let l = FetchLimits::default();
        for t in 0..30 {
            let r = cache.keys(
                &u,
                Alg::RS256,
                Some("k"),
                100 + t,
                &mut net,
                &l,
                Family::Rsa,
            );
            assert!(matches!(r, Err(Error::KeyUnavailable { .. })));
        }
        assert_eq!(net.log.len(), 1);
    }

    #[test]
    fn the_cache_is_bounded() {
        let mut net = Script {
            answers: vec![],
            log: vec![],
        };
        let policy = CachePolicy {
            max_entries: 4,
            ..DEFAULT_CACHE
        };
        let mut cache = JwksCache::new(policy);
        let l = FetchLimits::default();
        for i in 0..50 {
            let u = url(&format!("https://k.example/{i}.json"));
            let _ = cache.keys(&u, Alg::RS256, None, 0, &mut net, &l, Family::Rsa);
            assert!(cache.len() <= 4);
        }
        assert_eq!(net.log.len(), 50);
        // The oldest were evicted: asking again fetches again.
        let u = url("https://k.example/0.json");
        let _ = cache.keys(&u, Alg::RS256, None, 0, &mut net, &l, Family::Rsa);
        assert_eq!(net.log.len(), 51);
    }
}
