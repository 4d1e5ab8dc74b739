//! `parley check`: every problem of every file, with line and column, and the exit code.

use insta_cmd::assert_cmd_snapshot;

use crate::helpers::{data, parley};

#[test]
fn five_mistakes_are_reported_with_line_and_column() {
    assert_cmd_snapshot!(parley().current_dir(data("")).args(["check", "five-mistakes.toml"]));
}

#[test]
fn the_builtin_scenario_file_is_clean() {
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/talks-2025.toml");
    let output = parley().args(["check", scenario]).output().unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8(output.stdout).unwrap().ends_with(": 0 error(s), 0 warning(s)\n"));
}

#[test]
fn a_missing_file_is_named_in_the_error() {
    assert_cmd_snapshot!(parley().args(["check", "no-such-file.toml"]));
}
