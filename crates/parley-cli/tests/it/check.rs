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

/// Runs `parley ARGS` in `dir` and gives its exit code and its output, stdout then stderr.
fn run_in(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String) {
    let output = parley().current_dir(dir).args(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), text)
}

#[test]
fn text_that_is_not_utf8_is_named_with_the_line_and_column_of_its_first_invalid_byte() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(
        temp.path().join("bad.toml"),
        b"[scenario]\nid = \"x\"\ntitle = \"ab\xff\xfe\"\n",
    )
    .unwrap();
    let (code, output) = run_in(temp.path(), &["check", "bad.toml"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        output,
        "bad.toml:3:12: error[syntax]: byte 0xff at offset 31 is not UTF-8, expected UTF-8 text\nbad.toml: 1 error(s), 0 warning(s)\n"
    );
    let (code, output) = run_in(temp.path(), &["analyze", "bad.toml"]);
    assert_eq!(code, Some(2));
    assert!(output.contains("bad.toml:3:12: error[syntax]: byte 0xff at offset 31"), "{output}");

    let folder = temp.path().join("shop");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(
        folder.join("shop.xml"),
        b"<negotiation_template>\n  <utility_space name=\"caf\xe9\"/>",
    )
    .unwrap();
    let (code, output) = run_in(temp.path(), &["check", "shop"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        output,
        "shop: error: shop/shop.xml:1:1: malformed XML: the root node was opened but never closed\nshop: 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn a_genius_file_in_a_legacy_encoding_is_read_as_genius_reads_it_with_a_warning() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("cafe");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(
        folder.join("domain.xml"),
        b"<negotiation_template><utility_space><objective name=\"caf\xe9\">\n<issue index=\"1\" name=\"Drink\"><item value=\"th\xe9\"/><item value=\"caf\xe9\"/></issue>\n</objective></utility_space></negotiation_template>",
    )
    .unwrap();
    std::fs::write(
        folder.join("guest.xml"),
        "<utility_space><objective name=\"café\">\n<issue index=\"1\" name=\"Drink\"><item value=\"thé\" evaluation=\"1\"/><item value=\"café\" evaluation=\"2\"/></issue>\n</objective></utility_space>",
    )
    .unwrap();
    let (code, output) = run_in(temp.path(), &["check", "cafe"]);
    assert_eq!(code, Some(0), "{output}");
    assert!(
        output.starts_with("warning: cafe/domain.xml:1:58: <xml> is not UTF-8 from here on: the file is read as windows-1252, as GENIUS on Windows reads a file\n"),
        "{output}"
    );
    // Both files name the same values: the one in windows-1252 was decoded as such.
    assert!(output.ends_with("cafe: 0 error(s), 0 warning(s)\n"), "{output}");
}

#[test]
fn nesting_beyond_the_recursion_limit_is_named_with_its_line_and_column() {
    let temp = tempfile::tempdir().unwrap();
    let deep = format!("[scenario]\nid = \"x\"\n[a{}]\n", ".a".repeat(100));
    std::fs::write(temp.path().join("deep.toml"), deep).unwrap();
    let (code, output) = run_in(temp.path(), &["check", "deep.toml"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        output,
        "deep.toml:3:2: error[syntax]: key of 101 dotted parts nests tables too deeply (the reader's recursion limit), expected fewer parts\ndeep.toml: 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn every_slip_of_a_first_scenario_is_reported_at_once_at_its_own_line() {
    // The issue 'wage' has two mistakes and the position on it three: each is reported at its
    // line, with a suggestion, and the warning about 'hours' points at 'hours'.
    assert_cmd_snapshot!(parley().current_dir(data("")).args(["check", "first-hour.toml"]));
}
