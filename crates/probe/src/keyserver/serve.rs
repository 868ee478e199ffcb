//! One origin's accept loop and the serving of one request: the documents of the trusted
//! origin (a case's own documents first on the https one), the attacker's document at every
//! path of the attacker's, each fetch logged. An https port answers plain http too (the
//! first byte tells: 0x16 opens a TLS handshake), logged as `http://`, so a service that
//! fetches an `http://` jku at the https port is seen.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{lock, Answer, Fetch, Mode, State};
use crate::tls::Tls;

pub(super) fn accept_loop(
    listener: TcpListener,
    attacker: bool,
    tls: Option<Arc<Tls>>,
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
        let tls = tls.clone();
        std::thread::spawn(move || {
            let _ = connection(stream, port, attacker, tls.as_deref(), &state);
        });
    }
}

fn connection(
    stream: TcpStream,
    port: u16,
    attacker: bool,
    tls: Option<&Tls>,
    state: &Mutex<State>,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let origin = Origin {
        port,
        attacker,
        https: false,
        case_docs: tls.is_some() && !attacker,
    };
    let Some(tls) = tls else {
        return serve(stream, &origin, state);
    };
    let mut first = [0u8; 1];
    if stream.peek(&mut first)? == 0 || first[0] != 0x16 {
        return serve(stream, &origin, state);
    }
    https(stream, &origin, tls, state)
}

#[cfg(feature = "tls")]
fn https(
    stream: TcpStream,
    origin: &Origin,
    tls: &Tls,
    state: &Mutex<State>,
) -> std::io::Result<()> {
    let conn = rustls::ServerConnection::new(tls.config.clone())
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    let mut tls_stream = rustls::StreamOwned::new(conn, stream);
    let origin = Origin {
        https: true,
        ..*origin
    };
    let r = serve(&mut tls_stream, &origin, state);
    tls_stream.conn.send_close_notify();
    let _ = tls_stream.flush();
    r
}

#[cfg(not(feature = "tls"))]
fn https(_: TcpStream, _: &Origin, _: &Tls, _: &Mutex<State>) -> std::io::Result<()> {
    Ok(())
}

/// Which origin a request came to.
#[derive(Clone, Copy)]
struct Origin {
    port: u16,
    attacker: bool,
    https: bool,
    /// Whether the case in flight's own documents are served here.
    case_docs: bool,
}

fn serve(
    mut stream: impl Read + Write,
    origin: &Origin,
    state: &Mutex<State>,
) -> std::io::Result<()> {
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
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let path = target.split('?').next().unwrap_or("/").to_owned();
    let scheme = if origin.https { "https" } else { "http" };
    let (doc, mode, answer) = {
        let mut s = lock(state);
        let case = s.in_flight.clone();
        s.log.push(Fetch {
            url: format!("{scheme}://127.0.0.1:{}{target}", origin.port),
            case,
            attacker: origin.attacker,
        });
        let answer = if origin.case_docs {
            s.case_docs.get(&target).cloned()
        } else {
            None
        };
        if origin.attacker {
            (Some(s.attacker_doc.clone()), Mode::Plain, None)
        } else if answer.is_some() {
            (None, Mode::Plain, answer)
        } else {
            match s.docs.get(&path) {
                Some((d, m)) => (Some(d.clone()), m.clone(), None),
                None => (None, Mode::Plain, None),
            }
        }
    };
    if let Some(a) = answer {
        return respond_case(&mut stream, &a);
    }
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
                stream.flush()?;
                std::thread::sleep(Duration::from_millis(200));
            }
            Ok(())
        }
    }
}

/// A case's own document: its status, headers and body, never cached, after its delay.
fn respond_case(stream: &mut impl Write, a: &Answer) -> std::io::Result<()> {
    std::thread::sleep(a.delay);
    let status = format!("{} {}", a.status, reason(a.status));
    let mut extra: Vec<(&str, &str)> = vec![("Cache-Control", "no-store")];
    extra.extend(a.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    respond_with(
        stream,
        &status,
        "application/json",
        a.body.as_bytes(),
        &extra,
    )
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        307 => "Temporary Redirect",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn respond(
    stream: &mut impl Write,
    status: &str,
    ctype: &str,
    body: &[u8],
    extra: &[(&str, &str)],
) -> std::io::Result<()> {
    let mut all = vec![("Cache-Control", "max-age=300")];
    all.extend_from_slice(extra);
    respond_with(stream, status, ctype, body, &all)
}

fn respond_with(
    stream: &mut impl Write,
    status: &str,
    ctype: &str,
    body: &[u8],
    extra: &[(&str, &str)],
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n",
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
