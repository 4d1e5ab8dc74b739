//! From the record to numbers: each negotiating party's weights and option values, as
//! intervals (from ordinal stances and importances, through the scenario's scale) and as
//! point estimates (the middle of each interval), with the red lines that bind.
//!
//! A party's utility of an outcome is the weighted sum of its option values, with weights
//! that sum to 1 and values in [0, 1]. Raw weight intervals come from importances (or exact
//! weights); normalised weight intervals follow from them, and the point estimate normalises
//! the middles of the raw intervals.
//!
//! A party with a constraint utility ([`crate::scenario::ConstraintUtility`]) has no such
//! weights and values: [`constraint_utilities`] compiles its constraints to indices and
//! [`constraint_utility_of`] evaluates an outcome against them.

use crate::scale::Interval;
use crate::scenario::ConstraintKind;
use crate::stance::{Importance, Stance};
use crate::validate::ValidScenario;
use crate::{Basis, Date, Id};

/// Where a party's number for an issue or option comes from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Provenance {
    /// An exact number recorded in the scenario.
    Exact,
    /// An ordinal level mapped through the scale.
    Scale,
    /// Nothing is recorded: the scale's interval for unknowns.
    Unknown,
}

/// One negotiating party's numbers.
#[derive(Clone, PartialEq, Debug)]
pub struct PartyUtilities {
    /// The party's index in the scenario.
    pub party_idx: usize,
    /// The party's id.
    pub party: Id,
    /// The raw weight interval of each issue.
    pub raw_weights: Vec<Interval>,
    /// Where each issue's weight comes from.
    pub weight_provenance: Vec<Provenance>,
    /// The value interval of each option of each issue, `[issue][option]`.
    pub values: Vec<Vec<Interval>>,
    /// Where each option's value comes from, `[issue][option]`.
    pub value_provenance: Vec<Vec<Provenance>>,
    /// Options the party's red lines exclude from any deal, on the issues its consent is
    /// needed on, `[issue][option]`.
    pub red_lines: Vec<Vec<bool>>,
    /// What no deal is worth to the party.
    pub reservation: Option<f64>,
    /// Where each issue's number comes from in the record: the current position's index in
    /// the scenario's positions, its stances' basis (`confidence`) and its importance's
    /// basis; `None` where the party has no position on the issue.
    pub sources: Vec<Option<PositionSource>>,
    /// The basis of the reservation value, when there is one.
    pub reservation_basis: Option<Basis>,
    /// The basis of the party's consent scope.
    pub consent_basis: Basis,
}

/// The position a party's numbers on an issue come from, and their bases.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PositionSource {
    /// The position's index in the scenario's positions.
    pub position_idx: usize,
    /// The basis of its stances.
    pub stances: Basis,
    /// The basis of its importance, when it gives one.
    pub importance: Option<Basis>,
}

impl PartyUtilities {
    /// The point estimate of each issue's weight: the middles of the raw intervals,
    /// normalised to sum to 1.
    pub fn point_weights(&self) -> Vec<f64> {
        normalise(&self.raw_weights.iter().map(|interval| interval.middle()).collect::<Vec<f64>>())
    }

    /// The interval each normalised weight can take as the raw weights range over their
    /// intervals.
    pub fn weight_intervals(&self) -> Vec<Interval> {
        let sum_low: f64 = self.raw_weights.iter().map(|interval| interval.low).sum();
        let sum_high: f64 = self.raw_weights.iter().map(|interval| interval.high).sum();
        self.raw_weights
            .iter()
            .map(|interval| {
                let others_low = sum_low - interval.low;
                let others_high = sum_high - interval.high;
                // With weights of 0 (an issue the party does not care about) a sum can be 0.
                let share = |weight: f64, others: f64| {
                    if weight + others > 0.0 { weight / (weight + others) } else { 0.0 }
                };
                Interval::new(share(interval.low, others_high), share(interval.high, others_low))
            })
            .collect()
    }

    /// The point estimate of each option's value: the middle of its interval.
    pub fn point_values(&self) -> Vec<Vec<f64>> {
        self.values
            .iter()
            .map(|options| options.iter().map(|interval| interval.middle()).collect())
            .collect()
    }

    /// The point estimate of each option's weighted contribution to utility,
    /// `[issue][option]`: the utility of an outcome is the sum of its options' contributions.
    pub fn point_contributions(&self) -> Vec<Vec<f64>> {
        let weights = self.point_weights();
        self.point_values()
            .into_iter()
            .zip(weights)
            .map(|(values, weight)| values.into_iter().map(|value| weight * value).collect())
            .collect()
    }

    /// Whether every number is exact: no ordinal level and nothing unknown.
    pub fn is_exact(&self) -> bool {
        self.weight_provenance.iter().all(|provenance| *provenance == Provenance::Exact)
            && self
                .value_provenance
                .iter()
                .flatten()
                .all(|provenance| *provenance == Provenance::Exact)
    }
}

/// Divides numbers by their sum; all stay 0 when they sum to 0.
fn normalise(numbers: &[f64]) -> Vec<f64> {
    let sum: f64 = numbers.iter().sum();
    if sum > 0.0 { numbers.iter().map(|number| number / sum).collect() } else { numbers.to_vec() }
}

/// The parties whose utilities the analysis compares: those whose consent a deal needs on
/// some issue, or every party when no party's consent is needed.
pub fn negotiating_parties(scenario: &ValidScenario) -> Vec<usize> {
    let parties = &scenario.scenario().parties;
    let consenting: Vec<usize> = (0..parties.len())
        .filter(|&party_idx| parties[party_idx].consent.is_required_anywhere())
        .collect();
    if consenting.is_empty() { (0..parties.len()).collect() } else { consenting }
}

/// Every negotiating party's numbers, from each party's latest positions as of a date (all
/// positions when `None`).
pub fn party_utilities(scenario: &ValidScenario, as_of: Option<Date>) -> Vec<PartyUtilities> {
    let record = scenario.scenario();
    let scale = &record.scale;
    let positions = scenario.current_positions(as_of);
    negotiating_parties(scenario)
        .into_iter()
        .map(|party_idx| {
            let party = &record.parties[party_idx];
            let mut utilities = PartyUtilities {
                party_idx,
                party: party.id.clone(),
                raw_weights: Vec::new(),
                weight_provenance: Vec::new(),
                values: Vec::new(),
                value_provenance: Vec::new(),
                red_lines: Vec::new(),
                reservation: party.reservation.as_ref().map(|reservation| reservation.value),
                sources: Vec::new(),
                reservation_basis: party.reservation.as_ref().map(|reservation| reservation.basis),
                consent_basis: party.consent_basis,
            };
            for (issue_idx, issue) in record.issues.iter().enumerate() {
                let position = positions[party_idx][issue_idx];
                utilities.sources.push(position.map(|position| {
                    PositionSource {
                        position_idx: record
                            .positions
                            .iter()
                            .position(|candidate| std::ptr::eq(candidate, position))
                            .expect("a current position is one of the scenario's"),
                        stances: position.confidence,
                        importance: position.importance.map(|_| position.importance_basis),
                    }
                }));
                let (raw_weight, weight_provenance) = match position
                    .and_then(|position| position.importance)
                {
                    Some(Importance::Weight(weight)) => {
                        (Interval::new(weight, weight), Provenance::Exact)
                    }
                    Some(Importance::Level(level)) => (scale.importance(level), Provenance::Scale),
                    None => (scale.unknown_importance, Provenance::Unknown),
                };
                utilities.raw_weights.push(raw_weight);
                utilities.weight_provenance.push(weight_provenance);
                let consent_needed = party.consent.is_required_on(&issue.id);
                let mut values = Vec::new();
                let mut provenance = Vec::new();
                let mut red_lines = Vec::new();
                for option in &issue.options {
                    let stance = position.and_then(|position| position.stance_on(&option.id));
                    let (value, source) = match stance {
                        Some(Stance::Value(value)) => {
                            (Interval::new(value, value), Provenance::Exact)
                        }
                        Some(Stance::Level(level)) => (scale.stance(level), Provenance::Scale),
                        None => (scale.unknown_stance, Provenance::Unknown),
                    };
                    values.push(value);
                    provenance.push(source);
                    red_lines.push(consent_needed && stance.is_some_and(Stance::is_red_line));
                }
                utilities.values.push(values);
                utilities.value_provenance.push(provenance);
                utilities.red_lines.push(red_lines);
            }
            utilities
        })
        .collect()
}

/// One bound of a compiled constraint: `(issue_idx, from_option_idx, to_option_idx)`, the
/// issue's index in the scenario and the first and last option of the range, by index in the
/// issue's options (`from_option_idx <= to_option_idx`).
pub type CompiledBound = (usize, usize, usize);

/// One compiled constraint: `(value, kind, bounds)`.
pub type CompiledConstraint = (f64, ConstraintKind, Vec<CompiledBound>);

/// A party's constraint utility with its issues and options as indices.
#[derive(Clone, PartialEq, Debug)]
pub struct CompiledConstraints {
    /// The sum of satisfied values that gives utility 1.
    pub max_utility: f64,
    /// The constraints, in the record's order.
    pub constraints: Vec<CompiledConstraint>,
}

/// Each negotiating party's constraint utility compiled to indices, in the order of
/// [`negotiating_parties`] (the order of [`party_utilities`]); `None` for a party whose
/// utility is additive.
pub fn constraint_utilities(scenario: &ValidScenario) -> Vec<Option<CompiledConstraints>> {
    let record = scenario.scenario();
    negotiating_parties(scenario)
        .into_iter()
        .map(|party_idx| {
            let party = &record.parties[party_idx].id;
            let utility =
                record.constraint_utilities.iter().find(|utility| &utility.party == party)?;
            let constraints = utility
                .constraints
                .iter()
                .map(|constraint| {
                    let bounds = constraint
                        .bounds
                        .iter()
                        .map(|bound| {
                            let issue_idx = scenario
                                .issue_index(&bound.issue)
                                .expect("validated: issues exist");
                            let issue = &record.issues[issue_idx];
                            let option = |option| {
                                issue.option_index(option).expect("validated: options exist")
                            };
                            (issue_idx, option(&bound.from), option(&bound.to))
                        })
                        .collect();
                    (constraint.value, constraint.kind, bounds)
                })
                .collect();
            Some(CompiledConstraints { max_utility: utility.max_utility, constraints })
        })
        .collect()
}

/// The utility of an outcome (one option index per issue) under a compiled constraint
/// utility: the values of the satisfied constraints summed in order from 0, divided by
/// `max_utility`, and at most 1. An `includes` constraint is satisfied when the outcome's
/// option on every bound's issue lies within the bound (always, with no bounds); an
/// `excludes` constraint when it lies outside the bound on some bound's issue (never, with no
/// bounds).
pub fn constraint_utility_of(compiled: &CompiledConstraints, outcome: &[usize]) -> f64 {
    let within = |&(issue_idx, from, to): &CompiledBound| (from..=to).contains(&outcome[issue_idx]);
    let mut sum = 0.0;
    for (value, kind, bounds) in &compiled.constraints {
        let satisfied = match kind {
            ConstraintKind::Includes => bounds.iter().all(within),
            ConstraintKind::Excludes => !bounds.iter().all(within),
        };
        if satisfied {
            sum += value;
        }
    }
    (sum / compiled.max_utility).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin::TALKS_2025_TOML;
    use crate::scenario_file::read_scenario;

    fn talks() -> ValidScenario {
        read_scenario(TALKS_2025_TOML).scenario.unwrap()
    }

    #[test]
    fn the_negotiating_parties_are_those_whose_consent_is_needed() {
        let scenario = talks();
        let ids: Vec<&str> = negotiating_parties(&scenario)
            .into_iter()
            .map(|party_idx| scenario.scenario().parties[party_idx].id.as_str())
            .collect();
        assert_eq!(ids, ["russia", "ukraine", "europe"]);
    }

    #[test]
    fn point_weights_normalise_the_middles_of_the_raw_intervals() {
        let scenario = talks();
        let russia = &party_utilities(&scenario, None)[0];
        // donbas critical [8, 16], nato high [4, 8], europe-seat medium [2, 4], borders high [4, 8],
        // security-guarantees and financing unrecorded: [2, 8], between medium and high.
        let middles = [12.0, 6.0, 5.0, 5.0, 3.0, 6.0];
        let sum: f64 = middles.iter().sum();
        let expected: Vec<f64> = middles.iter().map(|middle| middle / sum).collect();
        assert_eq!(russia.point_weights(), expected);
        assert!((russia.point_weights().iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn an_unrecorded_importance_weighs_less_than_a_recorded_high_one() {
        // Russia records donbas as critical and nato as high, and nothing on
        // security-guarantees: that issue must not outweigh the ones whose importance is known
        // to be high, nor weigh less than one known to be medium.
        let scenario = talks();
        let russia = &party_utilities(&scenario, None)[0];
        let weights = russia.point_weights();
        let (nato, security, europe_seat) = (weights[1], weights[2], weights[4]);
        assert!(security < nato, "{weights:?}");
        assert!(security > europe_seat, "{weights:?}");
    }

    #[test]
    fn weight_intervals_contain_the_point_estimate() {
        let scenario = talks();
        for party in party_utilities(&scenario, None) {
            for (interval, point) in party.weight_intervals().into_iter().zip(party.point_weights())
            {
                assert!(interval.low <= point && point <= interval.high, "{interval:?} {point}");
            }
        }
    }

    #[test]
    fn red_lines_bind_only_where_consent_is_needed() {
        let scenario = talks();
        let utilities = party_utilities(&scenario, None);
        let (russia, ukraine, europe) = (&utilities[0], &utilities[1], &utilities[2]);
        assert_eq!(russia.red_lines[0], [false, false, true]);
        assert_eq!(ukraine.red_lines[1], [true, false]);
        // Europe red-lines "no guarantees", an issue its consent is needed on.
        assert_eq!(europe.red_lines[2], [true, false, false]);
        // The report gives no European stance on Donbas.
        assert_eq!(europe.value_provenance[0], [Provenance::Unknown; 3]);
        assert_eq!(europe.value_provenance[2], [Provenance::Scale; 3]);
        assert!(!russia.is_exact());
    }

    /// Three principals over two issues: `a`'s utility is additive, `b`'s and `c`'s by
    /// constraints (`c`'s listed first in the file); an observer with none.
    const CONSTRAINED: &str = r#"
[scenario]
id = "constrained"
title = "Constrained"

[[parties]]
id = "a"
name = "A"
role = "principal"

[[parties]]
id = "watcher"
name = "Watcher"
role = "observer"

[[parties]]
id = "b"
name = "B"
role = "principal"

[[parties]]
id = "c"
name = "C"
role = "principal"

[[issues]]
id = "price"
title = "Price"
category = "other"
options = [{ id = "0" }, { id = "1" }, { id = "2" }, { id = "3" }, { id = "4" }]

[[issues]]
id = "colour"
title = "Colour"
category = "other"
options = [{ id = "red" }, { id = "green" }, { id = "blue" }]

[[positions]]
party = "a"
issue = "price"
stances = { "0" = "preferred" }

[[constraint_utilities]]
party = "c"
max_utility = 2
constraints = [{ value = 2, includes = [] }]

[[constraint_utilities]]
party = "b"
max_utility = 10
constraints = [
  { value = 4, includes = [{ issue = "colour", from = "green", to = "blue" }, { issue = "price", from = "1", to = "3" }] },
  { value = 3, excludes = [{ issue = "price", from = "0", to = "0" }] },
]
"#;

    #[test]
    fn constraint_utilities_are_compiled_to_indices_in_the_order_of_the_negotiating_parties() {
        let scenario = read_scenario(CONSTRAINED).scenario.unwrap();
        let compiled = constraint_utilities(&scenario);
        assert_eq!(negotiating_parties(&scenario), [0, 2, 3]);
        assert_eq!(party_utilities(&scenario, None).len(), compiled.len());
        assert_eq!(compiled[0], None);
        assert_eq!(
            compiled[1],
            Some(CompiledConstraints {
                max_utility: 10.0,
                constraints: vec![
                    (4.0, ConstraintKind::Includes, vec![(1, 1, 2), (0, 1, 3)]),
                    (3.0, ConstraintKind::Excludes, vec![(0, 0, 0)]),
                ],
            })
        );
        assert_eq!(
            compiled[2],
            Some(CompiledConstraints {
                max_utility: 2.0,
                constraints: vec![(2.0, ConstraintKind::Includes, vec![])],
            })
        );
        let b = compiled[1].as_ref().unwrap();
        // price 2, blue: both constraints hold.
        assert_eq!(constraint_utility_of(b, &[2, 2]), 0.7);
        // price 0, blue: the first fails on price, the second on its range.
        assert_eq!(constraint_utility_of(b, &[0, 2]), 0.0);
        // price 4, red: only the second.
        assert_eq!(constraint_utility_of(b, &[4, 0]), 0.3);
    }

    fn compiled(max_utility: f64, constraints: Vec<CompiledConstraint>) -> CompiledConstraints {
        CompiledConstraints { max_utility, constraints }
    }

    #[test]
    fn an_includes_constraint_holds_when_every_bound_holds_and_always_without_bounds() {
        let both = compiled(8.0, vec![(8.0, ConstraintKind::Includes, vec![(0, 3, 7), (1, 0, 0)])]);
        assert_eq!(constraint_utility_of(&both, &[3, 0]), 1.0);
        assert_eq!(constraint_utility_of(&both, &[7, 0]), 1.0);
        assert_eq!(constraint_utility_of(&both, &[8, 0]), 0.0);
        assert_eq!(constraint_utility_of(&both, &[5, 1]), 0.0);
        let empty = compiled(4.0, vec![(1.0, ConstraintKind::Includes, vec![])]);
        assert_eq!(constraint_utility_of(&empty, &[0, 0]), 0.25);
        assert_eq!(constraint_utility_of(&empty, &[]), 0.25);
    }

    #[test]
    fn an_excludes_constraint_holds_when_some_bound_fails_and_never_without_bounds() {
        let either =
            compiled(2.0, vec![(1.0, ConstraintKind::Excludes, vec![(0, 3, 7), (1, 0, 0)])]);
        assert_eq!(constraint_utility_of(&either, &[5, 0]), 0.0);
        assert_eq!(constraint_utility_of(&either, &[2, 0]), 0.5);
        assert_eq!(constraint_utility_of(&either, &[5, 1]), 0.5);
        assert_eq!(constraint_utility_of(&either, &[9, 2]), 0.5);
        let empty = compiled(1.0, vec![(1.0, ConstraintKind::Excludes, vec![])]);
        assert_eq!(constraint_utility_of(&empty, &[0]), 0.0);
    }

    #[test]
    fn the_sum_of_satisfied_values_is_capped_at_one_and_may_be_lowered_by_negative_values() {
        let over = compiled(
            5.0,
            vec![
                (4.0, ConstraintKind::Includes, vec![]),
                (3.0, ConstraintKind::Includes, vec![(0, 0, 1)]),
                (-2.0, ConstraintKind::Includes, vec![(0, 1, 1)]),
            ],
        );
        assert_eq!(constraint_utility_of(&over, &[0]), 1.0);
        assert_eq!(constraint_utility_of(&over, &[1]), 1.0);
        assert_eq!(constraint_utility_of(&over, &[2]), 0.8);
        let below = compiled(5.0, vec![(-1.0, ConstraintKind::Includes, vec![])]);
        assert_eq!(constraint_utility_of(&below, &[0]), -0.2);
        assert_eq!(constraint_utility_of(&compiled(3.0, vec![]), &[0]), 0.0);
    }
}
