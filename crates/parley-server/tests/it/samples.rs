//! Records the tests write: a valid new entity of each collection, and the public entities
//! of the built-in scenario that reads and changes aim at.

use serde_json::{Value, json};

/// Every collection of the API, as its URL names it.
pub(crate) const COLLECTIONS: [&str; 8] =
    ["sources", "parties", "issues", "tracks", "meetings", "drafts", "positions", "claims"];

/// A valid new entity of a collection, without an id; where an entity has an owner, it is
/// Ukraine (so that Ukraine's delegate may record it and Russia's may not).
pub(crate) fn new_entity(collection: &str) -> Value {
    match collection {
        "sources" => json!({ "title": "Press briefing", "publisher": "Test desk" }),
        "parties" => json!({ "name": "Test observer state", "role": "observer" }),
        "issues" => json!({
            "title": "Prisoner exchanges", "category": "humanitarian",
            "options": [{ "id": "all-for-all", "label": "All for all" }, { "id": "none", "label": "None" }],
        }),
        "tracks" => json!({ "name": "Test track", "parties": ["us", "ukraine"] }),
        "meetings" => {
            json!({ "track": "us-ukraine", "status": "planned", "title": "Test meeting" })
        }
        "drafts" => json!({ "title": "Test draft", "status": "proposed", "author": "ukraine" }),
        "positions" => json!({
            "party": "ukraine", "issue": "financing", "date": "2025-12-02", "importance": "high",
            "stances": { "europe-finances": "preferred" },
        }),
        "claims" => {
            json!({ "claimant": "ukraine", "statement": "Test statement", "status": "unverified" })
        }
        other => panic!("the tests know no collection '{other}': add it to samples.rs"),
    }
}

/// A public entity of each collection with ids, seen by every role: what reads, changes and
/// diffs aim at. The draft is recorded by [`public_ukraine_draft`] first.
pub(crate) fn public_id(collection: &str) -> &'static str {
    match collection {
        "sources" => "report",
        "parties" => "ireland",
        "issues" => "europe-seat",
        "tracks" => "ukraine-europe",
        "meetings" => "florida-round",
        "drafts" => PUBLIC_UKRAINE_DRAFT,
        "claims" => "pokrovsk-still-contested",
        other => panic!("the tests know no collection '{other}' with ids: add it to samples.rs"),
    }
}

/// A public draft written by Ukraine, which Ukraine's delegate may change.
pub(crate) const PUBLIC_UKRAINE_DRAFT: &str = "ukraine-counterproposal";

pub(crate) fn public_ukraine_draft() -> Value {
    json!({
        "id": PUBLIC_UKRAINE_DRAFT, "title": "Ukrainian counterproposal", "status": "proposed",
        "author": "ukraine", "parents": ["us-plan-early"],
        "points": [{ "id": "territory", "text": "No land is given up.", "issue": "donbas", "option": "no-cession" }],
        "lineage": [
            { "parent": "us-plan-early", "points": ["territory"], "fate": "amended", "into": "territory" },
            { "parent": "us-plan-early", "points": "rest", "fate": "dropped" },
        ],
    })
}

/// The collection a URL path names (`/api/v1/drafts/{id}` names `drafts`).
pub(crate) fn collection_of(path: &str) -> &str {
    path.trim_start_matches("/api/v1/").split('/').next().unwrap_or_default()
}
