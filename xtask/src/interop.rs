//! `cargo xtask interop`: install the pinned npm/pip packages under target/interop, run
//! every vectors/interop/scripts/*.mjs (node) and *.py (python3), which write the interop
//! fixtures into vectors/interop/, then run those fixtures through the reference.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, ExitCode};

use jwtc_harness::expected::ExpectedFailures;
use jwtc_harness::{report, run};
use jwtc_vectors::load;

use crate::util::{self, load_suite, Setup};

/// Where the scripts and their pins live, where the fixtures go, and where packages install.
const INTEROP_SCRIPTS: &str = "vectors/interop/scripts";
const INTEROP_OUT: &str = "vectors/interop";
const INTEROP_WORK: &str = "target/interop";

pub(crate) fn interop() -> Result<ExitCode, Setup> {
    let scripts_dir = Path::new(INTEROP_SCRIPTS);
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(scripts_dir)
        .map_err(|e| Setup(format!("{INTEROP_SCRIPTS}: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("mjs" | "py")))
        .collect();
    scripts.sort();
    if scripts.is_empty() {
        return Err(Setup(format!(
            "no *.mjs or *.py script in {INTEROP_SCRIPTS}"
        )));
    }
    let suite = load::read_suite(Path::new("vectors")).map_err(Setup)?;
    let root = std::env::current_dir().map_err(|e| Setup(format!("current directory: {e}")))?;
    let work = root.join(INTEROP_WORK);
    let has = |ext: &str| {
        scripts
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == ext))
    };
    let node_dir = work.join("node");
    if has("mjs") {
        jwtc_harness::install::npm(&root.join(scripts_dir), &node_dir).map_err(Setup)?;
    }
    let python = work.join("venv/bin/python3");
    if has("py") {
        jwtc_harness::install::pip(
            &root.join(scripts_dir).join("requirements.txt"),
            &work.join("venv"),
        )
        .map_err(Setup)?;
    }
    let envs = [
        ("JWTC_NOW", suite.now.to_string()),
        ("JWTC_KEYS", root.join("vectors/keys").display().to_string()),
        ("JWTC_OUT", root.join(INTEROP_OUT).display().to_string()),
    ];
    for script in &scripts {
        let name = script
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let mut cmd = if name.ends_with(".mjs") {
            // ESM resolves packages from the script's own folder: run a copy that sits
            // beside the installed node_modules.
            let copy = node_dir.join(name);
            std::fs::copy(script, &copy).map_err(|e| {
                Setup(format!(
                    "copy {} to {}: {e}",
                    script.display(),
                    copy.display()
                ))
            })?;
            let mut c = Process::new("node");
            c.arg(copy);
            c
        } else {
            let mut c = Process::new(&python);
            c.arg(script);
            c
        };
        cmd.envs(envs.iter().map(|(k, v)| (k, v)));
        util::run(&mut cmd, &format!("interop script {name}"))?;
    }
    // The fixtures must load under the schema and pass the reference.
    let loaded = load_suite(Path::new("vectors"), jwtc_vectors::load::Mode::Own)?;
    let out_dir = root.join(INTEROP_OUT);
    let cases: Vec<_> = loaded
        .cases
        .into_iter()
        .filter(|c| root.join(&c.file).starts_with(&out_dir))
        .collect();
    if cases.is_empty() {
        return Err(Setup(format!(
            "the scripts wrote no fixture into {INTEROP_OUT}"
        )));
    }
    let known = ExpectedFailures::default();
    let run = run::run_reference(&loaded.suite.version, loaded.suite.now, &cases, &known);
    print!("{}", report::table(&run, std::io::stdout().is_terminal()));
    Ok(if run.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
