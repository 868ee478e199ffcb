//! `cargo xtask` as a person runs it: bad input of any kind is one line on stderr naming
//! the thing and what to do, exit 2; a conformance failure exits 1; a pass exits 0.

use std::path::{Path, PathBuf};
use std::process::Command;

const XTASK: &str = env!("CARGO_BIN_EXE_xtask");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("jwtc-xtask-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs xtask; (exit code, stdout, stderr).
fn xtask(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(XTASK).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A vectors directory with the real suite.json and schema, no keys, and one file.
fn vectors_with(name: &str, file: &str) -> PathBuf {
    let d = scratch(name);
    std::fs::copy(root().join("vectors/suite.json"), d.join("suite.json")).unwrap();
    std::fs::create_dir_all(d.join("schema")).unwrap();
    std::fs::copy(
        root().join("vectors/schema/vectors.schema.json"),
        d.join("schema/vectors.schema.json"),
    )
    .unwrap();
    std::fs::create_dir_all(d.join("keys")).unwrap();
    std::fs::create_dir_all(d.join("core")).unwrap();
    std::fs::write(d.join("core/broken.json"), file).unwrap();
    d
}

/// An implementation that accepts everything, as a shell command.
const ACCEPT_ALL: &str = r#"python3 -c '
import sys, json
for l in sys.stdin:
    m = json.loads(l)
    r = {"type": "hello"} if m["type"] == "hello" else {"type": "result", "id": m["id"], "verdict": "accept", "output": {}}
    print(json.dumps(r), flush=True)
'"#;

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let broken = vectors_with("broken", "{\"schema\": 1,");
    let broken = broken.to_str().unwrap();
    let empty = scratch("empty");
    let empty = empty.to_str().unwrap();
    // (arguments, what the one line must say)
    let table: Vec<(Vec<&str>, &str)> = vec![
        (vec!["conformance", "--impl", "no-such-adapter"], "unknown --impl no-such-adapter: there is no folder adapters/no-such-adapter (adapters here: "),
        (vec!["conformance", "--impl", "../x"], "is not an adapter name"),
        (vec!["conformance", "--cmd", "jwtc-no-such-program", "--only", "core/alg/alg-missing"], "--cmd \"jwtc-no-such-program\" did not start: exited (exit code 127)"),
        (vec!["conformance", "--cmd", "  "], "--cmd is empty"),
        (vec!["conformance", "--vectors", broken], "core/broken.json: not JSON"),
        (vec!["conformance", "--vectors", empty], "no vector files (*.json) in this folder or under it"),
        (vec!["conformance", "--vectors", "/nonexistent/mine"], "--vectors /nonexistent/mine: no such folder"),
        (vec!["conformance", "--only", "nothing/*"], "no case matches --only/--profile"),
        (vec!["conformance", "--only", "[x"], "--only \"[x\" is not a glob"),
        (vec!["conformance", "--baseline", "/nonexistent/old.json"], "cannot read --baseline /nonexistent/old.json"),
        (vec!["conformance", "--expected-failures", "Cargo.toml"], "Cargo.toml: expected value"),
        (vec!["extract", "core/alg/no-such-case"], "no case \"core/alg/no-such-case\" in vectors"),
        (vec!["extract", "core/alg/no-such-case", "--vectors", broken], "do not load"),
    ];
    for (args, says) in table {
        let (code, _, err) = xtask(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.starts_with("xtask: "), "{args:?}: {err}");
        assert!(
            err.contains(says),
            "{args:?}: {err:?} does not say {says:?}"
        );
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "{args:?}: not one line: {err}"
        );
    }
    // clap's own usage errors also exit 2.
    for args in [
        vec!["conformance", "--timeout", "0"],
        vec!["conformance", "--timeout", "soon"],
        vec!["conformance", "--impl", "a", "--cmd", "b"],
        vec!["conformance", "--report", "pdf", "--out", "x"],
    ] {
        let (code, _, err) = xtask(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
    }
}

#[test]
fn a_users_folder_runs_from_the_shells_directory() {
    // Paths are from where the command is typed; a user's folder gets no expected failures
    // but those named for it (the reference's list would only be stale entries here).
    let d = scratch("mine");
    std::fs::create_dir_all(d.join("mine/deeper")).unwrap();
    let case = |id: &str| {
        format!(
            r#"{{"id":"{id}","rule":"core.alg","severity":"high","input":{{"token":"a.b.c"}},
            "context":{{"algorithm":"HS256","keys":[{{"kty":"oct","k":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"}}]}},
            "expect":{{"verdict":"VERDICT"}}}}"#
        )
    };
    let file = format!(
        r#"{{"schema":1,"profile":"core","now":1800000000,"cases":[{},{}]}}"#,
        case("Rejected").replace("VERDICT", "reject"),
        case("Accepted").replace("VERDICT", "accept")
    );
    std::fs::write(d.join("mine/deeper/Mine.json"), file).unwrap();
    std::fs::write(
        d.join("known.json"),
        r#"{"Accepted": "a malformed token is rejected, as it should"}"#,
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(XTASK)
            .args(args)
            .current_dir(&d)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, out, err) = run(&[
        "conformance",
        "--vectors",
        "mine",
        "--report",
        "json",
        "--out",
        "out/r.json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("FAIL Accepted [core.alg]: expected accept, got reject malformed"),
        "{out}"
    );
    assert!(
        !out.contains("stale") && !err.contains("stale"),
        "{out}{err}"
    );
    assert!(err.contains("/mine (version user); clock: now = 1800000000 (2027-01-15T08:00:00Z), from \"now\" in "), "{err}");
    assert!(
        err.starts_with("2 cases from /"),
        "the folder as resolved from the shell's directory: {err}"
    );
    let report = std::fs::read_to_string(d.join("out/r.json")).unwrap();
    assert!(report.contains("\"Rejected\""), "{report}");
    let (code, out, err) = run(&[
        "conformance",
        "--vectors",
        "./mine/",
        "--expected-failures",
        "known.json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn a_conformance_failure_exits_1_and_a_pass_0() {
    let (code, out, err) = xtask(&[
        "conformance",
        "--cmd",
        ACCEPT_ALL,
        "--only",
        "core/alg/*",
        "--timeout",
        "5",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("unexpected failure(s)") && out.contains("FAIL"),
        "{out}"
    );
    let (code, out, err) = xtask(&["conformance", "--only", "core/alg/*"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("PASS"), "{out}");
}

#[test]
fn reports_baselines_and_extract() {
    let d = scratch("reports");
    let json = d.join("run.json");
    let html = d.join("sub/run.html");
    let (code, out, err) = xtask(&[
        "conformance",
        "--only",
        "core/alg/*",
        "--report",
        "json",
        "--out",
        json.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = xtask(&[
        "conformance",
        "--only",
        "core/alg/*",
        "--report",
        "html",
        "--out",
        html.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(std::fs::read_to_string(&html)
        .unwrap()
        .contains("<td>core.alg</td>"));
    // Against itself nothing changes; against an accept-all run the failures are new.
    let (code, out, _) = xtask(&[
        "conformance",
        "--only",
        "core/alg/*",
        "--baseline",
        json.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("0 newly failing, 0 newly passing"), "{out}");
    let (code, out, _) = xtask(&[
        "conformance",
        "--cmd",
        ACCEPT_ALL,
        "--only",
        "core/alg/*",
        "--baseline",
        json.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("Newly failing:\n- `core/alg/"), "{out}");
    // extract prints one case, keys resolved.
    let (code, out, err) = xtask(&["extract", "core/alg/alg-missing"]);
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["cases"][0]["id"], "core/alg/alg-missing");
    assert_eq!(
        (doc["profile"].as_str(), doc["group"].as_str()),
        (Some("core"), Some("alg"))
    );
    assert!(
        doc["cases"][0]["context"]["keys"][0]["kty"].is_string(),
        "{out}"
    );
}
