//! The pendo rules: HS256 signed metadata events, as Pendo's "Snippet Installation using
//! Signed Metadata with JWT" describes them, each with the sentences it rests on.

use super::{Rule, Source};

const DOC: &str = "Pendo, \"Snippet Installation using Signed Metadata with JWT\"";

/// A sentence that a verifier rule and its signer rule both rest on.
const SAID_JSON_OBJECT: Source = Source {
    document: DOC,
    quote: "The JSON object passed to initialize must have both jwt and \
            signingKeyName properties.",
};

/// A sentence that a verifier rule and its signer rule both rest on.
const SAID_SECRET_KEY: Source = Source {
    document: DOC,
    quote: "'JWT-SECRET-KEY' // Generate this key below",
};

/// A sentence that a verifier rule and its signer rule both rest on.
const SAID_NONCE: Source = Source {
    document: DOC,
    quote: "A \"nonce\" property must be included in the claims.",
};

/// A sentence that a verifier rule and its signer rule both rest on.
const SAID_NONCE_VALUE: Source = Source {
    document: DOC,
    quote: "The value is not explicitly validated, but a value is required.",
};

/// A sentence that a verifier rule and its signer rule both rest on.
const SAID_VISITOR_ID_STRING: Source = Source {
    document: DOC,
    quote: "Required if user is logged in, must be a string",
};

/// A sentence that a verifier rule and its signer rule both rest on.
const SAID_ANONYMOUS_VISITOR: Source = Source {
    document: DOC,
    quote: "Anonymous visitors are automatically assigned a random string as a \
            visitor ID when pendo.initialize() is called without metadata assigned \
            to the visitor ID.",
};

/// A sentence that a verifier rule and its signer rule both rest on.
const SAID_KEY_ROTATION: Source = Source {
    document: DOC,
    quote: "Once the new key is properly inserted, the previous key should be \
            revoked.",
};

/// The pendo rules, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "pendo.alg",
        summary: "HS256 only",
        text: "HS256 only: HS384 and HS512 by the named key's secret, RS256, `none` with the \
               genuine signature kept (in any case) and a lowercase `hs256` reject \
               `alg_not_allowed`. An unsecured token (an empty signature segment) is \
               `malformed` (core.segments).",
        source: &[Source {
            document: DOC,
            quote: "The HMAC SHA-256 algorithm should be used when signing the JWT. If the JWT \
                    is not signed with this algorithm, Pendo will not be able to verify the \
                    signature and the events will not be processed.",
        }],
    },
    Rule {
        id: "pendo.key-name",
        summary: "`signingKeyName` selects an active key",
        text: "An event (`{\"id\", \"jwt\"?, \"signingKeyName\"?, \"metadata\"?}`) carries `jwt` \
               and `signingKeyName` together: `jwt` without `signingKeyName` or the reverse, \
               and a `jwt` or `signingKeyName` that is not a string, reject `malformed`. The \
               name alone selects the key, compared exactly: a name that is no key of the \
               subscription rejects `key_unknown`, a revoked one `key_revoked`; a header `kid` \
               is not looked at. A token signed by another *active* key than the one named is \
               `either` (both keys are trusted); the reference verifies with the named key \
               only and rejects `bad_signature`. The HMAC key is the UTF-8 bytes of the secret \
               as shown (`JWT.sign(…, 'JWT-SECRET-KEY')`), never its base64 decoding: a token \
               keyed with the decoded secret rejects `bad_signature`.",
        source: &[SAID_JSON_OBJECT, SAID_SECRET_KEY],
    },
    Rule {
        id: "pendo.key-limit",
        summary: "at most five active keys; revocation permanent",
        text: "At most five keys are active. A sixth active key, a name that was ever revoked \
               (re-activation), a duplicate name, a secret under 32 bytes (RFC 7518 §3.2) and a \
               key that is not `kty: oct` are configuration errors that name the key, never \
               verdicts: the other keys stay usable, and a token naming a refused key rejects \
               `key_unknown` (a revoked one `key_revoked`). Each step's context is the \
               subscription's configuration at that step: its `keys` are the active keys, in \
               order, and the revoked names accumulate over the session, so a later context \
               that lists a revoked key again, or forgets the revocation, does not bring it \
               back.",
        source: &[
            Source {
                document: DOC,
                quote: "You can create up to five keys.",
            },
            Source {
                document: DOC,
                quote: "To revoke a key, click the Revoke Key icon when hovering over the key, \
                        then accept the confirmation to revoke the key permanently. This cannot \
                        be undone.",
            },
        ],
    },
    Rule {
        id: "pendo.nonce",
        summary: "a top-level `nonce` is required",
        text: "A top-level `nonce` is required: missing, `null`, or present only inside \
               `visitor` or `account` rejects `claim_missing` (the message says when it was \
               found nested). A non-string nonce is `either` and the reference rejects it \
               `claim_invalid`. The empty string is `either` and the reference accepts it: \"a \
               value is required\" is met by a present string, and \"not explicitly \
               validated\" forbids judging it.",
        source: &[SAID_NONCE, SAID_NONCE_VALUE],
    },
    Rule {
        id: "pendo.visitor",
        summary: "`visitor.id` a string when present; none is anonymous",
        text: "`visitor` and `account` are objects when present (`claim_invalid` otherwise). \
               `visitor.id` must be a string when present: a number, array, object or boolean \
               rejects `claim_invalid`; `null` and `\"\"` are `either` (anonymous or invalid) \
               and the reference rejects them `claim_invalid`. No `visitor`, or a `visitor` \
               without `id`, is an anonymous visitor and accepts, reported `anonymous: true`. \
               `account.id` has no type in the seed; it is reported as `account_id`, so the \
               reference requires a non-empty string (a number is `either`, rejected \
               `claim_invalid`). Plain, unsigned metadata follows the same rules. An accept \
               outputs exactly `{\"visitor_id\"?, \"account_id\"?, \"anonymous\", \"signed\"}`.",
        source: &[SAID_VISITOR_ID_STRING, SAID_ANONYMOUS_VISITOR],
    },
    Rule {
        id: "pendo.identity",
        summary: "identity from the verified JWT only",
        text: "With a verified `jwt`, identity comes from the JWT only: plain `visitor` / \
               `account` metadata sent beside it never changes the output (an anonymous JWT \
               stays anonymous), and a `jwt` that fails verification rejects; it is never read \
               as the plain metadata beside it. The output says `signed: true` when identity \
               comes from a verified JWT and `signed: false` for plain metadata.",
        source: &[Source {
            document: DOC,
            quote: "When using signed metadata in conjunction with the snippet installation, \
                    metadata passed to the Pendo agent must be contained in a signed token used \
                    to verify the integrity of the claims contained within it.",
        }],
    },
    Rule {
        id: "pendo.no-jti",
        summary: "`jti` ignored; the same token accepted again",
        text: "`jti` is not supported: it is never looked at, and the same token in a new \
               event is accepted again. Duplicate events are dropped by event id, not by token \
               (pendo.dedupe).",
        source: &[Source {
            document: DOC,
            quote: "Signed metadata using JWT does not support the “jti” claim, commonly known \
                    as a way to prevent replay attacks.",
        }],
    },
    Rule {
        id: "pendo.exp",
        summary: "no `exp` required; time claims `either`",
        text: "No `exp` is required, and a long-lived token with an old `iat` and no `exp` \
               accepts. A past `exp` (exactly now included), a future `nbf`, and a malformed \
               `exp` or `nbf` are `either`: the documentation says both that a token stays \
               valid as long as its signature is and that it does nothing once expired. The \
               reference takes the strict side and honours present time claims with skew 0 \
               (`expired`, `not_yet_valid`, `claim_invalid`).",
        source: &[
            Source {
                document: DOC,
                quote: "A signed metadata JWT will remain valid as long as the signature is \
                        valid.",
            },
            Source {
                document: DOC,
                quote: "The token doesn't do anything after it's expired.",
            },
        ],
    },
    Rule {
        id: "pendo.mode",
        summary: "disabled / allow / only_signed",
        text: "The context's `mode` is the subscription's setting. `disabled`: an event with \
               any `jwt` member (a garbage or non-string one included) rejects \
               `signed_not_accepted` before anything else looks at it; plain metadata accepts. \
               `allow`: signed and plain events both accept, but a JWT that fails verification \
               (or is malformed) rejects and never falls back to the plain metadata beside it. \
               `only_signed`: an event without a `jwt` rejects `unsigned_rejected`. A later \
               step's context may switch the mode (the documented rollout: allow, then only \
               signed).",
        source: &[
            Source {
                document: DOC,
                quote: "If “Use signed metadata” is enabled, then we will accept either \
                        metadata with or without JWT.",
            },
            Source {
                document: DOC,
                quote: "If “Only allow signed metadata” is enabled, we will only process events \
                        that have a verified signed JWT.",
            },
            Source {
                document: DOC,
                quote: "If “Use signed metadata” is disabled, we will not accept events with \
                        JWT.",
            },
        ],
    },
    Rule {
        id: "pendo.rotation",
        summary: "scenario: old and new keys, then revocation",
        text: "Scenario: before revocation the old and the new key both verify; after it, the \
               old one rejects `key_revoked`, and listing it again in a later context does not \
               undo the revocation. A key revoked before the snippet signs with the new one \
               rejects its events until the new key is used.",
        source: &[
            SAID_KEY_ROTATION,
            Source {
                document: DOC,
                quote: "Warning: If an active key is revoked before the snippet is updated with \
                        the new key, data will not be processed until the JWT sent to Pendo is \
                        signed with the new key.",
            },
        ],
    },
    Rule {
        id: "pendo.dedupe",
        summary: "scenario: duplicate event ids dropped",
        text: "Scenario: the same event id delivered twice, signed or plain: the second is \
               dropped `duplicate_event`. Dedupe is by event id within the session. An event \
               is checked first and only an *accepted* event enters the seen-set, so a \
               rejected forgery (or an event rejected for its claims) carrying a real event's \
               id does not block the real one. Because dedupe needs it, `event.id` must be a \
               non-empty string (`malformed` otherwise).",
        source: &[Source {
            document: DOC,
            quote: "Pendo will drop any duplicate events it receives, preventing malicious users \
                    from replaying the same event over and over.",
        }],
    },
    Rule {
        id: "pendo.mint-alg",
        summary: "signer: the JWT's `alg` is exactly HS256",
        text: "Signer role (profile `pendo-signer`, what the app passes to \
               pendo.initialize()): the JWT's header `alg` is exactly `HS256` (\"If the JWT is \
               not signed with this algorithm, Pendo will not be able to verify the signature \
               and the events will not be processed\"). HS384, HS512, `hs256` or no `alg` fail.",
        source: &[Source {
            document: DOC,
            quote: "The HMAC SHA-256 algorithm should be used when signing the JWT. If the JWT \
                    is not signed with this algorithm, Pendo will not be able to verify the \
                    signature and the events will not be processed.",
        }],
    },
    Rule {
        id: "pendo.mint-key",
        summary: "signer: `jwt` + `signingKeyName` of the active key, secret as shown",
        text: "Signer role: the options carry both `jwt` and `signingKeyName` (strings); the \
               name is the active key's (the context's `active`), and the HMAC key is that \
               secret's UTF-8 bytes as shown (`JWT.sign(…, 'JWT-SECRET-KEY')`). The test \
               secrets are valid base64 text, so a signer that base64-decodes the secret is \
               caught (the message says so). After a rotation (a scenario step whose \
               configuration makes a new key active and revokes the old one) the next mint \
               uses the new key and its name.",
        source: &[SAID_JSON_OBJECT, SAID_SECRET_KEY, SAID_KEY_ROTATION],
    },
    Rule {
        id: "pendo.mint-nonce",
        summary: "signer: a top-level, non-empty nonce, new in every mint",
        text: "Signer role: a top-level `nonce` (a sibling of `visitor`/`account`), a \
               non-empty string, different in every mint: the same request minted again gets a \
               new nonce, and no two mints of a case share one (\"randomly generated … It \
               should be different every time it is used\"). A nonce that is only digits and \
               grows by small steps from mint to mint (a counter, a timestamp: by 1 to \
               1,000,000) is `either`. Across a run: no two mints of a run share one, so a \
               mint that repeats a nonce of an earlier case of the run fails too, naming the \
               nonce and that case.",
        source: &[SAID_NONCE, SAID_NONCE_VALUE],
    },
    Rule {
        id: "pendo.mint-visitor",
        summary: "signer: the request's visitor and account in the JWT, ids as strings",
        text: "Signer role: every member of the request's `visitor` and `account` is in the \
               JWT; `visitor.id` is a string equal to the app's user id, an integer id sent \
               as its decimal string (\"must be a string\"); an anonymous visitor (a request \
               without `visitor.id`, or with `null`) is still signed and has no `visitor.id` \
               at all (`visitor` absent or without `id`; not `\"\"`, not `null`); \
               `account.id`, when the app has one, is a string (an integer as its decimal \
               string).",
        source: &[SAID_VISITOR_ID_STRING, SAID_ANONYMOUS_VISITOR],
    },
    Rule {
        id: "pendo.mint-metadata",
        summary: "signer: no plain metadata beside the JWT",
        text: "Signer role: no plain metadata beside the JWT: the options carry no `visitor`, \
               `account` or `metadata` next to `jwt` (\"the JWT and the key ID are sent to the \
               Pendo agent instead of sending the metadata as a raw JSON body\").",
        source: &[Source {
            document: DOC,
            quote: "When using signed metadata in conjunction with the snippet installation, \
                    metadata passed to the Pendo agent must be contained in a signed token used \
                    to verify the integrity of the claims contained within it.",
        }],
    },
    Rule {
        id: "pendo.mint-verifies",
        summary: "signer: Pendo's verifier accepts the event, identity as requested",
        text: "Signer role: the event built from the options (`{\"id\", \"jwt\", \
               \"signingKeyName\"}`) is accepted by the reference verifier (profile `pendo`) \
               in `only_signed` mode with the subscription's keys and revocations, and the \
               identity it reports (`visitor_id`, `account_id`, anonymous) is the request's. \
               Where the verifier rejects only on a point its own rules mark `either` \
               (`visitor.id: \"\"`, a past `exp`), the mint is `either`, not failed. A signer \
               that refuses a valid request fails this rule.",
        source: &[Source {
            document: DOC,
            quote: "If “Only allow signed metadata” is enabled, we will only process events \
                    that have a verified signed JWT.",
        }],
    },
];
