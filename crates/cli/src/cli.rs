//! The command line: the subcommands and where each one's flags are defined.

use clap::{Parser, Subcommand};

/// jwtc: a conformance suite for signed-JWT integrations (Pendo, COYO, IBM Watson
/// Assistant, Pomerium) and the JWT libraries under them.
///
/// Exit codes: 0 accepted / passed / done, 1 rejected / an unexpected failure, 2 a usage
/// or setup error (one line naming what and where).
#[derive(Parser)]
#[command(name = "jwtc", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Explain one token (a Pendo event, a Pomerium header set) rule by rule, with the
    /// reference verifier's verdict and error code. Exit 0 accepted, 1 rejected.
    Check(Box<crate::check::CheckArgs>),
    /// Run the suite (embedded, or --vectors DIR) against the reference verifier, an
    /// adapter (--impl DIR) or any program speaking the JSON Lines protocol (--cmd).
    Run(crate::run::RunArgs),
    /// Send a profile's verifier cases to a running service on this machine as HTTP
    /// requests (Pomerium, COYO), with a local key server it trusts, or ask an app's signer
    /// endpoint for the signer cases' mints (Pendo, Watson); graded like `run`.
    Probe(Box<crate::probe::ProbeArgs>),
    /// Make the attack catalogue from your own token (alg none, key confusion, embedded
    /// keys, kid injection, tampered claims, ...): a vector file, a summary, or sent to a
    /// running service through the probe (--url).
    Attack(Box<crate::attack::AttackArgs>),
    /// Print the public test keys an implementation or a service must trust to run the
    /// suite (JWKs, a JWK Set per profile, or PEM).
    Keys(crate::keys::KeysArgs),
    /// Print a rule's full text, the vendor sentences it rests on and its cases; or one
    /// case as a standalone vector file.
    Explain(crate::explain::ExplainArgs),
    /// The suite as plain files (`jwtc vectors export DIR`).
    Vectors(crate::export::VectorsArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}
