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
