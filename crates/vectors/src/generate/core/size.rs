//! Vectors `core/size.json`, rule `core.size`: a token over the bound rejects before
//! decoding.

use serde_json::{json, Value};

use super::{claims, default_ctx, out};
use crate::generate::{with, Group};
use crate::mint::Mint;
use crate::model::Severity::{Low, Medium};
use crate::model::VectorFile;
use jwtc_verifier::b64;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "size");
    let rule = "core.size";
    let bound = jwtc_verifier::jose::DEFAULT_MAX_TOKEN_LEN;
    // Find claims whose token is exactly `len` bytes long.
    let exact = |len: usize| -> (String, Value) {
        for kid_pad in 0..4 {
            let header = json!({"alg": "HS256", "kid": "hs256-a", "x": "y".repeat(kid_pad)});
            let h = b64::encode(header.to_string());
            let base = claims(now);
            let sig_len = 43;
            for fill in 0..len {
                let c = with(base.clone(), json!({"fill": "z".repeat(fill)}));
                let p_len = (c.to_string().len() * 4).div_ceil(3);
                let total = h.len() + 1 + p_len + 1 + sig_len;
                if total == len {
                    let t = m.jwt("HS256", "hs256-a", &header, &c);
                    assert_eq!(t.len(), len);
                    return (t, c);
                }
                if total > len {
                    break;
                }
            }
        }
        panic!("generator: no token of exactly {len} bytes");
    };
    let (t, c) = exact(bound);
    g.case(
        "at-bound",
        rule,
        Low,
        "a valid HS256 token of exactly 16384 bytes, the default bound",
    )
    .token(t)
    .context(default_ctx("HS256"))
    .accept(out(&c));
    let (t, _) = exact(bound + 1);
    g.case(
        "over-bound-by-one",
        rule,
        Low,
        "a valid HS256 token of 16385 bytes: bounds differ between implementations",
    )
    .token(t)
    .context(default_ctx("HS256"))
    .either("too_large");
    let big = format!(
        "{}.{}.{}",
        "e".repeat(20_000),
        "e".repeat(20_000),
        "e".repeat(20_000)
    );
    g.case(
        "garbage-60k",
        rule,
        Medium,
        "60 KB of base64url-looking garbage: rejected before any decoding",
    )
    .token(big)
    .context(default_ctx("HS256"))
    .reject("too_large");
    g.finish()
}
