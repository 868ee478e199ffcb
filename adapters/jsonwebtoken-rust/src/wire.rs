//! JSON Lines over stdin and stdout (docs/protocol.md): one object per line, flushed.

use serde_json::{json, Value};
use std::io::{BufRead, BufWriter, StdinLock, StdoutLock, Write};

use crate::net::{Fetcher, Response};

pub struct Wire {
    input: StdinLock<'static>,
    out: BufWriter<StdoutLock<'static>>,
}

impl Wire {
    pub fn stdio() -> Wire {
        Wire {
            input: std::io::stdin().lock(),
            out: BufWriter::new(std::io::stdout().lock()),
        }
    }

    pub fn send(&mut self, msg: &Value) -> Result<(), String> {
        serde_json::to_writer(&mut self.out, msg).map_err(|e| format!("stdout: {e}"))?;
        self.out
            .write_all(b"\n")
            .and_then(|()| self.out.flush())
            .map_err(|e| format!("stdout: {e}"))
    }

    /// The next message; `None` at the end of stdin. Blank lines are skipped.
    pub fn recv(&mut self) -> Result<Option<Value>, String> {
        let mut line = String::new();
        loop {
            line.clear();
            let n = self
                .input
                .read_line(&mut line)
                .map_err(|e| format!("stdin: {e}"))?;
            if n == 0 {
                return Ok(None);
            }
            if !line.trim().is_empty() {
                break;
            }
        }
        let msg: Value = serde_json::from_str(&line)
            .map_err(|e| format!("a line that is not JSON ({e}): {}", line.trim()))?;
        if !msg.is_object() {
            return Err(format!("a line that is not an object: {}", line.trim()));
        }
        Ok(Some(msg))
    }

    /// The network as the harness plays it, for the duration of one step.
    pub fn fetcher(&mut self) -> WireFetcher<'_> {
        WireFetcher { wire: self }
    }
}

pub struct WireFetcher<'a> {
    wire: &'a mut Wire,
}

impl Fetcher for WireFetcher<'_> {
    /// Sends `fetch` and reads the `fetched` answer (the case's network entry, or status
    /// 599 with an `error` for a URL the case does not serve).
    fn fetch(&mut self, url: &str) -> Result<Response, String> {
        self.wire.send(&json!({"type": "fetch", "url": url}))?;
        let answer = self
            .wire
            .recv()?
            .ok_or_else(|| format!("stdin closed while fetching {url:?}"))?;
        if answer.get("type").and_then(Value::as_str) != Some("fetched")
            || answer.get("url").and_then(Value::as_str) != Some(url)
        {
            return Err(format!("expected fetched {url:?}, got {answer}"));
        }
        Ok(Response {
            status: answer.get("status").and_then(Value::as_u64).unwrap_or(0),
            body: answer
                .get("body")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            delay_ms: answer.get("delay_ms").and_then(Value::as_u64).unwrap_or(0),
            error: answer
                .get("error")
                .and_then(Value::as_str)
                .map(str::to_owned),
        })
    }
}
