//! `jwtc attack`'s keys found rather than given (jwtc-recover): `--recover TOKEN2`, the RSA
//! public key recovered from two tokens of one key and printed as PEM and JWK, and
//! `--crack WORDLIST`, an HS token's secret searched for in a word list, bounded in words
//! and time, with progress on stderr.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use jwtc_attack::Secret;
use jwtc_recover::crack::{self, Flow, Limits, Stop};

use crate::exit::Failure;
use crate::run::say;

/// The public key of the RS* tokens `first` and `second` (the second a token, a file holding
/// one, or - for stdin), printed, as the JWK `--key` would give.
pub fn recovered(first: &str, second: &str) -> Result<Value, Failure> {
    let second = crate::check::read_token(Some(second))?;
    let start = Instant::now();
    eprintln!("recovering the RSA public key from the two tokens (a 2048-bit key takes about two minutes on two cores)…");
    let r = jwtc_recover::modulus::recover(first, &second).map_err(|e| match e {
        jwtc_recover::modulus::Error::NotBuilt => Failure::Usage(
            "--recover: this jwtc was built without the feature `recover` (big-integer arithmetic from malachite, LGPL-3.0): cargo install --path crates/cli --locked --features recover".into(),
        ),
        e => Failure::Usage(format!("--recover: {e}")),
    })?;
    say(&format!(
        "recovered the {}-bit RSA public key (e = {}) of the {} tokens in {:.1} s; both signatures verify with it:\n{}{}\n\n",
        r.bits,
        r.e,
        r.alg.name(),
        start.elapsed().as_secs_f64(),
        r.pem,
        serde_json::to_string(&r.jwk).expect("a JWK serialises")
    ));
    Ok(r.jwk)
}

/// The secret of the HS token `token` from the word list `list` (Pendo: the options
/// object's `signingKeyName` names it), at most `max_words` words and `budget` of time.
pub fn cracked(
    token: &str,
    list: &Path,
    max_words: u64,
    budget: Duration,
    profile: &str,
) -> Result<Secret, Failure> {
    let (jwt, name) = pendo_parts(token, profile)?;
    let start = Instant::now();
    let shown = std::io::stderr().is_terminal();
    let mut slow = false;
    let outcome = crack::crack_file(&jwt, list, &Limits::new(max_words), |p| {
        let took = start.elapsed();
        if shown {
            eprint!(
                "\r--crack: {} words tried ({:.0}/s)",
                p.tried,
                p.tried as f64 / took.as_secs_f64().max(1e-3)
            );
            let _ = std::io::stderr().flush();
        }
        slow = took >= budget;
        if slow {
            Flow::Stop
        } else {
            Flow::Continue
        }
    })
    .map_err(|e| Failure::Usage(format!("--crack: {e}")))?;
    if shown {
        eprintln!();
    }
    let tried = outcome.progress.tried;
    let took = start.elapsed().as_secs_f64();
    match (outcome.found, outcome.stop) {
        (Some(found), _) => {
            say(&format!(
                "cracked: the secret is line {} of {} ({:?}), after {tried} words in {took:.1} s\n",
                found.line,
                list.display(),
                String::from_utf8_lossy(&found.secret)
            ));
            Ok(Secret {
                name,
                bytes: found.secret,
            })
        }
        (None, Stop::MaxWords) => Err(Failure::Usage(format!(
            "--crack: not found in the first {tried} words of {} (--max-words {max_words}); give --secret, or a longer --max-words",
            list.display()
        ))),
        (None, Stop::Stopped) if slow => Err(Failure::Usage(format!(
            "--crack: not found in {tried} words of {} within --crack-time {} s; give --secret, or more time",
            list.display(),
            budget.as_secs()
        ))),
        (None, _) => Err(Failure::Usage(format!(
            "--crack: not found: every word of {} tried ({tried} words in {took:.1} s); give --secret",
            list.display()
        ))),
    }
}

/// The JWT to crack and, for Pendo, the key name: Pendo's TOKEN may be the options object
/// `{"jwt", "signingKeyName"}` (the name is what the forgeries must carry).
pub fn pendo_parts(token: &str, profile: &str) -> Result<(String, Option<String>), Failure> {
    let options: Option<Value> = serde_json::from_str(token.trim()).ok();
    let jwt = options
        .as_ref()
        .and_then(|o| o.get("jwt"))
        .and_then(Value::as_str);
    let name = options
        .as_ref()
        .and_then(|o| o.get("signingKeyName"))
        .and_then(Value::as_str);
    match (profile, jwt, name) {
        ("pendo", Some(j), Some(n)) => Ok((j.to_owned(), Some(n.to_owned()))),
        ("pendo", _, _) => Err(Failure::Usage(
            "--crack with --profile pendo: give the options object {\"jwt\", \"signingKeyName\"} as TOKEN (the key's name comes from it)".into(),
        )),
        (_, Some(j), _) => Ok((j.to_owned(), None)),
        _ => Ok((token.trim().to_owned(), None)),
    }
}
