//! The smallest HTTP/1.1 client the probe needs: one request per connection
//! (`Connection: close`), to an address on this machine, every step bounded (connect, write
//! and read time-outs under one deadline; the head and the body read to a size bound).
//! Redirects are never followed: a 3xx is an answer like any other. Anything that is not
//! an HTTP/1.x response (TLS, garbage, a reset, silence) is an [`HttpError`] naming it.

use std::fmt;
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// The most bytes of status line and headers read.
pub const HEAD_LIMIT: usize = 64 * 1024;

/// One request.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// `GET` or `POST`.
    pub method: String,
    /// The path and query, starting with `/`.
    pub target: String,
    /// Headers in order (`Host` among them when the caller sets one).
    pub headers: Vec<(String, String)>,
    /// A body (sent with its `Content-Length`).
    pub body: Option<Vec<u8>>,
}

/// One response, its body cut at the bound (the verifier's fetch answer, the same shape:
/// status, headers as sent, body; redirects returned, never followed).
pub use jwtc_verifier::net::Response;

/// Why a request got no HTTP answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpError {
    /// Nothing listens at the address.
    Refused(String),
    /// No (complete) answer within the time-out.
    Timeout(Duration),
    /// The connection was reset or closed before a complete answer.
    Reset(String),
    /// The bytes that came back are not HTTP/1.x (TLS, say).
    NotHttp(String),
    /// The head or the body is over its bound.
    TooLarge(&'static str, usize),
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpError::Refused(e) => write!(f, "connection refused: nothing listens there ({e})"),
            HttpError::Timeout(t) => {
                write!(f, "no complete answer within {:.1} s", t.as_secs_f64())
            }
            HttpError::Reset(e) => write!(
                f,
                "connection reset or closed before a complete answer ({e})"
            ),
            HttpError::NotHttp(what) => write!(f, "the answer is not HTTP/1.x: {what}"),
            HttpError::TooLarge(what, n) => write!(f, "the {what} is over the {n}-byte bound"),
        }
    }
}

/// Sends `req` to `addr`; the whole exchange ends by `timeout`, the body is read up to
/// `body_limit` bytes (a longer body is an error, not a truncated answer).
pub fn send(
    addr: SocketAddr,
    req: &Request,
    timeout: Duration,
    body_limit: usize,
) -> Result<Response, HttpError> {
    let deadline = Instant::now() + timeout;
    let mut stream = TcpStream::connect_timeout(&addr, timeout).map_err(|e| match e.kind() {
        ErrorKind::TimedOut | ErrorKind::WouldBlock => HttpError::Timeout(timeout),
        ErrorKind::ConnectionRefused => HttpError::Refused(format!("{addr}")),
        _ => HttpError::Reset(format!("connect to {addr}: {e}")),
    })?;
    let _ = stream.set_nodelay(true);
    let mut head = format!("{} {} HTTP/1.1\r\n", req.method, req.target);
    if !req
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("host"))
    {
        head.push_str(&format!("Host: {addr}\r\n"));
    }
    for (n, v) in &req.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    if let Some(b) = &req.body {
        head.push_str(&format!("Content-Length: {}\r\n", b.len()));
    }
    head.push_str("Connection: close\r\n\r\n");
    let mut bytes = head.into_bytes();
    if let Some(b) = &req.body {
        bytes.extend_from_slice(b);
    }
    stream
        .set_write_timeout(Some(timeout))
        .and_then(|()| stream.write_all(&bytes))
        .map_err(|e| io_error(e, timeout))?;
    let mut reader = Bounded {
        stream,
        deadline,
        timeout,
        buf: Vec::new(),
        eof: false,
    };
    let head_end = reader.fill_until(|b| find(b, b"\r\n\r\n"), HEAD_LIMIT, "head")?;
    let head = reader.buf.drain(..head_end + 4).collect::<Vec<u8>>();
    let (status, headers) = parse_head(&head)?;
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.to_ascii_lowercase().contains("chunked")
    });
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| {
            v.trim()
                .parse::<usize>()
                .map_err(|_| HttpError::NotHttp(format!("Content-Length {v:?} is not a number")))
        })
        .transpose()?;
    let body = if chunked {
        reader.chunked(body_limit)?
    } else if let Some(n) = length {
        if n > body_limit {
            return Err(HttpError::TooLarge("body (Content-Length)", body_limit));
        }
        reader.fill_until(|b| (b.len() >= n).then_some(n), body_limit, "body")?;
        reader.buf.truncate(n);
        std::mem::take(&mut reader.buf)
    } else {
        reader.read_to_end(body_limit)?
    };
    Ok(Response {
        status,
        headers,
        body,
    })
}

fn io_error(e: std::io::Error, timeout: Duration) -> HttpError {
    match e.kind() {
        ErrorKind::TimedOut | ErrorKind::WouldBlock => HttpError::Timeout(timeout),
        _ => HttpError::Reset(e.to_string()),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn parse_head(head: &[u8]) -> Result<(u16, Vec<(String, String)>), HttpError> {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split("\r\n");
    let first = lines.next().unwrap_or_default();
    let mut parts = first.splitn(3, ' ');
    let (version, code) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if !version.starts_with("HTTP/1.") {
        return Err(HttpError::NotHttp(format!(
            "status line {:?}",
            shorten(first)
        )));
    }
    let status = code
        .parse::<u16>()
        .ok()
        .filter(|s| (100..1000).contains(s))
        .ok_or_else(|| {
            HttpError::NotHttp(format!("status code {code:?} in {:?}", shorten(first)))
        })?;
    let headers = lines
        .filter(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Ok((status, headers))
}

fn shorten(s: &str) -> String {
    s.chars().take(60).collect()
}

/// A stream read under a deadline into a buffer.
struct Bounded {
    stream: TcpStream,
    deadline: Instant,
    timeout: Duration,
    buf: Vec<u8>,
    eof: bool,
}

impl Bounded {
    /// Reads more; false at the end of the stream.
    fn more(&mut self) -> Result<bool, HttpError> {
        if self.eof {
            return Ok(false);
        }
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(HttpError::Timeout(self.timeout));
        }
        self.stream
            .set_read_timeout(Some(left))
            .map_err(|e| io_error(e, self.timeout))?;
        let mut chunk = [0u8; 16 * 1024];
        match self.stream.read(&mut chunk) {
            Ok(0) => {
                self.eof = true;
                Ok(false)
            }
            Ok(n) => {
                if self.buf.is_empty() && chunk[0] == 0x16 {
                    return Err(HttpError::NotHttp(
                        "a TLS record (byte 0x16): the service speaks https on this port; give its http port".into(),
                    ));
                }
                self.buf.extend_from_slice(&chunk[..n]);
                Ok(true)
            }
            Err(e) => Err(io_error(e, self.timeout)),
        }
    }

    /// Reads until `done` finds what it needs in the buffer (its answer), at most `limit` bytes.
    fn fill_until(
        &mut self,
        done: impl Fn(&[u8]) -> Option<usize>,
        limit: usize,
        what: &'static str,
    ) -> Result<usize, HttpError> {
        loop {
            if let Some(n) = done(&self.buf) {
                return Ok(n);
            }
            if self.buf.len() > limit {
                return Err(HttpError::TooLarge(what, limit));
            }
            if !self.more()? {
                return Err(if self.buf.is_empty() && what == "head" {
                    HttpError::Reset("closed with no answer".into())
                } else {
                    HttpError::Reset(format!(
                        "closed inside the {what} after {} bytes",
                        self.buf.len()
                    ))
                });
            }
        }
    }

    fn read_to_end(&mut self, limit: usize) -> Result<Vec<u8>, HttpError> {
        while self.more()? {
            if self.buf.len() > limit {
                return Err(HttpError::TooLarge("body", limit));
            }
        }
        Ok(std::mem::take(&mut self.buf))
    }

    fn chunked(&mut self, limit: usize) -> Result<Vec<u8>, HttpError> {
        let mut body = Vec::new();
        loop {
            let line = self.fill_until(|b| find(b, b"\r\n"), 1024, "chunk size line")?;
            let size_text = String::from_utf8_lossy(&self.buf[..line]).to_string();
            let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
                .map_err(|_| HttpError::NotHttp(format!("chunk size {:?}", shorten(&size_text))))?;
            self.buf.drain(..line + 2);
            if size == 0 {
                return Ok(body);
            }
            if body.len() + size > limit {
                return Err(HttpError::TooLarge("body", limit));
            }
            self.fill_until(|b| (b.len() >= size + 2).then_some(size), size + 2, "chunk")?;
            body.extend(self.buf.drain(..size));
            self.buf.drain(..2);
        }
    }
}
