//! The `jsonwebtoken` crate (11.x) behind jwtc's implementation-under-test protocol
//! (docs/protocol.md): a peer adapter that measures what the library accepts when it is
//! used the way its documentation and the vendors' seeds show. It reads the harness's
//! messages on stdin, answers on stdout, logs on stderr.
//!
//! Everything that decides a verdict about a token is the library's (`decode`,
//! `decode_header`, `Validation`, `DecodingKey`, `crypto::verify`, `JwkSet`); the rest
//! is the glue an integrator writes where the library has no option (README.md lists it).
//! jsonwebtoken reads the system clock for `exp`/`nbf`; this adapter never lets it (see
//! `clock.rs`): every case is verified at the `now` of the harness's hello. The signer
//! profiles (`signer.rs`) mint with `encode` at `get_current_timestamp()`, as the README
//! does: the wall clock, which the hello says (`"clock": "wall"`).
//!
//! Two binaries, one per row of the matrix, so both live in one target directory:
//! `jwtc-adapter-jsonwebtoken` (the `rust_crypto` feature, the default) and
//! `jwtc-adapter-jsonwebtoken-aws-lc-rs` (`--no-default-features --features aws_lc_rs`).

mod clock;
mod compat;
mod core;
mod coyo;
mod keys;
mod net;
mod pendo;
mod pomerium;
mod signer;
mod verdict;
mod watson;
mod wire;

use serde_json::{json, Value};

pub use crate::net::{Fetcher, Response};
pub use crate::verdict::Verdict;
use crate::wire::Wire;

#[cfg(all(feature = "rust_crypto", feature = "aws_lc_rs"))]
compile_error!("choose one jsonwebtoken backend: the `rust_crypto` (default) or the `aws_lc_rs` feature, not both");
#[cfg(not(any(feature = "rust_crypto", feature = "aws_lc_rs")))]
compile_error!(
    "choose one jsonwebtoken backend: the `rust_crypto` (default) or the `aws_lc_rs` feature"
);

/// The crypto backend this build of jsonwebtoken uses (the adapter's cargo feature).
#[cfg(feature = "rust_crypto")]
const BACKEND: &str = "rust_crypto";
#[cfg(feature = "aws_lc_rs")]
const BACKEND: &str = "aws_lc_rs";

/// The profiles this adapter implements (every one of docs/protocol.md).
/// The optional features claimed (docs/protocol.md): every one but `es512`, which
/// jsonwebtoken does not implement (its `Algorithm` has no ES512).
pub const FEATURES: [&str; 4] = ["jws-payload", "jwks-fetch", "builtin-keys", "proxy-role"];

const PROFILES: [&str; 9] = [
    "core",
    "jws",
    "pendo",
    "watson",
    "pomerium",
    "pomerium-proxy",
    "coyo",
    "pendo-signer",
    "watson-signer",
];

/// The library's version as built in (read from Cargo.lock by build.rs), with the backend.
fn version() -> String {
    let mut v = format!("{} ({BACKEND}", env!("JWTC_JSONWEBTOKEN_VERSION"));
    if cfg!(feature = "aws_lc_rs") {
        v.push_str(&format!(", aws-lc-rs {}", env!("JWTC_AWS_LC_RS_VERSION")));
    }
    v.push(')');
    v
}

/// Serves the protocol on stdin/stdout until stdin closes; exits 1 on a broken wire. The
/// binaries of both rows (`src/bin/`) are this function.
pub fn main() {
    let mut wire = Wire::stdio();
    if let Err(e) = serve(&mut wire) {
        eprintln!("jwtc-adapter-jsonwebtoken: {e}");
        std::process::exit(1);
    }
}

/// One case's state, from its step 0 to its last step. Public for the in-process run
/// (tests/in_process.rs, through jwtc-testkit); the protocol binaries use it the same way.
pub enum Session {
    Core,
    Jws,
    Pendo(pendo::Session),
    Watson(watson::Session),
    Pomerium(pomerium::Session),
    Proxy,
    Coyo(coyo::Session),
    PendoSigner,
    WatsonSigner,
}

impl Session {
    /// A fresh session for a case of `profile`; `None` for a profile the adapter lacks.
    pub fn new(profile: &str) -> Option<Session> {
        Some(match profile {
            "core" => Session::Core,
            "jws" => Session::Jws,
            "pendo" => Session::Pendo(pendo::Session::default()),
            "watson" => Session::Watson(watson::Session::default()),
            "pomerium" => Session::Pomerium(pomerium::Session::default()),
            "pomerium-proxy" => Session::Proxy,
            "coyo" => Session::Coyo(coyo::Session::default()),
            "pendo-signer" => Session::PendoSigner,
            "watson-signer" => Session::WatsonSigner,
            _ => return None,
        })
    }

    /// Answers one step at the suite clock `now`; fetches go through `net`.
    pub fn step(
        &mut self,
        input: &Value,
        context: &Value,
        now: u64,
        net: &mut dyn Fetcher,
    ) -> Verdict {
        match self {
            Session::Core => core::jwt(input, context, now),
            Session::Jws => core::jws(input, context),
            Session::Pendo(s) => s.step(input, context, now),
            Session::Watson(s) => s.step(input, context, now),
            Session::Pomerium(s) => s.step(input, context, now, net),
            Session::Proxy => pomerium::proxy(input, context, now),
            Session::Coyo(s) => s.step(input, context, now, net),
            // The signers read the wall clock (`get_current_timestamp`), as the README does.
            Session::PendoSigner => signer::pendo(input, context),
            Session::WatsonSigner => signer::watson(input, context),
        }
    }
}

fn serve(wire: &mut Wire) -> Result<(), String> {
    let mut now: u64 = 0;
    let mut current: Option<(String, Option<Session>)> = None;
    while let Some(msg) = wire.recv()? {
        match msg.get("type").and_then(Value::as_str) {
            Some("hello") => {
                // The suite clock: every case is verified at this time, never the wall clock.
                now = msg
                    .get("now")
                    .and_then(Value::as_u64)
                    .ok_or_else(|| format!("hello without a usable now: {msg}"))?;
                eprintln!(
                    "jwtc-adapter-jsonwebtoken: jsonwebtoken {}, clock {now}",
                    version()
                );
                wire.send(&json!({
                    "type": "hello",
                    "name": "jsonwebtoken-rust",
                    "version": version(),
                    "profiles": PROFILES,
                    "features": FEATURES,
                    // The signer profiles mint at get_current_timestamp(), the README's way.
                    "clock": "wall",
                }))?;
            }
            Some("case") => {
                let id = msg
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let step = msg.get("step").and_then(Value::as_u64).unwrap_or(0);
                let profile = msg
                    .get("profile")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if step == 0 || current.as_ref().is_none_or(|(c, _)| *c != id) {
                    current = Some((id.clone(), Session::new(profile)));
                }
                let null = Value::Null;
                let input = msg.get("input").unwrap_or(&null);
                let context = msg.get("context").unwrap_or(&null);
                let verdict = match current.as_mut().and_then(|(_, s)| s.as_mut()) {
                    Some(session) => {
                        // A panic in the glue or the library is an adapter error for this
                        // case, never a crash of the run.
                        let mut net = wire.fetcher();
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            session.step(input, context, now, &mut net)
                        }))
                        .unwrap_or_else(|p| Verdict::Error(format!("panic: {}", panic_text(&p))))
                    }
                    None => Verdict::Skip(format!("the adapter has no profile {profile:?}")),
                };
                wire.send(&verdict.message(&id, step))?;
            }
            Some("fetched") => {
                return Err(format!("a fetched message outside a fetch: {msg}"));
            }
            _ => return Err(format!("not a message from the harness: {msg}")),
        }
    }
    Ok(())
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}
