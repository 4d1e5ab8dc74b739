//! Tiny spaces, enumerated on the calling thread with small scratch on the stack.
//!
//! Below a few dozen outcomes, setting up the layered frontier or a branch and bound costs
//! more than the work, and so does every fresh page of memory (a minor page fault takes about
//! a microsecond). Here one walk over the allowed outcomes, in outcome order, serves the
//! zone's existence and size, both frontiers and the four solutions, and the only heap memory
//! is the results'. The results are those of [`crate::brute_force`]: every allowed outcome
//! that meets the thresholds is compared with every other, rounding utilities as
//! [`crate::pareto`] does.

use crate::outcome_set::OutcomeSet;
use crate::pareto::snap;
use crate::search::tie_tolerance;
use crate::space::{Scope, UtilitySpace};

/// The most allowed outcomes of a tiny space.
const MAX_OUTCOMES: usize = 64;

/// The most parties of a tiny space.
const MAX_PARTIES: usize = 4;

/// The most issues of a tiny space (issues with one allowed option do not multiply).
const MAX_ISSUES: usize = 16;

/// The most allowed options over all issues of a tiny space.
const MAX_OPTIONS: usize = MAX_OUTCOMES + MAX_ISSUES;

/// A tiny space under one scope: its allowed options and thresholds.
pub(crate) struct Tiny<'a> {
    space: &'a UtilitySpace,
    n_parties: usize,
    n_issues: usize,
    /// The global indices of the allowed options; issue `i`'s are
    /// `globals[starts[i]..starts[i + 1]]`, in increasing order.
    globals: [u32; MAX_OPTIONS],
    starts: [u8; MAX_ISSUES + 1],
    /// An outcome's code packs its position among each issue's allowed options, issue `i`'s
    /// at bit `shifts[i]`, `masks[i]` wide.
    shifts: [u8; MAX_ISSUES],
    masks: [u32; MAX_ISSUES],
    thresholds: [f64; MAX_PARTIES],
    constrained: bool,
}

impl<'a> Tiny<'a> {
    /// The space under `scope`, if it is tiny there: at most 64 allowed outcomes (none when
    /// an issue has no allowed option), 4 parties and 16 issues.
    #[inline(never)]
    pub(crate) fn new(space: &'a UtilitySpace, scope: Scope) -> Option<Tiny<'a>> {
        let n_parties = space.n_parties();
        let n_issues = space.n_issues();
        if n_parties > MAX_PARTIES || n_issues > MAX_ISSUES {
            return None;
        }
        let mut tiny = Tiny {
            space,
            n_parties,
            n_issues,
            globals: [0; MAX_OPTIONS],
            starts: [0; MAX_ISSUES + 1],
            shifts: [0; MAX_ISSUES],
            masks: [0; MAX_ISSUES],
            thresholds: [f64::NEG_INFINITY; MAX_PARTIES],
            constrained: false,
        };
        let mut n_outcomes = 1usize;
        let mut n_options = 0usize;
        let mut n_bits = 0;
        for issue_idx in 0..n_issues {
            let offset = space.option_offsets()[issue_idx];
            let issue_start = n_options;
            for option_idx in 0..space.option_counts()[issue_idx] {
                let global_idx = offset + option_idx;
                if scope == Scope::Zone && space.red_lines_of(global_idx).contains(&true) {
                    continue;
                }
                if n_options == MAX_OPTIONS {
                    return None;
                }
                tiny.globals[n_options] = global_idx as u32;
                n_options += 1;
            }
            let n_ways = n_options - issue_start;
            n_outcomes *= n_ways;
            if n_outcomes > MAX_OUTCOMES {
                return None;
            }
            tiny.starts[issue_idx + 1] = n_options as u8;
            // At most 6 bits for the issues with several options, 1 for the others: 22.
            let width = (usize::BITS - n_ways.saturating_sub(1).leading_zeros()).max(1);
            tiny.shifts[issue_idx] = n_bits;
            tiny.masks[issue_idx] = (1 << width) - 1;
            n_bits += width as u8;
        }
        if scope == Scope::Zone {
            for party_idx in 0..n_parties {
                tiny.thresholds[party_idx] = space.threshold(party_idx);
                tiny.constrained |= tiny.thresholds[party_idx].is_finite();
            }
        }
        Some(tiny)
    }

    /// Calls `visit(code, utilities)` for every allowed outcome that meets the thresholds, in
    /// outcome order. One routine serves every question about a tiny space, so that its code
    /// is warm after the first.
    #[inline(never)]
    fn walk(&self, visit: &mut dyn FnMut(u32, &[f64])) {
        let (n_parties, n_issues) = (self.n_parties, self.n_issues);
        let n_ways = |issue_idx: usize| {
            usize::from(self.starts[issue_idx + 1]) - usize::from(self.starts[issue_idx])
        };
        if (0..n_issues).any(|issue_idx| n_ways(issue_idx) == 0) {
            return;
        }
        // partial[level * MAX_PARTIES + party_idx] sums the issues before `level`, in issue
        // order from 0.0, like every utility.
        let mut partial = [0.0f64; (MAX_ISSUES + 1) * MAX_PARTIES];
        let mut digits = [0u32; MAX_ISSUES];
        // The code of the current outcome, kept up to date as the digits turn.
        let mut code = 0u32;
        let mut refresh_from = 0;
        loop {
            for level in refresh_from..n_issues {
                let global_idx =
                    self.globals[usize::from(self.starts[level]) + digits[level] as usize];
                let values = self.space.option_values(global_idx as usize);
                for party_idx in 0..n_parties {
                    partial[(level + 1) * MAX_PARTIES + party_idx] =
                        partial[level * MAX_PARTIES + party_idx] + values[party_idx];
                }
            }
            let utilities = &partial[n_issues * MAX_PARTIES..n_issues * MAX_PARTIES + n_parties];
            if !self.constrained
                || utilities.iter().zip(&self.thresholds).all(|(utility, bound)| utility >= bound)
            {
                visit(code, utilities);
            }
            let mut level = n_issues;
            loop {
                if level == 0 {
                    return;
                }
                level -= 1;
                digits[level] += 1;
                code += 1 << self.shifts[level];
                if (digits[level] as usize) < n_ways(level) {
                    break;
                }
                digits[level] = 0;
                code -= (n_ways(level) as u32) << self.shifts[level];
            }
            refresh_from = level;
        }
    }

    /// Writes the option indices of the outcome with this code into `outcome`.
    fn decode(&self, code: u32, outcome: &mut [u16]) {
        for (issue_idx, option) in outcome.iter_mut().enumerate() {
            let start = usize::from(self.starts[issue_idx]);
            let way = ((code >> self.shifts[issue_idx]) & self.masks[issue_idx]) as usize;
            let global_idx = self.globals[start + way] as usize;
            *option = (global_idx - self.space.option_offsets()[issue_idx]) as u16;
        }
    }

    /// Whether some allowed outcome meets the thresholds.
    pub(crate) fn exists(&self) -> bool {
        let mut found = false;
        self.walk(&mut |_, _| found = true);
        found
    }

    /// The number of allowed outcomes that meet the thresholds.
    pub(crate) fn count(&self) -> u64 {
        let mut count = 0;
        self.walk(&mut |_, _| count += 1);
        count
    }

    /// The frontier: the outcomes that meet the thresholds and that no other one dominates.
    #[inline(never)]
    pub(crate) fn frontier(&self) -> OutcomeSet {
        match self.n_parties {
            1 => self.frontier_of::<1>(),
            2 => self.frontier_of::<2>(),
            3 => self.frontier_of::<3>(),
            _ => self.frontier_of::<4>(),
        }
    }

    fn frontier_of<const N_PARTIES: usize>(&self) -> OutcomeSet {
        let n_issues = self.n_issues;
        let mut kept = Kept::<N_PARTIES>::new();
        self.walk(&mut |code, utilities| kept.offer(code, utilities));
        let mut outcomes = vec![0u16; kept.len * n_issues];
        let mut utilities = Vec::with_capacity(kept.len * N_PARTIES);
        for (kept_idx, outcome) in outcomes.chunks_exact_mut(n_issues).enumerate() {
            self.decode(kept.codes[kept_idx], outcome);
            utilities.extend_from_slice(&kept.values[kept_idx]);
        }
        OutcomeSet::from_sorted(n_issues, N_PARTIES, outcomes, utilities)
    }

    /// The frontier outcomes whose score is within the tie tolerance of the best score.
    #[inline(never)]
    pub(crate) fn best_on_frontier(&self, score: &dyn Fn(&[f64]) -> f64) -> OutcomeSet {
        match self.n_parties {
            1 => self.best_on_frontier_of::<1>(score),
            2 => self.best_on_frontier_of::<2>(score),
            3 => self.best_on_frontier_of::<3>(score),
            _ => self.best_on_frontier_of::<4>(score),
        }
    }

    fn best_on_frontier_of<const N_PARTIES: usize>(
        &self,
        score: &dyn Fn(&[f64]) -> f64,
    ) -> OutcomeSet {
        let n_issues = self.n_issues;
        let mut kept = Kept::<N_PARTIES>::new();
        self.walk(&mut |code, utilities| kept.offer(code, utilities));
        let mut scores = [0.0f64; MAX_OUTCOMES];
        let mut best = f64::NEG_INFINITY;
        for (values, kept_score) in kept.values[..kept.len].iter().zip(&mut scores) {
            *kept_score = score(values);
            best = best.max(*kept_score);
        }
        let threshold = best - tie_tolerance(best);
        let n_chosen = scores[..kept.len].iter().filter(|&&value| value >= threshold).count();
        let mut outcomes = vec![0u16; n_chosen * n_issues];
        let mut utilities = Vec::with_capacity(n_chosen * N_PARTIES);
        let mut chosen_idx = 0;
        for ((&code, values), &kept_score) in
            kept.codes[..kept.len].iter().zip(&kept.values).zip(&scores)
        {
            if kept_score >= threshold {
                let outcome = &mut outcomes[chosen_idx * n_issues..(chosen_idx + 1) * n_issues];
                self.decode(code, outcome);
                utilities.extend_from_slice(values);
                chosen_idx += 1;
            }
        }
        OutcomeSet::from_sorted(n_issues, N_PARTIES, outcomes, utilities)
    }
}

/// The non-dominated outcomes offered so far, in the order offered: their codes, utilities
/// and rounded utilities.
struct Kept<const N_PARTIES: usize> {
    len: usize,
    codes: [u32; MAX_OUTCOMES],
    values: [[f64; N_PARTIES]; MAX_OUTCOMES],
    keys: [[f64; N_PARTIES]; MAX_OUTCOMES],
}

impl<const N_PARTIES: usize> Kept<N_PARTIES> {
    fn new() -> Kept<N_PARTIES> {
        Kept {
            len: 0,
            codes: [0; MAX_OUTCOMES],
            values: [[0.0; N_PARTIES]; MAX_OUTCOMES],
            keys: [[0.0; N_PARTIES]; MAX_OUTCOMES],
        }
    }

    /// Keeps the outcome unless a kept one dominates it, and drops the kept ones it
    /// dominates. Equal rounded utilities are ties: neither dominates. The loops have no
    /// data-dependent branches.
    #[inline]
    fn offer(&mut self, code: u32, utilities: &[f64]) {
        let key: [f64; N_PARTIES] = std::array::from_fn(|party_idx| snap(utilities[party_idx]));
        let mut dominated = false;
        for kept_key in &self.keys[..self.len] {
            dominated |= dominates(kept_key, &key);
        }
        if dominated {
            return;
        }
        let mut n_left = 0;
        for kept_idx in 0..self.len {
            let covered = dominates(&key, &self.keys[kept_idx]);
            self.codes[n_left] = self.codes[kept_idx];
            self.values[n_left] = self.values[kept_idx];
            self.keys[n_left] = self.keys[kept_idx];
            n_left += usize::from(!covered);
        }
        self.codes[n_left] = code;
        self.values[n_left] = std::array::from_fn(|party_idx| utilities[party_idx]);
        self.keys[n_left] = key;
        self.len = n_left + 1;
    }
}

/// Whether `left` is at least `right` everywhere and above it somewhere.
#[inline]
fn dominates<const N_PARTIES: usize>(left: &[f64; N_PARTIES], right: &[f64; N_PARTIES]) -> bool {
    let mut at_least = true;
    let mut above = false;
    for party_idx in 0..N_PARTIES {
        at_least &= left[party_idx] >= right[party_idx];
        above |= left[party_idx] > right[party_idx];
    }
    at_least & above
}
