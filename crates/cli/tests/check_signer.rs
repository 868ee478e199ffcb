//! `jwtc check --role signer`, driven by a table: mints made here from the suite's test
//! keys (deterministic: HMAC, PKCS#1 v1.5, seeded OAEP), right and wrong the ways the
//! signer rules name, each with the flags a customer would type, the exit code it must
//! give and the lines it must print; some rows' whole output is pinned by a snapshot
//! (tests/snapshots/check_signer__*.snap). Usage errors (exit 2) are rows too.

mod common;

use base64::Engine;
use serde_json::{json, Value};

use common::{jwtc, key, root, settings, transcript};
use jwtc_vectors::keystore::KeyStore;
use jwtc_vectors::mint::{hmac, Mint};
use jwtc_verifier::b64;

/// The clock every row checks at (the suite's).
const NOW: i64 = 1767225600;

/// The Pendo secret of `pendo-1` as Pendo shows it.
fn pendo_secret(keys: &KeyStore) -> String {
    let k = keys.private_jwk("pendo-1").unwrap()["k"].as_str().unwrap();
    String::from_utf8(b64::decode(k).unwrap()).unwrap()
}

/// An HS256 JWT keyed with `secret`'s bytes.
fn hs256(secret: &[u8], claims: &Value) -> String {
    let input = format!(
        "{}.{}",
        b64::encode(br#"{"alg":"HS256","typ":"JWT"}"#),
        b64::encode(claims.to_string())
    );
    let mac = hmac("HS256", secret, input.as_bytes());
    format!("{input}.{}", b64::encode(mac))
}

fn pendo_claims() -> Value {
    json!({"visitor": {"id": "v1", "email": "ada@example.com"}, "account": {"id": "a1"}, "nonce": "q7Zx1kC0"})
}

const PENDO_REQUEST: &str =
    r#"{"visitor": {"id": "v1", "email": "ada@example.com"}, "account": {"id": "a1"}}"#;

fn watson_claims(life: i64) -> Value {
    json!({"iss": "www.example.com", "sub": "L12345", "iat": NOW, "exp": NOW + life})
}

/// One row: its name, the arguments after `check`, the exit code, lines it must print
/// (stdout, or stderr for exit 2), and whether its whole transcript is a snapshot.
struct Row {
    name: &'static str,
    args: Vec<String>,
    code: i32,
    says: Vec<&'static str>,
    snapshot: bool,
}

fn snap(mut r: Row) -> Row {
    r.snapshot = true;
    r
}

fn rows() -> Vec<Row> {
    let keys = KeyStore::load(&root().join("vectors/keys")).unwrap();
    let m = Mint::new(&keys);
    let secret = pendo_secret(&keys);
    let s = format!("pendo-1={secret}");
    let s = s.as_str();
    let now = NOW.to_string();
    let now = now.as_str();
    let options = |jwt: &str| json!({"jwt": jwt, "signingKeyName": "pendo-1"}).to_string();
    let good = hs256(secret.as_bytes(), &pendo_claims());
    let good_opts = options(&good);
    let decoded_secret = base64::engine::general_purpose::STANDARD
        .decode(&secret)
        .unwrap();
    let hs512 = m.jwt(
        "HS512",
        "pendo-1",
        &json!({"alg": "HS512"}),
        &pendo_claims(),
    );
    let mut no_nonce = pendo_claims();
    no_nonce.as_object_mut().unwrap().remove("nonce");
    let mut numeric = pendo_claims();
    numeric["visitor"]["id"] = json!(12345);
    let beside = json!({"jwt": good, "signingKeyName": "pendo-1", "visitor": {"id": "v1"}});
    let wrong_name = json!({"jwt": good, "signingKeyName": "pendo-2"}).to_string();
    let p = |extra: &[&str]| -> Vec<String> {
        let mut a = vec!["--role", "signer", "--profile", "pendo", "--now", now];
        a.extend_from_slice(extra);
        a.into_iter().map(str::to_owned).collect()
    };

    let customer = key("rsa-2048-a.pub.pem");
    let ibm_pub = key("rsa-2048-b.pub.pem");
    let ibm_priv = key("rsa-2048-b.json");
    let rs = |claims: &Value| {
        m.jwt(
            "RS256",
            "rsa-2048-a",
            &json!({"alg": "RS256", "typ": "JWT"}),
            claims,
        )
    };
    let payload = json!({"name": "Ada", "plan": "gold"});
    let with_payload = |text: String| {
        let mut c = watson_claims(300);
        c["user_payload"] = json!(text);
        rs(&c)
    };
    let encrypted =
        with_payload(m.node_rsa_encrypt("rsa-2048-b", payload.to_string().as_bytes(), 7));
    let to_other_key =
        with_payload(m.node_rsa_encrypt("rsa-2048-c", payload.to_string().as_bytes(), 7));
    let in_clear = with_payload(payload.to_string());
    let b64_only =
        with_payload(base64::engine::general_purpose::STANDARD.encode(payload.to_string()));
    let short_blocks =
        with_payload(base64::engine::general_purpose::STANDARD.encode([0xffu8; 300]));
    let plain = rs(&watson_claims(300));
    let mut wrong_iss = watson_claims(300);
    wrong_iss["iss"] = json!("evil.example");
    let wrong_iss = rs(&wrong_iss);
    let two_hours = rs(&watson_claims(7200));
    let two_days = rs(&watson_claims(172_800));
    let w = |extra: &[&str]| -> Vec<String> {
        let mut a = vec![
            "--role",
            "signer",
            "--profile",
            "watson",
            "--now",
            now,
            "--key",
            &customer,
            "--issuer",
            "www.example.com",
        ];
        a.extend_from_slice(extra);
        a.into_iter().map(str::to_owned).collect()
    };
    let req = r#"{"user_id": "L12345"}"#;
    let pay = r#"{"name": "Ada", "plan": "gold"}"#;
    let mk = |name, args: Vec<String>, code, says: &[&'static str]| Row {
        name,
        args,
        code,
        says: says.to_vec(),
        snapshot: false,
    };
    vec![
        snap(mk(
            "pendo_pass_text",
            p(&["--secret", s, "--request", PENDO_REQUEST, &good_opts]),
            0,
            &["result: pass (6 pass"],
        )),
        snap(mk(
            "pendo_pass_json",
            p(&[
                "--secret",
                s,
                "--request",
                PENDO_REQUEST,
                "--format",
                "json",
                &good_opts,
            ]),
            0,
            &["\"result\": \"pass\""],
        )),
        snap(mk(
            "pendo_bare_jwt",
            p(&["--secret", s, &good]),
            0,
            &["?       pendo.mint-metadata", "a bare JWT carries none"],
        )),
        mk(
            "pendo_key_with_key_name",
            p(&[
                "--key",
                &secret,
                "--key-name",
                "pendo-1",
                "--request",
                PENDO_REQUEST,
                &good_opts,
            ]),
            0,
            &["result: pass (6 pass"],
        ),
        mk(
            "pendo_hs512",
            p(&["--secret", s, &options(&hs512)]),
            1,
            &["FAIL    pendo.mint-alg       header alg \"HS512\" is not \"HS256\""],
        ),
        snap(mk(
            "pendo_decoded_secret",
            p(&[
                "--secret",
                s,
                "--request",
                PENDO_REQUEST,
                &options(&hs256(&decoded_secret, &pendo_claims())),
            ]),
            1,
            &["keyed with the base64-decoded secret"],
        )),
        mk(
            "pendo_no_nonce",
            p(&[
                "--secret",
                s,
                &options(&hs256(secret.as_bytes(), &no_nonce)),
            ]),
            1,
            &["FAIL    pendo.mint-nonce     no nonce"],
        ),
        mk(
            "pendo_numeric_visitor_id",
            p(&["--secret", s, &options(&hs256(secret.as_bytes(), &numeric))]),
            1,
            &["visitor.id is 12345, not the string \"12345\""],
        ),
        mk(
            "pendo_request_differs",
            p(&[
                "--secret",
                s,
                "--request",
                r#"{"visitor": {"id": "v2"}}"#,
                &good_opts,
            ]),
            1,
            &["visitor.id is \"v1\", not the string \"v2\""],
        ),
        mk(
            "pendo_metadata_beside",
            p(&["--secret", s, &beside.to_string()]),
            1,
            &["the options carry visitor beside the jwt"],
        ),
        mk(
            "pendo_wrong_key_name",
            p(&["--secret", s, &wrong_name]),
            1,
            &["signingKeyName \"pendo-2\" is not the active key's name \"pendo-1\""],
        ),
        mk(
            "pendo_options_array",
            p(&["--secret", s, "[1]"]),
            1,
            &["the output is [1], not the options object"],
        ),
        mk(
            "pendo_jwt_does_not_decode",
            p(&["--secret", s, &options("abc")]),
            1,
            &["options.jwt does not decode: the token has 1 segments"],
        ),
        mk(
            "pendo_options_not_json",
            p(&["--secret", s, "{nope"]),
            2,
            &["the options object is not JSON"],
        ),
        mk(
            "pendo_no_key",
            p(&[&good_opts]),
            2,
            &["give the one key your code signs with"],
        ),
        mk(
            "pendo_key_without_name",
            p(&["--key", &secret, &good_opts]),
            2,
            &["--key SECRET needs --key-name NAME"],
        ),
        mk(
            "pendo_request_wrong_shape",
            p(&["--secret", s, "--request", r#"{"user": 1}"#, &good_opts]),
            2,
            &["--request: member \"user\""],
        ),
        mk(
            "signer_role_of_core",
            vec![
                "--role".into(),
                "signer".into(),
                "--profile".into(),
                "core".into(),
                good.clone(),
            ],
            2,
            &["the signer role is pendo's and watson's"],
        ),
        mk(
            "signer_role_with_a_verifier_flag",
            p(&["--secret", s, "--skew", "5", &good_opts]),
            2,
            &["--skew belong(s) to the verifier role"],
        ),
        mk(
            "verifier_role_with_a_signer_flag",
            vec![
                "--profile".into(),
                "pendo".into(),
                "--secret".into(),
                s.into(),
                "--request".into(),
                "{}".into(),
                good_opts.clone(),
            ],
            2,
            &["--request belong(s) to --role signer"],
        ),
        snap(mk(
            "watson_pass_text",
            w(&[
                "--ibm-key",
                &ibm_pub,
                "--request",
                req,
                "--payload",
                pay,
                &encrypted,
            ]),
            0,
            &["result: pass (6 pass"],
        )),
        snap(mk(
            "watson_pass_json",
            w(&[
                "--ibm-key",
                &ibm_pub,
                "--request",
                req,
                "--payload",
                pay,
                "--format",
                "json",
                &encrypted,
            ]),
            0,
            &["\"result\": \"pass\""],
        )),
        snap(mk(
            "watson_ibm_private_key",
            w(&["--ibm-private-key", &ibm_priv, &encrypted]),
            0,
            &["user_payload decrypted  {\"name\":\"Ada\",\"plan\":\"gold\"}"],
        )),
        mk(
            "watson_no_payload",
            w(&["--request", req, &plain]),
            0,
            &["no user_payload, and the app passed no payload"],
        ),
        snap(mk(
            "watson_payload_in_clear",
            w(&[
                "--ibm-key",
                &ibm_pub,
                "--request",
                req,
                "--payload",
                pay,
                &in_clear,
            ]),
            1,
            &["critical: user_payload is readable JSON"],
        )),
        mk(
            "watson_payload_in_clear_no_request",
            w(&[&in_clear]),
            1,
            &["critical: user_payload is readable JSON"],
        ),
        mk(
            "watson_payload_base64_only",
            w(&["--ibm-key", &ibm_pub, &b64_only]),
            1,
            &["critical: user_payload is only base64-encoded, not encrypted"],
        ),
        mk(
            "watson_payload_not_whole_blocks",
            w(&["--ibm-key", &ibm_pub, &short_blocks]),
            1,
            &["300 bytes, not whole 256-byte RSA blocks of IBM's 2048-bit key"],
        ),
        mk(
            "watson_payload_to_another_key",
            w(&["--ibm-private-key", &ibm_priv, &to_other_key]),
            1,
            &[
                "user_payload does not decrypt",
                "FAIL    watson.mint-verifies",
            ],
        ),
        mk(
            "watson_payload_differs",
            w(&[
                "--ibm-private-key",
                &ibm_priv,
                "--payload",
                r#"{"name": "Bob"}"#,
                &encrypted,
            ]),
            1,
            &["not the app's payload {\"name\":\"Bob\"}"],
        ),
        mk(
            "watson_payload_passed_but_none_minted",
            w(&["--payload", pay, &plain]),
            1,
            &["no user_payload for the app's payload"],
        ),
        mk(
            "watson_payload_minted_but_none_passed",
            w(&["--request", req, &encrypted]),
            1,
            &["user_payload present though the app passed no payload"],
        ),
        mk(
            "watson_lifetime_two_hours",
            w(&["--request", req, &two_hours]),
            0,
            &["either  watson.mint-exp           lifetime 7200 s > 3600 s"],
        ),
        mk(
            "watson_lifetime_two_days",
            w(&["--request", req, &two_days]),
            1,
            &["lifetime 172800 s > 86400 s"],
        ),
        mk(
            "watson_wrong_issuer",
            w(&["--request", req, &wrong_iss]),
            1,
            &["iss \"evil.example\" is not the configured issuer \"www.example.com\""],
        ),
        mk(
            "watson_sub_differs",
            w(&["--request", r#"{"user_id": "L999"}"#, &plain]),
            1,
            &["sub is \"L12345\", not the user id \"L999\""],
        ),
        mk(
            "watson_token_does_not_decode",
            w(&["abc"]),
            1,
            &["the token does not decode"],
        ),
        mk(
            "watson_signed_by_another_key",
            w(&[
                "--request",
                req,
                &m.jwt(
                    "RS256",
                    "rsa-2048-c",
                    &json!({"alg": "RS256"}),
                    &watson_claims(300),
                ),
            ]),
            1,
            &["the RS256 signature does not verify"],
        ),
        mk(
            "watson_ec_key",
            vec![
                "--role".into(),
                "signer".into(),
                "--profile".into(),
                "watson".into(),
                "--key".into(),
                key("p256-a.pub.pem"),
                "--issuer".into(),
                "www.example.com".into(),
                plain.clone(),
            ],
            2,
            &["a key of type \"EC\"; the customer's signing key is an RSA key"],
        ),
        mk(
            "watson_no_issuer",
            vec![
                "--role".into(),
                "signer".into(),
                "--profile".into(),
                "watson".into(),
                "--key".into(),
                customer.clone(),
                plain.clone(),
            ],
            2,
            &["needs --issuer"],
        ),
        mk(
            "watson_ibm_private_key_is_public",
            w(&["--ibm-private-key", &ibm_pub, &encrypted]),
            2,
            &["not a private key (no \"d\")"],
        ),
        mk(
            "watson_ibm_keys_not_a_pair",
            w(&[
                "--ibm-key",
                &key("rsa-2048-c.pub.pem"),
                "--ibm-private-key",
                &ibm_priv,
                &encrypted,
            ]),
            2,
            &["not one key pair"],
        ),
        mk(
            "watson_payload_twice",
            w(&[
                "--request",
                r#"{"user_id": "L1", "payload": {}}"#,
                "--payload",
                "{}",
                &plain,
            ]),
            2,
            &["give the payload once"],
        ),
    ]
}

#[test]
fn signer_check_table() {
    for r in rows() {
        let mut args = vec!["check".to_owned()];
        args.extend(r.args.iter().cloned());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = jwtc(&args);
        let shown = if code == 2 { &err } else { &out };
        assert_eq!(
            code, r.code,
            "{}: exit {code}, want {}:\n{out}{err}",
            r.name, r.code
        );
        for s in &r.says {
            assert!(
                shown.contains(s),
                "{}: does not say {s:?}:\n{shown}",
                r.name
            );
        }
        assert!(!err.contains("panicked"), "{}: {err}", r.name);
        if r.snapshot {
            let text = transcript(&args);
            settings().bind(|| insta::assert_snapshot!(r.name, text));
        }
    }
}

#[test]
fn the_wall_clock_is_said() {
    let keys = KeyStore::load(&root().join("vectors/keys")).unwrap();
    let secret = pendo_secret(&keys);
    let jwt = hs256(secret.as_bytes(), &pendo_claims());
    let (code, out, _) = jwtc(&[
        "check",
        "--role",
        "signer",
        "--profile",
        "pendo",
        "--secret",
        &format!("pendo-1={secret}"),
        &jwt,
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("(this machine's clock; --now SECS sets another)"),
        "{out}"
    );
}
