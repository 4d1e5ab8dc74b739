//! The negotiation model: parties, issues, tracks, meetings, drafts, positions, claims and
//! sources; its validation; and the TOML scenario format.
//!
//! The crate does no I/O: the scenario format parses text it is given and returns text to
//! write. Validation reports every problem it finds as a [`diagnostic::Diagnostic`] that
//! names the field at fault by its path (for example `parties[2].delegates[0].id`); the
//! scenario format turns those paths into file, line and column.
#![warn(missing_docs)]
#![warn(clippy::disallowed_methods, reason = "the model does no I/O: inputs arrive as values")]

pub mod access;
pub mod agreement;
pub mod builtin;
pub mod change;
pub mod continuous;
pub mod diagnostic;
pub mod overview;
pub mod scale;
pub mod scenario;
pub mod scenario_file;
pub mod stance;
pub mod suggest;
pub mod utility;
pub mod validate;
mod values;

pub use values::{Basis, Date, DatePrecision, FuzzyDate, Id, Place, PlacePrecision};
