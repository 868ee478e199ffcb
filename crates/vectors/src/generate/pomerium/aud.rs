//! Vectors `pomerium/aud.json`, rule `pomerium.aud`: `aud` contains the configured
//! audience.

use serde_json::{json, Value};

use super::{claims, ctx, hdr, identity, one, Settings};
use crate::generate::{with, without, Group};
use crate::mint::Mint;
use crate::model::Severity::{High, Low, Medium};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, st: &Settings) -> VectorFile {
    let aud = st.audience.as_str();
    let mut g = Group::new("pomerium", "aud");
    let rule = "pomerium.aud";
    let tok = |aud: Value| {
        let c = match aud {
            Value::Null => without(claims(st), &["aud"]),
            a => with(claims(st), json!({ "aud": a })),
        };
        m.jwt("ES256", "p256-a", &hdr("p256-a"), &c)
    };
    g.case(
        "string-equal",
        rule,
        Low,
        "aud is the configured audience as a string",
    )
    .input(one(&tok(json!(aud))))
    .context(ctx(st))
    .accept(identity());
    g.case(
        "array-containing",
        rule,
        Low,
        "aud is an array holding another app and the configured audience",
    )
    .refs(&["RFC 7519 §4.1.3"])
    .input(one(&tok(json!(["grafana.corp.example.com", aud]))))
    .context(ctx(st))
    .accept(identity());
    g.case(
        "array-single",
        rule,
        Low,
        "aud is an array of the configured audience alone",
    )
    .input(one(&tok(json!([aud]))))
    .context(ctx(st))
    .accept(identity());
    for (name, sev, aud, what) in [
        (
            "other-app",
            High,
            json!("grafana.corp.example.com"),
            "another app's host: a token replayed across routes",
        ),
        (
            "array-without",
            High,
            json!(["grafana.corp.example.com", "wiki.corp.example.com"]),
            "an array of other apps",
        ),
        ("array-empty", Medium, json!([]), "an empty array"),
        ("missing", Medium, Value::Null, "no aud"),
        (
            "with-port",
            Low,
            json!(format!("{aud}:443")),
            "the host with a port (the audience is the host without one)",
        ),
        (
            "url-form",
            Low,
            json!(format!("https://{aud}")),
            "a URL rather than the host",
        ),
        (
            "suffix-host",
            High,
            json!(format!("{aud}.evil.example")),
            "a host that starts with the audience",
        ),
        (
            "parent-domain",
            Medium,
            json!("corp.example.com"),
            "the audience's parent domain",
        ),
        (
            "case-differs",
            Low,
            json!(aud.to_uppercase()),
            "the audience in upper case: compared exactly",
        ),
        ("number", Low, json!(443), "a number"),
        (
            "object",
            Low,
            json!({ "aud": aud }),
            "an object wrapping the audience",
        ),
    ] {
        g.case(name, rule, sev, &format!("aud is {what}"))
            .input(one(&tok(aud)))
            .context(ctx(st))
            .reject("audience_mismatch");
    }
    g.finish()
}
