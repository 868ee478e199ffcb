//! The rule catalogue of profiles.md, by id. Every vector names one of these; the
//! rule table (docs/rules.md) is generated from this list and the vectors.

/// One rule of profiles.md.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// `<profile>.<topic>`, as in profiles.md.
    pub id: &'static str,
    /// One line on what the rule requires.
    pub summary: &'static str,
    /// Whether the reference verifier implements it yet.
    pub implemented: bool,
}

const fn r(id: &'static str, summary: &'static str, implemented: bool) -> Rule {
    Rule {
        id,
        summary,
        implemented,
    }
}

/// Every rule, in profiles.md order, then the external vector sets.
pub const RULES: &[Rule] = &[
    r(
        "core.segments",
        "exactly three `.`-separated segments; no JSON serialization",
        true,
    ),
    r("core.base64url", "canonical unpadded base64url only", true),
    r(
        "core.json",
        "strict JSON objects: UTF-8, no BOM, no duplicates, bounded depth",
        true,
    ),
    r(
        "core.size",
        "a token over the bound rejects before decoding",
        true,
    ),
    r(
        "core.alg",
        "`alg` exactly the profile's algorithm; never `none`",
        true,
    ),
    r(
        "core.alg-confusion",
        "an HMAC keyed with the public key rejects",
        true,
    ),
    r(
        "core.typ",
        "`typ` JWT/application/jwt or absent; no nested `cty`",
        true,
    ),
    r(
        "core.crit",
        "unknown or empty `crit`, `b64: false` reject",
        true,
    ),
    r(
        "core.embedded-key",
        "`jwk`/`x5c`/`x5u`/`jku` in the header never trusted",
        true,
    ),
    r(
        "core.keys",
        "kid exact; candidates by kty/alg/use/key_ops; keys validated at load",
        true,
    ),
    r(
        "core.sig-hs256",
        "32-byte MAC, constant-time compare, keys of 32+ bytes",
        true,
    ),
    r(
        "core.sig-es256",
        "64-byte r‖s; DER, zero or out-of-range r/s reject",
        true,
    ),
    r(
        "core.sig-rs256",
        "PKCS#1 v1.5, modulus-length signature, 2048+ bit keys",
        true,
    ),
    r(
        "core.numeric-date",
        "exp/iat/nbf are JSON numbers in 0..=year 9999",
        true,
    ),
    r("core.exp", "accepted while now < exp + skew", true),
    r("core.nbf", "rejected while now + skew < nbf", true),
    r(
        "core.aud-unexpected",
        "an unexpected `aud` is `either`; the reference accepts",
        true,
    ),
    r(
        "core.order",
        "claims only after the signature; code precedence",
        true,
    ),
    r("pendo.alg", "HS256 only", true),
    r(
        "pendo.key-name",
        "`signingKeyName` selects an active key",
        true,
    ),
    r(
        "pendo.key-limit",
        "at most five active keys; revocation permanent",
        true,
    ),
    r("pendo.nonce", "a top-level `nonce` is required", true),
    r(
        "pendo.visitor",
        "`visitor.id` a string when present; none is anonymous",
        true,
    ),
    r(
        "pendo.identity",
        "identity from the verified JWT only",
        true,
    ),
    r(
        "pendo.no-jti",
        "`jti` ignored; the same token accepted again",
        true,
    ),
    r("pendo.exp", "no `exp` required; time claims `either`", true),
    r("pendo.mode", "disabled / allow / only_signed", true),
    r(
        "pendo.rotation",
        "scenario: old and new keys, then revocation",
        true,
    ),
    r(
        "pendo.dedupe",
        "scenario: duplicate event ids dropped",
        true,
    ),
    r("coyo.alg", "RS256 only", true),
    r(
        "coyo.issuer-keys",
        "keys registered under an anchored issuer pattern",
        true,
    ),
    r("coyo.builtin-keys", "built-in keys first, no network", true),
    r(
        "coyo.jku-allowlist",
        "download only from an allowlisted https origin",
        true,
    ),
    r(
        "coyo.fetch",
        "a fetched JWK Set, filtered; failures `key_unavailable`",
        true,
    ),
    r(
        "coyo.fetch-cache",
        "scenario: bounded cache with a refetch cool-down",
        true,
    ),
    r("watson.alg", "RS256 only", true),
    r("watson.token", "no token rejects `token_missing`", true),
    r(
        "watson.iss",
        "`iss` required, compared when configured",
        true,
    ),
    r("watson.sub", "`sub` visible ASCII, the user id", true),
    r("watson.exp", "`exp` required, exp == now rejects", true),
    r(
        "watson.user-payload",
        "RSA-OAEP `user_payload` as node-rsa makes it",
        true,
    ),
    r(
        "watson.sub-pinning",
        "scenario: a session pins its `sub`",
        true,
    ),
    r("watson.refresh", "scenario: expired token replaced", true),
    r("pomerium.alg", "ES256 only", true),
    r(
        "pomerium.header",
        "the assertion header, case-insensitive, no conflicts",
        true,
    ),
    r("pomerium.exp", "`exp` required, 60 s skew", true),
    r("pomerium.iat", "`iat` with 60 s skew", true),
    r(
        "pomerium.aud",
        "`aud` contains the configured audience",
        true,
    ),
    r("pomerium.iss", "`iss` equals the configured issuer", true),
    r(
        "pomerium.identity",
        "identity only from the verified token",
        true,
    ),
    r(
        "pomerium.jwks",
        "keys from configuration, never from the token's `iss`",
        true,
    ),
    r(
        "pomerium.strip",
        "proxy role: client `x-pomerium-*` headers stripped",
        true,
    ),
    r(
        "external.wycheproof-jws",
        "Wycheproof json_web_signature_test.json, plain JWS",
        true,
    ),
    r(
        "external.wycheproof-jwk",
        "Wycheproof json_web_key_test.json, JWS against key sets",
        true,
    ),
];

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}
