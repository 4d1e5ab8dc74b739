//! `parley db ...`: the record's database from the command line: verify its hash chain,
//! import and export scenario files, back it up while a server writes, and add users.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use parley_store::Store;
use parley_store::users::{Role, TokenKind};

use crate::files::{read_scenario_file, render_diagnostic, write_atomically};

/// The database when `--database` is not given.
pub(crate) const DEFAULT_DATABASE: &str = "./parley.db";

/// `parley db`: work on the record's database.
#[derive(Args, Debug)]
pub struct DbArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: DbCommand,
}

/// The `parley db` subcommands.
#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// Recompute the hash chain and name the first event edited, removed or reordered (exit 1).
    Verify {
        /// A SQLite file or a postgres:// URL.
        #[arg(long, default_value = DEFAULT_DATABASE)]
        database: String,
    },
    /// Record a scenario file (TOML) as one import event, after checking it.
    Import {
        /// The scenario file.
        file: PathBuf,
        /// A SQLite file (created if missing) or a postgres:// URL.
        #[arg(long, default_value = DEFAULT_DATABASE)]
        database: String,
        /// Who records the import, as the log names its author.
        #[arg(long, default_value = "cli")]
        author: String,
    },
    /// Write the current record as a scenario file (TOML); importing it gives the same state.
    Export {
        /// The scenario file to write.
        #[arg(short, long)]
        output: PathBuf,
        /// A SQLite file or a postgres:// URL.
        #[arg(long, default_value = DEFAULT_DATABASE)]
        database: String,
        /// Overwrite the output file if it exists.
        #[arg(long)]
        force: bool,
        /// The record as of this time (RFC 3339, e.g. 2025-12-01T12:00:00Z) instead of now.
        #[arg(long)]
        as_of: Option<String>,
    },
    /// Copy the database into a new SQLite file, consistent as of one moment; safe while a
    /// server writes.
    Backup {
        /// The backup file to create; an existing file is kept unless `--force`.
        #[arg(short, long)]
        output: PathBuf,
        /// A SQLite file or a postgres:// URL.
        #[arg(long, default_value = DEFAULT_DATABASE)]
        database: String,
        /// Replace the backup file if it exists (the new backup is made whole beside it first).
        #[arg(long)]
        force: bool,
    },
    /// Add a user and print its API token, once.
    AddUser {
        /// The user's name.
        name: String,
        /// mediator, observer or delegate:PARTY.
        #[arg(long)]
        role: String,
        /// The API token expires after this many days (default: when revoked).
        #[arg(long)]
        expires_in_days: Option<u32>,
        /// A SQLite file or a postgres:// URL.
        #[arg(long, default_value = DEFAULT_DATABASE)]
        database: String,
    },
    /// Print a one-time sign-in link's code for a user: it signs a browser in once.
    SignInLink {
        /// The user's name.
        name: String,
        /// How long the link stays good, in minutes.
        #[arg(long, default_value_t = 30)]
        minutes: u32,
        /// The server's address, as the browser reaches it.
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        base_url: String,
        /// A SQLite file or a postgres:// URL.
        #[arg(long, default_value = DEFAULT_DATABASE)]
        database: String,
    },
    /// Revoke one token (an API token or a session), or every token and session of a user.
    RevokeToken {
        /// The token to revoke.
        #[arg(required_unless_present = "user", conflicts_with = "user")]
        token: Option<String>,
        /// Revoke every token, session and sign-in link of this user.
        #[arg(long)]
        user: Option<String>,
        /// A SQLite file or a postgres:// URL.
        #[arg(long, default_value = DEFAULT_DATABASE)]
        database: String,
    },
}

/// Runs a `parley db` command: exit code 0 on success, 1 when `verify` finds the log broken.
pub(crate) fn run(args: DbArgs) -> Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(run_async(args.command))
}

async fn run_async(command: DbCommand) -> Result<ExitCode> {
    match command {
        DbCommand::Verify { database } => {
            // Verifying never creates or changes a database: a mistyped path or an empty file
            // is an error, not an empty log.
            let store = open_read_only(&database).await?;
            let report = store.verify().await.context("cannot verify the log")?;
            crate::print(&format!("{}: {report}\n", store.database()))?;
            store.close().await;
            Ok(if report.is_ok() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        DbCommand::Import { file, database, author } => {
            let file_name = file.display().to_string();
            let loaded = read_scenario_file(&file)?;
            let Some(scenario) = loaded.scenario else {
                let rendered: Vec<String> = loaded
                    .diagnostics
                    .iter()
                    .map(|diagnostic| render_diagnostic(diagnostic, &file_name))
                    .collect();
                let n_errors =
                    loaded.diagnostics.iter().filter(|diagnostic| diagnostic.is_error()).count();
                bail!(
                    "{file_name} has {n_errors} error(s); nothing was imported:\n{}",
                    rendered.join("\n")
                );
            };
            let store = open(&database).await?;
            let appended = store
                .import(&author, scenario.into_scenario())
                .await
                .with_context(|| format!("cannot import '{file_name}'"))?;
            crate::print(&format!(
                "imported '{file_name}' into {} as event {} ({})\n",
                store.database(),
                appended.seq,
                appended.hash
            ))?;
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Export { output, database, force, as_of } => {
            crate::files::refuse_existing(&output, force)?;
            let as_of = as_of
                .map(|text| {
                    text.parse::<jiff::Timestamp>().with_context(|| {
                        format!(
                            "invalid time '{text}', expected RFC 3339 such as 2025-12-01T12:00:00Z"
                        )
                    })
                })
                .transpose()?;
            let store = open_read_only(&database).await?;
            let text = store.export(as_of).await.context("cannot export the record")?;
            write_atomically(&output, &text, force)?;
            crate::print(&format!("wrote '{}'\n", output.display()))?;
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Backup { output, database, force } => {
            crate::files::refuse_existing(&output, force)?;
            let store = open_read_only(&database).await?;
            if output.exists() {
                // The new backup is made whole under another name in the same folder, then
                // takes the old one's place in one rename: the old one is never half replaced.
                let dir = match output.parent() {
                    Some(parent) if !parent.as_os_str().is_empty() => parent,
                    _ => std::path::Path::new("."),
                };
                let staging = tempfile::Builder::new()
                    .prefix(".parley-backup-")
                    .tempdir_in(dir)
                    .with_context(|| format!("cannot write in '{}'", dir.display()))?;
                let fresh = staging.path().join("backup.db");
                store
                    .backup(&fresh)
                    .await
                    .with_context(|| format!("cannot back up {}", store.database()))?;
                std::fs::rename(&fresh, &output)
                    .with_context(|| format!("cannot replace '{}'", output.display()))?;
            } else {
                store
                    .backup(&output)
                    .await
                    .with_context(|| format!("cannot back up {}", store.database()))?;
            }
            crate::print(&format!(
                "backed up {} to '{}' (a SQLite file)\n",
                store.database(),
                output.display()
            ))?;
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::AddUser { name, role, expires_in_days, database } => {
            let role = Role::parse(&role)?;
            let store = open_existing(&database).await?;
            let user = store.create_user(&name, &role).await?;
            let lifetime = expires_in_days
                .map(|days| std::time::Duration::from_secs(u64::from(days) * 24 * 3600));
            let token = store.issue(user.id, TokenKind::Api, lifetime).await?;
            let expiry =
                expires_in_days.map_or(String::new(), |days| format!(", good for {days} day(s)"));
            crate::print(&format!(
                "added user '{}' ({}), id {}\nAPI token (shown once, keep it safe{expiry}):\n{token}\nFor the browser: `parley db sign-in-link {}` prints a one-time sign-in link.\n",
                user.name, user.role, user.id, user.name
            ))?;
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::SignInLink { name, minutes, base_url, database } => {
            let store = open_existing(&database).await?;
            let user = user_named(&store, &name).await?;
            let lifetime = std::time::Duration::from_secs(u64::from(minutes.max(1)) * 60);
            let code = store.issue(user.id, TokenKind::SignInLink, Some(lifetime)).await?;
            crate::print(&format!(
                "one-time sign-in link for '{}' (good for {} minute(s), once):\n  {}/sign-in?code={code}\n",
                user.name,
                minutes.max(1),
                base_url.trim_end_matches('/')
            ))?;
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::RevokeToken { token, user, database } => {
            let store = open_existing(&database).await?;
            let message = match (token, user) {
                (Some(token), _) => {
                    if !store.revoke_token(token.trim()).await? {
                        bail!("no token in force matches: it is unknown or revoked already");
                    }
                    "revoked the token\n".to_owned()
                }
                (None, Some(name)) => {
                    let user = user_named(&store, &name).await?;
                    let n_revoked = store.revoke_tokens(user.id).await?;
                    format!("revoked {n_revoked} token(s) and session(s) of '{}'\n", user.name)
                }
                (None, None) => bail!("name a token, or a user with --user"),
            };
            crate::print(&message)?;
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The user of a name, or an error that lists the users.
async fn user_named(store: &Store, name: &str) -> Result<parley_store::users::User> {
    let users = store.users().await?;
    let names: Vec<&str> = users.iter().map(|user| user.name.as_str()).collect();
    let listed = names.join(", ");
    users
        .iter()
        .find(|user| user.name == name)
        .cloned()
        .with_context(|| format!("no user named '{name}', expected one of: {listed}"))
}

async fn open(database: &str) -> Result<Store> {
    Store::open(database).await.map_err(anyhow::Error::from)
}

/// Opens a database that must exist already, to write to it: a SQLite file is not created.
async fn open_existing(database: &str) -> Result<Store> {
    Store::open_existing(database).await.map_err(anyhow::Error::from)
}

/// Opens a database that must exist already, to read it only: nothing is created, written
/// or migrated.
pub(crate) async fn open_read_only(database: &str) -> Result<Store> {
    Store::open_read_only(database).await.map_err(anyhow::Error::from)
}
