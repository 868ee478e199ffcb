//! The user's token taken apart: its three segments, the header and the payload as JSON,
//! the algorithm and the signature bytes. Anything that is not a compact JWS with JSON
//! object header and payload is refused with the reason and the value.

use serde_json::{Map, Value};

use jwtc_verifier::b64;

/// The longest token taken (a real token is a few KB).
pub const MAX_TOKEN_LEN: usize = 64 * 1024;

/// A token taken apart.
#[derive(Clone, Debug)]
pub struct Token {
    /// The token as given (surrounding whitespace removed).
    pub raw: String,
    /// The header segment.
    pub h64: String,
    /// The payload segment.
    pub p64: String,
    /// The signature segment.
    pub s64: String,
    /// The header.
    pub header: Map<String, Value>,
    /// The payload's claims.
    pub claims: Map<String, Value>,
    /// The header's `alg`.
    pub alg: String,
    /// The signature bytes.
    pub sig: Vec<u8>,
}

/// Takes `text` apart; the error names what is wrong and shows the start of the value.
pub fn parse(text: &str) -> Result<Token, String> {
    let raw = text.trim();
    let shown = shorten(raw, 40);
    if raw.is_empty() {
        return Err("TOKEN is empty: give the token, or a file holding it".into());
    }
    if raw.len() > MAX_TOKEN_LEN {
        return Err(format!(
            "TOKEN {shown:?}: {} bytes, over the bound of {MAX_TOKEN_LEN}",
            raw.len()
        ));
    }
    let parts: Vec<&str> = raw.split('.').collect();
    if parts.len() != 3 {
        return Err(format!(
            "TOKEN {shown:?} is not a JWT: {} segment(s) separated by '.', a signed JWT has 3 (header.payload.signature)",
            parts.len()
        ));
    }
    let object = |seg: &str, what: &str| -> Result<Map<String, Value>, String> {
        let bytes = b64::decode(seg)
            .map_err(|e| format!("TOKEN {shown:?}: the {what} is not base64url: {e}"))?;
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(o)) => Ok(o),
            Ok(other) => Err(format!(
                "TOKEN {shown:?}: the {what} is JSON but not an object: {}",
                shorten(&other.to_string(), 40)
            )),
            Err(e) => Err(format!("TOKEN {shown:?}: the {what} is not JSON: {e}")),
        }
    };
    let header = object(parts[0], "header")?;
    let claims = object(parts[1], "payload")?;
    let alg = match header.get("alg") {
        Some(Value::String(a)) => a.clone(),
        other => {
            return Err(format!(
                "TOKEN {shown:?}: the header's alg is {}, not an algorithm name",
                other.map_or("absent".into(), Value::to_string)
            ))
        }
    };
    if !matches!(
        alg.as_str(),
        "HS256" | "HS384" | "HS512" | "RS256" | "RS384" | "RS512" | "PS256" | "ES256"
    ) {
        return Err(format!(
            "TOKEN {shown:?}: alg {alg:?} is not a signature algorithm jwtc attack knows (HS256/384/512, RS256/384/512, PS256, ES256)"
        ));
    }
    let sig = b64::decode(parts[2])
        .map_err(|e| format!("TOKEN {shown:?}: the signature is not base64url: {e}"))?;
    Ok(Token {
        raw: raw.to_owned(),
        h64: parts[0].to_owned(),
        p64: parts[1].to_owned(),
        s64: parts[2].to_owned(),
        header,
        claims,
        alg,
        sig,
    })
}

impl Token {
    /// The algorithm's family: `HS`, `RS` (RS and PS) or `ES`.
    pub fn family(&self) -> &'static str {
        match &self.alg[..2] {
            "HS" => "HS",
            "ES" => "ES",
            _ => "RS",
        }
    }

    /// The header as a JSON value.
    pub fn header_value(&self) -> Value {
        Value::Object(self.header.clone())
    }

    /// The claims as a JSON value.
    pub fn claims_value(&self) -> Value {
        Value::Object(self.claims.clone())
    }

    /// The header with `members` set (a `null` removes the member).
    pub fn header_with(&self, members: Value) -> Value {
        merged(&self.header, members)
    }

    /// The claims with `members` set (a `null` removes the member).
    pub fn claims_with(&self, members: Value) -> Value {
        merged(&self.claims, members)
    }

    /// An integer claim.
    pub fn int(&self, name: &str) -> Option<i64> {
        self.claims.get(name).and_then(Value::as_i64)
    }

    /// A string claim (for `aud`, the first string of an array).
    pub fn text(&self, name: &str) -> Option<String> {
        match self.claims.get(name)? {
            Value::String(s) => Some(s.clone()),
            Value::Array(a) => a.iter().find_map(Value::as_str).map(str::to_owned),
            _ => None,
        }
    }
}

fn merged(base: &Map<String, Value>, members: Value) -> Value {
    let mut out = base.clone();
    if let Value::Object(m) = members {
        for (k, v) in m {
            if v.is_null() {
                out.remove(&k);
            } else {
                out.insert(k, v);
            }
        }
    }
    Value::Object(out)
}

/// The first `n` characters of `s`, with … when cut.
pub fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}
