//! The event log: appending a change in one transaction, only when the record it gives is
//! valid; reading events; and the state at any time as a replay of the log up to it, with
//! the latest state kept in memory.

use std::sync::Arc;
use std::time::{Duration, Instant};

use parley_model::access::{Viewer, keep_hidden_links, visible_to};
use parley_model::change::{Change, apply};
use parley_model::diagnostic::Diagnostic;
use parley_model::scenario::Scenario;
use parley_model::validate::ValidScenario;

use crate::access::ACCESS_KIND;
use crate::chain::{GENESIS_HASH, event_hash, format_time};
use crate::{Error, Result, Store, with_pool};

/// How many events a replay reads at a time.
const PAGE: i64 = 1000;

/// Sorts after every time the log writes: "no upper bound" for a query on `recorded_at`.
const END_OF_TIME: &str = "9999-12-31T23:59:59.999999Z";

/// One event of the log, as stored.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Event {
    /// Its place in the log: 1, 2, 3...
    pub seq: u64,
    /// When it was recorded (UTC, RFC 3339 with microseconds).
    pub recorded_at: String,
    /// Who recorded it.
    pub author: String,
    /// The change's kind: `import`, `upsert` or `remove`; or `access` for a change of access
    /// (see [`crate::access`]), which leaves the record as it was.
    pub kind: String,
    /// The change's payload (TOML in the scenario file's format).
    pub payload: String,
    /// The hash of the event before (64 zeros for the first).
    pub prev_hash: String,
    /// Its hash (see [`crate::chain::event_hash`]).
    pub hash: String,
}

impl Event {
    /// Whether it records a change of access rather than a change to the record (see
    /// [`crate::access`]): such an event holds no [`Change`], and a history of the record
    /// leaves it out.
    pub fn is_access(&self) -> bool {
        self.kind == ACCESS_KIND
    }

    /// The change it holds.
    pub fn change(&self) -> Result<Change, Vec<Diagnostic>> {
        Change::from_payload(&self.kind, &self.payload)
    }

    /// The hash its content gives, to compare with the stored one.
    pub fn computed_hash(&self) -> String {
        event_hash(
            &self.prev_hash,
            self.seq,
            &self.recorded_at,
            &self.author,
            &self.kind,
            &self.payload,
        )
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct EventRow {
    pub(crate) seq: i64,
    pub(crate) recorded_at: String,
    pub(crate) author: String,
    pub(crate) kind: String,
    pub(crate) payload: String,
    pub(crate) prev_hash: String,
    pub(crate) hash: String,
}

impl From<EventRow> for Event {
    fn from(row: EventRow) -> Event {
        Event {
            // Sequence numbers below 1 are reported by `verify`; elsewhere they read as 0.
            seq: u64::try_from(row.seq).unwrap_or(0),
            recorded_at: row.recorded_at,
            author: row.author,
            kind: row.kind,
            payload: row.payload,
            prev_hash: row.prev_hash,
            hash: row.hash,
        }
    }
}

/// The last event of the log.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Head {
    /// Its sequence number: the number of events.
    pub seq: u64,
    /// Its hash.
    pub hash: String,
    /// When it was recorded.
    pub recorded_at: String,
}

/// The head as one look at the log saw it.
#[derive(Debug)]
pub(crate) struct SeenHead {
    head: Option<Head>,
    /// When the head was so: the start of the query that read it, or the end of the append
    /// that wrote it. Of two looks, the later one holds, so a query that began before this
    /// process appended cannot hide the append.
    at: Instant,
}

#[derive(sqlx::FromRow)]
pub(crate) struct HeadRow {
    pub(crate) seq: i64,
    pub(crate) hash: String,
    pub(crate) recorded_at: String,
}

/// What appending gives back.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Appended {
    /// The new event's sequence number.
    pub seq: u64,
    /// Its hash.
    pub hash: String,
    /// When it was recorded.
    pub recorded_at: String,
    /// The version of the state it leads to (its sequence number), for clients that cache.
    pub state_version: u64,
}

/// The state of the record at a time.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// The record.
    pub scenario: ValidScenario,
    /// The sequence number of the last event replayed.
    pub version: u64,
    /// When that event was recorded.
    pub recorded_at: String,
    /// The time asked for; `None` for the latest state.
    pub as_of: Option<jiff::Timestamp>,
}

/// The state after some prefix of the log.
#[derive(Debug)]
pub(crate) struct Projection {
    pub(crate) seq: u64,
    pub(crate) hash: String,
    pub(crate) recorded_at: String,
    /// `None` before the first event.
    pub(crate) scenario: Option<ValidScenario>,
}

impl Projection {
    fn empty() -> Projection {
        Projection {
            seq: 0,
            hash: GENESIS_HASH.to_owned(),
            recorded_at: String::new(),
            scenario: None,
        }
    }
}

/// A replay in progress: changes are applied without validating each step (each was valid
/// when it was appended); the result is validated once at the end.
struct Replay {
    seq: u64,
    hash: String,
    recorded_at: String,
    scenario: Option<Scenario>,
}

impl Replay {
    fn from_projection(projection: &Projection) -> Replay {
        Replay {
            seq: projection.seq,
            hash: projection.hash.clone(),
            recorded_at: projection.recorded_at.clone(),
            scenario: projection.scenario.as_ref().map(|scenario| scenario.scenario().clone()),
        }
    }

    fn step(&mut self, event: &Event) -> Result<()> {
        if event.is_access() {
            // A change of access: chained like the rest, but the record stays as it was.
            self.seq = event.seq;
            self.hash.clone_from(&event.hash);
            self.recorded_at.clone_from(&event.recorded_at);
            return Ok(());
        }
        let change = event.change().map_err(|diagnostics| Error::Corrupt {
            seq: event.seq,
            message: format!("its payload cannot be read: {}", first_error(&diagnostics)),
        })?;
        let empty = Scenario::default();
        self.scenario = Some(apply(self.scenario.as_ref().unwrap_or(&empty), &change));
        self.seq = event.seq;
        self.hash.clone_from(&event.hash);
        self.recorded_at.clone_from(&event.recorded_at);
        Ok(())
    }

    fn finish(self) -> Result<Projection> {
        let scenario = match self.scenario {
            None => None,
            Some(scenario) => Some(
                ValidScenario::new(scenario)
                    .map_err(|diagnostics| Error::Corrupt {
                        seq: self.seq,
                        message: format!(
                            "the record it leads to is invalid: {}",
                            first_error(&diagnostics)
                        ),
                    })?
                    .0,
            ),
        };
        Ok(Projection { seq: self.seq, hash: self.hash, recorded_at: self.recorded_at, scenario })
    }
}

/// The first error's message, for a one-line report.
pub(crate) fn first_error(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .find(|diagnostic| diagnostic.is_error())
        .map(|diagnostic| format!("{} (at {})", diagnostic.message, diagnostic.path))
        .unwrap_or_else(|| "unknown error".to_owned())
}

const SELECT_EVENTS: &str = "SELECT seq, recorded_at, author, kind, payload, prev_hash, hash \
     FROM events WHERE seq > $1 AND seq <= $2 AND recorded_at <= $3 ORDER BY seq LIMIT $4";
pub(crate) const SELECT_HEAD: &str = "SELECT seq, hash, recorded_at FROM log_head WHERE id = 1";
pub(crate) const SELECT_HEAD_FOR_UPDATE: &str =
    "SELECT seq, hash, recorded_at FROM log_head WHERE id = 1 FOR UPDATE";

/// Reads events `after < seq <= up_to` recorded at or before `until`, at most `limit`.
macro_rules! fetch_events {
    ($executor:expr, $after:expr, $up_to:expr, $until:expr, $limit:expr) => {
        sqlx::query_as::<_, EventRow>(SELECT_EVENTS)
            .bind(to_i64($after))
            .bind(to_i64($up_to))
            .bind($until)
            .bind($limit)
            .fetch_all($executor)
            .await
            .map(|rows| rows.into_iter().map(Event::from).collect::<Vec<Event>>())
    };
}

/// Replays events after `start` up to `up_to` and `until`, starting over from the first event
/// when `start` is not a prefix of the log (its next event does not follow it).
macro_rules! replay_from {
    ($executor:expr, $start:expr, $up_to:expr, $until:expr) => {
        async {
            let start: Option<&Projection> = $start;
            let mut replay = match start {
                Some(start) => Replay::from_projection(start),
                None => Replay::from_projection(&Projection::empty()),
            };
            let mut checked_prefix = start.is_none();
            loop {
                let page = fetch_events!($executor, replay.seq, $up_to, $until, PAGE)?;
                if !checked_prefix {
                    checked_prefix = true;
                    if page.first().is_some_and(|event| event.prev_hash != replay.hash) {
                        replay = Replay::from_projection(&Projection::empty());
                        continue;
                    }
                }
                for event in &page {
                    replay.step(event)?;
                }
                if (page.len() as i64) < PAGE {
                    break;
                }
            }
            replay.finish()
        }
    };
}

pub(crate) fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

pub(crate) fn head_from_row(row: HeadRow) -> Head {
    Head { seq: u64::try_from(row.seq).unwrap_or(0), hash: row.hash, recorded_at: row.recorded_at }
}

impl Store {
    /// Appends a change by an author, in one transaction: the change is applied to the state
    /// at the head of the log and validated; when the result has errors nothing is written and
    /// [`Error::Invalid`] carries every diagnostic. Once this returns `Ok`, the event is
    /// committed and survives the process being killed.
    pub async fn append(&self, author: &str, change: &Change) -> Result<Appended> {
        self.append_inner(author, change, None, false)
            .await
            .map(|appended| appended.expect("an unconditional append appends"))
    }

    /// Appends a change a viewer wrote from what it may see: like [`Store::append`], but the
    /// change first keeps the links of the records it replaces to records hidden from the
    /// viewer ([`keep_hidden_links`]), so an edit never erases what its author cannot see.
    pub async fn append_as(
        &self,
        viewer: &Viewer,
        author: &str,
        change: &Change,
    ) -> Result<Appended> {
        self.append_inner(author, change, Some(viewer), false)
            .await
            .map(|appended| appended.expect("an unconditional append appends"))
    }

    /// Appends an import of a whole scenario (what `parley db import` does).
    pub async fn import(&self, author: &str, scenario: Scenario) -> Result<Appended> {
        self.append(author, &Change::Import(scenario)).await
    }

    /// Opens a database and, when its log is empty, imports `seed` into it: what a server
    /// does on first start. Two servers starting at once import it once.
    pub async fn open_or_seed(database: &str, seed: &Scenario, author: &str) -> Result<Store> {
        let store = Store::open(database).await?;
        store.append_inner(author, &Change::Import(seed.clone()), None, true).await?;
        Ok(store)
    }

    async fn append_inner(
        &self,
        author: &str,
        change: &Change,
        viewer: Option<&Viewer>,
        only_if_empty: bool,
    ) -> Result<Option<Appended>> {
        if author.trim().is_empty() {
            return Err(Error::EmptyAuthor);
        }
        let kind = change.kind();
        let _writer = self.inner.write_lock.lock().await;
        with_pool!(&self.inner.backend, pool, postgres => {
            // SQLite: BEGIN IMMEDIATE takes the write lock before the head is read, so no
            // other writer can slip in between. PostgreSQL: the head row is locked FOR UPDATE.
            let mut tx = pool.begin_with(if postgres { "BEGIN" } else { "BEGIN IMMEDIATE" }).await?;
            let head: HeadRow = sqlx::query_as(if postgres { SELECT_HEAD_FOR_UPDATE } else { SELECT_HEAD })
                .fetch_one(&mut *tx)
                .await?;
            let head = head_from_row(head);
            if only_if_empty && head.seq > 0 {
                return Ok(None);
            }
            // The head row must name the last event: a log whose tail was deleted, or whose
            // head was rewritten, is not written on.
            let last: Option<(i64, String)> =
                sqlx::query_as("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")
                    .fetch_optional(&mut *tx)
                    .await?;
            let head_matches = match &last {
                None => head.seq == 0,
                Some((seq, hash)) => *seq == to_i64(head.seq) && *hash == head.hash,
            };
            if !head_matches {
                tx.rollback().await?;
                let last = last.map_or("no event".to_owned(), |(seq, _)| format!("event {seq}"));
                return Err(Error::Damaged {
                    database: self.inner.database.clone(),
                    message: format!(
                        "its head records event {} but its last event is {last}",
                        head.seq
                    ),
                });
            }
            let cached = self.cached();
            let base = match cached {
                Some(cached) if cached.seq == head.seq && cached.hash == head.hash => cached,
                cached => Arc::new(
                    replay_from!(&mut *tx, cached.as_deref(), head.seq, END_OF_TIME).await?,
                ),
            };
            let empty = Scenario::default();
            let base_scenario = base.scenario.as_ref().map_or(&empty, ValidScenario::scenario);
            let change = match viewer {
                Some(viewer) => keep_hidden_links(base_scenario, viewer, change.clone()),
                None => change.clone(),
            };
            // What is stored is the payload: the state is computed from the change read back
            // from it, so that a replay always gives the state that was validated here.
            let payload = change.to_payload();
            let change = match Change::from_payload(kind, &payload) {
                Ok(change) => change,
                Err(diagnostics) => {
                    tx.rollback().await?;
                    return Err(Error::Invalid(diagnostics));
                }
            };
            let next = match ValidScenario::new(apply(base_scenario, &change)) {
                Ok((next, _warnings)) => next,
                Err(diagnostics) => {
                    tx.rollback().await?;
                    self.remember(base);
                    return Err(Error::Invalid(diagnostics));
                }
            };
            let seq = head.seq + 1;
            // Times never go backwards in the log, even when the clock does.
            let now = format_time(jiff::Timestamp::now());
            let recorded_at = if now < head.recorded_at { head.recorded_at.clone() } else { now };
            let hash = event_hash(&head.hash, seq, &recorded_at, author, kind, &payload);
            sqlx::query(
                "INSERT INTO events (seq, recorded_at, author, kind, payload, prev_hash, hash) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(to_i64(seq))
            .bind(&recorded_at)
            .bind(author)
            .bind(kind)
            .bind(&payload)
            .bind(&head.hash)
            .bind(&hash)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE log_head SET seq = $1, hash = $2, recorded_at = $3 WHERE id = 1")
                .bind(to_i64(seq))
                .bind(&hash)
                .bind(&recorded_at)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            if let Some(path) = &self.inner.witness {
                // The event is committed whatever becomes of the witness; one left behind
                // still binds the events up to it.
                let _ = crate::witness::record(
                    path,
                    &crate::witness::Witnessed { seq, hash: hash.clone() },
                );
            }
            self.saw_head(
                Some(Head { seq, hash: hash.clone(), recorded_at: recorded_at.clone() }),
                Instant::now(),
            );
            self.remember(Arc::new(Projection {
                seq,
                hash: hash.clone(),
                recorded_at: recorded_at.clone(),
                scenario: Some(next),
            }));
            Ok(Some(Appended { seq, hash, recorded_at, state_version: seq }))
        })
    }

    /// The last event of the log, `None` when it is empty.
    pub async fn head(&self) -> Result<Option<Head>> {
        let asked_at = Instant::now();
        let head: HeadRow = with_pool!(&self.inner.backend, pool, _postgres => {
            sqlx::query_as(SELECT_HEAD).fetch_one(pool).await?
        });
        let head = head_from_row(head);
        let head = (head.seq > 0).then_some(head);
        self.saw_head(head.clone(), asked_at);
        Ok(head)
    }

    /// The last event of the log as this store saw it at most `max_age` ago, read again when
    /// the last look is older. Events this store appends are seen at once; events that other
    /// processes append are seen within `max_age`. For readers that may lag other processes
    /// by that much and ask often: a server's reads, which then need no query.
    pub async fn recent_head(&self, max_age: Duration) -> Result<Option<Head>> {
        {
            let seen = self.inner.seen_head.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if let Some(seen) = &*seen
                && seen.at.elapsed() <= max_age
            {
                return Ok(seen.head.clone());
            }
        }
        self.head().await
    }

    /// After an event of another kind than a change was committed (see [`crate::access`]):
    /// the witness and the head as seen follow it. The record kept in memory stays a prefix
    /// of the log, so the next read replays only what follows it.
    pub(crate) fn appended(&self, head: Head) {
        if let Some(path) = &self.inner.witness {
            let _ = crate::witness::record(
                path,
                &crate::witness::Witnessed { seq: head.seq, hash: head.hash.clone() },
            );
        }
        self.saw_head(Some(head), Instant::now());
    }

    fn saw_head(&self, head: Option<Head>, at: Instant) {
        let mut seen = self.inner.seen_head.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if seen.as_ref().is_none_or(|kept| kept.at <= at) {
            *seen = Some(SeenHead { head, at });
        }
    }

    /// Events after `after_seq`, in order, at most `limit`.
    pub async fn events(&self, after_seq: u64, limit: u32) -> Result<Vec<Event>> {
        let events = with_pool!(&self.inner.backend, pool, _postgres => {
            fetch_events!(pool, after_seq, u64::MAX, END_OF_TIME, i64::from(limit))?
        });
        Ok(events)
    }

    /// The whole record at a time: a replay of the events recorded at or before `as_of`, or
    /// of all events when `None`. Not for showing to a user: see [`Store::state_for`].
    pub async fn state(&self, as_of: Option<jiff::Timestamp>) -> Result<Snapshot> {
        let projection = self.projection(as_of).await?;
        let scenario = projection.scenario.clone().ok_or(match as_of {
            Some(as_of) => Error::NothingAsOf { as_of },
            None => Error::Empty,
        })?;
        Ok(Snapshot {
            scenario,
            version: projection.seq,
            recorded_at: projection.recorded_at.clone(),
            as_of,
        })
    }

    /// The record at a time as a viewer may see it: the one way to read state on behalf of
    /// a user, so that the access rules of [`parley_model::access`] apply everywhere.
    pub async fn state_for(
        &self,
        viewer: &Viewer,
        as_of: Option<jiff::Timestamp>,
    ) -> Result<Snapshot> {
        let mut snapshot = self.state(as_of).await?;
        snapshot.scenario = visible_to(&snapshot.scenario, viewer);
        Ok(snapshot)
    }

    /// The current record as a scenario file: `parley db export`. Importing it gives the
    /// same state.
    pub async fn export(&self, as_of: Option<jiff::Timestamp>) -> Result<String> {
        let snapshot = self.state(as_of).await?;
        Ok(parley_model::scenario_file::write_scenario(snapshot.scenario.scenario()))
    }

    async fn projection(&self, as_of: Option<jiff::Timestamp>) -> Result<Arc<Projection>> {
        let head = self.head().await?.unwrap_or_else(|| Head {
            seq: 0,
            hash: GENESIS_HASH.to_owned(),
            recorded_at: String::new(),
        });
        let until = as_of.map(format_time);
        let cached = self.cached();
        let is_latest = until.as_ref().is_none_or(|until| head.recorded_at <= *until);
        if is_latest {
            let is_head = |cached: &Projection| cached.seq == head.seq && cached.hash == head.hash;
            if let Some(cached) = cached.as_ref().filter(|cached| is_head(cached)) {
                return Ok(cached.clone());
            }
            // Callers who find the kept state behind at once wait for one replay.
            let _replaying = self.inner.replaying.lock().await;
            let cached = self.cached();
            if let Some(cached) = cached.as_ref().filter(|cached| is_head(cached)) {
                return Ok(cached.clone());
            }
            let projection = Arc::new(self.replay(cached.as_deref(), head.seq, END_OF_TIME).await?);
            self.remember(projection.clone());
            return Ok(projection);
        }
        let until = until.expect("a time is given when the state is not the latest");
        // Times grow along the log, so the cached state is a prefix of the state asked for
        // when it was recorded no later.
        let start = cached.as_deref().filter(|cached| cached.recorded_at <= until);
        Ok(Arc::new(self.replay(start, head.seq, &until).await?))
    }

    async fn replay(
        &self,
        start: Option<&Projection>,
        up_to: u64,
        until: &str,
    ) -> Result<Projection> {
        with_pool!(&self.inner.backend, pool, _postgres => {
            replay_from!(pool, start, up_to, until).await
        })
    }

    fn cached(&self) -> Option<Arc<Projection>> {
        self.inner.latest.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// Keeps a projection when it is further along the log than the one kept.
    fn remember(&self, projection: Arc<Projection>) {
        let mut latest = self.inner.latest.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if latest.as_ref().is_none_or(|kept| kept.seq <= projection.seq) {
            *latest = Some(projection);
        }
    }
}
