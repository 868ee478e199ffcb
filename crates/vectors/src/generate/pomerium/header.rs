//! Vectors `pomerium/header.json`, rule `pomerium.header`: the assertion header,
//! case-insensitive, no conflicts.

use serde_json::json;

use super::{claims, ctx, hdr, headers, identity, Settings, A, IAP};
use crate::generate::{with, Group};
use crate::mint::Mint;
use crate::model::Severity::{Critical, High, Low, Medium};
use crate::model::VectorFile;

pub(super) fn group(m: &Mint<'_>, st: &Settings) -> VectorFile {
    let aud = st.audience.as_str();
    let mut g = Group::new("pomerium", "header");
    let rule = "pomerium.header";
    let t = m.jwt("ES256", "p256-a", &hdr("p256-a"), &claims(st));
    let other = with(
        claims(st),
        json!({"sub": "user-2", "email": "user-2@corp.example.com"}),
    );
    let t2 = m.jwt("ES256", "p256-a", &hdr("p256-a"), &other);
    let forged = m.jwt(
        "ES256",
        "p256-b",
        &hdr("p256-a"),
        &with(
            claims(st),
            json!({"sub": "admin", "email": "admin@corp.example.com"}),
        ),
    );
    for (name, hname) in [
        ("lowercase-name", A),
        ("canonical-case-name", "X-Pomerium-Jwt-Assertion"),
        ("upper-case-name", "X-POMERIUM-JWT-ASSERTION"),
    ] {
        g.case(
            name,
            rule,
            Low,
            &format!("the assertion under {hname:?}: names are case-insensitive"),
        )
        .refs(&["RFC 9110 §5.1"])
        .input(headers(&[(hname, &t)]))
        .context(ctx(st))
        .accept(identity());
    }
    g.case(
        "value-whitespace-trimmed",
        rule,
        Low,
        "spaces and a tab around the value: optional whitespace is trimmed",
    )
    .refs(&["RFC 9110 §5.6.3"])
    .input(headers(&[(A, &format!("  {t}\t"))]))
    .context(ctx(st))
    .accept(identity());
    g.case(
        "among-other-headers",
        rule,
        Low,
        "the assertion among a browser's usual headers",
    )
    .input(headers(&[
        ("host", aud),
        ("accept", "text/html"),
        ("cookie", "_pomerium=abc"),
        (A, &t),
        ("x-forwarded-for", "203.0.113.7"),
    ]))
    .context(ctx(st))
    .accept(identity());
    g.case(
        "no-headers",
        rule,
        Critical,
        "a request with no headers at all",
    )
    .input(headers(&[]))
    .context(ctx(st))
    .reject("token_missing");
    g.case("only-unsigned-identity-headers", rule, Critical,
        "no assertion, only the unsigned x-pomerium-authenticated-user-{id,email,groups} headers an attacker who bypasses Pomerium can forge")
        .input(headers(&[
            ("x-pomerium-authenticated-user-id", "admin"),
            ("x-pomerium-authenticated-user-email", "admin@corp.example.com"),
            ("x-pomerium-authenticated-user-groups", "admins"),
        ]))
        .context(ctx(st))
        .reject("token_missing");
    g.case(
        "empty-value",
        rule,
        Critical,
        "the assertion header present with an empty value",
    )
    .input(headers(&[(A, "")]))
    .context(ctx(st))
    .reject("token_missing");
    g.case(
        "assertion-for-only",
        rule,
        High,
        "a valid token under x-pomerium-jwt-assertion-for (an upstream's assertion), none under the assertion header",
    )
    .input(headers(&[("x-pomerium-jwt-assertion-for", &t)]))
    .context(ctx(st))
    .reject("token_missing");
    g.case("iap-header-only", rule, Low,
        "the valid token under the seed's x-pomerium-iap-jwt-assertion only; current Pomerium sends x-pomerium-jwt-assertion")
        .input(headers(&[(IAP, &t)]))
        .context(ctx(st))
        .either("token_missing");
    g.case("underscore-name-only", rule, Low,
        "the valid token under x_pomerium_jwt_assertion: a CGI/WSGI app sees it as the assertion header")
        .input(headers(&[("x_pomerium_jwt_assertion", &t)]))
        .context(ctx(st))
        .either("token_missing");
    g.case(
        "two-differing",
        rule,
        High,
        "two assertion headers carrying valid tokens of two users",
    )
    .input(headers(&[(A, &t), (A, &t2)]))
    .context(ctx(st))
    .reject("header_conflict");
    g.case(
        "two-differing-names-in-other-case",
        rule,
        High,
        "the assertion twice, under two spellings of the name, two users",
    )
    .input(headers(&[("X-Pomerium-Jwt-Assertion", &t), (A, &t2)]))
    .context(ctx(st))
    .reject("header_conflict");
    g.case(
        "comma-folded",
        rule,
        High,
        "one header whose value is two tokens folded with a comma (RFC 9110 §5.3)",
    )
    .refs(&["RFC 9110 §5.3"])
    .input(headers(&[(A, &format!("{t}, {t2}"))]))
    .context(ctx(st))
    .reject("header_conflict");
    g.case(
        "forged-then-valid",
        rule,
        Critical,
        "a forged assertion (admin) before a valid one: a verifier must not pick one of them",
    )
    .input(headers(&[(A, &forged), (A, &t)]))
    .context(ctx(st))
    .reject("header_conflict");
    g.case(
        "identical-duplicates",
        rule,
        Low,
        "the same valid token twice under the assertion header",
    )
    .input(headers(&[(A, &t), (A, &t)]))
    .context(ctx(st))
    .either("header_conflict");
    g.case(
        "assertion-and-iap-identical",
        rule,
        Low,
        "the same valid token under both the assertion and the seed's iap header",
    )
    .input(headers(&[(A, &t), (IAP, &t)]))
    .context(ctx(st))
    .either("header_conflict");
    g.case(
        "assertion-and-iap-differing",
        rule,
        Medium,
        "valid tokens of two users under the assertion and the iap header",
    )
    .input(headers(&[(A, &t), (IAP, &t2)]))
    .context(ctx(st))
    .either("header_conflict");
    g.case("crlf-in-value", rule, High,
        "the valid token followed by CR LF and an injected header line: control characters in a field value")
        .refs(&["RFC 9110 §5.5"])
        .input(headers(&[(A, &format!("{t}\r\nx-pomerium-authenticated-user-email: admin@corp.example.com"))]))
        .context(ctx(st))
        .reject("malformed");
    g.case(
        "nul-in-value",
        rule,
        Medium,
        "a NUL byte after the valid token",
    )
    .refs(&["RFC 9110 §5.5"])
    .input(headers(&[(A, &format!("{t}\u{0}"))]))
    .context(ctx(st))
    .reject("malformed");
    g.case(
        "space-in-name",
        rule,
        Medium,
        "the valid token under \"x-pomerium-jwt-assertion \" (a space in a field name)",
    )
    .refs(&["RFC 9110 §5.1"])
    .input(headers(&[("x-pomerium-jwt-assertion ", &t)]))
    .context(ctx(st))
    .reject("malformed");
    g.case(
        "oversize-value",
        "core.size",
        Medium,
        "an assertion header value of 20000 bytes: rejected before any decoding",
    )
    .input(headers(&[(A, &"e".repeat(20_000))]))
    .context(ctx(st))
    .reject("too_large");
    g.finish()
}
