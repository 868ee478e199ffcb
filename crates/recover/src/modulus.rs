//! RSA public key recovery from two RS256/RS384/RS512 tokens signed by one key.
//!
//! A PKCS#1 v1.5 signature is s = m^d mod n with m the EMSA block ([`crate::emsa`]) of the
//! signing input, so n divides s^e − m. For two tokens n divides g = gcd(s1^e − m1,
//! s2^e − m2); g is n times a few small factors, which are divided out. The result is
//! accepted only if both signatures verify under it with the verifier's own
//! [`Material::verify`]. e = 65537 is tried first, then 3. PS256/384/512 cannot be
//! recovered this way: PSS salts its block, so m is unknown.
//!
//! Time: s^65537 of a 2048-bit s has ~134 million bits; the gcd of two such numbers is the
//! whole cost (docs/attack-recovery.md has the measured times).

use jwtc_verifier::keys::{jwk_from_pem, Material};
use jwtc_verifier::Alg;
use serde_json::Value;

use crate::emsa;
use crate::token::{self, Token};

/// The exponents tried, in order.
pub const EXPONENTS: [u32; 2] = [65537, 3];

/// A recovered public key.
#[derive(Clone, Debug, PartialEq)]
pub struct Recovered {
    /// The tokens' algorithm.
    pub alg: Alg,
    /// The public exponent that worked.
    pub e: u32,
    /// The modulus, big-endian, no leading zeros.
    pub n: Vec<u8>,
    /// The modulus's size in bits.
    pub bits: u64,
    /// The key as PEM (SPKI, `-----BEGIN PUBLIC KEY-----`, LF line ends).
    pub pem: String,
    /// The key as a JWK (`kty`, `n`, `e`), written by the verifier's `jwk_from_pem`.
    pub jwk: Value,
    /// The small primes divided out of the gcd, with repeats.
    pub removed: Vec<u32>,
}

/// One exponent tried and what its gcd turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    /// The exponent.
    pub e: u32,
    /// What the gcd was, and why it is not the key.
    pub found: String,
}

/// Why no key was recovered.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    /// A token that does not parse.
    #[error(transparent)]
    Token(#[from] token::Error),
    /// A PSS token: its block is salted.
    #[error("{which} is {alg}: RSASSA-PSS salts the signed block, so s^e − m has no known m and the key cannot be recovered from PS256/PS384/PS512 tokens (only RS256, RS384, RS512)")]
    Pss {
        which: &'static str,
        alg: &'static str,
    },
    /// A token of another family.
    #[error("{which} is {alg}, not an RSA PKCS#1 v1.5 token: key recovery needs two RS256, RS384 or RS512 tokens")]
    NotRs {
        which: &'static str,
        alg: &'static str,
    },
    /// Two algorithms.
    #[error("the tokens use different algorithms ({first} and {second}): recovery needs two tokens of one key and one algorithm")]
    Algs {
        first: &'static str,
        second: &'static str,
    },
    /// Two signature lengths: two key sizes.
    #[error("the signatures are {first} and {second} bytes long: tokens of one RSA key have signatures of one length (the modulus's)")]
    Lengths { first: usize, second: usize },
    /// A signature length outside what an RSA key of the suite's bounds gives.
    #[error("the signatures are {bytes} bytes long: recovery takes RSA keys of 1024 to 4096 bits ({MIN_BYTES} to {MAX_BYTES} bytes; a 4096-bit recovery takes minutes, larger ones are refused rather than left to run)")]
    Length { bytes: usize },
    /// The same signed message twice gives no information.
    #[error(
        "both tokens sign the same header.payload: recovery needs two different signed messages"
    )]
    Same,
    /// No exponent gave a key that verifies both tokens.
    #[error("no RSA key verifies both tokens ({alg}, {bytes}-byte signatures): {}; the tokens were not signed by one key, or with another exponent", list(.attempts))]
    NoKey {
        alg: &'static str,
        bytes: usize,
        attempts: Vec<Attempt>,
    },
    /// Built without the big-integer backend.
    #[error("RSA key recovery is not in this build: it needs the `malachite` feature of jwtc-recover (jwtc's `recover` feature; docs/attack-recovery.md)")]
    NotBuilt,
}

/// The smallest signature recovery takes: a 1024-bit key.
const MIN_BYTES: usize = 128;
/// The largest: a 4096-bit key (the time grows a little faster than the size squared).
const MAX_BYTES: usize = 512;

fn list(attempts: &[Attempt]) -> String {
    attempts
        .iter()
        .map(|a| format!("e = {}: {}", a.e, a.found))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Recovers the public key of two RS256/RS384/RS512 tokens, trying [`EXPONENTS`].
pub fn recover(first: &str, second: &str) -> Result<Recovered, Error> {
    recover_with(first, second, &EXPONENTS)
}

/// [`recover`] with the exponents to try, in order.
pub fn recover_with(first: &str, second: &str, exponents: &[u32]) -> Result<Recovered, Error> {
    let a = token::parse(first, "the first token")?;
    let b = token::parse(second, "the second token")?;
    check(&a, "the first token")?;
    check(&b, "the second token")?;
    if a.alg != b.alg {
        return Err(Error::Algs {
            first: a.alg.name(),
            second: b.alg.name(),
        });
    }
    let bytes = a.signature.len();
    if bytes != b.signature.len() {
        return Err(Error::Lengths {
            first: bytes,
            second: b.signature.len(),
        });
    }
    if !(MIN_BYTES..=MAX_BYTES).contains(&bytes) {
        return Err(Error::Length { bytes });
    }
    if a.input == b.input {
        return Err(Error::Same);
    }
    let blocks = [&a, &b].map(|t| {
        emsa::encode(t.alg, &t.input, bytes)
            .unwrap_or_else(|| unreachable!("RS* and at least 128 bytes were checked above"))
    });
    let mut attempts = Vec::new();
    for &e in exponents {
        match attempt(&a, &b, &blocks, e)? {
            Ok(found) => return Ok(found),
            Err(found) => attempts.push(Attempt { e, found }),
        }
    }
    Err(Error::NoKey {
        alg: a.alg.name(),
        bytes,
        attempts,
    })
}

fn check(t: &Token, which: &'static str) -> Result<(), Error> {
    match t.alg {
        Alg::RS256 | Alg::RS384 | Alg::RS512 => Ok(()),
        Alg::PS256 | Alg::PS384 | Alg::PS512 => Err(Error::Pss {
            which,
            alg: t.alg.name(),
        }),
        other => Err(Error::NotRs {
            which,
            alg: other.name(),
        }),
    }
}

/// One exponent: `Ok(Ok(key))`, `Ok(Err(what the gcd was))`, or `Err` when not built.
#[cfg(feature = "malachite")]
fn attempt(
    a: &Token,
    b: &Token,
    blocks: &[Vec<u8>; 2],
    e: u32,
) -> Result<Result<Recovered, String>, Error> {
    use crate::bignum;
    let [x, y] =
        bignum::both_differences((&a.signature, &blocks[0]), (&b.signature, &blocks[1]), e);
    let g = bignum::gcd(x, y);
    let (n, removed) = bignum::strip_small_factors(g);
    let bits = bignum::bits(&n);
    let bytes = a.signature.len() as u64;
    if bits + 7 < bytes * 8 || bits > bytes * 8 {
        return Ok(Err(format!(
            "the gcd has {bits} bits after dividing out {} small prime factor(s) below {}, not the {}..={} bits of a modulus for {bytes}-byte signatures",
            removed.len(),
            bignum::SMALL_FACTOR_BOUND,
            bytes * 8 - 7,
            bytes * 8
        )));
    }
    let n = bignum::to_be(&n);
    Ok(key(a, b, n, e, bits, removed))
}

#[cfg(not(feature = "malachite"))]
fn attempt(
    _: &Token,
    _: &Token,
    _: &[Vec<u8>; 2],
    _: u32,
) -> Result<Result<Recovered, String>, Error> {
    Err(Error::NotBuilt)
}

/// The candidate modulus `n` checked against both signatures and written as PEM and JWK.
#[cfg_attr(not(feature = "malachite"), allow(dead_code))]
fn key(
    a: &Token,
    b: &Token,
    n: Vec<u8>,
    e: u32,
    bits: u64,
    removed: Vec<u32>,
) -> Result<Recovered, String> {
    let e_bytes = e.to_be_bytes();
    let material = Material::rsa(&n, &e_bytes)
        .map_err(|why| format!("the {bits}-bit gcd is not an RSA key to the verifier: {why}"))?;
    for (t, which) in [(a, "first"), (b, "second")] {
        material
            .verify(t.alg, &t.input, &t.signature)
            .map_err(|why| {
                format!("the {bits}-bit gcd does not verify the {which} token's signature: {why}")
            })?;
    }
    use rsa::pkcs8::{EncodePublicKey, LineEnding};
    let public = rsa::RsaPublicKey::new(rsa::BigUint::from_bytes_be(&n), rsa::BigUint::from(e))
        .map_err(|why| format!("the {bits}-bit modulus does not make an RSA public key: {why}"))?;
    let pem = public
        .to_public_key_pem(LineEnding::LF)
        .map_err(|why| format!("the {bits}-bit key does not encode as PEM: {why}"))?;
    let jwk = jwk_from_pem(&pem, "the recovered key")
        .map_err(|why| format!("the recovered key's PEM does not convert to a JWK: {why}"))?
        .jwk;
    Ok(Recovered {
        alg: a.alg,
        e,
        n,
        bits,
        pem,
        jwk,
        removed,
    })
}
