//! Integration tests of parley-sim: transcripts on the built-in scenario, determinism, and
//! the protocol invariants as properties over random spaces.

mod helpers;
mod invariants;
mod transcripts;
