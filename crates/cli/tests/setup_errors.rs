//! Every setup error of the `jwtc` command as the user sees it, with its exit code,
//! pinned by snapshots (tests/snapshots/setup_errors__*.snap, one test each): a bad flag,
//! a vector file failing its schema at a named field, an unknown `--impl`, and the other
//! bad inputs that give exit 2 with one line naming what and where.

mod common;

use common::{key, settings, transcript};

/// A test named after the error, whose snapshot is named after the test; every one exits 2.
macro_rules! setup_error {
    ($($name:ident: $args:expr;)*) => {$(
        #[test]
        fn $name() {
            let args: Vec<String> = $args;
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let text = transcript(&args);
            assert!(text.contains("exit: 2\n"), "{text}");
            assert!(!text.contains("panicked"), "{text}");
            settings().bind(|| insta::assert_snapshot!(text));
        }
    )*};
}

/// A token of the right shape (header {"alg":"RS256"}, payload {"sub":"a"}), not signed.
const RS_SHAPED: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.AAAA";

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| (*s).to_owned()).collect()
}

/// A folder holding one vector file whose case has `"severity": "severe"`, which the
/// schema refuses: the error names the file, the case and the field. It lives outside
/// the working directory (`common::workdir`), whose folders `run_unknown_impl` lists: tests run in parallel.
fn bad_vectors() -> String {
    let dir = std::env::temp_dir()
        .join(format!("jwtc-cli-fixtures-{}", std::process::id()))
        .join("bad-vectors");
    std::fs::create_dir_all(&dir).unwrap();
    let file = r#"{
  "schema": 1,
  "profile": "core",
  "now": 1767225600,
  "cases": [
    {
      "id": "Tampered-Signature",
      "rule": "core.alg",
      "severity": "severe",
      "input": {"token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.AAAA"},
      "context": {"algorithm": "HS256", "keys": [{"kty": "oct", "k": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"}], "skew": 0},
      "expect": {"verdict": "reject"}
    }
  ]
}
"#;
    std::fs::write(dir.join("tokens.json"), file).unwrap();
    dir.display().to_string()
}

setup_error! {
    unknown_flag: args(&["run", "--frobnicate"]);
    unknown_command: args(&["frobnicate"]);
    check_without_profile: args(&["check"]);
    check_unknown_profile: args(&["check", "--profile", "nosuch", "x.y.z"]);
    check_core_without_alg: args(&["check", "--profile", "core", "x.y.z"]);
    check_core_without_key: args(&["check", "--profile", "core", "--alg", "RS256", "x.y.z"]);
    check_key_file_missing: args(&["check", "--profile", "core", "--alg", "RS256", "--key", "nope.pem", "x.y.z"]);
    check_vendor_alg_fixed: vec!["check".into(), "--profile".into(), "watson".into(), "--alg".into(), "HS256".into(), "--key".into(), key("rsa-2048-a.pub.pem"), "x.y.z".into()];
    check_pendo_secret_without_name: args(&["check", "--profile", "pendo", "--secret", "no-equals", "eyJ.x.y"]);
    check_pomerium_without_issuer: args(&["check", "--profile", "pomerium", "--audience", "a", "x"]);
    check_bad_mode: args(&["check", "--profile", "pendo", "--mode", "sometimes", "x"]);
    run_vectors_folder_missing: args(&["run", "--vectors", "no-such-dir"]);
    run_vector_file_fails_its_schema: vec!["run".into(), "--vectors".into(), bad_vectors()];
    run_unknown_impl: args(&["run", "--impl", "no-such-adapter"]);
    run_empty_cmd: args(&["run", "--cmd", " "]);
    run_only_matches_nothing: args(&["run", "--only", "zzz/*"]);
    run_expected_failures_missing: args(&["run", "--expected-failures", "missing.json"]);
    run_impl_and_cmd: args(&["run", "--impl", "a", "--cmd", "b"]);
    explain_unknown_rule: args(&["explain", "no.such-rule"]);
    keys_unknown_profile: args(&["keys", "--profile", "nosuch"]);
    probe_url_off_this_machine: args(&["probe", "--profile", "pomerium", "--url", "http://10.1.2.3:8080/"]);
    probe_https_url: args(&["probe", "--profile", "pomerium", "--url", "https://127.0.0.1:8443/"]);
    probe_unknown_profile: args(&["probe", "--profile", "pendo", "--url", "http://127.0.0.1:3000/"]);
    probe_bad_token_in: args(&["probe", "--profile", "coyo", "--url", "http://127.0.0.1:3000/", "--token-in", "cookie:x"]);
    probe_bad_identity_pointer: args(&["probe", "--profile", "pomerium", "--url", "http://127.0.0.1:3000/", "--identity-json", "email=email"]);
    probe_bad_status_list: args(&["probe", "--profile", "pomerium", "--url", "http://127.0.0.1:3000/", "--reject-status", "401,nope"]);
    probe_signer_unknown_profile: args(&["probe", "--role", "signer", "--profile", "pomerium", "--url", "http://127.0.0.1:3000/"]);
    probe_signer_pendo_without_secret: args(&["probe", "--role", "signer", "--profile", "pendo", "--url", "http://127.0.0.1:3000/"]);
    probe_signer_pendo_which_key_is_active: args(&["probe", "--role", "signer", "--profile", "pendo", "--url", "http://127.0.0.1:3000/", "--secret", "pendo-1=a", "--secret", "pendo-2=b"]);
    probe_signer_watson_without_issuer: vec!["probe".into(), "--role".into(), "signer".into(), "--profile".into(), "watson".into(), "--url".into(), "http://127.0.0.1:3000/".into(), "--key".into(), key("rsa-2048-a.pub.pem")];
    probe_signer_flag_for_the_verifier_role: args(&["probe", "--profile", "pomerium", "--url", "http://127.0.0.1:3000/", "--secret", "pendo-1=a"]);
    probe_signer_verifier_flag: args(&["probe", "--role", "signer", "--profile", "pendo", "--url", "http://127.0.0.1:3000/", "--token-in", "bearer", "--secret", "pendo-1=a"]);
    attack_not_a_jwt: args(&["attack", "abc.def"]);
    attack_wrong_key_type: vec!["attack".into(), "--key".into(), key("p256-a.pub.pem"), RS_SHAPED.into()];
    attack_without_key: args(&["attack", RS_SHAPED]);
    attack_unknown_profile: vec!["attack".into(), "--profile".into(), "okta".into(), "--key".into(), key("rsa-2048-a.pub.pem"), RS_SHAPED.into()];
    attack_report_without_url: vec!["attack".into(), "--key".into(), key("rsa-2048-a.pub.pem"), "--report".into(), "json".into(), "--report-out".into(), "r.json".into(), RS_SHAPED.into()];
    attack_url_off_this_machine: vec!["attack".into(), "--profile".into(), "pomerium".into(), "--url".into(), "http://10.1.2.3:8080/".into(), RS_SHAPED.into()];
    keys_serve_bad_hostile_mode: args(&["keys", "serve", "--hostile", "sideways", "--for", "0.1"]);
}
