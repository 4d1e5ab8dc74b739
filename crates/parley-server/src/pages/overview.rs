//! `/`: the overview a mediator or delegate reads first: counts, the parties and their consent,
//! the issues, what blocks a deal, the contested claims and the analyst's assumptions.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use parley_report::html::sections;

use super::{Nav, Page, PageError, PageQuery, layout, show};
use crate::auth::PageCaller;
use crate::state::AppState;

pub(super) async fn page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    show(&state, &caller, &query, |page| Ok(render(page).into_response())).await
}

fn render(page: &Page<'_>) -> Markup {
    let report = page.report;
    let scenario = page.view.scenario.scenario();
    let held = report.timeline.iter().filter(|meeting| meeting.status == "held").count();
    let planned = report.timeline.iter().filter(|meeting| meeting.status == "planned").count();
    let contested = report.claims.iter().filter(|claim| claim.status == "contested").count();
    let kpis: [(String, &str, &str); 7] = [
        (report.parties.len().to_string(), "negotiating parties", "#parties"),
        (report.issues.len().to_string(), "issues", "#issues"),
        (report.tracks.len().to_string(), "tracks", "/timeline"),
        (format!("{held} + {planned}"), "meetings held + planned", "/timeline"),
        (report.drafts.len().to_string(), "drafts", "/drafts"),
        (scenario.positions.len().to_string(), "positions", "/stances"),
        (format!("{} ({contested})", report.claims.len()), "claims (contested)", "/claims"),
    ];
    let content = html! {
        h1 { "Overview" }
        @if !report.scenario.description.is_empty() { p.lead { (report.scenario.description) } }
        div data-live="overview" {
            p.meta {
                @match &report.scenario.as_of { Some(date) => { "The record describes the talks as of " (date.display) "." }, None => "The record gives no date." }
            }
            div.kpis {
                @for (value, label, target) in &kpis {
                    @let href = if target.starts_with('#') { (*target).to_owned() } else { page.href(target) };
                    a.kpi href=(href) style="text-decoration:none;color:inherit" { b { (value) } span { (label) } }
                }
            }
            (sections::parties(report))
            section #issues {
                h2 { "Issues (" (report.issues.len()) ")" }
                div.scroll tabindex="0" role="region" aria-label="Issues" {
                    table {
                        thead { tr { th { "Issue" } th { "Category" } th { "Options" } } }
                        tbody {
                            @for issue in &report.issues {
                                tr {
                                    td { strong { (issue.title) } br; code.small { (issue.id) } }
                                    td.small { (issue.category) }
                                    td.small {
                                        ul.plain {
                                            @for option in &issue.options {
                                                li { (if option.label.is_empty() { &option.id } else { &option.label }) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                p.small { a href=(page.href("/stances")) { "Where each party stands on them →" } }
            }
            (sections::blocking(report))
            (sections::claims(report))
            section #assumptions {
                h2 { "The analyst's assumptions and readings (" (report.assumptions.len()) ")" }
                p.small.muted { "Every figure no source gives is marked as assumed, and every reading of a sentence that goes further than its words as inferred; the analysis rests on them and on the scale." }
                (sections::assumptions(report))
            }
            (sections::warnings(report))
        }
    };
    layout(page, Nav::Overview, "Overview", content)
}
