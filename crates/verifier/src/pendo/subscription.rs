//! A Pendo subscription's state: its [`KeyRing`] (named HS256 secrets, at most
//! [`MAX_ACTIVE_KEYS`] active, revocation permanent) and the [`Subscription`] that adds the
//! mode and drops duplicate event ids.

use serde_json::Value;
use std::collections::{BTreeSet, HashSet};

use super::{check_event, Accepted, Mode, ALG};
use crate::alg::Family;
use crate::error::Error;
use crate::keys::Key;

/// "You can create up to five keys" (rule pendo.key-limit).
pub const MAX_ACTIVE_KEYS: usize = 5;

/// A subscription's signing keys: named HS256 secrets, at most [`MAX_ACTIVE_KEYS`]
/// active, and the names of revoked keys, which never come back.
#[derive(Clone, Debug, Default)]
pub struct KeyRing {
    active: Vec<(String, Key)>,
    revoked: BTreeSet<String>,
}

impl KeyRing {
    /// An empty ring.
    pub fn new() -> KeyRing {
        KeyRing::default()
    }

    /// Adds a key as the secret Pendo shows: its UTF-8 bytes are the HMAC key
    /// (`JWT.sign(…, 'JWT-SECRET-KEY')`).
    pub fn add_secret(&mut self, name: &str, secret: &str) -> Result<(), Error> {
        self.add(name, Key::hmac(secret.as_bytes(), Some(name))?)
    }

    /// Adds an `oct` JWK whose `kid` is the key's name.
    pub fn add_jwk(&mut self, jwk: &Value) -> Result<(), Error> {
        let key = Key::from_jwk(jwk)?;
        let name = key.kid.clone().ok_or_else(|| Error::KeyRefused {
            key: "(no kid)".into(),
            reason: "a Pendo key needs its name as \"kid\" (the signingKeyName that selects it)"
                .into(),
        })?;
        self.add(&name, key)
    }

    /// Adds a named key. Refused, as a configuration error naming the key: a key that is
    /// not an HS256 secret of 32+ bytes, a name already active, a revoked name
    /// (revocation cannot be undone), a sixth active key.
    // rule: pendo.key-limit
    pub fn add(&mut self, name: &str, key: Key) -> Result<(), Error> {
        let refuse = |reason: String| Error::KeyRefused {
            key: name.to_owned(),
            reason,
        };
        if key.material.family() != Family::Hmac || !key.fits(ALG) {
            return Err(refuse(
                "a Pendo key is an HS256 secret of at least 32 bytes (kty oct, no other alg, use or key_ops)"
                    .into(),
            ));
        }
        if self.revoked.contains(name) {
            return Err(refuse(
                "was revoked; revocation is permanent and cannot be undone".into(),
            ));
        }
        if self.active.iter().any(|(n, _)| n == name) {
            return Err(refuse("a key of this name is already active".into()));
        }
        if self.active.len() >= MAX_ACTIVE_KEYS {
            return Err(refuse(format!(
                "the subscription already has {MAX_ACTIVE_KEYS} active keys ({}); Pendo allows at most {MAX_ACTIVE_KEYS}: revoke one first",
                self.active_names().join(", ")
            )));
        }
        self.active.push((name.to_owned(), key));
        Ok(())
    }

    /// Revokes a key by name, permanently. A name that is not active is still recorded:
    /// it can never be activated again.
    // rule: pendo.rotation
    pub fn revoke(&mut self, name: &str) {
        self.active.retain(|(n, _)| n != name);
        self.revoked.insert(name.to_owned());
    }

    /// Brings the ring to a configuration: the names in `revoked` are revoked (added to
    /// the revoked names of the ring's whole life), and the active keys become `keys`.
    /// Every key refused (revoked, sixth, not a usable secret) is returned as a
    /// configuration error; the others are active.
    pub fn configure(&mut self, keys: &[Value], revoked: &[String]) -> Vec<Error> {
        for name in revoked {
            self.revoke(name);
        }
        self.active.clear();
        keys.iter().filter_map(|k| self.add_jwk(k).err()).collect()
    }

    /// The active key names, in the order added.
    pub fn active_names(&self) -> Vec<&str> {
        self.active.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// Whether a name was ever revoked.
    pub fn is_revoked(&self, name: &str) -> bool {
        self.revoked.contains(name)
    }

    /// The active key of this name: `key_revoked` for a revoked name, `key_unknown` else.
    // rule: pendo.key-name
    pub fn get(&self, name: &str) -> Result<&Key, Error> {
        if let Some((_, k)) = self.active.iter().find(|(n, _)| n == name) {
            return Ok(k);
        }
        if self.revoked.contains(name) {
            return Err(Error::KeyRevoked {
                name: name.to_owned(),
            });
        }
        Err(Error::KeyNameUnknown {
            name: name.to_owned(),
            active: match self.active_names().join(", ") {
                s if s.is_empty() => "none".into(),
                s => s,
            },
        })
    }
}

/// A subscription: its mode, its keys, and the ids of the events it accepted.
#[derive(Clone, Debug)]
pub struct Subscription {
    /// The signed-metadata setting.
    pub mode: Mode,
    /// The signing keys.
    pub ring: KeyRing,
    seen: HashSet<String>,
}

impl Subscription {
    /// A subscription with no keys and no events yet.
    pub fn new(mode: Mode) -> Subscription {
        Subscription {
            mode,
            ring: KeyRing::new(),
            seen: HashSet::new(),
        }
    }

    /// Receives one event: checked as [`check_event`] says, then dropped as
    /// `duplicate_event` if an event of the same id was accepted before. Only accepted
    /// events enter the seen-set, so a rejected forgery carrying a real event's id cannot
    /// block the real one.
    // rule: pendo.dedupe
    pub fn receive(&mut self, event: &Value, now: i64) -> Result<Accepted, Error> {
        let accepted = check_event(event, self.mode, &self.ring, now)?;
        if self.seen.contains(&accepted.event_id) {
            return Err(Error::DuplicateEvent {
                id: accepted.event_id,
            });
        }
        self.seen.insert(accepted.event_id.clone());
        Ok(accepted)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::SECRET_1;
    use super::*;
    use crate::Code;
    use serde_json::json;

    #[test]
    fn key_ring_limits_and_permanent_revocation() {
        let mut r = KeyRing::new();
        let secret = |i: usize| format!("{SECRET_1}{i}");
        for i in 0..5 {
            r.add_secret(&format!("k{i}"), &secret(i)).unwrap();
        }
        let e = r.add_secret("k5", &secret(5)).unwrap_err();
        assert_eq!(e.code(), Code::Config);
        assert!(
            e.to_string()
                .contains("key k5 refused: the subscription already has 5 active keys"),
            "{e}"
        );
        r.revoke("k0");
        assert!(r.add_secret("k5", &secret(5)).is_ok());
        let e = r.add_secret("k0", &secret(0)).unwrap_err();
        assert!(e.to_string().contains("revocation is permanent"), "{e}");
        assert_eq!(r.get("k0").unwrap_err().code(), Code::KeyRevoked);
        assert_eq!(r.get("zz").unwrap_err().code(), Code::KeyUnknown);
        assert!(r.add_secret("k1", &secret(9)).is_err(), "a duplicate name");
        assert!(r.add_secret("short", "too short").is_err());
        // configure: revocation sticks even when a later configuration forgets it.
        let jwk =
            |name: &str, s: &str| json!({"kty": "oct", "kid": name, "k": crate::b64::encode(s)});
        let errors = r.configure(&[jwk("k0", &secret(0)), jwk("k1", &secret(1))], &[]);
        assert_eq!(errors.len(), 1);
        assert!(r.is_revoked("k0"));
        assert_eq!(r.active_names(), vec!["k1"]);
        let six: Vec<Value> = (1..7).map(|i| jwk(&format!("k{i}"), &secret(i))).collect();
        let errors = r.configure(&six, &[]);
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].to_string().contains("key k6 refused"),
            "{}",
            errors[0]
        );
        let no_kid = json!({"kty": "oct", "k": crate::b64::encode(secret(1))});
        assert!(r
            .add_jwk(&no_kid)
            .unwrap_err()
            .to_string()
            .contains("needs its name"));
        let rsa: Value =
            serde_json::from_str(include_str!("../../../../vectors/keys/rsa-2048-a.json")).unwrap();
        assert_eq!(r.add_jwk(&rsa).unwrap_err().code(), Code::Config);
    }
}
