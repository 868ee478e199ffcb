//! The `jwtc` binary as a user runs it, from a directory outside the repository: each
//! command's output and exit code, and bad input of each kind giving exit 2 with a
//! message naming it. Tokens come from the suite's own interop vectors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs jwtc in a fresh temporary directory (not the repository).
fn jwtc(args: &[&str]) -> (i32, String, String) {
    let dir = std::env::temp_dir().join(format!("jwtc-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_jwtc"))
        .args(args)
        .current_dir(&dir)
        .output()
        .unwrap();
    (
        status.code().unwrap_or(-1),
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

fn case(file: &str, id: &str) -> Value {
    let text = std::fs::read_to_string(root().join("vectors").join(file)).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
        .clone()
}

fn key(name: &str) -> String {
    root().join("vectors/keys").join(name).display().to_string()
}

#[test]
fn run_passes_on_the_embedded_suite() {
    let (code, out, _) = jwtc(&["run"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1121 cases"), "{out}");
    assert!(out.contains("PASS"), "{out}");
}

#[test]
fn the_readme_adapter_runs_and_its_four_failures_are_named() {
    let script = root().join("docs/adapter_hs256.py").display().to_string();
    let (code, out, _) = jwtc(&["run", "--cmd", &format!("python3 {script}")]);
    assert_eq!(code, 1, "{out}");
    for id in [
        "core/keys/hmac-key-16-bytes",
        "core/keys/hmac-key-empty",
        "core/nbf/nbf-plus-1",
        "core/nbf/nbf-skew60-plus-61",
    ] {
        assert!(out.contains(id), "{id} not in\n{out}");
    }
    assert!(out.contains("4 unexpected failure(s)"), "{out}");
}

#[test]
fn check_explains_a_pendo_event_a_watson_token_and_a_pomerium_header_set() {
    let pendo = case(
        "interop/pyjwt-pendo.json",
        "interop/pyjwt-pendo/seed-snippet",
    );
    let event = pendo["input"]["event"].to_string();
    let pendo_check = |token: &str| {
        jwtc(&[
            "check",
            "--profile",
            "pendo",
            "--mode",
            "allow",
            "--now",
            "1767225600",
            "--secret",
            "pendo-1=8ihlgIFBygkJ+7czjJ7GjcUpw2vwTJi33jHy0ELM",
            token,
        ])
    };
    let (code, out, err) = pendo_check(&event);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("pass  pendo.nonce") && out.contains("verdict: accept"),
        "{out}"
    );
    // The same event from a file: TOKEN may name one.
    let file = std::env::temp_dir().join(format!("jwtc-cli-event-{}.json", std::process::id()));
    std::fs::write(&file, &event).unwrap();
    let (code, from_file, err) = pendo_check(file.to_str().unwrap());
    std::fs::remove_file(&file).unwrap();
    assert_eq!((code, &from_file), (0, &out), "{err}");

    let watson = case(
        "interop/node-watson.json",
        "interop/node-watson/seed-authenticating-users",
    );
    let token = watson["input"]["token"].as_str().unwrap();
    let public = key("rsa-2048-a.pub.pem");
    let (code, out, err) = jwtc(&[
        "check",
        "--profile",
        "watson",
        "--key",
        &public,
        "--now",
        "1767225600",
        token,
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("output:  {\"user_id\":\"L12345\"}"), "{out}");
    // Ten seconds later the same token has expired: exit 1, the deciding values shown.
    let (code, out, _) = jwtc(&[
        "check",
        "--profile",
        "watson",
        "--key",
        &public,
        "--now",
        "1767225610",
        token,
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAIL  watson.exp")
            && out.contains("exp 1767225610 + skew 0 <= now 1767225610"),
        "{out}"
    );

    let pomerium = case(
        "interop/jose-pomerium.json",
        "interop/jose-pomerium/es256-identity",
    );
    let assertion = pomerium["input"]["headers"][0][1].as_str().unwrap();
    let header = format!("X-Pomerium-Jwt-Assertion: {assertion}");
    let pem = key("p256-a.pub.pem");
    let base = [
        "check",
        "--profile",
        "pomerium",
        "--audience",
        "httpbin.corp.example.com",
        "--issuer",
        "pomerium-proxy",
        "--now",
        "1767225600",
        "--format",
        "json",
        "--key",
        &pem,
    ];
    let mut args: Vec<&str> = base.to_vec();
    args.extend([
        "--header",
        &header,
        "--header",
        "X-Pomerium-Claim-Email: admin@corp.example.com",
    ]);
    let (code, out, err) = jwtc(&args);
    assert_eq!(code, 0, "{out}{err}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        doc["output"]["email"], "user-1@corp.example.com",
        "identity from the token only"
    );
    assert!(
        doc["rules"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "pass"),
        "{out}"
    );
    // Another audience: audience_mismatch on pomerium.aud.
    let mut args: Vec<&str> = base.to_vec();
    args[4] = "other.corp.example.com";
    args.push(assertion);
    let (code, out, _) = jwtc(&args);
    assert_eq!(code, 1, "{out}");
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["error"], "audience_mismatch");
    let fail: Vec<&str> = doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "fail")
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert_eq!(fail, ["pomerium.aud"]);
}

#[test]
fn bad_input_is_exit_2_naming_what_and_where() {
    let table: &[(&[&str], &str)] = &[
        (
            &[
                "check",
                "--profile",
                "core",
                "--alg",
                "RS256",
                "--key",
                "nope.pem",
                "x.y.z",
            ],
            "--key \"nope.pem\": no such file",
        ),
        (
            &["check", "--profile", "core", "--alg", "RS256", "x.y.z"],
            "--profile core needs --key",
        ),
        (&["check", "--profile", "core", "x"], "needs --alg"),
        (
            &["check", "--profile", "nosuch", "x"],
            "invalid value 'nosuch' for '--profile <PROFILE>'",
        ),
        (
            &[
                "check",
                "--profile",
                "pendo",
                "--secret",
                "no-equals",
                "eyJ.x.y",
            ],
            "NAME=SECRET",
        ),
        (
            &["check", "--profile", "pomerium", "--audience", "a", "x"],
            "needs --issuer",
        ),
        (
            &["run", "--vectors", "no-such-dir"],
            "--vectors no-such-dir: no such folder",
        ),
        (&["run", "--cmd", " "], "--cmd is empty"),
        (&["run", "--only", "zzz/*"], "no case matches"),
        (
            &["run", "--expected-failures", "missing.json"],
            "--expected-failures missing.json: no such file",
        ),
        (&["explain", "no.such-rule"], "neither a rule id"),
        (&["keys", "--profile", "nosuch"], "no case of that profile"),
        (&["check"], "--profile"),
    ];
    for (args, want) in table {
        let (code, out, err) = jwtc(args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    // A malformed token is not a usage error: the reference rejects it, exit 1.
    let rsa = key("rsa-2048-a.pub.pem");
    let (code, out, _) = jwtc(&[
        "check",
        "--profile",
        "core",
        "--alg",
        "RS256",
        "--key",
        &rsa,
        "--now",
        "0",
        "not-a-token",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("verdict: reject (malformed)"), "{out}");
}

#[test]
fn explain_keys_export_and_completions() {
    let (code, out, _) = jwtc(&["explain", "pomerium.exp"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("pomerium.exp: ")
            && out.contains("  pomerium/exp/expired-61s  [reject; medium]"),
        "{out}"
    );
    let (code, out, _) = jwtc(&["explain", "core/alg/alg-none-with-signature"]);
    assert_eq!(code, 0);
    let file: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(file["cases"][0]["id"], "core/alg/alg-none-with-signature");
    assert!(
        file["cases"][0]["context"]["keys"][0].is_object(),
        "keys inline: {out}"
    );

    let (code, out, _) = jwtc(&["keys", "--profile", "pomerium"]);
    assert_eq!(code, 0);
    let set: Value = serde_json::from_str(&out).unwrap();
    let keys = set["keys"].as_array().unwrap();
    assert!(keys.iter().any(|k| k["kid"] == "p256-a"));
    assert!(keys.iter().all(|k| k.get("d").is_none()), "no private key");
    let (code, out, _) = jwtc(&["keys", "--profile", "pomerium", "--format", "pem"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("# p256-a\n-----BEGIN PUBLIC KEY-----"),
        "{out}"
    );

    let dir = std::env::temp_dir().join(format!("jwtc-export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.display().to_string();
    let (code, out, err) = jwtc(&["vectors", "export", &d]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.ends_with(&format!("files written under {d}\n")),
        "{out}"
    );
    let (code, _, err) = jwtc(&["vectors", "export", &d]);
    assert_eq!(code, 2);
    assert!(err.contains("is not empty"), "{err}");
    let (code, out, _) = jwtc(&["run", "--vectors", &d, "--only", "core/*"]);
    assert_eq!(code, 0, "{out}");
    std::fs::remove_dir_all(&dir).unwrap();

    let (code, out, _) = jwtc(&["completions", "bash"]);
    assert_eq!(code, 0);
    assert!(out.contains("_jwtc()"), "{}", &out[..200.min(out.len())]);
}
