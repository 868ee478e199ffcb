//! [`Object`]: a strict JSON object validated whole by the scanner (`scan.rs`) and read in
//! place: its top-level members are indexed, and a member is parsed only when asked for.

use std::borrow::Cow;
use std::fmt;

use serde_json::{Map, Value};

use super::scan::{Refused, Scan, SCAN_MAX_DEPTH};
use super::{fingerprint, not_utf8, parse_object, Member, Members, BOM, BOM_MESSAGE};

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

impl Object {
    /// Parses `bytes` as one strict JSON object (the same checks and messages as
    /// [`parse_object`]), keeping the text and indexing its members.
    pub fn parse(bytes: Vec<u8>, max_depth: usize) -> Result<Object, String> {
        if bytes.starts_with(BOM) {
            return Err(BOM_MESSAGE.into());
        }
        let text = String::from_utf8(bytes).map_err(|e| not_utf8(e.utf8_error()))?;
        match Scan::new(&text, max_depth).object_members() {
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
        m.name.in_text(&self.text)
    }

    /// The JSON text of the member called `name`, exactly as it appears in the object.
    pub fn get_raw(&self, name: &str) -> Option<&str> {
        let key = fingerprint(name);
        self.members
            .iter()
            .find(|m| m.name.key == key && self.name(m) == name)
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

    /// The member called `name`: `Ok` with the string when it is one (borrowed when it has
    /// no escape), else `Err` with its JSON type's name ([`kind`](super::kind)'s words);
    /// `None` when absent. Nothing is built for a member that is not a string.
    pub fn get_str_or_kind(&self, name: &str) -> Option<Result<Cow<'_, str>, &'static str>> {
        let raw = self.get_raw(name)?;
        Some(match raw.as_bytes().first() {
            Some(b'"') if raw.contains('\\') => match value_of(raw) {
                Value::String(s) => Ok(Cow::Owned(s)),
                other => Err(super::kind(&other)),
            },
            Some(b'"') => Ok(Cow::Borrowed(&raw[1..raw.len() - 1])),
            Some(b'{') => Err("object"),
            Some(b'[') => Err("array"),
            Some(b't' | b'f') => Err("boolean"),
            Some(b'n') => Err("null"),
            _ => Err("number"),
        })
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

impl Members for Object {
    fn member(&self, name: &str) -> Option<Cow<'_, Value>> {
        self.get(name).map(Cow::Owned)
    }

    fn member_number(&self, name: &str) -> Option<Result<Option<f64>, Cow<'_, Value>>> {
        let raw = self.get_raw(name)?;
        // Digits only, at most 15 (the scanner refused leading zeros): serde_json reads
        // them as a u64, and as_f64 of that is this, exactly.
        if (1..=15).contains(&raw.len()) {
            let digits = raw.bytes().try_fold(0u64, |n, b| {
                b.is_ascii_digit().then(|| n * 10 + u64::from(b - b'0'))
            });
            if let Some(n) = digits {
                return Some(Ok(Some(n as f64)));
            }
        }
        Some(match value_of(raw) {
            Value::Number(n) => Ok(n.as_f64()),
            other => Err(Cow::Owned(other)),
        })
    }
}

/// Parses a member's text, validated when its object was parsed.
fn value_of(raw: &str) -> Value {
    // The scanner accepted this very text inside the object, and it accepts only what
    // serde_json reads, so this cannot fail; the tests below and the fuzz targets hold it
    // to that.
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts on every side of the strict checks: `Object::parse` must accept exactly what
    /// `parse_object` accepts, build the same map, and refuse for the same reason.
    const CASES: &[&[u8]] = &[
        br#"{}"#,
        br#" {"a":1} "#,
        br#"{"alg":"HS256","\u0061lg":"none"}"#,
        br#"{"\u0061":1,"b":2}"#,
        // Fingerprints: names of eight bytes and more, names ending within eight bytes of
        // the text's end (read byte by byte), escaped against plain, equal heads.
        br#"{"abcdefgh":1,"abcdefgh":2}"#,
        br#"{"abcdefghX":1,"abcdefghY":2}"#,
        br#"{"abcdefgh":1,"abcdefg\u0068":2}"#,
        br#"{"b":1,"a":2,"a":3}"#,
        br#"{"x":{"ab":1,"a\u0062":2}}"#,
        br#"{"":1,"":2}"#,
        br#"{"":1,"a":2}"#,
        br#"{"a\u0000":1,"a":2}"#,
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
        // Every member's type, named as `kind` names the built value's.
        for (name, value) in o.iter() {
            let want = match &value {
                Value::String(s) => Ok(Cow::Owned(s.clone())),
                other => Err(super::super::kind(other)),
            };
            assert_eq!(o.get_str_or_kind(name), Some(want), "{name}");
        }
        let kinds = Object::parse(
            br#"{"o":{},"a":[],"t":true,"f":false,"z":null,"n":-1.5,"e":"A"}"#.to_vec(),
            64,
        )
        .unwrap();
        for (name, value) in kinds.iter() {
            let got = kinds.get_str_or_kind(name).unwrap();
            match value {
                Value::String(s) => assert_eq!(got, Ok(Cow::Owned(s))),
                other => assert_eq!(got, Err(super::super::kind(&other)), "{name}"),
            }
        }
        assert_eq!(kinds.get_str_or_kind("absent"), None);
        // Numbers read in place equal the built map's, whatever their form.
        let numbers = br#"{"a":0,"b":4102444800,"c":999999999999999,"d":1000000000000000,"e":-0,"f":-12,"g":1.5,"h":1e3,"i":"7","j":null}"#;
        let object = Object::parse(numbers.to_vec(), 64).unwrap();
        let map = parse_object(numbers, 64).unwrap();
        for name in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "absent"] {
            let got = object
                .member_number(name)
                .map(|r| r.map_err(Cow::into_owned));
            let want = map.member_number(name).map(|r| r.map_err(Cow::into_owned));
            assert_eq!(
                got.map(|r| r.map(|x| x.map(f64::to_bits))),
                want.map(|r| r.map(|x| x.map(f64::to_bits))),
                "{name}"
            );
        }
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
