//! Profile `jws` (plain RFC 7515 verification, the external sets' profile): the suite's own
//! groups beside Wycheproof's imported ones. `jws/embedded-key.json`, rule
//! `core.embedded-key`: a key carried in the JWS header (`jwk`) never verifies it, also when
//! the configured keys have none for the token's `kid`, which a JWS-level API may otherwise
//! fill from the header (Authlib's `JsonWebSignature.deserialize_compact(s, None)` before
//! 1.6.9, CVE-2026-27962).

use jwtc_verifier::b64;
use serde_json::{json, Value};

use crate::generate::Group;
use crate::mint::Mint;
use crate::model::Severity::{Critical, Low};
use crate::model::VectorFile;

pub(super) fn files(m: &Mint<'_>) -> Vec<VectorFile> {
    vec![embedded_key(m)]
}

/// The payload every case signs: a claims set, though the profile checks none.
const PAYLOAD: &[u8] = br#"{"sub":"admin"}"#;

fn token(m: &Mint<'_>, key: &str, header: &Value) -> String {
    let h = b64::encode(header.to_string());
    let p = b64::encode(PAYLOAD);
    let sig = m.sign("RS256", key, format!("{h}.{p}").as_bytes());
    format!("{h}.{p}.{}", b64::encode(sig))
}

fn embedded_key(m: &Mint<'_>) -> VectorFile {
    let mut g = Group::new("jws", "embedded-key");
    let rule = "core.embedded-key";
    let ctx = json!({"algorithms": ["RS256"], "keys": ["rsa-2048-a"]});
    let attacker = m.keys().public_jwk("rsa-2048-b").unwrap();
    let refs = ["CVE-2026-27962", "CVE-2018-0114", "RFC 7515 §4.1.3"];
    g.case(
        "jwk-attacker-kid",
        rule,
        Critical,
        "signed by the attacker's key, which the header carries as jwk under its own kid: no configured key has that kid",
    )
    .refs(&refs)
    .token(token(m, "rsa-2048-b", &json!({"alg": "RS256", "kid": "attacker", "jwk": attacker})))
    .context(ctx.clone())
    .reject("key_unknown");
    g.case(
        "jwk-attacker-key-kid",
        rule,
        Critical,
        "signed by the attacker's key carried as jwk, kid naming the attacker's key (rsa-2048-b), which is not configured",
    )
    .refs(&refs)
    .token(token(m, "rsa-2048-b", &json!({"alg": "RS256", "kid": "rsa-2048-b", "jwk": attacker})))
    .context(ctx.clone())
    .reject("key_unknown");
    g.case(
        "jwk-attacker-no-kid",
        rule,
        Critical,
        "signed by the attacker's key carried as jwk, no kid: the configured key is tried and fails",
    )
    .refs(&refs)
    .token(token(m, "rsa-2048-b", &json!({"alg": "RS256", "jwk": attacker})))
    .context(ctx.clone())
    .reject("bad_signature");
    let header = json!({"alg": "RS256", "kid": "rsa-2048-a"});
    g.case(
        "valid-configured-kid",
        rule,
        Low,
        "signed by the configured key, its kid named, no key in the header: verifies",
    )
    .token(token(m, "rsa-2048-a", &header))
    .context(ctx)
    .accept(json!({"header": header, "payload": b64::encode(PAYLOAD)}));
    g.finish()
}
