//! Deterministic simulations of mediated multi-party multi-issue negotiations.
//!
//! A simulation runs one protocol with one strategy per party on a [`scenario::SimScenario`]
//! (an engine utility space plus the tracks and the recorded positions of a scenario):
//!
//! - [`protocol::Protocol::AlternatingOffers`]: stacked multilateral alternating offers; an
//!   offer is agreed once every other party has accepted it.
//! - [`protocol::Protocol::SingleTextHillClimbing`] and [`protocol::Protocol::SingleTextVeto`]:
//!   a mediator proposes whole texts, the parties vote, the mediator revises.
//! - [`protocol::Protocol::Shuttle`]: the mediator meets the scenario's tracks in turn and
//!   revises one text between meetings.
//!
//! Strategies ([`strategy::Strategy`]) are time-based concession, tit-for-tat, random and
//! recorded positions; the mediator can seek the Nash package. [`simulate::simulate`] runs one
//! negotiation and returns its [`transcript::Summary`] and, when asked, its
//! [`transcript::Transcript`]; [`tournament::run_tournament`] runs scenarios x profiles x
//! seeds on a caller's thread pool.
//!
//! Everything is pure: no I/O, no clock and no global random generator. A run is a function
//! of its inputs and its seed, so the same seed gives the same transcript.
#![warn(
    clippy::disallowed_methods,
    reason = "the simulation does no I/O: seeds and clocks arrive as values"
)]
#![warn(missing_docs)]

pub(crate) mod agent;
pub(crate) mod alternating;
pub(crate) mod mediated;
pub mod protocol;
pub mod scenario;
pub mod simulate;
pub mod strategy;
pub mod tournament;
pub mod transcript;

/// Everything that can go wrong in a simulation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The engine refused the space.
    #[error(transparent)]
    Engine(#[from] parley_engine::Error),
    /// Compiling a scenario's record into a space failed.
    #[error(transparent)]
    Analysis(#[from] parley_analysis::Error),
    /// A strategy name is not known.
    #[error(
        "unknown strategy '{name}', expected boulware, linear, conceder (each with an optional ':EXPONENT'), tit-for-tat, random (with an optional ':PROBABILITY'), recorded or nash-mediator"
    )]
    UnknownStrategy {
        /// The name given.
        name: String,
    },
    /// A strategy's parameter is out of range or not a number.
    #[error("strategy '{name}' has a bad parameter '{parameter}': {expected}")]
    BadStrategyParameter {
        /// The strategy.
        name: String,
        /// The parameter as given.
        parameter: String,
        /// What was expected.
        expected: &'static str,
    },
    /// A protocol name is not known.
    #[error(
        "unknown protocol '{name}', expected alternating-offers, single-text-hill-climbing, single-text-veto or shuttle"
    )]
    UnknownProtocol {
        /// The name given.
        name: String,
    },
    /// A profile gives more party strategies than the scenario has parties.
    #[error("'{n_given}' party strategies given for a scenario of {n_parties} parties")]
    TooManyStrategies {
        /// How many strategies were given.
        n_given: usize,
        /// How many parties the scenario has.
        n_parties: usize,
    },
    /// A mediator strategy was given for a protocol without a mediator.
    #[error("strategy '{name}' is a mediator's, but protocol '{protocol}' has no mediator")]
    NoMediator {
        /// The mediator strategy.
        name: String,
        /// The protocol.
        protocol: &'static str,
    },
    /// The protocol needs more parties than the scenario has.
    #[error("protocol '{protocol}' needs at least 2 parties, the scenario has {n_parties}")]
    TooFewParties {
        /// The protocol.
        protocol: &'static str,
        /// How many parties the scenario has.
        n_parties: usize,
    },
    /// The deadline is zero or not finite.
    #[error("the deadline must be positive and finite, got '{deadline}'")]
    BadDeadline {
        /// The deadline, as written.
        deadline: String,
    },
}

/// The simulation's result type.
pub type Result<T> = std::result::Result<T, Error>;
