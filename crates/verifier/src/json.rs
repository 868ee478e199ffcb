//! Strict JSON (rule core.json): one object in valid UTF-8, no BOM, no trailing
//! bytes, no duplicate member names (compared after unescaping), nesting bounded.
//!
//! Two readers:
//! - [`parse_value`] checks the text with [`Validate`] (serde_json's parser, building
//!   nothing), then builds a [`Value`];
//! - [`Object::parse`] (a JWT's claims, read once per token) checks and indexes an object
//!   in one pass with [`Scan`] and builds nothing: each member is parsed only when a rule
//!   asks for it. The two accept the same texts (tests below, and the `parse` fuzz target).

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// The default nesting bound (profiles.md core.json).
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

/// Parses `bytes` as one strict JSON value; the error text says what and where.
pub fn parse_value(bytes: &[u8], max_depth: usize) -> Result<Value, String> {
    let text = text_of(bytes)?;
    let mut de = serde_json::Deserializer::from_str(text);
    Validate {
        depth: 0,
        max_depth,
    }
    .deserialize(&mut de)
    .map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    // Validated: the same parser reads the same text again, now building the value.
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// Parses `bytes` as one strict JSON object.
pub fn parse_object(bytes: &[u8], max_depth: usize) -> Result<Map<String, Value>, String> {
    match parse_value(bytes, max_depth)? {
        Value::Object(map) => Ok(map),
        other => Err(format!("a JSON {}, not an object", kind(&other))),
    }
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
}

impl Members for Map<String, Value> {
    fn member(&self, name: &str) -> Option<Cow<'_, Value>> {
        self.get(name).map(Cow::Borrowed)
    }
}

impl Members for Object {
    fn member(&self, name: &str) -> Option<Cow<'_, Value>> {
        self.get(name).map(Cow::Owned)
    }
}

/// A strict JSON object, validated whole when parsed, whose top-level members are indexed
/// (name and the span of the value's text) but not built: [`Object::get`] parses the one
/// member asked for. Reading a JWT's claims this way costs two allocations however many
/// members the claims set has, where a [`Map`] costs several per member.
#[derive(Clone)]
pub struct Object {
    /// The whole JSON text.
    text: String,
    /// The top-level members in document order.
    members: Vec<Member>,
}

#[derive(Clone)]
struct Member {
    name: Name,
    value: Range<usize>,
}

#[derive(Clone)]
enum Name {
    /// The name's text is in [`Object::text`] as is (it has no escape).
    Span(Range<usize>),
    /// The name had escapes: unescaped here.
    Unescaped(Box<str>),
}

impl Object {
    /// Parses `bytes` as one strict JSON object (the same checks and messages as
    /// [`parse_object`]), keeping the text and indexing its members.
    pub fn parse(bytes: Vec<u8>, max_depth: usize) -> Result<Object, String> {
        if bytes.starts_with(BOM) {
            return Err(BOM_MESSAGE.into());
        }
        let text = String::from_utf8(bytes).map_err(|e| not_utf8(e.utf8_error()))?;
        let scan = Scan {
            text: &text,
            pos: 0,
            max_depth,
            names: Vec::new(),
        };
        match scan.object_members() {
            Ok(members) => Ok(Object { text, members }),
            // serde_json reads a refused text for the message; it must refuse it too.
            Err(Refused) => Err(match parse_object(text.as_bytes(), max_depth) {
                Err(message) => message,
                Ok(_) => format!(
                    "refused by the claims reader though serde_json reads it: nesting deeper \
                     than {SCAN_MAX_DEPTH} levels (a bound of {max_depth} is configured), or \
                     a jwtc bug"
                ),
            }),
        }
    }

    /// The whole JSON text of the object, as it was parsed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// How many members the object has.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether the object has no member.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    fn name<'a>(&'a self, m: &'a Member) -> &'a str {
        match &m.name {
            Name::Span(r) => &self.text[r.clone()],
            Name::Unescaped(s) => s,
        }
    }

    /// The JSON text of the member called `name`, exactly as it appears in the object.
    pub fn get_raw(&self, name: &str) -> Option<&str> {
        self.members
            .iter()
            .find(|m| self.name(m) == name)
            .map(|m| &self.text[m.value.clone()])
    }

    /// The member called `name` when it is a string: borrowed from the text when it has
    /// no escape. `None` when absent or not a string.
    pub fn get_str(&self, name: &str) -> Option<Cow<'_, str>> {
        let raw = self.get_raw(name)?;
        if !raw.starts_with('"') {
            return None;
        }
        if raw.contains('\\') {
            match value_of(raw) {
                Value::String(s) => Some(Cow::Owned(s)),
                _ => None,
            }
        } else {
            Some(Cow::Borrowed(&raw[1..raw.len() - 1]))
        }
    }

    /// Whether the object has a member called `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get_raw(name).is_some()
    }

    /// The member called `name`, parsed now.
    pub fn get(&self, name: &str) -> Option<Value> {
        self.get_raw(name).map(value_of)
    }

    /// Every member in document order, each value parsed now.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Value)> + '_ {
        self.members
            .iter()
            .map(|m| (self.name(m), value_of(&self.text[m.value.clone()])))
    }

    /// The object built as a [`Map`].
    pub fn to_map(&self) -> Map<String, Value> {
        self.iter().map(|(k, v)| (k.to_owned(), v)).collect()
    }
}

/// Parses a member's text, validated when its object was parsed.
fn value_of(raw: &str) -> Value {
    // The same parser accepted this very text inside the object (Index checks every
    // member with Validate), so it cannot fail here; the fuzz targets hold it to that.
    serde_json::from_str(raw).expect("a member validated when its object was parsed")
}

impl Default for Object {
    /// The object `{}`.
    fn default() -> Object {
        Object {
            text: "{}".into(),
            members: Vec::new(),
        }
    }
}

impl fmt::Debug for Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl PartialEq for Object {
    fn eq(&self, other: &Object) -> bool {
        self.to_map() == other.to_map()
    }
}

impl PartialEq<Map<String, Value>> for Object {
    fn eq(&self, other: &Map<String, Value>) -> bool {
        &self.to_map() == other
    }
}

/// Objects with at most this many members are checked for duplicate names pairwise
/// (no allocation); larger ones sort a list of their names.
const PAIRWISE_NAMES: usize = 16;

/// A name's length and first eight bytes in one word: names whose fingerprints differ
/// differ, so most pairs are told apart without comparing strings.
fn fingerprint(name: &str) -> u64 {
    let mut head = [0u8; 8];
    let n = name.len().min(8);
    head[..n].copy_from_slice(&name.as_bytes()[..n]);
    u64::from_le_bytes(head) ^ (name.len() as u64).rotate_right(8)
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
        let mut sorted: Vec<&str> = names.collect();
        sorted.sort_unstable();
        sorted.windows(2).find(|w| w[0] == w[1]).map(|w| w[0])
    }
}

fn duplicate_error<E: de::Error>(name: &str) -> E {
    E::custom(format!("duplicate member name {name:?}"))
}

fn too_deep<E: de::Error>(max_depth: usize) -> E {
    E::custom(format!("nesting deeper than the bound of {max_depth}"))
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

/// The strict checks on one value, building nothing: nesting within the bound, no
/// duplicate member name in any object, numbers finite (serde_json itself checks the
/// syntax, string escapes and surrogates, and control characters).
#[derive(Clone, Copy)]
struct Validate {
    depth: usize,
    max_depth: usize,
}

impl Validate {
    fn deeper<E: de::Error>(self) -> Result<Validate, E> {
        if self.depth + 1 > self.max_depth {
            return Err(too_deep(self.max_depth));
        }
        Ok(Validate {
            depth: self.depth + 1,
            max_depth: self.max_depth,
        })
    }
}

impl<'de> DeserializeSeed<'de> for Validate {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Validate {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        if v.is_finite() {
            Ok(())
        } else {
            Err(E::custom("number out of range"))
        }
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let inner = self.deeper()?;
        while seq.next_element_seed(inner)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let inner = self.deeper()?;
        let mut names: Vec<Cow<'de, str>> = Vec::new();
        while let Some(name) = map.next_key_seed(Key)? {
            map.next_value_seed(inner)?;
            names.push(name);
        }
        match duplicate(names.iter().map(|n| n.as_ref())) {
            Some(dup) => Err(duplicate_error(dup)),
            None => Ok(()),
        }
    }
}

/// The deepest nesting [`Scan`] follows, whatever the configured bound: serde_json's own
/// recursion limit is 128 levels, and the scanner recurses once a level.
const SCAN_MAX_DEPTH: usize = 127;

/// The reader behind [`Object::parse`]: one pass over the text, byte by byte, building
/// nothing but the index of the top-level members. It follows RFC 8259 as serde_json does
/// and hands serde_json every piece it does not check itself: a string with an escape (the
/// escapes and surrogate pairs), a number with a fraction, an exponent or more than 15
/// digits (its range), so what it accepts, serde_json reads. Any refusal is reported with
/// serde_json's message (see [`Object::parse`]).
struct Scan<'t> {
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

/// A refusal; the message comes from serde_json reading the same text.
struct Refused;

impl<'t> Scan<'t> {
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

    fn name_str<'a>(&'a self, name: &'a Name) -> &'a str {
        match name {
            Name::Span(r) => &self.text[r.clone()],
            Name::Unescaped(s) => s,
        }
    }

    /// The whole text: one object, and nothing after it but whitespace.
    fn object_members(mut self) -> Result<Vec<Member>, Refused> {
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
        let names = members.iter().map(|m| self.name_str(&m.name));
        match duplicate(names) {
            Some(_) => Err(Refused),
            None => Ok(members),
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
            Some(b'"') => self.string().map(|_| ()),
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
        let names = self.names[mark..].iter().map(|n| self.name_str(n));
        let dup = duplicate(names).is_some();
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
        match self.string()? {
            None => Ok(Name::Span(start + 1..self.pos - 1)),
            Some(unescaped) => Ok(Name::Unescaped(unescaped.into())),
        }
    }

    /// A string; when it has an escape, serde_json checks it and unescapes it.
    fn string(&mut self) -> Result<Option<String>, Refused> {
        let start = self.pos;
        self.eat(b'"')?;
        let bytes = self.text.as_bytes();
        let mut escaped = false;
        loop {
            // The run of bytes that need no look: neither '"', '\\' nor a control character.
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
                Some(c) if *c < 0x20 => return Err(Refused),
                Some(_) => self.pos += 1,
                None => return Err(Refused),
            }
        }
        self.pos += 1;
        if !escaped {
            return Ok(None);
        }
        let quoted = &self.text[start..self.pos];
        Key.deserialize(&mut serde_json::Deserializer::from_str(quoted))
            .map(|s| Some(s.into_owned()))
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
    use super::*;

    #[test]
    fn strictness() {
        assert!(parse_object(br#"{"a":1}"#, 64).is_ok());
        assert!(parse_object(br#"{"a":1} "#, 64).is_ok());
        let dup = parse_object(br#"{"alg":"HS256","\u0061lg":"none"}"#, 64).unwrap_err();
        assert!(dup.contains("duplicate member name \"alg\""), "{dup}");
        assert!(parse_object(b"\xEF\xBB\xBF{}", 64)
            .unwrap_err()
            .contains("byte order mark"));
        assert!(parse_object(br#"{"a":1}x"#, 64).is_err());
        assert!(parse_object(br#"[1]"#, 64).unwrap_err().contains("array"));
        assert!(parse_object(b"{\"a\":\"\xff\"}", 64)
            .unwrap_err()
            .contains("not UTF-8: invalid byte sequence at byte 6"));
        let deep = format!("{}{}", "[".repeat(64), "]".repeat(64));
        assert!(parse_value(deep.as_bytes(), 64).is_ok());
        let deeper = format!("{}{}", "[".repeat(65), "]".repeat(65));
        assert!(parse_value(deeper.as_bytes(), 64)
            .unwrap_err()
            .contains("nesting"));
        // serde_json's own recursion limit must never be what stops us.
        let huge = "[".repeat(100_000);
        assert!(parse_value(huge.as_bytes(), 64).is_err());
    }

    /// Texts on every side of the strict checks: `Object::parse` must accept exactly what
    /// `parse_object` accepts, build the same map, and refuse for the same reason.
    const CASES: &[&[u8]] = &[
        br#"{}"#,
        br#" {"a":1} "#,
        br#"{"alg":"HS256","\u0061lg":"none"}"#,
        br#"{"\u0061":1,"b":2}"#,
        br#"{"a\"b":"c\nd","e":"\ud83d\ude00"}"#,
        br#"{"a":"\ud800"}"#,
        br#"{"a":"\udc00x"}"#,
        br#"{"a":"\x"}"#,
        b"{\"a\":\"\x01\"}",
        br#"{"a":1e999}"#,
        br#"{"a":-1e999}"#,
        br#"{"a":1e-999}"#,
        br#"{"a":1.5,"b":-0,"c":12345678901234567890,"d":1E+2}"#,
        br#"{"a":01}"#,
        br#"{"a":{"b":1,"b":2}}"#,
        br#"{"a":[{"b":1},{"b":1,"c":{"d":[true,false,null]}}]}"#,
        br#"{"a":[1,]}"#,
        br#"{"a":1,}"#,
        br#"{"a" 1}"#,
        br#"{"a":1"#,
        br#"{"a":tru}"#,
        br#"{"a":nul}"#,
        br#"{"a":1}{}"#,
        br#"[1,2]"#,
        br#""text""#,
        br#"12"#,
        br#"1e999"#,
        br#"true"#,
        br#"null"#,
        b"",
        b"\xEF\xBB\xBF{}",
        b"{\"a\":\"\xff\"}",
        br#"{"a":{"b":{"c":{}}}}"#,
    ];

    fn same_verdict(text: &[u8], depth: usize) {
        let shown = String::from_utf8_lossy(text);
        match (
            parse_object(text, depth),
            Object::parse(text.to_vec(), depth),
        ) {
            (Ok(map), Ok(object)) => {
                assert_eq!(object.to_map(), map, "{shown}");
                assert_eq!(object.len(), map.len(), "{shown}");
                for (name, value) in &map {
                    assert_eq!(object.get(name).as_ref(), Some(value), "{shown}: {name}");
                    assert!(object.contains_key(name), "{shown}: {name}");
                }
                assert_eq!(object.get("not a member"), None, "{shown}");
            }
            (Err(a), Err(b)) => assert_eq!(a, b, "{shown}"),
            (a, b) => panic!("{shown}: parse_object {a:?}, Object::parse {b:?}"),
        }
    }

    #[test]
    fn object_accepts_and_refuses_what_parse_object_does() {
        for text in CASES {
            same_verdict(text, 64);
            same_verdict(text, 2);
            same_verdict(text, 1);
            same_verdict(text, 0);
        }
    }

    #[test]
    fn duplicates_in_large_objects() {
        let mut members: Vec<String> = (0..40).map(|i| format!("\"m{i}\":{i}")).collect();
        let unique = format!("{{{}}}", members.join(","));
        same_verdict(unique.as_bytes(), 64);
        assert_eq!(
            Object::parse(unique.clone().into_bytes(), 64)
                .unwrap()
                .len(),
            40
        );
        members.push("\"m\\u0031\":0".into());
        let dup = format!("{{{}}}", members.join(","));
        let err = Object::parse(dup.into_bytes(), 64).unwrap_err();
        assert!(err.contains("duplicate member name \"m1\""), "{err}");
    }

    #[test]
    fn object_reads_members_in_place() {
        let o = Object::parse(
            br#"{"s":"x","\u006e":[1,{"k":null}],"t":true}"#.to_vec(),
            64,
        )
        .unwrap();
        assert_eq!(o.get_raw("s"), Some(r#""x""#));
        assert_eq!(o.get_raw("n"), Some(r#"[1,{"k":null}]"#));
        assert_eq!(o.get("t"), Some(Value::Bool(true)));
        assert_eq!(o.get_str("s").as_deref(), Some("x"));
        assert!(matches!(o.get_str("s"), Some(Cow::Borrowed("x"))));
        assert_eq!(o.get_str("n"), None);
        let escaped = Object::parse(br#"{"k":"a\"b"}"#.to_vec(), 64).unwrap();
        assert_eq!(escaped.get_str("k").as_deref(), Some("a\"b"));
        let names: Vec<&str> = o.iter().map(|(k, _)| k).collect();
        assert_eq!(names, ["s", "n", "t"], "document order");
        assert_eq!(o.member("n").as_deref(), o.get("n").as_ref());
        assert!(Object::default().is_empty());
        assert_eq!(
            format!("{o:?}"),
            r#"{"s": String("x"), "n": Array [Number(1), Object {"k": Null}], "t": Bool(true)}"#
        );
    }
}
