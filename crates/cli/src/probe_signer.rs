//! `jwtc probe --role signer`: the suite's signer cases (`pendo-signer`, `watson-signer`)
//! asked of a signer endpoint of the customer's app on this machine (jwtc-probe's
//! `signer`), graded at the wall clock the app mints at. The flags here say how the app is
//! configured (its Pendo keys; its Watson signing key, issuer and the IBM key it encrypts
//! to), the one configuration the probe grades every answer against.

use std::io::IsTerminal;
use std::process::ExitCode;

use serde_json::{json, Value};

use jwtc_harness::features::system_now;
use jwtc_harness::grade::signer::watson::public_half;
use jwtc_probe::signer::{self, App};

use crate::exit::{usage, Failure};
use crate::keyarg;
use crate::probe::{finish, limits, only, reading, report_to, ProbeArgs};

/// The suite's test key that stands for IBM's in a Watson probe, unless
/// `--ibm-private-key` gives another: the app under test encrypts `user_payload` to its
/// public half, so the probe can decrypt and compare it.
const IBM_TEST_KEY: &str = "rsa-2048-b";

/// Runs `jwtc probe --role signer`.
pub fn probe(args: &ProbeArgs) -> Result<ExitCode, Failure> {
    let target = jwtc_probe::target::parse(&args.url)?;
    let profile = match args.profile.as_str() {
        "pendo" => "pendo-signer",
        "watson" => "watson-signer",
        other => {
            return usage(format!(
                "--profile {other:?} with --role signer: give pendo or watson (the profiles whose customers sign)"
            ))
        }
    };
    let verifier_only = [
        (args.service.token_in.is_some(), "--token-in"),
        (args.vectors.is_some(), "--vectors"),
        (args.service.identity_json.is_some(), "--identity-json"),
        (args.service.identity_header.is_some(), "--identity-header"),
        (args.now.is_some(), "--now (the app mints at its own clock)"),
    ];
    if let Some((_, flag)) = verifier_only.iter().find(|(on, _)| *on) {
        return usage(format!("{flag} is not for --role signer"));
    }
    let reading = reading(&args.service, "400-499")?;
    let limits = limits(&args.service)?;
    let only = only(args)?;
    let loaded = crate::suite::embedded()?;
    let (context, shown) = match profile {
        "pendo-signer" => (pendo(args)?, String::new()),
        _ => watson(args, &loaded.keys)?,
    };
    let app = App {
        profile: profile.into(),
        context,
    };
    let mut planned = signer::plan(&loaded.cases, &app, &target.path);
    planned.retain(|p| only.as_ref().is_none_or(|g| g.matches(&p.case.case.id)));
    if planned.is_empty() {
        return usage("no case matches --only: check the glob (e.g. 'pendo/mint/*')");
    }
    let sent = planned.iter().filter(|p| p.requests.is_ok()).count();
    let now = system_now();
    eprintln!(
        "asking {} for the mints of {} {profile} cases ({sent} sent, {} skipped: written for another configuration); each POST carries the app's view of a user as JSON, graded at the time its answer arrives{shown}",
        target.url,
        planned.len(),
        planned.len() - sent
    );
    let done = signer::probe(
        &format!("probe {}", target.url),
        &loaded.suite.version,
        now,
        target.addr,
        planned,
        &limits,
        &reading,
        system_now,
        std::io::stderr().is_terminal(),
    );
    finish(&done, "graded at the wall clock", report_to(args))
}

/// The app's Pendo configuration: its keys, the active one, the revoked ones.
fn pendo(args: &ProbeArgs) -> Result<Value, Failure> {
    let s = &args.signer;
    if s.key.is_some() || s.ibm_private_key.is_some() || args.service.issuer.is_some() {
        return usage("--key, --ibm-private-key and --issuer are for --profile watson; a Pendo app's keys are --secret NAME=SECRET");
    }
    if s.secret.is_empty() {
        return usage("--role signer --profile pendo: give the app's keys, --secret NAME=SECRET (as Pendo shows them; SECRET may be env:VAR)");
    }
    let keys = s
        .secret
        .iter()
        .map(|v| keyarg::pendo_secret(v))
        .collect::<Result<Vec<Value>, String>>()?;
    let names: Vec<&str> = keys.iter().filter_map(|k| k["kid"].as_str()).collect();
    let active = match (&s.active, names.as_slice()) {
        (Some(a), _) if names.contains(&a.as_str()) => a.clone(),
        (Some(a), _) => {
            return usage(format!(
                "--active {a:?} is none of the --secret names ({})",
                names.join(", ")
            ))
        }
        (None, [one]) => (*one).to_owned(),
        (None, _) => {
            return usage(format!(
                "{} keys given ({}): say which one the app signs with, --active NAME",
                names.len(),
                names.join(", ")
            ))
        }
    };
    Ok(json!({"keys": keys, "active": active, "revoked": s.revoked}))
}

/// The app's Watson configuration, and what the probe prints about it.
fn watson(
    args: &ProbeArgs,
    keys: &jwtc_vectors::keystore::KeyStore,
) -> Result<(Value, String), Failure> {
    let s = &args.signer;
    if !s.secret.is_empty() || s.active.is_some() || !s.revoked.is_empty() {
        return usage("--secret, --active and --revoked are for --profile pendo");
    }
    let (Some(key), Some(issuer)) = (&s.key, &args.service.issuer) else {
        return usage("--role signer --profile watson: give --key (the public key of the app's signing key) and --issuer (the iss the app signs)");
    };
    let signing = keyarg::rsa_jwk(
        "--key",
        key,
        "the public key of the app's signing key",
        false,
    )?;
    let (ibm, shown) = match &s.ibm_private_key {
        Some(k) => (
            keyarg::rsa_jwk(
                "--ibm-private-key",
                k,
                "the private key user_payload is encrypted to",
                true,
            )?,
            String::new(),
        ),
        None => {
            let jwk = keys
                .private_jwk(IBM_TEST_KEY)
                .cloned()
                .ok_or_else(|| format!("the suite has no key {IBM_TEST_KEY}"))?;
            let pem = crate::keys::pem_of(&public_half(&jwk))?;
            (
                jwk,
                format!(
                    ".\nThe app must encrypt user_payload to this test key in place of IBM's (or give --ibm-private-key):\n{pem}"
                ),
            )
        }
    };
    Ok((
        json!({
            "signing_key": signing,
            "issuer": issuer,
            "ibm_public_key": public_half(&ibm),
            "decryption_key": ibm,
        }),
        shown,
    ))
}
