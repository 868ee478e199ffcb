//! The signer role's plan and answer reading, without a service: which of the suite's
//! signer cases an app with one configuration can be asked (the rest skipped, naming the
//! configuration they need), and what an endpoint's body must be.

use jwtc_probe::http::Response;
use jwtc_probe::signer::{self, App};
use serde_json::{json, Value};

fn suite() -> jwtc_vectors::load::Loaded {
    jwtc_vectors::embedded::load().expect("the embedded suite loads")
}

fn app(profile: &str) -> App {
    App {
        profile: profile.into(),
        context: json!({"the": "app's configuration"}),
    }
}

/// A profile, its cases, how many are sent, and the skipped ids with a piece of each reason.
type Row = (
    &'static str,
    usize,
    usize,
    &'static [(&'static str, &'static str)],
);

#[test]
fn each_signer_profile_sends_the_cases_of_its_usual_configuration_and_names_the_others() {
    let loaded = suite();
    let table: [Row; 2] = [
        (
            "pendo-signer",
            14,
            12,
            &[
                (
                    "pendo/mint/key-second-active",
                    "keys [pendo-1, pendo-2], active pendo-2",
                ),
                (
                    "pendo/mint/key-rotation",
                    "changed between the case's steps",
                ),
            ],
        ),
        (
            "watson-signer",
            20,
            19,
            &[("watson/mint/alg-key-1024-refused", "a 1024-bit signing key")],
        ),
    ];
    for (profile, cases, sent, skipped) in table {
        let app = app(profile);
        let planned = signer::plan(&loaded.cases, &app, "/mint?x=1");
        assert_eq!(planned.len(), cases, "{profile}");
        assert_eq!(
            planned.iter().filter(|p| p.requests.is_ok()).count(),
            sent,
            "{profile}"
        );
        for (id, why) in skipped {
            let p = planned.iter().find(|p| p.case.case.id == *id).expect(id);
            let reason = p.requests.as_ref().expect_err("skipped");
            assert!(reason.contains(why), "{id}: {reason}");
        }
        for p in planned.iter().filter(|p| p.requests.is_ok()) {
            let reqs = p.requests.as_ref().unwrap();
            assert_eq!(reqs.len(), p.case.steps.len(), "{}", p.case.case.id);
            for (req, step) in reqs.iter().zip(&p.case.steps) {
                assert_eq!(
                    (req.method.as_str(), req.target.as_str()),
                    ("POST", "/mint?x=1")
                );
                let body: Value = serde_json::from_slice(req.body.as_ref().unwrap()).unwrap();
                assert_eq!(
                    body, step.input,
                    "{}: the body is the step's request",
                    p.case.case.id
                );
                assert_eq!(
                    step.context, app.context,
                    "graded against the app's configuration"
                );
                assert_eq!(step.expect.error, None, "an HTTP refusal carries no code");
            }
        }
    }
}

#[test]
fn an_endpoints_body_is_read_as_the_profiles_output_or_said_to_be_unusable() {
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJub25jZSI6Im4ifQ.c2ln";
    // (profile, body, the output, or a piece of the error)
    let table: [(&str, String, Result<Value, &str>); 8] = [
        (
            "pendo-signer",
            json!({"jwt": jwt, "signingKeyName": "k"}).to_string(),
            Ok(json!({"jwt": jwt, "signingKeyName": "k"})),
        ),
        (
            "pendo-signer",
            json!({"jwt": 5}).to_string(),
            Err("not the options object"),
        ),
        (
            "pendo-signer",
            jwt.to_owned(),
            Err("not the options object"),
        ),
        (
            "watson-signer",
            json!({"token": jwt, "other": 1}).to_string(),
            Ok(json!({"token": jwt})),
        ),
        (
            "watson-signer",
            format!(" {jwt}\n"),
            Ok(json!({"token": jwt})),
        ),
        (
            "watson-signer",
            json!(jwt).to_string(),
            Ok(json!({"token": jwt})),
        ),
        (
            "watson-signer",
            "<html>signed in</html>".into(),
            Err("neither"),
        ),
        ("watson-signer", "a.b".into(), Err("neither")),
    ];
    for (profile, body, want) in table {
        let resp = Response {
            status: 200,
            headers: vec![],
            body: body.clone().into_bytes(),
        };
        match (signer::output(profile, &resp), want) {
            (Ok(got), Ok(want)) => assert_eq!(got, want, "{profile} {body}"),
            (Err(e), Err(piece)) => assert!(e.contains(piece), "{profile} {body}: {e}"),
            (got, want) => panic!("{profile} {body}: got {got:?}, want {want:?}"),
        }
    }
}
