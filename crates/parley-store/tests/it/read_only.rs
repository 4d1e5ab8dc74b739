//! Opening for reading only: a database that is missing, empty or not Parley's is refused by
//! name and left as it was; a Parley database is read and never written.

use parley_store::read_only::Unusable;
use parley_store::{Error, Store};

use crate::helpers::{TestDb, claim, seeded};

/// The names of a folder's files, but SQLite's -wal and -shm files: SQLite reads a
/// write-ahead-logged database through them, and may create them even to read.
fn file_names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = files(dir)
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| !name.ends_with("-wal") && !name.ends_with("-shm"))
        .collect();
    names.sort();
    names
}

/// The files of a folder, with their sizes.
fn files(dir: &std::path::Path) -> Vec<(String, u64)> {
    let mut files: Vec<(String, u64)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (entry.file_name().to_string_lossy().into_owned(), entry.metadata().unwrap().len())
        })
        .collect();
    files.sort();
    files
}

async fn unusable(database: &str) -> Unusable {
    match Store::open_read_only(database).await {
        Err(Error::Unusable { why, .. }) => why,
        Err(other) => panic!("{database}: {other:?}"),
        Ok(_) => panic!("{database} opened"),
    }
}

#[tokio::test]
async fn a_missing_or_empty_file_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.db").display().to_string();
    assert_eq!(unusable(&missing).await, Unusable::Missing);
    assert_eq!(unusable(&format!("sqlite:{missing}")).await, Unusable::Missing);
    assert_eq!(unusable(&format!("sqlite://{missing}?mode=rwc")).await, Unusable::Missing);
    assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));

    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let empty = empty.display().to_string();
    let error = Store::open_read_only(&empty).await.err().unwrap();
    assert_eq!(
        error.to_string(),
        format!(
            "database '{empty}' is an empty file (0 bytes), not a Parley database; `parley db import FILE` or `parley serve` creates one"
        )
    );
    // Opening to write needs an existing, non-empty file too.
    assert!(matches!(
        Store::open_existing(&empty).await,
        Err(Error::Unusable { why: Unusable::EmptyFile, .. })
    ));
    assert!(matches!(
        Store::open_existing(&missing).await,
        Err(Error::Unusable { why: Unusable::Missing, .. })
    ));
    assert_eq!(files(dir.path()), [("empty.db".to_owned(), 0)]);
}

#[tokio::test]
async fn a_file_that_is_not_a_parley_database_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "not a database, but long enough to have a header of one").unwrap();
    assert_eq!(unusable(&junk.display().to_string()).await, Unusable::NotSqlite);

    let other = dir.path().join("other.db");
    let options =
        sqlx::sqlite::SqliteConnectOptions::new().filename(&other).create_if_missing(true);
    let mut connection =
        <sqlx::SqliteConnection as sqlx::Connection>::connect_with(&options).await.unwrap();
    sqlx::raw_sql("CREATE TABLE notes (text TEXT)").execute(&mut connection).await.unwrap();
    sqlx::Connection::close(connection).await.unwrap();
    let before = files(dir.path());
    assert_eq!(unusable(&other.display().to_string()).await, Unusable::NoSchema);
    assert_eq!(files(dir.path()), before);
}

#[tokio::test]
async fn a_database_opened_read_only_is_read_and_never_written() {
    for db in TestDb::all().await {
        let store = seeded(&db).await;
        store.append("test", &claim("c1")).await.unwrap();
        store.close().await;
        let before = if db.is_postgres() { Vec::new() } else { file_names(db.dir.path()) };

        let reader = Store::open_read_only(&db.database).await.unwrap();
        let report = reader.verify().await.unwrap();
        assert!(report.is_ok() && report.n_events == 2, "{report}");
        assert!(reader.export(None).await.unwrap().contains("Statement c1"));
        let backup = tempfile::tempdir().unwrap();
        let backup = backup.path().join("backup.db");
        reader.backup(&backup).await.unwrap();
        assert_eq!(
            Store::open_read_only(&backup.display().to_string())
                .await
                .unwrap()
                .verify()
                .await
                .unwrap()
                .n_events,
            2
        );
        assert!(reader.append("test", &claim("c2")).await.is_err(), "a read-only store appended");
        reader.close().await;

        if !db.is_postgres() {
            assert_eq!(file_names(db.dir.path()), before);
        }
        assert_eq!(db.open().await.verify().await.unwrap().n_events, 2);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_database_without_the_schema_is_refused_on_every_backend() {
    for db in TestDb::all().await {
        if db.is_postgres() {
            // A fresh PostgreSQL database: no tables at all, and none are created.
            assert_eq!(unusable(&db.database).await, Unusable::NoSchema);
            assert_eq!(unusable(&db.database).await, Unusable::NoSchema);
        } else {
            assert_eq!(unusable(&db.database).await, Unusable::Missing);
        }
        db.finish().await;
    }
}
