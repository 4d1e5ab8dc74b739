//! `parley import genius`, `parley export genius` and `parley analyze DIR` on GENIUS folders.

use std::path::{Path, PathBuf};

use crate::helpers::parley;

/// A small GENIUS scenario folder of our own: a domain and two profiles.
fn write_small_genius_folder(dir: &Path) {
    let domain = r#"<negotiation_template><utility_space number_of_issues="2"><objective index="0" name="root" type="objective" etype="objective">
<issue index="1" name="Price" type="discrete" etype="discrete" vtype="discrete"><item index="1" value="low"/><item index="2" value="high"/></issue>
<issue index="2" name="Delivery" type="discrete" etype="discrete" vtype="discrete"><item index="1" value="fast"/><item index="2" value="slow"/></issue>
</objective></utility_space></negotiation_template>"#;
    let profile = |low: u32, high: u32, fast: u32, slow: u32| {
        format!(
            r#"<utility_space><objective index="0" name="root" type="objective" etype="objective">
<issue index="1" name="Price" type="discrete" etype="discrete" vtype="discrete"><item index="1" value="low" evaluation="{low}"/><item index="2" value="high" evaluation="{high}"/></issue>
<issue index="2" name="Delivery" type="discrete" etype="discrete" vtype="discrete"><item index="1" value="fast" evaluation="{fast}"/><item index="2" value="slow" evaluation="{slow}"/></issue>
<weight index="1" value="0.6"/><weight index="2" value="0.4"/>
</objective><reservation value="0.2"/><discount_factor value="0.95"/></utility_space>"#
        )
    };
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("shop_domain.xml"), domain).unwrap();
    std::fs::write(dir.join("buyer.xml"), profile(10, 2, 8, 4)).unwrap();
    std::fs::write(dir.join("seller.xml"), profile(1, 5, 3, 6)).unwrap();
}

fn run_ok(args: &[&std::ffi::OsStr]) -> String {
    let output = parley().args(args).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn import_then_export_then_import_gives_the_same_file() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("shop");
    write_small_genius_folder(&folder);
    let first: PathBuf = temp.path().join("shop.toml");
    run_ok(&[
        "import".as_ref(),
        "genius".as_ref(),
        folder.as_os_str(),
        "-o".as_ref(),
        first.as_os_str(),
    ]);
    let exported = temp.path().join("exported");
    run_ok(&[
        "export".as_ref(),
        "genius".as_ref(),
        first.as_os_str(),
        "-o".as_ref(),
        exported.as_os_str(),
    ]);
    let second = temp.path().join("again.toml");
    run_ok(&[
        "import".as_ref(),
        "genius".as_ref(),
        exported.as_os_str(),
        "-o".as_ref(),
        second.as_os_str(),
    ]);
    let first_text = std::fs::read_to_string(&first).unwrap();
    assert_eq!(std::fs::read_to_string(&second).unwrap(), first_text);
    assert!(first_text.contains("discount_factor = 0.95"));
}

#[test]
fn analyze_reads_a_genius_folder_directly() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("shop");
    write_small_genius_folder(&folder);
    let report: serde_json::Value =
        serde_json::from_str(&run_ok(&["analyze".as_ref(), folder.as_os_str(), "--json".as_ref()]))
            .unwrap();
    assert_eq!(report["parties"], serde_json::json!(["buyer", "seller"]));
    assert_eq!(report["scenario"]["id"], "shop");
}

#[test]
fn an_existing_output_is_not_overwritten_without_force() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("shop");
    write_small_genius_folder(&folder);
    let output = temp.path().join("kept.toml");
    std::fs::write(&output, "precious").unwrap();
    let result = parley()
        .args([
            "import".as_ref(),
            "genius".as_ref(),
            folder.as_os_str(),
            "-o".as_ref(),
            output.as_os_str(),
        ])
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).contains("pass --force"));
    assert_eq!(std::fs::read_to_string(&output).unwrap(), "precious");
}

#[test]
fn a_broken_profile_is_named_with_its_line_and_column() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("shop");
    write_small_genius_folder(&folder);
    let broken = std::fs::read_to_string(folder.join("seller.xml"))
        .unwrap()
        .replace("evaluation=\"5\"", "evaluation=\"five\"");
    std::fs::write(folder.join("seller.xml"), broken).unwrap();
    let result = parley().args(["analyze".as_ref(), folder.as_os_str()]).output().unwrap();
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("seller.xml:2:"), "{stderr}");
    assert!(stderr.contains("'five'"), "{stderr}");
}

#[test]
fn check_reads_genius_folders_too() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("shop");
    write_small_genius_folder(&folder);
    let clean = parley().args(["check".as_ref(), folder.as_os_str()]).output().unwrap();
    assert!(clean.status.success());
    assert!(String::from_utf8_lossy(&clean.stdout).ends_with("shop: 0 error(s), 0 warning(s)\n"));
    std::fs::write(folder.join("seller.xml"), "<utility_space><objective").unwrap();
    let broken = parley().args(["check".as_ref(), folder.as_os_str()]).output().unwrap();
    assert_eq!(broken.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert!(stdout.contains("seller.xml:1:") && stdout.contains(": 1 error(s)"), "{stdout}");
}

/// The names of a folder's entries, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn export(scenario: Option<&Path>, output: &Path, force: bool) -> std::process::Output {
    let mut command = parley();
    // The built-in scenario's red lines change its answer in GENIUS: these tests are about
    // the folder, so they take the loss.
    command.args(["export", "genius", "--lossy"]);
    if let Some(scenario) = scenario {
        command.arg(scenario);
    }
    command.arg("-o").arg(output);
    if force {
        command.arg("--force");
    }
    command.output().unwrap()
}

#[test]
fn export_with_force_replaces_the_genius_files_of_another_scenario() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("shop");
    write_small_genius_folder(&folder);
    let shop = temp.path().join("shop.toml");
    run_ok(&[
        "import".as_ref(),
        "genius".as_ref(),
        folder.as_os_str(),
        "-o".as_ref(),
        shop.as_os_str(),
    ]);
    let out = temp.path().join("out");
    assert!(export(None, &out, false).status.success());
    assert_eq!(entries(&out), ["europe.xml", "russia.xml", "talks-2025_domain.xml", "ukraine.xml"]);
    std::fs::write(out.join("README.txt"), "notes").unwrap();
    std::fs::create_dir(out.join("old runs")).unwrap();
    std::fs::write(out.join("old runs").join("run.csv"), "1,2").unwrap();

    // Without --force: refused, and nothing changes.
    let refused = export(Some(&shop), &out, false);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("holds a GENIUS scenario already ('europe.xml', 'russia.xml', 'talks-2025_domain.xml', 'ukraine.xml'); pass --force"),
        "{stderr}"
    );
    assert_eq!(entries(&out).len(), 6);

    // With --force: the other scenario's files are gone, the other files are kept.
    let replaced = export(Some(&shop), &out, true);
    assert!(replaced.status.success(), "{}", String::from_utf8_lossy(&replaced.stderr));
    assert_eq!(
        entries(&out),
        ["README.txt", "buyer.xml", "old runs", "seller.xml", "shop_domain.xml"]
    );
    assert_eq!(std::fs::read_to_string(out.join("README.txt")).unwrap(), "notes");
    assert_eq!(std::fs::read_to_string(out.join("old runs").join("run.csv")).unwrap(), "1,2");
    let again = temp.path().join("again.toml");
    run_ok(&[
        "import".as_ref(),
        "genius".as_ref(),
        out.as_os_str(),
        "-o".as_ref(),
        again.as_os_str(),
    ]);
    assert_eq!(std::fs::read_to_string(&again).unwrap(), std::fs::read_to_string(&shop).unwrap());
    // Nothing is left beside the folder.
    assert_eq!(entries(temp.path()), ["again.toml", "out", "shop", "shop.toml"]);
}

#[test]
fn a_failed_export_leaves_the_folder_as_it_was() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    assert!(export(None, &out, false).status.success());
    std::fs::create_dir(out.join("sub")).unwrap();
    // A file the export would write, but not a GENIUS file: it is not replaced.
    std::fs::write(out.join("russia.xml.bak"), "backup").unwrap();
    std::fs::write(out.join("ukraine.xml"), "<not GENIUS>").unwrap();
    let before: Vec<(String, Vec<u8>)> = entries(&out)
        .into_iter()
        .map(|name| {
            let bytes = std::fs::read(out.join(&name)).unwrap_or_default();
            (name, bytes)
        })
        .collect();
    let failed = export(None, &out, true);
    assert_eq!(failed.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("ukraine.xml' would be replaced, but it is not a file this command wrote"),
        "{stderr}"
    );
    let after: Vec<(String, Vec<u8>)> = entries(&out)
        .into_iter()
        .map(|name| {
            let bytes = std::fs::read(out.join(&name)).unwrap_or_default();
            (name, bytes)
        })
        .collect();
    assert_eq!(after, before);
    assert_eq!(entries(temp.path()), ["out"]);
}

/// A GENIUS folder of our own with a real (continuous) issue beside a discrete one.
fn write_real_genius_folder(dir: &Path) {
    let domain = r#"<negotiation_template><utility_space><objective index="0" name="root" type="objective" etype="objective">
<issue index="1" name="Price" vtype="real" type="real" etype="real"><range lowerbound="10" upperbound="40"/></issue>
<issue index="2" name="Delivery" type="discrete"><item index="1" value="fast"/><item index="2" value="slow"/></issue>
</objective></utility_space></negotiation_template>"#;
    let profile = |evaluator: &str, fast: u32, slow: u32| {
        format!(
            r#"<utility_space><objective index="0" name="root" type="objective" etype="objective">
<issue index="1" name="Price" vtype="real" type="real" etype="real"><range lowerbound="10" upperbound="40"/>{evaluator}</issue>
<issue index="2" name="Delivery" type="discrete"><item index="1" value="fast" evaluation="{fast}"/><item index="2" value="slow" evaluation="{slow}"/></issue>
<weight index="1" value="0.7"/><weight index="2" value="0.3"/>
</objective></utility_space>"#
        )
    };
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("sale_domain.xml"), domain).unwrap();
    let buyer =
        r#"<evaluator ftype="linear" parameter0="1.3333333333" parameter1="-0.033333333"/>"#;
    let seller =
        r#"<evaluator ftype="triangular" parameter0="15" parameter1="45" parameter2="35"/>"#;
    std::fs::write(dir.join("buyer.xml"), profile(buyer, 9, 3)).unwrap();
    std::fs::write(dir.join("seller.xml"), profile(seller, 2, 6)).unwrap();
}

#[test]
fn a_real_issue_is_analysed_on_a_grid_that_the_report_names_as_an_approximation() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("sale");
    write_real_genius_folder(&folder);
    let text =
        run_ok(&["analyze".as_ref(), folder.as_os_str(), "--samples".as_ref(), "0".as_ref()]);
    assert!(text.contains("Analysis (exact on a grid of the continuous issues"), "{text}");
    assert!(text.contains("'Price' from 10 to 40 on 11 numbers 3 apart"), "{text}");
    assert!(text.contains("22 outcomes"), "{text}");
    let json = |grid: &str| -> serde_json::Value {
        let args: [&std::ffi::OsStr; 6] = [
            "analyze".as_ref(),
            folder.as_os_str(),
            "--json".as_ref(),
            "--samples".as_ref(),
            "0".as_ref(),
            grid.as_ref(),
        ];
        serde_json::from_str(&run_ok(&args)).unwrap()
    };
    let coarse = json("--grid=4");
    let grid = &coarse["grid_approximation"];
    assert_eq!(grid["issues"][0]["numbers"], 4);
    assert_eq!(grid["issues"][0]["step"], 10.0);
    assert_eq!(coarse["outcomes"], 8.0);
    // Buyer: weight 0.7, slope 1/30, half a step 5: 0.7 / 6.
    let buyer = grid["max_utility_error"]["buyer"].as_f64().unwrap();
    assert!((buyer - 0.7 / 6.0).abs() < 1e-6, "{buyer}");
    let fine = json("--grid=301");
    let fine_error = fine["grid_approximation"]["max_utility_error"]["buyer"].as_f64().unwrap();
    assert!(fine_error < buyer / 50.0, "{fine_error}");
    // A discrete scenario has no approximation to report.
    let shop = temp.path().join("shop");
    write_small_genius_folder(&shop);
    let exact: serde_json::Value =
        serde_json::from_str(&run_ok(&["analyze".as_ref(), shop.as_os_str(), "--json".as_ref()]))
            .unwrap();
    assert!(exact.get("grid_approximation").is_none());
}

#[test]
fn a_real_issue_round_trips_through_parleys_format_and_back_to_genius() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("sale");
    write_real_genius_folder(&folder);
    let first = temp.path().join("sale.toml");
    let import = |from: &Path, to: &Path| {
        run_ok(&[
            "import".as_ref(),
            "genius".as_ref(),
            from.as_os_str(),
            "-o".as_ref(),
            to.as_os_str(),
        ])
    };
    import(&folder, &first);
    let text = std::fs::read_to_string(&first).unwrap();
    assert!(text.contains("[issues.range]") && text.contains("curve = "), "{text}");
    let exported = temp.path().join("exported");
    run_ok(&[
        "export".as_ref(),
        "genius".as_ref(),
        first.as_os_str(),
        "-o".as_ref(),
        exported.as_os_str(),
    ]);
    let seller = std::fs::read_to_string(exported.join("seller.xml")).unwrap();
    assert!(seller.contains(r#"ftype="triangular""#), "{seller}");
    let second = temp.path().join("again.toml");
    import(&exported, &second);
    assert_eq!(std::fs::read_to_string(&second).unwrap(), text);
    // GeniusWeb has no continuous issues: the export says so and writes nothing.
    let web = temp.path().join("web");
    let result = parley()
        .args([
            "export".as_ref(),
            "geniusweb".as_ref(),
            first.as_os_str(),
            "-o".as_ref(),
            web.as_os_str(),
        ])
        .output()
        .unwrap();
    assert_eq!(result.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("issue 'Price' is continuous"), "{stderr}");
    assert!(!web.exists());
}

/// The JSON analysis of `parley analyze ARGS` with no robustness samples: the zone, the
/// frontier and the packages.
fn answer(dir: &Path, scenario: &str) -> serde_json::Value {
    let output = parley()
        .current_dir(dir)
        .args(["analyze", scenario, "--json", "--samples", "0"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let round = |outcomes: &serde_json::Value| -> Vec<String> {
        let mut res: Vec<String> = outcomes
            .as_array()
            .unwrap()
            .iter()
            .map(|outcome| {
                let utilities: std::collections::BTreeMap<String, String> = outcome["utilities"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(party, utility)| {
                        (party.clone(), format!("{:.9}", utility.as_f64().unwrap()))
                    })
                    .collect();
                format!("{} {utilities:?}", outcome["outcome"])
            })
            .collect();
        res.sort();
        res
    };
    serde_json::json!({
        "zone": report["agreement_zone"]["size"],
        "frontier": round(&report["pareto_frontier"]),
        "nash": round(&report["solutions"]["nash"]),
        "kalai": round(&report["solutions"]["kalai"]),
        "egalitarian": round(&report["solutions"]["egalitarian"]),
        "utilitarian": round(&report["solutions"]["utilitarian"]),
    })
}

#[test]
fn an_export_that_would_change_the_answer_is_refused_without_lossy() {
    let temp = tempfile::tempdir().unwrap();
    let output = parley()
        .current_dir(temp.path())
        .args(["export", "genius", "-o", "talks"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("the export would change the answer: the agreement zone goes from no zone to 204 outcomes, the Pareto frontier moves, the Nash package moves"),
        "{stderr}"
    );
    assert!(stderr.contains("because GENIUS cannot hold russia's red lines on donbas; ukraine's red lines on donbas, nato;"), "{stderr}");
    assert!(
        stderr.contains(
            "europe's consent needed only on security-guarantees, financing; pass --lossy"
        ),
        "{stderr}"
    );
    assert!(!temp.path().join("talks").exists());
    let output = parley()
        .current_dir(temp.path())
        .args(["export", "genius", "-o", "talks", "--lossy"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "warning: written with --lossy: the agreement zone goes from no zone to 204 outcomes"
        ),
        "{stderr}"
    );
    // The middles of the scale's intervals are written as the decimals they stand for.
    let russia = std::fs::read_to_string(temp.path().join("talks/russia.xml")).unwrap();
    assert!(russia.contains(r#"value="major-role" evaluation="0.3""#), "{russia}");
}

#[test]
fn export_then_analyze_keeps_the_zone_frontier_and_packages() {
    // Exact numbers and no red lines: GENIUS holds all of it.
    let temp = tempfile::tempdir().unwrap();
    std::fs::copy(crate::helpers::data("bare.toml"), temp.path().join("bare.toml")).unwrap();
    let output = parley()
        .current_dir(temp.path())
        .args(["export", "genius", "bare.toml", "-o", "bare"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(answer(temp.path(), "bare"), answer(temp.path(), "bare.toml"));

    // A red line that does not bind (its option is below the reservation anyway) is not
    // needed to keep the answer: the export goes ahead, and says what it could not hold.
    let text = std::fs::read_to_string(temp.path().join("bare.toml"))
        .unwrap()
        .replace(
            "stances = { low = 0.0, mid = 0.6, high = 1.0 }",
            "stances = { low = \"red-line\", mid = 0.6, high = 1.0 }",
        )
        .replace(
            "reservation = { value = 0.25, basis = \"stated\" }",
            "reservation = { value = 0.45, basis = \"stated\" }",
        );
    std::fs::write(temp.path().join("red.toml"), text).unwrap();
    let output = parley()
        .current_dir(temp.path())
        .args(["export", "genius", "red.toml", "-o", "red"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("note: GENIUS cannot hold seller's red lines on price; the analysis of the files gives the same zone, frontier and packages"), "{stderr}");
    assert_eq!(answer(temp.path(), "red"), answer(temp.path(), "red.toml"));
}

/// The shared y2016 AgentHp2 folder: three parties, eight integer issues, and a frontier of
/// 924,385 outcomes; `None`, with a note, where `../shared` is absent.
#[allow(clippy::print_stderr, reason = "a skipped test says why")]
fn agent_hp2() -> Option<std::path::PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/scenarios/genius/y2016/AgentHp2");
    if folder.is_dir() {
        Some(folder)
    } else {
        eprintln!("note: {} is absent, skipping the large-frontier test", folder.display());
        None
    }
}

#[test]
fn a_frontier_of_924385_outcomes_is_listed_by_a_sample_and_its_size() {
    let Some(folder) = agent_hp2() else { return };
    let output = parley().arg("analyze").arg(&folder).arg("--json").output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stdout.len() < 20_000_000, "{} bytes of JSON", output.stdout.len());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for field in ["pareto_frontier", "unrestricted_pareto_frontier"] {
        assert_eq!(report[format!("{field}_size")], 924_385, "{field}");
        assert_eq!(report[format!("{field}_omitted")], 924_385 - 1000, "{field}");
        assert_eq!(report[field].as_array().unwrap().len(), 1000, "{field}");
    }
    assert_eq!(report["frontier_listing"], "evenly spaced by consumer's utility");
    let terminal = parley().arg("analyze").arg(&folder).output().unwrap();
    let text = String::from_utf8(terminal.stdout).unwrap();
    let start = text.find("  Pareto frontier:").unwrap();
    let lines: Vec<&str> = text[start..].lines().take(3).collect();
    insta::assert_snapshot!(lines.join("\n"), @r"
      Pareto frontier: 924385 outcome(s) in the zone, 924385 outcome(s) over all outcomes
      a sample of the zone's frontier: 10 of its 924385 outcomes, evenly spaced by consumer's utility from its least to its most:
        consumer 0.100, producer 1.000, provider 0.640: 0:00-2:59 prices [cents/kWh]=14, 3:00-5:59 prices [cents/kWh]=14, 6:00-8:59 prices [cents/kWh]=14, 9:00-11:59 prices [cents/kWh]=14, 12:00-14:59 prices [cents/kWh]=14, 15:00-17:59 prices [cents/kWh]=14, 18:00-20:59 prices [cents/kWh]=14, 21:00-23:59 prices [cents/kWh]=14
    ");
}
