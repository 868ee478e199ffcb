//! Vectors `coyo/fetch-cache.json`, rule `coyo.fetch-cache`: scenario: bounded cache with a
//! refetch cool-down.

use serde_json::json;

use super::{claims, ctx, jku_hdr, jwks, ok, out, published, served, JKU, TENANT};
use crate::generate::{expect, with, Group};
use crate::mint::Mint;
use crate::model::Severity::{Critical, High, Medium};
use crate::model::{VectorFile, Verdict};

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("coyo", "fetch-cache");
    let rule = "coyo.fetch-cache";
    let c = claims(TENANT, now);
    let genuine = m.jwt("RS256", "rsa-2048-c", &jku_hdr("rsa-2048-c", JKU), &c);
    let genuine2 = m.jwt(
        "RS256",
        "rsa-2048-c",
        &jku_hdr("rsa-2048-c", JKU),
        &with(c.clone(), json!({"sub": "user-2"})),
    );
    let accept = || expect(Verdict::Accept, None, Some(out(TENANT)));
    let net = json!({ JKU: ok(&served(m)) });
    g.case(
        "cached-set-reused",
        rule,
        Medium,
        "three tokens with the same jku and kid: the set is fetched once",
    )
    .context(ctx())
    .network(net.clone())
    .max_fetches(1)
    .step(
        "first token: fetched",
        json!({"token": genuine}),
        None,
        accept(),
    )
    .step(
        "another user, same key: from the cache",
        json!({"token": genuine2}),
        None,
        expect(
            Verdict::Accept,
            None,
            Some(json!({"iss": TENANT, "sub": "user-2"})),
        ),
    )
    .step(
        "the first token again",
        json!({"token": genuine}),
        None,
        accept(),
    )
    .scenario();
    let mut b = g
        .case("unknown-kid-refetch-bounded", rule, High,
            "after the set is fetched, twelve tokens with kids the set lacks: at most one refetch within the cool-down (two fetches in all)")
        .context(ctx())
        .network(net.clone())
        .max_fetches(2)
        .step("genuine token: fetched", json!({"token": genuine}), None, accept());
    for i in 0..12 {
        let t = m.jwt(
            "RS256",
            "rsa-2048-b",
            &jku_hdr(&format!("unknown-{i}"), JKU),
            &c,
        );
        b = b.step(
            &format!("kid unknown-{i}: not in the set"),
            json!({ "token": t }),
            None,
            expect(Verdict::Reject, Some("key_unknown"), None),
        );
    }
    b.step(
        "the genuine token still verifies",
        json!({"token": genuine}),
        None,
        accept(),
    )
    .scenario();
    let mut b = g
        .case(
            "failing-url-not-hammered",
            rule,
            High,
            "the jku answers HTTP 503; ten tokens in a row: at most one retry within the cool-down",
        )
        .context(ctx())
        .network(json!({ JKU: {"status": 503, "body": "busy"} }))
        .max_fetches(2);
    for i in 0..10 {
        b = b.step(
            &format!("attempt {}", i + 1),
            json!({ "token": genuine }),
            None,
            expect(Verdict::Reject, Some("key_unavailable"), None),
        );
    }
    b.scenario();
    let v2 = "https://pubkeys.coyocloud.example/v2/jwks.json";
    let other_set = jwks(vec![published(m, "rsa-3072-a", json!({"kid": "v2-key"}))]);
    let via_v2 = m.jwt("RS256", "rsa-3072-a", &jku_hdr("v2-key", v2), &c);
    g.case(
        "two-urls-cached-apart",
        rule,
        Medium,
        "two allowlisted jku URLs, alternating: each set is fetched once and keeps to its URL (one refetch allowed for the unknown kid at the end)",
    )
    .context(with(ctx(), json!({"builtin": []})))
    .network(json!({ JKU: ok(&served(m)), v2: ok(&other_set) }))
    .max_fetches(3)
    .step("first URL", json!({"token": genuine}), None, accept())
    .step("second URL", json!({"token": via_v2}), None, accept())
    .step("first URL again", json!({"token": genuine}), None, accept())
    .step("second URL again", json!({"token": via_v2}), None, accept())
    .step(
        "the second URL's kid under the first URL: not in that set",
        json!({"token": m.jwt("RS256", "rsa-3072-a", &jku_hdr("v2-key", JKU), &c)}),
        None,
        expect(Verdict::Reject, Some("key_unknown"), None),
    )
    .scenario();
    g.case(
        "cached-key-still-checked",
        rule,
        Critical,
        "after the set is cached, a token with the cached kid signed by the attacker: the cached key is checked (at most one refetch)",
    )
    .context(ctx())
    .network(net)
    .max_fetches(2)
    .step(
        "genuine token: fetched",
        json!({"token": genuine}),
        None,
        accept(),
    )
    .step(
        "forged token, same kid and jku",
        json!({"token": m.jwt("RS256", "rsa-2048-b", &jku_hdr("rsa-2048-c", JKU), &c)}),
        None,
        expect(Verdict::Reject, Some("bad_signature"), None),
    )
    .scenario();
    g.finish()
}
