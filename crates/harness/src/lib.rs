//! jwtc's harness: runs an implementation under test over the vectors, grades each
//! case ([`grade`]), honours the implementation's known divergences and the suite's
//! errata ([`expected`]) and the features it claims ([`features`]),
//! and reports ([`report`]). In process, an implementation is a [`session`] factory
//! the generic runner steps through each case; [`reference`] is the reference verifier
//! behind that interface, and runs itself that way ([`run::run_reference`]). [`run`] is
//! the public path of the runner.
//!
//! Any other implementation runs as a process speaking JSON Lines ([`protocol`],
//! docs/protocol.md): [`iut::run`] starts it, plays the network, survives its faults
//! and restarts it; [`adapter`] reads an `adapters/<name>/` folder and [`install`]
//! installs its pinned packages; [`progress`] is the
//! progress bar of long runs. [`budget`] is the per-case time budget both ways of
//! running keep: a case over it is graded over budget, a denial-of-service finding.

pub mod adapter;
pub mod budget;
pub mod expected;
pub mod features;
pub mod grade;
pub mod install;
pub mod iut;
pub mod matrix;
pub mod outcome;
pub mod progress;
pub mod protocol;
pub mod reference;
pub mod report;
pub mod run;
mod runner;
pub mod session;
