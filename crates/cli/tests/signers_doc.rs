//! docs/signers.md's two complete signer adapters, run as the doc tells a customer to:
//! their pinned packages installed the way the peers' are (`jwtc_harness::install`: `npm
//! ci` of the committed lock, a venv of `==` pins) under the target directory, then
//! `jwtc run --cmd … --profile <signer>` over the JSON Lines protocol; every signer case
//! must pass. Each file must stay under 40 lines and be included in the doc verbatim.
//! A missing runtime (node, python3) skips its test with the reason printed; a failed
//! install fails it.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{jwtc, root};

/// One adapter of docs/signers/: its file, the runtime it needs, the signer profile.
struct Adapter {
    file: &'static str,
    runtime: &'static str,
    profile: &'static str,
}

const ADAPTERS: [Adapter; 2] = [
    Adapter {
        file: "docs/signers/pendo-signer.mjs",
        runtime: "node",
        profile: "pendo-signer",
    },
    Adapter {
        file: "docs/signers/watson_signer.py",
        runtime: "python3",
        profile: "watson-signer",
    },
];

/// The longest an adapter of the doc may be.
const MAX_LINES: usize = 40;

fn has(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Where the packages go: the target directory's scratch folder for tests.
fn install_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("signers-doc")
        .join(name)
}

/// The `--cmd` of an adapter, its packages installed.
fn command(a: &Adapter) -> Result<String, String> {
    let docs = root().join("docs/signers");
    let file = root().join(a.file);
    match a.runtime {
        "node" => {
            let into = install_dir("pendo");
            jwtc_harness::install::npm(&docs, &into)?;
            Ok(format!("node '{}' '{}'", file.display(), into.display()))
        }
        _ => {
            let venv = install_dir("watson").join("venv");
            jwtc_harness::install::pip(&docs.join("requirements.txt"), &venv)?;
            Ok(format!(
                "'{}' '{}'",
                venv.join("bin/python3").display(),
                file.display()
            ))
        }
    }
}

fn run_signer_cases(a: &Adapter) {
    if !has(a.runtime) {
        // Written to the stream itself, not through eprintln!, which the test harness
        // captures and hides for a passing test: the skip must be seen.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {}: {} is not on PATH (.ci/run installs it)",
            a.file,
            a.runtime
        );
        return;
    }
    let cmd = command(a).unwrap_or_else(|e| panic!("{}: install failed: {e}", a.file));
    let (code, out, err) = jwtc(&["run", "--cmd", &cmd, "--profile", a.profile]);
    assert_eq!(code, 0, "{}: jwtc run failed:\n{out}\n{err}", a.file);
    let cases = |profile: &str| {
        let file = match profile {
            "pendo-signer" => "vectors/pendo/mint.json",
            _ => "vectors/watson/mint.json",
        };
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(root().join(file)).unwrap()).unwrap();
        doc["cases"].as_array().unwrap().len()
    };
    let n = cases(a.profile);
    let row = out
        .lines()
        .find(|l| l.starts_with(a.profile))
        .unwrap_or_else(|| panic!("{}: no {} row in:\n{out}", a.file, a.profile));
    let counts: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        (counts[1], counts[2]),
        (n.to_string().as_str(), n.to_string().as_str()),
        "{}: every one of the {n} signer cases must pass: {row}\n{out}",
        a.file
    );
}

#[test]
fn pendo_signer_adapter_passes_the_signer_cases() {
    run_signer_cases(&ADAPTERS[0]);
}

#[test]
fn watson_signer_adapter_passes_the_signer_cases() {
    run_signer_cases(&ADAPTERS[1]);
}

#[test]
fn adapters_are_short_and_shown_whole_in_the_doc() {
    let doc = std::fs::read_to_string(root().join("docs/signers.md")).unwrap();
    for a in &ADAPTERS {
        let text = std::fs::read_to_string(root().join(a.file)).unwrap();
        let lines = text.lines().count();
        assert!(
            lines < MAX_LINES,
            "{}: {lines} lines; docs/signers.md promises under {MAX_LINES}",
            a.file
        );
        assert!(
            doc.contains(text.trim_end()),
            "docs/signers.md does not include {} as it is (copy the file into the doc)",
            a.file
        );
    }
}
