//! Helpers shared by the command-line tests.

use std::path::PathBuf;
use std::process::Command;

/// The `parley` binary, ready to take arguments, with colour off and a fixed environment.
pub(crate) fn parley() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_parley"));
    command.env_remove("CLICOLOR_FORCE").env("NO_COLOR", "1");
    command
}

/// A file under `tests/data/`.
pub(crate) fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

/// Appended to the built-in scenario: a later position of Ukraine's on Donbas that reads its
/// rejection of ceding the region as a strong objection rather than a red line (the weaker
/// reading, see docs/builtin-scenario.md). The built-in case has no agreement zone; with
/// this reading it has one, which the tests of zones, packages and budgets need.
pub(crate) const WEAKER_READING: &str = r#"
[[positions]]
party = "ukraine"
issue = "donbas"
date = 2025-12-03
importance = "critical"
confidence = "inferred"
stances = { cede-all = "strong-objection", no-cession = "preferred" }
cites = ["report#American Messaging and Mixed Reactions"]
"#;

/// Writes the built-in scenario with the weaker reading of Ukraine's rejection to `path`.
pub(crate) fn write_builtin_with_a_zone(path: &std::path::Path) {
    let text = parley_model::builtin::TALKS_2025_TOML.to_owned() + WEAKER_READING;
    std::fs::write(path, text).unwrap();
}
