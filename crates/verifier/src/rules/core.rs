//! The core rules: what every profile's token must satisfy (structure, algorithm, keys,
//! signatures, time claims, precedence), each with the RFC sentence it rests on.

use super::{Rule, Source};

/// The core rules, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "core.segments",
        summary: "exactly three `.`-separated segments; no JSON serialization",
        text: "The compact form is exactly three `.`-separated segments: header, payload, \
               signature. Two segments, four, five (the shape of a JWE), a trailing dot, an \
               empty header segment and an empty signature segment (an unsecured `alg: none` \
               token included) reject `malformed`. The JWS JSON serialization is not accepted \
               where a compact token is expected (`malformed`).",
        source: &[
            Source {
                document: "RFC 7519 §1 \"JSON Web Token (JWT)\"",
                quote: "JWTs are always represented using the JWS Compact Serialization or the \
                        JWE Compact Serialization.",
            },
            Source {
                document: "RFC 7515 §3.1 \"JSON Web Signature (JWS)\"",
                quote: "In the JWS Compact Serialization, a JWS is represented as the \
                        concatenation: BASE64URL(UTF8(JWS Protected Header)) || '.' || \
                        BASE64URL(JWS Payload) || '.' || BASE64URL(JWS Signature)",
            },
        ],
    },
    Rule {
        id: "core.base64url",
        summary: "canonical unpadded base64url only",
        text: "Every segment is unpadded base64url: `=` padding, the standard alphabet's `+` \
               and `/`, whitespace (a space before the token included), line breaks and any \
               other character reject `malformed`. Non-zero unused trailing bits in a \
               segment's last character are `either` (RFC 4648 §3.5: decoders MAY reject); \
               the reference rejects them `malformed`. Keys are held to the same rule: a JWK \
               member with non-zero trailing bits refuses that key (core.keys).",
        source: &[
            Source {
                document: "RFC 7515 §2 \"JSON Web Signature (JWS)\"",
                quote: "Base64 encoding using the URL- and filename-safe character set defined \
                        in Section 5 of RFC 4648 [RFC4648], with all trailing '=' characters \
                        omitted (as permitted by Section 3.2) and without the inclusion of any \
                        line breaks, whitespace, or other additional characters.",
            },
            Source {
                document: "RFC 4648 §3.5 \"The Base16, Base32, and Base64 Data Encodings\"",
                quote: "In some environments, the alteration is critical and therefore decoders \
                        MAY chose to reject an encoding if the pad bits have not been set to \
                        zero.",
            },
        ],
    },
    Rule {
        id: "core.json",
        summary: "strict JSON objects: UTF-8, no BOM, no duplicates, bounded depth",
        text: "The header and the payload each decode to one JSON object in valid UTF-8 with \
               nothing after it: an array, a string, plain text, an empty payload, two objects \
               back to back, trailing bytes or invalid UTF-8 reject `malformed`. Nesting deeper \
               than a bound (default 64 levels) rejects `malformed`. Duplicate member names, \
               compared after unescaping (`\"\\u0061lg\"` is `\"alg\"`), are `either` (RFC 7515 \
               §4 and RFC 7519 §4 allow rejecting or taking the lexically last); the reference \
               rejects them `malformed`, and an implementation that keeps the *first* value \
               fails (a duplicate `exp` whose last value is past must reject). A byte order \
               mark before the JSON is `either` (RFC 8259 §8.1); the reference rejects it \
               `malformed`. The same strict JSON applies wherever the verifier reads JSON: a \
               fetched JWK Set, a decrypted Watson `user_payload`.",
        source: &[
            Source {
                document: "RFC 7519 §7.2 \"JSON Web Token (JWT)\"",
                quote: "Verify that the resulting octet sequence is a UTF-8-encoded \
                        representation of a completely valid JSON object conforming to RFC 7159 \
                        [RFC7159]; let the JOSE Header be this JSON object.",
            },
            Source {
                document: "RFC 7515 §4 \"JSON Web Signature (JWS)\"",
                quote: "The Header Parameter names within the JOSE Header MUST be unique; JWS \
                        parsers MUST either reject JWSs with duplicate Header Parameter names or \
                        use a JSON parser that returns only the lexically last duplicate member \
                        name, as specified in Section 15.12 (\"The JSON Object\") of ECMAScript \
                        5.1 [ECMAScript].",
            },
            Source {
                document: "RFC 8259 §9 \"The JavaScript Object Notation (JSON) Data Interchange \
                           Format\"",
                quote: "An implementation may set limits on the maximum depth of nesting.",
            },
        ],
    },
    Rule {
        id: "core.size",
        summary: "a token over the bound rejects before decoding",
        text: "A token over a configurable bound (default 16 KiB, 16384 bytes) rejects \
               `too_large` before any decoding work, and so does a header value that carries a \
               token (Pomerium's assertion header). A token of exactly the bound is decoded as \
               usual. A valid token just over the bound is `either` (bounds differ between \
               implementations); the reference rejects it `too_large`.",
        source: &[Source {
            document: "RFC 8259 §9 \"The JavaScript Object Notation (JSON) Data Interchange \
                       Format\"",
            quote: "An implementation may set limits on the size of texts that it accepts.",
        }],
    },
    Rule {
        id: "core.alg",
        summary: "`alg` exactly the profile's algorithm; never `none`",
        text: "`alg` must be exactly the profile's algorithm (in the `core` profile, the one \
               the context configures), compared case-sensitively: `none` in any case, a \
               missing `alg`, a non-string, another spelling (`rs256`, `\"RS256 \"`) and any \
               other algorithm, even one the trusted key could verify (RS384, RS512 or PS256 \
               under RS256; HS384 under HS256), reject `alg_not_allowed`. The configuration, \
               never the header, decides the algorithm. An unsecured token (`alg: none` with \
               an empty signature segment) is `malformed` first (core.segments).",
        source: &[
            Source {
                document: "RFC 8725 §3.1 \"JSON Web Token Best Current Practices\"",
                quote: "Libraries MUST enable the caller to specify a supported set of \
                        algorithms and MUST NOT use any other algorithms when performing \
                        cryptographic operations.",
            },
            Source {
                document: "RFC 8725 §3.2 \"JSON Web Token Best Current Practices\"",
                quote: "JWT libraries SHOULD NOT consume JWTs using \"none\" unless explicitly \
                        requested by the caller.",
            },
        ],
    },
    Rule {
        id: "core.alg-confusion",
        summary: "an HMAC keyed with the public key rejects",
        text: "An HS256 token whose HMAC key is the profile's RSA or EC public key, in any form \
               a verifier may hold it (PEM text with or without its final newline, DER, JWK \
               text, the raw modulus or point, an OpenSSH public-key line configured as key \
               text), rejects `alg_not_allowed`: HS256 is not the algorithm of an RS256 or \
               ES256 configuration, and a public key is never an HMAC secret. The genuine \
               token by the same key under the same configuration accepts.",
        source: &[Source {
            document: "RFC 8725 §3.1 \"JSON Web Token Best Current Practices\"",
            quote: "The library MUST ensure that the \"alg\" or \"enc\" header specifies the \
                    same algorithm that is used for the cryptographic operation. Moreover, each \
                    key MUST be used with exactly one algorithm, and this MUST be checked when \
                    the cryptographic operation is performed.",
        }],
    },
    Rule {
        id: "core.typ",
        summary: "`typ` JWT/application/jwt or absent; no nested `cty`",
        text: "A `typ` that is absent, `JWT` or `application/jwt` (in any case) accepts. \
               Another string (`at+jwt`, `JOSE`: another kind of token, RFC 8725 §3.11) is \
               `either`; the reference rejects it `malformed`. A `typ` that is not a string (a \
               number, `null`, an object) rejects `malformed`. A `cty` of `JWT` in any case (a \
               nested token) rejects `malformed`, and so does a `cty` that is not a string.",
        source: &[
            Source {
                document: "RFC 7519 §5.1 \"JSON Web Token (JWT)\"",
                quote: "If present, it is RECOMMENDED that its value be \"JWT\" to indicate \
                        that this object is a JWT.",
            },
            Source {
                document: "RFC 7519 §5.2 \"JSON Web Token (JWT)\"",
                quote: "In the case that nested signing or encryption is employed, this Header \
                        Parameter MUST be present; in this case, the value MUST be \"JWT\", to \
                        indicate that a Nested JWT is carried in this JWT.",
            },
        ],
    },
    Rule {
        id: "core.crit",
        summary: "unknown or empty `crit`, `b64: false` reject",
        text: "The reference implements no extension, so any `crit` rejects `malformed`: one \
               naming an extension (even `exp`, or a parameter the header lacks), an empty \
               `crit` (RFC 7515 §4.1.11 forbids it), and a `crit` that is not an array of \
               strings. `b64: false` (RFC 7797's unencoded payload) rejects `malformed` with or \
               without `crit`, and so does a `b64` that is not a boolean. A header with no \
               `crit` and no extension parameters accepts.",
        source: &[
            Source {
                document: "RFC 7515 §4.1.11 \"JSON Web Signature (JWS)\"",
                quote: "If any of the listed extension Header Parameters are not understood \
                        and supported by the recipient, then the JWS is invalid.",
            },
            Source {
                document: "RFC 7515 §4.1.11 \"JSON Web Signature (JWS)\"",
                quote: "Producers MUST NOT use the empty list \"[]\" as the \"crit\" value.",
            },
        ],
    },
    Rule {
        id: "core.embedded-key",
        summary: "`jwk`/`x5c`/`x5u`/`jku` in the header never trusted",
        text: "`jwk`, `x5c`, `x5u` and `jku` in the header are never a source of trust and are \
               ignored: a token self-signed with a key it carries or names rejects \
               `bad_signature` when a trusted key is a candidate (its `kid` named, or no \
               `kid`), else `key_unknown`. Outside COYO (coyo.jku-allowlist) nothing the header \
               names is ever fetched. A valid token whose header also carries the trusted key \
               as `jwk` accepts: the member is ignored, not refused.",
        source: &[Source {
            document: "RFC 8725 §3.10 \"JSON Web Token Best Current Practices\"",
            quote: "Similarly, blindly following a \"jku\" (JWK set URL) or \"x5u\" (X.509 URL) \
                    header, which may contain an arbitrary URL, could result in server-side \
                    request forgery (SSRF) attacks.",
        }],
    },
    Rule {
        id: "core.keys",
        summary: "kid exact; candidates by kty/alg/use/key_ops; keys validated at load",
        text: "`kid` is a string compared exactly (case-sensitive), never a path or a query; a \
               `kid` that is not a string rejects `malformed`. Candidate keys are the trusted \
               keys whose `kty` and `crv` fit the algorithm and whose `alg` (if set) is it, \
               `use` (if set) is `sig` and `key_ops` (if set) contains `verify`. A trusted key \
               without a `kid` is a candidate whatever the token's `kid` says; a `kid` that \
               names no candidate rejects `key_unknown` before any signature is checked; no \
               `kid` tries every candidate. Duplicate `kid`s in a trusted set are allowed \
               (RFC 7517 §4.5) and every candidate with the `kid` is tried.\n\n\
               Keys are checked when they are loaded, and a refused key is a configuration \
               error that names it, never a verdict (a case whose only key is refused rejects \
               `key_unknown`). RSA: `e` odd, at least 3 (RFC 8017 §3.1) and at most 2³³−1, the \
               modulus odd and of 2048 to 8192 bits, no ROCA fingerprint (CVE-2017-15361); a \
               modulus under 2048 bits (RFC 7518 §3.3 binds the signer) is `either` for an \
               implementation under test and refused by the reference. EC: a point on P-256, \
               not infinity, `x` and `y` exactly 32 octets. HMAC: at least as long as the hash \
               (32, 48, 64 bytes for HS256, HS384, HS512); an empty secret (`\"k\":\"\"`, or an \
               empty secret string in a configuration) is no key at all, never a fallback to \
               anything else, and a case whose only key it is rejects `key_unknown`. JWK members are strict base64url \
               (core.base64url). A set that mixes HMAC secrets with public keys is refused as \
               a whole (Wycheproof's MixedKeySet; the vector is `either`). Keys are given as \
               JWKs or as PEM text (SPKI, PKCS#1 `RSA PUBLIC KEY`, or a certificate, whose \
               SubjectPublicKeyInfo is used); a key of a type the profile's algorithm cannot \
               use is never a candidate (an EC key under RS256: `key_unknown`).",
        source: &[
            Source {
                document: "RFC 7517 §4.5 \"JSON Web Key (JWK)\"",
                quote: "When \"kid\" values are used within a JWK Set, different keys within \
                        the JWK Set SHOULD use distinct \"kid\" values.",
            },
            Source {
                document: "RFC 8725 §3.10 \"JSON Web Token Best Current Practices\"",
                quote: "The \"kid\" (key ID) header is used by the relying application to \
                        perform key lookup. Applications should ensure that this does not \
                        create SQL or LDAP injection vulnerabilities by validating and/or \
                        sanitizing the received value.",
            },
            Source {
                document: "RFC 7518 §6.2.1.2 \"JSON Web Algorithms (JWA)\"",
                quote: "The length of this octet string MUST be the full size of a coordinate \
                        for the curve specified in the \"crv\" parameter.",
            },
        ],
    },
    Rule {
        id: "core.sig-hs256",
        summary: "32-byte MAC, constant-time compare, keys of 32+ bytes",
        text: "The HS256 MAC is exactly 32 bytes, compared in constant time: a truncated, \
               extended, altered or all-zero MAC, a MAC by another secret, and a valid MAC \
               over other claims reject `bad_signature`. An HMAC key under 32 bytes is a \
               configuration error (RFC 7518 §3.2): the key is refused, so a token that needs \
               it rejects `key_unknown`.",
        source: &[
            Source {
                document: "RFC 7518 §3.2 \"JSON Web Algorithms (JWA)\"",
                quote: "A key of the same size as the hash output (for instance, 256 bits for \
                        \"HS256\") or larger MUST be used with this algorithm.",
            },
            Source {
                document: "RFC 7518 §3.2 \"JSON Web Algorithms (JWA)\"",
                quote: "The comparison of the computed HMAC value to the JWS Signature value \
                        MUST be done in a constant-time manner to thwart timing attacks.",
            },
        ],
    },
    Rule {
        id: "core.sig-es256",
        summary: "64-byte r‖s; DER, zero or out-of-range r/s reject",
        text: "The ES256 signature is exactly 64 bytes, `r‖s`: a DER-encoded signature, 63 or \
               65 bytes, `r` or `s` zero (the psychic signature, CVE-2022-21449), `r` or `s` \
               equal to or above the group order n, a flipped bit, and a valid signature by \
               another key reject `bad_signature`. A high-s signature is valid ECDSA and \
               accepts: JOSE has no low-s rule.",
        source: &[Source {
            document: "RFC 7518 §3.4 \"JSON Web Algorithms (JWA)\"",
            quote: "The JWS Signature value MUST be a 64-octet sequence. If it is not a \
                    64-octet sequence, the validation has failed.",
        }],
    },
    Rule {
        id: "core.sig-rs256",
        summary: "PKCS#1 v1.5, modulus-length signature, 2048+ bit keys",
        text: "The RS256 signature is RSASSA-PKCS1-v1_5 with SHA-256. Its length equals the \
               modulus length (a prepended zero byte, an appended byte or a missing byte \
               rejects), its value is below the modulus (the modulus itself rejects), and it \
               is a valid PKCS#1 v1.5 encoding of the SHA-256 DigestInfo with no trailing \
               garbage (a SHA-384 DigestInfo, a PSS signature, all zeros, a flipped bit, \
               another key's signature reject); each failure rejects `bad_signature`. RSA \
               keys have 2048 bits or more (core.keys).",
        source: &[
            Source {
                document: "RFC 7518 §3.3 \"JSON Web Algorithms (JWA)\"",
                quote: "A key of size 2048 bits or larger MUST be used with these algorithms.",
            },
            Source {
                document: "RFC 8017 §8.2.2 \"PKCS #1: RSA Cryptography Specifications Version \
                           2.2\"",
                quote: "If the length of the signature S is not k octets, output \"invalid \
                        signature\" and stop.",
            },
        ],
    },
    Rule {
        id: "core.numeric-date",
        summary: "exp/iat/nbf are JSON numbers in 0..=year 9999",
        text: "`exp`, `iat` and `nbf` are JSON numbers: integers, fractions (`1767225600.5`) \
               and exponent forms (`1.7672256e9`) all accept; strings, booleans, `null` and \
               arrays reject `claim_invalid`. The sane range is 0 ≤ t ≤ 253402300799 (the end \
               of year 9999): an `nbf` or `iat` beyond it rejects `not_yet_valid`; an `exp` \
               beyond it is `either` (never expires, or out of range) and the reference \
               rejects it `claim_invalid`; a negative `exp` is `expired`; a negative `iat` or \
               `nbf` is `either` and the reference rejects it `claim_invalid`. The core rules \
               refuse no other `iat` (a profile may: pomerium.iat). A fraction that straddles \
               a boundary is `either` (libraries truncate): the reference compares `exp` \
               after truncating down and `nbf`/`iat` after rounding up, so it is never valid \
               in a second that a truncating library would refuse.",
        source: &[Source {
            document: "RFC 7519 §2 \"JSON Web Token (JWT)\"",
            quote: "A JSON numeric value representing the number of seconds from \
                    1970-01-01T00:00:00Z UTC until the specified UTC date/time, ignoring leap \
                    seconds.",
        }],
    },
    Rule {
        id: "core.exp",
        summary: "accepted while now < exp + skew",
        text: "When present, `exp` is honoured in every profile: a token is accepted while \
               now < exp + skew (the profile's skew, 0 unless configured), so at skew 0 an \
               `exp` equal to now rejects `expired`, and at skew 60 an `exp` 60 s past \
               rejects. The core rules do not require `exp` (Watson and Pomerium do). Pendo \
               honours a present `exp` only as the strict side of an `either` (pendo.exp).",
        source: &[
            Source {
                document: "RFC 7519 §4.1.4 \"JSON Web Token (JWT)\"",
                quote: "The \"exp\" (expiration time) claim identifies the expiration time on \
                        or after which the JWT MUST NOT be accepted for processing.",
            },
            Source {
                document: "RFC 7519 §4.1.4 \"JSON Web Token (JWT)\"",
                quote: "Implementers MAY provide for some small leeway, usually no more than a \
                        few minutes, to account for clock skew.",
            },
        ],
    },
    Rule {
        id: "core.nbf",
        summary: "rejected while now + skew < nbf",
        text: "When present, `nbf` is honoured with the profile's skew: a token is rejected \
               `not_yet_valid` while now + skew < nbf, so an `nbf` equal to now accepts at \
               skew 0 and an `nbf` 61 s ahead rejects at skew 60.",
        source: &[Source {
            document: "RFC 7519 §4.1.5 \"JSON Web Token (JWT)\"",
            quote: "The \"nbf\" (not before) claim identifies the time before which the JWT \
                    MUST NOT be accepted for processing.",
        }],
    },
    Rule {
        id: "core.aud-unexpected",
        summary: "an unexpected `aud` is `either`; the reference accepts",
        text: "A present `aud` (a string or an array) in a profile that configures no audience \
               (core, Pendo, Watson, COYO) is `either`: RFC 7519 §4.1.3 says reject when the \
               recipient is not named, and libraries differ. The reference accepts it — the \
               one `either` where it does not take the strict side, and a test holds it to \
               that. No `aud` accepts.",
        source: &[Source {
            document: "RFC 7519 §4.1.3 \"JSON Web Token (JWT)\"",
            quote: "If the principal processing the claim does not identify itself with a \
                    value in the \"aud\" claim when this claim is present, then the JWT MUST be \
                    rejected.",
        }],
    },
    Rule {
        id: "core.order",
        summary: "claims only after the signature; code precedence",
        text: "Claims are examined only after the signature verifies: a forged token with bad \
               claims (expired, a string `exp`, no nonce) rejects `bad_signature`, never a \
               claim code. When several things are wrong, the first in this order decides: \
               `too_large` › `malformed` › `alg_not_allowed` › `key_*` / `jku_not_allowed` › \
               `bad_signature` › claim codes. Inside `malformed`, the whole token is decoded \
               (header, payload, signature) and the header parameters checked before `alg` is \
               looked at, so a token that is both malformed and `alg: none` is `malformed`; a \
               `kid` that names no key is `key_unknown` before any signature is checked. The \
               profiles place their own codes around this order (see the error codes); the one \
               exception to it is pomerium.jwks, which compares the unverified `iss` before \
               it fetches a key set.",
        source: &[
            Source {
                document: "RFC 7519 §7.2 \"JSON Web Token (JWT)\"",
                quote: "The order of the steps is not significant in cases where there are no \
                        dependencies between the inputs and outputs of the steps.",
            },
            Source {
                document: "RFC 7519 §7.2 \"JSON Web Token (JWT)\"",
                quote: "If any of the listed steps fail, then the JWT MUST be rejected -- that \
                        is, treated by the application as an invalid input.",
            },
        ],
    },
];
