//! A server over a fresh database, with a user of each role, driven through its router: a new
//! SQLite file always, and a new schema of the PostgreSQL database `PARLEY_PG_URL` names when
//! it is set.

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use parley_server::{AppState, ServerOptions};
use parley_store::Store;
use parley_store::users::Role;
use serde_json::Value;
use sqlx::Connection;
use tower::ServiceExt;

/// Who sends a request: each role, one who is not signed in, and one whose token is revoked.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Who {
    Mediator,
    Ukraine,
    Russia,
    Observer,
    Anonymous,
    /// A delegate of Ukraine whose token was revoked: should revocation fail, it would see
    /// Ukraine's private records.
    Revoked,
}

impl Who {
    pub(crate) const ALL: [Who; 6] =
        [Who::Mediator, Who::Ukraine, Who::Russia, Who::Observer, Who::Anonymous, Who::Revoked];

    pub(crate) fn is_signed_in(self) -> bool {
        !matches!(self, Who::Anonymous | Who::Revoked)
    }
}

/// A server and its users' tokens. Dropping it drops its PostgreSQL database.
pub(crate) struct TestServer {
    pub(crate) router: axum::Router,
    /// The router's state, to read what it computed.
    pub(crate) state: AppState,
    pub(crate) store: Store,
    /// `sqlite` or `postgres`, for messages.
    pub(crate) backend: &'static str,
    pub(crate) mediator: String,
    pub(crate) ukraine: String,
    pub(crate) russia: String,
    pub(crate) observer: String,
    pub(crate) revoked: String,
    database: TestDatabase,
}

/// What an answer gives.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    /// The body; of an event stream, its first event only.
    pub(crate) text: String,
}

impl Answer {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|error| panic!("{error}: {}", self.text))
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The error's message of a JSON error answer.
    pub(crate) fn message(&self) -> String {
        self.json()["error"]["message"].as_str().unwrap_or_default().to_owned()
    }
}

/// The options the tests run with: few samples, one analysis thread, and sign-in limits high
/// enough that the revoked token's many requests are not refused (tests of the limits set
/// their own).
pub(crate) fn test_options() -> ServerOptions {
    ServerOptions {
        robustness_samples: 50,
        analysis_threads: 1,
        sign_in_burst: 100_000,
        write_burst: 100_000,
        ..ServerOptions::default()
    }
}

/// The database a test server runs on, and how to get rid of it.
pub(crate) enum TestDatabase {
    Sqlite { path: String, _dir: tempfile::TempDir },
    Postgres(PostgresDatabase),
}

/// A PostgreSQL schema of its own, in the database `PARLEY_PG_URL` names: the store's tables
/// are created in it, and dropping it is quick (dropping a whole database takes seconds).
pub(crate) struct PostgresDatabase {
    admin_url: String,
    schema: String,
    url: String,
}

impl PostgresDatabase {
    async fn create(admin_url: &str) -> PostgresDatabase {
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).unwrap();
        let schema = format!("parley_server_test_{}", hex::encode(random));
        let mut admin = sqlx::PgConnection::connect(admin_url).await.unwrap();
        sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&mut admin).await.unwrap();
        admin.close().await.unwrap();
        // Every connection of the store looks for its tables in the schema first.
        let separator = if admin_url.contains('?') { '&' } else { '?' };
        let url = format!("{admin_url}{separator}options=-c%20search_path%3D{schema}");
        PostgresDatabase { admin_url: admin_url.to_owned(), schema, url }
    }
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        // Dropped on a runtime's thread, maybe while a failed test unwinds: the schema is
        // dropped from a thread of its own, with a runtime of its own.
        let (admin_url, schema) = (self.admin_url.clone(), self.schema.clone());
        let dropped = std::thread::spawn(move || {
            let runtime =
                tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                let mut admin = sqlx::PgConnection::connect(&admin_url).await?;
                sqlx::query("SET lock_timeout = '20s'").execute(&mut admin).await?;
                sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                    .execute(&mut admin)
                    .await?;
                admin.close().await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) && !std::thread::panicking() {
            panic!("cannot drop the test schema {}: {dropped:?}", self.schema);
        }
    }
}

impl TestDatabase {
    /// A new, empty database on every backend under test, with where to find it; each is
    /// dropped with its value.
    pub(crate) async fn fresh() -> Vec<(String, TestDatabase)> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parley.db").display().to_string();
        let mut res = vec![(path.clone(), TestDatabase::Sqlite { path, _dir: dir })];
        if let Some(admin_url) = postgres_url() {
            let postgres = PostgresDatabase::create(&admin_url).await;
            res.push((postgres.url.clone(), TestDatabase::Postgres(postgres)));
        }
        res
    }
}

/// The URL of the PostgreSQL server under test, when there is one.
fn postgres_url() -> Option<String> {
    std::env::var("PARLEY_PG_URL").ok().filter(|url| !url.is_empty())
}

impl TestServer {
    /// A server over a new SQLite file seeded with the built-in scenario.
    pub(crate) async fn sqlite() -> TestServer {
        TestServer::sqlite_with(test_options()).await
    }

    pub(crate) async fn sqlite_with(options: ServerOptions) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parley.db").display().to_string();
        let database = TestDatabase::Sqlite { path, _dir: dir };
        TestServer::over("sqlite", database, options, &parley_server::builtin_scenario()).await
    }

    /// A server over a new SQLite file whose record holds only `seed` (an empty record: a
    /// title and no entities, for building a record through the pages).
    pub(crate) async fn sqlite_seeded(seed: &parley_model::scenario::Scenario) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parley.db").display().to_string();
        TestServer::over("sqlite", TestDatabase::Sqlite { path, _dir: dir }, test_options(), seed)
            .await
    }

    /// A server on every backend under test.
    pub(crate) async fn all() -> Vec<TestServer> {
        TestServer::all_with(test_options).await
    }

    pub(crate) async fn all_with(options: impl Fn() -> ServerOptions) -> Vec<TestServer> {
        let mut servers = vec![TestServer::sqlite_with(options()).await];
        match postgres_url() {
            Some(admin_url) => {
                let database = TestDatabase::Postgres(PostgresDatabase::create(&admin_url).await);
                let builtin = parley_server::builtin_scenario();
                servers.push(TestServer::over("postgres", database, options(), &builtin).await);
            }
            None => {
                #[allow(clippy::print_stderr, reason = "a test says which backends it ran on")]
                {
                    eprintln!("note: PARLEY_PG_URL is not set; this test ran on SQLite only");
                }
            }
        }
        servers
    }

    async fn over(
        backend: &'static str,
        database: TestDatabase,
        options: ServerOptions,
        seed: &parley_model::scenario::Scenario,
    ) -> TestServer {
        let location = match &database {
            TestDatabase::Sqlite { path, .. } => path.clone(),
            TestDatabase::Postgres(postgres) => postgres.url.clone(),
        };
        let store = Store::open_or_seed(&location, seed, "test").await.unwrap();
        let mut tokens = Vec::new();
        for (name, role) in [
            ("mediator", Role::Mediator),
            ("ukraine-delegate", Role::parse("delegate:ukraine").unwrap()),
            ("russia-delegate", Role::parse("delegate:russia").unwrap()),
            ("observer", Role::Observer),
            ("former-ukraine-delegate", Role::parse("delegate:ukraine").unwrap()),
        ] {
            // A record without the party (an empty one) has no delegate of it yet: the token
            // is left empty, and the test makes the user once the party is recorded.
            if let Role::Delegate(party) = &role
                && !seed.parties.iter().any(|candidate| &candidate.id == party)
            {
                tokens.push(String::new());
                continue;
            }
            let user = store.create_user(name, &role).await.unwrap();
            tokens.push(store.issue_token(user.id).await.unwrap());
        }
        let former = store.users().await.unwrap().pop().unwrap();
        if former.name == "former-ukraine-delegate" {
            assert_eq!(store.revoke_tokens(former.id).await.unwrap(), 1);
        }
        let state = AppState::new(store.clone(), options).unwrap();
        let mut tokens = tokens.into_iter();
        TestServer {
            router: parley_server::router(state.clone()),
            state,
            store,
            backend,
            mediator: tokens.next().unwrap(),
            ukraine: tokens.next().unwrap(),
            russia: tokens.next().unwrap(),
            observer: tokens.next().unwrap(),
            revoked: tokens.next().unwrap(),
            database,
        }
    }

    pub(crate) fn token(&self, who: Who) -> Option<&str> {
        match who {
            Who::Mediator => Some(&self.mediator),
            Who::Ukraine => Some(&self.ukraine),
            Who::Russia => Some(&self.russia),
            Who::Observer => Some(&self.observer),
            Who::Anonymous => None,
            Who::Revoked => Some(&self.revoked),
        }
    }

    /// A request with a bearer token and a JSON body.
    pub(crate) fn request(
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Request<Body> {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        match body {
            Some(body) => request
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string())),
            None => request.body(Body::empty()),
        }
        .unwrap()
    }

    /// Sends a request as if from a client at this address.
    pub(crate) fn from_address(mut request: Request<Body>, address: [u8; 4]) -> Request<Body> {
        request.extensions_mut().insert(ConnectInfo(SocketAddr::from((address, 40_000))));
        request
    }

    pub(crate) async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let is_stream = headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|value| value.as_bytes().starts_with(b"text/event-stream"));
        let text = if is_stream {
            // An event stream does not end: its first event is enough.
            let mut live = Live { body: response.into_body(), buffer: String::new() };
            let (name, data) = live.next_event(Duration::from_secs(10)).await.expect("an event");
            format!("event: {name}\ndata: {data}\n\n")
        } else {
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            String::from_utf8_lossy(&bytes).into_owned()
        };
        Answer { status, headers, text }
    }

    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Answer {
        self.send(TestServer::request(method, path, token, body)).await
    }

    pub(crate) async fn get(&self, path: &str, token: &str) -> Answer {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub(crate) async fn call_as(
        &self,
        who: Who,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Answer {
        self.call(method, path, self.token(who), body).await
    }

    /// Records an entity as someone and gives back its id (the server assigns it).
    pub(crate) async fn create(&self, who: Who, collection: &str, body: &Value) -> String {
        let path = format!("/api/v1/{collection}");
        let answer = self.call_as(who, Method::POST, &path, Some(body)).await;
        assert_eq!(answer.status, StatusCode::CREATED, "POST {path} as {who:?}: {}", answer.text);
        answer.json()["entity"]["id"].as_str().unwrap_or_default().to_owned()
    }

    /// Opens the live-update stream as a user.
    pub(crate) async fn listen(&self, token: &str) -> Live {
        let request = TestServer::request(Method::GET, "/api/v1/live", Some(token), None);
        let response = self.router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        Live { body: response.into_body(), buffer: String::new() }
    }

    /// Every text value of the database's users and tokens tables, and every byte of a SQLite
    /// database's files, as text: what someone who copies the database gets.
    pub(crate) async fn stored_secrets(&self) -> (Vec<String>, String) {
        match &self.database {
            TestDatabase::Sqlite { path, .. } => {
                let mut connection =
                    sqlx::SqliteConnection::connect(&format!("sqlite:{path}")).await.unwrap();
                let hashes: Vec<(String,)> = sqlx::query_as("SELECT token_hash FROM tokens")
                    .fetch_all(&mut connection)
                    .await
                    .unwrap();
                connection.close().await.unwrap();
                let mut bytes = Vec::new();
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    if let Ok(more) = std::fs::read(format!("{path}{suffix}")) {
                        bytes.extend(more);
                    }
                }
                (
                    hashes.into_iter().map(|(hash,)| hash).collect(),
                    String::from_utf8_lossy(&bytes).into_owned(),
                )
            }
            TestDatabase::Postgres(postgres) => {
                let mut connection = sqlx::PgConnection::connect(&postgres.url).await.unwrap();
                let hashes: Vec<(String,)> = sqlx::query_as("SELECT token_hash FROM tokens")
                    .fetch_all(&mut connection)
                    .await
                    .unwrap();
                let mut rows = Vec::new();
                for table in ["users", "tokens", "events", "log_head"] {
                    let texts: Vec<(String,)> =
                        sqlx::query_as(&format!("SELECT t::text FROM {table} t"))
                            .fetch_all(&mut connection)
                            .await
                            .unwrap();
                    rows.extend(texts.into_iter().map(|(text,)| text));
                }
                connection.close().await.unwrap();
                (hashes.into_iter().map(|(hash,)| hash).collect(), rows.join("\n"))
            }
        }
    }
}

/// A live-update stream, read event by event.
pub(crate) struct Live {
    body: Body,
    buffer: String,
}

impl Live {
    /// Whether the stream ends within `wait`, with no event before its end.
    pub(crate) async fn ends_within(&mut self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.body.frame()).await {
                Ok(None) => return self.buffer.trim().is_empty(),
                Ok(Some(frame)) => {
                    if let Some(bytes) = frame.unwrap().data_ref() {
                        self.buffer.push_str(&String::from_utf8_lossy(bytes));
                    }
                }
                Err(_) => return false,
            }
        }
    }

    /// The next event's name and data; `None` when none comes within `wait` or the stream
    /// ends. Keep-alive comments are skipped.
    pub(crate) async fn next_event(&mut self, wait: Duration) -> Option<(String, String)> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut name = String::from("message");
                let mut data = Vec::new();
                for line in block.lines() {
                    if let Some(value) = line.strip_prefix("event:") {
                        name = value.trim().to_owned();
                    } else if let Some(value) = line.strip_prefix("data:") {
                        data.push(value.trim_start().to_owned());
                    }
                }
                if block.lines().all(|line| line.is_empty() || line.starts_with(':')) {
                    continue;
                }
                return Some((name, data.join("\n")));
            }
            let frame = tokio::time::timeout_at(deadline, self.body.frame()).await.ok()??;
            let frame = frame.unwrap();
            if let Some(bytes) = frame.data_ref() {
                self.buffer.push_str(&String::from_utf8_lossy(bytes));
            }
        }
    }
}
