//! The raw primitives and `jsonwebtoken::decode`, each as a closure over one bench token
//! with its key prepared once: the benches (`benches/tokens.rs`, `benches/common/`) time
//! them, and `examples/profile.rs` counts their instructions.

use aws_lc_rs::{hmac as lc_hmac, signature as lc_sig};
use hmac::Mac;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use p256::ecdsa::signature::Verifier;
use sha2::{Digest, Sha256};

use crate::{jwk, token, HMAC_KEY, P256_KEY, RSA_KEY};
use jwtc_verifier::{b64, Alg};

/// One call of a bench body: true when the token (or signature) is accepted.
pub type Body = Box<dyn Fn() -> bool>;

fn member(name: &str, m: &str) -> Vec<u8> {
    b64::decode(jwk(name)[m].as_str().expect("a JWK member")).expect("base64url")
}

/// The library called directly, its key prepared once (an HMAC keyed state, an
/// `rsa::RsaPublicKey`, a `p256` verifying key; aws-lc's `hmac::Key` and
/// `ParsedPublicKey`), on the signing input and the decoded signature of [`token`]`(alg)`.
pub fn primitive(alg: Alg, backend: &str) -> Body {
    let t = token(alg);
    let (msg, sig) = (t.signing_input, t.signature);
    match (alg, backend) {
        (Alg::HS256, "rustcrypto") => {
            let keyed = hmac::Hmac::<Sha256>::new_from_slice(&member(HMAC_KEY, "k")).unwrap();
            Box::new(move || {
                let mut mac = keyed.clone();
                mac.update(&msg);
                mac.verify_slice(&sig).is_ok()
            })
        }
        (Alg::HS256, "aws-lc") => {
            let key = lc_hmac::Key::new(lc_hmac::HMAC_SHA256, &member(HMAC_KEY, "k"));
            Box::new(move || lc_hmac::verify(&key, &msg, &sig).is_ok())
        }
        (Alg::RS256, "rustcrypto") => {
            let key = rsa_key();
            Box::new(move || {
                let hashed = Sha256::digest(&msg);
                key.verify(rsa::Pkcs1v15Sign::new::<Sha256>(), &hashed, &sig)
                    .is_ok()
            })
        }
        (Alg::RS256, "aws-lc") => {
            use rsa::pkcs1::EncodeRsaPublicKey;
            let der = rsa_key().to_pkcs1_der().unwrap().into_vec();
            let key =
                lc_sig::ParsedPublicKey::new(&lc_sig::RSA_PKCS1_2048_8192_SHA256, der).unwrap();
            Box::new(move || key.verify_sig(&msg, &sig).is_ok())
        }
        (Alg::ES256, "rustcrypto") => {
            let (x, y) = (member(P256_KEY, "x"), member(P256_KEY, "y"));
            let point =
                p256::EncodedPoint::from_affine_coordinates(x[..].into(), y[..].into(), false);
            let key = p256::ecdsa::VerifyingKey::from_encoded_point(&point).unwrap();
            Box::new(move || {
                p256::ecdsa::Signature::from_slice(&sig).is_ok_and(|s| key.verify(&msg, &s).is_ok())
            })
        }
        (Alg::ES256, "aws-lc") => {
            let sec1 = [&[4u8][..], &member(P256_KEY, "x"), &member(P256_KEY, "y")].concat();
            let key = lc_sig::ParsedPublicKey::new(&lc_sig::ECDSA_P256_SHA256_FIXED, sec1).unwrap();
            Box::new(move || key.verify_sig(&msg, &sig).is_ok())
        }
        other => panic!("no raw primitive for {other:?}"),
    }
}

fn rsa_key() -> rsa::RsaPublicKey {
    rsa::RsaPublicKey::new(
        rsa::BigUint::from_bytes_be(&member(RSA_KEY, "n")),
        rsa::BigUint::from_bytes_be(&member(RSA_KEY, "e")),
    )
    .unwrap()
}

/// Installs jsonwebtoken's provider for `backend` ("rustcrypto" or "aws-lc"), once per
/// process: jsonwebtoken takes its backend from a process-wide default.
pub fn install_jsonwebtoken(backend: &str) {
    let provider = match backend {
        "rustcrypto" => &jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER,
        "aws-lc" => &jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER,
        other => panic!("jsonwebtoken has no backend {other:?}"),
    };
    provider
        .install_default()
        .expect("the first jsonwebtoken provider installed in this process");
}

/// `jsonwebtoken::decode::<Value>` on [`token`]`(alg)` as its documentation suggests: one
/// `DecodingKey` made once from the public key's components, a `Validation` for the one
/// algorithm checking `exp` and `nbf` with no leeway and any `aud` (what the reference's
/// `core` profile checks). Its backend is the installed provider.
pub fn jsonwebtoken(alg: Alg) -> Body {
    let t = token(alg);
    let text = |name: &str, m: &str| jwk(name)[m].as_str().unwrap().to_owned();
    let (key, lib_alg) = match alg {
        Alg::HS256 => (
            DecodingKey::from_secret(&member(HMAC_KEY, "k")),
            Algorithm::HS256,
        ),
        Alg::RS256 => (
            DecodingKey::from_rsa_components(&text(RSA_KEY, "n"), &text(RSA_KEY, "e")).unwrap(),
            Algorithm::RS256,
        ),
        _ => (
            DecodingKey::from_ec_components(&text(P256_KEY, "x"), &text(P256_KEY, "y")).unwrap(),
            Algorithm::ES256,
        ),
    };
    let mut validation = Validation::new(lib_alg);
    validation.validate_nbf = true;
    validation.validate_aud = false;
    validation.leeway = 0;
    Box::new(move || jsonwebtoken::decode::<serde_json::Value>(&t.token, &key, &validation).is_ok())
}
