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

/// The built-in scenario's weaker reading of Ukraine's rejection, with which it has a zone.
pub(crate) use parley_model::builtin::WEAKER_DONBAS_READING as WEAKER_READING;

/// Writes the built-in scenario with the weaker reading of Ukraine's rejection to `path`.
pub(crate) fn write_builtin_with_a_zone(path: &std::path::Path) {
    let text = parley_model::builtin::TALKS_2025_TOML.to_owned() + WEAKER_READING;
    std::fs::write(path, text).unwrap();
}
