//! `jwtc check --role signer --profile watson`: the identity token a customer's server
//! minted, with the customer's public key (`--key`), the issuer (`--issuer`), optionally the
//! app's request (`--request`, `--payload`), IBM's public key (`--ibm-key`: the length of
//! `user_payload`'s blocks) and IBM's private key (`--ibm-private-key`: `user_payload`
//! decrypted and shown). Without the private key, `user_payload`'s structure is judged
//! ([`super::payload`]) and its contents are said to be not checkable.

use serde_json::{json, Map, Value};

use jwtc_harness::grade::signer::watson::{modulus_bits, public_half, RULES};
use jwtc_harness::grade::signer::{decode, id_text, Judgement};
use jwtc_verifier::watson::{decrypt_user_payload, DecryptionKey};
use jwtc_verifier::Key;

use super::payload::{structure, Modulus};
use super::{json_arg, judge, line, not_checkable, CheckArgs, Linted};
use crate::keyarg;

const PROFILE: &str = "watson-signer";

/// `--request`: `{"user_id", "payload"?}`, checked so nothing is skipped.
fn request(text: &str) -> Result<Map<String, Value>, String> {
    let v = json_arg("--request", text)?;
    let Value::Object(obj) = v else {
        return Err(format!(
            "--request is JSON {v}, not an object (give {{\"user_id\": \"...\", \"payload\": ...}})"
        ));
    };
    for k in obj.keys() {
        if k != "user_id" && k != "payload" {
            return Err(format!(
                "--request: member {k:?}; the app's request holds only \"user_id\" and \"payload\""
            ));
        }
    }
    id_text(obj.get("user_id"), "--request's user_id")?;
    Ok(obj)
}

/// Lints the token `token` at `now`.
pub fn lint(args: &CheckArgs, token: &str, now: i64) -> Result<Linted, String> {
    let signing = match args.key.as_slice() {
        [k] => public_half(&keyarg::rsa_jwk("--key", k, "the customer's signing key", false)?),
        keys => {
            return Err(format!(
                "--role signer --profile watson: {} --key given; give the one public key of the key your server signs with (PEM or JWK)",
                keys.len()
            ))
        }
    };
    Key::from_jwk(&signing).map_err(|e| format!("--key: {e}"))?;
    let issuer = args.issuer.clone().ok_or(
        "--role signer --profile watson needs --issuer (the iss your server is configured to write)",
    )?;
    let private = match &args.decryption_key {
        Some(v) => {
            let jwk = keyarg::rsa_jwk("--ibm-private-key", v, "IBM's private key", true)?;
            let key =
                DecryptionKey::from_jwk(&jwk).map_err(|e| format!("--ibm-private-key: {e}"))?;
            Some((jwk, key))
        }
        None => None,
    };
    let ibm_public = match &args.ibm_key {
        Some(v) => Some(public_half(&keyarg::rsa_jwk(
            "--ibm-key",
            v,
            "IBM's public key",
            false,
        )?)),
        None => private.as_ref().map(|(jwk, _)| public_half(jwk)),
    };
    if let (Some(p), Some((k, _))) = (&ibm_public, &private) {
        if p.get("n") != k.get("n") {
            return Err(
                "--ibm-key and --ibm-private-key are not one key pair (their moduli differ)".into(),
            );
        }
    }
    let modulus = ibm_public
        .as_ref()
        .and_then(modulus_bits)
        .map(|bits| Modulus { bits });
    let mut req = match &args.request {
        Some(r) => request(r)?,
        None => Map::new(),
    };
    if let Some(p) = &args.payload {
        if req.contains_key("payload") {
            return Err("--payload and --request's payload: give the payload once".into());
        }
        req.insert("payload".into(), json_arg("--payload", p)?);
    }
    let user_given = req.contains_key("user_id");
    let payload_given = req.get("payload").is_some_and(|p| !p.is_null());
    // The app passed none when --request was given without a payload.
    let payload_known = payload_given || args.request.is_some();
    let decoded = decode(token).ok();
    let claims = decoded
        .as_ref()
        .map(|d| d.claims.clone())
        .unwrap_or_default();
    if !user_given {
        if let Some(sub) = claims.get("sub") {
            req.insert("user_id".into(), sub.clone());
        }
    }
    let up = claims.get("user_payload");
    let mut facts = Vec::new();
    let mut notes = Vec::new();
    let mut mine: Option<(Judgement, String)> = None;
    // The decrypted payload stands for the app's (none given): shown, not compared.
    let mut derived = false;
    match (&private, up) {
        (_, None) => {}
        (Some((_, key)), Some(v)) => match (v.as_str(), payload_known) {
            (Some(t), known) => match decrypt_user_payload(t, key) {
                Ok(p) => {
                    facts.push(("user_payload decrypted", p.clone()));
                    if !known {
                        req.insert("payload".into(), p);
                        derived = true;
                        notes.push(not_checkable(
                            "watson.mint-user-payload",
                            "that the decrypted payload is the one the app passed: give --payload",
                        ));
                    }
                }
                Err(e) if !known => {
                    mine = Some(match structure(t, modulus) {
                        (Judgement::Fail(why), _) => (Judgement::Fail(why), String::new()),
                        _ => (Judgement::Fail(format!("user_payload does not decrypt as node-rsa's encrypt(…, 'base64') with IBM's private key: {e}")), String::new()),
                    })
                }
                Err(_) => {}
            },
            (None, false) => {
                mine = Some((
                    Judgement::Fail(format!("user_payload is {v}, not a string")),
                    String::new(),
                ))
            }
            (None, true) => {}
        },
        (None, Some(v)) if payload_given || args.request.is_none() => {
            mine = Some(match v.as_str() {
                Some(t) => structure(t, modulus),
                None => (
                    Judgement::Fail(format!("user_payload is {v}, not a string")),
                    String::new(),
                ),
            });
            notes.push(not_checkable(
                "watson.mint-user-payload",
                "that it decrypts, block by block, to the app's payload: only IBM's private key shows it (--ibm-private-key, in a test set-up)",
            ));
            if modulus.is_none() {
                notes.push(not_checkable(
                    "watson.mint-user-payload",
                    "that it is whole RSA blocks of IBM's modulus length: give --ibm-key (the public key IBM provides for your web chat)",
                ));
            }
        }
        (None, Some(_)) => {}
    }
    let mut context = json!({"signing_key": signing, "issuer": issuer});
    if let Some(p) = &ibm_public {
        context["ibm_public_key"] = p.clone();
    }
    if let Some((jwk, _)) = &private {
        context["decryption_key"] = jwk.clone();
    }
    let request = Value::Object(req);
    let output = json!({ "token": token });
    let mut j = judge(PROFILE, &request, &context, &output, now);
    if let Some((judgement, _)) = &mine {
        j.insert("watson.mint-user-payload", judgement.clone());
    }
    if !user_given && decoded.is_some() && claims.get("sub").is_none() {
        j.insert(
            "watson.mint-sub",
            Judgement::Fail("no sub claim (the user id)".into()),
        );
    }
    let get = |k: &str| claims.get(k).map_or("missing".into(), Value::to_string);
    let bits = modulus_bits(&signing).unwrap_or_default();
    let lines = RULES
        .iter()
        .map(|rule| {
            line(rule, j.get(rule), || match *rule {
                "watson.mint-alg" => format!(
                    "header alg \"RS256\"; the signature verifies with --key's {bits}-bit public key"
                ),
                "watson.mint-iss" => format!("iss {} is --issuer", get("iss")),
                "watson.mint-sub" if user_given => {
                    format!("sub {} is the request's user_id", get("sub"))
                }
                "watson.mint-sub" => format!("sub {} can be a user id (visible ASCII)", get("sub")),
                "watson.mint-exp" => {
                    let exp = claims.get("exp").and_then(Value::as_f64).unwrap_or_default();
                    format!(
                        "exp {} − now {now} = {} s <= 3600 s; iat {}",
                        get("exp"),
                        exp - now as f64,
                        claims.get("iat").map_or("absent".into(), |i| format!("{i} <= now"))
                    )
                }
                "watson.mint-user-payload" => match (&mine, up) {
                    (Some((_, pass)), _) => pass.clone(),
                    (None, None) if payload_known => {
                        "no user_payload, and the app passed no payload".into()
                    }
                    (None, None) => "no user_payload claim".into(),
                    (None, Some(_)) => format!(
                        "RSA-OAEP blocks to IBM's key, standard base64, decrypting to {}{}",
                        if derived { "" } else { "the app's payload " },
                        request.get("payload").map_or("none".into(), Value::to_string)
                    ),
                },
                _ => format!(
                    "IBM's verifier (--key, --issuer{}) accepts it: user {}{}",
                    if private.is_some() { ", IBM's private key" } else { "" },
                    get("sub"),
                    match (&private, up) {
                        (None, Some(_)) => " (user_payload not decrypted: no --ibm-private-key)",
                        _ => "",
                    }
                ),
            })
        })
        .collect();
    if !user_given {
        notes.insert(
            0,
            not_checkable(
                "watson.mint-sub",
                "that sub is the user the app asked for: give --request '{\"user_id\": \"...\"}'",
            ),
        );
    }
    Ok(Linted {
        alg: "RS256",
        header: decoded.as_ref().map(|d| Value::Object(d.header.clone())),
        claims: decoded.map(|d| Value::Object(d.claims)),
        facts,
        lines,
        not_checkable: notes,
    })
}
