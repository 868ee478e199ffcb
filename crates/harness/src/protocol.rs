//! The messages of the protocol between the harness and an implementation under test
//! (docs/protocol.md is the truth): JSON Lines over the implementation's stdin and
//! stdout, one object per line, each with a `"type"`.
//!
//! A scenario travels as one `case` message per step (`step` counts from 0, `steps` is
//! the count); the implementation keeps a case's state from its step 0 to its last step
//! and starts afresh at the next step 0. A plain case is a scenario of one step.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::io::BufRead;

use crate::outcome::Got;

/// The protocol's version, sent in the harness's `hello`.
pub const PROTOCOL_SCHEMA: u64 = 1;

/// The longest line the harness reads from an implementation (1 MiB); a longer one is a
/// protocol fault, read and thrown away without being buffered.
pub const MAX_LINE: usize = 1 << 20;

/// How deeply arrays and objects may nest in a line the harness reads (serde_json's
/// recursion limit); a deeper line is a protocol fault that says so.
pub const MAX_DEPTH: usize = 128;

/// The `error` of a `fetched` answer to a URL that the case's network does not hold.
pub const NOT_IN_NETWORK: &str = "not in this case's network";

/// The status of a `fetched` answer to a URL that the case's network does not hold
/// (the network-error status some proxies use).
pub const NOT_IN_NETWORK_STATUS: u16 = 599;

/// A message from the harness to the implementation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ToIut<'a> {
    /// The first message: the protocol's version and the suite clock.
    Hello {
        /// [`PROTOCOL_SCHEMA`].
        schema: u64,
        /// The suite clock (seconds since the epoch): verify at this time.
        now: i64,
    },
    /// One step of a case.
    Case {
        /// The case id (answers name it).
        id: Cow<'a, str>,
        /// The profile the case runs under.
        profile: Cow<'a, str>,
        /// The step, from 0; step 0 starts the case's state afresh.
        step: usize,
        /// How many steps the case has (1 for a plain case).
        steps: usize,
        /// What the implementation is given (per profile: docs/protocol.md).
        input: Cow<'a, Value>,
        /// How it is configured, keys as JWKs.
        context: Cow<'a, Value>,
    },
    /// The answer to a `fetch`: the case's network entry for the URL, verbatim
    /// (`status`, `body`, and `headers`, `delay_ms` where the case has them), or
    /// status 599 with `error` when the case's network does not hold the URL.
    Fetched {
        /// The URL asked for.
        url: Cow<'a, str>,
        /// The network entry's members.
        #[serde(flatten)]
        response: Map<String, Value>,
    },
}

/// A message from the implementation to the harness.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum FromIut {
    /// The answer to `hello`.
    Hello {
        /// The implementation's name (the library it wraps).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// Its version.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<String>,
        /// The profiles it implements; cases of others are skipped without being sent.
        /// Absent: every case is sent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        profiles: Option<Vec<String>>,
        /// The optional features it claims (`jwtc_verifier::rules::FEATURES`); cases
        /// needing others are not sent and are reported as not claimed. Absent: every feature.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        features: Option<Vec<String>>,
        /// The clock a signer's mints are graded at: `"suite"` (the `now` it is given; the
        /// default) or `"wall"` (it reads the wall clock; graded at the time each answer
        /// arrives). Any other value is a setup error naming it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        clock: Option<String>,
        /// `true`: the implementation reads ahead, so the harness may send the next cases
        /// before their predecessors are answered (answers still come in order, and the
        /// `fetched` for a `fetch` may come after `case` lines sent before it). Absent or
        /// `false`: lockstep, one step in flight.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pipeline: Option<bool>,
    },
    /// A request for a URL, answered by `fetched`; allowed while a case step runs.
    Fetch {
        /// The URL.
        url: String,
    },
    /// The answer to one step.
    Result {
        /// The case id.
        id: String,
        /// The step answered; absent means the step the harness last sent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step: Option<usize>,
        /// accept, reject, skip, or error (the implementation could not run the case).
        verdict: Got,
        /// The error code of a reject.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<String>,
        /// What an accept returned (per profile: docs/protocol.md).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        output: Option<Value>,
        /// A message for people: why it rejected, with the values that decided it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
        /// The reason of a skip (same as `detail`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// The implementation does not do what this case needs (the rest of its steps are
    /// not sent).
    Skip {
        /// The case id.
        id: String,
        /// The step; absent means the step the harness last sent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step: Option<usize>,
        /// Why, for people.
        reason: String,
    },
}

impl FromIut {
    /// Parses one line, with a message that says what is wrong and shows the line.
    pub fn parse(line: &str) -> Result<FromIut, String> {
        let value: Value = serde_json::from_str(line).map_err(|e| {
            if e.to_string().starts_with("recursion limit exceeded") {
                format!(
                    "a line that nests deeper than the harness reads ({MAX_DEPTH} levels of arrays and objects): {}",
                    excerpt(line)
                )
            } else {
                format!("a line that is not JSON ({e}): {}", excerpt(line))
            }
        })?;
        if !value.is_object() {
            return Err(format!(
                "a JSON line that is not an object: {}",
                excerpt(line)
            ));
        }
        serde_json::from_value(value).map_err(|e| {
            format!(
                "a line that is not a protocol message ({e}): {}",
                excerpt(line)
            )
        })
    }
}

/// The first 200 characters of a line, for messages.
pub fn excerpt(line: &str) -> String {
    const MAX: usize = 200;
    match line.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}… ({} bytes)", &line[..i], line.len()),
        None => line.to_owned(),
    }
}

/// Serialises a message as one line, newline included.
pub fn line(msg: &ToIut<'_>) -> Vec<u8> {
    let mut out = serde_json::to_vec(msg).unwrap_or_else(|e| {
        // Serialising a Value tree cannot fail; say so on the wire if it ever does.
        format!("{{\"type\":\"error\",\"detail\":\"cannot serialise: {e}\"}}").into_bytes()
    });
    out.push(b'\n');
    out
}

/// One line read from an implementation.
#[derive(Debug, PartialEq)]
pub enum Line {
    /// A complete line (without its `\n` or `\r\n`).
    Text(String),
    /// A line longer than the bound: its first `MAX_LINE` + 1 bytes were seen; the rest
    /// is thrown away as it arrives.
    TooLong,
    /// A line that is not UTF-8.
    NotUtf8,
    /// The end of the stream.
    Eof,
    /// A read error.
    Error(String),
}

/// Reads one line of at most `max` bytes without ever holding more than that: a longer
/// line yields [`Line::TooLong`] once the bound is crossed, and the next call first skips
/// the rest of it (`skipping` carries that between calls).
pub fn read_line(r: &mut impl BufRead, max: usize, skipping: &mut bool) -> Line {
    let mut buf: Vec<u8> = Vec::new();
    loop {
        let available = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Line::Error(e.to_string()),
        };
        if available.is_empty() {
            return if buf.is_empty() || *skipping {
                Line::Eof
            } else {
                finish(buf)
            };
        }
        let newline = available.iter().position(|&b| b == b'\n');
        let take = newline.map_or(available.len(), |i| i + 1);
        if *skipping {
            r.consume(take);
            if newline.is_some() {
                *skipping = false;
            }
            continue;
        }
        let body = newline.unwrap_or(available.len());
        if buf.len() + body > max {
            r.consume(take);
            *skipping = newline.is_none();
            return Line::TooLong;
        }
        buf.extend_from_slice(&available[..body]);
        r.consume(take);
        if newline.is_some() {
            return finish(buf);
        }
    }
}

fn finish(mut buf: Vec<u8>) -> Line {
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    match String::from_utf8(buf) {
        Ok(s) => Line::Text(s),
        Err(_) => Line::NotUtf8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn messages_round_trip_as_documented() {
        // (line as an implementation writes it, what it parses to) — the examples of docs/protocol.md.
        let cases: Vec<(&str, FromIut)> = vec![
            (
                r#"{"type":"hello","name":"pyjwt","version":"2.10.1","profiles":["core"]}"#,
                FromIut::Hello {
                    name: Some("pyjwt".into()),
                    version: Some("2.10.1".into()),
                    profiles: Some(vec!["core".into()]),
                    features: None,
                    clock: None,
                    pipeline: None,
                },
            ),
            (
                r#"{"type":"hello","name":"wall-signer","profiles":["watson-signer"],"clock":"wall"}"#,
                FromIut::Hello {
                    name: Some("wall-signer".into()),
                    version: None,
                    profiles: Some(vec!["watson-signer".into()]),
                    features: None,
                    clock: Some("wall".into()),
                    pipeline: None,
                },
            ),
            (
                r#"{"type":"hello","name":"x","features":["jwks-fetch"]}"#,
                FromIut::Hello {
                    name: Some("x".into()),
                    version: None,
                    profiles: None,
                    features: Some(vec!["jwks-fetch".into()]),
                    clock: None,
                    pipeline: None,
                },
            ),
            (
                r#"{"type":"hello","name":"fast","pipeline":true}"#,
                FromIut::Hello {
                    name: Some("fast".into()),
                    version: None,
                    profiles: None,
                    features: None,
                    clock: None,
                    pipeline: Some(true),
                },
            ),
            (
                r#"{"type":"hello"}"#,
                FromIut::Hello {
                    name: None,
                    version: None,
                    profiles: None,
                    features: None,
                    clock: None,
                    pipeline: None,
                },
            ),
            (
                r#"{"type":"fetch","url":"https://a.example/jwks.json"}"#,
                FromIut::Fetch {
                    url: "https://a.example/jwks.json".into(),
                },
            ),
            (
                r#"{"type":"result","id":"core/alg/x","verdict":"reject","error":"alg_not_allowed"}"#,
                FromIut::Result {
                    id: "core/alg/x".into(),
                    step: None,
                    verdict: Got::Reject,
                    error: Some("alg_not_allowed".into()),
                    output: None,
                    detail: None,
                    reason: None,
                },
            ),
            (
                r#"{"type":"result","id":"p/s/x","step":1,"verdict":"accept","output":{"sub":"a"}}"#,
                FromIut::Result {
                    id: "p/s/x".into(),
                    step: Some(1),
                    verdict: Got::Accept,
                    error: None,
                    output: Some(json!({"sub": "a"})),
                    detail: None,
                    reason: None,
                },
            ),
            (
                r#"{"type":"skip","id":"core/alg/x","reason":"no ES256"}"#,
                FromIut::Skip {
                    id: "core/alg/x".into(),
                    step: None,
                    reason: "no ES256".into(),
                },
            ),
        ];
        for (text, want) in cases {
            assert_eq!(FromIut::parse(text).as_ref(), Ok(&want), "{text}");
        }
        let hello = ToIut::Hello {
            schema: 1,
            now: 1767225600,
        };
        assert_eq!(
            String::from_utf8(line(&hello)).unwrap(),
            "{\"type\":\"hello\",\"schema\":1,\"now\":1767225600}\n"
        );
        let mut response = Map::new();
        response.insert("status".into(), json!(200));
        response.insert("body".into(), json!("{}"));
        let fetched = ToIut::Fetched {
            url: "https://a.example/k".into(),
            response,
        };
        let text = String::from_utf8(line(&fetched)).unwrap();
        assert_eq!(
            serde_json::from_str::<Value>(&text).unwrap(),
            json!({"type": "fetched", "url": "https://a.example/k", "status": 200, "body": "{}"})
        );
        assert_eq!(serde_json::from_str::<ToIut>(&text).unwrap(), fetched);
    }

    #[test]
    fn bad_lines_say_what_is_wrong() {
        // Valid JSON, 5,000 levels deep: named as too deep, not as "not JSON".
        let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        for (text, says) in [
            ("hello", "not JSON"),
            ("[1,2]", "not an object"),
            (r#"{"id":"x"}"#, "missing field `type`"),
            (r#"{"type":"bye"}"#, "unknown variant `bye`"),
            (r#"{"type":"result","id":"x"}"#, "missing field `verdict`"),
            (
                r#"{"type":"result","id":"x","verdict":"maybe"}"#,
                "unknown variant `maybe`",
            ),
            (r#"{"type":"skip","id":"x"}"#, "missing field `reason`"),
            (
                deep.as_str(),
                "nests deeper than the harness reads (128 levels",
            ),
        ] {
            let e = FromIut::parse(text).unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
    }

    #[test]
    fn lines_are_bounded() {
        let long = "x".repeat(50);
        let input = format!("short\r\n{long}\nafter\n\u{e9}\n\u{ff}tail");
        let mut bytes = input.into_bytes();
        let n = bytes.len();
        bytes[n - 5] = 0xff; // not UTF-8
                             // A tiny buffer so lines span several fill_buf calls.
        let mut r = std::io::BufReader::with_capacity(7, &bytes[..]);
        let mut skipping = false;
        let mut got = Vec::new();
        loop {
            let l = read_line(&mut r, 20, &mut skipping);
            let end = l == Line::Eof;
            got.push(l);
            if end {
                break;
            }
        }
        assert_eq!(
            got,
            vec![
                Line::Text("short".into()),
                Line::TooLong,
                Line::Text("after".into()),
                Line::Text("\u{e9}".into()),
                Line::NotUtf8,
                Line::Eof
            ]
        );
    }
}
