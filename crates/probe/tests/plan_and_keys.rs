//! What the probe mints and plans (the suite's cases, same ids, rules and severities; every
//! case sent or skipped with a reason), and the key server (documents, fetches logged
//! against the case in flight, hostile modes, a key rotated mid-run). Fixed clock.

use std::time::Duration;

use jwtc_probe::http::{self, HttpError, Request};
use jwtc_probe::keyserver::{self, KeyServer, Mode};
use jwtc_probe::plan::{self, Service, TokenIn};
use jwtc_vectors::generate::Settings;

const NOW: i64 = 1_767_225_600;

fn service(profile: &str, audience: &str) -> Service {
    let mut settings = Settings::suite(NOW);
    settings.audience = audience.into();
    Service {
        profile: profile.into(),
        settings,
        skew: 60,
        clock_margin: 10,
        token_in: TokenIn::Json("token".into()),
        identity: vec!["sub".into(), "email".into()],
        served: None,
    }
}

#[test]
fn every_case_keeps_its_id_rule_and_severity_and_is_sent_or_skipped_with_a_reason() {
    let loaded = jwtc_vectors::embedded::load().unwrap();
    for (profile, sent_at_least) in [("pomerium", 70), ("coyo", 20)] {
        let planned = plan::plan(&loaded.keys, &service(profile, "app.local"), "/x").unwrap();
        // The generated files of the profile (interop fixtures are minted by other libraries).
        let mut suite: Vec<_> = loaded
            .cases
            .iter()
            .filter(|c| c.case.id.starts_with(&format!("{profile}/")))
            .map(|c| (c.case.id.clone(), c.case.rule.clone(), c.case.severity))
            .collect();
        suite.sort();
        let mut minted: Vec<_> = planned
            .iter()
            .map(|p| {
                (
                    p.case.case.id.clone(),
                    p.case.case.rule.clone(),
                    p.case.case.severity,
                )
            })
            .collect();
        minted.sort();
        assert_eq!(
            minted, suite,
            "{profile}: the minted cases differ from the suite's"
        );
        let sent = planned.iter().filter(|p| p.request.is_ok()).count();
        assert!(
            sent >= sent_at_least,
            "{profile}: only {sent} cases sendable"
        );
        for p in &planned {
            if let Err(why) = &p.request {
                assert!(
                    why.len() > 20,
                    "{}: a skip without a reason: {why:?}",
                    p.case.case.id
                );
            }
        }
    }
}

#[test]
fn the_service_settings_reach_the_tokens() {
    let loaded = jwtc_vectors::embedded::load().unwrap();
    let planned = plan::plan(&loaded.keys, &service("pomerium", "app.local"), "/").unwrap();
    let full = planned
        .iter()
        .find(|p| p.case.case.id == "pomerium/identity/full")
        .unwrap();
    let req = full.request.as_ref().unwrap();
    let token = &req
        .headers
        .iter()
        .find(|(n, _)| n == "x-pomerium-jwt-assertion")
        .unwrap()
        .1;
    let payload = token.split('.').nth(1).unwrap();
    let claims: serde_json::Value = serde_json::from_slice(&b64(payload)).unwrap();
    assert_eq!(claims["aud"], "app.local");
    assert_eq!(claims["exp"], NOW + 290);
    // COYO's token goes where --token-in says.
    let planned = plan::plan(&loaded.keys, &service("coyo", "x"), "/plugin").unwrap();
    let sent = planned
        .iter()
        .find_map(|p| p.request.as_ref().ok())
        .unwrap();
    assert_eq!(sent.method, "POST");
    assert!(String::from_utf8_lossy(sent.body.as_ref().unwrap()).starts_with("{\"token\":\"ey"));
}

fn b64(s: &str) -> Vec<u8> {
    let table = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        _ => 63,
    };
    let bits: Vec<u8> = s.bytes().map(table).collect();
    let mut out = Vec::new();
    for chunk in bits.chunks(4) {
        let n = chunk.iter().fold(0u32, |acc, &b| (acc << 6) | b as u32) << (6 * (4 - chunk.len()));
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

#[test]
fn the_key_server_serves_logs_and_misbehaves_on_purpose() {
    let loaded = jwtc_vectors::embedded::load().unwrap();
    let server = KeyServer::start(&loaded.keys, 0, 0).unwrap();
    let get = |addr, path: &str| {
        http::send(
            addr,
            &Request {
                method: "GET".into(),
                target: path.into(),
                ..Request::default()
            },
            Duration::from_millis(600),
            64 * 1024,
        )
    };
    server.begin("case-1");
    let doc = get(server.addr, "/.well-known/pomerium/jwks.json").unwrap();
    let jwks: serde_json::Value = serde_json::from_slice(&doc.body).unwrap();
    assert_eq!(jwks["keys"][0]["kid"], "p256-a");
    let evil = get(server.attacker_addr, "/anything").unwrap();
    assert!(String::from_utf8_lossy(&evil.body).contains("p256-b"));
    let fetches = server.end();
    assert_eq!(fetches.len(), 2);
    assert!(fetches.iter().all(|f| f.case.as_deref() == Some("case-1")));
    assert!(fetches[1].attacker);
    // The same case id again: only its new fetches.
    server.begin("case-1");
    assert_eq!(server.end(), vec![]);
    // Rotation mid-run.
    let rotated = keyserver::jwks(&loaded.keys, &["p256-b"]).unwrap();
    server.set("/.well-known/pomerium/jwks.json", rotated, Mode::Plain);
    let doc = get(server.addr, "/.well-known/pomerium/jwks.json").unwrap();
    assert!(String::from_utf8_lossy(&doc.body).contains("p256-b"));
    // Hostile modes, each as a client sees it.
    let path = "/pomerium/jwks.json";
    let body = keyserver::jwks(&loaded.keys, &["p256-a"]).unwrap();
    server.set(path, body.clone(), Mode::RedirectLoop);
    assert_eq!(get(server.addr, path).unwrap().status, 302);
    server.set(path, body.clone(), Mode::NotJson);
    assert!(get(server.addr, path).unwrap().body.starts_with(b"<html>"));
    server.set(path, body.clone(), Mode::Oversized);
    assert!(matches!(
        get(server.addr, path),
        Err(HttpError::TooLarge(..))
    ));
    server.set(path, body, Mode::Slow);
    assert!(matches!(get(server.addr, path), Err(HttpError::Timeout(_))));
    assert_eq!(get(server.addr, "/nothing").unwrap().status, 404);
    assert!(Mode::parse("bogus").unwrap_err().contains("bogus"));
}
