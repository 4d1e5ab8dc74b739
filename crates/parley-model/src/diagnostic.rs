//! Problems found in a scenario: each with a kind, a severity, the path of the field at
//! fault and, once the scenario format has resolved the path, a line and column.

use std::borrow::Cow;
use std::fmt;

use smallvec::SmallVec;

/// One step of a path into a scenario: a key of a table or an index into a list.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum PathSegment {
    /// A key, e.g. `parties` or an option id in a table of stances.
    Key(Cow<'static, str>),
    /// An index into a list, from 0.
    Index(usize),
}

/// The path of a field in a scenario, e.g. `parties[2].delegates[0].id`. The same path names
/// the field in a TOML file, a JSON request and an error message.
///
/// Validation builds a path for every field it checks, so a path of a few steps with literal
/// keys is built without touching the heap.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct FieldPath(pub SmallVec<[PathSegment; 6]>);

impl FieldPath {
    /// The path of the whole scenario.
    pub fn root() -> FieldPath {
        FieldPath(SmallVec::new())
    }

    /// This path followed by a key.
    pub fn key(&self, key: impl Into<Cow<'static, str>>) -> FieldPath {
        let mut segments = self.0.clone();
        segments.push(PathSegment::Key(key.into()));
        FieldPath(segments)
    }

    /// This path followed by an index.
    pub fn index(&self, index: usize) -> FieldPath {
        let mut segments = self.0.clone();
        segments.push(PathSegment::Index(index));
        FieldPath(segments)
    }

    /// This path without its last step, or `None` at the root.
    pub fn parent(&self) -> Option<FieldPath> {
        let (_, rest) = self.0.split_last()?;
        Some(FieldPath(rest.iter().cloned().collect()))
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (segment_idx, segment) in self.0.iter().enumerate() {
            match segment {
                PathSegment::Key(key) => {
                    let bare = !key.is_empty()
                        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                    match (segment_idx, bare) {
                        (0, true) => f.write_str(key)?,
                        (_, true) => write!(f, ".{key}")?,
                        (_, false) => write!(f, "[{key:?}]")?,
                    }
                }
                PathSegment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// How serious a problem is.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Severity {
    /// Worth a look; the scenario can still be analysed.
    Warning,
    /// The scenario cannot be used until it is fixed.
    Error,
}

impl Severity {
    /// The word used in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// What kind of problem it is: a stable code for tools and tests.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum DiagnosticKind {
    /// The text is not valid TOML.
    Syntax,
    /// A field is missing, unknown, or of the wrong type.
    Shape,
    /// Two entities share an id.
    DuplicateId,
    /// A reference names no known party, issue, draft, source or other entity.
    UnknownReference,
    /// A stance or settlement names an option that the issue does not have.
    UnknownOption,
    /// A draft's lineage leaves a parent point unaccounted for, or accounts for it twice.
    LineageGap,
    /// A draft is its own ancestor.
    LineageCycle,
    /// A weight is zero or negative.
    NonPositiveWeight,
    /// A value lies outside its allowed range.
    OutOfRange,
    /// A meeting attendee is no party's delegate.
    UnknownAttendee,
    /// Dates are out of order where order matters.
    DateOrder,
    /// Something is inconsistent in another way.
    Inconsistent,
}

impl DiagnosticKind {
    /// The code used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticKind::Syntax => "syntax",
            DiagnosticKind::Shape => "shape",
            DiagnosticKind::DuplicateId => "duplicate-id",
            DiagnosticKind::UnknownReference => "unknown-reference",
            DiagnosticKind::UnknownOption => "unknown-option",
            DiagnosticKind::LineageGap => "lineage-gap",
            DiagnosticKind::LineageCycle => "lineage-cycle",
            DiagnosticKind::NonPositiveWeight => "non-positive-weight",
            DiagnosticKind::OutOfRange => "out-of-range",
            DiagnosticKind::UnknownAttendee => "unknown-attendee",
            DiagnosticKind::DateOrder => "date-order",
            DiagnosticKind::Inconsistent => "inconsistent",
        }
    }
}

/// A line and column in a text, both from 1.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct TextPosition {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, counted in characters.
    pub column: usize,
}

impl TextPosition {
    /// The position of a byte offset in a text.
    pub fn of_offset(text: &str, offset: usize) -> TextPosition {
        let offset = offset.min(text.len());
        let before = text.get(..offset).unwrap_or(text);
        let line_start = before.rfind('\n').map_or(0, |newline_idx| newline_idx + 1);
        TextPosition {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

/// A problem found in a scenario.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Diagnostic {
    /// Its kind.
    pub kind: DiagnosticKind,
    /// How serious it is.
    pub severity: Severity,
    /// The field at fault.
    pub path: FieldPath,
    /// Where the field is in the text, once known.
    pub position: Option<TextPosition>,
    /// What is wrong and what was expected; lowercase, with no trailing period.
    pub message: String,
}

impl Diagnostic {
    /// An error at a path.
    pub fn error(kind: DiagnosticKind, path: FieldPath, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            kind,
            severity: Severity::Error,
            path,
            position: None,
            message: message.into(),
        }
    }

    /// A warning at a path.
    pub fn warning(
        kind: DiagnosticKind,
        path: FieldPath,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            kind,
            severity: Severity::Warning,
            path,
            position: None,
            message: message.into(),
        }
    }

    /// Whether it is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The diagnostic as one line, prefixed with the file name: `FILE:LINE:COLUMN: error: ...`.
    pub fn render(&self, file_name: &str) -> String {
        let location = match self.position {
            Some(position) => format!("{file_name}:{}:{}", position.line, position.column),
            None => file_name.to_owned(),
        };
        let at =
            if self.path.0.is_empty() { String::new() } else { format!(" (at {})", self.path) };
        format!(
            "{location}: {}[{}]: {}{at}",
            self.severity.as_str(),
            self.kind.as_str(),
            self.message
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_display_like_the_fields_they_name() {
        let path = FieldPath::root().key("parties").index(2).key("delegates").index(0).key("id");
        assert_eq!(path.to_string(), "parties[2].delegates[0].id");
        let path = FieldPath::root().key("positions").index(1).key("stances").key("Local cuisine");
        assert_eq!(path.to_string(), "positions[1].stances[\"Local cuisine\"]");
    }

    #[test]
    fn text_positions_count_lines_and_characters_from_one() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(TextPosition::of_offset(text, 0), TextPosition { line: 1, column: 1 });
        assert_eq!(TextPosition::of_offset(text, 6), TextPosition { line: 2, column: 1 });
        assert_eq!(TextPosition::of_offset(text, 9), TextPosition { line: 2, column: 3 });
        assert_eq!(TextPosition::of_offset(text, 1000), TextPosition { line: 3, column: 1 });
    }

    #[test]
    fn rendered_diagnostics_name_file_line_column_kind_and_path() {
        let mut diagnostic = Diagnostic::error(
            DiagnosticKind::UnknownReference,
            FieldPath::root().key("tracks").index(0).key("parties").index(1),
            "unknown party 'rusia'",
        );
        diagnostic.position = Some(TextPosition { line: 40, column: 23 });
        assert_eq!(
            diagnostic.render("talks.toml"),
            "talks.toml:40:23: error[unknown-reference]: unknown party 'rusia' (at tracks[0].parties[1])"
        );
    }
}
