//! What blocks an agreement: the smallest sets of concessions that open an agreement zone.

use crate::Result;
use crate::control::Control;
use crate::space::{Rules, Scope, UtilitySpace};
use crate::zone::zone_exists_with;

/// One concession a party can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Concession {
    /// The party lifts all its red lines on one issue.
    LiftRedLine {
        /// The conceding party.
        party_idx: usize,
        /// The issue whose red lines are lifted.
        issue_idx: usize,
    },
    /// The party stops requiring its reservation value.
    DropReservation {
        /// The conceding party.
        party_idx: usize,
    },
}

/// An issue on which red lines leave no option that every party allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueConflict {
    /// The issue.
    pub issue_idx: usize,
    /// The parties with at least one red line on it, in increasing order.
    pub party_idxs: Vec<usize>,
}

/// Why there is no agreement, and what would open one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocking {
    /// Every concession set of the smallest size that opens a zone, each sorted, in
    /// lexicographic order. `[[]]` when the zone is already open; empty when no set of at most
    /// `max_concessions` concessions opens one.
    pub minimal_concession_sets: Vec<Vec<Concession>>,
    /// The issues where red lines leave no commonly allowed option.
    pub issue_conflicts: Vec<IssueConflict>,
}

/// Finds all minimum-cardinality concession sets of at most `max_concessions` concessions
/// that open an agreement zone, testing each with the exact [`zone_exists`](crate::zone::zone_exists).
///
/// Sets are tried by increasing size and the search stops at the first size that works, so
/// no superset of a working set is ever reported.
pub fn blocking(
    space: &UtilitySpace,
    max_concessions: usize,
    control: &Control<'_>,
) -> Result<Blocking> {
    let issue_conflicts = issue_conflicts(space);
    let candidates = candidate_concessions(space);
    let mut minimal_concession_sets = Vec::new();
    for set_size in 0..=max_concessions.min(candidates.len()) {
        let mut combination: Vec<usize> = (0..set_size).collect();
        loop {
            // Trying a set is a step, on top of the steps of the search it runs.
            control.spend(1)?;
            let concessions: Vec<Concession> =
                combination.iter().map(|&candidate_idx| candidates[candidate_idx]).collect();
            let rules = rules_after(space, &concessions);
            if rules.allowed_per_issue_nonempty(space) && zone_exists_with(space, &rules, control)?
            {
                minimal_concession_sets.push(concessions);
            }
            if !next_combination(&mut combination, candidates.len()) {
                break;
            }
        }
        if !minimal_concession_sets.is_empty() {
            break;
        }
    }
    Ok(Blocking { minimal_concession_sets, issue_conflicts })
}

/// Concessions that change something, sorted: for each party, its red-lined issues, then its
/// constraining reservation.
fn candidate_concessions(space: &UtilitySpace) -> Vec<Concession> {
    let mut candidates = Vec::new();
    for party_idx in 0..space.n_parties() {
        for issue_idx in 0..space.n_issues() {
            let has_red_line = (0..space.option_counts()[issue_idx])
                .any(|option_idx| space.is_red_line(party_idx, issue_idx, option_idx));
            if has_red_line {
                candidates.push(Concession::LiftRedLine { party_idx, issue_idx });
            }
        }
        if space.threshold(party_idx).is_finite() {
            candidates.push(Concession::DropReservation { party_idx });
        }
    }
    candidates
}

fn rules_after(space: &UtilitySpace, concessions: &[Concession]) -> Rules {
    let mut rules = space.rules(Scope::Zone);
    let n_parties = space.n_parties();
    let mut lifted = vec![false; space.n_issues() * n_parties];
    for concession in concessions {
        match *concession {
            Concession::LiftRedLine { party_idx, issue_idx } => {
                lifted[issue_idx * n_parties + party_idx] = true
            }
            Concession::DropReservation { party_idx } => {
                rules.thresholds[party_idx] = f64::NEG_INFINITY
            }
        }
    }
    for issue_idx in 0..space.n_issues() {
        for option_idx in 0..space.option_counts()[issue_idx] {
            let global_idx = space.option_offsets()[issue_idx] + option_idx;
            rules.allowed[global_idx] =
                space.red_lines_of(global_idx).iter().enumerate().all(|(party_idx, &red_line)| {
                    !red_line || lifted[issue_idx * n_parties + party_idx]
                });
        }
    }
    rules
}

impl Rules {
    fn allowed_per_issue_nonempty(&self, space: &UtilitySpace) -> bool {
        (0..space.n_issues()).all(|issue_idx| {
            let offset = space.option_offsets()[issue_idx];
            self.allowed[offset..offset + space.option_counts()[issue_idx]].contains(&true)
        })
    }
}

fn issue_conflicts(space: &UtilitySpace) -> Vec<IssueConflict> {
    let rules = space.rules(Scope::Zone);
    let mut conflicts = Vec::new();
    for issue_idx in 0..space.n_issues() {
        let offset = space.option_offsets()[issue_idx];
        let n_options = space.option_counts()[issue_idx];
        if rules.allowed[offset..offset + n_options].contains(&true) {
            continue;
        }
        let party_idxs = (0..space.n_parties())
            .filter(|&party_idx| {
                (0..n_options).any(|option_idx| space.is_red_line(party_idx, issue_idx, option_idx))
            })
            .collect();
        conflicts.push(IssueConflict { issue_idx, party_idxs });
    }
    conflicts
}

/// Advances a sorted combination of `combination.len()` indices below `n_items` in
/// lexicographic order; returns `false` after the last one.
fn next_combination(combination: &mut [usize], n_items: usize) -> bool {
    let size = combination.len();
    for slot_idx in (0..size).rev() {
        if combination[slot_idx] < n_items - size + slot_idx {
            combination[slot_idx] += 1;
            for later_idx in slot_idx + 1..size {
                combination[later_idx] = combination[later_idx - 1] + 1;
            }
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::space::PartySpec;

    /// Two parties, two issues with two options each; `red_lines[party_idx]` lists the
    /// `(issue_idx, option_idx)` pairs that party red-lines.
    fn check(red_lines: [&[(usize, usize)]; 2], reservations: [Option<f64>; 2], expect: Expect) {
        let parties = (0..2)
            .map(|party_idx| {
                let mut rows = vec![vec![false; 2]; 2];
                for &(issue_idx, option_idx) in red_lines[party_idx] {
                    rows[issue_idx][option_idx] = true;
                }
                let preferred = if party_idx == 0 { [0.5, 0.0] } else { [0.0, 0.5] };
                PartySpec {
                    contributions: vec![preferred.to_vec(), preferred.to_vec()],
                    reservation: reservations[party_idx],
                    constrains_zone: true,
                    red_lines: rows,
                }
            })
            .collect();
        let space = UtilitySpace::new(vec![2, 2], parties).unwrap();
        let found = blocking(&space, 3, &Control::none()).unwrap();
        expect.assert_debug_eq(&(found.minimal_concession_sets, found.issue_conflicts));
    }

    #[test]
    fn open_zone_needs_nothing() {
        check(
            [&[], &[]],
            [None, None],
            expect![[r#"
            (
                [
                    [],
                ],
                [],
            )
        "#]],
        );
    }

    #[test]
    fn crossed_red_lines_on_one_issue() {
        check(
            [&[(0, 1)], &[(0, 0)]],
            [None, None],
            expect![[r#"
            (
                [
                    [
                        LiftRedLine {
                            party_idx: 0,
                            issue_idx: 0,
                        },
                    ],
                    [
                        LiftRedLine {
                            party_idx: 1,
                            issue_idx: 0,
                        },
                    ],
                ],
                [
                    IssueConflict {
                        issue_idx: 0,
                        party_idxs: [
                            0,
                            1,
                        ],
                    },
                ],
            )
        "#]],
        );
    }

    #[test]
    fn greedy_reservations() {
        check(
            [&[], &[]],
            [Some(0.75), Some(0.75)],
            expect![[r#"
            (
                [
                    [
                        DropReservation {
                            party_idx: 0,
                        },
                    ],
                    [
                        DropReservation {
                            party_idx: 1,
                        },
                    ],
                ],
                [],
            )
        "#]],
        );
    }

    #[test]
    fn combinations_in_order() {
        let mut combination = vec![0, 1];
        let mut seen = vec![combination.clone()];
        while next_combination(&mut combination, 4) {
            seen.push(combination.clone());
        }
        expect!["[[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]"].assert_eq(&format!("{seen:?}"));
    }
}
