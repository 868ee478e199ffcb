//! Targets for the vendor profiles' entry points, with fixed keys and clock.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use arbitrary::Arbitrary;
use serde_json::{json, Map, Value};

use jwtc_verifier::jose::Limits;
use jwtc_verifier::{pendo, watson, Error, KeySet};

use crate::spec::{self, SignAlg, TokenSpec, NOW};

/// A Pendo event around a structured token.
#[derive(Arbitrary, Debug)]
pub struct PendoInput {
    mode: u8,
    id: String,
    jwt: Option<TokenSpec>,
    key_name: Option<bool>,
    metadata: Option<Vec<(String, String)>>,
}

/// Pendo's event check and dedupe. Oracles: a signed event is accepted only with the
/// genuine signature of the named key and in a mode that takes JWTs; an accepted event
/// delivered again is dropped as a duplicate.
pub fn pendo_event(input: PendoInput) {
    let mode = match input.mode % 3 {
        0 => pendo::Mode::Disabled,
        1 => pendo::Mode::Allow,
        _ => pendo::Mode::OnlySigned,
    };
    let mut sub = pendo::Subscription::new(mode);
    let key =
        serde_json::from_str::<Value>(include_str!("../../../vectors/keys/hs256-a.json")).unwrap();
    let mut configured = sub.ring.configure(std::slice::from_ref(&key), &[]);
    assert!(configured.is_empty(), "{configured:?}");
    configured.clear();
    let mut event = Map::new();
    event.insert("id".into(), json!(input.id));
    let mut rendered = None;
    if let Some(spec) = &input.jwt {
        let mut spec = spec.clone();
        spec.sign = SignAlg::HS256;
        let r = spec.render();
        event.insert("jwt".into(), json!(r.token));
        rendered = Some(r);
    }
    match input.key_name {
        Some(true) => {
            event.insert("signingKeyName".into(), json!("hs256-a"));
        }
        Some(false) => {
            event.insert("signingKeyName".into(), json!("not-a-key"));
        }
        None => {}
    }
    if let Some(m) = &input.metadata {
        event.insert(
            "metadata".into(),
            Value::Object(m.iter().map(|(k, v)| (k.clone(), json!(v))).collect()),
        );
    }
    let event = Value::Object(event);
    let Ok(accepted) = sub.receive(&event, NOW) else {
        return;
    };
    if let Some(r) = &rendered {
        assert!(
            mode != pendo::Mode::Disabled,
            "a JWT accepted in disabled mode"
        );
        assert!(r.genuine, "a changed Pendo token accepted: {}", r.token);
        assert_eq!(
            input.key_name,
            Some(true),
            "accepted without naming the signing key"
        );
        if let Some(id) = r
            .claims
            .get("visitor")
            .and_then(|v| v.get("id"))
            .and_then(Value::as_str)
        {
            assert_eq!(
                accepted.to_json()["visitor_id"],
                json!(id),
                "visitor id not from the token"
            );
        }
    } else {
        assert!(
            mode != pendo::Mode::OnlySigned,
            "an unsigned event accepted in only_signed mode"
        );
    }
    assert!(
        matches!(sub.receive(&event, NOW), Err(Error::DuplicateEvent { .. })),
        "an accepted event was accepted twice"
    );
}

/// A Watson token with an optional `user_payload`.
#[derive(Arbitrary, Debug)]
pub struct WatsonInput {
    spec: TokenSpec,
    payload: Option<Payload>,
    decrypt: bool,
}

/// What goes in `user_payload`.
#[derive(Arbitrary, Debug)]
pub enum Payload {
    /// This plaintext encrypted as node-rsa does (OAEP SHA-1, chunked).
    Encrypt(String),
    /// This text as is.
    Raw(String),
}

const SERVICE_KEY: &str = include_str!("../../../vectors/keys/rsa-2048-b.json");

/// node-rsa's chunking: n = ceil(len / (k − 42)) chunks of ceil(len / n) bytes. The
/// encryption is seeded by the plaintext's length, so the same plaintext gives the same
/// text: the last 1024 are remembered (each costs an instrumented RSA public operation per
/// chunk, and the fuzzer often mutates the rest of the input).
fn node_rsa_encrypt(plain: &[u8]) -> String {
    static PUBLIC: OnceLock<rsa::RsaPublicKey> = OnceLock::new();
    static MEMO: OnceLock<Mutex<HashMap<Vec<u8>, String>>> = OnceLock::new();
    let memo = MEMO.get_or_init(Default::default);
    if let Some(text) = memo.lock().unwrap().get(plain) {
        return text.clone();
    }
    let public = PUBLIC.get_or_init(|| rsa::RsaPublicKey::from(spec::rsa_private(SERVICE_KEY)));
    let text = jwtc_vectors::mint::node_rsa_encrypt(public, plain, plain.len() as u64);
    let mut m = memo.lock().unwrap();
    if m.len() >= 1024 {
        m.clear();
    }
    m.insert(plain.to_vec(), text.clone());
    text
}

/// The service's decryption key, loaded once (by the default backend).
fn decryption_key() -> watson::DecryptionKey {
    static KEY: OnceLock<watson::DecryptionKey> = OnceLock::new();
    KEY.get_or_init(|| {
        watson::DecryptionKey::from_jwk(&serde_json::from_str(SERVICE_KEY).unwrap())
            .expect("the service key loads")
    })
    .clone()
}

/// Watson's verification. Oracles: an accepted token is genuine, its user id is visible
/// ASCII and it has not expired; a payload encrypted from JSON decrypts to that JSON.
pub fn watson_token(input: WatsonInput) {
    let mut spec = input.spec;
    spec.sign = SignAlg::RS256;
    let mut extra = Map::new();
    let mut plaintext = None;
    match &input.payload {
        Some(Payload::Encrypt(p)) => {
            extra.insert("user_payload".into(), json!(node_rsa_encrypt(p.as_bytes())));
            plaintext = Some(p.clone());
        }
        Some(Payload::Raw(p)) => {
            extra.insert("user_payload".into(), json!(p));
        }
        None => {}
    }
    let r = spec.render_with(&extra);
    let keys: KeySet = spec::trusted(SignAlg::RS256);
    let decryption = input.decrypt.then(decryption_key);
    let config = watson::Config {
        limits: Limits::default(),
        ..watson::Config::new(None, keys, decryption, 0).unwrap()
    };
    let Ok(identity) = watson::verify(Some(&r.token), &config, NOW) else {
        return;
    };
    assert!(r.genuine, "a changed Watson token accepted: {}", r.token);
    let out = identity.to_json();
    let user = out["user_id"].as_str().expect("a user id");
    assert!(
        !user.is_empty() && user.bytes().all(|b| (0x21..=0x7e).contains(&b)),
        "user id {user:?}"
    );
    let exp = r
        .claims
        .get("exp")
        .and_then(Value::as_f64)
        .expect("exp is required");
    assert!((NOW as f64) < exp.floor());
    if let (true, Some(p)) = (input.decrypt, plaintext) {
        if let Ok(v) = serde_json::from_str::<Value>(&p) {
            assert_eq!(
                out["user_payload"], v,
                "the payload does not decrypt to what was encrypted"
            );
        }
    }
}

/// The network of the Pomerium and COYO targets: serves one body at every URL, records
/// every URL asked for.
struct FakeNetwork {
    status: u16,
    body: Vec<u8>,
    asked: Vec<String>,
}

impl jwtc_verifier::net::Fetch for FakeNetwork {
    fn fetch(
        &mut self,
        url: &url::Url,
        _limits: &jwtc_verifier::net::FetchLimits,
    ) -> Result<jwtc_verifier::net::Response, jwtc_verifier::net::FetchError> {
        self.asked.push(url.as_str().to_owned());
        Ok(jwtc_verifier::net::Response {
            status: self.status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: self.body.clone(),
        })
    }
}

/// What a fake server answers.
#[derive(Arbitrary, Debug)]
pub enum Served {
    /// 200 with the JWK Set of the key the token is signed with.
    Genuine,
    /// 200 with the public half of another key of the same type.
    OtherKey,
    /// This status and body.
    Raw(u16, Vec<u8>),
}

impl Served {
    fn network(&self, genuine: &'static str, other: &'static str) -> FakeNetwork {
        let set = |text: &'static str| {
            // The JWK Set document of a test key's public half, made once per key.
            static SETS: OnceLock<Mutex<HashMap<usize, Vec<u8>>>> = OnceLock::new();
            let mut sets = SETS.get_or_init(Default::default).lock().unwrap();
            sets.entry(text.as_ptr() as usize)
                .or_insert_with(|| {
                    json!({ "keys": [spec::public_jwk(text)] })
                        .to_string()
                        .into_bytes()
                })
                .clone()
        };
        let (status, body) = match self {
            Served::Genuine => (200, set(genuine)),
            Served::OtherKey => (200, set(other)),
            Served::Raw(s, b) => (*s, b.clone()),
        };
        FakeNetwork {
            status,
            body,
            asked: Vec::new(),
        }
    }
}

/// A header name a client or proxy might send.
#[derive(Arbitrary, Clone, Debug)]
pub enum HeaderName {
    /// `x-pomerium-jwt-assertion`.
    Assertion,
    /// `X-Pomerium-JWT-Assertion`.
    AssertionMixed,
    /// `x-pomerium-iap-jwt-assertion` (the seed's older name).
    Iap,
    /// `x_pomerium_jwt_assertion` (CGI spelling).
    Underscored,
    /// `x-pomerium-claim-email` (a forged identity header).
    Claim,
    /// `x-pomerium-authenticated-user-id`.
    User,
    /// Any name.
    Other(String),
}

impl HeaderName {
    fn text(&self) -> String {
        match self {
            HeaderName::Assertion => "x-pomerium-jwt-assertion".into(),
            HeaderName::AssertionMixed => "X-Pomerium-JWT-Assertion".into(),
            HeaderName::Iap => "x-pomerium-iap-jwt-assertion".into(),
            HeaderName::Underscored => "x_pomerium_jwt_assertion".into(),
            HeaderName::Claim => "x-pomerium-claim-email".into(),
            HeaderName::User => "x-pomerium-authenticated-user-id".into(),
            HeaderName::Other(s) => s.clone(),
        }
    }
}

/// A header value: the signed assertion, or any text.
#[derive(Arbitrary, Clone, Debug)]
pub enum HeaderValue {
    /// The token the spec renders.
    Token,
    /// Any text.
    Text(String),
}

/// A request to a Pomerium-protected app, or a client's request through the proxy.
#[derive(Arbitrary, Debug)]
pub struct PomeriumInput {
    spec: TokenSpec,
    /// Write the right `iss`, `aud` and times (the fuzzer still mutates the rest).
    proper_claims: bool,
    iat_offset: i16,
    exp_offset: i16,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// Keys from a JWKS URL (fetched from the fake network) instead of configuration.
    jwks: Option<Served>,
    /// The identity the proxy asserts.
    sub: String,
    email: Option<String>,
}

const AUDIENCE: &str = "httpbin.corp.example.com";
const ISSUER: &str = "authenticate.corp.example.com";

/// Pomerium's verifier role (header set → identity) and proxy role (client headers →
/// upstream headers). Oracles: an accepted assertion is the genuine token, the only
/// distinct assertion value sent, with the configured audience and issuer and times within
/// the 60 s skew; the identity comes from its claims; with a JWKS source, only the
/// configured URL is fetched. The proxy forwards no client `x-pomerium-*` header, adds
/// exactly one assertion, and that assertion verifies and carries the identity.
pub fn pomerium_headers(input: PomeriumInput) {
    use jwtc_verifier::net::JwksCache;
    use jwtc_verifier::pomerium;
    let mut spec = input.spec;
    spec.sign = SignAlg::ES256;
    let mut extra = Map::new();
    if input.proper_claims {
        extra.insert("iss".into(), json!(ISSUER));
        extra.insert("aud".into(), json!(AUDIENCE));
        extra.insert("iat".into(), json!(NOW + i64::from(input.iat_offset)));
        extra.insert("exp".into(), json!(NOW + i64::from(input.exp_offset)));
        extra.insert("sub".into(), json!(input.sub));
    }
    let r = spec.render_with(&extra);
    let headers: Vec<(String, String)> = input
        .headers
        .iter()
        .map(|(n, v)| {
            let value = match v {
                HeaderValue::Token => r.token.clone(),
                HeaderValue::Text(t) => t.clone(),
            };
            (n.text(), value)
        })
        .collect();
    let jwks_url = pomerium::jwks_url_for_issuer(ISSUER).expect("a host name");
    let (source, mut network) = match &input.jwks {
        None => (
            pomerium::KeySource::Static(spec::trusted(SignAlg::ES256)),
            None,
        ),
        Some(served) => (
            pomerium::KeySource::Jwks(jwks_url.clone()),
            Some(served.network(
                include_str!("../../../vectors/keys/p256-a.json"),
                include_str!("../../../vectors/keys/p256-b.json"),
            )),
        ),
    };
    let config = pomerium::Config::new(AUDIENCE, Some(ISSUER), source);
    let mut cache = JwksCache::default();
    let mut offline = jwtc_verifier::net::NoNetwork;
    let fetch: &mut dyn jwtc_verifier::net::Fetch = match network.as_mut() {
        Some(n) => n,
        None => &mut offline,
    };
    let verdict = pomerium::verify(&headers, &config, &mut cache, NOW, fetch);
    if let Some(n) = &network {
        assert!(
            n.asked.iter().all(|u| u == jwks_url.as_str()),
            "fetched {:?}, not the configured {jwks_url}",
            n.asked
        );
    }
    if let Ok((identity, _)) = verdict {
        // The values sent under the assertion header, as RFC 9110 §5.3 lists: a comma
        // folds several, empty elements are ignored.
        let sent: Vec<&str> = headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(pomerium::ASSERTION_HEADER))
            .flat_map(|(_, v)| v.split(','))
            .map(|v| v.trim_matches([' ', '\t']))
            .filter(|v| !v.is_empty())
            .collect();
        assert!(
            !sent.is_empty() && sent.iter().all(|v| *v == r.token.as_str()),
            "accepted an assertion that is not the one genuine token: {sent:?}"
        );
        assert!(r.genuine, "a changed Pomerium token accepted: {}", r.token);
        assert_eq!(r.claims.get("aud"), Some(&json!(AUDIENCE)), "audience");
        assert_eq!(r.claims.get("iss"), Some(&json!(ISSUER)), "issuer");
        let time = |m: &str| r.claims.get(m).and_then(Value::as_f64).expect(m);
        assert!(time("exp") > (NOW - 60) as f64, "expired beyond the skew");
        assert!(time("iat") < (NOW + 60) as f64, "issued beyond the skew");
        assert_eq!(
            json!(identity.sub),
            r.claims["sub"],
            "identity not from the token"
        );
    }
    // The proxy role.
    let mut claims = Map::new();
    claims.insert("sub".into(), json!(input.sub));
    if let Some(e) = &input.email {
        claims.insert("email".into(), json!(e));
    }
    let Ok(identity) = pomerium::Identity::from_claims(&claims) else {
        return;
    };
    static SIGNING_KEY: OnceLock<pomerium::SigningKey> = OnceLock::new();
    let signing_key = SIGNING_KEY
        .get_or_init(|| {
            pomerium::SigningKey::from_jwk(
                &serde_json::from_str(include_str!("../../../vectors/keys/p256-a.json")).unwrap(),
            )
            .expect("the proxy key loads")
        })
        .clone();
    let proxy = pomerium::ProxyConfig {
        audience: AUDIENCE.into(),
        issuer: ISSUER.into(),
        signing_key,
        lifetime: pomerium::ASSERTION_LIFETIME,
    };
    let Ok(upstream) = pomerium::forward(&headers, &identity, &proxy, NOW) else {
        return;
    };
    let (last, rest) = upstream.split_last().expect("the assertion is added");
    assert_eq!(last.0, pomerium::ASSERTION_HEADER);
    assert!(
        rest.iter().all(|(n, _)| !pomerium::is_own_header(n)),
        "a client's x-pomerium-* header went upstream: {rest:?}"
    );
    let client: Vec<&(String, String)> = headers
        .iter()
        .filter(|(n, _)| !pomerium::is_own_header(n))
        .collect();
    assert_eq!(
        rest.iter().collect::<Vec<_>>(),
        client,
        "client headers not forwarded as sent"
    );
    let config = pomerium::Config::new(
        AUDIENCE,
        Some(ISSUER),
        pomerium::KeySource::Static(spec::trusted(SignAlg::ES256)),
    );
    let (got, _) = pomerium::verify(
        std::slice::from_ref(last),
        &config,
        &mut JwksCache::default(),
        NOW,
        &mut jwtc_verifier::net::NoNetwork,
    )
    .expect("the proxy's own assertion verifies");
    assert_eq!(
        got, identity,
        "the upstream assertion carries another identity"
    );
}

/// Where the COYO token's key is registered.
#[derive(Arbitrary, Debug)]
pub enum CoyoKey {
    /// Built in.
    Builtin,
    /// Registered for the issuer pattern.
    Issuer,
    /// Nowhere: only a `jku` can bring it.
    Nowhere,
}

/// A `jku` header value.
#[derive(Arbitrary, Debug)]
pub enum Jku {
    /// The allowlisted origin with this path.
    Allowed(String),
    /// An allowlisted-looking spelling: `https://PUBKEYS.coyocloud.example:443/...`.
    Respelled(String),
    /// Any text.
    Text(String),
}

/// A COYO token with its key registration, `jku` and network.
#[derive(Arbitrary, Debug)]
pub struct CoyoInput {
    spec: TokenSpec,
    /// Write `iss` as the registered issuer (else the spec's own, if any).
    registered_iss: bool,
    key: CoyoKey,
    jku: Option<Jku>,
    served: Served,
    /// Verify the same token this many more times with the same cache.
    again: u8,
}

const COYO_ISSUER: &str = "https://a.coyocloud.example";
const COYO_KEYS_ORIGIN: &str = "https://pubkeys.coyocloud.example";

/// COYO's verification with the jku check and a fake network. Oracles: only https URLs of
/// the allowlisted origin are ever fetched, at most once for repeated tokens (the cache);
/// an accepted token is genuine and its `iss` is the registered issuer when the key was
/// found by issuer.
pub fn coyo_token(input: CoyoInput) {
    use jwtc_verifier::coyo;
    use jwtc_verifier::net::JwksCache;
    let mut spec = input.spec;
    spec.sign = SignAlg::RS256;
    let mut extra = Map::new();
    if input.registered_iss {
        extra.insert("iss".into(), json!(COYO_ISSUER));
    }
    let jku = input.jku.as_ref().map(|j| match j {
        Jku::Allowed(p) => format!("{COYO_KEYS_ORIGIN}/{p}"),
        Jku::Respelled(p) => format!("https://PUBKEYS.coyocloud.example:443/{p}"),
        Jku::Text(t) => t.clone(),
    });
    let r = match &jku {
        None => spec.render_with(&extra),
        Some(j) => spec.render_with_header(&[("jku", json!(j))], &extra),
    };
    let trusted = spec::trusted(SignAlg::RS256);
    // The pattern and the allowlist, compiled once (the code under test reads them per
    // token; compiling them is configuration).
    static PARTS: OnceLock<(coyo::IssuerPattern, coyo::Config)> = OnceLock::new();
    let (pattern, mut config) = PARTS
        .get_or_init(|| {
            let (pattern, _) = coyo::IssuerPattern::parse(r"^https://a\.coyocloud\.example$")
                .expect("the pattern compiles");
            let config = coyo::Config {
                jku_allowlist: vec![
                    coyo::parse_allowlist_entry(COYO_KEYS_ORIGIN).expect("an origin")
                ],
                ..coyo::Config::default()
            };
            (pattern, config)
        })
        .clone();
    match input.key {
        CoyoKey::Builtin => config.builtin = trusted,
        CoyoKey::Issuer => config.issuers.push(coyo::IssuerKeys {
            pattern,
            keys: trusted,
        }),
        CoyoKey::Nowhere => {}
    }
    let mut network = input.served.network(
        include_str!("../../../vectors/keys/rsa-2048-a.json"),
        include_str!("../../../vectors/keys/rsa-2048-c.json"),
    );
    let mut cache = JwksCache::new(config.cache);
    for _ in 0..=input.again.min(3) {
        if let Ok(v) = coyo::verify(&r.token, &config, &mut cache, NOW, &mut network) {
            assert!(r.genuine, "a changed COYO token accepted: {}", r.token);
            if v.key_source == "issuer" {
                assert_eq!(v.iss, COYO_ISSUER, "an issuer key accepted another issuer");
            }
        }
    }
    for u in &network.asked {
        assert!(
            u.starts_with(&format!("{COYO_KEYS_ORIGIN}/")),
            "fetched {u:?}, outside the allowlist"
        );
    }
    assert!(
        network.asked.len() <= 1,
        "the same jku was fetched {} times in the cool-down",
        network.asked.len()
    );
}
