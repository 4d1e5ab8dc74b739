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
