//! jwtc-attack: from one token (and its public key, profile and HMAC secret) the attack
//! catalogue of that token, as one vector file in the user format (docs/vectors.md) that
//! `jwtc run --vectors` and `jwtc probe --vectors` take; docs/attack.md lists the classes.
//!
//! Modules: [`token`] (the token taken apart), [`key`] (the public key and its texts),
//! [`attack`] (one attack), [`profile`] (each profile's context, input and clock),
//! `classes` (the attack families), [`summary`] (the table by class).

pub mod attack;
mod classes;
pub mod key;
pub mod profile;
pub mod summary;
pub mod token;

use serde_json::Value;

use jwtc_vectors::keystore::KeyStore;
use jwtc_vectors::mint::Mint;
use jwtc_vectors::model::{Case, Expect, OutputMatch, VectorFile, SCHEMA_VERSION};

pub use attack::Attack;
pub use classes::Attacker;
pub use profile::Secret;

/// What `jwtc attack` is given.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// The token's text.
    pub token: String,
    /// The public key as a JWK (RSA or EC P-256), if given.
    pub key: Option<Value>,
    /// The HMAC secret (and Pendo's key name), if given.
    pub secret: Option<Secret>,
    /// The profile (default `core`).
    pub profile: Option<String>,
    /// The clock (default: inside the token's validity).
    pub now: Option<i64>,
    /// The attacker's origins.
    pub attacker: Attacker,
}

/// The attacks and the vector file made of them.
pub struct Made {
    /// Each attack, the control first.
    pub attacks: Vec<Attack>,
    /// The vector file (profile, now, one case per attack).
    pub file: VectorFile,
}

impl Made {
    /// The file's cases loaded (keys resolved) for the harness or the probe; `shown` names
    /// the file in messages.
    pub fn cases(
        &self,
        keys: &KeyStore,
        shown: &std::path::Path,
    ) -> Result<Vec<jwtc_vectors::load::LoadedCase>, String> {
        self.file
            .cases
            .iter()
            .map(|c| {
                jwtc_vectors::load::LoadedCase::new(
                    c.clone(),
                    self.file.profile.clone(),
                    shown.to_path_buf(),
                    keys,
                )
            })
            .collect()
    }
}

/// Makes the attacks on `req.token`, signing the attacker's with `keys` (the suite's).
pub fn make(req: &Request, keys: &KeyStore) -> Result<Made, String> {
    let token = token::parse(&req.token)?;
    let key = req
        .key
        .as_ref()
        .map(|k| key::PublicKey::from_jwk(k, "--key"))
        .transpose()?;
    let profile = req.profile.as_deref().unwrap_or("core");
    let frame = profile::frame(profile, &token, key.as_ref(), req.secret.as_ref(), req.now)?;
    let mint = Mint::new(keys);
    let ctx = classes::Ctx {
        token: &token,
        key: key.as_ref(),
        secret: req.secret.as_ref(),
        mint: &mint,
        attacker: &req.attacker,
        frame: &frame,
    };
    let attacks = classes::all(&ctx);
    let cases = attacks.iter().map(|a| case(&frame, a)).collect();
    Ok(Made {
        attacks,
        file: VectorFile {
            schema: SCHEMA_VERSION,
            profile: frame.profile.clone(),
            group: "attack".into(),
            now: Some(frame.now),
            cases,
        },
    })
}

fn case(frame: &profile::Frame, a: &Attack) -> Case {
    let network = match (&frame.network, &a.network) {
        (Some(Value::Object(f)), Some(Value::Object(n))) => {
            let mut m = f.clone();
            m.extend(n.clone());
            Some(Value::Object(m))
        }
        (f, n) => n.clone().or_else(|| f.clone()),
    };
    let input = a
        .input
        .clone()
        .unwrap_or_else(|| profile::input(frame, &a.token, &a.headers));
    Case {
        id: a.id(),
        rule: a.rule.to_owned(),
        description: a.description.clone(),
        severity: a.severity,
        refs: a.refs.clone(),
        features: if network.is_some() {
            vec!["jwks-fetch".into()]
        } else {
            Vec::new()
        },
        input: Some(input),
        context: a.context.clone().unwrap_or_else(|| frame.context.clone()),
        network,
        max_fetches: a.max_fetches,
        expect: Some(Expect {
            verdict: a.verdict,
            error: None,
            output_match: if a.output.is_some() {
                OutputMatch::Subset
            } else {
                OutputMatch::Exact
            },
            output: a.output.clone(),
        }),
        steps: None,
    }
}
