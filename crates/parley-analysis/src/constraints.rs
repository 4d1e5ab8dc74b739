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
