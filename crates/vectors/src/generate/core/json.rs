//! Vectors `core/json.json`, rule `core.json`: strict JSON objects: UTF-8, no BOM, no
//! duplicates, bounded depth.

use serde_json::{json, Value};

use super::{claims, default_ctx, hdr, out, ISS};
use crate::generate::{with, Group};
use crate::mint::Mint;
use crate::model::Severity::{High, Low, Medium};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    let mut g = Group::new("core", "json");
    let rule = "core.json";
    let h = hdr("RS256").to_string();
    let c = claims(now);
    let body = |extra: &str| {
        format!(
            r#"{{"iss":"{ISS}","sub":"user-1","iat":{},{extra}}}"#,
            now - 60
        )
    };
    let tok = |header: &str, payload: &str| {
        m.raw("RS256", "rsa-2048-a", header.as_bytes(), payload.as_bytes())
    };
    g.case("duplicate-exp-last-expired", rule, High,
        "claims {\"exp\": future, \"exp\": past}: rejecting duplicates or taking the last value (RFC 7519 §4) both reject; keeping the first accepts an expired token")
        .refs(&["RFC 7515 §4", "RFC 7519 §4"])
        .token(tok(&h, &body(&format!(r#""exp":{},"exp":{}"#, now + 3600, now - 3600))))
        .context(default_ctx("RS256")).reject("malformed");
    g.case(
        "duplicate-sub-escaped",
        rule,
        High,
        "claims with \"sub\" and \"\\u0073ub\" (the same name once unescaped) naming two users",
    )
    .refs(&["RFC 7519 §4"])
    .token(tok(
        &h,
        &body(&format!(r#""exp":{},"sub":"mallory""#, now + 3600)).replacen(
            r#""sub":"user-1""#,
            r#""\u0073ub":"user-1""#,
            1,
        ),
    ))
    .context(default_ctx("RS256"))
    .either("malformed");
    g.case(
        "duplicate-alg",
        rule,
        Medium,
        "header {\"alg\":\"HS256\",\"alg\":\"RS256\"} signed with RS256",
    )
    .refs(&["RFC 7515 §4"])
    .token(tok(
        r#"{"alg":"HS256","alg":"RS256","kid":"rsa-2048-a"}"#,
        &c.to_string(),
    ))
    .context(default_ctx("RS256"))
    .either("malformed");
    g.case(
        "bom-header",
        rule,
        Low,
        "a UTF-8 byte order mark before the header JSON (RFC 8259 §8.1)",
    )
    .refs(&["RFC 8259 §8.1"])
    .token(m.raw(
        "RS256",
        "rsa-2048-a",
        &[b"\xEF\xBB\xBF".as_slice(), h.as_bytes()].concat(),
        c.to_string().as_bytes(),
    ))
    .context(default_ctx("RS256"))
    .either("malformed");
    let mut bad_utf8 = format!(
        r#"{{"iss":"{ISS}","sub":"user-1","exp":{},"name":"x"#,
        now + 3600
    )
    .into_bytes();
    bad_utf8.extend_from_slice(b"\xff\"}");
    g.case(
        "invalid-utf8",
        rule,
        Medium,
        "a claim string holding the byte 0xFF (not UTF-8)",
    )
    .token(m.raw("RS256", "rsa-2048-a", h.as_bytes(), &bad_utf8))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case(
        "trailing-garbage",
        rule,
        Medium,
        "the claims object followed by more bytes",
    )
    .token(tok(&h, &format!("{c}x")))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case(
        "two-objects",
        rule,
        Medium,
        "two claims objects back to back",
    )
    .token(tok(&h, &format!("{c}{c}")))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case("header-array", rule, Medium, "the header is a JSON array")
        .token(tok(r#"["RS256"]"#, &c.to_string()))
        .context(default_ctx("RS256"))
        .reject("malformed");
    g.case(
        "payload-string",
        rule,
        Medium,
        "the payload is a JSON string, not a claims object",
    )
    .token(tok(&h, r#""user-1""#))
    .context(default_ctx("RS256"))
    .reject("malformed");
    let admin = json!([{"iss": ISS, "sub": "admin", "iat": now - 60, "exp": now + 3600}]);
    g.case(
        "payload-array",
        rule,
        Medium,
        "the payload is a JSON array holding a claims object, signed correctly",
    )
    .refs(&["RFC 7519 §7.2"])
    .token(tok(&h, &admin.to_string()))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case(
        "payload-not-json",
        rule,
        Medium,
        "the payload is plain text",
    )
    .token(tok(&h, "user-1"))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case(
        "payload-empty",
        rule,
        Medium,
        "the payload segment is empty",
    )
    .token(tok(&h, ""))
    .context(default_ctx("RS256"))
    .reject("malformed");
    let nest = |d: usize| format!("{}{}", "[".repeat(d), "]".repeat(d));
    let deep_ok = with(
        c.clone(),
        json!({ "deep": serde_json::from_str::<Value>(&nest(63)).unwrap() }),
    );
    g.case(
        "depth-64",
        rule,
        Low,
        "claims nested 64 deep (the object and 63 arrays): at the bound",
    )
    .token(tok(&h, &deep_ok.to_string()))
    .context(default_ctx("RS256"))
    .accept(out(&deep_ok));
    g.case(
        "depth-65",
        rule,
        Low,
        "claims nested 65 deep: over the bound of 64",
    )
    .token(tok(
        &h,
        &body(&format!(r#""exp":{},"deep":{}"#, now + 3600, nest(64))),
    ))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.case(
        "depth-5000",
        rule,
        Medium,
        "claims nested 5000 deep: a recursive parser's stack",
    )
    .token(tok(
        &h,
        &body(&format!(r#""exp":{},"deep":{}"#, now + 3600, nest(5000))),
    ))
    .context(default_ctx("RS256"))
    .reject("malformed");
    g.finish()
}
