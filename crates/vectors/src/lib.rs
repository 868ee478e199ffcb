//! jwtc's test vectors: the file format ([`model`]), the loader ([`load`]), the fixed
//! test keys ([`keystore`]), minting ([`mint`]), the deterministic generator
//! ([`generate`]), and Wycheproof's JOSE tests read in their own format ([`wycheproof`]).

pub mod generate;
pub mod keystore;
pub mod load;
pub mod mint;
pub mod model;
pub mod wycheproof;
