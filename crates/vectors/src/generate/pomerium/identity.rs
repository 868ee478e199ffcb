//! Vectors `pomerium/identity.json`, rule `pomerium.identity`: identity only from the
//! verified token.

use serde_json::{json, Value};

use super::{claims, ctx, hdr, headers, identity, one, Settings, A};
use crate::generate::{with, without, Group};
use crate::mint::Mint;
use crate::model::Severity::{Critical, High, Low, Medium};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, st: &Settings) -> VectorFile {
    let mut g = Group::new("pomerium", "identity");
    let rule = "pomerium.identity";
    let tok = |c: &Value| m.jwt("ES256", "p256-a", &hdr("p256-a"), c);
    let t = tok(&claims(st));
    g.case(
        "full",
        rule,
        Low,
        "sub, email and groups from the verified token",
    )
    .input(one(&t))
    .context(ctx(st))
    .accept(identity());
    g.case("sub-only", rule, Low, "no email, no groups")
        .input(one(&tok(&without(claims(st), &["email", "groups"]))))
        .context(ctx(st))
        .accept(json!({"sub": "user-1"}));
    g.case(
        "empty-email-absent",
        rule,
        Low,
        "email \"\" counts as absent",
    )
    .input(one(&tok(&with(claims(st), json!({"email": ""})))))
    .context(ctx(st))
    .accept(json!({"sub": "user-1", "groups": ["engineering"]}));
    for (name, groups) in [("groups-null", json!(null)), ("groups-empty", json!([]))] {
        g.case(name, rule, Low, &format!("groups {groups}: no groups"))
            .input(one(&tok(&with(claims(st), json!({ "groups": groups })))))
            .context(ctx(st))
            .accept(json!({"sub": "user-1", "email": "user-1@corp.example.com"}));
    }
    let many = json!(["engineering", "on-call", "ünïcode"]);
    g.case(
        "groups-several",
        rule,
        Low,
        "three groups, one of them non-ASCII, in order",
    )
    .input(one(&tok(&with(claims(st), json!({ "groups": many })))))
    .context(ctx(st))
    .accept(json!({"sub": "user-1", "email": "user-1@corp.example.com", "groups": many}));
    let spoof = [
        ("x-pomerium-authenticated-user-id", "admin"),
        (
            "x-pomerium-authenticated-user-email",
            "admin@corp.example.com",
        ),
        ("x-pomerium-authenticated-user-groups", "admins"),
    ];
    let mut with_spoof = spoof.to_vec();
    with_spoof.push((A, &t));
    g.case("unsigned-headers-ignored", rule, Critical,
        "a valid assertion for user-1 beside unsigned x-pomerium-authenticated-user-* headers naming admin: identity only from the token")
        .input(headers(&with_spoof))
        .context(ctx(st))
        .accept(identity());
    g.case("claim-headers-ignored", rule, Critical,
        "a valid assertion beside x-pomerium-claim-email and x-pomerium-claim-groups headers naming admin")
        .input(headers(&[
            ("x-pomerium-claim-email", "admin@corp.example.com"),
            ("x-pomerium-claim-groups", "admins"),
            (A, &t),
        ]))
        .context(ctx(st))
        .accept(identity());
    let admin = with(
        claims(st),
        json!({"sub": "admin", "email": "admin@corp.example.com", "groups": ["admins"]}),
    );
    let admin_t = tok(&admin);
    g.case("assertion-for-ignored", rule, Critical,
        "a valid assertion for user-1 beside x-pomerium-jwt-assertion-for carrying a valid token for admin")
        .input(headers(&[("x-pomerium-jwt-assertion-for", &admin_t), (A, &t)]))
        .context(ctx(st))
        .accept(identity());
    let forged = m.jwt("ES256", "p256-b", &hdr("p256-a"), &admin);
    let mut forged_spoof = spoof.to_vec();
    forged_spoof.push((A, &forged));
    g.case("forged-with-matching-headers", rule, Critical,
        "an assertion for admin signed by an attacker's key, with unsigned headers that agree with it")
        .input(headers(&forged_spoof))
        .context(ctx(st))
        .reject("bad_signature");
    g.case("sub-missing", rule, High, "no sub")
        .input(one(&tok(&without(claims(st), &["sub"]))))
        .context(ctx(st))
        .reject("claim_missing");
    g.case(
        "sub-empty",
        rule,
        Medium,
        "sub \"\": names no user (the rules are silent)",
    )
    .input(one(&tok(&with(claims(st), json!({"sub": ""})))))
    .context(ctx(st))
    .either("claim_invalid");
    for (name, extra, what) in [
        ("sub-number", json!({"sub": 1}), "sub is a number"),
        ("email-number", json!({"email": 1}), "email is a number"),
        (
            "groups-string",
            json!({"groups": "admins"}),
            "groups is a string, not an array",
        ),
        (
            "groups-with-number",
            json!({"groups": ["engineering", 7]}),
            "groups holds a number",
        ),
        (
            "groups-object",
            json!({"groups": {"admins": true}}),
            "groups is an object",
        ),
    ] {
        g.case(name, rule, Medium, what)
            .input(one(&tok(&with(claims(st), extra))))
            .context(ctx(st))
            .reject("claim_invalid");
    }
    g.finish()
}
