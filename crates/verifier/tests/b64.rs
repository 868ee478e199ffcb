//! The fast base64url decoder (base64-simd) against the reference (the `base64` crate):
//! `b64::decode` must give exactly what `b64::decode_slow` gives, the bytes or the
//! message, for every text; `b64::decode_into` what the `base64` crate's `decode_slice` gives, into a buffer of any
//! size. A text
//! base64-simd accepted and the `base64` crate refuses, or decoded otherwise, fails here.

use base64::Engine;
use jwtc_verifier::b64;
use proptest::prelude::*;

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The symbols tried at each position: the alphabet, the other alphabet's two, padding,
/// whitespace, a control character, DEL, and the two ends of ASCII.
fn symbols() -> Vec<char> {
    let mut all: Vec<char> = ALPHABET.iter().map(|&b| b as char).collect();
    all.extend(['+', '/', '=', ' ', '\n', '\t', '\0', '\x7f', '.', '~', 'é']);
    all
}

fn same(text: &str) {
    assert_eq!(b64::decode(text), b64::decode_slow(text), "decode {text:?}");
    // decode_into: the `base64` crate's `decode_slice` (b64::STRICT), word for word.
    let exact = text.len() / 4 * 3 + (text.len() % 4).saturating_sub(1);
    for size in [0, exact.saturating_sub(1), exact, exact + 1, 1024] {
        let mut buf = vec![0u8; size];
        let got = b64::decode_into(text, &mut buf).map(|n| buf[..n].to_vec());
        let mut ref_buf = vec![0u8; size];
        let want = match b64::STRICT.decode_slice(text, &mut ref_buf) {
            Ok(n) => Ok(ref_buf[..n].to_vec()),
            Err(base64::DecodeSliceError::DecodeError(e)) => Err(e.to_string()),
            Err(base64::DecodeSliceError::OutputSliceTooSmall) => Err(format!(
                "decodes to more than the {size} bytes given (give decoded_len_estimate bytes)"
            )),
        };
        assert_eq!(got, want, "decode_into {text:?} into {size}");
    }
}

#[test]
fn every_text_of_up_to_three_symbols() {
    let symbols = symbols();
    same("");
    for a in &symbols {
        same(&format!("{a}"));
        for b in &symbols {
            same(&format!("{a}{b}"));
            for c in &symbols {
                same(&format!("{a}{b}{c}"));
            }
        }
    }
}

#[test]
fn every_symbol_at_the_telling_positions_of_many_lengths() {
    let symbols = symbols();
    // Every length to 100, and four of each residue around 128 and 256.
    for len in (0..=100usize).chain(126..=133).chain(254..=261) {
        // A valid text of this length when one exists (len % 4 != 1), canonical ending.
        let mut base: Vec<char> = (0..len)
            .map(|i| ALPHABET[(i * 7 + len) % 64] as char)
            .collect();
        if len % 4 != 1 && len > 0 {
            // The last symbol's unused bits must be zero: 'A', 'Q', 'g' or 'w' all qualify
            // for two unused bits, 'A' or 'Q' for four.
            base[len - 1] = 'A';
        }
        let text: String = base.iter().collect();
        same(&text);
        // Every position of the short texts; of the longer, both ends and either side of
        // every 16-symbol boundary (where the SIMD decoder's blocks meet).
        let tried =
            (0..len).filter(|&p| len <= 72 || p < 8 || p + 8 >= len || p % 16 <= 1 || p % 16 == 15);
        for pos in tried {
            for s in &symbols {
                let mut t = base.clone();
                t[pos] = *s;
                same(&t.iter().collect::<String>());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn random_texts_decode_alike(text in "[A-Za-z0-9_\\-]{0,400}") {
        same(&text);
    }

    #[test]
    fn random_texts_with_strays_decode_alike(text in "[A-Za-z0-9_\\-+/= .]{0,200}") {
        same(&text);
    }

    #[test]
    fn encoded_bytes_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = b64::encode(&bytes);
        same(&text);
        prop_assert_eq!(b64::decode(&text), Ok(bytes));
    }
}
