//! Reports of a run, one module per form: the terminal table ([`table`]), JSON ([`json`],
//! schema in vectors/schema/report.schema.json), Markdown ([`markdown`]), JUnit XML
//! ([`junit`]), one self-contained HTML page ([`html`]), and the comparison of a run with
//! an earlier JSON report ([`compare`], `--baseline`). This file holds what they share:
//! the tallies by profile and by rule, the cases wrongly accepted by severity, the rate's
//! wording, and the clock the signer cases were graded at ([`signer_clock`]: every form
//! says it when the run sent a signer case; JSON always has `signer_clock`).
//!
//! Every form leads with the cases wrongly accepted (an accept where the vector says
//! reject), then counts per profile, then the rules of each profile. Only the profiles
//! the run sent appear: a profile whose every case was not claimed is named on one line.

use std::collections::BTreeMap;

use jwtc_vectors::model::Severity;
use jwtc_verifier::rules::RULES;

use crate::grade::{CaseResult, State};
use crate::outcome::Got;
use crate::runner::Run;

mod compare;
mod html;
mod json;
mod junit;
mod markdown;
mod table;

pub use compare::{compare, Change, Comparison};
pub(crate) use html::HTML_STYLE;
pub use html::{html, html_escape};
pub use json::json;
pub use junit::junit;
pub use markdown::markdown;
pub use table::table;

/// Counts for one rule, one profile, or the total.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tally {
    /// Cases run.
    pub cases: usize,
    /// Passed.
    pub pass: usize,
    /// Failed, hung, crashed or over budget, and not listed as expected (hangs, crashes
    /// and cases over budget are also counted in [`Tally::hang`], [`Tally::crash`] and
    /// [`Tally::over_budget`]).
    pub fail: usize,
    /// Failed, hung, crashed or over budget, and listed in expected-failures.json.
    pub known: usize,
    /// Listed in vectors/errata.json, the verdict differing from the upstream label.
    pub erratum: usize,
    /// Not sent: a feature or profile the implementation does not claim.
    pub not_claimed: usize,
    /// Skipped by the implementation.
    pub skip: usize,
    /// Hung, not listed.
    pub hang: usize,
    /// Crashed, not listed.
    pub crash: usize,
    /// Over the per-case time budget (a denial-of-service finding), not listed.
    pub over_budget: usize,
    /// Rejects whose error code was compared.
    pub codes_compared: usize,
    /// ... and agreed.
    pub codes_agree: usize,
}

impl Tally {
    fn add(&mut self, r: &CaseResult) {
        self.cases += 1;
        match r.state {
            State::Pass => self.pass += 1,
            State::Skip => self.skip += 1,
            State::Erratum => self.erratum += 1,
            State::NotClaimed => self.not_claimed += 1,
            s if s.is_failure() && r.known.is_some() => self.known += 1,
            State::Fail => self.fail += 1,
            State::Hang => {
                self.fail += 1;
                self.hang += 1;
            }
            State::Crash => {
                self.fail += 1;
                self.crash += 1;
            }
            State::OverBudget => {
                self.fail += 1;
                self.over_budget += 1;
            }
        }
        if let Some(a) = r.code_agrees {
            self.codes_compared += 1;
            self.codes_agree += usize::from(a);
        }
    }

    /// Unexpected failures that are neither hangs, crashes nor over budget.
    pub fn fail_only(&self) -> usize {
        self.fail - self.hang - self.crash - self.over_budget
    }

    /// Whether every case counted was not claimed (nothing of it was sent).
    pub fn none_sent(&self) -> bool {
        self.not_claimed == self.cases
    }
}

/// Per-rule tallies in rule-catalogue order, and the total.
pub fn tallies(run: &Run) -> (Vec<(String, Tally)>, Tally) {
    let (rules, total) = by_rule(run.results.iter());
    (rules, total)
}

fn by_rule<'a>(results: impl Iterator<Item = &'a CaseResult>) -> (Vec<(String, Tally)>, Tally) {
    let mut by_rule: BTreeMap<String, Tally> = BTreeMap::new();
    let mut total = Tally::default();
    for r in results {
        by_rule.entry(r.rule.clone()).or_default().add(r);
        total.add(r);
    }
    let mut ordered = Vec::new();
    for rule in RULES {
        if let Some(t) = by_rule.remove(rule.id) {
            ordered.push((rule.id.to_owned(), t));
        }
    }
    ordered.extend(by_rule);
    (ordered, total)
}

/// One profile of a run: its tally and its rules' tallies.
#[derive(Clone, Debug, PartialEq)]
pub struct ProfileTally {
    /// The profile.
    pub profile: String,
    /// Its cases' counts.
    pub total: Tally,
    /// Its rules, in catalogue order.
    pub rules: Vec<(String, Tally)>,
}

/// The order profiles are shown in; others follow by name.
const PROFILE_ORDER: [&str; 9] = [
    "core",
    "pendo",
    "pendo-signer",
    "coyo",
    "watson",
    "watson-signer",
    "pomerium",
    "pomerium-proxy",
    "jws",
];

/// The run by profile: (the profiles sent, each with its rules; the profiles none of
/// whose cases was sent, with their case counts), and the total of the profiles sent
/// and unsent together.
pub fn by_profile(run: &Run) -> (Vec<ProfileTally>, Vec<(String, usize)>, Tally) {
    let mut groups: BTreeMap<&str, Vec<&CaseResult>> = BTreeMap::new();
    for r in &run.results {
        groups.entry(r.profile.as_str()).or_default().push(r);
    }
    let rank = |p: &str| {
        PROFILE_ORDER
            .iter()
            .position(|q| *q == p)
            .unwrap_or(PROFILE_ORDER.len())
    };
    let mut names: Vec<&str> = groups.keys().copied().collect();
    names.sort_by_key(|p| (rank(p), p.to_string()));
    let mut sent = Vec::new();
    let mut unsent = Vec::new();
    for p in names {
        let (rules, total) = by_rule(groups[p].iter().copied());
        if total.none_sent() {
            unsent.push((p.to_owned(), total.cases));
        } else {
            sent.push(ProfileTally {
                profile: p.to_owned(),
                total,
                rules,
            });
        }
    }
    let (_, total) = tallies(run);
    (sent, unsent, total)
}

/// The severities, most severe first.
pub const SEVERITIES: [Severity; 4] = [
    Severity::Critical,
    Severity::High,
    Severity::Medium,
    Severity::Low,
];

/// Whether `r` was wrongly accepted (a failure, listed or not; an erratum is the upstream
/// label's fault and does not count): an accept where its vector says reject, or a
/// verifier's accept with other claims or another identity than the vector's (taken from
/// a forged header, a duplicate member, an unsigned part), which gives an attacker the
/// same as a forged token. A signer's mint with another output broke a mint rule; it is
/// not an accept of anything.
pub fn wrongly_accepted(r: &CaseResult) -> bool {
    use jwtc_vectors::model::Verdict;
    matches!(r.state, State::Fail)
        && r.got.verdict == Got::Accept
        && match r.expected.verdict {
            Verdict::Reject => true,
            Verdict::Accept => {
                !crate::grade::signer::is_signer(&r.profile)
                    && r.message.starts_with(crate::grade::OUTPUT_DIFFERS)
            }
            Verdict::Either => false,
        }
}

/// `text` with its first letter in upper case.
pub fn capitalised(text: &str) -> String {
    let mut c = text.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// What "wrongly accepted" means, as every form words it.
pub const WRONGLY_ACCEPTED: &str = "an accept where the vector says reject, or a verifier's accept with other claims or identity than the vector's";

/// The cases wrongly accepted, by severity (most severe first; every severity present,
/// possibly empty).
pub fn accepted_by_severity(run: &Run) -> Vec<(Severity, Vec<&CaseResult>)> {
    SEVERITIES
        .iter()
        .map(|s| {
            (
                *s,
                run.results
                    .iter()
                    .filter(|r| r.severity == *s && wrongly_accepted(r))
                    .collect(),
            )
        })
        .collect()
}

/// Cases per second with decimals: three significant digits below 100, none above
/// (`0.46`, `7.25`, `31.4`, `2114`); never a bare `0` for a slow run.
pub fn rate_text(rate: f64) -> String {
    if !rate.is_finite() || rate <= 0.0 {
        return "0".into();
    }
    if rate >= 100.0 {
        return format!("{rate:.0}");
    }
    let digits = (2 - rate.log10().floor() as i64).clamp(1, 6) as usize;
    format!("{rate:.digits$}")
}

/// The run's last line, without colour: `NAME: N cases in S s (R cases/s), K restart(s)`,
/// with `(M sent)` after the count when some were not claimed (the rate is of those sent).
/// Which clock the run's signer cases were graded at (`signer cases graded at the suite
/// clock 1767225600`), when it sent one; `None` otherwise.
pub fn signer_clock(run: &Run) -> Option<String> {
    run.results
        .iter()
        .any(|r| crate::grade::signer::is_signer(&r.profile) && r.state != State::NotClaimed)
        .then(|| run.clock.describe(run.now))
}

/// The timing line of the terminal table.
pub fn timing(run: &Run) -> String {
    let sent = run
        .results
        .iter()
        .filter(|r| r.state != State::NotClaimed)
        .count();
    let count = if sent == run.results.len() {
        format!("{sent} cases")
    } else {
        format!("{} cases ({sent} sent)", run.results.len())
    };
    format!(
        "{}: {count} in {:.3} s ({} cases/s), {} restart(s)",
        run.implementation,
        run.wall.as_secs_f64(),
        rate_text(run.rate()),
        run.restarts
    )
}

/// The counts' columns of every report form: (heading, the count). `fail` here is a plain
/// failure; hangs, crashes and cases over budget have their own columns.
pub(crate) type Count = fn(&Tally) -> usize;

pub(crate) const COLUMNS: [(&str, Count); 10] = [
    ("cases", |t| t.cases),
    ("pass", |t| t.pass),
    ("fail", Tally::fail_only),
    ("known", |t| t.known),
    ("erratum", |t| t.erratum),
    ("not claimed", |t| t.not_claimed),
    ("skip", |t| t.skip),
    ("hang", |t| t.hang),
    ("crash", |t| t.crash),
    ("over budget", |t| t.over_budget),
];

pub(crate) fn codes_cell(t: &Tally) -> String {
    if t.codes_compared == 0 {
        "-".into()
    } else {
        format!("{}/{}", t.codes_agree, t.codes_compared)
    }
}

pub(crate) fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The not-claimed cases grouped by reason, first-seen order: (reason, case ids).
pub(crate) fn not_claimed_groups(run: &Run) -> Vec<(String, Vec<&str>)> {
    let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
    for r in run.results.iter().filter(|r| r.state == State::NotClaimed) {
        let reason = r
            .message
            .strip_prefix("skipped: ")
            .unwrap_or(&r.message)
            .to_owned();
        match groups.iter_mut().find(|(g, _)| *g == reason) {
            Some((_, ids)) => ids.push(&r.id),
            None => groups.push((reason, vec![&r.id])),
        }
    }
    groups
}

/// The first `max` ids, and how many more.
pub(crate) fn some_ids(ids: &[&str], max: usize) -> String {
    let mut s = ids.iter().take(max).copied().collect::<Vec<_>>().join(", ");
    if ids.len() > max {
        s.push_str(&format!(" and {} more", ids.len() - max));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_keep_their_decimals() {
        for (rate, text) in [
            (128.0 / 278.602, "0.459"),
            (0.046, "0.0460"),
            (7.25, "7.25"),
            (31.44, "31.4"),
            (2114.4, "2114"),
            (0.0, "0"),
        ] {
            assert_eq!(rate_text(rate), text, "{rate}");
        }
    }
}
