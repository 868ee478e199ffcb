//! What the reports count as wrongly accepted, on cases of the suite: an accept where the
//! vector says reject, and a verifier's accept with other claims or identity than the
//! vector's (a forged header's email, say); not a signer's mint with another output (a
//! mint rule it broke), a forbidden fetch before a right accept, or a right answer.

use serde_json::{json, Value};

use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::grade::{grade_case, Codes};
use jwtc_harness::outcome::Outcome;
use jwtc_harness::report::wrongly_accepted;
use jwtc_vectors::model::Verdict;

/// How the implementation answers the case: from its expected output (or `null`).
type Answering = fn(Option<&Value>) -> Outcome;

#[test]
fn wrongly_accepted_counts_forged_accepts_and_forged_identities_only() {
    let loaded = jwtc_vectors::load::load(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../vectors"),
    )
    .unwrap();
    let first_reject = loaded
        .cases
        .iter()
        .find(|c| c.profile == "core" && c.steps[0].expect.verdict == Verdict::Reject)
        .unwrap()
        .case
        .id
        .clone();
    let table: [(&str, Answering, bool); 7] = [
        // the identity from a forged header
        (
            "pomerium/identity/unsigned-headers-ignored",
            |want| {
                let mut o = want.cloned().unwrap_or(Value::Null);
                o["email"] = json!("attacker@evil.example");
                Outcome::accept(o)
            },
            true,
        ),
        (
            "pomerium/identity/unsigned-headers-ignored",
            |want| Outcome::accept(want.cloned().unwrap()),
            false,
        ),
        (&first_reject, |_| Outcome::accept(json!({})), true),
        (
            &first_reject,
            |_| Outcome::reject("signature_invalid", "no"),
            false,
        ),
        // a signer's mint breaking pendo.mint-visitor: a rule, not an accept
        (
            "pendo/mint/visitor-numeric-id",
            |_| {
                Outcome::accept(
                    json!({"jwt": "eyJhbGciOiJIUzI1NiJ9.eyJ2aXNpdG9yIjp7ImlkIjoxMjM0NX19.c2ln", "signingKeyName": "pendo-1"}),
                )
            },
            false,
        ),
        // a right accept after a fetch the case forbids
        (
            "pomerium/identity/unsigned-headers-ignored",
            |want| {
                let mut o = Outcome::accept(want.cloned().unwrap());
                o.fetches.push("https://attacker.example/jwks.json".into());
                o
            },
            false,
        ),
        // no answer at all
        (
            "pomerium/identity/unsigned-headers-ignored",
            |_| Outcome::error("crashed"),
            false,
        ),
    ];
    for (id, answer, want) in table {
        let c = loaded.cases.iter().find(|c| c.case.id == id).unwrap();
        let got = answer(c.steps[0].expect.output.as_ref());
        let r = grade_case(
            c,
            vec![(got, None)],
            Codes::Column,
            &ExpectedFailures::default(),
            1_767_225_600,
        );
        assert_eq!(
            wrongly_accepted(&r),
            want,
            "{id}: {:?} {}",
            r.state,
            r.message
        );
    }
}
