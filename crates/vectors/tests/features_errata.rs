//! The optional features and the suite's errata: the schema's closed set is the
//! catalogue's, a feature the suite does not define fails the load naming file, case and
//! field, every case that needs a feature carries it, and vectors/errata.json names real
//! cases with an upstream reference.

use serde_json::Value;

use jwtc_vectors::errata::Errata;
use jwtc_vectors::load::load;
use jwtc_verifier::rules::FEATURES;

mod common;
use common::{root, scratch_suite};

#[test]
fn the_schema_lists_exactly_the_catalogue_features() {
    let text = std::fs::read_to_string(root().join("vectors/schema/vectors.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    let listed: Vec<&str> = schema
        .pointer("/$defs/case/properties/features/items/enum")
        .or_else(|| {
            // Wherever the case object sits in the schema, its features enum is the one.
            fn find(v: &Value) -> Option<&Value> {
                match v {
                    Value::Object(m) => m
                        .get("features")
                        .and_then(|f| f.pointer("/items/enum"))
                        .or_else(|| m.values().find_map(find)),
                    Value::Array(a) => a.iter().find_map(find),
                    _ => None,
                }
            }
            find(&schema)
        })
        .and_then(Value::as_array)
        .expect("the schema has a features enum")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let catalogue: Vec<&str> = FEATURES.iter().map(|f| f.name).collect();
    assert_eq!(listed, catalogue);
}

#[test]
fn cases_carry_the_features_they_need() {
    let suite = load(&root().join("vectors")).unwrap_or_else(|e| panic!("{}", e.join("\n")));
    for c in &suite.cases {
        let has = |f: &str| c.case.features.iter().any(|x| x == f);
        let id = &c.case.id;
        assert_eq!(has("jwks-fetch"), c.case.network.is_some(), "{id}");
        assert_eq!(has("proxy-role"), c.profile == "pomerium-proxy", "{id}");
        assert_eq!(
            has("builtin-keys"),
            c.case.rule == "coyo.builtin-keys",
            "{id}"
        );
        assert_eq!(has("jws-payload"), id.starts_with("wycheproof/"), "{id}");
    }
    let es512: Vec<&str> = suite
        .cases
        .iter()
        .filter(|c| c.case.features.iter().any(|f| f == "es512"))
        .map(|c| c.case.id.as_str())
        .collect();
    assert_eq!(es512, ["wycheproof/jws/tc347", "wycheproof/jws/tc351"]);
}

#[test]
fn an_unknown_feature_is_named_with_file_case_and_field() {
    let dir = scratch_suite(
        "features",
        "alg.json",
        r#"{"schema":1,"profile":"core","group":"alg","cases":[{"id":"core/alg/x","rule":"core.alg",
  "description":"d","severity":"low","features":["es521"],"input":{"token":"a.b.c"},
  "context":{"algorithm":"HS256","keys":["hs256-a"]},"expect":{"verdict":"reject","error":"malformed"}}]}"#,
    );
    let errors = match load(&dir) {
        Ok(_) => panic!("a case with an unknown feature loaded"),
        Err(e) => e.join("\n"),
    };
    assert!(
        errors.contains("core/alg.json: case 0 (core/alg/x): features.0"),
        "{errors}"
    );
    assert!(errors.contains("es521"), "{errors}");
}

#[test]
fn the_errata_name_real_cases_with_their_upstream_reference() {
    let vectors = root().join("vectors");
    let errata = Errata::load(&vectors).unwrap();
    let suite = load(&vectors).unwrap_or_else(|e| panic!("{}", e.join("\n")));
    errata
        .check(suite.cases.iter().map(|c| c.case.id.as_str()))
        .unwrap();
    let ids: Vec<&str> = errata.entries.iter().map(|e| e.case.as_str()).collect();
    assert_eq!(
        ids,
        [
            "wycheproof/jws/tc367",
            "wycheproof/jws/tc370",
            "wycheproof/jws/tc372",
            "wycheproof/jws/tc373",
            "wycheproof/jws/tc347",
            "wycheproof/jws/tc351"
        ]
    );
    assert!(errata
        .entries
        .iter()
        .filter(|e| e.case.ends_with("tc367") || e.case.ends_with("tc370"))
        .all(|e| e.upstream == "C2SP/wycheproof#236"));
    // No adapter repeats them.
    for entry in std::fs::read_dir(root().join("adapters")).unwrap() {
        let dir = entry.unwrap().path();
        for f in std::fs::read_dir(&dir).into_iter().flatten() {
            let p = f.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with("expected-failures") && name.ends_with(".json") {
                let text = std::fs::read_to_string(&p).unwrap();
                for id in &ids {
                    assert!(
                        !text.contains(&format!("\"{id}\"")),
                        "{} lists the erratum {id}",
                        p.display()
                    );
                }
            }
        }
    }
}
