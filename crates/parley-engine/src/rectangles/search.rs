//! Branch and bound over issues for hyper-rectangle spaces: the Pareto frontier, and the
//! single-objective searches the solutions need.
//!
//! Issues are assigned one at a time, most constrained first; issues no constraint mentions
//! are never branched on. Each constraint is *open*, *satisfied* or *dead* under a partial
//! assignment. A party's upper bound is the sum of its satisfied values, plus the positive
//! values of its open [`ConstraintKind::Excludes`] constraints, plus, for each unassigned
//! issue, the largest sum of the positive open [`ConstraintKind::Includes`] constraints whose
//! last branched issue is that one and whose range there holds the option: such a constraint
//! can only be satisfied with one of those options; a constraint whose only unassigned issue
//! is that one counts there too, on the options that satisfy it, negative values included. A
//! subtree whose vector of bounds some found point weakly dominates holds no new frontier
//! vector and is skipped. With two parties a third bound, on `u_0 + u_1` (the buckets summed
//! jointly), skips a subtree whose part under that line the found staircase covers.

use crate::control::{Control, Exceeded, Meter};
use crate::{Error, Result};

use super::{ConstraintKind, RectangleSpace, local};

/// An outcome and every party's utility of it, from [`RectangleSpace::utilities`].
#[derive(Debug, Clone, PartialEq)]
pub struct RectanglePoint {
    /// Every party's utility.
    pub utilities: Vec<f64>,
    /// One outcome with those utilities: one option per issue, option 0 on free issues.
    pub outcome: Vec<u16>,
}

/// The Pareto frontier of a [`RectangleSpace`], or what a spent budget left of it.
///
/// When `complete` is `true`, `points` holds every Pareto-optimal utility vector once (an
/// outcome is Pareto-optimal when no outcome is at least as good for every party and better
/// for one), each with one outcome that has it, sorted by utilities, and `missing_bounds` is
/// empty.
///
/// When the budget ran out (steps, memory or time: `stopped_by` says which) the work is kept:
/// `complete` is `false` and `points` holds the points *found, not proven* Pareto-optimal:
/// each a true outcome with its exact utilities, none dominated by another found point, but
/// possibly dominated by an outcome not yet seen. What may be missing is bounded:
/// every Pareto-optimal vector not among `points` is weakly dominated by (at most, in every
/// coordinate) one of the vectors of `missing_bounds`, the non-dominated upper bounds of the
/// parts of the space left unexplored (at most [`MAX_MISSING_BOUNDS`] of them, merged by
/// coordinate-wise maxima when there were more). A stop after which every unexplored part
/// was already covered by a found point still gives `complete: true`.
///
/// Cancellation is not a budget: it gives [`Error::Cancelled`].
#[derive(Debug, Clone, PartialEq)]
pub struct RectangleFrontier {
    /// Whether `points` is proven to be the whole frontier.
    pub complete: bool,
    /// The frontier's points (or those found so far), sorted by utilities.
    pub points: Vec<RectanglePoint>,
    /// Upper bounds on every frontier vector not in `points`; empty when complete.
    pub missing_bounds: Vec<Vec<f64>>,
    /// The issues no constraint mentions; their option changes nothing.
    pub free_issues: Vec<usize>,
    /// The steps taken: one per option tried at a node of the search, or by the local search
    /// for good outcomes that precedes it with two parties.
    pub steps: u64,
    /// The limit that stopped the search, if one did.
    pub stopped_by: Option<Exceeded>,
}

/// The most upper-bound vectors [`RectangleFrontier::missing_bounds`] holds.
pub const MAX_MISSING_BOUNDS: usize = 64;

/// The exact Pareto frontier of `space` by branch and bound (see the [module
/// documentation](self)), or, when the budget runs out, the points found and bounds on what
/// is missing ([`RectangleFrontier`]).
pub fn pareto_frontier(space: &RectangleSpace, control: &Control<'_>) -> Result<RectangleFrontier> {
    let method = Method::Pareto;
    frontier_by(space, method, control)
}

/// How [`frontier_by`] searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    not(test),
    allow(
        dead_code,
        reason = "the sweep, slower on the ANAC files, is kept tested for comparison"
    )
)]
pub(crate) enum Method {
    /// One search keeping every non-dominated vector found.
    Pareto,
    /// For two parties: lexicographic maxima of `(u_0, u_1)` over `u_1` above the last one.
    Sweep,
}

pub(crate) fn frontier_by(
    space: &RectangleSpace,
    method: Method,
    control: &Control<'_>,
) -> Result<RectangleFrontier> {
    control.check()?;
    let objectives =
        (0..space.n_parties()).map(|party_idx| Objective::Utility { party_idx }).collect();
    let mut search = Search::new(space, objectives, control);
    let seeded = match method {
        Method::Pareto if space.n_parties() == 2 => search.seed_two_parties(),
        Method::Pareto | Method::Sweep => Ok(()),
    };
    let (outcome, found) = match (seeded, method) {
        (Err(err), _) => {
            let mut root_bounds = Vec::new();
            search.push_bounds(&mut root_bounds);
            root_bounds.truncate(space.n_parties());
            search.missing.push(root_bounds);
            (Err(err), std::mem::take(&mut search.found))
        }
        (Ok(()), Method::Pareto) => {
            let outcome = search.run();
            (outcome, std::mem::take(&mut search.found))
        }
        (Ok(()), Method::Sweep) => sweep(&mut search),
    };
    let free_issues = space.free_issues();
    let steps = search.steps;
    let (stopped_by, mut missing) = match outcome {
        Ok(()) => (None, Vec::new()),
        Err(Error::OverBudget { exceeded, .. }) => {
            (Some(exceeded), std::mem::take(&mut search.missing))
        }
        Err(err) => return Err(err),
    };
    let mut points: Vec<RectanglePoint> = found
        .into_iter()
        .map(|found| RectanglePoint { utilities: found.scores, outcome: found.outcome })
        .collect();
    points.sort_by(|first, second| compare_vectors(&first.utilities, &second.utilities));
    missing.retain(|bound| !points.iter().any(|point| weakly_dominates(&point.utilities, bound)));
    let missing_bounds = reduce_bounds(missing);
    Ok(RectangleFrontier {
        complete: missing_bounds.is_empty(),
        points,
        missing_bounds,
        free_issues,
        steps,
        stopped_by,
    })
}

/// The frontier of two parties by an epsilon-constraint sweep: the lexicographic maximum of
/// `(u_0, u_1)` is a frontier point; so is the lexicographic maximum among outcomes with
/// `u_1` above the last point's, until there is none. Each search prunes on one coordinate,
/// which cuts far more than weak dominance by a set.
///
/// On a spent budget the points are those proven so far and the current search's best; what
/// is missing has `u_1` above the last proven point's, and lies either in a part of the
/// current search left unexplored or, with `u_0` at most the current best's, anywhere.
fn sweep(search: &mut Search<'_, '_>) -> (Result<()>, Vec<Found>) {
    let mut proven = Vec::new();
    let mut threshold = f64::NEG_INFINITY;
    loop {
        search.goal = Goal::Sweep { threshold };
        search.found.clear();
        search.missing.clear();
        match search.run() {
            Ok(()) => match search.found.pop() {
                Some(best) => {
                    threshold = best.scores[1];
                    proven.push(best);
                }
                None => return (Ok(()), proven),
            },
            Err(err) => {
                if let Some(best) = search.found.pop() {
                    let bound = vec![best.scores[0], search.root_bounds[1]];
                    search.missing.push(bound);
                    proven.push(best);
                }
                return (Err(err), proven);
            }
        }
    }
}

/// The smallest utility each party gets from any outcome, exactly, by one search per party.
pub(crate) fn lowest_utility(
    space: &RectangleSpace,
    party_idx: usize,
    control: &Control<'_>,
) -> Result<f64> {
    let mut search = Search::new(space, vec![Objective::NegatedUtility { party_idx }], control);
    let (incumbent, steps, searched) = local::low_incumbent(space, party_idx, &mut search.meter);
    search.steps += steps;
    searched?;
    if let Some(incumbent) = incumbent {
        let scores = vec![-incumbent.utilities[party_idx]];
        search.found.push(Found { scores, outcome: incumbent.outcome });
    }
    search.run()?;
    let lowest = search.found.iter().map(|found| -found.scores[0]).fold(f64::INFINITY, f64::min);
    Ok(lowest)
}

/// Lexicographic order of vectors, by `total_cmp`.
pub(crate) fn compare_vectors(first: &[f64], second: &[f64]) -> std::cmp::Ordering {
    first
        .iter()
        .zip(second)
        .map(|(a, b)| a.total_cmp(b))
        .find(|ordering| ordering.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

/// Whether `first` is at least `second` in every coordinate.
pub(crate) fn weakly_dominates(first: &[f64], second: &[f64]) -> bool {
    first.iter().zip(second).all(|(a, b)| a >= b)
}

/// The non-dominated vectors of `bounds`, merged pairwise by coordinate-wise maxima (which
/// keeps every vector weakly dominated by one kept) until at most [`MAX_MISSING_BOUNDS`]
/// remain.
fn reduce_bounds(mut bounds: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    loop {
        bounds.sort_by(|first, second| compare_vectors(first, second));
        bounds.dedup();
        let kept: Vec<Vec<f64>> = bounds
            .iter()
            .filter(|bound| {
                !bounds.iter().any(|other| other != *bound && weakly_dominates(other, bound))
            })
            .cloned()
            .collect();
        if kept.len() <= MAX_MISSING_BOUNDS {
            return kept;
        }
        bounds = kept
            .chunks(2)
            .map(|pair| {
                pair.iter().skip(1).fold(pair[0].clone(), |merged, other| {
                    merged.iter().zip(other).map(|(a, b)| a.max(*b)).collect()
                })
            })
            .collect();
    }
}

/// What one coordinate of the search maximises.
#[derive(Debug, Clone, Copy)]
enum Objective {
    /// A party's utility.
    Utility { party_idx: usize },
    /// Minus a party's utility: the search finds its lowest.
    NegatedUtility { party_idx: usize },
}

impl Objective {
    fn party_idx(self) -> usize {
        match self {
            Objective::Utility { party_idx } | Objective::NegatedUtility { party_idx } => party_idx,
        }
    }

    /// The sign the party's constraint values take in this objective's sums.
    fn sign(self) -> f64 {
        match self {
            Objective::Utility { .. } => 1.0,
            Objective::NegatedUtility { .. } => -1.0,
        }
    }

    /// The score bound implied by an upper bound on the signed sum.
    fn score_bound(self, sum_bound: f64, max_utility: f64) -> f64 {
        match self {
            Objective::Utility { .. } => (sum_bound / max_utility).min(1.0),
            Objective::NegatedUtility { .. } => -((-sum_bound) / max_utility).min(1.0),
        }
    }

    fn score(self, utilities: &[f64]) -> f64 {
        match self {
            Objective::Utility { party_idx } => utilities[party_idx],
            Objective::NegatedUtility { party_idx } => -utilities[party_idx],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Open,
    Satisfied,
    Dead,
}

/// A constraint as the search sees it: bounds on one issue intersected, bounds that every
/// option meets dropped.
#[derive(Debug, Clone)]
struct Item {
    objective_idx: usize,
    kind: ConstraintKind,
    /// The value with the objective's sign.
    value: f64,
    /// Its bounded issue that is branched last, and the range there. While open, it counts
    /// in that issue's bucket, for the options that satisfy it or may, when it is a positive
    /// `Includes` or only its home issue is unassigned; otherwise a positive value counts in
    /// the loose sum and a negative one nowhere.
    home_issue: usize,
    home_low: usize,
    home_high: usize,
}

#[derive(Debug, Clone, Copy)]
enum Undo {
    Item { item_idx: usize, status: Status, pending: u32 },
    Certain { objective_idx: usize, old: f64 },
    Loose { objective_idx: usize, old: f64 },
    Cover { cover_idx: usize, old: f64 },
    BucketMax { bucket_idx: usize, old: f64 },
    BucketTotal { objective_idx: usize, old: f64 },
    JointMax { issue_idx: usize, old: f64 },
    JointTotal { old: f64 },
    OpenValued { old: usize },
}

struct Found {
    scores: Vec<f64>,
    outcome: Vec<u16>,
}

/// A child of a node: the option and the bounds of the subtree below it.
struct Child {
    option_idx: usize,
    /// Children are tried by decreasing promise, then secondary promise, then option.
    promise: f64,
    secondary: f64,
    bounds_start: usize,
}

/// What a search looks for.
#[derive(Debug, Clone, Copy)]
enum Goal {
    /// Every non-dominated score vector: `found` is the non-dominated set.
    Pareto,
    /// The lexicographically largest `(score_0, score_1)` with `score_1 > threshold`: `found`
    /// holds the best so far.
    Sweep { threshold: f64 },
}

struct Search<'s, 'c> {
    goal: Goal,
    /// The bounds at the root of the last run.
    root_bounds: Vec<f64>,
    space: &'s RectangleSpace,
    objectives: Vec<Objective>,
    max_utilities: Vec<f64>,
    meter: Meter<'c>,
    /// The branched issues, in branching order.
    order: Vec<usize>,
    option_counts: Vec<usize>,
    option_offsets: Vec<usize>,
    n_issue_options: usize,
    items: Vec<Item>,
    /// Per issue, `(item_idx, low, high)` for every item bounded there.
    touching: Vec<Vec<(usize, usize, usize)>>,
    /// Per objective, what the bound of a sum may fall short of the canonical sum by.
    slack: Vec<f64>,
    status: Vec<Status>,
    pending: Vec<u32>,
    certain: Vec<f64>,
    loose: Vec<f64>,
    /// `cover[objective_idx * n_issue_options + option_offsets[issue] + option]`.
    cover: Vec<f64>,
    /// `bucket_max[objective_idx * n_issues + issue]`.
    bucket_max: Vec<f64>,
    bucket_total: Vec<f64>,
    /// With two utility objectives: per issue, the largest `sum_p cover_p / max_utility_p`
    /// over its options, their total, and whether a third bound, on `u_0 + u_1`, is kept.
    joint: bool,
    joint_max: Vec<f64>,
    joint_total: f64,
    joint_dirty: Vec<usize>,
    /// The entries per child in `child_bounds`: one per objective, and the joint bound.
    bounds_len: usize,
    /// The open items with a non-zero value; at 0 the subtree's utilities are all equal.
    n_open_valued: usize,
    trail: Vec<Undo>,
    dirty: Vec<usize>,
    is_dirty: Vec<bool>,
    assignment: Vec<u16>,
    found: Vec<Found>,
    missing: Vec<Vec<f64>>,
    steps: u64,
    /// Reused per depth: the children and their bound vectors.
    children: Vec<Vec<Child>>,
    child_bounds: Vec<Vec<f64>>,
}

impl<'s, 'c> Search<'s, 'c> {
    fn new(
        space: &'s RectangleSpace,
        objectives: Vec<Objective>,
        control: &'c Control<'c>,
    ) -> Self {
        let n_issues = space.n_issues();
        let option_counts = space.option_counts().to_vec();
        let mut option_offsets = Vec::with_capacity(n_issues);
        let mut n_issue_options = 0;
        for &n_options in &option_counts {
            option_offsets.push(n_issue_options);
            n_issue_options += n_options;
        }
        let n_objectives = objectives.len();
        let max_utilities: Vec<f64> = objectives
            .iter()
            .map(|objective| space.parties()[objective.party_idx()].max_utility)
            .collect();

        // Each constraint's bounds intersected per issue, trivial ones dropped.
        struct Normalised {
            objective_idx: usize,
            kind: ConstraintKind,
            value: f64,
            ranges: Vec<(usize, usize, usize)>,
            /// Decided without any issue: `Some(true)` satisfied, `Some(false)` never.
            constant: Option<bool>,
        }
        let mut normalised = Vec::new();
        for (objective_idx, objective) in objectives.iter().enumerate() {
            let party = &space.parties()[objective.party_idx()];
            for constraint in &party.constraints {
                let mut ranges: Vec<(usize, usize, usize)> = Vec::new();
                let mut empty_intersection = false;
                for bound in &constraint.bounds {
                    let (low, high) = (bound.lowest_option_idx, bound.highest_option_idx);
                    match ranges.iter_mut().find(|range| range.0 == bound.issue_idx) {
                        Some(range) => {
                            range.1 = range.1.max(low);
                            range.2 = range.2.min(high);
                            if range.1 > range.2 {
                                empty_intersection = true;
                            }
                        }
                        None => ranges.push((bound.issue_idx, low, high)),
                    }
                }
                let constant = if empty_intersection {
                    // No option lies in every bound on that issue.
                    Some(constraint.kind == ConstraintKind::Excludes)
                } else {
                    ranges.retain(|&(issue_idx, low, high)| {
                        !(low == 0 && high + 1 == option_counts[issue_idx])
                    });
                    ranges.is_empty().then_some(constraint.kind == ConstraintKind::Includes)
                };
                normalised.push(Normalised {
                    objective_idx,
                    kind: constraint.kind,
                    value: objective.sign() * constraint.value,
                    ranges,
                    constant,
                });
            }
        }
        // Most constrained first: by the weight of the constraints that bound an issue,
        // each value relative to its party's divisor; ties by issue.
        let mut issue_weight = vec![0.0; n_issues];
        for item in normalised.iter().filter(|item| item.constant.is_none()) {
            let max_utility =
                space.parties()[objectives[item.objective_idx].party_idx()].max_utility;
            for &(issue_idx, _, _) in &item.ranges {
                issue_weight[issue_idx] += item.value.abs() / max_utility;
            }
        }
        let mut order: Vec<usize> =
            (0..n_issues).filter(|&issue_idx| issue_weight[issue_idx] > 0.0).collect();
        order.sort_by(|&first, &second| {
            issue_weight[second].total_cmp(&issue_weight[first]).then(first.cmp(&second))
        });
        // Issues mentioned only by zero-valued constraints are branched on last.
        let mut position = vec![usize::MAX; n_issues];
        for (order_idx, &issue_idx) in order.iter().enumerate() {
            position[issue_idx] = order_idx;
        }
        for normalised_item in &normalised {
            for &(issue_idx, _, _) in &normalised_item.ranges {
                if position[issue_idx] == usize::MAX && normalised_item.constant.is_none() {
                    position[issue_idx] = order.len();
                    order.push(issue_idx);
                }
            }
        }

        let mut search = Search {
            goal: Goal::Pareto,
            root_bounds: Vec::new(),
            space,
            max_utilities,
            meter: Meter::new(control),
            option_offsets,
            n_issue_options,
            items: Vec::new(),
            touching: vec![Vec::new(); n_issues],
            slack: vec![0.0; n_objectives],
            status: Vec::new(),
            pending: Vec::new(),
            certain: vec![0.0; n_objectives],
            loose: vec![0.0; n_objectives],
            cover: vec![0.0; n_objectives * n_issue_options],
            bucket_max: vec![0.0; n_objectives * n_issues],
            bucket_total: vec![0.0; n_objectives],
            joint: false,
            joint_max: vec![0.0; n_issues],
            joint_total: 0.0,
            joint_dirty: Vec::new(),
            bounds_len: n_objectives,
            n_open_valued: 0,
            trail: Vec::new(),
            dirty: Vec::new(),
            is_dirty: vec![false; n_objectives * n_issues],
            assignment: vec![0; n_issues],
            found: Vec::new(),
            missing: Vec::new(),
            steps: 0,
            children: (0..=order.len()).map(|_| Vec::new()).collect(),
            child_bounds: (0..=order.len()).map(|_| Vec::new()).collect(),
            order,
            option_counts,
            objectives,
        };
        let mut absolute_sums = vec![0.0; n_objectives];
        let mut all_integral = true;
        for normalised_item in normalised {
            let objective_idx = normalised_item.objective_idx;
            let value = normalised_item.value;
            absolute_sums[objective_idx] += value.abs();
            all_integral &= value.fract() == 0.0;
            match normalised_item.constant {
                Some(true) => search.certain[objective_idx] += value,
                Some(false) => {}
                None => {
                    let item_idx = search.items.len();
                    let &(home_issue, home_low, home_high) = normalised_item
                        .ranges
                        .iter()
                        .max_by_key(|range| position[range.0])
                        .unwrap_or(&(0, 0, 0));
                    for &(issue_idx, low, high) in &normalised_item.ranges {
                        search.touching[issue_idx].push((item_idx, low, high));
                    }
                    let pending = normalised_item.ranges.len() as u32;
                    search.pending.push(pending);
                    search.status.push(Status::Open);
                    if value != 0.0 {
                        search.n_open_valued += 1;
                    }
                    search.items.push(Item {
                        objective_idx,
                        kind: normalised_item.kind,
                        value,
                        home_issue,
                        home_low,
                        home_high,
                    });
                    if search.is_in_cover(item_idx, pending) {
                        search.shift_cover(item_idx, 1.0);
                    } else if value > 0.0 {
                        search.loose[objective_idx] += value;
                    }
                }
            }
        }
        search.trail.clear();
        search.dirty.clear();
        search.is_dirty.fill(false);
        for (objective_idx, &absolute_sum) in absolute_sums.iter().enumerate() {
            for issue_idx in 0..n_issues {
                let bucket_max = search.bucket_max_of(objective_idx, issue_idx);
                search.bucket_max[objective_idx * n_issues + issue_idx] = bucket_max;
                search.bucket_total[objective_idx] += bucket_max;
            }
            // Integers below 2^52 add up exactly in any order; otherwise every sum of the
            // search may differ from the canonical sum by a few roundings of the total.
            let exact = all_integral && absolute_sum < 4.5e15;
            search.slack[objective_idx] = if exact {
                0.0
            } else {
                (16.0 * search.items.len() as f64 + 64.0) * f64::EPSILON * absolute_sum
            };
        }
        search.joint = n_objectives == 2
            && search
                .objectives
                .iter()
                .all(|objective| matches!(objective, Objective::Utility { .. }));
        if search.joint {
            search.bounds_len = 3;
            for issue_idx in 0..n_issues {
                search.joint_max[issue_idx] = search.joint_max_of(issue_idx);
                search.joint_total += search.joint_max[issue_idx];
            }
        }
        search
    }

    /// Starts a two-party frontier search from the outcomes a local search finds (see
    /// [`local::two_party_incumbents`]), so that its pruning bites from the first node.
    fn seed_two_parties(&mut self) -> Result<()> {
        let (incumbents, steps, searched) =
            local::two_party_incumbents(self.space, &mut self.meter);
        self.steps += steps;
        for incumbent in incumbents {
            let scores = incumbent.utilities;
            if self.found.iter().any(|found| weakly_dominates(&found.scores, &scores)) {
                continue;
            }
            self.found.retain(|found| !weakly_dominates(&scores, &found.scores));
            let position = self.found.partition_point(|found| found.scores[0] < scores[0]);
            self.found.insert(position, Found { scores, outcome: incumbent.outcome });
        }
        searched
    }

    fn joint_max_of(&self, issue_idx: usize) -> f64 {
        let start = self.option_offsets[issue_idx];
        (start..start + self.option_counts[issue_idx])
            .map(|option_idx| {
                self.cover[option_idx] / self.max_utilities[0]
                    + self.cover[self.n_issue_options + option_idx] / self.max_utilities[1]
            })
            .fold(f64::NEG_INFINITY, f64::max)
    }

    /// Whether the part of `u_0 + u_1 <= joint` below `bounds` lies under the staircase of
    /// the found points (sorted by `u_0`): every point of the segment from
    /// `(joint - bounds[1], bounds[1])` to `(bounds[0], joint - bounds[0])` is weakly
    /// dominated by one of them. Conservative at the steps' corners.
    fn is_segment_covered(&self, bounds: &[f64], joint: f64) -> bool {
        let (lowest_u0, highest_u0) = (joint - bounds[1], bounds[0]);
        if lowest_u0 >= highest_u0 {
            return false;
        }
        let mut previous_u0 = f64::NEG_INFINITY;
        for found in &self.found {
            let (found_u0, found_u1) = (found.scores[0], found.scores[1]);
            if found_u0 >= lowest_u0 {
                if found_u1 < joint - previous_u0.max(lowest_u0) {
                    return false;
                }
                if found_u0 >= highest_u0 {
                    return true;
                }
            }
            previous_u0 = found_u0;
        }
        false
    }

    fn bucket_max_of(&self, objective_idx: usize, issue_idx: usize) -> f64 {
        let start = objective_idx * self.n_issue_options + self.option_offsets[issue_idx];
        self.cover[start..start + self.option_counts[issue_idx]]
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max)
    }

    fn run(&mut self) -> Result<()> {
        let mut root_bounds = Vec::new();
        self.push_bounds(&mut root_bounds);
        root_bounds.truncate(self.objectives.len());
        self.root_bounds.clone_from(&root_bounds);
        let result = self.explore(0);
        if result.is_ok() {
            // The work is done: a limit reached by its last steps changes nothing.
            let _ = self.meter.flush();
        }
        if matches!(result, Err(Error::OverBudget { .. })) && self.missing.is_empty() {
            self.missing.push(root_bounds);
        }
        result
    }

    /// Appends the current node's score bounds, one per objective.
    fn push_bounds(&self, bounds: &mut Vec<f64>) {
        for (objective_idx, objective) in self.objectives.iter().enumerate() {
            let sum_bound = self.certain[objective_idx]
                + self.loose[objective_idx]
                + self.bucket_total[objective_idx]
                + self.slack[objective_idx];
            bounds.push(objective.score_bound(sum_bound, self.max_utilities[objective_idx]));
        }
        if self.joint {
            let mut joint = self.joint_total;
            for objective_idx in 0..2 {
                joint += (self.certain[objective_idx] + self.loose[objective_idx])
                    / self.max_utilities[objective_idx];
            }
            // Divisions and sums in another order than the canonical one: a generous slack.
            bounds.push(joint + 1e-9 * (1.0 + joint.abs()));
        }
    }

    /// Whether no outcome below these bounds can improve what was found.
    fn is_covered(&self, bounds: &[f64]) -> bool {
        match self.goal {
            Goal::Pareto => {
                let n_objectives = self.objectives.len();
                self.found.iter().any(|found| weakly_dominates(&found.scores, bounds))
                    || (bounds.len() > n_objectives
                        && self.is_segment_covered(bounds, bounds[n_objectives]))
            }
            Goal::Sweep { threshold } => {
                bounds[1] <= threshold
                    || self.found.first().is_some_and(|best| {
                        bounds[0] < best.scores[0]
                            || (bounds[0] <= best.scores[0] && bounds[1] <= best.scores[1])
                    })
            }
        }
    }

    fn explore(&mut self, depth: usize) -> Result<()> {
        if depth == self.order.len() || self.n_open_valued == 0 {
            return self.leaf(depth);
        }
        let issue_idx = self.order[depth];
        let n_objectives = self.objectives.len();
        let mut children = std::mem::take(&mut self.children[depth]);
        let mut child_bounds = std::mem::take(&mut self.child_bounds[depth]);
        children.clear();
        child_bounds.clear();
        let mut result = Ok(());
        for option_idx in 0..self.option_counts[issue_idx] {
            self.steps += 1;
            if let Err(err) = self.meter.tick(1) {
                result = Err(err);
                break;
            }
            let mark = self.trail.len();
            self.assign(issue_idx, option_idx);
            let bounds_start = child_bounds.len();
            self.push_bounds(&mut child_bounds);
            self.undo(mark);
            if self.is_covered(&child_bounds[bounds_start..]) {
                child_bounds.truncate(bounds_start);
                continue;
            }
            let bounds = &child_bounds[bounds_start..];
            let (promise, secondary) = match self.goal {
                Goal::Pareto => (bounds[..n_objectives].iter().sum(), 0.0),
                Goal::Sweep { .. } => (bounds[0], bounds[1]),
            };
            children.push(Child { option_idx, promise, secondary, bounds_start });
        }
        if result.is_ok() {
            children.sort_by(|first, second| {
                second
                    .promise
                    .total_cmp(&first.promise)
                    .then(second.secondary.total_cmp(&first.secondary))
                    .then(first.option_idx.cmp(&second.option_idx))
            });
            for child_idx in 0..children.len() {
                let child = &children[child_idx];
                let bounds =
                    &child_bounds[child.bounds_start..child.bounds_start + self.bounds_len];
                if self.is_covered(bounds) {
                    continue;
                }
                let mark = self.trail.len();
                self.assign(issue_idx, child.option_idx);
                self.assignment[issue_idx] = child.option_idx as u16;
                let explored = self.explore(depth + 1);
                self.undo(mark);
                if let Err(err) = explored {
                    if matches!(err, Error::OverBudget { .. }) {
                        for unexplored in &children[child_idx..] {
                            let start = unexplored.bounds_start;
                            self.missing.push(child_bounds[start..start + n_objectives].to_vec());
                        }
                    }
                    result = Err(err);
                    break;
                }
            }
        }
        self.children[depth] = children;
        self.child_bounds[depth] = child_bounds;
        result
    }

    /// Records the outcome of the current node, whose utilities no unassigned issue changes.
    fn leaf(&mut self, depth: usize) -> Result<()> {
        self.steps += 1;
        self.meter.tick(1)?;
        let mut outcome = vec![0u16; self.assignment.len()];
        for &issue_idx in &self.order[..depth] {
            outcome[issue_idx] = self.assignment[issue_idx];
        }
        let utilities = self.space.utilities(&outcome);
        let scores: Vec<f64> =
            self.objectives.iter().map(|objective| objective.score(&utilities)).collect();
        if self.is_covered(&scores) {
            return Ok(());
        }
        match self.goal {
            Goal::Pareto => {
                self.found.retain(|found| !weakly_dominates(&scores, &found.scores));
            }
            Goal::Sweep { .. } => self.found.clear(),
        }
        // Kept sorted by the first score, as the joint bound's staircase needs.
        let position = self.found.partition_point(|found| found.scores[0] < scores[0]);
        self.found.insert(position, Found { scores, outcome });
        Ok(())
    }

    fn assign(&mut self, issue_idx: usize, option_idx: usize) {
        for touch_idx in 0..self.touching[issue_idx].len() {
            let (item_idx, low, high) = self.touching[issue_idx][touch_idx];
            if self.status[item_idx] != Status::Open {
                continue;
            }
            let inside = (low..=high).contains(&option_idx);
            let pending = self.pending[item_idx];
            self.trail.push(Undo::Item { item_idx, status: Status::Open, pending });
            let settled = match (self.items[item_idx].kind, inside) {
                (ConstraintKind::Includes, false) => Some(Status::Dead),
                (ConstraintKind::Excludes, false) => Some(Status::Satisfied),
                (ConstraintKind::Includes, true) => (pending == 1).then_some(Status::Satisfied),
                (ConstraintKind::Excludes, true) => (pending == 1).then_some(Status::Dead),
            };
            self.pending[item_idx] = pending - 1;
            if let Some(status) = settled {
                self.settle(item_idx, status, pending);
            } else if pending == 2 && !self.is_in_cover(item_idx, 2) {
                // Only its home issue is left: it moves into that issue's bucket.
                let (objective_idx, value) =
                    (self.items[item_idx].objective_idx, self.items[item_idx].value);
                if value > 0.0 {
                    let old = self.loose[objective_idx];
                    self.trail.push(Undo::Loose { objective_idx, old });
                    self.loose[objective_idx] = old - value;
                }
                self.shift_cover(item_idx, 1.0);
            }
        }
        let n_issues = self.option_counts.len();
        while let Some(bucket_idx) = self.dirty.pop() {
            self.is_dirty[bucket_idx] = false;
            let objective_idx = bucket_idx / n_issues;
            let new = self.bucket_max_of(objective_idx, bucket_idx % n_issues);
            let old = self.bucket_max[bucket_idx];
            if new != old {
                self.trail.push(Undo::BucketMax { bucket_idx, old });
                self.bucket_max[bucket_idx] = new;
                let total = self.bucket_total[objective_idx];
                self.trail.push(Undo::BucketTotal { objective_idx, old: total });
                self.bucket_total[objective_idx] = total + (new - old);
            }
            if self.joint {
                self.joint_dirty.push(bucket_idx % n_issues);
            }
        }
        while let Some(issue_idx) = self.joint_dirty.pop() {
            let new = self.joint_max_of(issue_idx);
            let old = self.joint_max[issue_idx];
            if new != old {
                self.trail.push(Undo::JointMax { issue_idx, old });
                self.joint_max[issue_idx] = new;
                self.trail.push(Undo::JointTotal { old: self.joint_total });
                self.joint_total += new - old;
            }
        }
    }

    /// Whether an open item with `pending` unassigned issues counts in its home's bucket.
    fn is_in_cover(&self, item_idx: usize, pending: u32) -> bool {
        let item = &self.items[item_idx];
        item.value != 0.0
            && (pending == 1 || (item.kind == ConstraintKind::Includes && item.value > 0.0))
    }

    /// Adds `sign` times the item's value to its home's bucket, on the options where it is
    /// satisfied or may be.
    fn shift_cover(&mut self, item_idx: usize, sign: f64) {
        let item = &self.items[item_idx];
        let delta = sign * item.value;
        let start =
            item.objective_idx * self.n_issue_options + self.option_offsets[item.home_issue];
        let (low, high, kind) = (item.home_low, item.home_high, item.kind);
        for option_idx in 0..self.option_counts[item.home_issue] {
            let inside = (low..=high).contains(&option_idx);
            if inside == (kind == ConstraintKind::Includes) {
                let cover_idx = start + option_idx;
                let old = self.cover[cover_idx];
                self.trail.push(Undo::Cover { cover_idx, old });
                self.cover[cover_idx] = old + delta;
            }
        }
        let bucket_idx = item.objective_idx * self.option_counts.len() + item.home_issue;
        if !self.is_dirty[bucket_idx] {
            self.is_dirty[bucket_idx] = true;
            self.dirty.push(bucket_idx);
        }
    }

    /// Settles an open item that had `pending` unassigned issues before this assignment.
    fn settle(&mut self, item_idx: usize, status: Status, pending: u32) {
        self.status[item_idx] = status;
        let item = &self.items[item_idx];
        let (objective_idx, value) = (item.objective_idx, item.value);
        if status == Status::Satisfied {
            let old = self.certain[objective_idx];
            self.trail.push(Undo::Certain { objective_idx, old });
            self.certain[objective_idx] = old + value;
        }
        if value != 0.0 {
            self.trail.push(Undo::OpenValued { old: self.n_open_valued });
            self.n_open_valued -= 1;
        }
        if self.is_in_cover(item_idx, pending) {
            self.shift_cover(item_idx, -1.0);
        } else if value > 0.0 {
            let old = self.loose[objective_idx];
            self.trail.push(Undo::Loose { objective_idx, old });
            self.loose[objective_idx] = old - value;
        }
    }

    fn undo(&mut self, mark: usize) {
        while self.trail.len() > mark {
            match self.trail.pop() {
                Some(Undo::Item { item_idx, status, pending }) => {
                    self.status[item_idx] = status;
                    self.pending[item_idx] = pending;
                }
                Some(Undo::Certain { objective_idx, old }) => self.certain[objective_idx] = old,
                Some(Undo::Loose { objective_idx, old }) => self.loose[objective_idx] = old,
                Some(Undo::Cover { cover_idx, old }) => self.cover[cover_idx] = old,
                Some(Undo::BucketMax { bucket_idx, old }) => self.bucket_max[bucket_idx] = old,
                Some(Undo::BucketTotal { objective_idx, old }) => {
                    self.bucket_total[objective_idx] = old;
                }
                Some(Undo::OpenValued { old }) => self.n_open_valued = old,
                Some(Undo::JointMax { issue_idx, old }) => self.joint_max[issue_idx] = old,
                Some(Undo::JointTotal { old }) => self.joint_total = old,
                None => break,
            }
        }
    }
}
