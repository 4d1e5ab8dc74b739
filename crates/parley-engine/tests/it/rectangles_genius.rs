//! The hyper-rectangle frontier on the real GENIUS non-linear scenarios in
//! `../shared/scenarios/genius-more` (ANAC 2014, and two with `EXCLUDES` rectangles), checked
//! against the frontier GENIUS ships beside them: no GENIUS point may lie beyond ours.
//! Skips, with a note, when the folder is absent.
//!
//! The 30- and 40-issue searches do not finish within the step budget given to them here:
//! for them the test checks what an incomplete search proves (every GENIUS point lies below a
//! point found or below one of the bounds on what is missing), and that the points found,
//! from the local search before the branch and bound, weakly dominate every GENIUS point.

use std::path::{Path, PathBuf};
use std::time::Instant;

use parley_engine::control::{Budget, Control, Limits};
use parley_engine::rectangles::{RectangleFrontier, agreement_zone, pareto_frontier, solutions};

use crate::rectangle_files::{scenario_space, undominated};

fn folder(scenario: &str) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/scenarios/genius-more");
    let path = root.join(scenario);
    if path.is_dir() {
        Some(path)
    } else {
        #[allow(clippy::print_stderr, reason = "a skipped test says why")]
        {
            eprintln!("note: {} is absent, skipping", path.display());
        }
        None
    }
}

/// Searches the scenario's frontier within `max_steps` steps (a limit that stops it at the
/// same point on every machine), then checks it against GENIUS's; returns the frontier and
/// the GENIUS points that no point found weakly dominates.
fn check(scenario: &str, max_steps: u64) -> Option<(RectangleFrontier, Vec<Vec<f64>>)> {
    let path = folder(scenario)?;
    let (space, genius) = scenario_space(&path);
    let started = Instant::now();
    let budget = Budget::new(Limits { max_steps: Some(max_steps), ..Limits::unlimited() });
    let control = Control::none().with_budget(&budget);
    let frontier = pareto_frontier(&space, &control).unwrap();
    let elapsed = started.elapsed();
    // The lowest utilities (for the disagreement point) may not be proven within the budget.
    let budget = Budget::new(Limits { max_steps: Some(max_steps), ..Limits::unlimited() });
    let nash = match solutions(&space, &frontier, &Control::none().with_budget(&budget)) {
        Ok(found) => {
            format!("{:?}", found.nash.iter().map(|point| &point.utilities).collect::<Vec<_>>())
        }
        Err(err) => format!("not computed: {err}"),
    };
    let zone = agreement_zone(&space, &frontier);
    let ours: Vec<&[f64]> =
        frontier.points.iter().map(|point| point.utilities.as_slice()).collect();
    let beyond: Vec<Vec<f64>> = undominated(&genius, &ours).into_iter().cloned().collect();
    #[allow(clippy::print_stderr, reason = "the measurements are the point of this test")]
    {
        eprintln!(
            "{scenario}: {} issues, {:.3} s, {} frontier points, complete {}, {} steps, \
             {} GENIUS points of {} not weakly dominated by ours, nash {}, zone {:?}",
            space.n_issues(),
            elapsed.as_secs_f64(),
            frontier.points.len(),
            frontier.complete,
            frontier.steps,
            beyond.len(),
            genius.len(),
            nash,
            matches!(zone, parley_engine::rectangles::ZoneVerdict::Exists(_)),
        );
    }
    for point in &frontier.points {
        assert_eq!(space.utilities(&point.outcome), point.utilities);
    }
    if frontier.complete {
        assert!(beyond.is_empty(), "GENIUS points beyond the exact frontier: {beyond:?}");
    } else {
        // Each GENIUS point is an outcome: a frontier point dominates it, which is either
        // found or below one of the bounds on what is missing.
        assert!(!frontier.missing_bounds.is_empty());
        for point in &beyond {
            assert!(
                frontier.missing_bounds.iter().any(|bound| {
                    bound.iter().zip(point.iter()).all(|(bound, theirs)| *bound >= theirs - 1e-6)
                }),
                "{scenario}: GENIUS point {point:?} beyond every point found and every bound"
            );
        }
    }
    Some((frontier, beyond))
}

/// Steps enough for the searches that complete, a few times over.
const MAX_STEPS: u64 = 40_000_000;

#[test]
fn y2014_10_issues() {
    let frontier = check("y2014/10issues", MAX_STEPS);
    assert!(frontier.is_none_or(|(frontier, _)| frontier.complete));
}

#[test]
fn y2014_10_issues_with_reservations() {
    let frontier = check("y2014/10issueswithRV", MAX_STEPS);
    assert!(frontier.is_none_or(|(frontier, _)| frontier.complete));
}

#[test]
fn scenarios_with_excludes() {
    for scenario in ["other/S-1NAGUNL-114", "other/S-1NIKFRT-1"] {
        let frontier = check(scenario, MAX_STEPS);
        assert!(frontier.is_none_or(|(frontier, _)| frontier.complete));
    }
}

/// On the larger files the search is not proven within the budget, but the points found
/// are as good as GENIUS's or better.
#[test]
fn y2014_30_issues_match_genius_within_the_budget() {
    if let Some((frontier, beyond)) = check("y2014/30issues", 20_000_000) {
        assert!(beyond.is_empty(), "GENIUS points beyond every point found: {beyond:?}");
        assert!(frontier.points.len() >= 10);
    }
}

#[test]
fn y2014_50_issues_match_genius_within_the_budget() {
    if let Some((frontier, beyond)) = check("y2014/50issues", 20_000_000) {
        assert!(beyond.is_empty(), "GENIUS points beyond every point found: {beyond:?}");
        assert!(frontier.points.len() >= 12);
    }
}
