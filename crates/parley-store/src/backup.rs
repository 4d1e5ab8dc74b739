//! Backups, safe while a server writes: always a SQLite file, consistent as of one moment,
//! that `--database FILE` opens and `parley db verify` checks. SQLite is copied with
//! `VACUUM INTO`; PostgreSQL's log, head, users, tokens and invitations are copied, every column, into a new SQLite file
//! inside one repeatable-read transaction. A backup never overwrites a file.

use std::path::{Path, PathBuf};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};

use crate::log::EventRow;
use crate::{Backend, Error, Result, Store};

#[derive(sqlx::FromRow)]
struct UserCopy {
    id: i64,
    name: String,
    role: String,
    created_at: String,
    revoked_at: Option<String>,
}

#[derive(sqlx::FromRow)]
struct TokenCopy {
    id: i64,
    user_id: i64,
    token_hash: String,
    created_at: String,
    revoked_at: Option<String>,
    kind: String,
    expires_at: Option<String>,
    last_used_at: Option<String>,
}

#[derive(sqlx::FromRow)]
struct InvitationCopy {
    id: i64,
    code_hash: String,
    role: String,
    invited_by: String,
    created_at: String,
    expires_at: String,
    accepted_at: Option<String>,
    user_id: Option<i64>,
    withdrawn_at: Option<String>,
}

#[derive(sqlx::FromRow)]
struct HeadCopy {
    seq: i64,
    hash: String,
    recorded_at: String,
}

impl Store {
    /// Writes a backup to `path`, a new SQLite file. The copy is written beside it under a
    /// temporary name and linked into place only when complete, so a failed backup leaves no
    /// file at `path`, and an existing file is never replaced.
    pub async fn backup(&self, path: &Path) -> Result<()> {
        if path.exists() {
            return Err(Error::BackupExists(path.to_owned()));
        }
        let partial = partial_path(path)?;
        let res = self.backup_into(&partial).await.and_then(|()| {
            std::fs::File::open(&partial)
                .and_then(|file| file.sync_all())
                .map_err(|source| Error::Io { path: partial.clone(), source })?;
            // A hard link fails when the target exists: no race can make it overwrite.
            std::fs::hard_link(&partial, path).map_err(|source| {
                if source.kind() == std::io::ErrorKind::AlreadyExists {
                    Error::BackupExists(path.to_owned())
                } else {
                    Error::Io { path: path.to_owned(), source }
                }
            })
        });
        // The temporary name goes either way; the backup, when made, stays at `path`.
        let _ = std::fs::remove_file(&partial);
        res
    }

    async fn backup_into(&self, partial: &Path) -> Result<()> {
        let partial_text = partial
            .to_str()
            .ok_or_else(|| Error::Io {
                path: partial.to_owned(),
                source: std::io::Error::other("the path is not valid UTF-8"),
            })?
            .to_owned();
        match &self.inner.backend {
            Backend::Sqlite(pool) => {
                // VACUUM INTO reads one consistent snapshot, while writers go on.
                sqlx::query("VACUUM INTO $1").bind(partial_text).execute(pool).await?;
                Ok(())
            }
            Backend::Postgres(pool) => {
                let target = SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect_with(
                        SqliteConnectOptions::new()
                            .filename(partial)
                            .create_if_missing(true)
                            .journal_mode(SqliteJournalMode::Delete)
                            .foreign_keys(true),
                    )
                    .await?;
                let res = copy_postgres(pool, &target).await;
                target.close().await;
                res
            }
        }
    }
}

/// Copies everything from PostgreSQL into an empty SQLite database, as of one moment.
async fn copy_postgres(source: &sqlx::PgPool, target: &sqlx::SqlitePool) -> Result<()> {
    sqlx::migrate!("./migrations/sqlite").run(target).await?;
    let mut read = source.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
    let mut write = target.begin().await?;
    let head: HeadCopy = sqlx::query_as("SELECT seq, hash, recorded_at FROM log_head WHERE id = 1")
        .fetch_one(&mut *read)
        .await?;
    sqlx::query("UPDATE log_head SET seq = $1, hash = $2, recorded_at = $3 WHERE id = 1")
        .bind(head.seq)
        .bind(head.hash)
        .bind(head.recorded_at)
        .execute(&mut *write)
        .await?;
    let mut after = i64::MIN;
    loop {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT seq, recorded_at, author, kind, payload, prev_hash, hash \
             FROM events WHERE seq > $1 ORDER BY seq LIMIT 1000",
        )
        .bind(after)
        .fetch_all(&mut *read)
        .await?;
        for row in &rows {
            sqlx::query(
                "INSERT INTO events (seq, recorded_at, author, kind, payload, prev_hash, hash) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(row.seq)
            .bind(&row.recorded_at)
            .bind(&row.author)
            .bind(&row.kind)
            .bind(&row.payload)
            .bind(&row.prev_hash)
            .bind(&row.hash)
            .execute(&mut *write)
            .await?;
        }
        match rows.last() {
            Some(last) if rows.len() == 1000 => after = last.seq,
            _ => break,
        }
    }
    let users: Vec<UserCopy> =
        sqlx::query_as("SELECT id, name, role, created_at, revoked_at FROM users ORDER BY id")
            .fetch_all(&mut *read)
            .await?;
    for user in users {
        sqlx::query(
            "INSERT INTO users (id, name, role, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user.id)
        .bind(user.name)
        .bind(user.role)
        .bind(user.created_at)
        .bind(user.revoked_at)
        .execute(&mut *write)
        .await?;
    }
    // Every column: a session copied as an API token would never expire.
    let tokens: Vec<TokenCopy> = sqlx::query_as(
        "SELECT id, user_id, token_hash, created_at, revoked_at, kind, expires_at, last_used_at \
         FROM tokens ORDER BY id",
    )
    .fetch_all(&mut *read)
    .await?;
    for token in tokens {
        sqlx::query(
            "INSERT INTO tokens (id, user_id, token_hash, created_at, revoked_at, kind, expires_at, last_used_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(token.id)
        .bind(token.user_id)
        .bind(token.token_hash)
        .bind(token.created_at)
        .bind(token.revoked_at)
        .bind(token.kind)
        .bind(token.expires_at)
        .bind(token.last_used_at)
        .execute(&mut *write)
        .await?;
    }
    let invitations: Vec<InvitationCopy> = sqlx::query_as(
        "SELECT id, code_hash, role, invited_by, created_at, expires_at, accepted_at, user_id, \
         withdrawn_at FROM invitations ORDER BY id",
    )
    .fetch_all(&mut *read)
    .await?;
    for invitation in invitations {
        sqlx::query(
            "INSERT INTO invitations (id, code_hash, role, invited_by, created_at, expires_at, \
             accepted_at, user_id, withdrawn_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(invitation.id)
        .bind(invitation.code_hash)
        .bind(invitation.role)
        .bind(invitation.invited_by)
        .bind(invitation.created_at)
        .bind(invitation.expires_at)
        .bind(invitation.accepted_at)
        .bind(invitation.user_id)
        .bind(invitation.withdrawn_at)
        .execute(&mut *write)
        .await?;
    }
    read.commit().await?;
    write.commit().await?;
    Ok(())
}

/// A name beside `path` for the backup while it is written.
fn partial_path(path: &Path) -> Result<PathBuf> {
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).map_err(|_| Error::Random)?;
    let name =
        path.file_name().map(|name| name.to_string_lossy().into_owned()).ok_or_else(|| {
            Error::Io {
                path: path.to_owned(),
                source: std::io::Error::other("expected a file name"),
            }
        })?;
    Ok(path.with_file_name(format!(".{name}.partial-{}", hex::encode(random))))
}
