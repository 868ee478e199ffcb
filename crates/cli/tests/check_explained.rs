//! `jwtc check`'s explanation of one accepted and one rejected token per profile, as text
//! and as JSON, pinned by snapshots (tests/snapshots/check_explained__*.snap, one test
//! each, named profile_verdict_format). The tokens are the suite's own vector cases; the
//! flags are built from each case's context the way a user would type them, and the exit
//! code must match the case's expected verdict.

mod common;

use base64::Engine;
use serde_json::Value;

use common::{case, key, settings, transcript};

/// The suite's clock (vectors/suite.json `now`): every case below is graded at it.
const NOW: &str = "1767225600";

/// The `jwtc check` arguments for a case: its profile's flags from the case's context,
/// its input as TOKEN (a Pendo event as its JSON, Pomerium's headers as --header).
fn check_args(profile: &str, c: &Value, format: &str) -> Vec<String> {
    let mut a: Vec<String> = vec!["check".into(), "--profile".into(), profile.into()];
    let mut flag = |name: &str, value: String| {
        a.push(format!("--{name}"));
        a.push(value);
    };
    let ctx = &c["context"];
    let names = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|l| {
                l.iter()
                    .filter_map(|k| k.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    if let Some(alg) = ctx["algorithm"].as_str() {
        flag("alg", alg.into());
    }
    for name in names(&ctx["keys"]) {
        if profile == "pendo" {
            let jwk: Value = serde_json::from_str(
                &std::fs::read_to_string(key(&format!("{name}.json"))).unwrap(),
            )
            .unwrap();
            let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(jwk["k"].as_str().unwrap())
                .unwrap();
            flag(
                "secret",
                format!("{name}={}", String::from_utf8(secret).unwrap()),
            );
        } else {
            flag("key", key(&format!("{name}.pub.pem")));
        }
    }
    if let Some(issuer) = ctx["issuers"].get(0) {
        flag("issuer-pattern", issuer["pattern"].as_str().unwrap().into());
        for name in names(&issuer["keys"]) {
            flag("key", key(&format!("{name}.pub.pem")));
        }
    }
    for name in names(&ctx["builtin"]) {
        flag("builtin", key(&format!("{name}.pub.pem")));
    }
    for origin in names(&ctx["jku_allowlist"]) {
        flag("jku-allow", origin);
    }
    for name in ["audience", "issuer", "mode"] {
        if let Some(v) = ctx[name].as_str() {
            flag(name, v.into());
        }
    }
    for name in names(&ctx["revoked"]) {
        flag("revoked", name);
    }
    if let Some(skew) = ctx["skew"].as_i64() {
        flag("skew", skew.to_string());
    }
    flag("now", NOW.into());
    flag("format", format.into());
    let input = &c["input"];
    if let Some(headers) = input["headers"].as_array() {
        for h in headers {
            flag(
                "header",
                format!("{}: {}", h[0].as_str().unwrap(), h[1].as_str().unwrap()),
            );
        }
    } else if input["event"].is_object() {
        a.push(input["event"].to_string());
    } else {
        a.push(input["token"].as_str().unwrap().into());
    }
    a
}

/// A test per (profile, case, format), whose snapshot is named after the test.
macro_rules! explained {
    ($($name:ident: $profile:literal, $file:literal, $id:literal, $format:literal;)*) => {$(
        #[test]
        fn $name() {
            let c = case($file, $id);
            let args = check_args($profile, &c, $format);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let text = transcript(&args);
            let want = if c["expect"]["verdict"] == "accept" { "exit: 0\n" } else { "exit: 1\n" };
            assert!(text.contains(want), "{} wants {want}: {text}", $id);
            settings().bind(|| insta::assert_snapshot!(text));
        }
    )*};
}

explained! {
    core_accept_text: "core", "core/sig-rs256.json", "core/sig-rs256/valid", "text";
    core_accept_json: "core", "core/sig-rs256.json", "core/sig-rs256/valid", "json";
    core_reject_text: "core", "core/sig-rs256.json", "core/sig-rs256/last-bit-flipped", "text";
    core_reject_json: "core", "core/sig-rs256.json", "core/sig-rs256/last-bit-flipped", "json";
    pendo_accept_text: "pendo", "interop/pyjwt-pendo.json", "interop/pyjwt-pendo/seed-snippet", "text";
    pendo_accept_json: "pendo", "interop/pyjwt-pendo.json", "interop/pyjwt-pendo/seed-snippet", "json";
    pendo_reject_text: "pendo", "interop/pyjwt-pendo.json", "interop/pyjwt-pendo/no-nonce", "text";
    pendo_reject_json: "pendo", "interop/pyjwt-pendo.json", "interop/pyjwt-pendo/no-nonce", "json";
    watson_accept_text: "watson", "interop/node-watson.json", "interop/node-watson/seed-authenticating-users", "text";
    watson_accept_json: "watson", "interop/node-watson.json", "interop/node-watson/seed-authenticating-users", "json";
    watson_reject_text: "watson", "interop/node-watson.json", "interop/node-watson/expires-in-10000ms-elapsed", "text";
    watson_reject_json: "watson", "interop/node-watson.json", "interop/node-watson/expires-in-10000ms-elapsed", "json";
    pomerium_accept_text: "pomerium", "interop/jose-pomerium.json", "interop/jose-pomerium/es256-identity", "text";
    pomerium_accept_json: "pomerium", "interop/jose-pomerium.json", "interop/jose-pomerium/es256-identity", "json";
    pomerium_reject_text: "pomerium", "interop/jose-pomerium.json", "interop/jose-pomerium/expired-61s", "text";
    pomerium_reject_json: "pomerium", "interop/jose-pomerium.json", "interop/jose-pomerium/expired-61s", "json";
    coyo_accept_text: "coyo", "interop/jose-coyo.json", "interop/jose-coyo/registered-issuer-key", "text";
    coyo_accept_json: "coyo", "interop/jose-coyo.json", "interop/jose-coyo/registered-issuer-key", "json";
    coyo_reject_text: "coyo", "interop/jose-coyo.json", "interop/jose-coyo/expired", "text";
    coyo_reject_json: "coyo", "interop/jose-coyo.json", "interop/jose-coyo/expired", "json";
}
