//! GENIUS/ANAC negotiation scenarios: parsing domain and utility profile XML files, writing
//! them back, and the normalised utilities GENIUS assigns to each option.
//!
//! The crate does no I/O. The caller reads the files and hands over `(file name, text)`;
//! writers return the text to save. File names are used only in error messages and as party
//! ids.
//!
//! * [`parse_scenario`] reads a folder's files: one domain and a profile per party, told apart
//!   by content, each profile checked against the domain.
//! * [`classify`] tells a domain file from a profile by content.
//! * [`decode_file`] turns a file's bytes into its text, or an error at the first byte that is
//!   not UTF-8.
//! * [`parse_domain`] and [`parse_profile`] read single files; [`write_domain`] and
//!   [`write_profile`] write them, and parsing what they write gives the same value back.
//! * [`Scenario::normalised_utilities`] gives each party's weights and option values in
//!   `[0, 1]`, as GENIUS computes them.
//!
//! * [`geniusweb`] does the same for GeniusWeb's JSON scenarios (ANAC 2020 onwards).
//!
//! Supported: discrete issues, integer issues with a linear evaluator, weights, reservation
//! value and discount factor, with the root objective holding the issues directly. Refused,
//! with an error naming file, line, column and element: real-valued issues, other evaluator
//! functions, non-linear (hyper-rectangle) utilities and nested objectives. Ignored, as
//! GENIUS ignores them: `cost` and `description` attributes, item indices, `<agent>` elements
//! of a `negotiation_template`, and `<similarity_function>` blocks inside profile issues.
#![warn(missing_docs)]
#![warn(clippy::disallowed_methods, reason = "the crate does no I/O")]

mod bridge;
mod check;
mod error;
pub mod geniusweb;
mod model;
mod parse;
mod scenario;
mod write;

pub use bridge::{from_model, to_model};
pub use error::{ConversionError, Error, Location, Result};
pub use model::{
    Domain, DomainIssue, IssueEvaluator, IssueKind, LinearEvaluator, Profile, ProfileIssue,
    ValueEvaluation,
};
pub use parse::{FileKind, classify, decode_file, parse_domain, parse_profile};
pub use scenario::{IssueUtilities, OptionUtility, PartyUtilities, Scenario, parse_scenario};
pub use write::{write_domain, write_profile};
