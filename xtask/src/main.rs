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
//!
//! Exit codes: 0 a passing run, 1 a conformance failure, 2 a usage or setup error (one
//! line naming the thing and what to do).

mod advisories;
mod bench;
mod fuzz;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, ExitCode};
use std::time::Duration;

use jwtc_harness::adapter::Adapter;
use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::iut::{self, Launch};
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
    /// Run the vectors against the reference verifier (or --impl/--cmd) and report by rule.
    Conformance(ConformanceArgs),
    /// Seed the fuzz corpora from the vectors and run cargo-fuzz targets.
    Fuzz(fuzz::FuzzArgs),
    /// Run the criterion benches (both crypto backends, jsonwebtoken, the harness) and
    /// write docs/performance.md from their medians.
    Bench(bench::BenchArgs),
    /// Print one case as a standalone vector file (keys resolved), to debug with. Valid
    /// under vectors/schema/vectors.schema.json, except that an imported Wycheproof reject
    /// has no error code.
    Extract {
        /// The case id (e.g. core/alg/alg-none).
        case_id: String,
        /// The vectors directory.
        #[arg(long, value_name = "DIR", default_value = "vectors")]
        vectors: PathBuf,
    },
    /// Regenerate vectors/<profile>/*.json and docs/rules.md from the fixed test keys.
    Vectors {
        /// Only check that the checked-in files equal what the generator makes.
        #[arg(long)]
        check: bool,
    },
    /// Run every adapter (installing its pinned packages under target/peers) and write the
    /// implementations × rules matrix (Markdown and HTML).
    Matrix(MatrixArgs),
    /// Check that advisories/ (a RustSec snapshot cut to the lock files' crates) covers
    /// every locked crate and install it for `cargo deny --offline check advisories`; with
    /// --from, cut a new snapshot first.
    Advisories(advisories::AdvisoriesArgs),
    /// Mint vectors/interop/ fixtures with the vendors' customers' libraries (needs node,
    /// npm and python3, and the npm and PyPI registries), then check them with the reference.
    Interop,
}

#[derive(clap::Args)]
struct ConformanceArgs {
    /// An implementation under test: the adapter folder adapters/NAME (its adapter.json).
    #[arg(long = "impl", value_name = "NAME", conflicts_with = "cmd")]
    implementation: Option<String>,
    /// An implementation under test started as `sh -c CMD`, speaking docs/protocol.md.
    #[arg(long, value_name = "CMD")]
    cmd: Option<String>,
    /// Seconds a case may take before it counts as a hang (protocol runs).
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = seconds)]
    timeout: Duration,
    /// An earlier JSON report: print what newly fails and newly passes.
    #[arg(long, value_name = "OLD.json")]
    baseline: Option<PathBuf>,
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
    /// The implementation's known divergences (default: adapters/NAME/expected-failures.json,
    /// adapters/reference/'s in process, none with --cmd).
    #[arg(long, value_name = "PATH")]
    expected_failures: Option<PathBuf>,
}

#[derive(clap::Args)]
struct MatrixArgs {
    /// Only these rows (an adapter folder, or NAME:VARIANT); repeat for more. Default:
    /// every folder of adapters/ and each of its variants.
    #[arg(long = "impl", value_name = "NAME")]
    implementations: Vec<String>,
    /// Seconds a case may take before it counts as a hang.
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = seconds)]
    timeout: Duration,
    /// The vectors directory.
    #[arg(long, value_name = "DIR", default_value = "vectors")]
    vectors: PathBuf,
    /// Where to write the Markdown matrix.
    #[arg(long, value_name = "PATH", default_value = "docs/matrix.md")]
    out: PathBuf,
    /// Where to write the HTML matrix.
    #[arg(long, value_name = "PATH", default_value = "target/jwtc/matrix.html")]
    html: PathBuf,
    /// Also run the variants that are older, vulnerable versions (`history` in their
    /// adapter.json) and write docs/trophies.md: each advisory, caught or not.
    #[arg(long)]
    history: bool,
    /// Where --history writes the trophies.
    #[arg(long, value_name = "PATH", default_value = "docs/trophies.md")]
    trophies: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Md,
    Junit,
    Html,
}

fn seconds(s: &str) -> Result<Duration, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() && v <= 86_400.0 => Ok(Duration::from_secs_f64(v)),
        _ => Err(format!(
            "{s:?} is not a number of seconds between 0 and 86400 (e.g. 10 or 0.5)"
        )),
    }
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
        Command::Extract { case_id, vectors } => extract(&case_id, &vectors),
        Command::Vectors { check } => vectors(check),
        Command::Fuzz(args) => fuzz::fuzz(args),
        Command::Matrix(args) => matrix(args),
        Command::Bench(args) => bench::bench(args),
        Command::Advisories(args) => advisories::advisories(args),
        Command::Interop => interop(),
    };
    match result {
        Ok(code) => code,
        Err(Setup(msg)) => {
            eprintln!("xtask: {msg}");
            ExitCode::from(2)
        }
    }
}

/// Writes to stdout; a closed stdout (`| head`) is not an error worth a panic.
fn say(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn load_suite(dir: &Path) -> Result<load::Loaded, Setup> {
    if !dir.join("suite.json").is_file() {
        return Err(Setup(format!(
            "{} is not a vectors directory (it has no suite.json): give --vectors the folder that holds suite.json, keys/ and schema/",
            dir.display()
        )));
    }
    load::load(dir).map_err(|errors| {
        let first = errors.first().cloned().unwrap_or_default();
        let rest = if errors.len() > 1 {
            format!(
                " ({} more below)\n  {}",
                errors.len() - 1,
                errors[1..].join("\n  ")
            )
        } else {
            String::new()
        };
        Setup(format!(
            "the vectors in {} do not load: {first}; fix the file, or regenerate ours with `cargo xtask vectors`{rest}",
            dir.display()
        ))
    })
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

fn conformance(args: ConformanceArgs) -> Result<ExitCode, Setup> {
    // Everything that can be wrong with the command line is found before the run.
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
        return Err(Setup(
            "no case matches --only/--profile: check the glob (e.g. 'core/alg/*') and the profile name".into(),
        ));
    }
    let known = match args.expected_failures.or(default_known) {
        Some(path) => ExpectedFailures::load(&path).map_err(Setup)?,
        None => ExpectedFailures::default(),
    };
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

/// Runs `cases` over the protocol against the implementation `launch` starts; its stderr
/// goes to target/jwtc/<log_name>.stderr.log.
fn run_protocol(
    launch: &Launch,
    codes: jwtc_harness::grade::Codes,
    log_name: &str,
    timeout: Duration,
    suite: &jwtc_vectors::model::Suite,
    cases: &[load::LoadedCase],
    known: &ExpectedFailures,
) -> Result<run::Run, Setup> {
    let mut opts =
        iut::Options::new(Path::new("target/jwtc").join(format!("{log_name}.stderr.log")));
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

/// Where `cargo xtask matrix` keeps each row's JSON report.
const MATRIX_REPORTS: &str = "target/jwtc/matrix";

fn matrix(args: MatrixArgs) -> Result<ExitCode, Setup> {
    use jwtc_harness::matrix::{self, Column, Meta};
    let adapters = Path::new("adapters");
    let mut rows = if args.implementations.is_empty() {
        Adapter::rows(adapters)
    } else {
        args.implementations.clone()
    };
    // The reference first: the column every other is read against.
    rows.sort_by_key(|r| r != "reference");
    // Every row must load before anything runs: a broken adapter.json is a setup error.
    let mut loaded_rows = rows
        .iter()
        .map(|r| Adapter::load(adapters, r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Setup)?;
    // Older, vulnerable versions run only with --history (or when named with --impl).
    if !args.history && args.implementations.is_empty() {
        loaded_rows.retain(|a| a.history.is_none());
    }
    let histories: Vec<(String, jwtc_harness::adapter::History)> = loaded_rows
        .iter()
        .filter_map(|a| a.history.clone().map(|h| (a.name.clone(), h)))
        .collect();
    if args.history {
        if histories.is_empty() {
            return Err(Setup(
                "--history: no adapter variant has a \"history\" (an older version with its advisories)".into(),
            ));
        }
        for (row, h) in &histories {
            if !loaded_rows.iter().any(|a| a.name == h.fixed_by) {
                return Err(Setup(format!(
                    "--history: {row} is fixed by {}, which is not among the rows run; add --impl {}",
                    h.fixed_by, h.fixed_by
                )));
            }
        }
    }
    let loaded = load_suite(&args.vectors)?;
    let mut columns = Vec::new();
    for adapter in loaded_rows {
        let row = adapter.name.clone();
        say(&format!("\n== {row}\n"));
        if let Err(why) = adapter.prepare() {
            say(&format!("NOT RUN: {why}\n"));
            columns.push(Column::NotRun { row, reason: why });
            continue;
        }
        let known = ExpectedFailures::load(&adapter.expected_failures).map_err(Setup)?;
        let run = run_protocol(
            &adapter.launch,
            adapter.codes,
            &row.replace(':', "-"),
            args.timeout,
            &loaded.suite,
            &loaded.cases,
            &known,
        )?;
        let (_, total) = report::tallies(&run);
        say(&format!(
            "{}: {} cases, {} pass, {} fail, {} known, {} skip: {}\n",
            run.implementation,
            total.cases,
            total.pass,
            total.fail,
            total.known,
            total.skip,
            if run.ok() { "PASS" } else { "FAIL" }
        ));
        let json_path = Path::new(MATRIX_REPORTS).join(format!("{}.json", row.replace(':', "-")));
        write_file(
            &json_path,
            &(serde_json::to_string_pretty(&report::json(&run)).expect("report serialises") + "\n"),
        )?;
        columns.push(Column::Ran { row, run });
    }
    let mut command = "cargo xtask matrix".to_string();
    if args.history {
        command.push_str(" --history");
    }
    for r in &args.implementations {
        command.push_str(&format!(" --impl {r}"));
    }
    let meta = Meta {
        suite_version: loaded.suite.version.clone(),
        now: loaded.suite.now,
        date: today(),
        command,
    };
    write_file(&args.out, &matrix::markdown(&columns, &meta))?;
    write_file(&args.html, &matrix::html(&columns, &meta))?;
    let mut missed = Vec::new();
    if args.history {
        let trophies = matrix::trophies(&columns, &histories);
        for t in &trophies {
            say(&format!(
                "{} {} on {} (fixed in {}): {}\n",
                if t.caught() { "CAUGHT" } else { "MISSED" },
                t.advisory.id,
                t.vulnerable.1,
                t.fixed.1,
                t.cases
                    .iter()
                    .map(|(c, v, f)| format!("{c} {v}/{f}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            if !t.caught() {
                missed.push(t.advisory.id.clone());
            }
        }
        write_file(&args.trophies, &matrix::trophies_markdown(&trophies, &meta))?;
        say(&format!(
            "trophies written to {}\n",
            args.trophies.display()
        ));
    }
    let failed: Vec<&str> = columns
        .iter()
        .filter_map(|c| match c {
            Column::Ran { row, run } if !run.ok() => Some(row.as_str()),
            _ => None,
        })
        .collect();
    let not_run: Vec<&str> = columns
        .iter()
        .filter(|c| matches!(c, Column::NotRun { .. }))
        .map(Column::row)
        .collect();
    say(&format!(
        "\nmatrix written to {} and {} (per-row JSON reports in {MATRIX_REPORTS}/); {} row(s) ran, {} not run{}; {}\n",
        args.out.display(),
        args.html.display(),
        columns.len() - not_run.len(),
        not_run.len(),
        if not_run.is_empty() { String::new() } else { format!(" ({})", not_run.join(", ")) },
        if failed.is_empty() {
            "PASS: every failure is listed in its expected-failures file".to_string()
        } else {
            format!("FAIL: unexpected failures in {}", failed.join(", "))
        }
    ));
    if !missed.is_empty() {
        say(&format!(
            "FAIL: advisories not caught (a named vector does not fail on the vulnerable version, or does not pass on the fixed one): {}\n",
            missed.join(", ")
        ));
    }
    Ok(if failed.is_empty() && missed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Writes a file, creating its folder; the error names the path.
fn write_file(path: &Path, text: &str) -> Result<(), Setup> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Setup(format!("cannot create {}: {e}", dir.display())))?;
    }
    std::fs::write(path, text).map_err(|e| Setup(format!("cannot write {}: {e}", path.display())))
}

/// Today's date (UTC) as YYYY-MM-DD, for the pages a run writes (never for verifying).
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date(secs / 86_400)
}

/// The proleptic Gregorian date of a day number since 1970-01-01 (H. Hinnant's
/// `civil_from_days`).
fn civil_date(days: u64) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn extract(id: &str, dir: &Path) -> Result<ExitCode, Setup> {
    let loaded = load_suite(dir)?;
    let Some(case) = loaded.cases.iter().find(|c| c.case.id == id) else {
        let near: Vec<&str> = loaded
            .cases
            .iter()
            .map(|c| c.case.id.as_str())
            .filter(|c| {
                let tail = id.rsplit('/').next().unwrap_or(id);
                !tail.is_empty() && c.contains(tail)
            })
            .take(5)
            .collect();
        return Err(Setup(format!(
            "no case {id:?} in {}{}",
            dir.display(),
            if near.is_empty() {
                "; case ids look like core/alg/alg-none (see the JSON report or vectors/)"
                    .to_string()
            } else {
                format!("; did you mean {}?", near.join(", "))
            }
        )));
    };
    let text = serde_json::to_string_pretty(&case.standalone()).expect("a vector file serialises");
    say(&format!("{text}\n"));
    Ok(ExitCode::SUCCESS)
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
    let table = jwtc_vectors::rules_doc::rules_table_in(&cases, "docs").map_err(Setup)?;
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
    say(&format!(
        "{} vector files, {} cases; {} file(s) {}\n",
        files.len(),
        cases.len(),
        differ.len(),
        if check { "differ" } else { "written" }
    ));
    Ok(ExitCode::SUCCESS)
}

/// Where the scripts and their pins live, where the fixtures go, and where packages install.
const INTEROP_SCRIPTS: &str = "vectors/interop/scripts";
const INTEROP_OUT: &str = "vectors/interop";
const INTEROP_WORK: &str = "target/interop";

fn interop() -> Result<ExitCode, Setup> {
    let scripts_dir = Path::new(INTEROP_SCRIPTS);
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(scripts_dir)
        .map_err(|e| Setup(format!("{INTEROP_SCRIPTS}: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("mjs" | "py")))
        .collect();
    scripts.sort();
    if scripts.is_empty() {
        return Err(Setup(format!(
            "no *.mjs or *.py script in {INTEROP_SCRIPTS}"
        )));
    }
    let suite = load::read_suite(Path::new("vectors")).map_err(Setup)?;
    let root = std::env::current_dir().map_err(|e| Setup(format!("current directory: {e}")))?;
    let work = root.join(INTEROP_WORK);
    let has = |ext: &str| {
        scripts
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == ext))
    };
    let node_dir = work.join("node");
    if has("mjs") {
        jwtc_harness::install::npm(&root.join(scripts_dir), &node_dir).map_err(Setup)?;
    }
    let python = work.join("venv/bin/python3");
    if has("py") {
        jwtc_harness::install::pip(
            &root.join(scripts_dir).join("requirements.txt"),
            &work.join("venv"),
        )
        .map_err(Setup)?;
    }
    let envs = [
        ("JWTC_NOW", suite.now.to_string()),
        ("JWTC_KEYS", root.join("vectors/keys").display().to_string()),
        ("JWTC_OUT", root.join(INTEROP_OUT).display().to_string()),
    ];
    for script in &scripts {
        let name = script
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let mut cmd = if name.ends_with(".mjs") {
            // ESM resolves packages from the script's own folder: run a copy that sits
            // beside the installed node_modules.
            let copy = node_dir.join(name);
            std::fs::copy(script, &copy).map_err(|e| {
                Setup(format!(
                    "copy {} to {}: {e}",
                    script.display(),
                    copy.display()
                ))
            })?;
            let mut c = Process::new("node");
            c.arg(copy);
            c
        } else {
            let mut c = Process::new(&python);
            c.arg(script);
            c
        };
        cmd.envs(envs.iter().map(|(k, v)| (k, v)));
        run(&mut cmd, &format!("interop script {name}"))?;
    }
    // The fixtures must load under the schema and pass the reference.
    let loaded = load_suite(Path::new("vectors"))?;
    let out_dir = root.join(INTEROP_OUT);
    let cases: Vec<_> = loaded
        .cases
        .into_iter()
        .filter(|c| root.join(&c.file).starts_with(&out_dir))
        .collect();
    if cases.is_empty() {
        return Err(Setup(format!(
            "the scripts wrote no fixture into {INTEROP_OUT}"
        )));
    }
    let known = ExpectedFailures::default();
    let run = run::run_reference(&loaded.suite.version, loaded.suite.now, &cases, &known);
    print!("{}", report::table(&run, std::io::stdout().is_terminal()));
    Ok(if run.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Runs a command; a missing program or a failure is a setup error naming it.
fn run(cmd: &mut Process, what: &str) -> Result<(), Setup> {
    jwtc_harness::install::run(cmd, what).map_err(Setup)
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        for (days, want) in [
            (0, "1970-01-01"),
            (59, "1970-03-01"),
            (11_016, "2000-02-29"),
            (20_454, "2026-01-01"),
            (20_780, "2026-11-23"),
        ] {
            assert_eq!(super::civil_date(days), want, "{days}");
        }
    }
}
