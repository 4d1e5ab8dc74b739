//! What a crate's tests skip on this machine, said in one line of the test run's output so
//! that a skipped test is not taken for a passed one. Included by each crate whose tests can
//! skip (`#[path]` from its `tests/it/prerequisites.rs`), which lists what it needs.
#![allow(dead_code, reason = "each crate uses the checks it needs")]

/// Says in one line, written past the test harness's capture so that a plain `cargo test`
/// shows it, what this crate's tests skip on this machine and why. Where
/// `PARLEY_REQUIRE_PREREQUISITES` names a missing prerequisite (`.ci/run` names those it
/// installs), the skip is a failure instead.
pub(crate) fn report(krate: &str, missing: &[(&str, &str, String)]) {
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

/// Where `../shared/scenarios/NAME` is absent, what is skipped for lack of it; where it is
/// there, it must hold scenario files, or the tests reading it would pass on nothing.
pub(crate) fn shared(
    name: &str,
    what: &'static str,
) -> Option<(&'static str, &'static str, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/scenarios")
        .join(name);
    if !root.is_dir() {
        return Some(("shared", what, format!("{} is absent", root.display())));
    }
    let n_entries = std::fs::read_dir(&root).map_or(0, Iterator::count);
    assert!(
        n_entries > 0,
        "{} is there but empty: the tests that read it would test nothing",
        root.display()
    );
    None
}

/// Where `PARLEY_PG_URL` is unset, what is skipped for lack of it; where it is set, it must
/// name a PostgreSQL server, or the tests would fail far from the cause.
pub(crate) fn postgres(what: &'static str) -> Option<(&'static str, &'static str, String)> {
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

/// The axe-core release that `.ci/run` fetches for the browser test's accessibility checks.
pub(crate) const AXE_VERSION: &str = "4.14.1";

/// Where axe-core's script is looked for: `PARLEY_AXE_JS`, else where `.ci/run` puts it (a
/// cache outside the tree).
pub(crate) fn axe_js() -> std::path::PathBuf {
    if let Some(path) = std::env::var_os("PARLEY_AXE_JS").filter(|path| !path.is_empty()) {
        return path.into();
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|path| !path.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| std::path::Path::new(&home).join(".cache")))
        .unwrap_or_default();
    cache.join("parley").join(format!("axe-core-{AXE_VERSION}")).join("axe.min.js")
}

/// Where axe-core's script is absent, what is skipped for lack of it.
pub(crate) fn axe(what: &'static str) -> Option<(&'static str, &'static str, String)> {
    let path = axe_js();
    if path.is_file() {
        return None;
    }
    Some((
        "axe",
        what,
        format!(
            "{} is absent (.ci/run fetches axe-core {AXE_VERSION} there; PARLEY_AXE_JS names another place)",
            path.display()
        ),
    ))
}
