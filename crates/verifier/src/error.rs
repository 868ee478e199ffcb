//! The one error type of the reference verifier, and the stable codes of docs/rules.md.

use std::fmt;

/// A stable error code, as listed in docs/rules.md § Error codes. Vectors and the
/// protocol carry these strings; they never change meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// The token or one of its parts is not well formed.
    Malformed,
    /// The token (or header value) is over the size bound.
    TooLarge,
    /// The algorithm is not the one the profile and key allow.
    AlgNotAllowed,
    /// No candidate key verifies the signature.
    BadSignature,
    /// No trusted key fits the token.
    KeyUnknown,
    /// The named key was revoked.
    KeyRevoked,
    /// A key could not be fetched.
    KeyUnavailable,
    /// A `jku` URL is not on the allowlist.
    JkuNotAllowed,
    /// A required claim is absent.
    ClaimMissing,
    /// A claim has the wrong type or a forbidden value.
    ClaimInvalid,
    /// The token has expired.
    Expired,
    /// The token is not valid yet.
    NotYetValid,
    /// `aud` does not name this recipient.
    AudienceMismatch,
    /// `iss` is not the expected issuer.
    IssuerMismatch,
    /// No token where one is required.
    TokenMissing,
    /// Conflicting tokens in one request.
    HeaderConflict,
    /// A signed event where signed metadata is disabled.
    SignedNotAccepted,
    /// An unsigned event where only signed metadata is accepted.
    UnsignedRejected,
    /// An encrypted payload does not decrypt to JSON.
    PayloadUndecryptable,
    /// A session's subject changed.
    SubjectChanged,
    /// An event id already accepted.
    DuplicateEvent,
    /// Not a verdict: the configuration (a key, a limit, a pattern) was refused.
    /// Never appears as the expected error of a vector.
    Config,
}

impl Code {
    /// Every verdict code (all but [`Code::Config`]), in docs/rules.md order.
    pub const VERDICTS: [Code; 21] = [
        Code::Malformed,
        Code::TooLarge,
        Code::AlgNotAllowed,
        Code::BadSignature,
        Code::KeyUnknown,
        Code::KeyRevoked,
        Code::KeyUnavailable,
        Code::JkuNotAllowed,
        Code::ClaimMissing,
        Code::ClaimInvalid,
        Code::Expired,
        Code::NotYetValid,
        Code::AudienceMismatch,
        Code::IssuerMismatch,
        Code::TokenMissing,
        Code::HeaderConflict,
        Code::SignedNotAccepted,
        Code::UnsignedRejected,
        Code::PayloadUndecryptable,
        Code::SubjectChanged,
        Code::DuplicateEvent,
    ];

    /// The code's string, as in vectors and the protocol.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Malformed => "malformed",
            Code::TooLarge => "too_large",
            Code::AlgNotAllowed => "alg_not_allowed",
            Code::BadSignature => "bad_signature",
            Code::KeyUnknown => "key_unknown",
            Code::KeyRevoked => "key_revoked",
            Code::KeyUnavailable => "key_unavailable",
            Code::JkuNotAllowed => "jku_not_allowed",
            Code::ClaimMissing => "claim_missing",
            Code::ClaimInvalid => "claim_invalid",
            Code::Expired => "expired",
            Code::NotYetValid => "not_yet_valid",
            Code::AudienceMismatch => "audience_mismatch",
            Code::IssuerMismatch => "issuer_mismatch",
            Code::TokenMissing => "token_missing",
            Code::HeaderConflict => "header_conflict",
            Code::SignedNotAccepted => "signed_not_accepted",
            Code::UnsignedRejected => "unsigned_rejected",
            Code::PayloadUndecryptable => "payload_undecryptable",
            Code::SubjectChanged => "subject_changed",
            Code::DuplicateEvent => "duplicate_event",
            Code::Config => "config",
        }
    }

    /// Parses a verdict code; `None` for an unknown string (and for `config`).
    pub fn parse(s: &str) -> Option<Code> {
        Code::VERDICTS.iter().copied().find(|c| c.as_str() == s)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which part of a compact token an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment {
    /// The protected header (first segment).
    Header,
    /// The payload (second segment).
    Payload,
    /// The signature (third segment).
    Signature,
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Segment::Header => "header",
            Segment::Payload => "payload",
            Segment::Signature => "signature",
        })
    }
}

/// Everything the reference verifier can refuse. Each variant maps to one stable
/// [`Code`]; its message carries the values that decided it.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Error {
    /// The token is longer than the configured bound; nothing was decoded.
    #[error("too large: {len} bytes > bound {max}")]
    TooLarge { len: usize, max: usize },

    /// The compact form does not have exactly three `.`-separated segments.
    #[error("malformed: compact token has {count} segments, expected 3")]
    Segments { count: usize },

    /// A segment that must not be empty is empty.
    #[error("malformed: empty {segment} segment")]
    EmptySegment { segment: Segment },

    /// A segment is not canonical unpadded base64url.
    #[error("malformed: {segment} is not canonical unpadded base64url: {detail}")]
    Base64 { segment: Segment, detail: String },

    /// A segment is not a strict JSON object (syntax, UTF-8, BOM, duplicate names, depth).
    #[error("malformed: {segment} is not a strict JSON object: {detail}")]
    Json { segment: Segment, detail: String },

    /// A JOSE header parameter has a type or value the verifier refuses (`typ`, `cty`, `kid`, `b64`).
    #[error("malformed: header parameter {param:?}: {detail}")]
    HeaderParam { param: &'static str, detail: String },

    /// `crit` is present: empty, malformed, or naming an extension the verifier does not implement.
    #[error("malformed: crit {crit}: {detail}")]
    Critical { crit: String, detail: String },

    /// The header's `alg` is missing, not a string, or not an algorithm this profile allows.
    #[error("alg not allowed: {alg} (allowed: {allowed})")]
    AlgNotAllowed { alg: String, allowed: String },

    /// No trusted key is a candidate for this token (kid, kty, alg, use, key_ops).
    #[error("key unknown: no trusted key fits alg {alg} and kid {kid}")]
    KeyUnknown { alg: String, kid: String },

    /// The signature does not verify under any candidate key.
    #[error("bad signature: {alg}: {detail} ({candidates} candidate key(s) tried)")]
    BadSignature {
        alg: String,
        detail: String,
        candidates: usize,
    },

    /// A claim the profile requires is absent (or null).
    #[error("claim missing: {claim}")]
    ClaimMissing { claim: &'static str },

    /// A claim is present but has the wrong type or a refused value.
    #[error("claim invalid: {claim}: {detail}")]
    ClaimInvalid { claim: String, detail: String },

    /// `exp` plus the skew is at or before now.
    #[error("expired: exp {exp} + skew {skew} <= now {now}")]
    Expired { exp: f64, skew: i64, now: i64 },

    /// `nbf` or `iat` lies after now plus the skew.
    #[error("not yet valid: {claim} {value} > now {now} + skew {skew}")]
    NotYetValid {
        claim: &'static str,
        value: f64,
        skew: i64,
        now: i64,
    },

    /// `iss` is not the issuer the configuration names (compared exactly, case-sensitive).
    #[error("issuer mismatch: iss {got:?} is not the configured issuer {expected:?}")]
    IssuerMismatch { expected: String, got: String },

    /// A message that must carry a token carries none.
    #[error("token missing: {detail}")]
    TokenMissing { detail: String },

    /// An encrypted claim does not decrypt to what the profile requires (Watson's `user_payload`).
    #[error("payload undecryptable: {claim}: {detail}")]
    PayloadUndecryptable { claim: &'static str, detail: String },

    /// A later token in a session names another subject than the one the session pinned.
    #[error(
        "subject changed: the session is pinned to sub {pinned:?}; this token has sub {got:?}"
    )]
    SubjectChanged { pinned: String, got: String },

    /// An event (not its token) is not well formed: a field missing, of the wrong type, or unpaired.
    #[error("malformed: {field}: {detail}")]
    Event { field: &'static str, detail: String },

    /// The key an event names (Pendo's `signingKeyName`) is not a key of the subscription.
    #[error(
        "key unknown: signingKeyName {name:?} names no key of the subscription (active: {active})"
    )]
    KeyNameUnknown { name: String, active: String },

    /// The key an event names was revoked; revocation is permanent.
    #[error("key revoked: signingKeyName {name:?} names a revoked key")]
    KeyRevoked { name: String },

    /// A signed event where the subscription does not accept signed metadata (mode `disabled`).
    #[error("signed not accepted: the event carries a jwt and signed metadata is {mode}")]
    SignedNotAccepted { mode: &'static str },

    /// An unsigned event where the subscription only accepts signed metadata (mode `only_signed`).
    #[error("unsigned rejected: the event carries no jwt and the subscription is {mode}")]
    UnsignedRejected { mode: &'static str },

    /// An event id that was already accepted; the duplicate is dropped.
    #[error("duplicate event: id {id:?} was already accepted")]
    DuplicateEvent { id: String },
    /// `aud` does not name the configured audience (a string equal to it, or an array holding it).
    #[error("audience mismatch: aud {got} does not name the configured audience {expected:?}")]
    AudienceMismatch { expected: String, got: String },

    /// A request carries the token header more than once, or under two names, with `count` values.
    #[error("header conflict: {header} carries {count} assertion values ({detail})")]
    HeaderConflict {
        header: String,
        count: usize,
        detail: String,
    },

    /// A request header is not a well-formed HTTP field (RFC 9110 §5): a name that is not a
    /// token, a control character in a value, or a name that aliases a protected header.
    #[error("malformed: header {name:?}: {detail}")]
    HeaderInvalid { name: String, detail: String },

    /// A `jku` that may not be fetched: not https, not an allowlisted origin, or not in the
    /// canonical form it parses to. Nothing was fetched.
    #[error("jku not allowed: {jku}: {reason}")]
    JkuNotAllowed { jku: String, reason: String },

    /// `iat` at or after now plus the skew, where the profile refuses the edge itself (Pomerium).
    #[error("not yet valid: iat {iat} >= now {now} + skew {skew} (the edge itself is refused)")]
    IssuedAtEdge { iat: f64, skew: i64, now: i64 },

    /// A key document could not be had: HTTP error, time-out, redirect, oversize, not a JWK Set.
    #[error("key unavailable: {url}: {reason}")]
    KeyUnavailable { url: String, reason: String },

    /// Configuration refused: an issuer pattern that does not compile or is not allowed. Not a verdict.
    #[error("issuer pattern {pattern:?} refused: {reason}")]
    PatternRefused { pattern: String, reason: String },

    /// Configuration refused: a `jku` allowlist entry that is not an https origin. Not a verdict.
    #[error("jku allowlist entry {entry:?} refused: {reason}")]
    AllowlistRefused { entry: String, reason: String },

    /// Configuration refused: a key that cannot be trusted, named with the reason. Not a verdict.
    #[error("key {key} refused: {reason}")]
    KeyRefused { key: String, reason: String },

    /// Configuration refused: anything else (a key set, a bound). Not a verdict.
    #[error("configuration refused: {detail}")]
    Config { detail: String },
}

impl Error {
    /// The stable code this error maps to.
    pub fn code(&self) -> Code {
        match self {
            Error::TooLarge { .. } => Code::TooLarge,
            Error::Segments { .. }
            | Error::EmptySegment { .. }
            | Error::Base64 { .. }
            | Error::Json { .. }
            | Error::HeaderParam { .. }
            | Error::Critical { .. } => Code::Malformed,
            Error::AlgNotAllowed { .. } => Code::AlgNotAllowed,
            Error::KeyUnknown { .. } => Code::KeyUnknown,
            Error::BadSignature { .. } => Code::BadSignature,
            Error::ClaimMissing { .. } => Code::ClaimMissing,
            Error::ClaimInvalid { .. } => Code::ClaimInvalid,
            Error::Expired { .. } => Code::Expired,
            Error::NotYetValid { .. } => Code::NotYetValid,
            Error::IssuerMismatch { .. } => Code::IssuerMismatch,
            Error::TokenMissing { .. } => Code::TokenMissing,
            Error::PayloadUndecryptable { .. } => Code::PayloadUndecryptable,
            Error::SubjectChanged { .. } => Code::SubjectChanged,
            Error::Event { .. } => Code::Malformed,
            Error::KeyNameUnknown { .. } => Code::KeyUnknown,
            Error::KeyRevoked { .. } => Code::KeyRevoked,
            Error::SignedNotAccepted { .. } => Code::SignedNotAccepted,
            Error::UnsignedRejected { .. } => Code::UnsignedRejected,
            Error::DuplicateEvent { .. } => Code::DuplicateEvent,
            Error::AudienceMismatch { .. } => Code::AudienceMismatch,
            Error::HeaderConflict { .. } => Code::HeaderConflict,
            Error::HeaderInvalid { .. } => Code::Malformed,
            Error::JkuNotAllowed { .. } => Code::JkuNotAllowed,
            Error::IssuedAtEdge { .. } => Code::NotYetValid,
            Error::KeyUnavailable { .. } => Code::KeyUnavailable,
            Error::KeyRefused { .. }
            | Error::Config { .. }
            | Error::PatternRefused { .. }
            | Error::AllowlistRefused { .. } => Code::Config,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for c in Code::VERDICTS {
            assert_eq!(Code::parse(c.as_str()), Some(c));
        }
        assert_eq!(Code::parse("config"), None);
        assert_eq!(Code::parse("acept"), None);
    }

    #[test]
    fn messages_carry_the_deciding_values() {
        let e = Error::Expired {
            exp: 1767225539.0,
            skew: 60,
            now: 1767225600,
        };
        assert_eq!(
            e.to_string(),
            "expired: exp 1767225539 + skew 60 <= now 1767225600"
        );
        assert_eq!(e.code(), Code::Expired);
    }

    /// One value of every variant, with the values that decide it. The match below has
    /// no wildcard: a new variant does not compile until it is listed here too.
    fn every_variant() -> Vec<Error> {
        let s = String::from;
        let all = vec![
            Error::TooLarge {
                len: 16385,
                max: 16384,
            },
            Error::Segments { count: 2 },
            Error::EmptySegment {
                segment: Segment::Signature,
            },
            Error::Base64 {
                segment: Segment::Header,
                detail: s("trailing bits set"),
            },
            Error::Json {
                segment: Segment::Payload,
                detail: s("duplicate name \"exp\""),
            },
            Error::HeaderParam {
                param: "typ",
                detail: s("\"JWE\" is not JWT"),
            },
            Error::Critical {
                crit: s("[\"b64\"]"),
                detail: s("b64 is not implemented"),
            },
            Error::AlgNotAllowed {
                alg: s("none"),
                allowed: s("RS256"),
            },
            Error::KeyUnknown {
                alg: s("RS256"),
                kid: s("\"rsa-2048-z\""),
            },
            Error::BadSignature {
                alg: s("ES256"),
                detail: s("signature does not verify"),
                candidates: 2,
            },
            Error::ClaimMissing { claim: "exp" },
            Error::ClaimInvalid {
                claim: s("nbf"),
                detail: s("a string, not a NumericDate"),
            },
            Error::Expired {
                exp: 1767225539.0,
                skew: 60,
                now: 1767225600,
            },
            Error::NotYetValid {
                claim: "nbf",
                value: 1767225661.5,
                skew: 60,
                now: 1767225600,
            },
            Error::IssuerMismatch {
                expected: s("pomerium-proxy"),
                got: s("evil-proxy"),
            },
            Error::TokenMissing {
                detail: s("no X-Pomerium-Jwt-Assertion header"),
            },
            Error::PayloadUndecryptable {
                claim: "user_payload",
                detail: s("OAEP padding check failed"),
            },
            Error::SubjectChanged {
                pinned: s("L12345"),
                got: s("L99999"),
            },
            Error::Event {
                field: "signingKeyName",
                detail: s("a jwt without a signingKeyName"),
            },
            Error::KeyNameUnknown {
                name: s("pendo-9"),
                active: s("pendo-1, pendo-2"),
            },
            Error::KeyRevoked { name: s("pendo-3") },
            Error::SignedNotAccepted { mode: "disabled" },
            Error::UnsignedRejected {
                mode: "only_signed",
            },
            Error::DuplicateEvent { id: s("evt-1") },
            Error::AudienceMismatch {
                expected: s("httpbin.corp.example.com"),
                got: s("[\"other.example\"]"),
            },
            Error::HeaderConflict {
                header: s("X-Pomerium-Jwt-Assertion"),
                count: 2,
                detail: s("sent twice"),
            },
            Error::HeaderInvalid {
                name: s("X-Bad Name"),
                detail: s("a space is not a token character"),
            },
            Error::JkuNotAllowed {
                jku: s("http://pubkeys.coyocloud.example/jwks"),
                reason: s("not https"),
            },
            Error::IssuedAtEdge {
                iat: 1767225660.0,
                skew: 60,
                now: 1767225600,
            },
            Error::KeyUnavailable {
                url: s("https://pubkeys.coyocloud.example/jwks"),
                reason: s("HTTP 404"),
            },
            Error::PatternRefused {
                pattern: s("some\\.site"),
                reason: s("not anchored with ^ and $"),
            },
            Error::AllowlistRefused {
                entry: s("https://a.example/path"),
                reason: s("a path is not an origin"),
            },
            Error::KeyRefused {
                key: s("rsa-1024-a"),
                reason: s("RSA modulus of 1024 bits < 2048"),
            },
            Error::Config {
                detail: s("skew -1 is negative"),
            },
        ];
        for e in &all {
            match e {
                Error::TooLarge { .. }
                | Error::Segments { .. }
                | Error::EmptySegment { .. }
                | Error::Base64 { .. }
                | Error::Json { .. }
                | Error::HeaderParam { .. }
                | Error::Critical { .. }
                | Error::AlgNotAllowed { .. }
                | Error::KeyUnknown { .. }
                | Error::BadSignature { .. }
                | Error::ClaimMissing { .. }
                | Error::ClaimInvalid { .. }
                | Error::Expired { .. }
                | Error::NotYetValid { .. }
                | Error::IssuerMismatch { .. }
                | Error::TokenMissing { .. }
                | Error::PayloadUndecryptable { .. }
                | Error::SubjectChanged { .. }
                | Error::Event { .. }
                | Error::KeyNameUnknown { .. }
                | Error::KeyRevoked { .. }
                | Error::SignedNotAccepted { .. }
                | Error::UnsignedRejected { .. }
                | Error::DuplicateEvent { .. }
                | Error::AudienceMismatch { .. }
                | Error::HeaderConflict { .. }
                | Error::HeaderInvalid { .. }
                | Error::JkuNotAllowed { .. }
                | Error::IssuedAtEdge { .. }
                | Error::KeyUnavailable { .. }
                | Error::PatternRefused { .. }
                | Error::AllowlistRefused { .. }
                | Error::KeyRefused { .. }
                | Error::Config { .. } => {}
            }
        }
        all
    }

    /// Snapshot `error_display`: every variant's `Display` and code, one line each, headed
    /// by the variant's name (src/snapshots/; review with `cargo insta review`).
    #[test]
    fn error_display() {
        let all = every_variant();
        let mut names: Vec<String> = all
            .iter()
            .map(|e| {
                format!("{e:?}")
                    .split([' ', '{'])
                    .next()
                    .unwrap_or("")
                    .to_owned()
            })
            .collect();
        let lines: Vec<String> = all
            .iter()
            .zip(&names)
            .map(|(e, name)| format!("{name:<21} {:<22} {e}", e.code().as_str()))
            .collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len(), "one value per variant: {names:?}");
        insta::assert_snapshot!("error_display", lines.join("\n"));
    }
}
