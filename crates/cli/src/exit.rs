//! Exit codes and the one error a command returns.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | `check`: the token is accepted; `run`: no unexpected failure; other commands: done |
//! | 1 | `check`: the token is rejected; `run`: at least one unexpected failure |
//! | 2 | a usage or setup error: a bad flag, a file that cannot be read, a vector folder or key that does not load (one message naming what and where) |

/// What stops a command before it has a result.
#[derive(Debug)]
pub enum Failure {
    /// A usage or setup error (exit 2), with a message naming the thing and what to do.
    Usage(String),
}

impl From<String> for Failure {
    fn from(msg: String) -> Failure {
        Failure::Usage(msg)
    }
}

/// Exit 2 with `msg`.
pub fn usage<T>(msg: impl Into<String>) -> Result<T, Failure> {
    Err(Failure::Usage(msg.into()))
}
