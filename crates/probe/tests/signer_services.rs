//! `jwtc probe --role signer` against real signer endpoints: services/signer-node
//! (node:http, jsonwebtoken 9.0.3 and node-rsa 1.1.1, installed pinned by the harness's
//! `install::npm`) run three ways on 127.0.0.1, started and killed by the test. The correct
//! app must pass every case it is sent; the vendors' own samples and a fixed nonce must fail
//! on exactly the cases named here. The app mints at its own wall clock, so each answer is
//! graded at the time it arrived. Without node and npm the test says so on stderr and
//! passes, unless JWTC_REQUIRE_SERVICES=1 (.ci/run sets it).

mod common;

use std::process::Command;
use std::time::Duration;

use serde_json::json;

use jwtc_harness::features::system_now;
use jwtc_harness::grade::signer::watson::public_half;
use jwtc_probe::run::{Limits, Reading};
use jwtc_probe::signer::{self, App};

use common::{installed, repo, spawn};

/// Pendo's key as the app holds it (32 bytes or more, as HS256 needs).
const SECRET: &str = "app-secret-1-of-at-least-32-bytes";

/// (mode, the unexpected failures of the Pendo endpoint, of the Watson endpoint)
const TABLE: [(&str, &[&str], &[&str]); 3] = [
    ("correct", &[], &[]),
    (
        "vendor-sample",
        &[
            "pendo/mint/visitor-numeric-id",
            "pendo/mint/visitor-anonymous-null-id",
        ],
        &[
            "watson/mint/iss-configured",
            "watson/mint/verifies-user-id",
            "watson/mint/sub-numeric-id",
            "watson/mint/verifies-payload",
            "watson/mint/sub-space-refused",
            "watson/mint/sub-tab-refused",
            "watson/mint/sub-non-ascii-refused",
            "watson/mint/sub-empty-refused",
        ],
    ),
    (
        "fixed-nonce",
        &[
            "pendo/mint/nonce-top-level",
            "pendo/mint/nonce-same-request-thrice",
        ],
        &[],
    ),
];

#[test]
fn the_signer_probe_passes_the_correct_app_and_catches_the_wrong_ones() {
    let Some(install) = installed("signer services test", "services/signer-node") else {
        return;
    };
    let loaded = jwtc_vectors::embedded::load().unwrap();
    let signing = loaded.keys.private_jwk("rsa-2048-a").unwrap().clone();
    let ibm = loaded.keys.private_jwk("rsa-2048-b").unwrap().clone();
    let issuer = "www.example.com";
    let config = install.join("config.json");
    std::fs::write(
        &config,
        json!({
            "pendo": {"name": "pendo-1", "secret": SECRET},
            "watson": {"signing_key": signing, "issuer": issuer, "ibm_public_key": public_half(&ibm)},
        })
        .to_string(),
    )
    .unwrap();
    let pendo = App {
        profile: "pendo-signer".into(),
        context: json!({
            "keys": [{"kty": "oct", "kid": "pendo-1", "k": jwtc_verifier::b64::encode(SECRET.as_bytes())}],
            "active": "pendo-1",
            "revoked": [],
        }),
    };
    let watson = App {
        profile: "watson-signer".into(),
        context: json!({
            "signing_key": public_half(&signing),
            "issuer": issuer,
            "ibm_public_key": public_half(&ibm),
            "decryption_key": ibm,
        }),
    };
    for (mode, pendo_want, watson_want) in TABLE {
        let mut cmd = Command::new("node");
        cmd.arg(repo().join("services/signer-node/server.mjs"))
            .args([
                install.to_str().unwrap(),
                mode,
                "0",
                config.to_str().unwrap(),
            ]);
        let (_service, port) = spawn(cmd, mode);
        for (app, path, want) in [
            (&pendo, "/pendo", pendo_want),
            (&watson, "/watson", watson_want),
        ] {
            probe_and_assert(&loaded.cases, app, mode, port, path, want);
        }
    }
}

/// Probes the endpoint `path` on `port` and asserts its unexpected failures are `want`.
fn probe_and_assert(
    cases: &[jwtc_vectors::load::LoadedCase],
    app: &App,
    mode: &str,
    port: u16,
    path: &str,
    want: &[&str],
) {
    let planned = signer::plan(cases, app, path);
    let limits = Limits {
        timeout: Duration::from_secs(5),
        rate: 50.0,
        max_requests: 100,
        body_limit: 1 << 20,
    };
    let reading = Reading {
        accept: vec![(200, 299)],
        reject: vec![(400, 499)],
        json: vec![],
        headers: vec![],
    };
    let addr = format!("127.0.0.1:{port}").parse().unwrap();
    let probe = signer::probe(
        mode,
        "0",
        system_now(),
        addr,
        planned,
        &limits,
        &reading,
        system_now,
        false,
    );
    common::assert_failures(&probe, &format!("app {mode} {path}"), want);
}
