//! What this crate's tests skip on a machine without PostgreSQL: one line in the test run's
//! output, so that a skipped test is not taken for a passed one.
#![allow(clippy::disallowed_methods, reason = "the test looks at the machine it runs on")]

#[path = "../../../../test-support/prerequisites.rs"]
mod support;

use support::{postgres, report};

#[test]
fn what_is_skipped_is_said() {
    let missing: Vec<_> =
        [postgres("every store test's PostgreSQL run")].into_iter().flatten().collect();
    report("parley-store", &missing);
}
