//! A draft round and its agreement: `/drafts/{id}/columns` (each party's column beside the
//! compromise, point by point, the differences highlighted), `/drafts/{id}/agreement` (how
//! much of the draft is agreed, by whom, and the form to record a party's agreement), and
//! `/forms/agreement`, which records it through the API's own path
//! ([`crate::agreements::record_agreement`]). Everything is computed from the caller's view:
//! a column or an agreement the caller may not see leaves no trace, not even a count.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{Markup, html};
use parley_model::Id;
use parley_model::scenario::{AgreementKind, Settlement};
use parley_report::rounds;
use parley_store::users::Role;
use serde_json::{Value, json};

use super::forms::{Fields, same_origin};
use super::{Nav, Page, PageError, PageQuery, layout, party_name, show};
use crate::auth::{Caller, PageCaller, encode_component};
use crate::error::ApiError;
use crate::state::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/drafts/{id}/columns", get(columns_page))
        .route("/drafts/{id}/agreement", get(agreement_page))
        .route("/forms/agreement", post(record).get(|| async { Redirect::to("/drafts") }))
}

fn draft_href(page: &Page<'_>, id: &str, tail: &str) -> String {
    page.href(&format!("/drafts/{}{tail}", encode_component(id)))
}

async fn columns_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    show(&state, &caller, &query, |page| columns(page, &id)).await
}

/// The round of a draft, as the caller may see it.
fn columns(page: &Page<'_>, id: &str) -> Result<Response, PageError> {
    let round = Id::parse(id).ok().and_then(|id| rounds::round(&page.view.scenario, &id));
    let Some(round) = round else {
        return Err(ApiError::not_found("draft", id).into());
    };
    let content = html! {
        p.crumbs {
            a href=(page.href("/drafts")) { "← All drafts" } " · "
            a href=(draft_href(page, &round.draft, "")) { (round.title) }
        }
        h1 { "Columns: " (round.title) }
        p.lead {
            "Each party's proposal beside the compromise text, point by point. "
            "A highlighted cell differs from the compromise: ≠ other words or another settlement, + a point the compromise lacks."
        }
        div data-live="columns" {
            section #columns { (rounds::round_table(page.report, &round)) }
        }
    };
    Ok(layout(page, Nav::Drafts, &format!("Columns of {}", round.title), content).into_response())
}

/// The agreement of a draft on its page: the package and a link to the details and the form.
pub(crate) fn agreement_summary(
    page: &Page<'_>,
    draft: &parley_report::schema::DraftReport,
) -> Markup {
    let has_columns = page.report.rounds.iter().any(|round| round.draft == draft.id);
    html! {
        section #draft-agreement {
            h2 { "Agreement" }
            (rounds::agreement_block(page.report, &draft.agreement))
            p.small {
                a href=(draft_href(page, &draft.id, "/agreement")) {
                    @if page.offers_forms() { "Agreement by point, and record an agreement →" } @else { "Agreement by point →" }
                }
                @if has_columns { " · " a href=(draft_href(page, &draft.id, "/columns")) { "The parties' columns →" } }
                @if let Some(answers) = &draft.answers { " · " a href=(draft_href(page, answers, "/columns")) { "This column beside the compromise →" } }
            }
        }
    }
}

async fn agreement_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    show(&state, &caller, &query, |page| Ok(agreement(page, &id, None)?.into_response())).await
}

/// A form sent back with its problem.
struct Problem {
    fields: Fields,
    message: String,
}

/// The agreement of a draft point by point, and the form.
fn agreement(page: &Page<'_>, id: &str, problem: Option<&Problem>) -> Result<Markup, PageError> {
    let report = page.report;
    let scenario = page.view.scenario.scenario();
    let (Some(draft), Some(summary)) = (
        scenario.drafts.iter().find(|draft| draft.id.as_str() == id),
        report.drafts.iter().find(|draft| draft.id == id),
    ) else {
        return Err(ApiError::not_found("draft", id).into());
    };
    let status = parley_model::agreement::draft_agreement(&page.view.scenario, draft);
    let agreed_text = |agreed: &[parley_model::agreement::PartyAgreement]| {
        agreed
            .iter()
            .map(|agreement| {
                let mut text = format!(
                    "{} ({}",
                    party_name(report, agreement.party.as_str()),
                    agreement.kind.as_str()
                );
                if let Some(date) = &agreement.date {
                    text.push_str(&format!(", {date}"));
                }
                if agreement.whole {
                    text.push_str(", whole draft");
                }
                text.push(')');
                text
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let content = html! {
        p.crumbs {
            a href=(page.href("/drafts")) { "← All drafts" } " · "
            a href=(draft_href(page, id, "")) { (draft.title) }
        }
        h1 { "Agreement: " (draft.title) }
        p.lead { "Nothing is agreed until everything is agreed: a point agreed ad referendum stays provisional until every consenting party accepts the whole draft." }
        div data-live="agreement" {
            section #agreement-summary { (rounds::agreement_block(report, &summary.agreement)) }
            section #agreement-points {
                h2 { "By point" }
                @if status.points.is_empty() { p.muted { "The record describes none of this draft's points." } }
                @else {
                    div.scroll tabindex="0" role="region" aria-label="Agreement by point" {
                        table.stack {
                            thead { tr { th { "Point" } th { "Agreed" } th { "By" } th { "Needs" } } }
                            tbody {
                                @for point in &status.points {
                                    tr {
                                        td { @if let Some(number) = point.point.number { (number) ". " } code { (point.point.id) }
                                            @if matches!(point.point.settlement, Settlement::Bracketed(_)) { " " span.badge { "bracketed" } } }
                                        td data-label="Agreed" { span class={ "badge agreed-" (point.state.as_str()) } { (point.state.as_str()) } }
                                        td data-label="By" { @if point.agreed.is_empty() { span.muted { "—" } } @else { (agreed_text(&point.agreed)) } }
                                        td.small data-label="Needs" { (point.needed.iter().map(|party| party_name(report, party.as_str())).collect::<Vec<_>>().join(", ")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if page.offers_forms() { (agreement_form(page, draft, problem)) }
    };
    Ok(layout(page, Nav::Drafts, &format!("Agreement on {}", draft.title), content))
}

/// The form to record a party's agreement: a delegate's is its own party's.
fn agreement_form(
    page: &Page<'_>,
    draft: &parley_model::scenario::Draft,
    problem: Option<&Problem>,
) -> Markup {
    let report = page.report;
    let value = |name: &str, default: &str| -> String {
        match problem {
            Some(problem) => problem.fields.get(name).unwrap_or_default().to_owned(),
            None => default.to_owned(),
        }
    };
    let point_value = value("point", "");
    let kind_value = value("kind", AgreementKind::AdReferendum.as_str());
    let party_value = value("party", "");
    let visibility_value = value("visibility", "public");
    let mut visibilities = vec![
        ("public".to_owned(), "Everyone who sees the draft".to_owned()),
        ("private".to_owned(), "Private: the party and the mediators".to_owned()),
    ];
    for track in &report.tracks {
        if page.own_party().is_none_or(|party| track.parties.iter().any(|id| id == party.as_str()))
        {
            visibilities
                .push((format!("track:{}", track.id), format!("Shared with {}", track.name)));
        }
    }
    html! {
        section #record-agreement {
            h2 { "Record an agreement" }
            @if let Some(problem) = problem { p.form-error role="alert" { "The record was not changed: " (problem.message) } }
            form.record method="post" action="/forms/agreement" {
                input type="hidden" name="draft" value=(draft.id);
                div.field {
                    label for="agreement-party" { "Party" }
                    @match page.own_party() {
                        Some(party) => {
                            input #agreement-party type="text" value=(party_name(report, party.as_str())) readonly;
                            input type="hidden" name="party" value=(party);
                        }
                        None => select #agreement-party name="party" required {
                            option value="" { "Choose a party" }
                            @for party in &report.party_details { option value=(party.id) selected[party.id == party_value] { (party.name) } }
                        }
                    }
                }
                div.field {
                    label for="agreement-point" { "Point" }
                    select #agreement-point name="point" {
                        option value="" selected[point_value.is_empty()] { "The whole draft" }
                        @for point in &draft.points {
                            option value=(point.id) selected[point.id.as_str() == point_value] {
                                @if let Some(number) = point.number { (number) ". " } (point.id)
                            }
                        }
                    }
                }
                div.field {
                    label for="agreement-kind" { "Agreed" }
                    select #agreement-kind name="kind" {
                        option value="ad-referendum" selected[kind_value == "ad-referendum"] { "ad referendum (provisional)" }
                        option value="final" selected[kind_value == "final"] { "final" }
                    }
                }
                div.field {
                    label for="agreement-date" { "Date" }
                    input #agreement-date type="date" name="date" value=(value("date", &page.default_date()));
                }
                div.field.span2 {
                    label for="agreement-cite" { "Source (source#section)" }
                    input #agreement-cite type="text" name="cite" value=(value("cite", ""));
                }
                div.field.span2 {
                    label for="agreement-visibility" { "Who may see it" }
                    select #agreement-visibility name="visibility" {
                        @for (key, label) in &visibilities { option value=(key) selected[*key == visibility_value] { (label) } }
                    }
                }
                div.actions { button.primary type="submit" { "Record agreement" } }
            }
        }
    }
}

/// The agreement a form describes, in the file's shape.
fn agreement_body(fields: &Fields) -> Value {
    let mut body = json!({
        "party": fields.get("party").unwrap_or_default(),
        "kind": fields.get("kind").unwrap_or("ad-referendum"),
    });
    for name in ["point", "date"] {
        if let Some(value) = fields.get(name) {
            body[name] = Value::from(value);
        }
    }
    if let Some(cite) = fields.get("cite") {
        body["cites"] = json!([cite]);
    }
    if let Some(visibility) = fields.get("visibility") {
        body["visibility"] = match visibility.strip_prefix("track:") {
            Some(track) => json!({ "track": track }),
            None => Value::from(visibility),
        };
    }
    body
}

async fn record(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    if !same_origin(&headers, state.inner.options.trust_proxy) {
        return PageError(ApiError::forbidden(
            "the form was sent from a page of another site: open the page here and send it again",
        ))
        .into_response();
    }
    if caller.user.role == Role::Observer {
        return PageError(ApiError::forbidden("observers cannot record changes")).into_response();
    }
    let fields = Fields(fields);
    let Some(draft) = fields.get("draft").and_then(|draft| Id::parse(draft).ok()) else {
        return PageError(ApiError::bad_request("draft", "choose the draft")).into_response();
    };
    let mut body = agreement_body(&fields);
    if let Role::Delegate(party) = &caller.user.role {
        body["party"] = Value::from(party.as_str());
    }
    let error = match crate::agreements::record_agreement(&state, &caller, &draft, body).await {
        Ok(_) => {
            let to =
                format!("/drafts/{}/agreement?done=agreement", encode_component(draft.as_str()));
            return Redirect::to(&to).into_response();
        }
        Err(error) => error,
    };
    let problem = Problem { fields, message: error.message.clone() };
    match render_again(&state, &caller, draft.as_str(), &problem).await {
        Ok(page) => (error.status, page).into_response(),
        Err(page_error) => page_error.into_response(),
    }
}

async fn render_again(
    state: &AppState,
    caller: &Caller,
    draft: &str,
    problem: &Problem,
) -> Result<Markup, PageError> {
    let view = state.view(&caller.viewer, None).await?;
    let report = view.record();
    let page = Page { caller, view: &view, report: &report, as_of: None, notice: None };
    agreement(&page, draft, Some(problem))
}
