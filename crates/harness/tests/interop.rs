//! The interop fixtures of vectors/interop/ (minted by `cargo xtask interop` with node
//! jsonwebtoken + node-rsa and PyJWT) load as ordinary cases and pass the reference; the
//! node-rsa payloads of more than one RSA block decrypt to what the script encrypted.
//! No Node or Python is needed: the fixtures are checked in.

use base64::Engine;
use serde_json::Value;
use std::path::{Path, PathBuf};

use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::reference;
use jwtc_harness::run;
use jwtc_vectors::load::{load, LoadedCase};
use jwtc_vectors::model::Verdict;
use jwtc_verifier::b64;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn interop_cases() -> (Vec<LoadedCase>, i64) {
    let vectors = root().join("vectors");
    let loaded = load(&vectors).unwrap_or_else(|e| panic!("{}", e.join("\n")));
    let dir = vectors.join("interop");
    let cases = loaded
        .cases
        .into_iter()
        .filter(|c| c.file.starts_with(&dir))
        .collect();
    (cases, loaded.suite.now)
}

#[test]
fn every_fixture_passes_the_reference() {
    let (cases, now) = interop_cases();
    for file in ["node-watson.json", "pyjwt-pendo.json"] {
        assert!(
            cases.iter().any(|c| c.file.ends_with(file)),
            "vectors/interop/{file} has no cases (run `cargo xtask interop`)"
        );
    }
    let r = run::run_reference("interop", now, &cases, &ExpectedFailures::default());
    let bad: Vec<String> = r
        .results
        .iter()
        .filter(|c| c.is_unexpected())
        .map(|c| format!("{}: {}", c.id, c.message))
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// The `user_payload` ciphertext inside a fixture's token, as bytes.
fn ciphertext(case: &LoadedCase) -> Option<Vec<u8>> {
    let token = case.steps[0].input["token"].as_str()?;
    let payload = token.split('.').nth(1)?;
    let claims: Value = serde_json::from_slice(&b64::decode(payload).ok()?).ok()?;
    base64::engine::general_purpose::STANDARD
        .decode(claims["user_payload"].as_str()?)
        .ok()
}

#[test]
fn node_rsa_multi_block_payloads_decrypt_to_what_was_encrypted() {
    let (cases, now) = interop_cases();
    let multi: Vec<&LoadedCase> = cases
        .iter()
        .filter(|c| c.file.ends_with("node-watson.json"))
        .filter(|c| ciphertext(c).is_some_and(|ct| ct.len() >= 2 * 256))
        .collect();
    // node-rsa 1.1.1 (the seed's) and 2.0.0 each made one.
    assert!(
        multi.len() >= 2,
        "expected node-rsa fixtures of two or more blocks, found {}",
        multi.len()
    );
    for c in multi {
        let step = &c.steps[0];
        assert_eq!(step.expect.verdict, Verdict::Accept, "{}", c.case.id);
        let want = step
            .expect
            .output
            .as_ref()
            .expect("an accept states its output");
        assert!(
            want["user_payload"].is_object(),
            "{}: the script records the JSON it encrypted",
            c.case.id
        );
        let mut session = reference::session("watson").expect("watson is implemented");
        let got = session.step(&step.input, &step.context, None, now);
        assert_eq!(
            got.output.as_ref(),
            Some(want),
            "{}: {}",
            c.case.id,
            got.detail
        );
        // The plaintext has a character whose UTF-8 bytes node-rsa cut across blocks.
        let text = serde_json::to_string(&want["user_payload"]).unwrap();
        assert!(text.chars().any(|ch| ch.len_utf8() > 1), "{}", c.case.id);
    }
}
