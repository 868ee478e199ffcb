//! `cargo xtask`: the project's commands. Few dependencies; the work is in the crates.
//!
//! - `cargo xtask conformance`: every vector against the reference verifier, in process;
//!   `--impl NAME` / `--cmd CMD`: against an implementation under test, over the protocol
//!   (docs/protocol.md).
//! - `cargo xtask extract CASE_ID`: one case as a standalone vector file.
//! - `cargo xtask vectors [--check]`: regenerate (or check) vectors/ and docs/rules.md.
//! - `cargo xtask fuzz [TARGET] [--time 60s] [--jobs N] [--seed]`: fuzzing campaigns.
//! - `cargo xtask matrix`: every adapter in adapters/ (and each variant) over the suite:
//!   install its pinned packages under target/peers, run it, write the implementations ×
//!   rules matrix to docs/matrix.md and target/jwtc/matrix.html.
//! - `cargo xtask bench [--quick]`: the criterion benches of benches/, and
//!   docs/performance.md from their medians.
//! - `cargo xtask interop`: install the pinned npm/pip packages under target/interop and
//!   run every vectors/interop/scripts/*.mjs (node) and *.py (python3), which write the
//!   interop fixtures into vectors/interop/; then run those through the reference.
//! - `cargo xtask advisories [--from DIR]`: check the RustSec snapshot in advisories/
//!   against the lock files and install it for `cargo deny --offline check advisories`.
//!
//! Exit codes: 0 a passing run, 1 a conformance failure, 2 a usage or setup error (one
//! line naming the thing and what to do).
//!
//! This file holds the command line and the dispatch; each command is its own module, and
//! the helpers they share are in `util`.

mod advisories;
mod bench;
mod conformance;
mod extract;
mod fuzz;
mod interop;
mod matrix;
mod util;
mod vectors;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use util::Setup;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "jwtc's project commands")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the vectors against the reference verifier (or --impl/--cmd); report by profile and rule.
    Conformance(conformance::ConformanceArgs),
    /// Seed the fuzz corpora from the vectors and run cargo-fuzz targets.
    Fuzz(fuzz::FuzzArgs),
    /// Run the criterion benches (both crypto backends, jsonwebtoken, the harness) and
    /// write docs/performance.md from their medians.
    Bench(bench::BenchArgs),
    /// Print one case as a standalone vector file (keys resolved), to debug with. Valid
    /// under vectors/schema/vectors.schema.json (an imported Wycheproof reject has no error
    /// code, which the format allows), and a user's folder of its own (docs/vectors.md).
    Extract {
        /// The case id (e.g. core/alg/alg-none).
        case_id: String,
        /// A vectors folder (a relative path is from the shell's directory); the suite's
        /// own vectors/ when absent.
        #[arg(long, value_name = "DIR")]
        vectors: Option<PathBuf>,
    },
    /// Regenerate vectors/<profile>/*.json and docs/rules.md from the fixed test keys.
    Vectors {
        /// Only check that the checked-in files equal what the generator makes.
        #[arg(long)]
        check: bool,
    },
    /// Run every adapter (installing its pinned packages under target/peers) and write the
    /// implementations × rules matrix (Markdown and HTML).
    Matrix(matrix::MatrixArgs),
    /// Check that advisories/ (a RustSec snapshot cut to the lock files' crates) covers
    /// every locked crate and install it for `cargo deny --offline check advisories`; with
    /// --from, cut a new snapshot first.
    Advisories(advisories::AdvisoriesArgs),
    /// Mint vectors/interop/ fixtures with the vendors' customers' libraries (needs node,
    /// npm and python3, and the npm and PyPI registries), then check them with the reference.
    Interop,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace");
    // The commands run from the workspace root; paths a person gives on the command line
    // are resolved from the shell's directory, kept here before the change.
    let shell = util::Shell(std::env::current_dir().ok());
    if let Err(e) = std::env::set_current_dir(root) {
        eprintln!(
            "xtask: cannot enter the workspace root {}: {e}",
            root.display()
        );
        return ExitCode::from(2);
    }
    let result = match cli.command {
        Command::Conformance(args) => conformance::conformance(args, &shell),
        Command::Extract { case_id, vectors } => extract::extract(&case_id, vectors, &shell),
        Command::Vectors { check } => vectors::vectors(check),
        Command::Fuzz(args) => fuzz::fuzz(args),
        Command::Matrix(args) => matrix::matrix(args),
        Command::Bench(args) => bench::bench(args),
        Command::Advisories(args) => advisories::advisories(args),
        Command::Interop => interop::interop(),
    };
    match result {
        Ok(code) => code,
        Err(Setup(msg)) => {
            eprintln!("xtask: {msg}");
            ExitCode::from(2)
        }
    }
}
