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

/// `--crack`: Pendo's secret found in a word list (the options object names the key), the
/// re-signed forgeries joining the attacks; a list without it, and a missing file, stop
/// with one line saying so. `--recover` with tokens it cannot use says why.
#[test]
fn attack_cracks_a_secret_from_a_word_list_and_refuses_what_it_cannot_use() {
    let dir = std::env::temp_dir().join(format!("jwtc-cli-crack-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let jwt = case("pendo/alg.json", "pendo/alg/hs256")["input"]["event"]["jwt"]
        .as_str()
        .unwrap()
        .to_owned();
    let options = serde_json::json!({"jwt": jwt, "signingKeyName": "pendo-1"}).to_string();
    let secret = "8ihlgIFBygkJ+7czjJ7GjcUpw2vwTJi33jHy0ELM"; // vectors/keys/pendo-1.json
    let words = dir.join("words.txt");
    std::fs::write(&words, format!("password\r\n\n123456\n{secret}\nzzz")).unwrap();
    let missing = dir.join("missing.txt");
    std::fs::write(&missing, "password\n123456\n").unwrap();
    let (w, m) = (words.to_str().unwrap(), missing.to_str().unwrap());
    // (arguments, exit code, what stdout or stderr must hold)
    let table: [(Vec<&str>, i32, &[&str]); 5] = [
        (
            vec!["attack", "--profile", "pendo", "--crack", w, &options],
            0,
            &["cracked: the secret is line 4 of", "resigned"],
        ),
        (
            vec!["attack", "--crack", w, &jwt],
            0,
            &["cracked: the secret is line 4", "forged"],
        ),
        (
            vec!["attack", "--crack", m, &jwt],
            2,
            &["--crack: not found: every word of", "(2 words in"],
        ),
        (
            vec!["attack", "--profile", "pendo", "--crack", w, &jwt],
            2,
            &["give the options object {\"jwt\", \"signingKeyName\"} as TOKEN"],
        ),
        (
            vec!["attack", "--recover", &jwt, &jwt],
            2,
            &["--recover: ", "not an RSA PKCS#1 v1.5 token"],
        ),
    ];
    for (args, code, says) in table {
        let (got, out, err) = jwtc(&args);
        assert_eq!(got, code, "{args:?}: {out}{err}");
        for s in says {
            assert!(
                out.contains(s) || err.contains(s),
                "{args:?}: no {s:?} in\n{out}{err}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
