//! The stable error codes a reject carries, each with its meaning, and their precedence
//! when several things are wrong (rule core.order, and where each profile adds its own).

/// One error code.
#[derive(Clone, Copy, Debug)]
pub struct ErrorCode {
    /// The code, as vectors and the protocol carry it.
    pub code: &'static str,
    /// What it means.
    pub meaning: &'static str,
}

/// Every error code, in the order of `Code::VERDICTS`. Add one only when none of these
/// says it.
pub const CODES: &[ErrorCode] = &[
    ErrorCode {
        code: "malformed",
        meaning: "The token, a header parameter (`typ`, `cty`, `crit`, `b64`, `kid`, a COYO \
                  `jku`), a Pendo event or a request header is not well formed: its structure, \
                  base64url or JSON.",
    },
    ErrorCode {
        code: "too_large",
        meaning: "The token, or the header value that carries it, is over the size bound \
                  (default 16 KiB); nothing was decoded.",
    },
    ErrorCode {
        code: "alg_not_allowed",
        meaning: "`alg` is not the profile's algorithm: missing, `none`, another algorithm or \
                  another spelling.",
    },
    ErrorCode {
        code: "bad_signature",
        meaning: "No candidate key verifies the signature or MAC.",
    },
    ErrorCode {
        code: "key_unknown",
        meaning: "No trusted key is a candidate: the `kid` (Pendo: the `signingKeyName`) names \
                  none, or every key that could apply was refused when loaded.",
    },
    ErrorCode {
        code: "key_revoked",
        meaning: "Pendo: the named key was revoked.",
    },
    ErrorCode {
        code: "key_unavailable",
        meaning: "A key set could not be fetched (COYO's `jku`, Pomerium's JWKS): an HTTP \
                  error, a time-out, an oversize or unreadable body, not a JWK Set.",
    },
    ErrorCode {
        code: "jku_not_allowed",
        meaning: "COYO: the `jku` is not an allowlisted https origin written canonically; \
                  nothing was fetched.",
    },
    ErrorCode {
        code: "claim_missing",
        meaning: "A required claim is absent or `null`.",
    },
    ErrorCode {
        code: "claim_invalid",
        meaning: "A claim has the wrong type or a forbidden value.",
    },
    ErrorCode {
        code: "expired",
        meaning: "`exp` has passed, with the profile's skew.",
    },
    ErrorCode {
        code: "not_yet_valid",
        meaning: "`nbf`, or an `iat` the profile checks, is still in the future, with the \
                  profile's skew.",
    },
    ErrorCode {
        code: "audience_mismatch",
        meaning: "Pomerium: `aud` does not name the configured audience.",
    },
    ErrorCode {
        code: "issuer_mismatch",
        meaning: "`iss` is not the configured issuer (Pomerium; Watson when an issuer is \
                  configured).",
    },
    ErrorCode {
        code: "token_missing",
        meaning: "No token where one is required: a Watson message without one, a request \
                  without Pomerium's assertion header.",
    },
    ErrorCode {
        code: "header_conflict",
        meaning: "Pomerium: more than one assertion in one request.",
    },
    ErrorCode {
        code: "signed_not_accepted",
        meaning: "Pendo, mode `disabled`: the event carries a `jwt`.",
    },
    ErrorCode {
        code: "unsigned_rejected",
        meaning: "Pendo, mode `only_signed`: the event carries no `jwt`.",
    },
    ErrorCode {
        code: "payload_undecryptable",
        meaning: "Watson: `user_payload` does not decrypt to a JSON object.",
    },
    ErrorCode {
        code: "subject_changed",
        meaning: "Watson: the token's `sub` is not the one the session pinned.",
    },
    ErrorCode {
        code: "duplicate_event",
        meaning: "Pendo: an event of this id was already accepted in the session.",
    },
];

/// The precedence of core.order, first tier first: when several things are wrong, the
/// code of the earliest tier is the one a reject carries. The claim codes come last, in
/// the order each profile checks its claims.
pub const PRECEDENCE: &[&[&str]] = &[
    &["too_large"],
    &["malformed"],
    &["alg_not_allowed"],
    &[
        "key_unknown",
        "key_revoked",
        "key_unavailable",
        "jku_not_allowed",
    ],
    &["bad_signature"],
    &[
        "claim_missing",
        "claim_invalid",
        "expired",
        "not_yet_valid",
        "audience_mismatch",
        "issuer_mismatch",
        "payload_undecryptable",
    ],
];

/// Where each profile's own codes stand around that order, and its one exception.
pub const PRECEDENCE_BY_PROFILE: &[(&str, &str)] = &[
    (
        "pendo",
        "a malformed `event.id` › `signed_not_accepted` (mode `disabled`: before the `jwt` is \
         looked at) › `malformed` (`jwt` without `signingKeyName` or the reverse) or \
         `unsigned_rejected` (mode `only_signed`) › the token, in the order above (`nonce`, \
         then the time claims, then `visitor`/`account`) › `duplicate_event` (last: only \
         accepted events are remembered).",
    ),
    (
        "watson",
        "`token_missing` › the token, in the order above (`iss`, `sub`, the time claims, \
         `user_payload`) › `subject_changed` (last: only accepted tokens pin).",
    ),
    (
        "pomerium",
        "`too_large` › `malformed` (any ill-formed request header) › `token_missing` › \
         `header_conflict` › the token, in the order above (`iss`, `aud`, the time claims, \
         the identity). The one exception to the order: with a JWKS source, the unverified \
         `iss` is compared before anything is fetched, so `issuer_mismatch` comes before \
         `key_*` and `bad_signature` (pomerium.jwks).",
    ),
];
