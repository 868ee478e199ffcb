//! `cargo xtask conformance`: every vector against the reference verifier in process, or
//! against an implementation under test over the protocol (`--impl NAME`, `--cmd CMD`),
//! reported by profile and rule, with the suite's errata (vectors/errata.json) applied;
//! also the protocol run `cargo xtask matrix` repeats for each row.
//!
//! Paths on the command line are from the shell's directory. `--vectors DIR` other than
//! the suite's own vectors/ is loaded as a user's folder (docs/vectors.md), and only the
//! expected failures named for it apply: `--expected-failures`, or `--impl NAME`'s file,
//! never the reference's list of the suite's own cases.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::ValueEnum;
use jwtc_harness::adapter::{target_dir, Adapter};
use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::iut::{self, Launch};
use jwtc_harness::{report, run};
use jwtc_vectors::errata::Errata;
use jwtc_vectors::load;

use crate::util::{load_vectors, say, seconds, Setup, Shell};

#[derive(clap::Args)]
pub(crate) struct ConformanceArgs {
    /// An implementation under test: the adapter folder adapters/NAME (its adapter.json).
    #[arg(long = "impl", value_name = "NAME", conflicts_with = "cmd")]
    implementation: Option<String>,
    /// An implementation under test started as `sh -c CMD`, speaking docs/protocol.md.
    #[arg(long, value_name = "CMD")]
    cmd: Option<String>,
    /// Seconds a case may take before it counts as a hang (protocol runs).
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = seconds)]
    timeout: Duration,
    /// An earlier JSON report: print what newly fails and newly passes (a relative path is
    /// from the shell's directory, as for every path here).
    #[arg(long, value_name = "OLD.json")]
    baseline: Option<PathBuf>,
    /// A folder of your own vector files (docs/vectors.md); the suite's own vectors/ when absent.
    #[arg(long, value_name = "DIR")]
    vectors: Option<PathBuf>,
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
    /// The implementation's known divergences (default: adapters/NAME/expected-failures.json,
    /// adapters/reference/'s in process on the suite's own vectors, none with --cmd or on
    /// another --vectors folder in process).
    #[arg(long, value_name = "PATH")]
    expected_failures: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Md,
    Junit,
    Html,
}

/// The implementation a conformance run talks to.
enum Target {
    InProcess,
    Protocol {
        launch: Launch,
        codes: jwtc_harness::grade::Codes,
        log_name: String,
    },
}

pub(crate) fn conformance(mut args: ConformanceArgs, shell: &Shell) -> Result<ExitCode, Setup> {
    // Everything that can be wrong with the command line is found before the run.
    args.baseline = args
        .baseline
        .map(|p| shell.resolve(&p, "--baseline"))
        .transpose()?;
    args.out = args.out.map(|p| shell.resolve(&p, "--out")).transpose()?;
    args.expected_failures = args
        .expected_failures
        .map(|p| shell.resolve(&p, "--expected-failures"))
        .transpose()?;
    let baseline = match &args.baseline {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Setup(format!(
                    "cannot read --baseline {}: {e}; give a report written by --report json",
                    path.display()
                ))
            })?;
            let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
                Setup(format!(
                    "--baseline {} is not JSON ({e}); give a report written by --report json",
                    path.display()
                ))
            })?;
            Some((path.clone(), doc))
        }
        None => None,
    };
    let (target, default_known) = match (&args.implementation, &args.cmd) {
        (Some(name), _) => {
            let adapter = Adapter::load(Path::new("adapters"), name).map_err(Setup)?;
            adapter.prepare().map_err(Setup)?;
            let known = adapter.expected_failures.clone();
            (
                Target::Protocol {
                    launch: adapter.launch,
                    codes: adapter.codes,
                    log_name: adapter.name,
                },
                Some(known),
            )
        }
        (None, Some(cmd)) => {
            if cmd.trim().is_empty() {
                return Err(Setup(
                    "--cmd is empty: give the command that starts the implementation, e.g. --cmd \"python3 my_adapter.py\"".into(),
                ));
            }
            (
                Target::Protocol {
                    launch: Launch::shell(cmd),
                    codes: jwtc_harness::grade::Codes::Column,
                    log_name: "cmd".into(),
                },
                None,
            )
        }
        (None, None) => (
            Target::InProcess,
            Some(PathBuf::from("adapters/reference/expected-failures.json")),
        ),
    };
    let (loaded, dir) = load_vectors(args.vectors.clone(), shell)?;
    let errata = load_errata(&dir, &loaded.cases)?;
    // The reference's list names the suite's own cases: on a user's folder it would only
    // report stale entries. An adapter's own list (--impl) is its own, and applies.
    let default_known = match (loaded.mode, &target) {
        (load::Mode::User, Target::InProcess) => None,
        _ => default_known,
    };
    if loaded.mode == load::Mode::User {
        eprintln!(
            "{} cases from {} (version {}); {}",
            loaded.cases.len(),
            args.vectors.as_deref().unwrap_or(Path::new("?")).display(),
            loaded.suite.version,
            loaded.clock_note()
        );
    }
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
        return Err(Setup(
            "no case matches --only/--profile: check the glob (e.g. 'core/alg/*') and the profile name".into(),
        ));
    }
    let known = match args.expected_failures.or(default_known) {
        Some(path) => ExpectedFailures::load(&path).map_err(Setup)?,
        None => ExpectedFailures::default(),
    }
    .with_errata(errata);
    let progress = std::io::stderr().is_terminal();
    let run = match target {
        Target::InProcess => run::run_reference_with(
            &loaded.suite.version,
            loaded.suite.now,
            &cases,
            &known,
            progress,
        ),
        Target::Protocol {
            launch,
            codes,
            log_name,
        } => run_protocol(
            &launch,
            codes,
            &log_name,
            args.timeout,
            &loaded.suite,
            &cases,
            &known,
        )?,
    };
    say(&report::table(&run, std::io::stdout().is_terminal()));
    if let Some((path, doc)) = &baseline {
        let cmp = report::compare(&run, doc)
            .map_err(|e| Setup(format!("--baseline {}: {e}", path.display())))?;
        say(&format!("\n{}", cmp.render()));
    }
    if let (Some(format), Some(out)) = (args.report, &args.out) {
        let text = match format {
            Format::Json => {
                serde_json::to_string_pretty(&report::json(&run)).expect("report serialises") + "\n"
            }
            Format::Md => report::markdown(&run),
            Format::Junit => report::junit(&run),
            Format::Html => report::html(&run),
        };
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| Setup(format!("cannot create {} for --out: {e}", dir.display())))?;
        }
        std::fs::write(out, text)
            .map_err(|e| Setup(format!("cannot write --out {}: {e}", out.display())))?;
        say(&format!("report written to {}\n", out.display()));
    }
    Ok(if run.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The suite's errata (`<vectors>/errata.json`), each checked to name a case of the suite.
pub(crate) fn load_errata(vectors: &Path, cases: &[load::LoadedCase]) -> Result<Errata, Setup> {
    let errata = Errata::load(vectors).map_err(Setup)?;
    errata
        .check(cases.iter().map(|c| c.case.id.as_str()))
        .map_err(|e| Setup(format!("{}/{e}", vectors.display())))?;
    Ok(errata)
}

/// Runs `cases` over the protocol against the implementation `launch` starts; its stderr
/// goes to jwtc/<log_name>.stderr.log under the target directory in use
/// (`$CARGO_TARGET_DIR`, else the workspace's `target/`).
pub(crate) fn run_protocol(
    launch: &Launch,
    codes: jwtc_harness::grade::Codes,
    log_name: &str,
    timeout: Duration,
    suite: &jwtc_vectors::model::Suite,
    cases: &[load::LoadedCase],
    known: &ExpectedFailures,
) -> Result<run::Run, Setup> {
    let mut opts =
        iut::Options::new(target_dir(Path::new(".")).join(format!("jwtc/{log_name}.stderr.log")));
    opts.timeout = timeout;
    opts.start_timeout = timeout.max(Duration::from_secs(30));
    opts.codes = codes;
    opts.progress = std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    let run = iut::run(launch, &opts, &suite.version, suite.now, cases, known).map_err(Setup)?;
    eprintln!(
        "(the implementation's stderr is in {}; {:.3} s with its first start)",
        opts.stderr_log.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(run)
}
