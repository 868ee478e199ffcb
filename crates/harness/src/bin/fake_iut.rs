//! A fake implementation under test for the harness's own tests: it speaks the protocol
//! and misbehaves on request. Not for anything else.
//!
//! `jwtc-fake-iut [--fault KIND] [--on TEXT] [--fault-on KIND:TEXT]... [--profiles a,b] [--features a,b] [--url URL]`
//!
//! Every case whose id contains TEXT (every case without `--on`) gets the fault; every
//! other case is answered `skip` ("fake"). `--fault-on KIND:TEXT` (repeatable, checked
//! first, in order) gives a case whose id contains TEXT the fault KIND instead, so one
//! run can hold several kinds of answer. Faults: `none`, `crash` (exit code 3),
//! `abort` (SIGABRT), `exit` (exit 0 without answering), `hang`, `close-stdout`,
//! `garbage` (a line that is not JSON), `huge` (a 10 MB line), `wrong-id`,
//! `two-results`, `hello-again`, `fetch` (fetches `--url`, then accepts with the
//! `fetched` message as its output), `echo` (accepts with the case message as output),
//! `stderr` (writes to stderr, then skips), `deep` (a valid JSON line nested 5,000 deep),
//! `sign` (answers what the reference signer of the case's profile mints at the time
//! `--mint-at SECONDS`, or at the `now` it is given without it).
//! `--clock VALUE` puts `"clock": VALUE` in the hello (a signer that reads the wall clock).
//! `slow` (sleeps `--slow-ms MS`, 1000 without it, then accepts with output `{}`).
//! `--pipeline` puts `"pipeline": true` in the hello; fault `read-ahead` reads the next
//! line before answering (only a harness that sends ahead lets it answer), then answers
//! both cases `skip` in order.
//! `--features` is the hello's list of claimed features (`--features ""`: none). Faults at the start: `no-hello` (hangs),
//! `bad-hello` (answers hello with a JSON string), `die-at-hello` (exit 7).
//! `--once FILE`: start normally only if FILE does not exist (and create it); otherwise
//! die at hello, so that every restart fails.

use std::io::{BufRead, Write};

use serde_json::{json, Value};

fn main() {
    let mut fault = String::from("none");
    let mut on: Option<String> = None;
    let mut profiles: Option<Vec<String>> = None;
    let mut features: Option<Vec<String>> = None;
    let mut url = String::new();
    let mut fault_on: Vec<(String, String)> = Vec::new();
    let mut clock: Option<String> = None;
    let mut mint_at: Option<i64> = None;
    let mut pipeline = false;
    let mut now: i64 = 0;
    let mut slow_ms: u64 = 1000;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_default();
        match a.as_str() {
            "--fault" => fault = value(),
            "--on" => on = Some(value()),
            "--profiles" => profiles = Some(value().split(',').map(str::to_owned).collect()),
            "--features" => {
                features = Some(
                    value()
                        .split(',')
                        .filter(|f| !f.is_empty())
                        .map(str::to_owned)
                        .collect(),
                )
            }
            "--url" => url = value(),
            "--clock" => clock = Some(value()),
            "--mint-at" => mint_at = value().parse().ok(),
            "--slow-ms" => slow_ms = value().parse().unwrap_or(slow_ms),
            "--pipeline" => pipeline = true,
            "--fault-on" => {
                let v = value();
                let Some((kind, text)) = v.split_once(':') else {
                    eprintln!("jwtc-fake-iut: --fault-on {v:?}: give KIND:TEXT");
                    std::process::exit(2);
                };
                fault_on.push((kind.to_owned(), text.to_owned()));
            }
            "--once" => {
                let marker = value();
                if std::path::Path::new(&marker).exists() {
                    fault = "die-at-hello".into();
                } else if let Err(e) = std::fs::write(&marker, b"") {
                    eprintln!("jwtc-fake-iut: cannot create {marker}: {e}");
                    std::process::exit(2);
                }
            }
            other => {
                eprintln!("jwtc-fake-iut: unknown argument {other:?}");
                std::process::exit(2);
            }
        }
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut out = std::io::stdout();
    let mut say = |v: Value| {
        let _ = writeln!(out, "{v}");
        let _ = out.flush();
    };
    let mut first = true;
    let mut text = String::new();
    loop {
        text.clear();
        match input.read_line(&mut text) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let msg: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("jwtc-fake-iut: not JSON from the harness: {e}");
                std::process::exit(2);
            }
        };
        if first {
            first = false;
            match fault.as_str() {
                "no-hello" => sleep_forever(),
                "bad-hello" => {
                    say(json!("hello?"));
                    std::process::exit(0)
                }
                "die-at-hello" => {
                    eprintln!("jwtc-fake-iut: dying at hello as asked");
                    std::process::exit(7)
                }
                _ => {}
            }
            let mut hello = json!({"type": "hello", "name": "fake", "version": "0"});
            if let Some(p) = &profiles {
                hello["profiles"] = json!(p);
            }
            if let Some(f) = &features {
                hello["features"] = json!(f);
            }
            if let Some(c) = &clock {
                hello["clock"] = json!(c);
            }
            if pipeline {
                hello["pipeline"] = json!(true);
            }
            now = msg["now"].as_i64().unwrap_or_default();
            say(hello);
            continue;
        }
        if msg["type"] != "case" {
            eprintln!("jwtc-fake-iut: unexpected message {msg}");
            continue;
        }
        let id = msg["id"].as_str().unwrap_or_default().to_owned();
        let step = msg["step"].clone();
        let chosen = fault_on
            .iter()
            .find(|(_, text)| id.contains(text.as_str()))
            .map(|(kind, _)| kind.as_str());
        let faulty = chosen.is_some() || on.as_ref().is_none_or(|t| id.contains(t.as_str()));
        let skip = json!({"type": "skip", "id": id, "step": step, "reason": "fake"});
        if !faulty {
            say(skip);
            continue;
        }
        match chosen.unwrap_or(fault.as_str()) {
            "crash" => std::process::exit(3),
            "abort" => std::process::abort(),
            "exit" => std::process::exit(0),
            "hang" => sleep_forever(),
            "slow" => {
                std::thread::sleep(std::time::Duration::from_millis(slow_ms));
                say(
                    json!({"type": "result", "id": id, "step": step, "verdict": "accept", "output": {}}),
                );
            }
            "close-stdout" => {
                close_stdout();
                sleep_forever()
            }
            "garbage" => {
                let mut o = std::io::stdout();
                let _ = writeln!(o, "DEBUG: verifying {id}");
                let _ = o.flush();
            }
            "huge" => {
                let mut o = std::io::stdout();
                let chunk = vec![b'x'; 1 << 20];
                for _ in 0..10 {
                    let _ = o.write_all(&chunk);
                }
                let _ = o.write_all(b"\n");
                let _ = o.flush();
                say(skip);
            }
            "wrong-id" => say(
                json!({"type": "result", "id": "not/the/case", "verdict": "reject", "error": "malformed"}),
            ),
            "two-results" => {
                say(
                    json!({"type": "result", "id": id, "step": step, "verdict": "reject", "error": "malformed"}),
                );
                say(
                    json!({"type": "result", "id": id, "step": step, "verdict": "accept", "output": {}}),
                );
            }
            "hello-again" => say(json!({"type": "hello", "name": "fake"})),
            "read-ahead" => {
                text.clear();
                let next: Option<Value> = match input.read_line(&mut text) {
                    Ok(n) if n > 0 => serde_json::from_str(&text).ok(),
                    _ => None,
                };
                say(skip);
                if let Some(next) = next {
                    say(
                        json!({"type": "skip", "id": next["id"], "step": next["step"], "reason": "fake"}),
                    );
                }
            }
            "fetch" => {
                say(json!({"type": "fetch", "url": url}));
                text.clear();
                let fetched: Value = match input.read_line(&mut text) {
                    Ok(n) if n > 0 => serde_json::from_str(&text).unwrap_or(Value::Null),
                    _ => return,
                };
                say(
                    json!({"type": "result", "id": id, "step": step, "verdict": "accept", "output": fetched}),
                );
            }
            "sign" => {
                let profile = msg["profile"].as_str().unwrap_or_default();
                let Some(mut session) = jwtc_harness::reference::session(profile) else {
                    say(skip);
                    continue;
                };
                let got =
                    session.step(&msg["input"], &msg["context"], None, mint_at.unwrap_or(now));
                let mut answer = serde_json::to_value(&got).unwrap_or_default();
                answer["type"] = json!("result");
                answer["id"] = json!(id);
                answer["step"] = step;
                say(answer);
            }
            "echo" => say(
                json!({"type": "result", "id": id, "step": step, "verdict": "accept", "output": msg}),
            ),
            "stderr" => {
                eprintln!("jwtc-fake-iut: a line for the log about {id}");
                say(skip);
            }
            "deep" => {
                let mut o = std::io::stdout();
                let _ = writeln!(o, "{}{}", "[".repeat(5000), "]".repeat(5000));
                let _ = o.flush();
            }
            _ => say(skip),
        }
    }
}

fn sleep_forever() -> ! {
    loop {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}

fn close_stdout() {
    #[cfg(unix)]
    // SAFETY: closes this process's own fd 1; nothing in this process writes to it after.
    unsafe {
        libc::close(1);
    }
}
