//! Entities over the API, in the scenario file's own shapes (docs/scenario-format.md) written
//! as JSON: what a client reads from `GET /api/v1/drafts/{id}` it can change and send back
//! with `PUT`. A body is turned into a fragment of a scenario file and read by the same reader
//! as files, so it meets the same checks and gets the same messages.
//!
//! Who may write what is decided here too ([`authorize`]): mediators anything; a party's
//! delegates their party's positions, claims and drafts, meetings of the tracks it sits on,
//! and new sources, each only where they may see it in full; observers nothing.

use parley_model::Id;
use parley_model::access::Viewer;
use parley_model::change::Collection;
use parley_model::scenario::{Scenario, Visibility};
use parley_model::scenario_file::{Fragment, read_fragment, write_fragment};
use serde_json::{Map, Value};

use crate::error::ApiError;

/// A collection the API serves: the removable ones and positions. Constraint utilities,
/// named by their party rather than an id of their own, are not served yet: [`Kind::ALL`]
/// leaves them out, so no route reads or writes them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    /// An entity with an id.
    Entity(Collection),
    /// Positions: keyed by party, issue and date.
    Positions,
}

impl Kind {
    /// Every collection the API serves, in the file's order.
    pub(crate) const ALL: [Kind; 8] = [
        Kind::Entity(Collection::Sources),
        Kind::Entity(Collection::Parties),
        Kind::Entity(Collection::Issues),
        Kind::Entity(Collection::Tracks),
        Kind::Entity(Collection::Meetings),
        Kind::Entity(Collection::Drafts),
        Kind::Positions,
        Kind::Entity(Collection::Claims),
    ];

    /// The collection's key in files and URLs.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Kind::Entity(collection) => collection.as_str(),
            Kind::Positions => "positions",
        }
    }

    /// One entity, for messages.
    pub(crate) fn singular(self) -> &'static str {
        match self {
            Kind::Entity(Collection::Sources) => "source",
            Kind::Entity(Collection::Parties) => "party",
            Kind::Entity(Collection::Issues) => "issue",
            Kind::Entity(Collection::Tracks) => "track",
            Kind::Entity(Collection::Meetings) => "meeting",
            Kind::Entity(Collection::Drafts) => "draft",
            Kind::Entity(Collection::Claims) => "claim",
            Kind::Entity(Collection::ConstraintUtilities) => "constraint utility",
            Kind::Positions => "position",
        }
    }

    /// The singular with its article: "a draft", "an issue".
    pub(crate) fn with_article(self) -> String {
        let singular = self.singular();
        let article = if singular.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        format!("{article} {singular}")
    }

    /// The number of entities of this kind in a scenario.
    pub(crate) fn len(self, scenario: &Scenario) -> usize {
        match self {
            Kind::Entity(Collection::Sources) => scenario.sources.len(),
            Kind::Entity(Collection::Parties) => scenario.parties.len(),
            Kind::Entity(Collection::Issues) => scenario.issues.len(),
            Kind::Entity(Collection::Tracks) => scenario.tracks.len(),
            Kind::Entity(Collection::Meetings) => scenario.meetings.len(),
            Kind::Entity(Collection::Drafts) => scenario.drafts.len(),
            Kind::Entity(Collection::Claims) => scenario.claims.len(),
            Kind::Entity(Collection::ConstraintUtilities) => scenario.constraint_utilities.len(),
            Kind::Positions => scenario.positions.len(),
        }
    }
}

/// The ids of a collection's entities, in order.
pub(crate) fn ids(scenario: &Scenario, collection: Collection) -> Vec<&Id> {
    match collection {
        Collection::Sources => scenario.sources.iter().map(|entity| &entity.id).collect(),
        Collection::Parties => scenario.parties.iter().map(|entity| &entity.id).collect(),
        Collection::Issues => scenario.issues.iter().map(|entity| &entity.id).collect(),
        Collection::Tracks => scenario.tracks.iter().map(|entity| &entity.id).collect(),
        Collection::Meetings => scenario.meetings.iter().map(|entity| &entity.id).collect(),
        Collection::Drafts => scenario.drafts.iter().map(|entity| &entity.id).collect(),
        Collection::Claims => scenario.claims.iter().map(|entity| &entity.id).collect(),
        Collection::ConstraintUtilities => {
            scenario.constraint_utilities.iter().map(|entity| &entity.party).collect()
        }
    }
}

/// The entities of one collection (all, or those `keep` accepts by index) as a fragment.
fn fragment_of(scenario: &Scenario, kind: Kind, keep: impl Fn(usize) -> bool) -> Fragment {
    fn pick<T: Clone>(items: &[T], keep: &impl Fn(usize) -> bool) -> Vec<T> {
        items
            .iter()
            .enumerate()
            .filter(|(idx, _)| keep(*idx))
            .map(|(_, item)| item.clone())
            .collect()
    }
    let mut part = Scenario { scale: scenario.scale.clone(), ..Scenario::default() };
    match kind {
        Kind::Entity(Collection::Sources) => part.sources = pick(&scenario.sources, &keep),
        Kind::Entity(Collection::Parties) => part.parties = pick(&scenario.parties, &keep),
        Kind::Entity(Collection::Issues) => part.issues = pick(&scenario.issues, &keep),
        Kind::Entity(Collection::Tracks) => part.tracks = pick(&scenario.tracks, &keep),
        Kind::Entity(Collection::Meetings) => part.meetings = pick(&scenario.meetings, &keep),
        Kind::Entity(Collection::Drafts) => part.drafts = pick(&scenario.drafts, &keep),
        Kind::Entity(Collection::Claims) => part.claims = pick(&scenario.claims, &keep),
        Kind::Entity(Collection::ConstraintUtilities) => {
            part.constraint_utilities = pick(&scenario.constraint_utilities, &keep)
        }
        Kind::Positions => part.positions = pick(&scenario.positions, &keep),
    }
    Fragment { scenario: part, has_header: false, has_scale: false }
}

/// A collection's entities as JSON, in the file's shapes.
pub(crate) fn list_json(scenario: &Scenario, kind: Kind) -> Value {
    let fragment = fragment_of(scenario, kind, |_| true);
    match fragment_json(&fragment).remove(kind.key()) {
        Some(list @ Value::Array(_)) => list,
        _ => Value::Array(Vec::new()),
    }
}

/// One entity as JSON, `None` when the scenario has none with that id.
pub(crate) fn entity_json(scenario: &Scenario, collection: Collection, id: &Id) -> Option<Value> {
    let index = ids(scenario, collection).iter().position(|candidate| *candidate == id)?;
    let fragment = fragment_of(scenario, Kind::Entity(collection), |idx| idx == index);
    match fragment_json(&fragment).remove(collection.as_str()) {
        Some(Value::Array(mut list)) if list.len() == 1 => list.pop(),
        _ => None,
    }
}

/// A fragment written as the file format, then as JSON.
fn fragment_json(fragment: &Fragment) -> Map<String, Value> {
    let text = write_fragment(fragment);
    let table: toml::Table = toml::from_str(&text).expect("a written fragment reads back");
    table.into_iter().map(|(key, value)| (key, toml_to_json(value))).collect()
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

/// A JSON value as TOML; JSON's `null` has no TOML counterpart, so it is refused with the
/// field's path.
fn json_to_toml(value: &Value, path: &str) -> Result<toml::Value, ApiError> {
    Ok(match value {
        Value::Null => {
            return Err(ApiError::bad_request(
                path,
                format!("'{path}' is null: leave the field out instead"),
            ));
        }
        Value::Bool(flag) => toml::Value::Boolean(*flag),
        Value::Number(number) => match number.as_i64() {
            Some(integer) => toml::Value::Integer(integer),
            None => toml::Value::Float(number.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(text) => toml::Value::String(text.clone()),
        Value::Array(items) => toml::Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(idx, item)| json_to_toml(item, &format!("{path}[{idx}]")))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => toml::Value::Table(
            map.iter()
                .map(|(key, item)| {
                    let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                    Ok((key.clone(), json_to_toml(item, &child)?))
                })
                .collect::<Result<_, ApiError>>()?,
        ),
    })
}

/// Reads one entity of a collection from a JSON body, through the scenario file's reader.
pub(crate) fn parse_entity(kind: Kind, body: &Value) -> Result<Fragment, ApiError> {
    let Value::Object(_) = body else {
        return Err(ApiError::bad_request(
            "",
            format!("expected a JSON object: one {} in the scenario file's shape", kind.singular()),
        ));
    };
    let entity = json_to_toml(body, "")?;
    let mut table = toml::Table::new();
    table.insert(kind.key().to_owned(), toml::Value::Array(vec![entity]));
    let text = toml::to_string(&table).map_err(|error| {
        ApiError::bad_request(
            "",
            format!("the body cannot be read as {}: {error}", kind.with_article()),
        )
    })?;
    let prefix = format!("{}[0]", kind.key());
    let fragment = read_fragment(&text)
        .map_err(|diagnostics| ApiError::invalid(&diagnostics, Some(&prefix)))?;
    if kind.len(&fragment.scenario) != 1 {
        return Err(ApiError::bad_request("", format!("expected one {}", kind.singular())));
    }
    Ok(fragment)
}

/// The id of the one entity of a fragment.
pub(crate) fn fragment_id(fragment: &Fragment, collection: Collection) -> Option<Id> {
    ids(&fragment.scenario, collection).first().map(|id| (*id).clone())
}

/// A fresh id for a new entity: the collection's singular and random hex digits.
pub(crate) fn new_id(kind: Kind) -> Id {
    let mut bytes = [0u8; 5];
    // Ids need to be unique, not secret: should the system give no random bytes, the clock's
    // do.
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = jiff::Timestamp::now().as_nanosecond().to_le_bytes();
        bytes.copy_from_slice(&nanos[..5]);
    }
    Id::parse(&format!("{}-{}", kind.singular(), hex::encode(bytes))).expect("a valid id")
}

/// Sets a body's id (a new entity's, or the one in the URL).
pub(crate) fn set_id(body: &mut Value, id: &Id) {
    if let Value::Object(map) = body {
        map.insert("id".to_owned(), Value::String(id.to_string()));
    }
}

/// Whether a viewer may write this entity (the new version, and the one it replaces when it
/// replaces one), as far as roles go; the record's own rules are checked after.
pub(crate) fn authorize(
    viewer: &Viewer,
    view: &Scenario,
    kind: Kind,
    new: &Scenario,
    replaced: bool,
) -> Result<(), ApiError> {
    let party = match viewer {
        Viewer::Mediator => return Ok(()),
        Viewer::Observer => return Err(ApiError::forbidden("observers cannot record changes")),
        Viewer::Party(party) => party,
    };
    let sits_on = |track: &Id| {
        view.tracks
            .iter()
            .any(|candidate| &candidate.id == track && candidate.parties.contains(party))
    };
    let own = |owner: Option<&Id>| owner == Some(party);
    // A delegate writes only what it may see in full: a record shared with a track it does not
    // sit on would be written blind, and a meeting it sees redacted would lose its details.
    let sees = |visibility: &Visibility| match visibility {
        Visibility::Public | Visibility::Private => true,
        Visibility::Track(track) => sits_on(track),
    };
    let allowed = match kind {
        Kind::Positions => new
            .positions
            .iter()
            .all(|position| &position.party == party && sees(&position.visibility)),
        Kind::Entity(Collection::Claims) => {
            new.claims.iter().all(|claim| &claim.claimant == party && sees(&claim.visibility))
        }
        Kind::Entity(Collection::Drafts) => {
            new.drafts.iter().all(|draft| own(draft.author.as_ref()) && sees(&draft.visibility))
        }
        Kind::Entity(Collection::Meetings) => {
            new.meetings.iter().all(|meeting| sits_on(&meeting.track) && sees(&meeting.visibility))
        }
        Kind::Entity(Collection::ConstraintUtilities) => new
            .constraint_utilities
            .iter()
            .all(|utility| &utility.party == party && sees(&utility.visibility)),
        Kind::Entity(Collection::Sources) => !replaced,
        Kind::Entity(Collection::Parties | Collection::Issues | Collection::Tracks) => false,
    };
    if allowed {
        return Ok(());
    }
    Err(ApiError::forbidden(match kind {
        Kind::Positions => format!(
            "a delegate of '{party}' records positions of '{party}' only, visible to '{party}'"
        ),
        Kind::Entity(Collection::Claims) => format!(
            "a delegate of '{party}' records claims made by '{party}' only, visible to '{party}'"
        ),
        Kind::Entity(Collection::Drafts) => format!(
            "a delegate of '{party}' records drafts written by '{party}' only, visible to '{party}'"
        ),
        Kind::Entity(Collection::Meetings) => format!(
            "a delegate of '{party}' records meetings of tracks '{party}' sits on only, visible to '{party}'"
        ),
        Kind::Entity(Collection::ConstraintUtilities) => format!(
            "a delegate of '{party}' records the constraint utility of '{party}' only, visible to '{party}'"
        ),
        Kind::Entity(Collection::Sources) => {
            "a delegate can add sources, not change them".to_owned()
        }
        Kind::Entity(_) => format!("only a mediator can change {}", kind.key()),
    }))
}

/// The entity of a collection with an id, as a one-entity scenario (for [`authorize`]).
pub(crate) fn only(scenario: &Scenario, collection: Collection, id: &Id) -> Option<Scenario> {
    let index = ids(scenario, collection).iter().position(|candidate| *candidate == id)?;
    Some(fragment_of(scenario, Kind::Entity(collection), |idx| idx == index).scenario)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Scenario {
        crate::builtin_scenario()
    }

    #[test]
    fn an_entity_read_as_json_reads_back_the_same() {
        let scenario = builtin();
        for collection in Collection::ALL {
            for id in ids(&scenario, collection) {
                let json = entity_json(&scenario, collection, id).unwrap();
                let fragment = parse_entity(Kind::Entity(collection), &json).unwrap();
                assert_eq!(
                    fragment.scenario,
                    only(&scenario, collection, id).unwrap(),
                    "{collection:?} {id}"
                );
            }
        }
    }

    #[test]
    fn positions_read_as_json_read_back_the_same() {
        let scenario = builtin();
        let Value::Array(list) = list_json(&scenario, Kind::Positions) else { panic!("a list") };
        assert_eq!(list.len(), scenario.positions.len());
        for (json, position) in list.iter().zip(&scenario.positions) {
            let fragment = parse_entity(Kind::Positions, json).unwrap();
            assert_eq!(&fragment.scenario.positions[0], position);
        }
    }

    #[test]
    fn a_bad_body_names_the_field() {
        let body = serde_json::json!({ "party": "ukraine", "issue": "nato", "stance": 3 });
        let error = parse_entity(Kind::Positions, &body).unwrap_err();
        assert_eq!(error.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            error.problems.iter().any(|problem| problem.field.starts_with("stance")),
            "{error:?}"
        );
        let null = serde_json::json!({ "party": "ukraine", "note": null });
        let error = parse_entity(Kind::Positions, &null).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("note"));
        let error = parse_entity(Kind::Positions, &serde_json::json!([1])).unwrap_err();
        assert_eq!(error.status, axum::http::StatusCode::BAD_REQUEST);
    }

    #[test]
    fn delegates_write_their_own_records_only() {
        let scenario = builtin();
        let ukraine = Viewer::Party(Id::parse("ukraine").unwrap());
        let mut position = Scenario::default();
        position.positions.push(
            scenario.positions.iter().find(|p| p.party.as_str() == "ukraine").unwrap().clone(),
        );
        assert!(authorize(&ukraine, &scenario, Kind::Positions, &position, false).is_ok());
        let russia = Viewer::Party(Id::parse("russia").unwrap());
        let error = authorize(&russia, &scenario, Kind::Positions, &position, false).unwrap_err();
        assert_eq!(error.status, axum::http::StatusCode::FORBIDDEN);
        assert!(
            authorize(&Viewer::Observer, &scenario, Kind::Positions, &position, false).is_err()
        );
        assert!(authorize(&Viewer::Mediator, &scenario, Kind::Positions, &position, false).is_ok());
        let parties = only(&scenario, Collection::Parties, &Id::parse("ukraine").unwrap()).unwrap();
        assert!(
            authorize(&ukraine, &scenario, Kind::Entity(Collection::Parties), &parties, true)
                .is_err()
        );
    }
}
