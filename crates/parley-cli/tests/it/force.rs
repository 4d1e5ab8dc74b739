//! `--force`: every command that writes a file refuses to overwrite one without it, leaving
//! the file as it was, and replaces it with it.

use std::ffi::OsStr;
use std::path::Path;

use crate::helpers::parley;

const BUILTIN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/talks-2025.toml");

/// Runs `parley ARGS` in `dir`; the exit code and stderr.
fn run(dir: &Path, args: &[&OsStr]) -> (Option<i32>, String) {
    let output = parley().current_dir(dir).args(args).output().unwrap();
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// Runs a command that writes `output` over a file that is there already: without `--force`
/// it is refused and the file kept, with it the file is replaced.
fn refuses_then_forces(dir: &Path, args: &[&str], output: &str) -> Vec<u8> {
    let path = dir.join(output);
    std::fs::write(&path, "precious").unwrap();
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    let (code, stderr) = run(dir, &args);
    assert_eq!(code, Some(2), "{args:?}: {stderr}");
    assert!(
        stderr.contains(&format!("'{output}' exists; pass --force to overwrite it")),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious", "{args:?}");
    let mut forced = args.clone();
    forced.push(OsStr::new("--force"));
    let (code, stderr) = run(dir, &forced);
    assert_eq!(code, Some(0), "{forced:?}: {stderr}");
    let written = std::fs::read(&path).unwrap();
    assert_ne!(written, b"precious", "{forced:?}");
    written
}

#[test]
fn every_command_that_writes_a_file_refuses_to_overwrite_it_without_force() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();

    let html = refuses_then_forces(
        dir,
        &["analyze", "--samples", "0", "--html", "report.html"],
        "report.html",
    );
    assert!(String::from_utf8_lossy(&html).starts_with("<!DOCTYPE html>"));

    assert_eq!(
        run(dir, &["export", "genius", "--lossy", "-o", "genius"].map(OsStr::new)).0,
        Some(0)
    );
    let imported = refuses_then_forces(
        dir,
        &["import", "genius", "genius", "-o", "from-genius.toml"],
        "from-genius.toml",
    );
    assert!(String::from_utf8_lossy(&imported).contains("[scenario]"));

    assert_eq!(
        run(dir, &["export", "geniusweb", "--lossy", "-o", "web"].map(OsStr::new)).0,
        Some(0)
    );
    let imported = refuses_then_forces(
        dir,
        &["import", "geniusweb", "web", "-o", "from-web.toml"],
        "from-web.toml",
    );
    assert!(String::from_utf8_lossy(&imported).contains("[scenario]"));

    let (code, stderr) = run(
        dir,
        &[
            "db".as_ref(),
            "import".as_ref(),
            BUILTIN.as_ref(),
            "--database".as_ref(),
            "record.db".as_ref(),
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let exported = refuses_then_forces(
        dir,
        &["db", "export", "-o", "exported.toml", "--database", "record.db"],
        "exported.toml",
    );
    assert!(String::from_utf8_lossy(&exported).contains("[scenario]"));

    refuses_then_forces(
        dir,
        &["db", "backup", "-o", "backup.db", "--database", "record.db"],
        "backup.db",
    );
    let verified = parley()
        .current_dir(dir)
        .args(["db", "verify", "--database", "backup.db"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&verified.stdout).contains("the log is intact"));
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert_eq!(leftovers, Vec::<String>::new());
}

#[test]
fn every_command_with_an_output_option_offers_force() {
    // A command that writes files names them with one of these options; each must take
    // --force, so that nothing is overwritten without it.
    let commands: &[&[&str]] = &[
        &["analyze"],
        &["import", "genius"],
        &["import", "geniusweb"],
        &["export", "genius"],
        &["export", "geniusweb"],
        &["tournament"],
        &["simulate"],
        &["db", "export"],
        &["db", "backup"],
        &["db", "import"],
    ];
    for command in commands {
        let output = parley().args(*command).arg("--help").output().unwrap();
        let help = String::from_utf8_lossy(&output.stdout);
        let writes = ["--output", "--out ", "--html"].iter().any(|option| help.contains(option));
        assert_eq!(writes, help.contains("--force"), "{command:?}:\n{help}");
    }
}
