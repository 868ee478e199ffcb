//! Grading one outcome against a case's expectation: the verdict first (`either`
//! accepts both), the error code in a column of its own (a reject whose vector states no
//! code is graded on the verdict only, and says so), then the outputs of an accept
//! (exactly, or as a subset when the vector says `output_match: subset`).
//! [`grade_case`] grades a case's answers step by step; outputs that cannot be compared
//! byte for byte are first put in canonical form ([`proxy`]; a signer's mint: [`signer`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use jwtc_vectors::model::{Expect, OutputMatch, Verdict};

use crate::outcome::{Got, Outcome};

mod case;
pub mod proxy;
pub mod signer;

pub use case::{grade_case, grade_case_in_run, Answer, CaseResult, RunMemory};

/// A case's result, as x509-limbo names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// The verdict (and, on an accept, the output) agrees.
    Pass,
    /// It does not.
    Fail,
    /// The implementation does not do what the case needs, and said why.
    Skip,
    /// The implementation did not answer in time.
    Hang,
    /// The implementation died or broke the protocol.
    Crash,
    /// A case of vectors/errata.json whose verdict differs from the upstream label: the
    /// label is wrong, the answer is not a failure.
    Erratum,
    /// Not sent: the case needs a feature (or a profile) the implementation does not claim.
    NotClaimed,
    /// The implementation took longer than the per-case time budget: a denial-of-service
    /// finding, counted as a failure (the harness stopped waiting at the budget).
    OverBudget,
}

impl State {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Pass => "pass",
            State::Fail => "fail",
            State::Skip => "skip",
            State::Hang => "hang",
            State::Crash => "crash",
            State::Erratum => "erratum",
            State::NotClaimed => "not_claimed",
            State::OverBudget => "over_budget",
        }
    }

    /// Whether the state is a failure of the implementation: fail, hang, crash or over
    /// budget (an unexpected one unless its expected-failures list names the case).
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            State::Fail | State::Hang | State::Crash | State::OverBudget
        )
    }

    /// The name for people (`not claimed`).
    pub fn label(self) -> &'static str {
        match self {
            State::NotClaimed => "not claimed",
            State::OverBudget => "over budget",
            s => s.as_str(),
        }
    }
}

/// How strictly error codes count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Codes {
    /// Error-code agreement is reported in its own column only (implementations under test).
    Column,
    /// A differing error code fails the case (the reference verifier).
    Required,
}

/// The grade of one outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Grade {
    /// pass, fail or skip (hang, crash and over budget come from the runner).
    pub state: State,
    /// Whether the error code agrees; `None` when there is nothing to compare.
    pub code_agrees: Option<bool>,
    /// Why it failed or was skipped, with expected and got.
    pub message: String,
    /// The vector expects a reject (or `either`) and states no error code: graded on the
    /// verdict only (reports show `error: not stated`).
    pub verdict_only: bool,
}

/// What a report shows for an error code the vector does not state.
pub const NOT_STATED: &str = "not stated";

/// Grades `got` against `expect`. `allowed` is the case's network map: a fetch of any
/// URL not in it fails the step whatever the verdict.
pub fn grade(
    expect: &Expect,
    got: &Outcome,
    codes: Codes,
    allowed: Option<&serde_json::Value>,
) -> Grade {
    let shown = |o: &Outcome| match (&o.error, o.detail.is_empty()) {
        (Some(code), false) => format!("{} {code} ({})", verdict_name(o.verdict), o.detail),
        (Some(code), true) => format!("{} {code}", verdict_name(o.verdict)),
        (None, false) => format!("{} ({})", verdict_name(o.verdict), o.detail),
        (None, true) => verdict_name(o.verdict).to_owned(),
    };
    let expected = match (&expect.verdict, &expect.error) {
        (v, Some(code)) => format!("{} {code}", v.as_str()),
        (v, None) => v.as_str().to_owned(),
    };
    let verdict_only = expect.verdict != Verdict::Accept && expect.error.is_none();
    let fail = |message: String| Grade {
        state: State::Fail,
        code_agrees: None,
        message,
        verdict_only,
    };
    if let Some(url) = got
        .fetches
        .iter()
        .find(|u| allowed.and_then(|n| n.get(u.as_str())).is_none())
    {
        return fail(format!(
            "fetched {url}, which the case does not allow (got {})",
            shown(got)
        ));
    }
    match got.verdict {
        Got::Skip => {
            return Grade {
                state: State::Skip,
                code_agrees: None,
                message: format!("skipped: {}", got.detail),
                verdict_only,
            }
        }
        Got::Error => return fail(format!("could not run: {}", got.detail)),
        Got::Accept | Got::Reject => {}
    }
    let verdict_ok = matches!(
        (expect.verdict, got.verdict),
        (Verdict::Accept, Got::Accept) | (Verdict::Reject, Got::Reject) | (Verdict::Either, _)
    );
    if !verdict_ok {
        return fail(format!("expected {expected}, got {}", shown(got)));
    }
    let code_agrees = match (got.verdict, &expect.error) {
        (Got::Reject, Some(want)) => Some(got.error.as_deref() == Some(want.as_str())),
        _ => None,
    };
    if code_agrees == Some(false) && codes == Codes::Required {
        return Grade {
            state: State::Fail,
            code_agrees,
            message: format!("expected {expected}, got {}", shown(got)),
            verdict_only,
        };
    }
    if got.verdict == Got::Accept {
        if let Some(want) = &expect.output {
            let (agrees, how) = match expect.output_match {
                OutputMatch::Exact => (got.output.as_ref().is_some_and(|g| same_json(g, want)), ""),
                OutputMatch::Subset => (
                    got.output.as_ref().is_some_and(|g| contains_json(g, want)),
                    " (as a subset: every member stated, others allowed)",
                ),
            };
            if !agrees {
                return Grade {
                    state: State::Fail,
                    code_agrees,
                    message: format!(
                        "{OUTPUT_DIFFERS}: expected {want}{how}, got {}",
                        got.output
                            .as_ref()
                            .map_or("nothing".to_string(), |v| v.to_string())
                    ),
                    verdict_only,
                };
            }
        }
    }
    Grade {
        state: State::Pass,
        code_agrees,
        message: String::new(),
        verdict_only,
    }
}

/// How the message of an accept with another output than the vector's begins (the
/// reports count a verifier's such accept as wrongly accepted).
pub const OUTPUT_DIFFERS: &str = "accepted, but the output differs";

fn verdict_name(g: Got) -> &'static str {
    match g {
        Got::Accept => "accept",
        Got::Reject => "reject",
        Got::Skip => "skip",
        Got::Error => "error",
    }
}

/// JSON equality with numbers compared by value: `1767229200.0` and `1767229200` are the
/// same JSON number (RFC 8259 §6 gives no meaning to the spelling), and a JavaScript or
/// Python adapter cannot keep them apart.
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x == y
                || match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                    (Some(i), Some(j), _, _) => i == j,
                    (_, _, Some(i), Some(j)) => i == j,
                    _ => x.as_f64().is_some_and(|f| Some(f) == y.as_f64()),
                }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// Whether `got` holds `want`: every member `want` states is in `got` and holds its value,
/// recursively for objects; anything else (arrays, numbers, text) compares as [`same_json`].
pub fn contains_json(got: &Value, want: &Value) -> bool {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => w
            .iter()
            .all(|(k, v)| g.get(k).is_some_and(|h| contains_json(h, v))),
        _ => same_json(got, want),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn expect(v: Verdict, e: Option<&str>) -> Expect {
        Expect {
            verdict: v,
            error: e.map(str::to_owned),
            output: None,
            output_match: Default::default(),
        }
    }

    #[test]
    fn numbers_compare_by_value() {
        let table = [
            (json!(1767229200), json!(1767229200.0), true),
            (json!({"exp": 1.5e9}), json!({"exp": 1500000000}), true),
            (json!([1, {"a": 2.0}]), json!([1.0, {"a": 2}]), true),
            (json!(1), json!(2.0), false),
            (json!(-1), json!(18446744073709551615u64), false),
            (json!(1), json!("1"), false),
            (json!({"a": 1}), json!({"a": 1, "b": 2}), false),
            (json!([1]), json!([1, 1]), false),
            (json!(0.1), json!(0.1), true),
        ];
        for (a, b, want) in table {
            assert_eq!(same_json(&a, &b), want, "{a} vs {b}");
            assert_eq!(same_json(&b, &a), want, "{b} vs {a}");
        }
    }

    #[test]
    fn subsets_hold_every_stated_member() {
        let table = [
            (json!({"a": 1, "b": 2}), json!({"a": 1.0}), true),
            (
                json!({"a": {"x": 1, "y": 2}, "b": 2}),
                json!({"a": {"y": 2}}),
                true,
            ),
            (
                json!({"a": {"x": 1}}),
                json!({"a": {"x": 1, "y": 2}}),
                false,
            ),
            (json!({"a": [1, 2]}), json!({"a": [1]}), false),
            (json!({"a": null}), json!({"a": null}), true),
            (json!({}), json!({"a": null}), false),
            (json!({"a": 1}), json!({}), true),
            (json!([1]), json!({}), false),
        ];
        for (got, want, holds) in table {
            assert_eq!(contains_json(&got, &want), holds, "{got} holds {want}");
        }
        let mut e = expect(Verdict::Accept, None);
        e.output = Some(json!({"sub": "a"}));
        e.output_match = OutputMatch::Subset;
        let more = Outcome::accept(json!({"sub": "a", "email": "x"}));
        assert_eq!(grade(&e, &more, Codes::Column, None).state, State::Pass);
        let g = grade(
            &e,
            &Outcome::accept(json!({"email": "x"})),
            Codes::Column,
            None,
        );
        assert_eq!(g.state, State::Fail);
        assert!(g.message.contains("(as a subset"), "{}", g.message);
        e.output_match = OutputMatch::Exact;
        assert_eq!(grade(&e, &more, Codes::Column, None).state, State::Fail);
    }

    #[test]
    fn a_reject_without_a_code_is_graded_on_the_verdict_only() {
        let e = expect(Verdict::Reject, None);
        for got in [
            Outcome::reject("expired", "x"),
            Outcome::reject("malformed", "y"),
        ] {
            let g = grade(&e, &got, Codes::Required, None);
            assert_eq!(
                (g.state, g.code_agrees, g.verdict_only),
                (State::Pass, None, true)
            );
        }
        let g = grade(&e, &Outcome::accept(json!({})), Codes::Required, None);
        assert_eq!((g.state, g.verdict_only), (State::Fail, true));
        assert_eq!(g.message, "expected reject, got accept");
        let g = grade(
            &expect(Verdict::Reject, Some("expired")),
            &Outcome::reject("expired", ""),
            Codes::Column,
            None,
        );
        assert!(!g.verdict_only);
        assert!(
            !grade(
                &expect(Verdict::Accept, None),
                &Outcome::accept(json!({})),
                Codes::Column,
                None
            )
            .verdict_only
        );
    }

    #[test]
    fn verdict_then_code_then_output() {
        let rej = Outcome::reject("expired", "x");
        assert_eq!(
            grade(
                &expect(Verdict::Reject, Some("expired")),
                &rej,
                Codes::Required,
                None
            )
            .state,
            State::Pass
        );
        let g = grade(
            &expect(Verdict::Reject, Some("malformed")),
            &rej,
            Codes::Column,
            None,
        );
        assert_eq!((g.state, g.code_agrees), (State::Pass, Some(false)));
        assert_eq!(
            grade(
                &expect(Verdict::Reject, Some("malformed")),
                &rej,
                Codes::Required,
                None
            )
            .state,
            State::Fail
        );
        assert_eq!(
            grade(&expect(Verdict::Accept, None), &rej, Codes::Column, None).state,
            State::Fail
        );
        assert_eq!(
            grade(
                &expect(Verdict::Either, Some("malformed")),
                &Outcome::accept(json!({})),
                Codes::Required,
                None
            )
            .state,
            State::Pass
        );
        let mut e = expect(Verdict::Accept, None);
        e.output = Some(json!({"sub": "a"}));
        assert_eq!(
            grade(
                &e,
                &Outcome::accept(json!({"sub": "b"})),
                Codes::Column,
                None
            )
            .state,
            State::Fail
        );
        assert_eq!(
            grade(
                &e,
                &Outcome::accept(json!({"sub": "a"})),
                Codes::Column,
                None
            )
            .state,
            State::Pass
        );
        assert_eq!(
            grade(&e, &Outcome::error("boom"), Codes::Column, None).state,
            State::Fail
        );
        let mut fetched = Outcome::reject("jku_not_allowed", "x");
        fetched.fetches.push("https://evil.example/jwks".into());
        let e = expect(Verdict::Reject, Some("jku_not_allowed"));
        assert!(grade(&e, &fetched, Codes::Column, None)
            .message
            .contains("does not allow"));
        let allowed = json!({"https://evil.example/jwks": {"status": 200, "body": "{}"}});
        assert_eq!(
            grade(&e, &fetched, Codes::Column, Some(&allowed)).state,
            State::Pass
        );
    }
}
