//! `/timeline`: the tracks and meetings (the report's timeline figure and tables) and the form
//! to record a meeting of a track.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use parley_model::scenario::MeetingStatus;
use parley_report::html::sections;

use super::forms::{FormKind, Inputs, Opts, Sent};
use super::{Nav, Page, PageError, PageQuery, layout, show};
use crate::auth::PageCaller;
use crate::state::AppState;

pub(super) async fn page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    show(&state, &caller, &query, |page| Ok(render(page, None).into_response())).await
}

pub(super) fn render(page: &Page<'_>, sent: Option<&Sent>) -> Markup {
    let content = html! {
        h1 { "Timeline" }
        p.lead { "The tracks of the talks and their meetings, in date order. A meeting private to its track's parties shows others only when and where it took place." }
        p.jump { a href="/changes" { "What changed between two dates →" } }
        @if page.offers_forms() { p.jump { a href="#record-meeting" { "Record a meeting ↓" } } }
        div data-live="timeline" { (sections::timeline(page.report)) }
        @if page.offers_forms() { (meeting_form(page, sent)) }
    };
    layout(page, Nav::Timeline, "Timeline", content)
}

/// The form to record a meeting: a delegate may record meetings of the tracks its party sits on.
fn meeting_form(page: &Page<'_>, sent: Option<&Sent>) -> Markup {
    let report = page.report;
    let inputs = Inputs::new(FormKind::Meeting, sent);
    let tracks: Vec<(String, String)> = report
        .tracks
        .iter()
        .filter(|track| {
            page.own_party().is_none_or(|party| track.parties.iter().any(|id| id == party.as_str()))
        })
        .map(|track| (track.id.clone(), track.name.clone()))
        .collect();
    let statuses: Vec<(String, String)> = MeetingStatus::ALL
        .iter()
        .map(|status| (status.as_str().to_owned(), status.as_str().to_owned()))
        .collect();
    html! {
        section #record-meeting {
            h2 { "Record a meeting" }
            @if tracks.is_empty() {
                p.muted { "Your party sits on no track, so there is no meeting you can record." }
            } @else {
                p.small.muted { "Held meetings may not be dated after the record's date; planned ones may." }
                form.record method="post" action="/forms/meeting" {
                    (inputs.problem())
                    (inputs.select("track", "Track", &tracks, &tracks[0].0, Opts { required: true, ..Opts::default() }))
                    (inputs.text("title", "Title", "text", "", Opts { required: true, ..Opts::default() }))
                    (inputs.text("date", "Date", "date", &page.default_date(), Opts::default()))
                    (inputs.select("status", "Status", &statuses, "held", Opts { required: true, ..Opts::default() }))
                    (inputs.text("place", "Place", "text", "", Opts::default()))
                    (inputs.visibility(page, "public", "the track's parties"))
                    (inputs.textarea("summary", "Summary", "", Opts { wide: true, ..Opts::default() }))
                    div.actions { button.primary type="submit" { "Record meeting" } }
                }
            }
        }
    }
}
