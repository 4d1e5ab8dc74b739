//! Who is asking: an API token from `Authorization: Bearer ...` (API clients) or a session
//! from the cookie the sign-in page sets (browsers). Both are the store's, kept hashed there,
//! and neither is taken for the other: a cookie holds a session, never an API token. Failed
//! attempts are rate-limited per address, like sign-ins.

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use parley_model::access::Viewer;
use parley_store::users::{Role, TokenKind, User};

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
    session_token(headers)
}

/// The session a request's cookie carries.
pub(crate) fn session_token(headers: &HeaderMap) -> Option<&str> {
    cookie(headers, SESSION_COOKIE)
}

/// A cookie's value.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, wanted: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|cookie| cookie.trim().split_once('='))
        .find(|(name, _)| *name == wanted)
        .map(|(_, value)| value)
}

/// Whether a token may be used as it came: an API token by a bearer, a session by a cookie.
fn in_its_place(headers: &HeaderMap, token: &str) -> bool {
    let by_cookie = session_token(headers) == Some(token)
        && headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .is_none_or(|value| !value.starts_with("Bearer "));
    match TokenKind::of(token) {
        Some(TokenKind::Session) => by_cookie,
        Some(TokenKind::Api) => !by_cookie,
        // Unknown or a sign-in link: refused as a wrong token is.
        _ => true,
    }
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

/// Checks a token (trusted for [`crate::ServerOptions::token_check_interval`] once checked).
/// A wrong one is answered 401 every time: a token is 256 random bits, so guessing needs no
/// limit beyond the request rate, and a limit per address would let one client lock out
/// every user behind the same address. The sign-in form counts wrong tries (see
/// [`wrong_attempt`]).
pub(crate) async fn authenticate(state: &AppState, token: &str) -> Result<Option<User>, ApiError> {
    Ok(state.store().authenticate_within(token, state.inner.options.token_check_interval).await?)
}

/// Counts a wrong token against an address's sign-in attempts: 429 once they are used up.
pub(crate) fn wrong_attempt(state: &AppState, address: &str) -> Result<(), ApiError> {
    if state.inner.sign_in_limiter.check(address, Instant::now()) {
        Ok(())
    } else {
        let seconds = state.inner.options.sign_in_interval.as_secs().max(1);
        Err(ApiError::too_many_requests(seconds))
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        if let Some(caller) = parts.extensions.get::<Caller>() {
            return Ok(caller.clone());
        }
        let token = request_token(&parts.headers).ok_or_else(ApiError::unauthorized)?.to_owned();
        let user = if in_its_place(&parts.headers, &token) {
            authenticate(state, &token).await?
        } else {
            None
        };
        let user = user.ok_or_else(|| {
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

/// Whether a request reached the server over TLS, as far as it can tell: always when told
/// so (`--secure-cookies`), or when a trusted proxy says so in `X-Forwarded-Proto`.
pub(crate) fn over_tls(headers: &HeaderMap, options: &crate::ServerOptions) -> bool {
    options.secure_cookies
        || (options.trust_proxy
            && headers
                .get("x-forwarded-proto")
                .and_then(|value| value.to_str().ok())
                .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https")))
}

/// A cookie's attributes: not readable by scripts, sent only to this site, and only over
/// TLS when the request came over TLS.
fn attributes(path: &str, max_age: u64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("Path={path}; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

/// A cookie's attributes, for the cookies of other pages (an invitation's check).
pub(crate) fn cookie_attributes(path: &str, max_age: u64, secure: bool) -> String {
    attributes(path, max_age, secure)
}

/// The cookie that keeps a browser signed in: a session (never an API token), for its
/// lifetime.
pub(crate) fn session_cookie(session: &str, lifetime: std::time::Duration, secure: bool) -> String {
    format!("{SESSION_COOKIE}={session}; {}", attributes("/", lifetime.as_secs(), secure))
}

/// The cookie that signs a browser out.
pub(crate) fn cleared_cookie(secure: bool) -> String {
    format!("{SESSION_COOKIE}=; {}", attributes("/", 0, secure))
}

/// The cookie that ties a sign-in form to the browser it was shown to: a cross-site form
/// cannot carry it, so it cannot sign a browser in as someone else.
pub(crate) const SIGN_IN_CHECK_COOKIE: &str = "parley_sign_in_check";

/// The sign-in check cookie, for the sign-in page only.
pub(crate) fn sign_in_check_cookie(value: &str, secure: bool) -> String {
    format!("{SIGN_IN_CHECK_COOKIE}={value}; {}", attributes("/sign-in", 3600, secure))
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
    fn a_cookie_holds_a_session_and_a_bearer_an_api_token() {
        let mut by_cookie = HeaderMap::new();
        by_cookie.insert(header::COOKIE, "parley_session=parley_session_ab".parse().unwrap());
        assert!(in_its_place(&by_cookie, "parley_session_ab"));
        by_cookie.insert(header::COOKIE, "parley_session=parley_ab".parse().unwrap());
        assert!(!in_its_place(&by_cookie, "parley_ab"), "an API token in a cookie");
        let mut by_bearer = HeaderMap::new();
        by_bearer.insert(header::AUTHORIZATION, "Bearer parley_ab".parse().unwrap());
        assert!(in_its_place(&by_bearer, "parley_ab"));
        by_bearer.insert(header::AUTHORIZATION, "Bearer parley_session_ab".parse().unwrap());
        assert!(!in_its_place(&by_bearer, "parley_session_ab"), "a session as a bearer");
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
