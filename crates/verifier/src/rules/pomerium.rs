//! The pomerium rules: the ES256 assertion Pomerium signs into a request's headers, the
//! verifier's side and the proxy's, each with the sentences of Pomerium's page it rests on.

use super::{Rule, Source};

const DOC: &str = "Pomerium, \"Securing your app with signed headers\"";

/// The pomerium rules, in catalogue order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "pomerium.alg",
        summary: "ES256 only",
        text: "ES256 (P-256 with SHA-256) only: RS256 (even by a configured RSA key), HS256 \
               keyed with the configured public key's PEM or JWK text, `none`, ES384 and a \
               lowercase `es256` reject `alg_not_allowed`. A high-s signature accepts \
               (core.sig-es256); a zero signature, or one by another key, rejects \
               `bad_signature`.",
        source: &[
            Source {
                document: DOC,
                quote: "A JWT library that supports the ES256 algorithm.",
            },
            Source {
                document: DOC,
                quote: "Provide pomerium with a base64 encoded Elliptic Curve (NIST P-256 aka \
                        secp256r1 aka prime256v1) Private Key.",
            },
        ],
    },
    Rule {
        id: "pomerium.header",
        summary: "the assertion header, case-insensitive, no conflicts",
        text: "The input is the request's headers, `[[name, value], …]`. The assertion is read \
               from `x-pomerium-jwt-assertion`, the header current Pomerium sends: names \
               compare ASCII case-insensitively, and a value is trimmed of spaces and tabs \
               (RFC 9110 §5.6.3). No assertion, an empty value, or only unsigned identity \
               headers or `x-pomerium-jwt-assertion-for` rejects `token_missing`. The \
               documentation's `x-pomerium-iap-jwt-assertion` alone is `either`; the reference \
               does not read it (`token_missing`). `x_pomerium_jwt_assertion` is not the \
               assertion header; alone it is `either` (`token_missing`), because a CGI or WSGI \
               app sees it as `HTTP_X_POMERIUM_JWT_ASSERTION`.\n\n\
               A value holding a comma is a folded list of several values (RFC 9110 §5.3). \
               More than one assertion value is a `header_conflict`: differing values under \
               `x-pomerium-jwt-assertion` (a forged one before a valid one included) reject; \
               identical ones, and the assertion beside an `x-pomerium-iap-jwt-assertion` \
               (identical or not), are `either`, and the reference rejects them. Every header of the request must be a well-formed field: a name that is \
               not an RFC 9110 token, or a value with a control character other than HTAB \
               (CR LF, NUL), rejects `malformed`, naming the header and the byte. An assertion \
               value over 16 KiB rejects `too_large` first (core.size). So: `too_large` › \
               `malformed` › `token_missing` › `header_conflict`, then the token.",
        source: &[
            Source {
                document: DOC,
                quote: "The JWT is in the HTTP request header x-pomerium-iap-jwt-assertion.",
            },
            Source {
                document: DOC,
                quote: "X-Pomerium-Jwt-Assertion is the signature value.",
            },
        ],
    },
    Rule {
        id: "pomerium.exp",
        summary: "`exp` required, 60 s skew",
        text: "`exp` is required (`claim_missing`) and a JSON number (`claim_invalid`), with \
               60 s of skew: accepted while now < exp + 60, so 59 s past `exp` accepts and \
               61 s past rejects `expired`. Exactly 60 s past is `either` (Pomerium's go-jose \
               is inclusive, its js-sdk exclusive); the reference rejects it `expired`.",
        source: &[Source {
            document: DOC,
            quote: "exp Expiration time in seconds since the UNIX epoch. Allow 1 minute for \
                    skew.",
        }],
    },
    Rule {
        id: "pomerium.iat",
        summary: "`iat` with 60 s skew",
        text: "`iat` has 60 s of skew: accepted while iat < now + 60, so now + 59 accepts and \
               now + 61 rejects `not_yet_valid`; exactly now + 60 is `either` and the reference \
               rejects it `not_yet_valid`. A missing `iat` is `either` (the documentation \
               lists it, go-jose does not require it) and the reference rejects \
               `claim_missing`; a non-number rejects `claim_invalid`. There is no maximum age: \
               an `iat` an hour old with `exp` still ahead accepts.",
        source: &[Source {
            document: DOC,
            quote: "iat Issued-at time in seconds since the UNIX epoch. Allow 1 minute for \
                    skew.",
        }],
    },
    Rule {
        id: "pomerium.aud",
        summary: "`aud` contains the configured audience",
        text: "`aud` names the context's `audience`, the app's host without a port: a string \
               equal to it, or an array that contains it, compared exactly. Anything else \
               rejects `audience_mismatch`: another app's host, an array without it, an empty \
               array, no `aud`, the host with a port, a URL, a host that starts with it, its \
               parent domain, another case, a number, an object.",
        source: &[Source {
            document: DOC,
            quote: "aud The client's final domain e.g. httpbin.corp.example.com.",
        }],
    },
    Rule {
        id: "pomerium.iss",
        summary: "`iss` equals the configured issuer",
        text: "`iss` equals the configured issuer exactly; the default is the documentation's \
               `pomerium-proxy`, and current Pomerium uses the authenticate service's host, \
               which the context's `issuer` configures. Anything else rejects \
               `issuer_mismatch` — another issuer, a substring, another case, a trailing \
               space, and also a missing or non-string `iss` and an array holding the issuer \
               (a mismatch, not `claim_missing`).",
        source: &[Source {
            document: DOC,
            quote: "iss Issuer must be pomerium-proxy.",
        }],
    },
    Rule {
        id: "pomerium.identity",
        summary: "identity only from the verified token",
        text: "Identity comes from the verified token only: the unsigned \
               `x-pomerium-authenticated-user-{id,email,groups}` headers, `x-pomerium-claim-*` \
               headers and `x-pomerium-jwt-assertion-for` never change it, and a forged \
               assertion beside unsigned headers that agree with it rejects `bad_signature`. \
               `sub` is required (`claim_missing`) and a string (`claim_invalid`); an empty \
               `sub` names nobody: `either`, and the reference rejects `claim_invalid`. `email` \
               is a string (`claim_invalid` otherwise), an empty one counts as absent. `groups` \
               absent, `null` or `[]` means no groups, otherwise it is an array of strings \
               (`claim_invalid` else), kept in order. An accept outputs `{\"sub\", \"email\"?, \
               \"groups\"?}`.",
        source: &[
            Source {
                document: DOC,
                quote: "If an attacker bypasses pomerium, they can forge the unsigned identity \
                        headers, x-pomerium-authenticated-user-{email,id,groups}.",
            },
            Source {
                document: DOC,
                quote: "Subject is the user's id. Can be used instead of the \
                        x-pomerium-authenticated-user-id header.",
            },
        ],
    },
    Rule {
        id: "pomerium.jwks",
        summary: "keys from configuration, never from the token's `iss`",
        text: "Keys come from the context's `keys` (JWKs or PEM text; a certificate, as \
               `ec_public.pem` is, counts for its SubjectPublicKeyInfo, its dates, issuer and \
               self-signature not looked at), or from a JWKS document at a configured \
               `jwks_url` (https, no credentials), or, with neither, at `https://<configured \
               issuer>/.well-known/pomerium/jwks.json`. Never from the token's `iss`, `jku`, \
               `x5u` or `jwk`: Pomerium's own SDKs trust the token's `iss`, so an attacker who \
               bypasses the proxy names their own host. `kid` selects (core.keys); a key not \
               on P-256 is never a candidate.\n\n\
               With a JWKS source the *unverified* `iss` is compared with the configured \
               issuer before anything is fetched, so a token naming another issuer rejects \
               `issuer_mismatch` with no fetch: a claim code before `key_*` and \
               `bad_signature`, the one exception to core.order. With configured keys the \
               usual order holds (a forged token naming another issuer is `bad_signature`). \
               Fetch failures reject `key_unavailable` as in coyo.fetch, and the fetched set is \
               cached for the session as in coyo.fetch-cache (one fetch for three requests).",
        source: &[
            Source {
                document: DOC,
                quote: "You'll also want to make sure you have a safe and reliable mechanism for \
                        distributing pomerium-proxy's public signing key to client apps \
                        (typically, a key management service).",
            },
            Source {
                document: DOC,
                quote: "You can simply copy and past the output of cat ec_public.pem.",
            },
        ],
    },
    Rule {
        id: "pomerium.strip",
        summary: "proxy role: client `x-pomerium-*` headers stripped",
        text: "Proxy role (profile `pomerium-proxy`): for a client's request, every header \
               whose name starts with `x-pomerium-` (any case, any suffix) is dropped; the \
               rest pass unchanged and in order (a name that merely contains `x-pomerium-` is \
               kept); exactly one fresh assertion is appended, signed with the context's \
               private P-256 `signing_key`: header `{\"alg\": \"ES256\", \"typ\": \"JWT\", \
               \"kid\"?}` (the signing key's `kid`), claims `iss`, `aud` (a string), the \
               context's `identity`, `iat` = now and `exp` = now + 300 s. A client header named \
               like a Pomerium header with `_` for `-` is refused `malformed` (`either`; \
               Envoy's `headers_with_underscores_action: REJECT_REQUEST`), as is any malformed \
               header (CR LF or NUL in a value or a name). The reference refuses, as a \
               configuration error, an `identity` whose assertion would be longer than the \
               16 KiB of rule core.size: the app's verifier could never accept it. An accept outputs \
               `{\"headers\": [...]}`, graded in a canonical form: the other headers lowercased \
               and sorted by name, and the one assertion verified with the signing key's \
               public half and shown as its identity plus `\"fresh\": true` when \
               |iat − now| ≤ 60 and now < exp ≤ now + 3600.",
        source: &[Source {
            document: DOC,
            quote: "Note that pomerium it strips the x-pomerium-* headers provided by the client \
                    when the request goes through the serving infrastructure.",
        }],
    },
];
