//! The difference between two drafts, as the server's API answers it, its drafts page shows
//! it and `parley diff` prints it: the fields that changed, and the points side by side,
//! matched through the later draft's lineage (what became of the earlier draft's points) and
//! otherwise by id. Drafts are compared in the scenario file's shapes (docs/scenario-format.md).

use parley_model::Id;
use parley_model::scenario::{Fate, PointSelection, Scenario};
use serde::Serialize;
use serde_json::Value;

use crate::Error;
use crate::records::draft_json;

/// Two drafts compared.
#[derive(Serialize, Debug, Clone, PartialEq, schemars::JsonSchema)]
pub struct DraftDiff {
    /// The earlier draft, as the file format writes it (without its points).
    pub from: Value,
    /// The later draft, likewise.
    pub to: Value,
    /// The fields (other than points and lineage) whose values differ.
    pub fields: Vec<FieldChange>,
    /// The points, side by side.
    pub points: Vec<PointPair>,
}

/// A field that differs.
#[derive(Serialize, Debug, Clone, PartialEq, schemars::JsonSchema)]
pub struct FieldChange {
    /// The field's name in the file's shape.
    pub field: String,
    /// Its value in the earlier draft, if it has one.
    pub from: Option<Value>,
    /// Its value in the later draft, if it has one.
    pub to: Option<Value>,
}

/// A point of either draft and its counterpart in the other.
#[derive(Serialize, Debug, Clone, PartialEq, schemars::JsonSchema)]
pub struct PointPair {
    /// `same`, `changed`, `added` (only in the later draft), `removed` (only in the earlier) or
    /// `unknown` (only in the earlier, and the lineage says its fate is not known).
    pub status: &'static str,
    /// The lineage's word for it, when the later draft records one (`kept`, `amended`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fate: Option<&'static str>,
    /// The point in the earlier draft, in the file's shape.
    pub from: Option<Value>,
    /// The point in the later draft, in the file's shape.
    pub to: Option<Value>,
}

fn points_of(draft: &mut Value) -> Vec<Value> {
    let Value::Object(map) = draft else { return Vec::new() };
    map.remove("lineage");
    match map.remove("points") {
        Some(Value::Array(points)) => points,
        _ => Vec::new(),
    }
}

fn point_id(point: &Value) -> Option<&str> {
    point.get("id").and_then(Value::as_str)
}

/// Compares two drafts of a scenario (as the caller may see it: the caller passes the
/// scenario `visible_to` gives).
///
/// # Errors
///
/// [`Error::UnknownDraft`] when either id names no draft of the scenario.
pub fn draft_diff(scenario: &Scenario, from: &str, to: &str) -> Result<DraftDiff, Error> {
    let draft = |text: &str| {
        Id::parse(text)
            .ok()
            .and_then(|id| draft_json(scenario, &id).map(|json| (id, json)))
            .ok_or_else(|| Error::UnknownDraft {
                id: text.to_owned(),
                suggestion: parley_model::suggest::did_you_mean(
                    text,
                    scenario.drafts.iter().map(|draft| draft.id.as_str()),
                ),
            })
    };
    let (from_id, mut from_json) = draft(from)?;
    let (to_id, mut to_json) = draft(to)?;
    let from_points = points_of(&mut from_json);
    let to_points = points_of(&mut to_json);

    let mut fields = Vec::new();
    let keys: Vec<&String> = {
        let mut keys: Vec<&String> =
            from_json.as_object().into_iter().flat_map(|map| map.keys()).collect();
        for key in to_json.as_object().into_iter().flat_map(|map| map.keys()) {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        keys
    };
    for key in keys {
        if key == "id" {
            continue;
        }
        let (before, after) = (from_json.get(key), to_json.get(key));
        if before != after {
            fields.push(FieldChange {
                field: key.clone(),
                from: before.cloned(),
                to: after.cloned(),
            });
        }
    }

    // What the later draft's lineage says became of the earlier draft's points.
    let later = scenario.drafts.iter().find(|draft| draft.id == to_id);
    let mut fates: Vec<(String, Fate, Option<String>)> = Vec::new();
    let mut rest_fate = None;
    for entry in
        later.into_iter().flat_map(|draft| &draft.lineage).filter(|entry| entry.parent == from_id)
    {
        match &entry.points {
            PointSelection::Listed(ids) => {
                for id in ids {
                    fates.push((
                        id.to_string(),
                        entry.fate,
                        entry.into.as_ref().map(ToString::to_string),
                    ));
                }
            }
            PointSelection::Rest => rest_fate = Some(entry.fate),
        }
    }

    let mut points = Vec::new();
    let mut matched_later = vec![false; to_points.len()];
    for point in &from_points {
        let id = point_id(point).unwrap_or_default();
        let recorded = fates.iter().find(|(point, _, _)| point == id);
        let fate = recorded.map(|(_, fate, _)| *fate).or(rest_fate);
        let target = match recorded {
            Some((_, _, Some(into))) => Some(into.as_str()),
            Some((_, _, None)) => None,
            None if matches!(fate, Some(Fate::Dropped)) => None,
            None => Some(id),
        };
        let counterpart = target.and_then(|target| {
            to_points.iter().position(|candidate| point_id(candidate) == Some(target))
        });
        match counterpart {
            Some(index) => {
                matched_later[index] = true;
                let later = &to_points[index];
                let same = strip_id(point) == strip_id(later);
                points.push(PointPair {
                    status: if same { "same" } else { "changed" },
                    fate: fate.map(Fate::as_str),
                    from: Some(point.clone()),
                    to: Some(later.clone()),
                });
            }
            None => points.push(PointPair {
                status: if fate == Some(Fate::Unknown) { "unknown" } else { "removed" },
                fate: fate.map(Fate::as_str),
                from: Some(point.clone()),
                to: None,
            }),
        }
    }
    for (point, matched) in to_points.iter().zip(matched_later) {
        if !matched {
            points.push(PointPair {
                status: "added",
                fate: None,
                from: None,
                to: Some(point.clone()),
            });
        }
    }
    Ok(DraftDiff { from: from_json, to: to_json, fields, points })
}

fn strip_id(point: &Value) -> Value {
    let mut point = point.clone();
    if let Value::Object(map) = &mut point {
        map.remove("id");
    }
    point
}

/// The difference as plain text for a terminal: the fields that differ, then each point with
/// its status (and the lineage's word), the earlier text marked `-` and the later `+`. The
/// caller escapes control characters before printing.
pub fn render_terminal(diff: &DraftDiff) -> String {
    let mut out = String::new();
    let heading = |draft: &Value| {
        let id = draft.get("id").map(value_text).unwrap_or_default();
        match draft.get("title") {
            Some(title) => format!("'{id}' ({})", value_text(title)),
            None => format!("'{id}'"),
        }
    };
    out.push_str(&format!("Drafts {} → {}\n\n", heading(&diff.from), heading(&diff.to)));
    if diff.fields.is_empty() {
        out.push_str("No field other than the points differs.\n");
    } else {
        out.push_str("Fields that differ:\n");
        for field in &diff.fields {
            let side =
                |value: &Option<Value>| value.as_ref().map_or("(none)".to_owned(), value_text);
            out.push_str(&format!(
                "  {}: {} → {}\n",
                field.field,
                side(&field.from),
                side(&field.to)
            ));
        }
    }
    let statuses = ["changed", "same", "added", "removed", "unknown"];
    let counts: Vec<String> = statuses
        .iter()
        .filter_map(|status| {
            let n = diff.points.iter().filter(|pair| pair.status == *status).count();
            (n > 0).then(|| format!("{n} {status}"))
        })
        .collect();
    if diff.points.is_empty() {
        out.push_str("\nNeither draft lists points.\n");
        return out;
    }
    out.push_str(&format!("\nPoints: {}\n", counts.join(", ")));
    for pair in &diff.points {
        let id = |point: &Option<Value>| {
            point.as_ref().and_then(|point| point.get("id")).map(value_text)
        };
        let ids = match (id(&pair.from), id(&pair.to)) {
            (Some(from), Some(to)) if from != to => format!("{from} → {to}"),
            (Some(id), _) | (None, Some(id)) => id,
            (None, None) => String::new(),
        };
        let fate = pair.fate.map_or_else(String::new, |fate| format!(" ({fate})"));
        out.push_str(&format!("  {}{fate}  {ids}\n", pair.status));
        if pair.status != "same" {
            if let Some(point) = &pair.from {
                out.push_str(&format!("    - {}\n", point_text(point)));
            }
            if let Some(point) = &pair.to {
                out.push_str(&format!("    + {}\n", point_text(point)));
            }
        }
    }
    out
}

/// A point as it reads: its text, then its other fields (`issue = x`, `option = y`, ...).
fn point_text(point: &Value) -> String {
    let Value::Object(map) = point else { return value_text(point) };
    let mut text = map.get("text").map(value_text).unwrap_or_default();
    let rest: Vec<String> = map
        .iter()
        .filter(|(key, _)| !matches!(key.as_str(), "id" | "text"))
        .map(|(key, value)| format!("{key} = {}", value_text(value)))
        .collect();
    if !rest.is_empty() {
        text.push_str(&format!(" [{}]", rest.join("; ")));
    }
    text
}

/// A field's value as it reads: strings bare, lists joined, anything else as compact JSON.
fn value_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(items) if items.iter().all(Value::is_string) => {
            items.iter().map(value_text).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revision_shows_its_changes_side_by_side() {
        let text = r#"
[scenario]
id = "t"
title = "T"

[[parties]]
id = "a"
name = "A"
role = "principal"

[[issues]]
id = "i"
title = "I"
category = "territory"
options = [{ id = "x", label = "X" }, { id = "y", label = "Y" }]

[[drafts]]
id = "d1"
title = "First"
status = "superseded"
points = [
  { id = "p1", text = "one", issue = "i", option = "x" },
  { id = "p2", text = "two" },
  { id = "p3", text = "three" },
]

[[drafts]]
id = "d2"
title = "Second"
status = "under-discussion"
parents = ["d1"]
points = [
  { id = "q1", text = "one", issue = "i", option = "y" },
  { id = "p2", text = "two" },
  { id = "q4", text = "four" },
]
lineage = [
  { parent = "d1", points = ["p1"], fate = "amended", into = "q1" },
  { parent = "d1", points = ["p2"], fate = "kept", into = "p2" },
  { parent = "d1", points = ["p3"], fate = "dropped" },
]
"#;
        let loaded = parley_model::scenario_file::read_scenario(text);
        let scenario =
            loaded.scenario.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics)).into_scenario();
        let diff = draft_diff(&scenario, "d1", "d2").unwrap();
        let statuses: Vec<(&str, Option<&str>)> =
            diff.points.iter().map(|pair| (pair.status, pair.fate)).collect();
        assert_eq!(
            statuses,
            [
                ("changed", Some("amended")),
                ("same", Some("kept")),
                ("removed", Some("dropped")),
                ("added", None)
            ]
        );
        assert!(diff.fields.iter().any(|field| field.field == "title"));
        assert!(diff.fields.iter().any(|field| field.field == "parents"));
        assert_eq!(
            draft_diff(&scenario, "d1", "dd2").unwrap_err().to_string(),
            "no draft 'dd2' (did you mean 'd2'?)"
        );
        let text = render_terminal(&diff);
        assert!(text.contains("changed (amended)  p1 → q1"), "{text}");
        assert!(text.contains("    + one [issue = i; option = y]"), "{text}");
        assert!(text.contains("removed (dropped)  p3\n    - three\n"), "{text}");
        assert!(text.contains("Points: 1 changed, 1 same, 1 added, 1 removed"), "{text}");
    }

    #[test]
    fn points_whose_fate_is_not_known_are_not_called_removed() {
        let scenario =
            parley_model::scenario_file::read_scenario(parley_model::builtin::TALKS_2025_TOML)
                .scenario
                .expect("the built-in scenario is valid")
                .into_scenario();
        let diff = draft_diff(&scenario, "us-plan-early", "florida-20").unwrap();
        assert!(!diff.points.is_empty());
        assert!(
            diff.points.iter().all(|pair| pair.status == "unknown" && pair.fate == Some("unknown"))
        );
    }
}
