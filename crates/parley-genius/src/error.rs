//! The crate's one error type, and the file position that most of its variants carry.

use std::fmt;

/// A `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A position in one of the files given to the parser: its name, then 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file name as the caller gave it.
    pub file: String,
    /// The line, counted from 1.
    pub line: u32,
    /// The column, counted from 1 in characters.
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Everything that can go wrong when reading GENIUS files.
///
/// Messages are lowercase, end without a period and quote the offending value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The text is not well-formed XML.
    #[error("{location}: malformed XML: {message}")]
    MalformedXml {
        /// Where the XML parser gave up.
        location: Location,
        /// The XML parser's own description.
        message: String,
    },
    /// An element breaks the GENIUS format, or disagrees with the domain.
    #[error("{location}: <{element}> {message}")]
    InvalidElement {
        /// The element's start tag.
        location: Location,
        /// The element's tag name.
        element: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// An element is valid GENIUS but uses something this crate does not read,
    /// such as a non-linear evaluator or a real-valued issue.
    #[error("{location}: <{element}> {message}")]
    Unsupported {
        /// The element's start tag.
        location: Location,
        /// The element's tag name.
        element: String,
        /// What is unsupported.
        message: String,
    },
    /// The text is not well-formed JSON.
    #[error("{location}: malformed JSON: {message}")]
    MalformedJson {
        /// Where the JSON reader gave up.
        location: Location,
        /// What is wrong and what was expected.
        message: String,
    },
    /// A JSON field breaks the GeniusWeb format, or disagrees with the domain.
    #[error("{location}: {}: {message}", field_name(field))]
    InvalidField {
        /// Where the field's key or value starts.
        location: Location,
        /// The field's path from the top of the file, e.g. `issueWeights["lease car"]`;
        /// empty for the file's top value.
        field: String,
        /// What is wrong and what was expected.
        message: String,
    },
    /// A JSON field is valid GeniusWeb but uses something this crate does not read, such as
    /// another kind of profile.
    #[error("{location}: {}: {message}", field_name(field))]
    UnsupportedField {
        /// Where the field's key or value starts.
        location: Location,
        /// The field's path from the top of the file.
        field: String,
        /// What is unsupported.
        message: String,
    },
    /// None of the files given to [`crate::parse_scenario`] is a domain.
    #[error("no domain file among {}, expected exactly one", quote_all(files))]
    NoDomain {
        /// The names of all files given.
        files: Vec<String>,
    },
    /// Profiles fit more than one of the folder's domains, and none was chosen.
    #[error(
        "the folder holds several domains with profiles: {}; choose one (e.g. with --domain NAME)",
        describe_choices(choices)
    )]
    SeveralDomains {
        /// Each domain file with the profile files that fit it.
        choices: Vec<(String, Vec<String>)>,
    },
    /// The domain chosen by name is not one of the folder's, or the name fits several.
    #[error(
        "'{name}' names no single domain of the folder, expected one of: {}",
        describe_choices(choices)
    )]
    UnknownDomain {
        /// The name given.
        name: String,
        /// Each domain file with the profile files that fit it.
        choices: Vec<(String, Vec<String>)>,
    },
    /// The file given as the domain is not a GENIUS domain.
    #[error("'{file}' is not a GENIUS domain file")]
    NotADomain {
        /// The file.
        file: String,
    },
    /// A profile evaluates the issues and values of none of the folder's domains.
    #[error("profile '{profile}' fits none of the folder's domains: {}", reasons.join("; "))]
    NoFittingDomain {
        /// The profile's file.
        profile: String,
        /// Per domain, why it does not fit.
        reasons: Vec<String>,
    },
    /// A GENIUS reference frontier (`pareto.xml`) with a line that is not a point.
    #[error("{location}: {message}")]
    InvalidReference {
        /// The line.
        location: Location,
        /// What is wrong and what was expected.
        message: String,
    },
    /// The files given to [`crate::parse_scenario`] hold a domain but no profile.
    #[error("no profile file besides the domain '{domain_file}', expected at least one")]
    NoProfile {
        /// The name of the domain file.
        domain_file: String,
    },
    /// Two profiles would get the same party id (the file name without its extension).
    #[error("files '{first_file}' and '{second_file}' both give party id '{party}'")]
    DuplicateParty {
        /// The shared party id.
        party: String,
        /// The first file.
        first_file: String,
        /// The second file.
        second_file: String,
    },
    /// The domain handed to [`crate::Scenario::new`] is not well formed.
    #[error("domain is not well formed: {message}")]
    InvalidDomain {
        /// What is wrong.
        message: String,
    },
    /// A profile handed to [`crate::Scenario::new`] does not fit the domain.
    #[error("profile of party '{party}' does not fit the domain: {message}")]
    ProfileMismatch {
        /// The party whose profile is at fault.
        party: String,
        /// What does not fit.
        message: String,
    },
}

impl Error {
    /// Where in a file the error is, for an error about one file's content; `None` for one
    /// about a folder or a scenario as a whole.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::MalformedXml { location, .. }
            | Error::InvalidElement { location, .. }
            | Error::Unsupported { location, .. }
            | Error::MalformedJson { location, .. }
            | Error::InvalidField { location, .. }
            | Error::UnsupportedField { location, .. }
            | Error::InvalidReference { location, .. } => Some(location),
            _ => None,
        }
    }
}

/// What stops a Parley scenario from becoming a GENIUS or GeniusWeb scenario, or the other
/// way round.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ConversionError {
    /// A GENIUS name cannot be a Parley id.
    #[error("{what} {name:?} cannot be an id: {message}")]
    InvalidId {
        /// What the name names, e.g. "issue".
        what: &'static str,
        /// The name.
        name: String,
        /// Why it cannot be an id.
        message: String,
    },
    /// A scenario with constraint utilities that GENIUS's non-linear files cannot hold.
    #[error("the scenario cannot be written as GENIUS non-linear files: {message}")]
    NotNonlinear {
        /// Why.
        message: String,
    },
    /// A scenario with constraint utilities, which GeniusWeb's linear additive profiles
    /// cannot hold.
    #[error(
        "the scenario has constraint (non-linear) utilities, which GeniusWeb's linear additive profiles cannot hold; export it as GENIUS instead"
    )]
    ConstraintUtilities,
    /// A curve over a continuous issue that no GENIUS evaluator of real issues draws.
    #[error(
        "party '{party}' values continuous issue '{issue}' by a curve that GENIUS cannot hold: {message}"
    )]
    Curve {
        /// The party.
        party: String,
        /// The issue.
        issue: String,
        /// What GENIUS can hold instead.
        message: String,
    },
    /// A scenario with a continuous issue, which GeniusWeb's value sets cannot hold.
    #[error(
        "issue '{issue}' is continuous (a range of numbers), which GeniusWeb's value sets cannot hold; export it as GENIUS instead"
    )]
    ContinuousIssue {
        /// The issue.
        issue: String,
    },
    /// The Parley scenario has no party to write a profile for.
    #[error("scenario '{scenario}' has no negotiating party to write a profile for")]
    NoParty {
        /// The scenario's id.
        scenario: String,
    },
    /// A number needs more digits than exact arithmetic here can hold.
    #[error("cannot compute {what} exactly: a number has too many digits")]
    Inexact {
        /// What could not be computed.
        what: String,
    },
    /// The written files do not form a GENIUS (or GeniusWeb) scenario.
    #[error("the written scenario does not read back: {0}")]
    Invalid(#[from] Error),
}

fn describe_choices(choices: &[(String, Vec<String>)]) -> String {
    let described: Vec<String> = choices
        .iter()
        .map(|(domain, profiles)| {
            if profiles.is_empty() {
                format!("'{domain}' (no profile)")
            } else {
                format!("'{domain}' (profiles {})", quote_all(profiles))
            }
        })
        .collect();
    described.join(", ")
}

fn field_name(field: &str) -> &str {
    if field.is_empty() { "the file" } else { field }
}

fn quote_all(files: &[String]) -> String {
    if files.is_empty() {
        return "no files".to_owned();
    }
    let quoted: Vec<String> = files.iter().map(|file| format!("'{file}'")).collect();
    quoted.join(", ")
}

/// Something a GENIUS file holds that is read in GENIUS's way but deserves a word: an element
/// skipped because GENIUS's additive utility does not use it, a repeated value, an evaluation
/// written as 'null', an older layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The element's start tag (the first one, when the warning counts several).
    pub location: Location,
    /// The element's tag name.
    pub element: String,
    /// What was read and how.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: <{}> {}", self.location, self.element, self.message)
    }
}
