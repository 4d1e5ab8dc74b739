//! The bargaining solutions and the agreement zone of a hyper-rectangle space, on its
//! frontier, with the definitions and tie rules of [`crate::solutions`].

use crate::Result;
use crate::control::Control;
use crate::search::{egalitarian_value, nash_value, tie_tolerance, utilitarian_value};

use super::RectangleSpace;
use super::search::{RectangleFrontier, RectanglePoint, compare_vectors, lowest_utility};

/// The four solutions on a frontier's points in the agreement zone.
///
/// The definitions are those of [`crate::solutions`]: each solution is the set of zone
/// frontier points whose score is within the tie tolerance (`1e-12`, scaled by the best
/// score's magnitude when that exceeds 1) of the best score, sorted by utilities; ties are
/// never broken. The zone holds the outcomes where every party with a reservation gets at
/// least that reservation minus [`crate::space::ZONE_TOLERANCE`]; an empty zone gives empty
/// solutions. The disagreement point of a party is its reservation when given and not below
/// its lowest utility, otherwise its lowest utility.
///
/// On an incomplete frontier (`complete: false`) the solutions are those of the points found
/// so far, found but not proven, and `best` is the best found, a lower bound.
#[derive(Debug, Clone, PartialEq)]
pub struct RectangleSolutions {
    /// Whether the frontier they were computed on was complete, so that they are exact.
    pub complete: bool,
    /// Each party's disagreement point `d_p`.
    pub disagreement: Vec<f64>,
    /// Each party's best utility `M_p` over the frontier's points.
    pub best: Vec<f64>,
    /// Zone frontier points maximising `prod_p (u_p - d_p)`.
    pub nash: Vec<RectanglePoint>,
    /// Zone frontier points minimising `max_p g_p - min_p g_p`, with
    /// `g_p = (u_p - d_p) / (M_p - d_p)` over the parties with `M_p > d_p` (spread 0 if none).
    pub kalai_smorodinsky: Vec<RectanglePoint>,
    /// Zone frontier points maximising `min_p (u_p - d_p)`.
    pub egalitarian: Vec<RectanglePoint>,
    /// Zone frontier points maximising `sum_p u_p`.
    pub utilitarian: Vec<RectanglePoint>,
}

/// Whether an agreement zone exists: an outcome where every party with a reservation gets at
/// least that reservation minus [`crate::space::ZONE_TOLERANCE`].
#[derive(Debug, Clone, PartialEq)]
pub enum ZoneVerdict {
    /// The zone holds this frontier point (for an incomplete frontier: this found point).
    Exists(RectanglePoint),
    /// No outcome is in the zone: the frontier is complete and no point of it is in the zone,
    /// or it is incomplete and no point found and no bound on what is missing reaches the
    /// reservations.
    Empty,
    /// The frontier is incomplete, no point found is in the zone, and some missing point
    /// might be.
    Unknown,
}

/// The smallest utility each party gets from any outcome, exactly: one branch and bound per
/// party. Needed for the disagreement points.
pub fn lowest_utilities(space: &RectangleSpace, control: &Control<'_>) -> Result<Vec<f64>> {
    (0..space.n_parties()).map(|party_idx| lowest_utility(space, party_idx, control)).collect()
}

/// Each party's disagreement point from its reservation and its lowest utility.
pub(crate) fn disagreement_point(space: &RectangleSpace, lowest: &[f64]) -> Vec<f64> {
    space
        .parties()
        .iter()
        .zip(lowest)
        .map(|(party, &lowest)| match party.reservation {
            Some(reservation) if reservation >= lowest => reservation,
            _ => lowest,
        })
        .collect()
}

/// The four solutions on `frontier`, a frontier of `space` (see [`RectangleSolutions`]);
/// the lowest utilities for the disagreement point are searched for under `control`.
pub fn solutions(
    space: &RectangleSpace,
    frontier: &RectangleFrontier,
    control: &Control<'_>,
) -> Result<RectangleSolutions> {
    let lowest = lowest_utilities(space, control)?;
    let disagreement = disagreement_point(space, &lowest);
    Ok(solutions_on_points(space, &frontier.points, disagreement, frontier.complete))
}

/// The four solutions on `points`, the frontier (or part of it), for this disagreement point.
pub(crate) fn solutions_on_points(
    space: &RectangleSpace,
    points: &[RectanglePoint],
    disagreement: Vec<f64>,
    complete: bool,
) -> RectangleSolutions {
    let best: Vec<f64> = (0..space.n_parties())
        .map(|party_idx| {
            points.iter().map(|point| point.utilities[party_idx]).fold(f64::NEG_INFINITY, f64::max)
        })
        .collect();
    let zone: Vec<&RectanglePoint> =
        points.iter().filter(|point| space.meets_reservations(&point.utilities)).collect();
    let spread = |utilities: &[f64]| {
        let mut max_gain = f64::NEG_INFINITY;
        let mut min_gain = f64::INFINITY;
        for (party_idx, utility) in utilities.iter().enumerate() {
            let point = disagreement[party_idx];
            let range = best[party_idx] - point;
            if range > 0.0 {
                let gain = (utility - point) / range;
                max_gain = max_gain.max(gain);
                min_gain = min_gain.min(gain);
            }
        }
        if max_gain == f64::NEG_INFINITY { 0.0 } else { max_gain - min_gain }
    };
    RectangleSolutions {
        complete,
        nash: best_of(&zone, |utilities| nash_value(utilities, &disagreement)),
        kalai_smorodinsky: best_of(&zone, |utilities| -spread(utilities)),
        egalitarian: best_of(&zone, |utilities| egalitarian_value(utilities, &disagreement)),
        utilitarian: best_of(&zone, utilitarian_value),
        disagreement,
        best,
    }
}

/// The points whose score is within the tie tolerance of the best score, sorted by utilities.
fn best_of(points: &[&RectanglePoint], score: impl Fn(&[f64]) -> f64) -> Vec<RectanglePoint> {
    let best = points.iter().map(|point| score(&point.utilities)).fold(f64::NEG_INFINITY, f64::max);
    let threshold = best - tie_tolerance(best);
    let mut chosen: Vec<RectanglePoint> = points
        .iter()
        .filter(|point| score(&point.utilities) >= threshold)
        .map(|&point| point.clone())
        .collect();
    chosen.sort_by(|first, second| compare_vectors(&first.utilities, &second.utilities));
    chosen
}

/// Whether the agreement zone of `space` exists, from its frontier (see [`ZoneVerdict`]).
pub fn agreement_zone(space: &RectangleSpace, frontier: &RectangleFrontier) -> ZoneVerdict {
    if let Some(point) =
        frontier.points.iter().find(|point| space.meets_reservations(&point.utilities))
    {
        return ZoneVerdict::Exists(point.clone());
    }
    if frontier.complete
        || !frontier.missing_bounds.iter().any(|bound| space.meets_reservations(bound))
    {
        ZoneVerdict::Empty
    } else {
        ZoneVerdict::Unknown
    }
}
