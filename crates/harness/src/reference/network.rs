//! The simulated network of a case: its `network` map answers the reference verifier's
//! fetches, and every URL asked for is recorded (the grader fails a case that fetches a
//! URL its map does not list). Nothing here touches a real network or sleeps: an answer
//! whose `delay_ms` is over the fetch's budget is reported as a time-out.

use serde_json::Value;
use url::Url;

use jwtc_verifier::net::{Fetch, FetchError, FetchLimits, Response};

/// A case's network map behind [`Fetch`], with the log of what was fetched.
pub struct SimNet<'a> {
    map: Option<&'a Value>,
    /// Every URL fetched, in order.
    pub fetched: Vec<String>,
}

impl<'a> SimNet<'a> {
    /// The network of a case (`None`: a case with no network, where every fetch fails).
    pub fn new(map: Option<&'a Value>) -> SimNet<'a> {
        SimNet {
            map,
            fetched: Vec::new(),
        }
    }
}

impl Fetch for SimNet<'_> {
    fn fetch(&mut self, url: &Url, limits: &FetchLimits) -> Result<Response, FetchError> {
        self.fetched.push(url.as_str().to_owned());
        let Some(answer) = self.map.and_then(|m| m.get(url.as_str())) else {
            return Err(FetchError::Failed {
                detail: format!("{} is not in the case's network map", url.as_str()),
            });
        };
        let delay = answer.get("delay_ms").and_then(Value::as_u64).unwrap_or(0);
        if delay > limits.timeout_ms {
            return Err(FetchError::Timeout {
                budget_ms: limits.timeout_ms,
            });
        }
        let status = answer.get("status").and_then(Value::as_u64).unwrap_or(200);
        let headers = answer
            .get("headers")
            .and_then(Value::as_object)
            .map(|h| {
                h.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        let body = answer
            .get("body")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .as_bytes()
            .to_vec();
        Ok(Response {
            status: u16::try_from(status).unwrap_or(599),
            headers,
            body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn answers_from_the_map_and_records_every_url() {
        let map = json!({
            "https://k.example/a": {"status": 200, "body": "{}"},
            "https://k.example/slow": {"status": 200, "body": "{}", "delay_ms": 60000},
            "https://k.example/moved": {"status": 302, "body": "", "headers": {"Location": "https://evil.example/"}}
        });
        let mut net = SimNet::new(Some(&map));
        let l = FetchLimits::default();
        let u = |s: &str| Url::parse(s).unwrap();
        assert_eq!(
            net.fetch(&u("https://k.example/a"), &l).unwrap().body,
            b"{}"
        );
        assert_eq!(
            net.fetch(&u("https://k.example/slow"), &l),
            Err(FetchError::Timeout {
                budget_ms: l.timeout_ms
            })
        );
        let moved = net.fetch(&u("https://k.example/moved"), &l).unwrap();
        assert_eq!(
            (moved.status, moved.header("location")),
            (302, Some("https://evil.example/"))
        );
        assert!(net.fetch(&u("https://evil.example/"), &l).is_err());
        assert_eq!(net.fetched.len(), 4);
        assert!(SimNet::new(None)
            .fetch(&u("https://k.example/a"), &l)
            .is_err());
    }
}
