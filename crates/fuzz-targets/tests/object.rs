//! The lazily read claims object against the building parser, on generated text: the same
//! verdict, the same message, the same members ([`jwtc_fuzz_targets::object_agrees`], which
//! the `parse` fuzz target also runs).

use proptest::prelude::*;

/// Member names that collide once unescaped (`a`, `\u0061`), and a few that do not.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_string()),
        Just("\\u0061".to_string()),
        Just("b".to_string()),
        Just("c\\\"d".to_string()),
        "[e-h]{1,3}",
    ]
}

/// Member values: every JSON kind, nested containers, and texts near the edges (numbers
/// out of range, lone surrogates, bad escapes, trailing commas).
fn value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("1".to_string()),
        Just("-0.5e3".to_string()),
        Just("1e999".to_string()),
        Just("01".to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
        Just("\"x\"".to_string()),
        Just("\"\\ud800\"".to_string()),
        Just("\"\\ud83d\\ude00\"".to_string()),
        Just("\"\\q\"".to_string()),
        Just("[1,]".to_string()),
        "\"[a-z ]{0,6}\"",
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((name(), inner), 0..4).prop_map(|m| {
                let members: Vec<String> =
                    m.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn objects_of_generated_members(members in prop::collection::vec((name(), value()), 0..8)) {
        let members: Vec<String> =
            members.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        jwtc_fuzz_targets::object_agrees(format!("{{{}}}", members.join(",")).as_bytes());
    }

    #[test]
    fn json_like_text(text in r#"[{}\[\]":, ab01.eE+\-\\u]{0,40}"#) {
        jwtc_fuzz_targets::object_agrees(text.as_bytes());
    }
}
