//! Vectors `core/nbf.json`, rule `core.nbf`: rejected while now + skew < nbf.

use serde_json::json;

use super::{ctx_skew, hdr, out, ISS};
use crate::generate::{with, Group};
use crate::mint::Mint;
use crate::model::Severity::Medium;
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "nbf");
    let rule = "core.nbf";
    let base = json!({"iss": ISS, "sub": "user-1", "exp": now + 3600});
    for (skew, cases) in [
        (
            0,
            vec![
                ("at-now", 0, true),
                ("plus-1", 1, false),
                ("minus-1", -1, true),
            ],
        ),
        (
            60,
            vec![("skew60-plus-60", 60, true), ("skew60-plus-61", 61, false)],
        ),
    ] {
        for (name, delta, ok) in cases {
            let c = with(base.clone(), json!({"nbf": now + delta}));
            let b = g
                .case(
                    &format!("nbf-{name}"),
                    rule,
                    Medium,
                    &format!("nbf = now {delta:+}, skew {skew}: rejected while now + skew < nbf"),
                )
                .refs(&["RFC 7519 §4.1.5"])
                .token(m.jwt("HS256", "hs256-a", &hdr("HS256"), &c))
                .context(ctx_skew("HS256", json!(["hs256-a"]), skew));
            if ok {
                b.accept(out(&c))
            } else {
                b.reject("not_yet_valid")
            }
        }
    }
    g.finish()
}
