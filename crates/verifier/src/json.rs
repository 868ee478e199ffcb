//! Strict JSON (rule core.json): one object in valid UTF-8, no BOM, no trailing
//! bytes, no duplicate member names (compared after unescaping), nesting bounded.

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// The default nesting bound (profiles.md core.json).
pub const DEFAULT_MAX_DEPTH: usize = 64;

/// Parses `bytes` as one strict JSON value; the error text says what and where.
pub fn parse_value(bytes: &[u8], max_depth: usize) -> Result<Value, String> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err("starts with a UTF-8 byte order mark".into());
    }
    // UTF-8 checked once for the whole text (serde_json's slice reader checks each string
    // on its own, which costs more than the rest of the parse on short strings).
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8: invalid byte sequence at byte {}",
            e.valid_up_to()
        )
    })?;
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Strict {
        depth: 0,
        max_depth,
    }
    .deserialize(&mut de)
    .map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(value)
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

#[derive(Clone, Copy)]
struct Strict {
    depth: usize,
    max_depth: usize,
}

impl Strict {
    fn deeper<E: de::Error>(self) -> Result<Strict, E> {
        if self.depth + 1 > self.max_depth {
            return Err(E::custom(format!(
                "nesting deeper than the bound of {}",
                self.max_depth
            )));
        }
        Ok(Strict {
            depth: self.depth + 1,
            max_depth: self.max_depth,
        })
    }
}

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number out of range"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.deeper()?;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(inner)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = self.deeper()?;
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            // One search of the map per member: the duplicate check finds the slot the
            // value then goes in.
            match out.entry(key) {
                serde_json::map::Entry::Occupied(dup) => {
                    return Err(de::Error::custom(format!(
                        "duplicate member name {:?}",
                        dup.key()
                    )));
                }
                serde_json::map::Entry::Vacant(slot) => {
                    slot.insert(map.next_value_seed(inner)?);
                }
            }
        }
        Ok(Value::Object(out))
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
