//! Records in the scenario file's own shapes (docs/scenario-format.md), as JSON: what the
//! draft difference and the list of changes compare and show, so that a field reads the same
//! in a file, in the API and in these views.

use parley_model::Id;
use parley_model::scenario::Scenario;
use parley_model::scenario_file::{Fragment, write_fragment};
use serde_json::{Map, Value};

/// Every collection of a scenario (not its header nor its scale) in the file's shapes:
/// `{"sources": [...], "drafts": [...], ...}`, empty collections left out.
pub fn records_json(scenario: &Scenario) -> Map<String, Value> {
    let fragment = Fragment {
        scenario: Scenario { scale: scenario.scale.clone(), ..scenario.clone() },
        has_header: false,
        has_scale: false,
    };
    let text = write_fragment(&fragment);
    let table: toml::Table = toml::from_str(&text).expect("a written fragment reads back");
    table.into_iter().map(|(key, value)| (key, toml_to_json(value))).collect()
}

/// One draft in the file's shape, if the scenario has it.
pub fn draft_json(scenario: &Scenario, id: &Id) -> Option<Value> {
    let draft = scenario.drafts.iter().find(|draft| draft.id == *id)?;
    let part = Scenario {
        scale: scenario.scale.clone(),
        drafts: vec![draft.clone()],
        ..Scenario::default()
    };
    match records_json(&part).remove("drafts") {
        Some(Value::Array(mut list)) if list.len() == 1 => list.pop(),
        _ => None,
    }
}

fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(text) => Value::String(text),
        toml::Value::Integer(number) => Value::from(number),
        toml::Value::Float(number) => Value::from(number),
        toml::Value::Boolean(flag) => Value::Bool(flag),
        toml::Value::Datetime(date) => Value::String(date.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table.into_iter().map(|(key, value)| (key, toml_to_json(value))).collect(),
        ),
    }
}
