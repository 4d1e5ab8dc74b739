//! Every JSON output of the command line validates against its JSON Schema, as checked in under
//! docs/schema/ (generated from the report types; parley-report's tests keep them in step), and
//! writes counts as integers.

use std::path::{Path, PathBuf};

use crate::helpers::parley;

fn validator(name: &str) -> jsonschema::Validator {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema").join(name);
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::draft202012::new(&schema).unwrap()
}

fn assert_valid(schema: &str, text: &str) -> serde_json::Value {
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    let errors: Vec<String> = validator(schema)
        .iter_errors(&value)
        .take(10)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect();
    assert_eq!(errors, Vec::<String>::new(), "against {schema}");
    value
}

fn stdout_of(args: &[&std::ffi::OsStr]) -> String {
    let output = parley().args(args).output().unwrap();
    assert!(
        matches!(output.status.code(), Some(0 | 3)),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn args<'a>(args: &'a [&'a str]) -> Vec<&'a std::ffi::OsStr> {
    args.iter().map(std::ffi::OsStr::new).collect()
}

#[test]
fn the_report_of_the_builtin_scenario_validates_with_integer_counts() {
    let text = stdout_of(&args(&["analyze", "--json"]));
    let report = assert_valid("report.schema.json", &text);
    assert_eq!(report["format"], "parley-report/1");
    assert!(text.contains("\n  \"outcomes\": 216,\n"), "{}", &text[..text.len().min(200)]);
    for draft in report["draft_evaluations"].as_array().unwrap() {
        assert!(draft["completions"].is_u64(), "{}", draft["completions"]);
    }
    let record_only = stdout_of(&args(&["analyze", "--json", "--record-only"]));
    assert_valid("report.schema.json", &record_only);
}

#[test]
#[allow(clippy::print_stderr, reason = "a skipped test says why")]
fn the_report_of_a_genius_scenario_validates() {
    let folder =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/scenarios/genius/y2010/Travel");
    if !folder.is_dir() {
        eprintln!("note: {} is absent, skipping the GENIUS schema test", folder.display());
        return;
    }
    let text = stdout_of(&[
        "analyze".as_ref(),
        folder.as_os_str(),
        "--json".as_ref(),
        "--samples".as_ref(),
        "0".as_ref(),
    ]);
    let report = assert_valid("report.schema.json", &text);
    assert!(report["outcomes"].is_u64(), "{}", report["outcomes"]);
}

#[test]
fn a_simulation_validates() {
    let temp = tempfile::tempdir().unwrap();
    let file = temp.path().join("zone.toml");
    crate::helpers::write_builtin_with_a_zone(&file);
    let text = stdout_of(&[
        "simulate".as_ref(),
        "--json".as_ref(),
        file.as_os_str(),
        "--protocol".as_ref(),
        "single-text-veto".as_ref(),
    ]);
    let simulation = assert_valid("simulation.schema.json", &text);
    assert!(simulation["summary"]["agreement"].is_object(), "{}", simulation["summary"]);
    assert_valid("simulation.schema.json", &stdout_of(&args(&["simulate", "--json"])));
}

#[test]
fn a_tournament_validates() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("results");
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/talks-2025.toml");
    let words = [
        "tournament",
        scenario,
        "--seeds",
        "2",
        "--strategies",
        "boulware,conceder,nash-mediator",
        "--protocols",
        "alternating-offers,single-text-veto",
        "--out",
    ];
    let mut command = args(&words);
    command.push(out.as_os_str());
    stdout_of(&command);
    let text = std::fs::read_to_string(out.join("results.json")).unwrap();
    let tournament = assert_valid("tournament.schema.json", &text);
    assert_eq!(tournament["format"], "parley-tournament/2");
}
