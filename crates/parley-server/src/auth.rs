//! Who is asking: a token from `Authorization: Bearer ...` (API clients) or from the session
//! cookie set by the sign-in page (browsers). Tokens are the store's (kept hashed there);
//! failed attempts are rate-limited per address, like sign-ins.

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use parley_model::access::Viewer;
use parley_store::users::{Role, User};

use crate::error::ApiError;
use crate::state::AppState;

/// The session cookie's name.
pub(crate) const SESSION_COOKIE: &str = "parley_session";

/// A signed-in user.
#[derive(Clone, Debug)]
pub(crate) struct Caller {
    pub(crate) user: User,
    pub(crate) viewer: Viewer,
}

impl Caller {
    pub(crate) fn is_mediator(&self) -> bool {
        self.user.role == Role::Mediator
    }
}

/// The token a request carries, from its Authorization header or its session cookie.
pub(crate) fn request_token(headers: &HeaderMap) -> Option<&str> {
    // Another scheme (a proxy's basic authentication) is not ours: the cookie still counts.
    if let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
    {
        return Some(token.trim());
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|cookie| cookie.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value)
}

/// The client's address, for rate limits; requests built in tests have none.
pub(crate) fn client_address(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "local".to_owned(), |ConnectInfo(address)| address.ip().to_string())
}

/// The client's address, as an extractor.
pub(crate) struct ClientAddress(pub(crate) String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<ClientAddress, Self::Rejection> {
        Ok(ClientAddress(client_address(parts)))
    }
}

/// Checks a token (trusted for [`crate::ServerOptions::token_check_interval`] once checked);
/// a wrong one counts against the address's sign-in attempts.
pub(crate) async fn authenticate(
    state: &AppState,
    token: &str,
    address: &str,
) -> Result<Option<User>, ApiError> {
    let user =
        state.store().authenticate_within(token, state.inner.options.token_check_interval).await?;
    if user.is_none() && !state.inner.sign_in_limiter.check(address, Instant::now()) {
        let seconds = state.inner.options.sign_in_interval.as_secs().max(1);
        return Err(ApiError::too_many_requests(seconds));
    }
    Ok(user)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        if let Some(caller) = parts.extensions.get::<Caller>() {
            return Ok(caller.clone());
        }
        let token = request_token(&parts.headers).ok_or_else(ApiError::unauthorized)?.to_owned();
        let address = client_address(parts);
        let user = authenticate(state, &token, &address).await?.ok_or_else(|| {
            ApiError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                "the token is unknown or revoked: sign in again",
            )
        })?;
        let caller = Caller { viewer: user.role.viewer(), user };
        parts.extensions.insert(caller.clone());
        Ok(caller)
    }
}

/// A signed-in user of a page: one who is not signed in is sent to the sign-in page.
pub(crate) struct PageCaller(pub(crate) Caller);

/// Where a page sends one who is not signed in.
pub(crate) struct ToSignIn(Response);

impl IntoResponse for ToSignIn {
    fn into_response(self) -> Response {
        self.0
    }
}

impl FromRequestParts<AppState> for PageCaller {
    type Rejection = ToSignIn;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<PageCaller, ToSignIn> {
        match Caller::from_request_parts(parts, state).await {
            Ok(caller) => Ok(PageCaller(caller)),
            Err(error) if error.status == axum::http::StatusCode::TOO_MANY_REQUESTS => {
                Err(ToSignIn(error.into_response()))
            }
            Err(_) => {
                let next = parts.uri.path_and_query().map_or("/", |path| path.as_str());
                let target = format!("/sign-in?next={}", encode_component(next));
                Err(ToSignIn(Redirect::to(&target).into_response()))
            }
        }
    }
}

/// Percent-encodes a URL component.
pub(crate) fn encode_component(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~/".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// Where to go after signing in: a path on this server, never another site.
pub(crate) fn safe_next(next: Option<&str>) -> &str {
    match next {
        // A control character cannot go in the Location header.
        Some(next)
            if next.starts_with('/')
                && !next.starts_with("//")
                && !next.contains('\\')
                && !next.chars().any(char::is_control) =>
        {
            next
        }
        _ => "/",
    }
}

/// The cookie that keeps a browser signed in: not readable by scripts, sent only to this site.
pub(crate) fn session_cookie(token: &str) -> String {
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=2592000")
}

/// The cookie that signs a browser out.
pub(crate) fn cleared_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_come_from_the_header_or_the_cookie() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, "a=b; parley_session=parley_x; c=d".parse().unwrap());
        assert_eq!(request_token(&headers), Some("parley_x"));
        headers.insert(header::AUTHORIZATION, "Bearer parley_y".parse().unwrap());
        assert_eq!(request_token(&headers), Some("parley_y"));
        // Behind a proxy's basic authentication, the session cookie still counts.
        headers.insert(header::AUTHORIZATION, "Basic abc".parse().unwrap());
        assert_eq!(request_token(&headers), Some("parley_x"));
        headers.remove(header::COOKIE);
        assert_eq!(request_token(&headers), None);
    }

    #[test]
    fn sign_in_goes_back_to_this_site_only() {
        assert_eq!(safe_next(Some("/drafts?x=1")), "/drafts?x=1");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some("/\r\nSet-Cookie: a=b")), "/");
        assert_eq!(encode_component("/a b?c=d&e"), "/a%20b%3Fc%3Dd%26e");
    }
}
