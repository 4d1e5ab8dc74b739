//! The hyper-rectangle frontier on the real GENIUS non-linear scenarios in
//! `../shared/scenarios/genius-more` (ANAC 2014, and two with `EXCLUDES` rectangles), checked
//! against the frontier GENIUS ships beside them: no GENIUS point may lie beyond ours.
//! Skips, with a note, when the folder is absent.
//!
//! The 30- and 40-issue searches do not finish within the few seconds given to them here:
//! for them the test checks what an incomplete search proves (every GENIUS point lies below a
//! point found or below one of the bounds on what is missing).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use parley_engine::control::{Budget, Control, Limits};
use parley_engine::rectangles::{
    Constraint, ConstraintKind, OptionRange, RectangleParty, RectangleSpace, agreement_zone,
    pareto_frontier, solutions,
};

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

/// The value of `name="..."` in `tag`.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = start + tag[start..].find('"')?;
    Some(tag[start..end].to_owned())
}

fn number(tag: &str, name: &str) -> f64 {
    attribute(tag, name).and_then(|text| text.trim().parse().ok()).unwrap_or_else(|| {
        panic!("no number {name} in {tag}");
    })
}

/// The tags of a GENIUS non-linear profile, in order.
fn tags(text: &str) -> Vec<&str> {
    text.split('<').filter_map(|piece| piece.split('>').next()).collect()
}

/// Option counts and lower bounds of the issues, from a profile's objective.
fn issues(text: &str) -> Vec<(usize, i64)> {
    tags(text)
        .into_iter()
        .filter(|tag| tag.starts_with("issue "))
        .map(|tag| {
            let lower = number(tag, "lowerbound") as i64;
            let upper = number(tag, "upperbound") as i64;
            ((upper - lower + 1) as usize, lower)
        })
        .collect()
}

fn party(text: &str, lower_bounds: &[i64]) -> RectangleParty {
    let mut constraints: Vec<Constraint> = Vec::new();
    let mut max_utility = None;
    let mut reservation = None;
    for tag in tags(text) {
        if tag.starts_with("utility ") {
            max_utility = Some(number(tag, "maxutility"));
        } else if tag.starts_with("reservation ") {
            reservation = Some(number(tag, "value"));
        } else if tag.starts_with("hyperRectangle ") {
            let value = number(tag, "utility");
            constraints.push(Constraint {
                kind: ConstraintKind::Includes,
                value,
                bounds: Vec::new(),
            });
        } else if tag.starts_with("INCLUDES ") || tag.starts_with("EXCLUDES ") {
            let constraint = constraints.last_mut().expect("a bound inside a rectangle");
            if tag.starts_with("EXCLUDES ") {
                constraint.kind = ConstraintKind::Excludes;
            }
            let issue_idx = number(tag, "index") as usize - 1;
            let lower = lower_bounds[issue_idx];
            constraint.bounds.push(OptionRange {
                issue_idx,
                lowest_option_idx: (number(tag, "min") as i64 - lower) as usize,
                highest_option_idx: (number(tag, "max") as i64 - lower) as usize,
            });
        }
    }
    RectangleParty { constraints, max_utility: max_utility.expect("a maxutility"), reservation }
}

fn genius_frontier(text: &str) -> Vec<Vec<f64>> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.split(',').map(|field| field.trim().parse().unwrap()).collect())
        .collect()
}

/// Searches the scenario's frontier for at most `seconds`, then checks it against GENIUS's.
fn check(scenario: &str, seconds: u64) {
    let Some(path) = folder(scenario) else { return };
    let read = |name: &str| std::fs::read_to_string(path.join(name)).unwrap();
    let first = read("profile-1.xml");
    let issues = issues(&first);
    let lower_bounds: Vec<i64> = issues.iter().map(|issue| issue.1).collect();
    let parties = vec![party(&first, &lower_bounds), party(&read("profile-2.xml"), &lower_bounds)];
    let space = RectangleSpace::new(issues.iter().map(|issue| issue.0).collect(), parties).unwrap();
    let started = Instant::now();
    let out_of_time = || started.elapsed() > Duration::from_secs(seconds);
    let budget = Budget::new(Limits { out_of_time: Some(&out_of_time), ..Limits::unlimited() });
    let control = Control::none().with_budget(&budget);
    let frontier = pareto_frontier(&space, &control).unwrap();
    let elapsed = started.elapsed();
    #[allow(clippy::print_stderr, reason = "the measurements are the point of this test")]
    {
        eprintln!("{scenario}: frontier in {:.3} s", elapsed.as_secs_f64());
    }
    let solutions_started = Instant::now();
    let out_of_time = || solutions_started.elapsed() > Duration::from_secs(10);
    let budget = Budget::new(Limits { out_of_time: Some(&out_of_time), ..Limits::unlimited() });
    // The lowest utilities (for the disagreement point) may not be proven within the time.
    let nash = match solutions(&space, &frontier, &Control::none().with_budget(&budget)) {
        Ok(found) => {
            format!("{:?}", found.nash.iter().map(|point| &point.utilities).collect::<Vec<_>>())
        }
        Err(err) => format!("not computed: {err}"),
    };
    let zone = agreement_zone(&space, &frontier);
    // GENIUS prints its utilities as 32-bit floats.
    let genius = genius_frontier(&read("pareto.xml"));
    let beyond: Vec<&Vec<f64>> = genius
        .iter()
        .filter(|point| {
            !frontier.points.iter().any(|ours| {
                ours.utilities.iter().zip(point.iter()).all(|(ours, theirs)| *ours >= theirs - 1e-6)
            })
        })
        .collect();
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
}

#[test]
fn y2014_10_issues() {
    check("y2014/10issues", 60);
}

#[test]
fn y2014_10_issues_with_reservations() {
    check("y2014/10issueswithRV", 60);
}

#[test]
fn scenarios_with_excludes() {
    check("other/S-1NAGUNL-114", 60);
    check("other/S-1NIKFRT-1", 60);
}

#[test]
fn y2014_30_issues_within_a_few_seconds() {
    check("y2014/30issues", 3);
}

#[test]
fn y2014_50_issues_within_a_few_seconds() {
    check("y2014/50issues", 3);
}
