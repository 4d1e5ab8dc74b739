//! `/stances`: the party x issue stance matrix (the report's heat map), how stances moved
//! (a chart per issue of each dated position), the blocking issues,
//! the positions in the record, and the form to record a change of position.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use parley_model::stance::{Importance, ImportanceLevel, Stance, StanceLevel};
use parley_report::html::sections;

use super::forms::{FormKind, Inputs, Opts, Sent};
use super::{
    Nav, Page, PageError, PageQuery, issue_title, layout, option_label, party_name, show,
    visibility_badge,
};
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
        h1 { "Stances" }
        p.lead { "Each party's latest position on each option of each issue, as far as you may see them." }
        @if page.offers_forms() { p.jump { a href="#record-position" { "Record a change of position ↓" } } }
        div data-live="stances" {
            (sections::stance_matrix(page.report))
            (history(page))
            (sections::blocking(page.report))
            (positions(page))
        }
        @if page.offers_forms() { (position_form(page, sent)) }
    };
    layout(page, Nav::Stances, "Stances", content)
}

/// The chart of how each party's stances moved, from the positions the viewer may see.
fn history(page: &Page<'_>) -> Markup {
    match parley_report::history::build(page.view.scenario.scenario(), None, None) {
        Ok(history) => sections::stance_history(page.report, &history),
        // Without a party or an issue to look up, the history cannot fail.
        Err(_) => html! {},
    }
}

fn importance_text(importance: Option<&Importance>) -> String {
    match importance {
        Some(Importance::Level(level)) => level.as_str().to_owned(),
        Some(Importance::Weight(weight)) => format!("weight {weight}"),
        None => "—".to_owned(),
    }
}

fn stance_text(stance: &Stance) -> String {
    match stance {
        Stance::Level(level) => level.as_str().replace('-', " "),
        Stance::Value(value) => format!("{value:.2}"),
    }
}

/// The positions in the record, the last recorded first.
fn positions(page: &Page<'_>) -> Markup {
    let report = page.report;
    let positions = &page.view.scenario.scenario().positions;
    html! {
        section #positions {
            h2 { "Positions in the record (" (positions.len()) ")" }
            p.small.muted { "Every position you may see, the last recorded first; the matrix above shows each party's latest." }
            @if positions.is_empty() {
                p.muted { "None." }
            } @else {
                div.scroll tabindex="0" role="region" aria-label="Positions" {
                    table.positions {
                        thead { tr { th { "Party" } th { "Issue" } th { "Date" } th { "Importance" } th { "Stances" } th { "Note" } } }
                        tbody {
                            @for position in positions.iter().rev() {
                                tr {
                                    td { (party_name(report, position.party.as_str())) (visibility_badge(report, &position.visibility)) }
                                    td { (issue_title(report, position.issue.as_str())) }
                                    td style="white-space:nowrap" {
                                        @match &position.date { Some(date) => (date.to_string()), None => span.muted { "undated" } }
                                    }
                                    td { (importance_text(position.importance.as_ref())) }
                                    td.small.stances {
                                        @for (idx, (option, stance)) in position.stances.iter().enumerate() {
                                            @if idx > 0 { br; }
                                            span title=(option_label(report, position.issue.as_str(), option.as_str())) { (option) } ": " strong { (stance_text(stance)) }
                                        }
                                    }
                                    td.small.note { @if let Some(note) = &position.note { (note) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The form to record a position: a delegate's party is fixed, a mediator chooses one. A
/// delegate's form starts from the party's current stances.
fn position_form(page: &Page<'_>, sent: Option<&Sent>) -> Markup {
    let report = page.report;
    let inputs = Inputs::new(FormKind::Position, sent);
    let Some(first_issue) = report.issues.first() else {
        return html! {};
    };
    let chosen_issue = inputs.value("issue", &first_issue.id);
    let issues: Vec<(String, String)> =
        report.issues.iter().map(|issue| (issue.id.clone(), issue.title.clone())).collect();
    let current = |issue: &str| {
        let party = page.own_party()?;
        report.stance_matrix.iter().find(|cell| cell.party == party.as_str() && cell.issue == issue)
    };
    let mut importances = vec![(String::new(), "not given".to_owned())];
    importances.extend(
        ImportanceLevel::ALL
            .iter()
            .map(|level| (level.as_str().to_owned(), level.as_str().to_owned())),
    );
    let stances_error = inputs.error("stances");
    html! {
        section #record-position {
            h2 { "Record a change of position" }
            p.small.muted {
                "A new position on an issue replaces the party's earlier one from that date on; the matrix shows the latest. "
                "Options left at “not recorded” are unknown."
            }
            form.record method="post" action="/forms/position" {
                (inputs.problem())
                (inputs.party(page, "party", "Party", None))
                (inputs.select("issue", "Issue", &issues, &first_issue.id, Opts { required: true, switch: true, ..Opts::default() }))
                (inputs.text("date", "Date", "date", &page.default_date(), Opts::default()))
                @for issue in &report.issues {
                    @let cell = current(&issue.id);
                    @let importance = cell.and_then(|cell| cell.importance.as_ref()).and_then(|value| value.as_str()).unwrap_or_default();
                    fieldset.invalid[stances_error.is_some() && chosen_issue == issue.id] data-case=(issue.id) {
                        legend { "Stances on " (issue.title) }
                        div.grid {
                            (inputs.select(&format!("importance:{}", issue.id), "How much it matters", &importances, importance, Opts::default()))
                            @for option in &issue.options {
                                @let stance = cell.and_then(|cell| cell.stances.iter().find(|(id, _)| *id == option.id)).map(|(_, stance)| stance);
                                @let (choices, default) = stance_choices(stance);
                                (inputs.select(&format!("stance:{}:{}", issue.id, option.id), option_label(report, &issue.id, &option.id), &choices, &default, Opts::default()))
                            }
                        }
                        @if chosen_issue == issue.id { @if let Some(error) = stances_error { p.field-error { (error) } } }
                    }
                }
                @let private = page.own_party().map_or("the party", |party| party_name(report, party.as_str()));
                (inputs.visibility(page, "private", private))
                (inputs.textarea("note", "Note: why the record reads the source this way", "", Opts { wide: true, ..Opts::default() }))
                div.actions { button.primary type="submit" { "Record position" } }
            }
        }
    }
}

/// The choices of a stance, and the one a fresh form starts from (the current stance, which
/// may be an exact value).
fn stance_choices(current: Option<&serde_json::Value>) -> (Vec<(String, String)>, String) {
    let mut choices = vec![(String::new(), "not recorded".to_owned())];
    choices.extend(
        StanceLevel::ALL
            .iter()
            .map(|level| (level.as_str().to_owned(), level.as_str().replace('-', " "))),
    );
    let default = match current {
        Some(serde_json::Value::String(level)) => level.clone(),
        Some(serde_json::Value::Number(number)) => {
            let value = number.to_string();
            choices.push((value.clone(), format!("exactly {value}")));
            value
        }
        _ => String::new(),
    };
    (choices, default)
}
