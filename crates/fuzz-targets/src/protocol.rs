//! One protocol line of the harness: what an implementation under test writes on its
//! stdout, read line by line within the bound and parsed as a message.

use std::io::BufReader;

use jwtc_harness::protocol::{read_line, FromIut, Line};

/// The line bound of this target: small, so over-long lines are common.
const MAX: usize = 64;

/// Bytes as an implementation's stdout, read through a small buffer (lines straddle
/// reads). Oracles: every line within the bound comes back exactly (`\r\n` and `\n`
/// ends, a trailing line without an end), every longer line is reported too long once
/// and skipped whole, nothing else is returned; a line that parses as a message
/// serialises and parses back to the same message.
pub fn protocol_line(data: &[u8]) {
    let mut reader = BufReader::with_capacity(7, data);
    let mut skipping = false;
    let mut got = Vec::new();
    loop {
        match read_line(&mut reader, MAX, &mut skipping) {
            Line::Eof => break,
            Line::Error(e) => panic!("reading a byte slice failed: {e}"),
            line => got.push(line),
        }
    }
    // What the lines must be.
    let mut want = Vec::new();
    let mut pieces: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    if data.ends_with(b"\n") || data.is_empty() {
        pieces.pop();
    }
    for piece in pieces {
        if piece.len() > MAX {
            want.push(Line::TooLong);
            continue;
        }
        let body = piece.strip_suffix(b"\r").unwrap_or(piece);
        want.push(match std::str::from_utf8(body) {
            Ok(s) => Line::Text(s.to_owned()),
            Err(_) => Line::NotUtf8,
        });
    }
    assert_eq!(got, want, "lines of {:?}", String::from_utf8_lossy(data));
    for line in got {
        let Line::Text(text) = line else { continue };
        match FromIut::parse(&text) {
            Ok(msg) => {
                let again = serde_json::to_string(&msg).expect("a message serialises");
                assert_eq!(
                    FromIut::parse(&again).as_ref(),
                    Ok(&msg),
                    "{text} → {again}"
                );
            }
            Err(e) => assert!(e.starts_with("a "), "{e}"),
        }
    }
}
