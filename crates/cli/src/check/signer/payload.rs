//! The structure of a Watson `user_payload` judged without IBM's private key (rule
//! `watson.mint-user-payload`, the part one can see from outside): standard base64, whole
//! RSA blocks of IBM's modulus length, and nothing readable, JSON or text, in clear or
//! behind the base64 alone (those two are critical: anyone who sees the token reads it).

use jwtc_harness::grade::signer::watson::payload_bytes;
use jwtc_harness::grade::signer::Judgement;

/// IBM's public key as far as the structure needs it: its modulus length.
#[derive(Clone, Copy, Debug)]
pub struct Modulus {
    /// Bits.
    pub bits: usize,
}

impl Modulus {
    /// Bytes of one RSA block.
    pub fn block(self) -> usize {
        self.bits.div_ceil(8)
    }
}

/// Whether `bytes` read as text a person or a program could use: UTF-8 with no control
/// characters but tab and line breaks (ciphertext is that with odds of about 2^-1000).
fn readable(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes)
        .is_ok_and(|t| !t.is_empty() && t.chars().all(|c| !c.is_control() || "\t\r\n".contains(c)))
}

/// Judges `text` (the `user_payload` string): the judgement, and the pass text with its
/// deciding values.
pub fn structure(text: &str, ibm: Option<Modulus>) -> (Judgement, String) {
    let fail = |why: String| (Judgement::Fail(why), String::new());
    if serde_json::from_str::<serde_json::Value>(text).is_ok() {
        return fail(format!(
            "critical: user_payload is readable JSON, the payload in clear: {}",
            cut(text)
        ));
    }
    let (bytes, url) = match payload_bytes(text) {
        Ok(decoded) => decoded,
        Err(_) if readable(text.as_bytes()) => {
            return fail(format!(
                "critical: user_payload is readable text, not base64 ciphertext: {}",
                cut(text)
            ))
        }
        Err(e) => return fail(format!("user_payload is not base64: {e}")),
    };
    if readable(&bytes) {
        let what = if serde_json::from_slice::<serde_json::Value>(&bytes).is_ok() {
            "JSON"
        } else {
            "text"
        };
        return fail(format!(
            "critical: user_payload is only base64-encoded, not encrypted: it decodes to readable {what}: {}",
            cut(&String::from_utf8_lossy(&bytes))
        ));
    }
    if bytes.is_empty() {
        return fail("user_payload is empty: no ciphertext".into());
    }
    let blocks = match ibm {
        Some(m) if bytes.len() % m.block() != 0 => {
            return fail(format!(
                "user_payload is {} bytes, not whole {}-byte RSA blocks of IBM's {}-bit key",
                bytes.len(),
                m.block(),
                m.bits
            ))
        }
        Some(m) => format!(
            "{} bytes = {} block(s) of IBM's {}-bit key",
            bytes.len(),
            bytes.len() / m.block(),
            m.bits
        ),
        None => format!("{} bytes", bytes.len()),
    };
    let pass = format!("base64 of {blocks}, not readable: ciphertext");
    if url {
        (
            Judgement::Either(format!(
                "base64url text, not standard base64 ({blocks}, not readable)"
            )),
            pass,
        )
    } else {
        (Judgement::Pass, format!("standard {pass}"))
    }
}

/// The first 60 characters of `s`, for a message.
fn cut(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    format!("{out:?}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    use base64::Engine;

    #[test]
    fn structures_are_judged_by_what_they_show() {
        let m = Some(Modulus { bits: 2048 });
        let blocks = STANDARD.encode([0xffu8; 512]);
        let url = URL_SAFE_NO_PAD.encode([0xfbu8; 256]);
        let table: &[(&str, Option<Modulus>, &str)] = &[
            (r#"{"name":"Ann"}"#, m, "fail: critical: user_payload is readable JSON"),
            ("hello there", m, "fail: critical: user_payload is readable text"),
            ("eyJuYW1lIjoiQW5uIn0=", m, "fail: critical: user_payload is only base64-encoded, not encrypted: it decodes to readable JSON"),
            ("aGVsbG8gdGhlcmU=", m, "fail: critical: user_payload is only base64-encoded, not encrypted: it decodes to readable text"),
            ("/w==", m, "fail: user_payload is 1 bytes, not whole 256-byte RSA blocks of IBM's 2048-bit key"),
            ("", m, "fail: user_payload is empty"),
            (&blocks, m, "pass: standard base64 of 512 bytes = 2 block(s) of IBM's 2048-bit key"),
            (&blocks, None, "pass: standard base64 of 512 bytes, not readable"),
            (&url, m, "either: base64url text"),
            ("\u{1}\u{2}", m, "fail: user_payload is not base64"),
        ];
        for (text, m, want) in table {
            let got = match structure(text, *m) {
                (Judgement::Pass, p) => format!("pass: {p}"),
                (Judgement::Either(w), _) => format!("either: {w}"),
                (Judgement::Fail(w), _) => format!("fail: {w}"),
            };
            assert!(
                got.starts_with(want),
                "{text:?}: got {got:?}, want {want:?}"
            );
        }
    }
}
