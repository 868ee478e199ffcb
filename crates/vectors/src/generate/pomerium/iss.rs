//! Vectors `pomerium/iss.json`, rule `pomerium.iss`: `iss` equals the configured issuer.

use serde_json::{json, Value};

use super::{claims, ctx, hdr, identity, one, Settings, AUTH};
use crate::generate::{with, without, Group};
use crate::mint::Mint;
use crate::model::Severity::{High, Low, Medium};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, st: &Settings) -> VectorFile {
    let iss = st.issuer.as_str();
    let mut g = Group::new("pomerium", "iss");
    let rule = "pomerium.iss";
    let tok = |iss: Value| {
        let c = match iss {
            Value::Null => without(claims(st), &["iss"]),
            i => with(claims(st), json!({ "iss": i })),
        };
        m.jwt("ES256", "p256-a", &hdr("p256-a"), &c)
    };
    g.case(
        "default-issuer",
        rule,
        Low,
        "iss pomerium-proxy and a context that names no issuer: the seed's default",
    )
    .input(one(&tok(json!(iss))))
    .context(without(ctx(st), &["issuer"]))
    .accept(identity());
    let auth_ctx = with(ctx(st), json!({ "issuer": AUTH }));
    g.case(
        "authenticate-host",
        rule,
        Low,
        "iss the authenticate service's host, as configured (current Pomerium)",
    )
    .input(one(&tok(json!(AUTH))))
    .context(auth_ctx.clone())
    .accept(identity());
    g.case(
        "default-where-host-configured",
        rule,
        Medium,
        "iss pomerium-proxy where the authenticate host is configured",
    )
    .input(one(&tok(json!(iss))))
    .context(auth_ctx)
    .reject("issuer_mismatch");
    for (name, sev, iss, what) in [
        (
            "other",
            High,
            json!("evil-proxy"),
            "another issuer, same key",
        ),
        ("missing", Medium, Value::Null, "absent"),
        (
            "case-differs",
            Low,
            json!("Pomerium-Proxy"),
            "pomerium-proxy in other case",
        ),
        (
            "trailing-space",
            Low,
            json!("pomerium-proxy "),
            "pomerium-proxy with a trailing space",
        ),
        ("number", Low, json!(1), "a number"),
        ("array", Low, json!([iss]), "an array holding the issuer"),
    ] {
        g.case(name, rule, sev, &format!("iss is {what}"))
            .input(one(&tok(iss)))
            .context(ctx(st))
            .reject("issuer_mismatch");
    }
    // PyJWT 2.10.0 compared a configured issuer string with `in`: a substring passed.
    g.case(
        "substring",
        rule,
        High,
        "iss \"pomerium\", a substring of the configured pomerium-proxy",
    )
    .refs(&["CVE-2024-53861"])
    .input(one(&tok(json!("pomerium"))))
    .context(ctx(st))
    .reject("issuer_mismatch");
    g.case(
        "host-substring",
        rule,
        High,
        "iss \"corp.example.com\", a substring of the configured authenticate host",
    )
    .refs(&["CVE-2024-53861"])
    .input(one(&tok(json!("corp.example.com"))))
    .context(with(ctx(st), json!({ "issuer": AUTH })))
    .reject("issuer_mismatch");
    // fast-jwt < 5.0.6 passed an array iss when any one element was allowed.
    g.case(
        "array-with-other",
        rule,
        High,
        "iss is an array holding another issuer and then the configured one",
    )
    .refs(&["CVE-2025-30144", "RFC 7519 §4.1.1"])
    .input(one(&tok(json!(["evil-proxy", iss]))))
    .context(ctx(st))
    .reject("issuer_mismatch");
    g.finish()
}
