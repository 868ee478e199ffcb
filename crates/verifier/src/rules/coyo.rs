//! The coyo rules: RS256 tokens of COYO plug-ins, keys built in, registered per issuer
//! pattern or downloaded from an allowlisted `jku`, each with the sentences it rests on.

use super::{Rule, Source};

const DOC: &str = "COYO plug-in documentation, \"JWT token security\"";

/// The sentence on built-in keys and downloads, which several rules rest on.
const BUILTIN_AND_DOWNLOAD: Source = Source {
    document: DOC,
    quote: "For front end communication the Plug-In Adapter library has a few built-in \
            certificates for fast evaluation of the most used public keys (coyocloud and \
            coyostaging), but can download missing public keys on demand from this URL.",
};

/// The coyo rules, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "coyo.alg",
        summary: "RS256, or RS512 by a key that declares it",
        text: "RS256 (RSASSA-PKCS1-v1_5 with SHA-256), or RS512 (with SHA-512) by a key that \
               declares it: COYO's own plug-in library ships its built-in keys as \
               RSASSA-PKCS1-v1_5 with SHA-512, `alg` RS512. A key's algorithm is bound to it: \
               a key whose `alg` is RS512 (a JWK's `alg`, or a key document's SHA-512) verifies \
               RS512 only, and a key whose `alg` is RS256, or that has no `alg`, RS256 only; an \
               RS512 token that no built-in, registered or downloaded key declares RS512 for \
               rejects `alg_not_allowed`. RS384 and PS256 by the registered key, HS256 keyed \
               with its PEM text, `none` and ES256 reject `alg_not_allowed`. The algorithm is \
               checked before any key is looked for, so an ES256 token with an allowlisted \
               `jku` causes no fetch.",
        source: &[
            Source {
                document: DOC,
                quote: "To ensure data integrity, we sign the payload according to RFC 7519.",
            },
            Source {
                document: DOC,
                quote: "alg: 'RS256',",
            },
            BUILTIN_AND_DOWNLOAD,
        ],
    },
    Rule {
        id: "coyo.issuer-keys",
        summary: "keys registered under an anchored issuer pattern",
        text: "Keys are registered under an issuer pattern that is matched against `iss` in \
               full. A pattern is written as the documentation writes it, a JavaScript literal \
               (`/^https:\\/\\/some.site$/i`, where only the `i` flag, case-insensitive \
               matching, is allowed), or as a bare expression; it must compile on its own (so \
               its anchors cannot be unbalanced away) and is then anchored: `^(?:…)$` is \
               matched against the whole `iss` (Rust `regex`, linear time, `$` only at the \
               very end, so `https://some.site\\n` does not match). A pattern that does not \
               compile, has another flag, is over 1024 bytes or compiles to over 1 MiB is a \
               configuration error that names it, and its keys are not loaded. An unescaped \
               `.` is honoured as a regular expression (the documentation's own pattern \
               matches `https://someXsite`), and the configuration lint warns about it.\n\n\
               Several keys under one pattern all verify (rotation); a key registered for one \
               issuer is never a candidate for a token naming another, and a token without \
               `iss` matches no pattern. A known key that fails rejects `bad_signature` with no \
               fetch. After the signature: `exp` and `nbf` with skew 0 (configurable), `iss` \
               required (`claim_missing`, `claim_invalid`: it is the output), `sub` optional \
               but a string; an accept outputs `{\"iss\", \"sub\"?}`. Lifecycle-event tokens \
               follow the same rules as front-end tokens.",
        source: &[
            Source {
                document: DOC,
                quote: "const JWK_REGEX = /^https:\\/\\/some.site$/i; // match 'iss' issuer claim",
            },
            Source {
                document: DOC,
                quote: "You can add multiple keys for the same issuer regex, which can be useful \
                        when there is a transition to a new public key and you want to cover \
                        both.",
            },
            Source {
                document: DOC,
                quote: "Both the front end communication and the lifecycle events use JWT tokens \
                        for data exchange.",
            },
        ],
    },
    Rule {
        id: "coyo.builtin-keys",
        summary: "built-in keys first, no network",
        text: "Built-in keys are tried first, with no network; then the keys registered under \
               every pattern that matches `iss`; only when neither has a candidate for the \
               token's `kid` is `jku` considered. A candidate that fails is `bad_signature` \
               with no fetch, so a token without `kid` never reaches `jku` while any built-in \
               key exists. Built-in keys verify any issuer (the documentation binds only \
               registered keys to issuer patterns), and one without `kid` is a candidate \
               whatever the token's `kid`. A `kid` that no built-in or registered key has, \
               with no `jku`, rejects `key_unknown`.",
        source: &[BUILTIN_AND_DOWNLOAD],
    },
    Rule {
        id: "coyo.jku-allowlist",
        summary: "download only from an allowlisted https origin",
        text: "The context's `jku_allowlist` holds https origins (`https://host[:port]`); an \
               entry with another scheme, credentials or a path is a configuration error. A \
               key set is downloaded from `jku` only when the URL is at most 2048 bytes, \
               parses (WHATWG URL, the `url` crate) as https with no credentials, its parsed \
               origin (scheme, host, port) equals an allowlisted origin, **and** its \
               serialization equals the input; the fetch uses that serialization.\n\n\
               Tricks that name another origin — a prefix or suffix host, a subdomain, \
               userinfo (`https://pubkeys.coyocloud.example@evil.example/…`), the allowlisted \
               host in the fragment, query or path, another port, a port that overflows, an \
               IDN homograph, a loopback address, `http:`, `file:`, `ftp:`, `data:`, a \
               relative, scheme-relative or empty `jku`, any `jku` under an empty allowlist — \
               reject `jku_not_allowed` with **no fetch**. Spellings that reach an allowlisted \
               origin by another text (host or scheme case, `:443`, a leading-zero port, \
               percent escapes, fullwidth characters, backslashes, dot segments, no path, a \
               non-canonical IPv6 address, a leading space or a tab, credentials on the \
               allowlisted host, a `jku` over 2048 bytes) are `either`; the reference rejects \
               them `jku_not_allowed`. A trailing dot names the same DNS host but another \
               WHATWG origin: `either`, rejected. A `jku` that is not a string is `malformed`.\n\n\
               Grading: whatever the verdict, an implementation that fetches a URL the case \
               does not serve fails the case. The reject tricks serve no URL and allow no \
               fetch; the `either` spellings serve the genuine set at the WHATWG serialization \
               and at the raw text, except where the raw text names the attacker's host to an \
               RFC 3986 parser (`pubkeys.coyocloud.example\\@evil.example`), where only the \
               serialization is served.",
        source: &[
            Source {
                document: DOC,
                quote: "To prevent malicious attacks a plug-in MUST check the public key download \
                        URL ('jku' header claim) against a whitelist of known sites:",
            },
            Source {
                document: DOC,
                quote: "Please note that the protocol MUST be secured by TLS using HTTPS.",
            },
            Source {
                document: DOC,
                quote: "jwkStore.addHost('https://pubkeys.some.site');",
            },
        ],
    },
    Rule {
        id: "coyo.fetch",
        summary: "a fetched key document or JWK Set, filtered; failures `key_unavailable`",
        text: "A fetched document is COYO's key document or a JWK Set. COYO's key document is \
               the shape the documentation's `addJwk` takes and COYO's plug-in library reads \
               from a `jku`: an object `{\"alg\": <WebCrypto algorithm>, \"key\": <JWK>}`, \
               no other member, whose `alg` is RSASSA-PKCS1-v1_5 with `hash` SHA-256 (the key \
               verifies RS256) or SHA-512 (RS512); another algorithm (RSA-PSS, HMAC, ECDSA, \
               SHA-384), a `key` that is not an object, or a key whose own `alg` disagrees \
               rejects `key_unavailable`. A JWK Set (RFC 7517), an object with a `keys` array, \
               stays accepted. Either way only \
               HTTP status 200 is accepted; a redirect is never followed (to another origin: \
               `key_unavailable`; within the same allowlisted origin: `either`, rejected); the \
               body is at most 64 KiB (a set just over it is `either`, rejected); the fetch \
               has a 5 s time-out (a network answer with a `delay_ms` over it is a time-out); \
               the body is strict JSON (core.json). A single bare JWK is `either`, rejected. \
               HTTP errors, 204, an empty body, HTML, truncated or invalid JSON, an array, a \
               `keys` that is not an array, a time-out and an oversize body reject \
               `key_unavailable`, naming the URL and the reason.\n\n\
               The set's keys are filtered: a `kty` other than RSA is skipped; every key is \
               checked as a configured key is (under 2048 bits, a bad `e`, ROCA, an `alg` that \
               is no signature algorithm: refused); candidates then need the token's `alg` if set, \
               `use` `sig` if set and `key_ops` with `verify` if set. `kid` selects within the \
               set (core.keys), and a key without `kid` is a candidate. A `kid` the set lacks \
               rejects `key_unknown`. Keys fetched from an allowlisted origin verify any \
               issuer.",
        source: &[
            BUILTIN_AND_DOWNLOAD,
            Source {
                document: DOC,
                quote: "The token header contains the 'jku' claim, which holds a URL linking to \
                        the public key that should be used to verify the signature.",
            },
            Source {
                document: DOC,
                quote: "If a plug-in has a back end, it can use the same mechanism to download \
                        missing / unknown keys when verifying passed front end communication \
                        tokens or lifecycle events.",
            },
        ],
    },
    Rule {
        id: "coyo.fetch-cache",
        summary: "scenario: bounded cache with a refetch cool-down",
        text: "Scenario: fetched sets are cached for the session: at most 16 URLs (the least \
               recently used is dropped), a set is fresh for 600 s, and after any fetch of a \
               URL, successful or not, no other fetch of it for 60 s; meanwhile an unknown \
               `kid` is answered from the cached set (`key_unknown`) and a failure from the \
               remembered error (`key_unavailable`). A cached key is still checked (a forged \
               token with the cached `kid` rejects `bad_signature`), and each URL keeps its own \
               set. The suite clock is the same for every step, so the vectors grade the cache \
               by count (a case's `max_fetches`): one fetch for repeated tokens, at most one \
               refetch for a burst of unknown kids or a failing URL.",
        source: &[BUILTIN_AND_DOWNLOAD],
    },
];
