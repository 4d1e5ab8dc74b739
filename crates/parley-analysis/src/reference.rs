//! How an exact Pareto frontier compares with a reference one, such as the points GENIUS
//! writes to a scenario's `pareto.xml`.
//!
//! Each reference point is either *on* the frontier (some frontier point has the same
//! utilities, within [`REFERENCE_TOLERANCE`]), *dominated* by a frontier point (one at least as
//! good for every party and better for one), or neither. A point that is neither would be an
//! outcome better than the frontier allows: a bug in the frontier, or a reference computed on
//! other utilities.

/// How far apart two utilities may be and still count as equal: GENIUS writes its reference
/// points with about seven significant digits.
pub const REFERENCE_TOLERANCE: f64 = 1e-6;

/// The comparison of a frontier with reference points.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceComparison {
    /// How many reference points there are.
    pub n_points: usize,
    /// How many are on the frontier.
    pub on_frontier: usize,
    /// How many a frontier point dominates.
    pub dominated: usize,
    /// Over the dominated points, the largest of their shortfalls: a point's shortfall is the
    /// smallest, over the frontier points that dominate it, of the largest amount by which
    /// that frontier point gives a party more.
    pub max_shortfall: Option<f64>,
    /// The reference points that the frontier neither holds nor dominates.
    pub undominated: Vec<Vec<f64>>,
}

/// Compares frontier points with reference points; every point has one utility per party,
/// in the same party order.
pub fn compare_with_reference(
    frontier: &[Vec<f64>],
    reference: &[Vec<f64>],
) -> ReferenceComparison {
    let mut comparison = ReferenceComparison {
        n_points: reference.len(),
        on_frontier: 0,
        dominated: 0,
        max_shortfall: None,
        undominated: Vec::new(),
    };
    for point in reference {
        let is_on = frontier.iter().any(|frontier_point| {
            frontier_point.len() == point.len()
                && frontier_point
                    .iter()
                    .zip(point)
                    .all(|(own, other)| (own - other).abs() <= REFERENCE_TOLERANCE)
        });
        if is_on {
            comparison.on_frontier += 1;
            continue;
        }
        let shortfall = frontier
            .iter()
            .filter(|frontier_point| {
                frontier_point.len() == point.len()
                    && frontier_point
                        .iter()
                        .zip(point)
                        .all(|(own, other)| *own >= other - REFERENCE_TOLERANCE)
            })
            .map(|frontier_point| {
                frontier_point.iter().zip(point).map(|(own, other)| own - other).fold(0.0, f64::max)
            })
            .fold(None, |smallest: Option<f64>, gap| Some(smallest.map_or(gap, |s| s.min(gap))));
        match shortfall {
            Some(shortfall) => {
                comparison.dominated += 1;
                comparison.max_shortfall =
                    Some(comparison.max_shortfall.map_or(shortfall, |max| max.max(shortfall)));
            }
            None => comparison.undominated.push(point.clone()),
        }
    }
    comparison
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_points_are_on_dominated_or_neither() {
        let frontier = vec![vec![1.0, 0.2], vec![0.6, 0.6], vec![0.1, 1.0]];
        let reference =
            vec![vec![0.6 + 1e-8, 0.6], vec![0.5, 0.55], vec![0.05, 0.9], vec![0.9, 0.9]];
        let comparison = compare_with_reference(&frontier, &reference);
        assert_eq!(comparison.n_points, 4);
        assert_eq!(comparison.on_frontier, 1);
        assert_eq!(comparison.dominated, 2);
        // (0.5, 0.55) is 0.1 below (0.6, 0.6); (0.05, 0.9) 0.1 below (0.1, 1.0) too.
        assert!((comparison.max_shortfall.unwrap() - 0.1).abs() < 1e-12);
        assert_eq!(comparison.undominated, vec![vec![0.9, 0.9]]);
    }

    #[test]
    fn an_empty_reference_compares_to_nothing() {
        let comparison = compare_with_reference(&[vec![1.0]], &[]);
        assert_eq!((comparison.n_points, comparison.on_frontier, comparison.dominated), (0, 0, 0));
        assert_eq!(comparison.max_shortfall, None);
    }
}
