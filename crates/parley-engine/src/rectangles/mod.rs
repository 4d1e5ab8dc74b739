//! Exact analysis of non-linear "hyper-rectangle" utility spaces, the constraint-based
//! utilities of GENIUS's non-linear spaces (used by ANAC 2014).
//!
//! Each party has a list of [`Constraint`]s. A constraint gives its value when the outcome
//! satisfies it: an [`ConstraintKind::Includes`] constraint when the outcome's option on every
//! one of its bounded issues lies inside the bound, an [`ConstraintKind::Excludes`] constraint
//! when the option on some bounded issue lies outside its bound. A party's utility is
//! `min(1, sum / max_utility)`, the sum of the values of the constraints it satisfies, taken
//! in constraint order from `0.0` ([`RectangleSpace::utilities`], the one evaluation every
//! algorithm reports).
//!
//! - [`pareto_frontier`] finds the exact Pareto frontier by branch and bound over issues; on
//!   a spent budget it returns what it found and what may be missing.
//! - [`solutions`] gives the Nash, Kalai-Smorodinsky, egalitarian and utilitarian packages on
//!   that frontier, and [`agreement_zone`] whether every party can reach its reservation.
//! - [`random_rectangle_space`] draws spaces like the ANAC 2014 files for tests and benches.

mod analysis;
mod local;
#[cfg(test)]
mod reference;
mod search;

use rand::{RngExt, SeedableRng};

pub use analysis::{RectangleSolutions, ZoneVerdict, agreement_zone, lowest_utilities, solutions};
pub use search::{MAX_MISSING_BOUNDS, RectangleFrontier, RectanglePoint, pareto_frontier};

use crate::{Error, Result};

/// When a [`Constraint`] is satisfied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConstraintKind {
    /// Satisfied when the outcome's option lies inside every bound; with no bounds, always.
    Includes,
    /// Satisfied when the outcome's option lies outside some bound; with no bounds, never.
    Excludes,
}

/// A range of options on one issue, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OptionRange {
    /// The issue.
    pub issue_idx: usize,
    /// The lowest option of the range.
    pub lowest_option_idx: usize,
    /// The highest option of the range.
    pub highest_option_idx: usize,
}

impl OptionRange {
    /// Whether `option_idx` lies inside the range.
    pub fn contains(&self, option_idx: usize) -> bool {
        (self.lowest_option_idx..=self.highest_option_idx).contains(&option_idx)
    }
}

/// One hyper-rectangle of a party's utility: a value, earned when the outcome satisfies it.
#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    /// Whether the outcome must lie inside every bound or outside some bound.
    pub kind: ConstraintKind,
    /// What satisfying it adds to the party's sum; finite, and may be negative.
    pub value: f64,
    /// The bounds, in any order; an issue may be bounded more than once.
    pub bounds: Vec<OptionRange>,
}

impl Constraint {
    /// Whether `outcome` satisfies the constraint.
    pub fn is_satisfied(&self, outcome: &[u16]) -> bool {
        let inside = |bound: &OptionRange| bound.contains(usize::from(outcome[bound.issue_idx]));
        match self.kind {
            ConstraintKind::Includes => self.bounds.iter().all(inside),
            ConstraintKind::Excludes => !self.bounds.iter().all(inside),
        }
    }
}

/// One party of a [`RectangleSpace`], as given by the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct RectangleParty {
    /// The constraints, in the order their values are summed.
    pub constraints: Vec<Constraint>,
    /// The divisor of the sum; positive and finite.
    pub max_utility: f64,
    /// The least utility the party accepts, if known. Every party with one constrains the
    /// agreement zone.
    pub reservation: Option<f64>,
}

/// A validated hyper-rectangle utility space: issues with option counts, and parties with
/// constraints. An outcome is one option index per issue.
#[derive(Debug, Clone, PartialEq)]
pub struct RectangleSpace {
    option_counts: Vec<usize>,
    parties: Vec<RectangleParty>,
}

impl RectangleSpace {
    /// Validates the space: at least one issue and one party, every issue with between 1
    /// and 65536 options, every bound on an existing issue with `lowest <= highest` inside its
    /// options, finite values and reservations, and positive finite `max_utility`.
    pub fn new(option_counts: Vec<usize>, parties: Vec<RectangleParty>) -> Result<RectangleSpace> {
        crate::space::check_dimensions(&option_counts, parties.len())?;
        for (party_idx, party) in parties.iter().enumerate() {
            if !(party.max_utility.is_finite() && party.max_utility > 0.0) {
                return Err(Error::BadMaxUtility { party_idx, value: party.max_utility });
            }
            if let Some(value) = party.reservation
                && !value.is_finite()
            {
                return Err(Error::NonFiniteReservation { party_idx, value });
            }
            for (constraint_idx, constraint) in party.constraints.iter().enumerate() {
                if !constraint.value.is_finite() {
                    return Err(Error::NonFiniteConstraintValue {
                        party_idx,
                        constraint_idx,
                        value: constraint.value,
                    });
                }
                for bound in &constraint.bounds {
                    let bad_bound = |reason: &str| Error::BadBound {
                        party_idx,
                        constraint_idx,
                        issue_idx: bound.issue_idx,
                        lowest_option_idx: bound.lowest_option_idx,
                        highest_option_idx: bound.highest_option_idx,
                        reason: reason.to_owned(),
                    };
                    let Some(&n_options) = option_counts.get(bound.issue_idx) else {
                        return Err(bad_bound(&format!(
                            "the space has {} issues",
                            option_counts.len()
                        )));
                    };
                    if bound.lowest_option_idx > bound.highest_option_idx {
                        return Err(bad_bound("its lowest option is above its highest"));
                    }
                    if bound.highest_option_idx >= n_options {
                        return Err(bad_bound(&format!("the issue has {n_options} options")));
                    }
                }
            }
        }
        Ok(RectangleSpace { option_counts, parties })
    }

    /// The number of parties.
    pub fn n_parties(&self) -> usize {
        self.parties.len()
    }

    /// The number of issues.
    pub fn n_issues(&self) -> usize {
        self.option_counts.len()
    }

    /// The number of options of each issue.
    pub fn option_counts(&self) -> &[usize] {
        &self.option_counts
    }

    /// The parties, as validated.
    pub fn parties(&self) -> &[RectangleParty] {
        &self.parties
    }

    /// The number of outcomes, as a float because it easily exceeds `u64`.
    pub fn n_outcomes(&self) -> f64 {
        self.option_counts.iter().map(|&n_options| n_options as f64).product()
    }

    /// One party's utility of `outcome`: `min(1, sum / max_utility)`, with the values of the
    /// satisfied constraints summed in constraint order from `0.0`.
    pub fn utility(&self, party_idx: usize, outcome: &[u16]) -> f64 {
        let party = &self.parties[party_idx];
        let sum = party
            .constraints
            .iter()
            .filter(|constraint| constraint.is_satisfied(outcome))
            .fold(0.0, |sum, constraint| sum + constraint.value);
        (sum / party.max_utility).min(1.0)
    }

    /// Every party's utility of `outcome`: the canonical evaluation, which every algorithm
    /// of this module uses for the utilities it reports.
    pub fn utilities(&self, outcome: &[u16]) -> Vec<f64> {
        (0..self.n_parties()).map(|party_idx| self.utility(party_idx, outcome)).collect()
    }

    /// The issues that no bound of any constraint mentions: their option changes no utility.
    pub fn free_issues(&self) -> Vec<usize> {
        let mut mentioned = vec![false; self.n_issues()];
        for party in &self.parties {
            for constraint in &party.constraints {
                for bound in &constraint.bounds {
                    mentioned[bound.issue_idx] = true;
                }
            }
        }
        (0..self.n_issues()).filter(|&issue_idx| !mentioned[issue_idx]).collect()
    }

    /// Whether `utilities` give every party with a reservation at least that reservation
    /// minus [`crate::space::ZONE_TOLERANCE`], as [`crate::space::UtilitySpace::is_in_zone`]
    /// asks.
    pub fn meets_reservations(&self, utilities: &[f64]) -> bool {
        self.parties.iter().zip(utilities).all(|(party, &utility)| match party.reservation {
            Some(reservation) => utility >= reservation - crate::space::ZONE_TOLERANCE,
            None => true,
        })
    }
}

/// A reproducible random space in the style of the ANAC 2014 non-linear files, for tests and
/// benchmarks.
///
/// Every issue has `n_options` options; every party gets `constraints_per_party`
/// [`ConstraintKind::Includes`] constraints, each with 1 to 4 bounds on distinct random
/// issues with random ranges, and an integer value in `1..=100`; its `max_utility` is 70% of
/// the sum of its values, rounded (at least 1), as in the files; no reservation. The files
/// have 20, 60 and 80 constraints per party for 10, 30 and 50 issues. The stream comes
/// from `ChaCha8Rng::seed_from_u64(seed)`, so it is the same on every platform.
pub fn random_rectangle_space(
    n_issues: usize,
    n_options: usize,
    constraints_per_party: usize,
    n_parties: usize,
    seed: u64,
) -> Result<RectangleSpace> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut parties = Vec::with_capacity(n_parties);
    for _ in 0..n_parties {
        let mut constraints = Vec::with_capacity(constraints_per_party);
        for _ in 0..constraints_per_party {
            let n_bounds = rng.random_range(1..=4usize).min(n_issues);
            let mut issues: Vec<usize> = Vec::with_capacity(n_bounds);
            while issues.len() < n_bounds {
                let issue_idx = rng.random_range(0..n_issues.max(1));
                if !issues.contains(&issue_idx) {
                    issues.push(issue_idx);
                }
            }
            issues.sort_unstable();
            let bounds = issues
                .into_iter()
                .map(|issue_idx| {
                    let first = rng.random_range(0..n_options.max(1));
                    let second = rng.random_range(0..n_options.max(1));
                    OptionRange {
                        issue_idx,
                        lowest_option_idx: first.min(second),
                        highest_option_idx: first.max(second),
                    }
                })
                .collect();
            let value = f64::from(rng.random_range(1..=100u32));
            constraints.push(Constraint { kind: ConstraintKind::Includes, value, bounds });
        }
        let value_sum: f64 = constraints.iter().map(|constraint| constraint.value).sum();
        parties.push(RectangleParty {
            constraints,
            max_utility: (0.7 * value_sum).round().max(1.0),
            reservation: None,
        });
    }
    RectangleSpace::new(vec![n_options; n_issues], parties)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(issue_idx: usize, lowest_option_idx: usize, highest_option_idx: usize) -> OptionRange {
        OptionRange { issue_idx, lowest_option_idx, highest_option_idx }
    }

    fn one_party(constraints: Vec<Constraint>) -> RectangleSpace {
        RectangleSpace::new(
            vec![3, 3],
            vec![RectangleParty { constraints, max_utility: 10.0, reservation: None }],
        )
        .unwrap()
    }

    #[test]
    fn includes_needs_every_bound_and_excludes_needs_one_bound_missed() {
        let bounds = vec![range(0, 1, 2), range(1, 0, 0)];
        let space = one_party(vec![
            Constraint { kind: ConstraintKind::Includes, value: 4.0, bounds: bounds.clone() },
            Constraint { kind: ConstraintKind::Excludes, value: 2.0, bounds },
        ]);
        assert_eq!(space.utilities(&[1, 0]), vec![0.4]);
        assert_eq!(space.utilities(&[2, 0]), vec![0.4]);
        assert_eq!(space.utilities(&[0, 0]), vec![0.2]);
        assert_eq!(space.utilities(&[1, 1]), vec![0.2]);
        assert_eq!(space.utilities(&[0, 2]), vec![0.2]);
    }

    #[test]
    fn without_bounds_includes_always_holds_and_excludes_never() {
        let space = one_party(vec![
            Constraint { kind: ConstraintKind::Includes, value: 3.0, bounds: vec![] },
            Constraint { kind: ConstraintKind::Excludes, value: 5.0, bounds: vec![] },
        ]);
        for outcome in [[0, 0], [2, 1]] {
            assert_eq!(space.utilities(&outcome), vec![0.3]);
        }
        assert_eq!(space.free_issues(), vec![0, 1]);
    }

    #[test]
    fn utility_is_capped_at_one_and_may_be_negative() {
        let space = one_party(vec![
            Constraint {
                kind: ConstraintKind::Includes,
                value: 30.0,
                bounds: vec![range(0, 0, 0)],
            },
            Constraint {
                kind: ConstraintKind::Includes,
                value: -5.0,
                bounds: vec![range(1, 1, 1)],
            },
        ]);
        assert_eq!(space.utilities(&[0, 0]), vec![1.0]);
        assert_eq!(space.utilities(&[1, 1]), vec![-0.5]);
        assert_eq!(space.free_issues(), Vec::<usize>::new());
    }

    #[test]
    fn bad_input_is_refused_with_a_clear_message() {
        let party = |bounds, value, max_utility| RectangleParty {
            constraints: vec![Constraint { kind: ConstraintKind::Includes, value, bounds }],
            max_utility,
            reservation: None,
        };
        let err = |party| RectangleSpace::new(vec![3, 3], vec![party]).unwrap_err().to_string();
        assert_eq!(
            err(party(vec![range(2, 0, 0)], 1.0, 1.0)),
            "bound of constraint 0 of party 0 on issue 2, options '0..=0', is invalid: the space has 2 issues"
        );
        assert_eq!(
            err(party(vec![range(1, 2, 1)], 1.0, 1.0)),
            "bound of constraint 0 of party 0 on issue 1, options '2..=1', is invalid: its lowest option is above its highest"
        );
        assert_eq!(
            err(party(vec![range(1, 0, 3)], 1.0, 1.0)),
            "bound of constraint 0 of party 0 on issue 1, options '0..=3', is invalid: the issue has 3 options"
        );
        assert_eq!(
            err(party(vec![], f64::NAN, 1.0)),
            "value of constraint 0 of party 0 is not finite: 'NaN'"
        );
        assert_eq!(
            err(party(vec![], 1.0, 0.0)),
            "max utility of party 0 must be positive and finite, got '0'"
        );
        assert_eq!(RectangleSpace::new(vec![3], vec![]), Err(Error::NoParties));
        assert_eq!(
            RectangleSpace::new(vec![], vec![party(vec![], 1.0, 1.0)]),
            Err(Error::NoIssues)
        );
    }

    #[test]
    fn the_generator_is_reproducible_and_shaped_like_the_files() {
        let space = random_rectangle_space(10, 10, 20, 2, 7).unwrap();
        assert_eq!(space, random_rectangle_space(10, 10, 20, 2, 7).unwrap());
        assert_eq!(space.n_outcomes(), 1e10);
        for party in space.parties() {
            assert_eq!(party.constraints.len(), 20);
            assert!(
                party
                    .constraints
                    .iter()
                    .all(|constraint| (1..=5).contains(&constraint.bounds.len())
                        && (1.0..=100.0).contains(&constraint.value))
            );
        }
    }
}
