//! `jwtc probe`: the verifier cases of a profile sent to a running service on this machine
//! as HTTP requests (jwtc-probe), graded and reported like `jwtc run`; and `jwtc keys
//! serve`, the local key server alone, printing what the service must be configured with.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use jwtc_harness::report;
use jwtc_probe::keyserver::{self, KeyServer, Mode};
use jwtc_probe::plan::{self, Service, TokenIn};
use jwtc_probe::run::{self as probe_run, Limits, Probe, Reading};
use jwtc_vectors::generate::Settings;

use crate::exit::{usage, Failure};
use crate::run::{say, seconds, Format};

#[derive(Args, Debug, Clone)]
#[command(after_help = "\
Examples:
  jwtc probe --profile pomerium --url http://127.0.0.1:3000/ --identity-json email=/email,sub=/sub
  jwtc probe --profile coyo --url http://127.0.0.1:5000/plugin --token-in json:token
  jwtc probe --profile pomerium --url http://localhost:3000/ --report html --out probe.html
  jwtc probe --role signer --profile pendo --url http://127.0.0.1:8080/jwtc/pendo --secret pendo-1=env:PENDO_SECRET
  jwtc probe --role signer --profile watson --url http://127.0.0.1:8080/jwtc/watson --key customer.pub.pem --issuer www.example.com

Configure the service first with what `jwtc keys serve --profile P` prints (the key
server's JWKS URL, the audience, the issuer); the probe starts that same key server on
--keys-port. With --role signer, the URL is an endpoint of your app that answers a POST of
the app's view of a user (JSON) with what the app would send: Pendo's options object, or
Watson's identity token. Only 127.0.0.1, localhost and [::1] are probed. docs/probe.md has
the steps.

Exit codes: 0 no unexpected failure, 1 an unexpected failure, 2 a usage or setup error.")]
pub struct ProbeArgs {
    /// The service's profile: pomerium or coyo (the signer role: pendo or watson).
    #[arg(long, value_name = "PROFILE")]
    pub profile: String,
    /// What the service does with tokens: verifies them (Pomerium, COYO), or signs them
    /// (a Pendo or Watson signer endpoint of your app).
    #[arg(long, value_enum, default_value = "verifier")]
    pub role: Role,
    /// The service's URL (http, on this machine).
    #[arg(long, value_name = "URL")]
    pub url: String,
    #[command(flatten)]
    pub service: ServiceArgs,
    /// Send the cases of this vector file (or folder) instead of the profile's suite: a
    /// file made for this service (`jwtc attack --out`), each case's context taken for the
    /// service's.
    #[arg(long, value_name = "FILE|DIR")]
    pub vectors: Option<PathBuf>,
    /// The clock to mint for, seconds since the epoch (default: the wall clock, read once).
    #[arg(long, value_name = "SECS")]
    pub now: Option<i64>,
    /// Only cases whose id matches this glob.
    #[arg(long, value_name = "GLOB")]
    pub only: Option<String>,
    /// Write a report in this format (with --out).
    #[arg(long, value_enum, requires = "out")]
    pub report: Option<Format>,
    /// Where to write the report.
    #[arg(long, value_name = "PATH", requires = "report")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub signer: SignerArgs,
}

/// How the service is reached, read and configured: the options `jwtc probe` and `jwtc
/// attack --url` share.
#[derive(Args, Debug, Clone)]
pub struct ServiceArgs {
    /// The audience the service expects (Pomerium: its own host name).
    #[arg(long, default_value = "httpbin.corp.example.com")]
    pub audience: String,
    /// The issuer the service expects (Pomerium; default pomerium-proxy), or the one the
    /// app signs as (the Watson signer role: required).
    #[arg(long)]
    pub issuer: Option<String>,
    /// Where a COYO token goes: bearer, header:NAME, query:NAME or json:NAME (Pomerium's
    /// goes in its X-Pomerium-Jwt-Assertion header, beside the case's other headers).
    #[arg(long, value_name = "WHERE")]
    pub token_in: Option<String>,
    /// Statuses meaning accept (a list of codes and ranges).
    #[arg(long, value_name = "LIST", default_value = "200-299")]
    pub accept_status: String,
    /// Statuses meaning reject; any other status is an error for the case [default:
    /// 401,403; the signer role: 400-499].
    #[arg(long, value_name = "LIST")]
    pub reject_status: Option<String>,
    /// The identity the service reports in its JSON body: member=/json/pointer, comma-separated.
    #[arg(long, value_name = "MAP")]
    pub identity_json: Option<String>,
    /// The identity the service reports in response headers: member=Header-Name, comma-separated.
    #[arg(long, value_name = "MAP")]
    pub identity_header: Option<String>,
    /// Seconds a request may take.
    #[arg(long, value_name = "SECS", default_value = "5", value_parser = seconds)]
    pub timeout: Duration,
    /// Requests a second, at most.
    #[arg(long, value_name = "N", default_value = "50")]
    pub rate: f64,
    /// Requests in all, at most.
    #[arg(long, value_name = "N", default_value = "10000")]
    pub max_requests: usize,
    /// The most body bytes read from an answer.
    #[arg(long, value_name = "BYTES", default_value = "1048576")]
    pub max_body: usize,
    /// The service's clock skew in seconds (cases whose verdict it changes are skipped).
    #[arg(long, value_name = "SECS", default_value = "60")]
    pub skew: i64,
    /// How far apart the service's clock and ours may be during the run, seconds.
    #[arg(long, value_name = "SECS", default_value = "10")]
    pub clock_margin: i64,
    /// The key server's port (the service's JWKS URL points here).
    #[arg(long, value_name = "PORT", default_value = "47301")]
    pub keys_port: u16,
    /// The attacker origin's port (what an attacker's token names as its issuer).
    #[arg(long, value_name = "PORT", default_value = "47302")]
    pub attacker_port: u16,
    #[command(flatten)]
    pub tls: TlsArgs,
}

/// How the app under test is configured (the signer role only).
#[derive(Args, Debug, Clone, Default)]
pub struct SignerArgs {
    /// Signer role, Pendo: a key of the app's subscription as Pendo shows it, NAME=SECRET
    /// (SECRET may be env:VAR); repeat for each key the app holds.
    #[arg(long, value_name = "NAME=SECRET")]
    pub secret: Vec<String>,
    /// Signer role, Pendo: the name of the key the app signs with (default: the only
    /// --secret).
    #[arg(long, value_name = "NAME")]
    pub active: Option<String>,
    /// Signer role, Pendo: a revoked key name (repeat).
    #[arg(long, value_name = "NAME")]
    pub revoked: Vec<String>,
    /// Signer role, Watson: the public key of the app's signing key (PEM, JWK, or a JWK
    /// Set of one key; a file, env:VAR or the text).
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,
    /// Signer role, Watson: the private half of the key the app encrypts user_payload to
    /// (a JWK with "d"), to decrypt it; default: the suite's test key, whose public half
    /// the probe prints for the app's configuration.
    #[arg(long, value_name = "KEY")]
    pub ibm_private_key: Option<String>,
}

impl SignerArgs {
    /// The first signer-role flag given, if any (for the verifier role's error).
    pub fn given(&self) -> Option<&'static str> {
        [
            (!self.secret.is_empty(), "--secret"),
            (self.active.is_some(), "--active"),
            (!self.revoked.is_empty(), "--revoked"),
            (self.key.is_some(), "--key"),
            (self.ibm_private_key.is_some(), "--ibm-private-key"),
        ]
        .into_iter()
        .find_map(|(on, flag)| on.then_some(flag))
    }
}

/// What the probed service does with tokens.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// It verifies them (Pomerium's app, a COYO plug-in back end).
    Verifier,
    /// It signs them (a Pendo or Watson signer endpoint).
    Signer,
}

/// The issuer a Pomerium service expects when `--issuer` is not given.
const POMERIUM_ISSUER: &str = "pomerium-proxy";

/// `member=value` pairs, comma-separated.
fn pairs(flag: &str, s: Option<&str>) -> Result<Vec<(String, String)>, Failure> {
    let Some(s) = s else { return Ok(Vec::new()) };
    s.split(',')
        .map(|item| match item.split_once('=') {
            Some((m, v)) if !m.trim().is_empty() && !v.trim().is_empty() => {
                Ok((m.trim().to_owned(), v.trim().to_owned()))
            }
            _ => usage(format!(
                "{flag} {s:?}: {item:?} is not member=value (e.g. email=/email)"
            )),
        })
        .collect()
}

/// Runs `jwtc probe` (the verifier role; the signer role is `probe_signer::probe`).
pub fn probe(args: ProbeArgs) -> Result<ExitCode, Failure> {
    // Everything the command line can get wrong, and a URL off this machine, stop here:
    // nothing has been sent or bound yet.
    let target = jwtc_probe::target::parse(&args.url)?;
    if let Some(flag) = args.signer.given() {
        return usage(format!("{flag} is for --role signer"));
    }
    let issuer = args.service.issuer.as_deref().unwrap_or(POMERIUM_ISSUER);
    if !matches!(args.profile.as_str(), "pomerium" | "coyo") {
        return usage(format!(
            "--profile {:?}: jwtc probe tests pomerium or coyo services (a Pendo or Watson signer endpoint: --role signer)",
            args.profile
        ));
    }
    let token_in = match (&args.service.token_in, args.profile.as_str()) {
        (Some(_), "pomerium") => return usage("--token-in is for coyo: Pomerium's assertion goes in its X-Pomerium-Jwt-Assertion header"),
        (Some(t), _) => TokenIn::parse(t)?,
        (None, _) => TokenIn::Bearer,
    };
    let reading = reading(&args.service, "401,403")?;
    for (m, p) in &reading.json {
        if !p.starts_with('/') {
            return usage(format!(
                "--identity-json {m}={p}: a JSON pointer starts with / (e.g. /email)"
            ));
        }
    }
    let limits = limits(&args.service)?;
    let only = only(&args)?;
    let now = args.now.unwrap_or_else(jwtc_harness::features::system_now);
    let loaded = crate::suite::embedded()?;
    let server = KeyServer::start_with(
        &loaded.keys,
        &args
            .service
            .tls
            .options(args.service.keys_port, args.service.attacker_port),
    )?;
    let mut settings = Settings::suite(now);
    settings.audience = args.service.audience.clone();
    settings.issuer = issuer.to_owned();
    settings.attacker = server.attacker_host();
    settings.hosts = keyserver::coyo_hosts(&server);
    let identity: Vec<String> = reading
        .json
        .iter()
        .chain(&reading.headers)
        .map(|(m, _)| m.clone())
        .collect();
    let service = Service {
        profile: args.profile.clone(),
        settings,
        skew: args.service.skew,
        clock_margin: args.service.clock_margin,
        token_in,
        identity,
        served: server.tls_addr.map(|a| a.to_string()),
    };
    let mut planned = match &args.vectors {
        Some(path) => plan::plan_cases(
            file_cases(path, &args.profile)?,
            None,
            &service,
            &target.path,
        ),
        None => plan::plan(&loaded.keys, &service, &target.path)?,
    };
    planned.retain(|p| only.as_ref().is_none_or(|g| g.matches(&p.case.case.id)));
    if planned.is_empty() {
        return usage("no case matches --only: check the glob (e.g. 'pomerium/aud/*')");
    }
    let config = keyserver::configuration(&server, &args.profile, &args.service.audience, issuer);
    eprintln!(
        "{}\nprobing {} ({} cases minted at now {now}); the service must be configured with:\n{}",
        origins(&server),
        target.url,
        planned.len(),
        serde_json::to_string_pretty(&config).unwrap_or_default()
    );
    if reading.json.is_empty() && reading.headers.is_empty() {
        eprintln!("identity not compared on accepts: give --identity-json or --identity-header");
    }
    let done = probe_run::probe(
        &format!("probe {}", target.url),
        &loaded.suite.version,
        now,
        target.addr,
        planned,
        &server,
        &limits,
        &reading,
        std::io::stderr().is_terminal(),
    );
    finish(
        &done,
        &format!("the key server saw {} fetch(es)", server.log().len()),
        report_to(&args),
    )
}

/// `--report` and `--out`, as `finish` takes them.
pub fn report_to(args: &ProbeArgs) -> Option<(Format, &std::path::Path, &'static str)> {
    args.report
        .zip(args.out.as_deref())
        .map(|(f, o)| (f, o, "--out"))
}

/// A vector file or folder's cases (`--vectors`), all of the service's `profile`.
pub fn file_cases(
    path: &std::path::Path,
    profile: &str,
) -> Result<Vec<jwtc_vectors::load::LoadedCase>, Failure> {
    let loaded = crate::suite::load(Some(path), jwtc_vectors::load::Mode::User)?;
    if let Some(c) = loaded.cases.iter().find(|c| c.profile != profile) {
        return usage(format!(
            "--vectors {}: case {} is of profile {}, the service's is {profile}",
            path.display(),
            c.case.id,
            c.profile
        ));
    }
    Ok(loaded.cases)
}

/// The accept and reject statuses and the identity flags (`reject` the role's default).
pub fn reading(args: &ServiceArgs, reject: &str) -> Result<Reading, Failure> {
    Ok(Reading {
        accept: probe_run::statuses(&args.accept_status)
            .map_err(|e| format!("--accept-status: {e}"))?,
        reject: probe_run::statuses(args.reject_status.as_deref().unwrap_or(reject))
            .map_err(|e| format!("--reject-status: {e}"))?,
        json: pairs("--identity-json", args.identity_json.as_deref())?,
        headers: pairs("--identity-header", args.identity_header.as_deref())?,
    })
}

/// The bounds of the requests; each must be more than 0.
pub fn limits(args: &ServiceArgs) -> Result<Limits, Failure> {
    if !(args.rate > 0.0 && args.rate.is_finite()) || args.max_requests == 0 || args.max_body == 0 {
        return usage("--rate, --max-requests and --max-body must be more than 0");
    }
    Ok(Limits {
        timeout: args.timeout,
        rate: args.rate,
        max_requests: args.max_requests,
        body_limit: args.max_body,
    })
}

/// `--only`, compiled.
pub fn only(args: &ProbeArgs) -> Result<Option<glob::Pattern>, Failure> {
    match &args.only {
        Some(g) => Ok(Some(
            glob::Pattern::new(g).map_err(|e| format!("--only {g:?} is not a glob: {e}"))?,
        )),
        None => Ok(None),
    }
}

/// Prints a finished probe (the table, its pace and `extra`), writes the report asked
/// for (format, path, the flag naming it), and gives the exit code.
pub fn finish(
    done: &Probe,
    extra: &str,
    report: Option<(Format, &std::path::Path, &str)>,
) -> Result<ExitCode, Failure> {
    say(&report::table(&done.run, std::io::stdout().is_terminal()));
    say(&format!(
        "\n{} request(s) in {:.2} s ({:.1} requests/s); {extra}\n",
        done.requests,
        done.wall.as_secs_f64(),
        done.rate(),
    ));
    if let Some((format, out, flag)) = report {
        crate::run::write_report(&done.run, format, out, flag)?;
    }
    Ok(if done.run.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The key server's https origins.
#[derive(Args, Debug, Clone)]
pub struct TlsArgs {
    /// The https trusted origin's port (COYO's allowlisted jku origin).
    #[arg(long, value_name = "PORT", default_value = "47303")]
    pub tls_port: u16,
    /// The https attacker origin's port.
    #[arg(long, value_name = "PORT", default_value = "47304")]
    pub attacker_tls_port: u16,
    /// Where the CA certificate of the https origins is written, for the service to trust
    /// (default: jwtc-keys-PID/ca.pem in the temporary directory).
    #[arg(long, value_name = "PATH")]
    pub ca_file: Option<PathBuf>,
    /// Serve http only (no certificate is made).
    #[arg(long)]
    pub no_tls: bool,
}

impl TlsArgs {
    pub(crate) fn options(&self, port: u16, attacker_port: u16) -> keyserver::Options {
        keyserver::Options {
            port,
            attacker_port,
            tls: (!self.no_tls).then(|| {
                self.ca_file
                    .clone()
                    .unwrap_or_else(jwtc_probe::tls::default_ca_file)
            }),
            tls_port: self.tls_port,
            attacker_tls_port: self.attacker_tls_port,
        }
    }
}

/// The lines saying where the key server listens.
fn origins(server: &KeyServer) -> String {
    let mut s = format!(
        "key server on {} (attacker's origin http://{}/)",
        server.url("/"),
        server.attacker_host()
    );
    if let (Some(t), Some(a), Some(ca)) = (
        server.tls_origin(),
        server.attacker_tls_addr,
        &server.ca_file,
    ) {
        s.push_str(&format!(
            " and {t}/ (attacker's https://{a}/); trust the CA certificate {} (Node: NODE_EXTRA_CA_CERTS={0}; Python: ssl.create_default_context(cafile=...), requests' verify=...)",
            ca.display()
        ));
    }
    s
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// The profile whose configuration is printed: pomerium or coyo.
    #[arg(long, default_value = "pomerium")]
    pub profile: String,
    /// The trusted origin's port.
    #[arg(long, default_value = "47301")]
    pub port: u16,
    /// The attacker origin's port.
    #[arg(long, default_value = "47302")]
    pub attacker_port: u16,
    /// The audience to print (Pomerium).
    #[arg(long, default_value = "httpbin.corp.example.com")]
    pub audience: String,
    /// The issuer to print (Pomerium).
    #[arg(long, default_value = "pomerium-proxy")]
    pub issuer: String,
    #[command(flatten)]
    pub tls: TlsArgs,
    /// Serve every document in a hostile mode: redirect, slow, oversized, not-json.
    #[arg(long, value_name = "MODE")]
    pub hostile: Option<String>,
    /// Stop after this many seconds (default: run until interrupted).
    #[arg(long, value_name = "SECS", value_parser = seconds)]
    pub r#for: Option<Duration>,
}

/// Runs `jwtc keys serve`: the key server, its configuration printed, each fetch logged.
pub fn serve(args: ServeArgs) -> Result<ExitCode, Failure> {
    if !matches!(args.profile.as_str(), "pomerium" | "coyo") {
        return usage(format!(
            "--profile {:?}: the key server serves pomerium or coyo services",
            args.profile
        ));
    }
    let mode = args.hostile.as_deref().map(Mode::parse).transpose()?;
    let loaded = crate::suite::embedded()?;
    let server = KeyServer::start_with(
        &loaded.keys,
        &args.tls.options(args.port, args.attacker_port),
    )?;
    if let Some(mode) = mode {
        for (path, names) in keyserver::DOCUMENTS {
            server.set(path, keyserver::jwks(&loaded.keys, names)?, mode.clone());
        }
    }
    let config = keyserver::configuration(&server, &args.profile, &args.audience, &args.issuer);
    say(&format!(
        "{}; configure the service with:\n{}\n",
        origins(&server),
        serde_json::to_string_pretty(&config).unwrap_or_default()
    ));
    let start = std::time::Instant::now();
    let mut shown = 0;
    while args.r#for.is_none_or(|d| start.elapsed() < d) {
        std::thread::sleep(Duration::from_millis(200));
        let log = server.log();
        for f in &log[shown..] {
            say(&format!(
                "fetch {}{}\n",
                f.url,
                if f.attacker {
                    " (attacker's origin)"
                } else {
                    ""
                }
            ));
        }
        shown = log.len();
    }
    Ok(ExitCode::SUCCESS)
}
