//! Vectors `core/aud-unexpected.json`, rule `core.aud-unexpected`: an unexpected `aud` is
//! `either`; the reference accepts.

use serde_json::json;

use super::{claims, default_ctx, hdr, out};
use crate::generate::{with, Group};
use crate::mint::Mint;
use crate::model::Severity::Low;
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "aud-unexpected");
    let rule = "core.aud-unexpected";
    let c = claims(now);
    g.case("aud-absent", rule, Low, "no aud, no audience configured")
        .token(m.jwt("HS256", "hs256-a", &hdr("HS256"), &c))
        .context(default_ctx("HS256"))
        .accept(out(&c));
    for (name, aud) in [
        ("string", json!("https://other.jwtc.example")),
        (
            "array",
            json!(["https://a.jwtc.example", "https://b.jwtc.example"]),
        ),
    ] {
        let c = with(claims(now), json!({"aud": aud}));
        g.case(
            &format!("aud-{name}"),
            rule,
            Low,
            &format!("an aud ({name}) where no audience is configured (RFC 7519 §4.1.3)"),
        )
        .refs(&["RFC 7519 §4.1.3"])
        .token(m.jwt("HS256", "hs256-a", &hdr("HS256"), &c))
        .context(default_ctx("HS256"))
        .either("audience_mismatch");
    }
    g.finish()
}
