//! jwtc's harness: runs an implementation under test over the vectors, grades each
//! case ([`grade`]), honours the implementation's known divergences ([`expected`]),
//! and reports ([`report`]). [`reference`] puts the reference verifier behind the
//! same case interface.

pub mod adapter;
pub mod expected;
pub mod grade;
pub mod iut;
pub mod outcome;
pub mod progress;
pub mod protocol;
pub mod reference;
pub mod report;
pub mod run;
