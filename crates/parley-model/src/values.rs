//! Small value types shared by the whole model: identifiers, dates with a precision,
//! places, and the basis of a fact (stated, reported, inferred or assumed).

use std::fmt;

/// An identifier: non-empty, without leading or trailing white space and without control
/// characters. Ids name parties, delegates, issues, options, tracks, meetings, drafts,
/// points, claims and sources.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Id(String);

impl Id {
    /// Parses an id, explaining what is wrong when it is not one.
    pub fn parse(text: &str) -> Result<Id, String> {
        if text.is_empty() {
            return Err("an id cannot be empty".to_owned());
        }
        if text.trim() != text {
            return Err(format!("id '{text}' has leading or trailing white space"));
        }
        if text.chars().any(char::is_control) {
            return Err(format!("id {text:?} contains a control character"));
        }
        Ok(Id(text.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a fact or a figure comes from: the analyst's confidence in it.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub enum Basis {
    /// The party said it itself, on the record.
    Stated,
    /// A source reports it.
    #[default]
    Reported,
    /// The analyst's reading of a sourced sentence, which the citation names: the source
    /// says something less (or other) than the figure, e.g. a rejection read as a red line.
    Inferred,
    /// The analyst assumed it: no source gives it.
    Assumed,
}

impl Basis {
    /// All bases, in order.
    pub const ALL: [Basis; 4] = [Basis::Stated, Basis::Reported, Basis::Inferred, Basis::Assumed];

    /// The keyword used in files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Stated => "stated",
            Basis::Reported => "reported",
            Basis::Inferred => "inferred",
            Basis::Assumed => "assumed",
        }
    }

    /// Whether the figure is the analyst's rather than a source's: inferred or assumed.
    pub fn is_analysts(self) -> bool {
        matches!(self, Basis::Inferred | Basis::Assumed)
    }
}

/// A calendar date.
pub type Date = jiff::civil::Date;

/// How precise a date is, in the manner of conflict-event datasets.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub enum DatePrecision {
    /// The day is known.
    #[default]
    Exact,
    /// Within a few days of the date given.
    Approximate,
    /// Only the month is known; the day given is the first of it.
    Month,
    /// Only the year is known; the date given is its first day.
    Year,
}

impl DatePrecision {
    /// All precisions, in order.
    pub const ALL: [DatePrecision; 4] = [
        DatePrecision::Exact,
        DatePrecision::Approximate,
        DatePrecision::Month,
        DatePrecision::Year,
    ];

    /// The keyword used in files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Exact => "exact",
            DatePrecision::Approximate => "approximate",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
        }
    }
}

/// A date with its precision and basis.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct FuzzyDate {
    /// The date (the first day of the month or year when only those are known).
    pub date: Date,
    /// How precise the date is.
    pub precision: DatePrecision,
    /// Whether a source gives the date or the analyst assumed it.
    pub basis: Basis,
}

impl FuzzyDate {
    /// An exact date that a source reports.
    pub fn exact(date: Date) -> FuzzyDate {
        FuzzyDate { date, precision: DatePrecision::Exact, basis: Basis::Reported }
    }
}

impl fmt::Display for FuzzyDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision {
            DatePrecision::Exact => write!(f, "{}", self.date)?,
            DatePrecision::Approximate => write!(f, "~{}", self.date)?,
            DatePrecision::Month => write!(f, "{:04}-{:02}", self.date.year(), self.date.month())?,
            DatePrecision::Year => write!(f, "{:04}", self.date.year())?,
        }
        if self.basis.is_analysts() {
            write!(f, " ({})", self.basis.as_str())?;
        }
        Ok(())
    }
}

/// How precise a place is.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub enum PlacePrecision {
    /// The named place itself.
    #[default]
    Exact,
    /// Near the named place.
    Approximate,
    /// Only the region is known.
    Region,
}

impl PlacePrecision {
    /// All precisions, in order.
    pub const ALL: [PlacePrecision; 3] =
        [PlacePrecision::Exact, PlacePrecision::Approximate, PlacePrecision::Region];

    /// The keyword used in files and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            PlacePrecision::Exact => "exact",
            PlacePrecision::Approximate => "approximate",
            PlacePrecision::Region => "region",
        }
    }
}

/// A place with its precision.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Place {
    /// The place's name, e.g. a city or a building.
    pub name: String,
    /// The region it lies in, when known.
    pub region: Option<String>,
    /// The country it lies in, when known.
    pub country: Option<String>,
    /// How precise the place is.
    pub precision: PlacePrecision,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        for part in [&self.region, &self.country].into_iter().flatten() {
            write!(f, ", {part}")?;
        }
        if self.precision != PlacePrecision::Exact {
            write!(f, " ({})", self.precision.as_str())?;
        }
        Ok(())
    }
}

/// Looks a keyword up in a list of values, for parsing enums from files and requests.
pub(crate) fn keyword_lookup<T: Copy>(
    text: &str,
    all: &[T],
    name: impl Fn(T) -> &'static str,
) -> Result<T, String> {
    all.iter().copied().find(|&value| name(value) == text).ok_or_else(|| {
        let expected: Vec<&str> = all.iter().map(|&value| name(value)).collect();
        let suggestion = crate::suggest::did_you_mean(text, expected.iter().copied());
        format!("unknown value '{text}'{suggestion}, expected one of: {}", expected.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_reject_empty_padded_and_control_text() {
        assert_eq!(Id::parse("russia").unwrap().as_str(), "russia");
        assert_eq!(Id::parse("Cultural heritage").unwrap().as_str(), "Cultural heritage");
        assert_eq!(Id::parse("").unwrap_err(), "an id cannot be empty");
        assert_eq!(Id::parse(" a").unwrap_err(), "id ' a' has leading or trailing white space");
        assert_eq!(Id::parse("a\nb").unwrap_err(), "id \"a\\nb\" contains a control character");
    }

    #[test]
    fn keyword_lookup_lists_the_expected_values() {
        assert_eq!(
            keyword_lookup("month", &DatePrecision::ALL, DatePrecision::as_str),
            Ok(DatePrecision::Month)
        );
        assert_eq!(
            keyword_lookup("weekly", &DatePrecision::ALL, DatePrecision::as_str).unwrap_err(),
            "unknown value 'weekly', expected one of: exact, approximate, month, year"
        );
    }

    #[test]
    fn fuzzy_dates_display_their_precision_and_basis() {
        let date = Date::new(2025, 12, 2).unwrap();
        let mut fuzzy = FuzzyDate::exact(date);
        assert_eq!(fuzzy.to_string(), "2025-12-02");
        fuzzy.precision = DatePrecision::Month;
        fuzzy.basis = Basis::Assumed;
        assert_eq!(fuzzy.to_string(), "2025-12 (assumed)");
    }
}
