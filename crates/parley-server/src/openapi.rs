//! The OpenAPI 3.1 document of the JSON API, served at `/api/openapi.json`: built from the
//! same list of collections as the routes, so the two cannot drift apart, with every body's
//! schema generated (schemars) from the type the handler answers with (`bodies.rs`, the
//! report of parley-report, the draft difference) or, for records in the scenario file's
//! shape, from that file's types.

use axum::Json;
use parley_model::scenario_file::ID_PATTERN;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Map, Value, json};

use crate::bodies;
use crate::entities::Kind;

/// The generator of the answers' schemas: for the JSON as written (a field left out when
/// empty is not required), its definitions kept as the document's components.
fn generator() -> SchemaGenerator {
    schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .with(|settings| settings.definitions_path = "/components/schemas/".into())
        .into_generator()
}

/// The schema of an answer of type `T`: a reference to its component.
fn answer<T: JsonSchema + ?Sized>(generator: &mut SchemaGenerator) -> Value {
    generator.subschema_for::<T>().to_value()
}

/// The name of the component that holds a collection's record in the file's shape:
/// `drafts` → `DraftsRecord`.
fn record_component(key: &str) -> String {
    let mut name: String = key
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    name.push_str("Record");
    name
}

fn error_responses() -> Value {
    let error = json!({ "$ref": "#/components/responses/Error" });
    json!({ "400": error, "401": error, "403": error, "404": error, "429": error })
}

/// The answers of a read from the caller's view: the JSON, or 304 while the ETag holds.
fn read_responses(schema: Value) -> Value {
    let mut responses = error_responses();
    responses["200"] =
        json!({ "description": "OK", "content": { "application/json": { "schema": schema } } });
    responses["304"] =
        json!({ "description": "Not modified since the ETag sent in If-None-Match" });
    responses
}

fn read(summary: &str, tag: &str, schema: Value) -> Value {
    json!({ "summary": summary, "tags": [tag], "parameters": [{ "$ref": "#/components/parameters/AsOf" }], "responses": read_responses(schema) })
}

/// What `as_of` may be: empty (now), a date, or an RFC 3339 time.
const AS_OF_PATTERN: &str = r"^$|^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])(T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9]))?$";

/// What the API's JSON has no room for in a schema: JSON's `null` (a field is left out
/// instead; the server refuses `null`), and references into a schema's own `$defs` (they move
/// to the document's components).
fn without_nulls(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            if let Some(Value::Array(types)) = fields.get_mut("type") {
                types.retain(|kind| kind != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    fields.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(branches)) = fields.get_mut("anyOf") {
                branches.retain(|branch| branch.get("type").is_none_or(|kind| kind != "null"));
                if branches.len() == 1 {
                    let only = branches.remove(0);
                    fields.remove("anyOf");
                    if let Value::Object(only) = only {
                        fields.extend(only);
                    }
                }
            }
            if let Some(Value::String(target)) = fields.get_mut("$ref")
                && let Some(name) = target.strip_prefix("#/$defs/")
            {
                *target = format!("#/components/schemas/{name}");
            }
            fields.values_mut().for_each(without_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(without_nulls),
        _ => {}
    }
}

/// Which body an entity's schema is for.
#[derive(Clone, Copy, PartialEq)]
enum EntityBody {
    /// A new entity (POST): its id may be left out.
    New,
    /// A change (PUT): the id comes from the URL.
    Change,
    /// An answer: the entity as recorded, with its id.
    Answer,
}

/// The schema of one entity of a collection in the file's shape, and the definitions it
/// refers to.
fn entity_schema(key: &str, body: EntityBody) -> (Value, Map<String, Value>) {
    let mut schema = parley_model::scenario_file::entity_schema(key)
        .expect("every collection of the API has a schema");
    let definitions = match schema.as_object_mut().and_then(|fields| fields.remove("$defs")) {
        Some(Value::Object(definitions)) => definitions,
        _ => Map::new(),
    };
    if let Some(fields) = schema.as_object_mut() {
        fields.remove("$schema");
        fields.remove("title");
        // A new entity may leave out its id (the server assigns one); a change takes it from
        // the URL (a body's id must be the URL's, so it is best left out).
        if body != EntityBody::Answer
            && let Some(Value::Array(required)) = fields.get_mut("required")
        {
            required.retain(|field| field != "id");
        }
        if body == EntityBody::Change
            && let Some(Value::Object(properties)) = fields.get_mut("properties")
        {
            properties.remove("id");
        }
    }
    without_nulls(&mut schema);
    let mut definitions = Value::Object(definitions);
    without_nulls(&mut definitions);
    if body == EntityBody::Answer {
        as_recorded(&mut schema);
        as_recorded(&mut definitions);
    }
    let Value::Object(definitions) = definitions else { unreachable!("an object stays one") };
    if body == EntityBody::Answer {
        let definitions =
            definitions.into_iter().map(|(name, schema)| (format!("Recorded{name}"), schema));
        return (schema, definitions.collect());
    }
    (schema, definitions)
}

/// The days a request's date may name: up to the 28th, so that every date its schema allows
/// is one of every month (a request generated from the schema is never refused for a 30
/// February).
const REQUEST_DAYS: &str = "(0[1-9]|1[0-9]|2[0-8])";

/// The schema of a record as the server answers it: its dates may fall on any day of the
/// month, so its definitions are its own (`Recorded` before the name).
fn as_recorded(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            if let Some(Value::String(target)) = fields.get_mut("$ref")
                && let Some(name) = target.strip_prefix("#/components/schemas/")
            {
                *target = format!("#/components/schemas/Recorded{name}");
            }
            if let Some(Value::String(pattern)) = fields.get_mut("pattern") {
                *pattern = pattern.replace(REQUEST_DAYS, "(0[1-9]|[12][0-9]|3[01])");
            }
            fields.values_mut().for_each(as_recorded);
        }
        Value::Array(items) => items.iter_mut().for_each(as_recorded),
        _ => {}
    }
}

/// A write: `created` for POST (201 only); a PUT answers 200 for a changed entity and 201 for
/// one a mediator records under a new id.
fn write(summary: &str, tag: &str, created: bool, body: Value, answer: &Value) -> Value {
    let mut responses = error_responses();
    let recorded = json!({
        "description": "Recorded as a new event; the body holds the entity as the caller now sees it",
        "content": { "application/json": { "schema": {
            "type": "object",
            "required": ["entity"],
            "properties": {
                "event": { "type": "integer", "minimum": 1, "description": "The event's sequence number (for mediators only)" },
                "entity": answer,
            },
        } } },
    });
    responses["201"] = recorded.clone();
    if !created {
        responses["200"] = recorded;
    }
    let error = json!({ "$ref": "#/components/responses/Error" });
    for status in ["409", "413", "415", "422"] {
        responses[status] = error.clone();
    }
    json!({
        "summary": summary,
        "tags": [tag],
        "requestBody": { "required": true, "description": "The entity in the scenario file's shape (docs/scenario-format.md)", "content": { "application/json": { "schema": body } } },
        "responses": responses,
    })
}

/// The document.
pub(crate) fn document() -> Value {
    let mut generator = generator();
    let report = answer::<parley_report::schema::Report>(&mut generator);
    let mut paths = Map::new();
    paths.insert(
        "/api/v1/me".into(),
        // Who the caller is does not depend on a time: no `as_of`.
        json!({ "get": { "summary": "The signed-in user and role", "tags": ["session"], "responses": read_responses(answer::<bodies::Me>(&mut generator)) } }),
    );
    paths.insert("/api/v1/record".into(), json!({ "get": read("The record as the caller may see it, as a report (the JSON of `parley analyze --json`, without the analysis)", "record", report.clone()) }));
    paths.insert("/api/v1/analysis".into(), json!({ "get": read("The report with the analysis of the caller's view: zone, frontier, packages, blocking, drafts, robustness; cached per view", "analysis", report) }));
    paths.insert("/api/v1/stance-matrix".into(), json!({ "get": read("Each party's latest stance on each issue, and the blocking issues", "record", answer::<bodies::StanceMatrix<'static>>(&mut generator)) }));
    paths.insert(
        "/api/v1/timeline".into(),
        json!({ "get": read("Tracks and meetings in date order", "record", answer::<bodies::Timeline<'static>>(&mut generator)) }),
    );
    let mut events_responses = error_responses();
    events_responses["200"] = json!({ "description": "The events, in order", "content": { "application/json": { "schema": answer::<bodies::Events>(&mut generator) } } });
    paths.insert("/api/v1/events".into(), json!({ "get": {
        "summary": "The event log (mediators only): `after` (sequence number) and `limit` (at most 1000)",
        "tags": ["log"],
        "parameters": [
            { "name": "after", "in": "query", "schema": { "type": "integer", "minimum": 0, "maximum": u64::MAX } },
            { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 1000 } }
        ],
        "responses": events_responses,
    } }));
    let mut live_responses = error_responses();
    live_responses["200"] = json!({ "description": "The event stream", "content": { "text/event-stream": { "schema": {
        "type": "object",
        "description": "One event",
        "properties": { "event": { "enum": ["ready", "change"] }, "data": { "type": "string", "description": "JSON: {\"view\": FINGERPRINT}" } },
        "required": ["event", "data"],
    } } } });
    paths.insert("/api/v1/live".into(), json!({ "get": {
        "summary": "Server-sent events: `ready`, then `change` whenever what the caller may see changes (data: the view's fingerprint)",
        "tags": ["live"],
        "responses": live_responses,
    } }));
    paths.insert(
        "/api/v1/drafts/{from}/diff/{to}".into(),
        json!({ "get": {
        "summary": "The difference between two drafts: changed fields and points side by side",
        "tags": ["drafts"],
        "parameters": [
            { "name": "from", "in": "path", "required": true, "schema": { "type": "string", "pattern": ID_PATTERN } },
            { "name": "to", "in": "path", "required": true, "schema": { "type": "string", "pattern": ID_PATTERN } },
            { "$ref": "#/components/parameters/AsOf" }
        ],
        "responses": read_responses(answer::<parley_report::diff::DraftDiff>(&mut generator)),
    } }),
    );
    let mut schemas = Map::new();
    for kind in Kind::ALL {
        let key = kind.key();
        let one = kind.singular();
        let (new_body, definitions) = entity_schema(key, EntityBody::New);
        let (body, _) = entity_schema(key, EntityBody::Change);
        let (stored, recorded_definitions) = entity_schema(key, EntityBody::Answer);
        schemas.extend(definitions);
        schemas.extend(recorded_definitions);
        let component = record_component(key);
        schemas.insert(component.clone(), stored);
        let entity = json!({ "$ref": format!("#/components/schemas/{component}") });
        let list = json!({
            "type": "object",
            "required": ["items"],
            "properties": { "items": { "type": "array", "items": entity } },
        });
        paths.insert(
            format!("/api/v1/{key}"),
            json!({
                "get": read(&format!("The {key} the caller may see, in the file's shape"), key, list),
                "post": write(&format!("Record a new {one}; the server assigns its id (a mediator may give one)"), key, true, new_body, &entity),
            }),
        );
        if let Kind::Entity(_) = kind {
            let id = json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "string", "pattern": ID_PATTERN } });
            let mut get = read(&format!("One {one}"), key, entity.clone());
            get["parameters"].as_array_mut().expect("a list").push(id.clone());
            let mut put = write(
                &format!("Change {} (a new event)", kind.with_article()),
                key,
                false,
                body,
                &entity,
            );
            put["parameters"] = json!([id.clone()]);
            let mut removed = error_responses();
            removed["200"] = json!({ "description": "Removed, as a new event" });
            removed["422"] = json!({ "$ref": "#/components/responses/Error" });
            let delete = json!({ "summary": format!("Remove {} (mediators only; a new event)", kind.with_article()), "tags": [key], "parameters": [id], "responses": removed });
            paths.insert(
                format!("/api/v1/{key}/{{id}}"),
                json!({ "get": get, "put": put, "delete": delete }),
            );
        }
    }
    // Each operation's id, for client generators: the method and the path's words, e.g.
    // `get_issues_id` for `GET /api/v1/issues/{id}`.
    for (path, item) in paths.iter_mut() {
        let words: Vec<String> = path
            .trim_start_matches("/api/v1/")
            .split('/')
            .map(|word| word.trim_matches(['{', '}']).replace('-', "_"))
            .collect();
        for (method, operation) in item.as_object_mut().expect("a path item") {
            operation["operationId"] = json!(format!("{method}_{}", words.join("_")));
        }
    }
    for (name, schema) in generator.take_definitions(true) {
        let previous = schemas.insert(name.clone(), schema);
        assert!(previous.is_none(), "two schemas are named {name}");
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Parley API",
            "version": "1",
            "description": "The record of a negotiation and its analysis. Authenticate with 'Authorization: Bearer <token>' (tokens from `parley db add-user`). Every read answers what the caller's role may see; `as_of` gives the record as it stood at a time. Errors are JSON: { error: { status, message, field, problems } }."
        },
        "servers": [{ "url": "/" }],
        "security": [{ "bearer": [] }],
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": schemas,
            "parameters": {
                "AsOf": { "name": "as_of", "in": "query", "required": false, "schema": { "type": "string", "pattern": AS_OF_PATTERN }, "description": "RFC 3339 time or a date (the end of that day, UTC); empty: now" }
            },
            "responses": {
                "Error": {
                    "description": "An error",
                    "content": { "application/json": { "schema": {
                        "type": "object",
                        "required": ["error"],
                        "properties": { "error": { "type": "object", "required": ["status", "message"], "properties": {
                            "status": { "type": "integer" },
                            "message": { "type": "string" },
                            "field": { "type": "string", "description": "The field at fault, as a path in the request" },
                            "problems": { "type": "array", "items": { "type": "object", "properties": {
                                "field": { "type": "string" }, "kind": { "type": "string" }, "message": { "type": "string" } } } }
                        } } }
                    } } }
                }
            }
        }
    })
}

pub(crate) async fn serve_document() -> Json<Value> {
    Json(document())
}
