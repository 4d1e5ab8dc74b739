//! Exact Pareto frontiers by dynamic programming over issues.
//!
//! If an outcome is Pareto-optimal, its restriction to the first `k` issues is Pareto-optimal
//! among partial outcomes over those issues: otherwise swapping in the dominating partial
//! outcome would dominate the whole. So the frontier after issue `k` is the non-dominated
//! part of (frontier after issue `k - 1`) x (options of issue `k`). Each layer keeps its
//! points sorted best-first, which lets the next layer be built by merging a few shifted
//! copies instead of sorting.
//!
//! The reservation constraint is monotone (whatever dominates a zone outcome is in the zone),
//! so the zone frontier is the frontier over allowed options restricted to the zone. Partial
//! outcomes that cannot reach a reservation even with the best remaining options are dropped
//! early; everything they dominate is dropped with them, so this is exact.

use rayon::ThreadPool;
use rayon::slice::ParallelSliceMut;

use crate::Result;
use crate::control::Control;
use crate::outcome_set::OutcomeSet;
use crate::pareto::{compare_desc, sweep_sorted};
use crate::space::{Rules, Scope, UtilitySpace};

/// Above this many options per issue, layers are sorted instead of merged.
const MAX_MERGE_WAYS: usize = 8;

/// The exact Pareto frontier of the zone or of all outcomes, sorted by outcome.
///
/// In [`Scope::Zone`] this is the set of zone outcomes not dominated by another zone outcome;
/// it is empty when the zone is. Outcomes with identical utilities are all kept.
pub fn pareto_frontier(
    space: &UtilitySpace,
    scope: Scope,
    pool: &ThreadPool,
    control: &Control<'_>,
) -> Result<OutcomeSet> {
    frontier_with_rules(space, &space.rules(scope), pool, control)
}

/// The back-pointer of one kept point: its parent in the previous layer and its option.
#[derive(Clone, Copy)]
struct BackPointer {
    parent_idx: u32,
    option_idx: u16,
}

pub(crate) fn frontier_with_rules(
    space: &UtilitySpace,
    rules: &Rules,
    pool: &ThreadPool,
    control: &Control<'_>,
) -> Result<OutcomeSet> {
    let n_parties = space.n_parties();
    let n_issues = space.n_issues();
    let allowed_options = allowed_options(space, rules);
    if allowed_options.iter().any(Vec::is_empty) {
        return Ok(OutcomeSet::empty(n_issues, n_parties));
    }
    if is_small(&allowed_options) {
        return Ok(small_frontier_of(space, rules, &allowed_options));
    }
    let pruning = ThresholdPruning::new(space, rules, &allowed_options);

    let mut layer_utilities = vec![0.0; n_parties];
    let mut layers: Vec<Vec<BackPointer>> = Vec::with_capacity(n_issues);
    for (issue_idx, options) in allowed_options.iter().enumerate() {
        control.check()?;
        control.report(issue_idx as u64, n_issues as u64);
        if layer_utilities.is_empty() {
            // Every partial outcome was pruned: no outcome reaches the reservations.
            return Ok(OutcomeSet::empty(n_issues, n_parties));
        }
        let mut shifts = Vec::with_capacity(options.len() * n_parties);
        for &option_idx in options {
            shifts.extend_from_slice(
                space.option_values(space.option_offsets()[issue_idx] + usize::from(option_idx)),
            );
        }
        let bounds = pruning.remaining_bounds(issue_idx + 1);
        let (candidate_utilities, candidate_pointers) = if options.len() <= MAX_MERGE_WAYS {
            merge_layer(n_parties, &layer_utilities, options, &shifts, bounds, control)?
        } else {
            sort_layer(n_parties, &layer_utilities, options, &shifts, bounds, pool)
        };
        let kept = sweep_sorted(n_parties, &candidate_utilities);
        layer_utilities = kept
            .iter()
            .flat_map(|&candidate_idx| {
                candidate_utilities[candidate_idx * n_parties..(candidate_idx + 1) * n_parties]
                    .iter()
                    .copied()
            })
            .collect();
        layers.push(kept.iter().map(|&candidate_idx| candidate_pointers[candidate_idx]).collect());
    }
    control.report(n_issues as u64, n_issues as u64);

    let mut outcomes = Vec::new();
    let mut utilities = Vec::new();
    let mut outcome = vec![0u16; n_issues];
    let n_final = layer_utilities.len() / n_parties;
    for final_idx in 0..n_final {
        let point = &layer_utilities[final_idx * n_parties..(final_idx + 1) * n_parties];
        if !rules.meets_thresholds(point) {
            continue;
        }
        let mut point_idx = final_idx;
        for issue_idx in (0..n_issues).rev() {
            let pointer = layers[issue_idx][point_idx];
            outcome[issue_idx] = pointer.option_idx;
            point_idx = pointer.parent_idx as usize;
        }
        outcomes.extend_from_slice(&outcome);
        utilities.extend_from_slice(point);
    }
    Ok(OutcomeSet::from_unsorted(n_issues, n_parties, outcomes, utilities))
}

/// Per issue, the options no red line excludes under `rules`, in increasing order.
/// Up to this many allowed outcomes, a frontier is enumerated on the calling thread: on small
/// spaces the set-up of the layered search and of the thread pool costs more than the work.
const SMALL_SPACE: usize = 32;

fn is_small(allowed_options: &[Vec<u16>]) -> bool {
    let mut n_outcomes: usize = 1;
    for options in allowed_options {
        n_outcomes = n_outcomes.saturating_mul(options.len());
        if n_outcomes > SMALL_SPACE {
            return false;
        }
    }
    true
}

/// The frontier of a small space: every allowed outcome that meets the thresholds, then the
/// non-dominated ones among them.
pub(crate) fn small_frontier_of(
    space: &UtilitySpace,
    rules: &Rules,
    allowed_options: &[Vec<u16>],
) -> OutcomeSet {
    let (n_issues, n_parties) = (space.n_issues(), space.n_parties());
    let mut outcomes = Vec::new();
    let mut utilities = Vec::new();
    let mut position = vec![0usize; n_issues];
    let mut outcome: Vec<u16> = allowed_options.iter().map(|options| options[0]).collect();
    let mut point = vec![0.0; n_parties];
    loop {
        space.utilities_into(&outcome, &mut point);
        if rules.meets_thresholds(&point) {
            outcomes.extend_from_slice(&outcome);
            utilities.extend_from_slice(&point);
        }
        // The next outcome in odometer order, the last issue turning fastest.
        let mut issue_idx = n_issues;
        loop {
            if issue_idx == 0 {
                let kept = crate::pareto::non_dominated(n_parties, &utilities);
                let kept_outcomes = kept
                    .iter()
                    .flat_map(|&idx| outcomes[idx * n_issues..(idx + 1) * n_issues].iter().copied())
                    .collect();
                let kept_utilities = kept
                    .iter()
                    .flat_map(|&idx| {
                        utilities[idx * n_parties..(idx + 1) * n_parties].iter().copied()
                    })
                    .collect();
                return OutcomeSet::from_unsorted(
                    n_issues,
                    n_parties,
                    kept_outcomes,
                    kept_utilities,
                );
            }
            issue_idx -= 1;
            position[issue_idx] += 1;
            if position[issue_idx] < allowed_options[issue_idx].len() {
                outcome[issue_idx] = allowed_options[issue_idx][position[issue_idx]];
                break;
            }
            position[issue_idx] = 0;
            outcome[issue_idx] = allowed_options[issue_idx][0];
        }
    }
}

/// Whether a space with these rules is small enough to enumerate on the calling thread.
pub(crate) fn is_small_space(space: &UtilitySpace, rules: &Rules) -> bool {
    is_small(&allowed_options(space, rules))
}

pub(crate) fn allowed_options(space: &UtilitySpace, rules: &Rules) -> Vec<Vec<u16>> {
    (0..space.n_issues())
        .map(|issue_idx| {
            (0..space.option_counts()[issue_idx])
                .filter(|&option_idx| rules.allowed[space.option_offsets()[issue_idx] + option_idx])
                .map(|option_idx| option_idx as u16)
                .collect()
        })
        .collect()
}

/// Drops partial outcomes that cannot reach some party's threshold.
struct ThresholdPruning {
    n_parties: usize,
    /// `needed[issue_idx * n_parties + party_idx]`: the threshold, minus the most the issues
    /// from `issue_idx` on can add, minus a slack that covers rounding.
    needed: Vec<f64>,
    active: bool,
}

impl ThresholdPruning {
    fn new(space: &UtilitySpace, rules: &Rules, allowed_options: &[Vec<u16>]) -> ThresholdPruning {
        let n_parties = space.n_parties();
        let n_issues = space.n_issues();
        let suffix_best = suffix_best(space, allowed_options);
        let mut needed = vec![f64::NEG_INFINITY; (n_issues + 1) * n_parties];
        for issue_idx in 0..=n_issues {
            for party_idx in 0..n_parties {
                let threshold = rules.thresholds[party_idx];
                let slack = 1e-9 * (1.0 + suffix_best.magnitude[party_idx] + threshold.abs());
                needed[issue_idx * n_parties + party_idx] =
                    threshold - slack - suffix_best.values[issue_idx * n_parties + party_idx];
            }
        }
        let active = rules.thresholds.iter().any(|threshold| threshold.is_finite());
        ThresholdPruning { n_parties, needed, active }
    }

    /// The least partial utility per party that can still reach the thresholds, once the
    /// issues before `issue_idx` are fixed; `None` when nothing is constrained.
    fn remaining_bounds(&self, issue_idx: usize) -> Option<&[f64]> {
        self.active
            .then(|| &self.needed[issue_idx * self.n_parties..(issue_idx + 1) * self.n_parties])
    }
}

/// Sums of per-issue maxima over the allowed options, from each issue to the end.
pub(crate) struct SuffixBest {
    /// `values[issue_idx * n_parties + party_idx]`, with a final row of zeros.
    pub(crate) values: Vec<f64>,
    /// Per party, the sum of the largest absolute contributions, to size rounding slack.
    pub(crate) magnitude: Vec<f64>,
}

pub(crate) fn suffix_best(space: &UtilitySpace, allowed_options: &[Vec<u16>]) -> SuffixBest {
    let n_parties = space.n_parties();
    let n_issues = space.n_issues();
    let mut values = vec![0.0; (n_issues + 1) * n_parties];
    let mut magnitude = vec![0.0; n_parties];
    for issue_idx in (0..n_issues).rev() {
        for party_idx in 0..n_parties {
            let mut best = f64::NEG_INFINITY;
            let mut largest = 0.0f64;
            for &option_idx in &allowed_options[issue_idx] {
                let value = space.value(party_idx, issue_idx, usize::from(option_idx));
                best = best.max(value);
                largest = largest.max(value.abs());
            }
            values[issue_idx * n_parties + party_idx] =
                values[(issue_idx + 1) * n_parties + party_idx] + best;
            magnitude[party_idx] += largest;
        }
    }
    SuffixBest { values, magnitude }
}

fn passes(point: &[f64], bounds: Option<&[f64]>) -> bool {
    bounds.is_none_or(|bounds| point.iter().zip(bounds).all(|(value, bound)| value >= bound))
}

/// Merges the shifted copies of the sorted previous layer into one sorted candidate list.
fn merge_layer(
    n_parties: usize,
    previous: &[f64],
    options: &[u16],
    shifts: &[f64],
    bounds: Option<&[f64]>,
    control: &Control<'_>,
) -> Result<(Vec<f64>, Vec<BackPointer>)> {
    let n_previous = previous.len() / n_parties;
    let n_ways = options.len();
    let mut heads = vec![0usize; n_ways];
    let mut head_points = vec![0.0; n_ways * n_parties];
    let fill_head = |head_points: &mut [f64], way_idx: usize, parent_idx: usize| {
        for party_idx in 0..n_parties {
            head_points[way_idx * n_parties + party_idx] = previous
                [parent_idx * n_parties + party_idx]
                + shifts[way_idx * n_parties + party_idx];
        }
    };
    for way_idx in 0..n_ways {
        fill_head(&mut head_points, way_idx, 0);
    }
    let mut utilities = Vec::with_capacity(n_previous * n_ways * n_parties);
    let mut pointers = Vec::with_capacity(n_previous * n_ways);
    for step_idx in 0..n_previous * n_ways {
        if step_idx.is_multiple_of(1 << 20) {
            control.check()?;
        }
        let mut best_way = usize::MAX;
        for way_idx in 0..n_ways {
            if heads[way_idx] == n_previous {
                continue;
            }
            if best_way == usize::MAX {
                best_way = way_idx;
                continue;
            }
            let order = compare_desc(
                &head_points[way_idx * n_parties..(way_idx + 1) * n_parties],
                &head_points[best_way * n_parties..(best_way + 1) * n_parties],
            );
            // Ties go to the smaller parent, then the smaller option, as in a full sort.
            let better = order.is_lt() || (order.is_eq() && heads[way_idx] < heads[best_way]);
            if better {
                best_way = way_idx;
            }
        }
        let point = &head_points[best_way * n_parties..(best_way + 1) * n_parties];
        if passes(point, bounds) {
            utilities.extend_from_slice(point);
            pointers.push(BackPointer {
                parent_idx: heads[best_way] as u32,
                option_idx: options[best_way],
            });
        }
        heads[best_way] += 1;
        if heads[best_way] < n_previous {
            fill_head(&mut head_points, best_way, heads[best_way]);
        }
    }
    // Adding a constant can round two different coordinates to the same value and so break
    // the lexicographic order of a shifted copy; then fall back to an explicit sort.
    let is_sorted = (1..pointers.len()).all(|point_idx| {
        compare_desc(
            &utilities[(point_idx - 1) * n_parties..point_idx * n_parties],
            &utilities[point_idx * n_parties..(point_idx + 1) * n_parties],
        )
        .is_le()
    });
    if is_sorted {
        return Ok((utilities, pointers));
    }
    Ok(sort_candidates(n_parties, utilities, pointers))
}

/// Builds all candidates of a layer and sorts them.
fn sort_layer(
    n_parties: usize,
    previous: &[f64],
    options: &[u16],
    shifts: &[f64],
    bounds: Option<&[f64]>,
    pool: &ThreadPool,
) -> (Vec<f64>, Vec<BackPointer>) {
    let n_previous = previous.len() / n_parties;
    let mut utilities = Vec::new();
    let mut pointers = Vec::new();
    let mut point = vec![0.0; n_parties];
    for parent_idx in 0..n_previous {
        for (way_idx, &option_idx) in options.iter().enumerate() {
            for party_idx in 0..n_parties {
                point[party_idx] = previous[parent_idx * n_parties + party_idx]
                    + shifts[way_idx * n_parties + party_idx];
            }
            if passes(&point, bounds) {
                utilities.extend_from_slice(&point);
                pointers.push(BackPointer { parent_idx: parent_idx as u32, option_idx });
            }
        }
    }
    pool.install(|| sort_candidates(n_parties, utilities, pointers))
}

/// Sorts candidates best-first, ties by parent then option, so the order is fully determined.
fn sort_candidates(
    n_parties: usize,
    utilities: Vec<f64>,
    pointers: Vec<BackPointer>,
) -> (Vec<f64>, Vec<BackPointer>) {
    let point = |candidate_idx: usize| {
        &utilities[candidate_idx * n_parties..(candidate_idx + 1) * n_parties]
    };
    let mut order: Vec<usize> = (0..pointers.len()).collect();
    order.par_sort_unstable_by(|&left, &right| {
        compare_desc(point(left), point(right)).then_with(|| {
            let (left, right) = (pointers[left], pointers[right]);
            (left.parent_idx, left.option_idx).cmp(&(right.parent_idx, right.option_idx))
        })
    });
    let sorted_utilities =
        order.iter().flat_map(|&candidate_idx| point(candidate_idx).iter().copied()).collect();
    let sorted_pointers = order.iter().map(|&candidate_idx| pointers[candidate_idx]).collect();
    (sorted_utilities, sorted_pointers)
}
