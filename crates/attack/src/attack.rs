//! One attack: its id parts, rule, severity, references, and what is sent (a token, or a
//! whole input), with the context, network answers and fetch bound when it needs its own.

use serde_json::Value;

use jwtc_vectors::model::{Severity, Verdict};

/// One attack on the user's token.
#[derive(Clone, Debug)]
pub struct Attack {
    /// The class (`alg-none`, `signature`, …): the id's middle part.
    pub class: &'static str,
    /// The id's last part.
    pub name: String,
    /// The rule of the verifier catalogue a verifier that accepts it breaks.
    pub rule: &'static str,
    /// What wrongly accepting it gives an attacker.
    pub severity: Severity,
    /// Published bugs of this class (CVE, GHSA) and the RFC sections.
    pub refs: Vec<String>,
    /// What it is.
    pub description: String,
    /// The token sent (wrapped in the profile's input).
    pub token: String,
    /// Extra request headers beside the token (Pomerium).
    pub headers: Vec<(String, String)>,
    /// A whole input instead of the profile's wrapping of `token` (Pendo's events).
    pub input: Option<Value>,
    /// A context instead of the file's (a key revoked).
    pub context: Option<Value>,
    /// Answers to fetches, by URL (the attacker's documents).
    pub network: Option<Value>,
    /// The most fetches allowed (0: a fetch is itself the failure).
    pub max_fetches: Option<u64>,
    /// What a correct verifier does: reject, but for the control (and a re-signed forgery
    /// with the service's own secret).
    pub verdict: Verdict,
    /// What an accept must return (a subset), when the attack is about the output.
    pub output: Option<Value>,
}

impl Attack {
    /// A rejected attack sending `token`.
    pub fn new(
        class: &'static str,
        name: impl Into<String>,
        rule: &'static str,
        severity: Severity,
        description: impl Into<String>,
        token: impl Into<String>,
    ) -> Attack {
        Attack {
            class,
            name: name.into(),
            rule,
            severity,
            refs: Vec::new(),
            description: description.into(),
            token: token.into(),
            headers: Vec::new(),
            input: None,
            context: None,
            network: None,
            max_fetches: None,
            verdict: Verdict::Reject,
            output: None,
        }
    }

    /// With these references.
    pub fn refs(mut self, refs: &[&str]) -> Attack {
        self.refs = refs.iter().map(|s| s.to_string()).collect();
        self
    }

    /// With network answers; nothing may be fetched.
    pub fn no_fetch(mut self, network: Value) -> Attack {
        self.network = Some(network);
        self.max_fetches = Some(0);
        self
    }

    /// The attack's id.
    pub fn id(&self) -> String {
        format!("attack/{}/{}", self.class, self.name)
    }
}
