//! Every message example in docs/protocol.md is a real protocol message: the harness's
//! parse as what the harness sends, the adapter's as what the harness reads.

use std::path::Path;

use jwtc_harness::protocol::{FromIut, ToIut};
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq)]
enum From {
    Harness,
    Adapter,
    Either,
}

fn check(line_no: usize, from: From, v: &Value) -> Result<(), String> {
    let text = v.to_string();
    let harness = serde_json::from_str::<ToIut>(&text).map(|_| ());
    let adapter = FromIut::parse(&text).map(|_| ());
    let ok = match from {
        From::Harness => harness.is_ok(),
        From::Adapter => adapter.is_ok(),
        From::Either => harness.is_ok() || adapter.is_ok(),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "docs/protocol.md:{line_no}: not a message {from:?} sends: {text} ({harness:?}, {adapter:?})"
        ))
    }
}

#[test]
fn every_example_in_protocol_md_is_a_message() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/protocol.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let mut errors = Vec::new();
    let mut checked = 0;
    let mut in_block: Option<String> = None; // the block's language
    let mut json_block = String::new();
    let mut block_start = 0;
    for (i, line) in doc.lines().enumerate() {
        let n = i + 1;
        if let Some(lang) = line.strip_prefix("```") {
            match in_block.take() {
                None => {
                    in_block = Some(lang.to_owned());
                    json_block.clear();
                    block_start = n;
                }
                Some(lang) if lang == "json" => {
                    // A JSON block: one or more messages, possibly over several lines.
                    for v in serde_json::Deserializer::from_str(&json_block).into_iter::<Value>() {
                        match v {
                            Ok(v) if v.get("type").is_some() => {
                                checked += 1;
                                if let Err(e) = check(block_start, From::Either, &v) {
                                    errors.push(e);
                                }
                            }
                            Ok(_) => {}
                            Err(e) => errors.push(format!("docs/protocol.md:{block_start}: a json block that is not JSON: {e}")),
                        }
                    }
                }
                Some(_) => {}
            }
            continue;
        }
        let Some(lang) = &in_block else { continue };
        let (from, rest) = if let Some(r) = line.strip_prefix("harness → ") {
            (From::Harness, r)
        } else if let Some(r) = line.strip_prefix("adapter → ") {
            (From::Adapter, r)
        } else {
            if lang == "json" {
                json_block.push_str(line);
                json_block.push('\n');
            }
            continue;
        };
        checked += 1;
        match serde_json::from_str::<Value>(rest) {
            Ok(v) => {
                if let Err(e) = check(n, from, &v) {
                    errors.push(e);
                }
            }
            Err(e) => errors.push(format!("docs/protocol.md:{n}: not JSON: {e}: {rest}")),
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert!(checked >= 15, "only {checked} examples found");
}
