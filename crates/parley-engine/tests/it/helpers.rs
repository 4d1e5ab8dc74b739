//! A plainly written reference implementation that enumerates every outcome.

use parley_engine::blocking::Concession;
use parley_engine::outcome_set::OutcomeSet;
use parley_engine::space::{PartySpec, UtilitySpace};

/// An outcome with its utilities, as compared by the tests.
pub(crate) type Scored = (Vec<u16>, Vec<f64>);

pub(crate) fn to_scored(set: &OutcomeSet) -> Vec<Scored> {
    set.iter().map(|(outcome, utilities)| (outcome.to_vec(), utilities.to_vec())).collect()
}

#[derive(Debug, Clone)]
pub(crate) struct Reference {
    pub(crate) option_counts: Vec<usize>,
    pub(crate) parties: Vec<PartySpec>,
}

impl Reference {
    pub(crate) fn all_outcomes(&self) -> Vec<Vec<u16>> {
        let mut outcomes = vec![Vec::new()];
        for &n_options in &self.option_counts {
            let mut next = Vec::new();
            for outcome in &outcomes {
                for option_idx in 0..n_options {
                    let mut longer = outcome.clone();
                    longer.push(option_idx as u16);
                    next.push(longer);
                }
            }
            outcomes = next;
        }
        outcomes
    }

    pub(crate) fn utilities(&self, outcome: &[u16]) -> Vec<f64> {
        self.parties
            .iter()
            .map(|party| {
                let mut sum = 0.0;
                for (issue_idx, &option_idx) in outcome.iter().enumerate() {
                    sum += party.contributions[issue_idx][usize::from(option_idx)];
                }
                sum
            })
            .collect()
    }

    fn crosses_red_line(&self, outcome: &[u16], lifted: &[(usize, usize)]) -> bool {
        self.parties.iter().enumerate().any(|(party_idx, party)| {
            outcome.iter().enumerate().any(|(issue_idx, &option_idx)| {
                party.red_lines[issue_idx][usize::from(option_idx)]
                    && !lifted.contains(&(party_idx, issue_idx))
            })
        })
    }

    fn meets_reservations(&self, utilities: &[f64], dropped: &[usize]) -> bool {
        self.parties.iter().enumerate().all(|(party_idx, party)| match party.reservation {
            Some(reservation) if party.constrains_zone && !dropped.contains(&party_idx) => {
                utilities[party_idx] >= reservation - 1e-12
            }
            _ => true,
        })
    }

    pub(crate) fn zone_after(&self, lifted: &[(usize, usize)], dropped: &[usize]) -> Vec<Scored> {
        self.all_outcomes()
            .into_iter()
            .filter(|outcome| !self.crosses_red_line(outcome, lifted))
            .map(|outcome| {
                let utilities = self.utilities(&outcome);
                (outcome, utilities)
            })
            .filter(|(_, utilities)| self.meets_reservations(utilities, dropped))
            .collect()
    }

    pub(crate) fn zone(&self) -> Vec<Scored> {
        self.zone_after(&[], &[])
    }

    pub(crate) fn everything(&self) -> Vec<Scored> {
        self.all_outcomes()
            .into_iter()
            .map(|outcome| {
                let utilities = self.utilities(&outcome);
                (outcome, utilities)
            })
            .collect()
    }

    pub(crate) fn lowest(&self) -> Vec<f64> {
        self.extreme(f64::min, f64::INFINITY)
    }

    pub(crate) fn best(&self) -> Vec<f64> {
        self.extreme(f64::max, f64::NEG_INFINITY)
    }

    fn extreme(&self, pick: fn(f64, f64) -> f64, start: f64) -> Vec<f64> {
        self.parties
            .iter()
            .map(|party| {
                let mut sum = 0.0;
                for row in &party.contributions {
                    sum += row.iter().copied().fold(start, pick);
                }
                sum
            })
            .collect()
    }

    pub(crate) fn disagreement(&self) -> Vec<f64> {
        let lowest = self.lowest();
        self.parties
            .iter()
            .zip(&lowest)
            .map(|(party, &low)| match party.reservation {
                Some(reservation) if reservation >= low => reservation,
                _ => low,
            })
            .collect()
    }

    pub(crate) fn space(&self) -> UtilitySpace {
        UtilitySpace::new(self.option_counts.clone(), self.parties.clone()).unwrap()
    }

    /// Every concession the engine considers, in its order.
    pub(crate) fn concessions(&self) -> Vec<Concession> {
        let mut res = Vec::new();
        for (party_idx, party) in self.parties.iter().enumerate() {
            for (issue_idx, row) in party.red_lines.iter().enumerate() {
                if row.contains(&true) {
                    res.push(Concession::LiftRedLine { party_idx, issue_idx });
                }
            }
            if party.constrains_zone && party.reservation.is_some() {
                res.push(Concession::DropReservation { party_idx });
            }
        }
        res
    }

    pub(crate) fn opens_zone(&self, concessions: &[Concession]) -> bool {
        let mut lifted = Vec::new();
        let mut dropped = Vec::new();
        for concession in concessions {
            match *concession {
                Concession::LiftRedLine { party_idx, issue_idx } => {
                    lifted.push((party_idx, issue_idx))
                }
                Concession::DropReservation { party_idx } => dropped.push(party_idx),
            }
        }
        !self.zone_after(&lifted, &dropped).is_empty()
    }
}

/// The non-dominated points of `points`, compared pairwise.
pub(crate) fn frontier(points: &[Scored]) -> Vec<Scored> {
    let mut res: Vec<Scored> = points
        .iter()
        .filter(|(_, utilities)| {
            !points.iter().any(|(_, other)| {
                other.iter().zip(utilities).all(|(a, b)| a >= b)
                    && other.iter().zip(utilities).any(|(a, b)| a > b)
            })
        })
        .cloned()
        .collect();
    res.sort_by(|left, right| left.0.cmp(&right.0));
    res
}

/// The points whose score is within the tie tolerance of the best.
pub(crate) fn best_by(points: &[Scored], score: impl Fn(&[f64]) -> f64) -> Vec<Scored> {
    let best =
        points.iter().map(|(_, utilities)| score(utilities)).fold(f64::NEG_INFINITY, f64::max);
    let tolerance = 1e-12 * best.abs().max(1.0);
    points.iter().filter(|(_, utilities)| score(utilities) >= best - tolerance).cloned().collect()
}

pub(crate) fn nash_score(disagreement: &[f64]) -> impl Fn(&[f64]) -> f64 + '_ {
    move |utilities| {
        let mut product = 1.0;
        for (utility, point) in utilities.iter().zip(disagreement) {
            product *= utility - point;
        }
        product
    }
}

pub(crate) fn egalitarian_score(disagreement: &[f64]) -> impl Fn(&[f64]) -> f64 + '_ {
    move |utilities| {
        utilities.iter().zip(disagreement).map(|(u, d)| u - d).fold(f64::INFINITY, f64::min)
    }
}

pub(crate) fn utilitarian_score(utilities: &[f64]) -> f64 {
    let mut sum = 0.0;
    for utility in utilities {
        sum += utility;
    }
    sum
}

pub(crate) fn kalai_smorodinsky_score<'a>(
    disagreement: &'a [f64],
    best: &'a [f64],
) -> impl Fn(&[f64]) -> f64 + 'a {
    move |utilities| {
        let gains: Vec<f64> = utilities
            .iter()
            .enumerate()
            .filter(|&(party_idx, _)| best[party_idx] > disagreement[party_idx])
            .map(|(party_idx, utility)| {
                (utility - disagreement[party_idx]) / (best[party_idx] - disagreement[party_idx])
            })
            .collect();
        if gains.is_empty() {
            return 0.0;
        }
        let max = gains.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let min = gains.iter().copied().fold(f64::INFINITY, f64::min);
        -(max - min)
    }
}
