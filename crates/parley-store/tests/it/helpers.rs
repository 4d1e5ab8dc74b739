//! Fresh databases for each test, on each backend, and small scenarios to change.

use parley_model::builtin::TALKS_2025_TOML;
use parley_model::change::Change;
use parley_model::scenario::Scenario;
use parley_model::scenario_file::{read_fragment, read_scenario};
use parley_store::Store;
use sqlx::Connection;

/// A fresh, empty database: a SQLite file in a temporary folder, or a new PostgreSQL
/// database that [`TestDb::finish`] drops.
pub(crate) struct TestDb {
    pub(crate) database: String,
    pub(crate) dir: tempfile::TempDir,
    postgres: Option<PostgresDb>,
}

struct PostgresDb {
    admin_url: String,
    name: String,
}

impl TestDb {
    /// A fresh database on every backend under test.
    pub(crate) async fn all() -> Vec<TestDb> {
        let mut res = vec![TestDb::sqlite()];
        match std::env::var("PARLEY_PG_URL") {
            Ok(url) if !url.is_empty() => res.push(TestDb::postgres(&url).await),
            _ => {
                #[allow(clippy::print_stderr, reason = "a test says which backends it ran on")]
                {
                    eprintln!("note: PARLEY_PG_URL is not set; this test ran on SQLite only");
                }
            }
        }
        res
    }

    /// Another fresh database on the same backend.
    pub(crate) async fn another(&self) -> TestDb {
        match &self.postgres {
            Some(postgres) => TestDb::postgres(&postgres.admin_url).await,
            None => TestDb::sqlite(),
        }
    }

    fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("parley.db").display().to_string();
        TestDb { database, dir, postgres: None }
    }

    async fn postgres(admin_url: &str) -> TestDb {
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).unwrap();
        let name = format!("parley_test_{}", hex::encode(random));
        let mut admin = sqlx::PgConnection::connect(admin_url).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
        admin.close().await.unwrap();
        let database = with_database(admin_url, &name);
        TestDb {
            database,
            dir: tempfile::tempdir().unwrap(),
            postgres: Some(PostgresDb { admin_url: admin_url.to_owned(), name }),
        }
    }

    pub(crate) fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// Opens the store; a PostgreSQL database gets a witness in the test's folder, as a
    /// SQLite file gets one next to it.
    pub(crate) async fn open(&self) -> Store {
        let witness = match self.is_postgres() {
            true => Some(self.dir.path().join("witness")),
            false => parley_store::witness::default_path(&self.database),
        };
        Store::open_with_witness(&self.database, witness).await.unwrap()
    }

    /// Runs raw SQL on the database, around the store: how the tests tamper with the log.
    pub(crate) async fn raw(&self, sql: &str) {
        if self.is_postgres() {
            let mut connection = sqlx::PgConnection::connect(&self.database).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut connection).await.unwrap();
            connection.close().await.unwrap();
        } else {
            let mut connection =
                sqlx::SqliteConnection::connect(&format!("sqlite:{}", self.database))
                    .await
                    .unwrap();
            sqlx::raw_sql(sql).execute(&mut connection).await.unwrap();
            connection.close().await.unwrap();
        }
    }

    /// Drops the PostgreSQL database; the SQLite file goes with its folder.
    pub(crate) async fn finish(self) {
        if let Some(postgres) = self.postgres {
            let mut admin = sqlx::PgConnection::connect(&postgres.admin_url).await.unwrap();
            sqlx::query(&format!("DROP DATABASE {} WITH (FORCE)", postgres.name))
                .execute(&mut admin)
                .await
                .unwrap();
            admin.close().await.unwrap();
        }
    }
}

/// The URL with its database name replaced.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |index| index + 3);
    let base = match base[scheme_end..].find('/') {
        Some(index) => &base[..scheme_end + index],
        None => base,
    };
    format!("{base}/{name}{query}")
}

pub(crate) fn talks() -> Scenario {
    read_scenario(TALKS_2025_TOML).scenario.unwrap().into_scenario()
}

pub(crate) fn upsert(text: &str) -> Change {
    Change::Upsert(read_fragment(text).unwrap())
}

/// A small valid change: a claim with this id.
pub(crate) fn claim(id: &str) -> Change {
    upsert(&format!(
        "[[claims]]\nid = \"{id}\"\nclaimant = \"russia\"\nstatement = \"Statement {id}\"\nstatus = \"unverified\"\n"
    ))
}

/// A store holding the built-in scenario.
pub(crate) async fn seeded(db: &TestDb) -> Store {
    let store = db.open().await;
    if store.head().await.unwrap().is_none() {
        store.import("test", talks()).await.unwrap();
    }
    store
}
