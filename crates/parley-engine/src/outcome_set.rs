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
        let outcome =
            |outcome_idx: usize| &outcomes[outcome_idx * n_issues..(outcome_idx + 1) * n_issues];
        if (1..n_outcomes).all(|outcome_idx| outcome(outcome_idx - 1) <= outcome(outcome_idx)) {
            return OutcomeSet { n_issues, n_parties, outcomes, utilities };
        }
        let mut order: Vec<u32> = (0..n_outcomes as u32).collect();
        order.sort_unstable_by(|&left, &right| outcome(left as usize).cmp(outcome(right as usize)));
        let mut sorted_outcomes = Vec::with_capacity(outcomes.len());
        let mut sorted_utilities = Vec::with_capacity(utilities.len());
        for &outcome_idx in &order {
            let outcome_idx = outcome_idx as usize;
            sorted_outcomes.extend_from_slice(outcome(outcome_idx));
            sorted_utilities.extend_from_slice(
                &utilities[outcome_idx * n_parties..(outcome_idx + 1) * n_parties],
            );
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
