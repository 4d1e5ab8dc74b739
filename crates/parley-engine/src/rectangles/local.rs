//! Local search for good outcomes of a hyper-rectangle space: incumbents found before the
//! branch and bound, so that its pruning bites from the first node. Nothing here is a proof:
//! the outcomes found are true outcomes, evaluated by [`RectangleSpace::utilities`], and the
//! branch and bound decides what is optimal.
//!
//! The search is iterated local search over one-issue moves, with incremental sums: per
//! constraint, the number of its bounds the current outcome lies outside. Its random choices
//! come from a fixed seed, so it finds the same outcomes on every run.

use rand::{RngExt, SeedableRng};

use crate::Result;
use crate::control::Meter;

use super::search::weakly_dominates;
use super::{ConstraintKind, RectangleSpace};

/// An outcome and its canonical utilities.
pub(crate) struct Incumbent {
    pub(crate) utilities: Vec<f64>,
    pub(crate) outcome: Vec<u16>,
}

/// What one local search maximises, from the parties' clamped utilities `u` (each
/// `min(1, sum / max_utility)`).
#[derive(Debug, Clone, Copy)]
enum Aim {
    /// `u[maximised]`, with `u[constrained] >= threshold` (shortfalls heavily penalised) and a
    /// small reward for `u[constrained]` as a tie break.
    Constrained { maximised: usize, constrained: usize, threshold: f64 },
    /// `-u[party_idx]`.
    Lowest { party_idx: usize },
}

impl Aim {
    fn score(self, utilities: &[f64]) -> f64 {
        match self {
            Aim::Constrained { maximised, constrained, threshold } => {
                let shortfall = (threshold - utilities[constrained]).max(0.0);
                utilities[maximised] - 4.0 * shortfall + 1e-3 * utilities[constrained]
            }
            Aim::Lowest { party_idx } => -utilities[party_idx],
        }
    }
}

/// One constraint as the local search sees it.
struct LocalConstraint {
    party_idx: usize,
    kind: ConstraintKind,
    value: f64,
}

struct LocalSearch<'s, 'm, 'c> {
    space: &'s RectangleSpace,
    meter: &'m mut Meter<'c>,
    constraints: Vec<LocalConstraint>,
    /// Per issue, `(constraint_idx, low, high)`: the constraint's bounds on it, intersected.
    touching: Vec<Vec<(usize, usize, usize)>>,
    /// The issues some constraint bounds: the only ones worth moving.
    moved_issues: Vec<usize>,
    /// Per party, the sum of the constraints satisfied whatever the outcome.
    constant_sums: Vec<f64>,
    max_utilities: Vec<f64>,
    outcome: Vec<u16>,
    outside: Vec<u32>,
    sums: Vec<f64>,
    rng: rand_chacha::ChaCha8Rng,
    /// The non-dominated outcomes seen (for [`Aim::Lowest`], the lowest), canonical utilities.
    archive: Vec<Incumbent>,
    deltas: Vec<f64>,
    utilities: Vec<f64>,
    /// The moves evaluated: one step per option tried.
    steps: u64,
}

impl<'s, 'm, 'c> LocalSearch<'s, 'm, 'c> {
    fn new(space: &'s RectangleSpace, meter: &'m mut Meter<'c>) -> Self {
        let n_parties = space.n_parties();
        let mut constraints = Vec::new();
        let mut touching = vec![Vec::new(); space.n_issues()];
        let mut constant_sums = vec![0.0; n_parties];
        for (party_idx, party) in space.parties().iter().enumerate() {
            for constraint in &party.constraints {
                let mut ranges: Vec<(usize, usize, usize)> = Vec::new();
                let mut empty = false;
                for bound in &constraint.bounds {
                    let (low, high) = (bound.lowest_option_idx, bound.highest_option_idx);
                    match ranges.iter_mut().find(|range| range.0 == bound.issue_idx) {
                        Some(range) => {
                            range.1 = range.1.max(low);
                            range.2 = range.2.min(high);
                            empty |= range.1 > range.2;
                        }
                        None => ranges.push((bound.issue_idx, low, high)),
                    }
                }
                if empty || ranges.is_empty() {
                    // Decided whatever the outcome: an empty range is never inside.
                    let satisfied = if empty {
                        constraint.kind == ConstraintKind::Excludes
                    } else {
                        constraint.kind == ConstraintKind::Includes
                    };
                    if satisfied {
                        constant_sums[party_idx] += constraint.value;
                    }
                    continue;
                }
                let constraint_idx = constraints.len();
                for &(issue_idx, low, high) in &ranges {
                    touching[issue_idx].push((constraint_idx, low, high));
                }
                constraints.push(LocalConstraint {
                    party_idx,
                    kind: constraint.kind,
                    value: constraint.value,
                });
            }
        }
        let moved_issues =
            (0..space.n_issues()).filter(|&issue_idx| !touching[issue_idx].is_empty()).collect();
        let n_constraints = constraints.len();
        LocalSearch {
            space,
            meter,
            constraints,
            touching,
            moved_issues,
            constant_sums,
            max_utilities: space.parties().iter().map(|party| party.max_utility).collect(),
            outcome: vec![0; space.n_issues()],
            outside: vec![0; n_constraints],
            sums: vec![0.0; n_parties],
            rng: rand_chacha::ChaCha8Rng::seed_from_u64(0x5eed),
            archive: Vec::new(),
            deltas: vec![0.0; n_parties],
            utilities: vec![0.0; n_parties],
            steps: 0,
        }
    }

    fn is_satisfied(kind: ConstraintKind, outside: u32) -> bool {
        match kind {
            ConstraintKind::Includes => outside == 0,
            ConstraintKind::Excludes => outside > 0,
        }
    }

    /// Moves to `outcome`, recomputing every count and sum.
    fn reset(&mut self, outcome: &[u16]) {
        self.outcome.copy_from_slice(outcome);
        self.outside.fill(0);
        for (issue_idx, touches) in self.touching.iter().enumerate() {
            let option_idx = usize::from(self.outcome[issue_idx]);
            for &(constraint_idx, low, high) in touches {
                if !(low..=high).contains(&option_idx) {
                    self.outside[constraint_idx] += 1;
                }
            }
        }
        self.sums.clone_from(&self.constant_sums);
        for (constraint, &outside) in self.constraints.iter().zip(&self.outside) {
            if Self::is_satisfied(constraint.kind, outside) {
                self.sums[constraint.party_idx] += constraint.value;
            }
        }
    }

    /// Fills `deltas` with what moving `issue_idx` to `option_idx` adds to each sum.
    fn move_deltas(&mut self, issue_idx: usize, option_idx: usize) {
        self.deltas.fill(0.0);
        let current = usize::from(self.outcome[issue_idx]);
        for &(constraint_idx, low, high) in &self.touching[issue_idx] {
            let was_inside = (low..=high).contains(&current);
            let is_inside = (low..=high).contains(&option_idx);
            if was_inside == is_inside {
                continue;
            }
            let outside = self.outside[constraint_idx];
            let new_outside = if was_inside { outside + 1 } else { outside - 1 };
            let constraint = &self.constraints[constraint_idx];
            let before = Self::is_satisfied(constraint.kind, outside);
            let after = Self::is_satisfied(constraint.kind, new_outside);
            if before != after {
                let sign = if after { 1.0 } else { -1.0 };
                self.deltas[constraint.party_idx] += sign * constraint.value;
            }
        }
    }

    fn apply_move(&mut self, issue_idx: usize, option_idx: usize) {
        self.move_deltas(issue_idx, option_idx);
        for (sum, delta) in self.sums.iter_mut().zip(&self.deltas) {
            *sum += delta;
        }
        let current = usize::from(self.outcome[issue_idx]);
        for &(constraint_idx, low, high) in &self.touching[issue_idx] {
            let was_inside = (low..=high).contains(&current);
            let is_inside = (low..=high).contains(&option_idx);
            if was_inside && !is_inside {
                self.outside[constraint_idx] += 1;
            } else if !was_inside && is_inside {
                self.outside[constraint_idx] -= 1;
            }
        }
        self.outcome[issue_idx] = option_idx as u16;
    }

    /// The clamped utilities of the sums plus `deltas` (with `with_deltas`).
    fn fill_utilities(&mut self, with_deltas: bool) {
        for party_idx in 0..self.sums.len() {
            let delta = if with_deltas { self.deltas[party_idx] } else { 0.0 };
            self.utilities[party_idx] =
                ((self.sums[party_idx] + delta) / self.max_utilities[party_idx]).min(1.0);
        }
    }

    /// Improving moves, best first, until none improves `aim`; the archive sees every
    /// outcome passed through.
    fn descend(&mut self, aim: Aim) -> Result<f64> {
        self.fill_utilities(false);
        let mut current = aim.score(&self.utilities);
        loop {
            let mut best: Option<(usize, usize, f64)> = None;
            for position in 0..self.moved_issues.len() {
                let issue_idx = self.moved_issues[position];
                let n_options = self.space.option_counts()[issue_idx];
                self.steps += n_options as u64;
                self.meter.tick(n_options as u64)?;
                for option_idx in 0..n_options {
                    if option_idx == usize::from(self.outcome[issue_idx]) {
                        continue;
                    }
                    self.move_deltas(issue_idx, option_idx);
                    self.fill_utilities(true);
                    let score = aim.score(&self.utilities);
                    if score > best.map_or(current + 1e-12, |best| best.2) {
                        best = Some((issue_idx, option_idx, score));
                    }
                }
            }
            let Some((issue_idx, option_idx, score)) = best else { return Ok(current) };
            self.apply_move(issue_idx, option_idx);
            current = score;
            self.offer(aim);
        }
    }

    /// Adds the current outcome to the archive if no archived outcome is as good.
    fn offer(&mut self, aim: Aim) {
        self.fill_utilities(false);
        let approximate = &self.utilities;
        let dominated = match aim {
            Aim::Constrained { .. } => {
                self.archive.iter().any(|kept| weakly_dominates(&kept.utilities, approximate))
            }
            Aim::Lowest { party_idx } => {
                self.archive.iter().any(|kept| kept.utilities[party_idx] <= approximate[party_idx])
            }
        };
        if dominated {
            return;
        }
        let utilities = self.space.utilities(&self.outcome);
        match aim {
            Aim::Constrained { .. } => {
                if self.archive.iter().any(|kept| weakly_dominates(&kept.utilities, &utilities)) {
                    return;
                }
                self.archive.retain(|kept| !weakly_dominates(&utilities, &kept.utilities));
            }
            Aim::Lowest { .. } => self.archive.clear(),
        }
        self.archive.push(Incumbent { utilities, outcome: self.outcome.clone() });
    }

    fn random_outcome(&mut self) -> Vec<u16> {
        let option_counts = self.space.option_counts();
        (0..self.outcome.len())
            .map(|issue_idx| {
                if self.touching[issue_idx].is_empty() {
                    0
                } else {
                    self.rng.random_range(0..option_counts[issue_idx]) as u16
                }
            })
            .collect()
    }

    /// Iterated local search for `aim` from `start`: `rounds` descents, each from the best
    /// outcome so far with a few issues changed at random.
    fn iterate(&mut self, aim: Aim, start: &[u16], rounds: usize) -> Result<Vec<u16>> {
        self.reset(start);
        self.offer(aim);
        let mut best_score = self.descend(aim)?;
        let mut best = self.outcome.clone();
        for _ in 0..rounds {
            self.reset(&best);
            let n_changes = self.rng.random_range(1..=4usize).min(self.moved_issues.len());
            for _ in 0..n_changes {
                let issue_idx =
                    self.moved_issues[self.rng.random_range(0..self.moved_issues.len())];
                let option_idx = self.rng.random_range(0..self.space.option_counts()[issue_idx]);
                self.apply_move(issue_idx, option_idx);
            }
            let score = self.descend(aim)?;
            if score >= best_score {
                best_score = score;
                best.clone_from(&self.outcome);
            }
        }
        Ok(best)
    }
}

/// Rounds of iterated local search per aim: more for more issues.
fn rounds_for(space: &RectangleSpace) -> usize {
    (4 * space.n_issues()).clamp(20, 200)
}

/// Good outcomes of a two-party space, mutually non-dominated: iterated local searches for the
/// most of one party's utility while the other's stays above thresholds from 1 down to 0.6.
/// Stops early, returning what it has, when the budget is spent (`Err` beside the outcomes);
/// also returns the steps it took.
pub(crate) fn two_party_incumbents(
    space: &RectangleSpace,
    meter: &mut Meter<'_>,
) -> (Vec<Incumbent>, u64, Result<()>) {
    debug_assert_eq!(space.n_parties(), 2);
    let mut search = LocalSearch::new(space, meter);
    let rounds = rounds_for(space);
    let result = (|| {
        let mut start = search.random_outcome();
        for (maximised, constrained) in [(1, 0), (0, 1)] {
            for step in 0..=40 {
                let threshold = 1.0 - 0.01 * f64::from(step);
                let aim = Aim::Constrained { maximised, constrained, threshold };
                start = search.iterate(aim, &start, rounds)?;
            }
        }
        // Then from each point kept, the most of one utility with the other above the point's.
        for _ in 0..2 {
            for (maximised, constrained) in [(1, 0), (0, 1)] {
                let kept: Vec<(f64, Vec<u16>)> = search
                    .archive
                    .iter()
                    .map(|kept| (kept.utilities[constrained], kept.outcome.clone()))
                    .collect();
                for (threshold, outcome) in kept {
                    let aim =
                        Aim::Constrained { maximised, constrained, threshold: threshold + 1e-9 };
                    search.iterate(aim, &outcome, rounds)?;
                }
            }
        }
        Ok(())
    })();
    (search.archive, search.steps, result)
}

/// A low-utility outcome for `party_idx`, by iterated local search; `None` when the budget
/// ran out before the first was found; also the steps it took.
pub(crate) fn low_incumbent(
    space: &RectangleSpace,
    party_idx: usize,
    meter: &mut Meter<'_>,
) -> (Option<Incumbent>, u64, Result<()>) {
    let mut search = LocalSearch::new(space, meter);
    let rounds = rounds_for(space);
    let aim = Aim::Lowest { party_idx };
    let start = search.random_outcome();
    let result = search.iterate(aim, &start, rounds).map(|_| ());
    (search.archive.pop(), search.steps, result)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::control::Control;
    use crate::rectangles::reference::{random_small_space, reference};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(100))]

        #[test]
        fn incumbents_are_true_outcomes_below_the_frontier(seed in any::<u64>()) {
            let space = random_small_space(seed);
            let expected = reference(&space);
            let control = Control::none();
            let mut meter = Meter::new(&control);
            for party_idx in 0..space.n_parties() {
                let (incumbent, _, searched) = low_incumbent(&space, party_idx, &mut meter);
                prop_assert!(searched.is_ok());
                let incumbent = incumbent.unwrap();
                prop_assert_eq!(space.utilities(&incumbent.outcome), incumbent.utilities.clone());
                prop_assert!(incumbent.utilities[party_idx] >= expected.lowest[party_idx]);
            }
            if space.n_parties() == 2 {
                let (incumbents, _, searched) = two_party_incumbents(&space, &mut meter);
                prop_assert!(searched.is_ok());
                prop_assert!(!incumbents.is_empty());
                for incumbent in &incumbents {
                    prop_assert_eq!(
                        space.utilities(&incumbent.outcome),
                        incumbent.utilities.clone()
                    );
                    prop_assert!(
                        expected
                            .frontier
                            .iter()
                            .any(|vector| weakly_dominates(vector, &incumbent.utilities))
                    );
                    prop_assert!(incumbents.iter().all(|other| std::ptr::eq(other, incumbent)
                        || !weakly_dominates(&other.utilities, &incumbent.utilities)));
                }
            }
        }
    }
}
