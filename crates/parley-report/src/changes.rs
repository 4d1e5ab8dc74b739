//! What changed between two dates: positions, drafts (and their points), meetings, claims and
//! the record's other entities, added, changed or removed, with their sources.
//!
//! From a database, the changes come from the event log ([`from_log`]): the record as the
//! viewer may see it before the window and after each change in it, so that a change is
//! listed, with its author, only when what the viewer may see changed. From a file, which
//! keeps no edits, they come from the records' own dates ([`from_dates`]): a record dated
//! within the window is listed as added then.
//!
//! Records are compared in the scenario file's shapes ([`crate::records`]).

use std::collections::BTreeMap;

use parley_model::scenario::Scenario;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::records::records_json;

/// What a file can say of changes: it keeps dates, not edits.
pub const FILE_NOTE: &str = "a scenario file knows only the dates of its records, not their edits: a record dated within the window is listed as added then, and nothing is listed as changed or removed";

/// The changes between two dates.
#[derive(Serialize, Debug, Clone)]
pub struct ChangeList {
    /// The first day of the window (`YYYY-MM-DD`).
    pub since: String,
    /// The last day of the window, or null for up to now.
    pub until: Option<String>,
    /// `log` (from a database's event log) or `dates` (from a file's dated records).
    pub basis: &'static str,
    /// What the list cannot say, for a file.
    pub note: Option<&'static str>,
    /// The changes, in the file's order of collections, then by the record's order.
    pub changes: Vec<RecordChange>,
}

/// One record added, changed or removed.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct RecordChange {
    /// The collection, as the file names it: `positions`, `drafts`, `meetings`, `claims`, ...
    pub collection: String,
    /// The record's id; for a position, `PARTY/ISSUE/DATE` (`undated` when it has none).
    pub id: String,
    /// What the record is called: its title, name or statement.
    pub label: String,
    /// `added`, `changed` or `removed`.
    pub change: &'static str,
    /// For a changed record: the fields whose values differ, by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// For a draft: its points added, changed or removed, by id.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<PointChange>,
    /// The record's own date, when it has one.
    pub date: Option<String>,
    /// The sources the record cites (after the change; before it, for a removed one).
    pub sources: Vec<String>,
    /// From the log: who recorded the change (each author once, in order).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// From the log: when the last change to it was recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_at: Option<String>,
}

/// A point of a draft added, changed or removed.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct PointChange {
    /// The point's id.
    pub id: String,
    /// `added`, `changed` or `removed`.
    pub change: &'static str,
}

/// A record's key: its collection and its id.
type Key = (String, String);

/// Every record of a scenario by key, in the file's order.
fn keyed(scenario: &Scenario) -> Vec<(Key, Value)> {
    let mut res = Vec::new();
    for (collection, records) in records_json(scenario) {
        let Value::Array(records) = records else { continue };
        for record in records {
            let id = record_id(&collection, &record);
            res.push(((collection.clone(), id), record));
        }
    }
    res
}

fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) => Some(text.clone()),
        Value::Object(map) => text(map.get("date")),
        other => Some(other.to_string()),
    }
}

fn record_id(collection: &str, record: &Value) -> String {
    match collection {
        "positions" => format!(
            "{}/{}/{}",
            text(record.get("party")).unwrap_or_default(),
            text(record.get("issue")).unwrap_or_default(),
            text(record.get("date")).unwrap_or_else(|| "undated".to_owned())
        ),
        "constraint_utilities" => text(record.get("party")).unwrap_or_default(),
        _ => text(record.get("id")).unwrap_or_default(),
    }
}

fn label(collection: &str, record: &Value) -> String {
    if collection == "positions" {
        return format!(
            "{} on {}",
            text(record.get("party")).unwrap_or_default(),
            text(record.get("issue")).unwrap_or_default()
        );
    }
    ["title", "name", "statement"]
        .iter()
        .find_map(|field| text(record.get(*field)))
        .unwrap_or_default()
}

/// A citation as the file writes it (`source#section`, or a table) as it reads.
fn sources(record: &Value) -> Vec<String> {
    let Some(Value::Array(cites)) = record.get("cites") else { return Vec::new() };
    cites
        .iter()
        .map(|cite| match cite {
            Value::Object(map) => match (text(map.get("source")), text(map.get("section"))) {
                (Some(source), Some(section)) => format!("{source}#{section}"),
                (source, _) => source.unwrap_or_default(),
            },
            other => text(Some(other)).unwrap_or_default(),
        })
        .collect()
}

fn points(record: &Value) -> Vec<(String, Value)> {
    let Some(Value::Array(points)) = record.get("points") else { return Vec::new() };
    points.iter().map(|point| (text(point.get("id")).unwrap_or_default(), point.clone())).collect()
}

fn point_changes(before: &Value, after: &Value) -> Vec<PointChange> {
    let (before, after) = (points(before), points(after));
    let mut res = Vec::new();
    for (id, point) in &before {
        match after.iter().find(|(other, _)| other == id) {
            None => res.push(PointChange { id: id.clone(), change: "removed" }),
            Some((_, later)) if later != point => {
                res.push(PointChange { id: id.clone(), change: "changed" });
            }
            Some(_) => {}
        }
    }
    for (id, _) in &after {
        if !before.iter().any(|(other, _)| other == id) {
            res.push(PointChange { id: id.clone(), change: "added" });
        }
    }
    res
}

fn changed_fields(before: &Value, after: &Value) -> Vec<String> {
    let empty = Map::new();
    let (before, after) =
        (before.as_object().unwrap_or(&empty), after.as_object().unwrap_or(&empty));
    let mut fields: Vec<String> = Vec::new();
    for key in before.keys().chain(after.keys()) {
        if before.get(key) != after.get(key) && !fields.contains(key) {
            fields.push(key.clone());
        }
    }
    // By name, so that the order does not depend on how JSON objects keep their keys.
    fields.sort();
    fields
}

fn record_change(key: &Key, before: Option<&Value>, after: Option<&Value>) -> Option<RecordChange> {
    let (collection, id) = key;
    let (change, record) = match (before, after) {
        (None, Some(after)) => ("added", after),
        (Some(before), None) => ("removed", before),
        (Some(before), Some(after)) if before != after => ("changed", after),
        _ => return None,
    };
    let (fields, points) = match (before, after) {
        (Some(before), Some(after)) => {
            (changed_fields(before, after), point_changes(before, after))
        }
        _ => (Vec::new(), Vec::new()),
    };
    Some(RecordChange {
        collection: collection.clone(),
        id: id.clone(),
        label: label(collection, record),
        change,
        fields,
        points,
        date: text(record.get("date")),
        sources: sources(record),
        authors: Vec::new(),
        recorded_at: None,
    })
}

/// The records of `before` and `after` compared, in `after`'s order then the removed ones.
fn compare(before: &[(Key, Value)], after: &[(Key, Value)]) -> Vec<RecordChange> {
    let before_by_key: BTreeMap<&Key, &Value> =
        before.iter().map(|(key, value)| (key, value)).collect();
    let after_by_key: BTreeMap<&Key, &Value> =
        after.iter().map(|(key, value)| (key, value)).collect();
    let mut res: Vec<RecordChange> = after
        .iter()
        .filter_map(|(key, value)| record_change(key, before_by_key.get(key).copied(), Some(value)))
        .collect();
    res.extend(
        before
            .iter()
            .filter(|(key, _)| !after_by_key.contains_key(key))
            .filter_map(|(key, value)| record_change(key, Some(value), None)),
    );
    res
}

/// One change of the log, with the record after it as the viewer may see it.
pub struct LogStep<'a> {
    /// When it was recorded.
    pub recorded_at: &'a str,
    /// Who recorded it.
    pub author: &'a str,
    /// The record after it, as the viewer may see it.
    pub scenario: &'a Scenario,
}

/// The changes of a window of the log: the record before it (`None` when there was none)
/// against the record after its last change, each changed record with the authors of the
/// changes that changed what the viewer sees of it and the time of the last one. A record
/// changed and changed back within the window is not listed.
pub fn from_log<'a>(
    since: &str,
    until: Option<&str>,
    start: Option<&Scenario>,
    steps: impl IntoIterator<Item = LogStep<'a>>,
) -> ChangeList {
    let first = start.map(keyed).unwrap_or_default();
    let mut previous: BTreeMap<Key, Value> = first.iter().cloned().collect();
    let mut last = first.clone();
    let mut touched: BTreeMap<Key, (Vec<String>, String)> = BTreeMap::new();
    for step in steps {
        let now = keyed(step.scenario);
        let now_by_key: BTreeMap<Key, Value> = now.iter().cloned().collect();
        let keys = previous.keys().chain(now_by_key.keys());
        let differing: Vec<Key> =
            keys.filter(|key| previous.get(*key) != now_by_key.get(*key)).cloned().collect();
        for key in differing {
            let (authors, at) = touched.entry(key).or_default();
            if !authors.iter().any(|author| author == step.author) {
                authors.push(step.author.to_owned());
            }
            step.recorded_at.clone_into(at);
        }
        previous = now_by_key;
        last = now;
    }
    let mut changes = compare(&first, &last);
    for change in &mut changes {
        if let Some((authors, at)) = touched.get(&(change.collection.clone(), change.id.clone())) {
            change.authors.clone_from(authors);
            change.recorded_at = Some(at.clone());
        }
    }
    ChangeList {
        since: since.to_owned(),
        until: until.map(str::to_owned),
        basis: "log",
        note: None,
        changes,
    }
}

/// The records of a file dated from `since` to `until` (both included, `YYYY-MM-DD`), listed
/// as added: a file keeps no edits ([`FILE_NOTE`]).
pub fn from_dates(scenario: &Scenario, since: &str, until: Option<&str>) -> ChangeList {
    let within = |date: &str| {
        let day = date.get(..10).unwrap_or(date);
        day >= since && until.is_none_or(|until| day <= until)
    };
    let changes = keyed(scenario)
        .iter()
        .filter(|(_, record)| text(record.get("date")).is_some_and(|date| within(&date)))
        .filter_map(|(key, record)| record_change(key, None, Some(record)))
        .collect();
    ChangeList {
        since: since.to_owned(),
        until: until.map(str::to_owned),
        basis: "dates",
        note: Some(FILE_NOTE),
        changes,
    }
}

/// The changes as plain text for a terminal. The caller escapes control characters before
/// printing.
pub fn render_terminal(list: &ChangeList) -> String {
    let mut out =
        format!("Changes from {} to {}", list.since, list.until.as_deref().unwrap_or("now"));
    out.push_str(match list.basis {
        "log" => " (from the record's log)\n",
        _ => " (from the records' dates)\n",
    });
    if let Some(note) = list.note {
        out.push_str(&format!("note: {note}\n"));
    }
    if list.changes.is_empty() {
        out.push_str("\nNothing changed.\n");
        return out;
    }
    let mut collection = "";
    for change in &list.changes {
        if change.collection != collection {
            collection = &change.collection;
            out.push_str(&format!("\n{collection}\n"));
        }
        let date = change.date.as_ref().map_or_else(String::new, |date| format!(" ({date})"));
        out.push_str(&format!("  {:<8} {}{date}", change.change, change.id));
        if !change.label.is_empty() && change.collection != "positions" {
            out.push_str(&format!(": {}", change.label));
        }
        out.push('\n');
        if !change.fields.is_empty() {
            out.push_str(&format!("           fields: {}\n", change.fields.join(", ")));
        }
        if !change.points.is_empty() {
            let points: Vec<String> = change
                .points
                .iter()
                .map(|point| format!("{} {}", point.id, point.change))
                .collect();
            out.push_str(&format!("           points: {}\n", points.join(", ")));
        }
        if !change.sources.is_empty() {
            out.push_str(&format!("           sources: {}\n", change.sources.join("; ")));
        }
        if let Some(at) = &change.recorded_at {
            out.push_str(&format!("           recorded {at} by {}\n", change.authors.join(", ")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Scenario {
        let loaded = parley_model::scenario_file::read_scenario(text);
        loaded.scenario.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics)).into_scenario()
    }

    const BASE: &str = r#"
[scenario]
id = "t"
title = "T"

[[sources]]
id = "minutes"
title = "Minutes"

[[parties]]
id = "a"
name = "A"
role = "principal"

[[issues]]
id = "i"
title = "I"
category = "other"
options = [{ id = "x" }, { id = "y" }]
"#;

    #[test]
    fn the_log_lists_what_the_viewer_sees_change_with_its_authors() {
        let start = read(&format!(
            "{BASE}\n[[drafts]]\nid = \"d\"\ntitle = \"D\"\nstatus = \"proposed\"\npoints = [{{ id = \"p1\", text = \"one\" }}]\n"
        ));
        let edited = read(&format!(
            "{BASE}\n[[drafts]]\nid = \"d\"\ntitle = \"D\"\nstatus = \"proposed\"\ncites = [\"minutes\"]\npoints = [{{ id = \"p1\", text = \"uno\" }}, {{ id = \"p2\", text = \"two\" }}]\n"
        ));
        let positioned = read(&format!(
            "{BASE}\n[[positions]]\nparty = \"a\"\nissue = \"i\"\ndate = 2025-11-21\nstances = {{ x = \"preferred\" }}\n"
        ));
        let steps = [
            LogStep { recorded_at: "t1", author: "ann", scenario: &edited },
            LogStep { recorded_at: "t2", author: "bob", scenario: &edited },
            LogStep { recorded_at: "t3", author: "cy", scenario: &positioned },
        ];
        let list = from_log("2025-11-01", None, Some(&start), steps);
        let summary: Vec<(String, &str, Vec<String>)> = list
            .changes
            .iter()
            .map(|change| (change.id.clone(), change.change, change.authors.clone()))
            .collect();
        assert_eq!(
            summary,
            [
                ("a/i/2025-11-21".to_owned(), "added", vec!["cy".to_owned()]),
                ("d".to_owned(), "removed", vec!["ann".to_owned(), "cy".to_owned()]),
            ]
        );
        let list = from_log(
            "2025-11-01",
            None,
            Some(&start),
            [LogStep { recorded_at: "t1", author: "ann", scenario: &edited }],
        );
        let draft = &list.changes[0];
        assert_eq!(
            (draft.change, draft.fields.clone()),
            ("changed", vec!["cites".to_owned(), "points".to_owned()])
        );
        assert_eq!(
            draft.points,
            [
                PointChange { id: "p1".into(), change: "changed" },
                PointChange { id: "p2".into(), change: "added" }
            ]
        );
        assert_eq!(draft.sources, ["minutes"]);
        let text = render_terminal(&list);
        assert!(text.contains("  changed  d: D\n           fields: cites, points\n           points: p1 changed, p2 added\n"), "{text}");
        let nothing = from_log("2025-11-01", None, Some(&start), []);
        assert!(nothing.changes.is_empty());
    }

    #[test]
    fn a_file_lists_its_records_dated_within_the_window() {
        let scenario = read(&format!(
            "{BASE}\n[[positions]]\nparty = \"a\"\nissue = \"i\"\ndate = 2025-11-21\nstances = {{ x = \"preferred\" }}\n\n[[positions]]\nparty = \"a\"\nissue = \"i\"\ndate = 2025-12-02\nstances = {{ y = \"preferred\" }}\n"
        ));
        let ids = |list: &ChangeList| {
            list.changes.iter().map(|change| change.id.clone()).collect::<Vec<_>>()
        };
        assert_eq!(
            ids(&from_dates(&scenario, "2025-11-21", Some("2025-11-30"))),
            ["a/i/2025-11-21"]
        );
        assert_eq!(ids(&from_dates(&scenario, "2025-11-22", None)), ["a/i/2025-12-02"]);
        assert!(from_dates(&scenario, "2025-12-03", None).changes.is_empty());
    }
}
