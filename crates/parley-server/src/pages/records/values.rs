//! From a form's inputs to the entity in the file's shape, and back: [`build`] reads what was
//! sent along the form's [`Item`]s (blank rows left out, the rows that remain numbered from
//! 0), [`flatten`] writes an entity as the inputs that show it. A form sent back with a problem
//! shows `flatten(build(sent))`, so the rows and the paths of the problems agree.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::spec::{Control, Field, Item};
use crate::pages::forms::Fields;

/// The entity the inputs describe.
pub(crate) fn build(items: &[Item], fields: &Fields) -> Value {
    let mut map = Map::new();
    build_items(items, "", fields, &mut map);
    // A visibility is chosen as `track:ID`; the file writes `{ track = "ID" }`.
    if let Some(Value::String(text)) = map.get("visibility")
        && let Some(track) = text.strip_prefix("track:")
    {
        let track = track.to_owned();
        map.insert("visibility".to_owned(), serde_json::json!({ "track": track }));
    }
    Value::Object(map)
}

fn build_items(items: &[Item], prefix: &str, fields: &Fields, out: &mut Map<String, Value>) {
    for item in items {
        match item {
            Item::Field(field) => {
                if let Some(value) = field_value(field, &format!("{prefix}{}", field.name), fields)
                {
                    insert(out, &field.name, value);
                }
            }
            Item::Part { items, .. } => build_items(items, prefix, fields, out),
            Item::Group(group) => {
                let full = format!("{prefix}{}", group.name);
                let rows: Vec<Value> = row_indices(fields, &full)
                    .into_iter()
                    .filter_map(|idx| {
                        let mut row = Map::new();
                        build_items(&group.items, &format!("{full}[{idx}]."), fields, &mut row);
                        (!row.is_empty()).then_some(Value::Object(row))
                    })
                    .collect();
                if !rows.is_empty() {
                    insert(out, &group.name, Value::Array(rows));
                }
            }
        }
    }
}

/// The indices of a group's rows that were sent (`points[3].text` gives 3).
pub(crate) fn row_indices(fields: &Fields, full: &str) -> BTreeSet<usize> {
    let head = format!("{full}[");
    fields
        .0
        .iter()
        .filter_map(|(name, _)| {
            let rest = name.strip_prefix(&head)?;
            let (digits, after) = rest.split_once(']')?;
            after.starts_with('.').then(|| digits.parse().ok()).flatten()
        })
        .collect()
}

fn field_value(field: &Field, full: &str, fields: &Fields) -> Option<Value> {
    let strings = |items: Vec<&str>| -> Option<Value> {
        (!items.is_empty()).then(|| Value::Array(items.into_iter().map(Value::from).collect()))
    };
    match &field.control {
        Control::Text | Control::Date | Control::Area | Control::Select(_) | Control::Fixed(_) => {
            fields.get(full).map(Value::from)
        }
        Control::Number | Control::Suggest(_) => fields.get(full).map(|text| {
            if let Ok(integer) = text.parse::<i64>() {
                Value::from(integer)
            } else if let Some(number) = text.parse::<f64>().ok().filter(|n| n.is_finite()) {
                Value::from(number)
            } else {
                Value::from(text)
            }
        }),
        Control::Checks(_) => strings(fields.all(full).collect()),
        Control::List => fields.get(full).and_then(|text| {
            if text == "rest" {
                return Some(Value::from(text));
            }
            strings(text.split(',').map(str::trim).filter(|item| !item.is_empty()).collect())
        }),
        Control::Pairs => fields.get(full).and_then(|text| {
            let pairs: Vec<Value> = text
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(|line| {
                    let numbers: Vec<f64> = line
                        .split([' ', ',', '\t'])
                        .filter(|word| !word.is_empty())
                        .filter_map(|word| word.parse().ok())
                        .collect();
                    match numbers[..] {
                        [number, value] => serde_json::json!([number, value]),
                        // Not two numbers: sent as typed, for the reader to say what it expected.
                        _ => Value::from(line),
                    }
                })
                .collect();
            (!pairs.is_empty()).then_some(Value::Array(pairs))
        }),
        Control::Lines => fields.get(full).and_then(|text| {
            strings(text.lines().map(str::trim).filter(|line| !line.is_empty()).collect())
        }),
    }
}

/// Sets a value at a dotted path (`date.precision`), making the tables on the way; a value
/// in the way (a consent's keyword when issues are ticked) gives way to the table.
fn insert(map: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            map.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let entry = map.entry(head.to_owned()).or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            if let Value::Object(inner) = entry {
                insert(inner, rest, value);
            }
        }
    }
}

fn lookup<'a>(map: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    match path.split_once('.') {
        None => map.get(path),
        Some((head, rest)) => lookup(map.get(head)?.as_object()?, rest),
    }
}

/// The inputs that show an entity (as the API gives it).
pub(crate) fn flatten(items: &[Item], entity: &Value) -> Fields {
    let mut entity = entity.clone();
    normalize(&mut entity);
    let mut out = Vec::new();
    if let Value::Object(map) = &entity {
        flatten_items(items, "", map, &mut out);
    }
    Fields(out)
}

/// The file's short forms written out, as the inputs have them: a plain date as a table, a
/// citation `source#section` as a table, a track's visibility as `track:ID`.
fn normalize(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                match (key.as_str(), &*item) {
                    // A date's own table holds a `date` too: it is not looked into.
                    ("date", Value::String(text)) => {
                        *item = serde_json::json!({ "date": text });
                        continue;
                    }
                    ("date", _) => continue,
                    ("visibility", Value::Object(inner)) => {
                        if let Some(Value::String(track)) = inner.get("track") {
                            *item = Value::from(format!("track:{track}"));
                        }
                    }
                    ("cites", Value::Array(cites)) => {
                        let cites = cites
                            .iter()
                            .map(|cite| match cite {
                                Value::String(text) => match text.split_once('#') {
                                    Some((source, section)) => {
                                        serde_json::json!({ "source": source, "section": section })
                                    }
                                    None => serde_json::json!({ "source": text }),
                                },
                                other => other.clone(),
                            })
                            .collect();
                        *item = Value::Array(cites);
                    }
                    _ => {}
                }
                normalize(item);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(normalize),
        _ => {}
    }
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

fn flatten_items(
    items: &[Item],
    prefix: &str,
    map: &Map<String, Value>,
    out: &mut Vec<(String, String)>,
) {
    for item in items {
        match item {
            Item::Field(field) => {
                let full = format!("{prefix}{}", field.name);
                let Some(value) = lookup(map, &field.name) else { continue };
                let list = |separator: &str| match value {
                    Value::Array(items) => {
                        Some(items.iter().filter_map(text_of).collect::<Vec<_>>().join(separator))
                    }
                    other => text_of(other),
                };
                let texts: Vec<String> = match (&field.control, value) {
                    (Control::Checks(_), Value::Array(items)) => {
                        items.iter().filter_map(text_of).collect()
                    }
                    (Control::List, _) => list(", ").into_iter().collect(),
                    (Control::Lines, _) => list("\n").into_iter().collect(),
                    (Control::Pairs, Value::Array(pairs)) => {
                        let lines: Vec<String> = pairs
                            .iter()
                            .map(|pair| match pair {
                                Value::Array(numbers) => {
                                    numbers.iter().filter_map(text_of).collect::<Vec<_>>().join(" ")
                                }
                                other => text_of(other).unwrap_or_default(),
                            })
                            .collect();
                        vec![lines.join("\n")]
                    }
                    // A table where a keyword is chosen (a consent for some issues): its key.
                    (Control::Select(_), Value::Object(inner)) => {
                        inner.keys().next().cloned().into_iter().collect()
                    }
                    (_, value) => text_of(value).into_iter().collect(),
                };
                out.extend(texts.into_iter().map(|text| (full.clone(), text)));
            }
            Item::Part { items, .. } => flatten_items(items, prefix, map, out),
            Item::Group(group) => {
                let full = format!("{prefix}{}", group.name);
                if let Some(Value::Array(rows)) = lookup(map, &group.name) {
                    for (idx, row) in rows.iter().enumerate() {
                        if let Value::Object(row) = row {
                            flatten_items(&group.items, &format!("{full}[{idx}]."), row, out);
                        }
                    }
                }
            }
        }
    }
}

/// The input a problem's path (`points[1].issue`, `date`, `cites[0]`) is shown at: the input
/// of that name, else the first under it, else the nearest above it.
pub(crate) fn input_for(path: &str, names: &[String]) -> Option<String> {
    let mut path = path.to_owned();
    loop {
        if path.is_empty() {
            return None;
        }
        if let Some(name) = names.iter().find(|name| **name == path) {
            return Some(name.clone());
        }
        if let Some(name) = names.iter().find(|name| {
            name.strip_prefix(path.as_str()).is_some_and(|rest| rest.starts_with(['.', '[']))
        }) {
            return Some(name.clone());
        }
        let cut = path.rfind(['.', '[']).unwrap_or(0);
        path.truncate(cut);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::records::spec::{Choices, RecordKind};
    use parley_model::access::Viewer;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        Fields(
            pairs.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect(),
        )
    }

    #[test]
    fn a_draft_form_becomes_a_draft_and_blank_rows_are_left_out() {
        let scenario = crate::builtin_scenario();
        let spec = Choices::new(&Viewer::Mediator, &scenario).spec(RecordKind::Draft, None);
        let sent = fields(&[
            ("id", "florida-21"),
            ("title", "21 points"),
            ("date.date", "2025-12-04"),
            ("date.precision", "approximate"),
            ("status", "proposed"),
            ("parents", "florida-20"),
            ("point_count", "21"),
            ("visibility", "track:us-ukraine"),
            ("points[0].id", ""),
            ("points[0].text", ""),
            ("points[1].id", "land"),
            ("points[1].number", "3"),
            ("points[1].issue", "donbas"),
            ("points[1].brackets", "compromise, no-cession"),
            ("points[1].cites[0].source", "report"),
            ("points[1].cites[0].section", "Opening"),
            ("lineage[0].parent", "florida-20"),
            ("lineage[0].points", "rest"),
            ("lineage[0].fate", "amended"),
            ("rows:points", "2"),
        ]);
        let body = build(&spec, &sent);
        assert_eq!(
            body,
            serde_json::json!({
                "id": "florida-21", "title": "21 points",
                "date": { "date": "2025-12-04", "precision": "approximate" },
                "status": "proposed", "parents": ["florida-20"], "point_count": 21,
                "visibility": { "track": "us-ukraine" },
                "points": [{
                    "id": "land", "number": 3, "issue": "donbas",
                    "brackets": ["compromise", "no-cession"],
                    "cites": [{ "source": "report", "section": "Opening" }],
                }],
                "lineage": [{ "parent": "florida-20", "points": "rest", "fate": "amended" }],
            })
        );
        let shown = flatten(&spec, &body);
        assert!(
            shown
                .0
                .contains(&("points[0].brackets".to_owned(), "compromise, no-cession".to_owned()))
        );
        assert!(shown.0.contains(&("visibility".to_owned(), "track:us-ukraine".to_owned())));
        assert_eq!(build(&spec, &shown), body);
    }

    #[test]
    fn every_entity_of_the_builtin_case_reads_back_through_its_form() {
        let scenario = crate::builtin_scenario();
        let choices = Choices::new(&Viewer::Mediator, &scenario);
        for kind in RecordKind::ALL {
            for id in crate::entities::ids(&scenario, kind.collection().unwrap()) {
                let json = crate::entities::entity_json(&scenario, kind.collection().unwrap(), id)
                    .unwrap();
                let spec = choices.spec(kind, Some(id.as_str()));
                let body = build(&spec, &flatten(&spec, &json));
                let read = crate::entities::parse_entity(
                    crate::entities::Kind::Entity(kind.collection().unwrap()),
                    &body,
                )
                .unwrap_or_else(|error| panic!("{kind:?} {id}: {error:?}"));
                assert_eq!(
                    read.scenario,
                    crate::entities::only(&scenario, kind.collection().unwrap(), id).unwrap(),
                    "{kind:?} {id}"
                );
            }
        }
    }

    #[test]
    fn every_position_of_the_builtin_case_reads_back_through_its_form() {
        use crate::entities::{Kind, list_json, parse_entity};
        let scenario = crate::builtin_scenario();
        let spec = Choices::new(&Viewer::Mediator, &scenario).spec(RecordKind::Position, None);
        let Value::Array(list) = list_json(&scenario, Kind::Positions) else { panic!("a list") };
        assert_eq!(list.len(), scenario.positions.len());
        for (json, position) in list.iter().zip(&scenario.positions) {
            let body = build(&spec, &flatten(&spec, json));
            let read = parse_entity(Kind::Positions, &body)
                .unwrap_or_else(|error| panic!("{json}: {error:?}"));
            assert_eq!(&read.scenario.positions[0], position);
        }
    }

    #[test]
    fn problems_find_their_inputs() {
        let names: Vec<String> =
            ["title", "date.date", "date.precision", "cites[0].source", "points[1].issue"]
                .map(str::to_owned)
                .to_vec();
        assert_eq!(input_for("date", &names).as_deref(), Some("date.date"));
        assert_eq!(input_for("cites[0]", &names).as_deref(), Some("cites[0].source"));
        assert_eq!(input_for("points[1].issue", &names).as_deref(), Some("points[1].issue"));
        assert_eq!(input_for("date.precision", &names).as_deref(), Some("date.precision"));
        assert_eq!(input_for("title.x", &names).as_deref(), Some("title"));
        assert_eq!(input_for("scale", &names), None);
    }
}
