//! Pendo signed metadata (Pendo's "Snippet Installation using Signed Metadata with JWT"): Pendo's side, verifying the events an agent sends.
//!
//! The library: `decode` with `Validation::new(HS256)` and the named key's secret
//! (`DecodingKey::from_jwk` of the oct JWK: the secret's UTF-8 bytes, as the seed's
//! `JWT.sign(…, 'JWT-SECRET-KEY')` uses them). No claim is required ("A signed metadata
//! JWT will remain valid as long as the signature is valid"); `exp`/`nbf` are validated
//! when present, leeway 0.
//!
//! The glue (the seed's rules, none of which the library has an option for): the three
//! modes; `jwt` and `signingKeyName` together; the subscription's key ring (up to five
//! active keys, revocation permanent); the top-level `nonce` ("a value is required",
//! "not explicitly validated": present and not null, any type); `visitor.id` "must be a
//! string"; identity from the verified JWT only; duplicate events dropped by id.

use crate::compat::AlgorithmFamily;
use jsonwebtoken::{Algorithm, Validation};
use serde_json::{json, Map, Value};
use std::collections::{BTreeSet, HashSet};

use crate::clock::pin;
use crate::core::{skew, tri, REJECT_EXPIRING_IN_LESS_THAN};
use crate::keys::{self, verify_one};
use crate::verdict::{Reject, Verdict};

/// "You can create up to five keys."
const MAX_ACTIVE_KEYS: usize = 5;

#[derive(Default)]
pub struct Session {
    /// Every name ever revoked in this subscription ("This cannot be undone").
    revoked: BTreeSet<String>,
    /// Ids of the events accepted so far ("Pendo will drop any duplicate events").
    seen: HashSet<String>,
}

impl Session {
    pub fn step(&mut self, input: &Value, context: &Value, now: u64) -> Verdict {
        let event = tri!(input
            .get("event")
            .and_then(Value::as_object)
            .ok_or_else(|| Verdict::Error("input.event is not an object".into())));
        for name in tri!(keys::list(context, "revoked").map_err(Verdict::Error)) {
            if let Some(n) = name.as_str() {
                self.revoked.insert(n.to_owned());
            }
        }
        let id = event.get("id").map(Value::to_string);
        if let Some(id) = &id {
            if self.seen.contains(id) {
                return Verdict::reject(
                    "duplicate_event",
                    format!("event id {id} was already accepted"),
                );
            }
        }
        let verdict = self.event(event, context, now);
        if let (Verdict::Accept(_), Some(id)) = (&verdict, id) {
            self.seen.insert(id);
        }
        verdict
    }

    fn event(&self, event: &Map<String, Value>, context: &Value, now: u64) -> Verdict {
        let mode = tri!(context
            .get("mode")
            .and_then(Value::as_str)
            .ok_or_else(|| Verdict::Error("context.mode is not a string".into())));
        if !matches!(mode, "disabled" | "allow" | "only_signed") {
            return Verdict::Error(format!("context.mode {mode:?} is not a Pendo mode"));
        }
        let jwt = event.get("jwt");
        let name = event.get("signingKeyName");
        // "If 'Use signed metadata' is disabled, we will not accept events with JWT."
        if mode == "disabled" && jwt.is_some() {
            return Verdict::reject(
                "signed_not_accepted",
                "signed metadata is disabled and the event carries a jwt",
            );
        }
        if jwt.is_none() && name.is_none() {
            // "If 'Only allow signed metadata' is enabled, we will only process events
            // that have a verified signed JWT."
            if mode == "only_signed" {
                return Verdict::reject(
                    "unsigned_rejected",
                    "only signed metadata is allowed and the event has no jwt",
                );
            }
            let metadata = event.get("metadata").cloned().unwrap_or(Value::Null);
            let empty = Map::new();
            let metadata = match &metadata {
                Value::Null => &empty,
                Value::Object(m) => m,
                other => {
                    return Verdict::reject(
                        "claim_invalid",
                        format!("metadata is not an object: {other}"),
                    )
                }
            };
            return identity(metadata, false).into();
        }
        // "The JSON object passed to initialize must have both jwt and signingKeyName."
        let (Some(jwt), Some(name)) = (jwt, name) else {
            return Verdict::reject(
                "malformed",
                "the event must carry both jwt and signingKeyName",
            );
        };
        let (Some(jwt), Some(name)) = (jwt.as_str(), name.as_str()) else {
            return Verdict::reject("malformed", "jwt and signingKeyName must be strings");
        };
        let key = match self.key(context, name) {
            Ok(k) => k,
            Err(r) => return Verdict::Reject(r),
        };

        let mut validation = Validation::new(Algorithm::HS256);
        validation.required_spec_claims = HashSet::new();
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.leeway = tri!(skew(context));
        validation.reject_tokens_expiring_in_less_than = REJECT_EXPIRING_IN_LESS_THAN;
        let (validation, clock) = pin(validation, now);
        let claims = match verify_one(jwt, &key, &validation, &clock) {
            Ok(data) => data.claims,
            Err(r) => return Verdict::Reject(r),
        };
        let Some(claims) = claims.as_object() else {
            return Verdict::reject("malformed", "the claims are not an object");
        };
        // "A 'nonce' property must be included … at the top level … The value is not
        // explicitly validated, but a value is required."
        if claims.get("nonce").is_none_or(Value::is_null) {
            let nested = ["visitor", "account"]
                .iter()
                .any(|s| claims.get(*s).and_then(|o| o.get("nonce")).is_some());
            return Verdict::reject(
                "claim_missing",
                if nested {
                    "no top-level nonce (one is nested in visitor or account)"
                } else {
                    "no nonce"
                },
            );
        }
        identity(claims, true).into()
    }

    /// The subscription's key named `name`: the context lists the active keys; a name
    /// ever revoked stays revoked; beyond the first five active keys, none is created.
    fn key(&self, context: &Value, name: &str) -> Result<keys::Trusted, Reject> {
        if self.revoked.contains(name) {
            return Err(Reject::new(
                "key_revoked",
                format!("key {name:?} is revoked"),
            ));
        }
        let list = keys::list(context, "keys").map_err(|e| Reject::new("key_unknown", e))?;
        let active: Vec<&Value> = list
            .iter()
            .filter(|k| {
                k.get("kid")
                    .and_then(Value::as_str)
                    .is_none_or(|kid| !self.revoked.contains(kid))
            })
            .collect();
        let position = active
            .iter()
            .position(|k| k.get("kid").and_then(Value::as_str) == Some(name))
            .ok_or_else(|| Reject::new("key_unknown", format!("no key named {name:?}")))?;
        if position >= MAX_ACTIVE_KEYS {
            return Err(Reject::new(
                "key_unknown",
                format!(
                    "key {name:?} would be active key {} of at most {MAX_ACTIVE_KEYS}",
                    position + 1
                ),
            ));
        }
        keys::load(active[position], Some(AlgorithmFamily::Hmac))
            .map_err(|e| Reject::new("key_unknown", e))
    }
}

/// The identity of verified claims (or of plain metadata): `visitor.id` "must be a
/// string" and no id is an anonymous visitor; `account.id` has no type in the seed.
fn identity(claims: &Map<String, Value>, signed: bool) -> Result<Value, Reject> {
    let mut out = Map::new();
    let mut anonymous = true;
    for (section, member) in [("visitor", "visitor_id"), ("account", "account_id")] {
        match claims.get(section) {
            None => {}
            Some(Value::Object(o)) => match o.get("id") {
                None | Some(Value::Null) => {}
                Some(Value::String(id)) => {
                    out.insert(member.into(), json!(id));
                    if section == "visitor" {
                        anonymous = false;
                    }
                }
                Some(other) if section == "visitor" => {
                    return Err(Reject::new(
                        "claim_invalid",
                        format!("visitor.id is not a string: {other}"),
                    ))
                }
                Some(other) => {
                    out.insert(member.into(), other.clone());
                }
            },
            Some(other) => {
                return Err(Reject::new(
                    "claim_invalid",
                    format!("{section} is not an object: {other}"),
                ))
            }
        }
    }
    out.insert("anonymous".into(), json!(anonymous));
    out.insert("signed".into(), json!(signed));
    Ok(Value::Object(out))
}
