//! `parley import geniusweb`, `parley export geniusweb`, and `parley analyze` and `parley check`
//! on GeniusWeb folders.

use std::path::Path;

use insta_cmd::assert_cmd_snapshot;

use crate::helpers::parley;

const DOMAIN: &str = r#"{
  "name": "rental",
  "issuesValues": {
    "car": {"values": ["small", "large", "van"]},
    "days": {"range": {"low": 1, "high": 3, "step": 1}}
  }
}
"#;

fn profile(
    name: &str,
    weights: (f64, f64),
    car: (f64, f64, f64),
    days: (f64, f64),
    bid: &str,
) -> String {
    let domain = DOMAIN.trim_end().replace('\n', "\n    ");
    format!(
        r#"{{
  "LinearAdditiveUtilitySpace": {{
    "name": "{name}",
    "domain": {domain},
    "issueUtilities": {{
      "car": {{"DiscreteValueSetUtilities": {{"valueUtilities": {{"small": {}, "large": {}, "van": {}}}}}}},
      "days": {{"NumberValueSetUtilities": {{"lowValue": 1, "lowUtility": {}, "highValue": 3, "highUtility": {}}}}}
    }},
    "issueWeights": {{"car": {}, "days": {}}},
    "reservationBid": {bid}
  }}
}}
"#,
        car.0, car.1, car.2, days.0, days.1, weights.0, weights.1
    )
}

/// A small GeniusWeb folder of our own: a domain and two profiles, one with a reservation bid.
fn write_folder(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("rental.json"), DOMAIN).unwrap();
    let customer = profile(
        "customer",
        (0.6, 0.4),
        (1.0, 0.5, 0.0),
        (0.0, 1.0),
        r#"{"issuevalues": {"car": "large", "days": 2}}"#,
    );
    std::fs::write(dir.join("customer.json"), customer).unwrap();
    std::fs::write(
        dir.join("agency.json"),
        profile("agency", (0.5, 0.5), (0.0, 0.4, 1.0), (1.0, 0.2), "null"),
    )
    .unwrap();
}

fn temp_with_folder() -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    write_folder(&temp.path().join("rental"));
    temp
}

#[test]
fn import_writes_the_scenario() {
    let temp = temp_with_folder();
    assert_cmd_snapshot!(parley().current_dir(temp.path()).args([
        "import",
        "geniusweb",
        "rental",
        "-o",
        "rental.toml"
    ]));
    insta::assert_snapshot!(std::fs::read_to_string(temp.path().join("rental.toml")).unwrap());
}

#[test]
fn export_writes_a_domain_and_a_profile_per_party_and_reads_back_the_same() {
    let temp = temp_with_folder();
    let dir = temp.path();
    let run = |args: &[&str]| {
        let output = parley().current_dir(dir).args(args).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    };
    run(&["import", "geniusweb", "rental", "-o", "first.toml"]);
    assert_cmd_snapshot!(parley().current_dir(dir).args([
        "export",
        "geniusweb",
        "first.toml",
        "-o",
        "out"
    ]));
    let mut names: Vec<String> = std::fs::read_dir(dir.join("out"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["agency.json", "customer.json", "rental.json"]);
    insta::assert_snapshot!(std::fs::read_to_string(dir.join("out/customer.json")).unwrap());
    run(&["import", "geniusweb", "out", "-o", "second.toml"]);
    assert_eq!(
        std::fs::read_to_string(dir.join("second.toml")).unwrap(),
        std::fs::read_to_string(dir.join("first.toml")).unwrap()
    );
    // Again without --force: refused, naming the GeniusWeb files already there.
    assert_cmd_snapshot!(parley().current_dir(dir).args([
        "export",
        "geniusweb",
        "first.toml",
        "-o",
        "out"
    ]));
}

#[test]
fn the_builtin_scenario_exports_with_notes_on_what_geniusweb_cannot_hold() {
    let temp = tempfile::tempdir().unwrap();
    // Its red lines and Europe's partial consent would change the answer: refused, nothing
    // written, unless --lossy.
    let refused = parley()
        .current_dir(temp.path())
        .args(["export", "geniusweb", "-o", "talks"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains(
            "the export would change the answer: the agreement zone goes from no zone to"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("because GeniusWeb cannot hold russia's red lines on donbas"),
        "{stderr}"
    );
    assert!(stderr.contains("pass --lossy"), "{stderr}");
    assert!(!temp.path().join("talks").exists());
    assert_cmd_snapshot!(parley().current_dir(temp.path()).args([
        "export",
        "geniusweb",
        "-o",
        "talks",
        "--lossy"
    ]));
    let check = parley().current_dir(temp.path()).args(["check", "talks"]).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
}

#[test]
fn analyze_reads_a_geniusweb_folder() {
    let temp = temp_with_folder();
    assert_cmd_snapshot!(parley().current_dir(temp.path()).args([
        "analyze",
        "rental",
        "--samples",
        "0",
        "--threads",
        "1"
    ]));
}

#[test]
fn a_bad_file_is_named_with_its_line_and_column() {
    let temp = temp_with_folder();
    let path = temp.path().join("rental/agency.json");
    let text = std::fs::read_to_string(&path).unwrap().replace("\"van\": 1", "\"bus\": 1");
    std::fs::write(&path, text).unwrap();
    assert_cmd_snapshot!(parley().current_dir(temp.path()).args(["analyze", "rental"]));
    assert_cmd_snapshot!(parley().current_dir(temp.path()).args(["check", "rental"]));
}

#[test]
fn export_with_force_replaces_only_the_geniusweb_files() {
    let temp = temp_with_folder();
    let dir = temp.path();
    std::fs::write(dir.join("rental/notes.json"), "not GeniusWeb").unwrap();
    std::fs::write(dir.join("rental/README.txt"), "kept").unwrap();
    let output = parley()
        .current_dir(dir)
        .args(["export", "geniusweb", "-o", "rental", "--force", "--lossy"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut names: Vec<String> = std::fs::read_dir(dir.join("rental"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "README.txt",
            "europe.json",
            "notes.json",
            "russia.json",
            "talks-2025.json",
            "ukraine.json"
        ]
    );
    assert_eq!(std::fs::read_to_string(dir.join("rental/notes.json")).unwrap(), "not GeniusWeb");
}
