//! `jwtc explain RULE_ID|CASE_ID`: a rule's full text, the vendor sentences it rests on
//! and its cases; or one case as a standalone vector file (keys inline), to run alone or
//! to start a vector file of one's own from.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::exit::{usage, Failure};

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A rule id (e.g. pomerium.exp) or a case id (e.g. core/alg/alg-none).
    #[arg(value_name = "RULE_ID|CASE_ID")]
    pub id: String,
    /// The vector folder to look cases up in (default: the suite inside jwtc).
    #[arg(long, value_name = "DIR")]
    pub vectors: Option<PathBuf>,
}

/// Runs `jwtc explain`.
pub fn explain(args: ExplainArgs) -> Result<ExitCode, Failure> {
    crate::run::say(&explain_to_string(&args)?);
    Ok(ExitCode::SUCCESS)
}

/// What `jwtc explain` prints.
pub fn explain_to_string(args: &ExplainArgs) -> Result<String, Failure> {
    let loaded = crate::suite::load(args.vectors.as_deref(), jwtc_vectors::load::Mode::User)?;
    if let Some(rule) = jwtc_verifier::rules::find(&args.id) {
        let mut out = format!(
            "{}: {}\n\n{}\n",
            rule.id,
            rule.summary,
            rule.text.trim_end()
        );
        for source in rule.source {
            out.push_str(&format!("\nFrom {}:\n", source.document));
            for line in source.quote.lines() {
                out.push_str(&format!("> {line}\n"));
            }
        }
        let cases: Vec<_> = loaded
            .cases
            .iter()
            .filter(|c| c.case.rule == rule.id)
            .collect();
        out.push_str(&format!("\n{} case(s):\n", cases.len()));
        for c in cases {
            let verdicts: Vec<&str> = c.case.verdicts().iter().map(|v| v.as_str()).collect();
            out.push_str(&format!(
                "  {}  [{}; {}]  {}\n",
                c.case.id,
                verdicts.join(" "),
                c.case.severity.as_str(),
                c.case.description
            ));
        }
        return Ok(out);
    }
    if let Some(case) = loaded.cases.iter().find(|c| c.case.id == args.id) {
        let file = serde_json::to_string_pretty(&case.standalone()).expect("a vector file prints");
        return Ok(file + "\n");
    }
    let near: Vec<&str> = loaded
        .cases
        .iter()
        .map(|c| c.case.id.as_str())
        .filter(|id| id.contains(args.id.as_str()))
        .take(10)
        .collect();
    if near.is_empty() {
        usage(format!(
            "{:?} is neither a rule id (docs/rules.md, e.g. pomerium.exp) nor a case id (e.g. core/alg/alg-none)",
            args.id
        ))
    } else {
        usage(format!(
            "{:?} is neither a rule id nor a case id; cases containing it: {}",
            args.id,
            near.join(", ")
        ))
    }
}
