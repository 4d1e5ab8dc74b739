//! Signing in and out of the pages. A browser signs in with a one-time sign-in link (printed
//! by `parley serve` on first start, or by `parley db sign-in-link`) or with an API token
//! pasted in the form; either way it gets a session of its own, kept hashed by the store,
//! that sign-out revokes. Signing in is always a form post from this site's own sign-in
//! page: a link opens the page, which asks to confirm, so that neither a link nor a
//! cross-site form can sign a browser in as someone else (login CSRF). Attempts are
//! rate-limited per address; a wrong token and a revoked one are answered alike.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use parley_store::users::TokenKind;
use serde::Deserialize;

use crate::auth::{
    ClientAddress, SIGN_IN_CHECK_COOKIE, authenticate, cleared_cookie, cookie, over_tls, safe_next,
    session_cookie, session_token, sign_in_check_cookie, wrong_attempt,
};
use crate::error::ApiError;
use crate::pages;
use crate::pages::forms::same_origin;
use crate::state::AppState;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/sign-in", get(sign_in_page).post(sign_in))
        .route("/sign-out", post(sign_out))
}

#[derive(Deserialize, Debug, Default)]
pub(crate) struct SignInQuery {
    next: Option<String>,
    /// A one-time sign-in link's code: the page asks to confirm, then spends it.
    code: Option<String>,
}

#[derive(Deserialize, Debug)]
pub(crate) struct SignInForm {
    /// An API token pasted in the form.
    token: Option<String>,
    /// A sign-in link's code, carried by the confirmation form.
    code: Option<String>,
    /// The value of the sign-in check cookie the page set.
    check: Option<String>,
    next: Option<String>,
}

/// A fresh random value for the sign-in check.
fn fresh_check() -> Option<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).ok()?;
    Some(hex::encode(bytes))
}

/// The sign-in page, with a fresh check value in its form and in a cookie.
fn sign_in_form(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    next: &str,
    code: Option<&str>,
    error: Option<&str>,
) -> Response {
    let Some(check) = fresh_check() else {
        return ApiError::internal("no random bytes for the sign-in check").into_response();
    };
    let page = pages::sign_in(next, code, &check, error);
    let mut response = (status, page).into_response();
    let secure = over_tls(headers, &state.inner.options);
    if let Ok(value) = HeaderValue::from_str(&sign_in_check_cookie(&check, secure)) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

async fn sign_in_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<SignInQuery>,
) -> Response {
    let next = safe_next(query.next.as_deref());
    let code =
        query.code.as_deref().filter(|code| TokenKind::of(code) == Some(TokenKind::SignInLink));
    sign_in_form(&state, &headers, StatusCode::OK, next, code, None)
}

async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = safe_next(form.next.as_deref());
    // Compared in constant time, as a secret is.
    let checked = form.check.as_deref().is_some_and(|check| {
        let kept = cookie(&headers, SIGN_IN_CHECK_COOKIE).unwrap_or_default();
        !check.is_empty()
            && bool::from(subtle::ConstantTimeEq::ct_eq(check.as_bytes(), kept.as_bytes()))
    });
    if !checked || !same_origin(&headers, state.inner.options.trust_proxy) {
        let message = "This sign-in was not sent from this site's sign-in page: sign in here.";
        return sign_in_form(&state, &headers, StatusCode::FORBIDDEN, next, None, Some(message));
    }
    let code = form.code.as_deref().map(str::trim).filter(|code| !code.is_empty());
    let token = form.token.as_deref().map(str::trim).filter(|token| !token.is_empty());
    let user = match (code, token) {
        (Some(code), _) => match state.store().redeem_sign_in_link(code).await {
            Ok(Some(user)) => Ok(Some(user)),
            Ok(None) => {
                let message = "That sign-in link is unknown, expired or used already: ask for a new one (`parley db sign-in-link NAME`).";
                return sign_in_form(
                    &state,
                    &headers,
                    StatusCode::UNAUTHORIZED,
                    next,
                    None,
                    Some(message),
                );
            }
            Err(error) => Err(ApiError::from(error)),
        },
        // A pasted token must be an API token: a session or a link is not one to paste.
        (None, Some(token)) if TokenKind::of(token) == Some(TokenKind::Api) => {
            match authenticate(&state, token).await {
                Ok(None) => wrong_attempt(&state, &address).map(|()| None),
                found => found,
            }
        }
        (None, Some(_)) => wrong_attempt(&state, &address).map(|()| None),
        (None, None) => Ok(None),
    };
    match user {
        Ok(Some(user)) => {
            let lifetime = state.inner.options.session_lifetime;
            let session =
                match state.store().issue(user.id, TokenKind::Session, Some(lifetime)).await {
                    Ok(session) => session,
                    Err(error) => return ApiError::from(error).into_response(),
                };
            let mut response = Redirect::to(next).into_response();
            let secure = over_tls(&headers, &state.inner.options);
            if let Ok(value) = HeaderValue::from_str(&session_cookie(&session, lifetime, secure)) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            response
        }
        Ok(None) => {
            let message = "That token is unknown or has been revoked.";
            sign_in_form(&state, &headers, StatusCode::UNAUTHORIZED, next, None, Some(message))
        }
        Err(error) => {
            let retry_after = error.retry_after;
            let mut response =
                sign_in_form(&state, &headers, error.status, next, None, Some(&error.message));
            if let Some(seconds) = retry_after {
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            response
        }
    }
}

/// Signs out: the session is revoked, not only forgotten by the browser.
async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !same_origin(&headers, state.inner.options.trust_proxy) {
        return ApiError::forbidden("sign out from a page of this site").into_response();
    }
    if let Some(session) = session_token(&headers)
        && TokenKind::of(session) == Some(TokenKind::Session)
        && let Err(error) = state.store().revoke_token(session).await
    {
        return ApiError::from(error).into_response();
    }
    let mut response = Redirect::to("/sign-in").into_response();
    let secure = over_tls(&headers, &state.inner.options);
    if let Ok(value) = HeaderValue::from_str(&cleared_cookie(secure)) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}
