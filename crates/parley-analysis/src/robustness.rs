//! Robustness to what the record leaves uncertain: seeded samples of every party's weights and
//! option values from their intervals (exact numbers stay exact; red lines and reservations
//! stay as recorded), each analysed exactly. An issue that is indifferent at the point
//! estimates, and on which every party gives every option the same interval (no position at
//! all, one stance for every option, or a zero weight), stays indifferent: its options share
//! the value drawn for the first, so a sample invents no preference nobody recorded, and the
//! issue is narrowed to one option as in the exact analysis. An issue indifferent only at the
//! point estimates (intervals that differ but have the same middle) is sampled like any other. Reports how often an agreement zone exists, how
//! often each draft is acceptable, and how stable the Nash package is, issue by issue.
//!
//! Sample `k` draws from `ChaCha8Rng::seed_from_u64(seed)` on stream `k`, so results are the
//! same for a seed whatever the number of threads.

use std::sync::atomic::{AtomicU64, Ordering};

use parley_engine::control::Control;
use parley_engine::outcome_set::OutcomeSet;
use parley_engine::space::UtilitySpace;
use parley_model::scale::Interval;
use parley_model::utility::PartyUtilities;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::ThreadPool;
use rayon::prelude::*;

use crate::drafts::Acceptance;
use crate::{AnalysisOptions, Compiled, Result};

/// What the samples show.
///
/// When no weight or value of a negotiating party is an interval ([`Robustness::uncertain`]
/// is false) nothing is sampled: the counts are those of the one case there is, the point
/// estimates, so every share is 0 or 1 and exact.
#[derive(Clone, PartialEq, Debug)]
pub struct Robustness {
    /// Whether some weight or value is an interval, so that samples were drawn.
    pub uncertain: bool,
    /// How many samples were drawn: 0 when nothing is uncertain.
    pub n_samples: usize,
    /// The seed.
    pub seed: u64,
    /// In how many samples (of [`Robustness::n_cases`]) an agreement zone exists.
    pub n_with_zone: usize,
    /// For each draft, in how many samples every completion is in the zone.
    pub n_draft_accepted: Vec<usize>,
    /// For each draft, in how many samples some completion is in the zone.
    pub n_draft_possible: Vec<usize>,
    /// For each issue and option, the share of samples whose Nash package picks the option
    /// (a sample with tied packages counts each of its k packages 1/k); samples without a
    /// zone count for none.
    pub nash_option_shares: Vec<Vec<f64>>,
    /// For each issue, the share of samples whose Nash package keeps the option of the
    /// point-estimate Nash package (its first when tied); `None` without a Nash package (or
    /// when its step was cut short).
    pub nash_stability: Option<Vec<f64>>,
    /// The issues held indifferent in every sample (see the module's documentation), in
    /// increasing order: their `nash_option_shares` have one entry, for any option.
    pub held_indifferent: Vec<usize>,
}

impl Robustness {
    /// The cases the counts are over: the samples, or the one exact case when nothing is
    /// uncertain.
    pub fn n_cases(&self) -> usize {
        if self.uncertain { self.n_samples } else { 1 }
    }
}

/// Whether some negotiating party's weight or option value is an interval rather than a
/// number.
pub fn is_uncertain(parties: &[PartyUtilities]) -> bool {
    let is_interval = |interval: &Interval| interval.high > interval.low;
    parties.iter().any(|party| {
        party.raw_weights.iter().any(is_interval) || party.values.iter().flatten().any(is_interval)
    })
}

struct SampleResult {
    has_zone: bool,
    draft_acceptance: Vec<Acceptance>,
    nash_shares: Vec<Vec<f64>>,
}

fn draw(rng: &mut ChaCha8Rng, interval: Interval) -> f64 {
    if interval.high > interval.low {
        interval.low + (interval.high - interval.low) * rng.random::<f64>()
    } else {
        interval.low
    }
}

/// One sample's contributions, `[party][issue][option]`; every option of an indifferent
/// issue takes its first option's. Every interval is drawn, so the stream is the same with or
/// without indifferent issues.
fn sample_contributions(
    parties: &[PartyUtilities],
    indifferent: &[usize],
    rng: &mut ChaCha8Rng,
) -> Vec<Vec<Vec<f64>>> {
    let mut contributions: Vec<Vec<Vec<f64>>> = parties
        .iter()
        .map(|party| {
            let raw: Vec<f64> =
                party.raw_weights.iter().map(|interval| draw(rng, *interval)).collect();
            let sum: f64 = raw.iter().sum();
            party
                .values
                .iter()
                .zip(&raw)
                .map(|(options, raw_weight)| {
                    let weight = if sum > 0.0 { raw_weight / sum } else { 0.0 };
                    options.iter().map(|interval| weight * draw(rng, *interval)).collect()
                })
                .collect()
        })
        .collect();
    for party in &mut contributions {
        for &issue_idx in indifferent {
            let options = &mut party[issue_idx];
            let first = options[0];
            options.fill(first);
        }
    }
    contributions
}

/// One sample's results; `compiled.indifferent` are the issues held indifferent.
fn analyse_sample(
    compiled: &Compiled<'_>,
    draft_options: &[Vec<Vec<usize>>],
    sample_idx: usize,
    seed: u64,
    pool: &ThreadPool,
    control: &Control<'_>,
) -> Result<SampleResult> {
    let Compiled { scenario, parties, indifferent, .. } = *compiled;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(sample_idx as u64);
    let contributions = sample_contributions(parties, indifferent, &mut rng);
    let space = crate::compile::narrow(
        crate::compile::space_with(scenario, parties, contributions)?,
        indifferent,
    )?;
    analyse_case(&space, indifferent, draft_options, None, pool, control)
}

/// One case's results on `space`, whose `indifferent` issues are narrowed to one option: the
/// zone, each draft's acceptance, and the Nash package (`known_nash` when the caller has it).
fn analyse_case(
    space: &UtilitySpace,
    indifferent: &[usize],
    draft_options: &[Vec<Vec<usize>>],
    known_nash: Option<&OutcomeSet>,
    pool: &ThreadPool,
    control: &Control<'_>,
) -> Result<SampleResult> {
    let has_zone = parley_engine::zone::zone_exists(space, control)?;
    let draft_acceptance = draft_options
        .iter()
        .map(|allowed| crate::drafts::acceptance(space, indifferent, allowed, control))
        .collect::<Result<Vec<_>>>()?;
    let nash = match known_nash {
        Some(nash) => nash.clone(),
        None if has_zone => parley_engine::solutions::nash(space, pool, control)?,
        None => empty(space),
    };
    Ok(SampleResult { has_zone, draft_acceptance, nash_shares: option_shares(space, &nash) })
}

fn empty(space: &UtilitySpace) -> OutcomeSet {
    OutcomeSet::empty(space.n_issues(), space.n_parties())
}

/// The share of a set's outcomes that pick each option, `[issue][option]`.
fn option_shares(space: &UtilitySpace, outcomes: &OutcomeSet) -> Vec<Vec<f64>> {
    let mut shares: Vec<Vec<f64>> =
        space.option_counts().iter().map(|&n_options| vec![0.0; n_options]).collect();
    let n_outcomes = outcomes.len();
    for (outcome, _) in outcomes.iter() {
        for (issue_idx, &option_idx) in outcome.iter().enumerate() {
            shares[issue_idx][usize::from(option_idx)] += 1.0 / n_outcomes as f64;
        }
    }
    shares
}

/// The indifferent issues on which every party gives every option the same value interval (or
/// an exact zero weight): they stay indifferent in every sample.
fn held_indifferent(parties: &[PartyUtilities], indifferent: &[usize]) -> Vec<usize> {
    let same = |left: &Interval, right: &Interval| {
        left.low.to_bits() == right.low.to_bits() && left.high.to_bits() == right.high.to_bits()
    };
    indifferent
        .iter()
        .copied()
        .filter(|&issue_idx| {
            parties.iter().all(|party| {
                let weight = party.raw_weights[issue_idx];
                let values = &party.values[issue_idx];
                (weight.low == 0.0 && weight.high == 0.0)
                    || values.iter().all(|interval| same(interval, &values[0]))
            })
        })
        .collect()
}

/// Draws the samples and analyses each exactly; when nothing is uncertain, analyses the one
/// case there is instead, reusing the point estimates' Nash package.
pub(crate) fn sample(
    compiled: &Compiled<'_>,
    point_nash: Option<&OutcomeSet>,
    options: &AnalysisOptions<'_>,
    pool: &ThreadPool,
    control: &Control<'_>,
) -> Result<Robustness> {
    let (n_samples, seed) = (options.robustness_samples, options.seed);
    let n_done = AtomicU64::new(0);
    let Compiled { scenario, parties, space, indifferent, .. } = *compiled;
    let draft_options = crate::drafts::allowed_options_of_drafts(scenario);
    let held = held_indifferent(parties, indifferent);
    let indifferent = held.as_slice();
    let held_compiled = Compiled { indifferent, ..*compiled };
    let uncertain = is_uncertain(parties);
    // Each sample runs under the step's cancel flag and budget; progress counts samples.
    let sample_control = Control { progress: None, ..*control };
    let results: Vec<SampleResult> = if !uncertain {
        // The one case there is: the point estimates' space, whose indifferent issues are all
        // held (every interval is a number), with the analysis's Nash package.
        vec![analyse_case(
            compiled.space,
            compiled.indifferent,
            &draft_options,
            point_nash,
            pool,
            control,
        )?]
    } else {
        pool.install(|| {
            (0..n_samples)
                .into_par_iter()
                .map(|sample_idx| {
                    sample_control.spend(1)?;
                    let res = analyse_sample(
                        &held_compiled,
                        &draft_options,
                        sample_idx,
                        seed,
                        pool,
                        &sample_control,
                    );
                    let done = n_done.fetch_add(1, Ordering::Relaxed) + 1;
                    if let Some(progress) = control.progress {
                        progress(done, n_samples as u64);
                    }
                    res
                })
                .collect::<Result<Vec<SampleResult>>>()
        })?
    };
    let n_samples = if uncertain { n_samples } else { 0 };
    let n_drafts = scenario.scenario().drafts.len();
    let mut robustness = Robustness {
        uncertain,
        n_samples,
        seed,
        n_with_zone: 0,
        n_draft_accepted: vec![0; n_drafts],
        n_draft_possible: vec![0; n_drafts],
        nash_option_shares: (0..space.n_issues())
            .map(|issue_idx| {
                let n_options = if indifferent.binary_search(&issue_idx).is_ok() {
                    1
                } else {
                    scenario.scenario().issues[issue_idx].options.len()
                };
                vec![0.0; n_options]
            })
            .collect(),
        nash_stability: None,
        held_indifferent: held.clone(),
    };
    // Reduced in sample order, so the sums do not depend on the thread count.
    for res in &results {
        robustness.n_with_zone += usize::from(res.has_zone);
        for (draft_idx, acceptance) in res.draft_acceptance.iter().enumerate() {
            robustness.n_draft_accepted[draft_idx] +=
                usize::from(*acceptance == Acceptance::Accepted);
            robustness.n_draft_possible[draft_idx] +=
                usize::from(*acceptance != Acceptance::Rejected);
        }
        for (totals, shares) in robustness.nash_option_shares.iter_mut().zip(&res.nash_shares) {
            for (total, share) in totals.iter_mut().zip(shares) {
                *total += share;
            }
        }
    }
    // Divided once at the end, so that whole counts give exact shares.
    let n_cases = robustness.n_cases() as f64;
    for total in robustness.nash_option_shares.iter_mut().flatten() {
        *total /= n_cases;
    }
    if let Some(point_nash) = point_nash.filter(|nash| !nash.is_empty()) {
        let reference = point_nash.outcome(0);
        robustness.nash_stability = Some(
            reference
                .iter()
                .enumerate()
                .map(|(issue_idx, &option_idx)| {
                    robustness.nash_option_shares[issue_idx][usize::from(option_idx)]
                })
                .collect(),
        );
    }
    Ok(robustness)
}
