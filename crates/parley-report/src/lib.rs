//! Reports on a scenario. [`schema::Report`] is the serializable report that `parley analyze
//! --json` prints (documented in docs/json-output.md); [`terminal::render`] turns it into the
//! text a mediator reads first, and [`html::render`] into one self-contained page with plots.
//! [`tournament::TournamentReport`] holds a tournament's runs, written as a tidy CSV table by
//! [`tournament::csv`] and as a page by [`html::tournament::render`].
//!
//! [`simulation`] holds the reports of `parley simulate --json` and of a tournament's
//! `results.json`. [`json_schemas`] gives the JSON Schema of each JSON output, generated from
//! these types (checked in under docs/schema/).
//!
//! The crate does no I/O: it returns values and strings for the caller to print or write.
#![warn(missing_docs)]
#![warn(clippy::disallowed_methods, reason = "reports are built as values; the caller writes them")]

pub mod analysis;
pub mod changes;
pub mod diff;
mod error;
pub mod history;
pub mod html;
pub mod records;
pub mod rounds;
pub mod schema;
pub mod simulation;
pub mod terminal;
pub mod tournament;

/// The JSON Schema of each JSON output, by file name under docs/schema/: the report of
/// `parley analyze --json` (and of the server's record and analysis), the simulation of
/// `parley simulate --json` and a tournament's `results.json`.
pub fn json_schemas() -> Vec<(&'static str, serde_json::Value)> {
    // The schemas of what is written: a field left out when empty is not required.
    let generator =
        || schemars::generate::SchemaSettings::draft2020_12().for_serialize().into_generator();
    vec![
        ("report.schema.json", generator().into_root_schema_for::<schema::Report>().to_value()),
        (
            "simulation.schema.json",
            generator().into_root_schema_for::<simulation::SimulationReport>().to_value(),
        ),
        (
            "tournament.schema.json",
            generator().into_root_schema_for::<simulation::TournamentReport>().to_value(),
        ),
    ]
}

pub use error::Error;
