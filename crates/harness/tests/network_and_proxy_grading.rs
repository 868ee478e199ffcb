//! Grading that the pomerium and coyo vectors rely on: fetch accounting (URLs outside a
//! case's network map, `max_fetches` over a scenario) and the canonical form of a proxy's
//! output, under which any correct proxy passes and a leaky one fails.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::grade::{Codes, State};
use jwtc_harness::outcome::{Got, Outcome};
use jwtc_harness::reference;
use jwtc_harness::run::{run_cases, Answer};
use jwtc_vectors::load::{load, Loaded, LoadedCase};

fn suite() -> Loaded {
    let root: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../vectors");
    load(&root).unwrap_or_else(|e| panic!("{}", e.join("\n")))
}

fn case(s: &Loaded, id: &str) -> LoadedCase {
    s.cases
        .iter()
        .find(|c| c.case.id == id)
        .unwrap_or_else(|| panic!("no case {id}"))
        .clone()
}

/// The reference's answers to a case, passed through `edit`.
fn reference_answers(c: &LoadedCase, now: i64, edit: impl Fn(usize, &mut Outcome)) -> Vec<Answer> {
    let mut session = reference::session(&c.profile).unwrap();
    c.steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut o = session.step(&s.input, &s.context, c.case.network.as_ref(), now);
            edit(i, &mut o);
            (o, None)
        })
        .collect()
}

fn grade(c: &LoadedCase, now: i64, answers: Vec<Answer>) -> (State, String) {
    let r = run_cases(
        "test",
        "t",
        now,
        std::slice::from_ref(c),
        &ExpectedFailures::default(),
        Codes::Column,
        |_| answers.clone(),
    );
    (r.results[0].state, r.results[0].message.clone())
}

#[test]
fn the_reference_fetches_only_what_a_case_allows_and_never_on_a_refused_jku() {
    let s = suite();
    let mut fetched = 0;
    for c in s
        .cases
        .iter()
        .filter(|c| c.profile == "coyo" || c.profile == "pomerium")
    {
        let mut session = reference::session(&c.profile).unwrap();
        for step in &c.steps {
            let o = session.step(
                &step.input,
                &step.context,
                c.case.network.as_ref(),
                s.suite.now,
            );
            for url in &o.fetches {
                assert!(
                    c.case.network.as_ref().and_then(|n| n.get(url)).is_some(),
                    "{}: fetched {url}",
                    c.case.id
                );
            }
            if o.error.as_deref() == Some("jku_not_allowed") {
                assert!(
                    o.fetches.is_empty(),
                    "{}: fetched on a refused jku",
                    c.case.id
                );
            }
            fetched += o.fetches.len();
        }
    }
    assert!(
        fetched >= 30,
        "the network is hardly exercised: {fetched} fetches"
    );
}

#[test]
fn a_scenario_that_fetches_more_than_max_fetches_fails() {
    let s = suite();
    let c = case(&s, "coyo/fetch-cache/cached-set-reused");
    assert_eq!(c.case.max_fetches, Some(1));
    let (state, _) = grade(
        &c,
        s.suite.now,
        reference_answers(&c, s.suite.now, |_, _| {}),
    );
    assert_eq!(state, State::Pass);
    // An implementation without a cache: fetches on every step.
    let jku = "https://pubkeys.coyocloud.example/jwks.json".to_string();
    let no_cache = reference_answers(&c, s.suite.now, |_, o| o.fetches = vec![jku.clone()]);
    let (state, message) = grade(&c, s.suite.now, no_cache);
    assert_eq!(state, State::Fail);
    assert!(message.contains("allows at most 1"), "{message}");
}

#[test]
fn a_fetch_of_the_attackers_url_fails_even_with_the_right_verdict() {
    let s = suite();
    let c = case(&s, "coyo/jku-allowlist/userinfo-host");
    let leaky = reference_answers(&c, s.suite.now, |_, o| {
        o.fetches = vec!["https://evil.example/jwks.json".into()]
    });
    let (state, message) = grade(&c, s.suite.now, leaky);
    assert_eq!(state, State::Fail);
    assert!(message.contains("does not allow"), "{message}");
}

/// Replaces the proxy output's headers.
fn headers_of(o: &Outcome) -> Vec<Value> {
    o.output.as_ref().unwrap()["headers"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn any_correct_proxy_passes_and_a_leaky_one_fails() {
    let s = suite();
    let now = s.suite.now;
    let c = case(&s, "pomerium/strip/authenticated-user-headers");
    let (state, message) = grade(&c, now, reference_answers(&c, now, |_, _| {}));
    assert_eq!(state, State::Pass, "{message}");

    // Another correct proxy: other header case and order, its own assertion (aud as an
    // array, a 60 s lifetime, no kid), signed with the same key.
    let ctx = &c.steps[0].context;
    let key = jwtc_verifier::pomerium::SigningKey::from_jwk(&ctx["signing_key"]).unwrap();
    let token = {
        use jwtc_verifier::pomerium::{mint_assertion, Identity, ProxyConfig};
        let identity = Identity::from_claims(ctx["identity"].as_object().unwrap()).unwrap();
        let mut key = key.clone();
        key.kid = None;
        mint_assertion(
            &identity,
            &ProxyConfig {
                audience: "httpbin.corp.example.com".into(),
                issuer: "pomerium-proxy".into(),
                signing_key: key,
                lifetime: 60,
            },
            now,
        )
    };
    let other = reference_answers(&c, now, |_, o| {
        let mut h: Vec<Value> = headers_of(o)
            .into_iter()
            .filter(|p| p[0] != "x-pomerium-jwt-assertion")
            .map(|p| json!([p[0].as_str().unwrap().to_uppercase(), p[1]]))
            .collect();
        h.reverse();
        h.insert(0, json!(["X-Pomerium-Jwt-Assertion", token]));
        o.output = Some(json!({ "headers": h }));
    });
    let (state, message) = grade(&c, now, other);
    assert_eq!(state, State::Pass, "{message}");

    // A proxy that forwards the client's unsigned identity header.
    let leaky = reference_answers(&c, now, |_, o| {
        let mut h = headers_of(o);
        h.push(json!(["x-pomerium-authenticated-user-id", "admin"]));
        o.output = Some(json!({ "headers": h }));
    });
    let (state, message) = grade(&c, now, leaky);
    assert_eq!(state, State::Fail);
    assert!(
        message.contains("x-pomerium-authenticated-user-id"),
        "{message}"
    );

    // A proxy that adds its assertion but keeps the client's too.
    let doubled = reference_answers(&c, now, |_, o| {
        let mut h = headers_of(o);
        h.push(json!(["x-pomerium-jwt-assertion", "forged"]));
        o.output = Some(json!({ "headers": h }));
    });
    let (state, message) = grade(&c, now, doubled);
    assert_eq!(state, State::Fail);
    assert!(message.contains("exactly one"), "{message}");

    // A proxy that signs with another key, or mints for another audience.
    for (field, value) in [
        ("signing_key", "p256-b"),
        ("audience", "grafana.corp.example.com"),
    ] {
        let mut ctx2 = ctx.clone();
        ctx2[field] = if field == "signing_key" {
            s.keys.private_jwk(value).unwrap().clone()
        } else {
            json!(value)
        };
        let wrong = reference_answers(&c, now, |_, o| {
            let mut session = reference::session("pomerium-proxy").unwrap();
            *o = session.step(&c.steps[0].input, &ctx2, None, now);
        });
        assert_eq!(wrong[0].0.verdict, Got::Accept);
        let (state, _) = grade(&c, now, wrong);
        assert_eq!(state, State::Fail, "{field}");
    }
}
