//! The analysis of a scenario: its record compiled to additive utilities (point estimates of
//! the scale's intervals), run through the exact engine: the agreement zone, the Pareto
//! frontiers, the Nash, Kalai-Smorodinsky, egalitarian and utilitarian packages, the smallest
//! concessions that would open a zone, each draft's evaluation, and how robust all that is to
//! what the record leaves uncertain (seeded samples from the intervals).
//!
//! Pure like the engine: the clock, the seed and the thread pool arrive as values.
#![warn(missing_docs)]
#![warn(
    clippy::disallowed_methods,
    reason = "the analysis does no I/O: the clock arrives as a value"
)]

mod compile;
pub mod drafts;
pub mod robustness;

use std::time::Duration;

use parley_engine::blocking::Blocking;
use parley_engine::control::Control;
use parley_engine::outcome_set::OutcomeSet;
use parley_engine::solutions::Solutions;
use parley_engine::space::{Scope, UtilitySpace};
use parley_engine::zone::ZoneSize;
use parley_model::Date;
use parley_model::utility::{PartyUtilities, party_utilities};
use parley_model::validate::ValidScenario;
use rayon::ThreadPool;

pub use compile::compile_space;

/// Everything that can stop an analysis.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The engine refused the space or was cancelled.
    #[error(transparent)]
    Engine(#[from] parley_engine::Error),
}

/// The analysis's result type.
pub type Result<T> = std::result::Result<T, Error>;

/// What to compute, and how.
pub struct AnalysisOptions<'a> {
    /// Use each party's latest positions as of this date (all positions when `None`).
    pub as_of: Option<Date>,
    /// How many samples the robustness analysis draws; 0 skips it.
    pub robustness_samples: usize,
    /// The seed of the robustness samples.
    pub seed: u64,
    /// The largest concession set the no-deal analysis looks for.
    pub max_concessions: usize,
    /// Above this many red-line-free outcomes the zone is not counted (its existence still is).
    pub zone_count_limit: f64,
    /// Time since some fixed moment, to time each step; `None` leaves the timings empty.
    pub clock: Option<&'a dyn Fn() -> Duration>,
    /// When timed, how many times each exact step runs; its timing is the fastest run (the
    /// first run of a process pays for cold caches and first-touched memory). The robustness
    /// sampling always runs once.
    pub timing_runs: usize,
}

impl Default for AnalysisOptions<'_> {
    fn default() -> Self {
        AnalysisOptions {
            as_of: None,
            robustness_samples: 1000,
            seed: 1,
            max_concessions: 3,
            zone_count_limit: parley_engine::zone::DEFAULT_COUNT_LIMIT,
            clock: None,
            timing_runs: 1,
        }
    }
}

/// What the steps of an analysis read: the scenario, its negotiating parties' numbers, the
/// space the results are computed on and its indifferent issues.
#[derive(Clone, Copy)]
pub(crate) struct Compiled<'a> {
    pub(crate) scenario: &'a ValidScenario,
    pub(crate) as_of: Option<Date>,
    pub(crate) parties: &'a [PartyUtilities],
    pub(crate) space: &'a UtilitySpace,
    pub(crate) indifferent: &'a [usize],
}

/// The analysis of a scenario.
#[derive(Debug)]
pub struct Analysis {
    /// The negotiating parties' numbers, in the order of the space's parties.
    pub parties: Vec<PartyUtilities>,
    /// The point-estimate utility space the exact results are computed on: the scenario's,
    /// with each indifferent issue narrowed to its first option
    /// ([`UtilitySpace::without_indifference`]).
    pub space: UtilitySpace,
    /// The issues no negotiating party tells the options of apart (no position, zero weight,
    /// or equal values and red lines on every option), in increasing order. Every outcome of
    /// the results stands for every choice of options on them ("any option"); their option in
    /// the results' outcomes is 0.
    pub indifferent_issues: Vec<usize>,
    /// Whether the agreement zone has an outcome.
    pub zone_exists: bool,
    /// How many outcomes the zone holds, when counted.
    pub zone_size: ZoneSize,
    /// The Pareto frontier of the zone.
    pub frontier: OutcomeSet,
    /// The Pareto frontier of all outcomes, ignoring red lines and reservations.
    pub unrestricted_frontier: OutcomeSet,
    /// The bargaining solutions on the zone's frontier.
    pub solutions: Solutions,
    /// Why there is no deal (or `[[]]` concessions when there is a zone).
    pub blocking: Blocking,
    /// Each draft's evaluation, in the scenario's order.
    pub drafts: Vec<drafts::DraftEvaluation>,
    /// How robust the results are to the intervals, when sampled.
    pub robustness: Option<robustness::Robustness>,
    /// How long each step took, when a clock was given: `(step, duration)`.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Runs one step, timing it when a clock is given: `runs` times then, keeping the fastest
/// run's time and the last run's result.
fn timed<T>(
    options: &AnalysisOptions<'_>,
    timings: &mut Vec<(&'static str, Duration)>,
    step: &'static str,
    mut run: impl FnMut() -> Result<T>,
) -> Result<T> {
    let Some(clock) = options.clock else {
        return run();
    };
    let start = clock();
    let mut res = run()?;
    let mut fastest = clock().saturating_sub(start);
    for _ in 1..options.timing_runs {
        let start = clock();
        res = run()?;
        fastest = fastest.min(clock().saturating_sub(start));
    }
    timings.push((step, fastest));
    Ok(res)
}

/// Analyses a scenario exactly on its point estimates, then samples its intervals.
pub fn analyze(
    scenario: &ValidScenario,
    options: &AnalysisOptions<'_>,
    pool: &ThreadPool,
    control: &Control<'_>,
) -> Result<Analysis> {
    let mut timings = Vec::new();
    let parties = party_utilities(scenario, options.as_of);
    let (space, indifferent_issues) = compile_space(scenario, &parties)?.without_indifference();
    let zone_exists = timed(options, &mut timings, "zone", || {
        Ok(parley_engine::zone::zone_exists(&space, control)?)
    })?;
    let zone_size = timed(options, &mut timings, "zone_size", || {
        Ok(parley_engine::zone::zone_size(&space, options.zone_count_limit, pool, control)?)
    })?;
    let frontier = timed(options, &mut timings, "frontier", || {
        Ok(parley_engine::frontier::pareto_frontier(&space, Scope::Zone, pool, control)?)
    })?;
    let unrestricted_frontier = timed(options, &mut timings, "unrestricted_frontier", || {
        Ok(parley_engine::frontier::pareto_frontier(&space, Scope::Unrestricted, pool, control)?)
    })?;
    let nash = timed(options, &mut timings, "nash", || {
        Ok(parley_engine::solutions::nash(&space, pool, control)?)
    })?;
    let kalai_smorodinsky = timed(options, &mut timings, "kalai", || {
        Ok(parley_engine::solutions::kalai_smorodinsky(&space, pool, control)?)
    })?;
    let egalitarian = timed(options, &mut timings, "egalitarian", || {
        Ok(parley_engine::solutions::egalitarian(&space, control)?)
    })?;
    let utilitarian = timed(options, &mut timings, "utilitarian", || {
        Ok(parley_engine::solutions::utilitarian(&space, control)?)
    })?;
    let solutions = Solutions { nash, kalai_smorodinsky, egalitarian, utilitarian };
    let blocking = timed(options, &mut timings, "blocking", || {
        Ok(parley_engine::blocking::blocking(&space, options.max_concessions, control)?)
    })?;
    let compiled = Compiled {
        scenario,
        as_of: options.as_of,
        parties: &parties,
        space: &space,
        indifferent: &indifferent_issues,
    };
    let drafts = timed(options, &mut timings, "drafts", || {
        drafts::evaluate_drafts(&compiled, &unrestricted_frontier, pool, control)
    })?;
    let robustness = if options.robustness_samples == 0 {
        None
    } else {
        let once = AnalysisOptions { timing_runs: 1, ..*options };
        Some(timed(&once, &mut timings, "robustness", || {
            robustness::sample(&compiled, &solutions.nash, options, pool, control)
        })?)
    };
    Ok(Analysis {
        parties,
        space,
        indifferent_issues,
        zone_exists,
        zone_size,
        frontier,
        unrestricted_frontier,
        solutions,
        blocking,
        drafts,
        robustness,
        timings,
    })
}

#[cfg(test)]
mod tests;
