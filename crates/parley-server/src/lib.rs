//! Parley's server: the JSON API (`/api/v1`, described at `/api/openapi.json`), the web pages
//! and live updates, over the event-sourced record of [`parley_store`].
//!
//! Confidentiality is enforced in one place: every read on behalf of a user goes through
//! [`state::AppState::view`], which asks the store for the record as that user's role may see
//! it; every answer (JSON, page, analysis, fingerprint, live event) is computed from that view.

mod agreements;
mod api;
mod auth;
mod bodies;
mod entities;
mod error;
mod live;
mod openapi;
mod pages;
mod session;
mod state;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use parley_model::scenario::Scenario;
use parley_store::Store;
use parley_store::users::Role;

pub use state::{AppState, ServerOptions};

/// What can stop the server.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] parley_store::Error),
    /// The address could not be bound.
    #[error("cannot listen on {address}")]
    Bind {
        /// The address.
        address: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The server stopped on an I/O error.
    #[error("the server stopped")]
    Serve(#[source] std::io::Error),
    /// The analysis thread pool could not be built.
    #[error("cannot start the analysis threads: {0}")]
    ThreadPool(String),
}

/// The built-in scenario, which a new database starts with.
pub fn builtin_scenario() -> Scenario {
    parley_model::scenario_file::read_scenario(parley_model::builtin::TALKS_2025_TOML)
        .scenario
        .expect("the built-in scenario is valid")
        .into_scenario()
}

/// The whole application: API, pages, sign-in, with the body and rate limits.
pub fn router(state: AppState) -> Router {
    let body_limit = state.inner.options.body_limit;
    Router::new()
        .merge(api::routes())
        .merge(agreements::routes())
        .merge(pages::routes())
        .merge(session::routes())
        .route("/api/openapi.json", get(openapi::serve_document))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), limit_rate))
        .layer(middleware::from_fn(security_headers))
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state)
}

/// What every answer says to the browser: scripts, styles, images and connections from this
/// site only (no inline script), no framing, no guessing of content types, no referrer sent
/// to other sites.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        ("content-security-policy", CONTENT_SECURITY_POLICY),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
    ] {
        headers.insert(name, axum::http::HeaderValue::from_static(value));
    }
    response
}

async fn not_found(request: Request) -> Response {
    error::ApiError::new(
        axum::http::StatusCode::NOT_FOUND,
        format!("nothing at {}: see /api/openapi.json", request.uri().path()),
    )
    .into_response()
}

/// Refuses a client's requests beyond its rate; a client is its token, or its address.
async fn limit_rate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if state.inner.request_limiter.is_none() {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let client = match auth::request_token(&parts.headers) {
        // Keyed by a prefix: enough to tell tokens apart, and a wrong token costs no memory
        // beyond its bucket.
        Some(token) => format!("token:{}", token.get(..24).unwrap_or(token)),
        None => format!("address:{}", auth::client_address(&parts)),
    };
    if !state.allow_request(&client) {
        return error::ApiError::too_many_requests(1).into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}

/// What `parley serve` opened.
pub struct Started {
    /// The address it listens on.
    pub address: SocketAddr,
    /// The database.
    pub database: String,
    /// A one-time sign-in link's code for the first mediator, when this start created it.
    pub first_sign_in_code: Option<String>,
}

/// Opens (and on first start seeds) the database, binds the address, and serves until the
/// process ends; `on_start` is told where, once the server accepts connections.
pub async fn serve(
    database: &str,
    address: SocketAddr,
    options: ServerOptions,
    on_start: impl FnOnce(&Started),
) -> Result<(), Error> {
    let store = Store::open_or_seed(database, &builtin_scenario(), "parley serve").await?;
    // A tampered or damaged log is neither served nor written on.
    store.ensure_intact().await?;
    let first_sign_in_code = match store.create_first_user("mediator", &Role::Mediator).await? {
        Some(user) => Some(
            store
                .issue(
                    user.id,
                    parley_store::users::TokenKind::SignInLink,
                    Some(options.sign_in_link_lifetime),
                )
                .await?,
        ),
        None => None,
    };
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|source| Error::Bind { address, source })?;
    let address = listener.local_addr().map_err(Error::Serve)?;
    let state = AppState::new(store.clone(), options)?;
    tokio::spawn(state.clone().watch_head());
    on_start(&Started { address, database: store.database().to_owned(), first_sign_in_code });
    serve_connections(listener, state).await
}

/// Accepts connections and serves each on its own task. A client that does not send a whole
/// request head within [`ServerOptions::header_timeout`] (a slow-header client, or an idle
/// kept-alive connection) is disconnected; at most [`ServerOptions::max_connections`] are
/// served at once, and beyond that new ones wait to be accepted.
async fn serve_connections(
    listener: tokio::net::TcpListener,
    state: AppState,
) -> Result<(), Error> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let header_timeout = state.inner.options.header_timeout;
    let connections = std::sync::Arc::new(tokio::sync::Semaphore::new(
        state.inner.options.max_connections.max(1),
    ));
    let app = router(state);
    loop {
        let permit = connections.clone().acquire_owned().await.expect("the semaphore stays open");
        let (stream, address) = match listener.accept().await {
            Ok(accepted) => accepted,
            // A connection that failed as it was accepted (reset, out of descriptors): the
            // next one may do.
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            }
        };
        let service = tower::ServiceExt::map_request(
            app.clone(),
            move |request: axum::http::Request<hyper::body::Incoming>| {
                let mut request = request.map(axum::body::Body::new);
                request.extensions_mut().insert(axum::extract::ConnectInfo(address));
                request
            },
        );
        let service = hyper_util::service::TowerToHyperService::new(service);
        tokio::spawn(async move {
            let _permit = permit;
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(stream), service);
            // A client that goes away is no error of the server's.
            let _ = connection.await;
        });
    }
}
