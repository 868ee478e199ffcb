//! RSA-OAEP decryption as node-rsa's default scheme produces it (`pkcs1_oaep`): SHA-1,
//! MGF1 with SHA-1, empty label (RFC 8017 §7.1.2), one block per modulus length, blocks
//! concatenated. The Watson profile uses it for `user_payload`.
//!
//! The private-key operation is the backend's ([`crate::crypto`]); the block lengths and
//! the messages are decided here, the same for both backends. Direction: `oaep` uses only
//! `crypto`; [`DecryptionKey`](crate::keys::DecryptionKey) (Watson's key) uses `oaep`.
//!
//! # Security: RUSTSEC-2023-0071 (Marvin attack)
//!
//! `rsa` 0.9's private-key operation (the RustCrypto backend, the default build) is not
//! constant-time: without blinding, the time a decryption takes depends on the attacker's
//! ciphertext, and an attacker who can submit many ciphertexts and time the answers may
//! recover a plaintext or forge a signature (the Marvin attack; no fixed `rsa` release
//! exists in the 0.9 line). The RustCrypto backend therefore always decrypts *blinded*
//! (`decrypt_blinded`, with the operating system's generator): the exponentiation runs on
//! `c·rᵉ` for a fresh random `r`, so its timing no longer follows the chosen ciphertext.
//! Blinding is the mitigation the advisory's discussion and OpenSSL use; it does not make
//! the big-integer code constant-time, so a verifier built that way should not sit behind
//! a network-facing oracle. **Build with `--features aws-lc` in production**: aws-lc's RSA
//! decryption is constant-time. The error deliberately does not say which OAEP check
//! failed (no Manger padding oracle). The generator is not a clock or the network:
//! verification stays a function of its inputs (the blinding factor cancels out).

use std::sync::Arc;

use rsa::traits::PublicKeyParts;

use crate::crypto::{self, DecryptingKey};

/// An RSA private key for OAEP, parsed once by the backend in force ([`crypto::backend`]).
#[derive(Clone, Debug)]
pub struct PrivateKey {
    modulus_len: usize,
    backend: &'static str,
    key: Arc<dyn DecryptingKey>,
}

impl PrivateKey {
    /// Hands a checked private key to the backend; the error is the backend's refusal.
    pub fn new(key: &rsa::RsaPrivateKey) -> Result<PrivateKey, String> {
        let backend = crypto::backend();
        Ok(PrivateKey {
            modulus_len: key.size(),
            backend: backend.name(),
            key: backend.rsa_decrypting_key(key)?,
        })
    }

    /// The modulus length k in bytes: the size of one ciphertext block.
    pub fn modulus_len(&self) -> usize {
        self.modulus_len
    }

    /// The name of the backend that parsed this key.
    pub fn backend(&self) -> &'static str {
        self.backend
    }
}

/// Decrypts one RSA-OAEP (SHA-1, MGF1-SHA-1, empty label) block of exactly the modulus length.
///
/// The error names a wrong block length with both numbers; every other failure
/// (ciphertext not below the modulus, bad padding, label-hash mismatch, missing
/// separator) is the single message `"OAEP decoding failed"`, never which check it was.
///
/// RustCrypto decrypts blinded: see the module documentation on RUSTSEC-2023-0071 (Marvin).
pub fn decrypt_block(key: &PrivateKey, block: &[u8]) -> Result<Vec<u8>, String> {
    let k = key.modulus_len;
    if block.len() != k {
        return Err(format!(
            "ciphertext block is {} bytes, modulus is {k}",
            block.len()
        ));
    }
    key.key
        .decrypt_oaep_sha1(block)
        .ok_or_else(|| "OAEP decoding failed".to_string())
}

/// Decrypts node-rsa's long-message form: one or more modulus-length blocks, each
/// decrypted on its own, the plaintexts concatenated in order (a UTF-8 character may
/// straddle two blocks, so decode text only after this). The error names the length
/// that is wrong, or the (1-based) block that fails and how many there are.
pub fn decrypt_blocks(key: &PrivateKey, ciphertext: &[u8]) -> Result<Vec<u8>, String> {
    let k = key.modulus_len;
    if ciphertext.is_empty() || ciphertext.len() % k != 0 {
        return Err(format!(
            "ciphertext is {} bytes, not a whole number (1 or more) of {k}-byte blocks",
            ciphertext.len()
        ));
    }
    let n = ciphertext.len() / k;
    let mut out = Vec::with_capacity(n * k);
    for (i, block) in ciphertext.chunks(k).enumerate() {
        let plain =
            decrypt_block(key, block).map_err(|e| format!("block {} of {n}: {e}", i + 1))?;
        out.extend_from_slice(&plain);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{decrypt_block, decrypt_blocks, PrivateKey};
    use rsa::rand_core::{CryptoRng, RngCore};
    use sha2::{Digest, Sha256};

    /// A fixed-seed, test-only deterministic generator: SHA-256(seed ‖ counter) blocks.
    /// Marked `CryptoRng` only so that `rsa`'s encryption accepts it; never use it for keys.
    struct SeededRng {
        seed: [u8; 32],
        counter: u64,
        buf: [u8; 32],
        used: usize,
    }

    impl SeededRng {
        fn new(seed: &[u8]) -> Self {
            SeededRng {
                seed: Sha256::digest(seed).into(),
                counter: 0,
                buf: [0; 32],
                used: 32,
            }
        }
    }

    impl RngCore for SeededRng {
        fn next_u32(&mut self) -> u32 {
            let mut b = [0; 4];
            self.fill_bytes(&mut b);
            u32::from_le_bytes(b)
        }

        fn next_u64(&mut self) -> u64 {
            let mut b = [0; 8];
            self.fill_bytes(&mut b);
            u64::from_le_bytes(b)
        }

        fn fill_bytes(&mut self, dest: &mut [u8]) {
            for out in dest {
                if self.used == self.buf.len() {
                    let mut h = Sha256::new();
                    h.update(self.seed);
                    h.update(self.counter.to_be_bytes());
                    self.buf = h.finalize().into();
                    self.counter += 1;
                    self.used = 0;
                }
                *out = self.buf[self.used];
                self.used += 1;
            }
        }

        fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rsa::rand_core::Error> {
            self.fill_bytes(dest);
            Ok(())
        }
    }

    impl CryptoRng for SeededRng {}

    fn key() -> PrivateKey {
        PrivateKey::new(&rsa_key()).unwrap()
    }

    fn rsa_key() -> rsa::RsaPrivateKey {
        let jwk: serde_json::Value =
            serde_json::from_str(include_str!("../../../vectors/keys/rsa-2048-a.json")).unwrap();
        let int = |name: &str| {
            let s = jwk[name]
                .as_str()
                .unwrap_or_else(|| panic!("JWK member {name}"));
            rsa::BigUint::from_bytes_be(&crate::b64::decode(s).unwrap())
        };
        rsa::RsaPrivateKey::from_components(int("n"), int("e"), int("d"), vec![int("p"), int("q")])
            .unwrap()
    }

    fn encrypt(_: &PrivateKey, rng: &mut SeededRng, msg: &[u8]) -> Vec<u8> {
        rsa_key()
            .to_public_key()
            .encrypt(rng, rsa::Oaep::new::<sha1::Sha1>(), msg)
            .unwrap()
    }

    #[test]
    fn round_trip() {
        let key = key();
        let mut rng = SeededRng::new(b"jwtc oaep round trip");
        // The longest message for a 2048-bit key with SHA-1: k - 2·hLen - 2 = 256 - 42.
        let longest = vec![0xa5; key.modulus_len() - 2 * 20 - 2];
        for msg in [&b""[..], b"hello, watson", &longest] {
            let block = encrypt(&key, &mut rng, msg);
            assert_eq!(block.len(), key.modulus_len());
            assert_eq!(decrypt_block(&key, &block).unwrap(), msg);
        }
    }

    #[test]
    fn seeded_rng_is_deterministic() {
        let key = key();
        let a = encrypt(&key, &mut SeededRng::new(b"seed"), b"m");
        let b = encrypt(&key, &mut SeededRng::new(b"seed"), b"m");
        let c = encrypt(&key, &mut SeededRng::new(b"other seed"), b"m");
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn wrong_length_names_both_numbers() {
        let key = key();
        let block = encrypt(&key, &mut SeededRng::new(b"len"), b"m");
        let err = decrypt_block(&key, &block[1..]).unwrap_err();
        assert_eq!(err, "ciphertext block is 255 bytes, modulus is 256");
        let mut long = vec![0];
        long.extend_from_slice(&block);
        let err = decrypt_block(&key, &long).unwrap_err();
        assert_eq!(err, "ciphertext block is 257 bytes, modulus is 256");
        assert_eq!(
            decrypt_block(&key, &[]).unwrap_err(),
            "ciphertext block is 0 bytes, modulus is 256"
        );
    }

    #[test]
    fn every_other_failure_is_one_message() {
        let key = key();
        let mut rng = SeededRng::new(b"failures");
        // A flipped ciphertext bit: the padding check fails.
        let mut tampered = encrypt(&key, &mut rng, b"m");
        tampered[100] ^= 1;
        // Not below the modulus.
        let too_big = vec![0xff; key.modulus_len()];
        let public = rsa_key().to_public_key();
        // Encrypted under a non-empty label: the label hash differs.
        let labelled = public
            .encrypt(
                &mut rng,
                rsa::Oaep::new_with_label::<sha1::Sha1, _>("watson"),
                b"m",
            )
            .unwrap();
        // OAEP with SHA-256 instead of SHA-1.
        let sha256 = public
            .encrypt(&mut rng, rsa::Oaep::new::<Sha256>(), b"m")
            .unwrap();
        // PKCS#1 v1.5 encryption, not OAEP.
        let v15 = public
            .encrypt(&mut rng, rsa::Pkcs1v15Encrypt, b"m")
            .unwrap();
        for block in [tampered, too_big, labelled, sha256, v15] {
            assert_eq!(
                decrypt_block(&key, &block).unwrap_err(),
                "OAEP decoding failed"
            );
        }
    }

    #[test]
    fn blocks_concatenate_and_name_the_failing_block() {
        let key = key();
        let mut rng = SeededRng::new(b"blocks");
        let a = encrypt(&key, &mut rng, "caf\u{e9} ".as_bytes());
        let b = encrypt(&key, &mut rng, b"au lait");
        let two = [a.clone(), b.clone()].concat();
        assert_eq!(
            decrypt_blocks(&key, &two).unwrap(),
            "caf\u{e9} au lait".as_bytes()
        );
        assert_eq!(decrypt_blocks(&key, &a).unwrap(), "caf\u{e9} ".as_bytes());
        let mut bad = two.clone();
        bad[300] ^= 1;
        assert_eq!(
            decrypt_blocks(&key, &bad).unwrap_err(),
            "block 2 of 2: OAEP decoding failed"
        );
        assert_eq!(
            decrypt_blocks(&key, &two[..300]).unwrap_err(),
            "ciphertext is 300 bytes, not a whole number (1 or more) of 256-byte blocks"
        );
        assert!(decrypt_blocks(&key, &[])
            .unwrap_err()
            .starts_with("ciphertext is 0 bytes"));
    }
}
