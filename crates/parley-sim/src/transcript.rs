//! What happened in a run: the transcript of events, and the summary of the result.

use parley_engine::outcome_set::OutcomeSet;

use crate::scenario::SimScenario;

/// Who acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speaker {
    /// A party, by its index in the space.
    Party(usize),
    /// The mediator.
    Mediator,
}

/// What an event does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// A party offers an outcome (alternating offers).
    Offer,
    /// A party accepts an offer, a proposed text or the final text.
    Accept,
    /// A party rejects an offer (alternating offers) or the final text (ratification).
    Reject,
    /// A party vetoes a proposed text.
    Veto,
    /// The mediator proposes a text.
    Propose,
    /// The mediator adopts the proposed text as the current text.
    Adopt,
}

impl Action {
    /// The action's name in transcripts.
    pub fn name(self) -> &'static str {
        match self {
            Action::Offer => "offer",
            Action::Accept => "accept",
            Action::Reject => "reject",
            Action::Veto => "veto",
            Action::Propose => "propose",
            Action::Adopt => "adopt",
        }
    }
}

/// One event of a transcript.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The round, from 0.
    pub round: usize,
    /// The simulated time in seconds (the fractional round for a deadline in rounds).
    pub time: f64,
    /// Who acts.
    pub speaker: Speaker,
    /// What it does.
    pub action: Action,
    /// The outcome acted on, as option indices per issue.
    pub outcome: Vec<u16>,
    /// Every party's utility of the outcome.
    pub utilities: Vec<f64>,
}

/// The events of a run, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Transcript {
    /// The events.
    pub events: Vec<Event>,
}

/// The result of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The agreed outcome, if any.
    pub agreement: Option<Vec<u16>>,
    /// The rounds used (the round of the last event, plus one).
    pub rounds: usize,
    /// The simulated time used, in seconds.
    pub time: f64,
    /// Each party's utility: of the agreement, or its disagreement point without one.
    pub utilities: Vec<f64>,
    /// Euclidean distance in utility space from `utilities` to the nearest Nash outcome;
    /// `None` when the agreement zone is empty.
    pub distance_to_nash: Option<f64>,
    /// Euclidean distance in utility space from `utilities` to the nearest outcome of the
    /// (unrestricted) Pareto frontier that weakly dominates it: 0 on the frontier; `None`
    /// when no frontier outcome dominates it (a disagreement point above the frontier).
    pub distance_to_frontier: Option<f64>,
    /// How many times a party evaluated its utility of an offer or text.
    pub n_offer_evaluations: u64,
}

/// Builds the summary of a finished run.
pub(crate) fn summarize(
    scenario: &SimScenario,
    agreement: Option<&[u16]>,
    rounds: usize,
    time: f64,
    n_offer_evaluations: u64,
) -> Summary {
    let utilities = match agreement {
        Some(outcome) => scenario.space.utilities(outcome),
        None => scenario.space.disagreement().to_vec(),
    };
    let distance_to_nash = nearest(&scenario.nash, &utilities, |_| true);
    let distance_to_frontier = nearest(&scenario.frontier, &utilities, |point| {
        point.iter().zip(&utilities).all(|(frontier, own)| *frontier >= own - 1e-12)
    });
    Summary {
        agreement: agreement.map(<[u16]>::to_vec),
        rounds,
        time,
        utilities,
        distance_to_nash,
        distance_to_frontier,
        n_offer_evaluations,
    }
}

/// The distance from `point` to the nearest outcome of `set` that passes `keep`.
fn nearest(set: &OutcomeSet, point: &[f64], keep: impl Fn(&[f64]) -> bool) -> Option<f64> {
    set.iter()
        .filter(|(_, utilities)| keep(utilities))
        .map(|(_, utilities)| {
            utilities.iter().zip(point).map(|(a, b)| (a - b) * (a - b)).sum::<f64>().sqrt()
        })
        .min_by(f64::total_cmp)
}
