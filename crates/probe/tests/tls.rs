//! The key server over https: a certificate made at start whose CA file a client trusts
//! (and without which it is refused), plain http on the https port logged as `http://`,
//! a case's own documents (status, headers, body) served while it is in flight and gone
//! after, and the COYO cases minted for the key server's origins. No network, no clock.

#![cfg(feature = "tls")]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use jwtc_probe::http::{self, Request};
use jwtc_probe::keyserver::{self, Answer, KeyServer, Options};
use jwtc_probe::plan::{self, Service, TokenIn};
use jwtc_vectors::generate::Settings;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};

fn start(dir: &str) -> KeyServer {
    let loaded = jwtc_vectors::embedded::load().unwrap();
    let ca = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(dir)
        .join("ca.pem");
    KeyServer::start_with(
        &loaded.keys,
        &Options {
            tls: Some(ca),
            ..Options::default()
        },
    )
    .unwrap()
}

/// One https GET trusting `ca` (the PEM file); the status line and body, or the error.
fn get(addr: SocketAddr, ca: Option<&std::path::Path>, target: &str) -> Result<String, String> {
    let mut roots = rustls::RootCertStore::empty();
    if let Some(ca) = ca {
        roots
            .add(CertificateDer::from_pem_file(ca).unwrap())
            .unwrap();
    }
    #[allow(deprecated)]
    let provider = rustls::crypto::ring::default_provider();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(provider))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = ServerName::try_from("127.0.0.1").unwrap();
    let conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    let tcp = TcpStream::connect(addr).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut s = rustls::StreamOwned::new(conn, tcp);
    let req = format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    match s.read_to_end(&mut out) {
        Ok(_) => Ok(String::from_utf8_lossy(&out).into_owned()),
        Err(e) if !out.is_empty() => Err(format!("{e} after {} bytes", out.len())),
        Err(e) => Err(e.to_string()),
    }
}

#[test]
fn the_https_origins_speak_tls_with_the_certificate_they_print() {
    let server = start("tls-origins");
    let ca = server.ca_file.clone().unwrap();
    assert!(std::fs::read_to_string(&ca)
        .unwrap()
        .contains("BEGIN CERTIFICATE"));
    let t = server.tls_addr.unwrap();
    server.begin("case-1");
    let doc = get(t, Some(&ca), "/coyo/registered.json").unwrap();
    assert!(doc.starts_with("HTTP/1.1 200"), "{doc}");
    assert!(doc.contains("rsa-2048-a"), "{doc}");
    let evil = get(server.attacker_tls_addr.unwrap(), Some(&ca), "/jwks.json").unwrap();
    assert!(evil.contains("rsa-2048-b"), "{evil}");
    // Without the CA the handshake fails.
    let refused = get(t, None, "/coyo/registered.json").unwrap_err();
    assert!(refused.contains("UnknownIssuer"), "{refused}");
    // Plain http on the https port is answered, and logged as http://.
    let plain = http::send(
        t,
        &Request {
            method: "GET".into(),
            target: "/coyo/builtin.json".into(),
            ..Request::default()
        },
        Duration::from_secs(5),
        1 << 20,
    )
    .unwrap();
    assert_eq!(plain.status, 200);
    let urls: Vec<String> = server.end().into_iter().map(|f| f.url).collect();
    assert_eq!(
        urls,
        [
            format!("https://{t}/coyo/registered.json"),
            format!("https://{}/jwks.json", server.attacker_tls_addr.unwrap()),
            format!("http://{t}/coyo/builtin.json"),
        ]
    );
}

#[test]
fn a_case_s_own_documents_are_served_while_it_is_in_flight() {
    let server = start("tls-case-docs");
    let ca = server.ca_file.clone().unwrap();
    let t = server.tls_addr.unwrap();
    let mut docs = BTreeMap::new();
    docs.insert(
        "/jwks.json?tenant=acme".to_string(),
        Answer {
            status: 302,
            headers: vec![("Location".into(), "https://elsewhere.example/".into())],
            body: String::new(),
            delay: std::time::Duration::ZERO,
        },
    );
    server.begin_with("case-2", docs);
    let moved = get(t, Some(&ca), "/jwks.json?tenant=acme").unwrap();
    assert!(moved.starts_with("HTTP/1.1 302"), "{moved}");
    assert!(
        moved.contains("Location: https://elsewhere.example/"),
        "{moved}"
    );
    assert!(moved.contains("Cache-Control: no-store"), "{moved}");
    server.end();
    let gone = get(t, Some(&ca), "/jwks.json?tenant=acme").unwrap();
    assert!(gone.starts_with("HTTP/1.1 404"), "{gone}");
}

#[test]
fn coyo_cases_are_minted_for_the_key_server_s_origins_and_sent() {
    let loaded = jwtc_vectors::embedded::load().unwrap();
    let server = start("tls-coyo");
    let t = server.tls_addr.unwrap().to_string();
    let a = server.attacker_tls_addr.unwrap().to_string();
    let mut settings = Settings::suite(1_767_225_600);
    settings.hosts = keyserver::coyo_hosts(&server);
    let service = Service {
        profile: "coyo".into(),
        settings,
        skew: 60,
        clock_margin: 10,
        token_in: TokenIn::Bearer,
        identity: vec![],
        served: Some(t.clone()),
    };
    let planned = plan::plan(&loaded.keys, &service, "/").unwrap();
    let find = |id: &str| planned.iter().find(|p| p.case.case.id == id).unwrap();
    // The allowlisted jku is now the https trusted origin, served for the case.
    let jwk_set = find("coyo/fetch/jwk-set");
    assert!(
        jwk_set.request.is_ok(),
        "{:?}",
        jwk_set.request.as_ref().err()
    );
    assert_eq!(jwk_set.docs.keys().collect::<Vec<_>>(), ["/jwks.json"]);
    assert_eq!(
        jwk_set.aliases,
        [(
            format!("https://{t}/jwks.json"),
            format!("https://{t}/jwks.json")
        )]
    );
    // The attacker's host is the https attacker origin.
    let attacker = find("coyo/jku-allowlist/attacker-host");
    assert!(attacker.request.is_ok());
    assert!(attacker.docs.is_empty());
    assert!(server.attacker_tls_addr.is_some_and(|x| x.to_string() == a));
    for p in &planned {
        if let Err(why) = &p.request {
            eprintln!("skip {}: {why}", p.case.case.id);
        }
    }
    // A case that needs a document off this machine to accept is skipped, saying which.
    let six = planned
        .iter()
        .filter_map(|p| p.request.as_ref().err())
        .find(|why| why.contains("[2001:db8::10]"));
    assert!(
        six.is_some(),
        "no case skipped for the IPv6 allowlisted origin"
    );
    let sent = planned.iter().filter(|p| p.request.is_ok()).count();
    assert!(sent >= 50, "only {sent} coyo cases sent");
}

#[test]
fn the_ca_is_kept_so_a_service_started_earlier_still_trusts_the_next_run() {
    let first = start("tls-reuse");
    let ca = first.ca_file.clone().unwrap();
    let trusted_then =
        std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("tls-reuse-then.pem");
    std::fs::copy(&ca, &trusted_then).unwrap();
    drop(first);
    let second = start("tls-reuse");
    let doc = get(
        second.tls_addr.unwrap(),
        Some(&trusted_then),
        "/coyo/builtin.json",
    )
    .unwrap();
    assert!(doc.starts_with("HTTP/1.1 200"), "{doc}");
    // A key file that is not a key: one clear error naming it.
    let bad = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("tls-bad/ca.pem");
    std::fs::create_dir_all(bad.parent().unwrap()).unwrap();
    std::fs::write(jwtc_probe::tls::key_file(&bad), "not a key").unwrap();
    let err = jwtc_probe::tls::Tls::make(&bad).err().unwrap();
    assert!(
        err.contains("ca.pem.key") && err.contains("remove it"),
        "{err}"
    );
}
