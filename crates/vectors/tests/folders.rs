//! A user's folder of vector files (`load_folder`) and our own suite's extra checks
//! (`load`), driven by a table of small folders built in a temporary directory: each bad
//! one with the error it must give (naming file, case and field), each good one with what
//! it must load to.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};

use jwtc_vectors::load::{load, load_folder, ClockSource, Loaded, DEFAULT_NOW};

const RSA_PUB: &str = include_str!("../../../vectors/keys/rsa-2048-a.pub.pem");
const P256_CERT: &str = include_str!("../../../vectors/keys/p256-a.cert.pem");
const P256_JWK: &str = include_str!("../../../vectors/keys/p256-a.json");
const RSA_JWK: &str = include_str!("../../../vectors/keys/rsa-2048-a.json");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A folder's files: (path relative to the folder, text).
type Files<'a> = Vec<(&'a str, String)>;

/// A folder holding `files` (relative path, text), fresh for this test.
fn folder(name: &str, files: &[(&str, String)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jwtc-folders-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (rel, text) in files {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// A vector file of the core profile holding `cases`, with extra top-level members.
fn file(top: Value, cases: Vec<Value>) -> String {
    let mut doc = json!({"schema": 1, "profile": "core", "cases": cases});
    for (k, v) in top.as_object().unwrap() {
        doc[k] = v.clone();
    }
    doc.to_string()
}

/// A verdict-only reject with an inline HS256 key, id `id`.
fn case(id: &str) -> Value {
    json!({
        "id": id, "rule": "core.alg", "severity": "high",
        "input": {"token": "a.b.c"},
        "context": {"algorithm": "HS256", "keys": [{"kty": "oct", "k": "c2VjcmV0"}]},
        "expect": {"verdict": "reject"}
    })
}

/// `v` with the member at `pointer` set (added when absent).
fn with(mut v: Value, pointer: &str, new: Value) -> Value {
    let (parent, last) = pointer.rsplit_once('/').unwrap();
    v.pointer_mut(parent).unwrap()[last] = new;
    v
}

fn without(mut v: Value, member: &str) -> Value {
    v.as_object_mut().unwrap().remove(member);
    v
}

fn errors(loaded: Result<Loaded, Vec<String>>) -> String {
    match loaded {
        Ok(l) => panic!("loaded {} cases", l.cases.len()),
        Err(e) => e.join("\n"),
    }
}

#[test]
fn bad_user_folders_say_what_and_where() {
    let one = |c: Value| vec![("mine.json", file(json!({}), vec![c]))];
    let private_pem = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";
    // (folder name, files, what the errors must contain, with {dir} for the folder)
    let table: Vec<(&str, Files, &str)> = vec![
        ("empty", vec![], "{dir}: no vector files (*.json) in this folder or under it"),
        ("readme", vec![("README.md", "hi".into()), ("a.json", file(json!({}), vec![case("A")]))], "{dir}/README.md: not a .json vector file"),
        ("not-json", vec![("sub/a.json", "{\"schema\": 1,".into())], "{dir}/sub/a.json: not JSON: "),
        ("no-rule", one(without(case("A"), "rule")), "{dir}/mine.json: case 0 (A): \"rule\" is a required member (every case names the rule id of docs/rules.md it tests: the reports group by rule)"),
        ("no-severity", one(without(case("A"), "severity")), "{dir}/mine.json: case 0 (A): \"severity\" is a required member (every case states critical, high, medium or low: the reports rank by it)"),
        ("unknown-rule", one(with(case("A"), "/rule", json!("core.nope"))), "{dir}/mine.json: case 0 (A): rule: unknown rule id \"core.nope\""),
        ("other-profile-rule", one(with(case("A"), "/rule", json!("pendo.nonce"))), "{dir}/mine.json: case 0 (A): rule: pendo.nonce belongs to another profile than core"),
        ("accept-with-error", one(with(case("A"), "/expect", json!({"verdict": "accept", "error": "malformed"}))), "{dir}/mine.json: case 0 (A): expect.error: an accept states no error code"),
        ("bad-match", one(with(case("A"), "/expect", json!({"verdict": "accept", "output_match": "fuzzy"}))), "{dir}/mine.json: case 0 (A): expect.output_match: \"fuzzy\" is not one of"),
        ("duplicate-id", vec![("a.json", file(json!({}), vec![case("Same")])), ("b/c.json", file(json!({}), vec![case("Same")]))], "{dir}/b/c.json: case id \"Same\" is not unique in the suite: {dir}/a.json has it too"),
        ("clocks-disagree", vec![("a.json", file(json!({"now": 1}), vec![case("A")])), ("b.json", file(json!({"now": 2}), vec![case("B")]))], "{dir}/b.json: now 2 differs from now 1 in {dir}/a.json; every file that states the clock must agree"),
        ("suite-clock-disagrees", vec![("suite.json", json!({"schema": 1, "version": "v", "now": 5}).to_string()), ("a.json", file(json!({"now": 1}), vec![case("A")]))], "{dir}/a.json: now 1 differs from now 5 in {dir}/suite.json"),
        ("unknown-key", one(with(case("A"), "/context/keys", json!(["nope"]))), "{dir}/mine.json: case 0 (A): context.keys[0]: unknown key \"nope\" (not in {dir}/keys (there is no such folder))"),
        ("unknown-key-in-keys", vec![("keys/k.json", RSA_JWK.into()), ("a.json", file(json!({}), vec![with(case("A"), "/context/keys", json!(["k", "nope"]))]))], "{dir}/a.json: case 0 (A): context.keys[1]: unknown key \"nope\" (not in {dir}/keys)"),
        ("bad-pem", one(with(case("A"), "/context/keys", json!([private_pem]))), "{dir}/mine.json: case 0 (A): context.keys[0]: key (pem) refused: SPKI is neither an RSA nor a P-256 public key"),
        ("bad-pem-in-jwks", one(with(case("A"), "/context/keys", json!({"keys": [{"kty": "oct", "k": "AA"}, "-----BEGIN X-----"]}))), "{dir}/mine.json: case 0 (A): context.keys.keys[1]: key (pem) refused: PEM starts with \"-----BEGIN X-----\""),
        ("public-pem-to-decrypt", vec![("w.json", json!({"schema": 1, "profile": "watson", "cases": [{"id": "w", "rule": "watson.user-payload", "severity": "high", "input": {"token": "x"}, "context": {"keys": [], "decryption_key": RSA_PUB}, "expect": {"verdict": "reject"}}]}).to_string())], "{dir}/w.json: case 0 (w): context.decryption_key: the PEM text is a public key; this field takes a private key"),
        ("two-keys-to-sign", vec![("p.json", json!({"schema": 1, "profile": "pomerium-proxy", "cases": [{"id": "p", "rule": "pomerium.identity", "severity": "high", "input": {"headers": []}, "context": {"signing_key": {"keys": [P256_JWK.parse::<Value>().unwrap(), P256_JWK.parse::<Value>().unwrap()]}}, "expect": {"verdict": "reject"}}]}).to_string())], "{dir}/p.json: case 0 (p): context.signing_key: a JWK Set of 2 keys; this field takes one key"),
        ("keys-other-file", vec![("keys/notes.txt", "x".into()), ("a.json", file(json!({}), vec![case("A")]))], "{dir}/keys/notes.txt: not a key file: keys/ holds NAME.json (a JWK) and NAME.pem files only"),
        ("keys-twice", vec![("keys/k.json", RSA_JWK.into()), ("keys/k.pem", RSA_PUB.into()), ("a.json", file(json!({}), vec![case("A")]))], "{dir}/keys/k.pem: key \"k\" is also {dir}/keys/k.json; a name is one file"),
        ("keys-not-jwk", vec![("keys/k.json", "{}".into()), ("a.json", file(json!({}), vec![case("A")]))], "{dir}/keys/k.json: not a JWK (no \"kty\" string)"),
        ("bad-pem-file", vec![("keys/k.pem", "-----BEGIN PUBLIC KEY-----\n".into()), ("a.json", file(json!({}), vec![with(case("A"), "/context/keys", json!(["k"]))]))], "{dir}/a.json: case 0 (A): context.keys[0]: {dir}/keys/k.pem: key (pem) refused: "),
        ("network-number", one(with(case("A"), "/network", json!({"https://x.example/k": 5}))), "{dir}/mine.json: case 0 (A): network.https://x.example/k: 5 is neither the body's text nor an answer"),
        ("no-input", one(without(case("A"), "input")), "{dir}/mine.json: case 0 (A): "),
    ];
    for (name, files, want) in table {
        let dir = folder(name, &files);
        let want = want.replace("{dir}", &dir.display().to_string());
        let got = errors(load_folder(&dir));
        assert!(
            got.contains(&want),
            "{name}: wanted\n  {want}\ngot\n  {got}"
        );
    }
}

#[test]
fn own_suite_keeps_its_own_checks() {
    // Our files: <dir>/<group>.json, ids <dir>/<group>/<name>, a code on every reject.
    let own = |name: &str, c: Value, top: Value| {
        let dir = folder(
            name,
            &[
                (
                    "suite.json",
                    std::fs::read_to_string(root().join("vectors/suite.json")).unwrap(),
                ),
                (
                    "schema/vectors.schema.json",
                    jwtc_vectors::load::SCHEMA.into(),
                ),
                (
                    "keys/hs256-a.json",
                    include_str!("../../../vectors/keys/hs256-a.json").into(),
                ),
                (
                    "core/alg.json",
                    file(with(top, "/group", json!("alg")), vec![c]),
                ),
            ],
        );
        errors(load(&dir)).replace(&dir.display().to_string(), "{dir}")
    };
    let good = with(case("core/alg/x"), "/expect/error", json!("malformed"));
    let top = json!({"group": "x"});
    for (name, c, top, want) in [
        ("own-no-code", case("core/alg/x"), top.clone(), "{dir}/core/alg.json: case 0 (core/alg/x): expect.error: missing; every reject of ours states the error code"),
        ("own-upper", with(good.clone(), "/id", json!("core/alg/X")), top.clone(), "case 0 (core/alg/X): id: ours are <dir>/<group>/<name>"),
        ("own-prefix", with(good.clone(), "/id", json!("core/other/x")), top.clone(), "case 0 (core/other/x): id must start with \"core/alg/\""),
        ("own-no-description", good.clone(), top.clone(), "case 0 (core/alg/x): description: missing"),
        ("own-now", with(good.clone(), "/description", json!("d")), json!({"group": "x", "now": 1}), "{dir}/core/alg.json: now: 1 stated in one of our files; the suite's clock is suite.json's"),
        ("own-unknown-key", with(with(good.clone(), "/description", json!("d")), "/context/keys", json!(["nope"])), top.clone(), "context.keys[0]: unknown key \"nope\" (not in {dir}/keys)"),
    ] {
        let got = own(name, c, top);
        assert!(got.contains(want), "{name}: wanted\n  {want}\ngot\n  {got}");
    }
    // The same file without those problems loads, and a PEM string is a key name there.
    let fine = with(good, "/description", json!("d"));
    let got = own(
        "own-pem",
        with(fine, "/context/keys", json!([RSA_PUB])),
        json!({}),
    );
    assert!(
        got.contains("context.keys[0]: unknown key \"-----BEGIN PUBLIC KEY-----"),
        "{got}"
    );
}

#[test]
fn good_user_folders_load_to_the_cases_they_say() {
    let p256: Value = P256_JWK.parse().unwrap();
    let public = |jwk: &Value| {
        let mut j = jwk.clone();
        for m in ["d", "p", "q", "dp", "dq", "qi", "kid", "alg", "use"] {
            j.as_object_mut().unwrap().remove(m);
        }
        j
    };
    let rsa: Value = RSA_JWK.parse().unwrap();
    let keyed = json!({
        "id": "Keys", "rule": "core.keys", "severity": "critical", "description": "keys every way",
        "input": {"token": "a.b.c"},
        "context": {"algorithm": "RS256", "keys": ["rsa-file", P256_CERT, {"keys": [{"kty": "oct", "k": "AA", "kid": "s"}, {"pem": "as is"}]}]},
        "network": {"https://a.example/jwks": "{\"keys\":[]}", "https://b.example/jwks": {"body": {"keys": []}}, "https://c.example/x": {"status": 404, "body": "no"}},
        "expect": {"verdict": "accept", "output": {"claims": {"sub": "a"}}, "output_match": "subset"}
    });
    let dir = folder(
        "good",
        &[
            ("keys/rsa-file.pem", RSA_PUB.into()),
            ("keys/.hidden", "x".into()),
            (".git/config", "x".into()),
            (
                "deep/er/Mine Tests.json",
                file(json!({"now": 1_800_000_000}), vec![case("Case-ONE"), keyed]),
            ),
            (
                "other.json",
                file(
                    json!({"group": "g", "now": 1_800_000_000}),
                    vec![case("two")],
                ),
            ),
        ],
    );
    let loaded = load_folder(&dir).unwrap_or_else(|e| panic!("{}", e.join("\n")));
    assert_eq!(loaded.suite.version, "user");
    assert_eq!(loaded.suite.now, 1_800_000_000);
    assert_eq!(
        loaded.clock,
        ClockSource::VectorFile(dir.join("deep/er/Mine Tests.json"))
    );
    assert!(
        loaded
            .clock_note()
            .contains("now = 1800000000 (2027-01-15T08:00:00Z)"),
        "{}",
        loaded.clock_note()
    );
    let ids: Vec<&str> = loaded.cases.iter().map(|c| c.case.id.as_str()).collect();
    assert_eq!(ids, ["Case-ONE", "Keys", "two"]);
    let one = &loaded.cases[0];
    assert_eq!(one.case.description, "Case-ONE");
    assert_eq!(one.steps[0].expect.error, None);
    let keys = &loaded.cases[1].context["keys"];
    let mut rsa_named = public(&rsa);
    rsa_named["kid"] = json!("rsa-file");
    assert_eq!(
        keys,
        &json!([rsa_named, public(&p256), {"kty": "oct", "k": "AA", "kid": "s"}, {"pem": "as is"}])
    );
    assert_eq!(
        loaded.cases[1].case.network,
        Some(json!({
            "https://a.example/jwks": {"status": 200, "body": "{\"keys\":[]}"},
            "https://b.example/jwks": {"status": 200, "body": "{\"keys\":[]}"},
            "https://c.example/x": {"status": 404, "body": "no"}
        }))
    );
    assert_eq!(
        loaded.cases[1].steps[0].expect.output_match,
        jwtc_vectors::model::OutputMatch::Subset
    );

    // No "now" anywhere: the default clock; keys as a JWK Set object; private PEM signs.
    use p256::pkcs8::EncodePrivateKey;
    let d = jwtc_verifier::b64::decode(p256["d"].as_str().unwrap()).unwrap();
    let pem = p256::SecretKey::from_slice(&d)
        .unwrap()
        .to_pkcs8_pem(Default::default())
        .unwrap();
    let proxy = json!({"schema": 1, "profile": "pomerium-proxy", "cases": [{
        "id": "p", "rule": "pomerium.identity", "severity": "high", "input": {"headers": []},
        "context": {"signing_key": pem.as_str(), "keys": {"keys": [P256_CERT]}},
        "expect": {"verdict": "reject"}}]});
    let dir = folder("good-default-clock", &[("p.json", proxy.to_string())]);
    let loaded = load_folder(&dir).unwrap_or_else(|e| panic!("{}", e.join("\n")));
    assert_eq!(
        (loaded.suite.now, &loaded.clock),
        (DEFAULT_NOW, &ClockSource::Default)
    );
    assert!(loaded
        .clock_note()
        .ends_with("(2026-01-01T00:00:00Z), from the default (no file states \"now\")"));
    let ctx = &loaded.cases[0].context;
    assert_eq!(public(&ctx["signing_key"]), public(&p256));
    assert_eq!(ctx["signing_key"]["d"], p256["d"]);
    assert_eq!(ctx["keys"], json!([public(&p256)]));
}

#[test]
fn our_suite_loads_in_either_mode() {
    // A user's folder may be a copy of ours: the same cases load (its suite.json's clock).
    let own = load(&root().join("vectors")).unwrap_or_else(|e| panic!("{}", e.join("\n")));
    assert_eq!(
        own.clock,
        ClockSource::SuiteFile(root().join("vectors/suite.json"))
    );
    let dir = folder("copy", &[]);
    for sub in ["core", "pendo", "keys"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for e in std::fs::read_dir(root().join("vectors").join(sub)).unwrap() {
            let p = e.unwrap().path();
            if sub != "keys" || p.extension().is_some_and(|x| x == "json") {
                std::fs::copy(&p, dir.join(sub).join(p.file_name().unwrap())).unwrap();
            }
        }
    }
    let user = load_folder(&dir).unwrap_or_else(|e| panic!("{}", e.join("\n")));
    let want: Vec<_> = own
        .cases
        .iter()
        .filter(|c| c.case.id.starts_with("core/") || c.case.id.starts_with("pendo/"))
        .map(|c| (c.case.id.clone(), c.context.clone()))
        .collect();
    let got: Vec<_> = user
        .cases
        .iter()
        .map(|c| (c.case.id.clone(), c.context.clone()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(user.suite.now, own.suite.now);
}
