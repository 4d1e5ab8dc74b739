//! Integration tests: every exact algorithm against a plain exhaustive reference.

mod helpers;
mod properties;
mod ties;
