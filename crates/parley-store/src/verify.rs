//! Verifying the log: recomputing the hash chain from the first event and naming the first
//! event that was edited, removed or reordered, or that no longer replays to a valid record.

use std::fmt;

use parley_model::change::apply;
use parley_model::scenario::Scenario;
use parley_model::validate::ValidScenario;

use crate::chain::GENESIS_HASH;
use crate::log::{Event, EventRow, first_error, head_from_row};
use crate::{Result, Store, with_pool};

/// How many events verification reads at a time.
const PAGE: i64 = 1000;

/// What kind of problem verification found.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ProblemKind {
    /// An event's content does not match its hash.
    Edited,
    /// A sequence number is missing, or the log ends before its recorded head.
    Missing,
    /// An event does not follow the one before it (its `prev_hash` differs), or its time is
    /// before the previous event's.
    Reordered,
    /// An event's payload cannot be read as a change.
    Unreadable,
    /// An event leaves the record invalid.
    Invalid,
    /// The recorded head does not match the last event.
    Head,
}

/// The first problem found.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Problem {
    /// The event at fault, by sequence number.
    pub seq: u64,
    /// When it was recorded, as stored; `None` when the event is missing.
    pub recorded_at: Option<String>,
    /// What kind of problem it is.
    pub kind: ProblemKind,
    /// What is wrong, in a sentence that names the event.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

/// What verification found.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct VerifyReport {
    /// The events checked before the first problem, or all of them.
    pub n_events: u64,
    /// The hash of the last event checked.
    pub last_hash: String,
    /// The first problem, `None` when the log is intact.
    pub problem: Option<Problem>,
}

impl VerifyReport {
    /// Whether the log is intact.
    pub fn is_ok(&self) -> bool {
        self.problem.is_none()
    }
}

impl fmt::Display for VerifyReport {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.problem {
            None => write!(
                formatter,
                "the log is intact: {} event(s), the last with hash {}",
                self.n_events, self.last_hash
            ),
            Some(problem) => write!(
                formatter,
                "the log is broken: {problem} ({} event(s) before it are intact)",
                self.n_events
            ),
        }
    }
}

/// The chain checked so far.
struct Checker {
    n_events: u64,
    prev_hash: String,
    prev_recorded_at: String,
    scenario: Option<Scenario>,
    /// Whether to validate the record after every event, to name the first that breaks it;
    /// otherwise it is validated once, after the last.
    validate_each: bool,
}

impl Checker {
    fn check(&mut self, event: &Event) -> Option<Problem> {
        let expected_seq = self.n_events + 1;
        let at = format!("event {} (recorded at {})", event.seq, event.recorded_at);
        let problem = |kind, message: String| {
            Some(Problem {
                seq: event.seq,
                recorded_at: Some(event.recorded_at.clone()),
                kind,
                message,
            })
        };
        if event.seq < expected_seq {
            return problem(
                ProblemKind::Reordered,
                format!("{at} has an invalid sequence number, expected {expected_seq}"),
            );
        }
        if event.seq > expected_seq {
            let message = if event.seq == expected_seq + 1 {
                format!(
                    "event {expected_seq} is missing: the log goes from event {} to {at}",
                    self.n_events
                )
            } else {
                format!(
                    "events {expected_seq} to {} are missing: the log goes from event {} to {at}",
                    event.seq - 1,
                    self.n_events
                )
            };
            return Some(Problem {
                seq: expected_seq,
                recorded_at: None,
                kind: ProblemKind::Missing,
                message,
            });
        }
        // The link is checked before the content: an event moved to another place breaks the
        // link, and is reported as reordered rather than edited.
        if event.prev_hash != self.prev_hash {
            let message = if self.n_events == 0 {
                format!("{at} does not start the log: events before it were removed or reordered")
            } else {
                format!(
                    "{at} does not follow event {}: events were removed or reordered",
                    self.n_events
                )
            };
            return problem(ProblemKind::Reordered, message);
        }
        if event.computed_hash() != event.hash {
            return problem(
                ProblemKind::Edited,
                format!("{at} was edited: its content does not match its hash"),
            );
        }
        if event.recorded_at.parse::<jiff::Timestamp>().is_err() {
            return problem(ProblemKind::Edited, format!("{at} has an unreadable time"));
        }
        if event.recorded_at < self.prev_recorded_at {
            return problem(
                ProblemKind::Reordered,
                format!(
                    "{at} was recorded before event {} ({}): events were reordered",
                    self.n_events, self.prev_recorded_at
                ),
            );
        }
        if event.is_access() {
            if let Err(message) = crate::access::AccessEvent::from_payload(&event.payload) {
                return problem(
                    ProblemKind::Unreadable,
                    format!("{at} cannot be read as a change of access: {message}"),
                );
            }
            self.n_events = event.seq;
            self.prev_hash.clone_from(&event.hash);
            self.prev_recorded_at.clone_from(&event.recorded_at);
            return None;
        }
        let change = match event.change() {
            Ok(change) => change,
            Err(diagnostics) => {
                return problem(
                    ProblemKind::Unreadable,
                    format!("{at} cannot be read: {}", first_error(&diagnostics)),
                );
            }
        };
        let empty = Scenario::default();
        let next = apply(self.scenario.as_ref().unwrap_or(&empty), &change);
        if self.validate_each {
            match ValidScenario::new(next) {
                Ok((next, _warnings)) => self.scenario = Some(next.into_scenario()),
                Err(diagnostics) => {
                    return problem(
                        ProblemKind::Invalid,
                        format!("{at} leaves the record invalid: {}", first_error(&diagnostics)),
                    );
                }
            }
        } else {
            self.scenario = Some(next);
        }
        self.n_events = event.seq;
        self.prev_hash.clone_from(&event.hash);
        self.prev_recorded_at.clone_from(&event.recorded_at);
        None
    }
}

impl Store {
    /// Recomputes the chain from the first event and reports the first problem: an event
    /// edited, missing, removed or reordered, unreadable, or leaving the record invalid; and a
    /// log that ends before its recorded head. Problems are reported, not returned as errors;
    /// an error means the database could not be read.
    pub async fn verify(&self) -> Result<VerifyReport> {
        // Validating after every event costs a validation per event; the record is validated
        // once at the end, and only when that fails is the log checked again event by event.
        let (mut report, final_scenario) = self.verify_pass(false).await?;
        if !report.is_ok() {
            return Ok(report);
        }
        let is_valid = final_scenario.is_none_or(|scenario| ValidScenario::new(scenario).is_ok());
        if !is_valid {
            (report, _) = self.verify_pass(true).await?;
            if !report.is_ok() {
                return Ok(report);
            }
        }
        // The chain is intact in itself; the witness tells whether its tail was cut or
        // rewritten.
        report.problem = self.check_witness(report.n_events).await?;
        Ok(report)
    }

    /// Whether the log still holds the event its witness names, with the same hash.
    async fn check_witness(&self, n_events: u64) -> Result<Option<Problem>> {
        let Some(path) = &self.inner.witness else { return Ok(None) };
        let witnessed = crate::witness::read(path)
            .map_err(|source| crate::Error::Io { path: path.clone(), source })?;
        let Some(witnessed) = witnessed else { return Ok(None) };
        if witnessed.seq > n_events {
            let missing = n_events + 1;
            return Ok(Some(Problem {
                seq: missing,
                recorded_at: None,
                kind: ProblemKind::Missing,
                message: format!(
                    "events {missing} to {} were removed: the log ends at event {} but its witness '{}' records event {}",
                    witnessed.seq,
                    n_events,
                    path.display(),
                    witnessed.seq
                ),
            }));
        }
        let row: Option<(String, String)> = with_pool!(&self.inner.backend, pool, _postgres => {
            sqlx::query_as("SELECT hash, recorded_at FROM events WHERE seq = $1")
                .bind(crate::log::to_i64(witnessed.seq))
                .fetch_optional(pool)
                .await?
        });
        match row {
            Some((hash, _)) if hash == witnessed.hash => Ok(None),
            row => Ok(Some(Problem {
                seq: witnessed.seq,
                recorded_at: row.as_ref().map(|(_, recorded_at)| recorded_at.clone()),
                kind: ProblemKind::Reordered,
                message: format!(
                    "event {} is not the one its witness '{}' records (hash {}): the log was rewritten from there on",
                    witnessed.seq,
                    path.display(),
                    witnessed.hash
                ),
            })),
        }
    }

    /// Verifies the log and gives [`crate::Error::Damaged`], naming the damage, when it is
    /// not intact: what a server does before it serves a log or writes on it.
    pub async fn ensure_intact(&self) -> Result<VerifyReport> {
        let report = self.verify().await?;
        match &report.problem {
            None => Ok(report),
            Some(problem) => Err(crate::Error::Damaged {
                database: self.inner.database.clone(),
                message: problem.message.clone(),
            }),
        }
    }

    /// One pass over the log; gives the record it replays to, when no problem was found.
    async fn verify_pass(&self, validate_each: bool) -> Result<(VerifyReport, Option<Scenario>)> {
        let mut checker = Checker {
            n_events: 0,
            prev_hash: GENESIS_HASH.to_owned(),
            prev_recorded_at: String::new(),
            scenario: None,
            validate_each,
        };
        let report = |checker: &Checker, problem| VerifyReport {
            n_events: checker.n_events,
            last_hash: checker.prev_hash.clone(),
            problem,
        };
        let mut after: i64 = i64::MIN;
        loop {
            let rows: Vec<EventRow> = with_pool!(&self.inner.backend, pool, _postgres => {
                sqlx::query_as(
                    "SELECT seq, recorded_at, author, kind, payload, prev_hash, hash \
                     FROM events WHERE seq > $1 ORDER BY seq LIMIT $2",
                )
                .bind(after)
                .bind(PAGE)
                .fetch_all(pool)
                .await?
            });
            let n_rows = rows.len() as i64;
            for row in rows {
                after = row.seq;
                if row.seq < 1 {
                    let message = format!(
                        "an event (recorded at {}) has sequence number {}, expected 1 or more",
                        row.recorded_at, row.seq
                    );
                    let problem = Problem {
                        seq: 0,
                        recorded_at: Some(row.recorded_at),
                        kind: ProblemKind::Reordered,
                        message,
                    };
                    return Ok((report(&checker, Some(problem)), None));
                }
                if let Some(problem) = checker.check(&Event::from(row)) {
                    return Ok((report(&checker, Some(problem)), None));
                }
            }
            if n_rows < PAGE {
                break;
            }
        }
        let head = with_pool!(&self.inner.backend, pool, _postgres => {
            sqlx::query_as("SELECT seq, hash, recorded_at FROM log_head WHERE id = 1")
                .fetch_one(pool)
                .await?
        });
        let head = head_from_row(head);
        if head.seq != checker.n_events || head.hash != checker.prev_hash {
            let problem = if head.seq > checker.n_events {
                let missing = checker.n_events + 1;
                Problem {
                    seq: missing,
                    recorded_at: None,
                    kind: ProblemKind::Missing,
                    message: if head.seq == missing {
                        format!(
                            "event {missing} is missing: the log ends at event {} but its head records event {} (recorded at {})",
                            checker.n_events, head.seq, head.recorded_at
                        )
                    } else {
                        format!(
                            "events {missing} to {} are missing: the log ends at event {} but its head records event {} (recorded at {})",
                            head.seq, checker.n_events, head.seq, head.recorded_at
                        )
                    },
                }
            } else {
                Problem {
                    seq: head.seq,
                    recorded_at: Some(head.recorded_at.clone()),
                    kind: ProblemKind::Head,
                    message: format!(
                        "the log's head (event {}, hash {}) does not match its last event {} (hash {})",
                        head.seq, head.hash, checker.n_events, checker.prev_hash
                    ),
                }
            };
            return Ok((report(&checker, Some(problem)), None));
        }
        let res = report(&checker, None);
        Ok((res, checker.scenario))
    }
}
