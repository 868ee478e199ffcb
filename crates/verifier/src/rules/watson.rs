//! The watson rules: the RS256 identity token of IBM Watson Assistant's web chat and its
//! RSA-OAEP `user_payload`, each with the sentences of IBM's documentation it rests on.

use super::{Rule, Source};

const DOC: &str = "IBM Cloud Docs, \"Securing the web chat\" (Watson Assistant)";

/// A sentence that a verifier rule and its signer rule both rest on.
const SAID_RS256: Source = Source {
    document: DOC,
    quote: "The web chat uses an RSA signature with SHA-256 (RS256) to encrypt \
            communication.",
};

/// A sentence that a verifier rule and its signer rule both rest on.
const SAID_REQUIRED_CLAIMS: Source = Source {
    document: DOC,
    quote: "The JWT payload must specify values for the following claims:",
};

/// A sentence that a verifier rule and its signer rule both rest on.
const SAID_ISS: Source = Source {
    document: DOC,
    quote: "iss: Represents the issuer of the JWT. This value is a case-sensitive \
            string.",
};

/// A sentence that a verifier rule and its signer rule both rest on.
const SAID_SUB_USER_ID: Source = Source {
    document: DOC,
    quote: "The value you specify for sub is used as the user_id.",
};

/// A sentence that a verifier rule and its signer rule both rest on.
const SAID_SUB_HEADER_SYNTAX: Source = Source {
    document: DOC,
    quote: "Because the ID is sent in a header field, the syntax must meet the \
            requirements for header fields as defined in RFC 7230 (all visible \
            ASCII characters).",
};

/// A sentence that a verifier rule and its signer rule both rest on.
const SAID_PAYLOAD_ENCRYPTED: Source = Source {
    document: DOC,
    quote: "If a payload is provided, its content is encrypted and signed with the \
            IBM public key.",
};

/// A sentence that a verifier rule and its signer rule both rest on.
const SAID_PAYLOAD_CODE: Source = Source {
    document: DOC,
    quote: "payload.user_payload = rsaKey.encrypt(userPayload, 'base64');",
};

/// A sentence that a verifier rule and its signer rule both rest on.
const SAID_PAYLOAD_DECRYPTED: Source = Source {
    document: DOC,
    quote: "The encrypted user payload is decrypted and then saved to the \
            context.integrations.chat.private.user_payload object.",
};

/// The watson rules, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "watson.alg",
        summary: "RS256 only",
        text: "RS256 only: RS384, RS512 and PS256 by the customer's key, ES256, HS256 keyed \
               with the customer's public key PEM, and `none` reject `alg_not_allowed`. Keys \
               are the customer's RSA public keys, as JWKs or as the pasted PEM text; a \
               configured key that is not RSA (EC, an HMAC secret) is refused as a \
               configuration error that names it, so a token then has no key (`key_unknown`).",
        source: &[
            SAID_RS256,
            Source {
                document: DOC,
                quote: "Add your public key to the Your public key field.",
            },
        ],
    },
    Rule {
        id: "watson.token",
        summary: "no token rejects `token_missing`",
        text: "With security on, every message carries a token (input `{\"token\"?}`): an \
               absent or `null` token, and the empty string (which the web chat's \
               `identityToken` treats as no token), reject `token_missing`. A token with an \
               HTTP `Bearer ` prefix is `malformed`.",
        source: &[Source {
            document: DOC,
            quote: "To prove that a message is coming from your website, each message that is \
                    submitted from your web chat implementation must include the JSON Web Token \
                    (JWT) that you created earlier.",
        }],
    },
    Rule {
        id: "watson.iss",
        summary: "`iss` required, compared when configured",
        text: "`iss` is required (`claim_missing` when absent or `null`) and a string \
               (`claim_invalid`). The documentation configures no issuer, only a public key, \
               so any string accepts; when the context names an `issuer` (a project \
               decision), `iss` must equal it exactly and case-sensitively \
               (`issuer_mismatch`). The documentation's own \"Passing sensitive data\" sample \
               builds a payload without `iss`; the claim list wins, and such a token rejects \
               `claim_missing`.",
        source: &[SAID_REQUIRED_CLAIMS, SAID_ISS],
    },
    Rule {
        id: "watson.sub",
        summary: "`sub` visible ASCII, the user id",
        text: "`sub` is required (`claim_missing` when absent or `null`) and becomes the user \
               id, which is also sent as the `customer_id` of the `X-Watson-Metadata` header, \
               so it is a non-empty string of visible ASCII (0x21–0x7E, RFC 7230's VCHAR): a \
               number, the empty string, a space, a tab, CR LF, NUL, DEL and non-ASCII \
               characters reject `claim_invalid` (the message names the character and its \
               byte offset). `;` and `=` are `either` (IBM's customer_id rules forbid them; \
               this page does not) and the reference rejects them `claim_invalid`. An accept \
               outputs `{\"user_id\", \"user_payload\"?}`.",
        source: &[SAID_SUB_USER_ID, SAID_SUB_HEADER_SYNTAX],
    },
    Rule {
        id: "watson.exp",
        summary: "`exp` required, exp == now rejects",
        text: "`exp` is required (`claim_missing`) and a JSON number (`claim_invalid`); the \
               token is accepted while now < exp + skew, so an `exp` equal to now rejects \
               `expired`. The context's `skew` defaults to 0 (a negative skew is a \
               configuration error); `nbf` is honoured with the same skew; `iat` is not \
               checked. After the signature the claims are checked in this order: `iss`, \
               `sub`, the time claims, `user_payload`, then the session's pin.",
        source: &[
            Source {
                document: DOC,
                quote: "exp: Represents the expiration time on or after which the JWT cannot be \
                        accepted for processing.",
            },
            Source {
                document: DOC,
                quote: "Set a short-lived exp claim with whatever library you use.",
            },
        ],
    },
    Rule {
        id: "watson.user-payload",
        summary: "RSA-OAEP `user_payload` as node-rsa makes it",
        text: "An optional `user_payload` is a string (`claim_invalid` otherwise): exactly \
               node-rsa's `encrypt(text, 'base64')` under the service's public key with its \
               default scheme — RSA-OAEP with SHA-1, MGF1-SHA-1 and an empty label; the UTF-8 \
               text cut into n = ceil(len / (k − 42)) chunks of ceil(len / n) bytes, the last \
               one shorter (601 bytes under a 2048-bit key: 201 + 201 + 199); each chunk one \
               k-byte block; the blocks concatenated and written in standard base64 with \
               padding. The decrypted blocks are joined before UTF-8 is decoded (a character \
               may straddle two blocks), and the decrypted JSON object is the output's \
               `user_payload`.\n\n\
               A length that is not a whole number (at least 1) of k-byte blocks, a block that \
               fails OAEP (another key, PKCS#1 v1.5, OAEP with SHA-256, corruption, swapped \
               blocks), text that is not base64, and plaintext that is not UTF-8 or not strict \
               JSON (core.json) reject `payload_undecryptable`, naming what failed but never \
               which OAEP check did. JSON that is not an object, and unpadded or base64url \
               text, are `either`; the reference rejects them `payload_undecryptable`. \
               Without a decryption key in the context the token accepts and the ciphertext \
               passes through untouched, even if it is not base64. The `decryption_key` is a \
               private RSA JWK of 2048 bits or more; one that is not RSA, has no private part \
               or is inconsistent is a configuration error, and the reference answers `error` \
               rather than pretend no key was configured.",
        source: &[
            SAID_PAYLOAD_ENCRYPTED,
            SAID_PAYLOAD_CODE,
            SAID_PAYLOAD_DECRYPTED,
        ],
    },
    Rule {
        id: "watson.sub-pinning",
        summary: "scenario: a session pins its `sub`",
        text: "Scenario: within one session the first *accepted* token pins its `sub`; a \
               rejected token (expired, forged) never pins. A later token with another `sub`, \
               a refreshed one included, rejects `subject_changed`, checked after every other \
               check (an expired token for another user is `expired`).",
        source: &[Source {
            document: DOC,
            quote: "After you set the value of the sub claim to be the user's userID, you cannot \
                    change the claim to another user.",
        }],
    },
    Rule {
        id: "watson.refresh",
        summary: "scenario: expired token replaced",
        text: "Scenario: an expired token rejects `expired`; its replacement (the \
               `identityTokenExpired` handler's) with the same `sub` accepts and the session \
               goes on. A session may also start with no token (`token_missing`) until the \
               handler provides one (web chat 3.2.0 and later).",
        source: &[
            Source {
                document: DOC,
                quote: "The event has a callback you can use to update the token and to process \
                        any messages that were queued for processing during the time the token \
                        was expired.",
            },
            Source {
                document: DOC,
                quote: "The event is fired when the web chat is first opened, and if a token \
                        wasn't provided, it obtains one from your handler at that time.",
            },
        ],
    },
    Rule {
        id: "watson.mint-alg",
        summary: "signer: RS256 by the configured key; a key under 2048 bits refused",
        text: "Signer role (profile `watson-signer`, the customer's `mockLogin`): `alg` \
               RS256, signed by the configured key (the signature verifies with its public \
               half); a configured key under 2048 bits is refused, not used (RFC 7518 §3.3; \
               the vendor document's `openssl genrsa … 2048`): the refusal's code is \
               `key_unknown` (no usable key).",
        source: &[
            SAID_RS256,
            Source {
                document: "RFC 7518 §3.3 \"JSON Web Algorithms (JWA)\"",
                quote: "A key of size 2048 bits or larger MUST be used with these algorithms.",
            },
        ],
    },
    Rule {
        id: "watson.mint-iss",
        summary: "signer: `iss` present, the configured issuer",
        text: "Signer role: `iss` present and equal to the configured `issuer` (the vendor \
               document's claim list requires it, though its own \"Passing sensitive data\" \
               sample omits it).",
        source: &[SAID_REQUIRED_CLAIMS, SAID_ISS],
    },
    Rule {
        id: "watson.mint-sub",
        summary: "signer: `sub` the user id; an id that cannot be one refused",
        text: "Signer role: `sub` equals the requested user id (an integer id sent as its \
               decimal string). An id that is not a non-empty string of visible ASCII (space, \
               tab, control, non-ASCII) must not be minted: the signer refuses \
               (`claim_invalid`), because the id travels in the `X-Watson-Metadata` header. \
               `;` and `=` are `either` (minted or refused).",
        source: &[SAID_SUB_USER_ID, SAID_SUB_HEADER_SYNTAX],
    },
    Rule {
        id: "watson.mint-exp",
        summary: "signer: a short-lived `exp`; `iat` not in the future",
        text: "Signer role: `exp` present; its lifetime, `exp` − now at the clock of the \
               case, is over 0 and short (\"Set a short-lived exp claim\"): up to 1 h passes, \
               over 1 h up to 24 h is `either`, more fails. `iat`, when present, is not after \
               now (5 s of slack when graded against the wall clock).",
        source: &[Source {
            document: DOC,
            quote: "Set a short-lived exp claim with whatever library you use.",
        }],
    },
    Rule {
        id: "watson.mint-user-payload",
        summary: "signer: `user_payload` encrypted to IBM's key as node-rsa does",
        text: "Signer role: when the app passes a payload (any JSON value but `null`; `{}` \
               counts, as the vendor code's `if (userPayload)` does), `user_payload` is a \
               string that decrypts with IBM's private key — RSA-OAEP (SHA-1, MGF1-SHA-1) \
               blocks of the modulus length k, each carrying at most k − 42 bytes, \
               concatenated, standard base64 — to JSON equal to the app's payload; this must \
               hold for multi-block payloads and a multibyte character on a block boundary. \
               node-rsa's equal chunking is what the vendor's code makes; any other split that \
               decrypts and joins to the same bytes is `either`, and base64url text is \
               `either`. A payload in clear, or only base64-encoded, fails with severity \
               critical. No payload passed: no `user_payload` claim.",
        source: &[SAID_PAYLOAD_ENCRYPTED, SAID_PAYLOAD_CODE],
    },
    Rule {
        id: "watson.mint-verifies",
        summary: "signer: IBM's verifier accepts the token, identity as requested",
        text: "Signer role: the token is accepted by the reference verifier (profile \
               `watson`) with the customer's public key, the configured issuer and IBM's \
               decryption key, and reports the requested user id and payload. Where it \
               rejects only on a point its own rules mark `either` (`;` or `=` in `sub`, a \
               payload that is not a JSON object), the mint is `either`, not failed. A signer \
               that refuses a valid request fails this rule.",
        source: &[
            Source {
                document: DOC,
                quote: "To prove that a message is coming from your website, each message that \
                        is submitted from your web chat implementation must include the JSON Web \
                        Token (JWT) that you created earlier.",
            },
            SAID_PAYLOAD_DECRYPTED,
        ],
    },
];
