//! Integration tests of the `parley` command line: one binary, one module per command.

mod analyze;
mod budget;
mod check;
mod columns;
mod coverage;
mod db;
mod force;
mod genius;
mod geniusweb;
mod helpers;
mod json_schema;
mod kill;
mod prerequisites;
mod record_views;
mod simulate;
