//! The reference verifier behind the protocol (docs/protocol.md): reads the harness's
//! messages on stdin, answers on stdout, logs on stderr. `cargo xtask conformance --impl
//! reference` runs it; its results must equal the in-process run's, case by case.
//!
//! The network. In process, a reference [`Session`] is handed the case's whole network
//! map; over the protocol this adapter has no map, only `fetch`. So it learns the map a
//! URL at a time: it runs the step with the answers it has; when the session looked up a
//! URL it has no answer for (every lookup is in `Outcome::fetches`), it sends `fetch` for
//! it, and runs the case again from step 0 in a fresh session (sessions are
//! deterministic, so the earlier steps replay exactly) until every URL the step looks up
//! has its answer. The harness is sent one `fetch` per lookup the final run made, in
//! order, so its log equals the in-process `Outcome::fetches`. A URL the case's network
//! lacks comes back as status 599 with an `error`, and is then absent from the map, as
//! it is in process.

use serde_json::{Map, Value};
use std::collections::{BTreeMap, VecDeque};
use std::io::{BufRead, BufWriter, Write};

use jwtc_harness::outcome::{Got, Outcome};
use jwtc_harness::protocol::{FromIut, ToIut};
use jwtc_harness::reference::{self, Session};

/// More rounds than this in one step means a session that keeps asking for new URLs.
const MAX_ROUNDS: usize = 64;

fn main() {
    let stdin = std::io::stdin();
    let mut wire = Wire {
        input: stdin.lock(),
        out: BufWriter::new(std::io::stdout().lock()),
        ahead: VecDeque::new(),
    };
    if let Err(e) = serve(&mut wire) {
        eprintln!("jwtc-adapter-reference: {e}");
        std::process::exit(1);
    }
}

/// The adapter's end of the protocol. Its hello says `"pipeline": true`: the harness may
/// send the next cases before this one is answered, so a `case` read while waiting for a
/// `fetched` is kept in `ahead` and served, in order, after the step that fetched.
struct Wire<R, W> {
    input: R,
    out: W,
    ahead: VecDeque<ToIut<'static>>,
}

impl<R: BufRead, W: Write> Wire<R, W> {
    fn send(&mut self, msg: &FromIut) -> Result<(), String> {
        serde_json::to_writer(&mut self.out, msg).map_err(|e| format!("stdout: {e}"))?;
        self.out
            .write_all(b"\n")
            .and_then(|()| self.out.flush())
            .map_err(|e| format!("stdout: {e}"))
    }

    /// The next message (one read ahead first); `None` at the end of stdin.
    fn recv(&mut self) -> Result<Option<ToIut<'static>>, String> {
        match self.ahead.pop_front() {
            Some(msg) => Ok(Some(msg)),
            None => self.read(),
        }
    }

    /// The next message on stdin.
    fn read(&mut self) -> Result<Option<ToIut<'static>>, String> {
        let mut text = String::new();
        loop {
            text.clear();
            if self
                .input
                .read_line(&mut text)
                .map_err(|e| format!("stdin: {e}"))?
                == 0
            {
                return Ok(None);
            }
            if !text.trim().is_empty() {
                break;
            }
        }
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| format!("not a message from the harness ({e}): {}", text.trim()))
    }

    /// Asks the harness for `url`: the network entry, or `None` when the case has none.
    fn fetch(&mut self, url: &str) -> Result<Option<Map<String, Value>>, String> {
        self.send(&FromIut::Fetch { url: url.into() })?;
        loop {
            match self.read()? {
                Some(ToIut::Fetched { url: got, response }) if got == url => {
                    return Ok((!response.contains_key("error")).then_some(response))
                }
                // Sent ahead of the fetched answer (pipelining): run after this step.
                Some(case @ ToIut::Case { .. }) => self.ahead.push_back(case),
                Some(other) => return Err(format!("expected fetched {url:?}, got {other:?}")),
                None => return Err(format!("stdin closed while fetching {url:?}")),
            }
        }
    }
}

/// Makes a fresh session for a profile (`reference::session`; a test's own in tests).
type Factory = fn(&str) -> Option<Box<dyn Session + Send>>;

/// The case being run: its session, the steps it has run, the network answers so far.
struct Current {
    id: String,
    profile: String,
    make: Factory,
    session: Option<Box<dyn Session + Send>>,
    history: Vec<(Value, Value)>,
    answers: BTreeMap<String, Option<Map<String, Value>>>,
}

impl Current {
    fn new(id: &str, profile: &str, make: Factory) -> Current {
        Current {
            id: id.to_owned(),
            profile: profile.to_owned(),
            make,
            session: make(profile),
            history: Vec::new(),
            answers: BTreeMap::new(),
        }
    }

    /// The network map as far as it is known (`None` while it is empty).
    fn network(&self) -> Option<Value> {
        let map: Map<String, Value> = self
            .answers
            .iter()
            .filter_map(|(url, a)| a.as_ref().map(|a| (url.clone(), Value::Object(a.clone()))))
            .collect();
        (!map.is_empty()).then_some(Value::Object(map))
    }

    fn step<R: BufRead, W: Write>(
        &mut self,
        wire: &mut Wire<R, W>,
        input: &Value,
        context: &Value,
        now: i64,
    ) -> Result<Outcome, String> {
        if self.session.is_none() {
            // The same words as the in-process run's.
            return Ok(Outcome::error(format!(
                "the reference has no profile {:?}",
                self.profile
            )));
        }
        let mut sent: Vec<String> = Vec::new();
        for _ in 0..MAX_ROUNDS {
            let network = self.network();
            let Some(session) = self.session.as_mut() else {
                break;
            };
            let outcome = session.step(input, context, network.as_ref(), now);
            let lookups = &outcome.fetches;
            if !lookups.starts_with(&sent) {
                return Ok(Outcome::error(format!(
                    "adapters/reference: the {} session is not deterministic: it looked up {:?}, then {:?}",
                    self.profile, sent, lookups
                )));
            }
            let miss = lookups.iter().position(|u| !self.answers.contains_key(u));
            let upto = miss.map_or(lookups.len(), |m| m + 1);
            for url in &lookups[sent.len()..upto] {
                let answer = wire.fetch(url)?;
                self.answers.insert(url.clone(), answer);
                sent.push(url.clone());
            }
            if miss.is_none() {
                self.history.push((input.clone(), context.clone()));
                return Ok(outcome);
            }
            // Replay the case so far in a fresh session, with the answers now known.
            let network = self.network();
            let mut fresh = (self.make)(&self.profile);
            if let Some(s) = fresh.as_mut() {
                for (i, c) in &self.history {
                    s.step(i, c, network.as_ref(), now);
                }
            }
            self.session = fresh;
        }
        Ok(Outcome::error(format!(
            "adapters/reference: the step looked up more than {MAX_ROUNDS} new URLs"
        )))
    }
}

fn serve<R: BufRead, W: Write>(wire: &mut Wire<R, W>) -> Result<(), String> {
    let mut now = 0;
    let mut current: Option<Current> = None;
    while let Some(msg) = wire.recv()? {
        match msg {
            ToIut::Hello { now: clock, .. } => {
                now = clock;
                wire.send(&FromIut::Hello {
                    name: Some("jwtc-reference".into()),
                    version: Some(env!("CARGO_PKG_VERSION").into()),
                    profiles: None,
                    // Every feature but ES512, as in process.
                    features: reference::claimed().list(),
                    // The reference signers mint at the suite clock they are given.
                    clock: None,
                    // It reads ahead (Wire::ahead): the harness may keep cases in flight.
                    pipeline: Some(true),
                })?;
            }
            ToIut::Case {
                id,
                profile,
                step,
                input,
                context,
                ..
            } => {
                if step == 0 {
                    current = Some(Current::new(&id, &profile, reference::session));
                }
                let outcome = match current.as_mut() {
                    Some(c) if c.id == id && c.history.len() == step => {
                        c.step(wire, &input, &context, now)?
                    }
                    _ => Outcome::error(format!(
                        "adapters/reference: step {step} of {id} arrived out of order"
                    )),
                };
                wire.send(&result(&id, step, outcome))?;
            }
            ToIut::Fetched { url, .. } => {
                eprintln!("jwtc-adapter-reference: a fetched {url:?} nobody asked for; ignored");
            }
        }
    }
    Ok(())
}

fn result(id: &str, step: usize, o: Outcome) -> FromIut {
    if o.verdict == Got::Skip {
        return FromIut::Skip {
            id: id.into(),
            step: Some(step),
            reason: o.detail,
        };
    }
    FromIut::Result {
        id: id.into(),
        step: Some(step),
        verdict: o.verdict,
        error: o.error,
        output: o.output,
        detail: (!o.detail.is_empty()).then_some(o.detail),
        reason: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A session that looks up `input.urls` in order, as a COYO-like session would, and
    /// accepts with the bodies it found and how many steps it has run (its state).
    struct Lookups {
        steps: usize,
    }

    impl Session for Lookups {
        fn step(&mut self, input: &Value, _: &Value, network: Option<&Value>, _: i64) -> Outcome {
            self.steps += 1;
            let mut fetches = Vec::new();
            let mut found = Vec::new();
            for u in input["urls"].as_array().into_iter().flatten() {
                let u = u.as_str().unwrap_or_default();
                fetches.push(u.to_owned());
                if let Some(entry) = network.and_then(|n| n.get(u)) {
                    found.push(entry["body"].clone());
                }
            }
            let mut o = Outcome::accept(json!({"found": found, "steps": self.steps}));
            o.fetches = fetches;
            o
        }
    }

    #[test]
    fn the_network_shim_sends_one_fetch_per_lookup_and_replays_the_case() {
        let one = "https://a.example/1";
        let two = "https://a.example/2";
        // The harness's side: its answers, in the order the fetches must come.
        // A case sent ahead (pipelining) comes before the second fetched: kept for later.
        let ahead = json!({"type": "case", "id": "next", "profile": "any", "step": 0, "steps": 1, "input": {}, "context": {}});
        let script = [
            json!({"type": "fetched", "url": one, "status": 200, "body": "one"}),
            ahead.clone(),
            json!({"type": "fetched", "url": two, "status": 599, "body": "", "error": "not in this case's network"}),
            json!({"type": "fetched", "url": one, "status": 200, "body": "one"}),
        ]
        .iter()
        .map(|v| format!("{v}\n"))
        .collect::<String>();
        let mut out = Vec::new();
        let mut wire = Wire {
            input: script.as_bytes(),
            out: &mut out,
            ahead: VecDeque::new(),
        };
        let mut c = Current::new("x/y/z", "any", |_| Some(Box::new(Lookups { steps: 0 })));
        let first = c
            .step(&mut wire, &json!({"urls": []}), &json!({}), 0)
            .unwrap();
        assert_eq!(first.output, Some(json!({"found": [], "steps": 1})));
        // Step 1 looks up one (there), two (absent), and one again: three fetches, in
        // that order; the session is replayed, so it has still run two steps.
        let input = json!({ "urls": [one, two, one] });
        let second = c.step(&mut wire, &input, &json!({}), 0).unwrap();
        assert_eq!(
            second.output,
            Some(json!({"found": ["one", "one"], "steps": 2}))
        );
        assert_eq!(second.fetches, [one, two, one]);
        // The case read ahead is the next message, then the end of the input.
        let next = wire
            .recv()
            .unwrap()
            .map(|m| serde_json::to_value(m).unwrap());
        assert_eq!(next, Some(ahead));
        assert_eq!(wire.recv().unwrap(), None);
        let sent: Vec<Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(
            sent,
            [one, two, one]
                .iter()
                .map(|u| json!({"type": "fetch", "url": u}))
                .collect::<Vec<_>>()
        );
        assert_eq!(c.answers[two], None, "an absent URL stays absent");
    }
}
