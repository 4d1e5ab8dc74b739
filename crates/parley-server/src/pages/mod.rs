//! The web pages, rendered on the server from the caller's view with maud: little script, no
//! build step. Every page is a view of [`crate::state::View`], so it shows only what the
//! signed-in user may see.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{DOCTYPE, Markup, html};

use crate::api::ReadQuery;
use crate::auth::PageCaller;
use crate::error::ApiError;
use crate::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/", get(overview))
}

/// The sign-in page.
pub(crate) fn sign_in(next: &str, error: Option<&str>) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; meta name="viewport" content="width=device-width, initial-scale=1"; title { "Sign in · Parley" } }
            body {
                main {
                    h1 { "Sign in" }
                    @if let Some(error) = error { p.error role="alert" { (error) } }
                    form method="post" action="/sign-in" {
                        input type="hidden" name="next" value=(next);
                        label for="token" { "Token" }
                        input #token type="password" name="token" autocomplete="current-password" required;
                        button type="submit" { "Sign in" }
                    }
                }
            }
        }
    }
}

async fn overview(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(query): Query<ReadQuery>,
) -> Result<Response, ApiError> {
    let view = state.view(&caller.viewer, query.time()?).await?;
    let report = view.record();
    Ok(html! {
        (DOCTYPE)
        html lang="en" {
            head { meta charset="utf-8"; title { (report.scenario.title) " · Parley" } }
            body { h1 { (report.scenario.title) } p { "Signed in as " (caller.user.name) } }
        }
    }
    .into_response())
}
