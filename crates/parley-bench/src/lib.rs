//! Criterion benchmarks for Parley's hot paths; the benchmarks live in `benches/`, and this
//! library holds what they share: loading the scenarios they run on.
#![allow(clippy::disallowed_methods, reason = "benchmarks read the shared scenario files")]

use std::path::{Path, PathBuf};

use parley_model::validate::ValidScenario;

/// The public GENIUS scenarios beside the repository, when present.
pub fn genius_root() -> Option<PathBuf> {
    shared_folder("genius")
}

/// `../shared/scenarios/NAME` beside the repository, when present.
fn shared_folder(name: &str) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/scenarios").join(name);
    root.is_dir().then_some(root)
}

/// Every outcome's utilities of `space`, flat (`n_parties` values an outcome), in outcome
/// order: the points a skyline baseline works on.
pub fn all_utilities(space: &parley_engine::space::UtilitySpace) -> Vec<f64> {
    let counts = space.option_counts();
    let n_parties = space.n_parties();
    let mut utilities = Vec::with_capacity(space.n_outcomes() as usize * n_parties);
    let mut outcome = vec![0u16; counts.len()];
    loop {
        utilities.extend_from_slice(&space.utilities(&outcome));
        // The next outcome, the last issue counting fastest.
        let mut issue_idx = counts.len();
        loop {
            if issue_idx == 0 {
                return utilities;
            }
            issue_idx -= 1;
            outcome[issue_idx] += 1;
            if usize::from(outcome[issue_idx]) < counts[issue_idx] {
                break;
            }
            outcome[issue_idx] = 0;
        }
    }
}

/// Lanes of the brute-force baseline: points compared at once.
const LANES: usize = 8;

/// The positions of the non-dominated points of `utilities` (flat, `n_parties` values a
/// point) by plain brute force, the naive method at the machine's limit: each point is
/// compared with every other, eight at a time from a column layout, without branches inside a
/// block (so the compiler vectorises it), stopping at the first block that holds a dominator.
/// Exact comparisons, without the engine's rounding: the baseline for benchmarks only.
pub fn brute_force_skyline(n_parties: usize, utilities: &[f64]) -> Vec<usize> {
    let n_points = utilities.len() / n_parties;
    let n_blocks = n_points.div_ceil(LANES);
    // columns[party][block][lane]; padding lanes can dominate nothing.
    let mut columns = vec![[f64::NEG_INFINITY; LANES]; n_parties * n_blocks];
    for (point_idx, point) in utilities.chunks_exact(n_parties).enumerate() {
        for (party_idx, &value) in point.iter().enumerate() {
            columns[party_idx * n_blocks + point_idx / LANES][point_idx % LANES] = value;
        }
    }
    let mut kept = Vec::new();
    for (point_idx, point) in utilities.chunks_exact(n_parties).enumerate() {
        let dominated = (0..n_blocks).any(|block_idx| {
            let mut at_least = [true; LANES];
            let mut better = [false; LANES];
            for (party_idx, &value) in point.iter().enumerate() {
                let column = &columns[party_idx * n_blocks + block_idx];
                for lane in 0..LANES {
                    at_least[lane] &= column[lane] >= value;
                    better[lane] |= column[lane] > value;
                }
            }
            (0..LANES).any(|lane| at_least[lane] & better[lane])
        });
        if !dominated {
            kept.push(point_idx);
        }
    }
    kept
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

/// A GENIUS scenario folder under the shared scenarios (`genius` or `genius-more`), e.g.
/// `y2015/group2-dinner`, as a validated scenario; `None` when it is absent.
pub fn genius_scenario(folder: &str) -> Option<ValidScenario> {
    let dir = ["genius", "genius-more"]
        .into_iter()
        .filter_map(shared_folder)
        .map(|root| root.join(folder))
        .find(|dir| dir.is_dir())?;
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
