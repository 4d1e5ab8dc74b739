//! The mediated protocols: single negotiating text (hill climbing and veto) and shuttle
//! mediation across tracks.
//!
//! Single text: the mediator starts from a random text and, each round, proposes a text; all
//! parties vote on it against the current text (see `Agent::votes_for`); an adopted proposal
//! becomes the current text. The run ends at the deadline or when the mediator has nothing
//! left to propose; then every party ratifies or rejects the current text, and it is agreed
//! iff every party ratifies it (a rational party ratifies iff the text meets its reservation
//! and crosses none of its red lines).
//!
//! Shuttle: each round the mediator meets the next track (in the scenario's order, cycling)
//! and presents the current text; each party at the table accepts it as the agreement or
//! vetoes it. A veto makes the mediator revise the text, and every earlier acceptance lapses.
//! The text is agreed once every party has accepted it since its last revision.

use rand::RngExt;

use crate::agent::{Agent, RunState, outcome_utility};
use crate::alternating::Ending;
use crate::protocol::Protocol;
use crate::scenario::SimScenario;
use crate::strategy::MediatorStrategy;
use crate::transcript::{Action, Speaker};

/// The mediator's working state.
struct Mediator {
    strategy: MediatorStrategy,
    protocol: Protocol,
    /// Hill climbing: the `(issue, option)` changes of the current text not yet tried.
    untried: Vec<(u16, u16)>,
    /// Nash: the issues already tried in this pass towards the Nash package.
    tried_issues: Vec<bool>,
    /// Nash: whether the whole package has been proposed.
    proposed_package: bool,
}

impl Mediator {
    fn new(scenario: &SimScenario, strategy: MediatorStrategy, protocol: Protocol) -> Mediator {
        Mediator {
            strategy,
            protocol,
            untried: Vec::new(),
            tried_issues: vec![false; scenario.space.n_issues()],
            proposed_package: false,
        }
    }

    /// Called whenever the current text changes (and once at the start).
    fn on_new_text(&mut self, scenario: &SimScenario, text: &[u16]) {
        self.tried_issues.fill(false);
        if self.strategy == MediatorStrategy::Protocol
            && self.protocol == Protocol::SingleTextHillClimbing
        {
            self.untried.clear();
            for (issue_idx, &n_options) in scenario.space.option_counts().iter().enumerate() {
                for option_idx in 0..n_options {
                    if option_idx != usize::from(text[issue_idx]) {
                        self.untried.push((issue_idx as u16, option_idx as u16));
                    }
                }
            }
        }
    }

    /// Writes the next single-text proposal into `candidate`; `false` when there is none.
    fn propose(&mut self, state: &mut RunState<'_>, text: &[u16], candidate: &mut [u16]) -> bool {
        let scenario = state.scenario;
        candidate.copy_from_slice(text);
        match (self.strategy, self.protocol) {
            (MediatorStrategy::Nash, _) => {
                let target = &scenario.nash_target;
                if !self.proposed_package {
                    self.proposed_package = true;
                    if text != target.as_slice() {
                        candidate.copy_from_slice(target);
                        return true;
                    }
                }
                for issue_idx in 0..text.len() {
                    if text[issue_idx] != target[issue_idx] && !self.tried_issues[issue_idx] {
                        self.tried_issues[issue_idx] = true;
                        candidate[issue_idx] = target[issue_idx];
                        return true;
                    }
                }
                false
            }
            (MediatorStrategy::Protocol, Protocol::SingleTextHillClimbing) => {
                if self.untried.is_empty() {
                    return false;
                }
                let pick = state.rng.random_range(0..self.untried.len());
                let (issue_idx, option_idx) = self.untried.swap_remove(pick);
                candidate[usize::from(issue_idx)] = option_idx;
                true
            }
            (MediatorStrategy::Protocol, _) => {
                random_text(state, candidate);
                true
            }
        }
    }

    /// Shuttle: revises `text` in place after `vetoer_idx` vetoed it; `false` if unchanged.
    fn revise(&self, scenario: &SimScenario, text: &mut [u16], vetoer_idx: usize) -> bool {
        let space = &scenario.space;
        match self.strategy {
            MediatorStrategy::Nash => {
                let candidates = if scenario.zone_frontier.is_empty() {
                    &scenario.frontier
                } else {
                    &scenario.zone_frontier
                };
                let current = outcome_utility(space, vetoer_idx, text);
                let disagreement = space.disagreement();
                let score = |utilities: &[f64]| -> f64 {
                    utilities
                        .iter()
                        .zip(disagreement)
                        .map(|(utility, point)| (utility - point).max(1e-12).ln())
                        .sum()
                };
                let mut best: Option<(usize, f64)> = None;
                for (outcome_idx, (_, utilities)) in candidates.iter().enumerate() {
                    if utilities[vetoer_idx] <= current + 1e-12 {
                        continue;
                    }
                    let value = score(utilities);
                    if best.is_none_or(|(_, best_value)| value > best_value) {
                        best = Some((outcome_idx, value));
                    }
                }
                let revised = match best {
                    Some((outcome_idx, _)) => candidates.outcome(outcome_idx),
                    None => scenario.nash_target.as_slice(),
                };
                let changed = revised != &*text;
                text.copy_from_slice(revised);
                changed
            }
            MediatorStrategy::Protocol => {
                // The one-issue change that gains the vetoing party the most net of what it
                // costs the others, avoiding everyone's red lines.
                let n_parties = space.n_parties();
                let mut best: Option<(usize, usize, f64)> = None;
                for (issue_idx, &current_option) in text.iter().enumerate() {
                    let current_option = usize::from(current_option);
                    for option_idx in 0..space.option_counts()[issue_idx] {
                        if option_idx == current_option
                            || (0..n_parties).any(|party_idx| {
                                space.is_red_line(party_idx, issue_idx, option_idx)
                            })
                        {
                            continue;
                        }
                        let gain = space.value(vetoer_idx, issue_idx, option_idx)
                            - space.value(vetoer_idx, issue_idx, current_option);
                        if gain <= 1e-12 {
                            continue;
                        }
                        let cost: f64 = (0..n_parties)
                            .filter(|&party_idx| party_idx != vetoer_idx)
                            .map(|party_idx| {
                                (space.value(party_idx, issue_idx, current_option)
                                    - space.value(party_idx, issue_idx, option_idx))
                                .max(0.0)
                            })
                            .sum();
                        let score = gain - cost;
                        if best.is_none_or(|(_, _, best_score)| score > best_score) {
                            best = Some((issue_idx, option_idx, score));
                        }
                    }
                }
                match best {
                    Some((issue_idx, option_idx, _)) => {
                        text[issue_idx] = option_idx as u16;
                        true
                    }
                    None => false,
                }
            }
        }
    }
}

fn random_text(state: &mut RunState<'_>, text: &mut [u16]) {
    let option_counts = state.scenario.space.option_counts();
    for (issue_idx, option) in text.iter_mut().enumerate() {
        *option = state.rng.random_range(0..option_counts[issue_idx]) as u16;
    }
}

pub(crate) fn run_single_text(
    state: &mut RunState<'_>,
    agents: &mut [Agent],
    protocol: Protocol,
    strategy: MediatorStrategy,
) -> Ending {
    let scenario = state.scenario;
    let deadline = state.deadline;
    let n_parties = agents.len();
    let mut mediator = Mediator::new(scenario, strategy, protocol);
    let mut text = vec![0u16; scenario.space.n_issues()];
    random_text(state, &mut text);
    mediator.on_new_text(scenario, &text);
    state.record(0.0, Speaker::Mediator, Action::Adopt, &text);
    let mut current_utilities: Vec<f64> =
        (0..n_parties).map(|party_idx| state.utility(party_idx, &text)).collect();
    let mut candidate_utilities = vec![0.0; n_parties];
    let mut candidate = text.clone();
    let mut round = 0;
    while round < deadline.n_rounds() {
        let rounds = round as f64;
        let t = deadline.relative_time(rounds);
        if !mediator.propose(state, &text, &mut candidate) {
            break;
        }
        state.record(rounds, Speaker::Mediator, Action::Propose, &candidate);
        let mut adopted = true;
        for (party_idx, agent) in agents.iter_mut().enumerate() {
            let utility = state.utility(party_idx, &candidate);
            candidate_utilities[party_idx] = utility;
            let vote = agent.votes_for(
                state,
                protocol,
                &candidate,
                utility,
                current_utilities[party_idx],
                t,
            );
            let action = if vote { Action::Accept } else { Action::Veto };
            state.record(rounds, Speaker::Party(party_idx), action, &candidate);
            adopted &= vote;
        }
        if adopted {
            text.copy_from_slice(&candidate);
            current_utilities.copy_from_slice(&candidate_utilities);
            state.record(rounds, Speaker::Mediator, Action::Adopt, &text);
            for agent in agents.iter_mut() {
                let mediator_idx = agent.mediator_idx();
                agent.observe(mediator_idx, current_utilities[agent.party_idx]);
            }
            mediator.on_new_text(scenario, &text);
        }
        round += 1;
    }
    // Ratification: every party says whether it accepts the final text as the agreement.
    // It takes place in the last round used: the round that ended the run early, or the
    // deadline's last round.
    let ratification_round = round.min(deadline.n_rounds() - 1);
    let rounds = ratification_round as f64;
    let mut agreed = true;
    for (party_idx, agent) in agents.iter().enumerate() {
        let utility = state.utility(party_idx, &text);
        let accepts = agent.is_rational(scenario, &text, utility);
        let action = if accepts { Action::Accept } else { Action::Reject };
        state.record(rounds, Speaker::Party(party_idx), action, &text);
        agreed &= accepts;
    }
    Ending {
        agreement: agreed.then_some(text),
        rounds: ratification_round + 1,
        time: deadline.time_at(rounds),
    }
}

pub(crate) fn run_shuttle(
    state: &mut RunState<'_>,
    agents: &mut [Agent],
    strategy: MediatorStrategy,
) -> Ending {
    let scenario = state.scenario;
    let deadline = state.deadline;
    let n_parties = agents.len();
    let mediator = Mediator::new(scenario, strategy, Protocol::Shuttle);
    let mut text = vec![0u16; scenario.space.n_issues()];
    match strategy {
        MediatorStrategy::Nash => text.copy_from_slice(&scenario.nash_target),
        MediatorStrategy::Protocol => random_text(state, &mut text),
    }
    let mut accepted = vec![false; n_parties];
    let mut n_accepted = 0;
    for round in 0..deadline.n_rounds() {
        let rounds = round as f64;
        let t = deadline.relative_time(rounds);
        let track = &scenario.tracks[round % scenario.tracks.len()];
        state.record(rounds, Speaker::Mediator, Action::Propose, &text);
        let mut vetoer = None;
        for &party_idx in &track.parties {
            let utility = state.utility(party_idx, &text);
            let agent = &mut agents[party_idx];
            let mediator_idx = agent.mediator_idx();
            agent.observe(mediator_idx, utility);
            if agent.accepts_text(state, &text, utility, t) {
                state.record(rounds, Speaker::Party(party_idx), Action::Accept, &text);
                if !accepted[party_idx] {
                    accepted[party_idx] = true;
                    n_accepted += 1;
                }
            } else {
                state.record(rounds, Speaker::Party(party_idx), Action::Veto, &text);
                vetoer.get_or_insert(party_idx);
            }
        }
        if n_accepted == n_parties {
            return Ending {
                agreement: Some(text),
                rounds: round + 1,
                time: deadline.time_at(rounds),
            };
        }
        if let Some(vetoer_idx) = vetoer
            && mediator.revise(scenario, &mut text, vetoer_idx)
        {
            accepted.fill(false);
            n_accepted = 0;
            state.record(rounds, Speaker::Mediator, Action::Adopt, &text);
        }
    }
    Ending {
        agreement: None,
        rounds: deadline.n_rounds(),
        time: deadline.time_at(deadline.n_rounds() as f64),
    }
}
