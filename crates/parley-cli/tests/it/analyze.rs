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

/// A valid scenario whose texts hold terminal escape sequences, C1 controls, bidirectional
/// overrides and line breaks.
const HOSTILE: &str = r#"[scenario]
id = "hostile"
title = "Talks \u001b]0;pwned\u0007 \u009b31m"

[[parties]]
id = "a"
name = "\u001b[31mRED\u001b[0m"
role = "principal"

[[parties]]
id = "b"
name = "B \u202eevil\u202c \u2066x\u2069"
role = "principal"

[[issues]]
id = "land"
title = "Land"
category = "territory"
options = [{ id = "keep" }, { id = "give" }]

[[positions]]
party = "a"
issue = "land"
stances = { keep = "preferred", give = "acceptable" }

[[positions]]
party = "b"
issue = "land"
stances = { keep = "acceptable", give = "preferred" }

[[claims]]
id = "c1"
claimant = "a"
statement = "It \u001b[2Jhappened\u007f.\r\nforged line"
status = "contested"

[[claims]]
id = "c2"
claimant = "b"
statement = "It did not."
status = "contested"
disputes = "c1"
"#;

/// Whether the text holds a character that could control a terminal (a line break aside).
fn has_controls(text: &str) -> bool {
    text.chars().any(|character| {
        matches!(character, '\u{0}'..='\u{9}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

#[test]
fn scenario_text_reaches_the_terminal_with_its_control_characters_escaped() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("hostile.toml"), HOSTILE).unwrap();
    for args in [
        &["analyze", "hostile.toml", "--samples", "0"][..],
        &["analyze", "hostile.toml", "--record-only", "--color", "always"],
        &["simulate", "hostile.toml"],
    ] {
        let output = parley().current_dir(temp.path()).args(args).output().unwrap();
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        let stdout = String::from_utf8(output.stdout).unwrap();
        let scenario_text =
            stdout.replace("\u{1b}[1m", "").replace("\u{1b}[4m", "").replace("\u{1b}[0m", "");
        assert!(!has_controls(&scenario_text) || args.contains(&"always"), "{args:?}: {stdout:?}");
        assert!(stdout.contains(r"Talks \u{1b}]0;pwned\u{7} \u{9b}31m"), "{args:?}: {stdout}");
        // A simulation names parties by id; the report by name too.
        if args[0] == "analyze" {
            assert!(stdout.contains(r"\u{1b}[31mRED\u{1b}[0m"), "{args:?}: {stdout}");
            assert!(
                stdout.contains(r"B \u{202e}evil\u{202c} \u{2066}x\u{2069}"),
                "{args:?}: {stdout}"
            );
            assert!(
                stdout.contains(r"It \u{1b}[2Jhappened\u{7f}.\u{d}\u{a}forged line"),
                "{args:?}: {stdout}"
            );
        }
    }
    // Colour on: the only escape sequences are the report's own styles.
    let output = parley()
        .current_dir(temp.path())
        .args(["analyze", "hostile.toml", "--record-only", "--color", "always"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let without_styles = stdout
        .split('\u{1b}')
        .skip(1)
        .filter(|rest| {
            !(rest.starts_with('[')
                && rest[1..]
                    .trim_start_matches(|c: char| c.is_ascii_digit() || c == ';')
                    .starts_with('m'))
        })
        .count();
    assert_eq!(without_styles, 0, "{stdout:?}");
    assert!(!stdout.contains('\u{9b}') && !stdout.contains('\u{202e}'), "{stdout:?}");
}

#[test]
fn errors_quoting_scenario_text_have_their_control_characters_escaped() {
    let temp = tempfile::tempdir().unwrap();
    let broken = HOSTILE.replace(
        "did not.\"\nstatus = \"contested\"",
        "did not.\"\nstatus = \"x\\u001b[31m\\nforged: 0 error(s)\"",
    );
    std::fs::write(temp.path().join("broken.toml"), broken).unwrap();
    let check = parley().current_dir(temp.path()).args(["check", "broken.toml"]).output().unwrap();
    assert_eq!(check.status.code(), Some(1));
    let stdout = String::from_utf8(check.stdout).unwrap();
    assert!(!has_controls(&stdout), "{stdout:?}");
    assert!(stdout.contains(r"\u{1b}[31m\u{a}forged"), "{stdout}");
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    let analyze =
        parley().current_dir(temp.path()).args(["analyze", "broken.toml"]).output().unwrap();
    assert_eq!(analyze.status.code(), Some(2));
    let stderr = String::from_utf8(analyze.stderr).unwrap();
    assert!(!has_controls(&stderr), "{stderr:?}");
    assert!(stderr.contains(r"\u{1b}[31m\u{a}forged"), "{stderr}");
}

#[test]
fn a_reservation_below_every_outcome_and_an_unrecorded_importance_are_explained() {
    // North's reservation 0.1 is below the least any outcome gives it (0.2), so its
    // disagreement value is 0.2; South records no reservation and no importance for 'fees'.
    let temp = tempfile::tempdir().unwrap();
    let scenario = r#"
[scenario]
id = "small"
title = "Small"

[[parties]]
id = "north"
name = "North"
role = "principal"
reservation = { value = 0.1 }

[[parties]]
id = "south"
name = "South"
role = "principal"

[[issues]]
id = "harbour"
title = "Harbour"
category = "territory"
options = [{ id = "north" }, { id = "south" }]

[[issues]]
id = "fees"
title = "Fees"
category = "other"
options = [{ id = "low" }, { id = "high" }]

[[positions]]
party = "north"
issue = "harbour"
weight = 1
stances = { north = 1.0, south = 0.2 }

[[positions]]
party = "north"
issue = "fees"
weight = 0

[[positions]]
party = "south"
issue = "harbour"
importance = "high"
stances = { north = 0.0, south = 1.0 }

[[positions]]
party = "south"
issue = "fees"
stances = { low = 1.0, high = 0.0 }
"#;
    std::fs::write(temp.path().join("small.toml"), scenario).unwrap();
    let output = parley()
        .current_dir(temp.path())
        .args(["analyze", "small.toml", "--samples", "0"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("  disagreement point: north 0.200, south 0.000\n"), "{text}");
    assert!(
        text.contains("  note: north's reservation 0.1 is below its lowest utility over all outcomes, 0.200: every outcome is worth more to it than no deal, so its disagreement value is that lowest utility\n"),
        "{text}"
    );
    assert!(
        text.contains("  note: south has no recorded reservation: its disagreement value is its lowest utility over all outcomes, 0.000\n"),
        "{text}"
    );
    assert!(
        text.contains("  note: an issue whose importance to a party is not recorded (marked ?; south) takes the scale's unknown raw weight [2, 8], point estimate 5,"),
        "{text}"
    );
    assert!(text.contains("    south: harbour 0.545*, fees 0.455?\n"), "{text}");
    let json = parley()
        .current_dir(temp.path())
        .args(["analyze", "small.toml", "--samples", "0", "--json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["notes"].as_array().map(Vec::len), Some(3), "{}", report["notes"]);
}

#[test]
fn exact_numbers_read_as_numbers_and_empty_sections_say_so() {
    assert_cmd_snapshot!(parley().current_dir(data("")).args([
        "analyze",
        "bare.toml",
        "--samples",
        "0"
    ]));
}

/// The sizes, counts left out and listing rule of a JSON report's frontiers, one per line.
fn frontier_listing(report: &serde_json::Value) -> String {
    let mut lines = Vec::new();
    for field in ["pareto_frontier", "unrestricted_pareto_frontier"] {
        let listed: Vec<String> = report[field]
            .as_array()
            .unwrap()
            .iter()
            .map(|outcome| {
                let utilities: Vec<String> = outcome["utilities"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(party, utility)| format!("{party} {:.3}", utility.as_f64().unwrap()))
                    .collect();
                utilities.join(" ")
            })
            .collect();
        lines.push(format!(
            "{field}: {} listed, size {}, omitted {}",
            listed.len(),
            report[format!("{field}_size")],
            report[format!("{field}_omitted")]
        ));
        lines.extend(listed.iter().map(|listed| format!("  {listed}")));
    }
    lines.push(format!("frontier_listing: {}", report["frontier_listing"]));
    lines.join("\n")
}

fn json_report(args: &[&str]) -> serde_json::Value {
    let output =
        parley().args(["analyze", "--json", "--samples", "0"]).args(args).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn max_points_lists_a_sample_of_a_larger_frontier_and_says_how_many_it_leaves_out() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zone.toml");
    crate::helpers::write_builtin_with_a_zone(&path);
    let path = path.to_str().unwrap();
    let full = json_report(&[path, "--full"]);
    let size = full["unrestricted_pareto_frontier"].as_array().unwrap().len();
    assert!(size > 3, "the frontier has {size} outcomes");
    assert_eq!(full["unrestricted_pareto_frontier_size"], size);
    assert_eq!(full["unrestricted_pareto_frontier_omitted"], 0);
    assert_eq!(full["frontier_listing"], "all");
    let sampled = json_report(&[path, "--max-points", "3"]);
    assert_eq!(sampled["unrestricted_pareto_frontier_size"], size);
    assert_eq!(sampled["unrestricted_pareto_frontier_omitted"], size - 3);
    // The packages are computed on the whole frontier, whatever is listed.
    assert_eq!(sampled["solutions"], full["solutions"]);
    insta::assert_snapshot!(frontier_listing(&sampled));
    // The sample's ends are the least and the most of the first party's utility.
    let first = |outcome: &serde_json::Value| {
        outcome["utilities"].as_object().unwrap().values().next().unwrap().as_f64().unwrap()
    };
    let all: Vec<f64> =
        full["unrestricted_pareto_frontier"].as_array().unwrap().iter().map(first).collect();
    let listed: Vec<f64> =
        sampled["unrestricted_pareto_frontier"].as_array().unwrap().iter().map(first).collect();
    assert_eq!(listed[0], all.iter().copied().fold(f64::INFINITY, f64::min));
    assert_eq!(listed[2], all.iter().copied().fold(f64::NEG_INFINITY, f64::max));
    let refused = parley().args(["analyze", "--full", "--max-points", "3"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(2), "--full and --max-points conflict");
}

#[test]
fn the_terminal_shows_a_frontier_by_its_size_and_an_evenly_spaced_sample() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zone.toml");
    crate::helpers::write_builtin_with_a_zone(&path);
    let output = parley().args(["analyze", "--samples", "0"]).arg(&path).output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let start = text.find("  Pareto frontier:").expect("the frontier's line");
    let lines: Vec<&str> =
        text[start..].lines().take_while(|line| !line.starts_with("  disagreement")).collect();
    insta::assert_snapshot!(lines.join("\n"));
}
