//! Continuous issues: an issue with a [`NumberRange`] instead of listed options, and
//! positions that value its numbers by a piecewise-linear [`Position::curve`].
//!
//! The analysis looks at a grid of evenly spaced numbers of each range
//! ([`NumberRange::grid`] of them): [`with_grids`] gives every continuous issue its grid
//! numbers as options and every curve its values there as stances, so that everything
//! downstream sees listed options. Results on the grid are exact for the grid and an
//! approximation of the continuous issue; [`grid_deviation`] bounds how far any number's
//! value lies from the value of the grid number nearest to it, which bounds what the grid
//! can miss.

use std::borrow::Cow;

use crate::Id;
use crate::scenario::{CurvePoint, IssueOption, NumberRange, Scenario};
use crate::stance::Stance;

/// The grid a continuous issue gets when its file does not say: steps of a tenth of the range.
pub const DEFAULT_GRID: usize = 11;

/// The most grid numbers an issue may have.
pub const MAX_GRID: usize = 10_001;

/// The numbers of a range's grid, from `lower` to `upper`, both exactly.
pub fn grid_numbers(range: &NumberRange) -> Vec<f64> {
    let count = range.grid.max(2);
    let last = count - 1;
    (0..count)
        .map(|idx| {
            if idx == last {
                range.upper
            } else {
                range.lower + (range.upper - range.lower) * idx as f64 / last as f64
            }
        })
        .collect()
}

/// The option id and label of a grid number: the shortest decimal that reads back as it.
pub fn number_label(number: f64) -> String {
    // Display writes the shortest text that parses back to the same f64, and "-0" as "-0".
    if number == 0.0 { "0".to_owned() } else { number.to_string() }
}

/// The value of `number` on `curve`: linear between the points, the end values beyond them.
/// A curve without points values everything 0.
pub fn curve_value(curve: &[CurvePoint], number: f64) -> f64 {
    let Some(first) = curve.first() else { return 0.0 };
    if number <= first.number {
        return first.value;
    }
    for pair in curve.windows(2) {
        let (left, right) = (pair[0], pair[1]);
        if number <= right.number {
            let span = right.number - left.number;
            if span <= 0.0 {
                return right.value;
            }
            let share = (number - left.number) / span;
            return left.value + (right.value - left.value) * share;
        }
    }
    curve[curve.len() - 1].value
}

/// The most by which the value of a number of `range` differs from the value of the grid
/// number nearest to it, on `curve`: exact, since between grid numbers the curve is linear
/// but at its own points.
pub fn grid_deviation(curve: &[CurvePoint], range: &NumberRange) -> f64 {
    let grid = grid_numbers(range);
    let mut deviation: f64 = 0.0;
    for pair in grid.windows(2) {
        let (left, right) = (pair[0], pair[1]);
        let middle = left + (right - left) / 2.0;
        // On each half of the gap the nearest grid number is that half's end; the curve is
        // linear between its points, so the largest difference is at the middle or at a
        // point of the curve.
        let mut check = |number: f64, nearest: f64| {
            let difference = (curve_value(curve, number) - curve_value(curve, nearest)).abs();
            deviation = deviation.max(difference);
        };
        check(middle, left);
        check(middle, right);
        for point in curve {
            if point.number > left && point.number < middle {
                check(point.number, left);
            } else if point.number >= middle && point.number < right {
                check(point.number, right);
            }
        }
    }
    deviation
}

/// Whether the scenario has a continuous issue.
pub fn has_continuous_issues(scenario: &Scenario) -> bool {
    scenario.issues.iter().any(|issue| issue.range.is_some())
}

/// Sets the grid of every continuous issue to `grid` numbers.
pub fn set_grid(scenario: &mut Scenario, grid: usize) {
    for issue in &mut scenario.issues {
        if let Some(range) = &mut issue.range {
            range.grid = grid;
        }
    }
}

/// The grid options of a range, or `None` when the range cannot have a grid (bounds not
/// finite or not rising, or a grid outside `2..=MAX_GRID`; validation reports those).
pub fn grid_options(range: &NumberRange) -> Option<Vec<IssueOption>> {
    let usable = range.lower.is_finite()
        && range.upper.is_finite()
        && range.lower < range.upper
        && (2..=MAX_GRID).contains(&range.grid);
    if !usable {
        return None;
    }
    let mut options: Vec<IssueOption> = Vec::with_capacity(range.grid);
    for number in grid_numbers(range) {
        let label = number_label(number);
        // Two grid numbers only print alike when the range is too narrow for its grid.
        if options.last().is_some_and(|last| last.label == label) {
            return None;
        }
        let id = Id::parse(&label).ok()?;
        options.push(IssueOption { id, label });
    }
    Some(options)
}

/// The scenario with every continuous issue's grid numbers as its options and every curve's
/// values at them as its position's stances: borrowed as it is when it has no continuous
/// issue. Options and stances already there are replaced; an issue whose range cannot have
/// a grid keeps none (validation reports it).
pub fn with_grids(scenario: &Scenario) -> Cow<'_, Scenario> {
    if !has_continuous_issues(scenario) {
        return Cow::Borrowed(scenario);
    }
    let mut gridded = scenario.clone();
    for issue in &mut gridded.issues {
        if let Some(range) = &issue.range {
            issue.options = grid_options(range).unwrap_or_default();
        }
    }
    for position in &mut gridded.positions {
        if position.curve.is_empty() {
            continue;
        }
        let Some(issue) = gridded.issues.iter().find(|issue| issue.id == position.issue) else {
            continue;
        };
        let Some(range) = &issue.range else { continue };
        position.stances = grid_numbers(range)
            .into_iter()
            .zip(&issue.options)
            .map(|(number, option)| {
                (option.id.clone(), Stance::Value(curve_value(&position.curve, number)))
            })
            .collect();
    }
    Cow::Owned(gridded)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn range(lower: f64, upper: f64, grid: usize) -> NumberRange {
        NumberRange { lower, upper, grid }
    }

    fn curve(points: &[(f64, f64)]) -> Vec<CurvePoint> {
        points.iter().map(|&(number, value)| CurvePoint { number, value }).collect()
    }

    #[test]
    fn grid_numbers_are_evenly_spaced_and_end_exactly_at_the_bounds() {
        assert_eq!(grid_numbers(&range(10.0, 40.0, 4)), vec![10.0, 20.0, 30.0, 40.0]);
        let numbers = grid_numbers(&range(0.1, 0.7, 7));
        assert_eq!(numbers[0], 0.1);
        assert_eq!(numbers[6], 0.7);
        let labels: Vec<String> =
            grid_options(&range(0.0, 1.0, 5)).unwrap().into_iter().map(|o| o.label).collect();
        assert_eq!(labels, ["0", "0.25", "0.5", "0.75", "1"]);
    }

    #[test]
    fn a_range_too_narrow_for_its_grid_or_not_rising_has_no_grid() {
        assert!(grid_options(&range(1.0, 1.0, 3)).is_none());
        assert!(grid_options(&range(2.0, 1.0, 3)).is_none());
        assert!(grid_options(&range(0.0, f64::INFINITY, 3)).is_none());
        assert!(grid_options(&range(0.0, 1.0, 1)).is_none());
        assert!(grid_options(&range(1.0, 1.0 + f64::EPSILON, 4)).is_none());
    }

    #[test]
    fn curve_values_are_linear_between_points_and_flat_beyond() {
        let tent = curve(&[(0.0, 0.0), (0.5, 1.0), (1.0, 0.0)]);
        assert_eq!(curve_value(&tent, 0.25), 0.5);
        assert_eq!(curve_value(&tent, 0.5), 1.0);
        assert_eq!(curve_value(&tent, 0.75), 0.5);
        assert_eq!(curve_value(&tent, -3.0), 0.0);
        assert_eq!(curve_value(&tent, 7.0), 0.0);
        assert_eq!(curve_value(&[], 0.3), 0.0);
    }

    #[test]
    fn the_deviation_of_a_line_is_half_a_step_of_its_slope() {
        // Value 1 - x/30 on [10, 40] on a grid of 4: steps of 10, half a step 5, slope 1/30.
        let line = curve(&[(10.0, 1.0), (40.0, 0.0)]);
        let deviation = grid_deviation(&line, &range(10.0, 40.0, 4));
        assert!((deviation - 5.0 / 30.0).abs() < 1e-12, "{deviation}");
    }

    #[test]
    fn a_peak_between_grid_numbers_counts_in_full() {
        // The peak at 0.5 lies midway between grid numbers 0 and 1: both are valued 0.
        let tent = curve(&[(0.0, 0.0), (0.5, 1.0), (1.0, 0.0)]);
        assert_eq!(grid_deviation(&tent, &range(0.0, 1.0, 2)), 1.0);
        // On a grid of 3 the peak is a grid number: half a step of slope 2 is 0.5.
        assert!((grid_deviation(&tent, &range(0.0, 1.0, 3)) - 0.5).abs() < 1e-12);
    }

    proptest! {
        /// No number of the range is valued further from its nearest grid number's value
        /// than the deviation says, and some number comes close to it.
        #[test]
        fn the_deviation_bounds_every_number(
            values in proptest::collection::vec(0.0..=1.0f64, 2..6),
            grid in 2usize..9,
            samples in proptest::collection::vec(0.0..=1.0f64, 1..50),
        ) {
            let last = (values.len() - 1) as f64;
            let points: Vec<CurvePoint> = values
                .iter()
                .enumerate()
                .map(|(idx, &value)| CurvePoint { number: idx as f64 / last, value })
                .collect();
            let range = range(0.0, 1.0, grid);
            let deviation = grid_deviation(&points, &range);
            let numbers = grid_numbers(&range);
            for sample in samples {
                let nearest = numbers
                    .iter()
                    .copied()
                    .min_by(|a, b| (a - sample).abs().total_cmp(&(b - sample).abs()))
                    .unwrap();
                let difference =
                    (curve_value(&points, sample) - curve_value(&points, nearest)).abs();
                prop_assert!(difference <= deviation + 1e-12, "{difference} > {deviation}");
            }
        }
    }
}
