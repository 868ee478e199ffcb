//! A structure-aware token: header, claims, signature and encoding mutated separately,
//! signed inside the target with a fixed test key, so the fuzzer reaches the claim checks
//! behind a valid signature.

use arbitrary::Arbitrary;
use hmac::{Hmac, Mac};
use p256::ecdsa::signature::Signer;
use serde_json::{json, Map, Value};
use sha2::Sha256;

use jwtc_verifier::{b64, Key, KeySet};

/// The fixed clock of every target (the suite clock).
pub const NOW: i64 = 1_767_225_600;

const HS256_KEY: &str = include_str!("../../../vectors/keys/hs256-a.json");
const P256_KEY: &str = include_str!("../../../vectors/keys/p256-a.json");
const RSA_KEY: &str = include_str!("../../../vectors/keys/rsa-2048-a.json");

fn jwk(text: &str) -> Value {
    serde_json::from_str(text).expect("a checked-in test key")
}

/// The HMAC secret of `hs256-a`.
pub fn hs_secret() -> Vec<u8> {
    b64::decode(jwk(HS256_KEY)["k"].as_str().unwrap()).unwrap()
}

/// The trusted key set for an algorithm the spec signs with.
pub fn trusted(alg: SignAlg) -> KeySet {
    let text = match alg {
        SignAlg::HS256 => HS256_KEY,
        SignAlg::ES256 => P256_KEY,
        SignAlg::RS256 => RSA_KEY,
    };
    let mut j = jwk(text);
    if let Some(o) = j.as_object_mut() {
        for m in ["d", "p", "q", "dp", "dq", "qi"] {
            o.remove(m);
        }
    }
    KeySet::new(vec![Key::from_jwk(&j).unwrap()]).unwrap()
}

/// The two algorithms the targets sign with.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignAlg {
    /// HMAC with `hs256-a`.
    HS256,
    /// ECDSA with `p256-a`.
    ES256,
    /// RSA PKCS#1 v1.5 with `rsa-2048-a`.
    RS256,
}

impl SignAlg {
    /// The JOSE name.
    pub fn name(self) -> &'static str {
        match self {
            SignAlg::HS256 => "HS256",
            SignAlg::ES256 => "ES256",
            SignAlg::RS256 => "RS256",
        }
    }
    /// The verifier's algorithm.
    pub fn alg(self) -> jwtc_verifier::Alg {
        match self {
            SignAlg::HS256 => jwtc_verifier::Alg::HS256,
            SignAlg::ES256 => jwtc_verifier::Alg::ES256,
            SignAlg::RS256 => jwtc_verifier::Alg::RS256,
        }
    }
}

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
    /// Whether the signature is the genuine one over the unmodified text.
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
        let original = token.clone();
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
            genuine: changed == sig && token == original,
            token: String::from_utf8_lossy(&token).into_owned(),
            claims,
            header,
        }
    }
}

/// Signs with the fixed key of `alg`.
pub fn sign(alg: SignAlg, input: &[u8]) -> Vec<u8> {
    match alg {
        SignAlg::HS256 => {
            let mut m = <Hmac<Sha256> as Mac>::new_from_slice(&hs_secret()).unwrap();
            m.update(input);
            m.finalize().into_bytes().to_vec()
        }
        SignAlg::ES256 => {
            let d = b64::decode(jwk(P256_KEY)["d"].as_str().unwrap()).unwrap();
            let sk = p256::ecdsa::SigningKey::from_slice(&d).unwrap();
            let s: p256::ecdsa::Signature = sk.sign(input);
            s.to_bytes().to_vec()
        }
        SignAlg::RS256 => {
            // RSA signing under coverage instrumentation costs tens of milliseconds; the
            // fuzzer often keeps the signing input and mutates the rest, so remember the
            // last signatures (PKCS#1 v1.5 is deterministic: same input, same bytes).
            use sha2::Digest;
            use std::collections::HashMap;
            use std::sync::{Mutex, OnceLock};
            static MEMO: OnceLock<Mutex<HashMap<Vec<u8>, Vec<u8>>>> = OnceLock::new();
            let memo = MEMO.get_or_init(|| Mutex::new(HashMap::new()));
            if let Some(sig) = memo.lock().unwrap().get(input) {
                return sig.clone();
            }
            let sig = rsa_private(RSA_KEY)
                .sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(input))
                .expect("RS256 signing");
            let mut m = memo.lock().unwrap();
            if m.len() >= 4096 {
                m.clear();
            }
            m.insert(input.to_vec(), sig.clone());
            sig
        }
    }
}

/// The RSA private key of a checked-in JWK, parsed once per key.
pub fn rsa_private(text: &'static str) -> &'static rsa::RsaPrivateKey {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static KEYS: OnceLock<Mutex<HashMap<usize, &'static rsa::RsaPrivateKey>>> = OnceLock::new();
    let mut map = KEYS
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .unwrap();
    map.entry(text.as_ptr() as usize).or_insert_with(|| {
        let j = jwk(text);
        let big =
            |m: &str| rsa::BigUint::from_bytes_be(&b64::decode(j[m].as_str().unwrap()).unwrap());
        let k = rsa::RsaPrivateKey::from_components(
            big("n"),
            big("e"),
            big("d"),
            vec![big("p"), big("q")],
        )
        .unwrap();
        Box::leak(Box::new(k))
    })
}
