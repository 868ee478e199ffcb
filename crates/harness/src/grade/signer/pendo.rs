//! The `pendo.mint-*` rules judged on a `pendo-signer` mint: the options object the app
//! passes to `pendo.initialize` (`{"jwt", "signingKeyName"}`), for a request `{"visitor"?,
//! "account"?}` under a configuration `{"keys": [oct JWK, kid = key name], "active",
//! "revoked"?}`.

use base64::Engine;
use serde_json::{json, Map, Value};

use jwtc_vectors::mint::hmac;
use jwtc_verifier::b64;
use jwtc_verifier::pendo::{check_event, KeyRing, Mode};
use jwtc_verifier::Code;

use super::{all_fail, decode, id_text, At, Judgement, Judgements, Mint};
use crate::grade::same_json;

/// The pendo signer rules, in catalogue order.
pub const RULES: [&str; 6] = [
    "pendo.mint-alg",
    "pendo.mint-key",
    "pendo.mint-nonce",
    "pendo.mint-visitor",
    "pendo.mint-metadata",
    "pendo.mint-verifies",
];

/// The largest step by which a digits-only nonce may grow from one mint to the next and
/// still be a counter or a timestamp (`either`), not a random value.
pub const COUNTER_STEP: u64 = 1_000_000;

/// Judges the mints of one case in order at the suite clock `now`; nonces are compared
/// across them.
pub fn judge(mints: &[Mint<'_>], now: i64) -> Vec<Judgements> {
    judge_at(mints, &|_| At::suite(now), &[])
}

/// [`judge`], mint `i` at `at(i)`, and every nonce also compared with `run_nonces`, those
/// the earlier cases of the run minted (case id, nonce).
pub fn judge_at(
    mints: &[Mint<'_>],
    at: &dyn Fn(usize) -> At,
    run_nonces: &[(String, String)],
) -> Vec<Judgements> {
    let mut nonces: Vec<(usize, String)> = Vec::new();
    mints
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let (j, nonce) = one(m, &nonces, run_nonces, at(i).now);
            if let Some(n) = nonce {
                nonces.push((m.step, n));
            }
            j
        })
        .collect()
}

fn one(
    m: &Mint<'_>,
    earlier: &[(usize, String)],
    run_nonces: &[(String, String)],
    now: i64,
) -> (Judgements, Option<String>) {
    let Some(options) = m.output.as_object() else {
        return (
            all_fail(
                &RULES,
                &format!("the output is {}, not the options object", m.output),
            ),
            None,
        );
    };
    let mut j = Judgements::new();
    // rule: pendo.mint-metadata — nothing plain beside the jwt.
    let beside: Vec<&str> = ["visitor", "account", "metadata"]
        .into_iter()
        .filter(|k| options.contains_key(*k))
        .collect();
    j.insert(
        "pendo.mint-metadata",
        if beside.is_empty() {
            Judgement::Pass
        } else {
            Judgement::Fail(format!(
                "the options carry {} beside the jwt",
                beside.join(", ")
            ))
        },
    );
    let jwt = match options.get("jwt") {
        Some(Value::String(s)) => s.as_str(),
        other => {
            let why = format!("options.jwt is {}, not a string", shown(other));
            for r in RULES.iter().filter(|r| **r != "pendo.mint-metadata") {
                j.insert(r, Judgement::Fail(why.clone()));
            }
            return (j, None);
        }
    };
    let decoded = match decode(jwt) {
        Ok(d) => d,
        Err(e) => {
            let why = format!("options.jwt does not decode: {e}");
            for r in RULES.iter().filter(|r| **r != "pendo.mint-metadata") {
                j.insert(r, Judgement::Fail(why.clone()));
            }
            return (j, None);
        }
    };
    let alg = decoded.header.get("alg");
    // rule: pendo.mint-alg — exactly HS256.
    j.insert(
        "pendo.mint-alg",
        if alg == Some(&json!("HS256")) {
            Judgement::Pass
        } else {
            Judgement::Fail(format!("header alg {} is not \"HS256\"", shown(alg)))
        },
    );
    j.insert("pendo.mint-key", key(m.context, options, &decoded));
    let (nonce, text) = nonce(&decoded.claims, earlier, run_nonces);
    j.insert("pendo.mint-nonce", nonce);
    j.insert("pendo.mint-visitor", visitor(m.request, &decoded.claims));
    j.insert(
        "pendo.mint-verifies",
        verifies(m, options, &decoded.claims, now),
    );
    (j, text)
}

/// The top-level nonce of every accepted mint among `answers`, in step order (what a run
/// keeps to compare later cases' nonces with); an output without one adds nothing.
pub fn minted_nonces(answers: &[crate::grade::Answer]) -> Vec<String> {
    answers
        .iter()
        .filter(|(got, _)| got.verdict == crate::outcome::Got::Accept)
        .filter_map(|(got, _)| {
            let jwt = got.output.as_ref()?.get("jwt")?.as_str()?;
            match decode(jwt).ok()?.claims.get("nonce")? {
                Value::String(n) if !n.is_empty() => Some(n.clone()),
                _ => None,
            }
        })
        .collect()
}

fn shown(v: Option<&Value>) -> String {
    v.map_or("missing".to_owned(), Value::to_string)
}

/// The active key's name and secret (the text as shown, as bytes), from the context.
fn active(context: &Value) -> Result<(String, Vec<u8>), String> {
    let name = context
        .get("active")
        .and_then(Value::as_str)
        .ok_or("context.active is not a key name")?;
    let key = context
        .get("keys")
        .and_then(Value::as_array)
        .and_then(|keys| keys.iter().find(|k| k.get("kid") == Some(&json!(name))))
        .ok_or_else(|| format!("context.keys has no key {name:?}"))?;
    let k = key
        .get("k")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("context key {name:?} has no k"))?;
    let secret = b64::decode(k).map_err(|e| format!("context key {name:?}: k: {e}"))?;
    Ok((name.to_owned(), secret))
}

// rule: pendo.mint-key — the active key's name, its secret's bytes as shown.
fn key(context: &Value, options: &Map<String, Value>, d: &super::Decoded<'_>) -> Judgement {
    let (name, secret) = match active(context) {
        Ok(x) => x,
        Err(e) => return Judgement::Fail(format!("cannot judge: {e}")),
    };
    let given = options.get("signingKeyName");
    if given != Some(&json!(name)) {
        return Judgement::Fail(format!(
            "signingKeyName {} is not the active key's name {name:?}",
            shown(given)
        ));
    }
    // The key is judged on its own: under the header's HMAC algorithm when it names one.
    let alg = d
        .header
        .get("alg")
        .and_then(Value::as_str)
        .filter(|a| matches!(*a, "HS256" | "HS384" | "HS512"))
        .unwrap_or("HS256");
    let mac = |secret: &[u8]| hmac(alg, secret, d.signing_input.as_bytes());
    if mac(&secret) == d.signature {
        return Judgement::Pass;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(&secret)
        .ok()
        .filter(|bytes| mac(bytes) == d.signature);
    Judgement::Fail(match decoded {
        Some(_) => format!(
            "the {alg} MAC is keyed with the base64-decoded secret of {name:?}, not its text as shown"
        ),
        None => format!("the {alg} MAC does not verify with the secret of {name:?} as shown"),
    })
}

// rule: pendo.mint-nonce — top level, a non-empty string, new in every mint of the run.
fn nonce(
    claims: &Map<String, Value>,
    earlier: &[(usize, String)],
    run_nonces: &[(String, String)],
) -> (Judgement, Option<String>) {
    let n = match claims.get("nonce") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::String(_)) => return (Judgement::Fail("nonce is \"\"".into()), None),
        None => {
            let nested = ["visitor", "account"]
                .iter()
                .any(|o| claims.get(*o).is_some_and(|v| v.get("nonce").is_some()));
            let why = if nested {
                "no top-level nonce (one is nested in visitor/account)"
            } else {
                "no nonce"
            };
            return (Judgement::Fail(why.into()), None);
        }
        Some(other) => {
            return (
                Judgement::Fail(format!("nonce is {other}, not a string")),
                None,
            )
        }
    };
    if let Some((step, _)) = earlier.iter().find(|(_, e)| *e == n) {
        return (
            Judgement::Fail(format!("nonce {n:?} repeats the mint of step {}", step + 1)),
            Some(n),
        );
    }
    if let Some((case, _)) = run_nonces.iter().find(|(_, e)| *e == n) {
        return (
            Judgement::Fail(format!(
                "nonce {n:?} repeats a mint of the earlier case {case} of this run"
            )),
            Some(n),
        );
    }
    let counter = earlier.last().and_then(|(_, last)| {
        let (a, b) = (last.parse::<u64>().ok()?, n.parse::<u64>().ok()?);
        (n.bytes().all(|c| c.is_ascii_digit()) && b > a && b - a <= COUNTER_STEP)
            .then(|| format!("nonce {n:?} is digits grown by {} from {last:?}", b - a))
    });
    (counter.map_or(Judgement::Pass, Judgement::Either), Some(n))
}

// rule: pendo.mint-visitor — every member of the request, ids as strings, anonymous without id.
fn visitor(request: &Value, claims: &Map<String, Value>) -> Judgement {
    let mut problems = Vec::new();
    // No visitor in the request is an anonymous visitor: it must be signed without an id.
    let no_visitor = Value::Object(Map::new());
    for part in ["visitor", "account"] {
        let asked = match request.get(part) {
            None if part == "visitor" => &no_visitor,
            other => other.unwrap_or(&Value::Null),
        };
        let Some(asked) = asked.as_object() else {
            continue;
        };
        let got = claims.get(part);
        let got_obj = got.and_then(Value::as_object);
        if part == "visitor" && !asked.contains_key("id") {
            if let Some(h) = got_obj.and_then(|o| o.get("id")) {
                problems.push(format!(
                    "an anonymous visitor is signed with visitor.id {h}; it must have no id"
                ));
            }
        }
        for (k, v) in asked {
            let have = got_obj.and_then(|o| o.get(k));
            if k == "id" {
                let want = match id_text(Some(v), &format!("request.{part}.id")) {
                    Ok(w) => w,
                    Err(e) => {
                        problems.push(format!("cannot judge: {e}"));
                        continue;
                    }
                };
                match (want, have) {
                    (None, None) => {}
                    (None, Some(h)) => problems.push(format!(
                        "an anonymous {part} is signed with {part}.id {h}; it must have no id"
                    )),
                    (Some(w), Some(Value::String(h))) if *h == w => {}
                    (Some(w), h) => {
                        problems.push(format!("{part}.id is {}, not the string {w:?}", shown(h)))
                    }
                }
            } else if !have.is_some_and(|h| same_json(h, v)) {
                problems.push(format!(
                    "{part}.{k} is {}, not the request's {v}",
                    shown(have)
                ));
            }
        }
    }
    if problems.is_empty() {
        Judgement::Pass
    } else {
        Judgement::Fail(problems.join("; "))
    }
}

// rule: pendo.mint-verifies — Pendo's verifier, only_signed, the request's identity.
fn verifies(
    m: &Mint<'_>,
    options: &Map<String, Value>,
    claims: &Map<String, Value>,
    now: i64,
) -> Judgement {
    let keys = m
        .context
        .get("keys")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let revoked: Vec<String> = m
        .context
        .get("revoked")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let mut ring = KeyRing::new();
    let refused = ring.configure(&keys, &revoked);
    if let Some(e) = refused.first() {
        return Judgement::Fail(format!("cannot judge: the configuration is refused: {e}"));
    }
    let mut event = json!({"id": format!("mint-{}", m.step + 1)});
    for k in ["jwt", "signingKeyName"] {
        if let Some(v) = options.get(k) {
            event[k] = v.clone();
        }
    }
    let accepted = match check_event(&event, Mode::OnlySigned, &ring, now) {
        Ok(a) => a,
        Err(e) => {
            let empty_id = claims
                .get("visitor")
                .and_then(|v| v.get("id"))
                .is_some_and(|id| id == "");
            let either = match e.code() {
                Code::Expired => true,
                Code::ClaimInvalid => empty_id,
                _ => false,
            };
            let why = format!("the reference verifier rejects {}: {e}", e.code().as_str());
            return if either {
                Judgement::Either(why)
            } else {
                Judgement::Fail(why)
            };
        }
    };
    let want = |part: &str| id_text(m.request.get(part).and_then(|p| p.get("id")), part);
    let (Ok(visitor), Ok(account)) = (want("visitor"), want("account")) else {
        return Judgement::Fail(
            "cannot judge: the request's ids are not strings or integers".into(),
        );
    };
    if accepted.visitor_id != visitor || accepted.account_id != account {
        return Judgement::Fail(format!(
            "the verifier reports visitor {:?}, account {:?}; the request is visitor {visitor:?}, account {account:?}",
            accepted.visitor_id, accepted.account_id
        ));
    }
    Judgement::Pass
}
