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

pub mod backup;
pub mod chain;
pub mod log;
pub mod read_only;
pub mod users;
pub mod verify;

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
        let shown = redact(database);
        let open_error = |source| Error::Open { database: shown.clone(), source };
        let backend =
            if database.starts_with("postgres://") || database.starts_with("postgresql://") {
                let pool = PgPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect(database)
                    .await
                    .map_err(open_error)?;
                sqlx::migrate!("./migrations/postgres").run(&pool).await?;
                Backend::Postgres(pool)
            } else {
                let options = if database.starts_with("sqlite:") {
                    SqliteConnectOptions::from_str(database).map_err(open_error)?
                } else if database.contains("://") || database.trim().is_empty() {
                    return Err(Error::UnknownDatabase { database: shown });
                } else {
                    SqliteConnectOptions::new().filename(database)
                };
                let pool = SqlitePoolOptions::new()
                    .max_connections(4)
                    .connect_with(sqlite_options(options))
                    .await
                    .map_err(open_error)?;
                sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
                Backend::Sqlite(pool)
            };
        Ok(Store::new(backend, shown))
    }

    /// A store on an open pool; `database` is as messages show it.
    fn new(backend: Backend, database: String) -> Store {
        Store {
            inner: Arc::new(Inner {
                backend,
                database,
                write_lock: tokio::sync::Mutex::new(()),
                latest: Mutex::new(None),
                replaying: tokio::sync::Mutex::new(()),
                seen_head: Mutex::new(None),
                checked_tokens: Mutex::new(users::CheckedTokens::default()),
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

/// The database text with the password of a URL hidden.
fn redact(database: &str) -> String {
    let Some((scheme, rest)) = database.split_once("://") else { return database.to_owned() };
    let (authority, path) = match rest.find('/') {
        Some(index) => rest.split_at(index),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split(':').next().unwrap_or_default();
            if credentials.contains(':') {
                format!("{scheme}://{user}:***@{host}{path}")
            } else {
                database.to_owned()
            }
        }
        None => database.to_owned(),
    }
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
    }
}
