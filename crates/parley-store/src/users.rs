//! Users, their roles and API tokens, and the sign-in rate limiter. Users are not part of the
//! negotiation record: they live in their own tables, outside the event log. A token is shown
//! once, when it is issued; the database keeps only its SHA-256.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use parley_model::Id;
use parley_model::access::Viewer;

use crate::chain::{format_time, secret_hash};
use crate::{Error, Result, Store, with_pool};

/// What a user may see.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Role {
    /// Sees everything.
    Mediator,
    /// A delegate of this party: sees what is public, what is shared with a track the party
    /// sits on, and the party's own private records.
    Delegate(Id),
    /// Sees what is public.
    Observer,
}

impl Role {
    /// Parses `mediator`, `observer` or `delegate:PARTY`.
    pub fn parse(text: &str) -> Result<Role> {
        match text {
            "mediator" => Ok(Role::Mediator),
            "observer" => Ok(Role::Observer),
            _ => text
                .strip_prefix("delegate:")
                .and_then(|party| Id::parse(party).ok())
                .map(Role::Delegate)
                .ok_or_else(|| Error::InvalidRole(text.to_owned())),
        }
    }

    /// Whom the access rules see: the one mapping from roles to viewers.
    pub fn viewer(&self) -> Viewer {
        match self {
            Role::Mediator => Viewer::Mediator,
            Role::Delegate(party) => Viewer::Party(party.clone()),
            Role::Observer => Viewer::Observer,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Role::Mediator => formatter.write_str("mediator"),
            Role::Delegate(party) => write!(formatter, "delegate:{party}"),
            Role::Observer => formatter.write_str("observer"),
        }
    }
}

/// A user.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct User {
    /// Its id.
    pub id: i64,
    /// Its name, unique.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// When it was created.
    pub created_at: String,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    name: String,
    role: String,
    created_at: String,
}

impl TryFrom<UserRow> for User {
    type Error = Error;

    fn try_from(row: UserRow) -> Result<User> {
        Ok(User {
            id: row.id,
            name: row.name,
            role: Role::parse(&row.role)?,
            created_at: row.created_at,
        })
    }
}

/// What kind a token is; each kind has its own prefix, so that a leaked one is recognisable
/// and one kind is never taken for another.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TokenKind {
    /// A bearer token for API clients: `parley_...`.
    Api,
    /// A one-time sign-in link's code: `parley_link_...`; spent when used.
    SignInLink,
    /// A browser's session, from signing in: `parley_session_...`; revoked at sign-out.
    Session,
}

impl TokenKind {
    const ALL: [TokenKind; 3] = [TokenKind::SignInLink, TokenKind::Session, TokenKind::Api];

    /// How the database names it.
    fn as_str(self) -> &'static str {
        match self {
            TokenKind::Api => "api",
            TokenKind::SignInLink => "sign-in",
            TokenKind::Session => "session",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            TokenKind::Api => "parley_",
            TokenKind::SignInLink => "parley_link_",
            TokenKind::Session => "parley_session_",
        }
    }

    /// The kind a token's text says it is (the longest prefix that matches).
    pub fn of(token: &str) -> Option<TokenKind> {
        TokenKind::ALL.into_iter().find(|kind| token.starts_with(kind.prefix()))
    }
}

impl Store {
    /// Adds the first user, when the store has none; `None` when it has one already, also when
    /// another process added it at the same moment (what two servers starting on a new
    /// database at once do).
    pub async fn create_first_user(&self, name: &str, role: &Role) -> Result<Option<User>> {
        let created_at = format_time(jiff::Timestamp::now());
        let inserted: std::result::Result<Option<(i64,)>, sqlx::Error> = with_pool!(&self.inner.backend, pool, _postgres => {
            sqlx::query_as(
                "INSERT INTO users (name, role, created_at) \
                 SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM users) RETURNING id",
            )
            .bind(name)
            .bind(role.to_string())
            .bind(&created_at)
            .fetch_optional(pool)
            .await
        });
        match inserted {
            Ok(Some((id,))) => {
                Ok(Some(User { id, name: name.to_owned(), role: role.clone(), created_at }))
            }
            Ok(None) => Ok(None),
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Ok(None),
            Err(error) => Err(Error::Database(error)),
        }
    }

    /// Every user, by id.
    pub async fn users(&self) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = with_pool!(&self.inner.backend, pool, _postgres => {
            sqlx::query_as("SELECT id, name, role, created_at FROM users ORDER BY id").fetch_all(pool).await?
        });
        rows.into_iter().map(User::try_from).collect()
    }

    /// Issues a new token for a user and returns it: the only time it is seen. The database
    /// Issues an API token for a user, valid until revoked, and returns it: the only time it
    /// is seen, since only its hash is kept.
    pub async fn issue_token(&self, user_id: i64) -> Result<String> {
        self.issue(user_id, TokenKind::Api, None).await
    }

    /// Issues a token of a kind for a user, valid for `lifetime` (until revoked when `None`).
    pub async fn issue(
        &self,
        user_id: i64,
        kind: TokenKind,
        lifetime: Option<Duration>,
    ) -> Result<String> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|_| Error::Random)?;
        let token = format!("{}{}", kind.prefix(), hex::encode(bytes));
        let now = jiff::Timestamp::now();
        let expires_at = match lifetime {
            Some(lifetime) => {
                let lifetime =
                    jiff::SignedDuration::try_from(lifetime).unwrap_or(jiff::SignedDuration::MAX);
                Some(format_time(now.checked_add(lifetime).unwrap_or(jiff::Timestamp::MAX)))
            }
            None => None,
        };
        let inserted = with_pool!(&self.inner.backend, pool, _postgres => {
            // One statement, so a missing user inserts nothing.
            sqlx::query(
                "INSERT INTO tokens (user_id, token_hash, created_at, kind, expires_at) \
                 SELECT id, $2, $3, $4, $5 FROM users WHERE id = $1",
            )
            .bind(user_id)
            .bind(secret_hash(&token))
            .bind(format_time(now))
            .bind(kind.as_str())
            .bind(expires_at)
            .execute(pool)
            .await?
            .rows_affected()
        });
        if inserted == 0 {
            return Err(Error::UnknownUser(user_id));
        }
        Ok(token)
    }

    /// Spends a one-time sign-in link: the user it was issued to, once; `None` when it is
    /// unknown, expired or spent already (also when two requests spend it at once: one wins).
    pub async fn redeem_sign_in_link(&self, code: &str) -> Result<Option<User>> {
        if TokenKind::of(code) != Some(TokenKind::SignInLink) {
            return Ok(None);
        }
        let now = format_time(jiff::Timestamp::now());
        let spent: Option<(i64,)> = with_pool!(&self.inner.backend, pool, _postgres => {
            sqlx::query_as(
                "UPDATE tokens SET revoked_at = $1 \
                 WHERE token_hash = $2 AND kind = 'sign-in' AND revoked_at IS NULL \
                 AND (expires_at IS NULL OR expires_at > $1) \
                 AND user_id IN (SELECT id FROM users WHERE revoked_at IS NULL) RETURNING user_id",
            )
            .bind(&now)
            .bind(secret_hash(code))
            .fetch_optional(pool)
            .await?
        });
        match spent {
            Some((user_id,)) => self.user(user_id).await,
            None => Ok(None),
        }
    }

    /// A user by id.
    pub async fn user(&self, user_id: i64) -> Result<Option<User>> {
        let row: Option<UserRow> = with_pool!(&self.inner.backend, pool, _postgres => {
            sqlx::query_as("SELECT id, name, role, created_at FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(pool)
                .await?
        });
        row.map(User::try_from).transpose()
    }

    /// Revokes one token (a session, at sign-out); whether it was in force.
    pub async fn revoke_token(&self, token: &str) -> Result<bool> {
        let revoked_at = format_time(jiff::Timestamp::now());
        let token_hash = secret_hash(token);
        let n_revoked = with_pool!(&self.inner.backend, pool, _postgres => {
            sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL")
                .bind(&revoked_at)
                .bind(&token_hash)
                .execute(pool)
                .await?
                .rows_affected()
        });
        let mut checked = self.lock_checked_tokens();
        checked.n_revocations += 1;
        checked.users.remove(&token_hash);
        Ok(n_revoked > 0)
    }

    /// The user an API token or a session belongs to, `None` when it is unknown, revoked or
    /// expired (a sign-in link is not a token to authenticate with: see
    /// [`Store::redeem_sign_in_link`]).
    pub async fn authenticate(&self, token: &str) -> Result<Option<User>> {
        if !matches!(TokenKind::of(token), Some(TokenKind::Api | TokenKind::Session)) {
            return Ok(None);
        }
        self.token_user(&secret_hash(token)).await
    }

    /// The user a token belongs to, as the database said at most `max_age` ago: for callers
    /// that check the same tokens often (a server, on every request). A token revoked through
    /// this store is refused at once; one revoked by another process (or directly in the
    /// database) may still be accepted for up to `max_age`. Unknown tokens are always looked
    /// up, so a new token works at once.
    pub async fn authenticate_within(
        &self,
        token: &str,
        max_age: Duration,
    ) -> Result<Option<User>> {
        if !matches!(TokenKind::of(token), Some(TokenKind::Api | TokenKind::Session)) {
            return Ok(None);
        }
        let token_hash = secret_hash(token);
        let n_revocations = {
            let checked = self.lock_checked_tokens();
            if let Some((user, checked_at)) = checked.users.get(&token_hash)
                && checked_at.elapsed() <= max_age
            {
                return Ok(Some(user.clone()));
            }
            checked.n_revocations
        };
        let asked_at = Instant::now();
        let user = self.token_user(&token_hash).await?;
        let mut checked = self.lock_checked_tokens();
        match &user {
            // A revocation while the database was asked may have come after the answer.
            Some(user) if checked.n_revocations == n_revocations => {
                if checked.users.len() >= MAX_CHECKED_TOKENS {
                    checked.users.retain(|_, (_, checked_at)| checked_at.elapsed() <= max_age);
                    if checked.users.len() >= MAX_CHECKED_TOKENS {
                        checked.users.clear();
                    }
                }
                checked.users.insert(token_hash, (user.clone(), asked_at));
            }
            _ => {
                checked.users.remove(&token_hash);
            }
        }
        Ok(user)
    }

    async fn token_user(&self, token_hash: &str) -> Result<Option<User>> {
        let now = format_time(jiff::Timestamp::now());
        let row: Option<UserRow> = with_pool!(&self.inner.backend, pool, _postgres => {
            sqlx::query_as(
                "SELECT users.id, users.name, users.role, users.created_at \
                 FROM tokens JOIN users ON users.id = tokens.user_id \
                 WHERE tokens.token_hash = $1 AND tokens.revoked_at IS NULL \
                 AND tokens.kind IN ('api', 'session') AND users.revoked_at IS NULL \
                 AND (tokens.expires_at IS NULL OR tokens.expires_at > $2)",
            )
            .bind(token_hash)
            .bind(&now)
            .fetch_optional(pool)
            .await?
        });
        if row.is_some() {
            // When it was last used, for the people page: as often as the database is asked
            // (see `authenticate_within`). A read-only database keeps no such time.
            let _ = with_pool!(&self.inner.backend, pool, _postgres => {
                sqlx::query("UPDATE tokens SET last_used_at = $1 WHERE token_hash = $2")
                    .bind(&now)
                    .bind(token_hash)
                    .execute(pool)
                    .await
                    .map(|_| ())
            });
        }
        row.map(User::try_from).transpose()
    }

    /// Forgets the tokens of a user checked lately, so that the next check asks the database:
    /// after a change of its access.
    pub(crate) fn forget_checked(&self, user_id: i64) {
        let mut checked = self.lock_checked_tokens();
        checked.n_revocations += 1;
        checked.users.retain(|_, (user, _)| user.id != user_id);
    }

    fn lock_checked_tokens(&self) -> std::sync::MutexGuard<'_, CheckedTokens> {
        self.inner.checked_tokens.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Revokes every token of a user; returns how many were revoked. Tokens checked lately
    /// through this store are forgotten too, so they are refused at once.
    pub async fn revoke_tokens(&self, user_id: i64) -> Result<u64> {
        let revoked_at = format_time(jiff::Timestamp::now());
        let n_revoked = with_pool!(&self.inner.backend, pool, _postgres => {
            sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
                .bind(&revoked_at)
                .bind(user_id)
                .execute(pool)
                .await?
                .rows_affected()
        });
        // After the update: a check that asks the database from now on sees the revocation.
        self.forget_checked(user_id);
        Ok(n_revoked)
    }
}

/// Users of tokens checked lately, by the token's hash, with when the database was asked.
#[derive(Debug, Default)]
pub(crate) struct CheckedTokens {
    users: HashMap<String, (User, Instant)>,
    /// Revocations through this store so far.
    n_revocations: u64,
}

/// How many checked tokens are kept before old ones are forgotten.
const MAX_CHECKED_TOKENS: usize = 10_000;

/// A token bucket per key (a remote address, a user name): each key may try `burst` times at
/// once, then once per `interval`. The clock is passed in, so tests need not wait. It is kept
/// in memory: each server limits the sign-ins it sees.
#[derive(Debug)]
pub struct RateLimiter {
    burst: f64,
    interval: Duration,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// How many keys are kept before full buckets are forgotten.
const MAX_KEYS: usize = 10_000;

impl RateLimiter {
    /// A limiter that allows `burst` attempts at once, then one per `interval`.
    pub fn new(burst: u32, interval: Duration) -> RateLimiter {
        RateLimiter {
            burst: f64::from(burst.max(1)),
            interval: interval.max(Duration::from_nanos(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Whether the key may try now; a `true` uses up one attempt.
    pub fn check(&self, key: &str, now: Instant) -> bool {
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let refill = |bucket: &Bucket| {
            let elapsed = now.saturating_duration_since(bucket.updated);
            (bucket.tokens + elapsed.as_secs_f64() / self.interval.as_secs_f64()).min(self.burst)
        };
        if buckets.len() >= MAX_KEYS && !buckets.contains_key(key) {
            // A full bucket is the same as no bucket: forgetting it changes nothing.
            buckets.retain(|_, bucket| refill(bucket) < self.burst);
        }
        let bucket =
            buckets.entry(key.to_owned()).or_insert(Bucket { tokens: self.burst, updated: now });
        bucket.tokens = refill(bucket);
        bucket.updated = now.max(bucket.updated);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_text() {
        for text in ["mediator", "observer", "delegate:ukraine"] {
            assert_eq!(Role::parse(text).unwrap().to_string(), text);
        }
        for bad in ["admin", "delegate:", "Mediator", ""] {
            assert!(matches!(Role::parse(bad), Err(Error::InvalidRole(_))), "{bad}");
        }
        assert_eq!(
            Role::parse("delegate:russia").unwrap().viewer(),
            Viewer::Party(Id::parse("russia").unwrap())
        );
    }
}
