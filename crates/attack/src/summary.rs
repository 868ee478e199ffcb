//! The summary `jwtc attack` prints without `--out`: per class, the count, the rules, the
//! highest severity, and the expected verdicts.

use std::collections::BTreeSet;

use jwtc_vectors::model::{Severity, Verdict};

use crate::attack::Attack;

/// One row per class, in the order the classes first appear.
pub fn table(attacks: &[Attack]) -> String {
    let mut classes: Vec<&str> = Vec::new();
    for a in attacks {
        if !classes.contains(&a.class) {
            classes.push(a.class);
        }
    }
    let mut rows = vec![[
        "class".to_string(),
        "count".into(),
        "rule".into(),
        "severity".into(),
        "expect".into(),
    ]];
    for class in classes {
        let of: Vec<&Attack> = attacks.iter().filter(|a| a.class == class).collect();
        let rules: BTreeSet<&str> = of.iter().map(|a| a.rule).collect();
        let top = of.iter().map(|a| a.severity).min().unwrap_or(Severity::Low);
        let verdicts: BTreeSet<&str> = of.iter().map(|a| a.verdict.as_str()).collect();
        rows.push([
            class.to_string(),
            of.len().to_string(),
            rules.into_iter().collect::<Vec<_>>().join(", "),
            top.as_str().to_string(),
            verdicts.into_iter().collect::<Vec<_>>().join(", "),
        ]);
    }
    let widths: Vec<usize> = (0..5)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in &rows {
        let line: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    let rejects = attacks
        .iter()
        .filter(|a| a.verdict == Verdict::Reject)
        .count();
    out.push_str(&format!(
        "{} attack(s): {rejects} a correct verifier rejects, {} it accepts (the control{})\n",
        attacks.len(),
        attacks.len() - rejects,
        if attacks.len() - rejects > 1 {
            ", forgeries re-signed with the secret, identity beside forged headers"
        } else {
            ""
        }
    ));
    out
}
