//! `jwtc check --role signer`: one token (Pendo: the options object) that a customer's own
//! code minted, linted rule by rule with the suite's signer grader
//! (`jwtc_harness::grade::signer`, the judgements `jwtc run` grades signer cases with).
//! [`pendo`] and [`watson`] turn the flags into the grader's mint (request, configuration,
//! output) and describe each pass with its deciding values; what one mint cannot show is
//! said on a line of its own, never passed in silence.

pub mod payload;
pub mod pendo;
pub mod watson;

use serde_json::{json, Value};

use jwtc_harness::grade::signer::{self as grader, Judgement, Judgements, Mint};

use super::{CheckArgs, Format};
use crate::exit::{usage, Failure};

/// How a rule came out on this one mint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// The rule holds.
    Pass,
    /// A point the rule marks `either`: not a failure.
    Either,
    /// The rule is broken.
    Fail,
    /// This one mint cannot show it (the line says what would).
    NotCheckable,
}

impl State {
    fn name(self) -> &'static str {
        match self {
            State::Pass => "pass",
            State::Either => "either",
            State::Fail => "FAIL",
            State::NotCheckable => "?",
        }
    }

    fn json_name(self) -> &'static str {
        match self {
            State::Pass => "pass",
            State::Either => "either",
            State::Fail => "fail",
            State::NotCheckable => "not_checkable",
        }
    }
}

/// One line of the lint: a rule, its state, the deciding values.
#[derive(Clone, Debug)]
pub struct Line {
    /// The rule id.
    pub rule: &'static str,
    /// Its state.
    pub state: State,
    /// The deciding values (a pass's, the grader's failure or `either` text).
    pub text: String,
}

/// What a profile's builder hands the renderer.
pub struct Linted {
    /// The profile's algorithm, for the first line.
    pub alg: &'static str,
    /// The decoded header and claims (when the token decodes), shown above the rules.
    pub header: Option<Value>,
    /// The decoded claims.
    pub claims: Option<Value>,
    /// Extra facts shown above the rules (`user_payload` decrypted, …): label, value.
    pub facts: Vec<(&'static str, Value)>,
    /// The rule lines, in catalogue order.
    pub lines: Vec<Line>,
    /// What this one mint cannot show, each under its rule.
    pub not_checkable: Vec<Line>,
}

/// The grader's judgements of one mint, at `now` (the only mint of its "case": nonces are
/// compared with none).
pub fn judge(
    profile: &str,
    request: &Value,
    context: &Value,
    output: &Value,
    now: i64,
) -> Judgements {
    let mint = Mint {
        step: 0,
        request,
        context,
        output,
    };
    grader::judge(profile, &[mint], now)
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// The line of `rule` from the grader's judgement; `pass` says `passed`.
pub fn line(rule: &'static str, j: Option<&Judgement>, passed: impl FnOnce() -> String) -> Line {
    match j {
        Some(Judgement::Pass) => Line {
            rule,
            state: State::Pass,
            text: passed(),
        },
        Some(Judgement::Either(why)) => Line {
            rule,
            state: State::Either,
            text: why.clone(),
        },
        Some(Judgement::Fail(why)) => Line {
            rule,
            state: State::Fail,
            text: why.clone(),
        },
        None => Line {
            rule,
            state: State::Fail,
            text: "the grader gave no judgement".into(),
        },
    }
}

/// A "not checkable from one mint" line.
pub fn not_checkable(rule: &'static str, text: impl Into<String>) -> Line {
    Line {
        rule,
        state: State::NotCheckable,
        text: text.into(),
    }
}

/// Flags of the verifier role only, or of other profiles, given with `--role signer`
/// (`Err` names them): nothing given is ignored.
fn verifier_flags(args: &CheckArgs) -> Vec<&'static str> {
    let mut given = Vec::new();
    let mut flag = |on: bool, name: &'static str| {
        if on {
            given.push(name);
        }
    };
    flag(args.alg.is_some(), "--alg");
    flag(args.skew.is_some(), "--skew");
    flag(args.audience.is_some(), "--audience");
    flag(!args.header.is_empty(), "--header");
    flag(args.jwks_url.is_some(), "--jwks-url");
    flag(!args.fetch.is_empty(), "--fetch");
    flag(args.issuer_pattern.is_some(), "--issuer-pattern");
    flag(!args.builtin.is_empty(), "--builtin");
    flag(!args.jku_allow.is_empty(), "--jku-allow");
    flag(args.mode != "only_signed", "--mode");
    given
}

/// `Err` when a signer-role flag is given to the verifier role (it would be ignored).
pub fn no_signer_flags(args: &CheckArgs) -> Result<(), Failure> {
    let given: Vec<&str> = [
        (args.request.is_some(), "--request"),
        (args.payload.is_some(), "--payload"),
        (args.ibm_key.is_some(), "--ibm-key"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect();
    if given.is_empty() {
        Ok(())
    } else {
        usage(format!(
            "{} belong(s) to --role signer (a token your code minted); the verifier role does not take it",
            given.join(", ")
        ))
    }
}

/// A JSON flag: the text itself, or a file holding it; the error names the flag.
pub fn json_arg(flag: &str, value: &str) -> Result<Value, String> {
    match serde_json::from_str::<Value>(value) {
        Ok(v) => Ok(v),
        Err(e) => {
            let path = std::path::Path::new(value);
            if !path.is_file() {
                return Err(format!(
                    "{flag} {value:?}: not JSON ({e}), and no such file"
                ));
            }
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("{flag} {value}: cannot read the file: {e}"))?;
            serde_json::from_str(&text).map_err(|e| format!("{flag} {value}: not JSON: {e}"))
        }
    }
}

/// Runs `jwtc check --role signer` on `token` at `now`: the text (or JSON) and the exit
/// code (0 every rule passes or is `either`, 1 a rule fails).
pub fn check(args: &CheckArgs, token: &str, now: i64) -> Result<(String, u8), Failure> {
    let wrong = verifier_flags(args);
    if !wrong.is_empty() {
        return usage(format!(
            "{} belong(s) to the verifier role; --role signer does not take it",
            wrong.join(", ")
        ));
    }
    let linted = match args.profile.as_str() {
        "pendo" => pendo::lint(args, token.trim(), now)?,
        "watson" => watson::lint(args, token.trim(), now)?,
        other => {
            return usage(format!(
                "--role signer --profile {other}: the signer role is pendo's and watson's (the integrations whose customers mint the tokens)"
            ))
        }
    };
    let failed = linted.lines.iter().any(|l| l.state == State::Fail);
    let text = match args.format {
        Format::Text => render_text(args, now, &linted, failed),
        Format::Json => render_json(args, now, &linted, failed),
    };
    Ok((text, u8::from(failed)))
}

fn clock(args: &CheckArgs) -> &'static str {
    if args.now.is_some() {
        "--now"
    } else {
        "this machine's clock; --now SECS sets another"
    }
}

fn rows(lines: &[Line], width: usize) -> String {
    let mut out = String::new();
    for l in lines {
        out.push_str(&format!(
            "  {:<6}  {:<width$}  {}\n",
            l.state.name(),
            l.rule,
            l.text
        ));
    }
    out
}

fn render_text(args: &CheckArgs, now: i64, l: &Linted, failed: bool) -> String {
    let mut out = format!(
        "profile {} (role signer, alg {}), now {now} ({})\n",
        args.profile,
        l.alg,
        clock(args)
    );
    if let Some(h) = &l.header {
        out.push_str(&format!("header  {h}\n"));
    }
    if let Some(c) = &l.claims {
        out.push_str(&format!("claims  {c}\n"));
    }
    for (label, v) in &l.facts {
        out.push_str(&format!("{label}  {v}\n"));
    }
    let width = l
        .lines
        .iter()
        .chain(&l.not_checkable)
        .map(|x| x.rule.len())
        .max()
        .unwrap_or(0);
    out.push_str("\nrules\n");
    out.push_str(&rows(&l.lines, width));
    if !l.not_checkable.is_empty() {
        out.push_str("not checkable from this one mint\n");
        out.push_str(&rows(&l.not_checkable, width));
    }
    let count = |s: State| l.lines.iter().filter(|x| x.state == s).count();
    out.push_str(&format!(
        "\nresult: {} ({} pass, {} either, {} fail; {} point(s) not checkable from one mint)\n",
        if failed { "fail" } else { "pass" },
        count(State::Pass),
        count(State::Either),
        count(State::Fail),
        count(State::NotCheckable) + l.not_checkable.len()
    ));
    out
}

fn lines_json(lines: &[Line]) -> Value {
    Value::Array(
        lines
            .iter()
            .map(|l| json!({"rule": l.rule, "result": l.state.json_name(), "detail": l.text}))
            .collect(),
    )
}

fn render_json(args: &CheckArgs, now: i64, l: &Linted, failed: bool) -> String {
    let mut doc = json!({
        "profile": args.profile,
        "role": "signer",
        "now": now,
        "clock": if args.now.is_some() { "given" } else { "wall" },
        "header": l.header,
        "claims": l.claims,
        "rules": lines_json(&l.lines),
        "not_checkable": lines_json(&l.not_checkable),
        "result": if failed { "fail" } else { "pass" },
    });
    for (label, v) in &l.facts {
        doc[label.replace(' ', "_")] = v.clone();
    }
    serde_json::to_string_pretty(&doc).expect("a JSON value prints") + "\n"
}
