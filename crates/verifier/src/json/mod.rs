//! Strict JSON (rule core.json): one object in valid UTF-8, no BOM, no trailing
//! bytes, no duplicate member names (compared after unescaping), nesting bounded.
//!
//! Two readers, which accept the same texts (the tests of [`Object`], and the `parse`
//! fuzz target):
//! - [`parse_value`] (`parse.rs`) checks the text with a validating pass of serde_json's
//!   parser that builds nothing, then builds a [`Value`];
//! - [`Object::parse`] (`object.rs`: a JWT's claims, read once per token) checks and
//!   indexes an object in one pass with the scanner of `scan.rs` and builds nothing: each
//!   member is parsed only when a rule asks for it.
//!
//! This file holds the public API and what the readers share: the BOM and UTF-8 check,
//! the duplicate-name check, the member-name reader, the index entries the scanner makes
//! and an [`Object`] keeps, and [`Members`], the read access both kinds of object give.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::{self, DeserializeSeed, Visitor};
use serde_json::{Map, Value};

mod object;
mod parse;
mod scan;

pub use object::Object;
pub use parse::{parse_object, parse_value};

/// The default nesting bound (docs/rules.md core.json).
pub const DEFAULT_MAX_DEPTH: usize = 64;

/// Checks the byte order mark and UTF-8 once for the whole text (serde_json's slice
/// reader checks each string on its own, which costs more than the rest of the parse).
fn text_of(bytes: &[u8]) -> Result<&str, String> {
    if bytes.starts_with(BOM) {
        return Err(BOM_MESSAGE.into());
    }
    std::str::from_utf8(bytes).map_err(not_utf8)
}

const BOM: &[u8] = &[0xEF, 0xBB, 0xBF];
const BOM_MESSAGE: &str = "starts with a UTF-8 byte order mark";

fn not_utf8(e: std::str::Utf8Error) -> String {
    format!(
        "not UTF-8: invalid byte sequence at byte {}",
        e.valid_up_to()
    )
}

/// The JSON type name of a value, for messages.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Read access by member name, shared by a built [`Map`] and a lazily read [`Object`]:
/// the rules that read claims take either.
pub trait Members {
    /// The member called `name`, if present (borrowed from a map, parsed from an object).
    fn member(&self, name: &str) -> Option<Cow<'_, Value>>;

    /// The member called `name` read as a number: `Ok` with [`serde_json::Number::as_f64`]
    /// of it when it is one, `Err` with the member when it is not. An [`Object`] reads a
    /// short non-negative integer in place (the time claims) and builds nothing.
    fn member_number(&self, name: &str) -> Option<Result<Option<f64>, Cow<'_, Value>>> {
        self.member(name).map(|v| match v.as_ref() {
            Value::Number(n) => Ok(n.as_f64()),
            _ => Err(v),
        })
    }
}

impl Members for Map<String, Value> {
    fn member(&self, name: &str) -> Option<Cow<'_, Value>> {
        self.get(name).map(Cow::Borrowed)
    }
}

/// One top-level member of an [`Object`]: its name, and the span of its value's text.
#[derive(Clone)]
struct Member {
    name: Name,
    value: Range<usize>,
}

/// A member name as the scanner read it, with its [`fingerprint`] (for the duplicate
/// check, and for looking members up without comparing most names).
#[derive(Clone)]
struct Name {
    text: NameText,
    key: u64,
}

/// Where a member name's text is.
#[derive(Clone)]
enum NameText {
    /// The name's text is in the JSON text as is (it has no escape).
    Span(Range<usize>),
    /// The name had escapes: unescaped here.
    Unescaped(Box<str>),
}

/// Objects with at most this many members are checked for duplicate names pairwise
/// (no allocation); larger ones sort a list of their names.
const PAIRWISE_NAMES: usize = 16;

/// A name's length and first eight bytes in one word: names whose fingerprints differ
/// differ, so most pairs are told apart without comparing strings. The bytes are gathered
/// one by one below eight (a copy of a variable length would be a `memcpy` call).
fn fingerprint(name: &str) -> u64 {
    let bytes = name.as_bytes();
    let head = match bytes.first_chunk::<8>() {
        Some(eight) => u64::from_le_bytes(*eight),
        None => bytes
            .iter()
            .enumerate()
            .fold(0, |head, (i, &b)| head | u64::from(b) << (8 * i)),
    };
    head ^ (name.len() as u64).rotate_right(8)
}

/// The first name that occurs twice in `names`, if any.
fn duplicate<'a>(names: impl ExactSizeIterator<Item = &'a str>) -> Option<&'a str> {
    let len = names.len();
    if len <= PAIRWISE_NAMES {
        let mut seen = [(0u64, ""); PAIRWISE_NAMES];
        for (slot, name) in seen.iter_mut().zip(names) {
            *slot = (fingerprint(name), name);
        }
        let seen = &seen[..len];
        for (i, a) in seen.iter().enumerate() {
            if seen[i + 1..].iter().any(|b| a.0 == b.0 && a.1 == b.1) {
                return Some(a.1);
            }
        }
        None
    } else {
        sorted_duplicate(names.collect())
    }
}

/// The first name that occurs twice in a list sorted here.
fn sorted_duplicate(mut names: Vec<&str>) -> Option<&str> {
    names.sort_unstable();
    names.windows(2).find(|w| w[0] == w[1]).map(|w| w[0])
}

impl Name {
    /// The name's text, `text` being the JSON text it was read from.
    fn in_text<'a>(&'a self, text: &'a str) -> &'a str {
        match &self.text {
            NameText::Span(r) => &text[r.clone()],
            NameText::Unescaped(s) => s,
        }
    }
}

/// Whether two of the names of `items` (read from `text`) are equal after unescaping:
/// [`duplicate`] on names whose fingerprints the scanner already took, compared in place.
fn repeats<T>(items: &[T], name: impl Fn(&T) -> &Name, text: &str) -> bool {
    if items.len() <= PAIRWISE_NAMES {
        items.iter().enumerate().any(|(i, a)| {
            let a = name(a);
            items[i + 1..].iter().any(|b| {
                let b = name(b);
                a.key == b.key && a.in_text(text) == b.in_text(text)
            })
        })
    } else {
        sorted_duplicate(items.iter().map(|i| name(i).in_text(text)).collect()).is_some()
    }
}

/// [`fingerprint`] of the name at `span` of `text`, read as one word when eight bytes of
/// the text start there (the bytes past the name masked off).
#[inline]
fn fingerprint_at(text: &str, span: Range<usize>) -> u64 {
    let len = span.len();
    match text.as_bytes().get(span.start..span.start + 8) {
        Some(word) => {
            let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
            let head = if len >= 8 {
                word
            } else {
                word & ((1u64 << (8 * len)) - 1)
            };
            head ^ (len as u64).rotate_right(8)
        }
        None => fingerprint(&text[span]),
    }
}

/// A member name, borrowed from the text when it has no escape.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v))
    }
}
