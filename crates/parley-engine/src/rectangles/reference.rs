//! The exhaustive reference for small hyper-rectangle spaces, and the tests that hold the
//! branch and bound to it.

use rand::{RngExt, SeedableRng};

use super::search::{compare_vectors, weakly_dominates};
use super::{Constraint, ConstraintKind, OptionRange, RectangleParty, RectangleSpace};
use crate::search::{egalitarian_value, nash_value, tie_tolerance, utilitarian_value};

/// What enumerating every outcome says about a space.
pub(super) struct Reference {
    /// The distinct Pareto-optimal utility vectors, sorted.
    pub(super) frontier: Vec<Vec<f64>>,
    /// Each party's lowest utility.
    pub(super) lowest: Vec<f64>,
    /// Whether some outcome meets every reservation.
    pub(super) zone_exists: bool,
    /// The solutions' vectors: Nash, Kalai-Smorodinsky, egalitarian, utilitarian.
    pub(super) solutions: [Vec<Vec<f64>>; 4],
}

fn all_outcomes(space: &RectangleSpace) -> Vec<Vec<u16>> {
    let mut outcomes = vec![Vec::new()];
    for &n_options in space.option_counts() {
        outcomes = outcomes
            .into_iter()
            .flat_map(|prefix| {
                (0..n_options as u16).map(move |option_idx| {
                    let mut outcome = prefix.clone();
                    outcome.push(option_idx);
                    outcome
                })
            })
            .collect();
    }
    outcomes
}

fn non_dominated(mut vectors: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    vectors.sort_by(|first, second| compare_vectors(first, second));
    vectors.dedup();
    vectors
        .iter()
        .filter(|vector| {
            !vectors.iter().any(|other| other != *vector && weakly_dominates(other, vector))
        })
        .cloned()
        .collect()
}

pub(super) fn reference(space: &RectangleSpace) -> Reference {
    let utilities: Vec<Vec<f64>> =
        all_outcomes(space).iter().map(|outcome| space.utilities(outcome)).collect();
    let n_parties = space.n_parties();
    let lowest: Vec<f64> = (0..n_parties)
        .map(|party_idx| utilities.iter().map(|u| u[party_idx]).fold(f64::INFINITY, f64::min))
        .collect();
    let best: Vec<f64> = (0..n_parties)
        .map(|party_idx| utilities.iter().map(|u| u[party_idx]).fold(f64::NEG_INFINITY, f64::max))
        .collect();
    let disagreement: Vec<f64> = space
        .parties()
        .iter()
        .zip(&lowest)
        .map(|(party, &lowest)| match party.reservation {
            Some(reservation) if reservation >= lowest => reservation,
            _ => lowest,
        })
        .collect();
    let in_zone: Vec<Vec<f64>> =
        utilities.iter().filter(|u| space.meets_reservations(u)).cloned().collect();
    let zone_exists = !in_zone.is_empty();
    let zone_frontier = non_dominated(in_zone);
    let best_of = |score: &dyn Fn(&[f64]) -> f64| {
        let top = zone_frontier.iter().map(|u| score(u)).fold(f64::NEG_INFINITY, f64::max);
        zone_frontier
            .iter()
            .filter(|u| score(u) >= top - tie_tolerance(top))
            .cloned()
            .collect::<Vec<_>>()
    };
    let spread = |u: &[f64]| {
        let gains: Vec<f64> = (0..n_parties)
            .filter(|&party_idx| best[party_idx] - disagreement[party_idx] > 0.0)
            .map(|party_idx| {
                (u[party_idx] - disagreement[party_idx])
                    / (best[party_idx] - disagreement[party_idx])
            })
            .collect();
        let max = gains.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let min = gains.iter().copied().fold(f64::INFINITY, f64::min);
        if gains.is_empty() { 0.0 } else { max - min }
    };
    let solutions = [
        best_of(&|u| nash_value(u, &disagreement)),
        best_of(&|u| -spread(u)),
        best_of(&|u| egalitarian_value(u, &disagreement)),
        best_of(&|u| utilitarian_value(u)),
    ];
    Reference { frontier: non_dominated(utilities), lowest, zone_exists, solutions }
}

/// A small random space: 2 or 3 parties, 2 to 6 issues of 2 to 5 options, 1 to 8
/// constraints per party of both kinds (some without bounds), values from a few integers
/// (ties) or tenths, sometimes reservations.
pub(super) fn random_small_space(seed: u64) -> RectangleSpace {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let n_parties = rng.random_range(2..=3usize);
    let n_issues = rng.random_range(2..=6usize);
    let option_counts: Vec<usize> = (0..n_issues).map(|_| rng.random_range(2..=5)).collect();
    let tenths = rng.random_range(0..4) == 0;
    let parties = (0..n_parties)
        .map(|_| {
            let constraints: Vec<Constraint> = (0..rng.random_range(1..=8))
                .map(|_| {
                    let kind = if rng.random_range(0..3) == 0 {
                        ConstraintKind::Excludes
                    } else {
                        ConstraintKind::Includes
                    };
                    let n_bounds =
                        if rng.random_range(0..8) == 0 { 0 } else { rng.random_range(1..=3) };
                    let bounds = (0..n_bounds)
                        .map(|_| {
                            let issue_idx = rng.random_range(0..n_issues);
                            let first = rng.random_range(0..option_counts[issue_idx]);
                            let second = rng.random_range(0..option_counts[issue_idx]);
                            OptionRange {
                                issue_idx,
                                lowest_option_idx: first.min(second),
                                highest_option_idx: first.max(second),
                            }
                        })
                        .collect();
                    let value = if tenths {
                        f64::from(rng.random_range(-3..=12)) / 10.0
                    } else {
                        f64::from(rng.random_range(-2..=6))
                    };
                    Constraint { kind, value, bounds }
                })
                .collect();
            let max_utility = if tenths {
                f64::from(rng.random_range(5..=30)) / 10.0
            } else {
                f64::from(rng.random_range(3..=20))
            };
            let reservation =
                (rng.random_range(0..2) == 0).then(|| f64::from(rng.random_range(-2..=8)) / 10.0);
            RectangleParty { constraints, max_utility, reservation }
        })
        .collect();
    RectangleSpace::new(option_counts, parties).unwrap()
}

/// A space of two independent parts: the issues of two small random spaces with the same
/// number of parties side by side, each party's constraints those of both, its divisor and
/// reservation those of the first; at most 20000 outcomes.
pub(super) fn decomposable_space(seed: u64) -> RectangleSpace {
    let mut seeds = (0..).map(|offset: u64| seed.wrapping_mul(31).wrapping_add(offset));
    loop {
        let first = random_small_space(seeds.next().unwrap_or(seed));
        let second = random_small_space(seeds.next().unwrap_or(seed));
        if first.n_parties() != second.n_parties() || first.n_outcomes() * second.n_outcomes() > 2e4
        {
            continue;
        }
        let shift = first.n_issues();
        let mut option_counts = first.option_counts().to_vec();
        option_counts.extend_from_slice(second.option_counts());
        let parties = first
            .parties()
            .iter()
            .zip(second.parties())
            .map(|(first_party, second_party)| {
                let mut party = first_party.clone();
                party.constraints.extend(second_party.constraints.iter().map(|constraint| {
                    let mut shifted = constraint.clone();
                    for bound in &mut shifted.bounds {
                        bound.issue_idx += shift;
                    }
                    shifted
                }));
                party
            })
            .collect();
        return RectangleSpace::new(option_counts, parties).unwrap();
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::control::{Budget, Control, Limits};
    use crate::rectangles::search::{Method, frontier_by};
    use crate::rectangles::{
        ZoneVerdict, agreement_zone, lowest_utilities, pareto_frontier, solutions,
    };

    fn vectors(points: &[crate::rectangles::RectanglePoint]) -> Vec<Vec<f64>> {
        points.iter().map(|point| point.utilities.clone()).collect()
    }

    fn check_against_reference(space: &RectangleSpace) {
        let expected = reference(space);
        let frontier = pareto_frontier(space, &Control::none()).unwrap();
        assert!(frontier.complete);
        assert!(frontier.missing_bounds.is_empty());
        assert_eq!(vectors(&frontier.points), expected.frontier);
        for point in &frontier.points {
            assert_eq!(space.utilities(&point.outcome), point.utilities);
        }
        if space.n_parties() == 2 {
            let by_dominance = frontier_by(space, Method::Pareto, &Control::none()).unwrap();
            assert_eq!(vectors(&by_dominance.points), expected.frontier, "by dominance");
        }
        assert_eq!(lowest_utilities(space, &Control::none()).unwrap(), expected.lowest);
        let found = solutions(space, &frontier, &Control::none()).unwrap();
        let [nash, kalai_smorodinsky, egalitarian, utilitarian] = expected.solutions;
        assert_eq!(vectors(&found.nash), nash, "nash");
        assert_eq!(vectors(&found.kalai_smorodinsky), kalai_smorodinsky, "kalai-smorodinsky");
        assert_eq!(vectors(&found.egalitarian), egalitarian, "egalitarian");
        assert_eq!(vectors(&found.utilitarian), utilitarian, "utilitarian");
        let zone = agreement_zone(space, &frontier);
        assert_eq!(matches!(zone, ZoneVerdict::Exists(_)), expected.zone_exists);
        assert_eq!(matches!(zone, ZoneVerdict::Empty), !expected.zone_exists);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn the_search_agrees_with_enumeration(seed in any::<u64>()) {
            check_against_reference(&random_small_space(seed));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(60))]

        #[test]
        fn the_search_agrees_with_enumeration_on_independent_parts(seed in any::<u64>()) {
            check_against_reference(&decomposable_space(seed));
        }

    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn a_spent_budget_keeps_true_points_and_bounds_what_is_missing(
            seed in any::<u64>(),
            n_issues in 10usize..=12,
            constraints_per_party in 20usize..=30,
            fraction in 0.0f64..0.9,
        ) {
            let space = crate::rectangles::random_rectangle_space(
                n_issues, 6, constraints_per_party, 2, seed,
            ).unwrap();
            let steps_needed = pareto_frontier(&space, &Control::none()).unwrap().steps;
            let max_steps = (fraction * steps_needed as f64) as u64;
            for method in [Method::Sweep, Method::Pareto] {
                let budget = Budget::new(Limits { max_steps: Some(max_steps), ..Limits::unlimited() });
                let frontier = frontier_by(&space, method, &Control::none().with_budget(&budget)).unwrap();
                check_partial(&space, &frontier);
            }
        }
    }

    fn check_partial(space: &RectangleSpace, frontier: &crate::rectangles::RectangleFrontier) {
        for point in &frontier.points {
            assert_eq!(space.utilities(&point.outcome), point.utilities);
        }
        let expected = match space.n_outcomes() <= 1e6 {
            true => reference(space),
            false => {
                let complete = pareto_frontier(space, &Control::none()).unwrap();
                Reference {
                    frontier: vectors(&complete.points),
                    lowest: Vec::new(),
                    zone_exists: !complete.points.is_empty(),
                    solutions: Default::default(),
                }
            }
        };
        let found = vectors(&frontier.points);
        for vector in &expected.frontier {
            if !found.contains(vector) {
                assert!(!frontier.complete, "complete but {vector:?} is missing");
                assert!(
                    frontier.missing_bounds.iter().any(|bound| weakly_dominates(bound, vector)),
                    "{vector:?} is missing and not bounded by {:?}",
                    frontier.missing_bounds
                );
            }
        }
        if frontier.complete {
            assert_eq!(found, expected.frontier);
        }
        match agreement_zone(space, frontier) {
            ZoneVerdict::Exists(point) => assert!(space.meets_reservations(&point.utilities)),
            ZoneVerdict::Empty => assert!(!expected.zone_exists),
            ZoneVerdict::Unknown => assert!(!frontier.complete),
        }
    }

    #[test]
    fn a_tiny_budget_gives_an_incomplete_frontier() {
        let space = crate::rectangles::random_rectangle_space(12, 6, 30, 2, 3).unwrap();
        let steps_needed = pareto_frontier(&space, &Control::none()).unwrap().steps;
        assert!(steps_needed > 10_000, "{steps_needed}");
        let budget = Budget::new(Limits { max_steps: Some(5000), ..Limits::unlimited() });
        let frontier = pareto_frontier(&space, &Control::none().with_budget(&budget)).unwrap();
        assert!(!frontier.complete);
        assert!(!frontier.points.is_empty());
        assert!(!frontier.missing_bounds.is_empty());
        assert!(frontier.stopped_by.is_some());
        check_partial(&space, &frontier);
    }

    #[test]
    fn cancellation_is_an_error() {
        let space = crate::rectangles::random_rectangle_space(8, 4, 12, 2, 3).unwrap();
        let cancel = std::sync::atomic::AtomicBool::new(true);
        assert_eq!(
            pareto_frontier(&space, &Control::none().with_cancel(&cancel)),
            Err(crate::Error::Cancelled)
        );
    }

    #[test]
    fn generated_spaces_agree_with_enumeration() {
        for seed in 0..4 {
            check_against_reference(
                &crate::rectangles::random_rectangle_space(6, 4, 10, 2, seed).unwrap(),
            );
        }
    }
}
