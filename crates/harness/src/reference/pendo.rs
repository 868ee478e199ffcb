//! Profile `pendo` behind the case interface: `input {"event"}`, context `{"mode",
//! "keys": [oct JWK, kid = key name], "revoked": [names]}`. The session is one
//! subscription: its key ring (revocations permanent) and seen event ids live across the
//! steps of a scenario; a step with a new context reconfigures the same subscription.

use serde_json::Value;

use jwtc_verifier::pendo::{Mode, Subscription};

use super::{field, verdict, Session};
use crate::outcome::Outcome;

/// One subscription for the steps of one case.
#[derive(Default)]
pub struct Pendo {
    subscription: Option<Subscription>,
    configured: Option<Value>,
}

impl Pendo {
    /// Applies `context` when it differs from the one in force; returns the refused keys.
    fn configure(&mut self, context: &Value) -> Result<Vec<String>, String> {
        if self.configured.as_ref() == Some(context) {
            return Ok(Vec::new());
        }
        let mode = field(context, "mode", "context")?
            .as_str()
            .ok_or("context.mode is not a string")?;
        let mode = Mode::parse(mode).map_err(|e| format!("context.mode: {e}"))?;
        let keys = field(context, "keys", "context")?
            .as_array()
            .ok_or("context.keys is not an array")?;
        let revoked = match context.get("revoked") {
            None => Vec::new(),
            Some(Value::Array(names)) => names
                .iter()
                .map(|n| {
                    n.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| "context.revoked holds a non-string".to_string())
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err("context.revoked is not an array".into()),
        };
        let sub = self
            .subscription
            .get_or_insert_with(|| Subscription::new(mode));
        sub.mode = mode;
        let notes = sub
            .ring
            .configure(keys, &revoked)
            .into_iter()
            .map(|e| format!("configuration: {e}"))
            .collect();
        self.configured = Some(context.clone());
        Ok(notes)
    }
}

impl Session for Pendo {
    fn step(
        &mut self,
        input: &Value,
        context: &Value,
        _network: Option<&Value>,
        now: i64,
    ) -> Outcome {
        let mut run = || -> Result<Outcome, String> {
            let notes = self.configure(context)?;
            let event = field(input, "event", "input")?;
            let sub = self
                .subscription
                .as_mut()
                .expect("configure made the subscription");
            Ok(verdict(
                sub.receive(event, now).map(|a| a.to_json()),
                &notes,
            ))
        };
        run().unwrap_or_else(Outcome::error)
    }
}
