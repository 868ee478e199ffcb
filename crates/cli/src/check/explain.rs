//! A check's explanation: every rule the profile applies to one token, in the order the
//! verifier checks them, each passed, failed or not reached, with the values that decided
//! it. The verdict is the reference verifier's; this module reads its answer against the
//! stage table ([`super::stages`]) and shows the token's own values beside each rule.

use serde_json::{json, Value};

use jwtc_harness::outcome::{Got, Outcome};

use super::stages::{checks, Check, Stage};

/// What became of one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Checked and satisfied.
    Pass,
    /// The check that rejected the token.
    Fail,
    /// In the failing stage, but the reject came from another of its checks: the
    /// verifier stops at the first failure, so whether this one holds is not known.
    Undecided,
    /// After the failure: never checked.
    NotReached,
}

impl Status {
    fn name(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "FAIL",
            Status::Undecided => "?",
            Status::NotReached => "-",
        }
    }
}

/// One line of the explanation.
#[derive(Clone, Debug)]
pub struct Line {
    /// The rule id.
    pub rule: &'static str,
    /// Its stage.
    pub stage: Stage,
    /// What became of it.
    pub status: Status,
    /// The values that decided it (the reference's message for the failed one).
    pub values: String,
}

/// The facts of a token that the lines show.
pub struct Facts {
    /// The compact token (for Pendo: the event's `jwt`; Pomerium: the assertion).
    pub token: Option<String>,
    /// The decoded header, when it decodes.
    pub header: Option<Value>,
    /// The decoded claims, when they decode.
    pub claims: Option<Value>,
    /// The algorithm the profile is configured with.
    pub alg: String,
    /// The clock and skew the check ran at.
    pub now: i64,
    pub skew: i64,
    /// The configured audience and issuer, where the profile has them.
    pub audience: Option<String>,
    pub issuer: Option<String>,
}

impl Facts {
    /// Decodes `token` for display only (the verdict never depends on this decoding).
    pub fn new(token: Option<String>, alg: &str, now: i64, skew: i64) -> Facts {
        let part = |i: usize| -> Option<Value> {
            let seg = token.as_deref()?.split('.').nth(i)?;
            let bytes = jwtc_verifier::b64::decode(seg).ok()?;
            serde_json::from_slice(&bytes).ok()
        };
        Facts {
            header: part(0),
            claims: part(1),
            token,
            alg: alg.to_owned(),
            now,
            skew,
            audience: None,
            issuer: None,
        }
    }

    fn claim(&self, name: &str) -> Option<&Value> {
        self.claims.as_ref()?.get(name)
    }

    fn header_param(&self, name: &str) -> Option<&Value> {
        self.header.as_ref()?.get(name)
    }
}

/// The explanation of `outcome` for `profile`'s checks.
pub fn explain(profile: &str, outcome: &Outcome, facts: &Facts) -> Vec<Line> {
    let list: Vec<Check> = checks(profile)
        .into_iter()
        .filter(|c| applies(c.rule, &facts.alg))
        .collect();
    let failing = match (outcome.verdict, outcome.error.as_deref()) {
        (Got::Reject, Some(code)) => Some(code),
        _ => None,
    };
    let Some(code) = failing else {
        let status = if outcome.verdict == Got::Accept {
            Status::Pass
        } else {
            Status::NotReached
        };
        return list
            .iter()
            .map(|c| Line {
                rule: c.rule,
                stage: c.stage,
                status,
                values: if status == Status::Pass {
                    values(c.rule, facts)
                } else {
                    String::new()
                },
            })
            .collect();
    };
    let detail = outcome.detail.to_lowercase();
    let candidates: Vec<&Check> = list.iter().filter(|c| c.codes.contains(&code)).collect();
    let stage = candidates
        .iter()
        .map(|c| c.stage)
        .min()
        .or_else(|| Stage::of_code(code))
        .unwrap_or(Stage::Request);
    let in_stage: Vec<&&Check> = candidates.iter().filter(|c| c.stage == stage).collect();
    let named: Vec<&str> = in_stage
        .iter()
        .filter(|c| mentions(&detail, c.rule))
        .map(|c| c.rule)
        .collect();
    let failed = |rule: &str| {
        if named.is_empty() {
            in_stage.iter().any(|c| c.rule == rule)
        } else {
            named.contains(&rule)
        }
    };
    list.iter()
        .map(|c| {
            let status = if c.stage < stage {
                Status::Pass
            } else if c.stage > stage {
                Status::NotReached
            } else if failed(c.rule) {
                Status::Fail
            } else {
                Status::Undecided
            };
            let values = match status {
                Status::Pass => values(c.rule, facts),
                Status::Fail => outcome.detail.clone(),
                _ => String::new(),
            };
            Line {
                rule: c.rule,
                stage: c.stage,
                status,
                values,
            }
        })
        .collect()
}

/// Whether `rule` is about `alg` at all: the signature rules of other algorithms are not.
fn applies(rule: &str, alg: &str) -> bool {
    match rule.strip_prefix("core.sig-") {
        Some(sig) => sig.eq_ignore_ascii_case(alg),
        None => rule != "core.alg-confusion" || alg.starts_with("RS") || alg.starts_with("ES"),
    }
}

/// Whether the reference's message names the rule's topic (`core.exp` → `exp`,
/// `watson.user-payload` → `user_payload`).
fn mentions(detail: &str, rule: &str) -> bool {
    let topic = rule.split_once('.').map_or(rule, |(_, t)| t);
    let words: &[&str] = match topic {
        "segments" => &["segments", "empty"],
        "json" => &["json"],
        "key-name" | "rotation" => &["signingkeyname"],
        "key-limit" => &["revoked", "active"],
        "user-payload" => &["user_payload"],
        "embedded-key" => &["\"jwk\"", "\"jku\"", "\"x5u\"", "\"x5c\""],
        "header" => &["header", "assertion"],
        "mode" => &["mode", "signed metadata", "subscription"],
        "issuer-keys" => &["issuer", "iss"],
        "builtin-keys" => &["built-in", "builtin"],
        "jku-allowlist" => &["jku"],
        "fetch" => &["fetch", "jwk set", "http"],
        "iat" => &["iat"],
        "nbf" => &["nbf"],
        "identity" => &["email", "groups", "identity"],
        other => return detail.contains(other),
    };
    words.iter().any(|w| detail.contains(w))
}

/// The token's values a passing rule rests on.
fn values(rule: &str, f: &Facts) -> String {
    let topic = rule.split_once('.').map_or(rule, |(_, t)| t);
    let show = |v: Option<&Value>| v.map_or("absent".to_string(), Value::to_string);
    let tok_len = f.token.as_ref().map_or(0, String::len);
    match topic {
        "size" => format!(
            "{tok_len} bytes <= {}",
            jwtc_verifier::jose::Limits::default().max_token_len
        ),
        "segments" => format!(
            "{} segments",
            f.token.as_ref().map_or(0, |t| t.split('.').count())
        ),
        "json" => match &f.header {
            Some(Value::Object(h)) => format!(
                "header members {}",
                h.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
            _ => String::new(),
        },
        "typ" => format!("typ {}", show(f.header_param("typ"))),
        "base64url" => "header, payload and signature are canonical unpadded base64url".into(),
        "header" => "one assertion header".into(),
        "alg-confusion" => format!("{} key type only; no HMAC with a public key", f.alg),
        "sig-hs256" | "sig-es256" | "sig-rs256" => format!(
            "{} signature verified with a trusted key (kid {})",
            f.alg,
            show(f.header_param("kid"))
        ),
        "key-name" | "key-limit" | "rotation" => "the named key is active".into(),
        "mode" => "the event fits the subscription's mode".into(),
        "token" => "a token is present".into(),
        "crit" => format!("crit {}", show(f.header_param("crit"))),
        "alg" => format!("alg {} = configured {}", show(f.header_param("alg")), f.alg),
        "embedded-key" => {
            let present: Vec<&str> = ["jwk", "jku", "x5u", "x5c"]
                .into_iter()
                .filter(|p| f.header_param(p).is_some())
                .collect();
            if present.is_empty() {
                "no jwk, jku, x5u, x5c".into()
            } else {
                format!("header carries {} (never trusted)", present.join(", "))
            }
        }
        "keys" | "issuer-keys" | "builtin-keys" | "jwks" => {
            format!("kid {}", show(f.header_param("kid")))
        }
        "exp" => match f.claim("exp") {
            Some(exp) => format!("exp {exp} + skew {} > now {}", f.skew, f.now),
            None => "exp absent".into(),
        },
        "nbf" => match f.claim("nbf") {
            Some(nbf) => format!("nbf {nbf} <= now {} + skew {}", f.now, f.skew),
            None => "nbf absent".into(),
        },
        "iat" => format!(
            "iat {} (now {}, skew {})",
            show(f.claim("iat")),
            f.now,
            f.skew
        ),
        "numeric-date" => {
            let dates: Vec<String> = ["exp", "nbf", "iat"]
                .iter()
                .filter_map(|c| f.claim(c).map(|v| format!("{c} {v}")))
                .collect();
            if dates.is_empty() {
                "no exp, nbf or iat".into()
            } else {
                dates.join(", ")
            }
        }
        "iss" => match &f.issuer {
            Some(want) => format!("iss {} = configured {want:?}", show(f.claim("iss"))),
            None => format!("iss {} (no issuer configured)", show(f.claim("iss"))),
        },
        "aud" => format!(
            "aud {} names {:?}",
            show(f.claim("aud")),
            f.audience.as_deref().unwrap_or_default()
        ),
        "identity" if rule.starts_with("pendo.") => {
            let id = |c: &str| show(f.claim(c).and_then(|v| v.get("id")));
            format!(
                "visitor.id {}, account.id {} (from the verified jwt)",
                id("visitor"),
                id("account")
            )
        }
        "sub" | "identity" => format!("sub {}", show(f.claim("sub"))),
        "nonce" => format!("nonce {}", show(f.claim("nonce"))),
        "visitor" => format!("visitor {}", show(f.claim("visitor"))),
        "user-payload" => match f.claim("user_payload") {
            Some(_) => "user_payload decrypted to a JSON object".into(),
            None => "user_payload absent".into(),
        },
        "no-jti" => format!("jti {} (ignored)", show(f.claim("jti"))),
        _ => String::new(),
    }
}

/// The lines as text, grouped by stage.
pub fn render_text(lines: &[Line]) -> String {
    let width = lines.iter().map(|l| l.rule.len()).max().unwrap_or(0);
    let mut out = String::new();
    let mut stage = None;
    for l in lines {
        if stage != Some(l.stage) {
            out.push_str(&format!("{}\n", l.stage.name()));
            stage = Some(l.stage);
        }
        let note = match l.status {
            Status::Undecided => "not known: the verifier stops at the first failure",
            Status::NotReached => "not reached",
            _ => l.values.as_str(),
        };
        out.push_str(&format!(
            "  {:<4}  {:<width$}  {note}\n",
            l.status.name(),
            l.rule
        ));
    }
    out
}

/// The lines as JSON.
pub fn render_json(lines: &[Line]) -> Value {
    Value::Array(
        lines
            .iter()
            .map(|l| {
                json!({
                    "rule": l.rule,
                    "stage": l.stage.name(),
                    "status": match l.status {
                        Status::Pass => "pass",
                        Status::Fail => "fail",
                        Status::Undecided => "undecided",
                        Status::NotReached => "not_reached",
                    },
                    "values": l.values,
                })
            })
            .collect(),
    )
}
