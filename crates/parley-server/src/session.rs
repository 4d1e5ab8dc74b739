//! Signing in and out of the pages: a token (from `parley db add-user`, or printed by `parley
//! serve` on first start) is exchanged for a session cookie. Attempts are rate-limited per
//! address; a wrong token and a revoked one are answered alike.

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::auth::{ClientAddress, authenticate, cleared_cookie, safe_next, session_cookie};
use crate::pages;
use crate::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/sign-in", get(sign_in_page).post(sign_in))
        .route("/sign-out", post(sign_out))
}

#[derive(Deserialize, Debug, Default)]
pub(crate) struct SignInQuery {
    next: Option<String>,
    /// A token in the link `parley serve` prints: signs in at once.
    token: Option<String>,
}

#[derive(Deserialize, Debug)]
pub(crate) struct SignInForm {
    token: String,
    next: Option<String>,
}

async fn sign_in_page(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Query(query): Query<SignInQuery>,
) -> Response {
    match query.token {
        Some(token) => finish(&state, &address, &token, query.next.as_deref()).await,
        None => pages::sign_in(safe_next(query.next.as_deref()), None).into_response(),
    }
}

async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Form(form): Form<SignInForm>,
) -> Response {
    finish(&state, &address, form.token.trim(), form.next.as_deref()).await
}

async fn finish(state: &AppState, address: &str, token: &str, next: Option<&str>) -> Response {
    let next = safe_next(next);
    match authenticate(state, token, address).await {
        Ok(Some(_)) => {
            let mut response = Redirect::to(next).into_response();
            if let Ok(cookie) = HeaderValue::from_str(&session_cookie(token)) {
                response.headers_mut().insert(header::SET_COOKIE, cookie);
            }
            response
        }
        Ok(None) => (
            StatusCode::UNAUTHORIZED,
            pages::sign_in(next, Some("That token is unknown or has been revoked.")),
        )
            .into_response(),
        Err(error) => {
            let mut response =
                (error.status, pages::sign_in(next, Some(&error.message))).into_response();
            if let Some(seconds) = error.retry_after {
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            response
        }
    }
}

async fn sign_out() -> Response {
    let mut response = Redirect::to("/sign-in").into_response();
    if let Ok(cookie) = HeaderValue::from_str(&cleared_cookie()) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}
