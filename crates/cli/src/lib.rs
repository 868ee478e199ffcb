//! The `jwtc` command's library: one module per command ([`check`], [`run`], [`keys`],
//! [`explain`], [`export`], [`probe`], its signer role [`probe_signer`], [`attack`]), the flags ([`cli`]), where the suite comes from ([`suite`]),
//! reading keys given on the command line ([`keyarg`]) and the exit codes ([`exit`]).
//! `cargo xtask conformance` calls [`run`] too.

pub mod attack;
pub mod check;
pub mod cli;
pub mod exit;
pub mod explain;
pub mod export;
pub mod keyarg;
pub mod keys;
pub mod probe;
pub mod probe_signer;
pub mod run;
pub mod suite;
