//! The big-integer steps of recovery on malachite (feature `malachite`): s^e − m for both
//! tokens (one thread each), their gcd (malachite's half-gcd: sub-quadratic, which is what
//! makes a 134-million-bit gcd take a minute or two instead of hours), and the small factors
//! taken out of it.

use malachite_base::num::arithmetic::traits::{DivisibleBy, Gcd, Pow};
use malachite_base::num::conversion::traits::PowerOf2Digits;
use malachite_base::num::logic::traits::SignificantBits;
use malachite_nz::natural::Natural;

/// Primes below this are divided out of the gcd: a modulus's own factors are far larger.
pub const SMALL_FACTOR_BOUND: u32 = 1 << 20;

/// A big-endian byte string as a number.
pub fn from_be(bytes: &[u8]) -> Natural {
    Natural::from_power_of_2_digits_desc(8, bytes.iter().copied())
        .unwrap_or_else(|| unreachable!("every byte is a base-256 digit"))
}

/// The number as big-endian bytes, without leading zeros.
pub fn to_be(n: &Natural) -> Vec<u8> {
    PowerOf2Digits::<u8>::to_power_of_2_digits_desc(n, 8)
}

/// The number of significant bits.
pub fn bits(n: &Natural) -> u64 {
    n.significant_bits()
}

/// |s^e − m| for both (s, m) pairs, the second on its own thread.
pub fn both_differences(first: (&[u8], &[u8]), second: (&[u8], &[u8]), e: u32) -> [Natural; 2] {
    let difference = |(s, m): (&[u8], &[u8])| {
        let power = from_be(s).pow(u64::from(e));
        let m = from_be(m);
        if power >= m {
            power - m
        } else {
            m - power
        }
    };
    std::thread::scope(|scope| {
        let other = scope.spawn(|| difference(second));
        let a = difference(first);
        let b = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        [a, b]
    })
}

/// gcd(a, b).
pub fn gcd(a: Natural, b: Natural) -> Natural {
    a.gcd(b)
}

/// `g` with every prime below [`SMALL_FACTOR_BOUND`] divided out (as often as it divides),
/// and the primes removed, each once per time it divided.
pub fn strip_small_factors(mut g: Natural) -> (Natural, Vec<u32>) {
    let mut removed = Vec::new();
    let one = Natural::from(1u32);
    for p in primes_below(SMALL_FACTOR_BOUND) {
        if g == one {
            break;
        }
        let p_big = Natural::from(p);
        while g != one && (&g).divisible_by(&p_big) {
            g /= &p_big;
            removed.push(p);
        }
    }
    (g, removed)
}

/// The primes below `bound` (sieve of Eratosthenes).
fn primes_below(bound: u32) -> impl Iterator<Item = u32> {
    let bound = bound as usize;
    let mut composite = vec![false; bound];
    let mut i = 2;
    while i * i < bound {
        if !composite[i] {
            (i * i..bound).step_by(i).for_each(|j| composite[j] = true);
        }
        i += 1;
    }
    (2..bound as u32).filter(move |&n| !composite[n as usize])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_factors_come_out_and_the_rest_stays() {
        let big_prime = from_be(&[0x01, 0x00, 0x00, 0x00, 0x0f]); // 2^32 + 15, prime
        let g = &big_prime * Natural::from(2u32 * 2 * 3 * 1_048_573);
        let (rest, removed) = strip_small_factors(g);
        assert_eq!(rest, big_prime);
        assert_eq!(removed, vec![2, 2, 3, 1_048_573]);
        assert_eq!(
            primes_below(30).collect::<Vec<_>>(),
            [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]
        );
    }

    #[test]
    fn bytes_round_trip() {
        for bytes in [
            &[0x01u8, 0x00, 0xff][..],
            &[0x7f],
            &[0x80, 0, 0, 0, 0, 0, 0, 0, 1],
        ] {
            assert_eq!(to_be(&from_be(bytes)), bytes);
        }
    }
}
