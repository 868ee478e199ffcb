//! Vectors `core/exp.json`, rule `core.exp`: accepted while now < exp + skew.

use serde_json::json;

use super::{ctx_skew, default_ctx, hdr, out, ISS};
use crate::generate::{with, Group};
use crate::mint::Mint;
use crate::model::Severity::{Low, Medium};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "exp");
    let rule = "core.exp";
    let base = json!({"iss": ISS, "sub": "user-1"});
    for (skew, cases) in [
        (
            0,
            vec![
                ("plus-1", 1, true),
                ("at-now", 0, false),
                ("minus-1", -1, false),
            ],
        ),
        (
            60,
            vec![
                ("skew60-minus-59", -59, true),
                ("skew60-minus-60", -60, false),
                ("skew60-minus-61", -61, false),
            ],
        ),
    ] {
        for (name, delta, ok) in cases {
            let c = with(base.clone(), json!({"exp": now + delta}));
            let b = g
                .case(
                    &format!("exp-{name}"),
                    rule,
                    Medium,
                    &format!("exp = now {delta:+}, skew {skew}: accepted while now < exp + skew"),
                )
                .refs(&["RFC 7519 §4.1.4"])
                .token(m.jwt("HS256", "hs256-a", &hdr("HS256"), &c))
                .context(ctx_skew("HS256", json!(["hs256-a"]), skew));
            if ok {
                b.accept(out(&c))
            } else {
                b.reject("expired")
            }
        }
    }
    let c = base.clone();
    g.case(
        "exp-absent",
        rule,
        Low,
        "no exp: not required by the core rules",
    )
    .token(m.jwt("HS256", "hs256-a", &hdr("HS256"), &c))
    .context(default_ctx("HS256"))
    .accept(out(&c));
    g.finish()
}
