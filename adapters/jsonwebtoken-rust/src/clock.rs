//! jsonwebtoken's `exp`/`nbf` checks, run at the harness's clock instead of the system's.
//!
//! jsonwebtoken 11.1.0 has no clock option: `validation::validate` calls
//! `get_current_timestamp()` (`SystemTime::now()`) whenever `validate_exp` or
//! `validate_nbf` is set, and nothing else reads the clock. So the adapter configures a
//! `Validation` the way an integrator would (time checks on, `leeway` = the context's
//! skew, ...), then [`pin`]s it: the copy handed to the library has both time checks off
//! (so the library never reads the wall clock), and [`Clock::check`] runs the library's
//! own time block — copied from jsonwebtoken 11.1.0 `src/validation.rs`, statement for
//! statement (for the history row `jsonwebtoken-rust:10.2.0`, feature
//! `jsonwebtoken_10_2`: 10.2.0's block, the same but for the malformed-claim check 10.3.0
//! added), with the same parsing of the claims (`numeric_type`: integers, fractions
//! rounded, anything else "failed to parse") — with `now` = the hello's clock.
//!
//! Order: the library checks required claims, then time, then `sub`, `iss`, `aud`.
//! Required claims stay in the library (they do not depend on the time switches); the
//! time block runs right after a successful `decode`, and also when `decode` failed on
//! `sub`/`iss`/`aud` (those errors only come after the signature verified), so a token
//! that is both expired and for another audience is `expired`, as the library says.
//! Nothing here is shared between threads: there is no race to freeze.

use jsonwebtoken::errors::{Error, ErrorKind};
use jsonwebtoken::Validation;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::fmt;

/// The time settings of a [`Validation`], and the clock to apply them at.
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    now: u64,
    validate_exp: bool,
    validate_nbf: bool,
    leeway: u64,
    reject_tokens_expiring_in_less_than: u64,
}

/// Splits an integrator's `Validation` into the one handed to the library (its time
/// checks off) and the [`Clock`] that applies them at `now`.
pub fn pin(mut validation: Validation, now: u64) -> (Validation, Clock) {
    let clock = Clock {
        now,
        validate_exp: validation.validate_exp,
        validate_nbf: validation.validate_nbf,
        leeway: validation.leeway,
        reject_tokens_expiring_in_less_than: validation.reject_tokens_expiring_in_less_than,
    };
    validation.validate_exp = false;
    validation.validate_nbf = false;
    (validation, clock)
}

impl Clock {
    /// jsonwebtoken 11.1.0's time block (`validation::validate`), at `self.now`.
    pub fn check(&self, claims: &Value) -> Result<(), Error> {
        let times = Times::deserialize(claims).map_err(Error::from)?;
        if self.validate_exp || self.validate_nbf {
            let now = self.now;

            // Reject malformed exp/nbf claim when validation is enabled
            // (jsonwebtoken 10.3.0's fix of GHSA-h395-gr6q-cpjc / CVE-2026-25537;
            // 10.2.0's block, which the history row copies, has no such check: a claim
            // that fails to parse is treated as absent.)
            #[cfg(not(feature = "jsonwebtoken_10_2"))]
            if self.validate_exp && matches!(times.exp, TryParse::FailedToParse) {
                return Err(ErrorKind::InvalidClaimFormat("exp".to_string()).into());
            }
            #[cfg(not(feature = "jsonwebtoken_10_2"))]
            if self.validate_nbf && matches!(times.nbf, TryParse::FailedToParse) {
                return Err(ErrorKind::InvalidClaimFormat("nbf".to_string()).into());
            }

            if matches!(times.exp, TryParse::Parsed(exp) if exp < self.reject_tokens_expiring_in_less_than)
            {
                return Err(ErrorKind::InvalidToken.into());
            }

            // The library computes `now - leeway` and `now + leeway` in u64; saturating
            // here only differs where the library would overflow.
            if matches!(times.exp, TryParse::Parsed(exp) if self.validate_exp
                && exp - self.reject_tokens_expiring_in_less_than < now.saturating_sub(self.leeway))
            {
                return Err(ErrorKind::ExpiredSignature.into());
            }

            if matches!(times.nbf, TryParse::Parsed(nbf) if self.validate_nbf && nbf > now.saturating_add(self.leeway))
            {
                return Err(ErrorKind::ImmatureSignature.into());
            }
        }
        Ok(())
    }
}

/// A NumericDate claim parsed the way jsonwebtoken parses `exp` and `nbf`
/// (`validation::numeric_type`): for glue that checks another date claim (Pomerium's
/// `iat`) exactly as the library would check these.
pub fn numeric_date(claims: &Value, name: &str) -> TryParse<u64> {
    match claims.get(name) {
        None => TryParse::NotPresent,
        Some(v) => numeric_type(v).unwrap_or(TryParse::FailedToParse),
    }
}

#[derive(Deserialize)]
struct Times {
    #[serde(deserialize_with = "numeric_type", default)]
    exp: TryParse<u64>,
    #[serde(deserialize_with = "numeric_type", default)]
    nbf: TryParse<u64>,
}

/// jsonwebtoken's `TryParse`.
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq)]
pub enum TryParse<T> {
    Parsed(T),
    FailedToParse,
    #[default]
    NotPresent,
}

/// jsonwebtoken 11.1.0's `numeric_type`, verbatim but for names.
fn numeric_type<'de, D>(deserializer: D) -> Result<TryParse<u64>, D::Error>
where
    D: Deserializer<'de>,
{
    struct NumericType;

    impl Visitor<'_> for NumericType {
        type Value = TryParse<u64>;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("A NumericType that can be reasonably coerced into a u64")
        }

        fn visit_u64<E>(self, value: u64) -> Result<Self::Value, E>
        where
            E: de::Error,
        {
            Ok(TryParse::Parsed(value))
        }

        fn visit_f64<E>(self, value: f64) -> Result<Self::Value, E>
        where
            E: de::Error,
        {
            if value.is_finite() && value >= 0.0 && value < (u64::MAX as f64) {
                Ok(TryParse::Parsed(value.round() as u64))
            } else {
                Err(serde::de::Error::custom(
                    "NumericType must be representable as a u64",
                ))
            }
        }
    }

    match deserializer.deserialize_any(NumericType) {
        Ok(ok) => Ok(ok),
        Err(_) => Ok(TryParse::FailedToParse),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::Algorithm;
    use serde_json::json;

    const NOW: u64 = 1_767_225_600;

    fn clock(leeway: u64, reject: u64) -> Clock {
        let mut v = Validation::new(Algorithm::HS256);
        v.validate_nbf = true;
        v.leeway = leeway;
        v.reject_tokens_expiring_in_less_than = reject;
        let (lib, clock) = pin(v, NOW);
        assert!(
            !lib.validate_exp && !lib.validate_nbf,
            "the library never reads the clock"
        );
        clock
    }

    fn kind(r: Result<(), Error>) -> Option<ErrorKind> {
        r.err().map(|e| e.into_kind())
    }

    #[test]
    fn the_library_default_accepts_exp_equal_to_now_and_one_second_of_reject_margin_refuses_it() {
        assert_eq!(kind(clock(0, 0).check(&json!({"exp": NOW}))), None);
        assert_eq!(
            kind(clock(0, 0).check(&json!({"exp": NOW - 1}))),
            Some(ErrorKind::ExpiredSignature)
        );
        assert_eq!(
            kind(clock(0, 1).check(&json!({"exp": NOW}))),
            Some(ErrorKind::ExpiredSignature)
        );
        assert_eq!(kind(clock(0, 1).check(&json!({"exp": NOW + 1}))), None);
        assert_eq!(kind(clock(60, 1).check(&json!({"exp": NOW - 59}))), None);
        assert_eq!(
            kind(clock(60, 1).check(&json!({"exp": NOW - 60}))),
            Some(ErrorKind::ExpiredSignature)
        );
    }

    #[test]
    fn nbf_and_the_library_parsing_of_dates() {
        assert_eq!(kind(clock(0, 1).check(&json!({"nbf": NOW}))), None);
        assert_eq!(
            kind(clock(0, 1).check(&json!({"nbf": NOW + 1}))),
            Some(ErrorKind::ImmatureSignature)
        );
        assert_eq!(kind(clock(60, 1).check(&json!({"nbf": NOW + 60}))), None);
        // Fractions are rounded, exponent forms are numbers, strings and negatives fail.
        assert_eq!(kind(clock(0, 1).check(&json!({"exp": 1.7672292e9}))), None);
        assert_eq!(
            kind(clock(0, 1).check(&json!({"exp": "1767229200"}))),
            Some(ErrorKind::InvalidClaimFormat("exp".into()))
        );
        assert_eq!(
            kind(clock(0, 1).check(&json!({"exp": -1}))),
            Some(ErrorKind::InvalidClaimFormat("exp".into()))
        );
        assert_eq!(
            numeric_date(&json!({"iat": 1.5}), "iat"),
            TryParse::Parsed(2)
        );
        assert_eq!(
            numeric_date(&json!({"iat": null}), "iat"),
            TryParse::FailedToParse
        );
        assert_eq!(numeric_date(&json!({}), "iat"), TryParse::NotPresent);
    }
}
