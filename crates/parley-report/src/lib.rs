//! Reports on a scenario. [`schema::Report`] is the serializable report that `parley analyze
//! --json` prints (documented in docs/json-output.md); [`terminal::render`] turns it into the
//! text a mediator reads first, and [`html::render`] into one self-contained page with plots.
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
pub mod schema;
pub mod terminal;

pub use error::Error;
