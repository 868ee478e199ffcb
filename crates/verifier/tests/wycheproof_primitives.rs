//! Every case of four Wycheproof test sets through jwtc's signature layer
//! ([`Material::verify`]) and OAEP decryption ([`oaep::decrypt_block`]), requiring agreement:
//! `valid` must verify, `invalid` must be rejected, `acceptable` may go either way and is
//! recorded. Run with `-- --nocapture` for the per-set summary lines.
//!
//! Each set runs on every crypto backend built in ([`crypto::backends`]): with `--features
//! aws-lc`, RustCrypto and aws-lc must also give the same outcome (and the same message) on
//! every case, `acceptable` ones included: a differential check of the two crypto stacks.

use std::collections::BTreeMap;
use std::fmt::Debug;

use jwtc_verifier::crypto::{self, Backend};
use jwtc_verifier::keys::Material;
use jwtc_verifier::{oaep, Alg};
use wycheproof::TestResult;

/// Each case's outcome on one backend, by tcId.
type Outcomes = BTreeMap<usize, Result<(), String>>;

/// Runs `set` once per backend (keys parsed by that backend) and requires every backend's
/// outcomes to equal the first's, case by case.
fn on_every_backend(set: &str, run: impl Fn(&'static dyn Backend) -> Outcomes) {
    let mut first: Option<(&str, Outcomes)> = None;
    for backend in crypto::backends() {
        let outcomes = crypto::with_backend(backend, || run(backend));
        match &first {
            None => first = Some((backend.name(), outcomes)),
            Some((name, expected)) => {
                assert_eq!(expected.len(), outcomes.len());
                let differ: Vec<String> = expected
                    .iter()
                    .filter(|(tc, e)| outcomes.get(tc) != Some(e))
                    .map(|(tc, e)| {
                        format!(
                            "tcId {tc}: {name} {e:?}, {} {:?}",
                            backend.name(),
                            outcomes.get(tc)
                        )
                    })
                    .collect();
                assert!(
                    differ.is_empty(),
                    "{set}: the backends disagree on {} case(s):\n  {}",
                    differ.len(),
                    differ.join("\n  ")
                );
                println!(
                    "{set}: {} and {name} agree on all {} cases",
                    backend.name(),
                    outcomes.len()
                );
            }
        }
    }
}

/// The outcome of one set: counts by expected result, and every disagreement in full.
struct Tally {
    set: String,
    outcomes: Outcomes,
    valid_ok: usize,
    invalid_rejected: usize,
    acceptable: usize,
    acceptable_accepted: usize,
    acceptable_ids: Vec<String>,
    disagreements: Vec<String>,
}

impl Tally {
    fn new(set: &str, backend: &dyn Backend) -> Tally {
        Tally {
            set: format!("{set} [{}]", backend.name()),
            outcomes: Outcomes::new(),
            valid_ok: 0,
            invalid_rejected: 0,
            acceptable: 0,
            acceptable_accepted: 0,
            acceptable_ids: Vec::new(),
            disagreements: Vec::new(),
        }
    }

    /// Records one case: `outcome` is what we did (`Ok` = accepted / decrypted correctly).
    fn record<F: Debug>(
        &mut self,
        tc_id: usize,
        comment: &str,
        flags: &[F],
        expected: TestResult,
        outcome: Result<(), String>,
    ) {
        self.outcomes.insert(tc_id, outcome.clone());
        let disagree = |we: &str| {
            format!("tcId {tc_id} (expected {expected:?}, we {we}): {comment:?} flags {flags:?}")
        };
        match (expected, outcome) {
            (TestResult::Valid, Ok(())) => self.valid_ok += 1,
            (TestResult::Invalid, Err(_)) => self.invalid_rejected += 1,
            (TestResult::Acceptable, outcome) => {
                self.acceptable += 1;
                let went = match &outcome {
                    Ok(()) => {
                        self.acceptable_accepted += 1;
                        "accepted".to_string()
                    }
                    Err(e) => format!("rejected: {e}"),
                };
                self.acceptable_ids
                    .push(format!("tcId {tc_id} {comment:?} flags {flags:?}: {went}"));
            }
            (TestResult::Valid, Err(e)) => {
                self.disagreements.push(disagree(&format!("rejected: {e}")))
            }
            (TestResult::Invalid, Ok(())) => self.disagreements.push(disagree("accepted")),
        }
    }

    fn total(&self) -> usize {
        self.valid_ok + self.invalid_rejected + self.acceptable + self.disagreements.len()
    }

    /// Prints the summary line (and the acceptable cases), then fails on any disagreement.
    fn finish(&self, extra: &str) {
        println!(
            "{}: {} valid ok, {} invalid rejected, {} acceptable (accepted {}){extra}",
            self.set,
            self.valid_ok,
            self.invalid_rejected,
            self.acceptable,
            self.acceptable_accepted
        );
        for a in &self.acceptable_ids {
            println!("  {}: acceptable {a}", self.set);
        }
        assert!(
            self.disagreements.is_empty(),
            "{}: {} disagreement(s) with Wycheproof:\n  {}",
            self.set,
            self.disagreements.len(),
            self.disagreements.join("\n  ")
        );
    }
}

/// An uncompressed SEC1 point (0x04 ‖ x ‖ y), as Wycheproof gives ECDSA keys.
fn p256_sec1(point: &[u8]) -> Result<Material, String> {
    match point {
        [0x04, xy @ ..] if xy.len() == 64 => Material::p256(&xy[..32], &xy[32..]),
        _ => Err(format!(
            "not an uncompressed P-256 point ({} bytes)",
            point.len()
        )),
    }
}

#[test]
fn ecdsa_p256_sha256_p1363() {
    use wycheproof::ecdsa::{TestName, TestSet};
    let set = TestSet::load(TestName::EcdsaSecp256r1Sha256P1363).unwrap();
    on_every_backend("ecdsa p256 p1363", |backend| {
        let mut tally = Tally::new("ecdsa p256 p1363", backend);
        for group in &set.test_groups {
            assert_eq!(group.key.curve, wycheproof::EllipticCurve::Secp256r1);
            assert_eq!(group.hash, wycheproof::HashFunction::Sha2_256);
            // A point that does not load makes every case of its group a rejection.
            let key = p256_sec1(&group.key.key);
            for t in &group.tests {
                let outcome = key
                    .as_ref()
                    .map_err(Clone::clone)
                    .and_then(|k| k.verify(Alg::ES256, &t.msg, &t.sig));
                tally.record(t.tc_id, &t.comment, &t.flags, t.result, outcome);
            }
        }
        assert_eq!(tally.total(), set.number_of_tests);
        tally.finish("");
        tally.outcomes
    });
}

#[test]
fn rsa_pkcs1_2048_sha256() {
    use wycheproof::rsa_pkcs1_verify::{TestName, TestSet};
    let set = TestSet::load(TestName::Rsa2048Sha256).unwrap();
    on_every_backend("rsa pkcs1 2048 sha256", |backend| {
        let mut tally = Tally::new("rsa pkcs1 2048 sha256", backend);
        for group in &set.test_groups {
            assert_eq!(group.hash, wycheproof::HashFunction::Sha2_256);
            let key = Material::rsa(&group.key.n, &group.key.e);
            for t in &group.tests {
                let outcome = key
                    .as_ref()
                    .map_err(Clone::clone)
                    .and_then(|k| k.verify(Alg::RS256, &t.msg, &t.sig));
                tally.record(t.tc_id, &t.comment, &t.flags, t.result, outcome);
            }
        }
        assert_eq!(tally.total(), set.number_of_tests);
        tally.finish("");
        tally.outcomes
    });
}

/// Truncated-tag cases observed in hmac_sha256_test.json (wycheproof 0.7.0): the groups
/// with tagSize 128 hold 33 `valid` and 54 `invalid` cases.
const HMAC_TRUNCATED_CASES: usize = 87;

#[test]
fn hmac_sha256() {
    use wycheproof::mac::{TestName, TestSet};
    let set = TestSet::load(TestName::HmacSha256).unwrap();
    on_every_backend("hmac sha256", |backend| {
        let mut tally = Tally::new("hmac sha256", backend);
        // JOSE HS256 has no truncated tags (RFC 7518 §3.2): a group whose tag size is not
        // the full 256 bits must be rejected whatever Wycheproof expects of a truncated HMAC.
        let mut truncated =
            Tally::new("hmac sha256 truncated tags (all must be rejected)", backend);
        let mut truncated_wycheproof_valid = 0;
        let mut short_keys = 0;
        for group in &set.test_groups {
            let full = group.tag_size == 256;
            for t in &group.tests {
                // Keys under 32 bytes are refused by the key loader, not by Material::verify,
                // which takes raw material: run them anyway.
                if t.key.len() < 32 {
                    short_keys += 1;
                }
                let key = Material::hmac(&t.key);
                let outcome = key.verify(Alg::HS256, &t.msg, &t.tag);
                if full {
                    tally.record(t.tc_id, &t.comment, &t.flags, t.result, outcome);
                } else {
                    if t.result != TestResult::Invalid {
                        truncated_wycheproof_valid += 1;
                    }
                    truncated.record(t.tc_id, &t.comment, &t.flags, TestResult::Invalid, outcome);
                }
            }
        }
        assert_eq!(tally.total() + truncated.total(), set.number_of_tests);
        tally.finish(&format!(
            "; {short_keys} case(s) with keys under 32 bytes run anyway; \
             {} truncated-tag case(s) counted separately",
            truncated.total()
        ));
        truncated.finish(&format!(
            " (Wycheproof: {truncated_wycheproof_valid} valid as truncated HMAC, {} invalid)",
            truncated.total() - truncated_wycheproof_valid
        ));
        assert_eq!(truncated.total(), HMAC_TRUNCATED_CASES);
        let mut all = tally.outcomes;
        all.extend(truncated.outcomes);
        all
    });
}

/// Cases with a non-empty OAEP label observed in rsa_oaep_2048_sha1_mgf1sha1_test.json
/// (wycheproof 0.7.0: tcIds 8-10 and 33-36, all `valid`, flag EncryptionWithLabel).
/// JOSE and node-rsa use the empty label, so these do not apply.
const OAEP_LABELLED_CASES: usize = 7;

#[test]
fn rsa_oaep_2048_sha1_mgf1_sha1() {
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::traits::PublicKeyParts;
    use wycheproof::rsa_oaep::{TestName, TestSet};
    let set = TestSet::load(TestName::Rsa2048Sha1Mgf1Sha1).unwrap();
    on_every_backend("rsa oaep 2048 sha1 mgf1-sha1", |backend| {
        let mut tally = Tally::new("rsa oaep 2048 sha1 mgf1-sha1", backend);
        let mut labelled = 0;
        let mut labelled_decrypted = Vec::new();
        for group in &set.test_groups {
            assert_eq!(group.hash, wycheproof::HashFunction::Sha1);
            assert_eq!(group.mgf, wycheproof::Mgf::Mgf1);
            assert_eq!(group.mgf_hash, wycheproof::HashFunction::Sha1);
            let rsa_key = rsa::RsaPrivateKey::from_pkcs8_der(&group.pkcs8).unwrap();
            assert_eq!(rsa_key.n().to_bytes_be(), strip_zeros(&group.key.n));
            let key = oaep::PrivateKey::new(&rsa_key).unwrap();
            assert_eq!(key.backend(), backend.name());
            for t in &group.tests {
                let got = oaep::decrypt_block(&key, &t.ct);
                if !t.label.is_empty() {
                    // Not applicable; but our empty-label decryption must not yield a plaintext.
                    labelled += 1;
                    if got.is_ok() {
                        labelled_decrypted.push(t.tc_id);
                    }
                    tally.outcomes.insert(t.tc_id, got.map(|_| ()));
                    continue;
                }
                let outcome = got.and_then(|pt| {
                    if pt == *t.pt {
                        Ok(())
                    } else {
                        Err(format!(
                            "decrypted to a different message ({} bytes)",
                            pt.len()
                        ))
                    }
                });
                tally.record(t.tc_id, &t.comment, &t.flags, t.result, outcome);
            }
        }
        assert_eq!(tally.total() + labelled, set.number_of_tests);
        tally.finish(&format!(
            "; {labelled} case(s) with a non-empty label not applicable"
        ));
        assert_eq!(labelled, OAEP_LABELLED_CASES);
        assert!(
            labelled_decrypted.is_empty(),
            "empty-label decryption accepted labelled ciphertexts: tcId {labelled_decrypted:?}"
        );
        tally.outcomes
    });
}

fn strip_zeros(b: &[u8]) -> &[u8] {
    let first = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    &b[first..]
}
