//! Recording a party's agreement to a point of a draft, or to the whole draft: `POST
//! /api/v1/drafts/{id}/agreements` (and the draft pages' form, which goes through the same
//! function). A delegate records its own party's agreements only, visible to what it may see;
//! a mediator records any party's. The draft is written back as the caller sees it, with the
//! new agreement; the store keeps what the caller cannot see (the other parties' private
//! agreements), and the record's own rules are checked like any other write.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use parley_model::Id;
use parley_model::access::Viewer;
use parley_model::change::Collection;
use parley_model::scenario::Visibility;
use serde_json::Value;

use crate::api::{JsonBody, Written, check_text_lengths, write};
use crate::auth::Caller;
use crate::entities::{self, Kind};
use crate::error::ApiError;
use crate::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/drafts/{id}/agreements", post(create))
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let id = Id::parse(&id).map_err(|message| ApiError::bad_request("id", message))?;
    let written = record_agreement(&state, &caller, &id, body).await?;
    Ok(written.into_response(&caller, Kind::Entity(Collection::Drafts)))
}

/// Records an agreement (in the file's shape: `party`, `point`, `kind`, `date`, `basis`,
/// `visibility`, `note`, `cites`) to a draft the caller may see. An agreement of the same
/// party to the same point, of the same kind, is replaced.
pub(crate) async fn record_agreement(
    state: &AppState,
    caller: &Caller,
    draft: &Id,
    agreement: Value,
) -> Result<Written, ApiError> {
    let party = match &caller.viewer {
        Viewer::Observer => return Err(ApiError::forbidden("observers cannot record changes")),
        Viewer::Mediator => None,
        Viewer::Party(party) => Some(party.clone()),
    };
    if !agreement.is_object() {
        return Err(ApiError::bad_request("", "expected an agreement: a JSON object"));
    }
    check_text_lengths(&agreement, state.inner.options.max_text_chars)?;
    let view = state.view(&caller.viewer, None).await?;
    let scenario = view.scenario.scenario();
    let kind = Kind::Entity(Collection::Drafts);
    let Some(mut body) = entities::entity_json(scenario, Collection::Drafts, draft) else {
        return Err(ApiError::not_found("draft", draft.as_str()));
    };
    let same = |recorded: &Value| {
        ["party", "point", "kind"].iter().all(|field| recorded.get(field) == agreement.get(field))
    };
    let mut agreements: Vec<Value> = body
        .get("agreements")
        .and_then(Value::as_array)
        .map(|recorded| recorded.iter().filter(|recorded| !same(recorded)).cloned().collect())
        .unwrap_or_default();
    agreements.push(agreement);
    let index = agreements.len() - 1;
    body["agreements"] = Value::Array(agreements);
    let fragment = entities::parse_entity(kind, &body)?;
    let new = fragment
        .scenario
        .drafts
        .first()
        .and_then(|draft| draft.agreements.get(index))
        .ok_or_else(|| ApiError::bad_request("", "expected an agreement"))?;
    if let Some(party) = party {
        let sits_on = |track: &Id| {
            scenario
                .tracks
                .iter()
                .any(|candidate| &candidate.id == track && candidate.parties.contains(&party))
        };
        let visible = match &new.visibility {
            Visibility::Public | Visibility::Private => true,
            Visibility::Track(track) => sits_on(track),
        };
        if new.party != party || !visible {
            return Err(ApiError::forbidden(format!(
                "a delegate of '{party}' records agreements of '{party}' only, visible to '{party}'"
            ))
            .with_field(format!("agreements[{index}].party")));
        }
    }
    write(state, caller, &view, kind, fragment, StatusCode::CREATED).await
}
