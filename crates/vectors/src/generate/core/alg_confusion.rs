//! Vectors `core/alg-confusion.json`, rule `core.alg-confusion`: an HMAC keyed with the
//! public key rejects.

use serde_json::json;

use super::{claims, ctx, default_ctx, hdr, key_for, out};
use crate::generate::Group;
use crate::mint::{hmac, Mint};
use crate::model::Severity::{Critical, Low};
use crate::model::VectorFile;
use jwtc_verifier::b64;

pub(super) fn group(m: &Mint<'_>, now: i64) -> VectorFile {
    use p256::pkcs8::EncodePublicKey;
    let mut g = Group::new("core", "alg-confusion");
    let rule = "core.alg-confusion";
    let c = claims(now);
    let rsa_pub = m.rsa_private("rsa-2048-a").to_public_key();
    let ec_pub = m.p256_private("p256-a").verifying_key().to_owned();
    let rsa_pem = rsa_pub
        .to_public_key_pem(p256::pkcs8::LineEnding::LF)
        .unwrap();
    let ec_pem = ec_pub
        .to_public_key_pem(p256::pkcs8::LineEnding::LF)
        .unwrap();
    let rsa_der = rsa_pub.to_public_key_der().unwrap().as_bytes().to_vec();
    let ec_der = ec_pub.to_public_key_der().unwrap().as_bytes().to_vec();
    let rsa_jwk = m.keys().public_jwk("rsa-2048-a").unwrap().to_string();
    let ec_jwk = m.keys().public_jwk("p256-a").unwrap().to_string();
    let ec_point = ec_pub.to_encoded_point(false).as_bytes().to_vec();
    let rsa_n = b64::decode(
        m.keys().public_jwk("rsa-2048-a").unwrap()["n"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let secrets: Vec<(&str, &str, &str, Vec<u8>)> = vec![
        (
            "rsa-pem",
            "RS256",
            "the RSA public key's PEM text",
            rsa_pem.clone().into_bytes(),
        ),
        (
            "rsa-pem-no-newline",
            "RS256",
            "the RSA public key's PEM text without its final newline",
            rsa_pem.trim_end().as_bytes().to_vec(),
        ),
        (
            "rsa-der",
            "RS256",
            "the RSA public key's DER (SPKI) bytes",
            rsa_der,
        ),
        (
            "rsa-jwk",
            "RS256",
            "the RSA public key's JWK JSON text",
            rsa_jwk.into_bytes(),
        ),
        ("rsa-modulus", "RS256", "the RSA modulus bytes", rsa_n),
        (
            "ec-pem",
            "ES256",
            "the P-256 public key's PEM text",
            ec_pem.into_bytes(),
        ),
        (
            "ec-der",
            "ES256",
            "the P-256 public key's DER (SPKI) bytes",
            ec_der,
        ),
        (
            "ec-jwk",
            "ES256",
            "the P-256 public key's JWK JSON text",
            ec_jwk.into_bytes(),
        ),
        (
            "ec-point",
            "ES256",
            "the P-256 public key's uncompressed point",
            ec_point,
        ),
    ];
    for (name, profile_alg, what, secret) in secrets {
        let header = json!({"alg": "HS256", "kid": key_for(profile_alg)});
        let h = b64::encode(header.to_string());
        let p = b64::encode(c.to_string());
        let mac = hmac("HS256", &secret, format!("{h}.{p}").as_bytes());
        g.case(
            &format!("hs256-keyed-with-{name}"),
            rule,
            Critical,
            &format!(
                "an HS256 token whose HMAC key is {what}, under an {profile_alg} configuration"
            ),
        )
        .refs(&[
            "CVE-2015-9235",
            "CVE-2016-5431",
            "CVE-2022-29217",
            "RFC 8725 §2.1",
        ])
        .token(format!("{h}.{p}.{}", b64::encode(mac)))
        .context(default_ctx(profile_alg))
        .reject("alg_not_allowed");
    }
    for a in ["RS256", "ES256"] {
        g.case(
            &format!("genuine-{}", a.to_lowercase()),
            rule,
            Low,
            &format!("the genuine {a} token by the same key under the same configuration"),
        )
        .token(m.jwt(a, key_for(a), &hdr(a), &c))
        .context(default_ctx(a))
        .accept(out(&c));
    }
    // The PEM the user pasted, configured as PEM: the classic setup of the attack.
    let header = json!({"alg": "HS256"});
    let h = b64::encode(header.to_string());
    let p = b64::encode(c.to_string());
    let mac = hmac("HS256", rsa_pem.as_bytes(), format!("{h}.{p}").as_bytes());
    g.case(
        "hs256-keyed-with-configured-pem",
        rule,
        Critical,
        "an HS256 token keyed with the PEM text the verifier was configured with (as PEM), no kid",
    )
    .refs(&["CVE-2015-9235", "CVE-2022-29217"])
    .token(format!("{h}.{p}.{}", b64::encode(mac)))
    .context(ctx("RS256", json!([{"pem": rsa_pem}])))
    .reject("alg_not_allowed");
    // The OpenSSH public-key line of the P-256 key (an `id_ecdsa.pub` file's text, RFC 5656
    // §3.1 blob), configured as key text: PyJWT < 2.4.0's HMAC key check knew `ssh-rsa`
    // and three PEM headers, not `ecdsa-sha2-nistp256` (CVE-2022-29217).
    let ssh_line = crate::forge::openssh_p256(ec_pub.to_encoded_point(false).as_bytes(), "p256-a");
    let mac = hmac("HS256", ssh_line.as_bytes(), format!("{h}.{p}").as_bytes());
    g.case(
        "hs256-keyed-with-configured-openssh",
        rule,
        Critical,
        "an HS256 token keyed with the OpenSSH public-key line (ecdsa-sha2-nistp256, an id_ecdsa.pub file) the verifier was configured with as key text, no kid",
    )
    .refs(&["CVE-2022-29217", "RFC 8725 §2.1"])
    .token(format!("{h}.{p}.{}", b64::encode(mac)))
    .context(ctx("ES256", json!([{"pem": ssh_line}])))
    .reject("alg_not_allowed");
    g.finish()
}
