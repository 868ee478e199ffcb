//! The generator: every vector file of vectors/<profile>/ minted from the fixed test
//! keys and the suite clock. `cargo xtask vectors` writes them; a test fails when the
//! checked-in files differ from what this makes.

mod core;
mod coyo;
mod jws;
mod pendo;
mod pendo_signer;
mod pomerium;
mod rewrite;
mod watson;
mod watson_signer;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};

use crate::keystore::KeyStore;
use crate::mint::Mint;

use crate::model::{Case, Expect, Severity, VectorFile, Verdict, SCHEMA_VERSION};

/// COYO's jku allowlist tricks (`coyo/jku-allowlist.json`), for `jwtc attack`: the
/// allowlisted host `pubkeys.coyocloud.example` and the attacker's `evil.example` are
/// there to be replaced.
pub use coyo::jku_allowlist::{tricks as coyo_jku_tricks, Trick as JkuTrick};

/// What the generator mints for: the clock and, for Pomerium, the service's audience and
/// issuer and the host an attacker's token names. [`Settings::suite`] is the checked-in
/// suite's; `jwtc probe` mints the same cases (same ids, rules, severities) for a live
/// service's settings and the wall clock ([`profile_files`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The clock the tokens are minted around (seconds since the epoch).
    pub now: i64,
    /// Pomerium: the audience the service expects (its own host name).
    pub audience: String,
    /// Pomerium: the issuer the service expects.
    pub issuer: String,
    /// Pomerium: the host (`host[:port]`) an attacker's token names as `iss` and `jku`.
    pub attacker: String,
    /// COYO: text replaced everywhere in the minted cases, tokens included (signed after):
    /// a live probe's key server origins for the seed's host names. Empty for the suite.
    pub hosts: Vec<(String, String)>,
}

impl Settings {
    /// The checked-in suite's settings at clock `now`.
    pub fn suite(now: i64) -> Settings {
        Settings {
            now,
            audience: "httpbin.corp.example.com".into(),
            issuer: "pomerium-proxy".into(),
            attacker: "evil.example".into(),
            hosts: Vec::new(),
        }
    }
}

/// The vector files of one profile directory (`pomerium`: both its profiles; `coyo`)
/// minted for `settings`; `None` for a profile the settings do not reach, an error when a
/// rewritten file does not read back.
pub fn profile_files(
    keys: &KeyStore,
    dir: &str,
    settings: &Settings,
) -> Option<Result<Vec<VectorFile>, String>> {
    let mint = Mint::new(keys);
    match dir {
        "pomerium" => Some(Ok(pomerium::files(&mint, settings))),
        "coyo" if settings.hosts.is_empty() => Some(Ok(coyo::files(&mint, settings.now))),
        "coyo" => {
            let mint = mint.rewriting(settings.hosts.clone());
            let files = coyo::files(&mint, settings.now);
            Some(
                files
                    .into_iter()
                    .map(|f| rewrite::file(&settings.hosts, f))
                    .collect(),
            )
        }
        _ => None,
    }
}

/// The context most cases of a profile directory run under (`pomerium`: the trusted key
/// p256-a, the audience and issuer of `settings`, 60 s skew; `coyo`: the seed's issuer
/// pattern and keys): what a live service under `jwtc probe` is configured with.
pub fn service_context(dir: &str, settings: &Settings) -> Option<Value> {
    match dir {
        "pomerium" => Some(pomerium::ctx(settings)),
        "coyo" => Some(rewrite::value(&settings.hosts, coyo::ctx())),
        _ => None,
    }
}

/// The files the generator makes: path relative to the vectors root, and contents.
pub fn generate(keys: &KeyStore, now: i64) -> Vec<(PathBuf, String)> {
    let settings = Settings::suite(now);
    let mint = Mint::new(keys);
    let mut files = Vec::new();
    for file in core::files(&mint, now)
        .into_iter()
        .chain(jws::files(&mint))
        .chain(pendo::files(&mint, now))
        .chain(watson::files(&mint, now))
        .chain(pendo_signer::files())
        .chain(watson_signer::files())
    {
        files.push(render(file));
    }
    for file in pomerium::files(&mint, &settings) {
        files.push(render(file));
    }
    for file in coyo::files(&mint, now) {
        files.push(render(file));
    }
    files
}

fn render(file: VectorFile) -> (PathBuf, String) {
    let dir = file
        .profile
        .split('-')
        .next()
        .unwrap_or_default()
        .to_owned();
    let path = Path::new(&dir).join(format!("{}.json", file.group));
    let mut text = serde_json::to_string_pretty(&file).expect("vector files serialise");
    text.push('\n');
    (path, text)
}

/// The optional features (`jwtc_verifier::rules::FEATURES`) a generated case needs: a
/// network map means the implementation fetches keys (`jwks-fetch`), rule
/// `coyo.builtin-keys` needs COYO's built-in keys, profile `pomerium-proxy` the proxy role.
/// (`jws-payload` and `es512` are Wycheproof's: no generated case needs them.)
pub(crate) fn features(profile: &str, case: &Case) -> Vec<String> {
    let mut out = Vec::new();
    if case.network.is_some() {
        out.push("jwks-fetch".to_owned());
    }
    if case.rule == "coyo.builtin-keys" {
        out.push("builtin-keys".to_owned());
    }
    if profile == "pomerium-proxy" {
        out.push("proxy-role".to_owned());
    }
    out
}

/// Builds the cases of one group.
pub(crate) struct Group {
    profile: &'static str,
    group: &'static str,
    cases: Vec<Case>,
}

/// A case under construction: `g.case(..).input(..).context(..).reject(..)`.
pub(crate) struct CaseBuilder<'g> {
    group: &'g mut Group,
    case: Case,
}

impl Group {
    pub fn new(profile: &'static str, group: &'static str) -> Self {
        Group {
            profile,
            group,
            cases: Vec::new(),
        }
    }

    /// Starts a case; `name` is the last part of its id.
    pub fn case(
        &mut self,
        name: &str,
        rule: &str,
        severity: Severity,
        description: &str,
    ) -> CaseBuilder<'_> {
        let dir = self.profile.split('-').next().unwrap_or_default();
        let case = Case {
            id: format!("{dir}/{}/{name}", self.group),
            rule: rule.to_owned(),
            description: description.to_owned(),
            severity,
            refs: Vec::new(),
            features: Vec::new(),
            input: None,
            context: json!({}),
            network: None,
            max_fetches: None,
            expect: None,
            steps: None,
        };
        CaseBuilder { group: self, case }
    }

    pub fn finish(mut self) -> VectorFile {
        assert!(!self.cases.is_empty(), "group {} has no cases", self.group);
        for case in &mut self.cases {
            case.features = features(self.profile, case);
        }
        VectorFile {
            schema: SCHEMA_VERSION,
            profile: self.profile.to_owned(),
            group: self.group.to_owned(),
            now: None,
            cases: self.cases,
        }
    }
}

impl CaseBuilder<'_> {
    pub fn refs(mut self, refs: &[&str]) -> Self {
        self.case.refs = refs.iter().map(|s| s.to_string()).collect();
        self
    }
    pub fn input(mut self, input: Value) -> Self {
        self.case.input = Some(input);
        self
    }
    /// Answers to fetches, by URL: `{url: {status, body, delay_ms?}}`.
    pub fn network(mut self, network: Value) -> Self {
        self.case.network = Some(network);
        self
    }
    /// The most fetches the whole case may make (all steps together).
    pub fn max_fetches(mut self, n: u64) -> Self {
        self.case.max_fetches = Some(n);
        self
    }
    /// Makes this case a scenario; finish it with [`CaseBuilder::scenario`].
    pub fn step(
        mut self,
        description: &str,
        input: Value,
        context: Option<Value>,
        expect: Expect,
    ) -> Self {
        self.case
            .steps
            .get_or_insert_with(Vec::new)
            .push(crate::model::Step {
                description: description.to_owned(),
                input,
                context,
                expect,
            });
        self
    }
    /// Adds a finished scenario (built with [`CaseBuilder::step`]).
    pub fn scenario(self) {
        assert!(
            self.case.input.is_none() && self.case.steps.is_some(),
            "generator: {} is not a scenario",
            self.case.id
        );
        self.push()
    }
    pub fn token(self, token: impl Into<String>) -> Self {
        self.input(json!({ "token": token.into() }))
    }
    pub fn context(mut self, context: Value) -> Self {
        self.case.context = context;
        self
    }
    fn done(mut self, verdict: Verdict, error: Option<&str>, output: Option<Value>) {
        self.case.expect = Some(expect(verdict, error, output));
        self.push()
    }
    fn push(self) {
        let case = self.case;
        assert!(
            !self.group.cases.iter().any(|c| c.id == case.id),
            "generator: duplicate case id {}",
            case.id
        );
        self.group.cases.push(case);
    }
    pub fn accept(self, output: Value) {
        self.done(Verdict::Accept, None, Some(output))
    }
    /// A signer case whose right answer is a mint: graded on the entry of the case's rule in
    /// the canonical form of the mint (`{"<rule>": "pass"}`, as a subset).
    pub fn minted(mut self) {
        self.case.expect = Some(minted(&self.case.rule));
        self.push()
    }
    pub fn reject(self, code: &str) {
        self.done(Verdict::Reject, Some(code), None)
    }
    /// A signer case where minting and refusing both conform: a refusal says `code`, a
    /// mint is graded on the entry of the case's rule in its canonical form.
    pub fn minted_or_refused(mut self, code: &str) {
        let mut e = minted(&self.case.rule);
        e.verdict = Verdict::Either;
        e.error = Some(code.to_owned());
        self.case.expect = Some(e);
        self.push()
    }
    /// Both verdicts conform; `code` is what a rejecting implementation (and the reference) says.
    pub fn either(self, code: &str) {
        self.done(Verdict::Either, Some(code), None)
    }
}

/// An expectation, for scenario steps.
pub(crate) fn expect(verdict: Verdict, error: Option<&str>, output: Option<Value>) -> Expect {
    Expect {
        verdict,
        error: error.map(str::to_owned),
        output,
        output_match: Default::default(),
    }
}

/// A signer step's expectation: a mint whose canonical form holds `{"<rule>": "pass"}`.
pub(crate) fn minted(rule: &str) -> Expect {
    let mut e = expect(Verdict::Accept, None, Some(json!({ rule: "pass" })));
    e.output_match = crate::model::OutputMatch::Subset;
    e
}

/// A compact token's three segments: header, payload, signature (panics on fewer).
pub(crate) fn split(token: &str) -> (String, String, String) {
    let mut it = token.split('.').map(str::to_owned);
    (it.next().unwrap(), it.next().unwrap(), it.next().unwrap())
}

/// The text of a file in vectors/keys/ (PEM keys and certificates made beside the JWKs):
/// the copy inside the crate with the feature `embedded` (an installed `jwtc probe` has no
/// source tree), else the repository's.
pub fn key_file(name: &str) -> String {
    #[cfg(feature = "embedded")]
    if let Ok(text) = crate::embedded::text(&format!("keys/{name}")) {
        return text.to_owned();
    }
    std::fs::read_to_string(format!(
        "{}/../../vectors/keys/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_else(|e| panic!("vectors/keys/{name}: {e}"))
}

/// `base` with the members of `extra` set (claims and contexts built from a default).
pub(crate) fn with(mut base: Value, extra: Value) -> Value {
    if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    base
}

/// `base` without the named members.
pub(crate) fn without(mut base: Value, names: &[&str]) -> Value {
    if let Some(b) = base.as_object_mut() {
        for n in names {
            b.remove(*n);
        }
    }
    base
}
