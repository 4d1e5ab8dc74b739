//! Reading the GENIUS non-linear files of `../shared/scenarios/genius-more` into a
//! [`RectangleSpace`], and the frontier GENIUS ships beside them, for the tests and the
//! `rectangle_files` example.

use std::path::Path;

use parley_engine::rectangles::{
    Constraint, ConstraintKind, OptionRange, RectangleParty, RectangleSpace,
};

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

/// The space of the scenario in `path` (two profiles) and GENIUS's frontier for it.
pub(crate) fn scenario_space(path: &Path) -> (RectangleSpace, Vec<Vec<f64>>) {
    let read = |name: &str| std::fs::read_to_string(path.join(name)).unwrap();
    let first = read("profile-1.xml");
    let issues = issues(&first);
    let lower_bounds: Vec<i64> = issues.iter().map(|issue| issue.1).collect();
    let parties = vec![party(&first, &lower_bounds), party(&read("profile-2.xml"), &lower_bounds)];
    let space = RectangleSpace::new(issues.iter().map(|issue| issue.0).collect(), parties).unwrap();
    (space, genius_frontier(&read("pareto.xml")))
}

/// The GENIUS points (printed as 32-bit floats) that no vector of `ours` weakly dominates
/// within `1e-6`.
pub(crate) fn undominated<'g>(genius: &'g [Vec<f64>], ours: &[&[f64]]) -> Vec<&'g Vec<f64>> {
    genius
        .iter()
        .filter(|point| {
            !ours.iter().any(|ours| {
                ours.iter().zip(point.iter()).all(|(ours, theirs)| *ours >= theirs - 1e-6)
            })
        })
        .collect()
}
