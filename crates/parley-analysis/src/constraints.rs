//! The analysis of a scenario whose parties value outcomes by constraints (GENIUS's
//! non-linear, hyper-rectangle utilities): the exact Pareto frontier by branch and bound, the
//! four packages and the agreement zone on it, or, when the search runs past its budget, what
//! it proved (points found, not proven, and bounds on every point it may have missed).
//!
//! A party with an additive utility in the same scenario is analysed as constraints too: each
//! option's weighted value is a constraint on that one option, so its utility is the same.
//! Red lines cannot be held that way, so a scenario that mixes the two kinds and has red lines
//! is refused.

use parley_engine::control::{Budget, Control};
use parley_engine::rectangles::{
    Constraint, ConstraintKind as EngineKind, OptionRange, RectangleFrontier, RectangleParty,
    RectangleSolutions, RectangleSpace, ZoneVerdict,
};
use parley_model::Id;
use parley_model::scenario::ConstraintKind;
use parley_model::utility::{constraint_utilities, party_utilities};
use parley_model::validate::ValidScenario;

use crate::{AnalysisOptions, CutShort, Error, Result};

/// The analysis of a scenario with constraint utilities.
#[derive(Debug)]
pub struct ConstraintAnalysis {
    /// The negotiating parties, in the space's order.
    pub parties: Vec<Id>,
    /// The utility space searched.
    pub space: RectangleSpace,
    /// The frontier of all outcomes: exact when `complete`, otherwise what was found.
    pub frontier: RectangleFrontier,
    /// The four packages on the frontier, when the lowest utilities (for the disagreement
    /// point) were found within the budget.
    pub solutions: Option<RectangleSolutions>,
    /// Whether the agreement zone has an outcome.
    pub zone: ZoneVerdict,
    /// The steps that ran past their budget.
    pub cut_short: Vec<CutShort>,
}

/// Whether the scenario is analysed by constraints: some negotiating party has a constraint
/// utility.
pub fn has_constraint_utilities(scenario: &ValidScenario) -> bool {
    constraint_utilities(scenario).iter().any(Option::is_some)
}

/// The space of a scenario with constraint utilities; an additive party's options become
/// one-option constraints worth their weighted values.
pub fn compile_constraint_space(
    scenario: &ValidScenario,
    options: &AnalysisOptions<'_>,
) -> Result<(Vec<Id>, RectangleSpace)> {
    let record = scenario.scenario();
    let compiled = constraint_utilities(scenario);
    let additive = party_utilities(scenario, options.as_of);
    let mut parties = Vec::new();
    let mut ids = Vec::new();
    for (constraints, party) in compiled.iter().zip(&additive) {
        ids.push(party.party.clone());
        let rectangle_party = match constraints {
            Some(constraints) => RectangleParty {
                constraints: constraints
                    .constraints
                    .iter()
                    .map(|(value, kind, bounds)| Constraint {
                        kind: match kind {
                            ConstraintKind::Includes => EngineKind::Includes,
                            ConstraintKind::Excludes => EngineKind::Excludes,
                        },
                        value: *value,
                        bounds: bounds
                            .iter()
                            .map(|&(issue_idx, from, to)| OptionRange {
                                issue_idx,
                                lowest_option_idx: from,
                                highest_option_idx: to,
                            })
                            .collect(),
                    })
                    .collect(),
                max_utility: constraints.max_utility,
                reservation: party.reservation,
            },
            None => {
                if party.red_lines.iter().flatten().any(|red| *red) {
                    return Err(Error::MixedRedLines { party: party.party.to_string() });
                }
                let mut constraints = Vec::new();
                for (issue_idx, contributions) in party.point_contributions().iter().enumerate() {
                    for (option_idx, contribution) in contributions.iter().enumerate() {
                        constraints.push(Constraint {
                            kind: EngineKind::Includes,
                            value: *contribution,
                            bounds: vec![OptionRange {
                                issue_idx,
                                lowest_option_idx: option_idx,
                                highest_option_idx: option_idx,
                            }],
                        });
                    }
                }
                RectangleParty { constraints, max_utility: 1.0, reservation: party.reservation }
            }
        };
        parties.push(rectangle_party);
    }
    let option_counts = record.issues.iter().map(|issue| issue.options.len()).collect();
    let space = RectangleSpace::new(option_counts, parties)?;
    Ok((ids, space))
}

/// Analyses a scenario with constraint utilities under the options' limits: the frontier
/// step never fails for its budget (it reports what it found), the packages' step may be cut
/// short.
pub fn analyze_constraints(
    scenario: &ValidScenario,
    options: &AnalysisOptions<'_>,
    control: &Control<'_>,
) -> Result<ConstraintAnalysis> {
    use parley_engine::rectangles as search;
    use parley_engine::rectangles as analysis;

    let (parties, space) = compile_constraint_space(scenario, options)?;
    let frontier_budget = Budget::new(options.limits);
    let frontier =
        search::pareto_frontier(&space, &Control { budget: Some(&frontier_budget), ..*control })?;
    let mut cut_short = Vec::new();
    if let Some(exceeded) = frontier.stopped_by {
        cut_short.push(CutShort { step: "frontier", exceeded, steps: frontier.steps });
    }
    let solutions_budget = Budget::new(options.limits);
    let solutions = match analysis::solutions(
        &space,
        &frontier,
        &Control { budget: Some(&solutions_budget), ..*control },
    ) {
        Ok(solutions) => Some(solutions),
        Err(parley_engine::Error::OverBudget { exceeded, steps }) => {
            cut_short.push(CutShort { step: "nash", exceeded, steps });
            None
        }
        Err(error) => return Err(error.into()),
    };
    let zone = analysis::agreement_zone(&space, &frontier);
    Ok(ConstraintAnalysis { parties, space, frontier, solutions, zone, cut_short })
}

#[cfg(test)]
mod tests {
    use parley_engine::control::Control;
    use parley_model::scenario_file::read_scenario;
    use parley_model::utility::{constraint_utilities, constraint_utility_of, party_utilities};

    use super::*;

    /// A buyer with an additive utility and a seller valuing outcomes by constraints.
    const MIXED: &str = r#"
[scenario]
id = "mixed"
title = "Mixed"

[[parties]]
id = "buyer"
name = "Buyer"
role = "principal"
consent = "required"

[[parties]]
id = "seller"
name = "Seller"
role = "principal"
consent = "required"
reservation = { value = 0.3, basis = "stated" }

[[issues]]
id = "price"
title = "Price"
category = "other"
options = [{ id = "0" }, { id = "1" }, { id = "2" }]

[[issues]]
id = "days"
title = "Days"
category = "other"
options = [{ id = "0" }, { id = "1" }, { id = "2" }]

[[positions]]
party = "buyer"
issue = "price"
weight = 2
stances = { "0" = 1.0, "1" = 0.5, "2" = 0.0 }

[[positions]]
party = "buyer"
issue = "days"
weight = 1
stances = { "0" = 1.0, "1" = 0.25, "2" = 0.0 }

[[constraint_utilities]]
party = "seller"
max_utility = 10
basis = "stated"

[[constraint_utilities.constraints]]
value = 6
includes = [{ issue = "price", from = "1", to = "2" }]

[[constraint_utilities.constraints]]
value = 5
excludes = [{ issue = "days", from = "0", to = "0" }, { issue = "price", from = "0", to = "1" }]
"#;

    #[test]
    fn a_mixed_scenario_gives_the_frontier_of_every_outcome_enumerated() {
        let loaded = read_scenario(MIXED);
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        let scenario = loaded.scenario.unwrap();
        assert!(has_constraint_utilities(&scenario));
        let options = AnalysisOptions::default();
        let pool = parley_engine::control::build_thread_pool(1).unwrap();
        let refused = crate::analyze(&scenario, &options, &pool, &Control::none());
        assert!(matches!(refused, Err(Error::ConstraintUtilities)));
        let analysis = analyze_constraints(&scenario, &options, &Control::none()).unwrap();
        assert!(analysis.frontier.complete && analysis.cut_short.is_empty());

        // Every outcome's utilities from the model's own functions.
        let buyer = &party_utilities(&scenario, None)[0];
        let seller = constraint_utilities(&scenario)[1].clone().unwrap();
        let contributions = buyer.point_contributions();
        let mut all = Vec::new();
        for price in 0..3 {
            for days in 0..3 {
                let buyer_utility = contributions[0][price] + contributions[1][days];
                all.push([buyer_utility, constraint_utility_of(&seller, &[price, days])]);
            }
        }
        let dominated = |point: &[f64; 2]| {
            all.iter().any(|other| {
                other[0] >= point[0]
                    && other[1] >= point[1]
                    && (other[0] > point[0] || other[1] > point[1])
            })
        };
        let mut expected: Vec<[f64; 2]> =
            all.iter().copied().filter(|point| !dominated(point)).collect();
        expected.sort_by(|a, b| a.partial_cmp(b).unwrap());
        expected.dedup_by(|a, b| (a[0] - b[0]).abs() < 1e-12 && (a[1] - b[1]).abs() < 1e-12);
        let mut found: Vec<[f64; 2]> = analysis
            .frontier
            .points
            .iter()
            .map(|point| [point.utilities[0], point.utilities[1]])
            .collect();
        found.sort_by(|a, b| a.partial_cmp(b).unwrap());
        assert_eq!(found.len(), expected.len(), "{found:?} {expected:?}");
        for (a, b) in found.iter().zip(&expected) {
            assert!(
                (a[0] - b[0]).abs() < 1e-12 && (a[1] - b[1]).abs() < 1e-12,
                "{found:?} {expected:?}"
            );
        }
        assert!(matches!(analysis.zone, ZoneVerdict::Exists(_)));
        assert!(analysis.solutions.is_some());
    }
}
