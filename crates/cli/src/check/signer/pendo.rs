//! `jwtc check --role signer --profile pendo`: the options object (`{"jwt",
//! "signingKeyName"}`) a customer's code passes to `pendo.initialize`, or the bare `jwt`,
//! with the one key the code signs with (`--secret NAME=SECRET`, or `--key SECRET
//! --key-name NAME`) and optionally the app's own visitor and account (`--request`).

use serde_json::{json, Map, Value};

use jwtc_harness::grade::signer::{decode, pendo::RULES};

use super::{json_arg, judge, line, not_checkable, CheckArgs, Line, Linted, State};

const PROFILE: &str = "pendo-signer";

/// The one key the code signs with, as the grader's configuration takes it: an `oct` JWK
/// whose `kid` is the name and whose bytes are the secret's text.
fn key(args: &CheckArgs) -> Result<Value, String> {
    let how = "give the one key your code signs with: --secret NAME=SECRET (as Pendo shows it), or --key SECRET with --key-name NAME";
    match (args.secret.as_slice(), args.key.as_slice()) {
        ([s], []) => {
            let jwk = crate::keyarg::pendo_secret(s)?;
            match &args.key_name {
                Some(n) if jwk["kid"] != json!(n) => Err(format!(
                    "--key-name {n:?} and --secret {}=…: two names for the one key; give one",
                    jwk["kid"].as_str().unwrap_or_default()
                )),
                _ => Ok(jwk),
            }
        }
        ([], [k]) => {
            let name = args
                .key_name
                .as_deref()
                .ok_or_else(|| format!("--key SECRET needs --key-name NAME: {how}"))?;
            let secret = crate::keyarg::secret_text("--key ", k)?;
            if name.is_empty() || secret.is_empty() {
                return Err("--key and --key-name must not be empty".into());
            }
            Ok(crate::keyarg::pendo_jwk(name, &secret))
        }
        ([], []) => Err(format!("--role signer --profile pendo: {how}")),
        _ => Err(format!(
            "--role signer --profile pendo: {} keys given; {how}",
            args.secret.len() + args.key.len()
        )),
    }
}

/// `--request`: `{"visitor"?: {...}, "account"?: {...}}`, checked so nothing is skipped.
fn request(text: &str) -> Result<Value, String> {
    let v = json_arg("--request", text)?;
    let Some(obj) = v.as_object() else {
        return Err(format!(
            "--request is JSON {v}, not an object (give {{\"visitor\": {{...}}, \"account\": {{...}}}})"
        ));
    };
    for (k, part) in obj {
        if k != "visitor" && k != "account" {
            return Err(format!(
                "--request: member {k:?}; the app's request holds only \"visitor\" and \"account\""
            ));
        }
        if !part.is_object() {
            return Err(format!("--request: {k} is {part}, not an object"));
        }
    }
    Ok(v)
}

fn shown(v: Option<&Value>) -> String {
    v.map_or("none".into(), Value::to_string)
}

/// Lints the options object (or bare jwt) `input` at `now`.
pub fn lint(args: &CheckArgs, input: &str, now: i64) -> Result<Linted, String> {
    let jwk = key(args)?;
    let name = jwk["kid"].as_str().unwrap_or_default().to_owned();
    let context = json!({"keys": [jwk], "active": name, "revoked": args.revoked});
    let bare = !input.starts_with(['{', '[', '"']);
    let output = if bare {
        json!({"jwt": input, "signingKeyName": name})
    } else {
        serde_json::from_str::<Value>(input).map_err(|e| {
            format!(
                "the options object is not JSON: {e} (give {{\"jwt\", \"signingKeyName\"}} as your code passes it to pendo.initialize, or the bare jwt)"
            )
        })?
    };
    let jwt = output
        .get("jwt")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let decoded = decode(jwt).ok();
    let claims = decoded
        .as_ref()
        .map(|d| d.claims.clone())
        .unwrap_or_default();
    let request = match &args.request {
        Some(r) => request(r)?,
        None => {
            let mut own = Map::new();
            for part in ["visitor", "account"] {
                if let Some(v) = claims.get(part).filter(|v| v.is_object()) {
                    own.insert(part.into(), v.clone());
                }
            }
            Value::Object(own)
        }
    };
    let j = judge(PROFILE, &request, &context, &output, now);
    let alg = decoded
        .as_ref()
        .and_then(|d| d.header.get("alg").cloned())
        .unwrap_or(Value::Null);
    let mut lines: Vec<Line> = Vec::new();
    for rule in RULES {
        let l = line(rule, j.get(rule), || {
            match rule {
            "pendo.mint-alg" => format!("header alg {alg}"),
            "pendo.mint-key" if bare => {
                format!("the HS256 MAC verifies with the secret of {name:?} as shown")
            }
            "pendo.mint-key" => format!(
                "signingKeyName {name:?} is the key given; the HS256 MAC verifies with its secret as shown"
            ),
            "pendo.mint-nonce" => format!(
                "nonce {} is a non-empty string at the top level",
                shown(claims.get("nonce"))
            ),
            "pendo.mint-visitor" => format!(
                "visitor {}, account {}: {}",
                shown(claims.get("visitor")),
                shown(claims.get("account")),
                if args.request.is_some() {
                    "every member the request has, ids as strings"
                } else {
                    "ids as strings"
                }
            ),
            "pendo.mint-metadata" => {
                let keys: Vec<&str> = output
                    .as_object()
                    .map(|o| o.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                format!("the options carry {} only: nothing in clear", keys.join(", "))
            }
            _ => format!(
                "Pendo's verifier (only_signed, key {name:?}) accepts it: visitor {}, account {}",
                shown(claims.get("visitor").and_then(|v| v.get("id"))),
                shown(claims.get("account").and_then(|v| v.get("id")))
            ),
        }
        });
        lines.push(l);
    }
    let mut notes = vec![not_checkable(
        "pendo.mint-nonce",
        "that every mint's nonce is new: one mint shows only that it is present and a non-empty string (run the signer cases: docs/signers.md)",
    )];
    if bare {
        notes.push(not_checkable(
            "pendo.mint-key",
            format!("the signingKeyName sent beside the jwt: a bare JWT carries none (the MAC was checked with {name:?}); give the options object"),
        ));
        if let Some(l) = lines.iter_mut().find(|l| l.rule == "pendo.mint-metadata") {
            if l.state == State::Pass {
                l.state = State::NotCheckable;
                l.text = "what the options object carries beside the jwt: a bare JWT shows none of it; give the options object".into();
            }
        }
    }
    if args.request.is_none() {
        notes.push(not_checkable(
            "pendo.mint-visitor",
            "the app's own visitor and account: without --request the token's own are taken, so only the ids' type is checked (and not that an anonymous visitor has no id)",
        ));
    }
    Ok(Linted {
        alg: "HS256",
        header: decoded.as_ref().map(|d| Value::Object(d.header.clone())),
        claims: decoded.map(|d| Value::Object(d.claims)),
        facts: Vec::new(),
        lines,
        not_checkable: notes,
    })
}
