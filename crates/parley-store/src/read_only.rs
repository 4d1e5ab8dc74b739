//! Opening a database that must exist already: without writing to it, for the commands that
//! only read (`parley db verify`, `export`, `backup`), or to write to it (`add-user`). A
//! read-only open never creates a file, never creates or migrates a schema, and refuses what
//! is not a Parley database with an error that names it.

use std::path::Path;
use std::str::FromStr;

use sqlx::migrate::Migrator;
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};

use crate::{Backend, Error, Result, SQLITE_BUSY_TIMEOUT, Store, redact};

/// Why a database cannot be opened for reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusable {
    /// The SQLite file does not exist.
    Missing,
    /// The SQLite file is empty (0 bytes).
    EmptyFile,
    /// The file is not a SQLite database.
    NotSqlite,
    /// The database has no Parley schema (no `events` or `log_head` table).
    NoSchema,
    /// Some of the schema's migrations are not applied yet.
    OlderSchema,
}

impl Unusable {
    /// What is wrong, and what to do, after the database's name.
    pub fn describe(self) -> &'static str {
        match self {
            Unusable::Missing => "does not exist",
            Unusable::EmptyFile => {
                "is an empty file (0 bytes), not a Parley database; `parley db import FILE` or `parley serve` creates one"
            }
            Unusable::NotSqlite => "is not a SQLite database, expected a Parley database",
            Unusable::NoSchema => {
                "holds no Parley event log (no table 'events' and 'log_head'), expected a Parley database"
            }
            Unusable::OlderSchema => {
                "has an older schema than this version of parley; a command that writes (`parley serve`, `parley db import`) brings it up to date"
            }
        }
    }
}

impl Store {
    /// Opens an existing database for reading only. A SQLite file is opened read-only and
    /// must exist, be non-empty and hold an up-to-date Parley schema; PostgreSQL sessions
    /// are read-only (`default_transaction_read_only`). Nothing is created or migrated.
    pub async fn open_read_only(database: &str) -> Result<Store> {
        let shown = redact(database);
        let open_error = |source| Error::Open { database: shown.clone(), source };
        let unusable = |why| Error::Unusable { database: shown.clone(), why };
        let backend = if database.starts_with("postgres://")
            || database.starts_with("postgresql://")
        {
            let options = PgConnectOptions::from_str(database)
                .map_err(open_error)?
                .options([("default_transaction_read_only", "on")]);
            let pool = crate::connect_postgres(options).await.map_err(open_error)?;
            Backend::Postgres(pool)
        } else {
            let options = sqlite_options(database, &shown)?;
            check_file(options.get_filename()).map_err(unusable)?;
            let pool =
                SqlitePoolOptions::new().max_connections(4).connect_with(options).await.map_err(
                    |source| {
                        if is_not_a_database(&source) {
                            unusable(Unusable::NotSqlite)
                        } else {
                            open_error(source)
                        }
                    },
                )?;
            Backend::Sqlite(pool)
        };
        let store = Store::new(backend, shown.clone(), crate::witness::default_path(database));
        if let Err(error) = store.check_schema().await {
            store.close().await;
            return Err(match error {
                SchemaError::Unusable(why) => unusable(why),
                SchemaError::Database(source) => Error::Database(source),
            });
        }
        Ok(store)
    }

    /// Opens a database that must exist already, to write to it: a SQLite file must exist
    /// and not be empty; then it is opened like [`Store::open`] does, schema brought up to
    /// date.
    pub async fn open_existing(database: &str) -> Result<Store> {
        if !(database.starts_with("postgres://") || database.starts_with("postgresql://")) {
            let options = sqlite_options(database, &redact(database))?;
            check_file(options.get_filename())
                .map_err(|why| Error::Unusable { database: redact(database), why })?;
        }
        Store::open(database).await
    }

    /// Checks that the schema is there and that every migration this version knows is
    /// applied, without changing anything.
    async fn check_schema(&self) -> Result<(), SchemaError> {
        let (migrator, tables_query): (Migrator, &str) = match &self.inner.backend {
            Backend::Sqlite(_) => (
                sqlx::migrate!("./migrations/sqlite"),
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('events', 'log_head', '_sqlx_migrations')",
            ),
            Backend::Postgres(_) => (
                sqlx::migrate!("./migrations/postgres"),
                "SELECT table_name::TEXT FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('events', 'log_head', '_sqlx_migrations')",
            ),
        };
        let tables: Vec<(String,)> = crate::with_pool!(&self.inner.backend, pool, _postgres => {
            sqlx::query_as(tables_query).fetch_all(pool).await
        })
        .map_err(|error| {
            if is_not_a_database(&error) {
                SchemaError::Unusable(Unusable::NotSqlite)
            } else {
                SchemaError::Database(error)
            }
        })?;
        let has = |name: &str| tables.iter().any(|(table,)| table == name);
        if !has("events") || !has("log_head") {
            return Err(SchemaError::Unusable(Unusable::NoSchema));
        }
        if !has("_sqlx_migrations") {
            return Err(SchemaError::Unusable(Unusable::OlderSchema));
        }
        let applied: Vec<(i64,)> = crate::with_pool!(&self.inner.backend, pool, _postgres => {
            sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success").fetch_all(pool).await
        })
        .map_err(SchemaError::Database)?;
        let all_applied = migrator
            .iter()
            .all(|migration| applied.iter().any(|(version,)| *version == migration.version));
        if !all_applied {
            return Err(SchemaError::Unusable(Unusable::OlderSchema));
        }
        Ok(())
    }
}

/// Whether SQLite found the file is not a database (`SQLITE_NOTADB`).
fn is_not_a_database(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(database_error) if database_error.code().as_deref() == Some("26"))
}

enum SchemaError {
    Unusable(Unusable),
    Database(sqlx::Error),
}

/// The read-only options of a SQLite database given as a path or a `sqlite:` URL.
fn sqlite_options(database: &str, shown: &str) -> Result<SqliteConnectOptions> {
    let options = if database.starts_with("sqlite:") {
        SqliteConnectOptions::from_str(database)
            .map_err(|source| Error::Open { database: shown.to_owned(), source })?
    } else if database.contains("://") || database.trim().is_empty() {
        return Err(Error::UnknownDatabase { database: shown.to_owned() });
    } else {
        SqliteConnectOptions::new().filename(database)
    };
    // No journal mode is set: that would write to the file.
    Ok(options
        .read_only(true)
        .create_if_missing(false)
        .busy_timeout(SQLITE_BUSY_TIMEOUT)
        .foreign_keys(true))
}

/// Refuses a SQLite file that does not exist or is empty, before SQLite opens it.
fn check_file(path: &Path) -> Result<(), Unusable> {
    match std::fs::metadata(path) {
        Err(_) => Err(Unusable::Missing),
        Ok(metadata) if metadata.is_file() && metadata.len() == 0 => Err(Unusable::EmptyFile),
        Ok(_) => Ok(()),
    }
}
