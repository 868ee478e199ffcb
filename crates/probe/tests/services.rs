//! The probe against real services (services/): the Pomerium back end of
//! services/pomerium-node (node:http + jose 6.2.17, installed pinned by the harness's
//! `install::npm` under the target directory) run three ways on 127.0.0.1, started and
//! killed by the test; the COYO back end of services/coyo-node four ways, trusting the key
//! server's https origins. The correct one must pass; each wrong one must fail on exactly
//! the cases named here. Without node and npm the test says so on stderr and passes, unless
//! JWTC_REQUIRE_SERVICES=1 (.ci/run sets it). The service runs on its real clock, so the
//! probe mints for the wall clock, read once here.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{have, installed, repo, require, spawn, Killed};
use jwtc_harness::features::system_now as wall_clock;

use jwtc_probe::keyserver::KeyServer;
#[cfg(feature = "tls")]
use jwtc_probe::keyserver::{self, Options};
use jwtc_probe::plan::{self, Service, TokenIn};
use jwtc_probe::run::{self, Limits, Reading};
use jwtc_vectors::generate::Settings;

/// Starts `node server.mjs` in `mode`; waits (at most 30 s) for its port.
fn start(install: &Path, mode: &str, jwks: &str, audience: &str, issuer: &str) -> (Killed, u16) {
    let mut cmd = Command::new("node");
    cmd.arg(repo().join("services/pomerium-node/server.mjs"))
        .args([install.to_str().unwrap(), mode, "0", jwks, audience, issuer]);
    spawn(cmd, mode)
}

#[test]
fn the_probe_passes_the_correct_service_and_catches_the_wrong_ones() {
    let Some(install) = installed("services test", "services/pomerium-node") else {
        return;
    };
    let loaded = jwtc_vectors::embedded::load().unwrap();
    let server = KeyServer::start(&loaded.keys, 0, 0).unwrap();
    let jwks = server.url("/.well-known/pomerium/jwks.json");
    let audience = "app.probe.test";
    let now = wall_clock();
    let keyhost = server.addr.to_string();
    // (mode, the issuer it is configured with, the unexpected failures the probe must report)
    let table: [(&str, &str, &[&str]); 3] = [
        ("correct", "pomerium-proxy", &[]),
        (
            "iss-jwks",
            &keyhost,
            &[
                "pomerium/iss/array",
                "pomerium/jwks/token-iss-names-attacker",
                "pomerium/jwks/token-iss-other-with-jwks-url",
            ],
        ),
        (
            "trust-header",
            "pomerium-proxy",
            &["pomerium/identity/unsigned-headers-ignored"],
        ),
    ];
    for (mode, issuer, want) in table {
        let (_service, port) = start(&install, mode, &jwks, audience, issuer);
        check(
            &loaded.keys,
            &server,
            now,
            mode,
            port,
            audience,
            issuer,
            want,
        );
    }
}

/// Probes the service on `port` and asserts its unexpected failures are exactly `want`.
#[allow(clippy::too_many_arguments)]
fn check(
    keys: &jwtc_vectors::keystore::KeyStore,
    server: &KeyServer,
    now: i64,
    mode: &str,
    port: u16,
    audience: &str,
    issuer: &str,
    want: &[&str],
) {
    {
        let mut settings = Settings::suite(now);
        settings.audience = audience.into();
        settings.issuer = issuer.into();
        settings.attacker = server.attacker_host();
        let service = Service {
            profile: "pomerium".into(),
            settings,
            skew: 60,
            clock_margin: 10,
            token_in: TokenIn::Bearer,
            identity: vec!["sub".into(), "email".into(), "groups".into()],
            served: None,
        };
        let reading = Reading {
            accept: vec![(200, 299)],
            // Node's HTTP parser answers 431 to a header over 16 KiB before the app runs.
            reject: vec![(401, 401), (403, 403), (431, 431)],
            json: ["sub", "email", "groups"]
                .map(|m| (m.to_string(), format!("/{m}")))
                .to_vec(),
            headers: vec![],
        };
        probe_and_assert(keys, server, &service, now, mode, port, &reading, want);
    }
}

/// services/pomerium-python: http.server and PyJWT 2.15.1's PyJWKClient (pip, pinned). Its
/// two failures are PyJWT's own, listed in docs/findings.md: `int(payload["exp"])` takes a
/// numeric string as a NumericDate.
#[test]
fn the_probe_reports_pyjwt_behind_a_python_service() {
    if !have("python3") {
        assert!(
            !require(),
            "JWTC_REQUIRE_SERVICES=1 but python3 is not on PATH"
        );
        eprintln!("SKIPPED python service test: python3 is needed");
        return;
    }
    let dir = repo().join("services/pomerium-python");
    let venv = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("services/pomerium-python/venv");
    if let Err(e) = jwtc_harness::install::pip(&dir.join("requirements.txt"), &venv) {
        assert!(!require(), "installing services/pomerium-python: {e}");
        eprintln!("SKIPPED python service test: installing services/pomerium-python failed: {e}");
        return;
    }
    let loaded = jwtc_vectors::embedded::load().unwrap();
    let server = KeyServer::start(&loaded.keys, 0, 0).unwrap();
    let (audience, issuer) = ("app.probe.test", "pomerium-proxy");
    let mut cmd = Command::new(venv.join("bin/python3"));
    cmd.arg(dir.join("server.py")).args([
        "0",
        &server.url("/.well-known/pomerium/jwks.json"),
        audience,
        issuer,
    ]);
    let (_service, port) = spawn(cmd, "pyjwt");
    let want = ["pomerium/exp/exp-string", "pomerium/iat/iat-string"];
    check(
        &loaded.keys,
        &server,
        wall_clock(),
        "pyjwt",
        port,
        audience,
        issuer,
        &want,
    );
}

/// services/coyo-node: a COYO plug-in back end (node:http + jose 6.2.17) with keys built in,
/// registered for the issuer pattern, and downloaded from an allowlisted https `jku`
/// (the key server's https origin, its CA trusted through NODE_EXTRA_CA_CERTS), three ways.
#[cfg(feature = "tls")]
#[test]
fn the_probe_passes_the_correct_coyo_back_end_and_catches_the_wrong_ones() {
    let Some(install) = installed("coyo services test", "services/coyo-node") else {
        return;
    };
    let loaded = jwtc_vectors::embedded::load().unwrap();
    let ca = install.join("ca.pem");
    let server = KeyServer::start_with(
        &loaded.keys,
        &Options {
            tls: Some(ca.clone()),
            ..Options::default()
        },
    )
    .unwrap();
    let config = install.join("config.json");
    let text = keyserver::configuration(&server, "coyo", "", "").to_string();
    std::fs::write(&config, text).unwrap();
    let now = wall_clock();
    // (mode, the unexpected failures the probe must report)
    let table: [(&str, &[&str]); 4] = [
        ("correct", &[]),
        ("lax-fetch", COYO_LAX_FETCH),
        ("any-jku", COYO_ANY_JKU),
        ("host-only", COYO_HOST_ONLY),
    ];
    for (mode, want) in table {
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
        let mut settings = Settings::suite(now);
        settings.hosts = keyserver::coyo_hosts(&server);
        let service = Service {
            profile: "coyo".into(),
            settings,
            skew: 0,
            clock_margin: 10,
            token_in: TokenIn::Bearer,
            identity: vec!["iss".into(), "sub".into()],
            served: server.tls_addr.map(|a| a.to_string()),
        };
        let reading = Reading {
            accept: vec![(200, 299)],
            reject: vec![(401, 401), (403, 403), (431, 431)],
            json: ["iss", "sub"]
                .map(|m| (m.to_string(), format!("/{m}")))
                .to_vec(),
            headers: vec![],
        };
        probe_and_assert(
            &loaded.keys,
            &server,
            &service,
            now,
            mode,
            port,
            &reading,
            want,
        );
    }
}

/// Fetches any jku: every trick that names the attacker's origin is fetched there.
#[cfg(feature = "tls")]
const COYO_ANY_JKU: &[&str] = &[
    "coyo/jku-allowlist/fragment-at",
    "coyo/jku-allowlist/query-at",
    "coyo/jku-allowlist/host-in-path",
    "coyo/jku-allowlist/url-in-query",
    "coyo/jku-allowlist/backslash-attacker-host",
    "coyo/jku-allowlist/http-scheme",
    "coyo/jku-allowlist/data-url",
    "coyo/jku-allowlist/attacker-host",
    "coyo/jku-allowlist/other-issuer-unlisted-origin",
];
/// Follows redirects, takes a body of any size, and waits for a slow one (the key server
/// answers `coyo/fetch/time-out` after 7 s, 2 s past the rules' 5 s time-out).
#[cfg(feature = "tls")]
const COYO_LAX_FETCH: &[&str] = &[
    "coyo/fetch/time-out",
    "coyo/fetch/redirect-other-origin",
    "coyo/fetch/oversize-128k",
];
/// Compares the host and port, not the scheme: an http:// jku on the allowlisted host.
#[cfg(feature = "tls")]
const COYO_HOST_ONLY: &[&str] = &["coyo/jku-allowlist/http-scheme"];

/// Probes `service` on `port` and asserts its unexpected failures are exactly `want`.
#[allow(clippy::too_many_arguments)]
fn probe_and_assert(
    keys: &jwtc_vectors::keystore::KeyStore,
    server: &KeyServer,
    service: &Service,
    now: i64,
    mode: &str,
    port: u16,
    reading: &Reading,
    want: &[&str],
) {
    let planned = plan::plan(keys, service, "/").unwrap();
    let limits = Limits {
        timeout: Duration::from_secs(5),
        rate: 50.0,
        max_requests: 1000,
        body_limit: 1 << 20,
    };
    let addr = format!("127.0.0.1:{port}").parse().unwrap();
    let probe = run::probe(
        mode, "0", now, addr, planned, server, &limits, reading, false,
    );
    common::assert_failures(&probe, &format!("service {mode}"), want);
}
