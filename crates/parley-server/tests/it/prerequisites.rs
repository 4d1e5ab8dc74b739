//! What this crate's tests skip on a machine without PostgreSQL or Chromium: one line in the test run's
//! output, so that a skipped test is not taken for a passed one.
#![allow(clippy::disallowed_methods, reason = "the test looks at the machine it runs on")]

/// Says in one line, written past the test harness's capture so that a plain `cargo test`
/// shows it, what this crate's tests skip on this machine and why. Where
/// `PARLEY_REQUIRE_PREREQUISITES` names a missing prerequisite (`.ci/run` names those it
/// installs), the skip is a failure instead.
fn report(krate: &str, missing: &[(&str, &str, String)]) {
    use std::io::Write;
    if missing.is_empty() {
        return;
    }
    let skipped: Vec<String> =
        missing.iter().map(|(_, what, why)| format!("{what} ({why})")).collect();
    let line = format!(
        "note: {krate} skipped {}; the README's \"On a fresh machine\" says what they need\n",
        skipped.join("; ")
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
    let required = std::env::var("PARLEY_REQUIRE_PREREQUISITES").unwrap_or_default();
    for (name, what, why) in missing {
        assert!(
            !required.split(',').any(|required| required.trim() == *name),
            "PARLEY_REQUIRE_PREREQUISITES requires {name}, but {what} was skipped: {why}"
        );
    }
}

/// Where `PARLEY_PG_URL` is unset, what is skipped for lack of it; where it is set, it must
/// name a PostgreSQL server, or the tests would fail far from the cause.
fn postgres(what: &'static str) -> Option<(&'static str, &'static str, String)> {
    match std::env::var("PARLEY_PG_URL") {
        Ok(url) if !url.is_empty() => {
            assert!(
                url.starts_with("postgres://") || url.starts_with("postgresql://"),
                "PARLEY_PG_URL '{url}' is not a postgres:// URL"
            );
            None
        }
        _ => Some(("postgres", what, "PARLEY_PG_URL is not set".to_owned())),
    }
}

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
