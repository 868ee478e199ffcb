//! Word-list cracking, driven by tables: where the secret is in the list and how the
//! lines end, the limits and the callback, and every bad input.

use std::io::{BufRead, Cursor, Read};

use jwtc_recover::crack::{self, Error, Flow, Found, Limits, Progress, Stop};
use jwtc_vectors::mint;
use jwtc_verifier::b64;

/// An `alg` token whose MAC is keyed with `secret`.
fn token(alg: &str, secret: &[u8]) -> String {
    let input = format!(
        "{}.{}",
        b64::encode(format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#)),
        b64::encode(r#"{"sub":"alice"}"#)
    );
    let sig = mint::hmac(alg, secret, input.as_bytes());
    format!("{input}.{}", b64::encode(sig))
}

fn limits(max_words: u64, threads: usize, batch: usize) -> Limits {
    Limits {
        max_words,
        threads,
        batch,
    }
}

fn run(token: &str, list: &[u8], limits: &Limits) -> Result<crack::Outcome, Error> {
    crack::crack(token, Cursor::new(list.to_vec()), limits, |_| {
        Flow::Continue
    })
}

/// (name, alg, secret, list, limits, found line, words tried, lines read)
type FoundCase<'a> = (&'a str, &'a str, &'a [u8], Vec<u8>, Limits, u64, u64, u64);

#[test]
fn the_secret_is_found_wherever_it_is_and_however_lines_end() {
    // (name, alg, secret, list, limits, found line, words tried, lines read)
    let big: Vec<u8> = (0..10_000)
        .flat_map(|i| format!("w{i}\n").into_bytes())
        .chain(*b"s3cret\n")
        .collect();
    let cases: Vec<FoundCase> = vec![
        (
            "first line",
            "HS256",
            b"secret",
            b"secret\nother\n".to_vec(),
            limits(10, 1, 4),
            1,
            1,
            2,
        ),
        (
            "CRLF lines",
            "HS256",
            b"secret",
            b"a\r\nsecret\r\nb\r\n".to_vec(),
            limits(10, 1, 4),
            2,
            2,
            3,
        ),
        (
            "no final newline",
            "HS384",
            b"last",
            b"a\nb\nlast".to_vec(),
            limits(10, 1, 4),
            3,
            3,
            3,
        ),
        (
            "empty lines counted, not tried",
            "HS512",
            b"x",
            b"\n\r\n\nx\n".to_vec(),
            limits(10, 1, 4),
            4,
            1,
            4,
        ),
        (
            "raw bytes, not UTF-8",
            "HS256",
            b"\xff\xfe\x00k",
            b"a\n\xff\xfe\x00k\n".to_vec(),
            limits(10, 1, 4),
            2,
            2,
            2,
        ),
        (
            "a space is part of the word",
            "HS256",
            b" pad ",
            b"pad\n pad \n".to_vec(),
            limits(10, 1, 4),
            2,
            2,
            2,
        ),
        (
            "second batch, two threads",
            "HS256",
            b"s3cret",
            big.clone(),
            limits(20_000, 2, 4096),
            10_001,
            10_001,
            10_001,
        ),
        (
            "one thread, batch of 1",
            "HS256",
            b"s3cret",
            big,
            limits(20_000, 1, 1),
            10_001,
            10_001,
            10_001,
        ),
    ];
    for (name, alg, secret, list, limits, line, tried, lines) in cases {
        let out =
            run(&token(alg, secret), &list, &limits).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            out.found,
            Some(Found {
                secret: secret.to_vec(),
                line
            }),
            "{name}"
        );
        assert_eq!(out.stop, Stop::Found, "{name}");
        assert_eq!(out.progress.tried, tried, "{name}: words tried");
        assert_eq!(out.progress.lines, lines, "{name}: lines read");
    }
}

#[test]
fn a_run_ends_at_the_list_end_the_word_limit_or_the_callbacks_word() {
    let list: Vec<u8> = (0..100)
        .flat_map(|i| format!("w{i}\n\n").into_bytes())
        .collect();
    let t = token("HS256", b"absent");
    // (name, limits, stop after this many callbacks, expected stop, tried, lines)
    let cases = [
        (
            "exhausted",
            limits(1_000, 2, 16),
            None,
            Stop::Exhausted,
            100,
            200,
        ),
        (
            "word limit, words left",
            limits(30, 2, 16),
            None,
            Stop::MaxWords,
            30,
            60,
        ),
        (
            "word limit, exactly the list",
            limits(100, 2, 16),
            None,
            Stop::Exhausted,
            100,
            200,
        ),
        ("word limit 0", limits(0, 1, 16), None, Stop::MaxWords, 0, 0),
        (
            "callback stops after the 2nd batch",
            limits(1_000, 2, 16),
            Some(2),
            Stop::Stopped,
            32,
            63,
        ),
    ];
    for (name, limits, stop_after, stop, tried, lines) in cases {
        let mut seen = Vec::new();
        let out = crack::crack(&t, Cursor::new(list.clone()), &limits, |p: Progress| {
            seen.push(p);
            if Some(seen.len()) == stop_after {
                Flow::Stop
            } else {
                Flow::Continue
            }
        })
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!((out.found, out.stop), (None, stop), "{name}");
        assert_eq!(out.progress, Progress { tried, lines }, "{name}");
        assert!(
            seen.windows(2).all(|w| w[0].tried < w[1].tried),
            "{name}: progress goes forward: {seen:?}"
        );
    }
}

/// A reader that gives `good` and then fails.
struct Failing(Cursor<Vec<u8>>);

impl Read for Failing {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.0.read(buf)? {
            0 => Err(std::io::Error::other("disk on fire")),
            n => Ok(n),
        }
    }
}

impl BufRead for Failing {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.0.position() as usize == self.0.get_ref().len() {
            return Err(std::io::Error::other("disk on fire"));
        }
        self.0.fill_buf()
    }
    fn consume(&mut self, n: usize) {
        self.0.consume(n)
    }
}

#[test]
fn bad_input_gets_an_error_naming_what_and_where() {
    let hs = token("HS256", b"k");
    let rs_like = format!(
        "{}.{}.{}",
        b64::encode(r#"{"alg":"RS256"}"#),
        b64::encode("{}"),
        b64::encode([1u8; 256])
    );
    let short = format!(
        "{}.{}.{}",
        b64::encode(r#"{"alg":"HS256"}"#),
        b64::encode("{}"),
        b64::encode([1u8; 16])
    );
    let long_line = [vec![b'a'; crack::MAX_LINE + 1], b"\n".to_vec()].concat();
    let ok_long = [vec![b'a'; crack::MAX_LINE], b"\r\n".to_vec()].concat();
    // (name, token, list, expected error, text in its message)
    let cases: Vec<(&str, &str, Vec<u8>, Error, &str)> = vec![
        (
            "RS token",
            &rs_like,
            b"a\n".to_vec(),
            Error::NotHmac { alg: "RS256" },
            "the token is RS256, not HS256, HS384 or HS512",
        ),
        (
            "short MAC",
            &short,
            b"a\n".to_vec(),
            Error::MacLength {
                alg: "HS256",
                len: 16,
                expected: 32,
            },
            "signature is 16 bytes; an HS256 MAC is 32",
        ),
        (
            "empty list",
            &hs,
            Vec::new(),
            Error::Empty {
                path: None,
                lines: 0,
            },
            "word list is empty: 0 line(s)",
        ),
        (
            "only empty lines",
            &hs,
            b"\n\r\n\n".to_vec(),
            Error::Empty {
                path: None,
                lines: 3,
            },
            "3 line(s), none with a word",
        ),
        (
            "line too long",
            &hs,
            [b"a\n".to_vec(), long_line].concat(),
            Error::LineTooLong {
                path: None,
                line: 2,
            },
            "line 2 is over 4096 bytes",
        ),
        (
            "longest line is fine, then empty",
            &hs,
            [ok_long, b"".to_vec()].concat(),
            Error::Empty {
                path: None,
                lines: 0,
            },
            "",
        ),
    ];
    for (name, token, list, expected, text) in cases {
        match run(token, &list, &limits(100, 2, 8)) {
            Err(got) => {
                assert_eq!(got, expected, "{name}");
                assert!(got.to_string().contains(text), "{name}: {got}");
            }
            // The 4096-byte word is a word: the list is not empty, the secret not in it.
            Ok(out) if name.starts_with("longest") => {
                assert_eq!((out.stop, out.progress.tried), (Stop::Exhausted, 1))
            }
            Ok(out) => panic!("{name}: {out:?}"),
        }
    }
    let not_jwt = run("abc.def", b"a\n", &limits(1, 1, 1)).unwrap_err();
    assert!(
        not_jwt
            .to_string()
            .contains("the token is not a compact JWS: 2 dot-separated segment(s)"),
        "{not_jwt}"
    );
    let bad = crack::crack(
        &hs,
        Failing(Cursor::new(b"a\nb\n".to_vec())),
        &limits(100, 1, 8),
        |_| Flow::Continue,
    )
    .unwrap_err();
    assert_eq!(
        bad,
        Error::Read {
            path: None,
            line: 3,
            reason: "disk on fire".into()
        }
    );
    let zero = run(&hs, b"a\n", &limits(1, 0, 8)).unwrap_err();
    assert!(
        zero.to_string()
            .contains("threads 0 and batch 8 must both be at least 1"),
        "{zero}"
    );
}

#[test]
fn a_word_list_file_is_named_in_its_errors() {
    let hs = token("HS256", b"found-me");
    let dir = std::env::temp_dir().join(format!("jwtc-recover-crack-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (list, empty, missing) = (
        dir.join("words.txt"),
        dir.join("empty.txt"),
        dir.join("missing.txt"),
    );
    std::fs::write(&list, "a\nfound-me\n").unwrap();
    std::fs::write(&empty, "\n").unwrap();
    let go = |p: &std::path::Path| crack::crack_file(&hs, p, &limits(10, 2, 8), |_| Flow::Continue);
    assert_eq!(
        go(&list).unwrap().found,
        Some(Found {
            secret: b"found-me".to_vec(),
            line: 2
        })
    );
    let e = go(&empty).unwrap_err().to_string();
    assert!(
        e.contains(&format!(
            "word list {} is empty: 1 line(s)",
            empty.display()
        )),
        "{e}"
    );
    let e = go(&missing).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!("word list {}: cannot open: ", missing.display())),
        "{e}"
    );
    let e = go(&dir).unwrap_err().to_string();
    assert!(
        e.contains(&format!(
            "word list {}: read failed at line 1",
            dir.display()
        )),
        "{e}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
