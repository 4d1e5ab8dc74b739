//! Criterion benchmarks for Parley's hot paths; the benchmarks live in `benches/`, and this
//! library holds what they share: loading the scenarios they run on.
#![allow(clippy::disallowed_methods, reason = "benchmarks read the shared scenario files")]

use std::path::{Path, PathBuf};

use parley_model::validate::ValidScenario;

/// The public GENIUS scenarios beside the repository, when present.
pub fn genius_root() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/scenarios/genius");
    root.is_dir().then_some(root)
}

/// The built-in scenario.
pub fn builtin_scenario() -> ValidScenario {
    let loaded = parley_model::scenario_file::read_scenario(parley_model::builtin::TALKS_2025_TOML);
    loaded.scenario.expect("the built-in scenario is valid")
}

/// The built-in scenario with `n_issues` more issues of `n_options` options each, on which no
/// party has a position: issues every party is indifferent to.
pub fn builtin_with_unpositioned_issues(n_issues: usize, n_options: usize) -> ValidScenario {
    let mut text = parley_model::builtin::TALKS_2025_TOML.to_owned();
    for issue_idx in 0..n_issues {
        let options: Vec<String> =
            (0..n_options).map(|option_idx| format!("{{ id = \"o{option_idx}\" }}")).collect();
        text.push_str(&format!(
            "\n[[issues]]\nid = \"extra-{issue_idx}\"\ntitle = \"Extra {issue_idx}\"\ncategory = \"other\"\noptions = [{}]\n",
            options.join(", ")
        ));
    }
    let loaded = parley_model::scenario_file::read_scenario(&text);
    loaded.scenario.expect("the extended built-in scenario is valid")
}

/// A GENIUS scenario folder under the shared scenarios, e.g. `y2015/group2-dinner`, as a
/// validated scenario; `None` when the shared scenarios are absent.
pub fn genius_scenario(folder: &str) -> Option<ValidScenario> {
    let dir = genius_root()?.join(folder);
    let mut files = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", dir.display()))
        .map(|entry| entry.expect("a readable entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "xml"))
        .collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
        files.push((path.display().to_string(), text));
    }
    let genius = parley_genius::parse_scenario(&files).expect("a public scenario parses");
    let scenario = parley_genius::to_model(&genius, folder).expect("a public scenario converts");
    let (scenario, _) = ValidScenario::new(scenario).expect("a converted scenario is valid");
    Some(scenario)
}
