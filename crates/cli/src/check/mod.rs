//! `jwtc check`: one token explained rule by rule with the reference verifier's verdict.
//! [`request`] builds the case from the flags, the reference verifier answers it, and
//! [`explain`] lays its answer over the profile's checks ([`stages`]). `--role signer`
//! lints one mint of a customer's own signer instead ([`signer`]).

pub mod explain;
pub mod request;
pub mod signer;
pub mod stages;

use std::io::Read;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde_json::json;

use jwtc_harness::outcome::{Got, Outcome};

use crate::exit::{usage, Failure};

#[derive(Args, Debug, Default)]
#[command(after_help = "\
Examples:
  jwtc check --profile core --alg RS256 --key public.pem --now 1767225600 eyJ...
  jwtc check --profile pendo --secret pendo-1=8ihlgIFBygkJ... --mode only_signed event.json-text
  jwtc check --profile watson --key customer.pub.pem --issuer www.example.com eyJ...
  jwtc check --profile pomerium --key ec_public.pem --audience app.corp.example \\
             --issuer authenticate.corp.example eyJ...
  echo \"$TOKEN\" | jwtc check --profile core --alg ES256 --key env:PUBLIC_KEY -

The signer role lints one token (Pendo: the options object) your own code minted:
  jwtc check --role signer --profile pendo --secret pendo-1=8ihlgIFBygkJ... \\
             --request '{\"visitor\": {\"id\": \"v1\"}}' - < options.json
  jwtc check --role signer --profile watson --key customer.pub.pem --issuer www.example.com \\
             --ibm-key ibm.pub.pem --request '{\"user_id\": \"L12345\"}' eyJ...

Exit codes: 0 accepted (signer: every rule passes), 1 rejected (signer: a rule fails),
2 a usage or setup error.")]
pub struct CheckArgs {
    /// The integration: core (a generic JWT verifier), pendo, watson, pomerium, coyo.
    #[arg(long, value_name = "PROFILE",
          value_parser = ["core", "pendo", "watson", "pomerium", "coyo"])]
    pub profile: String,
    /// The role checked: the code that verifies tokens, or (pendo, watson) the customer's
    /// code that mints them.
    #[arg(long, value_enum, default_value = "verifier")]
    pub role: Role,
    /// A trusted public key: a file, env:VAR, or the text itself (a JWK, a JWK Set, a PEM
    /// public key or certificate, an OpenSSH public key). Repeat for several. Signer role:
    /// watson, the public key of the customer's signing key; pendo, the secret (with --key-name).
    #[arg(long, value_name = "KEY")]
    pub key: Vec<String>,
    /// Pendo: a signing key as Pendo shows it, NAME=SECRET (SECRET may be env:VAR); the
    /// signer role takes one, the key the code signs with.
    #[arg(long, value_name = "NAME=SECRET")]
    pub secret: Vec<String>,
    /// Core: the one algorithm the verifier is configured with (the vendor profiles fix theirs).
    #[arg(long, value_name = "ALG")]
    pub alg: Option<String>,
    /// Seconds of clock skew allowed (default: pomerium 60, the others 0).
    #[arg(long, value_name = "SECS")]
    pub skew: Option<i64>,
    /// The time to check at, in seconds since the epoch (default: this machine's clock).
    #[arg(long, value_name = "SECS")]
    pub now: Option<i64>,
    /// Watson (optional; the signer role needs it) and Pomerium: the issuer the token must name.
    #[arg(long, value_name = "ISS")]
    pub issuer: Option<String>,
    /// Pomerium: the audience (the route's host).
    #[arg(long, value_name = "AUD")]
    pub audience: Option<String>,
    /// Pomerium: a request header, 'Name: value' (repeat); TOKEN adds the assertion header.
    #[arg(long, value_name = "HEADER")]
    pub header: Vec<String>,
    /// Pomerium: fetch the keys from this JWKS URL (answered by --fetch) instead of --key.
    #[arg(long, value_name = "URL")]
    pub jwks_url: Option<String>,
    /// Pendo: the subscription's mode.
    #[arg(long, value_name = "MODE", default_value = "only_signed",
          value_parser = ["disabled", "allow", "only_signed"])]
    pub mode: String,
    /// Pendo: a revoked key name (repeat).
    #[arg(long, value_name = "NAME")]
    pub revoked: Vec<String>,
    /// Pendo: the signingKeyName, when TOKEN is the jwt rather than the event's JSON
    /// (signer role: the name of the secret given as --key SECRET).
    #[arg(long, value_name = "NAME")]
    pub key_name: Option<String>,
    /// Watson: IBM's private key (a JWK, or PEM for the signer role) to decrypt
    /// user_payload with.
    #[arg(long, value_name = "KEY", visible_alias = "ibm-private-key")]
    pub decryption_key: Option<String>,
    /// Signer role: the app's request the token was minted for, as JSON or a file
    /// (pendo: {"visitor", "account"}; watson: {"user_id", "payload"}).
    #[arg(long, value_name = "JSON")]
    pub request: Option<String>,
    /// Signer role, watson: the payload the app passed, as JSON or a file (compared with
    /// the decrypted user_payload).
    #[arg(long, value_name = "JSON")]
    pub payload: Option<String>,
    /// Signer role, watson: IBM's public key (PEM or JWK, the one IBM provides for your
    /// web chat): user_payload must be whole blocks of its modulus length.
    #[arg(long, value_name = "KEY")]
    pub ibm_key: Option<String>,
    /// COYO: the anchored issuer pattern --key's keys are registered under.
    #[arg(long, value_name = "REGEX")]
    pub issuer_pattern: Option<String>,
    /// COYO: a built-in key (repeat).
    #[arg(long, value_name = "KEY")]
    pub builtin: Vec<String>,
    /// COYO: an allowlisted jku origin, https://host[:port] (repeat).
    #[arg(long, value_name = "ORIGIN")]
    pub jku_allow: Vec<String>,
    /// What a fetch of URL answers: URL=FILE (status 200, the file's text). Nothing else
    /// is fetched: jwtc check never touches the network.
    #[arg(long, value_name = "URL=FILE")]
    pub fetch: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// The token (Pendo: the event's JSON, or the jwt with --key-name; the signer role: the
    /// options object or the token minted), a file holding it, or - for stdin.
    #[arg(value_name = "TOKEN")]
    pub token: Option<String>,
}

/// The role of the code checked.
#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum Role {
    /// The code that verifies tokens.
    #[default]
    Verifier,
    /// The customer's code that mints tokens (pendo, watson).
    Signer,
}

/// How the explanation is printed.
#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum Format {
    /// For a person.
    #[default]
    Text,
    /// One JSON document.
    Json,
}

/// Runs `jwtc check`.
pub fn check(args: CheckArgs) -> Result<ExitCode, Failure> {
    let (text, code) = check_to_string(&args)?;
    crate::run::say(&text);
    Ok(ExitCode::from(code))
}

/// The TOKEN argument's text: - reads stdin; else [`token_or_file`] (`jwtc check`,
/// `jwtc attack`).
pub(crate) fn read_token(arg: Option<&str>) -> Result<String, Failure> {
    if arg == Some("-") {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Failure::Usage(format!("cannot read the token from stdin: {e}")))?;
        return Ok(s);
    }
    token_or_file(arg.unwrap_or_default())
}

/// The TOKEN argument's text: the argument itself, or the content of the file it names (a
/// JSON object is never taken for a path).
fn token_or_file(arg: &str) -> Result<String, Failure> {
    let path = std::path::Path::new(arg);
    if arg.is_empty() || arg.trim_start().starts_with('{') || !path.is_file() {
        return Ok(arg.to_owned());
    }
    std::fs::read_to_string(path)
        .map_err(|e| Failure::Usage(format!("TOKEN {arg}: cannot read the file: {e}")))
}

/// The explanation as printed, and the exit code (0 accept, 1 reject).
pub fn check_to_string(args: &CheckArgs) -> Result<(String, u8), Failure> {
    let token = read_token(args.token.as_deref())?;
    if token.trim().is_empty() && args.header.is_empty() {
        return usage("give the token (or - to read it from stdin)");
    }
    let now = match args.now {
        Some(t) => t,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|e| Failure::Usage(format!("this machine's clock is before 1970: {e}")))?
            .as_secs() as i64,
    };
    match args.role {
        Role::Signer => return signer::check(args, &token, now),
        Role::Verifier => signer::no_signer_flags(args)?,
    }
    let req = request::build(args, &token)?;
    let outcome = match jwtc_harness::reference::session(&args.profile) {
        Some(mut s) => s.step(&req.input, &req.context, req.network.as_ref(), now),
        None => return usage(format!("--profile {}: unknown profile", args.profile)),
    };
    if outcome.verdict == Got::Error {
        return usage(format!("the check could not run: {}", outcome.detail));
    }
    let mut facts = explain::Facts::new(req.token.clone(), &req.alg, now, req.skew);
    facts.audience = args.audience.clone();
    facts.issuer = args.issuer.clone();
    let lines = explain::explain(&args.profile, &outcome, &facts);
    let code = if outcome.verdict == Got::Accept { 0 } else { 1 };
    let text = match args.format {
        Format::Text => text(args, now, &facts, &lines, &outcome),
        Format::Json => {
            let doc = json!({
                "profile": args.profile,
                "now": now,
                "header": facts.header,
                "claims": facts.claims,
                "rules": explain::render_json(&lines),
                "verdict": verdict_name(&outcome),
                "error": outcome.error,
                "detail": outcome.detail,
                "output": outcome.output,
                "fetches": outcome.fetches,
            });
            serde_json::to_string_pretty(&doc).expect("a JSON value prints") + "\n"
        }
    };
    Ok((text, code))
}

fn verdict_name(o: &Outcome) -> &'static str {
    match o.verdict {
        Got::Accept => "accept",
        Got::Reject => "reject",
        Got::Skip => "skip",
        Got::Error => "error",
    }
}

fn text(
    args: &CheckArgs,
    now: i64,
    facts: &explain::Facts,
    lines: &[explain::Line],
    outcome: &Outcome,
) -> String {
    let mut out = format!(
        "profile {} (role verifier, alg {}), now {now}, skew {}\n",
        args.profile, facts.alg, facts.skew
    );
    if let Some(h) = &facts.header {
        out.push_str(&format!("header  {h}\n"));
    }
    if let Some(c) = &facts.claims {
        out.push_str(&format!("claims  {c}\n"));
    }
    out.push('\n');
    out.push_str(&explain::render_text(lines));
    for url in &outcome.fetches {
        out.push_str(&format!("fetched {url}\n"));
    }
    out.push('\n');
    match outcome.verdict {
        Got::Accept => {
            let output = outcome.output.clone().unwrap_or_default();
            out.push_str(&format!("verdict: accept\noutput:  {output}\n"));
            if !outcome.detail.is_empty() {
                out.push_str(&format!("notes:   {}\n", outcome.detail));
            }
        }
        _ => out.push_str(&format!(
            "verdict: reject ({})\ndetail:  {}\n",
            outcome.error.as_deref().unwrap_or("no code"),
            outcome.detail
        )),
    }
    out
}
