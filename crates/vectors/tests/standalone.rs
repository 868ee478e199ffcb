//! Every case extracted on its own (`cargo xtask extract`) is a valid vector file that
//! needs nothing from vectors/keys, and loads back to the same steps.

use std::path::{Path, PathBuf};

use jwtc_vectors::keystore::KeyStore;
use jwtc_vectors::load::{load, schema, LoadedCase};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn every_case_extracts_to_a_valid_self_contained_file() {
    let vectors = root().join("vectors");
    let suite = load(&vectors).unwrap_or_else(|e| panic!("{}", e.join("\n")));
    let validator = jsonschema::validator_for(&schema(&vectors).unwrap()).unwrap();
    let no_keys = KeyStore::default();
    let mut scenarios = 0;
    for c in &suite.cases {
        let file = c.standalone();
        let doc = serde_json::to_value(&file).unwrap();
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        // Every case, an imported Wycheproof reject (labelled valid/invalid, never with an
        // error code) included: `expect.error` is optional in the format.
        assert!(errors.is_empty(), "{}: {errors:?}", c.case.id);
        assert_eq!(file.cases.len(), 1);
        assert!(c.case.id.starts_with(&format!(
            "{}/{}/",
            c.case.id.split('/').next().unwrap(),
            file.group
        )));
        // With no key store at all, it loads back to what the suite sends.
        let again = LoadedCase::new(
            file.cases[0].clone(),
            file.profile.clone(),
            PathBuf::new(),
            &no_keys,
        )
        .unwrap_or_else(|e| panic!("{}: needs vectors/keys: {e}", c.case.id));
        assert_eq!(again.context, c.context, "{}", c.case.id);
        let steps = |l: &LoadedCase| {
            l.steps
                .iter()
                .map(|s| (s.input.clone(), s.context.clone(), s.expect.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(steps(&again), steps(c), "{}", c.case.id);
        scenarios += usize::from(c.is_scenario());
    }
    // Scenarios come with the profiles being added; until then there may be none.
    eprintln!(
        "{} cases extracted, {scenarios} scenario(s)",
        suite.cases.len()
    );
}
