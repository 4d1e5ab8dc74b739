//! Tournaments: scenarios x strategy profiles x seeds, run in parallel on the caller's pool.
//!
//! Runs are laid out in a fixed order (scenario, then profile, then seed) and collected in
//! that order, so the results do not depend on the number of threads. Timings come from a
//! clock the caller passes, and are the only part that varies between identical tournaments.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rayon::ThreadPool;
use rayon::iter::{IntoParallelIterator, ParallelIterator};

use crate::Result;
use crate::protocol::{Deadline, Protocol, SimOptions};
use crate::scenario::SimScenario;
use crate::simulate::simulate;
use crate::strategy::{MediatorStrategy, Profile, Strategy};
use crate::transcript::Summary;

/// One run's result.
#[derive(Debug, Clone, PartialEq)]
pub struct TournamentRow {
    /// The scenario, as an index into the tournament's scenarios.
    pub scenario_idx: usize,
    /// The profile, as an index into the tournament's profiles.
    pub profile_idx: usize,
    /// The seed.
    pub seed: u64,
    /// The result.
    pub summary: Summary,
    /// How long the run took by the caller's clock (`None` without a clock).
    pub elapsed: Option<Duration>,
}

/// Aggregates over the runs in which one strategy played.
#[derive(Debug, Clone, PartialEq)]
pub struct StrategyAggregate {
    /// The strategy's name (a party strategy, or a mediated protocol with its mediator).
    pub strategy: String,
    /// The runs it took part in.
    pub n_runs: usize,
    /// The share of those runs that reached an agreement.
    pub agreement_rate: f64,
    /// The mean utility of the parties that played it (disagreement points without a deal).
    pub mean_utility: f64,
    /// The mean distance to the Nash package over the runs where it is defined.
    pub mean_distance_to_nash: Option<f64>,
    /// Runs per second of the summed run times (per core); `None` without a clock.
    pub negotiations_per_second: Option<f64>,
}

/// A tournament's results.
#[derive(Debug, Clone, PartialEq)]
pub struct Tournament {
    /// Every run, by scenario, then profile, then seed.
    pub rows: Vec<TournamentRow>,
    /// Per party strategy, in order of first appearance in the profiles.
    pub by_strategy: Vec<StrategyAggregate>,
    /// Per profile, in the profiles' order (the label is the profile's).
    pub by_profile: Vec<StrategyAggregate>,
    /// Offer evaluations over all runs.
    pub n_offer_evaluations: u64,
}

/// The profiles of a tournament: for each protocol, each mediator strategy it takes (the
/// protocol's own, and the given ones for mediated protocols), and each ordered pair of party
/// strategies `(a, b)`: party 0 plays `a`, every other party plays `b`.
pub fn cross_profiles(
    protocols: &[Protocol],
    mediators: &[MediatorStrategy],
    strategies: &[Strategy],
) -> Vec<Profile> {
    let mut profiles = Vec::new();
    for &protocol in protocols {
        let mut protocol_mediators = vec![MediatorStrategy::Protocol];
        if protocol.has_mediator() {
            for &mediator in mediators {
                if !protocol_mediators.contains(&mediator) {
                    protocol_mediators.push(mediator);
                }
            }
        }
        for &mediator in &protocol_mediators {
            for &first in strategies {
                for &rest in strategies {
                    let parties = if first == rest { vec![first] } else { vec![first, rest] };
                    profiles.push(Profile { protocol, mediator, parties });
                }
            }
        }
    }
    profiles
}

/// Runs every scenario under every profile with every seed, on `pool`.
///
/// `progress(done, total)` is called after each run, from any thread. `clock` gives the time
/// since some fixed moment, to time each run.
pub fn run_tournament(
    scenarios: &[SimScenario],
    profiles: &[Profile],
    seeds: &[u64],
    deadline: Deadline,
    pool: &ThreadPool,
    progress: &(dyn Fn(usize, usize) + Sync),
    clock: Option<&(dyn Fn() -> Duration + Sync)>,
) -> Result<Tournament> {
    let deadline = deadline.validate()?;
    let mut jobs = Vec::with_capacity(scenarios.len() * profiles.len() * seeds.len());
    for scenario_idx in 0..scenarios.len() {
        for profile_idx in 0..profiles.len() {
            for &seed in seeds {
                jobs.push((scenario_idx, profile_idx, seed));
            }
        }
    }
    let total = jobs.len();
    let done = AtomicUsize::new(0);
    let rows: Vec<Result<TournamentRow>> = pool.install(|| {
        jobs.into_par_iter()
            .map(|(scenario_idx, profile_idx, seed)| {
                let options = SimOptions { deadline, seed, record_transcript: false };
                let start = clock.map(|clock| clock());
                let run = simulate(&scenarios[scenario_idx], &profiles[profile_idx], &options)?;
                let elapsed = match (clock, start) {
                    (Some(clock), Some(start)) => Some(clock().saturating_sub(start)),
                    _ => None,
                };
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
                Ok(TournamentRow { scenario_idx, profile_idx, seed, summary: run.summary, elapsed })
            })
            .collect()
    });
    let rows = rows.into_iter().collect::<Result<Vec<TournamentRow>>>()?;
    let n_offer_evaluations = rows.iter().map(|row| row.summary.n_offer_evaluations).sum();
    let by_profile = profiles
        .iter()
        .enumerate()
        .map(|(profile_idx, profile)| {
            aggregate(profile.label(), &rows, |row| {
                (row.profile_idx == profile_idx).then(|| (0..row.summary.utilities.len()).collect())
            })
        })
        .collect();
    let mut strategies: Vec<Strategy> = Vec::new();
    for profile in profiles {
        for &strategy in &profile.parties {
            if !strategies.contains(&strategy) {
                strategies.push(strategy);
            }
        }
    }
    let by_strategy = strategies
        .iter()
        .map(|&strategy| {
            aggregate(strategy.name(), &rows, |row| {
                let profile = &profiles[row.profile_idx];
                let parties: Vec<usize> = (0..row.summary.utilities.len())
                    .filter(|&party_idx| profile.strategy_of(party_idx) == strategy)
                    .collect();
                (!parties.is_empty()).then_some(parties)
            })
        })
        .collect();
    Ok(Tournament { rows, by_strategy, by_profile, n_offer_evaluations })
}

/// Aggregates the rows `select` picks, over the parties it names for each.
fn aggregate(
    strategy: String,
    rows: &[TournamentRow],
    select: impl Fn(&TournamentRow) -> Option<Vec<usize>>,
) -> StrategyAggregate {
    let mut n_runs = 0;
    let mut n_agreements = 0;
    let mut utility_sum = 0.0;
    let mut n_utilities = 0;
    let mut nash_sum = 0.0;
    let mut n_nash = 0;
    let mut elapsed = Some(Duration::ZERO);
    for row in rows {
        let Some(parties) = select(row) else { continue };
        n_runs += 1;
        n_agreements += usize::from(row.summary.agreement.is_some());
        for party_idx in parties {
            utility_sum += row.summary.utilities[party_idx];
            n_utilities += 1;
        }
        if let Some(distance) = row.summary.distance_to_nash {
            nash_sum += distance;
            n_nash += 1;
        }
        elapsed = match (elapsed, row.elapsed) {
            (Some(total), Some(run)) => Some(total + run),
            _ => None,
        };
    }
    let ratio = |sum: f64, count: usize| if count == 0 { 0.0 } else { sum / count as f64 };
    StrategyAggregate {
        strategy,
        n_runs,
        agreement_rate: ratio(n_agreements as f64, n_runs),
        mean_utility: ratio(utility_sum, n_utilities),
        mean_distance_to_nash: (n_nash > 0).then(|| nash_sum / n_nash as f64),
        negotiations_per_second: elapsed
            .filter(|total| n_runs > 0 && !total.is_zero())
            .map(|total| n_runs as f64 / total.as_secs_f64()),
    }
}

#[cfg(test)]
mod tests {
    use parley_engine::control::build_thread_pool;
    use parley_engine::space::random_space;

    use super::*;

    fn tournament(n_threads: usize) -> Tournament {
        let scenarios: Vec<SimScenario> = (0..3)
            .map(|seed| {
                SimScenario::from_space(random_space(seed, 2 + seed as usize % 2, 4, 4).unwrap())
                    .unwrap()
            })
            .collect();
        let strategies = [
            Strategy::TimeBased { exponent: 0.25 },
            Strategy::TitForTat,
            Strategy::Random { acceptance_probability: 0.5 },
        ];
        let profiles = cross_profiles(&Protocol::ALL, &[MediatorStrategy::Nash], &strategies);
        let pool = build_thread_pool(n_threads).unwrap();
        run_tournament(
            &scenarios,
            &profiles,
            &[1, 2, 3],
            Deadline::Rounds(20),
            &pool,
            &|_, _| {},
            None,
        )
        .unwrap()
    }

    #[test]
    fn results_do_not_depend_on_the_thread_count() {
        let one = tournament(1);
        assert_eq!(one.rows.len(), 3 * (9 + 3 * 18) * 3);
        assert_eq!(one, tournament(2));
        assert_eq!(one.by_strategy.len(), 3);
        assert!(
            one.by_strategy.iter().all(|aggregate| aggregate.negotiations_per_second.is_none())
        );
    }
}
