//! The local key server: the JWK Set documents a service under probe is configured to
//! trust, on 127.0.0.1 over plain http, and a second origin playing the attacker's host
//! (its documents hold the attacker's keys). Every fetch is logged against the case in
//! flight ([`KeyServer::begin`]), so the probe fails a case whose fetches it forbids, as
//! the in-process simulated network does. A document can be served in a hostile mode
//! ([`Mode`]: a redirect loop, a slow body, an oversized body, non-JSON) and replaced
//! while serving (a key rotated mid-run, [`KeyServer::set`]).

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::{json, Value};

use jwtc_vectors::keystore::KeyStore;

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

/// One logged fetch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fetch {
    /// The URL fetched (`http://127.0.0.1:PORT/path`).
    pub url: String,
    /// The case in flight when it came, if any.
    pub case: Option<String>,
    /// Whether it came to the attacker's origin.
    pub attacker: bool,
}

#[derive(Default)]
struct State {
    /// Documents of the trusted origin, by path.
    docs: BTreeMap<String, (String, Mode)>,
    /// The attacker origin's one document, served at every path.
    attacker_doc: String,
    in_flight: Option<String>,
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
    threads: Vec<JoinHandle<()>>,
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
    /// Starts both origins on 127.0.0.1 (`port` and `attacker_port`; 0 picks free ones)
    /// with the suite's documents.
    pub fn start(keys: &KeyStore, port: u16, attacker_port: u16) -> Result<KeyServer, String> {
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
        let trusted = bind(port, "trusted origin")?;
        let attacker = bind(attacker_port, "attacker origin")?;
        let mut server = KeyServer {
            state: Arc::new(Mutex::new(state)),
            stop: Arc::new(AtomicBool::new(false)),
            addr: trusted.local_addr().map_err(|e| e.to_string())?,
            attacker_addr: attacker.local_addr().map_err(|e| e.to_string())?,
            threads: Vec::new(),
        };
        for (listener, is_attacker) in [(trusted, false), (attacker, true)] {
            let state = server.state.clone();
            let stop = server.stop.clone();
            server.threads.push(std::thread::spawn(move || {
                accept_loop(listener, is_attacker, state, stop)
            }));
        }
        Ok(server)
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
        let mut s = lock(&self.state);
        s.in_flight = Some(case.to_owned());
        s.began = s.log.len();
    }

    /// Ends the case in flight and returns the fetches logged against it.
    pub fn end(&self) -> Vec<Fetch> {
        let mut s = lock(&self.state);
        let case = s.in_flight.take();
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
        for a in [self.addr, self.attacker_addr] {
            let _ = TcpStream::connect_timeout(&a, Duration::from_millis(200));
        }
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

fn lock(s: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    s.lock().unwrap_or_else(|p| p.into_inner())
}

fn accept_loop(
    listener: TcpListener,
    attacker: bool,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
) {
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    for conn in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = conn else { continue };
        let state = state.clone();
        std::thread::spawn(move || {
            let _ = serve(stream, port, attacker, &state);
        });
    }
}

fn serve(
    mut stream: TcpStream,
    port: u16,
    attacker: bool,
    state: &Mutex<State>,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk)?;
        if n == 0 || buf.len() > 16 * 1024 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let line = String::from_utf8_lossy(&buf);
    let path = line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .split('?')
        .next()
        .unwrap_or("/")
        .to_owned();
    let (doc, mode) = {
        let mut s = lock(state);
        let case = s.in_flight.clone();
        s.log.push(Fetch {
            url: format!("http://127.0.0.1:{port}{path}"),
            case,
            attacker,
        });
        if attacker {
            (Some(s.attacker_doc.clone()), Mode::Plain)
        } else {
            match s.docs.get(&path) {
                Some((d, m)) => (Some(d.clone()), m.clone()),
                None => (None, Mode::Plain),
            }
        }
    };
    let Some(doc) = doc else {
        return respond(
            &mut stream,
            "404 Not Found",
            "text/plain",
            b"no such document\n",
            &[],
        );
    };
    match mode {
        Mode::Plain => respond(
            &mut stream,
            "200 OK",
            "application/json",
            doc.as_bytes(),
            &[],
        ),
        Mode::NotJson => respond(
            &mut stream,
            "200 OK",
            "text/html",
            b"<html><body>Please log in</body></html>",
            &[],
        ),
        Mode::RedirectLoop => respond(
            &mut stream,
            "302 Found",
            "text/plain",
            b"",
            &[("Location", &path)],
        ),
        Mode::Oversized => {
            let mut body = doc.into_bytes();
            body.resize(body.len() + 10 * 1024 * 1024, b' ');
            respond(&mut stream, "200 OK", "application/json", &body, &[])
        }
        Mode::Slow => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                doc.len()
            );
            stream.write_all(head.as_bytes())?;
            for b in doc.bytes() {
                stream.write_all(&[b])?;
                std::thread::sleep(Duration::from_millis(200));
            }
            Ok(())
        }
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    ctype: &str,
    body: &[u8],
    extra: &[(&str, &str)],
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: max-age=300\r\nConnection: close\r\n",
        body.len()
    );
    for (n, v) in extra {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}

/// What a service must be configured with to be probed (printed by `jwtc keys serve` and
/// at the start of `jwtc probe`).
pub fn configuration(server: &KeyServer, profile: &str, audience: &str, issuer: &str) -> Value {
    match profile {
        "coyo" => json!({
            "issuer_pattern": "/^https:\\/\\/some\\.site$/i",
            "registered_keys_jwks": server.url("/coyo/registered.json"),
            "builtin_keys_jwks": server.url("/coyo/builtin.json"),
            "jku_allowlist": ["https://pubkeys.coyocloud.example"],
        }),
        _ => json!({
            "jwks_url": server.url("/.well-known/pomerium/jwks.json"),
            "audience": audience,
            "issuer": issuer,
            "clock_skew_seconds": 60,
        }),
    }
}
