//! People and access: invitations by one-time link, revoking a user, changing a user's role,
//! a user's own sessions, and who has access with when each last used it.
//!
//! Every change of access is an event of the log, of kind [`ACCESS_KIND`], written in the
//! same transaction as the change itself: a user added by the operator, an invitation made,
//! accepted or withdrawn, a user revoked, a role changed. These events are chained and verified like the record's, but
//! they do not change the record: a replay steps over them. An invitation's code is shown
//! once, when it is made; the database keeps only its SHA-256, as it does for tokens.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::chain::{event_hash, format_time, secret_hash};
use crate::log::{Head, HeadRow, SELECT_HEAD, SELECT_HEAD_FOR_UPDATE, head_from_row, to_i64};
use crate::users::{Role, User};
use crate::{Error, Result, Store, with_pool};

/// The kind of the log's events that record a change of access.
pub const ACCESS_KIND: &str = "access";

/// What an invitation's code starts with.
pub const INVITATION_PREFIX: &str = "parley_invite_";

/// The author of the access events the server's operator causes, outside any signed-in user.
pub const OPERATOR: &str = "operator";

/// The longest an invitation may stay open.
pub const MAX_INVITATION_LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);

/// What changed.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "kebab-case")]
pub enum AccessAction {
    /// An invitation was made.
    Invite,
    /// An invitation was accepted: a user was created.
    Accept,
    /// An invitation was withdrawn before it was accepted.
    Withdraw,
    /// A user was revoked, with every token and session.
    Revoke,
    /// A user's role was changed.
    Role,
    /// A user was added by the server's operator (`parley db add-user`, or the first mediator
    /// a server makes for an empty database).
    Add,
}

/// A change of access, as an `access` event's payload holds it (TOML).
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
#[serde(deny_unknown_fields)]
pub struct AccessEvent {
    /// What changed.
    pub action: AccessAction,
    /// The invitation, by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation: Option<i64>,
    /// The user, by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<i64>,
    /// The user's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The role given (for a revocation: the role the user had).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The role before a change of role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_role: Option<String>,
    /// When an invitation expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

impl AccessEvent {
    fn new(action: AccessAction) -> AccessEvent {
        AccessEvent {
            action,
            invitation: None,
            user: None,
            name: None,
            role: None,
            previous_role: None,
            expires_at: None,
        }
    }

    /// The payload the log keeps.
    pub fn to_payload(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// Reads a payload back; the error says what is wrong with it.
    pub fn from_payload(payload: &str) -> std::result::Result<AccessEvent, String> {
        toml::from_str(payload).map_err(|error| error.message().trim().to_owned())
    }
}

/// An invitation.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Invitation {
    /// Its id.
    pub id: i64,
    /// The role the user it makes gets.
    pub role: Role,
    /// Who made it.
    pub invited_by: String,
    /// When.
    pub created_at: String,
    /// When it stops working.
    pub expires_at: String,
    /// When it was accepted.
    pub accepted_at: Option<String>,
    /// The user it made.
    pub user_id: Option<i64>,
    /// When it was withdrawn.
    pub withdrawn_at: Option<String>,
}

impl Invitation {
    /// Whether it can still be accepted at `now` (a time as the log writes it).
    pub fn is_open(&self, now: &str) -> bool {
        self.accepted_at.is_none() && self.withdrawn_at.is_none() && self.expires_at.as_str() > now
    }
}

#[derive(sqlx::FromRow)]
struct InvitationRow {
    id: i64,
    role: String,
    invited_by: String,
    created_at: String,
    expires_at: String,
    accepted_at: Option<String>,
    user_id: Option<i64>,
    withdrawn_at: Option<String>,
}

impl TryFrom<InvitationRow> for Invitation {
    type Error = Error;

    fn try_from(row: InvitationRow) -> Result<Invitation> {
        Ok(Invitation {
            id: row.id,
            role: Role::parse(&row.role)?,
            invited_by: row.invited_by,
            created_at: row.created_at,
            expires_at: row.expires_at,
            accepted_at: row.accepted_at,
            user_id: row.user_id,
            withdrawn_at: row.withdrawn_at,
        })
    }
}

const SELECT_INVITATION: &str = "SELECT id, role, invited_by, created_at, expires_at, accepted_at, user_id, withdrawn_at FROM invitations";

/// A user with what the people page shows of its access.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Person {
    /// The user.
    pub user: User,
    /// When it was revoked; a revoked user's tokens and sessions do not work.
    pub revoked_at: Option<String>,
    /// When one of its tokens or sessions was last used.
    pub last_used_at: Option<String>,
    /// How many of its sessions are in force.
    pub n_sessions: i64,
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    name: String,
    role: String,
    created_at: String,
    revoked_at: Option<String>,
    last_used_at: Option<String>,
    n_sessions: i64,
}

/// One of a user's sessions in force.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Session {
    /// Its id (not the token: that is not kept).
    pub id: i64,
    /// When it began.
    pub created_at: String,
    /// When it was last used.
    pub last_used_at: Option<String>,
    /// When it ends.
    pub expires_at: Option<String>,
    /// Whether it is the session that asks.
    pub current: bool,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: i64,
    token_hash: String,
    created_at: String,
    last_used_at: Option<String>,
    expires_at: Option<String>,
}

/// Runs `$body` in a transaction that holds the log's write lock, with `$tx` the transaction
/// and `$now` the time the log records. The body gives `(Option<(author, event)>, outcome)`:
/// with an event, it is appended to the log and everything is committed; without, the
/// transaction is rolled back. An early return (`?`) rolls back too. Evaluates to `outcome`.
macro_rules! logged {
    ($store:expr, $tx:ident, $now:ident => $body:block) => {{
        let store: &Store = $store;
        let _writer = store.inner.write_lock.lock().await;
        with_pool!(&store.inner.backend, pool, postgres => {
            let mut $tx = pool.begin_with(if postgres { "BEGIN" } else { "BEGIN IMMEDIATE" }).await?;
            let head: HeadRow = sqlx::query_as(if postgres { SELECT_HEAD_FOR_UPDATE } else { SELECT_HEAD })
                .fetch_one(&mut *$tx)
                .await?;
            let head = head_from_row(head);
            let last: Option<(i64, String)> =
                sqlx::query_as("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")
                    .fetch_optional(&mut *$tx)
                    .await?;
            let head_matches = match &last {
                None => head.seq == 0,
                Some((seq, hash)) => *seq == to_i64(head.seq) && *hash == head.hash,
            };
            if !head_matches {
                return Err(Error::Damaged {
                    database: store.inner.database.clone(),
                    message: format!("its head records event {} but its last event is not that one", head.seq),
                });
            }
            // Times never go backwards in the log, even when the clock does.
            let clock = format_time(jiff::Timestamp::now());
            let $now: String = if clock < head.recorded_at { head.recorded_at.clone() } else { clock };
            let (event, outcome): (Option<(String, AccessEvent)>, _) = $body;
            match event {
                Some((author, event)) => {
                    let seq = head.seq + 1;
                    let payload = event.to_payload();
                    let hash = event_hash(&head.hash, seq, &$now, &author, ACCESS_KIND, &payload);
                    sqlx::query(
                        "INSERT INTO events (seq, recorded_at, author, kind, payload, prev_hash, hash) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(to_i64(seq))
                    .bind(&$now)
                    .bind(&author)
                    .bind(ACCESS_KIND)
                    .bind(&payload)
                    .bind(&head.hash)
                    .bind(&hash)
                    .execute(&mut *$tx)
                    .await?;
                    sqlx::query("UPDATE log_head SET seq = $1, hash = $2, recorded_at = $3 WHERE id = 1")
                        .bind(to_i64(seq))
                        .bind(&hash)
                        .bind(&$now)
                        .execute(&mut *$tx)
                        .await?;
                    $tx.commit().await?;
                    store.appended(Head { seq, hash, recorded_at: $now });
                }
                None => $tx.rollback().await?,
            }
            outcome
        })
    }};
}

/// Whether a user name is acceptable: 1 to 64 characters, none blank or control.
pub(crate) fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= 64
        && !name.chars().any(|character| character.is_whitespace() || character.is_control())
}

fn role_text(role: &Role) -> Option<String> {
    Some(role.to_string())
}

impl Store {
    /// Adds a user with a role, by the server's operator: a change of access, logged like the
    /// others. The name must be free; a delegate's party must be in the current record.
    pub async fn create_user(&self, name: &str, role: &Role) -> Result<User> {
        if !valid_name(name) {
            return Err(Error::InvalidUserName(name.to_owned()));
        }
        self.check_party(role).await?;
        logged!(self, tx, now => {
            let inserted: std::result::Result<(i64,), sqlx::Error> = sqlx::query_as(
                "INSERT INTO users (name, role, created_at) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(name)
            .bind(role.to_string())
            .bind(&now)
            .fetch_one(&mut *tx)
            .await;
            match inserted {
                Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                    (None, Err(Error::UserExists(name.to_owned())))
                }
                Err(error) => return Err(Error::Database(error)),
                Ok((user_id,)) => {
                    let mut event = AccessEvent::new(AccessAction::Add);
                    event.user = Some(user_id);
                    event.name = Some(name.to_owned());
                    event.role = role_text(role);
                    let user = User {
                        id: user_id,
                        name: name.to_owned(),
                        role: role.clone(),
                        created_at: now.clone(),
                    };
                    (Some((OPERATOR.to_owned(), event)), Ok(user))
                }
            }
        })
    }

    /// Invites a user with a role, by `by` (a mediator's name), for `lifetime` (at most
    /// [`MAX_INVITATION_LIFETIME`]): the invitation and its code, shown only now. A delegate's
    /// party must be in the current record.
    pub async fn invite(
        &self,
        by: &str,
        role: &Role,
        lifetime: Duration,
    ) -> Result<(Invitation, String)> {
        if by.trim().is_empty() {
            return Err(Error::EmptyAuthor);
        }
        self.check_party(role).await?;
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|_| Error::Random)?;
        let code = format!("{INVITATION_PREFIX}{}", hex::encode(bytes));
        let lifetime = jiff::SignedDuration::try_from(lifetime.min(MAX_INVITATION_LIFETIME))
            .unwrap_or(jiff::SignedDuration::ZERO);
        let expires_at = format_time(
            jiff::Timestamp::now().checked_add(lifetime).unwrap_or(jiff::Timestamp::MAX),
        );
        let invitation = logged!(self, tx, now => {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO invitations (code_hash, role, invited_by, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(secret_hash(&code))
            .bind(role.to_string())
            .bind(by)
            .bind(&now)
            .bind(&expires_at)
            .fetch_one(&mut *tx)
            .await?;
            let mut event = AccessEvent::new(AccessAction::Invite);
            event.invitation = Some(id);
            event.role = role_text(role);
            event.expires_at = Some(expires_at.clone());
            let invitation = Invitation {
                id,
                role: role.clone(),
                invited_by: by.to_owned(),
                created_at: now.clone(),
                expires_at: expires_at.clone(),
                accepted_at: None,
                user_id: None,
                withdrawn_at: None,
            };
            (Some((by.to_owned(), event)), invitation)
        });
        Ok((invitation, code))
    }

    /// The invitation a code opens, when it can still be accepted; `None` when the code is
    /// unknown, expired, accepted or withdrawn.
    pub async fn open_invitation(&self, code: &str) -> Result<Option<Invitation>> {
        if !code.starts_with(INVITATION_PREFIX) {
            return Ok(None);
        }
        let now = format_time(jiff::Timestamp::now());
        let row: Option<InvitationRow> = with_pool!(&self.inner.backend, pool, _postgres => {
            sqlx::query_as(&format!(
                "{SELECT_INVITATION} WHERE code_hash = $1 AND accepted_at IS NULL \
                 AND withdrawn_at IS NULL AND expires_at > $2"
            ))
            .bind(secret_hash(code))
            .bind(&now)
            .fetch_optional(pool)
            .await?
        });
        row.map(Invitation::try_from).transpose()
    }

    /// Accepts an invitation: the user it makes, named `name`, once; `None` when the code is
    /// unknown, expired, accepted already or withdrawn (when two requests accept it at once,
    /// one wins). A name that is taken or not acceptable is an error, and leaves the
    /// invitation open.
    pub async fn accept_invitation(&self, code: &str, name: &str) -> Result<Option<User>> {
        if !code.starts_with(INVITATION_PREFIX) {
            return Ok(None);
        }
        if !valid_name(name) {
            return Err(Error::InvalidUserName(name.to_owned()));
        }
        logged!(self, tx, now => {
            let spent: Option<(i64, String)> = sqlx::query_as(
                "UPDATE invitations SET accepted_at = $1 \
                 WHERE code_hash = $2 AND accepted_at IS NULL AND withdrawn_at IS NULL \
                 AND expires_at > $1 RETURNING id, role",
            )
            .bind(&now)
            .bind(secret_hash(code))
            .fetch_optional(&mut *tx)
            .await?;
            match spent {
                None => (None, Ok(None)),
                Some((invitation, role)) => {
                    let inserted: std::result::Result<(i64,), sqlx::Error> = sqlx::query_as(
                        "INSERT INTO users (name, role, created_at) VALUES ($1, $2, $3) RETURNING id",
                    )
                    .bind(name)
                    .bind(&role)
                    .bind(&now)
                    .fetch_one(&mut *tx)
                    .await;
                    match inserted {
                        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                            (None, Err(Error::UserExists(name.to_owned())))
                        }
                        Err(error) => return Err(Error::Database(error)),
                        Ok((user_id,)) => {
                            sqlx::query("UPDATE invitations SET user_id = $1 WHERE id = $2")
                                .bind(user_id)
                                .bind(invitation)
                                .execute(&mut *tx)
                                .await?;
                            let role = Role::parse(&role)?;
                            let mut event = AccessEvent::new(AccessAction::Accept);
                            event.invitation = Some(invitation);
                            event.user = Some(user_id);
                            event.name = Some(name.to_owned());
                            event.role = role_text(&role);
                            let user = User {
                                id: user_id,
                                name: name.to_owned(),
                                role,
                                created_at: now.clone(),
                            };
                            (Some((name.to_owned(), event)), Ok(Some(user)))
                        }
                    }
                }
            }
        })
    }

    /// Every invitation, the latest first.
    pub async fn invitations(&self) -> Result<Vec<Invitation>> {
        let rows: Vec<InvitationRow> = with_pool!(&self.inner.backend, pool, _postgres => {
            sqlx::query_as(&format!("{SELECT_INVITATION} ORDER BY id DESC")).fetch_all(pool).await?
        });
        rows.into_iter().map(Invitation::try_from).collect()
    }

    /// Withdraws an invitation not yet accepted, by `by`; whether it was open.
    pub async fn withdraw_invitation(&self, invitation: i64, by: &str) -> Result<bool> {
        let withdrawn = logged!(self, tx, now => {
            let withdrawn: Option<(String,)> = sqlx::query_as(
                "UPDATE invitations SET withdrawn_at = $1 \
                 WHERE id = $2 AND accepted_at IS NULL AND withdrawn_at IS NULL RETURNING role",
            )
            .bind(&now)
            .bind(invitation)
            .fetch_optional(&mut *tx)
            .await?;
            match withdrawn {
                None => (None, false),
                Some((role,)) => {
                    let mut event = AccessEvent::new(AccessAction::Withdraw);
                    event.invitation = Some(invitation);
                    event.role = Some(role);
                    (Some((by.to_owned(), event)), true)
                }
            }
        });
        Ok(withdrawn)
    }

    /// Revokes a user, by `by`: its tokens, sessions and sign-in links stop working at once
    /// (in this process; within a token check's interval in others), and it cannot sign in
    /// again. Whether it was in force.
    pub async fn revoke_user(&self, user_id: i64, by: &str) -> Result<bool> {
        let revoked = logged!(self, tx, now => {
            let revoked: Option<(String, String)> = sqlx::query_as(
                "UPDATE users SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL \
                 RETURNING name, role",
            )
            .bind(&now)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
            match revoked {
                None => (None, false),
                Some((name, role)) => {
                    sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
                        .bind(&now)
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await?;
                    let mut event = AccessEvent::new(AccessAction::Revoke);
                    event.user = Some(user_id);
                    event.name = Some(name);
                    event.role = Some(role);
                    (Some((by.to_owned(), event)), true)
                }
            }
        });
        self.forget_checked(user_id);
        Ok(revoked)
    }

    /// Gives a user in force another role, by `by`; whether it changed. A delegate's party
    /// must be in the current record. Its sessions carry the new role at once.
    pub async fn set_role(&self, user_id: i64, role: &Role, by: &str) -> Result<bool> {
        self.check_party(role).await?;
        let changed = logged!(self, tx, _now => {
            let found: Option<(String, String)> = sqlx::query_as(
                "SELECT name, role FROM users WHERE id = $1 AND revoked_at IS NULL",
            )
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
            match found {
                Some((name, previous)) if previous != role.to_string() => {
                    sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
                        .bind(role.to_string())
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await?;
                    let mut event = AccessEvent::new(AccessAction::Role);
                    event.user = Some(user_id);
                    event.name = Some(name);
                    event.role = role_text(role);
                    event.previous_role = Some(previous);
                    (Some((by.to_owned(), event)), true)
                }
                _ => (None, false),
            }
        });
        self.forget_checked(user_id);
        Ok(changed)
    }

    /// Every user, by id, with when it last used a token or session and how many of its
    /// sessions are in force.
    pub async fn people(&self) -> Result<Vec<Person>> {
        let now = format_time(jiff::Timestamp::now());
        let rows: Vec<PersonRow> = with_pool!(&self.inner.backend, pool, _postgres => {
            sqlx::query_as(
                "SELECT users.id, users.name, users.role, users.created_at, users.revoked_at, \
                 (SELECT MAX(tokens.last_used_at) FROM tokens WHERE tokens.user_id = users.id) AS last_used_at, \
                 (SELECT COUNT(*) FROM tokens WHERE tokens.user_id = users.id AND tokens.kind = 'session' \
                  AND tokens.revoked_at IS NULL AND (tokens.expires_at IS NULL OR tokens.expires_at > $1)) AS n_sessions \
                 FROM users ORDER BY users.id",
            )
            .bind(&now)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|row| {
                Ok(Person {
                    user: User {
                        id: row.id,
                        name: row.name,
                        role: Role::parse(&row.role)?,
                        created_at: row.created_at,
                    },
                    revoked_at: row.revoked_at,
                    last_used_at: row.last_used_at,
                    n_sessions: row.n_sessions,
                })
            })
            .collect()
    }

    /// A user's sessions in force, the oldest first; `current` (the asking session's token)
    /// is marked.
    pub async fn sessions(&self, user_id: i64, current: Option<&str>) -> Result<Vec<Session>> {
        let now = format_time(jiff::Timestamp::now());
        let rows: Vec<SessionRow> = with_pool!(&self.inner.backend, pool, _postgres => {
            sqlx::query_as(
                "SELECT id, token_hash, created_at, last_used_at, expires_at FROM tokens \
                 WHERE user_id = $1 AND kind = 'session' AND revoked_at IS NULL \
                 AND (expires_at IS NULL OR expires_at > $2) ORDER BY id",
            )
            .bind(user_id)
            .bind(&now)
            .fetch_all(pool)
            .await?
        });
        let current = current.map(secret_hash);
        Ok(rows
            .into_iter()
            .map(|row| Session {
                id: row.id,
                current: current.as_deref() == Some(row.token_hash.as_str()),
                created_at: row.created_at,
                last_used_at: row.last_used_at,
                expires_at: row.expires_at,
            })
            .collect())
    }

    /// Ends every session of a user (its API tokens stay): signing out everywhere. How many
    /// were ended.
    pub async fn end_sessions(&self, user_id: i64) -> Result<u64> {
        let now = format_time(jiff::Timestamp::now());
        let n_ended = with_pool!(&self.inner.backend, pool, _postgres => {
            sqlx::query(
                "UPDATE tokens SET revoked_at = $1 \
                 WHERE user_id = $2 AND kind = 'session' AND revoked_at IS NULL",
            )
            .bind(&now)
            .bind(user_id)
            .execute(pool)
            .await?
            .rows_affected()
        });
        self.forget_checked(user_id);
        Ok(n_ended)
    }

    /// Checks that a delegate's party is in the current record, when there is one.
    pub(crate) async fn check_party(&self, role: &Role) -> Result<()> {
        let Role::Delegate(party) = role else { return Ok(()) };
        match self.state(None).await {
            Ok(snapshot) => {
                let parties = &snapshot.scenario.scenario().parties;
                if parties.iter().any(|candidate| &candidate.id == party) {
                    Ok(())
                } else {
                    let known: Vec<&str> = parties.iter().map(|party| party.id.as_str()).collect();
                    Err(Error::UnknownParty { party: party.to_string(), known: known.join(", ") })
                }
            }
            Err(Error::Empty) => Ok(()),
            Err(error) => Err(error),
        }
    }
}
