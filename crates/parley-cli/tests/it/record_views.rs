//! The record's views over time: `parley diff` (two drafts), `parley history` (how stances
//! moved) and `parley changes` (what changed between two dates), on the terminal and as JSON,
//! and their answers to ids and dates that name nothing.

use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

use crate::helpers::{data, parley};

fn json_of(args: &[&str]) -> Value {
    let output = parley().current_dir(data("")).args(args).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn diff_shows_the_points_side_by_side() {
    assert_cmd_snapshot!(parley().current_dir(data("")).args([
        "diff",
        "text-1",
        "text-2",
        "record-views.toml"
    ]));
}

#[test]
fn diff_as_json_matches_the_lineage() {
    let diff = json_of(&["diff", "text-1", "text-2", "record-views.toml", "--json"]);
    let statuses: Vec<(&str, &str)> = diff["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| (pair["status"].as_str().unwrap(), pair["fate"].as_str().unwrap_or("-")))
        .collect();
    assert_eq!(
        statuses,
        [("changed", "amended"), ("same", "kept"), ("removed", "dropped"), ("added", "-")]
    );
    assert_eq!(diff["fields"][0]["field"], "title");
    assert_eq!(diff["to"]["id"], "text-2");
}

#[test]
fn diff_of_an_unknown_draft_suggests_the_nearest() {
    assert_cmd_snapshot!(parley().current_dir(data("")).args([
        "diff",
        "text-1",
        "txt-2",
        "record-views.toml"
    ]));
}

#[test]
fn diff_reads_the_builtin_scenario_when_none_is_named() {
    let diff = json_of(&["diff", "us-plan-early", "florida-20", "--json"]);
    assert!(diff["points"].as_array().unwrap().iter().all(|pair| pair["status"] == "unknown"));
}

#[test]
fn history_lists_each_position_in_date_order() {
    assert_cmd_snapshot!(parley().current_dir(data("")).args([
        "history",
        "record-views.toml",
        "--party",
        "north"
    ]));
}

#[test]
fn history_as_json_gives_the_values_the_chart_draws() {
    let history = json_of(&["history", "record-views.toml", "--issue", "border", "--json"]);
    let series = history["series"].as_array().unwrap();
    let parties: Vec<&str> = series.iter().map(|one| one["party"].as_str().unwrap()).collect();
    assert_eq!(parties, ["north", "south"]);
    let new_line: Vec<f64> = series[0]["positions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["values"]["new-line"].as_f64().unwrap())
        .collect();
    assert_eq!(new_line, [0.0, 0.1, 0.7]);
    assert_eq!(series[0]["positions"][1]["confidence"], "inferred");
}

#[test]
fn history_of_an_unknown_party_or_issue_suggests_the_nearest() {
    assert_cmd_snapshot!(parley().current_dir(data("")).args([
        "history",
        "record-views.toml",
        "--party",
        "nort"
    ]));
    assert_cmd_snapshot!(parley().current_dir(data("")).args([
        "history",
        "record-views.toml",
        "--issue",
        "watr"
    ]));
}

#[test]
fn the_html_report_charts_how_stances_moved() {
    let temp = tempfile::tempdir().unwrap();
    let page = temp.path().join("report.html");
    let output = parley()
        .current_dir(data(""))
        .args(["analyze", "record-views.toml", "--record-only", "--html"])
        .arg(&page)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let html = std::fs::read_to_string(&page).unwrap();
    let section = &html[html.find("id=\"stance-history\"").expect("the section")..];
    assert!(section.contains("aria-label=\"Stances over time on Border\""), "{section}");
    assert!(section.contains("aria-label=\"Stances over time on Water\""));
}

#[test]
fn changes_of_a_file_list_its_records_dated_within_the_window() {
    assert_cmd_snapshot!(parley().current_dir(data("")).args([
        "changes",
        "record-views.toml",
        "--since",
        "2025-11-20",
        "--until",
        "2025-11-30"
    ]));
}

#[test]
fn changes_refuse_bad_dates_and_a_window_that_runs_backwards() {
    assert_cmd_snapshot!(parley().current_dir(data("")).args([
        "changes",
        "record-views.toml",
        "--since",
        "2025-13-01"
    ]));
    assert_cmd_snapshot!(parley().current_dir(data("")).args([
        "changes",
        "record-views.toml",
        "--since",
        "2025-11-20",
        "--until",
        "2025-11-01"
    ]));
}

#[test]
fn changes_of_a_database_come_from_its_log_with_their_authors() {
    let temp = tempfile::tempdir().unwrap();
    let database = temp.path().join("parley.db");
    let database = database.to_str().unwrap();
    let status = parley()
        .current_dir(data(""))
        .args(["db", "import", "record-views.toml", "--database", database, "--author", "chair"])
        .status()
        .unwrap();
    assert!(status.success());
    let list = json_of(&["changes", "--database", database, "--since", "2000-01-01", "--json"]);
    assert_eq!(list["basis"], "log");
    let changes = list["changes"].as_array().unwrap();
    assert!(
        changes.iter().all(|change| change["change"] == "added"
            && change["authors"] == serde_json::json!(["chair"]))
    );
    let draft = changes.iter().find(|change| change["id"] == "text-2").expect("the draft");
    assert_eq!(draft["sources"], serde_json::json!(["minutes"]));
    assert_eq!(draft["collection"], "drafts");
    let before = json_of(&[
        "changes",
        "--database",
        database,
        "--since",
        "2000-01-01",
        "--until",
        "2000-01-02",
        "--json",
    ]);
    assert_eq!(before["changes"], serde_json::json!([]));
    let missing = parley()
        .args([
            "changes",
            "--database",
            temp.path().join("none.db").to_str().unwrap(),
            "--since",
            "2000-01-01",
        ])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn changes_of_a_database_show_a_delegate_none_of_another_partys_private_records() {
    let temp = tempfile::tempdir().unwrap();
    let database = temp.path().join("parley.db");
    let database = database.to_str().unwrap();
    let canary = "canary-private-claim-40d2";
    let base = std::fs::read_to_string(data("record-views.toml")).unwrap();
    let edited = temp.path().join("edited.toml");
    std::fs::write(
        &edited,
        format!("{base}\n[[claims]]\nid = \"south-secret\"\nclaimant = \"south\"\nstatement = \"{canary}\"\ndate = 2025-11-23\nstatus = \"unverified\"\nvisibility = \"private\"\n"),
    )
    .unwrap();
    for (file, author) in [(data("record-views.toml"), "chair"), (edited, "south-delegate")] {
        let status = parley()
            .args(["db", "import"])
            .arg(file)
            .args(["--database", database, "--author", author])
            .status()
            .unwrap();
        assert!(status.success());
    }
    let as_role = |role: &str| {
        let output = parley()
            .args([
                "changes",
                "--database",
                database,
                "--since",
                "2000-01-01",
                "--json",
                "--as",
                role,
            ])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    };
    let mediator = as_role("mediator");
    assert!(mediator.contains(canary) && mediator.contains("south-delegate"), "the check can fail");
    assert!(as_role("delegate:south").contains(canary));
    for role in ["delegate:north", "observer"] {
        let seen = as_role(role);
        assert!(!seen.contains(canary) && !seen.contains("south-secret"), "{role}: {seen}");
        assert!(!seen.contains("south-delegate"), "{role} learns who changed a hidden record");
    }
    let bad = parley()
        .args(["changes", "--database", database, "--since", "2000-01-01", "--as", "delegate:nort"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&bad.stderr),
        "error: invalid --as: no party 'nort' in the record (did you mean 'north'?)\n"
    );
}
