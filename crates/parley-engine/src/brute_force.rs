//! The exhaustive reference enumerator.
//!
//! It visits every outcome that crosses no red line, in odometer order, keeping per-issue
//! prefix sums so that each outcome costs one addition per party and its utilities are
//! bit-identical to [`UtilitySpace::utilities`]. Work is split over a prefix of the issues
//! and spread over the thread pool; per-task results are merged in task order, so results do
//! not depend on the number of threads. It is exponential by nature and meant for checking
//! the exact algorithms and for small spaces.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::ThreadPool;
use rayon::iter::{IntoParallelIterator, ParallelIterator};

use crate::control::{Control, Meter};
use crate::frontier::allowed_options;
use crate::outcome_set::OutcomeSet;
use crate::pareto::{compare_desc, non_dominated, snap};
use crate::space::{Rules, Scope, UtilitySpace};
use crate::{Error, Result};

/// The most outcomes [`brute_force`] agrees to enumerate.
pub const ENUMERATION_LIMIT: f64 = 1e15;

/// What an exhaustive enumeration found.
#[derive(Debug, Clone, PartialEq)]
pub struct BruteForce {
    /// The Pareto frontier of the outcomes in scope, sorted by outcome.
    pub frontier: OutcomeSet,
    /// How many outcomes are in scope (the zone size for [`Scope::Zone`]).
    pub n_in_scope: u64,
    /// How many outcomes were evaluated: all those crossing no red line in scope.
    pub n_evaluated: u64,
}

/// Enumerates every outcome to find the frontier and the number of outcomes in scope.
///
/// Bargaining solutions follow from the frontier with
/// [`solutions_on_frontier`](crate::solutions::solutions_on_frontier).
pub fn brute_force(
    space: &UtilitySpace,
    scope: Scope,
    pool: &ThreadPool,
    control: &Control<'_>,
) -> Result<BruteForce> {
    let rules = space.rules(scope);
    let n_evaluated = allowed_product(space, &rules);
    if n_evaluated > ENUMERATION_LIMIT {
        return Err(Error::TooLarge { n_outcomes: n_evaluated, limit: ENUMERATION_LIMIT });
    }
    let (n_issues, n_parties) = (space.n_issues(), space.n_parties());
    let archives = enumerate(
        space,
        &rules,
        pool,
        control,
        || Archive::new(n_issues, n_parties),
        |archive, outcome, utilities| archive.offer(outcome, utilities),
        Archive::bytes,
    )?;
    let mut outcomes = Vec::new();
    let mut utilities = Vec::new();
    let mut n_in_scope = 0;
    for mut archive in archives {
        archive.compact();
        outcomes.append(&mut archive.kept_outcomes);
        utilities.append(&mut archive.kept_utilities);
        n_in_scope += archive.n_offered;
    }
    let kept = non_dominated(n_parties, &utilities);
    let mut kept_outcomes = Vec::with_capacity(kept.len() * n_issues);
    let mut kept_utilities = Vec::with_capacity(kept.len() * n_parties);
    for &kept_idx in &kept {
        kept_outcomes.extend_from_slice(&outcomes[kept_idx * n_issues..][..n_issues]);
        kept_utilities.extend_from_slice(&utilities[kept_idx * n_parties..][..n_parties]);
    }
    Ok(BruteForce {
        frontier: OutcomeSet::from_unsorted(n_issues, n_parties, kept_outcomes, kept_utilities),
        n_in_scope,
        n_evaluated: n_evaluated as u64,
    })
}

/// The number of outcomes that cross no red line under `rules`.
pub(crate) fn allowed_product(space: &UtilitySpace, rules: &Rules) -> f64 {
    allowed_options(space, rules).iter().map(|options| options.len() as f64).product()
}

/// Calls `visit(state, outcome, utilities)` for every outcome allowed by `rules` that meets
/// its thresholds, with one state per task; returns the states in task order. Every outcome
/// is a step; `state_bytes` estimates the memory a state holds, for the budget.
pub(crate) fn enumerate<State, NewState, Visit, StateBytes>(
    space: &UtilitySpace,
    rules: &Rules,
    pool: &ThreadPool,
    control: &Control<'_>,
    new_state: NewState,
    visit: Visit,
    state_bytes: StateBytes,
) -> Result<Vec<State>>
where
    State: Send,
    NewState: Fn() -> State + Sync,
    Visit: Fn(&mut State, &[u16], &[f64]) + Sync,
    StateBytes: Fn(&State) -> u64 + Sync,
{
    let allowed = allowed_options(space, rules);
    if allowed.iter().any(Vec::is_empty) {
        return Ok(Vec::new());
    }
    let n_issues = space.n_issues();
    let values: Vec<Vec<f64>> = (0..n_issues)
        .map(|issue_idx| {
            allowed[issue_idx]
                .iter()
                .flat_map(|&option_idx| {
                    space
                        .option_values(space.option_offsets()[issue_idx] + usize::from(option_idx))
                        .to_vec()
                })
                .collect()
        })
        .collect();
    // Enough tasks to balance the pool, few enough that each task's archive warms up, and
    // at least the last issue left to each task. The split does not depend on the pool size.
    let mut prefix_len = 0;
    let mut n_tasks: u64 = 1;
    while prefix_len + 1 < n_issues && n_tasks < 64 {
        n_tasks *= allowed[prefix_len].len() as u64;
        prefix_len += 1;
    }
    let n_done = AtomicU64::new(0);
    // The memory held by the states of the tasks done so far.
    let done_bytes = AtomicU64::new(0);
    let task = |task_idx: u64| -> Result<State> {
        control.check()?;
        let mut state = new_state();
        let walk = Walk { space, rules, allowed: &allowed, values: &values, prefix_len, control };
        let bytes = |state: &State| done_bytes.load(Ordering::Relaxed) + state_bytes(state);
        walk.run(task_idx, &mut state, &visit, &bytes)?;
        let state_bytes = state_bytes(&state);
        control.reserve(done_bytes.fetch_add(state_bytes, Ordering::Relaxed) + state_bytes)?;
        control.report(n_done.fetch_add(1, Ordering::Relaxed) + 1, n_tasks);
        Ok(state)
    };
    // Handing small enumerations to the pool costs more than it saves: waking its threads
    // takes tens of microseconds, and they spin for a while after.
    let n_outcomes: f64 = allowed.iter().map(|options| options.len() as f64).product();
    if n_outcomes <= SEQUENTIAL_OUTCOMES {
        return (0..n_tasks).map(task).collect();
    }
    pool.install(|| (0..n_tasks).into_par_iter().map(task).collect())
}

/// Up to this many outcomes, [`enumerate`] runs on the calling thread.
const SEQUENTIAL_OUTCOMES: f64 = 1e5;

/// One task's odometer walk over the issues after the prefix.
struct Walk<'a> {
    space: &'a UtilitySpace,
    rules: &'a Rules,
    allowed: &'a [Vec<u16>],
    /// Per issue, the allowed options' values, `[way_idx * n_parties + party_idx]`.
    values: &'a [Vec<f64>],
    prefix_len: usize,
    control: &'a Control<'a>,
}

impl Walk<'_> {
    fn run<State>(
        &self,
        task_idx: u64,
        state: &mut State,
        visit: &impl Fn(&mut State, &[u16], &[f64]),
        bytes: &impl Fn(&State) -> u64,
    ) -> Result<()> {
        let n_parties = self.space.n_parties();
        let n_issues = self.space.n_issues();
        let last = n_issues - 1;
        let mut digits = vec![0usize; n_issues];
        let mut remainder = task_idx;
        for issue_idx in (0..self.prefix_len).rev() {
            let n_ways = self.allowed[issue_idx].len() as u64;
            digits[issue_idx] = (remainder % n_ways) as usize;
            remainder /= n_ways;
        }
        // partial[level * n_parties + party_idx] sums the issues before `level`.
        let mut partial = vec![0.0; (n_issues + 1) * n_parties];
        let mut outcome = vec![0u16; n_issues];
        let mut utilities = vec![0.0; n_parties];
        let thresholds = &self.rules.thresholds;
        let unconstrained = thresholds.iter().all(|threshold| !threshold.is_finite());
        let mut refresh_from = 0;
        let last_values = &self.values[last];
        let n_last_ways = self.allowed[last].len();
        let mut meter = Meter::new(self.control);
        let mut n_steps = 0u64;
        loop {
            for level in refresh_from..last {
                let way_idx = digits[level];
                outcome[level] = self.allowed[level][way_idx];
                for party_idx in 0..n_parties {
                    partial[(level + 1) * n_parties + party_idx] = partial
                        [level * n_parties + party_idx]
                        + self.values[level][way_idx * n_parties + party_idx];
                }
            }
            let base = &partial[last * n_parties..(last + 1) * n_parties];
            for way_idx in 0..n_last_ways {
                for party_idx in 0..n_parties {
                    utilities[party_idx] =
                        base[party_idx] + last_values[way_idx * n_parties + party_idx];
                }
                if unconstrained || self.rules.meets_thresholds(&utilities) {
                    outcome[last] = self.allowed[last][way_idx];
                    visit(state, &outcome, &utilities);
                }
            }
            n_steps += n_last_ways as u64;
            if n_steps >= Meter::BATCH {
                meter.tick(std::mem::take(&mut n_steps))?;
                self.control.reserve(bytes(state))?;
            }
            let mut level = last;
            loop {
                if level == self.prefix_len {
                    meter.tick(n_steps)?;
                    return meter.flush();
                }
                level -= 1;
                digits[level] += 1;
                if digits[level] < self.allowed[level].len() {
                    break;
                }
                digits[level] = 0;
            }
            refresh_from = level;
        }
    }
}

/// The most cached dominators tried before an outcome is buffered.
const N_CACHED: usize = 16;

/// A task's running frontier: kept points, a buffer of points not yet filtered, and a few
/// kept points that reject most dominated outcomes at a glance.
struct Archive {
    n_issues: usize,
    n_parties: usize,
    n_offered: u64,
    kept_outcomes: Vec<u16>,
    kept_utilities: Vec<f64>,
    buffer_outcomes: Vec<u16>,
    buffer_utilities: Vec<f64>,
    cache: Vec<f64>,
}

impl Archive {
    fn new(n_issues: usize, n_parties: usize) -> Archive {
        Archive {
            n_issues,
            n_parties,
            n_offered: 0,
            kept_outcomes: Vec::new(),
            kept_utilities: Vec::new(),
            buffer_outcomes: Vec::new(),
            buffer_utilities: Vec::new(),
            cache: Vec::new(),
        }
    }

    /// An estimate of the memory the archive holds, in bytes.
    fn bytes(&self) -> u64 {
        let bytes = 2 * (self.kept_outcomes.capacity() + self.buffer_outcomes.capacity())
            + 8 * (self.kept_utilities.capacity()
                + self.buffer_utilities.capacity()
                + self.cache.capacity());
        bytes as u64
    }

    fn offer(&mut self, outcome: &[u16], utilities: &[f64]) {
        self.n_offered += 1;
        let n_parties = self.n_parties;
        for cached_idx in 0..self.cache.len() / n_parties {
            let cached = &self.cache[cached_idx * n_parties..(cached_idx + 1) * n_parties];
            // The cache holds rounded utilities: a tie up to rounding is no domination.
            let mut at_least = true;
            let mut above = false;
            for (&cached_key, &utility) in cached.iter().zip(utilities) {
                let key = snap(utility);
                at_least &= cached_key >= key;
                above |= cached_key > key;
            }
            if at_least && above {
                // Moving a successful dominator forward makes the next rejection quicker.
                if cached_idx > 0 {
                    for party_idx in 0..n_parties {
                        self.cache.swap(
                            (cached_idx - 1) * n_parties + party_idx,
                            cached_idx * n_parties + party_idx,
                        );
                    }
                }
                return;
            }
        }
        self.buffer_outcomes.extend_from_slice(outcome);
        self.buffer_utilities.extend_from_slice(utilities);
        if self.buffer_utilities.len() >= (64 * n_parties).max(2 * self.kept_utilities.len()) {
            self.compact();
        }
    }

    fn compact(&mut self) {
        let (n_issues, n_parties) = (self.n_issues, self.n_parties);
        self.kept_outcomes.append(&mut self.buffer_outcomes);
        self.kept_utilities.append(&mut self.buffer_utilities);
        let kept = non_dominated(n_parties, &self.kept_utilities);
        let mut outcomes = Vec::with_capacity(kept.len() * n_issues);
        let mut utilities = Vec::with_capacity(kept.len() * n_parties);
        for &kept_idx in &kept {
            outcomes.extend_from_slice(&self.kept_outcomes[kept_idx * n_issues..][..n_issues]);
            utilities.extend_from_slice(&self.kept_utilities[kept_idx * n_parties..][..n_parties]);
        }
        // Points spread evenly along the frontier, sorted by utility, cover most of the space
        // below it.
        let point = |kept_idx: usize| &utilities[kept_idx * n_parties..][..n_parties];
        let mut by_utility: Vec<usize> = (0..kept.len()).collect();
        by_utility.sort_unstable_by(|&left, &right| compare_desc(point(left), point(right)));
        self.cache.clear();
        let n_cached = kept.len().min(N_CACHED);
        for cached_idx in 0..n_cached {
            let kept_idx = by_utility[cached_idx * kept.len() / n_cached];
            self.cache.extend(point(kept_idx).iter().map(|&utility| snap(utility)));
        }
        self.kept_outcomes = outcomes;
        self.kept_utilities = utilities;
    }
}
