//! `cargo xtask`: the project's commands. Few dependencies; the work is in the crates.
//!
//! - `cargo xtask conformance`: every vector against the reference verifier, in process.
//! - `cargo xtask vectors [--check]`: regenerate (or check) vectors/ and docs/rules.md.
//! - `cargo xtask fuzz [TARGET] [--time 60s] [--jobs N] [--seed]`: fuzzing campaigns.

mod fuzz;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::{report, run};
use jwtc_vectors::load;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "jwtc's project commands")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the vectors against the reference verifier and report by rule.
    Conformance(ConformanceArgs),
    /// Seed the fuzz corpora from the vectors and run cargo-fuzz targets.
    Fuzz(fuzz::FuzzArgs),
    /// Regenerate vectors/<profile>/*.json and docs/rules.md from the fixed test keys.
    Vectors {
        /// Only check that the checked-in files equal what the generator makes.
        #[arg(long)]
        check: bool,
    },
}

#[derive(clap::Args)]
struct ConformanceArgs {
    /// The vectors directory.
    #[arg(long, value_name = "DIR", default_value = "vectors")]
    vectors: PathBuf,
    /// Only cases whose id matches this glob (e.g. 'core/alg/*').
    #[arg(long, value_name = "GLOB")]
    only: Option<String>,
    /// Only cases of this profile.
    #[arg(long, value_name = "PROFILE")]
    profile: Option<String>,
    /// Write a report in this format (with --out).
    #[arg(long, value_enum, requires = "out")]
    report: Option<Format>,
    /// Where to write the report.
    #[arg(long, value_name = "PATH", requires = "report")]
    out: Option<PathBuf>,
    /// The implementation's known divergences.
    #[arg(
        long,
        value_name = "PATH",
        default_value = "adapters/reference/expected-failures.json"
    )]
    expected_failures: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Md,
    Junit,
}

/// A usage or setup error: exit 2, one line naming the thing and what to do.
pub(crate) struct Setup(String);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace");
    if let Err(e) = std::env::set_current_dir(root) {
        eprintln!(
            "xtask: cannot enter the workspace root {}: {e}",
            root.display()
        );
        return ExitCode::from(2);
    }
    let result = match cli.command {
        Command::Conformance(args) => conformance(args),
        Command::Vectors { check } => vectors(check),
        Command::Fuzz(args) => fuzz::fuzz(args),
    };
    match result {
        Ok(code) => code,
        Err(Setup(msg)) => {
            eprintln!("xtask: {msg}");
            ExitCode::from(2)
        }
    }
}

fn load_suite(dir: &Path) -> Result<load::Loaded, Setup> {
    load::load(dir).map_err(|errors| {
        let n = errors.len();
        Setup(format!(
            "the vectors in {} do not load ({n} problem(s)):\n  {}",
            dir.display(),
            errors.join("\n  ")
        ))
    })
}

fn conformance(args: ConformanceArgs) -> Result<ExitCode, Setup> {
    let loaded = load_suite(&args.vectors)?;
    let only = match &args.only {
        Some(g) => Some(
            glob::Pattern::new(g).map_err(|e| Setup(format!("--only {g:?} is not a glob: {e}")))?,
        ),
        None => None,
    };
    let cases: Vec<_> = loaded
        .cases
        .into_iter()
        .filter(|c| only.as_ref().is_none_or(|p| p.matches(&c.case.id)))
        .filter(|c| args.profile.as_ref().is_none_or(|p| &c.profile == p))
        .collect();
    if cases.is_empty() {
        return Err(Setup("no case matches --only/--profile".into()));
    }
    let known = ExpectedFailures::load(&args.expected_failures).map_err(Setup)?;
    let run = run::run_reference(&loaded.suite.version, loaded.suite.now, &cases, &known);
    print!("{}", report::table(&run, std::io::stdout().is_terminal()));
    if let (Some(format), Some(out)) = (args.report, &args.out) {
        let text = match format {
            Format::Json => {
                serde_json::to_string_pretty(&report::json(&run)).expect("report serialises") + "\n"
            }
            Format::Md => report::markdown(&run),
            Format::Junit => report::junit(&run),
        };
        std::fs::write(out, text)
            .map_err(|e| Setup(format!("cannot write --out {}: {e}", out.display())))?;
        println!("report written to {}", out.display());
    }
    Ok(if run.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn vectors(check: bool) -> Result<ExitCode, Setup> {
    let root = Path::new("vectors");
    let keys = jwtc_vectors::keystore::KeyStore::load(&root.join("keys")).map_err(Setup)?;
    let suite = load::read_suite(root).map_err(Setup)?;
    let files = jwtc_vectors::generate::generate(&keys, suite.now);
    let mut differ = Vec::new();
    for (rel, text) in &files {
        let path = root.join(rel);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            differ.push(path.display().to_string());
            if !check {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| Setup(format!("{}: {e}", dir.display())))?;
                }
                std::fs::write(&path, text)
                    .map_err(|e| Setup(format!("{}: {e}", path.display())))?;
            }
        }
    }
    let loaded = load_suite(root)?;
    let cases: Vec<_> = loaded.cases.into_iter().map(|c| c.case).collect();
    let table = jwtc_vectors::generate::rules_table(&cases);
    let rules_md = Path::new("docs/rules.md");
    if std::fs::read_to_string(rules_md).ok().as_deref() != Some(table.as_str()) {
        differ.push(rules_md.display().to_string());
        if !check {
            std::fs::write(rules_md, &table)
                .map_err(|e| Setup(format!("{}: {e}", rules_md.display())))?;
        }
    }
    if check && !differ.is_empty() {
        eprintln!(
            "out of date (run `cargo xtask vectors`):\n  {}",
            differ.join("\n  ")
        );
        return Ok(ExitCode::FAILURE);
    }
    println!(
        "{} vector files, {} cases; {} file(s) {}",
        files.len(),
        cases.len(),
        differ.len(),
        if check { "differ" } else { "written" }
    );
    Ok(ExitCode::SUCCESS)
}
