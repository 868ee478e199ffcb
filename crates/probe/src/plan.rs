//! Which cases a live service can be sent, and as what request. The cases are minted now
//! by the suite's generator for the service's settings and the wall clock (same ids, rules
//! and severities as the checked-in suite); a case that cannot be sent is kept with the
//! reason, by family, and reported as a skip, never dropped.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::{json, Value};

use jwtc_harness::outcome::Got;
use jwtc_vectors::generate::{self, Settings};
use jwtc_vectors::keystore::KeyStore;
use jwtc_vectors::load::LoadedCase;
use jwtc_vectors::model::Verdict;

use crate::http::Request;
use crate::keyserver::Answer;
use crate::target::with_query;

/// Where a COYO token goes in the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenIn {
    /// `Authorization: Bearer TOKEN`.
    Bearer,
    /// A header of this name.
    Header(String),
    /// A query parameter of this name.
    Query(String),
    /// A member of a JSON body (POST).
    Json(String),
}

impl TokenIn {
    /// Parses `bearer`, `header:NAME`, `query:NAME` or `json:NAME`.
    pub fn parse(s: &str) -> Result<TokenIn, String> {
        let named = |n: &str, what: &str| {
            if n.is_empty() || !n.bytes().all(|b| b.is_ascii_graphic() && b != b':') {
                Err(format!("--token-in {s:?}: {what} needs a name of visible characters, e.g. {what}:token"))
            } else {
                Ok(n.to_owned())
            }
        };
        match s.split_once(':') {
            None if s == "bearer" => Ok(TokenIn::Bearer),
            Some(("header", n)) => Ok(TokenIn::Header(named(n, "header")?)),
            Some(("query", n)) => Ok(TokenIn::Query(named(n, "query")?)),
            Some(("json", n)) => Ok(TokenIn::Json(named(n, "json")?)),
            _ => Err(format!(
                "--token-in {s:?}: give bearer, header:NAME, query:NAME or json:NAME"
            )),
        }
    }
}

/// What the plan needs to know about the service.
#[derive(Clone, Debug)]
pub struct Service {
    /// `pomerium` or `coyo`.
    pub profile: String,
    /// What the cases are minted for (clock, audience, issuer, attacker host).
    pub settings: Settings,
    /// The service's clock skew, seconds.
    pub skew: i64,
    /// How far the service's clock may be from ours during the run, seconds.
    pub clock_margin: i64,
    /// Where a COYO token goes.
    pub token_in: TokenIn,
    /// The identity members the service reports (compared on an accept); empty: none.
    pub identity: Vec<String>,
    /// The key server's https trusted origin (`127.0.0.1:PORT`), where a case's own
    /// documents (its `network` at that origin) are served; `None`: no case's are.
    pub served: Option<String>,
}

/// The longest a case's document is held back (`delay_ms` beyond it is served after it):
/// 2 s past the 5 s fetch time-out the rules give, so a service that gives up on time
/// rejects first, and one that waits gets the keys and wrongly accepts.
pub const DELAY_CAP_MS: u64 = 7_000;

/// One case and what to send for it, or why it is not sent.
pub struct Planned {
    /// The case, its expectation adapted to HTTP (no error code; the identity members the
    /// service reports).
    pub case: LoadedCase,
    /// The request, or the reason it is skipped.
    pub request: Result<Request, String>,
    /// The case's own documents at the https trusted origin, by request target.
    pub docs: BTreeMap<String, Answer>,
    /// How long the key server holds back the case's slowest document: the request's
    /// time-out is extended by it.
    pub delay: Duration,
    /// A fetch URL as the key server logs it, and the case's `network` URL it stands for
    /// (`https://127.0.0.1:P/jwks.json` for `https://127.0.0.1:P/keys/../jwks.json`).
    pub aliases: Vec<(String, String)>,
}

/// Mints the profile's cases for `service` and plans each; `path` is the URL's path.
pub fn plan(keys: &KeyStore, service: &Service, path: &str) -> Result<Vec<Planned>, String> {
    let dir = service.profile.as_str();
    let files = generate::profile_files(keys, dir, &service.settings).ok_or_else(|| {
        format!("--profile {dir:?}: jwtc probe tests pomerium or coyo services")
    })??;
    let standard = generate::service_context(dir, &service.settings)
        .ok_or_else(|| format!("--profile {dir:?}: no service configuration"))?;
    let mut cases = Vec::new();
    for file in files {
        let shown = PathBuf::from(format!("probe/{dir}/{}.json", file.group));
        for case in file.cases {
            cases.push(
                LoadedCase::new(case, file.profile.clone(), shown.clone(), keys)
                    .map_err(|e| format!("{}: minted case does not load: {e}", shown.display()))?,
            );
        }
    }
    Ok(plan_cases(cases, Some(&standard), service, path))
}

/// Plans loaded cases: the profile's minted ones, or a vector file's (`jwtc probe
/// --vectors`, `jwtc attack --url`). With `standard` (the service's configuration), a case
/// configured otherwise is skipped unless that configuration rejects it too; without it,
/// each case's own context is taken for the service's (a file made for this service).
pub fn plan_cases(
    cases: Vec<LoadedCase>,
    standard: Option<&Value>,
    service: &Service,
    path: &str,
) -> Vec<Planned> {
    let mut out = Vec::new();
    for mut c in cases {
        let (docs, aliases, off) = served(&c, service);
        let request =
            why_not(&c, standard, service, off).map_or_else(|| request(&c, service, path), Err);
        for s in &mut c.steps {
            s.expect.error = None;
            s.expect.output = s
                .expect
                .output
                .take()
                .and_then(|o| restrict(&o, &service.identity));
        }
        let delay = docs.values().map(|a| a.delay).max().unwrap_or_default();
        out.push(Planned {
            case: c,
            request,
            docs,
            delay,
            aliases,
        });
    }
    out
}

/// The expected output cut to the members the service reports (`None` when it reports none).
fn restrict(output: &Value, names: &[String]) -> Option<Value> {
    if names.is_empty() {
        return None;
    }
    let mut o = serde_json::Map::new();
    for n in names {
        if let Some(v) = output.get(n) {
            o.insert(n.clone(), v.clone());
        }
    }
    Some(Value::Object(o))
}

/// What [`served`] finds: documents, aliases, the first URL not served here.
type Served = (
    BTreeMap<String, Answer>,
    Vec<(String, String)>,
    Option<String>,
);

/// The case's `network` answers the key server serves (those at the https trusted origin),
/// their aliases, and the first URL an accepting case needs that is not served here.
fn served(c: &LoadedCase, service: &Service) -> Served {
    let (mut docs, mut aliases, mut off) = (BTreeMap::new(), Vec::new(), None);
    let Some(network) = c.case.network.as_ref().and_then(Value::as_object) else {
        return (docs, aliases, off);
    };
    for (key, answer) in network {
        let here = url::Url::parse(key.trim()).ok().filter(|u| {
            u.scheme() == "https"
                && service.served.as_deref()
                    == Some(&format!(
                        "{}:{}",
                        u.host_str().unwrap_or(""),
                        u.port().unwrap_or(443)
                    ))
        });
        let Some(u) = here else {
            off.get_or_insert_with(|| key.clone());
            continue;
        };
        let mut target = u.path().to_owned();
        if let Some(q) = u.query() {
            target.push('?');
            target.push_str(q);
        }
        let headers = answer
            .get("headers")
            .and_then(Value::as_object)
            .map(|h| {
                h.iter()
                    .map(|(n, v)| (n.clone(), v.as_str().unwrap_or_default().to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        docs.insert(
            target.clone(),
            Answer {
                status: answer.get("status").and_then(Value::as_u64).unwrap_or(200) as u16,
                headers,
                body: answer
                    .get("body")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                delay: Duration::from_millis(
                    answer
                        .get("delay_ms")
                        .and_then(Value::as_u64)
                        .unwrap_or(0)
                        .min(DELAY_CAP_MS),
                ),
            },
        );
        aliases.push((
            format!(
                "https://{}{target}",
                service.served.as_deref().unwrap_or("")
            ),
            key.clone(),
        ));
    }
    (docs, aliases, off)
}

/// Why a case cannot be sent to a live service, if it cannot.
fn why_not(
    c: &LoadedCase,
    standard: Option<&Value>,
    service: &Service,
    off: Option<String>,
) -> Option<String> {
    if c.profile.ends_with("-proxy") {
        return Some("proxy role: jwtc probe tests a verifier; a proxy's freshly signed assertion is not an HTTP status".into());
    }
    if c.steps.len() > 1 {
        return Some(format!(
            "a scenario of {} steps sharing one session's state (a JWKS cache, a replay list); a live service's state cannot be reset between cases",
            c.steps.len()
        ));
    }
    let must_not_fetch = c.case.max_fetches == Some(0)
        && c.steps.iter().all(|s| s.expect.verdict == Verdict::Reject);
    // A case configured otherwise is still sent when nothing may be fetched and the
    // service's own configuration rejects it too (asked of the reference verifier: with
    // the key server's origins, an allowlisted jku is reachable).
    let differs = standard.is_some_and(|s| c.case.context != *s);
    let standard = standard.unwrap_or(&c.case.context);
    let also_rejected = || {
        jwtc_harness::reference::session(&c.profile).is_some_and(|mut s| {
            let got = s.step(
                &c.steps[0].input,
                standard,
                c.case.network.as_ref(),
                service.settings.now,
            );
            got.verdict == Got::Reject && got.fetches.is_empty()
        })
    };
    if differs && !(must_not_fetch && also_rejected()) {
        return Some(format!(
            "configures the verifier otherwise than the service ({}); the service is configured once, as `jwtc keys serve` prints",
            differences(&c.case.context, standard)
        ));
    }
    let accepts = c.steps.iter().any(|s| s.expect.verdict == Verdict::Accept);
    if let (Some(url), true, false) = (off, accepts, must_not_fetch) {
        return Some(format!(
            "to accept, the service must fetch {url:?}, which is not this machine's key server (the https trusted origin serves only its own host name; see docs/probe.md)"
        ));
    }
    clock_sensitive(c, service)
}

/// The members of `got` that differ from `want`, shown briefly.
fn differences(got: &Value, want: &Value) -> String {
    let (Some(g), Some(w)) = (got.as_object(), want.as_object()) else {
        return format!("context {got}");
    };
    let mut names: Vec<&String> = g.keys().chain(w.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|n| g.get(*n) != w.get(*n))
        .map(|n| {
            let v = g.get(n).map_or("absent".to_string(), |v| {
                let s = v.to_string();
                if s.len() > 60 {
                    format!("{}…", s.chars().take(60).collect::<String>())
                } else {
                    s
                }
            });
            format!("{n} {v}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A case whose verdict the reference verifier changes within the clock margin, or under
/// the service's skew: the live answer would depend on when it is sent.
fn clock_sensitive(c: &LoadedCase, service: &Service) -> Option<String> {
    let step = &c.steps[0];
    let want = match step.expect.verdict {
        Verdict::Accept => Got::Accept,
        Verdict::Reject => Got::Reject,
        Verdict::Either => return None,
    };
    let mut context = step.context.clone();
    if let Some(o) = context.as_object_mut() {
        if o.contains_key("skew") {
            o.insert("skew".into(), json!(service.skew));
        }
    }
    let now = service.settings.now;
    for at in [now - service.clock_margin, now, now + service.clock_margin] {
        // The case's network answers, as the live key server serves them.
        let got = match jwtc_harness::reference::session(&c.profile) {
            Some(mut s) => s.step(&step.input, &context, c.case.network.as_ref(), at),
            None => jwtc_harness::reference::run_case(&c.profile, &step.input, &context, at),
        };
        if got.verdict != want {
            return Some(format!(
                "the verdict turns on the clock or the skew: the reference verifier gives {:?} at now{:+} s with the service's skew {} s (--clock-margin {}, --skew)",
                got.verdict,
                at - now,
                service.skew,
                service.clock_margin
            ));
        }
    }
    None
}

/// The request for a sendable case.
fn request(c: &LoadedCase, service: &Service, path: &str) -> Result<Request, String> {
    let input = &c.steps[0].input;
    let mut req = Request {
        method: "GET".into(),
        target: path.to_owned(),
        ..Request::default()
    };
    if let Some(headers) = input.get("headers").and_then(Value::as_array) {
        for h in headers {
            let (Some(n), Some(v)) = (
                h.get(0).and_then(Value::as_str),
                h.get(1).and_then(Value::as_str),
            ) else {
                return Err(format!("input header {h} is not [name, value]"));
            };
            header_ok(n, v)?;
            req.headers.push((n.to_owned(), v.to_owned()));
        }
        return Ok(req);
    }
    let token = input
        .get("token")
        .and_then(Value::as_str)
        .ok_or_else(|| "the case's input has no token or headers".to_string())?;
    match &service.token_in {
        TokenIn::Bearer => {
            let v = format!("Bearer {token}");
            header_ok("authorization", &v)?;
            req.headers.push(("Authorization".into(), v));
        }
        TokenIn::Header(n) => {
            header_ok(n, token)?;
            req.headers.push((n.clone(), token.to_owned()));
        }
        TokenIn::Query(n) => req.target = with_query(path, n, token),
        TokenIn::Json(n) => {
            req.method = "POST".into();
            req.headers
                .push(("Content-Type".into(), "application/json".into()));
            req.body = Some(json!({ n: token }).to_string().into_bytes());
        }
    }
    Ok(req)
}

/// A header HTTP/1.1 can carry: a token name, a value without control characters.
fn header_ok(name: &str, value: &str) -> Result<(), String> {
    let tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(tchar) {
        return Err(format!(
            "header name {name:?} is not an HTTP token: HTTP/1.1 cannot carry it"
        ));
    }
    if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
        return Err(format!(
            "header {name}: its value holds a control character: HTTP/1.1 cannot carry it"
        ));
    }
    Ok(())
}
