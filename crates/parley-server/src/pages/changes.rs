//! `/changes?since=YYYY-MM-DD&until=YYYY-MM-DD`: what changed between two dates, from the
//! log's window as the caller may see it ([`parley_store::Store::window_for`]): a delegate is
//! shown a change, with its author, only when what it may see of the record changed.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use maud::{Markup, html};
use parley_report::changes::{ChangeList, LogStep, RecordChange, from_log};
use serde::Deserialize;

use super::{Nav, Page, PageError, PageQuery, layout, show};
use crate::auth::{Caller, PageCaller};
use crate::error::ApiError;
use crate::state::AppState;

/// The window asked for.
#[derive(Deserialize, Debug, Default)]
pub(super) struct ChangesQuery {
    since: Option<String>,
    until: Option<String>,
}

fn given(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|text| !text.is_empty())
}

pub(super) async fn page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(query): Query<ChangesQuery>,
) -> Result<Response, PageError> {
    let listed = match given(query.since.as_deref()) {
        Some(since) => Some(changes(&state, &caller, since, given(query.until.as_deref())).await),
        None => None,
    };
    show(&state, &caller, &PageQuery::default(), |page| Ok(render(page, &query, listed.as_ref())))
        .await
}

/// A day of the window, as `YYYY-MM-DD`.
fn day(text: &str, field: &str) -> Result<Date, ApiError> {
    text.parse::<Date>().ok().filter(|_| text.len() == 10).ok_or_else(|| {
        ApiError::bad_request(field, format!("'{text}' is not a date, expected YYYY-MM-DD"))
    })
}

/// The start of a day, UTC.
fn start_of(day: Date) -> Result<jiff::Timestamp, ApiError> {
    day.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|zoned| zoned.timestamp())
        .map_err(|_| ApiError::bad_request("since", format!("'{day}' is out of range")))
}

async fn changes(
    state: &AppState,
    caller: &Caller,
    since: &str,
    until: Option<&str>,
) -> Result<ChangeList, ApiError> {
    let since_day = day(since, "since")?;
    let until_day = until.map(|until| day(until, "until")).transpose()?;
    if let Some(until_day) = until_day
        && until_day < since_day
    {
        return Err(ApiError::bad_request(
            "until",
            format!("'{until_day}' is before '{since_day}': expected a window that runs forward"),
        ));
    }
    let end = match until_day {
        Some(until_day) => Some(start_of(until_day.tomorrow().map_err(|_| {
            ApiError::bad_request("until", format!("'{until_day}' is out of range"))
        })?)?),
        None => None,
    };
    let window = state.store().window_for(&caller.viewer, start_of(since_day)?, end).await?;
    let steps = window.steps.iter().map(|step| LogStep {
        recorded_at: &step.recorded_at,
        author: &step.author,
        scenario: step.scenario.scenario(),
    });
    let until = until_day.map(|day| day.to_string());
    Ok(from_log(
        &since_day.to_string(),
        until.as_deref(),
        window.start.as_ref().map(|start| start.scenario()),
        steps,
    ))
}

fn render(
    page: &Page<'_>,
    query: &ChangesQuery,
    listed: Option<&Result<ChangeList, ApiError>>,
) -> Response {
    let status = match listed {
        Some(Err(error)) => error.status,
        _ => StatusCode::OK,
    };
    let content = html! {
        h1 { "What changed" }
        p.lead { "The records added, changed or removed between two dates, as far as you may see them, with their sources and who recorded each change." }
        section #changes-window {
            form.picker method="get" action="/changes" {
                div.field {
                    label for="changes-since" { "From (included)" }
                    input #changes-since type="date" name="since" required value=(query.since.as_deref().unwrap_or_default());
                }
                div.field {
                    label for="changes-until" { "To (included; empty for now)" }
                    input #changes-until type="date" name="until" value=(query.until.as_deref().unwrap_or_default());
                }
                div.actions { button.primary type="submit" { "Show changes" } }
            }
        }
        div data-live="changes" {
            @match listed {
                None => p.muted { "Choose the first day of the window." },
                Some(Err(error)) => p.form-error role="alert" { (error.message) },
                Some(Ok(list)) => (change_list(list)),
            }
        }
    };
    (status, layout(page, Nav::Timeline, "What changed", content)).into_response()
}

fn change_list(list: &ChangeList) -> Markup {
    html! {
        section #changes {
            h2 {
                "From " (list.since) " to " (list.until.as_deref().unwrap_or("now"))
                " (" (list.changes.len()) ")"
            }
            @if list.changes.is_empty() {
                p.muted { "Nothing you may see changed." }
            } @else {
                div.scroll tabindex="0" role="region" aria-label="What changed" {
                    table.changes {
                        thead { tr { th { "Change" } th { "Record" } th { "What" } th { "Sources" } th { "Recorded" } } }
                        tbody {
                            @for change in &list.changes { (row(change)) }
                        }
                    }
                }
            }
        }
    }
}

fn row(change: &RecordChange) -> Markup {
    html! {
        tr {
            td { span class=(format!("badge change-{}", change.change)) { (change.change) } }
            td {
                span.muted.small { (change.collection) } br;
                code { (change.id) }
                @if !change.label.is_empty() && change.collection != "positions" { br; (change.label) }
            }
            td.small {
                @if let Some(date) = &change.date { "dated " (date) br; }
                @if !change.fields.is_empty() { "fields: " (change.fields.join(", ")) br; }
                @if !change.points.is_empty() {
                    "points: "
                    (change.points.iter().map(|point| format!("{} {}", point.id, point.change)).collect::<Vec<_>>().join(", "))
                }
            }
            td.small { (change.sources.join("; ")) }
            td.small style="white-space:nowrap" {
                @if let Some(at) = &change.recorded_at {
                    (at.get(..16).unwrap_or(at).replace('T', " ")) br;
                    "by " (change.authors.join(", "))
                }
            }
        }
    }
}
