//! The difference between two drafts, as the API answers it and the drafts page shows it:
//! the fields that changed, and the points side by side, matched through the later draft's
//! lineage (what became of the earlier draft's points) and otherwise by id.

use parley_model::Id;
use parley_model::change::Collection;
use parley_model::scenario::{Fate, PointSelection, Scenario};
use serde::Serialize;
use serde_json::Value;

use crate::entities::entity_json;
use crate::error::ApiError;

/// Two drafts compared.
#[derive(Serialize, Debug, Clone, PartialEq, schemars::JsonSchema)]
pub(crate) struct DraftDiff {
    /// The earlier draft, as the file format writes it (without its points).
    #[schemars(schema_with = "crate::openapi::draft_schema")]
    pub(crate) from: Value,
    /// The later draft, likewise.
    #[schemars(schema_with = "crate::openapi::draft_schema")]
    pub(crate) to: Value,
    /// The fields (other than points and lineage) whose values differ.
    pub(crate) fields: Vec<FieldChange>,
    /// The points, side by side.
    pub(crate) points: Vec<PointPair>,
}

/// A field that differs.
#[derive(Serialize, Debug, Clone, PartialEq, schemars::JsonSchema)]
pub(crate) struct FieldChange {
    /// The field's name in the file format.
    pub(crate) field: String,
    /// Its value in the earlier draft; null when it has none.
    pub(crate) from: Option<Value>,
    /// Its value in the later draft; null when it has none.
    pub(crate) to: Option<Value>,
}

/// A point of either draft and its counterpart in the other.
#[derive(Serialize, Debug, Clone, PartialEq, schemars::JsonSchema)]
pub(crate) struct PointPair {
    /// `same`, `changed`, `added` (only in the later draft), `removed` (only in the earlier) or
    /// `unknown` (only in the earlier, and the lineage says its fate is not known).
    pub(crate) status: &'static str,
    /// The lineage's word for it, when the later draft records one (`kept`, `amended`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) fate: Option<&'static str>,
    /// The point in the earlier draft, as the file format writes it; null when `added`.
    pub(crate) from: Option<Value>,
    /// The point in the later draft; null when `removed` or `unknown`.
    pub(crate) to: Option<Value>,
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

/// Compares two drafts of a scenario (as the caller sees it).
pub(crate) fn draft_diff(scenario: &Scenario, from: &str, to: &str) -> Result<DraftDiff, ApiError> {
    let draft = |text: &str| {
        Id::parse(text)
            .ok()
            .and_then(|id| entity_json(scenario, Collection::Drafts, &id).map(|json| (id, json)))
            .ok_or_else(|| ApiError::not_found("draft", text))
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
        assert!(draft_diff(&scenario, "d1", "nope").is_err());
    }

    #[test]
    fn points_whose_fate_is_not_known_are_not_called_removed() {
        let scenario = crate::builtin_scenario();
        let diff = draft_diff(&scenario, "us-plan-early", "florida-20").unwrap();
        assert!(!diff.points.is_empty());
        assert!(
            diff.points.iter().all(|pair| pair.status == "unknown" && pair.fate == Some("unknown"))
        );
    }
}
