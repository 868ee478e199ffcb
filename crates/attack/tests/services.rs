//! The attacks made from one token of each probed profile, sent through the probe to the
//! sample services (services/): the correct back ends pass every attack, the wrong ones
//! fail on exactly the attacks named here. Same rules as jwtc-probe's services test:
//! without node and npm it says so on stderr and passes, unless JWTC_REQUIRE_SERVICES=1.
//! The services run on their real clock, so the token is minted at the wall clock.

#[path = "../../probe/tests/common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use serde_json::json;

use common::{repo, spawn};
use jwtc_attack::{make, Attacker, Request};
use jwtc_probe::keyserver::{self, KeyServer, Options};
use jwtc_probe::plan::{self, Service, TokenIn};
use jwtc_probe::run::{self, Limits, Reading};
use jwtc_vectors::generate::Settings;
use jwtc_vectors::keystore::KeyStore;
use jwtc_vectors::mint::Mint;

fn server(keys: &KeyStore, ca: PathBuf) -> KeyServer {
    KeyServer::start_with(
        keys,
        &Options {
            tls: Some(ca),
            ..Options::default()
        },
    )
    .unwrap()
}

fn attacker(server: &KeyServer) -> Attacker {
    Attacker {
        http: server.attacker_host(),
        https: server.attacker_tls_addr.unwrap().to_string(),
    }
}

#[test]
fn pomerium_attacks_pass_the_correct_back_end_and_catch_the_wrong_ones() {
    let Some(install) = common::installed("attack services test", "services/pomerium-node") else {
        return;
    };
    let keys = jwtc_vectors::embedded::load().unwrap().keys;
    let server = server(&keys, install.join("attack-ca.pem"));
    let jwks = server.url("/.well-known/pomerium/jwks.json");
    let (audience, now) = ("app.probe.test", jwtc_harness::features::system_now());
    let keyhost = server.addr.to_string();
    // (mode, the issuer it is configured with, the attacks it must wrongly accept)
    let table: [(&str, &str, &[&str]); 3] = [
        ("correct", "pomerium-proxy", &[]),
        (
            "iss-jwks",
            &keyhost,
            &[
                "attack/pomerium/iss-names-attacker-http",
                "attack/pomerium/iss-names-attacker-https",
            ],
        ),
        (
            "trust-header",
            "pomerium-proxy",
            &["attack/pomerium/identity-headers-beside-assertion"],
        ),
    ];
    for (mode, issuer, want) in table {
        // The user's token names the issuer the service is configured with.
        let claims = json!({"iss": issuer, "aud": audience, "sub": "user-1", "email": "user-1@corp.example.com",
            "groups": ["engineering"], "iat": now - 10, "exp": now + 290});
        let token = Mint::new(&keys).jwt(
            "ES256",
            "p256-a",
            &json!({"alg": "ES256", "kid": "p256-a"}),
            &claims,
        );
        let req = Request {
            token,
            key: keys.public_jwk("p256-a"),
            profile: Some("pomerium".into()),
            now: Some(now),
            attacker: attacker(&server),
            ..Request::default()
        };
        let mut cmd = Command::new("node");
        cmd.arg(repo().join("services/pomerium-node/server.mjs"))
            .args([
                install.to_str().unwrap(),
                mode,
                "0",
                &jwks,
                audience,
                issuer,
            ]);
        let (_service, port) = spawn(cmd, mode);
        let mut settings = Settings::suite(now);
        settings.audience = audience.into();
        settings.issuer = issuer.into();
        let service = Service {
            profile: "pomerium".into(),
            settings,
            skew: 60,
            clock_margin: 10,
            token_in: TokenIn::Bearer,
            identity: vec!["sub".into(), "email".into()],
            served: server.tls_addr.map(|a| a.to_string()),
        };
        let reading = reading(&["sub", "email"]);
        probe_and_assert(&keys, &server, &req, &service, port, &reading, mode, want);
    }
}

#[test]
fn coyo_attacks_pass_the_correct_back_end_and_catch_the_wrong_ones() {
    let Some(install) = common::installed("attack services test", "services/coyo-node") else {
        return;
    };
    let keys = jwtc_vectors::embedded::load().unwrap().keys;
    let ca = install.join("attack-ca.pem");
    let server = server(&keys, ca.clone());
    let config = install.join("attack-config.json");
    std::fs::write(
        &config,
        keyserver::configuration(&server, "coyo", "", "").to_string(),
    )
    .unwrap();
    let now = jwtc_harness::features::system_now();
    let jku = format!("{}/coyo/jwks.json", server.tls_origin().unwrap());
    let claims = json!({"iss": "https://acme.coyocloud.example", "sub": "user-1", "iat": now - 60, "exp": now + 3600});
    let header = json!({"alg": "RS256", "kid": "rsa-2048-c", "jku": jku});
    let req = Request {
        token: Mint::new(&keys).jwt("RS256", "rsa-2048-c", &header, &claims),
        key: keys.public_jwk("rsa-2048-c"),
        profile: Some("coyo".into()),
        now: Some(now),
        attacker: attacker(&server),
        ..Request::default()
    };
    let any_jku: &[&str] = &[
        "attack/embedded-key/jku-http",
        "attack/embedded-key/jku-https",
        "attack/coyo-jku/fragment-at",
        "attack/coyo-jku/query-at",
        "attack/coyo-jku/host-in-path",
        "attack/coyo-jku/url-in-query",
        "attack/coyo-jku/backslash-attacker-host",
        "attack/coyo-jku/http-scheme",
        "attack/coyo-jku/data-url",
        "attack/coyo-jku/attacker-host",
    ];
    for (mode, want) in [("correct", &[][..]), ("any-jku", any_jku)] {
        let mut cmd = Command::new("node");
        cmd.env("NODE_EXTRA_CA_CERTS", &ca)
            .arg(repo().join("services/coyo-node/server.mjs"))
            .args([
                install.to_str().unwrap(),
                mode,
                "0",
                config.to_str().unwrap(),
            ]);
        let (_service, port) = spawn(cmd, mode);
        let service = Service {
            profile: "coyo".into(),
            settings: Settings::suite(now),
            skew: 0,
            clock_margin: 10,
            token_in: TokenIn::Bearer,
            identity: vec!["iss".into(), "sub".into()],
            served: server.tls_addr.map(|a| a.to_string()),
        };
        let reading = reading(&["iss", "sub"]);
        probe_and_assert(&keys, &server, &req, &service, port, &reading, mode, want);
    }
}

fn reading(members: &[&str]) -> Reading {
    Reading {
        accept: vec![(200, 299)],
        // Node's HTTP parser answers 431 to a header over 16 KiB before the app runs.
        reject: vec![(401, 401), (403, 403), (431, 431)],
        json: members
            .iter()
            .map(|m| (m.to_string(), format!("/{m}")))
            .collect(),
        headers: vec![],
    }
}

/// Makes the attacks, probes the service on `port` with them, and asserts the attacks
/// wrongly accepted (or failed otherwise) are exactly `want`.
#[allow(clippy::too_many_arguments)]
fn probe_and_assert(
    keys: &KeyStore,
    server: &KeyServer,
    req: &Request,
    service: &Service,
    port: u16,
    reading: &Reading,
    mode: &str,
    want: &[&str],
) {
    let made = make(req, keys).unwrap();
    let cases = made
        .cases(keys, std::path::Path::new("attack.json"))
        .unwrap();
    let planned = plan::plan_cases(cases, None, service, "/");
    let limits = Limits {
        timeout: Duration::from_secs(5),
        rate: 100.0,
        max_requests: 1000,
        body_limit: 1 << 20,
    };
    let addr = format!("127.0.0.1:{port}").parse().unwrap();
    let probe = run::probe(
        mode,
        "attack",
        service.settings.now,
        addr,
        planned,
        server,
        &limits,
        reading,
        false,
    );
    common::assert_failures(&probe, &format!("attacks on {mode}"), want);
}
