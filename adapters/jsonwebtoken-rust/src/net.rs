//! Key sets over the network (COYO's `jku`, Pomerium's JWKS): jsonwebtoken fetches
//! nothing, so this is glue, the HTTP client an integrator puts in front of
//! `serde_json::from_str::<jsonwebtoken::jwk::JwkSet>`. The harness plays the network
//! (`fetch`/`fetched`); no socket is ever opened.
//!
//! The client: status 200 only, redirects never followed, a 5 s time-out, a 64 KiB body
//! bound. The cache: one entry per URL for the session (the case); after any fetch of a
//! URL, successful or not, it is not fetched again for 60 s (the cool-down), and the
//! cached set or the remembered failure answers meanwhile.

use jsonwebtoken::jwk::JwkSet;
use std::collections::HashMap;

/// What the harness answers for a URL.
pub struct Response {
    pub status: u64,
    pub body: String,
    pub delay_ms: u64,
    /// Set when the case's network does not hold the URL (status 599).
    pub error: Option<String>,
}

/// The network, as the harness plays it.
pub trait Fetcher {
    /// `Err` is a failure of the protocol itself (an adapter error, not a verdict).
    fn fetch(&mut self, url: &str) -> Result<Response, String>;
}

const TIMEOUT_MS: u64 = 5_000;
const MAX_BODY: usize = 64 * 1024;
const COOL_DOWN: u64 = 60;

/// A failure to get a key set: `key_unavailable`, with what happened.
#[derive(Clone, Debug)]
pub struct Unavailable(pub String);

#[derive(Default)]
pub struct Cache {
    entries: HashMap<String, Entry>,
}

struct Entry {
    fetched_at: u64,
    result: Result<JwkSet, Unavailable>,
}

/// Why a set is wanted again: the cached one lacks the token's kid.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// Any set will do (first use of the URL).
    Any,
    /// The cached set has no key for the kid: refetch if the cool-down allows.
    Refresh,
}

impl Cache {
    /// The key set at `url`: from the cache, or fetched (at most once per cool-down).
    pub fn get(
        &mut self,
        url: &str,
        want: Want,
        now: u64,
        net: &mut dyn Fetcher,
    ) -> Result<Result<JwkSet, Unavailable>, String> {
        if let Some(e) = self.entries.get(url) {
            let cooling = now.saturating_sub(e.fetched_at) < COOL_DOWN;
            let usable = want == Want::Any && e.result.is_ok();
            if usable || cooling {
                return Ok(e.result.clone());
            }
        }
        let result = fetch_jwks(url, net)?;
        self.entries.insert(
            url.to_owned(),
            Entry {
                fetched_at: now,
                result: result.clone(),
            },
        );
        Ok(result)
    }
}

/// One GET of a JWK Set.
pub fn fetch_jwks(url: &str, net: &mut dyn Fetcher) -> Result<Result<JwkSet, Unavailable>, String> {
    let r = net.fetch(url)?;
    let fail = |why: String| Ok(Err(Unavailable(format!("{url}: {why}"))));
    if let Some(e) = r.error {
        return fail(format!("no answer (status {}: {e})", r.status));
    }
    if r.delay_ms > TIMEOUT_MS {
        return fail(format!(
            "no answer within the {} s time-out ({} ms)",
            TIMEOUT_MS / 1000,
            r.delay_ms
        ));
    }
    if r.status != 200 {
        return fail(format!(
            "HTTP status {} (redirects are not followed)",
            r.status
        ));
    }
    if r.body.len() > MAX_BODY {
        return fail(format!(
            "a body of {} bytes, over the {MAX_BODY}-byte bound",
            r.body.len()
        ));
    }
    let body = match key_document(&r.body) {
        Some(Ok(set)) => set,
        Some(Err(why)) => return fail(format!("key document: {why}")),
        None => r.body.clone(),
    };
    match serde_json::from_str::<JwkSet>(&body) {
        Ok(set) => Ok(Ok(set)),
        Err(e) => fail(format!("not a JWK Set (jsonwebtoken::jwk::JwkSet): {e}")),
    }
}

/// COYO's key document, `{"alg": <WebCrypto algorithm>, "key": <JWK>}` (what COYO's own
/// plug-in library reads from a `jku`; docs/rules.md coyo.fetch), as the text of the one-key
/// JWK Set it means, the key's `alg` from the document; `None` for any other body.
fn key_document(body: &str) -> Option<Result<String, String>> {
    let doc: serde_json::Value = serde_json::from_str(body).ok()?;
    let o = doc.as_object()?;
    if o.contains_key("keys") || !o.contains_key("key") {
        return None;
    }
    Some((|| {
        if let Some(extra) = o.keys().find(|k| *k != "alg" && *k != "key") {
            return Err(format!("unknown member {extra:?}"));
        }
        let mut key = o["key"]
            .as_object()
            .ok_or("key is not a JWK object")?
            .clone();
        let a = o.get("alg").cloned().unwrap_or_default();
        let hash = match a.get("hash") {
            Some(serde_json::Value::String(h)) => Some(h.as_str()),
            Some(h) => h.get("name").and_then(serde_json::Value::as_str),
            None => None,
        };
        let alg = match (a.get("name").and_then(serde_json::Value::as_str), hash) {
            (Some("RSASSA-PKCS1-v1_5"), Some("SHA-256")) => "RS256",
            (Some("RSASSA-PKCS1-v1_5"), Some("SHA-512")) => "RS512",
            _ => {
                return Err(format!(
                    "alg {a} is not RSASSA-PKCS1-v1_5 with SHA-256 or SHA-512"
                ))
            }
        };
        match key.get("alg") {
            None => {
                key.insert("alg".into(), alg.into());
            }
            Some(k) if k == alg => {}
            Some(k) => return Err(format!("the key's alg {k} is not the document's {alg}")),
        }
        Ok(serde_json::json!({ "keys": [key] }).to_string())
    })())
}
