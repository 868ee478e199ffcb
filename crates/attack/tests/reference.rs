//! For a token of each profile minted with the suite's keys (vectors/keys), the attack
//! set is made, written as a vector file, loaded back as a user's folder, and run against
//! the reference verifier in process: the control and the accepted forgeries accepted,
//! every other attack rejected without a fetch, and the count of each class as listed.

use serde_json::{json, Value};

use jwtc_attack::{make, Request, Secret};
use jwtc_vectors::keystore::KeyStore;
use jwtc_vectors::load::load_folder;
use jwtc_vectors::mint::Mint;
use jwtc_vectors::model::Verdict;
use jwtc_verifier::b64;

const NOW: i64 = 1_767_225_600;

/// One profile's token: (name, profile, alg, signing key, header, claims, --key, --secret
/// as (name, key whose k is the secret), the count of each class).
struct Row {
    name: &'static str,
    profile: &'static str,
    alg: &'static str,
    key: &'static str,
    header: Value,
    claims: Value,
    public: bool,
    secret: Option<(Option<&'static str>, &'static str)>,
    counts: &'static [(&'static str, usize)],
}

fn rows() -> Vec<Row> {
    let std = |iss: &str| json!({"iss": iss, "sub": "user-1", "iat": NOW - 60, "exp": NOW + 3600});
    vec![
        Row {
            name: "core-hs256",
            profile: "core",
            alg: "HS256",
            key: "hs256-a",
            header: json!({"alg": "HS256", "kid": "hs256-a"}),
            claims: std("https://issuer.jwtc.example"),
            public: false,
            secret: Some((None, "hs256-a")),
            counts: &[
                ("control", 1),
                ("alg-none", 9),
                ("signature", 6),
                ("embedded-key", 6),
                ("kid", 10),
                ("claims", 6),
                ("claim-types", 6),
                ("resigned", 2),
                ("forged", 3),
                ("format", 13),
                ("resource", 4),
            ],
        },
        Row {
            name: "core-rs256",
            profile: "core",
            alg: "RS256",
            key: "rsa-2048-a",
            header: json!({"alg": "RS256", "kid": "rsa-2048-a"}),
            claims: std("https://issuer.jwtc.example"),
            public: true,
            secret: None,
            counts: &[
                ("control", 1),
                ("alg-none", 9),
                ("signature", 6),
                ("alg-confusion", 14),
                ("embedded-key", 6),
                ("kid", 10),
                ("claims", 6),
                ("claim-types", 6),
                ("format", 13),
                ("resource", 4),
            ],
        },
        Row {
            name: "core-es256",
            profile: "core",
            alg: "ES256",
            key: "p256-a",
            header: json!({"alg": "ES256", "kid": "p256-a"}),
            claims: std("https://issuer.jwtc.example"),
            public: true,
            secret: None,
            counts: &[
                ("control", 1),
                ("alg-none", 9),
                ("signature", 6),
                ("psychic", 6),
                ("alg-confusion", 11),
                ("embedded-key", 5),
                ("kid", 10),
                ("claims", 6),
                ("claim-types", 6),
                ("format", 12),
                ("resource", 4),
            ],
        },
        Row {
            name: "pomerium",
            profile: "pomerium",
            alg: "ES256",
            key: "p256-a",
            header: json!({"alg": "ES256", "kid": "p256-a", "typ": "JWT"}),
            claims: json!({"iss": "pomerium-proxy", "aud": "httpbin.corp.example.com", "sub": "user-1",
                "email": "user-1@corp.example.com", "groups": ["engineering"], "iat": NOW - 10, "exp": NOW + 290}),
            public: true,
            secret: None,
            counts: &[
                ("control", 1),
                ("alg-none", 9),
                ("signature", 6),
                ("psychic", 6),
                ("alg-confusion", 11),
                ("embedded-key", 5),
                ("kid", 10),
                ("claims", 7),
                ("claim-types", 6),
                ("format", 9),
                ("resource", 4),
                ("pomerium", 4),
            ],
        },
        Row {
            name: "coyo",
            profile: "coyo",
            alg: "RS256",
            key: "rsa-2048-c",
            header: json!({"alg": "RS256", "kid": "rsa-2048-c", "jku": "https://pubkeys.coyocloud.example/jwks.json"}),
            claims: std("https://acme.coyocloud.example"),
            public: true,
            secret: None,
            counts: &[
                ("control", 1),
                ("alg-none", 9),
                ("signature", 6),
                ("alg-confusion", 14),
                ("embedded-key", 6),
                ("kid", 10),
                ("claims", 6),
                ("claim-types", 6),
                ("format", 13),
                ("resource", 4),
                ("coyo-jku", 29),
            ],
        },
        Row {
            name: "pendo",
            profile: "pendo",
            alg: "HS256",
            key: "pendo-1",
            header: json!({"alg": "HS256", "typ": "JWT"}),
            claims: json!({"visitor": {"id": "visitor-1", "email": "visitor@example.com"}, "account": {"id": "account-1"}, "nonce": "n-1"}),
            public: false,
            secret: Some((Some("pendo-1"), "pendo-1")),
            counts: &[
                ("control", 1),
                ("alg-none", 9),
                ("signature", 6),
                ("embedded-key", 6),
                ("kid", 7),
                ("claims", 5),
                ("claim-types", 6),
                ("resigned", 2),
                ("format", 12),
                ("resource", 4),
                ("pendo", 4),
            ],
        },
        Row {
            name: "watson",
            profile: "watson",
            alg: "RS256",
            key: "rsa-2048-a",
            header: json!({"alg": "RS256", "typ": "JWT"}),
            claims: json!({"sub": "L12345", "iss": "www.example.com", "iat": NOW, "exp": NOW + 10}),
            public: true,
            secret: None,
            counts: &[
                ("control", 1),
                ("alg-none", 9),
                ("signature", 6),
                ("alg-confusion", 14),
                ("embedded-key", 6),
                ("kid", 10),
                ("claims", 6),
                ("claim-types", 6),
                ("format", 12),
                ("resource", 4),
            ],
        },
    ]
}

fn keys() -> KeyStore {
    jwtc_vectors::embedded::load()
        .expect("the embedded suite loads")
        .keys
}

#[test]
fn every_attack_on_every_profile_token_is_rejected_by_the_reference_and_the_control_accepted() {
    let keys = keys();
    let mint = Mint::new(&keys);
    let dir = std::env::temp_dir().join(format!("jwtc-attack-test-{}", std::process::id()));
    let mut failures = Vec::new();
    for row in rows() {
        let token = mint.jwt(row.alg, row.key, &row.header, &row.claims);
        let req = Request {
            token,
            key: row.public.then(|| keys.public_jwk(row.key).unwrap()),
            secret: row.secret.map(|(name, k)| Secret {
                name: name.map(str::to_owned),
                bytes: b64::decode(keys.private_jwk(k).unwrap()["k"].as_str().unwrap()).unwrap(),
            }),
            profile: Some(row.profile.into()),
            ..Request::default()
        };
        let made = make(&req, &keys).unwrap_or_else(|e| panic!("{}: {e}", row.name));
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for a in &made.attacks {
            match counts.iter_mut().find(|(c, _)| *c == a.class) {
                Some((_, n)) => *n += 1,
                None => counts.push((a.class, 1)),
            }
        }
        if counts != row.counts {
            failures.push(format!(
                "{}: the count of each class is {counts:?}, not {:?}",
                row.name, row.counts
            ));
        }
        // Through the user-folder loader, as `jwtc run --vectors` reads it.
        let folder = dir.join(row.name);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(
            folder.join("attack.json"),
            serde_json::to_string_pretty(&made.file).unwrap(),
        )
        .unwrap();
        let loaded = load_folder(&folder)
            .unwrap_or_else(|e| panic!("{}: the file does not load: {e:?}", row.name));
        assert_eq!(loaded.cases.len(), made.attacks.len());
        for c in &loaded.cases {
            let step = &c.steps[0];
            let mut s = jwtc_harness::reference::session(&c.profile).expect("a reference session");
            let got = s.step(
                &step.input,
                &step.context,
                c.case.network.as_ref(),
                made.file.now.unwrap(),
            );
            // The reference takes the strict side of an `either`.
            let want = match step.expect.verdict {
                Verdict::Accept => jwtc_harness::outcome::Got::Accept,
                Verdict::Reject | Verdict::Either => jwtc_harness::outcome::Got::Reject,
            };
            let fetched = c
                .case
                .max_fetches
                .is_some_and(|m| got.fetches.len() as u64 > m);
            if got.verdict != want || fetched {
                failures.push(format!(
                    "{} {}: want {:?}, got {:?} {:?} ({}), fetches {:?}",
                    row.name, c.case.id, want, got.verdict, got.error, got.detail, got.fetches
                ));
            }
            if let (Some(o), Some(w)) = (&got.output, &step.expect.output) {
                if !jwtc_harness::grade::contains_json(o, w) {
                    failures.push(format!("{} {}: output {o} lacks {w}", row.name, c.case.id));
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn bad_input_gets_one_clear_error_naming_the_value() {
    let keys = keys();
    let mint = Mint::new(&keys);
    let rs = mint.jwt(
        "RS256",
        "rsa-2048-a",
        &json!({"alg": "RS256"}),
        &json!({"sub": "a"}),
    );
    let hs = mint.jwt(
        "HS256",
        "hs256-a",
        &json!({"alg": "HS256"}),
        &json!({"sub": "a"}),
    );
    let ec = keys.public_jwk("p256-a").unwrap();
    let rsa = keys.public_jwk("rsa-2048-a").unwrap();
    let table: Vec<(&str, Request, &str)> = vec![
        (
            "two segments",
            Request {
                token: "abc.def".into(),
                ..Request::default()
            },
            "is not a JWT: 2 segment(s)",
        ),
        (
            "not base64",
            Request {
                token: "a*b.c.d".into(),
                ..Request::default()
            },
            "the header is not base64url",
        ),
        (
            "empty",
            Request {
                token: " ".into(),
                ..Request::default()
            },
            "TOKEN is empty",
        ),
        (
            "wrong key type",
            Request {
                token: rs.clone(),
                key: Some(ec),
                ..Request::default()
            },
            "--key is an EC P-256 key; the token's alg RS256 needs an RSA key",
        ),
        (
            "no key",
            Request {
                token: rs.clone(),
                ..Request::default()
            },
            "give the public key",
        ),
        (
            "no secret",
            Request {
                token: hs,
                key: Some(rsa.clone()),
                ..Request::default()
            },
            "give its secret with --secret",
        ),
        (
            "unknown profile",
            Request {
                token: rs.clone(),
                key: Some(rsa.clone()),
                profile: Some("okta".into()),
                ..Request::default()
            },
            "--profile \"okta\": unknown",
        ),
        (
            "profile alg",
            Request {
                token: rs,
                key: Some(rsa),
                profile: Some("pomerium".into()),
                ..Request::default()
            },
            "pomerium tokens are ES256",
        ),
    ];
    for (name, req, want) in table {
        match make(&req, &keys) {
            Ok(_) => panic!("{name}: made attacks"),
            Err(e) => assert!(e.contains(want), "{name}: {e:?} does not say {want:?}"),
        }
    }
}
