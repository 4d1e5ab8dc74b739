//! GENIUS/ANAC negotiation scenarios: parsing domain and utility profile XML files, writing
//! them back, and the normalised utilities GENIUS assigns to each option.
//!
//! The crate does no I/O. The caller reads the files and hands over `(file name, text)`;
//! writers return the text to save. File names are used only in error messages and as party
//! ids.
//!
//! * [`parse_scenario`] reads a folder's files: a domain and a profile per party, told apart
//!   by content, each profile checked against the domain. [`read_folder`] reads a folder that
//!   holds several domains, pairs each profile with the domains it fits, and lets the caller
//!   choose one ([`Folder::scenario`]); GENIUS's reference frontiers (`pareto.xml`) are read
//!   beside them, and other files are skipped and named.
//! * [`classify_file`] tells a folder's file by content; [`classify`] tells a domain file from
//!   a profile.
//! * [`decode_file`] turns a file's bytes into its text, or an error at the first byte that is
//!   not UTF-8.
//! * [`parse_domain`] and [`parse_profile`] read single files; [`write_domain`] and
//!   [`write_profile`] write them, and parsing what they write gives the same value back.
//! * [`Scenario::normalised_utilities`] gives each party's weights and option values in
//!   `[0, 1]`, as GENIUS computes them.
//!
//! * [`geniusweb`] does the same for GeniusWeb's JSON scenarios (ANAC 2020 onwards).
//!
//! Supported: discrete issues, integer issues with a linear (or constant) evaluator, weights
//! (0 included: the party does not care about the issue), reservation value and discount
//! factor, with the root objective holding the issues directly, and GENIUS's non-linear
//! profiles: sums of hyper-rectangle constraints over integer issues. The variants GENIUS
//! reads are read with its meaning, each with a [`Warning`] (see the `parse` module): the
//! older layout without an objective, weights beside the objective, bounds in a `<range>`,
//! `parameter0`/`parameter1` evaluators, 'null' evaluations, repeated values, a domain's
//! discount factor, `<similarity_function>` blocks. Refused, with an error naming file,
//! line, column and element: real-valued issues, other evaluator functions, other
//! aggregations of non-linear utilities and nested objectives. Ignored, as GENIUS ignores
//! them: `cost` and `description` attributes, item indices and `<agent>` elements of a
//! `negotiation_template`.
#![warn(missing_docs)]
#![warn(clippy::disallowed_methods, reason = "the crate does no I/O")]

mod bridge;
mod check;
mod error;
pub mod geniusweb;
mod model;
mod parse;
mod repair;
mod scenario;
mod write;

pub use bridge::{from_model, to_model};
pub use error::{ConversionError, Error, Location, Result, Warning};
pub use model::{
    Constraint, ConstraintBound, ConstraintKind, ConstraintUtility, Domain, DomainIssue,
    IssueEvaluator, IssueKind, LinearEvaluator, Profile, ProfileIssue, RealEvaluator, RealFunction,
    ValueEvaluation,
};
pub use parse::{
    FileKind, classify, decode_file, decode_genius_file, parse_domain, parse_domain_with_warnings,
    parse_profile, parse_profile_with_warnings,
};
pub use scenario::{
    FileRole, Folder, FolderDomain, IssueUtilities, OptionUtility, PartyUtilities,
    ReferenceFrontier, Scenario, SkippedFile, classify_file, parse_scenario, read_folder,
};
pub use write::{write_domain, write_profile};
