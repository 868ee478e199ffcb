//! The rules of the external vector sets: Project Wycheproof's JOSE tests, read in their
//! own format and run as profile `jws`, each with the words of the set it rests on.

use super::{Rule, Source};

/// The external sets' rules, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "external.wycheproof-jws",
        summary: "Wycheproof json_web_signature_test.json, plain JWS",
        text: "Project Wycheproof's JSON Web Signature tests (401 cases) run as profile `jws`: \
               plain RFC 7515 verification of a JWS against the test group's key, the key \
               deciding which algorithm applies (context `algorithms` lists every signature \
               algorithm the set uses), no claim checks. The reference implements HS256/384/512, \
               RS256/384/512, PS256/384/512 (salt length = hash length, RFC 7518 §3.5) and \
               ES256, with core's rules for structure, keys and signatures (a JSON-serialized \
               JWS, `alg: none`, a modified signature or padding, and an algorithm other than \
               the key's reject). An accept outputs `{\"header\", \"payload\"}`, the payload as \
               unpadded base64url. A Wycheproof reject names no error code. Where the reference \
               knowingly differs from a label (ES384 and ES512 not implemented, a key whose \
               `alg` decides against the token, upstream label errors), the case is listed with \
               its reason in adapters/reference/expected-failures.json.",
        source: &[
            Source {
                document: "Project Wycheproof, json_web_signature_test.json (header)",
                quote: "Test vectors of type JsonWebSignature are intended for tests that check \
                        the verification operation of a JSON Web Signature library.",
            },
            Source {
                document: "Project Wycheproof, json_web_signature_test.json (note AlgIsNone)",
                quote: "Algorithm none must not be accepted by default.",
            },
        ],
    },
    Rule {
        id: "external.wycheproof-jwk",
        summary: "Wycheproof json_web_key_test.json, JWS against key sets",
        text: "Project Wycheproof's JSON Web Key tests (26 cases) run as profile `jws`: a JWS \
               verified against a key set, under core.keys' policy. A set that mixes an HMAC \
               secret with public keys is refused (MixedKeySet); HMAC secrets shorter than the \
               hash, weak RSA keys (under 2048 bits, ROCA, a bad exponent) and an EC point \
               labelled with another curve are refused; a key's `use`, `key_ops` and `alg` are \
               honoured. Duplicate `kid`s are allowed and every candidate is tried (RFC 7517 \
               §4.5), against Wycheproof's DuplicateKid, which expects a reject: that case is a \
               listed divergence.",
        source: &[
            Source {
                document: "Project Wycheproof, json_web_key_test.json (header)",
                quote: "Test vectors of type JsonWebKey are intended for tests that verify the \
                        validation of keysets of a JSON Web Encryption/Signature library.",
            },
            Source {
                document: "Project Wycheproof, json_web_key_test.json (note MixedKeySet)",
                quote: "The keyset contains public and private keys. The test expects that such \
                        keysets are rejected.",
            },
        ],
    },
];
