//! Vectors `pomerium/strip.json` (profile `pomerium-proxy`), rule `pomerium.strip`: proxy
//! role: client `x-pomerium-*` headers stripped.

use serde_json::{json, Value};

use super::{headers, identity, Settings, A, IAP};
use crate::generate::{with, Group};
use crate::model::Severity::{Critical, High, Low};
use crate::model::VectorFile;

pub(super) fn group(st: &Settings) -> VectorFile {
    let (aud, iss) = (st.audience.as_str(), st.issuer.as_str());
    let mut g = Group::new("pomerium-proxy", "strip");
    let rule = "pomerium.strip";
    let ctx =
        json!({"audience": aud, "issuer": iss, "signing_key": "p256-a", "identity": identity()});
    let browser = [
        ("Host", aud),
        ("User-Agent", "Mozilla/5.0"),
        ("Accept", "text/html"),
    ];
    let out = |extra: &[(&str, &str)]| {
        let mut all = browser.to_vec();
        all.extend_from_slice(extra);
        (headers(&all), forwarded(&all, &identity()))
    };
    let note = " Graded in canonical form: the other headers lowercased and sorted by name; \
                the one assertion verified with the signing key's public half and shown as \
                its identity, fresh when iat is within 60 s of now and exp in (now, now + 3600].";
    let (input, output) = out(&[]);
    g.case(
        "plain-request",
        rule,
        Low,
        &format!("a browser's request: its headers pass, one assertion is added.{note}"),
    )
    .input(input)
    .context(ctx.clone())
    .accept(output);
    for (name, sev, extra, what) in [
        (
            "forged-assertion",
            Critical,
            vec![(A, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.")],
            "a client-supplied x-pomerium-jwt-assertion",
        ),
        (
            "forged-assertion-upper-case",
            Critical,
            vec![("X-POMERIUM-JWT-ASSERTION", "forged")],
            "a client-supplied assertion in upper case",
        ),
        (
            "forged-assertion-twice",
            Critical,
            vec![(A, "forged-1"), ("X-Pomerium-Jwt-Assertion", "forged-2")],
            "two client-supplied assertions",
        ),
        (
            "authenticated-user-headers",
            Critical,
            vec![
                ("x-pomerium-authenticated-user-id", "admin"),
                (
                    "X-Pomerium-Authenticated-User-Email",
                    "admin@corp.example.com",
                ),
                ("x-pomerium-authenticated-user-groups", "admins"),
            ],
            "the unsigned identity headers, naming admin",
        ),
        (
            "claim-headers",
            High,
            vec![
                ("x-pomerium-claim-email", "admin@corp.example.com"),
                ("X-Pomerium-Claim-Groups", "admins"),
            ],
            "x-pomerium-claim-* headers",
        ),
        (
            "other-pomerium-headers",
            High,
            vec![
                (IAP, "forged"),
                ("x-pomerium-jwt-assertion-for", "forged"),
                ("X-Pomerium-Routing-Key", "x"),
                ("x-pomerium-", "empty suffix"),
            ],
            "the iap assertion, assertion-for, and other x-pomerium-* names",
        ),
    ] {
        let (input, output) = out(&extra);
        g.case(
            name,
            rule,
            sev,
            &format!("a request with {what}: stripped; one fresh assertion goes upstream.{note}"),
        )
        .input(input)
        .context(ctx.clone())
        .accept(output);
    }
    let (input, output) = out(&[
        ("x-forwarded-x-pomerium-jwt-assertion", "kept"),
        ("x-pomeriumish", "kept"),
    ]);
    g.case(
        "lookalike-names-kept",
        rule,
        Low,
        &format!(
            "headers that contain but do not start with x-pomerium-: not Pomerium's, passed on.{note}"
        ),
    )
    .input(input)
    .context(ctx.clone())
    .accept(output);
    let (input, _) = out(&[]);
    let minimal = json!({"sub": "user-1"});
    g.case(
        "identity-sub-only",
        rule,
        Low,
        &format!("an identity with no email and no groups.{note}"),
    )
    .input(input)
    .context(with(ctx.clone(), json!({ "identity": minimal })))
    .accept(forwarded(&browser, &minimal));
    g.case(
        "no-client-headers",
        rule,
        Low,
        &format!("a request with no headers: only the assertion goes upstream.{note}"),
    )
    .input(headers(&[]))
    .context(ctx.clone())
    .accept(forwarded(&[], &identity()));
    let (input, _) = out(&[("x_pomerium_jwt_assertion", "forged")]);
    g.case("underscore-alias", rule, High,
        "x_pomerium_jwt_assertion from the client: CGI/WSGI apps read it as the assertion header (HTTP_X_POMERIUM_JWT_ASSERTION); refused or, if forwarded, a bypass for such apps")
        .input(input)
        .context(ctx.clone())
        .either("malformed");
    let (input, _) = out(&[("Accept-Language", "en\r\nx-pomerium-jwt-assertion: forged")]);
    g.case(
        "crlf-injection",
        rule,
        Critical,
        "a header value carrying CR LF and a forged assertion line: the request is refused",
    )
    .refs(&["RFC 9110 §5.5"])
    .input(input)
    .context(ctx.clone())
    .reject("malformed");
    let (input, _) = out(&[("x-pomerium-jwt-assertion\u{0}", "forged")]);
    g.case(
        "nul-in-name",
        rule,
        High,
        "a header name with a NUL byte after x-pomerium-jwt-assertion",
    )
    .refs(&["RFC 9110 §5.1"])
    .input(input)
    .context(ctx)
    .reject("malformed");
    g.finish()
}

/// The canonical form of a proxy's output (see the harness's `canonical_proxy_output`):
/// non-assertion headers lowercased and sorted by name, and the assertion's identity.
fn forwarded(client: &[(&str, &str)], identity: &Value) -> Value {
    let mut rest: Vec<(String, String)> = client
        .iter()
        .filter(|(n, _)| !n.to_ascii_lowercase().starts_with("x-pomerium-"))
        .map(|(n, v)| (n.to_ascii_lowercase(), v.to_string()))
        .collect();
    rest.sort_by(|a, b| a.0.cmp(&b.0));
    let mut assertion = identity.clone();
    assertion["fresh"] = json!(true);
    json!({
        "headers": rest.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
        "assertion": assertion,
    })
}
