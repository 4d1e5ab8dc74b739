//! The JSON API under `/api/v1` (described by `/api/openapi.json`, see [`crate::openapi`]).
//!
//! Reads answer from the caller's view ([`AppState::view`]); `?as_of=` gives the record as it
//! stood at a time. Writes are events: each is checked against what the caller may write
//! ([`entities::authorize`]) and against the record's rules on the caller's own view (so that
//! an error never speaks of records the caller cannot see), then appended in one transaction.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use parley_model::Id;
use parley_model::change::{Change, Collection, apply};
use parley_model::scenario_file::Fragment;
use parley_model::validate::ValidScenario;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::auth::Caller;
use crate::bodies;
use crate::entities::{self, Kind};
use crate::error::ApiError;
use crate::state::{AppState, View};

/// The API's routes.
pub(crate) fn routes() -> Router<AppState> {
    let mut router = Router::new()
        .route("/api/v1/me", get(me))
        .route("/api/v1/record", get(record))
        .route("/api/v1/analysis", get(analysis))
        .route("/api/v1/stance-matrix", get(stance_matrix))
        .route("/api/v1/timeline", get(timeline))
        .route("/api/v1/events", get(events))
        .route("/api/v1/drafts/{from}/diff/{to}", get(draft_diff))
        .route("/api/v1/live", get(crate::live::live));
    for kind in Kind::ALL {
        let base = format!("/api/v1/{}", kind.key());
        router = router.route(
            &base,
            get(move |state, caller, query, headers| list(kind, state, caller, query, headers))
                .post(move |state, caller, body| create(kind, state, caller, body)),
        );
        if let Kind::Entity(collection) = kind {
            router = router.route(
                &format!("{base}/{{id}}"),
                get(move |state, caller, path, query, headers| {
                    read(collection, state, caller, path, query, headers)
                })
                .put(move |state, caller, path, body| update(collection, state, caller, path, body))
                .delete(move |state, caller, path| remove(collection, state, caller, path)),
            );
        }
    }
    router.method_not_allowed_fallback(method_not_allowed)
}

/// A method a route does not have: the API's own error (axum adds the `Allow` header).
async fn method_not_allowed(request: Request) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "{} {} is not an operation of the API: see /api/openapi.json",
            request.method(),
            request.uri().path()
        ),
    )
}

/// A query string, refused with the API's errors (axum's own are plain text) naming the
/// parameter at fault.
pub(crate) struct ApiQuery<T>(pub(crate) T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<ApiQuery<T>, ApiError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(query)) => Ok(ApiQuery(query)),
            Err(rejection) => {
                let text = rejection.body_text();
                let detail =
                    text.strip_prefix("Failed to deserialize query string: ").unwrap_or(&text);
                Err(ApiError::bad_request(
                    query_field(detail),
                    format!("the query string cannot be read: {detail}"),
                ))
            }
        }
    }
}

/// The parameter a query error names: `after: invalid digit` or ``duplicate field `as_of` ``.
fn query_field(detail: &str) -> &str {
    if let Some((_, rest)) = detail.split_once('`') {
        return rest.split_once('`').map_or("", |(name, _)| name);
    }
    match detail.split_once(": ") {
        Some((name, _)) if !name.contains(' ') => name,
        _ => "",
    }
}

/// The query of every read.
#[derive(Deserialize, Debug, Default)]
pub(crate) struct ReadQuery {
    /// The record as it stood at this time: RFC 3339 (`2025-12-01T12:00:00Z`) or a date
    /// (`2025-12-01`: the end of that day, UTC).
    pub(crate) as_of: Option<String>,
}

impl ReadQuery {
    pub(crate) fn time(&self) -> Result<Option<jiff::Timestamp>, ApiError> {
        // An empty `as_of=` (a form left blank) is no time: the record now. Only empty: a
        // time of white space is no time the client could have meant.
        self.as_of.as_deref().filter(|text| !text.is_empty()).map(parse_as_of).transpose()
    }
}

/// Parses `as_of`: a time, or a date meaning the end of that day (UTC).
pub(crate) fn parse_as_of(text: &str) -> Result<jiff::Timestamp, ApiError> {
    if let Ok(time) = text.parse::<jiff::Timestamp>() {
        return Ok(time);
    }
    if let Ok(date) = text.parse::<jiff::civil::Date>() {
        let end = date.at(23, 59, 59, 999_999_999);
        if let Ok(time) = end.to_zoned(jiff::tz::TimeZone::UTC) {
            return Ok(time.timestamp());
        }
    }
    Err(ApiError::bad_request(
        "as_of",
        format!(
            "as_of '{text}' is not a time: expected RFC 3339 (2025-12-01T12:00:00Z) or a date (2025-12-01)"
        ),
    ))
}

/// A JSON request body, at most the server's body limit.
pub(crate) struct JsonBody(pub(crate) Value);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<JsonBody, ApiError> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("application/json"));
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "expected a JSON body with 'Content-Type: application/json'",
            ));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "the body is larger than the server accepts",
                )
            } else {
                ApiError::new(rejection.status(), format!("cannot read the body: {rejection}"))
            }
        })?;
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|error| {
            ApiError::bad_request("", format!("the body is not valid JSON: {error}"))
        })
    }
}

/// A JSON answer computed from a view, with its ETag: a client that sends the tag back gets
/// 304 until what it may see changes.
fn from_view(
    view: &View,
    caller: &Caller,
    tag: &str,
    headers: &HeaderMap,
    body: Bytes,
) -> Response {
    let etag = format!("\"{tag}-{}\"", view.fingerprint);
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.split(',').any(|candidate| candidate.trim() == etag));
    let mut response =
        if fresh { StatusCode::NOT_MODIFIED.into_response() } else { body.into_response() };
    let response_headers = response.headers_mut();
    if !fresh {
        response_headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    if let Ok(value) = HeaderValue::from_str(&etag) {
        response_headers.insert(header::ETAG, value);
    }
    response_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    if caller.is_mediator() {
        response_headers.insert("x-parley-log-version", HeaderValue::from(view.version));
    }
    response
}

fn to_bytes<T: serde::Serialize + ?Sized>(value: &T) -> Bytes {
    serde_json::to_vec(value).expect("the API's bodies serialize").into()
}

async fn me(caller: Caller) -> Json<bodies::Me> {
    let party = match &caller.user.role {
        parley_store::users::Role::Delegate(party) => Some(party.to_string()),
        _ => None,
    };
    Json(bodies::Me { name: caller.user.name.clone(), role: caller.user.role.to_string(), party })
}

async fn record(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ReadQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let view = state.view(&caller.viewer, query.time()?).await?;
    Ok(from_view(&view, &caller, "record", &headers, view.record_json()))
}

async fn analysis(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ReadQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let view = state.view(&caller.viewer, query.time()?).await?;
    let (_, json) = state.analysis(view.clone()).await?;
    Ok(from_view(&view, &caller, "analysis", &headers, json))
}

async fn stance_matrix(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ReadQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let view = state.view(&caller.viewer, query.time()?).await?;
    let body = view.cached("stance-matrix", |view| {
        let report = view.record();
        let parties = report
            .party_details
            .iter()
            .map(|party| bodies::PartyName { id: party.id.clone(), name: party.name.clone() })
            .collect();
        to_bytes(&bodies::StanceMatrix {
            parties,
            issues: &report.issues,
            scale: &report.scale,
            cells: &report.stance_matrix,
            blocking: &report.blocking,
        })
    });
    Ok(from_view(&view, &caller, "stance-matrix", &headers, body))
}

async fn timeline(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ReadQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let view = state.view(&caller.viewer, query.time()?).await?;
    let body = view.cached("timeline", |view| {
        let report = view.record();
        to_bytes(&bodies::Timeline { tracks: &report.tracks, meetings: &report.timeline })
    });
    Ok(from_view(&view, &caller, "timeline", &headers, body))
}

#[derive(Deserialize, Debug)]
struct EventsQuery {
    #[serde(default)]
    after: u64,
    limit: Option<u32>,
}

async fn events(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<EventsQuery>,
) -> Result<Json<bodies::Events>, ApiError> {
    if !caller.is_mediator() {
        return Err(ApiError::forbidden(
            "the event log is for mediators: it holds every party's private records",
        ));
    }
    let limit = query.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::bad_request(
            "limit",
            format!("limit {limit} is out of range: expected 1 to 1000"),
        ));
    }
    let events = state.store().events(query.after, limit).await?;
    Ok(Json(bodies::Events { items: events.iter().map(bodies::EventItem::from).collect() }))
}

async fn draft_diff(
    State(state): State<AppState>,
    caller: Caller,
    Path((from, to)): Path<(String, String)>,
    ApiQuery(query): ApiQuery<ReadQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let view = state.view(&caller.viewer, query.time()?).await?;
    let diff = parley_report::diff::draft_diff(view.scenario.scenario(), &from, &to)?;
    let body = to_bytes(&diff);
    Ok(from_view(&view, &caller, &format!("diff-{from}-{to}"), &headers, body))
}

async fn list(
    kind: Kind,
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ReadQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let view = state.view(&caller.viewer, query.time()?).await?;
    let body = view.cached(kind.key(), |view| {
        to_bytes(&json!({ "items": entities::list_json(view.scenario.scenario(), kind) }))
    });
    Ok(from_view(&view, &caller, kind.key(), &headers, body))
}

fn parse_id(kind: Kind, text: &str) -> Result<Id, ApiError> {
    Id::parse(text).map_err(|message| {
        ApiError::bad_request("id", format!("not {} id: {message}", kind.with_article()))
    })
}

async fn read(
    collection: Collection,
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<ReadQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let kind = Kind::Entity(collection);
    let view = state.view(&caller.viewer, query.time()?).await?;
    let id = parse_id(kind, &id)?;
    let entity = entities::entity_json(view.scenario.scenario(), collection, &id)
        .ok_or_else(|| ApiError::not_found(kind.singular(), id.as_str()))?;
    Ok(from_view(&view, &caller, &format!("{}-{id}", kind.key()), &headers, to_bytes(&entity)))
}

async fn create(
    kind: Kind,
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let written = create_entity(&state, &caller, kind, body).await?;
    Ok(written.into_response(&caller, kind))
}

/// Records a new entity from its JSON (the file's shape): what `POST /api/v1/{collection}` and
/// the pages' forms do. A mediator may give the id; otherwise the server assigns one.
pub(crate) async fn create_entity(
    state: &AppState,
    caller: &Caller,
    kind: Kind,
    mut body: Value,
) -> Result<Written, ApiError> {
    let view = state.view(&caller.viewer, None).await?;
    if let Kind::Entity(collection) = kind {
        match body.get("id") {
            Some(Value::String(given)) if caller.is_mediator() => {
                let id = parse_id(kind, given).map_err(|error| error.with_field("id"))?;
                if entities::ids(view.scenario.scenario(), collection).contains(&&id) {
                    return Err(ApiError::new(
                        StatusCode::CONFLICT,
                        format!(
                            "there is already {} '{id}': PUT /api/v1/{}/{id} changes it",
                            kind.with_article(),
                            kind.key()
                        ),
                    )
                    .with_field("id"));
                }
            }
            Some(_) => {
                return Err(ApiError::bad_request(
                    "id",
                    format!(
                        "the server assigns the ids of new records: leave 'id' out (PUT /api/v1/{}/ID changes {})",
                        kind.key(),
                        kind.with_article()
                    ),
                ));
            }
            None => entities::set_id(&mut body, &entities::new_id(kind)),
        }
    }
    check_text_lengths(&body, state.inner.options.max_text_chars)?;
    let fragment = entities::parse_entity(kind, &body)?;
    entities::authorize(&caller.viewer, view.scenario.scenario(), kind, &fragment.scenario, false)?;
    write(state, caller, &view, kind, fragment, StatusCode::CREATED).await
}

async fn update(
    collection: Collection,
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let kind = Kind::Entity(collection);
    let id = parse_id(kind, &id)?;
    let written = update_entity(&state, &caller, collection, &id, body).await?;
    Ok(written.into_response(&caller, kind))
}

/// Changes an entity (or, for a mediator, records it under that id): what `PUT
/// /api/v1/{collection}/{id}` and the pages' forms do.
pub(crate) async fn update_entity(
    state: &AppState,
    caller: &Caller,
    collection: Collection,
    id: &Id,
    mut body: Value,
) -> Result<Written, ApiError> {
    let kind = Kind::Entity(collection);
    let view = state.view(&caller.viewer, None).await?;
    let existing = entities::only(view.scenario.scenario(), collection, id);
    if existing.is_none() && !caller.is_mediator() {
        return Err(ApiError::not_found(kind.singular(), id.as_str()));
    }
    match body.get("id") {
        Some(Value::String(given)) if given == id.as_str() => {}
        Some(_) => {
            return Err(ApiError::bad_request(
                "id",
                format!("the body's id differs from the URL's ('{id}')"),
            ));
        }
        None => entities::set_id(&mut body, id),
    }
    check_text_lengths(&body, state.inner.options.max_text_chars)?;
    let fragment = entities::parse_entity(kind, &body)?;
    let scenario = view.scenario.scenario();
    entities::authorize(&caller.viewer, scenario, kind, &fragment.scenario, existing.is_some())?;
    if let Some(existing) = &existing {
        entities::authorize(&caller.viewer, scenario, kind, existing, true)?;
    }
    let status = if existing.is_some() { StatusCode::OK } else { StatusCode::CREATED };
    write(state, caller, &view, kind, fragment, status).await
}

async fn remove(
    collection: Collection,
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let kind = Kind::Entity(collection);
    let id = parse_id(kind, &id)?;
    let view = state.view(&caller.viewer, None).await?;
    if entities::only(view.scenario.scenario(), collection, &id).is_none() {
        return Err(ApiError::not_found(kind.singular(), id.as_str()));
    }
    if !caller.is_mediator() {
        return Err(ApiError::forbidden("only a mediator can remove records"));
    }
    state.allow_write(&caller.user.name)?;
    let change = Change::Remove { collection, id };
    let appended = state.store().append(&caller.user.name, &change).await?;
    state.announce(appended.seq);
    Ok((StatusCode::OK, Json(json!({ "removed": true, "event": appended.seq }))).into_response())
}

/// Refuses a body with a text longer than the server takes, naming its field.
pub(crate) fn check_text_lengths(body: &Value, max_chars: usize) -> Result<(), ApiError> {
    fn walk(value: &Value, path: &str, max_chars: usize) -> Result<(), ApiError> {
        match value {
            Value::String(text) if text.chars().count() > max_chars => Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "'{path}' is {} characters long, expected at most {max_chars}",
                    text.chars().count()
                ),
            )
            .with_field(path)),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .try_for_each(|(index, item)| walk(item, &format!("{path}[{index}]"), max_chars)),
            Value::Object(fields) => fields.iter().try_for_each(|(name, field)| {
                let path = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
                walk(field, &path, max_chars)
            }),
            _ => Ok(()),
        }
    }
    walk(body, "", max_chars)
}

/// Where an upserted entity lands in the merged record, for error paths.
fn entity_path(
    merged: &parley_model::scenario::Scenario,
    kind: Kind,
    fragment: &Fragment,
) -> String {
    let index = match kind {
        Kind::Entity(collection) => entities::fragment_id(fragment, collection).and_then(|id| {
            entities::ids(merged, collection).iter().position(|candidate| **candidate == id)
        }),
        Kind::Positions => fragment.scenario.positions.first().and_then(|new| {
            merged.positions.iter().position(|position| {
                position.party == new.party
                    && position.issue == new.issue
                    && position.date == new.date
            })
        }),
    };
    format!("{}[{}]", kind.key(), index.unwrap_or(0))
}

/// What a recorded change gives back.
pub(crate) struct Written {
    /// 201 for a new entity, 200 for a changed one.
    pub(crate) status: StatusCode,
    /// The new event's sequence number (shown to mediators only).
    pub(crate) seq: u64,
    /// The entity's id (none for positions).
    pub(crate) id: Option<Id>,
    /// The entity as the caller now sees it.
    pub(crate) entity: Option<Value>,
}

impl Written {
    pub(crate) fn into_response(self, caller: &Caller, kind: Kind) -> Response {
        // The log's sequence number would tell a delegate how many events it cannot see.
        let body = if caller.is_mediator() {
            json!({ "event": self.seq, "entity": self.entity })
        } else {
            json!({ "entity": self.entity })
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(id) = self.id
            && let Ok(location) = HeaderValue::from_str(&format!("/api/v1/{}/{id}", kind.key()))
        {
            response.headers_mut().insert(header::LOCATION, location);
        }
        response
    }
}

/// Records an upsert: checked on the caller's view, appended, announced; gives back the
/// entity as the caller now sees it.
pub(crate) async fn write(
    state: &AppState,
    caller: &Caller,
    view: &Arc<View>,
    kind: Kind,
    fragment: Fragment,
    status: StatusCode,
) -> Result<Written, ApiError> {
    let key = match kind {
        Kind::Entity(collection) => entities::fragment_id(&fragment, collection),
        Kind::Positions => None,
    };
    state.allow_write(&caller.user.name)?;
    let change = Change::Upsert(fragment);
    let merged = apply(view.scenario.scenario(), &change);
    let Change::Upsert(fragment) = &change else { unreachable!("an upsert") };
    let prefix = entity_path(&merged, kind, fragment);
    if let Err(diagnostics) = ValidScenario::new(merged) {
        return Err(ApiError::invalid(&diagnostics, Some(&prefix)));
    }
    let appended = match state.store().append_as(&caller.viewer, &caller.user.name, &change).await {
        Ok(appended) => appended,
        // The change is valid in the caller's view but not in the whole record: say no more.
        Err(parley_store::Error::Invalid(_)) if !caller.is_mediator() => {
            return Err(ApiError::new(StatusCode::CONFLICT, "the change cannot be recorded"));
        }
        Err(error) => return Err(error.into()),
    };
    state.announce(appended.seq);
    let entity = match (kind, &key) {
        (Kind::Entity(collection), Some(id)) => {
            let after = state.view(&caller.viewer, None).await?;
            entities::entity_json(after.scenario.scenario(), collection, id)
        }
        _ => entities::list_json(&fragment.scenario, kind)
            .as_array()
            .and_then(|items| items.first().cloned()),
    };
    Ok(Written { status, seq: appended.seq, id: key, entity })
}
