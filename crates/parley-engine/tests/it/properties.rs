//! Properties: on small random spaces, every engine function equals the plain reference.

use parley_engine::blocking::blocking;
use parley_engine::brute_force::brute_force;
use parley_engine::control::{Control, build_thread_pool};
use parley_engine::frontier::{pareto_frontier, zone_frontier_from_unrestricted};
use parley_engine::solutions::{egalitarian, kalai_smorodinsky, nash, solutions, utilitarian};
use parley_engine::space::{PartySpec, Scope, random_space};
use parley_engine::zone::{ZoneSize, zone_exists, zone_size};
use proptest::prelude::*;

use crate::helpers::{
    Reference, Scored, best_by, egalitarian_score, frontier, kalai_smorodinsky_score, nash_score,
    to_scored, utilitarian_score,
};

/// Small spaces with values on a grid of quarters, so that ties are common and exact.
fn reference_strategy() -> impl Strategy<Value = Reference> {
    spaces(1..=4, 1..=4, 1..=5)
}

/// Spaces of `n_parties` parties and `n_issues` issues of `n_options` options each, with
/// values on a grid of quarters.
fn spaces(
    n_parties: std::ops::RangeInclusive<usize>,
    n_options: std::ops::RangeInclusive<usize>,
    n_issues: std::ops::RangeInclusive<usize>,
) -> impl Strategy<Value = Reference> {
    (n_parties, prop::collection::vec(n_options, n_issues)).prop_flat_map(
        |(n_parties, option_counts)| {
            let party = party_strategy(option_counts.clone());
            (Just(option_counts), prop::collection::vec(party, n_parties))
                .prop_map(|(option_counts, parties)| Reference { option_counts, parties })
        },
    )
}

fn party_strategy(option_counts: Vec<usize>) -> impl Strategy<Value = PartySpec> {
    let n_issues = option_counts.len();
    let contributions = option_counts
        .iter()
        .map(|&n_options| {
            prop::collection::vec(
                (-1i32..=4).prop_map(|quarters| f64::from(quarters) * 0.25),
                n_options,
            )
        })
        .collect::<Vec<_>>();
    let red_lines = option_counts
        .iter()
        .map(|&n_options| prop::collection::vec(prop::bool::weighted(0.15), n_options))
        .collect::<Vec<_>>();
    let max_quarters = 4 * n_issues as i32;
    let reservation = prop::option::weighted(
        0.7,
        (-2..=max_quarters).prop_map(|quarters| f64::from(quarters) * 0.25),
    );
    (contributions, red_lines, reservation, prop::bool::weighted(0.8)).prop_map(
        |(contributions, red_lines, reservation, constrains_zone)| PartySpec {
            contributions,
            reservation,
            constrains_zone,
            red_lines,
        },
    )
}

fn sorted(mut points: Vec<Scored>) -> Vec<Scored> {
    points.sort_by(|left, right| left.0.cmp(&right.0));
    points
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, rng_seed: prop::test_runner::RngSeed::Fixed(20_240_601), ..ProptestConfig::default() })]

    #[test]
    fn frontiers_match_reference(reference in reference_strategy()) {
        frontiers_match(&reference)?;
    }

    #[test]
    fn solutions_match_reference(reference in reference_strategy()) {
        let space = reference.space();
        let pool = build_thread_pool(2).unwrap();
        let control = Control::none();
        let zone_frontier = frontier(&reference.zone());
        let disagreement = reference.disagreement();
        let best = reference.best();
        let expected_nash = sorted(best_by(&zone_frontier, nash_score(&disagreement)));
        let expected_kalai = sorted(best_by(&zone_frontier, kalai_smorodinsky_score(&disagreement, &best)));
        let expected_egalitarian = sorted(best_by(&zone_frontier, egalitarian_score(&disagreement)));
        let expected_utilitarian = sorted(best_by(&zone_frontier, utilitarian_score));
        prop_assert_eq!(to_scored(&nash(&space, &pool, &control).unwrap()), expected_nash.clone());
        prop_assert_eq!(to_scored(&kalai_smorodinsky(&space, &pool, &control).unwrap()), expected_kalai.clone());
        prop_assert_eq!(to_scored(&egalitarian(&space, &control).unwrap()), expected_egalitarian.clone());
        prop_assert_eq!(to_scored(&utilitarian(&space, &control).unwrap()), expected_utilitarian.clone());
        let all = solutions(&space, &pool, &control).unwrap();
        prop_assert_eq!(to_scored(&all.nash), expected_nash);
        prop_assert_eq!(to_scored(&all.kalai_smorodinsky), expected_kalai);
        prop_assert_eq!(to_scored(&all.egalitarian), expected_egalitarian);
        prop_assert_eq!(to_scored(&all.utilitarian), expected_utilitarian);
    }

    #[test]
    fn zone_matches_reference(reference in reference_strategy()) {
        let space = reference.space();
        let pool = build_thread_pool(1).unwrap();
        let control = Control::none();
        let zone = reference.zone();
        prop_assert_eq!(zone_exists(&space, &control).unwrap(), !zone.is_empty());
        prop_assert_eq!(zone_size(&space, 1e8, &pool, &control).unwrap(), ZoneSize::Counted(zone.len() as u64));
    }

    #[test]
    fn blocking_matches_reference(reference in reference_strategy()) {
        let space = reference.space();
        let control = Control::none();
        let max_concessions = 2;
        let concessions = reference.concessions();
        let mut subsets_by_size: Vec<Vec<Vec<_>>> = vec![vec![vec![]], Vec::new(), Vec::new()];
        for (first_idx, &first) in concessions.iter().enumerate() {
            subsets_by_size[1].push(vec![first]);
            for &second in &concessions[first_idx + 1..] {
                subsets_by_size[2].push(vec![first, second]);
            }
        }
        let mut expected = Vec::new();
        for subsets in subsets_by_size.iter().take(max_concessions + 1) {
            expected.extend(subsets.iter().filter(|set| reference.opens_zone(set)).cloned());
            if !expected.is_empty() {
                break;
            }
        }
        let found = blocking(&space, max_concessions, &control).unwrap();
        prop_assert_eq!(found.minimal_concession_sets, expected);
        for conflict in &found.issue_conflicts {
            prop_assert!(!conflict.party_idxs.is_empty());
        }
    }
}

#[test]
fn random_spaces_agree_with_brute_force_exactly() {
    let control = Control::none();
    let pool = build_thread_pool(2).unwrap();
    for (seed, n_parties, n_issues, n_options) in
        [(1, 2, 6, 4), (2, 3, 5, 4), (3, 4, 4, 3), (4, 5, 4, 3), (5, 3, 7, 3)]
    {
        let space = random_space(seed, n_parties, n_issues, n_options).unwrap();
        let reference = brute_force(&space, Scope::Zone, &pool, &control).unwrap();
        let dynamic = pareto_frontier(&space, Scope::Zone, &pool, &control).unwrap();
        assert_eq!(dynamic, reference.frontier, "seed {seed}");
        let expected = parley_engine::solutions::solutions_on_frontier(&space, &reference.frontier);
        assert_eq!(nash(&space, &pool, &control).unwrap(), expected.nash, "seed {seed}");
        assert_eq!(egalitarian(&space, &control).unwrap(), expected.egalitarian, "seed {seed}");
        assert_eq!(utilitarian(&space, &control).unwrap(), expected.utilitarian, "seed {seed}");
        assert_eq!(
            kalai_smorodinsky(&space, &pool, &control).unwrap(),
            expected.kalai_smorodinsky,
            "seed {seed}"
        );
    }
}

#[test]
fn results_do_not_depend_on_thread_count() {
    let control = Control::none();
    let one = build_thread_pool(1).unwrap();
    let two = build_thread_pool(2).unwrap();
    let space = random_space(11, 3, 8, 4).unwrap();
    assert_eq!(
        brute_force(&space, Scope::Zone, &one, &control),
        brute_force(&space, Scope::Zone, &two, &control)
    );
    assert_eq!(
        pareto_frontier(&space, Scope::Unrestricted, &one, &control),
        pareto_frontier(&space, Scope::Unrestricted, &two, &control)
    );
    let space = random_space(12, 2, 4, 20).unwrap();
    assert_eq!(solutions(&space, &one, &control), solutions(&space, &two, &control));
}

#[test]
fn cancelled_computations_stop() {
    let cancel = std::sync::atomic::AtomicBool::new(true);
    let control = Control::none().with_cancel(&cancel);
    let pool = build_thread_pool(1).unwrap();
    let space = random_space(3, 2, 6, 3).unwrap();
    assert_eq!(
        pareto_frontier(&space, Scope::Zone, &pool, &control),
        Err(parley_engine::Error::Cancelled)
    );
    assert_eq!(
        brute_force(&space, Scope::Zone, &pool, &control).map(|_| ()),
        Err(parley_engine::Error::Cancelled)
    );
}

/// Both frontiers, by layers and by brute force, against the plain reference.
fn frontiers_match(reference: &Reference) -> Result<(), TestCaseError> {
    let space = reference.space();
    let pool = build_thread_pool(2).unwrap();
    let control = Control::none();
    let zone_frontier = frontier(&reference.zone());
    let all_frontier = frontier(&reference.everything());
    prop_assert_eq!(
        to_scored(&pareto_frontier(&space, Scope::Zone, &pool, &control).unwrap()),
        zone_frontier.clone()
    );
    prop_assert_eq!(
        to_scored(&pareto_frontier(&space, Scope::Unrestricted, &pool, &control).unwrap()),
        all_frontier.clone()
    );
    // The zone's frontier read off the unrestricted one: refused across red lines, and
    // equal to the zone's own frontier once the red lines are gone.
    let unrestricted = pareto_frontier(&space, Scope::Unrestricted, &pool, &control).unwrap();
    let any_red_line =
        reference.parties.iter().flat_map(|party| party.red_lines.iter().flatten()).any(|&red| red);
    prop_assert_eq!(zone_frontier_from_unrestricted(&space, &unrestricted).is_none(), any_red_line);
    let mut without_red_lines = reference.clone();
    for party in &mut without_red_lines.parties {
        party.red_lines.iter_mut().flatten().for_each(|red| *red = false);
    }
    let open_space = without_red_lines.space();
    let derived =
        zone_frontier_from_unrestricted(&open_space, &unrestricted).expect("no red line is left");
    prop_assert_eq!(derived, pareto_frontier(&open_space, Scope::Zone, &pool, &control).unwrap());
    let zone_brute = brute_force(&space, Scope::Zone, &pool, &control).unwrap();
    prop_assert_eq!(to_scored(&zone_brute.frontier), zone_frontier);
    prop_assert_eq!(zone_brute.n_in_scope, reference.zone().len() as u64);
    let all_brute = brute_force(&space, Scope::Unrestricted, &pool, &control).unwrap();
    prop_assert_eq!(to_scored(&all_brute.frontier), all_frontier);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, rng_seed: prop::test_runner::RngSeed::Fixed(20_261_207), ..ProptestConfig::default() })]

    /// Spaces of four to fourteen parties with a few hundred outcomes, where most outcomes are
    /// on the frontier and the layers' many-party sweep (points grouped by levels) does the work.
    #[test]
    fn many_party_frontiers_match_reference(reference in spaces(4..=14, 2..=6, 2..=5)) {
        frontiers_match(&reference)?;
    }
}
