//! `parley columns` (a draft round) and `parley analyze --keep-agreed`.

use insta_cmd::assert_cmd_snapshot;

use crate::helpers::{data, parley};

#[test]
fn columns_sets_each_partys_text_beside_the_compromise_and_marks_the_differences() {
    assert_cmd_snapshot!(parley().current_dir(data("")).args(["columns", "text", "round.toml"]));
}

#[test]
fn columns_as_json_gives_each_cell_its_state() {
    let output = parley()
        .args(["columns", "north-column"])
        .arg(data("round.toml"))
        .arg("--json")
        .output()
        .unwrap();
    assert!(output.status.success());
    let round: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(round["draft"], "text");
    let differences: Vec<u64> = round["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|column| column["differences"].as_u64().unwrap())
        .collect();
    assert_eq!(differences, [2, 0]);
    let states: Vec<Vec<&str>> = round["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            row["cells"]
                .as_array()
                .unwrap()
                .iter()
                .map(|cell| cell["state"].as_str().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(states, [["differs", "same"], ["absent", "absent"], ["added", "absent"]]);
}

#[test]
fn columns_of_an_unknown_draft_names_the_drafts_there_are() {
    assert_cmd_snapshot!(parley().current_dir(data("")).args(["columns", "txt", "round.toml"]));
}

#[test]
fn keep_agreed_fixes_the_agreed_port_and_leaves_the_fish_to_negotiate() {
    assert_cmd_snapshot!(parley().current_dir(data("")).args([
        "analyze",
        "--keep-agreed",
        "--samples",
        "0",
        "round.toml"
    ]));
}

#[test]
fn keep_agreed_in_json_says_what_is_fixed_and_what_remains() {
    let output = parley()
        .args(["analyze", "--keep-agreed", "--samples", "0", "--json"])
        .arg(data("round.toml"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["kept_agreed"]["fixed"][0]["issue"], "port");
    assert_eq!(report["kept_agreed"]["fixed"][0]["option"], "shared");
    assert_eq!(report["kept_agreed"]["fixed"][0]["kind"], "ad-referendum");
    assert_eq!(report["kept_agreed"]["remaining"], serde_json::json!(["fish"]));
    // Every package settles the port on the agreed option.
    for package in ["nash", "kalai", "egalitarian", "utilitarian"] {
        for outcome in report["solutions"][package].as_array().unwrap() {
            assert_eq!(outcome["outcome"]["port"], "shared", "{package}: {outcome}");
        }
    }
    // The drafts keep their agreement as recorded.
    assert_eq!(report["drafts"][0]["agreement"]["agreed_by_all"], serde_json::json!(["port"]));
    assert_eq!(report["drafts"][0]["agreement"]["package"], "open");
    // Without --keep-agreed, the report has no such field and the port stays open.
    let output = parley()
        .args(["analyze", "--samples", "0", "--json"])
        .arg(data("round.toml"))
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(report.get("kept_agreed").is_none());
    assert_eq!(report["issues"][0]["options"].as_array().unwrap().len(), 3);
}
