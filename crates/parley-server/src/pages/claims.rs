//! `/claims`: every claim and its status, the contested ones with their counter-claims (the
//! report's section), and the form to record a claim.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use parley_model::scenario::ClaimStatus;
use parley_report::html::sections;

use super::forms::{FormKind, Inputs, Opts, Sent};
use super::{Nav, Page, PageError, PageQuery, layout, party_name, show};
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
    let report = page.report;
    let content = html! {
        h1 { "Claims" }
        p.lead { "What the parties assert, and whether it is confirmed, refuted, contested or unverified." }
        @if page.offers_forms() { p.jump { a href="#record-claim" { "Record a claim ↓" } } }
        div data-live="claims" {
            section #all-claims {
                h2 { "Claims (" (report.claims.len()) ")" }
                @if report.claims.is_empty() {
                    p.muted { "None." }
                } @else {
                    div.scroll tabindex="0" role="region" aria-label="Claims" {
                        table.stack {
                            thead { tr { th { "Claimant" } th { "Claim" } th { "Status" } th { "When, where" } th { "Disputes" } } }
                            tbody {
                                @for claim in &report.claims {
                                    tr id=(format!("claim-{}", claim.id)) {
                                        td.claimant { strong { (party_name(report, &claim.claimant)) } }
                                        td { (claim.statement) br; code.small { (claim.id) } }
                                        td data-label="Status" { span class={ "badge status-" (claim.status) } { (claim.status) } }
                                        td.small data-label="When, where" {
                                            @match &claim.date { Some(date) => (date.display), None => span.muted { "undated" } }
                                            @if let Some(place) = &claim.place { br; (place) }
                                        }
                                        td.small data-label="Disputes" {
                                            @match &claim.disputes {
                                                Some(disputed) => a href=(format!("#claim-{disputed}")) { (disputed) },
                                                None => span.muted { "—" },
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (sections::claims(report))
        }
        @if page.offers_forms() { (claim_form(page, sent)) }
    };
    layout(page, Nav::Claims, "Claims", content)
}

/// The form to record a claim: a delegate's claims are its party's; a mediator names the
/// claimant.
fn claim_form(page: &Page<'_>, sent: Option<&Sent>) -> Markup {
    let report = page.report;
    let inputs = Inputs::new(FormKind::Claim, sent);
    let statuses: Vec<(String, String)> = ClaimStatus::ALL
        .iter()
        .map(|status| (status.as_str().to_owned(), status.as_str().to_owned()))
        .collect();
    let mut disputes = vec![(String::new(), "none".to_owned())];
    disputes.extend(report.claims.iter().map(|claim| {
        let mut statement: String = claim.statement.chars().take(70).collect();
        if statement.len() < claim.statement.len() {
            statement.push('…');
        }
        (claim.id.clone(), format!("{}: {statement}", party_name(report, &claim.claimant)))
    }));
    html! {
        section #record-claim {
            h2 { "Record a claim" }
            p.small.muted { "A claim that counters another names it under “disputes”; it may not be dated before it." }
            form.record method="post" action="/forms/claim" {
                (inputs.problem())
                (inputs.party(page, "claimant", "Claimant", None))
                (inputs.select("status", "Status", &statuses, "unverified", Opts { required: true, ..Opts::default() }))
                (inputs.text("date", "Date", "date", &page.default_date(), Opts::default()))
                (inputs.text("place", "Place", "text", "", Opts::default()))
                (inputs.select("disputes", "Disputes", &disputes, "", Opts::default()))
                (inputs.visibility(page, "public", "the claimant"))
                (inputs.textarea("statement", "What is claimed", "", Opts { required: true, wide: true, ..Opts::default() }))
                div.actions { button.primary type="submit" { "Record claim" } }
            }
        }
    }
}
