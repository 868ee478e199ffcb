//! EMSA-PKCS1-v1_5 (RFC 8017 §9.2): the block an RS256/384/512 signature raises to `e`
//! modulo `n`. Recovery subtracts it from `s^e`; it is the whole "m" of gcd(s^e − m, …).

use jwtc_verifier::Alg;
use sha2::{Digest, Sha256, Sha384, Sha512};

/// The DER DigestInfo prefixes of RFC 8017 §9.2 note 1.
const SHA256_PREFIX: &[u8] = &[
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];
const SHA384_PREFIX: &[u8] = &[
    0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05,
    0x00, 0x04, 0x30,
];
const SHA512_PREFIX: &[u8] = &[
    0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05,
    0x00, 0x04, 0x40,
];

/// `0x00 0x01 0xff… 0x00 DigestInfo(hash(input))`, `k` bytes long, for RS256, RS384 or
/// RS512. `None` for any other algorithm, or when `k` is too short to hold the DigestInfo
/// and eight bytes of padding (RFC 8017 §9.2 step 3).
pub fn encode(alg: Alg, input: &[u8], k: usize) -> Option<Vec<u8>> {
    let (prefix, digest): (&[u8], Vec<u8>) = match alg {
        Alg::RS256 => (SHA256_PREFIX, Sha256::digest(input).to_vec()),
        Alg::RS384 => (SHA384_PREFIX, Sha384::digest(input).to_vec()),
        Alg::RS512 => (SHA512_PREFIX, Sha512::digest(input).to_vec()),
        _ => return None,
    };
    let t_len = prefix.len() + digest.len();
    if k < t_len + 11 {
        return None;
    }
    let mut em = Vec::with_capacity(k);
    em.extend_from_slice(&[0x00, 0x01]);
    em.resize(k - t_len - 1, 0xff);
    em.push(0x00);
    em.extend_from_slice(prefix);
    em.extend_from_slice(&digest);
    Some(em)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_is_k_bytes_with_the_digest_at_the_end() {
        for (alg, len) in [(Alg::RS256, 32), (Alg::RS384, 48), (Alg::RS512, 64)] {
            let em = encode(alg, b"a.b", 128).unwrap();
            assert_eq!(em.len(), 128, "{alg:?}");
            assert_eq!(&em[..2], &[0, 1], "{alg:?}");
            assert_eq!(
                em[128 - len - 20],
                0,
                "{alg:?}: the separator before DigestInfo"
            );
            assert!(em[2..128 - len - 20].iter().all(|&b| b == 0xff), "{alg:?}");
        }
        assert_eq!(encode(Alg::PS256, b"a.b", 128), None);
        assert_eq!(
            encode(Alg::RS512, b"a.b", 93),
            None,
            "too short for SHA-512"
        );
    }
}
