//! Vectors `core/typ.json`, rule `core.typ`: `typ` JWT/application/jwt or absent; no nested
//! `cty`.

use serde_json::{json, Value};

use super::{claims, default_ctx, hdr, out};
use crate::generate::{with, Group};
use crate::mint::Mint;
use crate::model::Severity::{Low, Medium};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "typ");
    let rule = "core.typ";
    let c = claims(now);
    let t = |extra: Value| m.jwt("ES256", "p256-a", &with(hdr("ES256"), extra), &c);
    for (name, typ) in [
        ("jwt", "JWT"),
        ("jwt-lowercase", "jwt"),
        ("application-jwt", "application/jwt"),
        ("application-jwt-upper", "APPLICATION/JWT"),
    ] {
        g.case(&format!("typ-{name}"), rule, Low, &format!("typ {typ:?}"))
            .token(t(json!({"typ": typ})))
            .context(default_ctx("ES256"))
            .accept(out(&c));
    }
    g.case("typ-absent", rule, Low, "no typ")
        .token(t(json!({})))
        .context(default_ctx("ES256"))
        .accept(out(&c));
    for (name, typ) in [("at-jwt", "at+jwt"), ("jose", "JOSE")] {
        g.case(
            &format!("typ-{name}"),
            rule,
            Low,
            &format!("typ {typ:?}: another token type (RFC 8725 §3.11)"),
        )
        .refs(&["RFC 8725 §3.11"])
        .token(t(json!({"typ": typ})))
        .context(default_ctx("ES256"))
        .either("malformed");
    }
    for (name, typ) in [
        ("number", json!(1)),
        ("null", Value::Null),
        ("object", json!({"t": "JWT"})),
    ] {
        g.case(
            &format!("typ-{name}"),
            rule,
            Low,
            &format!("typ is a JSON {name}"),
        )
        .token(t(json!({"typ": typ})))
        .context(default_ctx("ES256"))
        .reject("malformed");
    }
    g.case(
        "cty-jwt",
        rule,
        Medium,
        "cty \"JWT\": the payload claims to be a nested token",
    )
    .refs(&["RFC 7519 §5.2"])
    .token(t(json!({"cty": "JWT"})))
    .context(default_ctx("ES256"))
    .reject("malformed");
    g.case("cty-jwt-lowercase", rule, Medium, "cty \"jwt\"")
        .token(t(json!({"cty": "jwt"})))
        .context(default_ctx("ES256"))
        .reject("malformed");
    g.finish()
}
