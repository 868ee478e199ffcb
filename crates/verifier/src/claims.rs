//! Registered time claims (rules core.numeric-date, core.exp, core.nbf). Called only
//! after the signature verified (core.order). The clock is always a parameter.

use std::borrow::Cow;

use serde_json::Value;

use crate::error::Error;
use crate::json::{self, Members};

/// The latest numeric date accepted: 9999-12-31T23:59:59Z.
pub const MAX_NUMERIC_DATE: f64 = 253_402_300_799.0;

/// How the time claims are checked.
#[derive(Clone, Copy, Debug)]
pub struct TimeRules {
    /// Seconds of allowed clock skew, both ways.
    pub skew: i64,
    /// `exp` must be present.
    pub require_exp: bool,
    /// `iat` must be present.
    pub require_iat: bool,
    /// `iat` after now + skew rejects `not_yet_valid` (Pomerium); otherwise only an
    /// out-of-range `iat` does.
    pub iat_not_in_future: bool,
}

impl TimeRules {
    /// RFC 7519 defaults: nothing required, `exp` and `nbf` honoured when present.
    pub fn lenient(skew: i64) -> TimeRules {
        TimeRules {
            skew,
            require_exp: false,
            require_iat: false,
            iat_not_in_future: false,
        }
    }
}

/// A numeric date claim: a JSON number (integer, fraction or exponent form).
fn numeric_date(claims: &impl Members, name: &'static str) -> Result<Option<f64>, Error> {
    // rule: core.numeric-date — a JSON number; its range (0 to year 9999) is checked with
    // each claim below.
    match claims.member_number(name) {
        None => Ok(None),
        Some(Ok(n)) => Ok(n),
        Some(Err(other)) => Err(Error::ClaimInvalid {
            claim: name.into(),
            detail: format!("a {}, not a NumericDate (JSON number)", json::kind(&other)),
        }),
    }
}

/// Checks `exp`, `nbf` and `iat` against `now`.
///
/// Fractions are compared on the strict side of docs/rules.md's `either`: `exp` is
/// truncated down and `nbf`/`iat` rounded up, so a token is never valid in a second
/// that a truncating library would refuse.
pub fn check_times(claims: &impl Members, now: i64, rules: &TimeRules) -> Result<(), Error> {
    let skew = rules.skew;
    let exp = numeric_date(claims, "exp")?;
    let nbf = numeric_date(claims, "nbf")?;
    let iat = numeric_date(claims, "iat")?;

    // rule: core.exp
    match exp {
        None if rules.require_exp => return Err(Error::ClaimMissing { claim: "exp" }),
        None => {}
        Some(exp) => {
            if exp > MAX_NUMERIC_DATE {
                // `either` (never expires vs out of range); the reference rejects.
                return Err(Error::ClaimInvalid {
                    claim: "exp".into(),
                    detail: format!("{exp} is after year 9999 ({MAX_NUMERIC_DATE})"),
                });
            }
            if (now as f64) >= exp.floor() + skew as f64 {
                return Err(Error::Expired { exp, skew, now });
            }
        }
    }
    // rule: core.nbf
    if let Some(nbf) = nbf {
        future_check("nbf", nbf, now, skew, true)?;
    }
    match iat {
        None if rules.require_iat => return Err(Error::ClaimMissing { claim: "iat" }),
        None => {}
        Some(iat) => future_check("iat", iat, now, skew, rules.iat_not_in_future)?,
    }
    Ok(())
}

fn future_check(
    claim: &'static str,
    value: f64,
    now: i64,
    skew: i64,
    enforce: bool,
) -> Result<(), Error> {
    if value < 0.0 {
        // `either` in docs/rules.md; the reference rejects.
        return Err(Error::ClaimInvalid {
            claim: claim.into(),
            detail: format!("{value} is before 1970"),
        });
    }
    let out_of_range = value > MAX_NUMERIC_DATE;
    if out_of_range || (enforce && ((now + skew) as f64) < value.ceil()) {
        return Err(Error::NotYetValid {
            claim,
            value,
            skew,
            now,
        });
    }
    Ok(())
}

/// A required string claim (`claim_missing` when absent or null, `claim_invalid` when not a string).
pub fn required_str<'a>(
    claims: &'a impl Members,
    name: &'static str,
) -> Result<Cow<'a, str>, Error> {
    match claims.member(name) {
        None => Err(Error::ClaimMissing { claim: name }),
        Some(Cow::Borrowed(Value::String(s))) => Ok(Cow::Borrowed(s)),
        Some(Cow::Owned(Value::String(s))) => Ok(Cow::Owned(s)),
        Some(v) => match v.as_ref() {
            Value::Null => Err(Error::ClaimMissing { claim: name }),
            other => Err(Error::ClaimInvalid {
                claim: name.into(),
                detail: format!("a {}, not a string", json::kind(other)),
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(claims: Value, now: i64, rules: TimeRules) -> Result<(), Error> {
        check_times(claims.as_object().unwrap(), now, &rules)
    }

    #[test]
    fn exp_boundary_and_skew() {
        let r = TimeRules::lenient(0);
        assert!(run(json!({"exp": 101}), 100, r).is_ok());
        assert!(matches!(
            run(json!({"exp": 100}), 100, r),
            Err(Error::Expired { .. })
        ));
        let r = TimeRules::lenient(60);
        assert!(run(json!({"exp": 41}), 100, r).is_ok());
        assert!(matches!(
            run(json!({"exp": 40}), 100, r),
            Err(Error::Expired { .. })
        ));
    }

    #[test]
    fn fractions_take_the_strict_side() {
        let r = TimeRules::lenient(0);
        assert!(run(json!({"exp": 100.5}), 100, r).is_err());
        assert!(run(json!({"nbf": 100.5}), 100, r).is_err());
        assert!(run(json!({"nbf": 100.0}), 100, r).is_ok());
        assert!(run(json!({"exp": 1.7672256e9}), 1_767_225_599, r).is_ok());
    }

    #[test]
    fn types_and_ranges() {
        let r = TimeRules::lenient(0);
        for bad in [json!("1"), json!(true), json!(null), json!([1])] {
            assert!(matches!(
                run(json!({"exp": bad}), 0, r),
                Err(Error::ClaimInvalid { .. })
            ));
        }
        assert!(matches!(
            run(json!({"exp": 1e12}), 0, r),
            Err(Error::ClaimInvalid { .. })
        ));
        assert!(matches!(
            run(json!({"nbf": 1e12}), 0, r),
            Err(Error::NotYetValid { .. })
        ));
        assert!(matches!(
            run(json!({"iat": 1e12}), 0, r),
            Err(Error::NotYetValid { .. })
        ));
        assert!(matches!(
            run(json!({"exp": -1}), 0, r),
            Err(Error::Expired { .. })
        ));
        assert!(matches!(
            run(json!({"iat": -1}), 0, r),
            Err(Error::ClaimInvalid { .. })
        ));
        // iat in the future is only refused where the profile says so.
        assert!(run(json!({"iat": 200}), 100, r).is_ok());
    }
}
