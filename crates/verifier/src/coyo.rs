//! Profile `coyo`: RS256 (or RS512 by a key that declares it) tokens with a `jku` (COYO's "JWT token security"; docs/rules.md § coyo).
//!
//! Keys are found in this order, and the first source that has a candidate for the
//! token's `kid` decides (a candidate that fails is `bad_signature`, with no fetch):
//!
//! 1. built-in keys (no network);
//! 2. keys registered under an issuer pattern that matches the token's `iss` in full;
//! 3. the JWK Set or COYO key document (`{"alg", "key"}`) at the header's `jku`, only if it parses (WHATWG, the `url` crate) as an
//!    https URL whose origin is allowlisted and whose serialization is exactly the input;
//!    fetched through [`Fetch`], filtered, and cached ([`JwksCache`]).

use regex::{Regex, RegexBuilder};
use serde_json::{json, Value};
use url::{Origin, Url};

use crate::alg::{Alg, Family};
use crate::claims::{self, TimeRules};
use crate::error::Error;
use crate::jose::{self, Limits, Payload};
use crate::json::{self, Members};
use crate::keys::KeySet;
use crate::net::{CachePolicy, Fetch, FetchLimits, JwksCache, Source};

/// The longest `jku` looked at; a longer one is refused before it is parsed.
pub const MAX_JKU_LEN: usize = 2048;
/// The longest issuer pattern accepted.
pub const MAX_PATTERN_LEN: usize = 1024;
/// The compiled size bound of an issuer pattern (the regex crate's `size_limit`).
pub const PATTERN_SIZE_LIMIT: usize = 1 << 20;

/// An issuer pattern: a regular expression matched against the whole of `iss`.
#[derive(Clone, Debug)]
pub struct IssuerPattern {
    /// The pattern as configured.
    pub source: String,
    /// Whether the `i` flag was given.
    pub case_insensitive: bool,
    regex: Regex,
}

impl IssuerPattern {
    /// Parses a pattern: a JavaScript regex literal with flags (`/^https:\/\/some\.site$/i`,
    /// as the seed writes it; only the `i` flag is supported) or a bare expression. The
    /// expression is matched against the *whole* `iss`: an unanchored pattern is anchored
    /// (`^(?:…)$`). It must compile on its own first, so that the anchors cannot be
    /// unbalanced away. Returns the pattern and its lint warnings.
    pub fn parse(pattern: &str) -> Result<(IssuerPattern, Vec<String>), Error> {
        let refuse = |reason: String| Error::PatternRefused {
            pattern: shorten(pattern, 100),
            reason,
        };
        if pattern.len() > MAX_PATTERN_LEN {
            return Err(refuse(format!(
                "{} bytes, over the bound of {MAX_PATTERN_LEN}",
                pattern.len()
            )));
        }
        let (source, flags) = match pattern
            .strip_prefix('/')
            .and_then(|rest| rest.rfind('/').map(|end| (&rest[..end], &rest[end + 1..])))
        {
            Some((source, flags)) => (source, flags),
            None => (pattern, ""),
        };
        let mut case_insensitive = false;
        for f in flags.chars() {
            match f {
                'i' if !case_insensitive => case_insensitive = true,
                other => {
                    return Err(refuse(format!(
                        "flag {other:?} is not supported (only a single i)"
                    )))
                }
            }
        }
        if source.is_empty() {
            return Err(refuse("the expression is empty".into()));
        }
        let build = |expr: &str| {
            RegexBuilder::new(expr)
                .case_insensitive(case_insensitive)
                .size_limit(PATTERN_SIZE_LIMIT)
                .build()
                .map_err(|e| refuse(format!("does not compile: {}", one_line(&e.to_string()))))
        };
        build(source)?;
        // rule: coyo.issuer-keys — matched in full: anchored whatever the pattern says.
        let regex = build(&format!("^(?:{source})$"))?;
        let lints = lint(source);
        Ok((
            IssuerPattern {
                source: pattern.to_owned(),
                case_insensitive,
                regex,
            },
            lints,
        ))
    }

    /// Whether `iss` matches the pattern in full.
    pub fn matches(&self, iss: &str) -> bool {
        self.regex.is_match(iss)
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes)", &s[..end], s.len())
}

/// Configuration lint: an unescaped `.` between two host characters (`some.site`) matches
/// any character, so the pattern also matches `someXsite`. A warning, not an error: the
/// seed's own example has one.
pub fn lint(source: &str) -> Vec<String> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let (mut escaped, mut class) = (false, false);
    for (i, &c) in chars.iter().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '[' => class = true,
            ']' => class = false,
            '.' if !class => {
                let host = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
                if host(i.checked_sub(1).and_then(|j| chars.get(j))) && host(chars.get(i + 1)) {
                    let at: String = chars[i.saturating_sub(8)..(i + 9).min(chars.len())]
                        .iter()
                        .collect();
                    out.push(format!(
                        "issuer pattern {source:?}: unescaped '.' in {at:?} matches any character; write \\. for a literal dot"
                    ));
                }
            }
            _ => {}
        }
    }
    out
}

/// Parses an allowlist entry: an https origin, `https://host[:port]` (a trailing `/` is
/// tolerated), with no credentials, path, query or fragment.
pub fn parse_allowlist_entry(entry: &str) -> Result<Origin, Error> {
    let refuse = |reason: String| Error::AllowlistRefused {
        entry: shorten(entry, 200),
        reason,
    };
    let url = Url::parse(entry).map_err(|e| refuse(format!("does not parse: {e}")))?;
    if url.scheme() != "https" {
        return Err(refuse(format!(
            "scheme {:?} is not https (the seed: \"the protocol MUST be secured by TLS\")",
            url.scheme()
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse("carries credentials".into()));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(refuse(
            "has a path, query or fragment; an entry is an origin".into(),
        ));
    }
    Ok(url.origin())
}

/// Decides whether a `jku` may be fetched (rule coyo.jku-allowlist), before any fetch.
///
/// It must be at most [`MAX_JKU_LEN`] bytes, parse as an absolute URL (WHATWG), be https,
/// carry no credentials, and have an allowlisted origin (scheme, host, port: compared
/// parsed, never as strings). Then its serialization must equal the input exactly: a
/// spelling that parses to an allowed origin but differs (host case, `:443`, percent
/// escapes, a backslash) is `either` in docs/rules.md, and the reference takes the strict
/// side. The URL returned is what is fetched.
pub fn check_jku(jku: &str, allowlist: &[Origin]) -> Result<Url, Error> {
    let refuse = |reason: String| Error::JkuNotAllowed {
        jku: format!("{:?}", shorten(jku, 200)),
        reason,
    };
    if jku.len() > MAX_JKU_LEN {
        return Err(refuse(format!(
            "{} bytes, over the bound of {MAX_JKU_LEN}",
            jku.len()
        )));
    }
    if jku.is_empty() {
        return Err(refuse("empty".into()));
    }
    let url =
        Url::parse(jku).map_err(|e| refuse(format!("not an absolute URL (WHATWG parse: {e})")))?;
    if url.scheme() != "https" {
        return Err(refuse(format!("scheme {:?} is not https", url.scheme())));
    }
    let origin = url.origin();
    if !allowlist.contains(&origin) {
        return Err(refuse(format!(
            "origin {} is not allowlisted",
            origin.ascii_serialization()
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse("carries credentials (userinfo)".into()));
    }
    if url.as_str() != jku {
        return Err(refuse(format!(
            "not in canonical form: it parses to {} (an allowed origin, but the reference \
             fetches only a jku that is its own serialization)",
            url.as_str()
        )));
    }
    Ok(url)
}

/// Keys registered for the issuers a pattern matches.
#[derive(Clone, Debug)]
pub struct IssuerKeys {
    /// The pattern `iss` must match in full.
    pub pattern: IssuerPattern,
    /// The keys (several: rotation).
    pub keys: KeySet,
}

/// What the COYO verifier is configured with.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Keys by issuer pattern (`jwkStore.addJwk(regex, jwk…)`).
    pub issuers: Vec<IssuerKeys>,
    /// The library's built-in keys, tried first.
    pub builtin: KeySet,
    /// Allowed `jku` origins (`jwkStore.addHost(…)`).
    pub jku_allowlist: Vec<Origin>,
    /// Seconds of skew for `exp`/`nbf` (default 0).
    pub skew: i64,
    /// Token bounds.
    pub limits: Limits,
    /// Fetch bounds.
    pub fetch: FetchLimits,
    /// Cache bounds (used when a session makes its [`JwksCache`]).
    pub cache: CachePolicy,
}

/// A verified COYO token.
#[derive(Clone, Debug)]
pub struct Verified {
    /// `iss`.
    pub iss: String,
    /// `sub`, if present.
    pub sub: Option<String>,
    /// All claims: validated, each member read when asked for.
    pub claims: json::Object,
    /// Where the key came from: `builtin`, `issuer`, `jku` or `jku (cached)`.
    pub key_source: &'static str,
    /// Configuration notes gathered on the way (keys skipped in a fetched set).
    pub notes: Vec<String>,
}

impl Verified {
    /// The protocol's output: `{"iss", "sub"?}`.
    pub fn to_json(&self) -> Value {
        let mut out = json!({ "iss": self.iss });
        if let Some(sub) = &self.sub {
            out["sub"] = json!(sub);
        }
        out
    }
}

/// Verifies a COYO token (front-end or lifecycle event: the same rules).
pub fn verify(
    token: &str,
    config: &Config,
    cache: &mut JwksCache,
    now: i64,
    fetch: &mut dyn Fetch,
) -> Result<Verified, Error> {
    let parsed = jose::parse(token, &config.limits, Payload::JsonObject)?;
    let jku_member = parsed.header.get("jku");
    let jku = match &jku_member {
        None => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(other) => {
            return Err(Error::HeaderParam {
                param: "jku",
                detail: format!("a {}, not a string", json::kind(other)),
            })
        }
    };
    // rule: coyo.alg — RS256, or RS512 with a key that declares it (COYO's built-in keys).
    let alg = jose::check_alg(&parsed, &[Alg::RS256, Alg::RS512])?;
    let declared = |k: &crate::keys::Key| alg == Alg::RS256 || k.alg == Some(alg);
    let kid_member = parsed.kid();
    let kid = kid_member.as_deref();
    let claims = parsed.claims.clone().unwrap_or_default();
    // The unverified iss only selects registered keys; it is checked again after the signature.
    let iss_member = claims.member("iss");
    let iss_hint = iss_member.as_deref().and_then(Value::as_str);
    // rule: coyo.builtin-keys — built-ins first; then coyo.issuer-keys — keys whose pattern
    // matches iss in full. A key of one issuer is never a candidate for another's token.
    let builtin: Vec<_> = config
        .builtin
        .candidate_iter(alg, kid)
        .filter(|k| declared(k))
        .cloned()
        .collect();
    let mut registered = Vec::new();
    if let Some(iss) = iss_hint {
        for entry in config.issuers.iter().filter(|e| e.pattern.matches(iss)) {
            registered.extend(
                entry
                    .keys
                    .candidate_iter(alg, kid)
                    .filter(|k| declared(k))
                    .cloned(),
            );
        }
    }
    let mut notes = Vec::new();
    let source;
    if !builtin.is_empty() || !registered.is_empty() {
        // A known key that fails is bad_signature, with no fetch.
        let total = builtin.len() + registered.len();
        let mut verdict = Err(String::new());
        for (name, keys) in [("builtin", builtin), ("issuer", registered)] {
            if keys.is_empty() || verdict.is_ok() {
                continue;
            }
            verdict = match jose::verify_signature(&parsed, alg, &KeySet::new(keys)?) {
                Ok(_) => Ok(name),
                Err(Error::BadSignature { detail, .. }) => Err(detail),
                Err(other) => return Err(other),
            };
        }
        source = verdict.map_err(|detail| Error::BadSignature {
            alg: alg.name().into(),
            detail,
            candidates: total,
        })?;
    } else if let Some(jku) = jku {
        // rule: coyo.jku-allowlist — decided before any fetch.
        let url = check_jku(jku, &config.jku_allowlist)?;
        // rule: coyo.fetch, coyo.fetch-cache
        let (set, n, from) = cache.keys(&url, alg, kid, now, fetch, &config.fetch, Family::Rsa)?;
        notes = n;
        source = match from {
            Source::Fetched => "jku",
            Source::Cached => "jku (cached)",
        };
        let set = KeySet::new(set.keys().iter().filter(|k| declared(k)).cloned().collect())?;
        if alg == Alg::RS512 && set.keys().is_empty() {
            return Err(rs512_undeclared(alg, "the key document at the jku"));
        }
        jose::verify_signature(&parsed, alg, &set)?;
    } else if alg == Alg::RS512 {
        return Err(rs512_undeclared(alg, "no built-in or registered key"));
    } else {
        return Err(Error::KeyUnknown {
            alg: alg.name().into(),
            kid: match kid {
                Some(k) => format!(
                    "{k:?} (no built-in key, no key registered for iss {}, and no jku)",
                    iss_hint.map_or("(none)".to_string(), |i| format!("{i:?}"))
                ),
                None => "(none) and no jku".into(),
            },
        });
    }
    // rule: core.order — claims only after the signature.
    claims::check_times(&claims, now, &TimeRules::lenient(config.skew))?;
    let iss = claims::required_str(&claims, "iss")?.into_owned();
    let sub = match claims.get("sub") {
        None => None,
        Some(Value::String(s)) => Some(s),
        Some(other) => {
            return Err(Error::ClaimInvalid {
                claim: "sub".into(),
                detail: format!("a {}, not a string", json::kind(&other)),
            })
        }
    };
    // rule: core.aud-unexpected — COYO configures no audience; a present aud is accepted.
    Ok(Verified {
        iss,
        sub,
        claims,
        key_source: source,
        notes,
    })
}

/// An RS512 token with no key that declares RS512 (rule coyo.alg).
fn rs512_undeclared(alg: Alg, whose: &str) -> Error {
    Error::AlgNotAllowed {
        alg: format!("{:?} ({whose} declares it)", alg.name()),
        allowed: "RS256, RS512 only with a key whose alg is RS512".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allow() -> Vec<Origin> {
        vec![
            parse_allowlist_entry("https://pubkeys.coyocloud.example").unwrap(),
            parse_allowlist_entry("https://[2001:db8::10]:8443").unwrap(),
        ]
    }

    fn reason(jku: &str) -> String {
        match check_jku(jku, &allow()) {
            Err(Error::JkuNotAllowed { reason, .. }) => reason,
            other => panic!("{jku}: expected jku_not_allowed, got {other:?}"),
        }
    }

    #[test]
    fn jku_allowed_only_for_canonical_allowlisted_https() {
        for ok in [
            "https://pubkeys.coyocloud.example/jwks.json",
            "https://pubkeys.coyocloud.example/jwks.json?v=2",
            "https://[2001:db8::10]:8443/jwks.json",
        ] {
            assert_eq!(check_jku(ok, &allow()).unwrap().as_str(), ok);
        }
        assert!(reason("https://pubkeys.coyocloud.example@evil.example/").contains("evil.example"));
        assert!(reason("https://pubkeys.coyocloud.example.evil.example/").contains("allowlisted"));
        assert!(reason("http://pubkeys.coyocloud.example/jwks.json").contains("not https"));
        assert!(reason("https://pubkeys.coyocloud.example:8443/").contains("allowlisted"));
        assert!(reason("/jwks.json").contains("absolute"));
        assert!(reason("").contains("empty"));
        assert!(reason("https://u:p@pubkeys.coyocloud.example/").contains("userinfo"));
        assert!(reason("https://PUBKEYS.coyocloud.example/jwks.json").contains("canonical"));
        assert!(reason("https://pubkeys.coyocloud.example\\@evil.example/").contains("canonical"));
        assert!(reason("https://[2001:0db8::10]:8443/jwks.json").contains("canonical"));
        assert!(reason("https://pubkeys.coyocloud.example:4294967739/").contains("absolute"));
        assert!(reason("https://pubkeys.coyocloud.example%00.evil/").contains("absolute"));
    }

    #[test]
    fn a_100kb_jku_is_refused_before_parsing_with_a_short_message() {
        let jku = format!("https://pubkeys.coyocloud.example/{}", "a".repeat(100_000));
        let e = check_jku(&jku, &allow()).unwrap_err();
        assert_eq!(e.code(), crate::Code::JkuNotAllowed);
        assert!(e.to_string().contains("over the bound"));
        assert!(e.to_string().len() < 400);
    }

    #[test]
    fn allowlist_entries_are_origins() {
        for bad in [
            "http://pubkeys.coyocloud.example",
            "https://pubkeys.coyocloud.example/keys",
            "https://u@pubkeys.coyocloud.example",
            "pubkeys.coyocloud.example",
            "https://pubkeys.coyocloud.example/?q",
        ] {
            let e = parse_allowlist_entry(bad).unwrap_err();
            assert_eq!(e.code(), crate::Code::Config, "{bad}");
        }
        assert_eq!(
            parse_allowlist_entry("https://PubKeys.coyocloud.example:443/").unwrap(),
            allow()[0]
        );
    }

    #[test]
    fn patterns_match_in_full() {
        let p = |s: &str| IssuerPattern::parse(s).unwrap().0;
        let seed = p(r"/^https:\/\/some.site$/i");
        assert!(seed.case_insensitive);
        assert!(seed.matches("https://some.site"));
        assert!(seed.matches("HTTPS://SOME.SITE"));
        assert!(seed.matches("https://someXsite"));
        assert!(!seed.matches("https://some.site\n"));
        assert!(!seed.matches("https://some.site.evil"));
        let bare = p(r"https://some\.site");
        assert!(bare.matches("https://some.site"));
        assert!(!bare.matches("https://some.site.evil"));
        assert!(!bare.matches("https://evil/https://some.site"));
        assert!(!bare.matches("HTTPS://some.site"));
        let alt = p("https://a\\.example|https://b\\.example");
        assert!(alt.matches("https://b.example"));
        assert!(!alt.matches("https://b.example.evil"));
        assert!(!alt.matches("x https://a.example"));
    }

    #[test]
    fn bad_patterns_are_configuration_errors() {
        for bad in [
            "/^https:\\/\\/some.site(/",
            "x)|(?:.*",
            "/x/g",
            "/x/ii",
            "//i",
            "(a{1000}){1000}",
        ] {
            let e = IssuerPattern::parse(bad).unwrap_err();
            assert_eq!(e.code(), crate::Code::Config, "{bad}");
            assert!(e.to_string().contains("refused"), "{e}");
        }
        let long = "a".repeat(MAX_PATTERN_LEN + 1);
        assert!(IssuerPattern::parse(&long).is_err());
    }

    #[test]
    fn the_unescaped_dot_lint() {
        assert_eq!(lint(r"^https:\/\/some.site$").len(), 1);
        assert!(lint(r"^https:\/\/some\.site$").is_empty());
        assert!(lint(r"^https://[a-z.]+\.site$").is_empty());
        assert!(lint(r"^https://.*$").is_empty());
        assert_eq!(lint(r"a.b.c").len(), 2);
        let (_, lints) = IssuerPattern::parse(r"/^https:\/\/some.site$/i").unwrap();
        assert_eq!(lints.len(), 1);
        assert!(lints[0].contains("unescaped"));
    }
}
