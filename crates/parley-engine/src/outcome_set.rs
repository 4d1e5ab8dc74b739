//! A set of outcomes with their utilities, stored flat and sorted by outcome.

/// Outcomes with every party's utility, sorted lexicographically by outcome.
///
/// Storage is flat (one `u16` per issue and one `f64` per party per outcome) because frontiers
/// of large spaces hold millions of outcomes.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeSet {
    n_issues: usize,
    n_parties: usize,
    outcomes: Vec<u16>,
    utilities: Vec<f64>,
}

impl OutcomeSet {
    /// An empty set for a space of this shape.
    pub fn empty(n_issues: usize, n_parties: usize) -> OutcomeSet {
        OutcomeSet { n_issues, n_parties, outcomes: Vec::new(), utilities: Vec::new() }
    }

    /// Builds a set from flat outcomes and utilities in any order, sorting it by outcome.
    pub(crate) fn from_unsorted(
        n_issues: usize,
        n_parties: usize,
        outcomes: Vec<u16>,
        utilities: Vec<f64>,
    ) -> OutcomeSet {
        let n_outcomes = utilities.len() / n_parties;
        debug_assert_eq!(outcomes.len(), n_outcomes * n_issues);
        let order = sorted_order(n_issues, &outcomes);
        if order.iter().enumerate().all(|(position, &outcome_idx)| position == outcome_idx as usize)
        {
            return OutcomeSet { n_issues, n_parties, outcomes, utilities };
        }
        // Copied value by value: a call to copy a few values costs more than the copy.
        let mut sorted_outcomes = vec![0; outcomes.len()];
        let mut sorted_utilities = vec![0.0; utilities.len()];
        for (position, &outcome_idx) in order.iter().enumerate() {
            let outcome_idx = outcome_idx as usize;
            for issue_idx in 0..n_issues {
                sorted_outcomes[position * n_issues + issue_idx] =
                    outcomes[outcome_idx * n_issues + issue_idx];
            }
            for party_idx in 0..n_parties {
                sorted_utilities[position * n_parties + party_idx] =
                    utilities[outcome_idx * n_parties + party_idx];
            }
        }
        OutcomeSet { n_issues, n_parties, outcomes: sorted_outcomes, utilities: sorted_utilities }
    }

    /// Builds a set from flat outcomes and utilities already sorted by outcome.
    pub(crate) fn from_sorted(
        n_issues: usize,
        n_parties: usize,
        outcomes: Vec<u16>,
        utilities: Vec<f64>,
    ) -> OutcomeSet {
        debug_assert!(outcomes.chunks_exact(n_issues.max(1)).is_sorted());
        OutcomeSet { n_issues, n_parties, outcomes, utilities }
    }

    /// The number of outcomes.
    pub fn len(&self) -> usize {
        self.utilities.len() / self.n_parties
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.utilities.is_empty()
    }

    /// The number of issues of each outcome.
    pub fn n_issues(&self) -> usize {
        self.n_issues
    }

    /// The number of parties of each utility vector.
    pub fn n_parties(&self) -> usize {
        self.n_parties
    }

    /// The option indices of the `outcome_idx`-th outcome.
    pub fn outcome(&self, outcome_idx: usize) -> &[u16] {
        &self.outcomes[outcome_idx * self.n_issues..(outcome_idx + 1) * self.n_issues]
    }

    /// Every party's utility of the `outcome_idx`-th outcome.
    pub fn utilities(&self, outcome_idx: usize) -> &[f64] {
        &self.utilities[outcome_idx * self.n_parties..(outcome_idx + 1) * self.n_parties]
    }

    /// Iterates over `(outcome, utilities)` pairs in outcome order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&[u16], &[f64])> + '_ {
        (0..self.len()).map(|outcome_idx| (self.outcome(outcome_idx), self.utilities(outcome_idx)))
    }

    /// The outcomes at these positions, given in increasing order.
    pub(crate) fn subset(&self, positions: impl Iterator<Item = usize>) -> OutcomeSet {
        let mut res = OutcomeSet::empty(self.n_issues, self.n_parties);
        for outcome_idx in positions {
            res.outcomes.extend_from_slice(self.outcome(outcome_idx));
            res.utilities.extend_from_slice(self.utilities(outcome_idx));
        }
        res
    }

    /// Keeps the outcomes for which `keep(utilities)` holds.
    pub(crate) fn retain_by_utilities(&self, mut keep: impl FnMut(&[f64]) -> bool) -> OutcomeSet {
        let mut res = OutcomeSet::empty(self.n_issues, self.n_parties);
        for (outcome, utilities) in self.iter() {
            if keep(utilities) {
                res.outcomes.extend_from_slice(outcome);
                res.utilities.extend_from_slice(utilities);
            }
        }
        res
    }
}

/// The positions of flat `outcomes` in lexicographic order. Outcomes whose option indices fit
/// in 64 bits together are sorted as packed integers.
fn sorted_order(n_issues: usize, outcomes: &[u16]) -> Vec<u32> {
    let n_outcomes = outcomes.len() / n_issues;
    // Each issue's width in bits: enough for its largest option index here.
    let mut column_max = [0u16; 64];
    let packable = n_issues <= column_max.len() && {
        for outcome in outcomes.chunks_exact(n_issues) {
            for (largest, &option_idx) in column_max.iter_mut().zip(outcome) {
                *largest |= option_idx;
            }
        }
        column_max[..n_issues]
            .iter()
            .map(|largest| u16::BITS - largest.leading_zeros())
            .sum::<u32>()
            <= u64::BITS
    };
    if !packable {
        let outcome = |outcome_idx: u32| {
            &outcomes[outcome_idx as usize * n_issues..(outcome_idx as usize + 1) * n_issues]
        };
        let mut order: Vec<u32> = (0..n_outcomes as u32).collect();
        order.sort_unstable_by(|&left, &right| outcome(left).cmp(outcome(right)));
        return order;
    }
    let pack = |outcome: &[u16]| {
        outcome.iter().zip(&column_max).fold(0u64, |key, (&option_idx, &largest)| {
            key << (u16::BITS - largest.leading_zeros()) | u64::from(option_idx)
        })
    };
    let mut packed: Vec<u64> = Vec::with_capacity(n_outcomes);
    let mut order: Vec<u32> = Vec::with_capacity(n_outcomes);
    for (outcome_idx, outcome) in outcomes.chunks_exact(n_issues).enumerate() {
        // Insertion while the set is small; a sort beyond.
        let key = pack(outcome);
        if n_outcomes <= 64 {
            let at = packed.partition_point(|&other| other < key);
            packed.insert(at, key);
            order.insert(at, outcome_idx as u32);
        } else {
            packed.push(key);
            order.push(outcome_idx as u32);
        }
    }
    if n_outcomes > 64 {
        let mut pairs: Vec<(u64, u32)> = packed.into_iter().zip(order).collect();
        pairs.sort_unstable();
        return pairs.into_iter().map(|(_, outcome_idx)| outcome_idx).collect();
    }
    order
}
