//! Minting tokens from the fixed test keys, deterministically: HMAC, RSA PKCS#1 v1.5
//! and ECDSA with RFC 6979 nonces always give the same bytes. RSA-PSS is randomised, so
//! it is given a seeded generator; so is node-rsa's RSA-OAEP encryption (Watson's
//! `user_payload`), the one thing minted here that is not a signature.

use base64::Engine;
use hmac::{Hmac, Mac};
use p256::ecdsa::signature::Signer as _;
use rsa::traits::PublicKeyParts;
use serde_json::Value;
use sha2::{Digest, Sha256, Sha384, Sha512};
use std::cell::RefCell;
use std::collections::HashMap;

use crate::keystore::KeyStore;
use jwtc_verifier::b64;

/// Signs with the test keys; private keys are parsed once.
pub struct Mint<'k> {
    keys: &'k KeyStore,
    rsa: RefCell<HashMap<String, rsa::RsaPrivateKey>>,
    /// Text replaced in every header and payload before signing ([`Mint::rewriting`]).
    rewrite: Vec<(String, String)>,
}

impl<'k> Mint<'k> {
    /// A minter over a key store.
    pub fn new(keys: &'k KeyStore) -> Mint<'k> {
        Mint {
            keys,
            rsa: RefCell::new(HashMap::new()),
            rewrite: Vec::new(),
        }
    }

    /// The same minter replacing each `(from, to)` in the header and payload text of every
    /// token made from bytes ([`Mint::raw`], [`Mint::jwt`]) before it is signed: a live
    /// probe's host names (`jwtc probe`). Empty for the checked-in suite.
    pub fn rewriting(mut self, rewrite: Vec<(String, String)>) -> Mint<'k> {
        self.rewrite = rewrite;
        self
    }

    /// `text` with the rewrites applied (unchanged when there are none).
    pub fn rewritten(&self, text: &str) -> String {
        self.rewrite.iter().fold(text.to_owned(), |t, (from, to)| {
            t.replace(from.as_str(), to)
        })
    }

    /// The key store.
    pub fn keys(&self) -> &KeyStore {
        self.keys
    }

    fn member(&self, key: &str, name: &str) -> Vec<u8> {
        let jwk = self
            .keys
            .private_jwk(key)
            .unwrap_or_else(|| panic!("generator: unknown key {key}"));
        let s = jwk[name]
            .as_str()
            .unwrap_or_else(|| panic!("generator: key {key} has no {name}"));
        b64::decode(s).unwrap_or_else(|e| panic!("generator: key {key} member {name}: {e}"))
    }

    /// The RSA private key of a test key.
    pub fn rsa_private(&self, key: &str) -> rsa::RsaPrivateKey {
        if let Some(k) = self.rsa.borrow().get(key) {
            return k.clone();
        }
        let big = |m: &str| rsa::BigUint::from_bytes_be(&self.member(key, m));
        let k = rsa::RsaPrivateKey::from_components(
            big("n"),
            big("e"),
            big("d"),
            vec![big("p"), big("q")],
        )
        .unwrap_or_else(|e| panic!("generator: key {key}: {e}"));
        self.rsa.borrow_mut().insert(key.to_owned(), k.clone());
        k
    }

    /// The P-256 signing key of a test key.
    pub fn p256_private(&self, key: &str) -> p256::ecdsa::SigningKey {
        p256::ecdsa::SigningKey::from_slice(&self.member(key, "d"))
            .unwrap_or_else(|e| panic!("generator: key {key}: {e}"))
    }

    /// The HMAC secret of an `oct` test key.
    pub fn secret(&self, key: &str) -> Vec<u8> {
        self.member(key, "k")
    }

    /// Signs `input` with `alg` under the named test key.
    pub fn sign(&self, alg: &str, key: &str, input: &[u8]) -> Vec<u8> {
        match alg {
            "HS256" | "HS384" | "HS512" => hmac(alg, &self.secret(key), input),
            "RS256" => rsa_pkcs1::<Sha256>(&self.rsa_private(key), input),
            "RS384" => rsa_pkcs1::<Sha384>(&self.rsa_private(key), input),
            "RS512" => rsa_pkcs1::<Sha512>(&self.rsa_private(key), input),
            "PS256" => {
                use rsa::signature::RandomizedSigner;
                use rsa::signature::SignatureEncoding;
                let sk = rsa::pss::SigningKey::<Sha256>::new(self.rsa_private(key));
                let mut rng = SeededRng(0x6a77_7463);
                sk.sign_with_rng(&mut rng, input).to_vec()
            }
            "ES256" => {
                let sig: p256::ecdsa::Signature = self.p256_private(key).sign(input);
                sig.to_bytes().to_vec()
            }
            other => panic!("generator: cannot sign {other}"),
        }
    }

    /// A compact token from exact header and payload JSON text, signed over exactly
    /// the segments given (so a non-canonical encoding is what was signed).
    pub fn raw_segments(
        &self,
        alg: &str,
        key: &str,
        header_b64: &str,
        payload_b64: &str,
    ) -> String {
        let input = format!("{header_b64}.{payload_b64}");
        let sig = self.sign(alg, key, input.as_bytes());
        format!("{input}.{}", b64::encode(sig))
    }

    /// A compact token from exact header and payload bytes.
    pub fn raw(&self, alg: &str, key: &str, header: &[u8], payload: &[u8]) -> String {
        if !self.rewrite.is_empty() {
            if let (Ok(h), Ok(p)) = (std::str::from_utf8(header), std::str::from_utf8(payload)) {
                let (h, p) = (self.rewritten(h), self.rewritten(p));
                return self.raw_segments(alg, key, &b64::encode(h), &b64::encode(p));
            }
        }
        self.raw_segments(alg, key, &b64::encode(header), &b64::encode(payload))
    }

    /// A compact token from a header and claims as JSON values.
    pub fn jwt(&self, alg: &str, key: &str, header: &Value, claims: &Value) -> String {
        self.raw(
            alg,
            key,
            header.to_string().as_bytes(),
            claims.to_string().as_bytes(),
        )
    }

    /// [`node_rsa_encrypt`] to the public half of the named RSA test key.
    pub fn node_rsa_encrypt(&self, key: &str, plaintext: &[u8], seed: u64) -> String {
        node_rsa_encrypt(&self.rsa_private(key).to_public_key(), plaintext, seed)
    }
}

/// node-rsa's `encrypt(text, 'base64')` under the default scheme (`pkcs1_oaep`, SHA-1):
/// n = ceil(len / (k − 42)) chunks of ceil(len / n) bytes (one empty chunk for an empty
/// text), each OAEP-encrypted, concatenated, standard base64 with padding. The chunks split
/// the UTF-8 bytes, not the characters. OAEP is randomised: `seed` seeds a [`SeededRng`].
pub fn node_rsa_encrypt(key: &rsa::RsaPublicKey, plaintext: &[u8], seed: u64) -> String {
    let (k, len) = (key.size(), plaintext.len());
    let n = len.div_ceil(k - 42).max(1);
    let size = len.div_ceil(n).max(1);
    let chunks: Vec<&[u8]> = if len == 0 {
        vec![plaintext]
    } else {
        plaintext.chunks(size).collect()
    };
    let mut rng = SeededRng(seed);
    let mut out = Vec::new();
    for chunk in chunks {
        out.extend(
            key.encrypt(&mut rng, rsa::Oaep::new::<sha1::Sha1>(), chunk)
                .expect("node-rsa chunks fit one block"),
        );
    }
    base64::engine::general_purpose::STANDARD.encode(out)
}

/// An HMAC over `input` with an arbitrary secret (for alg-confusion forgeries).
pub fn hmac(alg: &str, secret: &[u8], input: &[u8]) -> Vec<u8> {
    fn run<M: Mac + hmac::digest::KeyInit>(secret: &[u8], input: &[u8]) -> Vec<u8> {
        let mut m = <M as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
        m.update(input);
        m.finalize().into_bytes().to_vec()
    }
    match alg {
        "HS256" => run::<Hmac<Sha256>>(secret, input),
        "HS384" => run::<Hmac<Sha384>>(secret, input),
        "HS512" => run::<Hmac<Sha512>>(secret, input),
        other => panic!("generator: {other} is not HMAC"),
    }
}

fn rsa_pkcs1<D: Digest + rsa::pkcs8::AssociatedOid>(
    key: &rsa::RsaPrivateKey,
    input: &[u8],
) -> Vec<u8> {
    key.sign(rsa::Pkcs1v15Sign::new::<D>(), &D::digest(input))
        .expect("PKCS#1 v1.5 signing")
}

/// A fixed-seed generator (splitmix64) for the one randomised scheme (PSS salts), so
/// generated files stay byte-identical. Test vectors only; never for real keys.
pub struct SeededRng(pub u64);

impl rsa::rand_core::RngCore for SeededRng {
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
        for chunk in dest.chunks_mut(8) {
            let v = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rsa::rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl rsa::rand_core::CryptoRng for SeededRng {}
