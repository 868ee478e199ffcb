//! `cargo xtask matrix`: every adapter in adapters/ (and each variant) over the suite:
//! install its pinned packages under target/peers, run it over the protocol, and write the
//! implementations × rules matrix to docs/matrix.md and target/jwtc/matrix.html (with
//! `--history`, also docs/trophies.md: each advisory of an older version, caught or not).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use jwtc_harness::adapter::Adapter;
use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::report;

use crate::conformance::run_protocol;
use crate::util::{load_suite, say, seconds, today, write_file, Setup};

#[derive(clap::Args)]
pub(crate) struct MatrixArgs {
    /// Only these rows (an adapter folder, or NAME:VARIANT); repeat for more. Default:
    /// every folder of adapters/ and each of its variants.
    #[arg(long = "impl", value_name = "NAME")]
    implementations: Vec<String>,
    /// Seconds a case may take before it counts as a hang.
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = seconds)]
    timeout: Duration,
    /// Seconds one case may take before it is graded over budget (a denial-of-service
    /// finding, a failure; the adapter is killed and restarted).
    #[arg(long, value_name = "SECS", default_value = "2", value_parser = seconds)]
    case_budget: Duration,
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

/// Where `cargo xtask matrix` keeps each row's JSON report.
const MATRIX_REPORTS: &str = "target/jwtc/matrix";

pub(crate) fn matrix(args: MatrixArgs) -> Result<ExitCode, Setup> {
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
    let loaded = load_suite(&args.vectors, crate::util::mode_of(&args.vectors))?;
    let errata = crate::conformance::load_errata(&args.vectors, &loaded.cases)?;
    let mut columns = Vec::new();
    for adapter in loaded_rows {
        let row = adapter.name.clone();
        say(&format!("\n== {row}\n"));
        if let Err(why) = adapter.prepare() {
            say(&format!("NOT RUN: {why}\n"));
            columns.push(Column::NotRun { row, reason: why });
            continue;
        }
        let known = ExpectedFailures::load(&adapter.expected_failures)
            .map_err(Setup)?
            .with_errata(errata.clone());
        let run = run_protocol(
            &adapter.launch,
            adapter.codes,
            &row.replace(':', "-"),
            (args.timeout, args.case_budget),
            &loaded.suite,
            &loaded.cases,
            &known,
        )?;
        let (_, total) = report::tallies(&run);
        say(&format!(
            "{}: {} cases, {} pass, {} fail ({} over budget), {} known, {} erratum, {} not claimed, {} skip: {}\n",
            run.implementation,
            total.cases,
            total.pass,
            total.fail,
            total.over_budget,
            total.known,
            total.erratum,
            total.not_claimed,
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
