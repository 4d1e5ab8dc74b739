//! A party's stance on an option and the importance of an issue to it: ordinal levels as
//! reported in talks, or exact numbers.

/// An ordinal stance on one option of an issue, from worst to best.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum StanceLevel {
    /// The party will not accept any outcome with this option.
    RedLine,
    /// The party objects strongly.
    StrongObjection,
    /// The party objects.
    Objection,
    /// The party could work with it.
    Workable,
    /// The party accepts it.
    Acceptable,
    /// The party prefers it.
    Preferred,
}

impl StanceLevel {
    /// All levels, from worst to best.
    pub const ALL: [StanceLevel; 6] = [
        StanceLevel::RedLine,
        StanceLevel::StrongObjection,
        StanceLevel::Objection,
        StanceLevel::Workable,
        StanceLevel::Acceptable,
        StanceLevel::Preferred,
    ];

    /// The keyword used in files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            StanceLevel::RedLine => "red-line",
            StanceLevel::StrongObjection => "strong-objection",
            StanceLevel::Objection => "objection",
            StanceLevel::Workable => "workable",
            StanceLevel::Acceptable => "acceptable",
            StanceLevel::Preferred => "preferred",
        }
    }

    /// Parses a keyword.
    pub fn parse(text: &str) -> Result<StanceLevel, String> {
        crate::values::keyword_lookup(text, &StanceLevel::ALL, StanceLevel::as_str)
    }

    /// Whether a party at this level can accept the option (workable or better).
    pub fn is_acceptable(self) -> bool {
        self >= StanceLevel::Workable
    }
}

/// How much an issue matters to a party, as an ordinal level.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum ImportanceLevel {
    /// Matters little.
    Low,
    /// Matters.
    Medium,
    /// Matters a lot.
    High,
    /// Essential to any deal.
    Critical,
}

impl ImportanceLevel {
    /// All levels, from least to most important.
    pub const ALL: [ImportanceLevel; 4] = [
        ImportanceLevel::Low,
        ImportanceLevel::Medium,
        ImportanceLevel::High,
        ImportanceLevel::Critical,
    ];

    /// The keyword used in files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportanceLevel::Low => "low",
            ImportanceLevel::Medium => "medium",
            ImportanceLevel::High => "high",
            ImportanceLevel::Critical => "critical",
        }
    }

    /// Parses a keyword.
    pub fn parse(text: &str) -> Result<ImportanceLevel, String> {
        crate::values::keyword_lookup(text, &ImportanceLevel::ALL, ImportanceLevel::as_str)
    }
}

/// A stance on one option: an ordinal level or an exact value in [0, 1].
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Stance {
    /// An ordinal level, mapped to a value interval by the scenario's scale.
    Level(StanceLevel),
    /// An exact value in [0, 1].
    Value(f64),
}

impl Stance {
    /// Whether this stance is a red line.
    pub fn is_red_line(self) -> bool {
        self == Stance::Level(StanceLevel::RedLine)
    }
}

/// The importance of an issue to a party: an ordinal level or an exact weight.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Importance {
    /// An ordinal level, mapped to a weight interval by the scenario's scale.
    Level(ImportanceLevel),
    /// An exact weight, 0 or more (0: the issue does not matter to the party); a party's weights
    /// are normalised to sum to 1.
    Weight(f64),
}
