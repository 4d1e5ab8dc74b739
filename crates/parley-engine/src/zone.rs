//! Whether an agreement zone exists, and how many outcomes it holds.

use rayon::ThreadPool;

use crate::Result;
use crate::brute_force::{allowed_product, enumerate};
use crate::control::Control;
use crate::frontier::{allowed_options, frontier_with_rules, layers_beat_search};
use crate::search::{Objective, maximise};
use crate::space::{Rules, Scope, UtilitySpace};
use crate::tiny::Tiny;

/// Above this many red-line-free outcomes, [`zone_size`] does not count by default.
pub const DEFAULT_COUNT_LIMIT: f64 = 1e8;

/// The size of the agreement zone, when it could be counted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ZoneSize {
    /// The exact number of outcomes in the zone.
    Counted(u64),
    /// Counting would have meant enumerating this many red-line-free outcomes, over the limit.
    NotCounted {
        /// The number of outcomes that cross no red line.
        n_candidates: f64,
    },
}

/// Whether the agreement zone has at least one outcome, decided exactly: tiny spaces are
/// enumerated, small ones built up issue by issue as the zone's frontier (which is empty only
/// when the zone is), larger ones searched by branch and bound.
#[inline]
pub fn zone_exists(space: &UtilitySpace, control: &Control<'_>) -> Result<bool> {
    match Tiny::new(space, Scope::Zone) {
        Some(tiny) => Ok(tiny.exists()),
        None => zone_exists_beyond_tiny(space, control),
    }
}

fn zone_exists_beyond_tiny(space: &UtilitySpace, control: &Control<'_>) -> Result<bool> {
    let rules = space.rules(Scope::Zone);
    if layers_beat_search(space) {
        return Ok(!frontier_with_rules(space, &rules, None, control)?.is_empty());
    }
    zone_exists_with(space, &rules, control)
}

pub(crate) fn zone_exists_with(
    space: &UtilitySpace,
    rules: &Rules,
    control: &Control<'_>,
) -> Result<bool> {
    if allowed_options(space, rules).iter().any(Vec::is_empty) {
        return Ok(false);
    }
    let parties: Vec<usize> = (0..space.n_parties())
        .filter(|&party_idx| rules.thresholds[party_idx].is_finite())
        .collect();
    if parties.is_empty() {
        return Ok(true);
    }
    // Maximising the smallest margin above the thresholds, stopping at the first outcome
    // that clears them all, reuses the egalitarian bounds for feasibility.
    let offsets = parties.iter().map(|&party_idx| rules.thresholds[party_idx]).collect();
    let objective = Objective::Egalitarian { parties, offsets };
    Ok(maximise(space, rules, &objective, Some(0.0), control)?.is_some())
}

/// The exact number of outcomes in the zone, if at most `count_limit` red-line-free outcomes
/// need enumerating ([`DEFAULT_COUNT_LIMIT`] is a sensible limit).
///
/// Without a reservation above its party's lowest utility the count is a product and needs no
/// enumeration.
#[inline]
pub fn zone_size(
    space: &UtilitySpace,
    count_limit: f64,
    pool: &ThreadPool,
    control: &Control<'_>,
) -> Result<ZoneSize> {
    match Tiny::new(space, Scope::Zone) {
        Some(tiny) => Ok(ZoneSize::Counted(tiny.count())),
        None => zone_size_of_large(space, count_limit, pool, control),
    }
}

fn zone_size_of_large(
    space: &UtilitySpace,
    count_limit: f64,
    pool: &ThreadPool,
    control: &Control<'_>,
) -> Result<ZoneSize> {
    let rules = space.rules(Scope::Zone);
    let n_candidates = allowed_product(space, &rules);
    // A reservation at or below the party's lowest utility excludes nothing (`lowest <= u`
    // holds exactly), so the count is a product then too.
    let thresholds_bind =
        rules.thresholds.iter().zip(space.lowest()).any(|(&threshold, &lowest)| threshold > lowest);
    if !thresholds_bind && n_candidates < u64::MAX as f64 {
        let count =
            allowed_options(space, &rules).iter().map(|options| options.len() as u64).product();
        return Ok(ZoneSize::Counted(count));
    }
    if n_candidates > count_limit {
        return Ok(ZoneSize::NotCounted { n_candidates });
    }
    let counts =
        enumerate(space, &rules, pool, control, || 0u64, |count, _, _| *count += 1, |_| 0)?;
    Ok(ZoneSize::Counted(counts.into_iter().sum()))
}
