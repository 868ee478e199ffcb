//! The figures of docs/attack-recovery.md, measured on this machine (wall clock; not a
//! test): `cargo run --release -p jwtc-recover --example measure -- recover rsa-2048-a`
//! times one recovery from two RS256 tokens of a suite key; `… -- crack 2000000` times
//! that many HS256 words that do not match (both cores), and prints words/s.

use std::io::Cursor;
use std::path::PathBuf;
use std::time::Instant;

use jwtc_recover::crack::{self, Flow, Limits};
use jwtc_recover::modulus;
use jwtc_vectors::keystore::KeyStore;
use jwtc_vectors::mint::{self, Mint};
use jwtc_verifier::b64;
use serde_json::json;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let keys =
        KeyStore::load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../vectors/keys"))?;
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["recover", key] => {
            let mint = Mint::new(&keys);
            let header = json!({"alg": "RS256", "typ": "JWT"});
            let a = mint.jwt("RS256", key, &header, &json!({"sub": "alice"}));
            let b = mint.jwt("RS256", key, &header, &json!({"sub": "bob"}));
            let start = Instant::now();
            let found = modulus::recover(&a, &b).map_err(|e| e.to_string())?;
            println!(
                "recovered {key}: {} bits, e = {}, {} small factor(s) removed, in {:.1} s",
                found.bits,
                found.e,
                found.removed.len(),
                start.elapsed().as_secs_f64()
            );
            Ok(())
        }
        ["crack", count] => {
            let count: u64 = count.parse().map_err(|e| format!("count {count:?}: {e}"))?;
            let input = format!(
                "{}.{}",
                b64::encode(r#"{"alg":"HS256","typ":"JWT"}"#),
                b64::encode(r#"{"sub":"alice","iat":1700000000}"#)
            );
            let sig = mint::hmac("HS256", b"not in the list", input.as_bytes());
            let token = format!("{input}.{}", b64::encode(sig));
            let mut list = Vec::new();
            for i in 0..count {
                list.extend_from_slice(format!("password{i}\n").as_bytes());
            }
            let limits = Limits::new(count);
            let start = Instant::now();
            let out = crack::crack(&token, Cursor::new(list), &limits, |_| Flow::Continue)
                .map_err(|e| e.to_string())?;
            let secs = start.elapsed().as_secs_f64();
            println!(
                "{} HS256 words ({:?}) on {} thread(s) in {secs:.2} s: {:.0} words/s",
                out.progress.tried,
                out.stop,
                limits.threads,
                out.progress.tried as f64 / secs
            );
            Ok(())
        }
        _ => Err("usage: measure recover KEY | measure crack COUNT".to_owned()),
    }
}
