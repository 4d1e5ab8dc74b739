//! The log between two times as a viewer may see it: the record at the start, then the
//! record after each change of the window, each through [`visible_to`], so that what is
//! derived from them (`parley changes`, the server's changes page) shows a delegate a change
//! only when the record it may see changed, and names only the authors of such changes.

use parley_model::access::{Viewer, visible_to};
use parley_model::change::apply;
use parley_model::scenario::Scenario;
use parley_model::validate::ValidScenario;

use crate::chain::format_time;
use crate::{Error, Result, Store};

/// One change of the window.
#[derive(Clone, Debug)]
pub struct SeenStep {
    /// Its place in the log.
    pub seq: u64,
    /// When it was recorded (UTC, RFC 3339 with microseconds).
    pub recorded_at: String,
    /// Who recorded it.
    pub author: String,
    /// The record after it, as the viewer may see it.
    pub scenario: ValidScenario,
}

/// The log between two times, as a viewer may see it.
#[derive(Clone, Debug)]
pub struct Window {
    /// The record just before the window, as the viewer may see it; `None` when nothing was
    /// recorded before it.
    pub start: Option<ValidScenario>,
    /// Each change recorded in the window, in order.
    pub steps: Vec<SeenStep>,
}

/// How many events the window reads at a time.
const PAGE: u32 = 1000;

impl Store {
    /// The changes recorded from `since` (included) to `until` (excluded; `None` for no end),
    /// each with the record after it as `viewer` may see it: the one way to read what changed
    /// on behalf of a user.
    pub async fn window_for(
        &self,
        viewer: &Viewer,
        since: jiff::Timestamp,
        until: Option<jiff::Timestamp>,
    ) -> Result<Window> {
        let before = since.checked_sub(jiff::SignedDuration::from_micros(1)).unwrap_or(since);
        let (mut record, mut after_seq) = match self.state(Some(before)).await {
            Ok(snapshot) => (Some(snapshot.scenario), snapshot.version),
            Err(Error::NothingAsOf { .. } | Error::Empty) => (None, 0),
            Err(error) => return Err(error),
        };
        let start = record.as_ref().map(|record| visible_to(record, viewer));
        let until = until.map(format_time);
        let mut steps = Vec::new();
        'pages: loop {
            let events = self.events(after_seq, PAGE).await?;
            let Some(last) = events.last() else { break };
            after_seq = last.seq;
            for event in events {
                if until.as_ref().is_some_and(|until| event.recorded_at >= *until) {
                    break 'pages;
                }
                // A change of access leaves the record as it was.
                if event.is_access() {
                    continue;
                }
                let corrupt = |message: String| Error::Corrupt { seq: event.seq, message };
                let change = event.change().map_err(|diagnostics| {
                    corrupt(format!("{} problem(s) in its payload", diagnostics.len()))
                })?;
                let base = record
                    .as_ref()
                    .map_or_else(Scenario::default, |record| record.scenario().clone());
                let next = ValidScenario::new(apply(&base, &change))
                    .map_err(|diagnostics| {
                        corrupt(format!(
                            "it leaves the record invalid ({} error(s))",
                            diagnostics.len()
                        ))
                    })?
                    .0;
                steps.push(SeenStep {
                    seq: event.seq,
                    recorded_at: event.recorded_at.clone(),
                    author: event.author.clone(),
                    scenario: visible_to(&next, viewer),
                });
                record = Some(next);
            }
        }
        Ok(Window { start, steps })
    }
}
