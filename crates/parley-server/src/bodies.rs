//! The JSON bodies of the API's answers as types: the handlers answer with them, and the OpenAPI
//! document (`openapi.rs`) takes their schemas from them, so the two cannot drift apart.
//! Records in the scenario file's shape are JSON values checked against that file's schema
//! (`parley_model::scenario_file::entity_schema`); the document gives that schema for them.

use parley_report::schema::{
    BlockingReport, IssueReport, MeetingReport, ScaleReport, StanceCell, TrackReport,
};
use schemars::JsonSchema;
use serde::Serialize;

/// `GET /api/v1/me`: who the caller is.
#[derive(Serialize, Debug, JsonSchema)]
pub(crate) struct Me {
    /// The user's name.
    pub(crate) name: String,
    /// `mediator`, `delegate:PARTY` or `observer`.
    pub(crate) role: String,
    /// The party whose delegate the user is; null for other roles.
    pub(crate) party: Option<String>,
}

/// A party as the stance matrix names it.
#[derive(Serialize, Debug, JsonSchema)]
pub(crate) struct PartyName {
    /// Its id.
    pub(crate) id: String,
    /// Its name.
    pub(crate) name: String,
}

/// `GET /api/v1/stance-matrix`: each party's latest stance on each issue, and the blocking
/// issues (the fields of the report of the same names).
#[derive(Serialize, Debug, JsonSchema)]
pub(crate) struct StanceMatrix<'a> {
    /// The parties.
    pub(crate) parties: Vec<PartyName>,
    /// The issues and their options.
    pub(crate) issues: &'a [IssueReport],
    /// The scale in force.
    pub(crate) scale: &'a ScaleReport,
    /// One cell per party and issue with a recorded position.
    pub(crate) cells: &'a [StanceCell],
    /// The blocking issues.
    pub(crate) blocking: &'a [BlockingReport],
}

/// `GET /api/v1/timeline`: tracks and meetings in date order.
#[derive(Serialize, Debug, JsonSchema)]
pub(crate) struct Timeline<'a> {
    /// The tracks.
    pub(crate) tracks: &'a [TrackReport],
    /// The meetings, in date order (undated ones last).
    pub(crate) meetings: &'a [MeetingReport],
}

/// `GET /api/v1/events`: a page of the event log.
#[derive(Serialize, Debug, JsonSchema)]
pub(crate) struct Events {
    /// The events, in order.
    pub(crate) items: Vec<EventItem>,
}

/// One event of the log (docs/storage.md).
#[derive(Serialize, Debug, JsonSchema)]
pub(crate) struct EventItem {
    /// Its sequence number, from 1.
    pub(crate) seq: u64,
    /// When it was recorded (RFC 3339).
    pub(crate) recorded_at: String,
    /// Who recorded it.
    pub(crate) author: String,
    /// `import`, `upsert` or `remove`.
    pub(crate) kind: String,
    /// The change, as TOML in the scenario file's format.
    pub(crate) payload: String,
    /// The hash of the event before it.
    pub(crate) prev_hash: String,
    /// Its hash, chained over the one before.
    pub(crate) hash: String,
}

impl From<&parley_store::log::Event> for EventItem {
    fn from(event: &parley_store::log::Event) -> EventItem {
        EventItem {
            seq: event.seq,
            recorded_at: event.recorded_at.clone(),
            author: event.author.clone(),
            kind: event.kind.clone(),
            payload: event.payload.clone(),
            prev_hash: event.prev_hash.clone(),
            hash: event.hash.clone(),
        }
    }
}
