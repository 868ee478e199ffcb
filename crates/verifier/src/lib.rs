//! jwtc's reference verifier: every rule of docs/rules.md, on the strict side of each
//! `either`. No I/O, no clock: the time is always a parameter.
//!
//! The modules, from the bottom up: each uses only modules listed before it (no import
//! loop; `crate::X` paths between top-level modules, tests included, are the edges).
//!
//! - the leaves, which use no other module of the crate: [`alg`] (the JWS algorithms:
//!   names, key families, HMAC lengths), [`b64`] (strict base64url), [`json`] (strict JSON:
//!   the building parser and the claims object read in place), [`rules`] (the rule
//!   catalogue), and `error` (the one error type, [`Error`] with its [`Code`]);
//! - [`crypto`]: the primitives behind one trait, RustCrypto (default) or aws-lc (feature
//!   `aws-lc`), keys parsed once into the backend's own types;
//! - [`oaep`]: RSA-OAEP (SHA-1) block decryption for Watson's `user_payload`;
//! - [`keys`]: JWK and PEM keys, validated at load, candidate selection, the one signature
//!   check ([`keys::Material::verify`]), and the private keys the profiles are configured
//!   with (Pomerium's signing key, Watson's decryption key);
//! - [`claims`]: time claims, checked only after the signature;
//! - [`jose`]: the shared compact-JWS pipeline (structure, alg, key, signature);
//! - [`net`]: the network trait and the JWK Set cache;
//! - [`jwt`] (profile `core`) and [`jws`] (profile `jws`): the generic entry points;
//! - the vendor profiles: [`pendo`] (Pendo's "Snippet Installation using Signed Metadata with JWT"), [`coyo`] (COYO: RS256 with an
//!   allowlisted `jku`), [`watson`] (IBM's "Securing the web chat") and [`pomerium`] (Pomerium: signed headers,
//!   verifier and proxy roles).

pub mod alg;
pub mod b64;
pub mod claims;
pub mod coyo;
mod coyo_doc;
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
