//! jwtc's test vectors: the file format ([`model`]), the loader ([`load`]), the fixed
//! test keys ([`keystore`]), the pieces forgeries are made of ([`forge`]), the suite's errata of external sets ([`errata`]), minting ([`mint`]), the deterministic generator
//! ([`generate`]), Wycheproof's JOSE tests read in their own format ([`wycheproof`]), and
//! docs/rules.md made from the rule catalogue and the cases ([`rules_doc`]); with the
//! feature `embedded`, the whole suite inside the crate (`embedded`).

#[cfg(feature = "embedded")]
pub mod embedded;
pub mod errata;
pub mod forge;
pub mod generate;
pub mod keystore;
pub mod load;
pub mod mint;
pub mod model;
pub mod rules_doc;
pub mod wycheproof;
