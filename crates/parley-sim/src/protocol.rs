//! Protocols and deadlines.

use crate::{Error, Result};

/// How the parties negotiate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// Stacked multilateral alternating offers: the parties speak in turn; each accepts the
    /// standing offer or rejects it with a counter-offer; an offer is agreed once every other
    /// party has accepted it. There is no mediator.
    AlternatingOffers,
    /// Single negotiating text by hill climbing: the mediator proposes a text that differs
    /// from the current one in one issue; it is adopted if every party finds it no worse (or
    /// good enough for now); the run ends when no neighbour is left to try or at the deadline,
    /// and the parties then ratify the text.
    SingleTextHillClimbing,
    /// Single negotiating text with vetoes: the mediator proposes a whole text; it is adopted
    /// unless some party vetoes it (worse for it than the current text and not good enough
    /// for now, or below its reservation, or across a red line); at the deadline the parties
    /// ratify the text.
    SingleTextVeto,
    /// Shuttle mediation: the mediator meets the scenario's tracks in turn with one text; the
    /// parties at the table accept it or veto it; a veto makes the mediator revise the text,
    /// and the text is agreed once every party has accepted it since its last revision.
    Shuttle,
}

impl Protocol {
    /// Every protocol, in the order of the documentation.
    pub const ALL: [Protocol; 4] = [
        Protocol::AlternatingOffers,
        Protocol::SingleTextHillClimbing,
        Protocol::SingleTextVeto,
        Protocol::Shuttle,
    ];

    /// Parses a protocol's name.
    pub fn parse(name: &str) -> Result<Protocol> {
        Protocol::ALL
            .into_iter()
            .find(|protocol| protocol.name() == name.trim())
            .ok_or_else(|| Error::UnknownProtocol { name: name.to_owned() })
    }

    /// The protocol's name, as the command line spells it.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::AlternatingOffers => "alternating-offers",
            Protocol::SingleTextHillClimbing => "single-text-hill-climbing",
            Protocol::SingleTextVeto => "single-text-veto",
            Protocol::Shuttle => "shuttle",
        }
    }

    /// Whether a mediator runs the protocol.
    pub fn has_mediator(self) -> bool {
        self != Protocol::AlternatingOffers
    }
}

/// When a run ends without agreement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Deadline {
    /// After this many rounds. A round of alternating offers gives every party one turn; a
    /// round of a mediated protocol is one proposal (single text) or one meeting (shuttle).
    Rounds(usize),
    /// After this much simulated time, each round taking `seconds_per_round` (a turn of
    /// alternating offers takes its share of a round).
    Time {
        /// The simulated time available, in seconds.
        limit: f64,
        /// How long one round takes, in seconds.
        seconds_per_round: f64,
    },
}

impl Deadline {
    /// Checks that the deadline is positive and finite.
    pub fn validate(self) -> Result<Deadline> {
        let valid = match self {
            Deadline::Rounds(n_rounds) => n_rounds > 0,
            Deadline::Time { limit, seconds_per_round } => {
                limit.is_finite()
                    && limit > 0.0
                    && seconds_per_round.is_finite()
                    && seconds_per_round > 0.0
            }
        };
        if valid { Ok(self) } else { Err(Error::BadDeadline { deadline: format!("{self:?}") }) }
    }

    /// The number of whole rounds the deadline allows (at least 1).
    pub fn n_rounds(self) -> usize {
        match self {
            Deadline::Rounds(n_rounds) => n_rounds,
            Deadline::Time { limit, seconds_per_round } => {
                ((limit / seconds_per_round).floor() as usize).max(1)
            }
        }
    }

    /// The relative time `t` in `[0, 1]` after a (fractional) number of rounds.
    pub fn relative_time(self, rounds: f64) -> f64 {
        let t = match self {
            Deadline::Rounds(n_rounds) => rounds / n_rounds as f64,
            Deadline::Time { limit, seconds_per_round } => rounds * seconds_per_round / limit,
        };
        t.clamp(0.0, 1.0)
    }

    /// Simulated seconds at a (fractional) round: the round itself for a deadline in rounds.
    pub fn time_at(self, rounds: f64) -> f64 {
        match self {
            Deadline::Rounds(_) => rounds,
            Deadline::Time { seconds_per_round, .. } => rounds * seconds_per_round,
        }
    }
}

/// How one run goes, apart from the profile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimOptions {
    /// When the run ends without agreement.
    pub deadline: Deadline,
    /// The seed of every random choice of the run.
    pub seed: u64,
    /// Whether to record the transcript (tournaments leave it out for speed).
    pub record_transcript: bool,
}
