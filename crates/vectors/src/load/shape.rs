//! The vector format's shape, checked on the parsed JSON: every constraint of
//! vectors/schema/vectors.schema.json (required and unknown members, types, enums,
//! patterns, bounds, which of `input`/`expect` or `steps`), each problem located as the
//! loader's other messages are (`case 3 (core/alg/x): expect.verdict: …`). The loader runs
//! this instead of a JSON Schema engine, which cost a fifth of a cold build
//! (docs/decisions.md § speed); `tests/schema_agrees.rs` holds this and the schema to the
//! same verdict on every file of the suite and on a mutation breaking each constraint.

use serde_json::{Map, Value};

/// The `profile`s a file may name.
const PROFILES: [&str; 9] = [
    "core",
    "jws",
    "pendo",
    "coyo",
    "watson",
    "pomerium",
    "pomerium-proxy",
    "pendo-signer",
    "watson-signer",
];
/// The error codes an `expect.error` may name.
const CODES: [&str; 21] = [
    "malformed",
    "too_large",
    "alg_not_allowed",
    "bad_signature",
    "key_unknown",
    "key_revoked",
    "key_unavailable",
    "jku_not_allowed",
    "claim_missing",
    "claim_invalid",
    "expired",
    "not_yet_valid",
    "audience_mismatch",
    "issuer_mismatch",
    "token_missing",
    "header_conflict",
    "signed_not_accepted",
    "unsigned_rejected",
    "payload_undecryptable",
    "subject_changed",
    "duplicate_event",
];
const SEVERITIES: [&str; 4] = ["critical", "high", "medium", "low"];
const VERDICTS: [&str; 3] = ["accept", "reject", "either"];
const MATCHES: [&str; 2] = ["exact", "subset"];
const FEATURES: [&str; 5] = [
    "jws-payload",
    "es512",
    "jwks-fetch",
    "builtin-keys",
    "proxy-role",
];

/// Every shape problem of the document `doc`, each as `LOCATION: what is wrong`, in
/// document order; empty when it has the vector format's shape.
pub fn check(doc: &Value) -> Vec<String> {
    let mut c = Checker {
        doc,
        errors: Vec::new(),
    };
    c.file(doc);
    c.errors
}

/// One step of a path into the document.
#[derive(Clone)]
enum Seg {
    Key(String),
    Index(usize),
}

struct Checker<'a> {
    doc: &'a Value,
    errors: Vec<String>,
}

impl Checker<'_> {
    fn fail(&mut self, path: &[Seg], what: impl Into<String>) {
        let where_ = self.locate(path);
        self.errors.push(format!("{where_}: {}", what.into()));
    }

    /// `case 3 (id): expect.verdict`, `top level`, or the dotted path.
    fn locate(&self, path: &[Seg]) -> String {
        let show = |segs: &[Seg]| {
            segs.iter()
                .map(|s| match s {
                    Seg::Key(k) => k.clone(),
                    Seg::Index(i) => i.to_string(),
                })
                .collect::<Vec<_>>()
                .join(".")
        };
        match path {
            [] => "top level".into(),
            [Seg::Key(k), Seg::Index(i), rest @ ..] if k == "cases" => {
                let id = self.doc["cases"][*i]
                    .get("id")
                    .and_then(Value::as_str)
                    .filter(|id| !id.is_empty())
                    .map(|id| format!(" ({id})"))
                    .unwrap_or_default();
                if rest.is_empty() {
                    format!("case {i}{id}")
                } else {
                    format!("case {i}{id}: {}", show(rest))
                }
            }
            other => show(other),
        }
    }

    /// `v` as an object, or a failure saying what it is instead.
    fn object<'v>(&mut self, path: &[Seg], v: &'v Value) -> Option<&'v Map<String, Value>> {
        match v {
            Value::Object(m) => Some(m),
            other => {
                self.fail(path, format!("{} is not an object", brief(other)));
                None
            }
        }
    }

    /// Members outside `allowed` and missing members of `required`, as failures.
    fn members(
        &mut self,
        path: &[Seg],
        m: &Map<String, Value>,
        allowed: &[&str],
        required: &[(&str, &str)],
    ) {
        for k in m.keys() {
            if !allowed.contains(&k.as_str()) {
                self.fail(
                    path,
                    format!(
                        "unknown member {k:?} (the members are {})",
                        allowed.join(", ")
                    ),
                );
            }
        }
        for (k, why) in required {
            if !m.contains_key(*k) {
                self.fail(path, format!("{k:?} is a required member{why}"));
            }
        }
    }

    fn one_of(&mut self, path: &[Seg], v: &Value, names: &[&str]) {
        match v.as_str() {
            Some(s) if names.contains(&s) => {}
            _ => self.fail(
                path,
                format!("{} is not one of {}", brief(v), names.join(", ")),
            ),
        }
    }

    fn text(&mut self, path: &[Seg], v: &Value, non_empty: bool) -> Option<String> {
        match v.as_str() {
            Some("") if non_empty => {
                self.fail(path, "is empty");
                None
            }
            Some(s) => Some(s.to_owned()),
            None => {
                self.fail(path, format!("{} is not a string", brief(v)));
                None
            }
        }
    }

    fn integer(&mut self, path: &[Seg], v: &Value, range: (i64, i64)) {
        match v.as_i64() {
            Some(n) if (range.0..=range.1).contains(&n) => {}
            Some(n) => self.fail(path, format!("{n} is not within {}..={}", range.0, range.1)),
            None if v.as_u64().is_some() && range.1 == i64::MAX => {}
            None => self.fail(path, format!("{} is not an integer", brief(v))),
        }
    }

    fn file(&mut self, doc: &Value) {
        let Some(m) = self.object(&[], doc) else {
            return;
        };
        self.members(
            &[],
            m,
            &["schema", "profile", "group", "now", "cases"],
            &[("schema", ""), ("profile", ""), ("cases", "")],
        );
        if let Some(v) = m.get("schema") {
            if v.as_i64() != Some(1) {
                self.fail(&[key("schema")], format!("{} is not 1", brief(v)));
            }
        }
        if let Some(v) = m.get("profile") {
            self.one_of(&[key("profile")], v, &PROFILES);
        }
        if let Some(v) = m.get("group") {
            if let Some(g) = self.text(&[key("group")], v, false) {
                if !group_name(&g) {
                    self.fail(
                        &[key("group")],
                        format!("{g:?} does not match ^[a-z0-9][a-z0-9-]*$"),
                    );
                }
            }
        }
        if let Some(v) = m.get("now") {
            self.integer(&[key("now")], v, (i64::MIN, i64::MAX));
        }
        match m.get("cases") {
            Some(Value::Array(cases)) if cases.is_empty() => {
                self.fail(&[key("cases")], "has no case (at least one)")
            }
            Some(Value::Array(cases)) => {
                for (i, c) in cases.iter().enumerate() {
                    self.case(&[key("cases"), Seg::Index(i)], c);
                }
            }
            Some(other) => self.fail(&[key("cases")], format!("{} is not an array", brief(other))),
            None => {}
        }
    }

    fn case(&mut self, at: &[Seg], c: &Value) {
        let Some(m) = self.object(at, c) else { return };
        self.members(
            at,
            m,
            &[
                "id",
                "rule",
                "description",
                "severity",
                "refs",
                "input",
                "context",
                "network",
                "features",
                "max_fetches",
                "expect",
                "steps",
            ],
            &[
                ("id", ""),
                ("rule", " (every case names the rule id of docs/rules.md it tests: the reports group by rule)"),
                ("severity", " (every case states critical, high, medium or low: the reports rank by it)"),
                ("context", ""),
            ],
        );
        let path = |k: &str| [at, &[key(k)]].concat();
        if let Some(v) = m.get("id") {
            self.text(&path("id"), v, true);
        }
        if let Some(v) = m.get("rule") {
            if let Some(r) = self.text(&path("rule"), v, false) {
                if !rule_id(&r) {
                    self.fail(
                        &path("rule"),
                        format!("{r:?} does not match ^[a-z]+\\.[a-z0-9-]+$"),
                    );
                }
            }
        }
        if let Some(v) = m.get("description") {
            self.text(&path("description"), v, true);
        }
        if let Some(v) = m.get("severity") {
            self.one_of(&path("severity"), v, &SEVERITIES);
        }
        if let Some(v) = m.get("refs") {
            self.strings(&path("refs"), v, None);
        }
        if let Some(v) = m.get("input") {
            self.object(&path("input"), v);
        }
        if let Some(v) = m.get("context") {
            if let Some(ctx) = self.object(&path("context"), v) {
                if let Some(keys) = ctx.get("keys") {
                    self.context_keys(&[path("context"), vec![key("keys")]].concat(), keys);
                }
            }
        }
        if let Some(v) = m.get("network") {
            if let Some(net) = self.object(&path("network"), v) {
                for (url, answer) in net {
                    self.network_answer(&[path("network"), vec![key(url)]].concat(), answer);
                }
            }
        }
        if let Some(v) = m.get("features") {
            self.strings(&path("features"), v, Some(&FEATURES));
        }
        if let Some(v) = m.get("max_fetches") {
            self.integer(&path("max_fetches"), v, (0, i64::MAX));
        }
        if let Some(v) = m.get("expect") {
            self.expect(&path("expect"), v);
        }
        if let Some(v) = m.get("steps") {
            self.steps(&path("steps"), v);
        }
        let has = |k: &str| m.contains_key(k);
        let plain = has("input") && has("expect") && !has("steps");
        let scenario = has("steps") && !has("input") && !has("expect");
        if !plain && !scenario {
            self.fail(
                at,
                "a case has either \"input\" and \"expect\" (one step) or \"steps\" (a scenario), not both and not neither",
            );
        }
    }

    /// An array of non-empty strings, each one of `names` when given, none twice.
    fn strings(&mut self, path: &[Seg], v: &Value, names: Option<&[&str]>) {
        let Some(items) = v.as_array() else {
            self.fail(path, format!("{} is not an array", brief(v)));
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let at = [path, &[Seg::Index(i)]].concat();
            match names {
                Some(names) => self.one_of(&at, item, names),
                None => {
                    self.text(&at, item, true);
                }
            }
        }
        if names.is_some() {
            for (i, item) in items.iter().enumerate() {
                if items[..i].contains(item) {
                    self.fail(path, format!("{} is listed twice", brief(item)));
                }
            }
        }
    }

    fn network_answer(&mut self, path: &[Seg], v: &Value) {
        let m = match v {
            Value::String(_) => return,
            Value::Object(m) => m,
            other => {
                self.fail(
                    path,
                    format!(
                        "{} is neither the body's text nor an answer {{\"status\"?, \"body\"?, \"delay_ms\"?, \"headers\"?}}",
                        brief(other)
                    ),
                );
                return;
            }
        };
        self.members(path, m, &["status", "body", "delay_ms", "headers"], &[]);
        let at = |k: &str| [path, &[key(k)]].concat();
        if let Some(s) = m.get("status") {
            self.integer(&at("status"), s, (100, 599));
        }
        if let Some(d) = m.get("delay_ms") {
            self.integer(&at("delay_ms"), d, (0, i64::MAX));
        }
        if let Some(h) = m.get("headers") {
            if let Some(h) = self.object(&at("headers"), h) {
                for (name, value) in h {
                    if !value.is_string() {
                        self.fail(
                            &[at("headers"), vec![key(name)]].concat(),
                            format!("{} is not a string", brief(value)),
                        );
                    }
                }
            }
        }
    }

    fn expect(&mut self, path: &[Seg], v: &Value) {
        let Some(m) = self.object(path, v) else {
            return;
        };
        self.members(
            path,
            m,
            &["verdict", "error", "output", "output_match"],
            &[("verdict", "")],
        );
        let at = |k: &str| [path, &[key(k)]].concat();
        if let Some(v) = m.get("verdict") {
            self.one_of(&at("verdict"), v, &VERDICTS);
        }
        if let Some(e) = m.get("error") {
            self.one_of(&at("error"), e, &CODES);
            if m.get("verdict").and_then(Value::as_str) == Some("accept") {
                self.fail(&at("error"), "an accept states no error code");
            }
        }
        if let Some(o) = m.get("output_match") {
            self.one_of(&at("output_match"), o, &MATCHES);
        }
    }

    fn steps(&mut self, path: &[Seg], v: &Value) {
        let Some(steps) = v.as_array() else {
            self.fail(path, format!("{} is not an array", brief(v)));
            return;
        };
        if steps.is_empty() {
            self.fail(path, "has no step (at least one)");
        }
        for (i, s) in steps.iter().enumerate() {
            let at = [path, &[Seg::Index(i)]].concat();
            let Some(m) = self.object(&at, s) else {
                continue;
            };
            self.members(
                &at,
                m,
                &["description", "input", "context", "expect"],
                &[("description", ""), ("input", ""), ("expect", "")],
            );
            let sub = |k: &str| [at.as_slice(), &[key(k)]].concat();
            if let Some(d) = m.get("description") {
                self.text(&sub("description"), d, true);
            }
            for k in ["input", "context"] {
                if let Some(x) = m.get(k) {
                    self.object(&sub(k), x);
                }
            }
            if let Some(e) = m.get("expect") {
                self.expect(&sub("expect"), e);
            }
        }
    }

    /// `context.keys`: a list of keys, or a JWK Set.
    fn context_keys(&mut self, path: &[Seg], v: &Value) {
        match v {
            Value::Array(items) => {
                for (i, k) in items.iter().enumerate() {
                    self.key(&[path, &[Seg::Index(i)]].concat(), k);
                }
            }
            Value::Object(m) if m.contains_key("keys") && !m.contains_key("kty") => {
                self.key(path, v)
            }
            other => self.fail(
                path,
                format!("{} is neither a list of keys nor a JWK Set", brief(other)),
            ),
        }
    }

    /// A key: a name or PEM text, `{"pem", "kid"?}`, a JWK (`kty`), or a JWK Set.
    fn key(&mut self, path: &[Seg], v: &Value) {
        match v {
            Value::String(s) if s.is_empty() => self.fail(path, "an empty key name"),
            Value::String(_) => {}
            Value::Object(m) if m.contains_key("keys") && !m.contains_key("kty") => {
                match m.get("keys") {
                    Some(Value::Array(items)) => {
                        for (i, k) in items.iter().enumerate() {
                            self.key(&[path, &[key("keys"), Seg::Index(i)]].concat(), k);
                        }
                    }
                    Some(other) => self.fail(
                        &[path, &[key("keys")]].concat(),
                        format!("{} is not an array", brief(other)),
                    ),
                    None => {}
                }
            }
            Value::Object(m) if m.contains_key("pem") && !m.contains_key("kty") => {
                self.members(path, m, &["pem", "kid"], &[]);
                for k in ["pem", "kid"] {
                    if let Some(x) = m.get(k) {
                        if !x.is_string() {
                            self.fail(
                                &[path, &[key(k)]].concat(),
                                format!("{} is not a string", brief(x)),
                            );
                        }
                    }
                }
            }
            Value::Object(m) if m.contains_key("kty") && !m.contains_key("keys") => {}
            other => self.fail(
                path,
                format!(
                    "{} is not a key: a name or PEM text, {{\"pem\", \"kid\"?}}, a JWK (with \"kty\") or a JWK Set (with \"keys\")",
                    brief(other)
                ),
            ),
        }
    }
}

fn key(k: &str) -> Seg {
    Seg::Key(k.to_owned())
}

/// A value in a few characters, for a message.
fn brief(v: &Value) -> String {
    let t = v.to_string();
    if t.chars().count() > 40 {
        format!("{}…", t.chars().take(40).collect::<String>())
    } else {
        t
    }
}

/// `^[a-z0-9][a-z0-9-]*$`
fn group_name(g: &str) -> bool {
    g.bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && g.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `^[a-z]+\.[a-z0-9-]+$`
fn rule_id(r: &str) -> bool {
    match r.split_once('.') {
        Some((a, b)) => {
            !a.is_empty()
                && a.bytes().all(|c| c.is_ascii_lowercase())
                && !b.is_empty()
                && b.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        }
        None => false,
    }
}
