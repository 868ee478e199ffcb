//! `jwtc attack`: the attack catalogue made from the user's own token (jwtc-attack), as
//! one vector file (`--out`), a summary table, or sent straight to a running service
//! through the probe (`--url`, with the probe's service options).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde_json::Value;

use jwtc_attack::{Attacker, Request, Secret};
use jwtc_probe::keyserver::{self, KeyServer};
use jwtc_probe::plan::{self, Service, TokenIn};
use jwtc_probe::run::{self as probe_run, Limits, Reading};
use jwtc_vectors::generate::Settings;

use crate::exit::{usage, Failure};
use crate::probe::{self, ServiceArgs};
use crate::run::say;

#[derive(Args, Debug, Clone)]
#[command(after_help = "\
Examples:
  jwtc attack --key service.pub.pem \"$TOKEN\"                         the summary by class
  jwtc attack --key service.pub.pem --out attack.json token.txt      the vector file
  jwtc run --vectors attack.json                                    the reference on it
  jwtc attack --profile pomerium --key ec_public.pem --url http://127.0.0.1:3000/ \"$TOKEN\"
  jwtc attack --profile pendo --secret NAME=SECRET \"$JWT\"
  jwtc attack --crack rockyou.txt \"$HS256_TOKEN\"                      the secret from a word list
  jwtc attack --recover second.jwt first.jwt                        the RSA key from two tokens

Every attack is expected to be rejected, but for the control (the token unchanged) and,
with --secret, the forgeries re-signed with it. docs/attack.md lists the classes.")]
pub struct AttackArgs {
    /// The token, a file holding it, or - for stdin.
    #[arg(value_name = "TOKEN")]
    pub token: String,
    /// The public key that verifies the token (a file, env:VAR, or the text: PEM, JWK or
    /// JWK Set; from a set, the key of the token's kid).
    #[arg(long, value_name = "PUBLIC")]
    pub key: Option<String>,
    /// An HS token's secret (its text, or env:VAR); Pendo: NAME=SECRET.
    #[arg(long, value_name = "SECRET")]
    pub secret: Option<String>,
    /// The profile: core, pomerium, coyo, pendo or watson.
    #[arg(long, value_name = "PROFILE", default_value = "core")]
    pub profile: String,
    /// The clock of the file (default: inside the token's validity).
    #[arg(long, value_name = "SECS")]
    pub now: Option<i64>,
    /// Write the vector file here.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Send the attacks to this running service (http, on this machine) through the probe.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// A second RS256/RS384/RS512 token signed by the same key: the public key is recovered
    /// from the two (the gcd of s^e − m), printed as PEM and JWK, and used as --key. Needs
    /// jwtc built with the feature `recover`.
    #[arg(long, value_name = "TOKEN2", conflicts_with = "key")]
    pub recover: Option<String>,
    /// A word list, one secret per line: an HS token's secret is searched for in it and,
    /// when found, used as --secret (the re-signed forgeries join the attacks).
    #[arg(long, value_name = "WORDLIST", conflicts_with = "secret")]
    pub crack: Option<PathBuf>,
    /// The most words --crack tries.
    #[arg(long, value_name = "N", default_value = "100000000")]
    pub max_words: u64,
    /// The longest --crack may take, seconds.
    #[arg(long, value_name = "SECS", default_value = "600", value_parser = crate::run::seconds)]
    pub crack_time: std::time::Duration,
    /// With --url: write the probe's report in this format (with --report-out).
    #[arg(long, value_enum, requires_all = ["report_out", "url"])]
    pub report: Option<crate::run::Format>,
    /// With --url: where the report goes.
    #[arg(long, value_name = "PATH", requires = "report")]
    pub report_out: Option<PathBuf>,
    #[command(flatten)]
    pub service: ServiceArgs,
}

/// Runs `jwtc attack`.
pub fn attack(args: AttackArgs) -> Result<ExitCode, Failure> {
    let raw = crate::check::read_token(Some(&args.token))?;
    // Pendo's options object {"jwt", "signingKeyName"} stands for its jwt.
    let token = serde_json::from_str::<Value>(raw.trim())
        .ok()
        .and_then(|o| o.get("jwt").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_else(|| raw.clone());
    // With --url, everything the command line can get wrong, and a URL off this machine,
    // stops here: nothing has been sent or bound yet.
    let sending = match &args.url {
        Some(url) => Some(sending(url, &args)?),
        None => None,
    };
    let key = match (&args.recover, &args.key) {
        (Some(second), _) => Some(crate::attack_keys::recovered(&token, second)?),
        (None, Some(k)) => Some(public_key(k, &token)?),
        (None, None) => None,
    };
    let secret = match (&args.crack, &args.secret) {
        (Some(list), _) => Some(crate::attack_keys::cracked(
            &raw,
            list,
            args.max_words,
            args.crack_time,
            &args.profile,
        )?),
        (None, Some(s)) => Some(secret(s, &args.profile)?),
        (None, None) => None,
    };
    let loaded = crate::suite::embedded()?;
    let server = match &sending {
        Some(_) => Some(KeyServer::start_with(
            &loaded.keys,
            &args
                .service
                .tls
                .options(args.service.keys_port, args.service.attacker_port),
        )?),
        None => None,
    };
    let attacker = match &server {
        Some(s) => Attacker {
            http: s.attacker_host(),
            https: s
                .attacker_tls_addr
                .map_or_else(|| s.attacker_host(), |a| a.to_string()),
        },
        None => Attacker::default(),
    };
    let req = Request {
        token,
        key,
        secret,
        profile: Some(args.profile.clone()),
        now: args.now,
        attacker,
    };
    let made = jwtc_attack::make(&req, &loaded.keys)?;
    if let Some(out) = &args.out {
        let text = serde_json::to_string_pretty(&made.file).expect("vector files serialise") + "\n";
        std::fs::write(out, text)
            .map_err(|e| format!("cannot write --out {}: {e}", out.display()))?;
        let path = out.display();
        say(&format!(
            "{} attack(s) written to {path} (jwtc run --vectors {path}, jwtc probe --vectors {path})\n",
            made.attacks.len()
        ));
    }
    let (Some(sending), Some(server)) = (sending, server) else {
        if args.out.is_none() {
            say(&jwtc_attack::summary::table(&made.attacks));
        }
        return Ok(ExitCode::SUCCESS);
    };
    let now = args.now.unwrap_or_else(jwtc_harness::features::system_now);
    let mut settings = Settings::suite(now);
    settings.attacker = server.attacker_host();
    settings.hosts = keyserver::coyo_hosts(&server);
    let service = Service {
        profile: args.profile.clone(),
        settings,
        skew: args.service.skew,
        clock_margin: args.service.clock_margin,
        token_in: sending.token_in,
        identity: sending
            .reading
            .json
            .iter()
            .chain(&sending.reading.headers)
            .map(|(m, _)| m.clone())
            .collect(),
        served: server.tls_addr.map(|a| a.to_string()),
    };
    let cases = made.cases(&loaded.keys, std::path::Path::new("attack.json"))?;
    let planned = plan::plan_cases(cases, None, &service, &sending.target.path);
    eprintln!(
        "sending {} attacks to {} (the key server on {}, the attacker's origin {})",
        planned.len(),
        sending.target.url,
        server.url("/"),
        server.attacker_host()
    );
    let done = probe_run::probe(
        &format!("attack {}", sending.target.url),
        "attack",
        now,
        sending.target.addr,
        planned,
        &server,
        &sending.limits,
        &sending.reading,
        std::io::stderr().is_terminal(),
    );
    probe::finish(
        &done,
        &format!("the key server saw {} fetch(es)", server.log().len()),
        args.report
            .zip(args.report_out.as_deref())
            .map(|(f, o)| (f, o, "--report-out")),
    )
}

/// What `--url` and the service options say, checked.
struct Sending {
    target: jwtc_probe::target::Target,
    token_in: TokenIn,
    reading: Reading,
    limits: Limits,
}

fn sending(url: &str, args: &AttackArgs) -> Result<Sending, Failure> {
    let target = jwtc_probe::target::parse(url)?;
    if !matches!(args.profile.as_str(), "pomerium" | "coyo") {
        return usage(format!(
            "--profile {:?} with --url: the probe sends to pomerium or coyo services",
            args.profile
        ));
    }
    let token_in = match (&args.service.token_in, args.profile.as_str()) {
        (Some(_), "pomerium") => return usage("--token-in is for coyo: Pomerium's assertion goes in its X-Pomerium-Jwt-Assertion header"),
        (Some(t), _) => TokenIn::parse(t)?,
        (None, _) => TokenIn::Bearer,
    };
    Ok(Sending {
        target,
        token_in,
        reading: probe::reading(&args.service, "401,403")?,
        limits: probe::limits(&args.service)?,
    })
}

/// The `--key` text as one public JWK (from a set, the token's kid's).
fn public_key(value: &str, token: &str) -> Result<Value, Failure> {
    let entries = crate::keyarg::public_keys("--key", value)?;
    let kid = jwtc_attack::token::parse(token).ok().and_then(|t| {
        t.header
            .get("kid")
            .and_then(Value::as_str)
            .map(str::to_owned)
    });
    let entry = match (entries.len(), &kid) {
        (1, _) => entries[0].clone(),
        (_, Some(k)) => entries
            .iter()
            .find(|e| e.get("kid").and_then(Value::as_str) == Some(k))
            .cloned()
            .ok_or_else(|| format!("--key: the JWK Set has no key of the token's kid {k:?}"))?,
        _ => {
            return usage(
                "--key: a JWK Set of several keys and a token without kid: give the one key",
            )
        }
    };
    match entry.get("pem").and_then(Value::as_str) {
        Some(pem) => Ok(jwtc_verifier::keys::jwk_from_pem(pem, "--key")
            .map_err(|e| format!("--key: {e} (give a PEM public key or a JWK)"))?
            .jwk),
        None => Ok(entry),
    }
}

/// `--secret`: the text (or env:VAR); Pendo's NAME=SECRET.
fn secret(value: &str, profile: &str) -> Result<Secret, Failure> {
    if profile == "pendo" {
        let jwk = crate::keyarg::pendo_secret(value)?;
        let k = jwk["k"].as_str().unwrap_or_default();
        return Ok(Secret {
            name: jwk["kid"].as_str().map(str::to_owned),
            bytes: jwtc_verifier::b64::decode(k).map_err(|e| format!("--secret: {e}"))?,
        });
    }
    let text = crate::keyarg::secret_text("--secret ", value)?;
    if text.is_empty() {
        return usage("--secret is empty: give the HMAC secret's text, or env:VAR");
    }
    Ok(Secret {
        name: None,
        bytes: text.into_bytes(),
    })
}
