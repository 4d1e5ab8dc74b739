//! The JSON Schemas checked in under docs/schema/ are the ones generated from the report types,
//! and the reports this crate builds validate against them.
//!
//! `UPDATE_SCHEMAS=1 cargo test -p parley-report --test it json_schema` rewrites the checked-in
//! files from the types.

use std::path::PathBuf;

fn schema_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema")
}

/// The value with every object's keys in order, so that the file is the same whatever order
/// the build's features give maps (serde_json's `preserve_order`, which a dependency of another
/// crate of the workspace may turn on).
fn sorted(value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(fields) => {
            let mut keys: Vec<&String> = fields.keys().collect();
            keys.sort();
            serde_json::Value::Object(
                keys.into_iter().map(|key| (key.clone(), sorted(&fields[key]))).collect(),
            )
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.iter().map(sorted).collect())
        }
        other => other.clone(),
    }
}

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(&sorted(value)).unwrap() + "\n"
}

#[test]
fn the_checked_in_schemas_are_the_generated_ones() {
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    for (name, schema) in parley_report::json_schemas() {
        let path = schema_dir().join(name);
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        // Compared as JSON values: the order of an object's keys does not count.
        let same = serde_json::from_str::<serde_json::Value>(&checked_in)
            .is_ok_and(|checked_in| checked_in == schema);
        if !same {
            if update {
                std::fs::write(&path, pretty(&schema)).unwrap();
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "these schemas differ from the report types: {stale:?}; regenerate them with \
         `UPDATE_SCHEMAS=1 cargo test -p parley-report --test it json_schema`"
    );
}

#[test]
fn every_schema_is_a_valid_draft_2020_12_schema() {
    for (name, schema) in parley_report::json_schemas() {
        assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema", "{name}");
        jsonschema::draft202012::meta::validate(&schema)
            .unwrap_or_else(|error| panic!("{name} is not a valid schema: {error}"));
    }
}

fn validator(name: &str) -> jsonschema::Validator {
    let (_, schema) = parley_report::json_schemas()
        .into_iter()
        .find(|(file, _)| *file == name)
        .expect("a schema of that name");
    jsonschema::draft202012::new(&schema).unwrap()
}

fn errors(validator: &jsonschema::Validator, value: &serde_json::Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect()
}

fn builtin_report(analysed: bool) -> serde_json::Value {
    use parley_analysis::{AnalysisOptions, analyze};
    use parley_engine::control::{Control, build_thread_pool};
    let loaded = parley_model::scenario_file::read_scenario(parley_model::builtin::TALKS_2025_TOML);
    let scenario = loaded.scenario.expect("the built-in scenario is valid");
    let options = AnalysisOptions { robustness_samples: 20, ..AnalysisOptions::default() };
    let pool = build_thread_pool(1).expect("a pool of one thread");
    let analysis = analysed
        .then(|| analyze(&scenario, &options, &pool, &Control::none()).expect("it analyses"));
    let report = parley_report::schema::build(
        &scenario,
        &loaded.diagnostics,
        "built-in",
        analysis.as_ref().map(|analysis| (analysis, 3)),
    );
    serde_json::to_value(&report).unwrap()
}

#[test]
fn the_report_of_the_builtin_scenario_validates_and_a_wrong_one_does_not() {
    let validator = validator("report.schema.json");
    for analysed in [false, true] {
        let value = builtin_report(analysed);
        assert_eq!(errors(&validator, &value), Vec::<String>::new(), "analysed: {analysed}");
    }
    // The schema is no `true`: a list given as text, a count with a fraction, a utility keyed
    // by position, or a missing field fails.
    let value = builtin_report(true);
    let mut wrong = value.clone();
    wrong["parties"] = serde_json::json!("russia");
    assert!(!errors(&validator, &wrong).is_empty());
    let mut fraction = value.clone();
    fraction["outcomes"] = serde_json::json!(216.5);
    assert!(!errors(&validator, &fraction).is_empty());
    let mut positional = value.clone();
    positional["unrestricted_pareto_frontier"][0]["utilities"] = serde_json::json!([0.5, 0.5]);
    assert!(!errors(&validator, &positional).is_empty());
    let mut older = value.clone();
    older["format"] = serde_json::json!("parley-report/0");
    assert!(!errors(&validator, &older).is_empty());
    let mut missing = value;
    missing.as_object_mut().unwrap().remove("issues");
    assert!(!errors(&validator, &missing).is_empty());
}
