//! The crate's error: a view asked of a record that does not hold what it names.

/// What a view of the record could not be built from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// No draft has this id (in the record as the caller may see it).
    #[error("no draft '{id}'{suggestion}")]
    UnknownDraft {
        /// The id asked for.
        id: String,
        /// ` (did you mean 'x'?)` when a draft's id is near it, else empty.
        suggestion: String,
    },
    /// No party has this id.
    #[error("no party '{id}'{suggestion}")]
    UnknownParty {
        /// The id asked for.
        id: String,
        /// ` (did you mean 'x'?)` when a party's id is near it, else empty.
        suggestion: String,
    },
    /// No issue has this id.
    #[error("no issue '{id}'{suggestion}")]
    UnknownIssue {
        /// The id asked for.
        id: String,
        /// ` (did you mean 'x'?)` when an issue's id is near it, else empty.
        suggestion: String,
    },
}
