//! The mapping from ordinal stances to value intervals and from importance levels to weight
//! intervals. It has a documented default, can be set per scenario, and every result that
//! depends on it prints it.

use crate::Basis;
use crate::stance::{ImportanceLevel, StanceLevel};

/// A closed interval of numbers.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Interval {
    /// The lower end.
    pub low: f64,
    /// The upper end, not below `low`.
    pub high: f64,
}

impl Interval {
    /// An interval; callers validate that `low <= high`.
    pub const fn new(low: f64, high: f64) -> Interval {
        Interval { low, high }
    }

    /// The middle of the interval: the point estimate.
    pub fn middle(self) -> f64 {
        (self.low + self.high) / 2.0
    }
}

/// The scenario's scale: what each ordinal level means in numbers.
#[derive(Clone, PartialEq, Debug)]
pub struct Scale {
    /// The value interval of each stance level, in [`StanceLevel::ALL`] order.
    pub stances: [Interval; 6],
    /// The raw weight interval of each importance level, in [`ImportanceLevel::ALL`] order.
    /// A party's raw weights are normalised to sum to 1.
    pub importances: [Interval; 4],
    /// The value interval of an option on which the party's stance is not recorded.
    pub unknown_stance: Interval,
    /// The raw weight interval of an issue whose importance to the party is not recorded.
    pub unknown_importance: Interval,
    /// Whether the mapping is the analyst's assumption (the default) or given by a source.
    pub basis: Basis,
}

impl Default for Scale {
    /// The default mapping, an analyst's assumption: six equal bands of value, a red line at
    /// zero, and raw weights that double from one importance level to the next. An issue
    /// whose importance is not recorded takes the scale's two middle levels, medium and high
    /// ([2, 8], point estimate 5): neutral, it neither outweighs every recorded issue (as the
    /// whole range [1, 16], point estimate 8.5, would) nor weighs less than every one.
    fn default() -> Scale {
        Scale {
            stances: [
                Interval::new(0.0, 0.0),
                Interval::new(0.0, 0.2),
                Interval::new(0.2, 0.4),
                Interval::new(0.4, 0.6),
                Interval::new(0.6, 0.8),
                Interval::new(0.8, 1.0),
            ],
            importances: [
                Interval::new(1.0, 2.0),
                Interval::new(2.0, 4.0),
                Interval::new(4.0, 8.0),
                Interval::new(8.0, 16.0),
            ],
            unknown_stance: Interval::new(0.0, 1.0),
            unknown_importance: Interval::new(2.0, 8.0),
            basis: Basis::Assumed,
        }
    }
}

impl Scale {
    /// The value interval of a stance level.
    pub fn stance(&self, level: StanceLevel) -> Interval {
        self.stances[level as usize]
    }

    /// The raw weight interval of an importance level.
    pub fn importance(&self, level: ImportanceLevel) -> Interval {
        self.importances[level as usize]
    }

    /// Each stance level's keyword and value interval, then `unknown` and its interval: the
    /// mapping as files and reports name it.
    pub fn named_stances(&self) -> Vec<(&'static str, Interval)> {
        let levels = StanceLevel::ALL.iter().map(|level| (level.as_str(), self.stance(*level)));
        levels.chain([("unknown", self.unknown_stance)]).collect()
    }

    /// Each importance level's keyword and raw weight interval, then `unknown` and its interval.
    pub fn named_importances(&self) -> Vec<(&'static str, Interval)> {
        let levels =
            ImportanceLevel::ALL.iter().map(|level| (level.as_str(), self.importance(*level)));
        levels.chain([("unknown", self.unknown_importance)]).collect()
    }
}
