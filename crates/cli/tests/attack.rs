//! `jwtc attack` end to end, per token of the suite: the summary's class counts, the
//! vector file it writes, and `jwtc run --vectors FILE` passing the reference on it.

mod common;

use common::{case, jwtc, key};

#[test]
fn attack_writes_a_file_the_reference_passes_and_summarises_by_class() {
    // (the suite case whose token is attacked, --key, rows the summary must hold)
    let table: [(&str, &str, &str, &[&str]); 2] = [
        (
            "core/alg.json",
            "core/alg/valid-rs256",
            "rsa-2048-a.pub.pem",
            &["alg-confusion  14", "psychic"],
        ),
        (
            "core/alg.json",
            "core/alg/valid-es256",
            "p256-a.pub.pem",
            &["alg-confusion  11", "psychic        6"],
        ),
    ];
    let dir = std::env::temp_dir().join(format!("jwtc-cli-attack-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (file, id, pem, rows) in table {
        let token = case(file, id)["input"]["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let (code, out, err) = jwtc(&["attack", "--key", &key(pem), &token]);
        assert_eq!(code, 0, "{id}: {err}");
        for row in rows {
            let present = out.contains(row);
            // "psychic" alone names a class an RS256 token must not have.
            let want = !(row == &"psychic" && id.ends_with("rs256"));
            assert_eq!(present, want, "{id}: summary and {row:?}:\n{out}");
        }
        let path = dir.join(format!("{}.json", id.replace('/', "-")));
        let path = path.to_str().unwrap();
        let (code, _, err) = jwtc(&["attack", "--key", &key(pem), "--out", path, &token]);
        assert_eq!(code, 0, "{id}: {err}");
        let (code, out, err) = jwtc(&["run", "--vectors", path]);
        assert_eq!(code, 0, "{id}: jwtc run --vectors {path}: {out}{err}");
        assert!(out.contains("PASS"), "{id}: {out}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
