//! The rendering of docs/performance.md from one run's measurements: the record of the
//! run, the table of medians, the ratios against the targets of issues 10 and 21 (each miss
//! with what the same run measured of its cause), the instructions per call, the harness's
//! suite times, and the hand-written notes of the old file kept below their marker.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::measure::{ALGS, BACKENDS, PAIRED_ROUNDS};

/// Issue 21's targets: the reference over its raw primitive (RS256 and ES256, on both
/// backends; HS256, whose HMAC is cheaper than reading the token at all, gets its own).
const SIGNATURE_VS_RAW: f64 = 1.05;
const HMAC_VS_RAW: f64 = 3.0;
/// Issue 10's targets against jsonwebtoken, kept.
const HMAC_VS_JSONWEBTOKEN: f64 = 0.5;
/// Issue 21's target for the whole suite over the protocol against in process.
const PROTOCOL_VS_IN_PROCESS: f64 = 1.30;

/// The line after which docs/performance.md is hand-written and kept by every run.
const NOTES_MARKER: &str = "<!-- notes: everything below this line is written by hand and kept by `cargo xtask bench`; no measured numbers below it -->";

/// What the page records about the run besides its numbers.
pub(super) struct Context {
    /// The command that ran (`cargo xtask bench`, or with `--quick`).
    pub command: &'static str,
    /// The criterion options it passed.
    pub timing: String,
    /// The load average (1, 5, 15 min) before the benches.
    pub load_before: String,
    /// The load average after them.
    pub load_after: String,
    /// The CPU, its logical CPUs and the memory.
    pub machine: String,
    /// When the page was written (UTC).
    pub date: String,
    /// `rustc -V`.
    pub rustc: String,
    /// The locked versions of the crates the numbers depend on.
    pub locked: String,
    /// The length of the bench claims set, in bytes of compact JSON.
    pub claims_len: usize,
}

/// The whole page: the report above the notes marker, then the marker, then whatever the
/// old page `old` had below it.
pub(super) fn page(report: String, old: &str) -> String {
    let notes = old
        .split_once(NOTES_MARKER)
        .map(|(_, n)| n.trim_start_matches('\n').to_string())
        .unwrap_or_default();
    let mut text = report;
    text.push_str(NOTES_MARKER);
    text.push_str("\n\n");
    text.push_str(&notes);
    text
}

/// The rows of the table for one algorithm: (criterion function id, what it measures).
fn rows(alg: &str) -> Vec<(&'static str, &'static str)> {
    let mut rows = vec![
        ("raw", "raw primitive (key prepared once)"),
        ("reference-core", "reference verifier, profile `core`"),
        (
            "reference-core-map",
            "reference verifier, profile `core`, then every claim built into a map (`claims.to_map()`, what `decode::<Value>` returns)",
        ),
    ];
    match alg {
        "HS256" => rows.push(("reference-pendo", "reference verifier, profile `pendo`")),
        "RS256" => rows.extend([
            ("reference-watson", "reference verifier, profile `watson`"),
            (
                "reference-watson-decrypt",
                "reference verifier, `watson` with a `user_payload` to decrypt (RSA-OAEP)",
            ),
            (
                "reference-coyo",
                "reference verifier, profile `coyo` (built-in key)",
            ),
        ]),
        _ => rows.push((
            "reference-pomerium",
            "reference verifier, profile `pomerium`",
        )),
    }
    rows.push((
        "jsonwebtoken",
        "`jsonwebtoken::decode` 11.1 (DecodingKey made once)",
    ));
    rows
}

/// Formats nanoseconds in the unit that suits them.
fn time(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.3} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// The report above the notes marker, and the number of missed targets.
pub(super) fn render(
    m: &BTreeMap<String, f64>,
    instructions: &Result<BTreeMap<String, f64>, String>,
    paired: &Result<BTreeMap<String, f64>, String>,
    ctx: &Context,
) -> (String, usize) {
    let get = |id: String| m.get(&id).copied();
    let mut out = String::new();
    let _ = writeln!(out, "# Performance\n");
    let _ = writeln!(
        out,
        "Written by `{}`: every number in this file above the notes comes from that one run \
         (criterion's medians, the interleaved ratios of `benches/examples/pairs.rs`, \
         callgrind's counts); do not edit them by hand (the next run rewrites this part).\n",
        ctx.command
    );
    let _ = writeln!(out, "- **Machine**: {}", ctx.machine);
    let _ = writeln!(out, "- **Date**: {}", ctx.date);
    let _ = writeln!(
        out,
        "- **Command**: `{}` (criterion options `{}`; `--quick` is for development only)",
        ctx.command, ctx.timing
    );
    let _ = writeln!(
        out,
        "- **Load average** (1, 5, 15 min) at the start: {}; at the end: {} (the machine is \
         shared: a load near the number of CPUs means other work ran beside the benches)",
        ctx.load_before, ctx.load_after
    );
    let _ = writeln!(
        out,
        "- **Build**: `cargo bench` (release profile), {}; {}",
        ctx.rustc, ctx.locked
    );
    let _ = writeln!(
        out,
        "- **Inputs**: one token per algorithm over the same claims set (`benches/src/lib.rs`, \
         {} bytes of JSON), the keys of `vectors/keys/` (HS256 `pendo-1`, RS256 `rsa-2048-a`, \
         ES256 `p256-a`), the suite clock for the reference; every bench of one algorithm \
         verifies the same token bytes.\n",
        ctx.claims_len
    );

    let _ = writeln!(out, "## Medians\n");
    let _ = writeln!(out, "| alg | what | rustcrypto | aws-lc |");
    let _ = writeln!(out, "|---|---|---:|---:|");
    for alg in ALGS {
        for (id, what) in rows(alg) {
            let cells: Vec<String> = BACKENDS
                .iter()
                .map(|b| get(format!("{alg}/{id}/{b}")).map_or("—".into(), time))
                .collect();
            let _ = writeln!(out, "| {alg} | {what} | {} | {} |", cells[0], cells[1]);
        }
        if let Some(p) = get(format!("parse/{alg}")) {
            let _ = writeln!(
                out,
                "| {alg} | the parse layer alone (`jose::parse`: segments, base64url, strict JSON of header and claims; no crypto) | {} | (same code) |",
                time(p)
            );
        }
    }
    let _ = writeln!(out);

    let _ = writeln!(out, "## Ratios against the targets\n");
    let _ = writeln!(
        out,
        "`reference` is the `core` profile (the generic verifier `jsonwebtoken::decode` \
         compares with); `raw` and `jsonwebtoken` are of the same backend. The verifier parses \
         only the claims its rules read; the last column (not a target) is the reference with \
         every claim then built into a map, as `decode::<Value>` returns them.\n"
    );
    match paired {
        Ok(_) => {
            let _ = writeln!(
                out,
                "Each ratio is timed interleaved (`benches/examples/pairs.rs`, {PAIRED_ROUNDS} \
                 rounds in which every body of the algorithm runs for about 20 ms in turn; the \
                 median of the rounds' ratios): the bodies compared ran within the same tenth \
                 of a second, where the medians above ran minutes apart on a machine whose \
                 speed drifts. The verdict is the interleaved ratio's; in brackets, the ratio \
                 of the medians above.\n"
            );
        }
        Err(why) => {
            let _ = writeln!(
                out,
                "The interleaved timing did not run ({why}): the ratios and verdicts are those \
                 of the medians above, which ran minutes apart.\n"
            );
        }
    }
    let _ = writeln!(
        out,
        "| alg | backend | reference / raw | target | reference / jsonwebtoken | target | verdict | reference with `to_map()` / jsonwebtoken |"
    );
    let _ = writeln!(out, "|---|---|---:|---|---:|---|---|---:|");
    let mut misses = Vec::new();
    for alg in ALGS {
        for b in BACKENDS {
            let reference = get(format!("{alg}/reference-core/{b}"));
            let raw = get(format!("{alg}/raw/{b}"));
            let lib = get(format!("{alg}/jsonwebtoken/{b}"));
            let medians_vs_raw = reference.zip(raw).map(|(r, p)| r / p);
            let medians_vs_lib = reference.zip(lib).map(|(r, l)| r / l);
            let medians_map_vs_lib = get(format!("{alg}/reference-core-map/{b}"))
                .zip(lib)
                .map(|(r, l)| r / l);
            let interleaved = |ratio: &str| match paired {
                Ok(p) => p.get(&format!("{alg}/{b}/{ratio}")).copied(),
                Err(_) => None,
            };
            let (vs_raw, vs_lib, map_vs_lib) = if paired.is_ok() {
                (
                    interleaved("reference/raw"),
                    interleaved("reference/jsonwebtoken"),
                    interleaved("reference-map/jsonwebtoken"),
                )
            } else {
                (medians_vs_raw, medians_vs_lib, medians_map_vs_lib)
            };
            let (raw_target, lib_target, raw_ok, lib_ok) = if alg == "HS256" {
                (
                    format!("≤ {HMAC_VS_RAW:.2}"),
                    format!("≤ {HMAC_VS_JSONWEBTOKEN:.2}"),
                    vs_raw.is_some_and(|x| x <= HMAC_VS_RAW),
                    vs_lib.is_some_and(|x| x <= HMAC_VS_JSONWEBTOKEN),
                )
            } else {
                (
                    format!("≤ {SIGNATURE_VS_RAW:.2}"),
                    "< 1.00".to_string(),
                    vs_raw.is_some_and(|x| x <= SIGNATURE_VS_RAW),
                    vs_lib.is_some_and(|x| x < 1.0),
                )
            };
            let shown = |x: Option<f64>, medians: Option<f64>| {
                let x = x.map_or("—".into(), |x| format!("{x:.2}×"));
                match (paired.is_ok(), medians) {
                    (true, Some(m)) => format!("{x} ({m:.2}×)"),
                    _ => x,
                }
            };
            let verdict = if raw_ok && lib_ok {
                "met"
            } else {
                "**missed**"
            };
            let _ = writeln!(
                out,
                "| {alg} | {b} | {} | {raw_target} | {} | {lib_target} | {verdict} | {} |",
                shown(vs_raw, medians_vs_raw),
                shown(vs_lib, medians_vs_lib),
                shown(map_vs_lib, medians_map_vs_lib)
            );
            if !(raw_ok && lib_ok) {
                let counts = instructions.as_ref().ok();
                let count = |what: &str, backend: &str| {
                    counts.and_then(|c| c.get(&format!("{alg}/{what}/{backend}")).copied())
                };
                misses.push(miss_cause(
                    alg,
                    b,
                    interleaved("reference/raw"),
                    [reference, raw, lib, get(format!("parse/{alg}"))],
                    [
                        count("core", b),
                        count("raw", b),
                        count("jsonwebtoken", b),
                        count("parse", "rustcrypto"),
                    ],
                ));
            }
        }
    }
    let _ = writeln!(out);
    render_instructions(&mut out, instructions);
    let in_process = get("suite/in-process".into());
    let protocol = get("suite/protocol".into());
    let lockstep = get("suite/protocol-lockstep".into());
    let null = get("suite/protocol-null".into());
    let suite_ratio = in_process.zip(protocol).map(|(i, p)| p / i);
    let suite_ok = suite_ratio.is_some_and(|r| r <= PROTOCOL_VS_IN_PROCESS);
    let _ = writeln!(out, "## The harness\n");
    let _ = writeln!(
        out,
        "The whole suite (every vector file) through the reference on the RustCrypto backend, \
         in process (`run_reference`) and over the JSON Lines protocol through \
         `adapters/reference` built in release (one process for the run, its start included), \
         pipelined (its hello says `\"pipeline\": true`: up to 16 cases in flight) and in \
         lockstep (one step in flight, as for an adapter without it).\n"
    );
    let _ = writeln!(out, "| run | median |");
    let _ = writeln!(out, "|---|---:|");
    let _ = writeln!(
        out,
        "| in process | {} |",
        in_process.map_or("—".into(), time)
    );
    let _ = writeln!(
        out,
        "| over the protocol, pipelined | {} |",
        protocol.map_or("—".into(), time)
    );
    let _ = writeln!(
        out,
        "| over the protocol in lockstep | {} |",
        lockstep.map_or("—".into(), time)
    );
    let _ = writeln!(
        out,
        "| over the protocol, pipelined, to a responder that verifies nothing (`benches/examples/null_adapter.rs`: the exchange alone) | {} |",
        null.map_or("—".into(), time)
    );
    let _ = writeln!(
        out,
        "\nProtocol (pipelined) / in process: {} (target ≤ {PROTOCOL_VS_IN_PROCESS:.2}×): {}; \
         in lockstep: {}.\n",
        suite_ratio.map_or("—".into(), |r| format!("{r:.2}×")),
        if suite_ok { "met" } else { "**missed**" },
        in_process
            .zip(lockstep)
            .map_or("—".into(), |(i, l)| format!("{:.2}×", l / i)),
    );
    if !suite_ok {
        let share = in_process
            .zip(protocol)
            .zip(null)
            .map_or("—".into(), |((i, p), l)| {
                format!("{:.0}%", 100.0 * l / (p - i).max(f64::MIN_POSITIVE))
            });
        misses.push(format!(
            "- suite over the protocol: {} pipelined ({} in lockstep) against {} in process. \
             The same pipelined run to a responder that verifies nothing takes {}, {share} of \
             the difference: the exchange itself (the harness's JSON of every case and \
             answer, the pipes and the process wake-ups), not the adapter's verification \
             (see the notes).",
            protocol.map_or("—".into(), time),
            lockstep.map_or("—".into(), time),
            in_process.map_or("—".into(), time),
            null.map_or("—".into(), time)
        ));
    }
    let _ = writeln!(out, "## Fuzz targets\n");
    let _ = writeln!(
        out,
        "Not measured by this command: the execs/s of each target (the parser target's \
         target is ≥ 10,000 execs/s single-threaded) come from `cargo xtask fuzz` and are in \
         [docs/fuzzing.md](fuzzing.md).\n"
    );
    let _ = writeln!(out, "## Misses and their measured causes\n");
    if misses.is_empty() {
        let _ = writeln!(out, "None: every target above is met in this run.\n");
    } else {
        for m in &misses {
            let _ = writeln!(out, "{m}");
        }
        let _ = writeln!(out);
    }
    (out, misses.len())
}

/// The load-independent cross-check: instructions per call and the same ratios.
fn render_instructions(out: &mut String, instructions: &Result<BTreeMap<String, f64>, String>) {
    let _ = writeln!(out, "## Instructions per call (callgrind)\n");
    let counts = match instructions {
        Ok(c) => c,
        Err(why) => {
            let _ = writeln!(out, "Not counted in this run: {why}.\n");
            return;
        }
    };
    let _ = writeln!(
        out,
        "The same bodies run under `valgrind --tool=callgrind` by `benches/examples/profile.rs` \
         (N calls minus the setup alone, over N): a count that does not move with the \
         machine's load, so these ratios hold where the wall times above are noisy. \
         Instructions are not time (RSA and ECDSA code runs more instructions per cycle than \
         JSON parsing), and valgrind's virtual CPU offers no SHA extensions, so SHA-2 (HMAC, \
         and the digest in every signature) runs its portable code here and counts more than \
         it costs natively: the verdicts above stay those of the wall times.\n"
    );
    let _ = writeln!(
        out,
        "| alg | backend | raw | reference (`core`) | jsonwebtoken | parse layer | reference / raw | reference / jsonwebtoken |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|");
    let k = |n: Option<&f64>| n.map_or("—".into(), |v| format!("{:.1} k", v / 1e3));
    for alg in ALGS {
        for b in BACKENDS {
            let raw = counts.get(&format!("{alg}/raw/{b}"));
            let core = counts.get(&format!("{alg}/core/{b}"));
            let lib = counts.get(&format!("{alg}/jsonwebtoken/{b}"));
            let parse = counts.get(&format!("{alg}/parse/rustcrypto"));
            let ratio = |a: Option<&f64>, b: Option<&f64>| {
                a.zip(b)
                    .map_or("—".into(), |(a, b)| format!("{:.2}×", a / b))
            };
            let _ = writeln!(
                out,
                "| {alg} | {b} | {} | {} | {} | {} | {} | {} |",
                k(raw),
                k(core),
                k(lib),
                k(parse),
                ratio(core, raw),
                ratio(core, lib)
            );
        }
    }
    let _ = writeln!(out);
}

/// What the same run measured of a miss's cause: the reference's time over the primitive
/// and the parse layer's share of it, in wall time and in instructions; each value is
/// `[reference, raw, jsonwebtoken, parse layer]`.
fn miss_cause(
    alg: &str,
    backend: &str,
    interleaved: Option<f64>,
    wall: [Option<f64>; 4],
    count: [Option<f64>; 4],
) -> String {
    let mut s = format!("- {alg} on {backend}:");
    let [reference, raw, lib, parse] = wall;
    match (reference, raw) {
        (Some(r), Some(p)) => {
            let _ = write!(
                s,
                " wall time (medians): the reference {}, the raw primitive {}",
                time(r),
                time(p)
            );
            if let Some(x) = interleaved {
                let _ = write!(
                    s,
                    "; timed interleaved, the reference takes {x:.2}× the primitive's time, \
                     about {} more per token",
                    time((x - 1.0).max(0.0) * p)
                );
            }
            if let Some(x) = parse {
                let _ = write!(s, "; the parse layer alone {}", time(x));
            }
            if let Some(l) = lib {
                let _ = write!(s, "; jsonwebtoken {}", time(l));
            }
            s.push('.');
        }
        _ => s.push_str(" not measured in this run."),
    }
    let [reference, raw, lib, parse] = count;
    if let (Some(r), Some(p)) = (reference, raw) {
        let _ = write!(
            s,
            " Instructions: the reference adds {:.1} k to the primitive's {:.1} k",
            (r - p) / 1e3,
            p / 1e3
        );
        if let Some(x) = parse {
            let _ = write!(
                s,
                ", of which the parse layer alone is {:.1} k ({:.0}%)",
                x / 1e3,
                100.0 * x / (r - p).max(1.0)
            );
        }
        if let Some(l) = lib {
            let _ = write!(s, "; jsonwebtoken runs {:.1} k", l / 1e3);
        }
        s.push('.');
    }
    s
}

#[cfg(test)]
mod tests;
