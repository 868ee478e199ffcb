//! Profile `pendo`: Pendo's signed metadata (Pendo's "Snippet Installation using Signed Metadata with JWT").
//!
//! An event `{id, jwt?, signingKeyName?, metadata?}` arrives at a subscription whose
//! signed-metadata setting is `disabled`, `allow` or `only_signed`. A signed event's
//! `jwt` is HS256 under the subscription key its `signingKeyName` names (the HMAC key is
//! the UTF-8 bytes of the secret as Pendo shows it); identity then comes from the
//! verified claims only. Keys live in a [`KeyRing`] (at most five active, revocation
//! permanent); a [`Subscription`] adds the mode and drops duplicate event ids. Every
//! rule is on the strict side of docs/rules.md's `either` except the empty `nonce`, which
//! docs/rules.md has the reference accept; docs/decisions.md § pendo has the readings.
//!
//! - this file: the event check ([`check_event`]), the token's ([`verify_jwt`]), identity;
//! - `subscription.rs`: a subscription's state, the [`KeyRing`] and the [`Subscription`]
//!   (mode, ring, the ids of accepted events).

use serde_json::{json, Map, Value};

use crate::alg::Alg;
use crate::claims::{self, TimeRules};
use crate::error::Error;
use crate::jose::{self, Limits, Payload};
use crate::json::{self, Members};

mod subscription;

pub use subscription::{KeyRing, Subscription, MAX_ACTIVE_KEYS};

/// The one algorithm (rule pendo.alg).
pub const ALG: Alg = Alg::HS256;

/// The subscription's signed-metadata setting (rule pendo.mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// "Use signed metadata" disabled: events with a JWT are not accepted.
    Disabled,
    /// "Use signed metadata" enabled: metadata with or without a JWT.
    Allow,
    /// "Only allow signed metadata": only events with a verified JWT.
    OnlySigned,
}

impl Mode {
    /// `disabled`, `allow` or `only_signed`; anything else is a configuration error.
    pub fn parse(s: &str) -> Result<Mode, Error> {
        match s {
            "disabled" => Ok(Mode::Disabled),
            "allow" => Ok(Mode::Allow),
            "only_signed" => Ok(Mode::OnlySigned),
            other => Err(Error::Config {
                detail: format!(
                    "pendo mode {other:?} is not one of \"disabled\", \"allow\", \"only_signed\""
                ),
            }),
        }
    }

    /// The protocol's name of the mode.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Disabled => "disabled",
            Mode::Allow => "allow",
            Mode::OnlySigned => "only_signed",
        }
    }
}

/// What an accepted event says about who sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
    /// The event id.
    pub event_id: String,
    /// `visitor.id`; `None` for an anonymous visitor.
    pub visitor_id: Option<String>,
    /// `account.id`, when present.
    pub account_id: Option<String>,
    /// Whether identity came from a verified JWT.
    pub signed: bool,
}

impl Accepted {
    /// Whether the visitor is anonymous (no `visitor.id`).
    pub fn anonymous(&self) -> bool {
        self.visitor_id.is_none()
    }

    /// The protocol's output: `{"visitor_id"?, "account_id"?, "anonymous", "signed"}`.
    pub fn to_json(&self) -> Value {
        let mut out = json!({ "anonymous": self.anonymous(), "signed": self.signed });
        if let Some(v) = &self.visitor_id {
            out["visitor_id"] = json!(v);
        }
        if let Some(a) = &self.account_id {
            out["account_id"] = json!(a);
        }
        out
    }
}

/// Checks one event under a mode and key ring; no state (see [`Subscription`] for dedupe).
///
/// Order: the event's shape, the mode (a `jwt` in `disabled` mode is refused before it is
/// parsed), `jwt`/`signingKeyName` pairing, then for a signed event the core pipeline
/// (structure › alg › key › signature) and only then the claims.
pub fn check_event(event: &Value, mode: Mode, ring: &KeyRing, now: i64) -> Result<Accepted, Error> {
    let malformed = |field: &'static str, detail: String| Error::Event { field, detail };
    let event = event.as_object().ok_or_else(|| {
        malformed(
            "event",
            format!("JSON {}, not an object", json::kind(event)),
        )
    })?;
    let id = match event.get("id") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::String(_)) => return Err(malformed("event.id", "empty".into())),
        None => {
            return Err(malformed(
                "event.id",
                "missing (duplicates are dropped by id)".into(),
            ))
        }
        Some(other) => {
            return Err(malformed(
                "event.id",
                format!("JSON {}, not a string", json::kind(other)),
            ))
        }
    };
    let jwt = event.get("jwt");
    let key_name = event.get("signingKeyName");
    // rule: pendo.mode — disabled: any jwt is refused before it is parsed.
    if jwt.is_some() && mode == Mode::Disabled {
        return Err(Error::SignedNotAccepted {
            mode: mode.as_str(),
        });
    }
    // rule: pendo.key-name — jwt and signingKeyName come together.
    let (jwt, key_name) = match (jwt, key_name) {
        (None, None) => {
            // rule: pendo.mode — only_signed drops unsigned events.
            if mode == Mode::OnlySigned {
                return Err(Error::UnsignedRejected {
                    mode: mode.as_str(),
                });
            }
            let metadata = match event.get("metadata") {
                None => Map::new(),
                Some(Value::Object(m)) => m.clone(),
                Some(other) => {
                    return Err(malformed(
                        "event.metadata",
                        format!("JSON {}, not an object", json::kind(other)),
                    ))
                }
            };
            return identity(id, &metadata, false);
        }
        (Some(_), None) => {
            return Err(malformed(
                "event.signingKeyName",
                "missing: a jwt needs the name of the key that signed it".into(),
            ))
        }
        (None, Some(_)) => {
            return Err(malformed(
                "event.jwt",
                "missing: signingKeyName is given without a jwt".into(),
            ))
        }
        (Some(j), Some(k)) => (j, k),
    };
    let jwt = jwt.as_str().ok_or_else(|| {
        malformed(
            "event.jwt",
            format!("JSON {}, not a string", json::kind(jwt)),
        )
    })?;
    let key_name = key_name.as_str().ok_or_else(|| {
        malformed(
            "event.signingKeyName",
            format!("JSON {}, not a string", json::kind(key_name)),
        )
    })?;
    let claims = verify_jwt(jwt, key_name, ring, now)?;
    // rule: pendo.identity — the verified claims only; event.metadata is ignored.
    identity(id, &claims, true)
}

/// Verifies a signed event's token under the named key and returns its checked claims.
pub fn verify_jwt(
    jwt: &str,
    key_name: &str,
    ring: &KeyRing,
    now: i64,
) -> Result<json::Object, Error> {
    let parsed = jose::parse(jwt, &Limits::default(), Payload::JsonObject)?;
    // rule: pendo.alg
    let alg = jose::check_alg(&parsed, &[ALG])?;
    // rule: pendo.key-name — the named key only; a header `kid` is not a selector here.
    let key = ring.get(key_name)?;
    key.material
        .verify(alg, parsed.signing_input.as_bytes(), &parsed.signature)
        .map_err(|detail| Error::BadSignature {
            alg: alg.name().into(),
            detail: format!("{detail} under key {key_name:?}"),
            candidates: 1,
        })?;
    let claims = parsed.claims.unwrap_or_default();
    // rule: pendo.nonce — top level, present and not null; an empty string is accepted.
    match claims.get("nonce") {
        None | Some(Value::Null) => {
            let nested = ["visitor", "account"]
                .into_iter()
                .any(|s| claims.get(s).is_some_and(|v| v.get("nonce").is_some()));
            return Err(Error::ClaimMissing {
                claim: if nested {
                    "nonce (found only inside visitor/account: it must be top level)"
                } else {
                    "nonce"
                },
            });
        }
        Some(Value::String(_)) => {}
        Some(other) => {
            // `either` in docs/rules.md ("the value is not explicitly validated"); strict side.
            return Err(Error::ClaimInvalid {
                claim: "nonce".into(),
                detail: format!("JSON {}, not a string", json::kind(&other)),
            });
        }
    }
    // rule: pendo.exp — nothing required; a present exp/nbf is honoured (the strict side
    // of docs/rules.md's `either`).
    // rule: pendo.no-jti — jti is not looked at.
    claims::check_times(&claims, now, &TimeRules::lenient(0))?;
    Ok(claims)
}

/// Identity from verified claims or plain metadata.
// rule: pendo.visitor
fn identity(event_id: String, data: &impl Members, signed: bool) -> Result<Accepted, Error> {
    let invalid = |claim: &str, detail: String| Error::ClaimInvalid {
        claim: claim.into(),
        detail,
    };
    let id_of = |name: &str| -> Result<Option<String>, Error> {
        let section = data.member(name);
        let section = match section.as_deref() {
            None => None,
            Some(Value::Object(o)) => Some(o),
            Some(other) => {
                return Err(invalid(
                    name,
                    format!("JSON {}, not an object", json::kind(other)),
                ))
            }
        };
        let claim = format!("{name}.id");
        match section.and_then(|s| s.get("id")) {
            None => Ok(None),
            Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
            // `""` and null are `either` in docs/rules.md; the reference rejects both.
            Some(Value::String(_)) => Err(invalid(&claim, "empty string".into())),
            Some(other) => Err(invalid(
                &claim,
                format!("JSON {}, not a string", json::kind(other)),
            )),
        }
    };
    let visitor_id = id_of("visitor")?;
    let account_id = id_of("account")?;
    Ok(Accepted {
        event_id,
        visitor_id,
        account_id,
        signed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;
    use hmac::{Hmac, Mac};
    use sha2::Sha256;

    const NOW: i64 = 1_767_225_600;
    pub(super) const SECRET_1: &str = "8ihlgIFBygkJ+7czjJ7GjcUpw2vwTJi33jHy0ELM";
    const SECRET_2: &str = "4aRZ2R1U4KYx9ATOwkLusfMVVfnM7G3YKzuTv25L";

    fn hs256(secret: &[u8], header: &str, claims: &Value) -> String {
        let input = format!(
            "{}.{}",
            crate::b64::encode(header),
            crate::b64::encode(claims.to_string())
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
        mac.update(input.as_bytes());
        format!(
            "{input}.{}",
            crate::b64::encode(mac.finalize().into_bytes())
        )
    }

    fn jwt(secret: &str, claims: Value) -> String {
        hs256(secret.as_bytes(), r#"{"alg":"HS256","typ":"JWT"}"#, &claims)
    }

    fn sub(mode: Mode) -> Subscription {
        let mut s = Subscription::new(mode);
        s.ring.add_secret("k1", SECRET_1).unwrap();
        s.ring.add_secret("k2", SECRET_2).unwrap();
        s
    }

    fn signed(id: &str, key: &str, token: String) -> Value {
        json!({"id": id, "jwt": token, "signingKeyName": key})
    }

    fn code(r: Result<Accepted, Error>) -> Code {
        r.unwrap_err().code()
    }

    #[test]
    fn seed_snippet_is_accepted_with_identity_from_the_token() {
        let mut s = sub(Mode::Allow);
        let t = jwt(
            SECRET_1,
            json!({"visitor": {"id": "VISITOR-UNIQUE-ID"}, "account": {"id": "ACCOUNT-UNIQUE-ID"}, "nonce": "r"}),
        );
        let mut ev = signed("e1", "k1", t);
        ev["metadata"] = json!({"visitor": {"id": "attacker"}});
        let a = s.receive(&ev, NOW).unwrap();
        assert_eq!(
            a.to_json(),
            json!({"visitor_id": "VISITOR-UNIQUE-ID", "account_id": "ACCOUNT-UNIQUE-ID", "anonymous": false, "signed": true})
        );
        let anon = jwt(
            SECRET_2,
            json!({"nonce": "abcdefg78910xyz", "visitor": {"otherVisitorField": "hi"}}),
        );
        let a = s.receive(&signed("e2", "k2", anon), NOW).unwrap();
        assert_eq!(a.to_json(), json!({"anonymous": true, "signed": true}));
    }

    #[test]
    fn the_secret_is_its_utf8_bytes_not_base64() {
        use base64::Engine;
        let s = sub(Mode::Allow);
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(SECRET_1)
            .unwrap();
        let t = hs256(
            &decoded,
            r#"{"alg":"HS256"}"#,
            &json!({"nonce": "n", "visitor": {"id": "v"}}),
        );
        assert_eq!(
            code(check_event(
                &signed("e", "k1", t),
                Mode::Allow,
                &s.ring,
                NOW
            )),
            Code::BadSignature
        );
    }

    #[test]
    fn modes() {
        let plain = json!({"id": "p", "metadata": {"visitor": {"id": "v"}}});
        let token = jwt(SECRET_1, json!({"nonce": "n"}));
        let ring = sub(Mode::Allow).ring;
        let run = |ev: &Value, m: Mode| check_event(ev, m, &ring, NOW);
        assert_eq!(
            run(&plain, Mode::Allow).unwrap().to_json(),
            json!({"visitor_id": "v", "anonymous": false, "signed": false})
        );
        assert!(run(&plain, Mode::Disabled).is_ok());
        assert_eq!(code(run(&plain, Mode::OnlySigned)), Code::UnsignedRejected);
        let ev = signed("s", "k1", token);
        assert!(run(&ev, Mode::Allow).is_ok());
        assert!(run(&ev, Mode::OnlySigned).is_ok());
        assert_eq!(code(run(&ev, Mode::Disabled)), Code::SignedNotAccepted);
        // Disabled refuses before parsing: garbage is not `malformed` there.
        let garbage = json!({"id": "g", "jwt": 42});
        assert_eq!(code(run(&garbage, Mode::Disabled)), Code::SignedNotAccepted);
        assert_eq!(code(run(&garbage, Mode::Allow)), Code::Malformed);
        // Never a fallback to plain metadata.
        let mut forged = signed("f", "k1", jwt(SECRET_2, json!({"nonce": "n"})));
        forged["metadata"] = json!({"visitor": {"id": "v"}});
        assert_eq!(code(run(&forged, Mode::Allow)), Code::BadSignature);
        assert!(Mode::parse("only-signed").is_err());
    }

    #[test]
    fn claims() {
        let ring = sub(Mode::Allow).ring;
        let run = |c: Value| {
            check_event(
                &signed("e", "k1", jwt(SECRET_1, c)),
                Mode::Allow,
                &ring,
                NOW,
            )
        };
        assert_eq!(code(run(json!({}))), Code::ClaimMissing);
        assert_eq!(code(run(json!({"nonce": null}))), Code::ClaimMissing);
        assert_eq!(
            code(run(json!({"visitor": {"nonce": "n"}}))),
            Code::ClaimMissing
        );
        assert_eq!(code(run(json!({"nonce": 7}))), Code::ClaimInvalid);
        assert!(run(json!({"nonce": ""})).is_ok());
        assert_eq!(
            code(run(json!({"nonce": "n", "visitor": {"id": 7}}))),
            Code::ClaimInvalid
        );
        assert_eq!(
            code(run(json!({"nonce": "n", "visitor": "v"}))),
            Code::ClaimInvalid
        );
        assert_eq!(
            code(run(json!({"nonce": "n", "visitor": {"id": ""}}))),
            Code::ClaimInvalid
        );
        assert_eq!(code(run(json!({"nonce": "n", "exp": NOW}))), Code::Expired);
        assert!(run(json!({"nonce": "n", "exp": NOW + 1, "jti": "x"})).is_ok());
    }

    #[test]
    fn event_shape_errors_name_the_field() {
        let ring = sub(Mode::Allow).ring;
        let msg = |ev: Value| {
            check_event(&ev, Mode::Allow, &ring, NOW)
                .unwrap_err()
                .to_string()
        };
        assert!(msg(json!([])).contains("event: JSON array"));
        assert!(msg(json!({})).contains("event.id: missing"));
        assert!(msg(json!({"id": ""})).contains("event.id: empty"));
        assert!(msg(json!({"id": "e", "jwt": "a.b.c"})).contains("event.signingKeyName: missing"));
        assert!(msg(json!({"id": "e", "signingKeyName": "k1"})).contains("event.jwt: missing"));
        assert!(msg(json!({"id": "e", "jwt": "x", "signingKeyName": 1}))
            .contains("event.signingKeyName: JSON number"));
        assert!(msg(json!({"id": "e", "metadata": []})).contains("event.metadata: JSON array"));
        let t = jwt(SECRET_1, json!({"nonce": "n"}));
        assert!(msg(signed("e", "nope", t)).contains("\"nope\" names no key"));
    }

    #[test]
    fn dedupe_counts_only_accepted_events() {
        let mut s = sub(Mode::Allow);
        let real = signed(
            "e1",
            "k1",
            jwt(SECRET_1, json!({"nonce": "a", "visitor": {"id": "v"}})),
        );
        let forged = signed(
            "e1",
            "k1",
            jwt(SECRET_2, json!({"nonce": "a", "visitor": {"id": "x"}})),
        );
        assert_eq!(code(s.receive(&forged, NOW)), Code::BadSignature);
        assert!(s.receive(&real, NOW).is_ok());
        assert_eq!(code(s.receive(&real, NOW)), Code::DuplicateEvent);
        // The same token (no jti check) in a new event is accepted.
        let mut again = real.clone();
        again["id"] = json!("e2");
        assert!(s.receive(&again, NOW).is_ok());
    }
}
