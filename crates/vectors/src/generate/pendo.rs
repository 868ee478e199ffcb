//! Profile `pendo` (seed 000): signed metadata events under a subscription's mode and
//! named HS256 keys. Keys `pendo-1` … `pendo-6` are secrets as Pendo shows them (text);
//! the HMAC key is the text's UTF-8 bytes, which is what their JWK `k` holds.

use base64::Engine;
use serde_json::{json, Value};

use super::{expect, split, with, CaseBuilder, Group};
use crate::mint::{hmac, Mint};
use crate::model::Severity::{Critical, High, Low, Medium};
use crate::model::{VectorFile, Verdict};
use jwtc_verifier::b64;

const VISITOR: &str = "VISITOR-UNIQUE-ID";
const ACCOUNT: &str = "ACCOUNT-UNIQUE-ID";

fn hdr() -> Value {
    json!({"alg": "HS256", "typ": "JWT"})
}

/// The seed's snippet payload: visitor, account, and a top-level nonce.
fn claims(nonce: &str) -> Value {
    json!({
        "visitor": {"id": VISITOR, "email": "visitor@example.com", "full_name": "Ada Lovelace"},
        "account": {"id": ACCOUNT, "is_paying": true},
        "nonce": nonce,
    })
}

fn ctx(mode: &str, keys: &[&str], revoked: &[&str]) -> Value {
    json!({"mode": mode, "keys": keys, "revoked": revoked})
}

fn allow() -> Value {
    ctx("allow", &["pendo-1", "pendo-2"], &[])
}

fn signed(id: &str, jwt: &str, key: &str) -> Value {
    json!({"event": {"id": id, "jwt": jwt, "signingKeyName": key}})
}

fn plain(id: &str, metadata: Value) -> Value {
    json!({"event": {"id": id, "metadata": metadata}})
}

fn out(visitor: Option<&str>, account: Option<&str>, signed: bool) -> Value {
    let mut o = json!({"anonymous": visitor.is_none(), "signed": signed});
    if let Some(v) = visitor {
        o["visitor_id"] = json!(v);
    }
    if let Some(a) = account {
        o["account_id"] = json!(a);
    }
    o
}

fn full(signed: bool) -> Value {
    out(Some(VISITOR), Some(ACCOUNT), signed)
}

fn tok(m: &Mint<'_>, key: &str, claims: &Value) -> String {
    m.jwt("HS256", key, &hdr(), claims)
}

/// A case whose event carries `claims` signed with pendo-1, in allow mode.
fn signed_case<'g>(
    g: &'g mut Group,
    m: &Mint<'_>,
    (name, rule): (&str, &str),
    severity: crate::model::Severity,
    description: &str,
    claims: &Value,
) -> CaseBuilder<'g> {
    g.case(name, rule, severity, description)
        .input(signed("e-1", &tok(m, "pendo-1", claims), "pendo-1"))
        .context(allow())
}

pub(super) fn files(m: &Mint<'_>, now: i64) -> Vec<VectorFile> {
    vec![
        alg(m),
        key_name(m),
        key_limit(m),
        nonce(m),
        visitor(m),
        identity(m),
        no_jti(m),
        exp(m, now),
        mode(m),
        rotation(m),
        dedupe(m),
    ]
}

fn alg(m: &Mint<'_>) -> VectorFile {
    let mut g = Group::new("pendo", "alg");
    let rule = "pendo.alg";
    let c = claims("n-alg");
    g.case(
        "hs256",
        rule,
        Low,
        "the seed's snippet payload signed HS256 with the named key",
    )
    .input(signed("e-1", &tok(m, "pendo-1", &c), "pendo-1"))
    .context(allow())
    .accept(full(true));
    for a in ["HS384", "HS512"] {
        let t = m.jwt(a, "pendo-1", &json!({"alg": a, "typ": "JWT"}), &c);
        g.case(
            &a.to_lowercase(),
            rule,
            Medium,
            &format!("{a} with the named key's secret: the seed says HMAC SHA-256"),
        )
        .input(signed("e-1", &t, "pendo-1"))
        .context(allow())
        .reject("alg_not_allowed");
    }
    let t = m.jwt("RS256", "rsa-2048-a", &json!({"alg": "RS256"}), &c);
    g.case(
        "rs256",
        rule,
        High,
        "RS256 under a subscription whose keys are HMAC secrets",
    )
    .refs(&["RFC 8725 §3.1"])
    .input(signed("e-1", &t, "pendo-1"))
    .context(allow())
    .reject("alg_not_allowed");
    let (_, p, s) = split(&tok(m, "pendo-1", &c));
    for (name, a) in [("none", "none"), ("none-upper", "None")] {
        let h = b64::encode(json!({"alg": a, "typ": "JWT"}).to_string());
        g.case(
            &format!("alg-{name}-with-signature"),
            rule,
            Critical,
            &format!("alg {a:?}, the genuine HS256 signature kept"),
        )
        .refs(&["CVE-2015-9235", "RFC 8725 §3.1"])
        .input(signed("e-1", &format!("{h}.{p}.{s}"), "pendo-1"))
        .context(allow())
        .reject("alg_not_allowed");
    }
    let h = b64::encode(json!({"alg": "none"}).to_string());
    g.case(
        "alg-none-unsecured",
        "core.segments",
        Critical,
        "an unsecured JWT (alg none, empty signature) with a signingKeyName",
    )
    .refs(&["CVE-2015-9235", "RFC 7519 §6"])
    .input(signed("e-1", &format!("{h}.{p}."), "pendo-1"))
    .context(allow())
    .reject("malformed");
    let t = m.jwt("HS256", "pendo-1", &json!({"alg": "hs256"}), &c);
    g.case(
        "hs256-lowercase",
        rule,
        Low,
        "alg \"hs256\": names are case-sensitive",
    )
    .input(signed("e-1", &t, "pendo-1"))
    .context(allow())
    .reject("alg_not_allowed");
    g.finish()
}

fn key_name(m: &Mint<'_>) -> VectorFile {
    let mut g = Group::new("pendo", "key-name");
    let rule = "pendo.key-name";
    let c = claims("n-key");
    for k in ["pendo-1", "pendo-2"] {
        g.case(
            &format!("named-{k}"),
            rule,
            Low,
            &format!("signed with {k}'s secret (its UTF-8 bytes) and naming {k}"),
        )
        .refs(&["RFC 7518 §3.2"])
        .input(signed("e-1", &tok(m, k, &c), k))
        .context(allow())
        .accept(full(true));
    }
    g.case(
        "unknown-name",
        rule,
        Critical,
        "signingKeyName names no key of the subscription (the token is signed by a key the attacker made)",
    )
    .input(signed("e-1", &tok(m, "hs256-a", &c), "attacker-key"))
    .context(allow())
    .reject("key_unknown");
    g.case(
        "name-case-differs",
        rule,
        Medium,
        "signingKeyName \"PENDO-1\" for the key pendo-1: names are compared exactly",
    )
    .input(signed("e-1", &tok(m, "pendo-1", &c), "PENDO-1"))
    .context(allow())
    .reject("key_unknown");
    g.case(
        "revoked-name",
        rule,
        Critical,
        "signed with and naming pendo-3, which the subscription revoked",
    )
    .input(signed("e-1", &tok(m, "pendo-3", &c), "pendo-3"))
    .context(ctx("allow", &["pendo-1", "pendo-2"], &["pendo-3"]))
    .reject("key_revoked");
    g.case(
        "jwt-without-key-name",
        rule,
        Medium,
        "a jwt and no signingKeyName",
    )
    .input(json!({"event": {"id": "e-1", "jwt": tok(m, "pendo-1", &c)}}))
    .context(allow())
    .reject("malformed");
    g.case(
        "key-name-without-jwt",
        rule,
        Medium,
        "a signingKeyName and no jwt, with plain metadata beside it",
    )
    .input(json!({"event": {"id": "e-1", "signingKeyName": "pendo-1", "metadata": {"visitor": {"id": VISITOR}}}}))
    .context(allow())
    .reject("malformed");
    g.case(
        "key-name-not-a-string",
        rule,
        Low,
        "signingKeyName is a number",
    )
    .input(json!({"event": {"id": "e-1", "jwt": tok(m, "pendo-1", &c), "signingKeyName": 1}}))
    .context(allow())
    .reject("malformed");
    g.case(
        "jwt-not-a-string",
        rule,
        Low,
        "jwt is a JSON object (the claims themselves, unsigned)",
    )
    .input(json!({"event": {"id": "e-1", "jwt": c, "signingKeyName": "pendo-1"}}))
    .context(allow())
    .reject("malformed");
    g.case(
        "signed-by-another-active-key",
        rule,
        Medium,
        "signed with pendo-2 but naming pendo-1; both are active (the reference verifies with the named key only)",
    )
    .input(signed("e-1", &tok(m, "pendo-2", &c), "pendo-1"))
    .context(allow())
    .either("bad_signature");
    // The secret as shown is text; a library that base64-decodes it gets other bytes.
    let shown = String::from_utf8(m.secret("pendo-1")).expect("pendo secrets are text");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(&shown)
        .expect("the pendo-1 secret is base64 text");
    let h = b64::encode(hdr().to_string());
    let p = b64::encode(c.to_string());
    let mac = hmac("HS256", &decoded, format!("{h}.{p}").as_bytes());
    g.case(
        "secret-base64-decoded",
        rule,
        High,
        "HMAC keyed with the base64-decoded secret instead of the secret's UTF-8 bytes",
    )
    .input(signed(
        "e-1",
        &format!("{h}.{p}.{}", b64::encode(mac)),
        "pendo-1",
    ))
    .context(allow())
    .reject("bad_signature");
    let t = m.jwt(
        "HS256",
        "pendo-1",
        &json!({"alg": "HS256", "kid": "pendo-2"}),
        &c,
    );
    g.case(
        "header-kid-ignored",
        rule,
        Low,
        "signed with pendo-1, naming pendo-1, with a header kid of pendo-2: signingKeyName selects the key",
    )
    .input(signed("e-1", &t, "pendo-1"))
    .context(allow())
    .accept(full(true));
    let (h, _, s) = split(&tok(m, "pendo-1", &c));
    let mut other = c.clone();
    other["visitor"]["id"] = json!("someone-else");
    let p2 = b64::encode(other.to_string());
    g.case(
        "payload-swapped",
        rule,
        Critical,
        "the payload replaced (another visitor id), the signature kept",
    )
    .input(signed("e-1", &format!("{h}.{p2}.{s}"), "pendo-1"))
    .context(allow())
    .reject("bad_signature");
    let forged = m.jwt(
        "HS256",
        "pendo-2",
        &hdr(),
        &json!({"visitor": {"id": 7}, "exp": 1}),
    );
    g.case(
        "forged-with-bad-claims",
        "core.order",
        Critical,
        "a forged token whose claims are also wrong (no nonce, visitor.id a number, expired): the signature decides",
    )
    .input(signed("e-1", &forged, "pendo-1"))
    .context(allow())
    .reject("bad_signature");
    g.finish()
}

fn key_limit(m: &Mint<'_>) -> VectorFile {
    let mut g = Group::new("pendo", "key-limit");
    let rule = "pendo.key-limit";
    let c = claims("n-limit");
    let five = ["pendo-1", "pendo-2", "pendo-3", "pendo-4", "pendo-5"];
    let six = [
        "pendo-1", "pendo-2", "pendo-3", "pendo-4", "pendo-5", "pendo-6",
    ];
    g.case(
        "five-keys-fifth-verifies",
        rule,
        Low,
        "five active keys (the limit); a token signed with the fifth",
    )
    .input(signed("e-1", &tok(m, "pendo-5", &c), "pendo-5"))
    .context(ctx("allow", &five, &[]))
    .accept(full(true));
    g.case(
        "six-keys-sixth-refused",
        rule,
        High,
        "six keys configured: the sixth is refused at configuration, so a token naming it is not verified",
    )
    .input(signed("e-1", &tok(m, "pendo-6", &c), "pendo-6"))
    .context(ctx("allow", &six, &[]))
    .reject("key_unknown");
    g.case(
        "six-keys-first-still-verifies",
        rule,
        Low,
        "six keys configured: the refused sixth does not disable the five before it",
    )
    .input(signed("e-1", &tok(m, "pendo-1", &c), "pendo-1"))
    .context(ctx("allow", &six, &[]))
    .accept(full(true));
    g.case(
        "revoked-and-listed-active",
        rule,
        Critical,
        "pendo-1 listed among the keys and among the revoked: re-activation is refused, the key stays revoked",
    )
    .input(signed("e-1", &tok(m, "pendo-1", &c), "pendo-1"))
    .context(ctx("allow", &["pendo-1", "pendo-2"], &["pendo-1"]))
    .reject("key_revoked");
    g.case(
        "six-with-one-revoked",
        rule,
        Low,
        "six keys ever, one revoked: five active, the sixth verifies",
    )
    .input(signed("e-1", &tok(m, "pendo-6", &c), "pendo-6"))
    .context(ctx(
        "allow",
        &["pendo-2", "pendo-3", "pendo-4", "pendo-5", "pendo-6"],
        &["pendo-1"],
    ))
    .accept(full(true));
    g.case(
        "short-secret-refused",
        rule,
        High,
        "a 16-byte secret configured as a key: refused (RFC 7518 §3.2), so a token naming it is not verified",
    )
    .refs(&["RFC 7518 §3.2"])
    .input(signed("e-1", &tok(m, "hs256-short", &c), "hs256-short"))
    .context(ctx("allow", &["pendo-1", "hs256-short"], &[]))
    .reject("key_unknown");
    g.finish()
}

fn nonce(m: &Mint<'_>) -> VectorFile {
    let mut g = Group::new("pendo", "nonce");
    let rule = "pendo.nonce";
    signed_case(
        &mut g,
        m,
        ("random-string", rule),
        Low,
        "a random nonce at the top level, beside visitor and account",
        &claims("f3b1c7e0-2a9d-4c61-9a57-0d2e8b4f6a13"),
    )
    .accept(full(true));
    let mut c = claims("x");
    c.as_object_mut().unwrap().remove("nonce");
    signed_case(
        &mut g,
        m,
        ("missing", rule),
        Medium,
        "no nonce anywhere",
        &c,
    )
    .reject("claim_missing");
    let mut n = c.clone();
    n["nonce"] = Value::Null;
    signed_case(&mut g, m, ("null", rule), Medium, "\"nonce\": null", &n).reject("claim_missing");
    let mut v = c.clone();
    v["visitor"]["nonce"] = json!("inside");
    signed_case(
        &mut g,
        m,
        ("inside-visitor-only", rule),
        Medium,
        "a nonce inside visitor and none at the top level (the seed: not contained within one of those sections)",
        &v,
    )
    .reject("claim_missing");
    let mut a = c.clone();
    a["account"]["nonce"] = json!("inside");
    signed_case(
        &mut g,
        m,
        ("inside-account-only", rule),
        Medium,
        "a nonce inside account and none at the top level",
        &a,
    )
    .reject("claim_missing");
    for (name, value, what) in [
        ("number", json!(12345), "a number"),
        ("boolean", json!(true), "a boolean"),
        ("object", json!({"v": "x"}), "an object"),
    ] {
        let mut x = c.clone();
        x["nonce"] = value;
        signed_case(
            &mut g,
            m,
            (name, rule),
            Low,
            &format!("nonce is {what}: the seed says a string but \"not explicitly validated\""),
            &x,
        )
        .either("claim_invalid");
    }
    signed_case(
        &mut g,
        m,
        ("empty-string", rule),
        Low,
        "nonce is the empty string: a value is present but says nothing (the reference accepts)",
        &claims(""),
    )
    .either("claim_invalid");
    g.finish()
}

fn visitor(m: &Mint<'_>) -> VectorFile {
    let mut g = Group::new("pendo", "visitor");
    let rule = "pendo.visitor";
    signed_case(
        &mut g,
        m,
        ("visitor-id-string", rule),
        Low,
        "visitor.id a string",
        &claims("n"),
    )
    .accept(full(true));
    signed_case(
        &mut g,
        m,
        ("anonymous-seed-example", rule),
        Low,
        "the seed's anonymous payload: visitor without id, account without id",
        &json!({"nonce": "abcdefg78910xyz", "visitor": {"otherVisitorField": "hi"}, "account": {"otherAccountField": "hello world"}}),
    )
    .accept(out(None, None, true));
    signed_case(
        &mut g,
        m,
        ("anonymous-no-visitor", rule),
        Low,
        "no visitor section at all, an account id",
        &json!({"nonce": "n", "account": {"id": ACCOUNT}}),
    )
    .accept(out(None, Some(ACCOUNT), true));
    signed_case(
        &mut g,
        m,
        ("nonce-only", rule),
        Low,
        "only a nonce: an anonymous visitor with no account",
        &json!({"nonce": "n"}),
    )
    .accept(out(None, None, true));
    for (name, value, sev, what) in [
        ("number", json!(12345), High, "a number"),
        ("array", json!(["a", "b"]), High, "an array"),
        ("object", json!({"id": VISITOR}), High, "an object"),
        ("boolean", json!(true), Medium, "a boolean"),
    ] {
        let mut c = claims("n");
        c["visitor"]["id"] = value;
        signed_case(
            &mut g,
            m,
            (&format!("visitor-id-{name}"), rule),
            sev,
            &format!("visitor.id is {what}: the seed says it must be a string"),
            &c,
        )
        .reject("claim_invalid");
    }
    for (name, value, what) in [
        ("null", Value::Null, "null"),
        ("empty", json!(""), "the empty string"),
    ] {
        let mut c = claims("n");
        c["visitor"]["id"] = value;
        signed_case(
            &mut g,
            m,
            (&format!("visitor-id-{name}"), rule),
            Low,
            &format!("visitor.id is {what}: anonymous or invalid (the reference rejects)"),
            &c,
        )
        .either("claim_invalid");
    }
    let mut c = claims("n");
    c["visitor"] = json!(VISITOR);
    signed_case(
        &mut g,
        m,
        ("visitor-not-object", rule),
        Medium,
        "visitor is the id string itself, not an object",
        &c,
    )
    .reject("claim_invalid");
    let mut c = claims("n");
    c["account"] = json!([ACCOUNT]);
    signed_case(
        &mut g,
        m,
        ("account-not-object", rule),
        Medium,
        "account is an array, not an object",
        &c,
    )
    .reject("claim_invalid");
    let mut c = claims("n");
    c["account"]["id"] = json!(42);
    signed_case(
        &mut g,
        m,
        ("account-id-number", rule),
        Low,
        "account.id is a number: the seed gives no type (the reference rejects; see decisions)",
        &c,
    )
    .either("claim_invalid");
    g.case(
        "plain-visitor-id-number",
        rule,
        Medium,
        "unsigned metadata (allow mode) whose visitor.id is a number: the same rule",
    )
    .input(plain("e-1", json!({"visitor": {"id": 12345}})))
    .context(allow())
    .reject("claim_invalid");
    g.case(
        "plain-anonymous",
        rule,
        Low,
        "unsigned event without metadata (allow mode): an anonymous visitor",
    )
    .input(json!({"event": {"id": "e-1"}}))
    .context(allow())
    .accept(out(None, None, false));
    g.finish()
}

fn identity(m: &Mint<'_>) -> VectorFile {
    let mut g = Group::new("pendo", "identity");
    let rule = "pendo.identity";
    let c = claims("n-id");
    let attacker = json!({"visitor": {"id": "attacker"}, "account": {"id": "attacker-account"}});
    for mode in ["allow", "only_signed"] {
        let mut input = signed("e-1", &tok(m, "pendo-1", &c), "pendo-1");
        input["event"]["metadata"] = attacker.clone();
        g.case(
            &format!("metadata-beside-jwt-{}", mode.replace('_', "-")),
            rule,
            Critical,
            &format!("{mode}: a verified jwt and plain metadata naming another visitor: identity comes from the jwt"),
        )
        .input(input)
        .context(ctx(mode, &["pendo-1", "pendo-2"], &[]))
        .accept(full(true));
    }
    let anon = json!({"nonce": "n", "visitor": {"otherVisitorField": "hi"}});
    let mut input = signed("e-1", &tok(m, "pendo-1", &anon), "pendo-1");
    input["event"]["metadata"] = attacker.clone();
    g.case(
        "anonymous-jwt-metadata-names-visitor",
        rule,
        Critical,
        "an anonymous verified jwt and plain metadata naming a visitor: the visitor stays anonymous",
    )
    .input(input)
    .context(allow())
    .accept(out(None, None, true));
    let (h, p, _) = split(&tok(m, "pendo-1", &c));
    let mut input = signed(
        "e-1",
        &format!("{h}.{p}.{}", b64::encode([0u8; 32])),
        "pendo-1",
    );
    input["event"]["metadata"] = attacker;
    g.case(
        "bad-jwt-no-fallback",
        rule,
        Critical,
        "a jwt that fails verification beside valid plain metadata: rejected, never read as the plain metadata",
    )
    .input(input)
    .context(allow())
    .reject("bad_signature");
    g.case(
        "plain-reported-unsigned",
        rule,
        Medium,
        "plain metadata in allow mode: accepted and reported signed: false",
    )
    .input(plain(
        "e-1",
        json!({"visitor": {"id": VISITOR}, "account": {"id": ACCOUNT}}),
    ))
    .context(allow())
    .accept(full(false));
    g.finish()
}

fn no_jti(m: &Mint<'_>) -> VectorFile {
    let mut g = Group::new("pendo", "no-jti");
    let rule = "pendo.no-jti";
    let mut c = claims("n-jti");
    c["jti"] = json!("0b8f6a52-8a1e-4c3b-a0cf-3f2e7d9b1c44");
    let t = tok(m, "pendo-1", &c);
    g.case(
        "jti-ignored",
        rule,
        Low,
        "a token with a jti: the claim is not supported and is ignored",
    )
    .input(signed("e-1", &t, "pendo-1"))
    .context(allow())
    .accept(full(true));
    g.case(
        "same-token-new-events",
        rule,
        Medium,
        "one token (with a jti) in three events: accepted while the event id is new, dropped when the id repeats",
    )
    .context(allow())
    .step(
        "first event with the token",
        signed("e-1", &t, "pendo-1"),
        None,
        expect(Verdict::Accept, None, Some(full(true))),
    )
    .step(
        "another event, the same token: no jti replay check",
        signed("e-2", &t, "pendo-1"),
        None,
        expect(Verdict::Accept, None, Some(full(true))),
    )
    .step(
        "the first event id again: dropped by event id",
        signed("e-1", &t, "pendo-1"),
        None,
        expect(Verdict::Reject, Some("duplicate_event"), None),
    )
    .scenario();
    g.finish()
}

fn exp(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("pendo", "exp");
    let rule = "pendo.exp";
    signed_case(
        &mut g,
        m,
        ("no-exp", rule),
        Low,
        "no exp: \"valid as long as the signature is valid\"",
        &claims("n"),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .accept(full(true));
    signed_case(
        &mut g,
        m,
        ("iat-a-year-ago", rule),
        Low,
        "iat a year before the clock and no exp: a long-lived token is still valid",
        &with(claims("n-exp"), json!({"iat": now - 365 * 86400})),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .accept(full(true));
    signed_case(
        &mut g,
        m,
        ("exp-now-plus-1", rule),
        Low,
        "exp one second after the clock",
        &with(claims("n-exp"), json!({"exp": now + 1})),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .accept(full(true));
    signed_case(
        &mut g,
        m,
        ("exp-now", rule),
        Low,
        "exp exactly at the clock",
        &with(claims("n-exp"), json!({"exp": now})),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .either("expired");
    signed_case(
        &mut g,
        m,
        ("exp-now-minus-1", rule),
        Low,
        "exp one second before the clock",
        &with(claims("n-exp"), json!({"exp": now - 1})),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .either("expired");
    signed_case(
        &mut g,
        m,
        ("exp-a-year-ago", rule),
        Low,
        "exp a year before the clock",
        &with(claims("n-exp"), json!({"exp": now - 365 * 86400})),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .either("expired");
    signed_case(
        &mut g,
        m,
        ("nbf-now", rule),
        Low,
        "nbf exactly at the clock",
        &with(claims("n-exp"), json!({"nbf": now})),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .accept(full(true));
    signed_case(
        &mut g,
        m,
        ("nbf-now-plus-1", rule),
        Low,
        "nbf one second after the clock",
        &with(claims("n-exp"), json!({"nbf": now + 1})),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .either("not_yet_valid");
    signed_case(
        &mut g,
        m,
        ("exp-string", rule),
        Low,
        "exp is a string",
        &with(claims("n-exp"), json!({"exp": (now + 3600).to_string()})),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .either("claim_invalid");
    signed_case(
        &mut g,
        m,
        ("nbf-string", rule),
        Low,
        "nbf is a string",
        &with(claims("n-exp"), json!({"nbf": now.to_string()})),
    )
    .refs(&["RFC 7519 §4.1.4"])
    .either("claim_invalid");
    g.finish()
}

fn mode(m: &Mint<'_>) -> VectorFile {
    let mut g = Group::new("pendo", "mode");
    let rule = "pendo.mode";
    let c = claims("n-mode");
    let good = tok(m, "pendo-1", &c);
    let (h, p, _) = split(&good);
    let bad = format!(
        "{h}.{p}.{}",
        b64::encode(hmac(
            "HS256",
            b"not the key, 32 bytes long......",
            format!("{h}.{p}").as_bytes()
        ))
    );
    let meta = json!({"visitor": {"id": VISITOR}, "account": {"id": ACCOUNT}});
    let keys = ["pendo-1", "pendo-2"];
    let plain_ev = plain("e-1", meta.clone());
    for (mode, sev_bad) in [
        ("disabled", High),
        ("allow", Critical),
        ("only_signed", Critical),
    ] {
        let name = mode.replace('_', "-");
        let c = ctx(mode, &keys, &[]);
        let b = g
            .case(
                &format!("{name}-signed"),
                rule,
                Medium,
                &format!("{mode}: an event with a valid jwt"),
            )
            .input(signed("e-1", &good, "pendo-1"))
            .context(c.clone());
        match mode {
            "disabled" => b.reject("signed_not_accepted"),
            _ => b.accept(full(true)),
        }
        let b = g
            .case(
                &format!("{name}-unsigned"),
                rule,
                if mode == "only_signed" { Critical } else { Low },
                &format!("{mode}: plain metadata, no jwt"),
            )
            .input(plain_ev.clone())
            .context(c.clone());
        match mode {
            "only_signed" => b.reject("unsigned_rejected"),
            _ => b.accept(full(false)),
        }
        let b = g
            .case(
                &format!("{name}-bad-signature"),
                rule,
                sev_bad,
                &format!("{mode}: a jwt whose signature does not verify, plain metadata beside it"),
            )
            .input({
                let mut i = signed("e-1", &bad, "pendo-1");
                i["event"]["metadata"] = meta.clone();
                i
            })
            .context(c.clone());
        match mode {
            "disabled" => b.reject("signed_not_accepted"),
            _ => b.reject("bad_signature"),
        }
    }
    g.case(
        "disabled-garbage-jwt",
        rule,
        Low,
        "disabled: a jwt that is not a token at all is refused before it is parsed",
    )
    .input(signed("e-1", "not a token", "pendo-1"))
    .context(ctx("disabled", &keys, &[]))
    .reject("signed_not_accepted");
    g.case(
        "allow-malformed-jwt",
        rule,
        High,
        "allow: a malformed jwt beside plain metadata is rejected, not read as unsigned",
    )
    .input({
        let mut i = signed("e-1", "not a token", "pendo-1");
        i["event"]["metadata"] = meta.clone();
        i
    })
    .context(allow())
    .reject("malformed");
    g.case(
        "switch-allow-to-only-signed",
        rule,
        Critical,
        "the seed's rollout: allow, then \"Only allow signed metadata\" drops unsigned events, then disabled drops signed ones",
    )
    .context(ctx("allow", &keys, &[]))
    .step(
        "allow: plain metadata accepted",
        plain("e-1", meta.clone()),
        None,
        expect(Verdict::Accept, None, Some(full(false))),
    )
    .step(
        "allow: a signed event accepted",
        signed("e-2", &good, "pendo-1"),
        None,
        expect(Verdict::Accept, None, Some(full(true))),
    )
    .step(
        "only_signed: plain metadata now rejected",
        plain("e-3", meta.clone()),
        Some(ctx("only_signed", &keys, &[])),
        expect(Verdict::Reject, Some("unsigned_rejected"), None),
    )
    .step(
        "only_signed: a signed event accepted",
        signed("e-4", &good, "pendo-1"),
        None,
        expect(Verdict::Accept, None, Some(full(true))),
    )
    .step(
        "disabled: a signed event now refused",
        signed("e-5", &good, "pendo-1"),
        Some(ctx("disabled", &keys, &[])),
        expect(Verdict::Reject, Some("signed_not_accepted"), None),
    )
    .step(
        "disabled: plain metadata accepted again",
        plain("e-6", meta),
        None,
        expect(Verdict::Accept, None, Some(full(false))),
    )
    .scenario();
    g.finish()
}

fn rotation(m: &Mint<'_>) -> VectorFile {
    let mut g = Group::new("pendo", "rotation");
    let rule = "pendo.rotation";
    let c = claims("n-rot");
    let old = tok(m, "pendo-1", &c);
    let new = tok(m, "pendo-2", &c);
    let ok = || expect(Verdict::Accept, None, Some(full(true)));
    let revoked = || expect(Verdict::Reject, Some("key_revoked"), None);
    g.case(
        "exchange-then-revoke",
        rule,
        Critical,
        "the seed's exchange: a new key beside the old, both verify; the old is revoked and rejects; listing it again does not undo the revocation",
    )
    .context(ctx("allow", &["pendo-1"], &[]))
    .step("the old key alone", signed("e-1", &old, "pendo-1"), None, ok())
    .step(
        "a new key generated: the old still verifies",
        signed("e-2", &old, "pendo-1"),
        Some(ctx("allow", &["pendo-1", "pendo-2"], &[])),
        ok(),
    )
    .step(
        "and the new one verifies",
        signed("e-3", &new, "pendo-2"),
        None,
        ok(),
    )
    .step(
        "the old key revoked: it rejects",
        signed("e-4", &old, "pendo-1"),
        Some(ctx("allow", &["pendo-2"], &["pendo-1"])),
        revoked(),
    )
    .step(
        "the new key still verifies",
        signed("e-5", &new, "pendo-2"),
        None,
        ok(),
    )
    .step(
        "a configuration lists the old key as active again and forgets the revocation: refused, still revoked",
        signed("e-6", &old, "pendo-1"),
        Some(ctx("allow", &["pendo-1", "pendo-2"], &[])),
        revoked(),
    )
    .step(
        "the new key is unaffected",
        signed("e-7", &new, "pendo-2"),
        None,
        ok(),
    )
    .scenario();
    g.case(
        "revoked-before-snippet-updated",
        rule,
        High,
        "the seed's warning: the old key revoked before the snippet signs with the new one; events signed with the old key are not processed until it does",
    )
    .context(ctx("only_signed", &["pendo-1", "pendo-2"], &[]))
    .step("the old key, before", signed("e-1", &old, "pendo-1"), None, ok())
    .step(
        "revoked too early: the snippet still signs with it",
        signed("e-2", &old, "pendo-1"),
        Some(ctx("only_signed", &["pendo-2"], &["pendo-1"])),
        revoked(),
    )
    .step(
        "the snippet updated to the new key",
        signed("e-3", &new, "pendo-2"),
        None,
        ok(),
    )
    .scenario();
    g.finish()
}

fn dedupe(m: &Mint<'_>) -> VectorFile {
    let mut g = Group::new("pendo", "dedupe");
    let rule = "pendo.dedupe";
    let c = claims("n-dup");
    let real = tok(m, "pendo-1", &c);
    let mut evil = c.clone();
    evil["visitor"]["id"] = json!("attacker");
    let forged = tok(m, "hs256-a", &evil);
    let ok = |signed: bool| expect(Verdict::Accept, None, Some(full(signed)));
    let dup = || expect(Verdict::Reject, Some("duplicate_event"), None);
    g.case(
        "duplicate-dropped",
        rule,
        High,
        "the same signed event twice: the second is dropped; a new id is accepted",
    )
    .context(allow())
    .step(
        "first delivery",
        signed("e-1", &real, "pendo-1"),
        None,
        ok(true),
    )
    .step("replayed", signed("e-1", &real, "pendo-1"), None, dup())
    .step(
        "a new event",
        signed("e-2", &real, "pendo-1"),
        None,
        ok(true),
    )
    .scenario();
    g.case(
        "forgery-does-not-block-real-event",
        rule,
        High,
        "a forged event carrying the real event's id arrives first and is rejected; the real event is still accepted, then its replay dropped",
    )
    .context(allow())
    .step(
        "the forgery, with the real event's id",
        signed("e-1", &forged, "pendo-1"),
        None,
        expect(Verdict::Reject, Some("bad_signature"), None),
    )
    .step("the real event", signed("e-1", &real, "pendo-1"), None, ok(true))
    .step("the real event replayed", signed("e-1", &real, "pendo-1"), None, dup())
    .scenario();
    let mut no_nonce = c.clone();
    no_nonce.as_object_mut().unwrap().remove("nonce");
    g.case(
        "rejected-event-not-remembered",
        rule,
        Medium,
        "an event rejected for its claims (no nonce) does not enter the seen-set: a valid event of the same id is accepted",
    )
    .context(allow())
    .step(
        "rejected: no nonce",
        signed("e-1", &tok(m, "pendo-1", &no_nonce), "pendo-1"),
        None,
        expect(Verdict::Reject, Some("claim_missing"), None),
    )
    .step("the valid event, same id", signed("e-1", &real, "pendo-1"), None, ok(true))
    .scenario();
    let meta = json!({"visitor": {"id": VISITOR}, "account": {"id": ACCOUNT}});
    g.case(
        "unsigned-duplicate-dropped",
        rule,
        Medium,
        "plain metadata events (allow mode) are dropped by id too",
    )
    .context(allow())
    .step("first", plain("e-1", meta.clone()), None, ok(false))
    .step("again", plain("e-1", meta), None, dup())
    .scenario();
    g.finish()
}
