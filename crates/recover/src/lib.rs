//! jwtc-recover: what `jwtc attack` learns from a user's own tokens before it forges.
//!
//! - [`modulus::recover`]: the RSA public key (PEM SPKI and JWK) from two RS256, RS384 or
//!   RS512 tokens signed by the same key, as gcd(s1^e − m1, s2^e − m2) for e = 65537, then
//!   e = 3. Needs the default feature `malachite` (a sub-quadratic gcd; without it the
//!   function answers [`modulus::Error::NotBuilt`]).
//! - [`crack::crack`]: an HS256/384/512 token's secret from a word list, bounded by a word
//!   count and by the caller's own stop callback (the clock is the caller's), on every
//!   core.
//!
//! `token` reads the compact token both share; `emsa` is the PKCS#1 v1.5 encoding the
//! recovery subtracts. docs/attack-recovery.md has the method and the measured times.

pub mod crack;
pub mod emsa;
pub mod modulus;
pub mod token;

#[cfg(feature = "malachite")]
mod bignum;
