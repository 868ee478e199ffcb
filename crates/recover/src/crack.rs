//! HS256/384/512 secret cracking from a word list: each line (raw bytes, its trailing
//! `\n` and `\r` removed; empty lines skipped but counted) is tried as the HMAC key over
//! the token's signing input, in batches shared among threads. Bounded by a word count
//! and by the caller's progress callback, which sees the counts after every batch and may
//! stop the run: the clock, if any, is the caller's.

use std::io::{BufRead, Read};
use std::path::Path;

use hmac::{Hmac, Mac};
use jwtc_verifier::Alg;
use sha2::{Sha256, Sha384, Sha512};

use crate::token;

/// The longest line taken as a word (bytes, after the line end is removed).
pub const MAX_LINE: usize = 4096;

/// How far a run may go, and how it is spread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Stop after trying this many words (empty lines are not words).
    pub max_words: u64,
    /// Worker threads (at least 1).
    pub threads: usize,
    /// Words read before the threads share them out and the callback is asked.
    pub batch: usize,
}

impl Limits {
    /// At most `max_words` words, on every core, in batches of 8192.
    pub fn new(max_words: u64) -> Limits {
        Limits {
            max_words,
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            batch: 8192,
        }
    }
}

/// The counts so far, given to the progress callback after each batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Lines read, empty ones included.
    pub lines: u64,
    /// Words tried.
    pub tried: u64,
}

/// The callback's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Go on.
    Continue,
    /// Stop now (a deadline passed, the user asked).
    Stop,
}

/// The secret, and where it was in the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The word, as bytes (a word list need not be UTF-8).
    pub secret: Vec<u8>,
    /// Its line, counting from 1.
    pub line: u64,
}

/// Why the run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The secret was found.
    Found,
    /// Every word was tried.
    Exhausted,
    /// [`Limits::max_words`] words were tried and more remained.
    MaxWords,
    /// The callback said [`Flow::Stop`].
    Stopped,
}

/// What a run did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The secret, if found.
    pub found: Option<Found>,
    /// Why it ended.
    pub stop: Stop,
    /// The counts at the end.
    pub progress: Progress,
}

/// Why a run could not be made.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    /// The token does not parse.
    #[error(transparent)]
    Token(#[from] token::Error),
    /// Not an HMAC token.
    #[error("the token is {alg}, not HS256, HS384 or HS512: only an HMAC token's secret can be cracked from a word list")]
    NotHmac { alg: &'static str },
    /// A MAC of the wrong length: no secret can give it.
    #[error("the token's {alg} signature is {len} bytes; an {alg} MAC is {expected}: no secret can match it")]
    MacLength {
        alg: &'static str,
        len: usize,
        expected: usize,
    },
    /// Bad limits.
    #[error("crack limits: {0}")]
    Limits(String),
    /// The word list could not be opened.
    #[error("word list {path}: cannot open: {reason}")]
    Open { path: String, reason: String },
    /// A read failed.
    #[error("word list{at}: read failed at line {line}: {reason}", at = path_suffix(.path))]
    Read {
        path: Option<String>,
        line: u64,
        reason: String,
    },
    /// A line over [`MAX_LINE`] bytes.
    #[error("word list{at}: line {line} is over {MAX_LINE} bytes: not a word list?", at = path_suffix(.path))]
    LineTooLong { path: Option<String>, line: u64 },
    /// No word at all.
    #[error("word list{at} is empty: {lines} line(s), none with a word", at = path_suffix(.path))]
    Empty { path: Option<String>, lines: u64 },
}

fn path_suffix(path: &Option<String>) -> String {
    path.as_ref().map_or(String::new(), |p| format!(" {p}"))
}

/// Tries each word of the file `path` against the HMAC token `token` ([`crack`]); errors
/// name the file.
pub fn crack_file(
    token: &str,
    path: &Path,
    limits: &Limits,
    progress: impl FnMut(Progress) -> Flow,
) -> Result<Outcome, Error> {
    let file = std::fs::File::open(path).map_err(|e| Error::Open {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    run(
        token,
        std::io::BufReader::new(file),
        Some(path.display().to_string()),
        limits,
        progress,
    )
}

/// Tries each word of `words` as the HMAC secret of `token` (HS256, HS384 or HS512),
/// at most `limits.max_words` of them; `progress` sees the counts after every batch and
/// may stop the run.
pub fn crack(
    token: &str,
    words: impl BufRead,
    limits: &Limits,
    progress: impl FnMut(Progress) -> Flow,
) -> Result<Outcome, Error> {
    run(token, words, None, limits, progress)
}

type Check = fn(&[u8], &[u8], &[u8]) -> bool;

fn check<M: Mac + hmac::digest::KeyInit>(secret: &[u8], input: &[u8], mac: &[u8]) -> bool {
    let Ok(mut m) = <M as hmac::digest::KeyInit>::new_from_slice(secret) else {
        return false;
    };
    m.update(input);
    m.verify_slice(mac).is_ok()
}

fn run(
    token: &str,
    mut words: impl BufRead,
    path: Option<String>,
    limits: &Limits,
    mut progress: impl FnMut(Progress) -> Flow,
) -> Result<Outcome, Error> {
    if limits.threads == 0 || limits.batch == 0 {
        return Err(Error::Limits(format!(
            "threads {} and batch {} must both be at least 1",
            limits.threads, limits.batch
        )));
    }
    let t = token::parse(token, "the token")?;
    let check: Check = match t.alg {
        Alg::HS256 => check::<Hmac<Sha256>>,
        Alg::HS384 => check::<Hmac<Sha384>>,
        Alg::HS512 => check::<Hmac<Sha512>>,
        other => return Err(Error::NotHmac { alg: other.name() }),
    };
    let expected = t.alg.hmac_len().unwrap_or_default();
    if t.signature.len() != expected {
        return Err(Error::MacLength {
            alg: t.alg.name(),
            len: t.signature.len(),
            expected,
        });
    }
    let mut reader = Lines {
        words: &mut words,
        path,
        line: 0,
        buf: Vec::new(),
    };
    let mut at = Progress { lines: 0, tried: 0 };
    let mut batch: Vec<(u64, Vec<u8>)> = Vec::with_capacity(limits.batch);
    loop {
        batch.clear();
        let mut full = false;
        while batch.len() < limits.batch {
            if at.tried + batch.len() as u64 >= limits.max_words {
                full = true;
                break;
            }
            match reader.next_word()? {
                Some(word) => batch.push(word),
                None => break,
            }
        }
        at.lines = reader.line;
        let hit = search(&batch, limits.threads, |w| check(w, &t.input, &t.signature));
        if let Some(i) = hit {
            at.tried += i as u64 + 1;
            let (line, secret) = batch.swap_remove(i);
            return Ok(Outcome {
                found: Some(Found { secret, line }),
                stop: Stop::Found,
                progress: at,
            });
        }
        at.tried += batch.len() as u64;
        let done = |stop, progress| Outcome {
            found: None,
            stop,
            progress,
        };
        if full {
            // The limit is reached: say MaxWords only if a word was left untried (that
            // word's line is not counted as read).
            let more = reader.next_word()?.is_some();
            at.lines = reader.line - u64::from(more);
            return Ok(done(
                if more {
                    Stop::MaxWords
                } else {
                    Stop::Exhausted
                },
                at,
            ));
        }
        if batch.len() < limits.batch {
            if at.tried == 0 {
                return Err(Error::Empty {
                    path: reader.path.take(),
                    lines: at.lines,
                });
            }
            return Ok(done(Stop::Exhausted, at));
        }
        if progress(at) == Flow::Stop {
            return Ok(done(Stop::Stopped, at));
        }
    }
}

/// The index of the first word `matches` accepts, the words shared among `threads`.
fn search(
    batch: &[(u64, Vec<u8>)],
    threads: usize,
    matches: impl Fn(&[u8]) -> bool + Sync,
) -> Option<usize> {
    let first = |words: &[(u64, Vec<u8>)]| words.iter().position(|(_, w)| matches(w));
    if threads == 1 || batch.len() < 2 * threads {
        return first(batch);
    }
    let chunk = batch.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = batch
            .chunks(chunk)
            .enumerate()
            .map(|(n, words)| {
                let first = &first;
                scope.spawn(move || first(words).map(|i| n * chunk + i))
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .min()
    })
}

/// A word list read line by line, each line bounded.
struct Lines<'r, R: BufRead> {
    words: &'r mut R,
    path: Option<String>,
    line: u64,
    buf: Vec<u8>,
}

impl<R: BufRead> Lines<'_, R> {
    /// The next non-empty line and its number; `None` at the end.
    fn next_word(&mut self) -> Result<Option<(u64, Vec<u8>)>, Error> {
        loop {
            self.buf.clear();
            let limit = MAX_LINE as u64 + 2;
            let n = (&mut *self.words)
                .take(limit)
                .read_until(b'\n', &mut self.buf)
                .map_err(|e| Error::Read {
                    path: self.path.clone(),
                    line: self.line + 1,
                    reason: e.to_string(),
                })?;
            if n == 0 {
                return Ok(None);
            }
            self.line += 1;
            let ended = self.buf.last() == Some(&b'\n');
            if ended {
                self.buf.pop();
            }
            if self.buf.last() == Some(&b'\r') {
                self.buf.pop();
            }
            if self.buf.len() > MAX_LINE || (!ended && n as u64 == limit) {
                return Err(Error::LineTooLong {
                    path: self.path.clone(),
                    line: self.line,
                });
            }
            if !self.buf.is_empty() {
                return Ok(Some((self.line, self.buf.clone())));
            }
        }
    }
}
