//! One party's strategy at work, and the state a run threads through its steps.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::protocol::{Deadline, Protocol};
use crate::scenario::{SimScenario, crosses_red_line};
use crate::strategy::Strategy;
use crate::transcript::{Action, Event, Speaker, Transcript};

/// Utilities within this distance count as equal when texts are compared.
pub(crate) const COMPARISON_TOLERANCE: f64 = 1e-12;

/// What every step of a run reads and writes: the scenario, the seeded generator, the count
/// of offer evaluations and the transcript being recorded.
pub(crate) struct RunState<'a> {
    pub(crate) scenario: &'a SimScenario,
    pub(crate) deadline: Deadline,
    pub(crate) rng: ChaCha8Rng,
    pub(crate) n_evaluations: u64,
    pub(crate) transcript: Option<Transcript>,
}

impl<'a> RunState<'a> {
    pub(crate) fn new(
        scenario: &'a SimScenario,
        deadline: Deadline,
        seed: u64,
        record: bool,
    ) -> RunState<'a> {
        RunState {
            scenario,
            deadline,
            rng: ChaCha8Rng::seed_from_u64(seed),
            n_evaluations: 0,
            transcript: record.then(Transcript::default),
        }
    }

    /// A party's utility of an outcome, counted as one offer evaluation. The sum runs over
    /// issues in order from 0.0, like the engine's, so it is bit-identical to the engine's.
    pub(crate) fn utility(&mut self, party_idx: usize, outcome: &[u16]) -> f64 {
        self.n_evaluations += 1;
        outcome_utility(&self.scenario.space, party_idx, outcome)
    }

    /// Records an event when the transcript is kept.
    pub(crate) fn record(
        &mut self,
        rounds: f64,
        speaker: Speaker,
        action: Action,
        outcome: &[u16],
    ) {
        if let Some(transcript) = &mut self.transcript {
            transcript.events.push(Event {
                round: rounds.floor() as usize,
                time: self.deadline.time_at(rounds),
                speaker,
                action,
                outcome: outcome.to_vec(),
                utilities: self.scenario.space.utilities(outcome),
            });
        }
    }
}

pub(crate) fn outcome_utility(
    space: &parley_engine::space::UtilitySpace,
    party_idx: usize,
    outcome: &[u16],
) -> f64 {
    let mut utility = 0.0;
    for (issue_idx, &option_idx) in outcome.iter().enumerate() {
        utility += space.value(party_idx, issue_idx, usize::from(option_idx));
    }
    utility
}

/// One party and its strategy's state.
pub(crate) struct Agent {
    pub(crate) party_idx: usize,
    strategy: Strategy,
    best: f64,
    floor: f64,
    reservation: f64,
    has_red_lines: bool,
    /// Tit-for-tat's current aspiration.
    reciprocal_target: f64,
    /// Tit-for-tat: the utility to it of each speaker's last offer (the mediator last).
    last_seen: Vec<f64>,
    /// Recorded positions: per stage, the utility of its ideal outcome and its floor.
    stage_range: Vec<(f64, f64)>,
}

impl Agent {
    pub(crate) fn new(scenario: &SimScenario, party_idx: usize, strategy: Strategy) -> Agent {
        let space = &scenario.space;
        let stage_range = scenario
            .timeline
            .iter()
            .map(|stage| {
                let ideal = outcome_utility(&stage.space, party_idx, &stage.ideal[party_idx]);
                (ideal, stage.space.disagreement()[party_idx].min(ideal))
            })
            .collect();
        Agent {
            party_idx,
            strategy,
            best: space.best()[party_idx],
            floor: space.disagreement()[party_idx],
            reservation: space.reservation(party_idx).unwrap_or(f64::NEG_INFINITY),
            has_red_lines: scenario.has_red_lines[party_idx],
            reciprocal_target: space.best()[party_idx],
            last_seen: vec![f64::NAN; space.n_parties() + 1],
            stage_range,
        }
    }

    /// Whether an outcome meets the party's reservation and crosses none of its red lines.
    pub(crate) fn is_rational(
        &self,
        scenario: &SimScenario,
        outcome: &[u16],
        utility: f64,
    ) -> bool {
        utility >= self.reservation - parley_engine::space::ZONE_TOLERANCE
            && !(self.has_red_lines && crosses_red_line(&scenario.space, self.party_idx, outcome))
    }

    /// The time-based target `best - (best - floor) * t^(1/e)`.
    fn time_target(&self, exponent: f64, t: f64) -> f64 {
        self.best - (self.best - self.floor) * t.powf(1.0 / exponent)
    }

    /// What the party bids at relative time `t`, from the scenario's outcomes.
    pub(crate) fn bid<'a>(&self, state: &mut RunState<'a>, t: f64) -> &'a [u16] {
        let scenario = state.scenario;
        let bids = &scenario.bids[self.party_idx];
        let frontier_idx = match self.strategy {
            Strategy::Recorded => {
                let stage = stage_at(scenario.timeline.len(), t);
                return &scenario.timeline[stage].ideal[self.party_idx];
            }
            Strategy::Random { .. } if !bids.is_empty() => {
                bids[state.rng.random_range(0..bids.len())]
            }
            Strategy::Random { .. } => scenario.best_bid[self.party_idx],
            Strategy::TimeBased { exponent } => {
                self.bid_above(scenario, self.time_target(exponent, t))
            }
            Strategy::TitForTat => self.bid_above(scenario, self.reciprocal_target),
        };
        scenario.frontier.outcome(frontier_idx as usize)
    }

    /// The frontier outcome it may bid whose utility to it is closest above `target` (its
    /// best outcome when none reaches the target).
    fn bid_above(&self, scenario: &SimScenario, target: f64) -> u32 {
        let bids = &scenario.bids[self.party_idx];
        let position = bids.partition_point(|&frontier_idx| {
            scenario.frontier.utilities(frontier_idx as usize)[self.party_idx]
                < target - COMPARISON_TOLERANCE
        });
        match bids.get(position) {
            Some(&frontier_idx) => frontier_idx,
            None => scenario.best_bid[self.party_idx],
        }
    }

    /// Whether an outcome is good enough for the strategy at relative time `t`, before the
    /// reservation and red lines are checked.
    fn good_enough(&self, state: &mut RunState<'_>, outcome: &[u16], utility: f64, t: f64) -> bool {
        match self.strategy {
            Strategy::TimeBased { exponent } => {
                utility >= self.time_target(exponent, t) - COMPARISON_TOLERANCE
            }
            Strategy::TitForTat => utility >= self.reciprocal_target - COMPARISON_TOLERANCE,
            Strategy::Random { acceptance_probability } => {
                state.rng.random::<f64>() < acceptance_probability
            }
            Strategy::Recorded => {
                let stage = stage_at(self.stage_range.len(), t);
                let (ideal, floor) = self.stage_range[stage];
                state.n_evaluations += 1;
                let stage_utility =
                    outcome_utility(&state.scenario.timeline[stage].space, self.party_idx, outcome);
                stage_utility >= ideal - (ideal - floor) * t - COMPARISON_TOLERANCE
            }
        }
    }

    /// Alternating offers: accept the standing offer iff it is rational and good enough now,
    /// or (time-based) no worse than what the party would bid at its next turn `t_next`.
    pub(crate) fn accepts_offer(
        &self,
        state: &mut RunState<'_>,
        outcome: &[u16],
        utility: f64,
        t: f64,
        t_next: f64,
    ) -> bool {
        if !self.is_rational(state.scenario, outcome, utility) {
            return false;
        }
        if self.good_enough(state, outcome, utility, t) {
            return true;
        }
        match self.strategy {
            Strategy::TimeBased { exponent } => {
                let scenario = state.scenario;
                let next = self.bid_above(scenario, self.time_target(exponent, t_next.min(1.0)));
                utility >= scenario.frontier.utilities(next as usize)[self.party_idx]
            }
            _ => false,
        }
    }

    /// Single text: the party's vote on a proposed text against the current one.
    ///
    /// Hill climbing: accept a text no worse than the current one, or one rational and good
    /// enough now. Veto: accept a rational text that is no worse or good enough now; veto the
    /// rest. A random party votes by its coin (and, under veto, only for rational texts).
    pub(crate) fn votes_for(
        &self,
        state: &mut RunState<'_>,
        protocol: Protocol,
        outcome: &[u16],
        utility: f64,
        current_utility: f64,
        t: f64,
    ) -> bool {
        let no_worse = utility >= current_utility - COMPARISON_TOLERANCE;
        let rational = self.is_rational(state.scenario, outcome, utility);
        match (protocol, self.strategy) {
            (Protocol::SingleTextHillClimbing, Strategy::Random { .. }) => {
                self.good_enough(state, outcome, utility, t)
            }
            (Protocol::SingleTextHillClimbing, _) => {
                no_worse || (rational && self.good_enough(state, outcome, utility, t))
            }
            (_, Strategy::Random { .. }) => {
                rational && self.good_enough(state, outcome, utility, t)
            }
            _ => rational && (no_worse || self.good_enough(state, outcome, utility, t)),
        }
    }

    /// Shuttle: accept the text as the agreement iff it is rational and good enough now.
    pub(crate) fn accepts_text(
        &self,
        state: &mut RunState<'_>,
        outcome: &[u16],
        utility: f64,
        t: f64,
    ) -> bool {
        self.is_rational(state.scenario, outcome, utility)
            && self.good_enough(state, outcome, utility, t)
    }

    /// Tit-for-tat watches what others offer it: when a speaker's offer is better for it than
    /// that speaker's last one, it lowers its own aspiration by the same amount.
    pub(crate) fn observe(&mut self, speaker_idx: usize, utility: f64) {
        if self.strategy != Strategy::TitForTat {
            return;
        }
        let last = self.last_seen[speaker_idx];
        if !last.is_nan() && utility > last {
            self.reciprocal_target = (self.reciprocal_target - (utility - last)).max(self.floor);
        }
        self.last_seen[speaker_idx] = utility;
    }

    /// The index `observe` uses for the mediator.
    pub(crate) fn mediator_idx(&self) -> usize {
        self.last_seen.len() - 1
    }
}

/// The timeline stage in force at relative time `t`.
fn stage_at(n_stages: usize, t: f64) -> usize {
    ((t * n_stages as f64).floor() as usize).min(n_stages - 1)
}
