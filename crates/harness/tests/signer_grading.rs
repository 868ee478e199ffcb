//! The signer grader against small, deliberately wrong signers: each breaks one thing,
//! and over every signer case of the suite the cases it fails are exactly those of the
//! rules it breaks (its own rule, and `*.mint-verifies` where the reference verifier
//! rejects what it mints), each failure naming the rule and the deciding values. The
//! reference signer passes them all (reference_suite.rs runs it too).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{json, Map, Value};

use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::grade::{Codes, State};
use jwtc_harness::outcome::{Got, Outcome};
use jwtc_harness::reference;
use jwtc_harness::run::{run_cases, Answer};
use jwtc_vectors::keystore::KeyStore;
use jwtc_vectors::load::{load, LoadedCase};
use jwtc_vectors::mint::{hmac, Mint};
use jwtc_verifier::b64;

fn signer_cases() -> (Vec<LoadedCase>, i64) {
    let root: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../vectors");
    let s = load(&root).unwrap_or_else(|e| panic!("{}", e.join("\n")));
    let cases: Vec<LoadedCase> = s
        .cases
        .into_iter()
        .filter(|c| c.profile.ends_with("-signer"))
        .collect();
    assert!(cases.len() >= 30, "only {} signer cases", cases.len());
    (cases, s.suite.now)
}

fn part(token: &str, i: usize) -> Map<String, Value> {
    let seg = token.split('.').nth(i).unwrap();
    serde_json::from_slice(&b64::decode(seg).unwrap()).unwrap()
}

fn jws(header: &Value, claims: &Value, sign: impl Fn(&[u8]) -> Vec<u8>) -> String {
    let input = format!(
        "{}.{}",
        b64::encode(header.to_string()),
        b64::encode(claims.to_string())
    );
    let sig = sign(input.as_bytes());
    format!("{input}.{}", b64::encode(sig))
}

/// The active key's secret (its text as shown).
fn pendo_secret(context: &Value, name: &str) -> Vec<u8> {
    let key = context["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == name)
        .unwrap();
    b64::decode(key["k"].as_str().unwrap()).unwrap()
}

/// RS256 (or `alg`) with the context's signing key, whatever its size.
fn watson_token(context: &Value, alg: &str, claims: &Value) -> String {
    let store = KeyStore::from_entries([("k".to_owned(), context["signing_key"].clone())]);
    Mint::new(&store).jwt(alg, "k", &json!({"alg": alg, "typ": "JWT"}), claims)
}

/// A wrong signer: what it answers for one step (its index, input, context, the clock).
type Signer = Box<dyn Fn(usize, &Value, &Value, i64) -> Outcome>;

/// The reference's mint, its options or token edited by `edit` (pendo: the options with
/// claims and header to re-sign; watson: header and claims, re-signed RS256 or not).
fn pendo_edit(
    edit: impl Fn(
            usize,
            &mut Map<String, Value>,
            &mut Map<String, Value>,
            &mut Map<String, Value>,
            &Value,
        ) -> Option<Vec<u8>>
        + 'static,
) -> Signer {
    Box::new(move |i, input, context, now| {
        let mut o = reference::session("pendo-signer")
            .unwrap()
            .step(input, context, None, now);
        if o.verdict != Got::Accept {
            return o;
        }
        let mut options = o.output.clone().unwrap().as_object().unwrap().clone();
        let jwt = options["jwt"].as_str().unwrap().to_owned();
        let (mut h, mut c) = (part(&jwt, 0), part(&jwt, 1));
        let name = options["signingKeyName"].as_str().unwrap().to_owned();
        let secret = edit(i, &mut options, &mut h, &mut c, context)
            .unwrap_or_else(|| pendo_secret(context, &name));
        let alg = h["alg"].as_str().unwrap_or("HS256").to_owned();
        options["jwt"] = json!(jws(&json!(h), &json!(c), |m| hmac(&alg, &secret, m)));
        o.output = Some(Value::Object(options));
        o
    })
}

fn watson_edit(edit: impl Fn(&mut Map<String, Value>, &Value) -> &'static str + 'static) -> Signer {
    Box::new(move |_, input, context, now| {
        let mut o = reference::session("watson-signer")
            .unwrap()
            .step(input, context, None, now);
        if o.verdict != Got::Accept {
            return o;
        }
        let token = o.output.as_ref().unwrap()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut c = part(&token, 1);
        let alg = edit(&mut c, input);
        o.output = Some(json!({"token": watson_token(context, alg, &json!(c))}));
        o
    })
}

/// A Watson signer that mints whatever it is given: no key size check, no id check.
fn watson_never_refuses() -> Signer {
    Box::new(|_, input, context, now| {
        let o = reference::session("watson-signer")
            .unwrap()
            .step(input, context, None, now);
        if o.verdict == Got::Accept {
            return o;
        }
        let id = match &input["user_id"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let claims = json!({"iss": context["issuer"], "sub": id, "iat": now, "exp": now + 300});
        Outcome::accept(json!({"token": watson_token(context, "RS256", &claims)}))
    })
}

/// Runs `signer` over the signer cases of profiles starting with `profile`; the rules of
/// the cases it fails, and the messages.
fn failures(signer: &Signer, profile: &str) -> (BTreeSet<String>, Vec<String>) {
    let (mut cases, now) = signer_cases();
    cases.retain(|c| c.profile.starts_with(profile));
    let r = run_cases(
        "t",
        "t",
        now,
        &cases,
        &ExpectedFailures::default(),
        Codes::Column,
        |c| {
            c.steps
                .iter()
                .enumerate()
                .map(|(i, s)| (signer(i, &s.input, &s.context, now), None))
                .collect::<Vec<Answer>>()
        },
    );
    let failed: Vec<_> = r
        .results
        .iter()
        .filter(|x| x.state != State::Pass)
        .collect();
    (
        failed.iter().map(|x| x.rule.clone()).collect(),
        failed
            .iter()
            .map(|x| format!("{}: {}", x.id, x.message))
            .collect(),
    )
}

#[test]
fn each_wrong_signer_fails_the_rules_it_breaks_and_no_other() {
    let table: Vec<(&str, Signer, &[&str], &str)> = vec![
        (
            "pendo: HS512",
            pendo_edit(|_, _, h, _, _| {
                h.insert("alg".into(), json!("HS512"));
                None
            }),
            &["pendo.mint-alg", "pendo.mint-verifies"],
            "pendo.mint-alg: header alg \"HS512\" is not \"HS256\"",
        ),
        (
            "pendo: base64-decoded secret",
            pendo_edit(|_, o, _, _, ctx| {
                let name = o["signingKeyName"].as_str().unwrap().to_owned();
                let text = String::from_utf8(pendo_secret(ctx, &name)).unwrap();
                use base64::Engine;
                Some(
                    base64::engine::general_purpose::STANDARD
                        .decode(text)
                        .unwrap(),
                )
            }),
            &["pendo.mint-key", "pendo.mint-verifies"],
            "keyed with the base64-decoded secret",
        ),
        (
            "pendo: one nonce per case, the same in each of its mints",
            pendo_edit(|i, _, _, c, _| {
                static CASES: AtomicU64 = AtomicU64::new(0);
                if i == 0 {
                    CASES.fetch_add(1, Ordering::SeqCst);
                }
                let n = CASES.load(Ordering::SeqCst);
                c.insert("nonce".into(), json!(format!("case-{n}")));
                None
            }),
            &["pendo.mint-nonce"],
            "\" repeats the mint of step 1",
        ),
        (
            // Issue 17: "no two mints of a run share a nonce". New in every mint of a case,
            // but a counter that starts again in every session.
            "pendo: a nonce counter that restarts in every case",
            pendo_edit(|i, _, _, c, _| {
                c.insert("nonce".into(), json!(format!("n-{i}")));
                None
            }),
            &["pendo.mint-nonce"],
            "nonce \"n-0\" repeats a mint of the earlier case pendo/mint/alg-hs256 of this run",
        ),
        (
            "pendo: visitor.id as a number where the app has an integer",
            pendo_edit(|_, _, _, c, _| {
                if let Some(id) = c.get_mut("visitor").and_then(|v| v.get_mut("id")) {
                    if let Some(n) = id.as_str().and_then(|s| s.parse::<i64>().ok()) {
                        *id = json!(n);
                    }
                }
                None
            }),
            &["pendo.mint-visitor"],
            "visitor.id is 12345, not the string \"12345\"",
        ),
        (
            "pendo: an anonymous visitor signed with visitor.id \"\"",
            pendo_edit(|_, _, _, c, _| {
                let v = c.entry("visitor").or_insert(json!({}));
                if v.get("id").is_none() {
                    v["id"] = json!("");
                }
                None
            }),
            // Pendo's verifier rejects `visitor.id: ""`, a point its rules mark `either`:
            // mint-verifies is `either`, not failed.
            &["pendo.mint-visitor"],
            "an anonymous visitor is signed with visitor.id \"\"; it must have no id",
        ),
        (
            "pendo: metadata beside the jwt",
            pendo_edit(|_, o, _, c, _| {
                if let Some(v) = c.get("visitor") {
                    o.insert("visitor".into(), v.clone());
                }
                None
            }),
            &["pendo.mint-metadata"],
            "the options carry visitor beside the jwt",
        ),
        (
            "pendo: the first key, whatever is active",
            pendo_edit(|_, o, _, _, ctx| {
                let first = ctx["keys"][0]["kid"].as_str().unwrap().to_owned();
                o.insert("signingKeyName".into(), json!(first));
                Some(pendo_secret(ctx, &first))
            }),
            &["pendo.mint-key"],
            "signingKeyName \"pendo-1\" is not the active key's name \"pendo-2\"",
        ),
        (
            "watson: payload in clear",
            watson_edit(|c, input| {
                if let Some(p) = input.get("payload").filter(|p| !p.is_null()) {
                    c.insert("user_payload".into(), json!(p.to_string()));
                }
                "RS256"
            }),
            &["watson.mint-user-payload", "watson.mint-verifies"],
            "critical: user_payload is the payload in clear",
        ),
        (
            "watson: exp a day and an hour away",
            watson_edit(|c, _| {
                let iat = c["iat"].as_i64().unwrap();
                c.insert("exp".into(), json!(iat + 90_000));
                "RS256"
            }),
            &["watson.mint-exp"],
            "watson.mint-exp: lifetime 90000 s > 86400 s",
        ),
        (
            "watson: no iss (the seed's own sample)",
            watson_edit(|c, _| {
                c.remove("iss");
                "RS256"
            }),
            &["watson.mint-iss", "watson.mint-verifies"],
            "no iss claim (the configured issuer is \"www.example.com\")",
        ),
        (
            "watson: RS512",
            watson_edit(|_, _| "RS512"),
            &["watson.mint-alg", "watson.mint-verifies"],
            "header alg \"RS512\" is not \"RS256\"",
        ),
        (
            "watson: never refuses",
            watson_never_refuses(),
            &["watson.mint-alg", "watson.mint-sub"],
            "watson.mint-sub: minted where the right answer is a refusal",
        ),
    ];
    let broken: BTreeSet<&str> = table
        .iter()
        .flat_map(|(_, _, r, _)| r.iter().copied())
        .collect();
    for rule in jwtc_verifier::rules::RULES
        .iter()
        .filter(|r| r.id.contains(".mint-"))
    {
        assert!(
            broken.contains(rule.id),
            "no wrong signer breaks {}",
            rule.id
        );
    }
    let mut problems = Vec::new();
    for (name, signer, rules, needle) in &table {
        let profile = name.split(':').next().unwrap();
        let (failed, messages) = failures(signer, profile);
        let want: BTreeSet<String> = rules.iter().map(|r| r.to_string()).collect();
        if failed != want {
            problems.push(format!(
                "{name}: failed {failed:?}, not {want:?}:\n  {}",
                messages.join("\n  ")
            ));
        }
        // The canonical output is shown as JSON: its quotes come escaped.
        if !messages
            .iter()
            .any(|m| m.replace("\\\"", "\"").contains(needle))
        {
            problems.push(format!(
                "{name}: no message says {needle:?}:\n  {}",
                messages.join("\n  ")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn either_points_pass_and_say_so() {
    // A lifetime of two hours is `either`; a counter nonce too.
    let two_hours = watson_edit(|c, _| {
        let iat = c["iat"].as_i64().unwrap();
        c.insert("exp".into(), json!(iat + 7200));
        "RS256"
    });
    assert_eq!(failures(&two_hours, "watson").0, BTreeSet::new());
    // A timestamp-like counter over the whole run: new in every mint of the run.
    let counter = pendo_edit(|_, _, _, c, _| {
        static MINTS: AtomicU64 = AtomicU64::new(1_767_225_600);
        let n = MINTS.fetch_add(1, Ordering::SeqCst);
        c.insert("nonce".into(), json!(n.to_string()));
        None
    });
    assert_eq!(failures(&counter, "pendo").0, BTreeSet::new());
    let (cases, now) = signer_cases();
    let c = cases
        .iter()
        .find(|c| c.case.id == "pendo/mint/nonce-same-request-thrice")
        .unwrap();
    let answers: Vec<Answer> = c
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| (counter(i, &s.input, &s.context, now), None))
        .collect();
    let graded = jwtc_harness::grade::signer::canonical_signer_answers(c, answers, now);
    let out = graded[2].0.output.as_ref().unwrap();
    assert!(
        out["either"][0]
            .as_str()
            .unwrap()
            .contains("digits grown by 1"),
        "{out}"
    );
}

#[test]
fn refusing_a_valid_request_fails_mint_verifies_by_name() {
    let refuses: Signer = Box::new(|_, _, _, _| Outcome::reject("claim_invalid", "no"));
    let (failed, messages) = failures(&refuses, "");
    assert!(failed.contains("watson.mint-exp") && failed.contains("pendo.mint-alg"));
    assert!(
        messages
            .iter()
            .any(|m| m.contains("watson.mint-verifies: refused a valid request: no")),
        "{messages:?}"
    );
    // Garbage output: every rule fails, nothing panics.
    let garbage: Signer = Box::new(|_, _, _, _| Outcome::accept(json!({"jwt": "x", "token": 7})));
    let (failed, messages) = failures(&garbage, "");
    assert!(failed.len() >= 10, "{failed:?}");
    assert!(
        messages
            .iter()
            .any(|m| m.contains("does not decode: the token has 1 segments")),
        "{messages:?}"
    );
}

/// The reference Watson signer minting at a fixed time whatever `now` it is given.
struct MintsAt(i64);

impl jwtc_harness::session::Session for MintsAt {
    fn step(&mut self, input: &Value, context: &Value, _: Option<&Value>, _: i64) -> Outcome {
        reference::session("watson-signer")
            .unwrap()
            .step(input, context, None, self.0)
    }
}

fn a_day_later() -> i64 {
    1_767_225_600 + 86_400 + 2
}

#[test]
fn in_process_the_clock_is_claimed_too() {
    use jwtc_harness::features::{Claimed, Clock};
    let (mut cases, now) = signer_cases();
    cases.retain(|c| c.case.id == "watson/mint/exp-short");
    let at = |claimed: &Claimed| {
        jwtc_harness::run::run_sessions(
            "t",
            "t",
            now,
            &cases,
            &ExpectedFailures::default(),
            Codes::Column,
            false,
            claimed,
            |_| Ok(Box::new(MintsAt(now + 86_400))),
        )
    };
    // Minted a day after the suite clock: at the suite clock its iat is in the future.
    let suite = at(&Claimed::all());
    assert_eq!(suite.results[0].state, State::Fail);
    assert!(suite.results[0].message.contains("is after now"));
    // The same mints claimed as wall-clock ones, the wall clock read 2 s after: a pass.
    let wall = at(&Claimed::all().with_clock(Clock::Wall, a_day_later));
    assert_eq!(
        wall.results[0].state,
        State::Pass,
        "{}",
        wall.results[0].message
    );
    assert_eq!(wall.clock, Clock::Wall);
}
