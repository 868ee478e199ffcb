//! Vectors `coyo/issuer-keys.json`, rule `coyo.issuer-keys`: keys registered under an
//! anchored issuer pattern.

use serde_json::{json, Value};

use super::{claims, ctx, hdr, jku_hdr, ok, out, served, JKU, ONPREM, PATTERN, SEED_PATTERN, SOME};
use crate::generate::{with, Group};
use crate::mint::Mint;
use crate::model::Severity::{Critical, High, Low, Medium};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("coyo", "issuer-keys");
    let rule = "coyo.issuer-keys";
    let tok = |key: &str, kid: Option<&str>, iss: &str| {
        let h = match kid {
            Some(k) => hdr(k),
            None => json!({"alg": "RS256"}),
        };
        m.jwt("RS256", key, &h, &claims(iss, now))
    };
    let only =
        |pattern: &str, keys: Value| json!({"issuers": [{"pattern": pattern, "keys": keys}]});
    g.case(
        "seed-pattern",
        rule,
        Low,
        "the seed's pattern /^https:\\/\\/some.site$/i verbatim; iss https://some.site",
    )
    .token(tok("rsa-2048-a", Some("rsa-2048-a"), SOME))
    .context(only(SEED_PATTERN, json!(["rsa-2048-a"])))
    .accept(out(SOME));
    g.case(
        "case-insensitive-flag",
        rule,
        Low,
        "the i flag: iss HTTPS://SOME.SITE matches; the output keeps iss as signed",
    )
    .token(tok("rsa-2048-a", Some("rsa-2048-a"), "HTTPS://SOME.SITE"))
    .context(ctx())
    .accept(out("HTTPS://SOME.SITE"));
    g.case(
        "no-flag-case-sensitive",
        rule,
        Medium,
        "no i flag: iss HTTPS://SOME.SITE does not match, so no key (and no jku)",
    )
    .token(tok("rsa-2048-a", Some("rsa-2048-a"), "HTTPS://SOME.SITE"))
    .context(only(r"/^https:\/\/some\.site$/", json!(["rsa-2048-a"])))
    .reject("key_unknown");
    g.case("seed-pattern-unescaped-dot", rule, Low,
        "the seed's pattern (unescaped '.') matches https://someXsite: regular-expression semantics as configured; the configuration lint warns")
        .token(tok("rsa-2048-a", Some("rsa-2048-a"), "https://someXsite"))
        .context(only(SEED_PATTERN, json!(["rsa-2048-a"])))
        .accept(out("https://someXsite"));
    let unanchored = r"https://some\.site";
    g.case("unanchored-pattern-url-suffix", rule, High,
        "the unanchored pattern https://some\\.site and iss https://evil.example/https://some.site: matched in full, so no key")
        .token(tok("rsa-2048-a", Some("rsa-2048-a"), "https://evil.example/https://some.site"))
        .context(only(unanchored, json!(["rsa-2048-a"])))
        .reject("key_unknown");
    g.case(
        "unanchored-pattern-host-suffix",
        rule,
        High,
        "the unanchored pattern and iss https://some.site.evil.example",
    )
    .token(tok(
        "rsa-2048-a",
        Some("rsa-2048-a"),
        "https://some.site.evil.example",
    ))
    .context(only(unanchored, json!(["rsa-2048-a"])))
    .reject("key_unknown");
    g.case(
        "unanchored-pattern-exact",
        rule,
        Low,
        "the unanchored pattern and iss exactly https://some.site",
    )
    .token(tok("rsa-2048-a", Some("rsa-2048-a"), SOME))
    .context(only(unanchored, json!(["rsa-2048-a"])))
    .accept(out(SOME));
    g.case("trailing-newline", rule, High,
        "iss \"https://some.site\\n\": a '$' that matches before a final newline (Python's re) would accept it")
        .token(tok("rsa-2048-a", Some("rsa-2048-a"), "https://some.site\n"))
        .context(ctx())
        .reject("key_unknown");
    let rotation = only(PATTERN, json!(["rsa-2048-a", "rsa-3072-a"]));
    for (name, key) in [
        ("rotation-old-key", "rsa-2048-a"),
        ("rotation-new-key", "rsa-3072-a"),
    ] {
        g.case(
            name,
            rule,
            Low,
            &format!("two keys registered for the issuer (rotation); signed by {key}"),
        )
        .token(tok(key, Some(key), SOME))
        .context(rotation.clone())
        .accept(out(SOME));
    }
    g.case(
        "rotation-no-kid",
        rule,
        Low,
        "two keys registered; no kid; signed by the second",
    )
    .token(tok("rsa-3072-a", None, SOME))
    .context(rotation)
    .accept(out(SOME));
    let two = json!({"issuers": [
        {"pattern": PATTERN, "keys": ["rsa-2048-a"]},
        {"pattern": r"/^https:\/\/other\.site$/", "keys": ["rsa-2048-b"]}
    ]});
    g.case(
        "other-issuer-own-key",
        rule,
        Low,
        "two issuers; https://other.site signed by its own key",
    )
    .token(tok("rsa-2048-b", Some("rsa-2048-b"), "https://other.site"))
    .context(two.clone())
    .accept(out("https://other.site"));
    g.case("cross-issuer-kid", rule, Critical,
        "a token naming https://other.site signed by the key registered for https://some.site (its kid named)")
        .token(tok("rsa-2048-a", Some("rsa-2048-a"), "https://other.site"))
        .context(two.clone())
        .reject("key_unknown");
    g.case("cross-issuer-no-kid", rule, Critical,
        "a token naming https://other.site signed by some.site's key, no kid: only other.site's key is a candidate")
        .token(tok("rsa-2048-a", None, "https://other.site"))
        .context(two)
        .reject("bad_signature");
    g.case("known-key-fails-no-fetch", rule, Critical,
        "kid names some.site's key, the signature is the attacker's, and the header has an allowlisted jku: bad_signature, nothing fetched")
        .token(m.jwt("RS256", "rsa-2048-b", &jku_hdr("rsa-2048-a", JKU), &claims(SOME, now)))
        .context(ctx())
        .network(json!({ JKU: ok(&served(m)) }))
        .max_fetches(0)
        .reject("bad_signature");
    let lifecycle = json!({"iss": SOME, "iat": now - 5, "exp": now + 300,
        "event": "install", "tenantId": "3f2a", "pluginId": "hello-world"});
    g.case(
        "lifecycle-event",
        rule,
        Low,
        "a lifecycle-event token (install, no sub): the same rules as front-end tokens",
    )
    .token(m.jwt("RS256", "rsa-2048-a", &hdr("rsa-2048-a"), &lifecycle))
    .context(ctx())
    .accept(json!({"iss": SOME}));
    g.case(
        "lifecycle-event-forged",
        rule,
        Critical,
        "a lifecycle-event token signed by the attacker, kid naming some.site's key",
    )
    .token(m.jwt("RS256", "rsa-2048-b", &hdr("rsa-2048-a"), &lifecycle))
    .context(ctx())
    .reject("bad_signature");
    g.case(
        "pattern-does-not-compile",
        rule,
        Medium,
        "the only issuer pattern does not compile (a configuration error that names it): no key",
    )
    .token(tok("rsa-2048-a", Some("rsa-2048-a"), SOME))
    .context(only(r"/^https:\/\/some\.site($/i", json!(["rsa-2048-a"])))
    .reject("key_unknown");
    g.case(
        "pattern-unsupported-flag",
        rule,
        Medium,
        "the pattern has the g flag (refused: a stateful test in JavaScript): no key",
    )
    .token(tok("rsa-2048-a", Some("rsa-2048-a"), SOME))
    .context(only(r"/^https:\/\/some\.site$/g", json!(["rsa-2048-a"])))
    .reject("key_unknown");
    g.case(
        "iss-missing",
        rule,
        Medium,
        "no iss: no pattern can match, no key",
    )
    .token(m.jwt(
        "RS256",
        "rsa-2048-a",
        &hdr("rsa-2048-a"),
        &json!({"sub": "user-1", "exp": now + 3600}),
    ))
    .context(ctx())
    .reject("key_unknown");
    g.case(
        "iss-missing-builtin-key",
        rule,
        Medium,
        "no iss, signed by a built-in key: verified, then iss is required",
    )
    .token(m.jwt(
        "RS256",
        "rsa-3072-a",
        &hdr("rsa-3072-a"),
        &json!({"sub": "user-1", "exp": now + 3600}),
    ))
    .context(ctx())
    .reject("claim_missing");
    g.case(
        "expired",
        rule,
        Medium,
        "a registered key's token whose exp is a second before the suite clock",
    )
    .token(m.jwt(
        "RS256",
        "rsa-2048-a",
        &hdr("rsa-2048-a"),
        &with(claims(SOME, now), json!({"exp": now - 1})),
    ))
    .context(ctx())
    .reject("expired");
    g.case(
        "nbf-past",
        rule,
        Low,
        "a registered key's token with nbf a minute before the suite clock",
    )
    .token(m.jwt(
        "RS256",
        "rsa-2048-a",
        &hdr("rsa-2048-a"),
        &with(claims(SOME, now), json!({"nbf": now - 60})),
    ))
    .context(ctx())
    .accept(out(SOME));
    g.case(
        "other-issuer-no-jku",
        rule,
        Critical,
        "forged: an issuer no pattern matches, signed by the attacker, no jku: no key at all",
    )
    .token(m.jwt(
        "RS256",
        "rsa-2048-b",
        &hdr("rsa-2048-b"),
        &claims(ONPREM, now),
    ))
    .context(ctx())
    .max_fetches(0)
    .reject("key_unknown");
    g.finish()
}
