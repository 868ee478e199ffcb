//! A protocol responder that does no verification: it answers `hello`, and every case step
//! at once with a reject. `cargo xtask bench` runs the whole suite over the protocol through
//! it (`suite/protocol-null`) to measure what the exchange itself costs (the harness's
//! encoding and parsing, the pipes, the process wake-ups), apart from any implementation's
//! work. Like `adapters/reference`, its hello says `"pipeline": true` (it never fetches, so
//! it reads ahead as it is). Its verdicts are meaningless and not graded by the bench.

use std::io::{BufRead, Write};

fn main() {
    let stdin = std::io::stdin().lock();
    let mut out = std::io::stdout().lock();
    for line in stdin.lines() {
        let Ok(line) = line else { break };
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(&line) else {
            eprintln!("null_adapter: not JSON: {line}");
            continue;
        };
        let reply = match msg["type"].as_str() {
            Some("hello") => {
                serde_json::json!({"type": "hello", "name": "null", "version": "0", "pipeline": true})
            }
            Some("case") => serde_json::json!({
                "type": "result",
                "id": msg["id"],
                "step": msg["step"],
                "verdict": "reject",
                "error": "malformed",
            }),
            _ => continue,
        };
        if writeln!(out, "{reply}").and_then(|()| out.flush()).is_err() {
            break;
        }
    }
}
