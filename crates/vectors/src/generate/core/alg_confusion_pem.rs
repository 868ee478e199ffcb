//! Vectors `core/alg-confusion-pem.json`, rule `core.alg-confusion`: an HS256 token keyed
//! with the configured public key's text, in the PEM spellings a key-type sniffer misses.

use serde_json::json;

use super::{claims, ctx, out};
use crate::generate::Group;
use crate::mint::{hmac, Mint};
use crate::model::Severity::{Critical, Low};
use crate::model::VectorFile;
use jwtc_verifier::b64;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    use p256::pkcs8::{EncodePublicKey, LineEnding};
    use rsa::pkcs1::EncodeRsaPublicKey;
    let mut g = Group::new("core", "alg-confusion-pem");
    let rule = "core.alg-confusion";
    let c = claims(now);
    let rsa_pub = m.rsa_private("rsa-2048-a").to_public_key();
    let spki = rsa_pub.to_public_key_pem(LineEnding::LF).unwrap();
    let pkcs1 = rsa_pub.to_pkcs1_pem(LineEnding::LF).unwrap();
    // (name, the configured key text, what it is, the advisories of libraries that sniffed
    // the key's type from its text and took it for an HMAC secret)
    let texts: [(&str, String, &str, &[&str]); 3] = [
        (
            "pkcs1-pem",
            pkcs1,
            "the RSA public key as PKCS#1 PEM (BEGIN RSA PUBLIC KEY)",
            &["CVE-2023-48223", "RFC 8725 §2.1"],
        ),
        (
            "pem-leading-newline",
            format!("\n{spki}"),
            "the RSA public key's SPKI PEM after a newline (as a YAML block or a database column gives it)",
            &["CVE-2026-34950", "RFC 8725 §2.1"],
        ),
        (
            "pem-leading-spaces",
            format!("  {spki}"),
            "the RSA public key's SPKI PEM after two spaces",
            &["CVE-2026-34950", "RFC 8725 §2.1"],
        ),
    ];
    for (name, text, what, refs) in texts {
        let h = b64::encode(json!({"alg": "HS256"}).to_string());
        let p = b64::encode(c.to_string());
        let mac = hmac("HS256", text.as_bytes(), format!("{h}.{p}").as_bytes());
        g.case(
            &format!("hs256-keyed-with-configured-{name}"),
            rule,
            Critical,
            &format!(
                "an HS256 token keyed with the exact key text the verifier was configured with, {what}, no kid"
            ),
        )
        .refs(refs)
        .token(format!("{h}.{p}.{}", b64::encode(mac)))
        .context(ctx("RS256", json!([{ "pem": text }])))
        .reject("alg_not_allowed");
        g.case(
            &format!("genuine-rs256-configured-{name}"),
            rule,
            Low,
            &format!("the genuine RS256 token under the same configuration: {what}"),
        )
        .token(m.jwt("RS256", "rsa-2048-a", &json!({"alg": "RS256"}), &c))
        .context(ctx("RS256", json!([{ "pem": text }])))
        .accept(out(&c));
    }
    g.finish()
}
