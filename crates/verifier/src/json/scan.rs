//! [`Scan`], the one-pass reader behind [`Object::parse`](super::Object::parse): it checks
//! a whole object and indexes its top-level members, building nothing.

use std::borrow::Cow;
use std::ops::Range;

use serde::de::DeserializeSeed;

use super::{fingerprint, fingerprint_at, repeats, Key, Member, Name, NameText};

/// The deepest nesting [`Scan`] follows, whatever the configured bound: serde_json's own
/// recursion limit is 128 levels, and the scanner recurses once a level.
pub(super) const SCAN_MAX_DEPTH: usize = 127;

/// The reader behind [`Object::parse`](super::Object::parse): one pass over the text, byte by byte, building
/// nothing but the index of the top-level members. It follows RFC 8259 as serde_json does
/// and hands serde_json every piece it does not check itself: a string with an escape (the
/// escapes and surrogate pairs), a number with a fraction, an exponent or more than 15
/// digits (its range), so what it accepts, serde_json reads. Any refusal is reported with
/// serde_json's message (see [`Object::parse`](super::Object::parse)).
pub(super) struct Scan<'t> {
    text: &'t str,
    pos: usize,
    max_depth: usize,
    /// The names of the nested objects being read, innermost last (their duplicate check).
    names: Vec<Name>,
}

/// The bytes that end a run of plain string content: '"', '\\' and the control characters.
const STRING_STOP: [bool; 256] = {
    let mut stop = [false; 256];
    let mut c = 0;
    while c < 0x20 {
        stop[c] = true;
        c += 1;
    }
    stop[b'"' as usize] = true;
    stop[b'\\' as usize] = true;
    stop
};

/// Each byte of a word set to one (for the word-at-a-time tests below).
const ONES: u64 = u64::from_le_bytes([1; 8]);
/// Each byte's high bit.
const HIGHS: u64 = ONES << 7;

/// The first position from `pos` on that holds a [`STRING_STOP`] byte, read eight bytes at
/// a time while eight remain; where fewer remain, the first position not yet ruled out.
/// In each little-endian word, a byte is flagged in `found` (its high bit) if it is '"',
/// '\\' or below 0x20: the lowest flag is always a true one (the borrows of the subtraction
/// run upward only), so `trailing_zeros` jumps to the first stop byte exactly.
fn stop_in_words(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(chunk) = bytes.get(pos..pos + 8) {
        let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
        let found = zero(w ^ (ONES * u64::from(b'"')))
            | zero(w ^ (ONES * u64::from(b'\\')))
            | (w.wrapping_sub(ONES * 0x20) & !w & HIGHS);
        if found != 0 {
            return pos + (found.trailing_zeros() / 8) as usize;
        }
        pos += 8;
    }
    pos
}

/// A refusal; the message comes from serde_json reading the same text.
pub(super) struct Refused;

impl<'t> Scan<'t> {
    /// A scanner at the start of `text`, following nesting to `max_depth` (and never past
    /// [`SCAN_MAX_DEPTH`]).
    pub(super) fn new(text: &'t str, max_depth: usize) -> Scan<'t> {
        Scan {
            text,
            pos: 0,
            max_depth,
            names: Vec::new(),
        }
    }

    fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.byte() {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Result<(), Refused> {
        if self.byte() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Refused)
        }
    }

    /// A container at `depth` holds values at `depth + 1`, which the bound must allow.
    fn enter(&self, depth: usize) -> Result<(), Refused> {
        if depth + 1 > self.max_depth.min(SCAN_MAX_DEPTH) {
            Err(Refused)
        } else {
            Ok(())
        }
    }

    /// The whole text: one object, and nothing after it but whitespace.
    pub(super) fn object_members(mut self) -> Result<Vec<Member>, Refused> {
        self.ws();
        if self.byte() != Some(b'{') {
            return Err(Refused);
        }
        let mut members = Vec::with_capacity(16);
        self.members(0, |_, name, value| members.push(Member { name, value }))?;
        self.ws();
        if self.pos != self.text.len() {
            return Err(Refused);
        }
        if repeats(&members, |m| &m.name, self.text) {
            Err(Refused)
        } else {
            Ok(members)
        }
    }

    /// The members of the object whose '{' is at the cursor (at `depth`; its values one
    /// deeper), each name with the span of its value given to `each`, in order.
    fn members(
        &mut self,
        depth: usize,
        mut each: impl FnMut(&mut Self, Name, Range<usize>),
    ) -> Result<(), Refused> {
        self.enter(depth)?;
        self.pos += 1;
        self.ws();
        if self.eat(b'}').is_ok() {
            return Ok(());
        }
        loop {
            self.ws();
            let name = self.name()?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            let start = self.pos;
            self.value(depth + 1)?;
            let end = self.pos;
            each(self, name, start..end);
            self.ws();
            match self.byte() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(Refused),
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<(), Refused> {
        match self.byte() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let start = self.pos;
                if self.skip_string()? {
                    self.unescape(start)?;
                }
                Ok(())
            }
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'n') => self.literal("null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(Refused),
        }
    }

    fn object(&mut self, depth: usize) -> Result<(), Refused> {
        let mark = self.names.len();
        self.members(depth, |scan, name, _| scan.names.push(name))?;
        let dup = repeats(&self.names[mark..], |n| n, self.text);
        self.names.truncate(mark);
        if dup {
            Err(Refused)
        } else {
            Ok(())
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), Refused> {
        self.enter(depth)?;
        self.pos += 1;
        self.ws();
        if self.eat(b']').is_ok() {
            return Ok(());
        }
        loop {
            self.ws();
            self.value(depth + 1)?;
            self.ws();
            match self.byte() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(Refused),
            }
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), Refused> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(Refused)
        }
    }

    /// A member name: borrowed from the text, or unescaped when it has an escape.
    fn name(&mut self) -> Result<Name, Refused> {
        let start = self.pos;
        Ok(match self.string()? {
            None => {
                let span = start + 1..self.pos - 1;
                Name {
                    key: fingerprint_at(self.text, span.clone()),
                    text: NameText::Span(span),
                }
            }
            Some(unescaped) => Name {
                key: fingerprint(&unescaped),
                text: NameText::Unescaped(unescaped.into()),
            },
        })
    }

    /// A string; when it has an escape, serde_json checks it and unescapes it.
    fn string(&mut self) -> Result<Option<String>, Refused> {
        let start = self.pos;
        if self.skip_string()? {
            self.unescape(start).map(Some)
        } else {
            Ok(None)
        }
    }

    /// Moves past the string at the cursor, checking all but its escapes; whether it has
    /// one (which [`Scan::unescape`] must then check). Small, to be inlined where strings
    /// are read: the scan of a JWT's claims is mostly this.
    #[inline]
    fn skip_string(&mut self) -> Result<bool, Refused> {
        self.eat(b'"')?;
        let bytes = self.text.as_bytes();
        let mut escaped = false;
        loop {
            // The run of bytes that need no look: neither '"', '\\' nor a control character;
            // eight at a time while eight remain, then one at a time.
            self.pos = stop_in_words(bytes, self.pos);
            while let Some(&c) = bytes.get(self.pos) {
                if STRING_STOP[c as usize] {
                    break;
                }
                self.pos += 1;
            }
            match bytes.get(self.pos) {
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    // The escaped byte never ends the string; serde_json checks the escape.
                    self.pos += 2;
                }
                _ => return Err(Refused),
            }
        }
        self.pos += 1;
        Ok(escaped)
    }

    /// The string from `start` to the cursor, which has an escape, checked and unescaped by
    /// serde_json.
    #[cold]
    fn unescape(&self, start: usize) -> Result<String, Refused> {
        let quoted = &self.text[start..self.pos];
        Key.deserialize(&mut serde_json::Deserializer::from_str(quoted))
            .map(Cow::into_owned)
            .map_err(|_| Refused)
    }

    /// A number; serde_json decides the range of any but a short integer.
    fn number(&mut self) -> Result<(), Refused> {
        let start = self.pos;
        let digits = |s: &mut Scan<'_>| {
            let from = s.pos;
            while let Some(b'0'..=b'9') = s.byte() {
                s.pos += 1;
            }
            s.pos - from
        };
        if self.byte() == Some(b'-') {
            self.pos += 1;
        }
        let integer = match self.byte() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.byte() {
                    return Err(Refused);
                }
                1
            }
            Some(b'1'..=b'9') => digits(self),
            _ => return Err(Refused),
        };
        let mut plain = integer <= 15;
        if self.byte() == Some(b'.') {
            self.pos += 1;
            plain = false;
            if digits(self) == 0 {
                return Err(Refused);
            }
        }
        if let Some(b'e' | b'E') = self.byte() {
            self.pos += 1;
            plain = false;
            if let Some(b'+' | b'-') = self.byte() {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(Refused);
            }
        }
        if plain {
            return Ok(());
        }
        match serde_json::from_str::<f64>(&self.text[start..self.pos]) {
            Ok(v) if v.is_finite() => Ok(()),
            _ => Err(Refused),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{stop_in_words, STRING_STOP};

    /// The first stop byte from `pos` on, one byte at a time.
    fn first_stop(bytes: &[u8], pos: usize) -> usize {
        (pos..bytes.len())
            .find(|&i| STRING_STOP[bytes[i] as usize])
            .unwrap_or(bytes.len())
    }

    #[test]
    fn words_find_the_first_stop_byte_or_leave_the_tail() {
        // Every byte value at every position of a 20-byte run of plain content, after
        // every start, and a second byte after it (the borrow of one must not hide or fake
        // the other).
        for len in [0usize, 1, 7, 8, 9, 16, 20] {
            for at in 0..len {
                for b in 0..=255u8 {
                    for second in [None, Some(b'"'), Some(0x1f), Some(0x80)] {
                        let mut bytes = vec![b'a'; len];
                        bytes[at] = b;
                        if let (Some(s), true) = (second, at + 1 < len) {
                            bytes[at + 1] = s;
                        }
                        for pos in 0..=len.min(3) {
                            let got = stop_in_words(&bytes, pos);
                            let want = first_stop(&bytes, pos);
                            // Exact when found; else no further than the first stop, and
                            // with fewer than eight bytes left.
                            assert!(
                                got <= want && (got == want || got + 8 > len),
                                "{bytes:?} from {pos}: {got}, want {want}"
                            );
                            assert_eq!(first_stop(&bytes, got), want);
                        }
                    }
                }
            }
        }
    }
}
