//! `/drafts`: the drafts and their lineage (the report's diagram), one draft
//! (`/drafts/{id}`), two drafts side by side (`/drafts/diff?from=A&to=B`, from
//! [`parley_report::diff::draft_diff`]), and the form to record a draft.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use parley_model::scenario::{DraftStatus, PointSelection, Settlement};
use parley_report::html::sections;
use serde::Deserialize;
use serde_json::Value;

use super::forms::{FormKind, Inputs, Opts, Sent};
use super::{
    Nav, Page, PageError, PageQuery, issue_title, layout, option_label, party_name, show,
    visibility_badge,
};
use crate::auth::{PageCaller, encode_component};
use crate::error::ApiError;
use crate::state::AppState;
use parley_report::diff::{DraftDiff, draft_diff};

pub(super) async fn page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    show(&state, &caller, &query, |page| Ok(render(page, None).into_response())).await
}

fn status_badge(status: &str) -> Markup {
    html! { span class={ "badge status-" (status) } { (status) } }
}

/// A status's basis when it is the analyst's reading or assumption.
fn status_basis(basis: &str) -> Markup {
    html! {
        @if basis == "inferred" || basis == "assumed" {
            " " span.assumed title="the analyst's reading or assumption" { (basis) }
        }
    }
}

fn diff_href(page: &Page<'_>, from: &str, to: &str) -> String {
    page.href(&format!("/drafts/diff?from={}&to={}", encode_component(from), encode_component(to)))
}

fn draft_href(page: &Page<'_>, id: &str) -> String {
    page.href(&format!("/drafts/{}", encode_component(id)))
}

pub(super) fn render(page: &Page<'_>, sent: Option<&Sent>) -> Markup {
    let report = page.report;
    let content = html! {
        h1 { "Drafts" }
        p.lead { "The successive texts of the plan and how each revises the ones before." }
        p.jump {
            a href="#compare" { "Compare two drafts ↓" }
            @if page.offers_forms() { " · " a href="#record-draft" { "Record a draft ↓" } }
        }
        div data-live="drafts" {
            section #lineage {
                h2 { "Lineage" }
                @if report.drafts.is_empty() {
                    p.muted { "No drafts are recorded." }
                } @else {
                    figure.scroll tabindex="0" {
                        (sections::lineage(report))
                        figcaption { "Each box is a draft, coloured by status; an arrow runs from a draft to the one that revises it, labelled with what became of the parent's points." }
                    }
                }
            }
            section #draft-list {
                h2 { "Drafts (" (report.drafts.len()) ")" }
                @if !report.drafts.is_empty() {
                    div.scroll tabindex="0" role="region" aria-label="Drafts" {
                        table.stack {
                            thead { tr { th { "Draft" } th { "Status" } th { "Date" } th { "Author" } th.num { "Points" } th { "Revises" } } }
                            tbody {
                                @for draft in &report.drafts {
                                    tr {
                                        td { a href=(draft_href(page, &draft.id)) { strong { (draft.title) } } br; code.small { (draft.id) } }
                                        td data-label="Status" {
                                            (status_badge(draft.status)) (status_basis(draft.status_basis))
                                            @if let Some(condition) = &draft.condition {
                                                br; span.small { "On condition (" (party_name(report, &condition.party)) "): " (condition.text) }
                                            }
                                        }
                                        td data-label="Date" { @match &draft.date { Some(date) => (date.display), None => span.muted { "undated" } } }
                                        td data-label="Author" { @match &draft.author { Some(author) => (party_name(report, author)), None => span.muted { "—" } } }
                                        td.num data-label="Points" { @if draft.n_points == 0 { span.muted { "not known" } } @else { (draft.n_points) } }
                                        td.small data-label="Revises" {
                                            @for (idx, lineage) in draft.lineage.iter().enumerate() {
                                                @if idx > 0 { br; }
                                                a href=(draft_href(page, &lineage.parent)) { (title_of(page, &lineage.parent)) }
                                                " · " a href=(diff_href(page, &lineage.parent, &draft.id)) { "compare" }
                                            }
                                            @if draft.lineage.is_empty() { span.muted { "—" } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        (picker(page, None))
        @if page.offers_forms() { (draft_form(page, sent)) }
    };
    layout(page, Nav::Drafts, "Drafts", content)
}

/// The pair of drafts to compare first: the latest draft that revises another, and its first
/// parent.
fn default_pair(page: &Page<'_>) -> Option<(String, String)> {
    page.report
        .drafts
        .iter()
        .rev()
        .find_map(|draft| Some((draft.lineage.first()?.parent.clone(), draft.id.clone())))
}

/// The form that picks two drafts to compare.
fn picker(page: &Page<'_>, chosen: Option<(&str, &str)>) -> Markup {
    let report = page.report;
    let default = default_pair(page);
    let (from, to) = match (chosen, &default) {
        (Some(chosen), _) => chosen,
        (None, Some((from, to))) => (from.as_str(), to.as_str()),
        (None, None) => ("", ""),
    };
    html! {
        section #compare {
            h2 { "Compare two drafts" }
            @if report.drafts.len() < 2 {
                p.muted { "Comparing needs two drafts." }
            } @else {
                form.picker method="get" action="/drafts/diff" {
                    @if let Some(as_of) = page.as_of { input type="hidden" name="as_of" value=(as_of); }
                    div.field {
                        label for="diff-from" { "Earlier draft" }
                        select #diff-from name="from" {
                            @for draft in &report.drafts { option value=(draft.id) selected[draft.id == from] { (draft.title) } }
                        }
                    }
                    div.field {
                        label for="diff-to" { "Later draft" }
                        select #diff-to name="to" {
                            @for draft in &report.drafts { option value=(draft.id) selected[draft.id == to] { (draft.title) } }
                        }
                    }
                    div.actions { button.primary type="submit" { "Compare" } }
                }
            }
        }
    }
}

/// The form to record a draft: a delegate's drafts are its party's; a mediator names the
/// author, or none.
fn draft_form(page: &Page<'_>, sent: Option<&Sent>) -> Markup {
    let report = page.report;
    let inputs = Inputs::new(FormKind::Draft, sent);
    let statuses: Vec<(String, String)> = DraftStatus::ALL
        .iter()
        .map(|status| (status.as_str().to_owned(), status.as_str().to_owned()))
        .collect();
    let parents: Vec<(String, String)> = report
        .drafts
        .iter()
        .map(|draft| (draft.id.clone(), format!("{} ({})", draft.title, draft.status)))
        .collect();
    html! {
        section #record-draft {
            h2 { "Record a draft" }
            p.small.muted {
                "A draft that revises others names them as parents; what became of their points is recorded as not known here. "
                a href="/records/drafts" { "The full draft form" }
                " records its points, bracketed alternatives and what became of each parent's points, and shows its difference from its parents as you type."
            }
            form.record method="post" action="/forms/draft" {
                (inputs.problem())
                (inputs.text("title", "Title", "text", "", Opts { required: true, ..Opts::default() }))
                (inputs.select("status", "Status", &statuses, "proposed", Opts { required: true, ..Opts::default() }))
                (inputs.text("date", "Date", "date", &page.default_date(), Opts::default()))
                (inputs.party(page, "author", "Author", Some("no author named")))
                (inputs.visibility(page, "public", "the author"))
                @if !parents.is_empty() { (inputs.checks("parents", "Revises (parents)", &parents)) }
                (inputs.textarea("summary", "Summary", "", Opts { wide: true, ..Opts::default() }))
                div.actions { button.primary type="submit" { "Record draft" } }
            }
        }
    }
}

pub(super) async fn draft_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    show(&state, &caller, &query, |page| draft(page, &id)).await
}

/// One draft: its points, its lineage and the drafts that revise it.
fn draft(page: &Page<'_>, id: &str) -> Result<Response, PageError> {
    let report = page.report;
    let scenario = page.view.scenario.scenario();
    let (Some(draft), Some(summary)) = (
        scenario.drafts.iter().find(|draft| draft.id.as_str() == id),
        report.drafts.iter().find(|draft| draft.id == id),
    ) else {
        return Err(ApiError::not_found("draft", id).into());
    };
    let children: Vec<&parley_model::scenario::Draft> =
        scenario.drafts.iter().filter(|child| child.parents.contains(&draft.id)).collect();
    let content = html! {
        p.crumbs { a href=(page.href("/drafts")) { "← All drafts" } }
        h1 { (draft.title) }
        p.meta {
            (status_badge(draft.status.as_str())) (status_basis(draft.status_basis.as_str()))
            @if let Some(stage) = draft.stage { " · " (stage.as_str()) }
            " · " code { (draft.id) }
            (visibility_badge(report, &draft.visibility))
        }
        div data-live="draft" {
            section {
                dl.kv {
                    dt { "Date" } dd { @match &draft.date { Some(date) => (date.to_string()), None => span.muted { "undated" } } }
                    dt { "Author" } dd { @match &draft.author { Some(author) => (party_name(report, author.as_str())), None => span.muted { "not named" } } }
                    dt { "Points" } dd {
                        (summary.n_points)
                        @if summary.n_described_points < summary.n_points { ", " (summary.n_described_points) " described" }
                        @if summary.n_open_brackets > 0 { ", " (summary.n_open_brackets) " with bracketed options" }
                    }
                }
                @if let Some(condition) = &draft.condition {
                    p { strong { "On condition" } " (" (party_name(report, condition.party.as_str())) "): " (condition.text) }
                }
                @if !draft.summary.is_empty() { p { (draft.summary) } }
            }
            (super::columns::agreement_summary(page, summary))
            section #points {
                h2 { "Points described (" (draft.points.len()) ")" }
                @if draft.points.is_empty() {
                    p.muted { "The record describes none of this draft's points." }
                } @else {
                    div.scroll tabindex="0" role="region" aria-label="Points described" {
                        table {
                            thead { tr { th.num { "#" } th { "Text" } th { "Issue" } th { "Settles on" } } }
                            tbody {
                                @for point in &draft.points {
                                    tr {
                                        td.num { @if let Some(number) = point.number { (number) } }
                                        td { (point.text) br; code.small { (point.id) } }
                                        td { @if let Some(issue) = &point.issue { (issue_title(report, issue.as_str())) } }
                                        td {
                                            @let issue = point.issue.as_ref().map_or("", |issue| issue.as_str());
                                            @match &point.settlement {
                                                Settlement::Unspecified => span.muted { "not known" },
                                                Settlement::Option(option) => (option_label(report, issue, option.as_str())),
                                                Settlement::Bracketed(options) => {
                                                    "bracketed: "
                                                    (options.iter().map(|option| option_label(report, issue, option.as_str())).collect::<Vec<_>>().join(" | "))
                                                },
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            section #draft-lineage {
                h2 { "Lineage" }
                @if draft.parents.is_empty() && children.is_empty() {
                    p.muted { "This draft revises none you may see, and none revises it." }
                }
                @if !draft.parents.is_empty() {
                    h3 { "Revises" }
                    ul {
                        @for parent in &draft.parents {
                            li {
                                a href=(draft_href(page, parent.as_str())) { (title_of(page, parent.as_str())) }
                                " · " a href=(diff_href(page, parent.as_str(), draft.id.as_str())) { "compare" }
                                @for entry in draft.lineage.iter().filter(|entry| &entry.parent == parent) {
                                    br;
                                    span.small {
                                        @match &entry.points {
                                            PointSelection::Rest => "the rest of its points",
                                            PointSelection::Listed(points) => { "points " (points.iter().map(|point| point.as_str()).collect::<Vec<_>>().join(", ")) },
                                        }
                                        ": " strong { (entry.fate.as_str()) }
                                        @if let Some(into) = &entry.into { " into " code { (into) } }
                                    }
                                }
                            }
                        }
                    }
                }
                @if !children.is_empty() {
                    h3 { "Revised by" }
                    ul {
                        @for child in &children {
                            li {
                                a href=(draft_href(page, child.id.as_str())) { (child.title) }
                                " · " a href=(diff_href(page, draft.id.as_str(), child.id.as_str())) { "compare" }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout(page, Nav::Drafts, &draft.title, content).into_response())
}

#[derive(Deserialize, Debug, Default)]
pub(super) struct DiffQuery {
    from: Option<String>,
    to: Option<String>,
    as_of: Option<String>,
}

pub(super) async fn diff_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(query): Query<DiffQuery>,
) -> Result<Response, PageError> {
    let page_query = PageQuery { as_of: query.as_of.clone(), done: None };
    show(&state, &caller, &page_query, |page| diff(page, &query)).await
}

/// The difference between two drafts, with the picker to choose them.
fn diff(page: &Page<'_>, query: &DiffQuery) -> Result<Response, PageError> {
    let chosen = match (query.from.as_deref(), query.to.as_deref()) {
        (Some(from), Some(to)) => Some((from.to_owned(), to.to_owned())),
        _ => default_pair(page),
    };
    let compared = chosen.as_ref().map(|(from, to)| {
        draft_diff(page.view.scenario.scenario(), from, to)
            .map(|diff| (from, to, diff))
            .map_err(ApiError::from)
    });
    let status = match &compared {
        Some(Err(error)) => error.status,
        _ => StatusCode::OK,
    };
    let content = html! {
        p.crumbs { a href=(page.href("/drafts")) { "← All drafts" } }
        h1 { "Compare drafts" }
        (picker(page, chosen.as_ref().map(|(from, to)| (from.as_str(), to.as_str()))))
        div data-live="diff" {
            @match &compared {
                None => p.muted { "Choose two drafts to compare." },
                Some(Err(error)) => p.form-error role="alert" { (error.message) },
                Some(Ok((from, to, diff))) => (diff_section(page, from, to, diff)),
            }
        }
    };
    Ok((status, layout(page, Nav::Drafts, "Compare drafts", content)).into_response())
}

fn title_of<'a>(page: &'a Page<'_>, id: &'a str) -> &'a str {
    page.report.drafts.iter().find(|draft| draft.id == id).map_or(id, |draft| draft.title.as_str())
}

/// A value of a draft's field as it reads.
fn value_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(", "),
        Value::Object(map) if map.contains_key("date") => {
            let mut text = map.get("date").map(value_text).unwrap_or_default();
            for key in ["precision", "basis"] {
                if let Some(Value::String(word)) = map.get(key) {
                    text.push_str(&format!(" ({word})"));
                }
            }
            text
        }
        Value::Object(map) if map.contains_key("track") => {
            format!("shared with track {}", map.get("track").map(value_text).unwrap_or_default())
        }
        other => other.to_string(),
    }
}

/// A point of a draft, as the diff gives it (the file's shape).
fn point_cell(page: &Page<'_>, point: Option<&Value>) -> Markup {
    let Some(point) = point else { return html! { span.muted { "—" } } };
    let text = |key: &str| point.get(key).and_then(Value::as_str);
    let issue = text("issue").unwrap_or_default();
    html! {
        @if let Some(number) = point.get("number").and_then(Value::as_u64) { strong { (number) ". " } }
        (text("text").unwrap_or_default())
        br;
        span.small.muted {
            code { (text("id").unwrap_or_default()) }
            @if !issue.is_empty() {
                " · " (issue_title(page.report, issue))
                @if let Some(option) = text("option") { ": " (option_label(page.report, issue, option)) }
                @if let Some(Value::Array(options)) = point.get("brackets") {
                    ": bracketed "
                    (options.iter().filter_map(Value::as_str).map(|option| option_label(page.report, issue, option)).collect::<Vec<_>>().join(" | "))
                }
            }
        }
    }
}

pub(super) fn diff_section(page: &Page<'_>, from: &str, to: &str, diff: &DraftDiff) -> Markup {
    let count = |status: &str| diff.points.iter().filter(|pair| pair.status == status).count();
    html! {
        section #diff {
            h2 { (title_of(page, from)) " → " (title_of(page, to)) }
            p.small.muted {
                a href=(draft_href(page, from)) { code { (from) } } " → " a href=(draft_href(page, to)) { code { (to) } }
                " · points matched through the later draft's lineage, otherwise by id."
            }
            h3 { "Fields" }
            @if diff.fields.is_empty() {
                p.muted { "No field other than the points differs." }
            } @else {
                div.scroll tabindex="0" role="region" aria-label="Fields that differ" {
                    table.diff {
                        thead { tr { th { "Field" } th { (title_of(page, from)) } th { (title_of(page, to)) } } }
                        tbody {
                            @for field in &diff.fields {
                                tr.pair-changed {
                                    th { (field.field) }
                                    td.side.from { @match &field.from { Some(value) => (value_text(value)), None => span.muted { "—" } } }
                                    td.side.to { @match &field.to { Some(value) => (value_text(value)), None => span.muted { "—" } } }
                                }
                            }
                        }
                    }
                }
            }
            h3 { "Points" }
            p.small {
                span.badge.status-same { (count("same")) " same" } " "
                span.badge.status-changed { (count("changed")) " changed" } " "
                span.badge.status-added { (count("added")) " added" } " "
                span.badge.status-removed { (count("removed")) " removed" }
                @if count("unknown") > 0 {
                    " " span.badge.status-unknown { (count("unknown")) " fate not known" }
                }
            }
            @if diff.points.is_empty() {
                p.muted { "Neither draft describes its points." }
            } @else {
                div.scroll tabindex="0" role="region" aria-label="Points compared" {
                    table.diff {
                        thead { tr { th { "Change" } th { (title_of(page, from)) } th { (title_of(page, to)) } } }
                        tbody {
                            @for pair in &diff.points {
                                tr class={ "pair-" (pair.status) } {
                                    td {
                                        span class={ "badge status-" (pair.status) } { (pair.status) }
                                        @if let Some(fate) = pair.fate { br; span.small.muted { "lineage: " (fate) } }
                                    }
                                    td.side.from { (point_cell(page, pair.from.as_ref())) }
                                    td.side.to { (point_cell(page, pair.to.as_ref())) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
