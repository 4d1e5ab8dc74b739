//! What this crate's tests skip on a machine without PostgreSQL or Chromium: one line in the test run's
//! output, so that a skipped test is not taken for a passed one.
#![allow(clippy::disallowed_methods, reason = "the test looks at the machine it runs on")]

#[path = "../../../../test-support/prerequisites.rs"]
mod support;

use support::{postgres, report};

#[test]
fn what_is_skipped_is_said() {
    let browser = match crate::browser::browser_programs() {
        Some(_) => None,
        None => Some((
            "chromium",
            "the browser test",
            "no chromedriver or chromium on PATH, nor in CHROMEDRIVER and CHROME".to_owned(),
        )),
    };
    let missing: Vec<_> =
        [postgres("the server tests' PostgreSQL runs"), browser].into_iter().flatten().collect();
    report("parley-server", &missing);
}
