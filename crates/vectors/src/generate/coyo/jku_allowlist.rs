//! Vectors `coyo/jku-allowlist.json`, rule `coyo.jku-allowlist`: download only from an
//! allowlisted https origin.

use serde_json::json;
use url::Url;

use super::{
    claims, ctx, jku_hdr, jwks, ok, out, published, served, ALLOWED, ALLOWED6, JKU, JKU6, ONPREM,
    TENANT,
};
use crate::generate::{with, Group};
use crate::mint::Mint;
use crate::model::Severity::{self, Critical, High, Low, Medium};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("coyo", "jku-allowlist");
    let rule = "coyo.jku-allowlist";
    let refs = ["RFC 8725 §3.10", "RFC 3986 §3.2", "WHATWG URL"];
    let c = claims(TENANT, now);
    let genuine = |jku: &str| m.jwt("RS256", "rsa-2048-c", &jku_hdr("rsa-2048-c", jku), &c);
    let attacker = |jku: &str| m.jwt("RS256", "rsa-2048-b", &jku_hdr("rsa-2048-b", jku), &c);
    for (name, jku) in [
        ("exact", JKU),
        (
            "exact-with-query",
            "https://pubkeys.coyocloud.example/jwks.json?tenant=acme",
        ),
        ("ipv6-origin-exact", JKU6),
    ] {
        g.case(
            name,
            rule,
            Low,
            &format!("jku {jku}: an allowlisted https origin, canonical; fetched"),
        )
        .token(genuine(jku))
        .context(ctx())
        .network(json!({ jku: ok(&served(m)) }))
        .max_fetches(1)
        .accept(out(TENANT));
    }
    let attacker_jwks = jwks(vec![published(m, "rsa-2048-b", json!({}))]);
    let data_url = format!(
        "data:application/json;base64,{}",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &attacker_jwks)
    );
    let tricks = tricks(data_url);
    for (name, sev, jku, what) in &tricks {
        assert!(
            !names_allowed_origin(jku),
            "generator: jku trick {name} parses to an allowlisted origin"
        );
        g.case(
            name,
            rule,
            *sev,
            &format!("jku is {what} ({jku:?}): rejected before any fetch"),
        )
        .refs(&refs)
        .token(attacker(jku))
        .context(ctx())
        .max_fetches(0)
        .reject("jku_not_allowed");
    }
    g.case(
        "jku-not-a-string",
        rule,
        High,
        "jku is an array holding the allowlisted URL",
    )
    .token(m.jwt(
        "RS256",
        "rsa-2048-c",
        &json!({"alg": "RS256", "kid": "rsa-2048-c", "jku": [JKU]}),
        &c,
    ))
    .context(ctx())
    .max_fetches(0)
    .reject("malformed");
    g.case(
        "empty-allowlist",
        rule,
        High,
        "the exact allowlisted URL when the allowlist is empty",
    )
    .token(genuine(JKU))
    .context(with(ctx(), json!({"jku_allowlist": []})))
    .max_fetches(0)
    .reject("jku_not_allowed");
    // Spellings that parse (WHATWG) to an allowlisted origin: either; the reference
    // rejects any jku that is not its own serialization. The network serves the genuine
    // set at the serialization and, where the raw text names the same host under any
    // parser, at the raw text too.
    let spellings: Vec<(&str, String, bool, &str)> = vec![
        ("host-upper-case", "https://PUBKEYS.CoyoCloud.Example/jwks.json".into(), true, "the host in mixed case"),
        ("scheme-upper-case", "HTTPS://pubkeys.coyocloud.example/jwks.json".into(), true, "the scheme in upper case"),
        ("explicit-port-443", "https://pubkeys.coyocloud.example:443/jwks.json".into(), true, "the default port written out"),
        ("port-leading-zero", "https://pubkeys.coyocloud.example:0443/jwks.json".into(), true, "port 0443"),
        ("percent-encoded-dot", "https://pubkeys%2Ecoyocloud.example/jwks.json".into(), true, "a percent-encoded '.' in the host"),
        ("percent-encoded-letter", "https://%70ubkeys.coyocloud.example/jwks.json".into(), true, "a percent-encoded 'p' in the host"),
        ("fullwidth-full-stop", "https://pubkeys.coyocloud\u{ff0e}example/jwks.json".into(), true, "a fullwidth full stop (U+FF0E) in the host"),
        ("fullwidth-letters", "https://\u{ff50}\u{ff55}\u{ff42}\u{ff4b}\u{ff45}\u{ff59}\u{ff53}.coyocloud.example/jwks.json".into(), true, "fullwidth letters in the host (NFKC: ASCII)"),
        ("no-path", ALLOWED.to_string(), true, "no path (it serializes with '/')"),
        ("dot-segments", "https://pubkeys.coyocloud.example/keys/../jwks.json".into(), true, "a '..' segment in the path"),
        ("encoded-dot-segments", "https://pubkeys.coyocloud.example/%2e%2e/jwks.json".into(), true, "a %2e%2e segment in the path"),
        ("leading-space", " https://pubkeys.coyocloud.example/jwks.json".into(), true, "a leading space (WHATWG strips it)"),
        ("tab-in-host", "https://pubkeys.coyo\tcloud.example/jwks.json".into(), true, "a tab inside the host (WHATWG removes it)"),
        ("no-slashes", "https:pubkeys.coyocloud.example/jwks.json".into(), true, "https: without '//'"),
        ("three-slashes", "https:///pubkeys.coyocloud.example/jwks.json".into(), true, "https: with '///'"),
        ("backslashes", "https:\\\\pubkeys.coyocloud.example\\jwks.json".into(), true, "backslashes for every slash"),
        ("backslash-userinfo-lookalike", "https://pubkeys.coyocloud.example\\@evil.example/jwks.json".into(), false,
            "a backslash read as a path separator (WHATWG) before @evil.example: an RFC 3986 parser sees userinfo and the attacker's host, so only the WHATWG serialization may be fetched"),
        ("ipv6-non-canonical", "https://[2001:0db8:0:0::10]:8443/jwks.json".into(), true, "the allowlisted IPv6 address with leading zeros"),
        ("userinfo-on-allowed-host", "https://user:secret@pubkeys.coyocloud.example/jwks.json".into(), true, "credentials before the allowlisted host"),
    ];
    for (name, jku, raw_ok, what) in &spellings {
        let parsed = Url::parse(jku).expect("a spelling parses");
        assert!(
            names_allowed_origin(jku),
            "generator: spelling {name} does not parse to an allowlisted origin"
        );
        let serialized = parsed.as_str().to_owned();
        let mut network = json!({ serialized.clone(): ok(&served(m)) });
        if *raw_ok {
            network[jku.as_str()] = ok(&served(m));
        }
        g.case(
            name,
            rule,
            Low,
            &format!(
                "jku is {what} ({jku:?}): it parses to the allowlisted origin as {serialized}"
            ),
        )
        .refs(&["WHATWG URL"])
        .token(genuine(jku))
        .context(ctx())
        .network(network)
        .max_fetches(1)
        .either("jku_not_allowed");
    }
    let dot = "https://pubkeys.coyocloud.example./jwks.json";
    g.case(
        "trailing-dot",
        rule,
        Low,
        "the allowlisted host with a trailing dot: the same DNS name, another WHATWG origin",
    )
    .refs(&["RFC 1034 §3.1"])
    .token(genuine(dot))
    .context(ctx())
    .network(json!({ dot: ok(&served(m)) }))
    .max_fetches(1)
    .either("jku_not_allowed");
    let long = format!("{JKU}?pad={}", "a".repeat(9000));
    g.case(
        "long-jku",
        rule,
        Low,
        "a canonical allowlisted jku of 9 KB (the reference refuses jku over 2048 bytes unparsed)",
    )
    .token(genuine(&long))
    .context(ctx())
    .network(json!({ long.clone(): ok(&served(m)) }))
    .max_fetches(1)
    .either("jku_not_allowed");
    g.case("other-issuer-unlisted-origin", rule, Critical,
        "forged: an issuer no pattern matches, signed by the attacker, jku on the attacker's origin")
        .token(m.jwt("RS256", "rsa-2048-b", &jku_hdr("rsa-2048-b", "https://evil.example/jwks.json"), &claims(ONPREM, now)))
        .context(ctx())
        .max_fetches(0)
        .reject("jku_not_allowed");
    g.finish()
}

/// The allowlist as the verifier parses it, for checking the trick table.
fn allowed_origins() -> Vec<url::Origin> {
    [ALLOWED, ALLOWED6]
        .iter()
        .map(|a| Url::parse(a).unwrap().origin())
        .collect()
}

fn names_allowed_origin(jku: &str) -> bool {
    Url::parse(jku).is_ok_and(|u| u.scheme() == "https" && allowed_origins().contains(&u.origin()))
}

/// A jku trick: name, severity, the jku, what it is.
pub type Trick = (&'static str, Severity, String, &'static str);

/// The jku tricks that name another origin than the allowlisted
/// `https://pubkeys.coyocloud.example` (or none), with `evil.example` as the attacker's
/// host; `data_url` holds the attacker's JWK Set. Rejected, nothing fetched. `jwtc attack`
/// replaces the two host names with a token's jku origin and its attacker origin.
pub fn tricks(data_url: String) -> Vec<Trick> {
    vec![
        (
            "suffix-host",
            Critical,
            "https://pubkeys.coyocloud.example.evil.example/jwks.json".into(),
            "the allowlisted host as a prefix of the attacker's",
        ),
        (
            "subdomain-of-allowed",
            High,
            "https://evil.pubkeys.coyocloud.example/jwks.json".into(),
            "a subdomain of the allowlisted host",
        ),
        (
            "prefixed-label",
            Critical,
            "https://evilpubkeys.coyocloud.example/jwks.json".into(),
            "the allowlisted host with a prefix on its first label",
        ),
        (
            "userinfo-host",
            Critical,
            "https://pubkeys.coyocloud.example@evil.example/jwks.json".into(),
            "the allowlisted host as userinfo before the attacker's host",
        ),
        (
            "userinfo-host-port",
            Critical,
            "https://pubkeys.coyocloud.example:443@evil.example/jwks.json".into(),
            "the allowlisted host and :443 as userinfo",
        ),
        (
            "userinfo-encoded-slash",
            Critical,
            "https://pubkeys.coyocloud.example%2f@evil.example/jwks.json".into(),
            "userinfo ending in %2f, which a decoding parser reads as a path",
        ),
        (
            "fragment-at",
            Critical,
            "https://evil.example#@pubkeys.coyocloud.example/jwks.json".into(),
            "the attacker's host, then #@ and the allowlisted host in the fragment",
        ),
        (
            "query-at",
            Critical,
            "https://evil.example?@pubkeys.coyocloud.example/jwks.json".into(),
            "the attacker's host, then ?@ and the allowlisted host in the query",
        ),
        (
            "host-in-path",
            Critical,
            "https://evil.example/pubkeys.coyocloud.example/jwks.json".into(),
            "the allowlisted host as a path segment",
        ),
        (
            "url-in-query",
            Critical,
            "https://evil.example/jwks.json?u=https://pubkeys.coyocloud.example/jwks.json".into(),
            "the allowlisted URL in the attacker's query",
        ),
        (
            "backslash-attacker-host",
            Critical,
            "https://evil.example\\.pubkeys.coyocloud.example/jwks.json".into(),
            "a backslash after the attacker's host: WHATWG reads it as a path separator",
        ),
        (
            "http-scheme",
            High,
            "http://pubkeys.coyocloud.example/jwks.json".into(),
            "http: the seed requires TLS",
        ),
        (
            "http-port-443",
            High,
            "http://pubkeys.coyocloud.example:443/jwks.json".into(),
            "http: on port 443",
        ),
        (
            "other-port",
            High,
            "https://pubkeys.coyocloud.example:8443/jwks.json".into(),
            "the allowlisted host on another port",
        ),
        (
            "port-overflow",
            High,
            "https://pubkeys.coyocloud.example:4294967739/jwks.json".into(),
            "port 2^32 + 443, which a 32-bit parser wraps to 443 (WHATWG: a failure)",
        ),
        (
            "file-scheme",
            Critical,
            "file:///etc/coyo/jwks.json".into(),
            "a file: URL",
        ),
        (
            "ftp-scheme",
            High,
            "ftp://pubkeys.coyocloud.example/jwks.json".into(),
            "ftp: on the allowlisted host",
        ),
        (
            "data-url",
            Critical,
            data_url,
            "a data: URL holding the attacker's JWK Set",
        ),
        (
            "relative-path",
            High,
            "/jwks.json".into(),
            "a relative path",
        ),
        (
            "scheme-relative",
            Critical,
            "//evil.example/jwks.json".into(),
            "a scheme-relative URL to the attacker",
        ),
        ("empty", Medium, String::new(), "an empty string"),
        (
            "idn-homograph",
            Critical,
            "https://pubkeys.coyocloud.ex\u{430}mple/jwks.json".into(),
            "a Cyrillic а in the host (punycode: another domain)",
        ),
        (
            "ideographic-full-stop",
            Critical,
            "https://pubkeys.coyocloud.example\u{3002}evil.example/jwks.json".into(),
            "U+3002 after the allowlisted host: IDNA maps it to '.', a suffix host",
        ),
        (
            "encoded-ideographic-full-stop",
            Critical,
            "https://pubkeys.coyocloud.example%E3%80%82evil.example/jwks.json".into(),
            "U+3002 percent-encoded: decoded, a suffix host",
        ),
        (
            "nul-in-host",
            High,
            "https://pubkeys.coyocloud.example%00.evil.example/jwks.json".into(),
            "a percent-encoded NUL in the host: a C resolver stops there",
        ),
        (
            "ipv4-loopback",
            High,
            "https://127.0.0.1/jwks.json".into(),
            "the loopback address",
        ),
        (
            "ipv4-hex-loopback",
            High,
            "https://0x7f.1/jwks.json".into(),
            "the loopback address in hex shorthand",
        ),
        (
            "ipv6-mapped-loopback",
            High,
            "https://[::ffff:127.0.0.1]/jwks.json".into(),
            "the loopback address as an IPv4-mapped IPv6 literal",
        ),
        (
            "ipv6-other-address",
            High,
            "https://[2001:db8::11]:8443/jwks.json".into(),
            "the next IPv6 address after the allowlisted one",
        ),
        (
            "ipv6-default-port",
            High,
            "https://[2001:db8::10]/jwks.json".into(),
            "the allowlisted IPv6 host on port 443, not 8443",
        ),
        (
            "attacker-host",
            Critical,
            "https://evil.example/jwks.json".into(),
            "the attacker's host, plainly",
        ),
    ]
}
