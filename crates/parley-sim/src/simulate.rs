//! Running one negotiation.

use crate::agent::{Agent, RunState};
use crate::protocol::{Protocol, SimOptions};
use crate::scenario::SimScenario;
use crate::strategy::Profile;
use crate::transcript::{Summary, Transcript, summarize};
use crate::{Error, Result, alternating, mediated};

/// A finished run.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// The result.
    pub summary: Summary,
    /// The events, when recording was asked for.
    pub transcript: Option<Transcript>,
}

/// Runs one negotiation of `scenario` under `profile`. The same inputs and seed give the
/// same run, event for event.
pub fn simulate(scenario: &SimScenario, profile: &Profile, options: &SimOptions) -> Result<Run> {
    let deadline = options.deadline.validate()?;
    let n_parties = scenario.space.n_parties();
    if profile.parties.len() > n_parties {
        return Err(Error::TooManyStrategies { n_given: profile.parties.len(), n_parties });
    }
    if profile.protocol == Protocol::AlternatingOffers && n_parties < 2 {
        return Err(Error::TooFewParties { protocol: profile.protocol.name(), n_parties });
    }
    let mut agents: Vec<Agent> = (0..n_parties)
        .map(|party_idx| Agent::new(scenario, party_idx, profile.strategy_of(party_idx)))
        .collect();
    let mut state = RunState::new(scenario, deadline, options.seed, options.record_transcript);
    let ending = match profile.protocol {
        Protocol::AlternatingOffers => alternating::run(&mut state, &mut agents),
        Protocol::SingleTextHillClimbing | Protocol::SingleTextVeto => {
            mediated::run_single_text(&mut state, &mut agents, profile.protocol, profile.mediator)
        }
        Protocol::Shuttle => mediated::run_shuttle(&mut state, &mut agents, profile.mediator),
    };
    let summary = summarize(
        scenario,
        ending.agreement.as_deref(),
        ending.rounds,
        ending.time,
        state.n_evaluations,
    );
    Ok(Run { summary, transcript: state.transcript })
}
