//! Grading a case's answers, step by step, into its [`CaseResult`].

use serde_json::Value;

use jwtc_vectors::load::LoadedCase;
use jwtc_vectors::model::{Expect, Severity, Verdict};

use super::proxy::canonical_answers;
use super::signer::{canonical_signer_answers_in_run, is_signer, pendo::minted_nonces};
use super::{grade, Codes, State};
use crate::expected::ExpectedFailures;
use crate::outcome::{Got, Outcome};

/// The graded result of one case.
#[derive(Clone, Debug)]
pub struct CaseResult {
    /// The case id.
    pub id: String,
    /// Its rule id.
    pub rule: String,
    /// Its profile.
    pub profile: String,
    /// Its severity.
    pub severity: Severity,
    /// What the case expects.
    pub expected: Expect,
    /// What came back.
    pub got: Outcome,
    /// pass, fail, skip, hang, crash, over budget, erratum or not claimed.
    pub state: State,
    /// Error-code agreement, when there was a code to compare.
    pub code_agrees: Option<bool>,
    /// Why it failed or was skipped.
    pub message: String,
    /// Some step expects a reject (or `either`) with no error code stated: that step is
    /// graded on the verdict only (reports show `error: not stated`, [`super::NOT_STATED`]).
    pub verdict_only: bool,
    /// The reason from expected-failures.json, when the case is listed there.
    pub known: Option<String>,
    /// The upstream reference of vectors/errata.json, when the state is erratum.
    pub erratum: Option<String>,
    /// The input, for reports that show a failing case whole.
    pub input: Value,
    /// The context sent.
    pub context: Value,
}

impl CaseResult {
    /// A failure the implementation's expected-failures list does not explain.
    pub fn is_unexpected(&self) -> bool {
        self.state.is_failure() && self.known.is_none()
    }
}

/// What an implementation answered for one step: its outcome, or a state the runner
/// decided (hang, crash, over budget) with the outcome's detail saying what happened.
pub type Answer = (Outcome, Option<State>);

/// What grading remembers from one case of a run to the next: the nonces every signer
/// case minted (case id, nonce), so that a nonce repeated across cases fails
/// `pendo.mint-nonce`.
#[derive(Clone, Debug, Default)]
pub struct RunMemory {
    nonces: Vec<(String, String)>,
}

/// [`grade_case`] as one case of a run: a signer's mints are also compared with what the
/// earlier cases of the run minted (`memory`), which then keeps this case's nonces.
pub fn grade_case_in_run(
    c: &LoadedCase,
    answers: Vec<Answer>,
    codes: Codes,
    known: &ExpectedFailures,
    now: i64,
    memory: &mut RunMemory,
) -> CaseResult {
    if !is_signer(&c.profile) {
        return grade_case(c, answers, codes, known, now);
    }
    let minted = minted_nonces(&answers);
    let answers = canonical_signer_answers_in_run(c, answers, now, &memory.nonces);
    memory
        .nonces
        .extend(minted.into_iter().map(|n| (c.case.id.clone(), n)));
    grade_canonical(c, answers, codes, known)
}

/// Grades a case's answers step by step: the case takes the state of its first step that
/// does not pass (a skip only when nothing failed); a missing answer fails its step.
/// Outputs that cannot be compared byte for byte (a proxy's freshly signed assertion) are
/// first put in canonical form at the suite clock `now`, whatever the implementation.
pub fn grade_case(
    c: &LoadedCase,
    answers: Vec<Answer>,
    codes: Codes,
    known: &ExpectedFailures,
    now: i64,
) -> CaseResult {
    let answers = if is_signer(&c.profile) {
        canonical_signer_answers_in_run(c, answers, now, &[])
    } else {
        canonical_answers(c, answers, now)
    };
    grade_canonical(c, answers, codes, known)
}

/// Grades answers already in canonical form.
fn grade_canonical(
    c: &LoadedCase,
    answers: Vec<Answer>,
    codes: Codes,
    known: &ExpectedFailures,
) -> CaseResult {
    let n = c.steps.len();
    let mut answers = answers.into_iter();
    let mut decided: Option<(usize, State, String, Outcome)> = None;
    let mut skipped: Option<(usize, String, Outcome)> = None;
    let mut code_agrees: Option<bool> = None;
    let verdict_only = c
        .steps
        .iter()
        .any(|s| s.expect.verdict != Verdict::Accept && s.expect.error.is_none());
    let mut last = None;
    let mut all_fetches: Vec<Vec<String>> = Vec::new();
    for (i, step) in c.steps.iter().enumerate() {
        let (got, forced) = answers
            .next()
            .unwrap_or_else(|| (Outcome::error("no answer for this step"), Some(State::Fail)));
        all_fetches.push(got.fetches.clone());
        let g = grade(&step.expect, &got, codes, c.case.network.as_ref());
        if let Some(a) = g.code_agrees {
            code_agrees = Some(code_agrees.unwrap_or(true) && a);
        }
        let (state, message) = match forced {
            Some(s) => (s, got.detail.clone()),
            None => (g.state, g.message),
        };
        let at = |m: String| {
            if n > 1 {
                format!("step {}/{n} ({}): {m}", i + 1, step.description)
            } else {
                m
            }
        };
        match state {
            State::Pass => {}
            State::NotClaimed => {
                decided = Some((i, state, message, got));
                break;
            }
            State::Skip => {
                skipped.get_or_insert((i, at(message), got.clone()));
            }
            _ => {
                decided = Some((i, state, at(message), got));
                break;
            }
        }
        last = Some((i, got));
    }
    if let (None, Some(max)) = (&decided, c.case.max_fetches) {
        let fetched: Vec<&String> = all_fetches.iter().flatten().collect();
        if fetched.len() as u64 > max {
            let (i, got) = last.clone().unwrap_or((0, Outcome::error("no steps")));
            decided = Some((
                i,
                State::Fail,
                format!(
                    "fetched {} time(s) over the case's steps ({}); the case allows at most {max}",
                    fetched.len(),
                    fetched
                        .iter()
                        .map(|u| u.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                got,
            ));
        }
    }
    // A listed upstream label bug: a verdict that differs from the label is no failure.
    let mut erratum = None;
    if let (Some((i, state, message, got)), Some(e)) = (&mut decided, known.errata.find(&c.case.id))
    {
        let expected = c.steps[(*i).min(n.saturating_sub(1))].expect.verdict;
        let opposite = matches!(
            (expected, got.verdict),
            (Verdict::Accept, Got::Reject) | (Verdict::Reject, Got::Accept)
        );
        if *state == State::Fail && opposite {
            *state = State::Erratum;
            *message = format!("{message} (erratum {}: {})", e.upstream, e.reason);
            erratum = Some(e.upstream.clone());
        }
    }
    let (step, state, message, got) = match (decided, skipped) {
        (Some(d), _) => d,
        (None, Some((i, m, got))) => (i, State::Skip, m, got),
        (None, None) => {
            let (i, got) = last.unwrap_or((0, Outcome::error("no steps")));
            (i, State::Pass, String::new(), got)
        }
    };
    let s = &c.steps[step.min(n.saturating_sub(1))];
    CaseResult {
        id: c.case.id.clone(),
        rule: c.case.rule.clone(),
        profile: c.profile.clone(),
        severity: c.case.severity,
        expected: s.expect.clone(),
        got,
        state,
        code_agrees,
        message,
        verdict_only,
        known: known.find(&c.case.id).map(|e| e.reason.clone()),
        erratum,
        input: s.input.clone(),
        context: s.context.clone(),
    }
}
