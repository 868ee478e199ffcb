//! The local key server: the JWK Set documents a service under probe is configured to
//! trust, on 127.0.0.1 over plain http and (with [`Options::tls`]) over https with a
//! certificate made at start ([`crate::tls`]), and a second origin playing the attacker's
//! host, again over http and https (its documents hold the attacker's keys). The https
//! trusted origin also answers a case's own documents while it is in flight
//! ([`KeyServer::begin_with`]: a COYO case's `jku` targets). Every fetch is logged against the case in
//! flight ([`KeyServer::begin`]), so the probe fails a case whose fetches it forbids, as
//! the in-process simulated network does. A document can be served in a hostile mode
//! ([`Mode`]: a redirect loop, a slow body, an oversized body, non-JSON) and replaced
//! while serving (a key rotated mid-run, [`KeyServer::set`]).

use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::{json, Value};

use jwtc_vectors::keystore::KeyStore;

use crate::tls::Tls;

mod serve;
use serve::accept_loop;

/// How a document is served.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// 200 with the document.
    Plain,
    /// 302 to the same path, forever.
    RedirectLoop,
    /// The document one byte every 200 ms.
    Slow,
    /// The document followed by 10 MiB of spaces.
    Oversized,
    /// An HTML login page instead of the document.
    NotJson,
}

impl Mode {
    /// Parses a mode name (`plain`, `redirect`, `slow`, `oversized`, `not-json`).
    pub fn parse(s: &str) -> Result<Mode, String> {
        Ok(match s {
            "plain" => Mode::Plain,
            "redirect" => Mode::RedirectLoop,
            "slow" => Mode::Slow,
            "oversized" => Mode::Oversized,
            "not-json" => Mode::NotJson,
            _ => {
                return Err(format!(
                    "hostile mode {s:?}: give plain, redirect, slow, oversized or not-json"
                ))
            }
        })
    }
}

/// What a case's own document answers: a status, headers, a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// Extra response headers (a `Location`, say).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
    /// How long the server waits before answering (a case's `delay_ms`, capped by the plan).
    pub delay: std::time::Duration,
}

/// One logged fetch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fetch {
    /// The URL fetched (`http://127.0.0.1:PORT/path?query`, `https://` on the https origins).
    pub url: String,
    /// The case in flight when it came, if any.
    pub case: Option<String>,
    /// Whether it came to the attacker's origin.
    pub attacker: bool,
}

#[derive(Default)]
pub(crate) struct State {
    /// Documents of the trusted origin, by path.
    docs: BTreeMap<String, (String, Mode)>,
    /// The attacker origin's one document, served at every path.
    attacker_doc: String,
    in_flight: Option<String>,
    /// The documents of the case in flight, by request target (path and query), served
    /// at the https trusted origin before `docs`.
    case_docs: BTreeMap<String, Answer>,
    /// Where the log stood when the case in flight began.
    began: usize,
    log: Vec<Fetch>,
}

/// A running key server; stopped when dropped.
pub struct KeyServer {
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    /// The trusted origin's address.
    pub addr: SocketAddr,
    /// The attacker origin's address.
    pub attacker_addr: SocketAddr,
    /// The https trusted origin's address (with [`Options::tls`]).
    pub tls_addr: Option<SocketAddr>,
    /// The https attacker origin's address (with [`Options::tls`]).
    pub attacker_tls_addr: Option<SocketAddr>,
    /// The CA certificate the service must trust for the https origins.
    pub ca_file: Option<std::path::PathBuf>,
    threads: Vec<JoinHandle<()>>,
}

/// Which origins to start, on which ports (0: a free one).
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The http trusted origin.
    pub port: u16,
    /// The http attacker origin.
    pub attacker_port: u16,
    /// The https origins, with the CA certificate written here; `None`: http only.
    pub tls: Option<std::path::PathBuf>,
    /// The https trusted origin.
    pub tls_port: u16,
    /// The https attacker origin.
    pub attacker_tls_port: u16,
}

/// The paths the trusted origin serves, and which keys (by the suite's key names).
pub const DOCUMENTS: &[(&str, &[&str])] = &[
    ("/.well-known/pomerium/jwks.json", &["p256-a"]),
    ("/pomerium/jwks.json", &["p256-a"]),
    ("/coyo/registered.json", &["rsa-2048-a"]),
    ("/coyo/builtin.json", &["rsa-3072-a"]),
    ("/coyo/jwks.json", &["rsa-2048-c"]),
];

/// The attacker's keys (served at every path of the attacker origin).
pub const ATTACKER_KEYS: &[&str] = &["p256-b", "rsa-2048-b"];

/// A JWK Set of the named public keys, each with `alg` and `use`.
pub fn jwks(keys: &KeyStore, names: &[&str]) -> Result<String, String> {
    let mut out = Vec::new();
    for n in names {
        let mut k = keys
            .public_jwk(n)
            .ok_or_else(|| format!("key server: the suite has no key {n:?}"))?;
        let alg = match k["kty"].as_str() {
            Some("EC") => "ES256",
            _ => "RS256",
        };
        if let Some(o) = k.as_object_mut() {
            o.insert("alg".into(), json!(alg));
            o.insert("use".into(), json!("sig"));
            o.entry("kid").or_insert(json!(n));
        }
        out.push(k);
    }
    Ok(json!({ "keys": out }).to_string())
}

impl KeyServer {
    /// Starts both origins on 127.0.0.1 over http (`port` and `attacker_port`; 0 picks
    /// free ones) with the suite's documents.
    pub fn start(keys: &KeyStore, port: u16, attacker_port: u16) -> Result<KeyServer, String> {
        KeyServer::start_with(
            keys,
            &Options {
                port,
                attacker_port,
                ..Options::default()
            },
        )
    }

    /// Starts the origins `options` asks for.
    pub fn start_with(keys: &KeyStore, options: &Options) -> Result<KeyServer, String> {
        let mut docs = BTreeMap::new();
        for (path, names) in DOCUMENTS {
            docs.insert((*path).to_owned(), (jwks(keys, names)?, Mode::Plain));
        }
        let state = State {
            docs,
            attacker_doc: jwks(keys, ATTACKER_KEYS)?,
            ..State::default()
        };
        let bind = |p: u16, what: &str| {
            TcpListener::bind(("127.0.0.1", p)).map_err(|e| {
                format!(
                    "key server: cannot listen on 127.0.0.1:{p} ({what}): {e}; give another port"
                )
            })
        };
        let addr = |l: &TcpListener| l.local_addr().map_err(|e| e.to_string());
        let trusted = bind(options.port, "trusted origin")?;
        let attacker = bind(options.attacker_port, "attacker origin")?;
        let mut listeners = vec![(trusted, false, None), (attacker, true, None)];
        let mut server = KeyServer {
            state: Arc::new(Mutex::new(state)),
            stop: Arc::new(AtomicBool::new(false)),
            addr: addr(&listeners[0].0)?,
            attacker_addr: addr(&listeners[1].0)?,
            tls_addr: None,
            attacker_tls_addr: None,
            ca_file: None,
            threads: Vec::new(),
        };
        if let Some(ca_file) = &options.tls {
            let tls = Tls::make(ca_file)?;
            let t = bind(options.tls_port, "https trusted origin")?;
            let a = bind(options.attacker_tls_port, "https attacker origin")?;
            server.tls_addr = Some(addr(&t)?);
            server.attacker_tls_addr = Some(addr(&a)?);
            server.ca_file = Some(tls.ca_file.clone());
            let tls = Arc::new(tls);
            listeners.push((t, false, Some(tls.clone())));
            listeners.push((a, true, Some(tls)));
        }
        for (listener, is_attacker, tls) in listeners {
            let state = server.state.clone();
            let stop = server.stop.clone();
            server.threads.push(std::thread::spawn(move || {
                accept_loop(listener, is_attacker, tls, state, stop)
            }));
        }
        Ok(server)
    }

    /// The https trusted origin (`https://127.0.0.1:PORT`), with [`Options::tls`].
    pub fn tls_origin(&self) -> Option<String> {
        self.tls_addr.map(|a| format!("https://{a}"))
    }

    /// The trusted origin's URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The attacker origin as `host:port` (what an attacker's token names as `iss`).
    pub fn attacker_host(&self) -> String {
        self.attacker_addr.to_string()
    }

    /// Replaces (or adds) the document at `path`: a key rotated mid-run, a hostile mode.
    pub fn set(&self, path: &str, body: String, mode: Mode) {
        lock(&self.state).docs.insert(path.to_owned(), (body, mode));
    }

    /// Marks `case` in flight: fetches from now on are logged against it.
    pub fn begin(&self, case: &str) {
        self.begin_with(case, BTreeMap::new());
    }

    /// Marks `case` in flight with its own documents at the https trusted origin, by
    /// request target (`/jwks.json?tenant=acme`); they are dropped at [`KeyServer::end`].
    pub fn begin_with(&self, case: &str, docs: BTreeMap<String, Answer>) {
        let mut s = lock(&self.state);
        s.in_flight = Some(case.to_owned());
        s.case_docs = docs;
        s.began = s.log.len();
    }

    /// Ends the case in flight and returns the fetches logged against it.
    pub fn end(&self) -> Vec<Fetch> {
        let mut s = lock(&self.state);
        let case = s.in_flight.take();
        s.case_docs.clear();
        s.log[s.began..]
            .iter()
            .filter(|f| f.case == case && case.is_some())
            .cloned()
            .collect()
    }

    /// Every fetch so far.
    pub fn log(&self) -> Vec<Fetch> {
        lock(&self.state).log.clone()
    }
}

impl Drop for KeyServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let tls = [self.tls_addr, self.attacker_tls_addr];
        for a in [self.addr, self.attacker_addr]
            .into_iter()
            .chain(tls.into_iter().flatten())
        {
            let _ = TcpStream::connect_timeout(&a, Duration::from_millis(200));
        }
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

pub(crate) fn lock(s: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    s.lock().unwrap_or_else(|p| p.into_inner())
}

/// The seed's allowlisted jku origin, and its host name.
const COYO_ALLOWED: &str = "https://pubkeys.coyocloud.example";
const COYO_ALLOWED_HOST: &str = "pubkeys.coyocloud.example";
/// The suite's second allowlisted origin (an IPv6 literal off this machine: never served).
const COYO_ALLOWED6: &str = "https://[2001:db8::10]:8443";
/// The COYO cases' attacker host name.
const COYO_ATTACKER_HOST: &str = "evil.example";

/// The host names the COYO cases are minted with replaced by this key server's https
/// origins (`Settings::hosts`): the allowlisted host by the https trusted origin, the
/// attacker's by the https attacker origin (which also answers plain http). Empty without
/// TLS: the cases then name hosts off this machine and those that need a fetch are skipped.
pub fn coyo_hosts(server: &KeyServer) -> Vec<(String, String)> {
    match (server.tls_addr, server.attacker_tls_addr) {
        (Some(t), Some(a)) => vec![
            (COYO_ALLOWED_HOST.to_string(), t.to_string()),
            (COYO_ATTACKER_HOST.to_string(), a.to_string()),
        ],
        _ => Vec::new(),
    }
}

/// What a service must be configured with to be probed (printed by `jwtc keys serve` and
/// at the start of `jwtc probe`).
pub fn configuration(server: &KeyServer, profile: &str, audience: &str, issuer: &str) -> Value {
    match profile {
        "coyo" => json!({
            "issuer_pattern": "/^https:\\/\\/some\\.site$/i",
            "registered_keys_jwks": server.url("/coyo/registered.json"),
            "builtin_keys_jwks": server.url("/coyo/builtin.json"),
            "jku_allowlist": [
                server.tls_origin().unwrap_or_else(|| COYO_ALLOWED.to_string()),
                COYO_ALLOWED6,
            ],
        }),
        _ => json!({
            "jwks_url": server.url("/.well-known/pomerium/jwks.json"),
            "audience": audience,
            "issuer": issuer,
            "clock_skew_seconds": 60,
        }),
    }
}
