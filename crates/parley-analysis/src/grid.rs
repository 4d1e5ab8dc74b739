//! What the grid of a scenario's continuous issues costs: the analysis is exact over the grid
//! numbers, and this bounds how far an outcome with any numbers lies from the grid.

use parley_model::Date;
use parley_model::continuous::{grid_deviation, grid_numbers};
use parley_model::utility::PartyUtilities;
use parley_model::validate::ValidScenario;

/// The grid of one continuous issue.
#[derive(Clone, Debug, PartialEq)]
pub struct GridIssue {
    /// The issue.
    pub issue_idx: usize,
    /// The lowest number of its range.
    pub lower: f64,
    /// The highest number of its range.
    pub upper: f64,
    /// How many evenly spaced numbers the analysis takes, both ends included.
    pub numbers: usize,
}

impl GridIssue {
    /// The distance between neighbouring grid numbers.
    pub fn step(&self) -> f64 {
        (self.upper - self.lower) / (self.numbers.max(2) - 1) as f64
    }
}

/// How a scenario's continuous issues were analysed: on a grid, with what that can miss.
#[derive(Clone, Debug, PartialEq)]
pub struct GridApproximation {
    /// The continuous issues, in scenario order.
    pub issues: Vec<GridIssue>,
    /// Per negotiating party (in the order of the analysis's parties): the most by which
    /// the party's utility of an outcome with any numbers on the continuous issues differs
    /// from its utility of the outcome with the nearest grid numbers instead. Exact for the
    /// party's point-estimate weights and curves.
    ///
    /// So every outcome has a grid outcome within these amounts for every party at once;
    /// the results, exact on the grid, are within them of what the continuous issues allow.
    pub max_utility_error: Vec<f64>,
}

/// The grid approximation of a scenario with continuous issues; `None` when it has none
/// (the analysis is then exact).
pub fn grid_approximation(
    scenario: &ValidScenario,
    parties: &[PartyUtilities],
    as_of: Option<Date>,
) -> Option<GridApproximation> {
    let record = scenario.scenario();
    let issues: Vec<GridIssue> = record
        .issues
        .iter()
        .enumerate()
        .filter_map(|(issue_idx, issue)| {
            let range = issue.range.as_ref()?;
            Some(GridIssue {
                issue_idx,
                lower: range.lower,
                upper: range.upper,
                numbers: grid_numbers(range).len(),
            })
        })
        .collect();
    if issues.is_empty() {
        return None;
    }
    let positions = scenario.current_positions(as_of);
    let max_utility_error = parties
        .iter()
        .map(|party| {
            let weights = party.point_weights();
            issues
                .iter()
                .map(|grid| {
                    let range = record.issues[grid.issue_idx].range.as_ref();
                    let position = positions[party.party_idx][grid.issue_idx];
                    // Without a curve the party values every number alike.
                    let deviation = match (position, range) {
                        (Some(position), Some(range)) => grid_deviation(&position.curve, range),
                        _ => 0.0,
                    };
                    weights[grid.issue_idx] * deviation
                })
                .sum()
        })
        .collect();
    Some(GridApproximation { issues, max_utility_error })
}

#[cfg(test)]
mod tests {
    use parley_engine::control::{Control, build_thread_pool};
    use parley_model::continuous::set_grid;
    use parley_model::scenario_file::read_scenario;
    use parley_model::validate::ValidScenario;
    use proptest::prelude::*;

    use crate::{Analysis, AnalysisOptions, analyze};

    /// Two parties over a continuous price and a discrete delivery; the seller's curve
    /// peaks between grid numbers of a coarse grid.
    fn scenario(buyer_curve: &str, seller_curve: &str, grid: usize) -> ValidScenario {
        let text = format!(
            r#"
[scenario]
id = "sale"
title = "Sale"

[[parties]]
id = "buyer"
name = "Buyer"
role = "principal"

[[parties]]
id = "seller"
name = "Seller"
role = "principal"

[[issues]]
id = "price"
title = "Price"
category = "other"
range = {{ lower = 0, upper = 10 }}

[[issues]]
id = "delivery"
title = "Delivery"
category = "other"
options = [{{ id = "slow" }}, {{ id = "fast" }}]

[[positions]]
party = "buyer"
issue = "price"
weight = 3
curve = {buyer_curve}

[[positions]]
party = "buyer"
issue = "delivery"
weight = 1
stances = {{ slow = 0.2, fast = 1.0 }}

[[positions]]
party = "seller"
issue = "price"
weight = 2
curve = {seller_curve}

[[positions]]
party = "seller"
issue = "delivery"
weight = 1
stances = {{ slow = 1.0, fast = 0.4 }}
"#
        );
        let loaded = read_scenario(&text);
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        let mut scenario = loaded.scenario.unwrap().into_scenario();
        set_grid(&mut scenario, grid);
        ValidScenario::new(scenario).unwrap().0
    }

    fn run(scenario: &ValidScenario) -> Analysis {
        let options = AnalysisOptions { robustness_samples: 0, ..AnalysisOptions::default() };
        analyze(scenario, &options, &build_thread_pool(1).unwrap(), &Control::none()).unwrap()
    }

    fn frontier(analysis: &Analysis) -> Vec<Vec<f64>> {
        let frontier = analysis.unrestricted_frontier.as_ref().unwrap();
        frontier.iter().map(|(_, utilities)| utilities.to_vec()).collect()
    }

    #[test]
    fn a_scenario_without_continuous_issues_has_no_approximation() {
        let scenario = load_builtin();
        assert_eq!(run(&scenario).grid, None);
    }

    fn load_builtin() -> ValidScenario {
        read_scenario(parley_model::builtin::TALKS_2025_TOML).scenario.unwrap()
    }

    #[test]
    fn the_bound_is_the_weighted_largest_deviation_of_each_party() {
        // Buyer: weight 3/4, a line from 1 to 0 over 10 on 6 numbers 2 apart: 0.1 at most.
        // Seller: weight 2/3, a tent peaking at 5, midway between 4 and 6: 0.2 at most.
        let scenario = scenario("[[0, 1.0], [10, 0.0]]", "[[0, 0.0], [5, 1.0], [10, 0.0]]", 6);
        let grid = run(&scenario).grid.unwrap();
        assert_eq!(grid.issues.len(), 1);
        assert_eq!((grid.issues[0].numbers, grid.issues[0].step()), (6, 2.0));
        let expected = [0.75 * 0.1, 2.0 / 3.0 * 0.2];
        for (error, expected) in grid.max_utility_error.iter().zip(expected) {
            assert!((error - expected).abs() < 1e-12, "{error} {expected}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Every point of a much finer grid's frontier (close to the continuous frontier)
        /// lies within the coarse grid's bound of a point of the coarse frontier.
        #[test]
        fn the_coarse_frontier_is_within_its_bound_of_a_finer_one(
            buyer in proptest::collection::vec(0.0..=1.0f64, 2..5),
            seller in proptest::collection::vec(0.0..=1.0f64, 2..5),
            coarse in 2usize..8,
        ) {
            let curve = |values: &[f64]| {
                let last = (values.len() - 1) as f64;
                let points: Vec<String> = values
                    .iter()
                    .enumerate()
                    .map(|(idx, value)| format!("[{}, {value}]", 10.0 * idx as f64 / last))
                    .collect();
                format!("[{}]", points.join(", "))
            };
            let (buyer, seller) = (curve(&buyer), curve(&seller));
            let coarse_analysis = run(&scenario(&buyer, &seller, coarse));
            let bound = coarse_analysis.grid.clone().unwrap().max_utility_error;
            let coarse_frontier = frontier(&coarse_analysis);
            let fine = frontier(&run(&scenario(&buyer, &seller, 601)));
            for point in &fine {
                let covered = coarse_frontier.iter().any(|candidate| {
                    candidate.iter().zip(point).zip(&bound).all(|((mine, theirs), bound)| {
                        mine + bound + 1e-9 >= *theirs
                    })
                });
                prop_assert!(covered, "{point:?} beyond {coarse_frontier:?} + {bound:?}");
            }
        }
    }
}
