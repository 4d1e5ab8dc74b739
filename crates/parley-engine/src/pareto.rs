//! Non-dominated filters over point sets, specialised for 1, 2, 3 and more parties.
//!
//! A point is dominated when another point is at least as good for every party and better
//! for one, comparing utilities rounded to a resolution of 2^-36 (about 1.5e-11): utilities
//! that are equal in exact arithmetic often differ in the last bits of their floating-point
//! sums (about 1e-16), and such a tie must not pass for domination. Points with equal rounded
//! utilities are ties and are all kept. The resolution is fine enough for the numbers GENIUS
//! files write with nine decimals, whose true differences can be a few 1e-10 (ANAC's
//! auctionwars). Two tied utilities straddle a rounding boundary, and so stay apart, only when
//! a boundary falls within their difference of about 1e-16: about once in 1e5 pairs.

use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Compares two utility vectors lexicographically, best first. Values must not be NaN.
pub(crate) fn compare_desc(left: &[f64], right: &[f64]) -> Ordering {
    for (left_value, right_value) in left.iter().zip(right) {
        if left_value > right_value {
            return Ordering::Less;
        }
        if left_value < right_value {
            return Ordering::Greater;
        }
    }
    Ordering::Equal
}

/// The resolution at which utilities are compared: 2^-36, about 1.5e-11.
const RESOLUTION: f64 = 1.0 / (1u64 << 36) as f64;

/// 2^52: adding and subtracting it rounds a smaller non-negative float to an integer.
const TWO_52: f64 = (1u64 << 52) as f64;

/// A utility rounded to the comparison resolution (halves to even). Utilities equal in exact
/// arithmetic but summed in different orders differ by about 1e-16; rounded, they are equal.
/// The result is never `-0.0`, which the sweeps need.
#[inline]
pub(crate) fn snap(utility: f64) -> f64 {
    let scaled = utility / RESOLUTION;
    let magnitude = scaled.abs();
    // From 2^52 on every float is an integer; below, the addition rounds (without a call to
    // a rounding function, which this target lacks as an instruction).
    let rounded = if magnitude < TWO_52 { (magnitude + TWO_52) - TWO_52 } else { magnitude };
    rounded.copysign(scaled) * RESOLUTION + 0.0
}

/// Writes the snapped `utilities` into `keys`.
#[inline]
pub(crate) fn snap_into(utilities: &[f64], keys: &mut [f64]) {
    for (key, &utility) in keys.iter_mut().zip(utilities) {
        *key = snap(utility);
    }
}

/// Positions, in increasing order, of the non-dominated points among flat `utilities` in any
/// order.
pub(crate) fn non_dominated(n_parties: usize, utilities: &[f64]) -> Vec<usize> {
    let n_points = utilities.len() / n_parties;
    let keys: Vec<f64> = utilities.iter().map(|&utility| snap(utility)).collect();
    let key = |point_idx: usize| &keys[point_idx * n_parties..(point_idx + 1) * n_parties];
    let mut order: Vec<u32> = (0..n_points as u32).collect();
    order.sort_unstable_by(|&left, &right| compare_desc(key(left as usize), key(right as usize)));
    let mut sweep = Sweep::new(n_parties);
    if n_parties > 3 {
        sweep.split_like(&keys);
    }
    let mut kept = Vec::new();
    let mut group_start = 0;
    while group_start < n_points {
        let group_key = key(order[group_start] as usize);
        let mut group_end = group_start + 1;
        while group_end < n_points && key(order[group_end] as usize) == group_key {
            group_end += 1;
        }
        if sweep.insert_if_non_dominated(group_key) {
            kept.extend(order[group_start..group_end].iter().map(|&point_idx| point_idx as usize));
        }
        group_start = group_end;
    }
    kept.sort_unstable();
    kept
}

/// What a sweep over points sorted by [`compare_desc`] remembers about the points kept so
/// far. One value serves every layer of a frontier: [`Sweep::reset`] keeps its buffers.
pub(crate) struct Sweep {
    n_parties: usize,
    /// One party: whether a point was seen (only the first, best, group survives).
    seen_any: bool,
    /// Two parties: the best second coordinate seen so far.
    best_second: f64,
    /// Three parties: the staircase of kept `(second, third)` pairs, sorted by the second
    /// coordinate, with the third strictly decreasing as the second grows. Kept in a vector
    /// while short, in a tree once long (keyed by [`ordered_key`] of the second coordinate).
    staircase: Vec<(f64, f64)>,
    long_staircase: BTreeMap<u64, f64>,
    /// More parties: the kept vectors, grouped by their [`Sweep::group_of`], so that a new
    /// point is checked only against the groups whose points can dominate it (see
    /// [`Sweep::split_like`]); the last dominator found is checked first.
    groups: Vec<Vec<f64>>,
    /// The groups that hold points, in the order they were filled, and as a bit set.
    filled: Vec<usize>,
    filled_groups: Vec<u64>,
    /// The parties that have a digit in a group's number (the first [`GROUP_BITS`] /
    /// `bits_per_party`), and each digit's bits: as many as [`GROUP_BITS`] shares out, one to three.
    n_split_parties: usize,
    bits_per_party: usize,
    /// `thresholds[party_idx * n_thresholds + k]`, increasing in `k`: a value's level for a
    /// party is the number of its thresholds at or below the value.
    thresholds: Vec<f64>,
    /// The group of the last dominator found, and where its values start in the group.
    last_dominator: (usize, usize),
}

/// The bits of a group's number: 2^12 groups at most (three bits a party for four parties, two for five or six, one beyond).
const GROUP_BITS: usize = 12;

impl Sweep {
    pub(crate) fn new(n_parties: usize) -> Sweep {
        Sweep {
            n_parties,
            seen_any: false,
            best_second: f64::NEG_INFINITY,
            staircase: Vec::new(),
            long_staircase: BTreeMap::new(),
            groups: Vec::new(),
            filled: Vec::new(),
            filled_groups: Vec::new(),
            n_split_parties: 0,
            bits_per_party: (GROUP_BITS / n_parties.max(1)).clamp(1, 3),
            thresholds: Vec::new(),
            last_dominator: (0, 0),
        }
    }

    /// The thresholds of each party's levels.
    fn n_thresholds(&self) -> usize {
        (1 << self.bits_per_party) - 1
    }

    /// Splits the kept points of four parties or more into groups by their *levels*: for
    /// each party (of the first few), how many of its thresholds the point is at or above,
    /// the thresholds being that party's quantiles over `sample` (flat points, such as the
    /// points to come or a guess of them). A point that dominates another is at least as
    /// good for every party, so its level is at least the other's for every party: a new
    /// point is checked only against the groups whose levels are all at least its own. Any
    /// thresholds give the same results; quantiles leave the fewest points to check. Takes
    /// effect for a sweep that holds no point (new, or after [`Sweep::reset`]).
    pub(crate) fn split_like(&mut self, sample: &[f64]) {
        debug_assert!(self.filled.is_empty());
        let n_parties = self.n_parties;
        let n_points = sample.len() / n_parties;
        if n_points == 0 {
            self.n_split_parties = 0;
            return;
        }
        self.n_split_parties = n_parties.min(GROUP_BITS / self.bits_per_party);
        let n_thresholds = self.n_thresholds();
        self.thresholds.clear();
        let mut column: Vec<f64> = Vec::with_capacity(n_points);
        for party_idx in 0..self.n_split_parties {
            column.clear();
            column.extend(sample.iter().skip(party_idx).step_by(n_parties));
            for k in 1..=n_thresholds {
                let rank = (n_points * k / (n_thresholds + 1)).min(n_points - 1);
                self.thresholds.push(*column.select_nth_unstable_by(rank, f64::total_cmp).1);
            }
        }
    }

    /// Each split party's level for `key`, and the number of the group of those levels.
    #[inline]
    fn group_of(&self, key: &[f64], levels: &mut [usize; GROUP_BITS]) -> usize {
        let n_thresholds = self.n_thresholds();
        let mut group = 0;
        for party_idx in 0..self.n_split_parties {
            let thresholds = &self.thresholds[party_idx * n_thresholds..][..n_thresholds];
            let level = thresholds.iter().filter(|&&threshold| key[party_idx] >= threshold).count();
            levels[party_idx] = level;
            group |= level << (party_idx * self.bits_per_party);
        }
        group
    }

    /// Forgets every point, keeping the buffers.
    pub(crate) fn reset(&mut self) {
        self.seen_any = false;
        self.best_second = f64::NEG_INFINITY;
        self.staircase.clear();
        self.long_staircase.clear();
        for &mask in &self.filled {
            self.groups[mask].clear();
        }
        self.filled.clear();
        self.filled_groups.fill(0);
        self.last_dominator = (0, 0);
    }

    /// Whether `key` is non-dominated by the points inserted so far, inserting it if so.
    ///
    /// Every earlier point must be lexicographically at least as good, and none equal `key`
    /// (callers decide a group of equal keys once).
    #[inline]
    pub(crate) fn insert_if_non_dominated(&mut self, key: &[f64]) -> bool {
        match self.n_parties {
            1 => !std::mem::replace(&mut self.seen_any, true),
            // Earlier points have a first coordinate at least as high, and the same first
            // coordinate only with a strictly higher second, so any earlier point with a
            // second coordinate at least as high dominates.
            2 => {
                if key[1] > self.best_second {
                    self.best_second = key[1];
                    true
                } else {
                    false
                }
            }
            3 => self.insert_triple(key[1], key[2]),
            _ => self.insert_many(key),
        }
    }

    fn insert_triple(&mut self, second: f64, third: f64) -> bool {
        if !self.long_staircase.is_empty() {
            return insert_into_long_staircase(&mut self.long_staircase, second, third);
        }
        let staircase = &mut self.staircase;
        // The first stair at least as high in the second coordinate has the highest third
        // among those: it dominates if any of them does.
        let above = staircase.partition_point(|&(stair_second, _)| stair_second < second);
        if above < staircase.len() && staircase[above].1 >= third {
            return false;
        }
        // Stairs no higher in either coordinate are now covered by this point.
        let end = staircase.partition_point(|&(stair_second, _)| stair_second <= second);
        let mut start = end;
        while start > 0 && staircase[start - 1].1 <= third {
            start -= 1;
        }
        if start == end {
            staircase.insert(end, (second, third));
        } else {
            staircase[start] = (second, third);
            staircase.drain(start + 1..end);
        }
        if staircase.len() > LONG_STAIRCASE {
            self.long_staircase =
                staircase.drain(..).map(|(second, third)| (ordered_key(second), third)).collect();
        }
        true
    }

    fn insert_many(&mut self, key: &[f64]) -> bool {
        let n_parties = self.n_parties;
        if self.groups.is_empty() {
            let n_groups = 1 << (n_parties * self.bits_per_party).min(GROUP_BITS);
            self.groups = vec![Vec::new(); n_groups];
            self.filled_groups = vec![0; n_groups.div_ceil(64)];
        }
        let dominates = |kept: &[f64]| kept.iter().zip(key).all(|(kept, value)| kept >= value);
        let (last_group, last_start) = self.last_dominator;
        let last = &self.groups[last_group];
        if last_start + n_parties <= last.len()
            && dominates(&last[last_start..last_start + n_parties])
        {
            return false;
        }
        let mut levels = [0usize; GROUP_BITS];
        let group = self.group_of(key, &mut levels);
        let (n_split, bits) = (self.n_split_parties, self.bits_per_party);
        let top = (1usize << bits) - 1;
        // Each group is walked by offsets, most recent point first.
        let groups = &self.groups;
        let dominator_in = |group_idx: usize| {
            let group = &groups[group_idx];
            let mut end = group.len();
            while end > 0 {
                let start = end - n_parties;
                if dominates(&group[start..end]) {
                    return Some(start);
                }
                end = start;
            }
            None
        };
        let n_candidate_groups: usize =
            levels[..n_split].iter().map(|&level| top + 1 - level).product();
        let is_filled =
            |group_idx: usize| self.filled_groups[group_idx / 64] >> (group_idx % 64) & 1 == 1;
        let found = if n_candidate_groups <= self.filled.len() && bits == 1 {
            // One bit a party (a tenth faster than the walk below on 9-party scenarios): every
            // group whose bits hold `group`'s, `group | subset` for each
            // subset of the bits it lacks, the fullest first.
            let free = ((1usize << n_split) - 1) & !group;
            let mut subset = free;
            loop {
                if is_filled(group | subset)
                    && let Some(start) = dominator_in(group | subset)
                {
                    break Some((group | subset, start));
                }
                if subset == 0 {
                    break None;
                }
                subset = (subset - 1) & free;
            }
        } else if n_candidate_groups <= self.filled.len() {
            // Every group whose levels are at least `levels`, counting each party's level
            // down from the top: the best placed groups first.
            let mut digits = [top; GROUP_BITS];
            let mut group_idx: usize =
                (0..n_split).map(|party_idx| top << (party_idx * bits)).sum();
            loop {
                if is_filled(group_idx)
                    && let Some(start) = dominator_in(group_idx)
                {
                    break Some((group_idx, start));
                }
                // The next group: the lowest party whose digit can go down does, and the
                // parties below it go back to the top.
                let Some(party_idx) =
                    (0..n_split).find(|&party_idx| digits[party_idx] > levels[party_idx])
                else {
                    break None;
                };
                for (lower_idx, digit) in digits[..party_idx].iter_mut().enumerate() {
                    group_idx += (top - *digit) << (lower_idx * bits);
                    *digit = top;
                }
                digits[party_idx] -= 1;
                group_idx -= 1 << (party_idx * bits);
            }
        } else {
            // Fewer groups hold points than there are groups to try: try those.
            self.filled.iter().rev().find_map(|&group_idx| {
                let above = (0..n_split)
                    .all(|party_idx| (group_idx >> (party_idx * bits)) & top >= levels[party_idx]);
                above.then(|| dominator_in(group_idx).map(|start| (group_idx, start))).flatten()
            })
        };
        if let Some(dominator) = found {
            self.last_dominator = dominator;
            return false;
        }
        let points = &mut self.groups[group];
        if points.is_empty() {
            self.filled.push(group);
            self.filled_groups[group / 64] |= 1 << (group % 64);
        }
        points.extend_from_slice(key);
        true
    }
}

/// Beyond this many stairs, inserting into a vector costs more than into a tree.
const LONG_STAIRCASE: usize = 256;

fn insert_into_long_staircase(staircase: &mut BTreeMap<u64, f64>, second: f64, third: f64) -> bool {
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

    /// ANAC's auctionwars: weights written with nine decimals make two outcomes differ by
    /// 1/3e9 for one party, a true difference, not rounding.
    #[test]
    fn a_difference_of_a_few_1e_10_is_a_domination() {
        let (better, worse) = (0.764_705_882_333_333_4, 0.764_705_882);
        check(2, &[better, 0.25, worse, 0.25], expect!["[0]"]);
        check(2, &[better, 0.1, worse, 0.6], expect!["[0, 1]"]);
    }

    #[test]
    fn four_parties() {
        check(4, &[1.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0], expect!["[0, 2]"]);
    }
}
