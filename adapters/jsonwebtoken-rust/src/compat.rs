//! What the adapter needs from jsonwebtoken that 11.x exports and 10.2.0 keeps private,
//! for the history row `jsonwebtoken-rust:10.2.0` (feature `jsonwebtoken_10_2`, built by
//! `history/10.2.0/Cargo.toml`; README.md, History). On 11.x these are the library's own
//! items, so the current rows run exactly the code they ran before.

use jsonwebtoken::jwk::KeyAlgorithm;
use jsonwebtoken::{Algorithm, DecodingKey};

#[cfg(not(feature = "jsonwebtoken_10_2"))]
pub use jsonwebtoken::AlgorithmFamily;

/// jsonwebtoken 10.2.0's `AlgorithmFamily` (private in that release), same variants.
#[cfg(feature = "jsonwebtoken_10_2")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlgorithmFamily {
    Hmac,
    Rsa,
    Ec,
    Ed,
}

/// `Algorithm::family`.
#[cfg(not(feature = "jsonwebtoken_10_2"))]
pub fn family(alg: Algorithm) -> AlgorithmFamily {
    alg.family()
}

/// jsonwebtoken 10.2.0's `Algorithm::family` (`pub(crate)` there), same mapping.
#[cfg(feature = "jsonwebtoken_10_2")]
pub fn family(alg: Algorithm) -> AlgorithmFamily {
    match alg {
        Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => AlgorithmFamily::Hmac,
        Algorithm::RS256
        | Algorithm::RS384
        | Algorithm::RS512
        | Algorithm::PS256
        | Algorithm::PS384
        | Algorithm::PS512 => AlgorithmFamily::Rsa,
        Algorithm::ES256 | Algorithm::ES384 => AlgorithmFamily::Ec,
        Algorithm::EdDSA => AlgorithmFamily::Ed,
    }
}

/// Whether a key's family is the algorithm's (`alg.family() == key.family()`).
#[cfg(not(feature = "jsonwebtoken_10_2"))]
pub fn key_fits(key: &DecodingKey, alg: Algorithm) -> bool {
    alg.family() == key.family()
}

/// 10.2.0: the key's family type is not nameable, but its `algorithms()` list is public.
#[cfg(feature = "jsonwebtoken_10_2")]
pub fn key_fits(key: &DecodingKey, alg: Algorithm) -> bool {
    key.family().algorithms().contains(&alg)
}

/// The signature algorithm a JWK's `alg` names (`Algorithm::try_from`).
#[cfg(not(feature = "jsonwebtoken_10_2"))]
pub fn algorithm_of(a: KeyAlgorithm) -> Result<Algorithm, jsonwebtoken::errors::Error> {
    Algorithm::try_from(a)
}

/// 10.2.0 has no `TryFrom<KeyAlgorithm>`: the JWK alg's name, parsed by `Algorithm`'s
/// `FromStr` (the same names).
#[cfg(feature = "jsonwebtoken_10_2")]
pub fn algorithm_of(a: KeyAlgorithm) -> Result<Algorithm, jsonwebtoken::errors::Error> {
    a.to_string().parse::<Algorithm>()
}
