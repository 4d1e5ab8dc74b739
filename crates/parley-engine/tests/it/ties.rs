//! Frontiers of spaces whose contributions are tenths, so that outcomes tied in exact
//! arithmetic often differ in the last bit of their floating-point sums: the engine must list
//! exactly the outcomes that are non-dominated in exact arithmetic.

use std::collections::BTreeSet;

use parley_engine::control::{Control, build_thread_pool};
use parley_engine::frontier::pareto_frontier;
use parley_engine::space::{PartySpec, Scope, UtilitySpace};
use rand::{RngExt, SeedableRng};

/// Every outcome of a space given as integer tenths, `[party][issue][option]`.
fn outcomes(option_counts: &[usize]) -> Vec<Vec<u16>> {
    let mut res = vec![Vec::new()];
    for &n_options in option_counts {
        res = res
            .into_iter()
            .flat_map(|prefix: Vec<u16>| {
                (0..n_options as u16).map(move |option_idx| {
                    let mut outcome = prefix.clone();
                    outcome.push(option_idx);
                    outcome
                })
            })
            .collect();
    }
    res
}

#[test]
fn frontiers_keep_exact_ties_that_floating_point_sums_split() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let pool = build_thread_pool(1).unwrap();
    for _ in 0..400 {
        let n_parties = rng.random_range(2..=4);
        let option_counts: Vec<usize> =
            (0..rng.random_range(2..=6)).map(|_| rng.random_range(2..=4)).collect();
        let tenths: Vec<Vec<Vec<i64>>> = (0..n_parties)
            .map(|_| {
                option_counts
                    .iter()
                    .map(|&n_options| (0..n_options).map(|_| rng.random_range(0..=3)).collect())
                    .collect()
            })
            .collect();
        let parties = tenths
            .iter()
            .map(|party| PartySpec {
                contributions: party
                    .iter()
                    .map(|issue| issue.iter().map(|&tenth| tenth as f64 / 10.0).collect())
                    .collect(),
                reservation: None,
                constrains_zone: false,
                red_lines: option_counts.iter().map(|&n_options| vec![false; n_options]).collect(),
            })
            .collect();
        let space = UtilitySpace::new(option_counts.clone(), parties).unwrap();
        let exact = |outcome: &[u16]| -> Vec<i64> {
            tenths
                .iter()
                .map(|party| {
                    outcome
                        .iter()
                        .enumerate()
                        .map(|(issue_idx, &option_idx)| party[issue_idx][usize::from(option_idx)])
                        .sum()
                })
                .collect()
        };
        let all = outcomes(&option_counts);
        let expected: BTreeSet<Vec<u16>> = all
            .iter()
            .filter(|candidate| {
                let own = exact(candidate);
                !all.iter().any(|other| {
                    let theirs = exact(other);
                    theirs.iter().zip(&own).all(|(t, o)| t >= o) && theirs != own
                })
            })
            .cloned()
            .collect();
        let frontier =
            pareto_frontier(&space, Scope::Unrestricted, &pool, &Control::none()).unwrap();
        let found: BTreeSet<Vec<u16>> =
            frontier.iter().map(|(outcome, _)| outcome.to_vec()).collect();
        assert_eq!(found, expected, "option counts {option_counts:?}, tenths {tenths:?}");
    }
}
