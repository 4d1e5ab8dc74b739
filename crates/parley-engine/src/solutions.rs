//! Bargaining solutions on the zone's Pareto frontier: Nash, Kalai-Smorodinsky, egalitarian
//! and utilitarian.
//!
//! Every solution is the set of frontier outcomes whose score is within a tie tolerance of
//! the best score: `1e-12`, scaled by the best score's magnitude when that exceeds 1. Ties
//! are never broken; results are sorted by outcome. An empty zone gives empty solutions.

use rayon::ThreadPool;

use crate::Result;
use crate::control::Control;
use crate::frontier::{frontier_with_rules, layers_beat_search, pareto_frontier};
use crate::outcome_set::OutcomeSet;
use crate::search::{
    Objective, egalitarian_value, maximise, nash_value, tie_tolerance, utilitarian_value,
};
use crate::space::{Rules, Scope, UtilitySpace};
use crate::tiny::Tiny;

/// All four solutions of one space.
#[derive(Debug, Clone, PartialEq)]
pub struct Solutions {
    /// Frontier outcomes maximising `prod_p (u_p - d_p)`, with `d` the disagreement point.
    pub nash: OutcomeSet,
    /// Frontier outcomes minimising the spread of normalised gains (see [`kalai_smorodinsky`]).
    pub kalai_smorodinsky: OutcomeSet,
    /// Frontier outcomes maximising `min_p (u_p - d_p)`.
    pub egalitarian: OutcomeSet,
    /// Frontier outcomes maximising `sum_p u_p`.
    pub utilitarian: OutcomeSet,
}

/// Computes the zone frontier by dynamic programming, then all four solutions on it.
pub fn solutions(
    space: &UtilitySpace,
    pool: &ThreadPool,
    control: &Control<'_>,
) -> Result<Solutions> {
    let frontier = pareto_frontier(space, Scope::Zone, pool, control)?;
    Ok(solutions_on_frontier(space, &frontier))
}

/// All four solutions on an already computed zone frontier.
pub fn solutions_on_frontier(space: &UtilitySpace, frontier: &OutcomeSet) -> Solutions {
    Solutions {
        nash: on_frontier_of(space, frontier, Package::Nash),
        kalai_smorodinsky: on_frontier_of(space, frontier, Package::KalaiSmorodinsky),
        egalitarian: on_frontier_of(space, frontier, Package::Egalitarian),
        utilitarian: on_frontier_of(space, frontier, Package::Utilitarian),
    }
}

/// One of the four bargaining solutions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Package {
    /// See [`nash`].
    Nash,
    /// See [`kalai_smorodinsky`].
    KalaiSmorodinsky,
    /// See [`egalitarian`].
    Egalitarian,
    /// See [`utilitarian`].
    Utilitarian,
}

/// Above this many points a zone frontier is large: the utilitarian package, which a
/// bound-based search finds in a few steps, is then cheaper to search for than a pass over
/// the frontier (AgentHp2's 924,385 points: 0.008 ms against 3.6 ms).
const LARGE_FRONTIER: usize = 4096;

/// One solution of `space`, from its zone `frontier` when the caller has it (so that an
/// analysis builds the frontier once for all four), else by the package's own method ([`nash`]
/// and the others: a search where one is exact). On a large frontier the utilitarian package
/// is searched for even so.
pub fn package(
    space: &UtilitySpace,
    package: Package,
    frontier: Option<&OutcomeSet>,
    pool: &ThreadPool,
    control: &Control<'_>,
) -> Result<OutcomeSet> {
    if let Some(frontier) = frontier {
        if frontier.len() > LARGE_FRONTIER
            && let Some(outcomes) = search_instead_of_pass(space, package, control)?
        {
            return Ok(outcomes);
        }
        return Ok(on_frontier_of(space, frontier, package));
    }
    match package {
        Package::Nash => nash(space, pool, control),
        Package::KalaiSmorodinsky => kalai_smorodinsky(space, pool, control),
        Package::Egalitarian => egalitarian(space, control),
        Package::Utilitarian => utilitarian(space, control),
    }
}

/// The package by its bound-based search, where that is exact and expected to beat a pass over
/// a large frontier; `None` where the pass is kept (Kalai-Smorodinsky's spread is not
/// monotone, so it has no such search).
fn search_instead_of_pass(
    space: &UtilitySpace,
    package: Package,
    control: &Control<'_>,
) -> Result<Option<OutcomeSet>> {
    Ok(match package {
        Package::Utilitarian if !layers_beat_search(space) => {
            Some(optimum_outcomes(space, &Objective::Utilitarian, control)?)
        }
        // Nash's and the egalitarian's bounds are loose where hundreds of thousands of outcomes
        // are near the optimum (AgentHp2: slower than the pass), so they keep the pass.
        _ => None,
    })
}

/// One solution on an already computed zone frontier of `space`: a pass over its points, so
/// that an analysis that has the frontier builds it once for all four.
pub fn on_frontier_of(space: &UtilitySpace, frontier: &OutcomeSet, package: Package) -> OutcomeSet {
    let disagreement = space.disagreement();
    match package {
        Package::Nash => best_of(frontier, |utilities| nash_value(utilities, disagreement)),
        Package::KalaiSmorodinsky => {
            best_of(frontier, |utilities| -kalai_smorodinsky_spread(space, utilities))
        }
        Package::Egalitarian => {
            best_of(frontier, |utilities| egalitarian_value(utilities, disagreement))
        }
        Package::Utilitarian => best_of(frontier, utilitarian_value),
    }
}

/// The Nash outcomes: on the zone's frontier for small spaces; for larger ones by branch and
/// bound without building the frontier, where that is exact.
///
/// The search covers outcomes where every party gains over its disagreement point, where the
/// product is monotone. When some frontier outcome could have a negative factor with a
/// non-negligible product (a party whose reservation is its disagreement point but does not
/// constrain the zone), or the best product is not clearly positive, the answer is taken
/// from the frontier instead.
#[inline]
pub fn nash(space: &UtilitySpace, pool: &ThreadPool, control: &Control<'_>) -> Result<OutcomeSet> {
    match Tiny::new(space, Scope::Zone) {
        Some(tiny) => {
            Ok(tiny.best_on_frontier(&|utilities| nash_value(utilities, space.disagreement())))
        }
        None => nash_of_large(space, pool, control),
    }
}

fn nash_of_large(
    space: &UtilitySpace,
    pool: &ThreadPool,
    control: &Control<'_>,
) -> Result<OutcomeSet> {
    let rules = space.rules(Scope::Zone);
    if !on_frontier(space)
        && let Some(outcomes) = nash_by_search(space, &rules, control)?
    {
        return Ok(outcomes);
    }
    let frontier = frontier_with_rules(space, &rules, Some(pool), control)?;
    Ok(best_of(&frontier, |utilities| nash_value(utilities, space.disagreement())))
}

/// The Nash outcomes by branch and bound, when that is exact (see [`nash`]); `None` when the
/// frontier must decide.
fn nash_by_search(
    space: &UtilitySpace,
    rules: &Rules,
    control: &Control<'_>,
) -> Result<Option<OutcomeSet>> {
    let disagreement = space.disagreement();
    let n_parties = space.n_parties();
    // Frontier outcomes below a disagreement point are impossible for parties whose point is
    // their lowest utility and, up to the zone tolerance, for constraining parties.
    let gains_bounded_below = (0..n_parties).all(|party_idx| {
        disagreement[party_idx] == space.lowest()[party_idx]
            || (space.constrains_zone(party_idx)
                && space.reservation(party_idx) == Some(disagreement[party_idx]))
    });
    if !gains_bounded_below {
        return Ok(None);
    }
    let objective = Objective::Nash { disagreement: disagreement.to_vec() };
    let Some(optimum) = maximise(space, rules, &objective, None, control)? else {
        return Ok(None);
    };
    // A product with a factor in [-1e-12, 0) is at most this large in magnitude.
    let negative_reach = (0..n_parties)
        .map(|party_idx| {
            let above = (space.best()[party_idx] - disagreement[party_idx]).abs();
            let below = (disagreement[party_idx] - space.lowest()[party_idx]).abs();
            above.max(below) + 1.0
        })
        .fold(1e-12, |product, span| product * span);
    Ok((optimum.best - tie_tolerance(optimum.best) > negative_reach).then_some(optimum.outcomes))
}

/// The egalitarian outcomes: on the zone's frontier for small spaces, by branch and bound
/// without building the frontier for larger ones.
#[inline]
pub fn egalitarian(space: &UtilitySpace, control: &Control<'_>) -> Result<OutcomeSet> {
    match Tiny::new(space, Scope::Zone) {
        Some(tiny) => {
            Ok(tiny
                .best_on_frontier(&|utilities| egalitarian_value(utilities, space.disagreement())))
        }
        None => egalitarian_of_large(space, control),
    }
}

fn egalitarian_of_large(space: &UtilitySpace, control: &Control<'_>) -> Result<OutcomeSet> {
    if on_frontier(space) {
        let frontier = frontier_with_rules(space, &space.rules(Scope::Zone), None, control)?;
        return Ok(best_of(&frontier, |utilities| {
            egalitarian_value(utilities, space.disagreement())
        }));
    }
    egalitarian_by_search(space, control)
}

fn egalitarian_by_search(space: &UtilitySpace, control: &Control<'_>) -> Result<OutcomeSet> {
    let objective = Objective::Egalitarian {
        parties: (0..space.n_parties()).collect(),
        offsets: space.disagreement().to_vec(),
    };
    optimum_outcomes(space, &objective, control)
}

/// The utilitarian outcomes: on the zone's frontier for small spaces, by branch and bound
/// without building the frontier for larger ones.
#[inline]
pub fn utilitarian(space: &UtilitySpace, control: &Control<'_>) -> Result<OutcomeSet> {
    match Tiny::new(space, Scope::Zone) {
        Some(tiny) => Ok(tiny.best_on_frontier(&utilitarian_value)),
        None => utilitarian_of_large(space, control),
    }
}

fn utilitarian_of_large(space: &UtilitySpace, control: &Control<'_>) -> Result<OutcomeSet> {
    if layers_beat_search(space) {
        let frontier = frontier_with_rules(space, &space.rules(Scope::Zone), None, control)?;
        return Ok(best_of(&frontier, utilitarian_value));
    }
    optimum_outcomes(space, &Objective::Utilitarian, control)
}

/// Whether the egalitarian and Nash solutions are found faster on the zone's frontier: on
/// small spaces, and where some party can gain nothing over its disagreement point. Then
/// every outcome ties for those objectives (their value is at most that party's gain, at
/// most zero), and a search would visit them all.
fn on_frontier(space: &UtilitySpace) -> bool {
    layers_beat_search(space)
        || (0..space.n_parties())
            .any(|party_idx| space.best()[party_idx] <= space.disagreement()[party_idx])
}

/// The Kalai-Smorodinsky outcomes: frontier outcomes minimising `max_p g_p - min_p g_p`,
/// with `g_p = (u_p - d_p) / (M_p - d_p)` and `M_p` the party's best utility.
///
/// Parties with `M_p <= d_p` can gain nothing and are left out of the spread; if no party
/// is left, every frontier outcome has spread 0. Minimising a spread is not monotone, so this
/// builds the frontier.
#[inline]
pub fn kalai_smorodinsky(
    space: &UtilitySpace,
    pool: &ThreadPool,
    control: &Control<'_>,
) -> Result<OutcomeSet> {
    let spread = |utilities: &[f64]| -kalai_smorodinsky_spread(space, utilities);
    match Tiny::new(space, Scope::Zone) {
        Some(tiny) => Ok(tiny.best_on_frontier(&spread)),
        None => Ok(best_of(&pareto_frontier(space, Scope::Zone, pool, control)?, spread)),
    }
}

fn optimum_outcomes(
    space: &UtilitySpace,
    objective: &Objective,
    control: &Control<'_>,
) -> Result<OutcomeSet> {
    let rules = space.rules(Scope::Zone);
    Ok(match maximise(space, &rules, objective, None, control)? {
        Some(optimum) => optimum.outcomes,
        None => OutcomeSet::empty(space.n_issues(), space.n_parties()),
    })
}

/// `max_p g_p - min_p g_p` over the parties that can gain.
pub(crate) fn kalai_smorodinsky_spread(space: &UtilitySpace, utilities: &[f64]) -> f64 {
    let mut max_gain = f64::NEG_INFINITY;
    let mut min_gain = f64::INFINITY;
    for (party_idx, utility) in utilities.iter().enumerate() {
        let point = space.disagreement()[party_idx];
        let range = space.best()[party_idx] - point;
        if range > 0.0 {
            let gain = (utility - point) / range;
            max_gain = max_gain.max(gain);
            min_gain = min_gain.min(gain);
        }
    }
    if max_gain == f64::NEG_INFINITY { 0.0 } else { max_gain - min_gain }
}

/// The outcomes whose score is within the tie tolerance of the best score, in one pass: the
/// outcomes within tolerance of the best score so far are kept by index, and those the best
/// has left behind are dropped whenever the list doubles (so a rising score costs linear
/// time, not quadratic).
fn best_of(set: &OutcomeSet, score: impl Fn(&[f64]) -> f64) -> OutcomeSet {
    let mut best = f64::NEG_INFINITY;
    let mut near_best: Vec<(usize, f64)> = Vec::new();
    let mut compact_at = 64;
    for (outcome_idx, (_, utilities)) in set.iter().enumerate() {
        let value = score(utilities);
        best = best.max(value);
        if value >= best - tie_tolerance(best) {
            near_best.push((outcome_idx, value));
            if near_best.len() > compact_at {
                let threshold = best - tie_tolerance(best);
                near_best.retain(|&(_, kept)| kept >= threshold);
                compact_at = 2 * near_best.len().max(32);
            }
        }
    }
    let threshold = best - tie_tolerance(best);
    set.subset(near_best.iter().filter(|&&(_, value)| value >= threshold).map(|&(idx, _)| idx))
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use super::*;
    use crate::control::build_thread_pool;
    use crate::space::PartySpec;

    /// Two parties over one issue whose options give the listed `(u_0, u_1)` pairs.
    fn check(points: &[(f64, f64)], reservations: [Option<f64>; 2], expect: Expect) {
        let parties = (0..2)
            .map(|party_idx| PartySpec {
                contributions: vec![
                    points
                        .iter()
                        .map(|&(first, second)| if party_idx == 0 { first } else { second })
                        .collect(),
                ],
                reservation: reservations[party_idx],
                constrains_zone: true,
                red_lines: vec![vec![false; points.len()]],
            })
            .collect();
        let space = UtilitySpace::new(vec![points.len()], parties).unwrap();
        let pool = build_thread_pool(1).unwrap();
        let found = solutions(&space, &pool, &Control::none()).unwrap();
        let options =
            |set: &OutcomeSet| set.iter().map(|(outcome, _)| outcome[0]).collect::<Vec<_>>();
        let actual = format!(
            "nash {:?} ks {:?} egalitarian {:?} utilitarian {:?}",
            options(&found.nash),
            options(&found.kalai_smorodinsky),
            options(&found.egalitarian),
            options(&found.utilitarian)
        );
        expect.assert_eq(&actual);
    }

    #[test]
    fn symmetric_ties_are_all_reported() {
        check(
            &[(1.0, 0.0), (0.0, 1.0), (0.5, 0.5), (0.75, 0.25), (0.25, 0.75)],
            [None, None],
            expect!["nash [2] ks [2] egalitarian [2] utilitarian [0, 1, 2, 3, 4]"],
        );
    }

    #[test]
    fn reservations_move_the_disagreement_point() {
        check(
            &[(1.0, 0.0), (0.0, 1.0), (0.5, 0.5), (0.75, 0.25), (0.25, 0.75)],
            [Some(0.5), None],
            expect!["nash [3] ks [3] egalitarian [3] utilitarian [0, 2, 3]"],
        );
    }

    /// The searches, which small spaces no longer take, against the brute-force frontier, on
    /// random spaces of quarters and of tenths with red lines and reservations.
    #[test]
    fn searches_agree_with_the_brute_force_frontier() {
        use rand::SeedableRng;

        use crate::space::test_spaces::{GridSpec, random_grid_space};

        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let pool = build_thread_pool(1).unwrap();
        let control = Control::none();
        let mut n_nash_searches = 0;
        for case_idx in 0..300 {
            let unit = if case_idx % 2 == 0 { 4.0 } else { 10.0 };
            let space = random_grid_space(
                &mut rng,
                &GridSpec {
                    unit,
                    values: -1..=4,
                    reservations: -2..=8,
                    no_reservation_one_in: 3,
                    all_constrain: false,
                },
            );
            let option_counts = space.option_counts();
            let frontier = crate::brute_force::brute_force(&space, Scope::Zone, &pool, &control)
                .unwrap()
                .frontier;
            let expected = solutions_on_frontier(&space, &frontier);
            let context = format!("case {case_idx}, option counts {option_counts:?}");
            let utilitarian = optimum_outcomes(&space, &Objective::Utilitarian, &control).unwrap();
            assert_eq!(utilitarian, expected.utilitarian, "{context}");
            assert_eq!(
                egalitarian_by_search(&space, &control).unwrap(),
                expected.egalitarian,
                "{context}"
            );
            let rules = space.rules(Scope::Zone);
            if let Some(nash) = nash_by_search(&space, &rules, &control).unwrap() {
                assert_eq!(nash, expected.nash, "{context}");
                n_nash_searches += 1;
            }
        }
        assert!(n_nash_searches > 50, "only {n_nash_searches} Nash searches");
    }

    #[test]
    fn empty_zone_gives_empty_solutions() {
        check(
            &[(1.0, 0.0), (0.0, 1.0)],
            [Some(0.75), Some(0.75)],
            expect!["nash [] ks [] egalitarian [] utilitarian []"],
        );
    }
}
