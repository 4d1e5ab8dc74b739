//! Every scenario folder of the shared GENIUS collections (`../shared/scenarios/genius` and
//! `../shared/scenarios/genius-more`) loads, analyses and round-trips, through the command
//! line as a user runs it: `import genius` writes a scenario file that reads back, `export
//! genius` then `import genius` gives that file again, `analyze` runs on the folder (and, for
//! some, gives the same frontier on the file), and where GENIUS's own `pareto.xml` lies beside
//! the profiles, none of its points is better than Parley's frontier.
//!
//! Where the collections are absent (a fresh clone without `../shared`), the test says so and
//! passes.
#![allow(clippy::print_stderr, reason = "a skipped or partial check says why")]

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::helpers::parley;

/// The analysis budget of one run. Every additive scenario and the smaller non-linear ones
/// finish well within it (the engine is optimised even in test builds: Cargo.toml's dev
/// profile); a search that does not is reported as incomplete, and checked for what it proved.
const BUDGET: &str = "30s";

fn shared(name: &str) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/scenarios").join(name);
    if root.is_dir() {
        Some(root)
    } else {
        eprintln!("note: {} is absent, skipping its scenarios", root.display());
        None
    }
}

/// Every folder under `root` that holds files, sorted.
fn scenario_folders(root: &Path) -> Vec<PathBuf> {
    let mut res = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let mut has_files = false;
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|extension| extension == "xml") {
                has_files = true;
            }
        }
        if has_files {
            res.push(folder);
        }
    }
    res.sort();
    res
}

/// Runs `parley` and returns its exit code and standard output, failing with its standard
/// error when the code is not one of `codes`.
fn run(args: &[&str], codes: &[i32], what: &str) -> (i32, String) {
    let output = parley().args(args).output().unwrap();
    let code = output.status.code().unwrap_or(-1);
    assert!(
        codes.contains(&code),
        "{what}: parley {} exited {code}:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    (code, String::from_utf8(output.stdout).unwrap())
}

/// The frontier of all outcomes of an analysis, as sorted utility vectors, and whether it is
/// complete.
fn frontier(report: &Value) -> (Vec<Vec<f64>>, bool) {
    let parties: Vec<String> =
        report["utility_model"]["parties"].as_object().unwrap().keys().cloned().collect();
    let mut points: Vec<Vec<f64>> = report["unrestricted_pareto_frontier"]
        .as_array()
        .map(|points| {
            points
                .iter()
                .map(|point| {
                    parties
                        .iter()
                        .map(|party| point["utilities"][party].as_f64().unwrap())
                        .collect()
                })
                .collect()
        })
        .unwrap_or_default();
    points.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let complete = report["cut_short"].as_array().is_some_and(Vec::is_empty);
    (points, complete)
}

fn analyze(target: &str, what: &str) -> Value {
    let args = ["analyze", target, "--json", "--samples", "0", "--budget", BUDGET];
    let (_, stdout) = run(&args, &[0, 3], what);
    serde_json::from_str(&stdout).unwrap()
}

fn assert_same_frontier(first_report: &Value, second_report: &Value, what: &str) {
    let (first, first_complete) = frontier(first_report);
    let (second, second_complete) = frontier(second_report);
    if first_complete && second_complete {
        // Large frontiers are listed by a sample, which is the same for the same scenario.
        let size = |report: &Value| report["unrestricted_pareto_frontier_size"].clone();
        assert_eq!(size(first_report), size(second_report), "{what}: frontier sizes differ");
        assert_eq!(first.len(), second.len(), "{what}: frontier sizes differ");
        for (a, b) in first.iter().zip(&second) {
            assert!(
                a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-9),
                "{what}: frontier point {a:?} came back as {b:?}"
            );
        }
    }
}

#[test]
fn every_shared_genius_folder_loads_analyses_and_round_trips() {
    let temp = tempfile::tempdir().unwrap();
    let mut n_folders = 0;
    let mut incomplete = Vec::new();
    for collection in ["genius", "genius-more"] {
        let Some(root) = shared(collection) else { continue };
        for folder in scenario_folders(&root) {
            let name = folder.strip_prefix(&root).unwrap().display().to_string();
            let what = format!("{collection}/{name}");
            let folder_arg = folder.display().to_string();
            let toml = temp.path().join(format!("{n_folders}.toml"));
            let toml_arg = toml.display().to_string();
            run(&["import", "genius", &folder_arg, "-o", &toml_arg], &[0], &what);
            let (code, output) = run(&["check", &toml_arg], &[0], &what);
            assert_eq!(code, 0, "{what}: {output}");

            // Through GENIUS files and back: the same scenario file, so the same analysis.
            let exported = temp.path().join(format!("{n_folders}-genius"));
            let exported_arg = exported.display().to_string();
            run(&["export", "genius", &toml_arg, "-o", &exported_arg], &[0], &what);
            let again = temp.path().join(format!("{n_folders}-again.toml"));
            let again_arg = again.display().to_string();
            run(&["import", "genius", &exported_arg, "-o", &again_arg], &[0], &what);
            assert_eq!(
                std::fs::read_to_string(&again).unwrap(),
                std::fs::read_to_string(&toml).unwrap(),
                "{what}: export then import changed the scenario file"
            );

            let on_folder = analyze(&folder_arg, &what);
            if n_folders % 8 == 0 {
                // The scenario file analyses as its folder does (spot checks: the files are
                // the same scenario, which the text comparison above shows for every folder).
                let on_file = analyze(&toml_arg, &what);
                assert_same_frontier(&on_folder, &on_file, &format!("{what} (folder vs its TOML)"));
            }
            let (_, complete) = frontier(&on_folder);
            if !complete {
                incomplete.push(what.clone());
            }
            if folder.join("pareto.xml").is_file() {
                let reference = &on_folder["reference_frontier"];
                assert_eq!(reference["compared"], Value::Bool(true), "{what}: {reference}");
                if complete {
                    assert_eq!(
                        reference["undominated"].as_array().map(Vec::len),
                        Some(0),
                        "{what}: GENIUS frontier points better than Parley's: {reference}"
                    );
                }
            }
            n_folders += 1;
        }
    }
    eprintln!(
        "note: {n_folders} shared GENIUS folders loaded, analysed and round-tripped; frontier search incomplete within {BUDGET} for: {incomplete:?}"
    );
}
