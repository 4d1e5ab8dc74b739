//! What this crate's tests skip on a machine without the shared ANAC scenarios: one line in the test run's
//! output, so that a skipped test is not taken for a passed one.
#![allow(clippy::disallowed_methods, reason = "the test looks at the machine it runs on")]

#[path = "../../../../test-support/prerequisites.rs"]
mod support;

use support::{report, shared};

#[test]
fn what_is_skipped_is_said() {
    let missing: Vec<_> = [
        shared("genius", "the command-line runs over the shared GENIUS scenarios"),
        shared("genius-more", "the command-line runs over the further shared GENIUS scenarios"),
    ]
    .into_iter()
    .flatten()
    .collect();
    report("parley-cli", &missing);
}
