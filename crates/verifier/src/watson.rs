//! Profile `watson`: IBM Watson Assistant web chat's identity token (seed 002).
//!
//! An RS256 JWT signed with the customer's private key and verified with the public key
//! pasted into the web chat's security settings. `sub` becomes the user id (and the
//! `customer_id` of the `X-Watson-Metadata` header); an optional `user_payload` is
//! encrypted to the service's own RSA key the way node-rsa's default `encrypt(…,
//! 'base64')` does it (RSA-OAEP SHA-1 blocks, concatenated, standard base64). A
//! [`Session`] pins its user id. Every rule is on the strict side of profiles.md's
//! `either`; docs/decisions.md § watson says where the seed was read.

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use serde_json::{json, Value};

use crate::alg::{Alg, Family};
use crate::claims::{self, TimeRules};
use crate::error::Error;
use crate::jose::{self, Limits, Payload};
use crate::json;
use crate::keys::{Key, KeySet};

pub use crate::keys::DecryptionKey;

/// The one algorithm (rule watson.alg).
pub const ALG: Alg = Alg::RS256;

/// node-rsa's `'base64'` output: the standard alphabet with padding, canonical.
const STANDARD_PADDED: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_encode_padding(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(false),
);

/// Loads the public keys the customer configured (JWKs): see [`key_set`].
pub fn load_keys(jwks: &[Value]) -> Result<(KeySet, Vec<Error>), Error> {
    key_set(jwks.iter().map(Key::from_jwk))
}

/// The customer's keys, parsed (JWK or PEM) by the caller: RSA only, a key of another
/// type refused as a configuration error naming it. Returns the usable keys and every
/// refused one (parse errors included).
pub fn key_set(
    keys: impl IntoIterator<Item = Result<Key, Error>>,
) -> Result<(KeySet, Vec<Error>), Error> {
    let mut ok = Vec::new();
    let mut refused = Vec::new();
    for key in keys {
        match key.and_then(rsa_only) {
            Ok(k) => ok.push(k),
            Err(e) => refused.push(e),
        }
    }
    Ok((KeySet::new(ok)?, refused))
}

/// Refuses a key that is not an RSA public key (Watson verifies RS256 only).
pub fn rsa_only(key: Key) -> Result<Key, Error> {
    if key.material.family() == Family::Rsa {
        return Ok(key);
    }
    Err(Error::KeyRefused {
        key: key.kid.clone().unwrap_or_else(|| "(no kid)".into()),
        reason: format!(
            "{}: Watson verifies RS256 only, with the customer's RSA public key",
            match key.material.family() {
                Family::Hmac => "an HMAC secret (kty oct)",
                Family::P256 => "an EC P-256 key",
                Family::Rsa => "an RSA key",
            }
        ),
    })
}

/// How the service is configured.
#[derive(Clone, Debug)]
pub struct Config {
    /// Compared with `iss` (exactly, case-sensitive) only when set; the seed configures none.
    pub issuer: Option<String>,
    /// The customer's RSA public keys.
    pub keys: KeySet,
    /// The service's key for `user_payload`; without it the ciphertext passes through.
    pub decryption_key: Option<DecryptionKey>,
    /// Seconds of clock skew allowed on `exp` and `nbf` (default 0).
    pub skew: i64,
    /// Size and depth bounds.
    pub limits: Limits,
}

impl Config {
    /// A configuration; a negative skew is refused.
    pub fn new(
        issuer: Option<String>,
        keys: KeySet,
        decryption_key: Option<DecryptionKey>,
        skew: i64,
    ) -> Result<Config, Error> {
        if skew < 0 {
            return Err(Error::Config {
                detail: format!("skew {skew} is negative"),
            });
        }
        Ok(Config {
            issuer,
            keys,
            decryption_key,
            skew,
            limits: Limits::default(),
        })
    }
}

/// `user_payload` as it comes out.
#[derive(Clone, Debug, PartialEq)]
pub enum UserPayload {
    /// Decrypted: the JSON object the customer encrypted.
    Decrypted(Value),
    /// No decryption key configured: the ciphertext, untouched.
    Encrypted(String),
}

/// Who the token says the user is.
#[derive(Clone, Debug, PartialEq)]
pub struct Identity {
    /// `sub`: the user id (`context.global.system.user_id`, `customer_id`).
    pub user_id: String,
    /// `user_payload`, when the token has one.
    pub user_payload: Option<UserPayload>,
}

impl Identity {
    /// The protocol's output: `{"user_id", "user_payload"?}`.
    pub fn to_json(&self) -> Value {
        let mut out = json!({ "user_id": self.user_id });
        match &self.user_payload {
            None => {}
            Some(UserPayload::Decrypted(v)) => out["user_payload"] = v.clone(),
            Some(UserPayload::Encrypted(s)) => out["user_payload"] = Value::String(s.clone()),
        }
        out
    }
}

/// Verifies one message's token (`None`: the message carries none).
pub fn verify(token: Option<&str>, config: &Config, now: i64) -> Result<Identity, Error> {
    // rule: watson.token — an empty string is no token (the web chat treats it so).
    let token = match token {
        None => {
            return Err(Error::TokenMissing {
                detail: "security is on and the message carries no identity token".into(),
            })
        }
        Some("") => {
            return Err(Error::TokenMissing {
                detail: "security is on and the identity token is the empty string".into(),
            })
        }
        Some(t) => t,
    };
    let parsed = jose::parse(token, &config.limits, Payload::JsonObject)?;
    // rule: watson.alg
    let alg = jose::check_alg(&parsed, &[ALG])?;
    jose::verify_signature(&parsed, alg, &config.keys)?;
    let claims = parsed.claims.unwrap_or_default();

    // rule: watson.iss
    let iss = claims::required_str(&claims, "iss")?;
    if let Some(expected) = &config.issuer {
        if iss != expected.as_str() {
            return Err(Error::IssuerMismatch {
                expected: expected.clone(),
                got: iss.into_owned(),
            });
        }
    }
    // rule: watson.sub
    let sub = claims::required_str(&claims, "sub")?;
    check_sub(&sub)?;
    // rule: watson.exp — required; exp == now rejects ("on or after which").
    claims::check_times(
        &claims,
        now,
        &TimeRules {
            skew: config.skew,
            require_exp: true,
            require_iat: false,
            iat_not_in_future: false,
        },
    )?;
    // rule: watson.user-payload
    let user_payload = user_payload(&claims, config.decryption_key.as_ref())?;
    Ok(Identity {
        user_id: sub.into_owned(),
        user_payload,
    })
}

/// `sub` is a non-empty string of visible ASCII (RFC 7230 VCHAR, 0x21–0x7E) without `;`
/// or `=` (it becomes `customer_id` inside the `X-Watson-Metadata` header).
pub fn check_sub(sub: &str) -> Result<(), Error> {
    let bad = |detail: String| Error::ClaimInvalid {
        claim: "sub".into(),
        detail,
    };
    if sub.is_empty() {
        return Err(bad("empty: the user id must be a non-empty string".into()));
    }
    for (i, c) in sub.char_indices() {
        if !('\x21'..='\x7e').contains(&c) {
            return Err(bad(format!(
                "{c:?} (U+{:04X}) at byte {i} is not visible ASCII (RFC 7230 VCHAR 0x21-0x7E): sub is sent in a header",
                c as u32
            )));
        }
        if c == ';' || c == '=' {
            // `either` in profiles.md; the reference rejects.
            return Err(bad(format!(
                "{c:?} at byte {i}: IBM's customer_id forbids ';' and '=' (they would add a field to X-Watson-Metadata)"
            )));
        }
    }
    Ok(())
}

fn user_payload(
    claims: &json::Object,
    key: Option<&DecryptionKey>,
) -> Result<Option<UserPayload>, Error> {
    let text = match claims.get("user_payload") {
        None => return Ok(None),
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(Error::ClaimInvalid {
                claim: "user_payload".into(),
                detail: format!(
                    "JSON {}, not a string (base64 ciphertext)",
                    json::kind(&other)
                ),
            })
        }
    };
    match key {
        None => Ok(Some(UserPayload::Encrypted(text))),
        Some(key) => decrypt_user_payload(&text, key).map(|v| Some(UserPayload::Decrypted(v))),
    }
}

/// Decrypts a `user_payload` as node-rsa's `encrypt(text, 'base64')` makes it: canonical
/// standard base64 (padded), whole RSA-OAEP blocks, the decrypted bytes concatenated and
/// only then read as UTF-8, which must be strict JSON holding an object.
pub fn decrypt_user_payload(text: &str, key: &DecryptionKey) -> Result<Value, Error> {
    let undecryptable = |detail: String| Error::PayloadUndecryptable {
        claim: "user_payload",
        detail,
    };
    // Unpadded or base64url text is `either` in profiles.md; the reference rejects it.
    let bytes = STANDARD_PADDED.decode(text).map_err(|e| {
        undecryptable(format!(
            "not canonical padded standard base64 (node-rsa's 'base64'): {e}"
        ))
    })?;
    let plain = key
        .decrypt(&bytes)
        .map_err(|e| undecryptable(format!("under key {}: {e}", key.label())))?;
    let text = String::from_utf8(plain).map_err(|e| {
        undecryptable(format!(
            "the decrypted bytes are not UTF-8 (at byte {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    let value = json::parse_value(text.as_bytes(), json::DEFAULT_MAX_DEPTH)
        .map_err(|e| undecryptable(format!("the decrypted text is not JSON: {e}")))?;
    if !value.is_object() {
        // `either` in profiles.md ("the userPayload is stringified JSON"); the reference
        // rejects anything but an object, which is what the dialog's context reads.
        return Err(undecryptable(format!(
            "the decrypted text is JSON {}, not an object",
            json::kind(&value)
        )));
    }
    Ok(value)
}

/// One web chat session: the first accepted token pins the user id.
#[derive(Clone, Debug, Default)]
pub struct Session {
    pinned: Option<String>,
}

impl Session {
    /// A session with no user yet.
    pub fn new() -> Session {
        Session::default()
    }

    /// The pinned user id, once a token was accepted.
    pub fn user_id(&self) -> Option<&str> {
        self.pinned.as_deref()
    }

    /// Verifies a token in this session. Only an accepted token pins the user id; a
    /// later token (a refresh included) naming another `sub` rejects `subject_changed`.
    pub fn verify(
        &mut self,
        token: Option<&str>,
        config: &Config,
        now: i64,
    ) -> Result<Identity, Error> {
        let identity = verify(token, config, now)?;
        // rule: watson.sub-pinning, watson.refresh
        match &self.pinned {
            Some(pinned) if *pinned != identity.user_id => Err(Error::SubjectChanged {
                pinned: pinned.clone(),
                got: identity.user_id,
            }),
            Some(_) => Ok(identity),
            None => {
                self.pinned = Some(identity.user_id.clone());
                Ok(identity)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;
    use rsa::rand_core::{CryptoRng, RngCore};
    use rsa::traits::PublicKeyParts;

    const NOW: i64 = 1_767_225_600;

    /// splitmix64, a fixed-seed generator for OAEP seeds in tests (never for keys).
    struct Rng(u64);
    impl RngCore for Rng {
        fn next_u32(&mut self) -> u32 {
            self.next_u64() as u32
        }
        fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        fn fill_bytes(&mut self, dest: &mut [u8]) {
            for b in dest {
                *b = self.next_u64() as u8;
            }
        }
        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rsa::rand_core::Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }
    impl CryptoRng for Rng {}

    fn jwk(name: &str) -> Value {
        let text = match name {
            "rsa-2048-a" => include_str!("../../../vectors/keys/rsa-2048-a.json"),
            "rsa-2048-b" => include_str!("../../../vectors/keys/rsa-2048-b.json"),
            "rsa-1024-a" => include_str!("../../../vectors/keys/rsa-1024-a.json"),
            "p256-a" => include_str!("../../../vectors/keys/p256-a.json"),
            "hs256-a" => include_str!("../../../vectors/keys/hs256-a.json"),
            other => panic!("no test key {other}"),
        };
        serde_json::from_str(text).unwrap()
    }

    fn private(name: &str) -> rsa::RsaPrivateKey {
        let j = jwk(name);
        let int = |m: &str| {
            rsa::BigUint::from_bytes_be(&crate::b64::decode(j[m].as_str().unwrap()).unwrap())
        };
        rsa::RsaPrivateKey::from_components(int("n"), int("e"), int("d"), vec![int("p"), int("q")])
            .unwrap()
    }

    /// node-rsa's chunking: n = ceil(len / (k - 42)) chunks of ceil(len / n) bytes.
    fn node_rsa_encrypt(key: &rsa::RsaPrivateKey, msg: &[u8], seed: u64) -> String {
        let max = key.size() - 42;
        let n = msg.len().div_ceil(max).max(1);
        let size = msg.len().div_ceil(n).max(1);
        let mut rng = Rng(seed);
        let chunks: Vec<&[u8]> = if msg.is_empty() {
            vec![msg]
        } else {
            msg.chunks(size).collect()
        };
        let mut out = Vec::new();
        for chunk in chunks {
            out.extend(
                key.to_public_key()
                    .encrypt(&mut rng, rsa::Oaep::new::<sha1::Sha1>(), chunk)
                    .unwrap(),
            );
        }
        STANDARD_PADDED.encode(out)
    }

    fn sign(claims: Value) -> String {
        use sha2::{Digest, Sha256};
        let key = private("rsa-2048-a");
        let h = crate::b64::encode(r#"{"alg":"RS256","typ":"JWT"}"#);
        let p = crate::b64::encode(claims.to_string());
        let input = format!("{h}.{p}");
        let sig = key
            .sign(
                rsa::Pkcs1v15Sign::new::<Sha256>(),
                &Sha256::digest(input.as_bytes()),
            )
            .unwrap();
        format!("{input}.{}", crate::b64::encode(sig))
    }

    fn config(decrypt: bool) -> Config {
        let (keys, refused) = load_keys(&[jwk("rsa-2048-a")]).unwrap();
        assert!(refused.is_empty());
        let dk = decrypt.then(|| DecryptionKey::from_jwk(&jwk("rsa-2048-b")).unwrap());
        Config::new(None, keys, dk, 0).unwrap()
    }

    fn code(r: Result<Identity, Error>) -> Code {
        r.unwrap_err().code()
    }

    #[test]
    fn sub_is_visible_ascii_without_separators() {
        assert!(check_sub("L12345").is_ok());
        assert!(check_sub("!~").is_ok());
        for bad in [
            "",
            "a b",
            "a\tb",
            "a\u{7f}",
            "caf\u{e9}",
            "a;b",
            "a=b",
            "a\nb",
        ] {
            let e = check_sub(bad).unwrap_err();
            assert_eq!(e.code(), Code::ClaimInvalid, "{bad:?}");
        }
        let e = check_sub("ab\u{e9}").unwrap_err().to_string();
        assert!(e.contains("U+00E9") && e.contains("byte 2"), "{e}");
    }

    #[test]
    fn two_block_payload_with_a_straddling_character_decrypts() {
        let cfg = config(true);
        let key = private("rsa-2048-b");
        // 214 bytes a block for 2048 bits: put a 3-byte character across the 1st boundary.
        let mut text = String::from("{\"note\":\"");
        while text.len() < 212 {
            text.push('x');
        }
        text.push('\u{20ac}'); // bytes 212..215
        while text.len() < 300 {
            text.push('y');
        }
        text.push_str("\"}");
        let ct = node_rsa_encrypt(&key, text.as_bytes(), 7);
        assert_eq!(STANDARD_PADDED.decode(&ct).unwrap().len(), 512);
        let token = sign(json!({"iss": "i", "sub": "u", "exp": NOW + 10, "user_payload": ct}));
        let id = verify(Some(&token), &cfg, NOW).unwrap();
        let want: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(id.user_payload, Some(UserPayload::Decrypted(want)));
        // Without a decryption key the ciphertext passes through.
        let id = verify(Some(&token), &config(false), NOW).unwrap();
        assert_eq!(id.user_payload, Some(UserPayload::Encrypted(ct)));
    }

    #[test]
    fn bad_payloads_are_specific() {
        let cfg = config(true);
        let dk = cfg.decryption_key.as_ref().unwrap();
        let key = private("rsa-2048-b");
        let one = node_rsa_encrypt(&key, br#"{"a":1}"#, 1);
        assert_eq!(decrypt_user_payload(&one, dk).unwrap(), json!({"a": 1}));
        let msg = |t: &str| decrypt_user_payload(t, dk).unwrap_err().to_string();
        assert!(msg("not base64!").contains("not canonical padded standard base64"));
        assert!(msg(one.trim_end_matches('=')).contains("base64"));
        let bytes = STANDARD_PADDED.decode(&one).unwrap();
        let short = STANDARD_PADDED.encode(&bytes[..255]);
        assert!(
            msg(&short).contains("255 bytes, not a whole number"),
            "{}",
            msg(&short)
        );
        let mut flipped = bytes.clone();
        flipped[10] ^= 0x40;
        assert!(
            msg(&STANDARD_PADDED.encode(flipped)).contains("block 1 of 1: OAEP decoding failed")
        );
        // Encrypted to another key: the mismatch is a verdict, not a panic.
        let other = node_rsa_encrypt(&private("rsa-2048-a"), br#"{"a":1}"#, 2);
        assert!(msg(&other).contains("OAEP decoding failed"));
        assert!(msg(&node_rsa_encrypt(&key, b"not json", 3)).contains("not JSON"));
        assert!(msg(&node_rsa_encrypt(&key, b"[1,2]", 4)).contains("JSON array, not an object"));
        assert!(msg(&node_rsa_encrypt(&key, b"\xff\xfe", 5)).contains("not UTF-8 (at byte 0)"));
        assert!(msg(&node_rsa_encrypt(&key, br#"{"a":1,"a":2}"#, 6)).contains("not JSON"));
        assert!(msg(&node_rsa_encrypt(&key, b"\xef\xbb\xbf{}", 7)).contains("byte order mark"));
        let wrapped = format!("{}\n{}", &one[..64], &one[64..]);
        assert!(msg(&wrapped).contains("not canonical padded standard base64"));
        for e in [
            decrypt_user_payload("", dk).unwrap_err(),
            decrypt_user_payload(&short, dk).unwrap_err(),
        ] {
            assert_eq!(e.code(), Code::PayloadUndecryptable);
        }
    }

    #[test]
    fn claims_and_token() {
        let cfg = config(false);
        let ok = json!({"iss": "yourdomain.com", "sub": "some-user-id", "exp": NOW + 1});
        let id = verify(Some(&sign(ok.clone())), &cfg, NOW).unwrap();
        assert_eq!(id.to_json(), json!({"user_id": "some-user-id"}));
        assert_eq!(code(verify(None, &cfg, NOW)), Code::TokenMissing);
        assert_eq!(code(verify(Some(""), &cfg, NOW)), Code::TokenMissing);
        let at = |exp: i64| {
            code(verify(
                Some(&sign(json!({"iss": "i", "sub": "s", "exp": exp}))),
                &cfg,
                NOW,
            ))
        };
        assert_eq!(at(NOW), Code::Expired);
        let no_exp = sign(json!({"iss": "i", "sub": "s"}));
        assert_eq!(code(verify(Some(&no_exp), &cfg, NOW)), Code::ClaimMissing);
        let no_iss = sign(json!({"sub": "s", "exp": NOW + 1}));
        assert_eq!(code(verify(Some(&no_iss), &cfg, NOW)), Code::ClaimMissing);
        let mut with_issuer = cfg.clone();
        with_issuer.issuer = Some("YourDomain.com".into());
        let e = verify(Some(&sign(ok)), &with_issuer, NOW).unwrap_err();
        assert_eq!(e.code(), Code::IssuerMismatch);
        assert!(e.to_string().contains("\"yourdomain.com\""), "{e}");
    }

    #[test]
    fn session_pins_the_subject() {
        let cfg = config(false);
        let tok = |sub: &str, exp: i64| sign(json!({"iss": "i", "sub": sub, "exp": exp}));
        let mut s = Session::new();
        s.verify(Some(&tok("a", NOW + 5)), &cfg, NOW).unwrap();
        assert_eq!(s.user_id(), Some("a"));
        let e = s.verify(Some(&tok("b", NOW + 5)), &cfg, NOW).unwrap_err();
        assert_eq!(e.code(), Code::SubjectChanged);
        assert!(s.verify(Some(&tok("a", NOW + 60)), &cfg, NOW).is_ok());
        // A rejected token never pins.
        let mut fresh = Session::new();
        assert!(fresh.verify(Some(&tok("b", NOW)), &cfg, NOW).is_err());
        assert!(fresh.verify(Some(&tok("c", NOW + 1)), &cfg, NOW).is_ok());
    }

    #[test]
    fn keys_of_the_wrong_kind_are_configuration_errors() {
        let (set, refused) =
            load_keys(&[jwk("rsa-2048-a"), jwk("p256-a"), jwk("rsa-1024-a")]).unwrap();
        assert_eq!(set.keys().len(), 1);
        assert_eq!(refused.len(), 2);
        assert!(refused.iter().all(|e| e.code() == Code::Config));
        assert!(refused[0].to_string().contains("p256-a"), "{}", refused[0]);
        // The HMAC key alone: refused, so the set is empty rather than mixed.
        let (set, refused) = load_keys(&[jwk("hs256-a")]).unwrap();
        assert!(set.keys().is_empty() && refused.len() == 1);

        let pub_only = {
            let mut j = jwk("rsa-2048-b");
            for m in ["d", "p", "q", "dp", "dq", "qi"] {
                j.as_object_mut().unwrap().remove(m);
            }
            j
        };
        let e = DecryptionKey::from_jwk(&pub_only).unwrap_err();
        assert!(e.to_string().contains("\"d\" missing"), "{e}");
        let e = DecryptionKey::from_jwk(&jwk("p256-a")).unwrap_err();
        assert!(e.to_string().contains("must be RSA"), "{e}");
        let e = DecryptionKey::from_jwk(&jwk("rsa-1024-a")).unwrap_err();
        assert!(e.to_string().contains("at least 2048"), "{e}");
        // A private exponent that belongs to another key: refused at load, named.
        let mut mixed = jwk("rsa-2048-b");
        mixed["d"] = jwk("rsa-2048-a")["d"].clone();
        let e = DecryptionKey::from_jwk(&mixed).unwrap_err();
        assert_eq!(e.code(), Code::Config);
        assert!(e.to_string().contains("rsa-2048-b"), "{e}");
        // Primes that do not multiply to n.
        let mut wrong_p = jwk("rsa-2048-b");
        wrong_p["p"] = jwk("rsa-2048-a")["p"].clone();
        assert_eq!(
            DecryptionKey::from_jwk(&wrong_p).unwrap_err().code(),
            Code::Config
        );
        let mut one_prime = jwk("rsa-2048-b");
        one_prime.as_object_mut().unwrap().remove("q");
        assert!(DecryptionKey::from_jwk(&one_prime).is_err());
        assert!(DecryptionKey::from_jwk(&json!("rsa")).is_err());
        // The private part recovered from n, e, d alone.
        let mut no_primes = jwk("rsa-2048-b");
        for m in ["p", "q", "dp", "dq", "qi"] {
            no_primes.as_object_mut().unwrap().remove(m);
        }
        let dk = DecryptionKey::from_jwk(&no_primes).unwrap();
        assert_eq!(dk.block_len(), 256);
        let text = node_rsa_encrypt(&private("rsa-2048-b"), br#"{"a":1}"#, 7);
        assert_eq!(decrypt_user_payload(&text, &dk).unwrap(), json!({"a": 1}));
        assert!(Config::new(None, KeySet::default(), None, -1).is_err());
    }
}
