//! The building reader of strict JSON: [`parse_value`] and [`parse_object`] check the text
//! with [`Validate`] (serde_json's parser, building nothing), then build a [`Value`].

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::{duplicate, kind, text_of, Key};

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

fn duplicate_error<E: de::Error>(name: &str) -> E {
    E::custom(format!("duplicate member name {name:?}"))
}

fn too_deep<E: de::Error>(max_depth: usize) -> E {
    E::custom(format!("nesting deeper than the bound of {max_depth}"))
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
}
