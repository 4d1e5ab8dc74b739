//! Non-dominated filters over sorted point sets, specialised for 1, 2, 3 and more parties.
//!
//! A point is dominated when another point is at least as good for every party and better
//! for one, comparing utilities rounded to a resolution of 2^-30 (about 1e-9): utilities
//! that are equal in exact arithmetic often differ in the last bit of their floating-point
//! sums, and such a tie must not pass for domination. Points with equal rounded utilities are
//! ties and are all kept. Two tied utilities straddle a rounding boundary, and so stay apart,
//! only when a boundary falls within their difference of about 1e-16: about once in 1e7 pairs.

use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Compares two utility vectors lexicographically, best first.
pub(crate) fn compare_desc(left: &[f64], right: &[f64]) -> Ordering {
    for (left_value, right_value) in left.iter().zip(right) {
        match right_value.total_cmp(left_value) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    Ordering::Equal
}

/// Positions of the non-dominated points among flat `utilities` sorted by [`compare_desc`].
///
/// Sorting guarantees that every dominator of a point comes before it, so one forward sweep
/// suffices. Utilities must not contain `-0.0`, which would break grouping of equal vectors.
pub(crate) fn sweep_sorted(n_parties: usize, utilities: &[f64]) -> Vec<usize> {
    let snapped: Vec<f64> = utilities.iter().map(|&utility| snap(utility)).collect();
    let n_points = utilities.len() / n_parties;
    let point = |point_idx: usize| &snapped[point_idx * n_parties..(point_idx + 1) * n_parties];
    // Snapping keeps each coordinate's order but can make a first coordinate equal and so
    // change the lexicographic order; sorting again (stably) restores it.
    let mut order: Vec<usize> = (0..n_points).collect();
    order.sort_by(|&left, &right| compare_desc(point(left), point(right)));
    let sorted: Vec<f64> =
        order.iter().flat_map(|&point_idx| point(point_idx).iter().copied()).collect();
    let mut kept: Vec<usize> =
        sweep_exact(n_parties, &sorted).into_iter().map(|sorted_idx| order[sorted_idx]).collect();
    kept.sort_unstable();
    kept
}

/// The resolution at which utilities are compared: 2^-30, about 1e-9.
const RESOLUTION: f64 = 1.0 / (1u64 << 30) as f64;

/// A utility rounded to the comparison resolution. Utilities equal in exact arithmetic but
/// summed in different orders differ by about 1e-16; rounded, they are equal. The sum with 0.0
/// turns -0.0 into 0.0, which the sweeps need.
fn snap(utility: f64) -> f64 {
    (utility / RESOLUTION).round() * RESOLUTION + 0.0
}

/// Positions of the exactly non-dominated points among flat `utilities` sorted by
/// [`compare_desc`].
fn sweep_exact(n_parties: usize, utilities: &[f64]) -> Vec<usize> {
    let n_points = utilities.len() / n_parties;
    let point = |point_idx: usize| &utilities[point_idx * n_parties..(point_idx + 1) * n_parties];
    let mut kept = Vec::new();
    let mut group_start = 0;
    let mut state = SweepState::new(n_parties);
    while group_start < n_points {
        let group_point = point(group_start);
        let mut group_end = group_start + 1;
        while group_end < n_points && point(group_end) == group_point {
            group_end += 1;
        }
        if state.insert_if_non_dominated(group_point) {
            kept.extend(group_start..group_end);
        }
        group_start = group_end;
    }
    kept
}

/// Positions of the non-dominated points among flat `utilities` in any order.
pub(crate) fn non_dominated(n_parties: usize, utilities: &[f64]) -> Vec<usize> {
    let n_points = utilities.len() / n_parties;
    let point = |point_idx: usize| &utilities[point_idx * n_parties..(point_idx + 1) * n_parties];
    let mut order: Vec<usize> = (0..n_points).collect();
    order.sort_unstable_by(|&left, &right| {
        compare_desc(point(left), point(right)).then(left.cmp(&right))
    });
    let sorted: Vec<f64> =
        order.iter().flat_map(|&point_idx| point(point_idx).iter().copied()).collect();
    sweep_sorted(n_parties, &sorted).into_iter().map(|sorted_idx| order[sorted_idx]).collect()
}

/// What the sweep remembers about the points kept so far.
enum SweepState {
    /// One party: only the first (best) group survives.
    Single { seen_any: bool },
    /// Two parties: the best second coordinate seen so far.
    Pair { best_second: f64 },
    /// Three parties: the staircase of kept `(second, third)` pairs, keyed by the second
    /// coordinate, with the third strictly decreasing as the key grows.
    Triple { staircase: BTreeMap<u64, f64> },
    /// More parties: the kept vectors, checked one by one, most recent dominator first.
    Many { n_parties: usize, kept: Vec<f64>, last_dominator: usize },
}

impl SweepState {
    fn new(n_parties: usize) -> SweepState {
        match n_parties {
            1 => SweepState::Single { seen_any: false },
            2 => SweepState::Pair { best_second: f64::NEG_INFINITY },
            3 => SweepState::Triple { staircase: BTreeMap::new() },
            _ => SweepState::Many { n_parties, kept: Vec::new(), last_dominator: 0 },
        }
    }

    /// Every earlier point is lexicographically at least as good, and none equals `point`.
    fn insert_if_non_dominated(&mut self, point: &[f64]) -> bool {
        match self {
            SweepState::Single { seen_any } => !std::mem::replace(seen_any, true),
            SweepState::Pair { best_second } => {
                // Earlier points have a first coordinate at least as high, and the same first
                // coordinate only with a strictly higher second, so any earlier point with a
                // second coordinate at least as high dominates.
                if point[1] > *best_second {
                    *best_second = point[1];
                    true
                } else {
                    false
                }
            }
            SweepState::Triple { staircase } => {
                let (second, third) = (point[1], point[2]);
                let key = ordered_key(second);
                if let Some((_, &stair_third)) = staircase.range(key..).next()
                    && stair_third >= third
                {
                    return false;
                }
                let covered: Vec<u64> = staircase
                    .range(..=key)
                    .rev()
                    .take_while(|&(_, &stair_third)| stair_third <= third)
                    .map(|(&stair_key, _)| stair_key)
                    .collect();
                for stair_key in covered {
                    staircase.remove(&stair_key);
                }
                staircase.insert(key, third);
                true
            }
            SweepState::Many { n_parties, kept, last_dominator } => {
                let n_parties = *n_parties;
                let n_kept = kept.len() / n_parties;
                let dominates = |kept_idx: usize| {
                    kept[kept_idx * n_parties..(kept_idx + 1) * n_parties]
                        .iter()
                        .zip(point)
                        .all(|(kept_value, value)| kept_value >= value)
                };
                if *last_dominator < n_kept && dominates(*last_dominator) {
                    return false;
                }
                if let Some(kept_idx) = (0..n_kept).rev().find(|&kept_idx| dominates(kept_idx)) {
                    *last_dominator = kept_idx;
                    return false;
                }
                kept.extend_from_slice(point);
                true
            }
        }
    }
}

/// Maps a float to an integer with the same order (for values without `-0.0` or NaN).
fn ordered_key(value: f64) -> u64 {
    let bits = value.to_bits();
    if bits >> 63 == 1 { !bits } else { bits | (1 << 63) }
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;

    fn check(n_parties: usize, points: &[f64], expect: Expect) {
        let mut kept = non_dominated(n_parties, points);
        kept.sort_unstable();
        expect.assert_eq(&format!("{kept:?}"));
    }

    #[test]
    fn one_party_keeps_all_maxima() {
        check(1, &[0.5, 1.0, 1.0, 0.2], expect!["[1, 2]"]);
    }

    #[test]
    fn two_parties() {
        check(
            2,
            &[0.0, 1.0, 1.0, 0.0, 0.5, 0.5, 0.4, 0.4, 0.5, 0.5, 0.0, 0.9],
            expect!["[0, 1, 2, 4]"],
        );
    }

    #[test]
    fn two_parties_equal_first_coordinate() {
        check(2, &[1.0, 0.0, 1.0, 0.5], expect!["[1]"]);
    }

    #[test]
    fn three_parties() {
        check(
            3,
            &[
                1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.5, 0.5, 0.0, 0.4, 0.5, 0.0,
                0.5, 0.5,
            ],
            expect!["[0, 1, 2, 3, 5]"],
        );
    }

    #[test]
    fn a_difference_in_the_last_bit_is_a_tie_not_a_domination() {
        let sum = 0.1 + 0.2;
        assert!(sum > 0.3);
        check(2, &[sum, 0.5, 0.3, 0.5, 0.2, 0.6, 0.3, 0.4], expect!["[0, 1, 2]"]);
        check(3, &[sum, 0.5, 0.1, 0.3, 0.5, 0.1, 0.3 - 1e-9, 0.5, 0.1], expect!["[0, 1]"]);
    }

    #[test]
    fn four_parties() {
        check(4, &[1.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0], expect!["[0, 2]"]);
    }
}
