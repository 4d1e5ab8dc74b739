//! `parley analyze` on the built-in scenario: the terminal report and the JSON report.

use insta_cmd::assert_cmd_snapshot;

use crate::helpers::{data, parley};

#[test]
fn the_terminal_report_of_the_builtin_scenario() {
    assert_cmd_snapshot!(parley().arg("analyze"));
}

#[test]
fn the_json_report_of_the_builtin_scenario() {
    let output = parley().args(["analyze", "--json"]).output().unwrap();
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    insta::assert_json_snapshot!(report);
}

#[test]
fn the_report_shows_territory_and_nato_blocking_between_russia_and_ukraine() {
    let output = parley().args(["analyze", "--json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut blocking: Vec<(String, String, String)> = report["blocking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            let field = |name: &str| entry[name].as_str().unwrap().to_owned();
            (field("issue"), field("blocking_party"), field("blocked_party"))
        })
        .collect();
    blocking.sort();
    let expected = [
        ("donbas", "russia", "ukraine"),
        ("donbas", "ukraine", "russia"),
        ("nato", "ukraine", "russia"),
    ];
    let expected: Vec<(String, String, String)> =
        expected.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())).collect();
    assert_eq!(blocking, expected);
    let contested: Vec<&str> = report["contested_claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["claim"]["id"].as_str().unwrap())
        .collect();
    assert!(contested.contains(&"pokrovsk-captured"));
}

#[test]
fn colour_is_used_only_when_asked_for_or_on_a_terminal() {
    let plain = parley().arg("analyze").output().unwrap();
    assert!(!plain.stdout.contains(&0x1b));
    let coloured = parley().args(["analyze", "--color", "always"]).output().unwrap();
    assert!(coloured.stdout.contains(&0x1b));
}

#[test]
fn a_file_with_errors_is_refused_with_every_error() {
    assert_cmd_snapshot!(parley().current_dir(data("")).args(["analyze", "five-mistakes.toml"]));
}

#[test]
fn html_writes_one_self_contained_page() {
    let temp = tempfile::tempdir().unwrap();
    let page = temp.path().join("report.html");
    let output = parley()
        .args([
            "analyze".as_ref(),
            "--samples".as_ref(),
            "20".as_ref(),
            "--html".as_ref(),
            page.as_os_str(),
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Pareto frontier") && html.contains("<svg"));
    assert!(!html.contains("src=\"http") && !html.contains("<script"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&page).unwrap().permissions().mode() & 0o777, 0o644);
    }
    let again =
        parley().args(["analyze".as_ref(), "--html".as_ref(), page.as_os_str()]).output().unwrap();
    assert_eq!(again.status.code(), Some(2), "an existing page is kept without --force");
}

#[test]
fn timings_name_every_step_and_timing_runs_needs_a_positive_count() {
    let output = parley()
        .args(["analyze", "--json", "--samples", "0", "--timings", "--timing-runs", "3"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let timings = report["timings"].as_object().unwrap();
    for step in ["zone", "frontier", "unrestricted_frontier", "nash", "kalai", "drafts"] {
        assert!(timings[step].as_f64().unwrap() >= 0.0, "{step}");
    }
    let refused = parley().args(["analyze", "--timings", "--timing-runs", "0"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--timing-runs"));
    let alone = parley().args(["analyze", "--timing-runs", "3"]).output().unwrap();
    assert_eq!(alone.status.code(), Some(2));
}
