//! `jwtc`: the command line. This file parses flags and dispatches; each command is a
//! module of the `jwtc` library (`jwtc::check`, `jwtc::run`, …).

use clap::{CommandFactory, Parser};
use std::process::ExitCode;

use jwtc::cli::{Cli, Command};
use jwtc::exit::Failure;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => jwtc::check::check(*args),
        Command::Run(args) => jwtc::run::run(args),
        Command::Probe(args) if args.role == jwtc::probe::Role::Signer => {
            jwtc::probe_signer::probe(&args)
        }
        Command::Probe(args) => jwtc::probe::probe(*args),
        Command::Attack(args) => jwtc::attack::attack(*args),
        Command::Keys(args) => jwtc::keys::keys(args),
        Command::Explain(args) => jwtc::explain::explain(args),
        Command::Vectors(args) => jwtc::export::vectors(args),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "jwtc", &mut script);
            jwtc::run::say(&String::from_utf8_lossy(&script));
            Ok(ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(Failure::Usage(msg)) => {
            eprintln!("jwtc: {msg}");
            ExitCode::from(2)
        }
    }
}
