//! The adapter folder loader's tests: folders that load, and broken adapter.json files
//! whose errors must name the file, the member and what to do.

use super::*;

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("jwtc-adapter-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn adapter_folders_load_or_say_what_to_do() {
    let root = scratch("load");
    // (folder, adapter.json or None for no file, Ok(program) or Err(text in the message))
    let bin = target_dir(root.parent().unwrap())
        .join("debug/x")
        .display()
        .to_string();
    let table: [(&str, Option<&str>, Result<&str, &str>); 13] = [
        (
            "target",
            Some(r#"{"cmd": ["{target_dir}/debug/x"]}"#),
            Ok(&bin),
        ),
        ("ok", Some(r#"{"cmd": ["python3", "a.py"]}"#), Ok("python3")),
        (
            "rel",
            Some(r#"{"$comment": "x", "cmd": ["./run.sh"], "codes": "required"}"#),
            Ok("rel/./run.sh"),
        ),
        ("nofile", None, Err("has no start command: add")),
        (
            "nocmd",
            Some(r#"{"build": ["make"]}"#),
            Err("has no start command"),
        ),
        (
            "emptycmd",
            Some(r#"{"cmd": []}"#),
            Err("\"cmd\" must be a non-empty array"),
        ),
        (
            "strcmd",
            Some(r#"{"cmd": "python3 a.py"}"#),
            Err("\"cmd\" must be a non-empty array"),
        ),
        (
            "emptyprog",
            Some(r#"{"cmd": [""]}"#),
            Err("\"cmd\" must be a non-empty array"),
        ),
        ("badjson", Some("{cmd"), Err("is not JSON")),
        ("array", Some("[]"), Err("is not a JSON object")),
        (
            "unknown",
            Some(r#"{"cmd": ["x"], "command": ["x"]}"#),
            Err("unknown member \"command\""),
        ),
        (
            "codes",
            Some(r#"{"cmd": ["x"], "codes": "strict"}"#),
            Err("\"codes\" must be"),
        ),
        (
            "cwd",
            Some(r#"{"cmd": ["x"], "cwd": "nowhere"}"#),
            Err("which is not a folder"),
        ),
    ];
    for (name, file, _) in &table {
        std::fs::create_dir_all(root.join(name)).unwrap();
        if let Some(text) = file {
            std::fs::write(root.join(name).join("adapter.json"), text).unwrap();
        }
    }
    for (name, _, want) in table {
        match (Adapter::load(&root, name), want) {
            (Ok(a), Ok(program)) => {
                assert!(
                    a.launch.program.ends_with(program),
                    "{name}: {:?}",
                    a.launch
                );
                assert_eq!(a.launch.cwd.as_deref(), Some(root.join(name).as_path()));
            }
            (Err(e), Err(text)) => {
                assert!(e.contains(text), "{name}: {e}");
                assert!(!e.contains('\n'), "{name}: one line: {e}");
            }
            (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
        }
    }
    let codes = Adapter::load(&root, "rel").unwrap().codes;
    assert_eq!(codes, Codes::Required);
    for bad in ["", "../x", "a/b", ".hidden", "a b"] {
        let e = Adapter::load(&root, bad).unwrap_err();
        assert!(e.contains("is not an adapter name"), "{bad}: {e}");
    }
    let e = Adapter::load(&root, "missing").unwrap_err();
    assert!(
        e.starts_with("unknown --impl missing") && e.contains("array, badjson"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn variants_requires_and_install_load_or_say_what_to_do() {
    let root = scratch("variants");
    let peers = target_dir(root.parent().unwrap()).join("peers");
    let write = |name: &str, text: &str| {
        std::fs::create_dir_all(root.join(name)).unwrap();
        std::fs::write(root.join(name).join("adapter.json"), text).unwrap();
    };
    write(
        "two",
        r#"{"requires": ["sh"], "cmd": ["{install_dir}/bin/a"],
            "variants": {"fast": {"cmd": ["{install_dir}/bin/b", "{target_dir}"], "requires": ["jwtc-no-such-program"],
                                  "expected_failures": "expected-failures.fast.json"},
                         "plain": {}}}"#,
    );
    std::fs::write(root.join("two/package.json"), "{}").unwrap();
    std::fs::write(root.join("two/requirements.txt"), "x==1\n").unwrap();
    let base = Adapter::load(&root, "two").unwrap();
    assert_eq!(base.name, "two");
    assert_eq!(
        base.launch.program,
        peers.join("two/bin/a").display().to_string()
    );
    assert_eq!(
        base.expected_failures,
        root.join("two/expected-failures.json")
    );
    assert_eq!(base.missing_requirement(), None);
    let fast = Adapter::load(&root, "two:fast").unwrap();
    assert_eq!(fast.name, "two:fast");
    assert_eq!(fast.install_dir, peers.join("two-fast"));
    assert_eq!(
        fast.launch.program,
        peers.join("two-fast/bin/b").display().to_string()
    );
    assert_eq!(
        fast.launch.args,
        [peers.parent().unwrap().display().to_string()]
    );
    assert_eq!(
        fast.expected_failures,
        root.join("two/expected-failures.fast.json")
    );
    assert_eq!(
        fast.missing_requirement().as_deref(),
        Some("needs `jwtc-no-such-program`, which is not on PATH")
    );
    let e = fast.prepare().unwrap_err();
    assert!(
        e.starts_with("adapters/two:fast needs `jwtc-no-such-program`"),
        "{e}"
    );
    assert_eq!(Adapter::load(&root, "two:plain").unwrap().launch, {
        let mut l = base.launch.clone();
        l.program = peers.join("two-plain/bin/a").display().to_string();
        l.shown = l
            .shown
            .replace("--impl two (", "--impl two:plain (")
            .replace("/two/bin", "/two-plain/bin");
        l
    });
    // (folder, adapter.json, text in the error of loading "<folder>:v" or "<folder>")
    let table: [(&str, &str, &str, &str); 9] = [
        (
            "nov",
            r#"{"cmd": ["x"]}"#,
            "nov:v",
            "has no variant \"v\" (its variants: none)",
        ),
        (
            "badv",
            r#"{"cmd": ["x"], "variants": []}"#,
            "badv",
            "\"variants\" must be an object",
        ),
        (
            "vmember",
            r#"{"cmd": ["x"], "variants": {"v": {"codes": "required"}}}"#,
            "vmember",
            "variant \"v\" has unknown member \"codes\"",
        ),
        (
            "vname",
            r#"{"cmd": ["x"], "variants": {"a b": {}}}"#,
            "vname",
            "variant \"a b\" is not a plain name",
        ),
        (
            "req",
            r#"{"cmd": ["x"], "requires": "node"}"#,
            "req",
            "\"requires\" must be an array of program names",
        ),
        (
            "inst",
            r#"{"cmd": ["x"], "install": {"cargo": "."}}"#,
            "inst",
            "\"install\" must be {\"npm\": FOLDER}",
        ),
        (
            "instmiss",
            r#"{"cmd": ["x"], "install": {"pip": "requirements.txt"}}"#,
            "instmiss",
            "requirements.txt, which does not exist",
        ),
        (
            "npmmiss",
            r#"{"cmd": ["x"], "install": {"npm": "."}}"#,
            "npmmiss",
            "package.json, which does not exist",
        ),
        (
            "ef",
            r#"{"cmd": ["x"], "variants": {"v": {"expected_failures": "../x.json"}}}"#,
            "ef:v",
            "\"expected_failures\" must be a file name",
        ),
    ];
    for (name, text, spec, want) in table {
        write(name, text);
        let e = Adapter::load(&root, spec).unwrap_err();
        assert!(e.contains(want), "{spec}: {e}");
        assert!(!e.contains('\n'), "{spec}: one line: {e}");
    }
    for bad in ["two:", ":x", "two:a:b", "two:a b"] {
        let e = Adapter::load(&root, bad).unwrap_err();
        assert!(e.contains("is not an adapter name"), "{bad}: {e}");
    }
    let rows = Adapter::rows(&root);
    assert!(
        rows.starts_with(&["badv".into(), "ef".into(), "ef:v".into(), "inst".into()]),
        "{rows:?}"
    );
    assert!(
        rows.ends_with(&[
            "two".into(),
            "two:fast".into(),
            "two:plain".into(),
            "vmember".into(),
            "vmember:v".into(),
            "vname".into(),
            "vname:a b".into()
        ]),
        "{rows:?}"
    );
    write(
        "hist",
        r#"{"cmd": ["x"], "variants": {"1.0": {"history": {"fixed_by": "hist", "advisories": [
            {"id": "CVE-1", "title": "t", "cases": ["core/alg/alg-none"]}]}}}}"#,
    );
    assert_eq!(Adapter::load(&root, "hist").unwrap().history, None);
    let h = Adapter::load(&root, "hist:1.0").unwrap().history.unwrap();
    assert_eq!(
        (h.fixed_by.as_str(), h.advisories[0].cases.len()),
        ("hist", 1)
    );
    for (text, want) in [
        (
            r#"{"fixed_by": "hist", "advisories": [{"id": "x", "title": "t", "cases": []}]}"#,
            "names no case",
        ),
        (
            r#"{"fixed_by": "hist", "advisories": [], "extra": 1}"#,
            "\"history\" is not",
        ),
        (r#"{"advisories": []}"#, "missing field `fixed_by`"),
    ] {
        write(
            "hist",
            &format!(r#"{{"cmd": ["x"], "variants": {{"1.0": {{"history": {text}}}}}}}"#),
        );
        let e = Adapter::load(&root, "hist:1.0").unwrap_err();
        assert!(e.contains(want), "{text}: {e}");
    }
    let pip = {
        write(
            "pip",
            r#"{"cmd": ["{install_dir}/venv/bin/python3"], "install": {"pip": "r.txt"}}"#,
        );
        std::fs::write(root.join("pip/r.txt"), "x==1\n").unwrap();
        Adapter::load(&root, "pip").unwrap()
    };
    assert_eq!(pip.install, Some(Install::Pip(root.join("pip/r.txt"))));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_failing_build_is_named() {
    let root = scratch("build");
    // (folder, build command, Ok or the text of the error)
    let table: [(&str, &str, Result<(), &str>); 3] = [
        ("fine", r#"["sh", "-c", "exit 0"]"#, Ok(())),
        (
            "broken",
            r#"["sh", "-c", "exit 3"]"#,
            Err("the build of adapters/broken failed (exit status: 3)"),
        ),
        (
            "missing",
            r#"["jwtc-no-such-build-tool"]"#,
            Err("cannot run the build of adapters/missing"),
        ),
    ];
    for (name, build, want) in table {
        std::fs::create_dir_all(root.join(name)).unwrap();
        std::fs::write(
            root.join(name).join("adapter.json"),
            format!(r#"{{"cmd": ["x"], "build": {build}}}"#),
        )
        .unwrap();
        let got = Adapter::load(&root, name).unwrap().build();
        match (got, want) {
            (Ok(()), Ok(())) => {}
            (Err(e), Err(text)) => assert!(e.contains(text), "{name}: {e}"),
            (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
        }
    }
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn serde_errors_are_put_in_words_naming_the_file_the_member_and_what_was_wrong() {
    let root = scratch("words");
    // (folder, adapter.json, row loaded, the whole message after "<folder>/adapter.json")
    let table: [(&str, &str, &str, &str); 8] = [
        (
            "top",
            r#"{"cmd": ["x"], "command": ["x"]}"#,
            "top",
            ": unknown member \"command\" (the members are cmd, build, cwd, codes, requires, install, variants)",
        ),
        (
            "var",
            r#"{"cmd": ["x"], "variants": {"v": {"codes": "required"}}}"#,
            "var:v",
            ": variant \"v\" has unknown member \"codes\" (a variant's members are cmd, build, install, requires, expected_failures, history)",
        ),
        (
            "cwd",
            r#"{"cmd": ["x"], "cwd": 5}"#,
            "cwd",
            ": \"cwd\" must be a string, a folder relative to {dir}",
        ),
        (
            "vcmd",
            r#"{"cmd": ["x"], "variants": {"v": {"cmd": "y"}}}"#,
            "vcmd:v",
            ": variant \"v\": \"cmd\" must be a non-empty array of strings: the program, then its arguments",
        ),
        (
            "vinst",
            r#"{"cmd": ["x"], "variants": {"v": {"install": {"npm": ".", "pip": "r.txt"}}}}"#,
            "vinst:v",
            ": variant \"v\": \"install\" must be {\"npm\": FOLDER} (package.json + package-lock.json) or {\"pip\": REQUIREMENTS_FILE}, relative to {dir}",
        ),
        (
            "vef",
            r#"{"cmd": ["x"], "variants": {"v": {"expected_failures": 1}}}"#,
            "vef:v",
            ": variant \"v\": \"expected_failures\" must be a file name in {dir}",
        ),
        (
            "vhist",
            r#"{"cmd": ["x"], "variants": {"v": {"history": {"fixed_by": "x", "extra": 1}}}}"#,
            "vhist:v",
            ": variant \"v\": \"history\" is not {\"fixed_by\": ROW, \"advisories\": [{\"id\", \"title\", \"url\"?, \"cases\": [CASE_ID]}]}: unknown field `extra`, expected `fixed_by` or `advisories`",
        ),
        (
            "req",
            r#"{"cmd": ["x"], "requires": ["node", "a b"]}"#,
            "req",
            ": \"requires\" must be an array of program names, e.g. [\"node\", \"npm\"]",
        ),
    ];
    for (name, text, row, want) in table {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("adapter.json"), text).unwrap();
        let want = format!(
            "{}{}",
            dir.join("adapter.json").display(),
            want.replace("{dir}", &dir.display().to_string())
        );
        assert_eq!(Adapter::load(&root, row).unwrap_err(), want, "{row}");
    }
    // `$` members are comments, at the top and in a variant (not inside "history").
    std::fs::create_dir_all(root.join("notes")).unwrap();
    std::fs::write(
        root.join("notes/adapter.json"),
        r#"{"$comment": "a", "cmd": ["x"], "variants": {"v": {"$comment": "b", "cmd": ["y"]}}}"#,
    )
    .unwrap();
    assert_eq!(Adapter::load(&root, "notes:v").unwrap().launch.program, "y");
    let _ = std::fs::remove_dir_all(&root);
}
