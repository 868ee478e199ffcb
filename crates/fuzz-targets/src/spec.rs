//! A structure-aware token: header, claims, signature and encoding mutated separately,
//! signed inside the target with a fixed test key, so the fuzzer reaches the claim checks
//! behind a valid signature.

use arbitrary::Arbitrary;
use serde_json::{json, Map, Value};

use jwtc_verifier::b64;

pub use crate::testkeys::{
    hs_secret, public_jwk, rsa_private, sign, trusted, trusted_on, SignAlg, RSA_KEY,
};

/// The fixed clock of every target (the suite clock).
pub const NOW: i64 = 1_767_225_600;

/// A JSON value from a small grammar that hits the interesting types.
#[derive(Arbitrary, Clone, Debug)]
pub enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Small(i16),
    Float(f64),
    NearNow(i32),
    Str(String),
    Word(Word),
    Array(Vec<Word>),
    Object(Vec<(Word, Word)>),
}

/// Words from the JOSE dictionary, so names and values collide the way attacks need.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum Word {
    Alg,
    None,
    NoneUpper,
    HS256,
    RS256,
    ES256,
    Jwt,
    Crit,
    B64,
    Kid,
    Jku,
    Jwk,
    X5u,
    X5c,
    Typ,
    Cty,
    Exp,
    Nbf,
    Iat,
    Sub,
    Iss,
    Aud,
    Nonce,
    Empty,
    Dots,
    Slash,
    Unicode,
}

impl Word {
    fn text(self) -> &'static str {
        match self {
            Word::Alg => "alg",
            Word::None => "none",
            Word::NoneUpper => "NONE",
            Word::HS256 => "HS256",
            Word::RS256 => "RS256",
            Word::ES256 => "ES256",
            Word::Jwt => "JWT",
            Word::Crit => "crit",
            Word::B64 => "b64",
            Word::Kid => "kid",
            Word::Jku => "jku",
            Word::Jwk => "jwk",
            Word::X5u => "x5u",
            Word::X5c => "x5c",
            Word::Typ => "typ",
            Word::Cty => "cty",
            Word::Exp => "exp",
            Word::Nbf => "nbf",
            Word::Iat => "iat",
            Word::Sub => "sub",
            Word::Iss => "iss",
            Word::Aud => "aud",
            Word::Nonce => "nonce",
            Word::Empty => "",
            Word::Dots => "../../",
            Word::Slash => "a/b",
            Word::Unicode => "\u{0430}dmin",
        }
    }
}

impl Json {
    /// The value.
    pub fn value(&self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => json!(b),
            Json::Int(i) => json!(i),
            Json::Small(i) => json!(i),
            Json::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Json::NearNow(d) => json!(NOW + i64::from(*d)),
            Json::Str(s) => json!(s),
            Json::Word(w) => json!(w.text()),
            Json::Array(ws) => Value::Array(ws.iter().map(|w| json!(w.text())).collect()),
            Json::Object(kv) => Value::Object(
                kv.iter()
                    .map(|(k, v)| (k.text().to_owned(), json!(v.text())))
                    .collect(),
            ),
        }
    }
}

/// What happens to the signature.
#[derive(Arbitrary, Clone, Debug)]
pub enum SigChange {
    /// The genuine signature.
    Keep,
    /// One byte xor-ed.
    Flip(u16, u8),
    /// Cut to a length.
    Truncate(u16),
    /// Replaced by arbitrary bytes.
    Replace(Vec<u8>),
}

/// What happens to the encoded text after signing.
#[derive(Arbitrary, Clone, Debug)]
pub enum TextChange {
    /// Nothing.
    Keep,
    /// One character replaced by a byte (any of the token's characters).
    Put(u16, u8),
    /// A character inserted.
    Insert(u16, u8),
    /// A character removed.
    Remove(u16),
}

/// A structured token.
#[derive(Arbitrary, Clone, Debug)]
pub struct TokenSpec {
    /// The algorithm it is signed with (and the verifier is configured for).
    pub sign: SignAlg,
    /// The `alg` header value: `None` writes the signing algorithm's name.
    pub alg: Option<Json>,
    /// More header members (a name may repeat `alg`).
    pub header: Vec<(Word, Json)>,
    /// Claims.
    pub claims: Vec<(Word, Json)>,
    /// Signature change.
    pub sig: SigChange,
    /// Text change after signing (applies to the whole token; the signature covers the rest).
    pub text: TextChange,
}

/// A rendered spec: the token and what was done to it.
pub struct Rendered {
    /// The compact token.
    pub token: String,
    /// Whether the final token is the genuinely signed one: its text as signed, its
    /// signature the genuine one (whatever changes were made on the way).
    pub genuine: bool,
    /// The claims as written (last value of a repeated name).
    pub claims: Map<String, Value>,
    /// The header as written.
    pub header: Map<String, Value>,
}

impl TokenSpec {
    /// Renders and signs.
    pub fn render(&self) -> Rendered {
        self.render_with(&Map::new())
    }

    /// Renders and signs, with `extra` claims added after the spec's own.
    pub fn render_with(&self, extra: &Map<String, Value>) -> Rendered {
        self.render_with_header(&[], extra)
    }

    /// Renders and signs, with `header_extra` members added after the spec's header
    /// members and `extra` claims after its claims.
    pub fn render_with_header(
        &self,
        header_extra: &[(&str, Value)],
        extra: &Map<String, Value>,
    ) -> Rendered {
        let mut header = Map::new();
        header.insert(
            "alg".into(),
            self.alg
                .as_ref()
                .map_or(json!(self.sign.name()), Json::value),
        );
        for (k, v) in &self.header {
            header.insert(k.text().to_owned(), v.value());
        }
        for (k, v) in header_extra {
            header.insert((*k).to_owned(), v.clone());
        }
        let mut claims = Map::new();
        for (k, v) in &self.claims {
            claims.insert(k.text().to_owned(), v.value());
        }
        for (k, v) in extra {
            claims.insert(k.clone(), v.clone());
        }
        let input = format!(
            "{}.{}",
            b64::encode(Value::Object(header.clone()).to_string()),
            b64::encode(Value::Object(claims.clone()).to_string())
        );
        let sig = sign(self.sign, input.as_bytes());
        let mut changed = sig.clone();
        match &self.sig {
            SigChange::Keep => {}
            SigChange::Flip(at, x) => {
                let i = usize::from(*at) % changed.len();
                changed[i] ^= x;
            }
            SigChange::Truncate(n) => changed.truncate(usize::from(*n) % (changed.len() + 1)),
            SigChange::Replace(bytes) => changed = bytes.clone(),
        }
        let mut token = format!("{input}.{}", b64::encode(&changed)).into_bytes();
        // Genuine means the final text is the genuinely signed token, whatever was done
        // on the way: a text change can undo a signature change (the campaign input
        // fuzz/regressions/core_token/sig-change-undone-by-text-change flips a signature
        // byte, then puts back the very base64 symbol that flip had changed).
        let signed = format!("{input}.{}", b64::encode(&sig)).into_bytes();
        let len = token.len();
        match self.text {
            TextChange::Keep => {}
            TextChange::Put(at, b) => token[usize::from(at) % len] = b,
            TextChange::Insert(at, b) => token.insert(usize::from(at) % (len + 1), b),
            TextChange::Remove(at) => {
                token.remove(usize::from(at) % len);
            }
        }
        Rendered {
            genuine: token == signed,
            token: String::from_utf8_lossy(&token).into_owned(),
            claims,
            header,
        }
    }
}
