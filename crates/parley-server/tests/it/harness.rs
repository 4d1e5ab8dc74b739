//! A server over a fresh database, with a user of each role, driven through its router.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use parley_server::{AppState, ServerOptions};
use parley_store::Store;
use parley_store::users::Role;
use serde_json::Value;
use tower::ServiceExt;

/// A server and its users' tokens.
pub(crate) struct TestServer {
    pub(crate) router: axum::Router,
    pub(crate) store: Store,
    pub(crate) mediator: String,
    pub(crate) ukraine: String,
    pub(crate) russia: String,
    pub(crate) observer: String,
    _dir: Option<tempfile::TempDir>,
}

/// What an answer gives.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: axum::http::HeaderMap,
    pub(crate) text: String,
}

impl Answer {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|error| panic!("{error}: {}", self.text))
    }
}

impl TestServer {
    /// A server over a new SQLite file seeded with the built-in scenario.
    pub(crate) async fn sqlite() -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parley.db");
        TestServer::over(path.to_str().unwrap(), Some(dir)).await
    }

    pub(crate) async fn over(database: &str, dir: Option<tempfile::TempDir>) -> TestServer {
        let store = Store::open_or_seed(database, &parley_server::builtin_scenario(), "test")
            .await
            .unwrap();
        let mut tokens = Vec::new();
        for (name, role) in [
            ("mediator", Role::Mediator),
            ("ukraine-delegate", Role::parse("delegate:ukraine").unwrap()),
            ("russia-delegate", Role::parse("delegate:russia").unwrap()),
            ("observer", Role::Observer),
        ] {
            let user = store.create_user(name, &role).await.unwrap();
            tokens.push(store.issue_token(user.id).await.unwrap());
        }
        let options = ServerOptions {
            robustness_samples: 50,
            analysis_threads: 1,
            ..ServerOptions::default()
        };
        let state = AppState::new(store.clone(), options).unwrap();
        let mut tokens = tokens.into_iter();
        TestServer {
            router: parley_server::router(state),
            store,
            mediator: tokens.next().unwrap(),
            ukraine: tokens.next().unwrap(),
            russia: tokens.next().unwrap(),
            observer: tokens.next().unwrap(),
            _dir: dir,
        }
    }

    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Answer {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let request = match body {
            Some(body) => request
                .header("content-type", "application/json")
                .body(Body::from(body.to_string())),
            None => request.body(Body::empty()),
        }
        .unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Answer { status, headers, text: String::from_utf8_lossy(&bytes).into_owned() }
    }

    pub(crate) async fn get(&self, path: &str, token: &str) -> Answer {
        self.call(Method::GET, path, Some(token), None).await
    }
}
