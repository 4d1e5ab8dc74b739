//! Depth-first branch and bound over issues for monotone objectives of the utility vector.
//!
//! Utilities are additive, so any weighted sum of them is separable: its best completion picks
//! the best option of every remaining issue independently. Every bound here is built from
//! such weighted sums ("linear functionals"), precomputed as suffix sums over the search
//! order:
//!
//! - utilitarian welfare is itself the functional with all weights 1, so its bound is exact
//!   per issue;
//! - `min_p y_p <= sum_p lambda_p y_p` for any `lambda` on the simplex, which bounds the
//!   egalitarian value (and, with reservations as offsets, zone feasibility);
//! - `log` is concave, so `sum_p log y_p <= sum_p (log a_p - 1 + y_p / a_p)` for any `a > 0`,
//!   which bounds the Nash product with tangents taken at incumbents.
//!
//! All objectives are non-decreasing in every party's utility, so an optimum over the zone is
//! attained on the Pareto frontier and every dominator of a near-optimal outcome is itself
//! near-optimal. The search therefore collects all outcomes within tolerance of the optimum
//! and keeps the non-dominated ones, which is exactly the frontier's near-optimal set.

use crate::Result;
use crate::control::{Control, Meter};
use crate::frontier::{Allowed, allowed_options, suffix_best};
use crate::outcome_set::OutcomeSet;
use crate::pareto::non_dominated;
use crate::space::{Rules, UtilitySpace};

/// Outcomes whose value is within this distance of the optimum count as optimal.
pub(crate) fn tie_tolerance(best: f64) -> f64 {
    1e-12 * best.abs().max(1.0)
}

/// A monotone objective to maximise.
#[derive(Debug, Clone)]
pub(crate) enum Objective {
    /// `sum_p u_p`.
    Utilitarian,
    /// `min_{p in parties} (u_p - offset_p)`; with no parties it is constant `0`.
    Egalitarian { parties: Vec<usize>, offsets: Vec<f64> },
    /// `prod_p (u_p - d_p)`, restricted to outcomes with `u_p >= d_p` for every party.
    Nash { disagreement: Vec<f64> },
}

impl Objective {
    /// The objective's value; `-inf` outside its domain.
    pub(crate) fn value(&self, utilities: &[f64]) -> f64 {
        match self {
            Objective::Utilitarian => utilitarian_value(utilities),
            Objective::Egalitarian { parties, offsets } => parties
                .iter()
                .zip(offsets)
                .map(|(&party_idx, offset)| utilities[party_idx] - offset)
                .fold(if parties.is_empty() { 0.0 } else { f64::INFINITY }, f64::min),
            Objective::Nash { disagreement } => {
                if utilities.iter().zip(disagreement).any(|(utility, point)| utility < point) {
                    return f64::NEG_INFINITY;
                }
                nash_value(utilities, disagreement)
            }
        }
    }
}

/// `sum_p u_p`, summed in party order from `0.0`.
pub(crate) fn utilitarian_value(utilities: &[f64]) -> f64 {
    utilities.iter().fold(0.0, |sum, utility| sum + utility)
}

/// `prod_p (u_p - d_p)`, multiplied in party order from `1.0`.
pub(crate) fn nash_value(utilities: &[f64], disagreement: &[f64]) -> f64 {
    utilities
        .iter()
        .zip(disagreement)
        .fold(1.0, |product, (utility, point)| product * (utility - point))
}

/// `min_p (u_p - d_p)`.
pub(crate) fn egalitarian_value(utilities: &[f64], disagreement: &[f64]) -> f64 {
    utilities
        .iter()
        .zip(disagreement)
        .map(|(utility, point)| utility - point)
        .fold(f64::INFINITY, f64::min)
}

/// The result of a search: the optimum and the non-dominated outcomes within tolerance of it.
pub(crate) struct Optimum {
    pub(crate) best: f64,
    pub(crate) outcomes: OutcomeSet,
}

/// A weighted sum with its best completion from each search position on.
struct Functional {
    weights: Vec<f64>,
    /// A constant added to the weighted sum, for Nash tangents.
    constant: f64,
    /// `suffix[position_idx]`: the best weighted sum of the issues from that position on.
    suffix: Vec<f64>,
}

/// The most Nash tangents kept at once; older ones are replaced.
const MAX_TANGENTS: usize = 4;

struct Search<'a> {
    space: &'a UtilitySpace,
    rules: &'a Rules,
    objective: &'a Objective,
    n_parties: usize,
    n_positions: usize,
    /// The issue decided at each search position.
    issue_order: Vec<usize>,
    /// The options tried at each position, best first by the ordering heuristic.
    position_options: Vec<Vec<u16>>,
    /// `position_values[position_idx][way_idx * n_parties + party_idx]`.
    position_values: Vec<Vec<f64>>,
    /// `suffix_best[position_idx * n_parties + party_idx]`.
    suffix_best: Vec<f64>,
    /// Per party, slack that covers rounding differences between bounds and exact sums.
    slack: Vec<f64>,
    functionals: Vec<Functional>,
    tangents: Vec<Functional>,
    stop_at: Option<f64>,
    best: f64,
    stopped: bool,
    choice: Vec<u16>,
    partial: Vec<f64>,
    leaf_utilities: Vec<f64>,
    candidate_outcomes: Vec<u16>,
    candidate_utilities: Vec<f64>,
    candidate_values: Vec<f64>,
    n_nodes: u64,
    /// Once this many candidates are kept, those below the current optimum are dropped.
    candidate_limit: usize,
    control: &'a Control<'a>,
}

/// Maximises `objective` over the outcomes allowed by `rules`.
///
/// Returns `None` when no allowed outcome has a finite value. With `stop_at`, the search ends
/// as soon as an outcome reaches that value, and the outcomes returned are only those found.
pub(crate) fn maximise(
    space: &UtilitySpace,
    rules: &Rules,
    objective: &Objective,
    stop_at: Option<f64>,
    control: &Control<'_>,
) -> Result<Option<Optimum>> {
    let n_parties = space.n_parties();
    let n_issues = space.n_issues();
    let allowed = allowed_options(space, rules);
    if allowed.iter().any(Vec::is_empty) {
        return Ok(None);
    }
    let mut search = Search::new(space, rules, objective, &allowed, stop_at, control);
    // Setting up looks at every allowed option; each outcome the local search evaluates is
    // a step too.
    control.spend(allowed.iter().map(|options| options.len() as u64).sum())?;
    let n_evaluated = search.start_from_local_optimum(&allowed);
    control.spend(n_evaluated)?;
    search.descend(0)?;
    control.spend(search.n_nodes % Meter::BATCH)?;
    if search.best == f64::NEG_INFINITY {
        return Ok(None);
    }
    let threshold = search.best - tie_tolerance(search.best);
    let mut outcomes = Vec::new();
    let mut utilities = Vec::new();
    for (candidate_idx, &value) in search.candidate_values.iter().enumerate() {
        if value >= threshold || search.stopped {
            outcomes.extend_from_slice(
                &search.candidate_outcomes[candidate_idx * n_issues..][..n_issues],
            );
            utilities.extend_from_slice(
                &search.candidate_utilities[candidate_idx * n_parties..][..n_parties],
            );
        }
    }
    let kept = non_dominated(n_parties, &utilities);
    let mut kept_outcomes = Vec::with_capacity(kept.len() * n_issues);
    let mut kept_utilities = Vec::with_capacity(kept.len() * n_parties);
    for &kept_idx in &kept {
        kept_outcomes.extend_from_slice(&outcomes[kept_idx * n_issues..][..n_issues]);
        kept_utilities.extend_from_slice(&utilities[kept_idx * n_parties..][..n_parties]);
    }
    Ok(Some(Optimum {
        best: search.best,
        outcomes: OutcomeSet::from_unsorted(n_issues, n_parties, kept_outcomes, kept_utilities),
    }))
}

impl<'a> Search<'a> {
    fn new(
        space: &'a UtilitySpace,
        rules: &'a Rules,
        objective: &'a Objective,
        allowed: &[Vec<u16>],
        stop_at: Option<f64>,
        control: &'a Control<'a>,
    ) -> Search<'a> {
        let n_parties = space.n_parties();
        let n_issues = space.n_issues();
        let value_of = |issue_idx: usize, option_idx: u16| {
            space.option_values(space.option_offsets()[issue_idx] + usize::from(option_idx))
        };
        // Deciding the issues with the widest spread first makes bounds tight early.
        let spread = |issue_idx: usize| -> f64 {
            (0..n_parties)
                .map(|party_idx| {
                    let values = allowed[issue_idx]
                        .iter()
                        .map(|&option_idx| value_of(issue_idx, option_idx)[party_idx]);
                    let (min, max) = values
                        .fold((f64::INFINITY, f64::NEG_INFINITY), |(min, max), value| {
                            (min.min(value), max.max(value))
                        });
                    max - min
                })
                .sum()
        };
        let spreads: Vec<f64> = (0..n_issues).map(spread).collect();
        let mut issue_order: Vec<usize> = (0..n_issues).collect();
        issue_order.sort_unstable_by(|&left, &right| {
            spreads[right].total_cmp(&spreads[left]).then(left.cmp(&right))
        });

        let order_weights = match objective {
            Objective::Egalitarian { parties, .. } => {
                let mut weights = vec![0.0; n_parties];
                for &party_idx in parties {
                    weights[party_idx] = 1.0;
                }
                weights
            }
            _ => vec![1.0; n_parties],
        };
        let mut position_options = Vec::with_capacity(n_issues);
        let mut position_values: Vec<Vec<f64>> = Vec::with_capacity(n_issues);
        for &issue_idx in &issue_order {
            // Each option's score once, then the options best first (ties by index).
            let mut scored: Vec<(f64, u16)> = allowed[issue_idx]
                .iter()
                .map(|&option_idx| {
                    (dot(&order_weights, value_of(issue_idx, option_idx)), option_idx)
                })
                .collect();
            scored.sort_unstable_by(|left, right| {
                right.0.total_cmp(&left.0).then(left.1.cmp(&right.1))
            });
            let options: Vec<u16> = scored.into_iter().map(|(_, option_idx)| option_idx).collect();
            position_values.push(
                options
                    .iter()
                    .flat_map(|&option_idx| value_of(issue_idx, option_idx).to_vec())
                    .collect(),
            );
            position_options.push(options);
        }
        let mut suffix = vec![0.0; (n_issues + 1) * n_parties];
        for position_idx in (0..n_issues).rev() {
            let n_ways = position_options[position_idx].len();
            for party_idx in 0..n_parties {
                let values = &position_values[position_idx];
                let best = (0..n_ways)
                    .map(|way_idx| values[way_idx * n_parties + party_idx])
                    .fold(f64::NEG_INFINITY, f64::max);
                suffix[position_idx * n_parties + party_idx] =
                    suffix[(position_idx + 1) * n_parties + party_idx] + best;
            }
        }
        let magnitude = suffix_best(n_parties, &Allowed::new(space, rules)).magnitude;
        let slack = (0..n_parties)
            .map(|party_idx| {
                let threshold = rules.thresholds[party_idx];
                let threshold_size = if threshold.is_finite() { threshold.abs() } else { 0.0 };
                1e-9 * (1.0 + magnitude[party_idx] + threshold_size)
            })
            .collect();

        let mut search = Search {
            space,
            rules,
            objective,
            n_parties,
            n_positions: n_issues,
            issue_order,
            position_options,
            position_values,
            suffix_best: suffix,
            slack,
            functionals: Vec::new(),
            tangents: Vec::new(),
            stop_at,
            best: f64::NEG_INFINITY,
            stopped: false,
            choice: vec![0; n_issues],
            partial: vec![0.0; (n_issues + 1) * n_parties],
            leaf_utilities: vec![0.0; n_parties],
            candidate_outcomes: Vec::new(),
            candidate_utilities: Vec::new(),
            candidate_values: Vec::new(),
            n_nodes: 0,
            candidate_limit: Meter::BATCH as usize,
            control,
        };
        match objective {
            Objective::Utilitarian => {
                search.functionals.push(search.functional(vec![1.0; n_parties], 0.0))
            }
            Objective::Egalitarian { parties, offsets } => {
                for weights in simplex_weights(n_parties, parties) {
                    let constant = -parties
                        .iter()
                        .zip(offsets)
                        .map(|(&party_idx, offset)| weights[party_idx] * offset)
                        .sum::<f64>();
                    search.functionals.push(search.functional(weights, constant));
                }
            }
            Objective::Nash { .. } => {}
        }
        search
    }

    fn functional(&self, weights: Vec<f64>, constant: f64) -> Functional {
        let mut suffix = vec![0.0; self.n_positions + 1];
        for position_idx in (0..self.n_positions).rev() {
            let values = &self.position_values[position_idx];
            let best = values
                .chunks_exact(self.n_parties)
                .map(|option_values| dot(&weights, option_values))
                .fold(f64::NEG_INFINITY, f64::max);
            suffix[position_idx] = suffix[position_idx + 1] + best;
        }
        Functional { weights, constant, suffix }
    }

    /// Seeds the incumbent with a greedy outcome improved one issue at a time, so that the
    /// search prunes from the start. Only the value is kept: the search finds it again.
    /// Returns how many outcomes it evaluated.
    fn start_from_local_optimum(&mut self, allowed: &[Vec<u16>]) -> u64 {
        let n_issues = self.n_positions;
        let mut outcome: Vec<u16> = (0..n_issues)
            .map(|issue_idx| {
                let position_idx =
                    self.issue_order.iter().position(|&ordered| ordered == issue_idx).unwrap_or(0);
                self.position_options[position_idx][0]
            })
            .collect();
        let n_parties = self.n_parties;
        let (space, rules, objective) = (self.space, self.rules, self.objective);
        let score = |utilities: &[f64]| {
            if rules.meets_thresholds(utilities) {
                objective.value(utilities)
            } else {
                f64::NEG_INFINITY
            }
        };
        let value_of = |issue_idx: usize, option_idx: u16| {
            space.option_values(space.option_offsets()[issue_idx] + usize::from(option_idx))
        };
        // A move changes one issue: its utilities are the current ones shifted by the
        // difference of the two options, which may differ from the sum in issue order in the
        // last bits. That only steers the local search: the value kept is summed exactly.
        let mut utilities = space.utilities(&outcome);
        let mut moved = vec![0.0; n_parties];
        let mut best = score(&utilities);
        let mut n_evaluated = 1;
        for _ in 0..8 {
            let mut improved = false;
            for issue_idx in 0..n_issues {
                for &option_idx in &allowed[issue_idx] {
                    let current = value_of(issue_idx, outcome[issue_idx]);
                    let candidate = value_of(issue_idx, option_idx);
                    for party_idx in 0..n_parties {
                        moved[party_idx] =
                            utilities[party_idx] - current[party_idx] + candidate[party_idx];
                    }
                    let value = score(&moved);
                    n_evaluated += 1;
                    if value > best {
                        best = value;
                        improved = true;
                        outcome[issue_idx] = option_idx;
                        utilities.copy_from_slice(&moved);
                    }
                }
            }
            if !improved {
                break;
            }
        }
        let utilities = space.utilities(&outcome);
        let best = score(&utilities);
        if best > f64::NEG_INFINITY {
            self.improve(best, &utilities);
        }
        n_evaluated
    }

    fn improve(&mut self, value: f64, utilities: &[f64]) {
        self.best = value;
        if let Objective::Nash { disagreement } = self.objective {
            let tangent_point: Vec<f64> = utilities
                .iter()
                .zip(disagreement)
                .map(|(utility, point)| utility - point)
                .collect();
            if tangent_point.iter().all(|&gain| gain > 0.0) {
                let weights: Vec<f64> = tangent_point.iter().map(|gain| 1.0 / gain).collect();
                // log(prod y) <= sum_p (log a_p - 1 + y_p / a_p), with y_p = x_p - d_p.
                let constant = tangent_point.iter().map(|gain| gain.ln() - 1.0).sum::<f64>()
                    - dot(&weights, disagreement);
                let tangent = self.functional(weights, constant);
                if self.tangents.len() == MAX_TANGENTS {
                    self.tangents.remove(0);
                }
                self.tangents.push(tangent);
            }
        }
    }

    /// An upper bound on the objective over completions of the partial outcome at `position_idx`,
    /// or `-inf` when no completion can meet the thresholds.
    fn bound(&self, position_idx: usize) -> f64 {
        let n_parties = self.n_parties;
        let partial = &self.partial[position_idx * n_parties..(position_idx + 1) * n_parties];
        let suffix_best =
            &self.suffix_best[position_idx * n_parties..(position_idx + 1) * n_parties];
        for party_idx in 0..n_parties {
            if partial[party_idx] + suffix_best[party_idx]
                < self.rules.thresholds[party_idx] - self.slack[party_idx]
            {
                return f64::NEG_INFINITY;
            }
        }
        let linear = |functional: &Functional| {
            functional.constant
                + dot(&functional.weights, partial)
                + functional.suffix[position_idx]
        };
        match self.objective {
            Objective::Utilitarian => linear(&self.functionals[0]),
            Objective::Egalitarian { parties, offsets } => {
                let mut bound = if parties.is_empty() { 0.0 } else { f64::INFINITY };
                for (&party_idx, offset) in parties.iter().zip(offsets) {
                    bound = bound.min(partial[party_idx] + suffix_best[party_idx] - offset);
                }
                self.functionals.iter().map(linear).fold(bound, f64::min)
            }
            Objective::Nash { disagreement } => {
                let mut product = 1.0;
                for party_idx in 0..n_parties {
                    let gain =
                        partial[party_idx] + suffix_best[party_idx] - disagreement[party_idx];
                    if gain < -self.slack[party_idx] {
                        return f64::NEG_INFINITY;
                    }
                    product *= gain.max(0.0);
                }
                let log_bound = self.tangents.iter().map(linear).fold(f64::INFINITY, f64::min);
                product.min(log_bound.exp())
            }
        }
    }

    fn descend(&mut self, position_idx: usize) -> Result<()> {
        self.n_nodes += 1;
        if self.n_nodes.is_multiple_of(Meter::BATCH) {
            self.control.spend(Meter::BATCH)?;
        }
        if position_idx == self.n_positions {
            self.visit_leaf();
            if self.candidate_values.len() >= self.candidate_limit {
                self.drop_candidates_below_optimum()?;
            }
            return Ok(());
        }
        let n_parties = self.n_parties;
        let issue_idx = self.issue_order[position_idx];
        for way_idx in 0..self.position_options[position_idx].len() {
            if self.stopped {
                return Ok(());
            }
            for party_idx in 0..n_parties {
                self.partial[(position_idx + 1) * n_parties + party_idx] = self.partial
                    [position_idx * n_parties + party_idx]
                    + self.position_values[position_idx][way_idx * n_parties + party_idx];
            }
            let bound = self.bound(position_idx + 1);
            // The slack keeps rounding in the bound from pruning outcomes that tie the optimum.
            let cutoff = self.best - tie_tolerance(self.best) - 1e-9 * (1.0 + self.best.abs());
            if bound == f64::NEG_INFINITY || bound < cutoff {
                continue;
            }
            self.choice[issue_idx] = self.position_options[position_idx][way_idx];
            self.descend(position_idx + 1)?;
            if position_idx == 0 {
                self.control.report(way_idx as u64 + 1, self.position_options[0].len() as u64);
            }
        }
        Ok(())
    }

    /// Drops the candidates that a later incumbent left behind, and checks that those left,
    /// which tie the optimum so far, fit in the memory budget.
    fn drop_candidates_below_optimum(&mut self) -> Result<()> {
        let (n_issues, n_parties) = (self.n_positions, self.n_parties);
        let threshold = self.best - tie_tolerance(self.best);
        let mut n_kept = 0;
        for candidate_idx in 0..self.candidate_values.len() {
            if self.candidate_values[candidate_idx] >= threshold || self.stopped {
                self.candidate_values[n_kept] = self.candidate_values[candidate_idx];
                self.candidate_outcomes.copy_within(
                    candidate_idx * n_issues..(candidate_idx + 1) * n_issues,
                    n_kept * n_issues,
                );
                self.candidate_utilities.copy_within(
                    candidate_idx * n_parties..(candidate_idx + 1) * n_parties,
                    n_kept * n_parties,
                );
                n_kept += 1;
            }
        }
        self.candidate_values.truncate(n_kept);
        self.candidate_outcomes.truncate(n_kept * n_issues);
        self.candidate_utilities.truncate(n_kept * n_parties);
        self.candidate_limit = (2 * n_kept).max(Meter::BATCH as usize);
        // The candidates, and the copies and order that the end of the search makes of them.
        let bytes = 2 * n_kept * (8 + 2 * n_issues + 8 * n_parties);
        self.control.reserve(bytes as u64)
    }

    fn visit_leaf(&mut self) {
        let mut utilities = std::mem::take(&mut self.leaf_utilities);
        self.space.utilities_into(&self.choice, &mut utilities);
        if self.rules.meets_thresholds(&utilities) {
            let value = self.objective.value(&utilities);
            if value > f64::NEG_INFINITY && value >= self.best - tie_tolerance(self.best) {
                self.candidate_outcomes.extend_from_slice(&self.choice);
                self.candidate_utilities.extend_from_slice(&utilities);
                self.candidate_values.push(value);
                if value > self.best {
                    self.improve(value, &utilities);
                }
                if self.stop_at.is_some_and(|stop_at| value >= stop_at) {
                    self.stopped = true;
                }
            }
        }
        self.leaf_utilities = utilities;
    }
}

fn dot(weights: &[f64], values: &[f64]) -> f64 {
    weights.iter().zip(values).map(|(weight, value)| weight * value).sum()
}

/// Weights on the simplex over `parties` for egalitarian bounds: the uniform weights and the
/// midpoints of every pair of parties. Unit weights are covered by the per-party bound.
fn simplex_weights(n_parties: usize, parties: &[usize]) -> Vec<Vec<f64>> {
    let mut res = Vec::new();
    if parties.len() >= 2 {
        let mut uniform = vec![0.0; n_parties];
        for &party_idx in parties {
            uniform[party_idx] = 1.0 / parties.len() as f64;
        }
        res.push(uniform);
    }
    if parties.len() >= 3 && parties.len() <= 8 {
        for (first_idx, &first) in parties.iter().enumerate() {
            for &second in &parties[first_idx + 1..] {
                let mut pair = vec![0.0; n_parties];
                pair[first] = 0.5;
                pair[second] = 0.5;
                res.push(pair);
            }
        }
    }
    res
}
