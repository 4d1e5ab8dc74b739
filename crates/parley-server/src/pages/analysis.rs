//! `/analysis`: the analysis of the record as the caller may see it, with the report's plots
//! (agreement zone, packages, Pareto frontier, what blocks a deal, draft evaluations,
//! robustness, the utility model). It is computed once per view, off the async threads
//! ([`AppState::analysis`]), and its markup is kept with the view.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use maud::{PreEscaped, html};
use parley_report::html::sections;

use super::{Nav, Page, PageError, PageQuery, layout, notice, view_for};
use crate::auth::PageCaller;
use crate::state::AppState;

pub(super) async fn page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let view = view_for(&state, &caller, &query).await?;
    let record = view.record();
    let page = Page {
        caller: &caller,
        view: &view,
        report: &record,
        as_of: query.as_of(),
        notice: notice(query.done.as_deref()),
    };
    let analysed = match state.analysis(view.clone()).await {
        Ok((report, _)) => {
            let markup = view.cached("page:analysis", |_| {
                let Some(analysis) = &report.analysis else {
                    return axum::body::Bytes::new();
                };
                html! {
                    (sections::zone(&report, analysis))
                    (sections::packages(&report, analysis))
                    (sections::frontier(&report, analysis))
                    (sections::no_deal(&report, analysis))
                    (sections::evaluations(&report, analysis))
                    (sections::robustness(&report, analysis))
                    (sections::relaxations(&report, analysis))
                    (sections::model_and_scale(&report))
                }
                .into_string()
                .into()
            });
            Ok(PreEscaped(String::from_utf8_lossy(&markup).into_owned()))
        }
        Err(error) => Err(error.message),
    };
    let content = html! {
        h1 { "Analysis" }
        p.lead {
            "What the recorded positions imply, computed from the record as you may see it. "
            "It rests on the scale and on the analyst's assumptions, listed at the end."
        }
        nav.toc aria-label="Sections" {
            (sections::analysis_links())
            a href="#model" { "Model and assumptions" }
        }
        div data-live="analysis" {
            @match &analysed {
                Ok(markup) => (markup),
                Err(message) => section { p.form-error role="alert" { (message) } },
            }
        }
    };
    Ok(layout(&page, Nav::Analysis, "Analysis", content).into_response())
}
