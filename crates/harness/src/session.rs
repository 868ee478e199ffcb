//! The case interface of an implementation run in process: one case's state, a
//! [`Session`], stepped through the case. The generic runner takes a factory of them
//! (profile → session, `run::run_sessions`); the reference verifier is one such factory
//! (`reference::session`).

use serde_json::Value;

use crate::outcome::Outcome;

/// One case's state. A step gets the input, the context in force, the case's network
/// map (answers to fetches, by URL) and the clock.
pub trait Session {
    /// Runs one step.
    fn step(
        &mut self,
        input: &Value,
        context: &Value,
        network: Option<&Value>,
        now: i64,
    ) -> Outcome;
}
