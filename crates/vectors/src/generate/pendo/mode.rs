//! Vectors `pendo/mode.json`, rule `pendo.mode`: disabled / allow / only_signed.

use serde_json::json;

use super::{allow, claims, ctx, full, plain, signed, tok, ACCOUNT, VISITOR};
use crate::generate::{expect, split, Group};
use crate::mint::{hmac, Mint};
use crate::model::Severity::{Critical, High, Low, Medium};
use crate::model::{VectorFile, Verdict};
use jwtc_verifier::b64;

pub(super) fn group(m: &Mint<'_>) -> VectorFile {
    let mut g = Group::new("pendo", "mode");
    let rule = "pendo.mode";
    let c = claims("n-mode");
    let good = tok(m, "pendo-1", &c);
    let (h, p, _) = split(&good);
    let bad = format!(
        "{h}.{p}.{}",
        b64::encode(hmac(
            "HS256",
            b"not the key, 32 bytes long......",
            format!("{h}.{p}").as_bytes()
        ))
    );
    let meta = json!({"visitor": {"id": VISITOR}, "account": {"id": ACCOUNT}});
    let keys = ["pendo-1", "pendo-2"];
    let plain_ev = plain("e-1", meta.clone());
    for (mode, sev_bad) in [
        ("disabled", High),
        ("allow", Critical),
        ("only_signed", Critical),
    ] {
        let name = mode.replace('_', "-");
        let c = ctx(mode, &keys, &[]);
        let b = g
            .case(
                &format!("{name}-signed"),
                rule,
                Medium,
                &format!("{mode}: an event with a valid jwt"),
            )
            .input(signed("e-1", &good, "pendo-1"))
            .context(c.clone());
        match mode {
            "disabled" => b.reject("signed_not_accepted"),
            _ => b.accept(full(true)),
        }
        let b = g
            .case(
                &format!("{name}-unsigned"),
                rule,
                if mode == "only_signed" { Critical } else { Low },
                &format!("{mode}: plain metadata, no jwt"),
            )
            .input(plain_ev.clone())
            .context(c.clone());
        match mode {
            "only_signed" => b.reject("unsigned_rejected"),
            _ => b.accept(full(false)),
        }
        let b = g
            .case(
                &format!("{name}-bad-signature"),
                rule,
                sev_bad,
                &format!("{mode}: a jwt whose signature does not verify, plain metadata beside it"),
            )
            .input({
                let mut i = signed("e-1", &bad, "pendo-1");
                i["event"]["metadata"] = meta.clone();
                i
            })
            .context(c.clone());
        match mode {
            "disabled" => b.reject("signed_not_accepted"),
            _ => b.reject("bad_signature"),
        }
    }
    g.case(
        "disabled-garbage-jwt",
        rule,
        Low,
        "disabled: a jwt that is not a token at all is refused before it is parsed",
    )
    .input(signed("e-1", "not a token", "pendo-1"))
    .context(ctx("disabled", &keys, &[]))
    .reject("signed_not_accepted");
    g.case(
        "allow-malformed-jwt",
        rule,
        High,
        "allow: a malformed jwt beside plain metadata is rejected, not read as unsigned",
    )
    .input({
        let mut i = signed("e-1", "not a token", "pendo-1");
        i["event"]["metadata"] = meta.clone();
        i
    })
    .context(allow())
    .reject("malformed");
    g.case(
        "switch-allow-to-only-signed",
        rule,
        Critical,
        "the seed's rollout: allow, then \"Only allow signed metadata\" drops unsigned events, then disabled drops signed ones",
    )
    .context(ctx("allow", &keys, &[]))
    .step(
        "allow: plain metadata accepted",
        plain("e-1", meta.clone()),
        None,
        expect(Verdict::Accept, None, Some(full(false))),
    )
    .step(
        "allow: a signed event accepted",
        signed("e-2", &good, "pendo-1"),
        None,
        expect(Verdict::Accept, None, Some(full(true))),
    )
    .step(
        "only_signed: plain metadata now rejected",
        plain("e-3", meta.clone()),
        Some(ctx("only_signed", &keys, &[])),
        expect(Verdict::Reject, Some("unsigned_rejected"), None),
    )
    .step(
        "only_signed: a signed event accepted",
        signed("e-4", &good, "pendo-1"),
        None,
        expect(Verdict::Accept, None, Some(full(true))),
    )
    .step(
        "disabled: a signed event now refused",
        signed("e-5", &good, "pendo-1"),
        Some(ctx("disabled", &keys, &[])),
        expect(Verdict::Reject, Some("signed_not_accepted"), None),
    )
    .step(
        "disabled: plain metadata accepted again",
        plain("e-6", meta),
        None,
        expect(Verdict::Accept, None, Some(full(false))),
    )
    .scenario();
    g.finish()
}
