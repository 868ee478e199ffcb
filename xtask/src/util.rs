//! The helpers every command shares: the setup error (exit 2), printing to stdout,
//! the shell's directory (relative paths on the command line), loading a vectors folder
//! (ours or a user's), writing a file, running a program, the `--timeout` flag's parser,
//! and the dates the pages a run writes carry.

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::{Duration, SystemTime};

use jwtc_vectors::load;

/// A usage or setup error: exit 2, one line naming the thing and what to do.
pub(crate) struct Setup(pub(crate) String);

/// Writes to stdout; a closed stdout (`| head`) is not an error worth a panic.
pub(crate) fn say(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// Parses a `--timeout` value: seconds, more than 0 and at most a day.
pub(crate) fn seconds(s: &str) -> Result<Duration, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() && v <= 86_400.0 => Ok(Duration::from_secs_f64(v)),
        _ => Err(format!(
            "{s:?} is not a number of seconds between 0 and 86400 (e.g. 10 or 0.5)"
        )),
    }
}

/// The directory the command was started from (`None` when it cannot be read), before
/// xtask moves to the workspace root.
pub(crate) struct Shell(pub(crate) Option<PathBuf>);

impl Shell {
    /// `path` as given on the command line: a relative path is from the shell's directory.
    pub(crate) fn resolve(&self, path: &Path, flag: &str) -> Result<PathBuf, Setup> {
        if path.is_absolute() {
            return Ok(path.to_path_buf());
        }
        match &self.0 {
            Some(dir) => Ok(dir.join(path)),
            None => Err(Setup(format!(
                "{flag} {}: a relative path, and the shell's directory cannot be read; give an absolute path",
                path.display()
            ))),
        }
    }
}

/// The suite's own vectors folder (xtask runs from the workspace root).
pub(crate) const OWN_VECTORS: &str = "vectors";

/// Whether `dir` is the suite's own vectors folder (the same folder, however named).
pub(crate) fn is_own_vectors(dir: &Path) -> bool {
    match (dir.canonicalize(), Path::new(OWN_VECTORS).canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Loads `--vectors DIR` (from the shell's directory) as a user's folder, or the suite's
/// own vectors/ when absent or when DIR is that folder; with the folder, for messages.
pub(crate) fn load_vectors(
    dir: Option<PathBuf>,
    shell: &Shell,
) -> Result<(load::Loaded, PathBuf), Setup> {
    let dir = match dir {
        Some(d) => shell.resolve(&d, "--vectors")?,
        None => PathBuf::from(OWN_VECTORS),
    };
    Ok((load_suite(&dir, mode_of(&dir))?, dir))
}

/// The checks a folder is loaded with: ours for the suite's own vectors/, a user's otherwise.
pub(crate) fn mode_of(dir: &Path) -> load::Mode {
    if is_own_vectors(dir) {
        load::Mode::Own
    } else {
        load::Mode::User
    }
}

/// Loads the vectors folder `dir` with the checks of `mode`; a folder that is not one, or
/// a file that does not load, is a setup error naming it.
pub(crate) fn load_suite(dir: &Path, mode: load::Mode) -> Result<load::Loaded, Setup> {
    if mode == load::Mode::Own && !dir.join("suite.json").is_file() {
        return Err(Setup(format!(
            "{} is not a vectors directory (it has no suite.json): give --vectors the folder that holds suite.json, keys/ and schema/",
            dir.display()
        )));
    }
    jwtc::suite::load(Some(dir), mode).map_err(|jwtc::exit::Failure::Usage(msg)| Setup(msg))
}

/// Writes a file, creating its folder; the error names the path.
pub(crate) fn write_file(path: &Path, text: &str) -> Result<(), Setup> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Setup(format!("cannot create {}: {e}", dir.display())))?;
    }
    std::fs::write(path, text).map_err(|e| Setup(format!("cannot write {}: {e}", path.display())))
}

/// Runs a command; a missing program or a failure is a setup error naming it.
pub(crate) fn run(cmd: &mut Process, what: &str) -> Result<(), Setup> {
    jwtc_harness::install::run(cmd, what).map_err(Setup)
}

/// Today's date (UTC) as YYYY-MM-DD, for the pages a run writes (never for verifying).
pub(crate) fn today() -> String {
    civil_date(unix_seconds() / 86_400)
}

/// Now (UTC) as `YYYY-MM-DD HH:MM UTC`, for the pages a run writes.
pub(crate) fn utc_now() -> String {
    let secs = unix_seconds();
    let rem = secs % 86_400;
    format!(
        "{} {:02}:{:02} UTC",
        civil_date(secs / 86_400),
        rem / 3600,
        (rem % 3600) / 60
    )
}

/// Seconds since 1970-01-01 UTC by the wall clock (0 before it).
fn unix_seconds() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The proleptic Gregorian date of a day number since 1970-01-01 (`load::utc`'s date).
fn civil_date(days: u64) -> String {
    let secs = i64::try_from(days.saturating_mul(86_400)).unwrap_or(i64::MAX);
    load::utc(secs)[..10].to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        for (days, want) in [
            (0, "1970-01-01"),
            (59, "1970-03-01"),
            (11_016, "2000-02-29"),
            (20_454, "2026-01-01"),
            (20_780, "2026-11-23"),
        ] {
            assert_eq!(super::civil_date(days), want, "{days}");
        }
    }

    #[test]
    fn timeouts_are_positive_seconds_up_to_a_day() {
        use std::time::Duration;
        assert_eq!(super::seconds("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(super::seconds("86400"), Ok(Duration::from_secs(86_400)));
        for bad in ["0", "-1", "86401", "inf", "NaN", "soon"] {
            assert!(super::seconds(bad).is_err(), "{bad}");
        }
    }
}
