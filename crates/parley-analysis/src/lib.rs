//! The analysis of a scenario: its record compiled to additive utilities (point estimates of
//! the scale's intervals), run through the exact engine: the agreement zone, the Pareto
//! frontiers, the Nash, Kalai-Smorodinsky, egalitarian and utilitarian packages, the smallest
//! concessions that would open a zone, each draft's evaluation, and how robust all that is to
//! what the record leaves uncertain (seeded samples from the intervals).
//!
//! Pure like the engine: the clock, the seed and the thread pool arrive as values.
//!
//! # Indifferent issues
//!
//! An issue on which no negotiating party tells the options apart (no position, a zero
//! weight, or the same value and red lines on every option) is analysed as one option and
//! reported as "any option" ([`Analysis::indifferent_issues`]): it multiplies every set of
//! outcomes without changing a utility, so a scenario with 60 such issues is analysed as fast
//! as one without them, with the same exact meaning.
//!
//! # Bounds and cancellation
//!
//! Every step runs under a work budget, [`AnalysisOptions::limits`]: at most so many engine
//! steps and so much memory for the sets it keeps, and a deadline the caller reads from its
//! own clock. A step that runs past its budget is *cut short*: its result is `None`, and
//! [`Analysis::cut_short`] says which limit it ran into; every other result is exact and
//! complete. The defaults ([`DEFAULT_MAX_STEPS`], [`DEFAULT_MAX_BYTES`]) bound every step
//! without a clock; a caller that wants a time bound passes a deadline.
//!
//! A caller that may stop waiting (a server whose client went away) passes a cancel flag in
//! the [`Control`]: once it is set, [`analyze`] returns [`Error::Engine`] with
//! [`parley_engine::Error::Cancelled`] within a few thousand steps, whatever step it was in.
//!
//! ```
//! use std::sync::atomic::AtomicBool;
//! use std::time::{Duration, Instant};
//!
//! use parley_analysis::{AnalysisOptions, analyze};
//! use parley_engine::control::{Control, Limits, build_thread_pool};
//!
//! let scenario = parley_model::scenario_file::read_scenario(parley_model::builtin::TALKS_2025_TOML)
//!     .scenario
//!     .unwrap();
//! // The caller's clock: the analysis reads none.
//! let deadline = Instant::now() + Duration::from_secs(10);
//! let out_of_time = || Instant::now() >= deadline;
//! let options = AnalysisOptions {
//!     limits: Limits { out_of_time: Some(&out_of_time), ..AnalysisOptions::default().limits },
//!     ..AnalysisOptions::default()
//! };
//! // Set from another thread when nobody waits for the answer any more.
//! let cancel = AtomicBool::new(false);
//! let pool = build_thread_pool(2).unwrap();
//! let analysis = analyze(&scenario, &options, &pool, &Control::none().with_cancel(&cancel)).unwrap();
//! assert!(analysis.cut_short.is_empty());
//! // On the report's words and the analyst's readings, the talks have no agreement zone.
//! assert_eq!(analysis.zone_exists, Some(false));
//! ```
#![warn(missing_docs)]
#![warn(
    clippy::disallowed_methods,
    reason = "the analysis does no I/O: the clock arrives as a value"
)]

mod compile;
pub mod constraints;
pub mod drafts;
pub mod grid;
pub mod reference;
pub mod relax;
pub mod robustness;

use std::time::Duration;

use parley_engine::blocking::Blocking;
use parley_engine::control::{Budget, Control, Exceeded, Limits};
use parley_engine::outcome_set::OutcomeSet;
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
    /// A scenario that mixes constraint and additive utilities, where an additive party has
    /// red lines, which a constraint space cannot hold.
    #[error(
        "party '{party}' has red lines, which cannot be analysed beside other parties' constraint utilities"
    )]
    MixedRedLines {
        /// The additive party with red lines.
        party: String,
    },
    /// The scenario has constraint utilities, which [`analyze`] does not hold: see
    /// [`constraints::analyze_constraints`].
    #[error(
        "the scenario has constraint (non-linear) utilities, which the additive analysis cannot hold"
    )]
    ConstraintUtilities,
}

/// The analysis's result type.
pub type Result<T> = std::result::Result<T, Error>;

/// The engine steps each step of an analysis may take by default: a few seconds of work on
/// one core (the built-in scenario takes a few thousand per step).
pub const DEFAULT_MAX_STEPS: u64 = 2_000_000_000;

/// The memory, in bytes, the sets of each step of an analysis may need by default: 256 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 256 << 20;

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
    /// The work each step may do: its engine steps and the memory of its sets (each step
    /// has its own; the robustness sampling shares its memory among the pool's threads),
    /// and the deadline of the whole analysis. See [Bounds and
    /// cancellation](crate#bounds-and-cancellation).
    pub limits: Limits<'a>,
    /// Called with a step's name (as in [`CutShort::step`]) as it starts, so that a caller can
    /// say what is running; the step's progress, where it reports any, goes to the
    /// [`Control`]'s progress callback.
    pub on_step: Option<&'a dyn Fn(&'static str)>,
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
            limits: Limits {
                max_steps: Some(DEFAULT_MAX_STEPS),
                max_bytes: Some(DEFAULT_MAX_BYTES),
                out_of_time: None,
            },
            on_step: None,
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

/// A step of the analysis that ran past its budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CutShort {
    /// The step: `zone`, `zone_size`, `frontier`, `unrestricted_frontier`, `nash`, `kalai`,
    /// `egalitarian`, `utilitarian`, `blocking`, `drafts`, `robustness` or `relaxations`.
    pub step: &'static str,
    /// The limit it ran into.
    pub exceeded: Exceeded,
    /// The engine steps it had taken.
    pub steps: u64,
}

/// The four packages; `None` for one whose step was cut short.
#[derive(Debug, Clone, PartialEq)]
pub struct Packages {
    /// Frontier outcomes maximising the product of gains over the disagreement point.
    pub nash: Option<OutcomeSet>,
    /// Frontier outcomes with the most even normalised gains.
    pub kalai_smorodinsky: Option<OutcomeSet>,
    /// Frontier outcomes maximising the smallest gain.
    pub egalitarian: Option<OutcomeSet>,
    /// Frontier outcomes maximising the sum of utilities.
    pub utilitarian: Option<OutcomeSet>,
}

/// The analysis of a scenario. A result is `None` when its step was cut short (see
/// [`Analysis::cut_short`]); every result given is exact.
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
    /// Whether the agreement zone has an outcome (decided by the zone's frontier or count
    /// when its own step was cut short and theirs were not).
    pub zone_exists: Option<bool>,
    /// How many outcomes the zone holds (over the decisive issues), when counted.
    pub zone_size: Option<ZoneSize>,
    /// The Pareto frontier of the zone.
    pub frontier: Option<OutcomeSet>,
    /// The Pareto frontier of all outcomes, ignoring red lines and reservations.
    pub unrestricted_frontier: Option<OutcomeSet>,
    /// The bargaining solutions on the zone's frontier.
    pub solutions: Packages,
    /// Why there is no deal (or `[[]]` concessions when there is a zone).
    pub blocking: Option<Blocking>,
    /// Each draft's evaluation, in the scenario's order.
    pub drafts: Option<Vec<drafts::DraftEvaluation>>,
    /// How robust the results are to the intervals, when sampled (and not cut short).
    pub robustness: Option<robustness::Robustness>,
    /// How the zone and the Nash package move when each inferred reading is relaxed one
    /// step (see [`relax`]); empty when nothing is inferred, `None` when cut short.
    pub relaxations: Option<Vec<relax::Relaxation>>,
    /// The steps that ran past their budget, in the order they ran.
    pub cut_short: Vec<CutShort>,
    /// How long each step took, when a clock was given: `(step, duration)`.
    pub timings: Vec<(&'static str, Duration)>,
    /// For a scenario with continuous issues: the grid every result is exact on, and how far
    /// the continuous issues can lie from it; `None` when every issue lists its options.
    pub grid: Option<grid::GridApproximation>,
}

/// Runs the steps of one analysis, each under its own budget, timing them when asked.
struct Steps<'a, 'c> {
    options: &'a AnalysisOptions<'a>,
    control: &'a Control<'c>,
    timings: Vec<(&'static str, Duration)>,
    cut_short: Vec<CutShort>,
}

impl Steps<'_, '_> {
    /// Runs one step under a fresh budget, timing it when a clock is given (`timing_runs`
    /// times then, keeping the fastest run's time and the last run's result). A step that
    /// runs past its budget gives `None` and is recorded as cut short.
    fn run<T>(
        &mut self,
        step: &'static str,
        runs: usize,
        limits: Limits<'_>,
        mut run: impl FnMut(&Control<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        if let Some(on_step) = self.options.on_step {
            on_step(step);
        }
        let mut once = || {
            let budget = Budget::new(limits);
            let control = Control { budget: Some(&budget), ..*self.control };
            run(&control)
        };
        let res = match self.options.clock {
            None => once(),
            Some(clock) => {
                let start = clock();
                let mut res = once();
                let mut fastest = clock().saturating_sub(start);
                for _ in 1..runs {
                    if res.is_err() {
                        break;
                    }
                    let start = clock();
                    res = once();
                    fastest = fastest.min(clock().saturating_sub(start));
                }
                self.timings.push((step, fastest));
                res
            }
        };
        match res {
            Ok(value) => Ok(Some(value)),
            Err(Error::Engine(parley_engine::Error::OverBudget { exceeded, steps })) => {
                self.cut_short.push(CutShort { step, exceeded, steps });
                Ok(None)
            }
            Err(err) => Err(err),
        }
    }

    /// [`Steps::run`] with the options' runs and limits.
    fn exact<T>(
        &mut self,
        step: &'static str,
        run: impl FnMut(&Control<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        self.run(step, self.options.timing_runs.max(1), self.options.limits, run)
    }
}

/// Analyses a scenario exactly on its point estimates, then samples its intervals.
///
/// Returns an error only when the scenario cannot be analysed at all or `control`'s cancel
/// flag was set; a step that runs past its budget is reported in [`Analysis::cut_short`].
pub fn analyze(
    scenario: &ValidScenario,
    options: &AnalysisOptions<'_>,
    pool: &ThreadPool,
    control: &Control<'_>,
) -> Result<Analysis> {
    use parley_engine::solutions::Package;
    use parley_engine::{blocking, frontier, solutions, zone};

    if constraints::has_constraint_utilities(scenario) {
        return Err(Error::ConstraintUtilities);
    }
    let parties = party_utilities(scenario, options.as_of);
    let grid = grid::grid_approximation(scenario, &parties, options.as_of);
    let (space, indifferent_issues) = compile_space(scenario, &parties)?.without_indifference();
    let mut steps = Steps { options, control, timings: Vec::new(), cut_short: Vec::new() };
    let space_ref = &space;
    let mut zone_exists = steps.exact("zone", |c| Ok(zone::zone_exists(space_ref, c)?))?;
    let zone_size = steps.exact("zone_size", |c| {
        Ok(zone::zone_size(space_ref, options.zone_count_limit, pool, c)?)
    })?;
    let unrestricted_frontier = steps.exact("unrestricted_frontier", |c| {
        Ok(frontier::pareto_frontier(space_ref, Scope::Unrestricted, pool, c)?)
    })?;
    // Where no red line rules options out, the zone's frontier is the part of the frontier of
    // all outcomes in the zone: it is read off that one rather than built again.
    let frontier = steps.exact("frontier", |c| {
        let derived = unrestricted_frontier.as_ref().and_then(|unrestricted| {
            frontier::zone_frontier_from_unrestricted(space_ref, unrestricted)
        });
        match derived {
            Some(frontier) => Ok(frontier),
            None => Ok(frontier::pareto_frontier(space_ref, Scope::Zone, pool, c)?),
        }
    })?;
    // What the zone's frontier or count proves when its own step was cut short.
    if zone_exists.is_none() {
        zone_exists = match (&frontier, zone_size) {
            (Some(frontier), _) => Some(!frontier.is_empty()),
            (None, Some(ZoneSize::Counted(count))) => Some(count > 0),
            _ => None,
        };
    }
    // With the zone's frontier at hand, a package is found from it: the frontier is built
    // once per analysis, and each package's timing is its own cost.
    let mut package = |step: &'static str, package: Package| {
        steps.exact(step, |c| {
            Ok(solutions::package(space_ref, package, frontier.as_ref(), pool, c)?)
        })
    };
    let nash = package("nash", Package::Nash)?;
    let kalai_smorodinsky = package("kalai", Package::KalaiSmorodinsky)?;
    let egalitarian = package("egalitarian", Package::Egalitarian)?;
    let utilitarian = package("utilitarian", Package::Utilitarian)?;
    let solutions = Packages { nash, kalai_smorodinsky, egalitarian, utilitarian };
    let blocking = steps
        .exact("blocking", |c| Ok(blocking::blocking(space_ref, options.max_concessions, c)?))?;
    let compiled = Compiled {
        scenario,
        as_of: options.as_of,
        parties: &parties,
        space: &space,
        indifferent: &indifferent_issues,
    };
    let drafts = steps.exact("drafts", |c| {
        drafts::evaluate_drafts(&compiled, unrestricted_frontier.as_ref(), pool, c)
    })?;
    let robustness = if options.robustness_samples == 0 {
        None
    } else {
        // The samples run at once on the pool's threads: they share the memory limit.
        let n_threads = pool.current_num_threads().max(1) as u64;
        let limits = Limits {
            max_bytes: options.limits.max_bytes.map(|max_bytes| max_bytes / n_threads),
            ..options.limits
        };
        let robustness = steps.run("robustness", 1, limits, |c| {
            robustness::sample(&compiled, solutions.nash.as_ref(), options, pool, c)
        })?;
        // What one sample costs, from the step's time, when samples were drawn.
        let sampled = robustness.as_ref().filter(|robustness| robustness.n_samples > 0);
        if let (Some(robustness), Some(&(_, duration))) = (sampled, steps.timings.last()) {
            let per_sample = duration / u32::try_from(robustness.n_samples).unwrap_or(u32::MAX);
            steps.timings.push(("robustness_per_sample", per_sample));
        }
        robustness
    };
    let relaxations = steps.exact("relaxations", |c| {
        relax::relaxations(scenario, options.as_of, options.zone_count_limit, pool, c)
    })?;
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
        relaxations,
        cut_short: steps.cut_short,
        timings: steps.timings,
        grid,
    })
}

#[cfg(test)]
mod tests;
