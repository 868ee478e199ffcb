//! The vendor profiles' own attacks: `pomerium` (forged identity headers beside the
//! assertion, headers without it, an issuer naming the attacker's origin), `coyo-jku`
//! (the generator's jku allowlist tricks around the token's own jku origin) and `pendo`
//! (an unknown or revoked signingKeyName, an unsigned event).

use serde_json::{json, Value};

use jwtc_vectors::generate::coyo_jku_tricks;
use jwtc_vectors::model::Severity::{Critical, High};
use jwtc_vectors::model::Verdict;

use super::Ctx;
use crate::attack::Attack;

/// The attacks of the token's profile.
pub fn attacks(c: &Ctx<'_>) -> Vec<Attack> {
    match c.frame.profile.as_str() {
        "pomerium" => pomerium(c),
        "coyo" => coyo(c),
        "pendo" => pendo(c),
        _ => Vec::new(),
    }
}

const SPOOF: [(&str, &str); 4] = [
    ("x-pomerium-authenticated-user-id", "admin"),
    (
        "x-pomerium-authenticated-user-email",
        "attacker@evil.example",
    ),
    ("x-pomerium-authenticated-user-groups", "admins"),
    ("x-pomerium-claim-email", "attacker@evil.example"),
];

fn pomerium(c: &Ctx<'_>) -> Vec<Attack> {
    let t = c.token;
    let mut identity = serde_json::Map::new();
    for n in ["sub", "email"] {
        if let Some(v) = t.claims.get(n) {
            identity.insert(n.into(), v.clone());
        }
    }
    let spoof: Vec<(String, String)> = SPOOF
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    let mut out = vec![
        Attack {
            headers: spoof.clone(),
            verdict: Verdict::Accept,
            output: Some(Value::Object(identity)),
            ..Attack::new("pomerium", "identity-headers-beside-assertion", "pomerium.identity", Critical,
                "the genuine assertion beside unsigned x-pomerium-authenticated-user-* and x-pomerium-claim-* headers naming the attacker: accepted with the assertion's identity, never the headers'",
                t.raw.clone())
        },
        Attack {
            input: Some(json!({ "headers": SPOOF.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>() })),
            ..Attack::new("pomerium", "identity-headers-only", "pomerium.header", Critical,
                "the unsigned identity headers alone, no assertion", "")
        },
    ];
    for (scheme, host) in [("http", &c.attacker.http), ("https", &c.attacker.https)] {
        let url = format!("{scheme}://{host}/.well-known/pomerium/jwks.json");
        let claims =
            t.claims_with(json!({"iss": host, "sub": "admin", "email": "attacker@evil.example"}));
        out.push(Attack::new("pomerium", format!("iss-names-attacker-{scheme}"), "pomerium.jwks", Critical,
            format!("iss {host:?} (the attacker's origin), signed by the attacker's key: an SDK that builds the JWKS URL from iss fetches {url}; nothing may be fetched"),
            c.attacker_sign(t.header_with(json!({"kid": "p256-b"})), &claims))
            .no_fetch(json!({ url: {"status": 200, "body": c.attacker_jwks()} })));
    }
    out
}

fn coyo(c: &Ctx<'_>) -> Vec<Attack> {
    let t = c.token;
    let Some(allowed) = t
        .header
        .get("jku")
        .and_then(Value::as_str)
        .and_then(|j| url::Url::parse(j).ok())
        .and_then(|u| {
            Some(format!(
                "{}{}",
                u.host_str()?,
                u.port().map(|p| format!(":{p}")).unwrap_or_default()
            ))
        })
    else {
        return Vec::new();
    };
    let jwks = c.attacker_jwks();
    let data_url = format!(
        "data:application/json;base64,{}",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &jwks)
    );
    let claims = t.claims_value();
    coyo_jku_tricks(data_url)
        .into_iter()
        .filter(|(_, _, jku, _)| !jku.contains("2001:db8"))
        .map(|(name, sev, jku, what)| {
            let jku = jku.replace("pubkeys.coyocloud.example", &allowed).replace("evil.example", &c.attacker.https);
            let a = Attack::new("coyo-jku", name, "coyo.jku-allowlist", sev,
                format!("jku {jku:?}: {what}, around the token's allowlisted {allowed}; signed by the attacker's key; nothing may be fetched"),
                c.attacker_sign(t.header_with(json!({"jku": jku, "kid": "rsa-2048-b"})), &claims))
                .refs(&["RFC 8725 §3.10", "RFC 3986 §3.2", "WHATWG URL"]);
            Attack { max_fetches: Some(0), ..a }
        })
        .collect()
}

fn pendo(c: &Ctx<'_>) -> Vec<Attack> {
    let t = c.token;
    let name = c.frame.key_name.clone().unwrap_or_default();
    let event = |extra: Value| {
        let mut e = json!({"id": "jwtc-attack", "jwt": t.raw});
        if let (Some(o), Some(x)) = (e.as_object_mut(), extra.as_object()) {
            for (k, v) in x {
                if v.is_null() {
                    o.remove(k);
                } else {
                    o.insert(k.clone(), v.clone());
                }
            }
        }
        json!({ "event": e })
    };
    let mut revoked = c.frame.context.clone();
    if let Some(o) = revoked.as_object_mut() {
        o.insert("revoked".into(), json!([name]));
    }
    vec![
        Attack {
            input: Some(event(json!({"signingKeyName": "jwtc-unknown-key"}))),
            ..Attack::new(
                "pendo",
                "unknown-key-name",
                "pendo.key-name",
                Critical,
                "the genuine jwt with a signingKeyName the subscription does not have",
                "",
            )
        },
        Attack {
            input: Some(event(json!({}))),
            ..Attack::new(
                "pendo",
                "no-key-name",
                "pendo.key-name",
                High,
                "the genuine jwt without signingKeyName",
                "",
            )
        },
        Attack {
            input: Some(event(json!({"signingKeyName": name}))),
            context: Some(revoked),
            ..Attack::new(
                "pendo",
                "revoked-key-name",
                "pendo.rotation",
                Critical,
                format!(
                    "the genuine jwt under signingKeyName {name:?}, revoked in the subscription"
                ),
                "",
            )
        },
        Attack {
            input: Some(event(
                json!({"jwt": null, "metadata": {"visitor": {"id": "admin"}}}),
            )),
            ..Attack::new(
                "pendo",
                "unsigned-metadata",
                "pendo.mode",
                Critical,
                "plain metadata naming visitor admin, no jwt, under only_signed",
                "",
            )
        },
    ]
}
