//! What this crate's tests skip on a machine without PostgreSQL, Chromium, axe-core or
//! ../shared: one line in the test run's output, so that a skipped test is not taken for a
//! passed one.
#![allow(clippy::disallowed_methods, reason = "the test looks at the machine it runs on")]

#[path = "../../../../test-support/prerequisites.rs"]
pub(crate) mod support;

use support::{axe, postgres, report, shared};

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
    let missing: Vec<_> = [
        postgres("the server tests' PostgreSQL runs"),
        browser,
        axe("the browser test's accessibility checks"),
        shared("genius", "the browser test's checks of GENIUS scenarios' reports"),
    ]
    .into_iter()
    .flatten()
    .collect();
    report("parley-server", &missing);
}
