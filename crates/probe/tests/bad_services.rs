//! The probe against services that misbehave (tiny servers on std TcpListener threads, no
//! wall clock): each gives one clear per-case state and the run goes on; a URL off this
//! machine is refused before anything is sent; nothing panics.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use jwtc_harness::grade::State;
use jwtc_probe::http::{self, HttpError, Request};
use jwtc_probe::keyserver::KeyServer;
use jwtc_probe::plan::{self, Service, TokenIn};
use jwtc_probe::run::{self, Limits, Reading};
use jwtc_vectors::generate::Settings;

/// What a fake service does with each connection.
#[derive(Clone, Copy, Debug)]
enum Behaviour {
    Hang,
    Reset,
    Huge,
    RedirectForever,
    Tls,
    Status500,
    Accept,
}

fn serve(b: Behaviour) -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        for conn in l.incoming() {
            let Ok(mut s) = conn else { continue };
            std::thread::spawn(move || answer(&mut s, b));
        }
    });
    addr
}

fn answer(s: &mut TcpStream, b: Behaviour) {
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let mut buf = [0u8; 65536];
    let _ = s.read(&mut buf);
    let _ = match b {
        Behaviour::Hang => {
            std::thread::sleep(Duration::from_secs(3));
            Ok(())
        }
        Behaviour::Reset => {
            let _ = s.shutdown(std::net::Shutdown::Both);
            Ok(())
        }
        Behaviour::Huge => {
            let body = vec![b'x'; 10 * 1024 * 1024];
            s.write_all(format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n", body.len()).as_bytes())
                .and_then(|()| s.write_all(&body))
        }
        Behaviour::RedirectForever => s.write_all(b"HTTP/1.1 302 Found\r\nLocation: /\r\nContent-Length: 0\r\n\r\n"),
        Behaviour::Tls => s.write_all(&[0x16, 0x03, 0x03, 0x00, 0x2a, 0x02, 0x00]),
        Behaviour::Status500 => s.write_all(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\noops"),
        Behaviour::Accept => s.write_all(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n{\"sub\"\r\na\r\n:\"user-1\"}\r\n0\r\n\r\n",
        ),
    };
}

fn not_listening() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap()
}

/// What a case of [`each_fault_is_one_clear_error`] accepts as the answer.
type Check = dyn Fn(&Result<http::Response, HttpError>) -> bool;

#[test]
fn each_fault_is_one_clear_error() {
    let get = Request {
        method: "GET".into(),
        target: "/".into(),
        ..Request::default()
    };
    let t = Duration::from_millis(500);
    let cases: Vec<(&str, SocketAddr, &Check)> = vec![
        ("hang", serve(Behaviour::Hang), &|r| {
            matches!(r, Err(HttpError::Timeout(_)))
        }),
        ("reset", serve(Behaviour::Reset), &|r| {
            matches!(r, Err(HttpError::Reset(_)))
        }),
        ("10 MB", serve(Behaviour::Huge), &|r| {
            matches!(r, Err(HttpError::TooLarge(..)))
        }),
        (
            "tls",
            serve(Behaviour::Tls),
            &|r| matches!(r, Err(HttpError::NotHttp(m)) if m.contains("TLS")),
        ),
        ("not listening", not_listening(), &|r| {
            matches!(r, Err(HttpError::Refused(_)))
        }),
        (
            "redirect",
            serve(Behaviour::RedirectForever),
            &|r| matches!(r, Ok(resp) if resp.status == 302 && resp.header("location") == Some("/")),
        ),
        (
            "chunked",
            serve(Behaviour::Accept),
            &|r| matches!(r, Ok(resp) if resp.body == br#"{"sub":"user-1"}"#),
        ),
    ];
    for (name, addr, ok) in cases {
        let got = http::send(addr, &get, t, 1024 * 1024);
        assert!(ok(&got), "{name}: got {got:?}");
        if let Err(e) = got {
            assert!(!e.to_string().is_empty(), "{name}: the error says nothing");
        }
    }
}

#[test]
fn urls_off_this_machine_are_refused() {
    for (url, ok) in [
        ("http://127.0.0.1:3000/", true),
        ("http://localhost:3000/app?x=1", true),
        ("http://[::1]:3000/", true),
        ("http://10.0.0.1:3000/", false),
        ("http://example.com/", false),
        ("http://127.0.0.2/", false),
        ("https://127.0.0.1/", false),
        ("http://user:pw@127.0.0.1/", false),
        ("not a url", false),
    ] {
        let got = jwtc_probe::target::parse(url);
        assert_eq!(got.is_ok(), ok, "{url}: {got:?}");
        if let Err(e) = got {
            assert!(
                e.contains(url),
                "{url}: the error does not name the URL: {e}"
            );
        }
    }
}

fn service() -> Service {
    Service {
        profile: "pomerium".into(),
        settings: Settings::suite(1_767_225_600),
        skew: 60,
        clock_margin: 10,
        token_in: TokenIn::Bearer,
        identity: vec!["sub".into()],
        served: None,
    }
}

/// A whole probe of three cases against each misbehaving service: every sent case gets
/// the state named, the run finishes.
#[test]
fn a_misbehaving_service_gives_each_case_a_state() {
    let loaded = jwtc_vectors::embedded::load().unwrap();
    let keys = loaded.keys;
    let server = KeyServer::start(&keys, 0, 0).unwrap();
    let limits = Limits {
        timeout: Duration::from_millis(400),
        rate: 1000.0,
        max_requests: 100,
        body_limit: 1024 * 1024,
    };
    let reading = Reading {
        accept: vec![(200, 299)],
        reject: vec![(401, 401), (403, 403)],
        json: vec![("sub".into(), "/sub".into())],
        headers: vec![],
    };
    for (b, want) in [
        (Behaviour::Hang, State::Hang),
        (Behaviour::Reset, State::Crash),
        (Behaviour::Huge, State::Crash),
        (Behaviour::Tls, State::Crash),
        (Behaviour::RedirectForever, State::Fail),
        (Behaviour::Status500, State::Fail),
    ] {
        let mut planned = plan::plan(&keys, &service(), "/").unwrap();
        planned.retain(|p| p.case.case.id.starts_with("pomerium/aud/"));
        planned.truncate(3);
        let probe = run::probe(
            "fake",
            "0",
            1_767_225_600,
            serve(b),
            planned,
            &server,
            &limits,
            &reading,
            false,
        );
        assert_eq!(probe.run.results.len(), 3);
        for r in &probe.run.results {
            assert_eq!(r.state, want, "{b:?} {}: {}", r.id, r.message);
        }
    }
}
