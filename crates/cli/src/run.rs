//! `jwtc run`: the suite against the reference verifier in process, an adapter folder
//! (`--impl DIR`) or any program speaking the JSON Lines protocol (`--cmd`), reported by
//! rule, with a report file and a comparison with an earlier run on request.
//! `cargo xtask conformance` is this command with the repository's [`Defaults`].

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, ValueEnum};
use jwtc_harness::adapter::Adapter;
use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::iut::{self, Launch};
use jwtc_harness::{report, run as harness_run};
use jwtc_vectors::load::{self, Mode};

use crate::exit::{usage, Failure};

/// The reference verifier's own known divergences from the embedded suite (Wycheproof
/// label bugs and decisions), applied to an in-process run of the embedded suite only.
const REFERENCE_EXPECTED: &str = include_str!("../../../adapters/reference/expected-failures.json");

#[derive(Args, Debug, Clone)]
#[command(after_help = "\
Examples:
  jwtc run                                        the suite against the reference verifier
  jwtc run --cmd 'python3 my_adapter.py'          against your adapter (docs/protocol.md)
  jwtc run --cmd './adapter' --profile core --report json --out report.json
  jwtc run --vectors ./my-vectors --cmd './adapter'   your own vector folder

Exit codes: 0 no unexpected failure, 1 an unexpected failure, 2 a usage or setup error.")]
pub struct RunArgs {
    /// An adapter folder (holding adapter.json), optionally with :VARIANT.
    #[arg(long = "impl", value_name = "DIR[:VARIANT]", conflicts_with = "cmd")]
    pub implementation: Option<String>,
    /// An implementation under test started as `sh -c CMD`, speaking the JSON Lines protocol.
    #[arg(long, value_name = "CMD")]
    pub cmd: Option<String>,
    /// Seconds a case may take before it counts as a hang (protocol runs).
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = seconds)]
    pub timeout: Duration,
    /// Seconds one case may take before it is graded over budget, a failure (docs/protocol.md § The per-case time budget)
    #[arg(long, value_name = "SECS", default_value = "2", value_parser = seconds)]
    pub case_budget: Duration,
    /// An earlier JSON report: print what newly fails and newly passes.
    #[arg(long, value_name = "OLD.json")]
    pub baseline: Option<PathBuf>,
    /// A vectors folder (default: the suite inside jwtc).
    #[arg(long, value_name = "DIR")]
    pub vectors: Option<PathBuf>,
    /// Only cases whose id matches this glob (e.g. 'core/alg/*').
    #[arg(long, value_name = "GLOB")]
    pub only: Option<String>,
    /// Only cases of this profile.
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,
    /// Write a report in this format (with --out).
    #[arg(long, value_enum, requires = "out")]
    pub report: Option<Format>,
    /// Where to write the report.
    #[arg(long, value_name = "PATH", requires = "report")]
    pub out: Option<PathBuf>,
    /// The implementation's known divergences (default: the --impl folder's
    /// expected-failures.json; the reference's for the embedded suite in process; none
    /// otherwise).
    #[arg(long, value_name = "PATH")]
    pub expected_failures: Option<PathBuf>,
    /// Where the implementation's stderr log goes (default: jwtc/ in the system's temporary
    /// folder; for `cargo xtask`, jwtc/ in the target directory in use).
    #[arg(long, value_name = "DIR")]
    pub log_dir: Option<PathBuf>,
}

/// The report formats.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    Json,
    Md,
    Junit,
    Html,
}

/// What a run takes when a flag is absent: `jwtc`'s own, or the repository's for
/// `cargo xtask conformance`.
#[derive(Clone, Debug)]
pub struct Defaults {
    /// The suite's own vectors folder, used when `--vectors` is absent and loaded with
    /// every check of our own files (`None`: the embedded suite). Any other `--vectors`
    /// folder is a user's (docs/vectors.md).
    pub vectors: Option<PathBuf>,
    /// The reference's expected-failures file for an in-process run of the default suite
    /// (`None`: the copy inside jwtc).
    pub reference_expected: Option<PathBuf>,
    /// Where stderr logs go when `--log-dir` is absent.
    pub log_dir: PathBuf,
}

impl Defaults {
    /// `jwtc`'s: the embedded suite, logs in the system's temporary folder.
    pub fn jwtc() -> Defaults {
        Defaults {
            vectors: None,
            reference_expected: None,
            log_dir: std::env::temp_dir().join("jwtc"),
        }
    }
}

/// Parses a `--timeout` value: seconds, more than 0 and at most a day.
pub fn seconds(s: &str) -> Result<Duration, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() && v <= 86_400.0 => Ok(Duration::from_secs_f64(v)),
        _ => Err(format!(
            "{s:?} is not a number of seconds between 0 and 86400 (e.g. 10 or 0.5)"
        )),
    }
}

/// The implementation a run talks to.
enum Target {
    InProcess,
    Protocol {
        launch: Launch,
        codes: jwtc_harness::grade::Codes,
        log_name: String,
    },
}

/// Runs `jwtc run` with jwtc's defaults.
pub fn run(args: RunArgs) -> Result<ExitCode, Failure> {
    run_with(args, &Defaults::jwtc())
}

/// Runs the suite as `args` say, `defaults` filling what they leave out.
pub fn run_with(args: RunArgs, defaults: &Defaults) -> Result<ExitCode, Failure> {
    // Everything that can be wrong with the command line is found before the run.
    let baseline = match &args.baseline {
        Some(path) => Some((path.clone(), read_baseline(path)?)),
        None => None,
    };
    let own = |dir: &Path| {
        defaults.vectors.as_ref().is_some_and(
            |d| matches!((dir.canonicalize(), d.canonicalize()), (Ok(a), Ok(b)) if a == b),
        )
    };
    let vectors = args.vectors.clone().or_else(|| defaults.vectors.clone());
    let mode = match &args.vectors {
        Some(dir) if !own(dir) => Mode::User,
        _ => Mode::Own,
    };
    let (target, default_known) = match (&args.implementation, &args.cmd) {
        (Some(spec), _) => {
            let (dir, variant) = match spec.rsplit_once(':') {
                Some((d, v)) if !d.is_empty() => (d, Some(v)),
                _ => (spec.as_str(), None),
            };
            let dir = Path::new(dir);
            let name = dir.file_name().and_then(|n| n.to_str()).ok_or_else(|| {
                format!("--impl {spec:?}: give an adapter folder (holding adapter.json)")
            })?;
            let parent = dir
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let row = match variant {
                Some(v) => format!("{name}:{v}"),
                None => name.to_owned(),
            };
            let adapter = Adapter::load(parent, &row)?;
            adapter.prepare()?;
            let known = adapter.expected_failures.clone();
            (
                Target::Protocol {
                    launch: adapter.launch,
                    codes: adapter.codes,
                    log_name: adapter.name,
                },
                Known::File(known),
            )
        }
        (None, Some(cmd)) => {
            if cmd.trim().is_empty() {
                return usage("--cmd is empty: give the command that starts the implementation, e.g. --cmd \"python3 my_adapter.py\"");
            }
            (
                Target::Protocol {
                    launch: Launch::shell(cmd),
                    codes: jwtc_harness::grade::Codes::Column,
                    log_name: "cmd".into(),
                },
                Known::None,
            )
        }
        (None, None) if mode == Mode::Own => (
            Target::InProcess,
            match &defaults.reference_expected {
                Some(path) => Known::File(path.clone()),
                None => Known::Text(REFERENCE_EXPECTED),
            },
        ),
        (None, None) => (Target::InProcess, Known::None),
    };
    let loaded = crate::suite::load(vectors.as_deref(), mode)?;
    if mode == Mode::User {
        eprintln!(
            "{} cases from {} (version {}); {}",
            loaded.cases.len(),
            vectors.as_deref().unwrap_or(Path::new("?")).display(),
            loaded.suite.version,
            loaded.clock_note()
        );
    }
    let errata = crate::suite::errata(vectors.as_deref(), &loaded.cases)?;
    let only = match &args.only {
        Some(g) => {
            Some(glob::Pattern::new(g).map_err(|e| format!("--only {g:?} is not a glob: {e}"))?)
        }
        None => None,
    };
    let cases: Vec<_> = loaded
        .cases
        .into_iter()
        .filter(|c| only.as_ref().is_none_or(|p| p.matches(&c.case.id)))
        .filter(|c| args.profile.as_ref().is_none_or(|p| &c.profile == p))
        .collect();
    if cases.is_empty() {
        return usage("no case matches --only/--profile: check the glob (e.g. 'core/alg/*') and the profile name");
    }
    let known = match (&args.expected_failures, default_known) {
        (Some(path), _) if !path.is_file() => {
            return usage(format!(
            "--expected-failures {}: no such file (give a JSON object of case-id glob to reason)",
            path.display()
        ))
        }
        (Some(path), _) => ExpectedFailures::load(path)?,
        (None, Known::File(path)) => ExpectedFailures::load(&path)?,
        (None, Known::Text(text)) => ExpectedFailures::parse(text)
            .map_err(|e| format!("the reference's expected failures inside jwtc: {e}"))?,
        (None, Known::None) => ExpectedFailures::default(),
    }
    .with_errata(errata);
    let progress = std::io::stderr().is_terminal();
    let run = match target {
        Target::InProcess => harness_run::run_reference_within(
            &loaded.suite.version,
            loaded.suite.now,
            &cases,
            &known,
            progress,
            Some(args.case_budget),
        ),
        Target::Protocol {
            launch,
            codes,
            log_name,
        } => {
            let log_dir = args
                .log_dir
                .clone()
                .unwrap_or_else(|| defaults.log_dir.clone());
            run_protocol(
                &launch,
                codes,
                &log_dir.join(format!("{log_name}.stderr.log")),
                (args.timeout, args.case_budget),
                &loaded.suite,
                &cases,
                &known,
            )?
        }
    };
    say(&report::table(&run, std::io::stdout().is_terminal()));
    if let Some((path, doc)) = &baseline {
        let cmp = report::compare(&run, doc)
            .map_err(|e| format!("--baseline {}: {e}", path.display()))?;
        say(&format!("\n{}", cmp.render()));
    }
    if let (Some(format), Some(out)) = (args.report, &args.out) {
        write_report(&run, format, out, "--out")?;
    }
    Ok(if run.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Writes `run`'s report in `format` to `out` (its folder made if missing), and says so;
/// `flag` names the option in a message.
pub fn write_report(
    run: &jwtc_harness::run::Run,
    format: Format,
    out: &std::path::Path,
    flag: &str,
) -> Result<(), Failure> {
    let text = match format {
        Format::Json => {
            serde_json::to_string_pretty(&report::json(run)).expect("report serialises") + "\n"
        }
        Format::Md => report::markdown(run),
        Format::Junit => report::junit(run),
        Format::Html => report::html(run),
    };
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {} for {flag}: {e}", dir.display()))?;
    }
    std::fs::write(out, text).map_err(|e| format!("cannot write {flag} {}: {e}", out.display()))?;
    say(&format!("report written to {}\n", out.display()));
    Ok(())
}

/// Where a run's known divergences come from when `--expected-failures` is absent.
enum Known {
    File(PathBuf),
    Text(&'static str),
    None,
}

fn read_baseline(path: &Path) -> Result<serde_json::Value, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "cannot read --baseline {}: {e}; give a report written by --report json",
            path.display()
        )
    })?;
    serde_json::from_str(&text).map_err(|e| {
        Failure::Usage(format!(
            "--baseline {} is not JSON ({e}); give a report written by --report json",
            path.display()
        ))
    })
}

/// Runs `cases` over the protocol against the implementation `launch` starts, with the
/// time-out and the per-case budget `(timeout, budget)`; its stderr goes to `stderr_log`.
pub fn run_protocol(
    launch: &Launch,
    codes: jwtc_harness::grade::Codes,
    stderr_log: &Path,
    (timeout, budget): (Duration, Duration),
    suite: &jwtc_vectors::model::Suite,
    cases: &[load::LoadedCase],
    known: &ExpectedFailures,
) -> Result<harness_run::Run, Failure> {
    let mut opts = iut::Options::new(stderr_log.to_path_buf());
    opts.timeout = timeout;
    opts.budget = Some(budget);
    opts.start_timeout = timeout.max(Duration::from_secs(30));
    opts.codes = codes;
    opts.progress = std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    let run = iut::run(launch, &opts, &suite.version, suite.now, cases, known)?;
    eprintln!(
        "(the implementation's stderr is in {}; {:.3} s with its first start)",
        opts.stderr_log.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(run)
}

/// Writes to stdout; a closed stdout (`| head`) is not an error worth a panic.
pub fn say(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}
