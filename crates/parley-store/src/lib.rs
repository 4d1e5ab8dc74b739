//! Parley's storage: the record of a negotiation as an append-only, hash-chained event log,
//! with the current state kept as a projection, on SQLite (one file, the default) or
//! PostgreSQL (for several servers sharing one database). See docs/storage.md.
//!
//! Every change is one [`parley_model::change::Change`], appended in one transaction only
//! when the record it gives is valid. The state at any time is a replay of the log up to that
//! time; [`Store::state_for`] is the one way to read it on behalf of a user, so that access
//! rules are applied in one place. [`Store::verify`] recomputes the chain and names the first
//! event that was edited, removed or reordered.

#![warn(missing_docs)]

pub mod access;
pub mod backup;
pub mod chain;
pub mod log;
pub mod read_only;
pub mod users;
pub mod verify;
pub mod window;
pub mod witness;

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use parley_model::diagnostic::Diagnostic;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database failed; its own message is kept as the source, not shown to users.
    #[error("a database error occurred")]
    Database(#[from] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("cannot bring the database's schema up to date")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database could not be opened or reached.
    #[error("cannot open database '{database}'")]
    Open {
        /// The database, with any password hidden.
        database: String,
        /// Why.
        source: sqlx::Error,
    },
    /// The database cannot be opened for reading: missing, empty, not a Parley database, or
    /// with an older schema (see [`read_only::Unusable`]).
    #[error("database '{database}' {}", why.describe())]
    Unusable {
        /// The database, with any password hidden.
        database: String,
        /// Why.
        why: read_only::Unusable,
    },
    /// The text names no database the store can open.
    #[error(
        "'{database}' is not a database the store can open: expected a file path, a sqlite: URL or a postgres:// URL"
    )]
    UnknownDatabase {
        /// The text, with any password hidden.
        database: String,
    },
    /// A change would leave the record invalid; nothing was written.
    #[error("the change leaves the record invalid ({} error(s)); nothing was written", .0.len())]
    Invalid(Vec<Diagnostic>),
    /// An author is required and was empty.
    #[error("an event's author cannot be empty")]
    EmptyAuthor,
    /// The log holds no event.
    #[error("the database holds no events yet: import a scenario first")]
    Empty,
    /// The log holds no event recorded at or before a time.
    #[error("no event was recorded at or before {as_of}")]
    NothingAsOf {
        /// The time asked for.
        as_of: jiff::Timestamp,
    },
    /// An event cannot be replayed; `parley db verify` tells more.
    #[error("event {seq} cannot be replayed: {message}; run `parley db verify`")]
    Corrupt {
        /// The event's sequence number.
        seq: u64,
        /// What is wrong with it.
        message: String,
    },
    /// A user name is taken.
    #[error("a user named '{0}' exists already")]
    UserExists(String),
    /// A user name is not acceptable.
    #[error("invalid user name '{0}': expected 1 to 64 characters, none of them blank or control")]
    InvalidUserName(String),
    /// No user has this id.
    #[error("no user has id {0}")]
    UnknownUser(i64),
    /// A role could not be read.
    #[error("invalid role '{0}': expected mediator, observer or delegate:PARTY")]
    InvalidRole(String),
    /// A delegate's party is not in the record.
    #[error("unknown party '{party}', expected one of: {known}")]
    UnknownParty {
        /// The party asked for.
        party: String,
        /// The parties in the record, comma-separated.
        known: String,
    },
    /// A backup would overwrite a file.
    #[error("'{}' exists; a backup never overwrites a file", .0.display())]
    BackupExists(PathBuf),
    /// A file could not be written or read.
    #[error("cannot write '{}'", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The system gave no random bytes.
    #[error("cannot draw random bytes for a token")]
    Random,
    /// The log was tampered with or damaged: nothing is served or written on top of it.
    #[error(
        "the log of '{database}' is damaged: {message}; see `parley db verify` and docs/storage.md#repairing-a-damaged-log"
    )]
    Damaged {
        /// The database, with any password hidden.
        database: String,
        /// What is wrong.
        message: String,
    },
}

/// The store's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How long a writer waits for another's lock on SQLite before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The record's store: a handle on one database, cheap to clone and share between tasks.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    backend: Backend,
    /// The database as given, with any password hidden, for messages.
    database: String,
    /// Serialises this process's writers, so that they queue here rather than spin on the
    /// database's lock. Writers in other processes are serialised by the database.
    write_lock: tokio::sync::Mutex<()>,
    /// The state at the head of the log as last seen, keyed by the head's sequence number
    /// and hash.
    latest: Mutex<Option<Arc<log::Projection>>>,
    /// Held while the latest state is replayed, so that callers who find the kept state out
    /// of date at once (a server's first requests after a start) replay the log once.
    replaying: tokio::sync::Mutex<()>,
    /// The head of the log as this process last saw it (see [`Store::recent_head`]).
    seen_head: Mutex<Option<log::SeenHead>>,
    /// Users of tokens checked lately (see [`Store::authenticate_within`]).
    checked_tokens: Mutex<users::CheckedTokens>,
    /// The witness file, outside the database, that records the head after each append (see
    /// [`witness`]).
    witness: Option<PathBuf>,
}

enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same code on either backend's pool: `$pool` is bound to the pool and
/// `$postgres` to whether it is PostgreSQL. The body is compiled once per backend, so the
/// runtime query API needs no generic bounds.
macro_rules! with_pool {
    ($backend:expr, $pool:ident, $postgres:ident => $body:expr) => {
        match $backend {
            $crate::Backend::Sqlite($pool) => {
                #[allow(unused_variables)]
                let $postgres = false;
                $body
            }
            $crate::Backend::Postgres($pool) => {
                #[allow(unused_variables)]
                let $postgres = true;
                $body
            }
        }
    };
}
pub(crate) use with_pool;

impl Store {
    /// Opens a database, creating a SQLite file when it is missing, and brings its schema up
    /// to date. `database` is a file path or `sqlite:` URL (SQLite), or a `postgres://` or
    /// `postgresql://` URL.
    pub async fn open(database: &str) -> Result<Store> {
        Store::open_with_witness(database, witness::default_path(database)).await
    }

    /// Opens a database as [`Store::open`] does, with the witness of its head in `witness`
    /// (none: no witness is kept or checked). [`Store::open`] keeps it next to a SQLite file;
    /// a PostgreSQL database has one only when given here.
    pub async fn open_with_witness(database: &str, witness: Option<PathBuf>) -> Result<Store> {
        let shown = redact(database);
        let open_error = |source| Error::Open { database: shown.clone(), source };
        let backend =
            if database.starts_with("postgres://") || database.starts_with("postgresql://") {
                let options =
                    sqlx::postgres::PgConnectOptions::from_str(database).map_err(open_error)?;
                let pool = connect_postgres(options).await.map_err(open_error)?;
                migrate(|| sqlx::migrate!("./migrations/postgres").run(&pool)).await?;
                Backend::Postgres(pool)
            } else {
                let options = if database.starts_with("sqlite:") {
                    SqliteConnectOptions::from_str(database).map_err(open_error)?
                } else if database.contains("://") || database.trim().is_empty() {
                    return Err(Error::UnknownDatabase { database: shown });
                } else {
                    SqliteConnectOptions::new().filename(database)
                };
                let pool = connect_sqlite(sqlite_options(options)).await.map_err(open_error)?;
                migrate(|| sqlx::migrate!("./migrations/sqlite").run(&pool)).await?;
                Backend::Sqlite(pool)
            };
        Ok(Store::new(backend, shown, witness))
    }

    /// A store on an open pool; `database` is as messages show it, `witness` where the
    /// witness of its head is kept (if anywhere).
    fn new(backend: Backend, database: String, witness: Option<PathBuf>) -> Store {
        Store {
            inner: Arc::new(Inner {
                backend,
                database,
                write_lock: tokio::sync::Mutex::new(()),
                latest: Mutex::new(None),
                replaying: tokio::sync::Mutex::new(()),
                seen_head: Mutex::new(None),
                checked_tokens: Mutex::new(users::CheckedTokens::default()),
                witness,
            }),
        }
    }

    /// The database as given to [`Store::open`], with any password hidden.
    pub fn database(&self) -> &str {
        &self.inner.database
    }

    /// `sqlite` or `postgres`.
    pub fn backend_name(&self) -> &'static str {
        match self.inner.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Closes the connections once every clone is done with them.
    pub async fn close(&self) {
        with_pool!(&self.inner.backend, pool, _postgres => pool.close().await)
    }
}

/// Brings the schema up to date. Two processes opening a new database at once may both start
/// the first migration; the one that loses (a table "already exists") finds it applied when
/// it tries again.
async fn migrate<F, Fut>(run: F) -> std::result::Result<(), sqlx::migrate::MigrateError>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = std::result::Result<(), sqlx::migrate::MigrateError>>,
{
    let mut tries = 0;
    loop {
        match run().await {
            Err(_) if tries < 5 => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(50 * tries)).await;
            }
            result => return result,
        }
    }
}

/// Opens a PostgreSQL pool. One connection is made first, so that a refused connection or a
/// wrong password is told at once with its cause, not after the pool's wait for a connection.
async fn connect_postgres(
    options: sqlx::postgres::PgConnectOptions,
) -> std::result::Result<sqlx::PgPool, sqlx::Error> {
    use sqlx::{ConnectOptions, Connection};
    options.connect().await?.close().await?;
    PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(options)
        .await
}

/// Opens a SQLite pool. A file that another process is creating at the same moment may be
/// locked while that process turns on write-ahead logging (SQLite answers "database is
/// locked" at once there, without waiting its busy timeout): the open is tried again.
async fn connect_sqlite(
    options: SqliteConnectOptions,
) -> std::result::Result<SqlitePool, sqlx::Error> {
    let mut tries = 0;
    loop {
        match SqlitePoolOptions::new().max_connections(4).connect_with(options.clone()).await {
            Err(sqlx::Error::Database(error))
                if tries < 10 && matches!(error.code().as_deref(), Some("5" | "6")) =>
            {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(20 * tries)).await;
            }
            result => return result,
        }
    }
}

/// The options every SQLite connection gets: write-ahead logging with `synchronous=NORMAL`
/// (a committed transaction survives the process being killed; only a power loss may take
/// the last ones), a busy timeout for writers of other processes, and foreign keys.
fn sqlite_options(options: SqliteConnectOptions) -> SqliteConnectOptions {
    options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(SQLITE_BUSY_TIMEOUT)
        .foreign_keys(true)
}

/// The database text with its secrets hidden: what messages may show of it. The password of
/// a URL's credentials and any query parameter whose name speaks of a password (`password`,
/// `sslpassword`) become `***`.
pub fn redact(database: &str) -> String {
    let Some((scheme, rest)) = database.split_once("://") else { return database.to_owned() };
    let (address, query) = match rest.split_once('?') {
        Some((address, query)) => (address, Some(query)),
        None => (rest, None),
    };
    let (authority, path) = match address.find('/') {
        Some(index) => address.split_at(index),
        None => (address, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((credentials, host)) if credentials.contains(':') => {
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{user}:***@{host}")
        }
        _ => authority.to_owned(),
    };
    let query = query.map(|query| {
        let parameters: Vec<String> = query
            .split('&')
            .map(|parameter| match parameter.split_once('=') {
                Some((name, _)) if name.to_ascii_lowercase().contains("password") => {
                    format!("{name}=***")
                }
                _ => parameter.to_owned(),
            })
            .collect();
        format!("?{}", parameters.join("&"))
    });
    format!("{scheme}://{authority}{path}{}", query.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden_in_messages() {
        assert_eq!(
            redact("postgres://me:secret@db:5432/parley"),
            "postgres://me:***@db:5432/parley"
        );
        assert_eq!(redact("postgres://me@db/parley"), "postgres://me@db/parley");
        assert_eq!(redact("./parley.db"), "./parley.db");
        assert_eq!(
            redact("postgresql://me:p%40ss@db/parley?sslmode=require&password=two&sslpassword=3"),
            "postgresql://me:***@db/parley?sslmode=require&password=***&sslpassword=***"
        );
        assert_eq!(
            redact("postgres://me:secret@db?application_name=x"),
            "postgres://me:***@db?application_name=x"
        );
    }
}
