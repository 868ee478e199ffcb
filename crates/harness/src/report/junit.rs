//! JUnit XML: one testsuite per profile, one testcase per vector (classname the rule
//! id, name the case id); failures carry expected and got; skips, known divergences,
//! errata and cases not claimed are skipped with their reason. A signer profile's
//! testsuite says the clock its cases were graded at (property `signer_clock`, and its
//! system-out).

use std::collections::BTreeMap;

use crate::grade::State;
use crate::runner::Run;

/// JUnit XML: one testsuite per profile, one testcase per vector (classname the rule
/// id, name the case id); failures carry expected and got; skips their reason.
pub fn junit(run: &Run) -> String {
    use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
    let mut report = Report::new(format!("jwtc conformance: {}", run.implementation));
    let mut suites: BTreeMap<&str, TestSuite> = BTreeMap::new();
    for r in &run.results {
        let status = match r.state {
            State::Pass => TestCaseStatus::success(),
            State::Skip | State::NotClaimed => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(r.message.clone());
                s
            }
            State::Erratum => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(format!("erratum: {}", r.message));
                s
            }
            s if s.is_failure() && r.known.is_some() => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(format!(
                    "known divergence: {} ({})",
                    r.known.as_deref().unwrap_or(""),
                    r.message
                ));
                s
            }
            State::Fail | State::Hang | State::Crash | State::OverBudget => {
                let kind = if r.state == State::Fail {
                    NonSuccessKind::Failure
                } else {
                    NonSuccessKind::Error
                };
                let mut s = TestCaseStatus::non_success(kind);
                s.set_message(r.message.clone());
                s.set_type(r.state.as_str());
                s.set_description(format!(
                    "{}\nexpected: {}\ngot: {}\ninput: {}",
                    r.message,
                    serde_json::to_string(&r.expected).unwrap_or_default(),
                    serde_json::to_string(&r.got).unwrap_or_default(),
                    r.input
                ));
                s
            }
        };
        let mut case = TestCase::new(r.id.clone(), status);
        case.set_classname(r.rule.clone());
        suites
            .entry(r.profile.as_str())
            .or_insert_with(|| TestSuite::new(r.profile.clone()))
            .add_test_case(case);
    }
    if let Some(clock) = super::signer_clock(run) {
        for (profile, suite) in suites.iter_mut() {
            if crate::grade::signer::is_signer(profile) {
                suite.add_property(quick_junit::Property::new(
                    "signer_clock",
                    run.clock.as_str(),
                ));
                suite.set_system_out(format!("{clock}\n"));
            }
        }
    }
    report.add_test_suites(suites.into_values());
    report
        .to_string()
        .unwrap_or_else(|e| format!("<!-- could not write JUnit XML: {e} -->"))
}
