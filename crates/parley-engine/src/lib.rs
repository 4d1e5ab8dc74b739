//! Exact analysis of additive multi-party multi-issue utility spaces.
//!
//! An outcome picks one option per issue, and each party's utility is the sum of its
//! per-issue contributions. Everything here is exact: small spaces are enumerated, large ones
//! are solved with algorithms that exploit additivity, and nothing is ever sampled.
//!
//! - [`space`] holds the validated input, [`space::UtilitySpace`].
//! - [`frontier`] computes Pareto frontiers by dynamic programming over issues.
//! - [`solutions`] computes the Nash, Kalai-Smorodinsky, egalitarian and utilitarian
//!   outcomes, by branch and bound where possible.
//! - [`zone`] decides whether an agreement zone exists and counts it.
//! - [`blocking`] finds the smallest sets of concessions that open a zone.
//! - [`rectangles`] analyses non-linear hyper-rectangle (constraint) utility spaces, as in
//!   GENIUS's non-linear spaces: exact Pareto frontier by branch and bound, the four
//!   solutions and the agreement zone, with partial results when the budget runs out.
//! - [`brute_force`] is the exhaustive reference enumerator.
//! - [`control`] holds thread pools, cancellation and work budgets: every long loop takes its
//!   steps from the caller's [`control::Budget`] and stops with [`Error::OverBudget`] when
//!   its steps, its memory or its time run out.
//!
//! Spaces of at most 64 allowed outcomes (and 4 parties) are enumerated on the calling
//! thread by one routine for every question, without heap memory beyond the results'.
//!
//! Utilities are always summed over issues in issue order starting from `0.0`, so that every
//! algorithm computes bit-identical utilities for the same outcome and comparisons are exact.
#![warn(clippy::disallowed_methods, reason = "the engine does no I/O")]
#![warn(missing_docs)]

pub mod blocking;
pub mod brute_force;
pub mod control;
pub mod frontier;
pub mod outcome_set;
pub(crate) mod pareto;
pub mod rectangles;
pub(crate) mod search;
pub mod solutions;
pub mod space;
pub(crate) mod tiny;
pub mod zone;

/// Everything that can go wrong in the engine.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The space has no parties.
    #[error("a utility space needs at least one party")]
    NoParties,
    /// The space has no issues.
    #[error("a utility space needs at least one issue")]
    NoIssues,
    /// An issue has no options.
    #[error("issue {issue_idx} has no options")]
    NoOptions {
        /// The issue without options.
        issue_idx: usize,
    },
    /// An issue has more options than an outcome can index.
    #[error("issue {issue_idx} has '{n_options}' options, more than the limit of 65536")]
    TooManyOptions {
        /// The issue.
        issue_idx: usize,
        /// Its number of options.
        n_options: usize,
    },
    /// A party's table does not match the option counts.
    #[error("party {party_idx} gives '{found}' {what}, expected {expected}")]
    ShapeMismatch {
        /// The party.
        party_idx: usize,
        /// What was counted, such as "issues of contributions" or "options of red lines on issue 2".
        what: String,
        /// How many were given.
        found: usize,
        /// How many the option counts call for.
        expected: usize,
    },
    /// A contribution is NaN or infinite.
    #[error(
        "contribution of party {party_idx} to option {option_idx} of issue {issue_idx} is not finite: '{value}'"
    )]
    NonFiniteContribution {
        /// The party.
        party_idx: usize,
        /// The issue.
        issue_idx: usize,
        /// The option.
        option_idx: usize,
        /// The bad value.
        value: f64,
    },
    /// A constraint's value is NaN or infinite.
    #[error("value of constraint {constraint_idx} of party {party_idx} is not finite: '{value}'")]
    NonFiniteConstraintValue {
        /// The party.
        party_idx: usize,
        /// The constraint, by its position in the party's list.
        constraint_idx: usize,
        /// The bad value.
        value: f64,
    },
    /// A constraint's bound names no issue of the space or no range of its options.
    #[error(
        "bound of constraint {constraint_idx} of party {party_idx} on issue {issue_idx}, options '{lowest_option_idx}..={highest_option_idx}', is invalid: {reason}"
    )]
    BadBound {
        /// The party.
        party_idx: usize,
        /// The constraint, by its position in the party's list.
        constraint_idx: usize,
        /// The issue the bound names.
        issue_idx: usize,
        /// The lowest option of the bound.
        lowest_option_idx: usize,
        /// The highest option of the bound.
        highest_option_idx: usize,
        /// What is wrong, such as "the issue has 10 options".
        reason: String,
    },
    /// A party's divisor of its constraint sum is not positive and finite.
    #[error("max utility of party {party_idx} must be positive and finite, got '{value}'")]
    BadMaxUtility {
        /// The party.
        party_idx: usize,
        /// The bad divisor.
        value: f64,
    },
    /// A reservation value is NaN or infinite.
    #[error("reservation of party {party_idx} is not finite: '{value}'")]
    NonFiniteReservation {
        /// The party.
        party_idx: usize,
        /// The bad value.
        value: f64,
    },
    /// A thread count of zero was asked for.
    #[error("thread count must be at least 1, got '{n_threads}'")]
    ZeroThreads {
        /// The bad thread count.
        n_threads: usize,
    },
    /// The thread pool could not be built.
    #[error("cannot build the engine thread pool: {message}")]
    ThreadPool {
        /// Rayon's message.
        message: String,
    },
    /// The space has too many outcomes to enumerate.
    #[error(
        "the space has '{n_outcomes}' outcomes, more than the limit of {limit} for enumeration"
    )]
    TooLarge {
        /// The number of outcomes to enumerate.
        n_outcomes: f64,
        /// The limit.
        limit: f64,
    },
    /// The caller set the cancel flag.
    #[error("the computation was cancelled")]
    Cancelled,
    /// The computation ran past its work budget ([`control::Budget`]): too many steps, too
    /// much memory for its sets, or past the caller's deadline. Nothing it computed is
    /// returned.
    #[error("the computation ran past {exceeded} (after {steps} steps)")]
    OverBudget {
        /// The limit it ran into.
        exceeded: control::Exceeded,
        /// The steps it had taken.
        steps: u64,
    },
}

/// The engine's result type.
pub type Result<T> = std::result::Result<T, Error>;
