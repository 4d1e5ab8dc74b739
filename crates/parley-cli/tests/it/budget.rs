//! `parley analyze` on scenarios too large to analyse naively: issues nobody has a position on
//! are reported as any option, and a work budget cuts steps short with the exit code 3.

use std::path::Path;

use parley_model::builtin::TALKS_2025_TOML;

use crate::helpers::{WEAKER_READING, parley};

/// `n_issues` issues of `n_options` options each, on which no party has a position.
fn unpositioned_issues(n_issues: usize, n_options: usize) -> String {
    (0..n_issues)
        .map(|issue_idx| {
            let options: Vec<String> =
                (0..n_options).map(|option_idx| format!("{{ id = \"o{option_idx}\" }}")).collect();
            format!(
                "\n[[issues]]\nid = \"extra-{issue_idx}\"\ntitle = \"Extra {issue_idx}\"\ncategory = \"other\"\noptions = [{}]\n",
                options.join(", ")
            )
        })
        .collect()
}

/// Writes the built-in scenario, with the weaker reading of Ukraine's rejection that gives it
/// an agreement zone and with `extra` appended, to `dir/name`.
fn write_scenario(dir: &Path, name: &str, extra: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, TALKS_2025_TOML.to_owned() + WEAKER_READING + extra).unwrap();
    path
}

fn json_of(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("{err}: {}", String::from_utf8_lossy(&output.stderr)))
}

#[test]
fn sixty_issues_nobody_has_a_position_on_are_any_option_in_every_package() {
    let temp = tempfile::tempdir().unwrap();
    let file = write_scenario(temp.path(), "sixty.toml", &unpositioned_issues(60, 3));
    // No time limit, so that a slow machine gives the same report.
    let args = ["analyze".as_ref(), "--budget".as_ref(), "none".as_ref(), file.as_os_str()];
    let output = parley().args(args).args(["--json", "--samples", "100"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let report = json_of(&output);
    // The same 60 issues with one option each carry the same unknown weights but multiply
    // nothing: the zone over the decisive issues must be the same.
    let single = write_scenario(temp.path(), "single.toml", &unpositioned_issues(60, 1));
    let analysis_of_single = json_of(
        &parley().args(["analyze", "--json", "--samples", "0"]).arg(&single).output().unwrap(),
    );
    let indifferent = report["indifferent_issues"].as_array().unwrap();
    assert_eq!(indifferent.len(), 61, "financing and the 60 extra issues");
    assert_eq!(indifferent[1], "extra-0");
    assert_eq!(report["cut_short"], serde_json::json!([]));
    // 216 outcomes of the built-in issues times 3^60; the zone's outcomes times 3^60 are
    // beyond 2^64, so only the decisive count is a whole number.
    let outcomes = report["outcomes"].as_f64().unwrap();
    assert!((outcomes / (216.0 * 3f64.powi(60)) - 1.0).abs() < 1e-12);
    let zone = &report["agreement_zone"];
    assert_eq!((zone["exists"].as_bool(), zone["size"].as_u64()), (Some(true), None));
    assert_eq!(zone["decisive_size"], analysis_of_single["agreement_zone"]["decisive_size"]);
    for package in ["nash", "kalai", "egalitarian", "utilitarian"] {
        let outcomes = report["solutions"][package].as_array().unwrap();
        let single_outcomes = analysis_of_single["solutions"][package].as_array().unwrap();
        assert!(!outcomes.is_empty());
        assert_eq!(outcomes.len(), single_outcomes.len(), "{package}: no tie is multiplied");
        let outcome = outcomes[0]["outcome"].as_object().unwrap();
        assert_eq!(outcome.len(), 66);
        assert!(outcome["extra-59"].is_null() && outcome["financing"].is_null());
        assert!(outcome["donbas"].is_string());
    }
    let terminal = parley()
        .args(["analyze".as_ref(), "--samples".as_ref(), "0".as_ref(), file.as_os_str()])
        .output()
        .unwrap();
    let text = String::from_utf8(terminal.stdout).unwrap();
    assert!(text.contains("any option on 61 issue(s) no party tells apart"), "{text}");
    assert!(text.contains("any option on the 61 indifferent issue(s)"));
}

#[test]
fn a_step_budget_cuts_steps_short_and_says_what_holds() {
    let temp = tempfile::tempdir().unwrap();
    // An issue Russia has a position on, with 30 options: too large to answer on the spot.
    let extra = unpositioned_issues(1, 30)
        + "\n[[positions]]\nparty = \"russia\"\nissue = \"extra-0\"\nimportance = \"high\"\nstances = { o0 = \"preferred\", o1 = \"objection\" }\n";
    let file = write_scenario(temp.path(), "wide.toml", &extra);
    let args = [
        "analyze".as_ref(),
        "--samples".as_ref(),
        "20".as_ref(),
        "--budget".as_ref(),
        "none".as_ref(),
        file.as_os_str(),
    ];
    let output = parley().args(args).args(["--json", "--max-steps", "500"]).output().unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr
            .contains("was cut short by its budget (zone_size, unrestricted_frontier, robustness, relaxations)"),
        "{stderr}"
    );
    let report = json_of(&output);
    let steps: Vec<&str> = report["cut_short"]
        .as_array()
        .unwrap()
        .iter()
        .map(|cut| {
            assert_eq!(cut["limit"], "steps");
            cut["step"].as_str().unwrap()
        })
        .collect();
    assert_eq!(steps, ["zone_size", "unrestricted_frontier", "robustness", "relaxations"]);
    assert!(report["unrestricted_pareto_frontier"].is_null() && report["robustness"].is_null());
    assert!(report["relaxations"].is_null());
    let zone = &report["agreement_zone"];
    assert_eq!(
        (&zone["exists"], &zone["size"]),
        (&serde_json::json!(true), &serde_json::Value::Null)
    );
    assert!(report["pareto_frontier"].as_array().is_some_and(|frontier| !frontier.is_empty()));
    for evaluation in report["draft_evaluations"].as_array().unwrap() {
        assert!(evaluation["acceptance"].is_string());
        assert!(evaluation["distance_to_frontier"].is_null());
    }
    let terminal = parley().args(args).args(["--max-steps", "500"]).output().unwrap();
    assert_eq!(terminal.status.code(), Some(3));
    let text = String::from_utf8(terminal.stdout).unwrap();
    assert!(text.contains("Cut short (the work budget ran out"), "{text}");
    assert!(text.contains("unrestricted_frontier: ran past the limit of 500 steps"), "{text}");
    assert!(
        text.contains("an agreement zone, its size not computed (cut short: ran past"),
        "{text}"
    );
    assert!(text.contains("distance to the Pareto frontier not computed (cut short"), "{text}");
    // Without the limit, the same file is analysed in full.
    let full = parley().args(args).output().unwrap();
    assert_eq!(full.status.code(), Some(0), "{}", String::from_utf8_lossy(&full.stderr));
}

#[test]
fn budgets_are_read_with_their_units_and_refused_otherwise() {
    for budget in ["10s", "500ms", "2m", "1.5", "none"] {
        let output =
            parley().args(["analyze", "--samples", "0", "--budget", budget]).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{budget}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    for (flag, value) in
        [("--budget", "10x"), ("--budget", "0"), ("--max-steps", "three"), ("--max-memory", "12Q")]
    {
        let output = parley().args(["analyze", flag, value]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{flag} {value}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&format!("'{value}' is not")), "{stderr}");
    }
    let output = parley()
        .args(["analyze", "--samples", "0", "--max-memory", "1G", "--max-steps", "none"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn an_issue_of_twenty_thousand_options_is_analysed_at_once_and_bounded_in_memory() {
    let temp = tempfile::tempdir().unwrap();
    // Russia and Ukraine have stances on four of the options; on the others nobody has one.
    let extra = unpositioned_issues(1, 20_000)
        + "\n[[positions]]\nparty = \"russia\"\nissue = \"extra-0\"\nimportance = \"high\"\nstances = { o0 = \"preferred\", o1 = \"objection\", o2 = \"workable\" }\n"
        + "\n[[positions]]\nparty = \"ukraine\"\nissue = \"extra-0\"\nimportance = \"medium\"\nstances = { o1 = \"preferred\", o3 = \"red-line\" }\n";
    let file = write_scenario(temp.path(), "wide.toml", &extra);
    let args = [
        "analyze".as_ref(),
        "--json".as_ref(),
        "--samples".as_ref(),
        "0".as_ref(),
        file.as_os_str(),
    ];
    let output = parley().args(args).args(["--budget", "none"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let report = json_of(&output);
    assert_eq!(report["cut_short"], serde_json::json!([]));
    assert_eq!(report["agreement_zone"]["decisive_size"], 239_994);
    assert!(!report["pareto_frontier"].as_array().unwrap().is_empty());
    // With a megabyte for each step's sets, the frontier of all outcomes (which builds 20,000
    // candidates per point of the layer before) is refused before it is built.
    let output =
        parley().args(args).args(["--budget", "none", "--max-memory", "1M"]).output().unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", String::from_utf8_lossy(&output.stderr));
    let report = json_of(&output);
    let cut = report["cut_short"].as_array().unwrap();
    assert!(cut.iter().any(|cut| cut["limit"] == "memory"), "{cut:?}");
    for cut in cut {
        let message = cut["message"].as_str().unwrap();
        assert!(message.starts_with("ran past the memory limit of 1 MiB"), "{message}");
    }
}
