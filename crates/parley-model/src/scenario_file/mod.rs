//! The TOML scenario format (see docs/scenario-format.md): reading reports every problem in
//! the file at once, each with its line and column; writing then reading gives the same
//! scenario.

mod convert;
mod dto;

pub use dto::ID_PATTERN;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::ops::Range;

use serde::Deserialize;
use serde::de::IntoDeserializer;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, DiagnosticKind, FieldPath, PathSegment, TextPosition};
use crate::scenario::Scenario;
use crate::validate::{ValidScenario, validate};
use convert::Reader;

/// What reading a scenario file gives: the scenario when it has no error, and every problem
/// found, in the order of the file, each with its line and column.
#[derive(Debug)]
pub struct Loaded {
    /// The scenario, when it has no error.
    pub scenario: Option<ValidScenario>,
    /// Every problem found, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The top-level tables of a scenario file, in the order they are written.
const TOP_LEVEL_KEYS: [&str; 11] = [
    "scenario",
    "scale",
    "sources",
    "parties",
    "issues",
    "tracks",
    "meetings",
    "drafts",
    "positions",
    "constraint_utilities",
    "claims",
];

/// What reading a document gives before validation: the scenario as far as it could be read,
/// the problems found, the ids of entities that could not be read, and the span of each path.
struct Document {
    scenario: Scenario,
    diagnostics: Vec<Diagnostic>,
    unreadable_ids: Vec<String>,
    spans: HashMap<FieldPath, Range<usize>>,
    /// For each collection with entities that could not be read: the index in the file of
    /// each entity read, so that a path into the scenario becomes a path into the file.
    file_indices: Vec<(String, Vec<usize>)>,
    has_header: bool,
    has_scale: bool,
}

/// A syntax error at the first byte that is not UTF-8, at the line and column of that byte.
fn utf8_diagnostic(bytes: &[u8], error: &std::str::Utf8Error) -> Diagnostic {
    let offset = error.valid_up_to();
    let valid = std::str::from_utf8(&bytes[..offset]).unwrap_or_default();
    let mut diagnostic =
        Diagnostic::error(DiagnosticKind::Syntax, FieldPath::root(), utf8_message(bytes, error));
    diagnostic.position = Some(TextPosition::of_offset(valid, offset));
    diagnostic
}

/// What is wrong with the first byte that is not UTF-8: `byte 0xff at offset 27 is not
/// UTF-8, expected UTF-8 text`.
pub fn utf8_message(bytes: &[u8], error: &std::str::Utf8Error) -> String {
    let offset = error.valid_up_to();
    match error.error_len() {
        Some(_) => format!(
            "byte 0x{:02x} at offset {offset} is not UTF-8, expected UTF-8 text",
            bytes[offset]
        ),
        None => format!(
            "the text ends inside the UTF-8 character that starts at offset {offset}, expected UTF-8 text"
        ),
    }
}

/// Reads a scenario from a file's bytes: [`read_scenario`] once they are UTF-8 text, else
/// one syntax error at the line and column of the first byte that is not UTF-8.
pub fn read_scenario_bytes(bytes: &[u8]) -> Loaded {
    match std::str::from_utf8(bytes) {
        Ok(text) => read_scenario(text),
        Err(error) => Loaded { scenario: None, diagnostics: vec![utf8_diagnostic(bytes, &error)] },
    }
}

/// Reads a scenario from TOML text, validates it, and reports every problem found.
pub fn read_scenario(text: &str) -> Loaded {
    let Some(document) = read_document(text) else {
        return Loaded { scenario: None, diagnostics: syntax_diagnostics(text) };
    };
    let Document {
        scenario, mut diagnostics, unreadable_ids, spans, file_indices, has_header, ..
    } = document;
    if !has_header {
        let message =
            "missing table [scenario], expected one with at least id and title".to_owned();
        diagnostics.push(Diagnostic::error(
            DiagnosticKind::Shape,
            FieldPath::root().key("scenario"),
            message,
        ));
    }
    // An entity that could not be read is missing from the scenario: references to it would
    // only repeat its own error, so they are left out.
    // A field taken out for a problem of shape is missing from the scenario: what validation
    // says of it only repeats that problem.
    let shape_paths: Vec<FieldPath> =
        diagnostics.iter().map(|diagnostic| diagnostic.path.clone()).collect();
    // Likewise the options of an issue whose list of options could not be read: a stance or
    // point naming one of them is not a further mistake.
    let issues_file_idx = |issue_idx: usize| {
        file_indices
            .iter()
            .find(|(collection, _)| collection == "issues")
            .map_or(issue_idx, |(_, kept)| kept[issue_idx])
    };
    let unread_options: Vec<String> = (0..scenario.issues.len())
        .filter(|&issue_idx| {
            let options_path =
                FieldPath::root().key("issues").index(issues_file_idx(issue_idx)).key("options");
            shape_paths.iter().any(|path| path.0.starts_with(&options_path.0))
        })
        .map(|issue_idx| format!("issue '{}' has no option ", scenario.issues[issue_idx].id))
        .collect();
    diagnostics.extend(
        validate(&scenario)
            .into_iter()
            .filter(|diagnostic| {
                let named = diagnostic.message.split(" (did you mean").next().unwrap_or_default();
                diagnostic.kind != DiagnosticKind::UnknownReference
                    || !unreadable_ids.iter().any(|id| named.ends_with(&format!("'{id}'")))
            })
            .filter(|diagnostic| {
                diagnostic.kind != DiagnosticKind::UnknownOption
                    || !unread_options.iter().any(|start| diagnostic.message.starts_with(start))
            })
            .map(|diagnostic| to_file_indices(diagnostic, &file_indices))
            .filter(|diagnostic| !shape_paths.contains(&diagnostic.path)),
    );
    place(&mut diagnostics, &spans, text);
    let has_errors = diagnostics.iter().any(Diagnostic::is_error);
    let scenario = if has_errors {
        None
    } else {
        let (scenario, _) =
            ValidScenario::new(scenario).expect("no error was found, so validation passes");
        Some(scenario)
    };
    Loaded { scenario, diagnostics }
}

/// A part of a scenario, read on its own: some entities, and the header or the scale when the
/// text has them. It is not validated: references resolve only once it is merged into a
/// scenario (see [`crate::change`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Fragment {
    /// The entities, in the collections of a scenario.
    pub scenario: Scenario,
    /// Whether the text has a `[scenario]` header (its fields are then in `scenario`).
    pub has_header: bool,
    /// Whether the text has a `[scale]` (it is then in `scenario.scale`).
    pub has_scale: bool,
}

/// The JSON Schema of one entity of a collection (`sources`, `parties`, `issues`, `tracks`,
/// `meetings`, `drafts`, `positions`, `constraint_utilities`, `claims`) in the file's shape,
/// as JSON; `None` for another name. What the server's API takes and gives.
pub fn entity_schema(collection: &str) -> Option<serde_json::Value> {
    dto::entity_schema(collection)
}

/// Reads a fragment of a scenario: the same format as a scenario file, with no table required.
/// Problems of shape are reported with their line and column; references are not checked.
pub fn read_fragment(text: &str) -> Result<Fragment, Vec<Diagnostic>> {
    let Some(document) = read_document(text) else { return Err(syntax_diagnostics(text)) };
    let Document { scenario, mut diagnostics, spans, has_header, has_scale, .. } = document;
    if diagnostics.is_empty() {
        return Ok(Fragment { scenario, has_header, has_scale });
    }
    place(&mut diagnostics, &spans, text);
    Err(diagnostics)
}

/// Writes a fragment so that [`read_fragment`] reads it back.
pub fn write_fragment(fragment: &Fragment) -> String {
    let mut file = convert::write_file(&fragment.scenario);
    if !fragment.has_header {
        file.scenario = None;
    }
    if fragment.has_scale && file.scale.is_none() {
        file.scale = Some(dto::ScaleDto::default());
    } else if !fragment.has_scale {
        file.scale = None;
    }
    toml::to_string(&file).expect("a fragment always serializes")
}

fn syntax_diagnostics(text: &str) -> Vec<Diagnostic> {
    let (_, syntax_errors) = DeTable::parse_recoverable(text);
    let mut diagnostics: Vec<Diagnostic> = syntax_errors
        .iter()
        .map(|error| {
            let (message, offset) = match error.span() {
                Some(span) => (error.message().to_owned(), span.start),
                // The one error `toml` reports without a span: a dotted key of too many parts.
                None => match deep_key(text) {
                    Some((offset, n_parts)) => (
                        format!(
                            "key of {n_parts} dotted parts nests tables too deeply (the reader's recursion limit), expected fewer parts"
                        ),
                        offset,
                    ),
                    None => (error.message().to_owned(), 0),
                },
            };
            let mut diagnostic =
                Diagnostic::error(DiagnosticKind::Syntax, FieldPath::root(), message);
            diagnostic.position = Some(TextPosition::of_offset(text, offset));
            diagnostic
        })
        .collect();
    diagnostics.sort_by_key(|diagnostic| diagnostic.position);
    diagnostics.dedup();
    diagnostics
}

/// Dotted keys of more than this many parts are refused by `toml` (its recursion limit), with
/// an error that has no span.
const DEEP_KEY_PARTS: usize = 80;

/// The offset and number of parts of the first key with more than [`DEEP_KEY_PARTS`] dotted
/// parts, found from the TOML parser's events (so that strings and comments are not keys).
fn deep_key(text: &str) -> Option<(usize, usize)> {
    use toml_parser::parser::{Event, EventKind};
    let tokens: Vec<_> = toml_parser::Source::new(text).lex().collect();
    let mut events: Vec<Event> = Vec::new();
    let mut errors: Vec<toml_parser::ParseError> = Vec::new();
    toml_parser::parser::parse_document(&tokens, &mut events, &mut errors);
    // The key being read: where it starts and how many parts it has so far.
    let mut key: Option<(usize, usize)> = None;
    for event in events.iter().map(Some).chain([None]) {
        match event.map(Event::kind) {
            Some(EventKind::SimpleKey) => {
                let start = event.map_or(0, |event| event.span().start());
                key.get_or_insert((start, 0)).1 += 1;
            }
            Some(EventKind::KeySep | EventKind::Whitespace) => {}
            _ => match key.take() {
                Some((start, n_parts)) if n_parts > DEEP_KEY_PARTS => {
                    return Some((start, n_parts));
                }
                _ => {}
            },
        }
    }
    None
}

/// A diagnostic of validation with its paths (the field at fault, and any its message names)
/// turned from indices into the scenario's collections into indices into the file: they
/// differ after an entity that could not be read, which the scenario lacks.
fn to_file_indices(
    mut diagnostic: Diagnostic,
    file_indices: &[(String, Vec<usize>)],
) -> Diagnostic {
    if file_indices.is_empty() {
        return diagnostic;
    }
    if let [PathSegment::Key(collection), PathSegment::Index(index), ..] =
        &mut diagnostic.path.0[..]
        && let Some((_, kept)) = file_indices.iter().find(|(name, _)| name == collection)
        && let Some(file_idx) = kept.get(*index)
    {
        *index = *file_idx;
    }
    for (collection, kept) in file_indices {
        let pattern = format!("{collection}[");
        let mut message = String::with_capacity(diagnostic.message.len());
        let mut rest = diagnostic.message.as_str();
        while let Some(start) = rest.find(&pattern) {
            let preceded_by_name =
                rest[..start].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
            let (before, from) = rest.split_at(start + pattern.len());
            message.push_str(before);
            rest = from;
            let n_digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
            match rest[..n_digits].parse::<usize>().ok().and_then(|index| kept.get(index)) {
                Some(file_idx) if !preceded_by_name && rest[n_digits..].starts_with(']') => {
                    message.push_str(&file_idx.to_string());
                    rest = &rest[n_digits..];
                }
                _ => {}
            }
        }
        message.push_str(rest);
        diagnostic.message = message;
    }
    diagnostic
}

/// Fills in the line and column of every diagnostic from the spans, then sorts them.
fn place(diagnostics: &mut [Diagnostic], spans: &HashMap<FieldPath, Range<usize>>, text: &str) {
    for diagnostic in diagnostics.iter_mut() {
        if diagnostic.position.is_none() {
            // A field the file lacks, in a table it lacks too (a missing [scenario]), is
            // reported at the start of the file.
            diagnostic.position = Some(
                position_of(&diagnostic.path, spans, text)
                    .unwrap_or(TextPosition { line: 1, column: 1 }),
            );
        }
    }
    diagnostics.sort_by_key(|diagnostic| diagnostic.position);
}

/// Reads every table of a document into a scenario, recording problems of shape; `None` when
/// the text is not valid TOML.
fn read_document(text: &str) -> Option<Document> {
    let (document, syntax_errors) = DeTable::parse_recoverable(text);
    if !syntax_errors.is_empty() {
        return None;
    }
    let document = document.into_inner();
    let mut spans = HashMap::new();
    for (key, value) in document.iter() {
        record_spans(&FieldPath::root().key(key.get_ref().to_string()), value, &mut spans);
    }
    let mut reader = Reader { diagnostics: Vec::new() };
    let mut scenario = Scenario::default();
    let mut unreadable_ids = Vec::new();
    let mut file_indices = Vec::new();
    for (key, value) in document.iter() {
        let path = FieldPath::root().key(key.get_ref().to_string());
        let mut kept: Option<Vec<usize>> = None;
        // Each list of entities is read the same way, into its own field of the scenario.
        macro_rules! list {
            ($read:expr, $field:ident) => {
                kept = Some(read_list(
                    value,
                    &path,
                    text,
                    &mut reader,
                    &mut unreadable_ids,
                    $read,
                    &mut scenario.$field,
                ))
            };
        }
        match key.get_ref().as_ref() {
            "scenario" => {
                if let Some(header) = read_entity::<dto::HeaderDto>(
                    value,
                    &path,
                    text,
                    &mut reader,
                    &mut unreadable_ids,
                ) {
                    reader.header(&header, &mut scenario);
                }
            }
            "scale" => {
                if let Some(scale) = read_entity::<dto::ScaleDto>(
                    value,
                    &path,
                    text,
                    &mut reader,
                    &mut unreadable_ids,
                ) {
                    scenario.scale = reader.scale(&scale);
                }
            }
            "sources" => list!(Reader::source, sources),
            "parties" => list!(Reader::party, parties),
            "issues" => list!(Reader::issue, issues),
            "tracks" => list!(Reader::track, tracks),
            "meetings" => list!(Reader::meeting, meetings),
            "drafts" => list!(Reader::draft, drafts),
            "positions" => list!(Reader::position, positions),
            "constraint_utilities" => list!(Reader::constraint_utility, constraint_utilities),
            "claims" => list!(Reader::claim, claims),
            other => {
                let message = format!(
                    "unknown table '{other}', expected one of: {}",
                    TOP_LEVEL_KEYS.join(", ")
                );
                reader.diagnostics.push(Diagnostic::error(DiagnosticKind::Shape, path, message));
            }
        }
        if let Some(kept) = kept
            && kept.iter().enumerate().any(|(entity_idx, file_idx)| entity_idx != *file_idx)
        {
            file_indices.push((key.get_ref().to_string(), kept));
        }
    }
    Some(Document {
        file_indices,
        has_header: document.contains_key("scenario"),
        has_scale: document.contains_key("scale"),
        scenario,
        diagnostics: reader.diagnostics,
        unreadable_ids,
        spans,
    })
}

/// Writes a scenario as TOML text that [`read_scenario`] reads back to the same scenario.
pub fn write_scenario(scenario: &Scenario) -> String {
    let file = convert::write_file(scenario);
    toml::to_string(&file).expect("a scenario always serializes: every key is a string and no value is a bare array of tables mixed with values")
}

/// One step of a path inside an entity's table, as the deserializer reports it.
#[derive(Clone, PartialEq, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// At most this many problems of shape are reported per entity: each costs one more reading.
const MAX_SHAPE_PROBLEMS: usize = 64;

/// Reads one entity (a table of the file) into its file shape, reporting every problem of
/// shape, not just the first: after each, the field at fault is taken out and the table read
/// again. An unknown field, or a bad value of a field that may be left out, leaves the rest
/// readable; a required field, or an item of a list, that had to go makes the entity
/// unreadable (`None`, its id noted), but what follows it is still checked.
fn read_entity<T: for<'de> Deserialize<'de>>(
    value: &Spanned<DeValue<'_>>,
    path: &FieldPath,
    text: &str,
    reader: &mut Reader,
    unreadable_ids: &mut Vec<String>,
) -> Option<T> {
    let mut current = value.clone();
    // Items taken out of lists, in the order they went: (the list's steps, the item's index),
    // both as the table was when it went.
    let mut removed_items: Vec<(Vec<Step>, usize)> = Vec::new();
    // Fields taken out, by their steps in the file.
    let mut removed_fields: Vec<Vec<Step>> = Vec::new();
    let mut readable = true;
    for _ in 0..MAX_SHAPE_PROBLEMS {
        let error =
            match serde_path_to_error::deserialize::<_, T>(current.clone().into_deserializer()) {
                Ok(entity) if readable => return Some(entity),
                Ok(_) => break,
                Err(error) => error,
            };
        let steps: Option<Vec<Step>> = error
            .path()
            .iter()
            .filter_map(|segment| match segment {
                serde_path_to_error::Segment::Seq { index } => Some(Some(Step::Index(*index))),
                serde_path_to_error::Segment::Map { key } => Some(Some(Step::Key(key.clone()))),
                serde_path_to_error::Segment::Enum { .. } => None,
                serde_path_to_error::Segment::Unknown => Some(None),
            })
            .collect();
        let error = error.into_inner();
        let missing = missing_field(error.message());
        let in_file = steps.as_deref().map(|steps| steps_in_file(steps, &removed_items));
        let already_reported = match (&in_file, missing) {
            (Some(in_file), Some(name)) => {
                let mut field = in_file.clone();
                field.push(Step::Key(name.to_owned()));
                removed_fields.contains(&field)
            }
            _ => false,
        };
        if !already_reported {
            let field_path =
                in_file.iter().flatten().fold(path.clone(), |field_path, step| match step {
                    Step::Key(key) => field_path.key(key.clone()),
                    Step::Index(index) => field_path.index(*index),
                });
            let message = shape_message(error.message(), in_file.as_deref().unwrap_or_default());
            let mut diagnostic = Diagnostic::error(DiagnosticKind::Shape, field_path, message);
            let span = error.span().unwrap_or_else(|| value.span());
            diagnostic.position = Some(TextPosition::of_offset(text, span.start));
            reader.diagnostics.push(diagnostic);
        }
        // What to take out: the field at fault, or the table that lacks a required field.
        let (Some(steps), Some(in_file)) = (steps, in_file) else {
            break;
        };
        if missing.is_some() {
            readable = false;
        }
        match steps.split_last() {
            None => {
                break;
            }
            Some((Step::Key(key), parent)) => {
                if !remove_key(&mut current, parent, key) {
                    break;
                }
                removed_fields.push(in_file);
            }
            Some((Step::Index(index), parent)) => {
                if !remove_item(&mut current, parent, *index) {
                    break;
                }
                readable = false;
                removed_items.push((parent.to_vec(), *index));
            }
        }
    }
    if let Some(id) = value
        .get_ref()
        .as_table()
        .and_then(|table| table.get("id"))
        .and_then(|id| id.get_ref().as_str())
    {
        unreadable_ids.push(id.to_owned());
    }
    None
}

/// The name in a deserializer's "missing field `name`".
fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.strip_suffix('`')
}

/// The steps of a field in the file, from its steps in the table once the listed items were
/// taken out (the last taken out is undone first).
fn steps_in_file(steps: &[Step], removed_items: &[(Vec<Step>, usize)]) -> Vec<Step> {
    let mut steps = steps.to_vec();
    for (list, removed_idx) in removed_items.iter().rev() {
        if steps.len() > list.len()
            && steps[..list.len()] == list[..]
            && let Step::Index(index) = &mut steps[list.len()]
            && *index >= *removed_idx
        {
            *index += 1;
        }
    }
    steps
}

/// The value at some steps into a table.
fn value_at<'v, 'i>(
    value: &'v mut Spanned<DeValue<'i>>,
    steps: &[Step],
) -> Option<&'v mut Spanned<DeValue<'i>>> {
    let Some((first, rest)) = steps.split_first() else { return Some(value) };
    let child = match (value.get_mut(), first) {
        (DeValue::Table(table), Step::Key(key)) => table.get_mut(key.as_str())?,
        (DeValue::Array(array), Step::Index(index)) => array.get_mut(*index)?,
        _ => return None,
    };
    value_at(child, rest)
}

fn remove_key(value: &mut Spanned<DeValue<'_>>, table_steps: &[Step], key: &str) -> bool {
    match value_at(value, table_steps).map(Spanned::get_mut) {
        Some(DeValue::Table(table)) => table.remove(key).is_some(),
        _ => false,
    }
}

fn remove_item(value: &mut Spanned<DeValue<'_>>, list_steps: &[Step], index: usize) -> bool {
    let Some(list) = value_at(value, list_steps) else { return false };
    let DeValue::Array(array) = list.get_mut() else { return false };
    if index >= array.len() {
        return false;
    }
    *array = array
        .iter()
        .enumerate()
        .filter(|(item_idx, _)| *item_idx != index)
        .map(|(_, item)| item.clone())
        .collect();
    true
}

/// A deserializer's message in the file's terms, with a "did you mean" for an unknown field
/// and an example of the expected shape for a value of the wrong type.
fn shape_message(message: &str, steps: &[Step]) -> String {
    let message = plain_message(message);
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((name, expected)) = rest.split_once('`')
    {
        let known = expected.split('`').skip(1).step_by(2);
        let suggestion = crate::suggest::did_you_mean(name, known);
        return format!("unknown field `{name}`{suggestion}{expected}");
    }
    let field = steps.iter().rev().find_map(|step| match step {
        Step::Key(key) => Some(key.as_str()),
        Step::Index(_) => None,
    });
    let in_list = matches!(steps.last(), Some(Step::Index(_)));
    let in_lineage = steps.iter().any(|step| *step == Step::Key("lineage".to_owned()));
    let found = message
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.split_once(", expected"))
        .and_then(|(found, _)| found_value(found));
    let Some(shape) = field.and_then(|field| expected_shape(field, in_list, in_lineage, found))
    else {
        return message;
    };
    if message.starts_with("the value has none of the forms") {
        return format!("the value has none of the forms this field accepts, expected {shape}");
    }
    match message.split_once(", expected") {
        Some((before, _)) => format!("{before}, expected {shape}"),
        None => format!("{message}, expected {shape}"),
    }
}

/// The value in a deserializer's description of what it found: `0.3` in ``floating point
/// `0.3` ``, `"a"` in `string "a"`.
fn found_value(found: &str) -> Option<&str> {
    if let Some(quote) = found.find('"') {
        return Some(&found[quote..]);
    }
    let (_, rest) = found.split_once('`')?;
    rest.split_once('`').map(|(value, _)| value)
}

/// What a field of the file looks like, for a message about a value of the wrong type: the
/// found value, where it fits, is put in the example (`reservation = 0.3` gets
/// `{ value = 0.3 }`).
fn expected_shape(
    field: &str,
    in_list: bool,
    in_lineage: bool,
    found: Option<&str>,
) -> Option<String> {
    let found_or =
        |default: &str| found.filter(|found| !found.is_empty()).unwrap_or(default).to_owned();
    let shape = match (field, in_list) {
        ("reservation", false) => format!("a table such as {{ value = {} }}", found_or("0.3")),
        ("place", false) => format!("a table such as {{ name = {} }}", found_or("\"Geneva\"")),
        ("range", false) => "a table such as { lower = 0, upper = 100, grid = 11 }".to_owned(),
        ("date" | "as_of", false) => "a date such as 2025-12-02, \"2025-12\", \"2025\" or { date = 2025-12-02, precision = \"approximate\" }".to_owned(),
        ("visibility", false) => "\"public\", \"private\" or { track = \"ID\" }".to_owned(),
        ("consent", false) => "\"required\", \"none\" or { issues = [\"ID\", ...] }".to_owned(),
        ("cites", true) => "\"source#section\", \"source\" or { source = \"ID\", section = \"...\" }".to_owned(),
        ("cites", false) => "a list such as [\"source#section\"]".to_owned(),
        ("options", false) => "a list of tables such as [{ id = \"keep\", label = \"...\" }]".to_owned(),
        ("options", true) => "a table such as { id = \"keep\", label = \"...\" }".to_owned(),
        ("delegates", false) => "a list of tables such as [{ id = \"ID\", name = \"...\" }]".to_owned(),
        ("stances", false) => "a table such as { keep = \"preferred\", give = \"red-line\" }".to_owned(),
        ("agreements", false) => "a list of tables such as [{ party = \"ID\", point = \"ID\", kind = \"ad-referendum\" }]".to_owned(),
        ("points", false) if in_lineage => "a list of point ids or \"rest\"".to_owned(),
        ("points", false) => {
            "a list of tables such as [{ id = \"p1\", number = 1, text = \"...\" }]".to_owned()
        }
        ("parties" | "attendees" | "settled" | "left_open" | "parents" | "brackets", false) => {
            format!("a list of ids such as [{}]", found_or("\"ID\""))
        }
        _ => return None,
    };
    Some(shape)
}

/// A deserializer's message in the file's terms: the reader's own type names (`PlaceDto`) mean
/// nothing to a user.
fn plain_message(message: &str) -> String {
    if message.starts_with("data did not match any variant of untagged enum ")
        && message.ends_with("Dto")
    {
        return "the value has none of the forms this field accepts (see docs/scenario-format.md)"
            .to_owned();
    }
    let mut plain = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find("struct ").or_else(|| rest.find("untagged enum ")) {
        let (before, from) = rest.split_at(start);
        let name_start = from.find(' ').map_or(from.len(), |space| space + 1);
        let name_start =
            if from.starts_with("untagged enum ") { "untagged enum ".len() } else { name_start };
        let name_len = from[name_start..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .unwrap_or(from.len() - name_start);
        let name = &from[name_start..name_start + name_len];
        plain.push_str(before);
        if name.ends_with("Dto") {
            plain.push_str(if from.starts_with("struct ") {
                "a table"
            } else {
                "one of the accepted forms"
            });
        } else {
            plain.push_str(&from[..name_start + name_len]);
        }
        rest = &from[name_start + name_len..];
    }
    plain.push_str(rest);
    plain
}

fn read_list<Dto: for<'de> Deserialize<'de>, T>(
    value: &Spanned<DeValue<'_>>,
    path: &FieldPath,
    text: &str,
    reader: &mut Reader,
    unreadable_ids: &mut Vec<String>,
    convert: fn(&mut Reader, &Dto, &FieldPath) -> T,
    target: &mut Vec<T>,
) -> Vec<usize> {
    let Some(items) = value.get_ref().as_array() else {
        let message = format!(
            "expected an array of tables ([[{path}]]), found a {}",
            value.get_ref().type_str()
        );
        let mut diagnostic = Diagnostic::error(DiagnosticKind::Shape, path.clone(), message);
        diagnostic.position = Some(TextPosition::of_offset(text, value.span().start));
        reader.diagnostics.push(diagnostic);
        return Vec::new();
    };
    let mut kept = Vec::new();
    for (item_idx, item) in items.iter().enumerate() {
        let item_path = path.index(item_idx);
        if let Some(dto) = read_entity::<Dto>(item, &item_path, text, reader, unreadable_ids) {
            target.push(convert(reader, &dto, &item_path));
            kept.push(item_idx);
        }
    }
    kept
}

fn record_spans(
    path: &FieldPath,
    value: &Spanned<DeValue<'_>>,
    spans: &mut HashMap<FieldPath, Range<usize>>,
) {
    spans.insert(path.clone(), value.span());
    match value.get_ref() {
        DeValue::Table(table) => {
            for (key, child) in table.iter() {
                record_spans(&path.key(key.get_ref().to_string()), child, spans);
            }
        }
        DeValue::Array(array) => {
            for (child_idx, child) in array.iter().enumerate() {
                record_spans(&path.index(child_idx), child, spans);
            }
        }
        _ => {}
    }
}

/// The position of a field, or of its nearest enclosing field that the file has (a missing
/// field is reported at the table that lacks it).
fn position_of(
    path: &FieldPath,
    spans: &HashMap<FieldPath, Range<usize>>,
    text: &str,
) -> Option<TextPosition> {
    let mut current = Some(path.clone());
    while let Some(candidate) = current {
        if let Some(span) = spans.get(&candidate) {
            return Some(TextPosition::of_offset(text, span.start));
        }
        current = candidate.parent();
    }
    None
}
