//! `parley simulate` and `parley tournament` on the built-in scenario and a GENIUS folder.

use crate::helpers::parley;

fn json_without_elapsed(args: &[&str]) -> serde_json::Value {
    let output = parley().args(args).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    json.as_object_mut().unwrap().remove("elapsed_seconds");
    json
}

#[test]
fn a_simulation_of_the_builtin_scenario_ends_without_agreement() {
    let json = json_without_elapsed(&["simulate", "--json"]);
    assert_eq!(json["parties"], serde_json::json!(["russia", "ukraine", "europe"]));
    assert_eq!(json["format"], "parley-simulation/2");
    assert!(json["summary"]["agreement"].is_null(), "{}", json["summary"]);
}

#[test]
fn a_simulation_of_the_builtin_scenario_read_with_a_zone_agrees_on_the_frontier() {
    let temp = tempfile::tempdir().unwrap();
    let file = temp.path().join("zone.toml");
    crate::helpers::write_builtin_with_a_zone(&file);
    let json = json_without_elapsed(&["simulate", "--json", file.to_str().unwrap()]);
    let summary = &json["summary"];
    assert_eq!(json["parties"], serde_json::json!(["russia", "ukraine", "europe"]));
    assert_eq!(summary["agreement"]["donbas"], "cede-all");
    // Utilities and strategies are keyed by party, outcomes by issue, in the scenario's order.
    let keys = |value: &serde_json::Value| -> Vec<String> {
        value.as_object().expect("an object").keys().cloned().collect()
    };
    let parties = ["russia", "ukraine", "europe"];
    assert_eq!(keys(&summary["utilities"]), parties);
    assert_eq!(keys(&json["strategies"]), parties);
    let issues: Vec<String> = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|issue| issue.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(keys(&summary["agreement"]), issues);
    for event in json["transcript"].as_array().unwrap() {
        assert_eq!(keys(&event["utilities"]), parties);
        assert_eq!(keys(&event["outcome"]), issues);
    }
    assert_eq!(summary["distance_to_frontier"], 0.0);
    assert!(summary["distance_to_nash"].as_f64().is_some());
    assert!(summary["rounds"].as_u64().unwrap() <= json["deadline_rounds"].as_u64().unwrap());
}

#[test]
fn the_same_seed_gives_the_same_transcript_for_every_protocol() {
    for protocol in
        ["alternating-offers", "single-text-hill-climbing", "single-text-veto", "shuttle"]
    {
        let args = [
            "simulate",
            "--json",
            "--protocol",
            protocol,
            "--strategies",
            "random,boulware",
            "--seed",
            "3",
        ];
        assert_eq!(json_without_elapsed(&args), json_without_elapsed(&args), "{protocol}");
    }
}

#[test]
fn an_unknown_strategy_is_named_in_the_error() {
    let output = parley().args(["simulate", "--strategies", "boulware,stubborn"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("'stubborn'"));
}

#[test]
fn a_tournament_writes_its_csv_json_and_html() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("results");
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/talks-2025.toml");
    let output = parley()
        .args([
            "tournament",
            scenario,
            "--seeds",
            "2",
            "--strategies",
            "boulware,conceder",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let csv = std::fs::read_to_string(out.join("results.csv")).unwrap();
    // Two seeds of four ordered strategy pairs, plus the header.
    assert_eq!(csv.lines().count(), 1 + 2 * 4, "{csv}");
    // Tidy: one column per party's strategy and utility and per issue's agreed option.
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(
        header,
        [
            "scenario",
            "protocol",
            "mediator",
            "profile",
            "seed",
            "agreement",
            "rounds",
            "strategy_russia",
            "strategy_ukraine",
            "strategy_europe",
            "utility_russia",
            "utility_ukraine",
            "utility_europe",
            "option_donbas",
            "option_nato",
            "option_security-guarantees",
            "option_financing",
            "option_europe-seat",
            "option_borders",
            "distance_to_nash",
            "distance_to_frontier",
            "offer_evaluations",
            "elapsed_seconds",
        ]
    );
    let mut reader = csv::Reader::from_path(out.join("results.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 8);
    for row in &rows {
        assert_eq!(row.len(), header.len(), "{row:?}");
        assert_eq!(&row[1], "alternating-offers");
        assert!(["true", "false"].contains(&&row[5]), "{row:?}");
        for utility in (10..13).map(|idx| &row[idx]) {
            let utility: f64 = utility.parse().unwrap();
            assert!((0.0..=1.0).contains(&utility), "{row:?}");
        }
        // The agreed options are named only where the run agreed.
        let agreed = &row[5] == "true";
        assert!(row.iter().skip(13).take(6).all(|option| option.is_empty() != agreed), "{row:?}");
    }
    let first = &rows[0];
    assert_eq!((&first[3], &first[4]), ("alternating-offers boulware", "0"));
    assert_eq!((&first[7], &first[8], &first[9]), ("boulware", "boulware", "boulware"));
    let mixed = &rows[2];
    assert_eq!((&mixed[7], &mixed[8], &mixed[9]), ("boulware", "conceder", "conceder"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    assert_eq!(json["format"], "parley-tournament/2");
    assert_eq!(json["scenarios"][0]["parties"], serde_json::json!(["russia", "ukraine", "europe"]));
    for row in json["rows"].as_array().unwrap() {
        let utilities = row["utilities"].as_object().expect("utilities keyed by party");
        assert_eq!(utilities.keys().collect::<Vec<_>>(), ["russia", "ukraine", "europe"]);
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    // The page is drawn like the analysis report: its style sheet and a plotters figure.
    assert!(html.contains(parley_report::html::STYLE), "the report's style sheet");
    assert!(
        html.contains("Agreement rate") && html.contains("<svg class=\"fig boxplot\""),
        "{html}"
    );
    assert!(html.contains("talks-2025"), "{html}");
}

#[test]
fn a_tournament_overwrites_earlier_results_only_with_force() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("results");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("results.json"), "precious").unwrap();
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scenarios/talks-2025.toml");
    let run = |force: bool| {
        let mut command = parley();
        command.args(["tournament", scenario, "--seeds", "1", "--strategies", "linear", "--out"]);
        command.arg(&out);
        if force {
            command.arg("--force");
        }
        command.output().unwrap()
    };
    let refused = run(false);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("results.json' exists; pass --force"), "{stderr}");
    assert_eq!(std::fs::read_to_string(out.join("results.json")).unwrap(), "precious");
    assert!(!out.join("results.csv").exists(), "nothing written when refused");
    let forced = run(true);
    assert!(forced.status.success(), "{}", String::from_utf8_lossy(&forced.stderr));
    assert_ne!(std::fs::read_to_string(out.join("results.json")).unwrap(), "precious");
}

#[test]
fn a_transcript_names_the_issues_and_the_parties_of_each_number() {
    let output = parley()
        .args(["simulate", "--seed", "1", "--rounds", "2", "--strategies", "linear"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // The first offer, as issue=option pairs, then each party's utility of it by name; the
    // answer to it does not repeat it.
    assert_eq!(
        lines[5],
        "   0 russia   offer   donbas=cede-all, nato=renounce, security-guarantees=matching, financing=europe-finances, europe-seat=consulted, borders=recognise",
        "{text}"
    );
    assert_eq!(
        lines[6], "                      utilities: russia 0.759, ukraine 0.252, europe 0.562",
        "{text}"
    );
    assert_eq!(lines[7], "   0 ukraine  reject  the same outcome", "{text}");
    assert!(!text.contains('['), "{text}");
}
