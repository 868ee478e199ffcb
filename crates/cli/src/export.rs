//! `jwtc vectors export DIR`: the suite inside jwtc as plain files, laid out as the
//! repository's `vectors/` (vector files by profile, keys, schema, Wycheproof's files),
//! for other tools and for `jwtc run --vectors DIR`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::exit::{usage, Failure};

#[derive(Args, Debug)]
pub struct VectorsArgs {
    #[command(subcommand)]
    pub command: VectorsCommand,
}

#[derive(Subcommand, Debug)]
pub enum VectorsCommand {
    /// Write the suite's files under DIR (which must be empty or not exist, unless --force).
    Export {
        /// Where to write.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Replace files in a non-empty DIR.
        #[arg(long)]
        force: bool,
    },
}

/// Runs `jwtc vectors …`.
pub fn vectors(args: VectorsArgs) -> Result<ExitCode, Failure> {
    match args.command {
        VectorsCommand::Export { dir, force } => {
            let non_empty = std::fs::read_dir(&dir).is_ok_and(|mut d| d.next().is_some());
            if dir.exists() && !dir.is_dir() {
                return usage(format!("{}: exists and is not a directory", dir.display()));
            }
            if non_empty && !force {
                return usage(format!(
                    "{} is not empty: give an empty or new directory, or --force to replace its files",
                    dir.display()
                ));
            }
            let n = jwtc_vectors::embedded::export(&dir)?;
            crate::run::say(&format!("{n} files written under {}\n", dir.display()));
            Ok(ExitCode::SUCCESS)
        }
    }
}
