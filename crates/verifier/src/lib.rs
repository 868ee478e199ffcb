//! jwtc's reference verifier: every rule of profiles.md, on the strict side of each
//! `either`. No I/O, no clock: the time is always a parameter.
//!
//! - [`jose`]: the shared compact-JWS pipeline (structure, alg, key, signature);
//! - [`claims`]: time claims, checked only after the signature;
//! - [`keys`]: JWK and PEM keys, validated at load, candidate selection;
//! - [`jwt`] (profile `core`) and [`jws`] (profile `jws`): the generic entry points;
//! - [`pendo`] and [`watson`]: the vendor profiles (seeds 000 and 002);
//! - [`crypto`]: the primitives behind one trait, RustCrypto (default) or aws-lc (feature
//!   `aws-lc`), keys parsed once into the backend's own types;
//! - [`oaep`]: RSA-OAEP (SHA-1) block decryption for Watson's `user_payload`;
//! - [`pomerium`] (signed headers, verifier and proxy roles) and [`coyo`] (RS256 with an
//!   allowlisted `jku`): profiles; [`net`]: the network trait and the JWK Set cache;
//! - [`rules`]: the rule catalogue; [`Error`]/[`Code`]: the one error type.

pub mod alg;
pub mod b64;
pub mod claims;
pub mod coyo;
pub mod crypto;
mod error;
pub mod jose;
pub mod json;
pub mod jws;
pub mod jwt;
pub mod keys;
pub mod net;
pub mod oaep;
pub mod pendo;
pub mod pomerium;
pub mod rules;
pub mod watson;

pub use alg::Alg;
pub use error::{Code, Error, Segment};
pub use keys::{Key, KeySet};
