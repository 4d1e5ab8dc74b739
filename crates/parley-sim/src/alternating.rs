//! Stacked multilateral alternating offers.
//!
//! Party 0 opens with an offer. Then the parties speak in turn, in index order and round
//! after round: each accepts the standing offer, or rejects it and makes its own, which
//! becomes the standing offer with no acceptances yet. The standing offer is agreed once
//! every party but its author has accepted it and the author confirms it. A round gives each party one turn; at the
//! deadline the run ends without agreement. This is NegMAS's `SAOMechanism` with more than
//! two negotiators.

use crate::agent::{Agent, RunState};
use crate::transcript::{Action, Speaker};

/// The outcome of a finished run: the agreement (if any), the rounds used and the time.
pub(crate) struct Ending {
    pub(crate) agreement: Option<Vec<u16>>,
    pub(crate) rounds: usize,
    pub(crate) time: f64,
}

pub(crate) fn run(state: &mut RunState<'_>, agents: &mut [Agent]) -> Ending {
    let n_parties = agents.len();
    let deadline = state.deadline;
    let n_steps = n_parties * deadline.n_rounds();
    let rounds_at = |step: usize| step as f64 / n_parties as f64;
    let mut offer = agents[0].bid(state, 0.0).to_vec();
    state.record(0.0, Speaker::Party(0), Action::Offer, &offer);
    let mut offerer = 0;
    let mut n_accepts = 0;
    for step in 1..n_steps {
        let party_idx = step % n_parties;
        let rounds = rounds_at(step);
        let t = deadline.relative_time(rounds);
        let t_next = deadline.relative_time(rounds_at(step + n_parties));
        let utility = state.utility(party_idx, &offer);
        let agent = &mut agents[party_idx];
        agent.observe(offerer, utility);
        if agent.accepts_offer(state, &offer, utility, t, t_next) {
            state.record(rounds, Speaker::Party(party_idx), Action::Accept, &offer);
            n_accepts += 1;
            // The author confirms last: a rational party never agrees to an offer of its own
            // that it could not accept (its fallback bid when nothing meets its reservation).
            if n_accepts == n_parties - 1 {
                let author_utility = state.utility(offerer, &offer);
                if !agents[offerer].is_rational(state.scenario, &offer, author_utility) {
                    state.record(rounds, Speaker::Party(offerer), Action::Reject, &offer);
                    n_accepts = 0;
                    continue;
                }
                state.record(rounds, Speaker::Party(offerer), Action::Accept, &offer);
                return Ending {
                    agreement: Some(offer),
                    rounds: step / n_parties + 1,
                    time: deadline.time_at(rounds),
                };
            }
        } else {
            state.record(rounds, Speaker::Party(party_idx), Action::Reject, &offer);
            offer.copy_from_slice(agent.bid(state, t));
            state.record(rounds, Speaker::Party(party_idx), Action::Offer, &offer);
            offerer = party_idx;
            n_accepts = 0;
        }
    }
    Ending {
        agreement: None,
        rounds: deadline.n_rounds(),
        time: deadline.time_at(deadline.n_rounds() as f64),
    }
}
