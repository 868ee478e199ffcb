//! The optional features an implementation claims (`jwtc_verifier::rules::FEATURES`):
//! from its hello over the protocol, or given by the caller in process. A case needing a
//! feature that is not claimed is not sent and is reported as *not claimed*. Beside the
//! features, the [`Clock`] a signer's time claims are graded at: the suite clock it is
//! given, or (a signer that can only read its own) the wall clock the harness reads when
//! each answer arrives.

use std::collections::BTreeSet;

use jwtc_vectors::load::LoadedCase;
use jwtc_verifier::rules::FEATURES;

/// Seconds a wall-clock signer's `iat` (and lifetime) may be off the time the harness
/// read when its answer arrived (`watson.mint-exp`).
pub const WALL_SLACK: i64 = 5;

/// Reads the wall clock, in seconds since the epoch. A parameter wherever the harness reads
/// the time, so tests pass fixed values.
pub type WallClock = fn() -> i64;

/// The system's wall clock ([`WallClock`]); 0 on a clock set before 1970.
pub fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The time `wall` reads, as an answer's [`crate::outcome::Outcome::at`] (`None` only for a
/// clock that reads the epoch itself).
pub fn wall_time(wall: WallClock) -> Option<std::num::NonZeroI64> {
    std::num::NonZeroI64::new(wall())
}

/// The clock a signer's mints are graded at (hello member `clock`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Clock {
    /// The suite clock the harness gives every step (`now`): the default.
    #[default]
    Suite,
    /// The signer reads the wall clock (node `jsonwebtoken`'s `expiresIn`, PyJWT with
    /// `datetime.now()`): its mints are graded at the wall-clock time the harness read
    /// when each answer arrived, with [`WALL_SLACK`].
    Wall,
}

impl Clock {
    /// From a hello's `clock` (absent: the suite clock); the error names the value.
    pub fn parse(value: Option<&str>) -> Result<Clock, String> {
        match value {
            None | Some("suite") => Ok(Clock::Suite),
            Some("wall") => Ok(Clock::Wall),
            Some(other) => Err(format!(
                "clock {other:?}, which is neither \"suite\" nor \"wall\""
            )),
        }
    }

    /// `suite` or `wall`.
    pub fn as_str(self) -> &'static str {
        match self {
            Clock::Suite => "suite",
            Clock::Wall => "wall",
        }
    }

    /// For reports: which clock the signer cases were graded at, the suite clock's value
    /// included.
    pub fn describe(self, now: i64) -> String {
        match self {
            Clock::Suite => format!("signer cases graded at the suite clock {now}"),
            Clock::Wall => format!(
                "signer cases graded at the wall clock (the time each answer arrived, {WALL_SLACK} s of slack)"
            ),
        }
    }
}

/// The features an implementation claims, and the clock its mints are graded at.
#[derive(Clone, Debug)]
pub struct Claimed {
    /// `None`: every feature (a hello without a `features` list).
    only: Option<BTreeSet<String>>,
    /// The clock of its mints.
    clock: Clock,
    /// Where a wall-clock implementation's answer times are read (in process).
    wall: WallClock,
}

impl PartialEq for Claimed {
    /// The features and the clock (the wall-clock source is not compared).
    fn eq(&self, other: &Claimed) -> bool {
        self.only == other.only && self.clock == other.clock
    }
}

impl Eq for Claimed {}

impl Default for Claimed {
    fn default() -> Self {
        Claimed::all()
    }
}

impl Claimed {
    /// Every feature.
    pub fn all() -> Claimed {
        Claimed {
            only: None,
            clock: Clock::Suite,
            wall: system_now,
        }
    }

    /// These claims with the clock `clock`; a wall-clock implementation's answer times
    /// read from `wall` (in process; [`system_now`] unless a test fixes it).
    pub fn with_clock(mut self, clock: Clock, wall: WallClock) -> Claimed {
        self.clock = clock;
        self.wall = wall;
        self
    }

    /// The clock its mints are graded at.
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// The wall-clock time to stamp on an answer that just arrived: `Some` only for a
    /// wall-clock implementation.
    pub fn answer_time(&self) -> Option<std::num::NonZeroI64> {
        (self.clock == Clock::Wall).then(|| wall_time(self.wall))?
    }

    /// Exactly these features. The error names a feature the suite does not define.
    pub fn only<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> Result<Claimed, String> {
        let mut set = BTreeSet::new();
        for n in names {
            let n = n.as_ref();
            if !FEATURES.iter().any(|f| f.name == n) {
                return Err(format!(
                    "feature {n:?} is not one the suite defines ({})",
                    FEATURES
                        .iter()
                        .map(|f| f.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            set.insert(n.to_owned());
        }
        Ok(Claimed {
            only: Some(set),
            ..Claimed::all()
        })
    }

    /// Every feature but these (the reference verifier: all but `es512`).
    pub fn all_but(missing: &[&str]) -> Claimed {
        Claimed {
            clock: Clock::Suite,
            wall: system_now,
            only: Some(
                FEATURES
                    .iter()
                    .map(|f| f.name)
                    .filter(|n| !missing.contains(n))
                    .map(str::to_owned)
                    .collect(),
            ),
        }
    }

    /// From a hello's `features` (absent: every feature).
    pub fn from_hello(features: Option<&[String]>) -> Result<Claimed, String> {
        match features {
            None => Ok(Claimed::all()),
            Some(list) => Claimed::only(list),
        }
    }

    /// The features claimed, in catalogue order, for a hello's `features` (`None`: every
    /// feature, a hello without the list).
    pub fn list(&self) -> Option<Vec<String>> {
        let only = self.only.as_ref()?;
        Some(
            FEATURES
                .iter()
                .filter(|f| only.contains(f.name))
                .map(|f| f.name.to_owned())
                .collect(),
        )
    }

    /// Whether `name` is claimed.
    pub fn has(&self, name: &str) -> bool {
        self.only.as_ref().is_none_or(|s| s.contains(name))
    }

    /// The features case `c` needs and this claim lacks, in the case's order.
    pub fn missing<'a>(&self, c: &'a LoadedCase) -> Vec<&'a str> {
        c.case
            .features
            .iter()
            .map(String::as_str)
            .filter(|f| !self.has(f))
            .collect()
    }

    /// Why case `c` is not sent, when it needs a feature not claimed.
    pub fn not_sent(&self, c: &LoadedCase) -> Option<String> {
        let missing = self.missing(c);
        if missing.is_empty() {
            return None;
        }
        let claimed = match &self.only {
            Some(s) if s.is_empty() => "none".to_owned(),
            Some(s) => s.iter().cloned().collect::<Vec<_>>().join(", "),
            None => "every feature".to_owned(),
        };
        Some(format!(
            "not sent: the case needs feature(s) {}, which the implementation does not claim (it claims: {claimed})",
            missing.join(", ")
        ))
    }
}
