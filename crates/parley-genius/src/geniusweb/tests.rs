//! Reading, writing and converting small GeniusWeb files written from the format's description.

use expect_test::{Expect, expect};
use parley_model::scenario_file::{read_scenario, write_scenario};
use parley_model::stance::{Importance, Stance};
use parley_model::validate::ValidScenario;

use super::*;

/// A domain with a discrete issue and a number range (1, 1.5, ..., 3; the range's high 3.2
/// is not reached by whole steps).
const DOMAIN: &str = r#"{
  "name": "rental",
  "issuesValues": {
    "car": {"values": ["small", "large", "van"]},
    "days": {"range": {"low": 1, "high": "3.2", "step": 0.50}}
  }
}"#;

fn profile(name: &str, weights: (&str, &str), utilities: (&str, &str, &str), bid: &str) -> String {
    let (small, large, van) = utilities;
    let (car, days) = weights;
    format!(
        r#"{{"LinearAdditiveUtilitySpace": {{
  "name": "{name}",
  "domain": {DOMAIN},
  "issueUtilities": {{
    "days": {{"NumberValueSetUtilities": {{"lowValue": 1, "lowUtility": 0.1, "highValue": 3.2, "highUtility": "0.9"}}}},
    "car": {{"DiscreteValueSetUtilities": {{"valueUtilities": {{"van": {van}, "small": {small}, "large": {large}}}}}}}
  }},
  "issueWeights": {{"car": {car}, "days": {days}}},
  "reservationBid": {bid}
}}}}"#
    )
}

fn files() -> Vec<(String, String)> {
    vec![
        (
            "rental/customer.json".to_owned(),
            profile(
                "customer",
                ("0.7", "0.3"),
                ("1", "0.4", "0"),
                r#"{"issuevalues": {"car": "large", "days": 2.0}}"#,
            ),
        ),
        ("rental/rental.json".to_owned(), DOMAIN.to_owned()),
        (
            "rental/agency.json".to_owned(),
            profile("agency", ("0.25", "0.75"), ("0", "0.5", "1"), "null"),
        ),
    ]
}

fn scenario() -> Scenario {
    parse_scenario(&files()).unwrap()
}

fn valid(model: parley_model::scenario::Scenario) -> ValidScenario {
    let loaded = read_scenario(&write_scenario(&model));
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.scenario.unwrap()
}

#[test]
fn a_domain_is_read_with_its_range_enumerated() {
    let domain = parse_domain("rental.json", DOMAIN).unwrap();
    assert_eq!(domain.name, "rental");
    assert_eq!(
        domain.issues[0].values,
        ValueSet::Discrete(vec!["small".into(), "large".into(), "van".into()])
    );
    let range = &domain.issues[1].values;
    assert_eq!(range, &ValueSet::Range { low: "1".into(), high: "3.2".into(), step: "0.5".into() });
    assert_eq!(range.values().unwrap(), ["1", "1.5", "2", "2.5", "3"]);
    assert_eq!(classify("rental.json", DOMAIN), Ok(FileKind::Domain));
}

#[test]
fn a_folder_gives_one_profile_per_file_with_its_reservation_bid() {
    let scenario = scenario();
    let names: Vec<&str> =
        scenario.profiles().iter().map(|profile| profile.name.as_str()).collect();
    assert_eq!(names, ["customer", "agency"]);
    let customer = &scenario.profiles()[0];
    assert_eq!(customer.issues[0].issue, "car");
    assert_eq!(customer.issues[0].weight, "0.7");
    assert_eq!(
        customer.reservation_bid,
        Some(vec![("car".to_owned(), "large".to_owned()), ("days".to_owned(), "2".to_owned())])
    );
    assert_eq!(scenario.profiles()[1].reservation_bid, None);
}

#[test]
fn the_model_holds_exact_weights_and_interpolated_utilities() {
    let model = to_model(&scenario(), "fallback").unwrap();
    assert_eq!(model.id, "rental");
    let days: Vec<&str> = model.issues[1].options.iter().map(|option| option.id.as_str()).collect();
    assert_eq!(days, ["1", "1.5", "2", "2.5", "3"]);
    let customer_days = &model.positions[1];
    assert_eq!(customer_days.importance, Some(Importance::Weight(0.3)));
    // 0.1 + 0.8 (x - 1) / 2.2, rounded half up to 8 places.
    let values: Vec<f64> = customer_days
        .stances
        .iter()
        .map(|(_, stance)| match stance {
            Stance::Value(value) => *value,
            other => unreachable!("{other:?}"),
        })
        .collect();
    assert_eq!(values, [0.1, 0.28181818, 0.46363636, 0.64545455, 0.82727273]);
    // The bid (large, 2): 0.7 * 0.4 + 0.3 * 0.46363636.
    let reservation = model.parties[0].reservation.as_ref().unwrap();
    assert_eq!(reservation.value, 0.7 * 0.4 + 0.3 * 0.46363636);
    assert_eq!(
        reservation.note.as_deref(),
        Some(r#"GeniusWeb reservation bid: {"car": "large", "days": "2"}"#)
    );
    assert_eq!(model.parties[1].reservation, None);
    valid(model);
}

#[test]
fn written_files_read_back_the_same() {
    let scenario = scenario();
    assert_eq!(
        parse_domain("d.json", &write_domain(scenario.domain())).unwrap(),
        *scenario.domain()
    );
    for profile in scenario.profiles() {
        assert_eq!(parse_profile("p.json", &write_profile(profile)).unwrap(), *profile);
    }
}

fn export_files(export: &Export) -> Vec<(String, String)> {
    let mut files = vec![("out/domain.json".to_owned(), write_domain(&export.domain))];
    for profile in &export.profiles {
        files.push((format!("out/{}.json", profile.name), write_profile(profile)));
    }
    files
}

#[test]
fn import_export_import_gives_the_same_scenario_and_keeps_the_reservation_bid() {
    let model = to_model(&scenario(), "x").unwrap();
    let export = from_model(&valid(model.clone())).unwrap();
    assert_eq!(export.left_out, Vec::<String>::new());
    let ValueSet::Discrete(days) = &export.domain.issues[1].values else { unreachable!() };
    assert_eq!(days, &["1", "1.5", "2", "2.5", "3"]);
    assert_eq!(
        export.profiles[0].reservation_bid,
        Some(vec![("car".to_owned(), "large".to_owned()), ("days".to_owned(), "2".to_owned())])
    );
    let files = export_files(&export);
    expect![[r#"
        {
          "LinearAdditiveUtilitySpace": {
            "name": "agency",
            "domain": {
              "name": "rental",
              "issuesValues": {
                "car": {"values": ["small", "large", "van"]},
                "days": {"values": ["1", "1.5", "2", "2.5", "3"]}
              }
            },
            "issueUtilities": {
              "car": {"DiscreteValueSetUtilities": {"valueUtilities": {"small": 0, "large": 0.5, "van": 1}}},
              "days": {"DiscreteValueSetUtilities": {"valueUtilities": {"1": 0.1, "1.5": 0.28181818, "2": 0.46363636, "2.5": 0.64545455, "3": 0.82727273}}}
            },
            "issueWeights": {
              "car": 0.25,
              "days": 0.75
            },
            "reservationBid": null
          }
        }
    "#]]
    .assert_eq(&files[2].1);
    let back = to_model(&parse_scenario(&files).unwrap(), "x").unwrap();
    assert_eq!(back, model);
}

#[test]
fn a_scenario_of_ordinal_stances_exports_normalised_weights_and_says_what_it_leaves_out() {
    let talks = read_scenario(parley_model::builtin::TALKS_2025_TOML).scenario.unwrap();
    let export = from_model(&talks).unwrap();
    for profile in &export.profiles {
        let sum = profile
            .issues
            .iter()
            .try_fold(Decimal::ZERO, |sum, issue| sum.add(Decimal::parse(&issue.weight)?))
            .unwrap();
        assert_eq!(sum, Decimal::ONE, "{}", profile.name);
    }
    let files = export_files(&export);
    let back = parse_scenario(&files).unwrap();
    assert_eq!(back.profiles().len(), 3);
    assert!(
        export.left_out.iter().all(|line| line.contains("reservation value")),
        "{:?}",
        export.left_out
    );
}

#[test]
fn a_profile_may_list_the_domain_in_another_order() {
    let mut files = files();
    let reordered = r#"{
  "name": "rental",
  "issuesValues": {
    "days": {"range": {"low": "1.0", "high": 3.2, "step": 0.5}},
    "car": {"values": ["van", "large", "small"]}
  }
}"#;
    files[0].1 = files[0].1.replace(DOMAIN, reordered);
    let reordered = to_model(&parse_scenario(&files).unwrap(), "x").unwrap();
    assert_eq!(reordered, to_model(&scenario(), "x").unwrap());
}

#[test]
fn a_scenario_built_from_values_is_checked_like_files() {
    let scenario = scenario();
    let built = Scenario::new(scenario.domain(), scenario.profiles()).unwrap();
    assert_eq!(built, scenario);
    let mut broken = scenario.profiles()[1].clone();
    broken.issues[0].weight = "0.3".to_owned();
    expect!["agency.json:15:21: LinearAdditiveUtilitySpace.issueWeights: add up to 1.05, expected weights that add up to 1"].assert_eq(&Scenario::new(scenario.domain(), &[broken]).unwrap_err().to_string());
}

fn check_error(files: &[(&str, &str)], expected: Expect) {
    let files: Vec<(String, String)> =
        files.iter().map(|(name, text)| (name.to_string(), text.to_string())).collect();
    expected.assert_eq(&parse_scenario(&files).unwrap_err().to_string());
}

#[test]
fn errors_name_the_file_position_and_field() {
    let good = profile("p", ("0.5", "0.5"), ("1", "0.5", "0"), "null");
    check_error(
        &[("d.json", DOMAIN), ("p.json", &good.replace("\"car\": 0.5", "\"car\": 0.6"))],
        expect![[
            r#"p.json:14:19: LinearAdditiveUtilitySpace.issueWeights: add up to 1.1, expected weights that add up to 1"#
        ]],
    );
    check_error(
        &[("d.json", DOMAIN), ("p.json", &good.replace("\"van\": 0,", "\"bus\": 0,"))],
        expect![[
            r#"p.json:12:62: LinearAdditiveUtilitySpace.issueUtilities.car.DiscreteValueSetUtilities.valueUtilities.bus: is not a value of issue "car", expected one of its values"#
        ]],
    );
    check_error(
        &[("d.json", DOMAIN), ("p.json", &good.replace("\"lowValue\": 1", "\"lowValue\": 0"))],
        expect![
            "p.json:11:54: LinearAdditiveUtilitySpace.issueUtilities.days.NumberValueSetUtilities.lowValue: is 0, expected the range's low 1"
        ],
    );
    check_error(
        &[
            ("d.json", DOMAIN),
            ("p.json", &good.replace("\"highUtility\": \"0.9\"", "\"highUtility\": 1.5")),
        ],
        expect![
            "p.json:11:109: LinearAdditiveUtilitySpace.issueUtilities.days.NumberValueSetUtilities.highUtility: is 1.5, expected a utility in [0, 1]"
        ],
    );
    check_error(
        &[
            ("d.json", DOMAIN),
            (
                "p.json",
                &good.replace(
                    "\"reservationBid\": null",
                    "\"reservationBid\": {\"issuevalues\": {\"days\": 1.2}}",
                ),
            ),
        ],
        expect![[
            r#"p.json:15:46: LinearAdditiveUtilitySpace.reservationBid.issuevalues.days: is 1.2, expected a value of the range of issue "days""#
        ]],
    );
    check_error(
        &[("d.json", DOMAIN), ("p.json", &good.replace("\"name\": \"p\"", "\"nom\": \"p\""))],
        expect![[
            r#"p.json:2:3: LinearAdditiveUtilitySpace.nom: is not a field of 'LinearAdditiveUtilitySpace', expected "name", "domain", "issueUtilities", "issueWeights", "reservationBid""#
        ]],
    );
    check_error(
        &[
            ("d.json", DOMAIN),
            ("p.json", &good.replace("\"van\"]", "\"bus\"]").replace("\"van\":", "\"bus\":")),
        ],
        expect![[
            r#"p.json:3:13: LinearAdditiveUtilitySpace.domain: differs from the domain in 'd.json': issue "car" has other values"#
        ]],
    );
    check_error(
        &[("d.json", DOMAIN), ("p.json", "{\"SumOfGroupsUtilitySpace\": {}}")],
        expect![[
            r#"p.json:1:2: SumOfGroupsUtilitySpace: is a profile kind this reader does not support, expected "LinearAdditiveUtilitySpace""#
        ]],
    );
    check_error(
        &[("d.json", &DOMAIN.replace("0.50", "0")), ("p.json", &good)],
        expect!["d.json:5:57: issuesValues.days.range.step: is 0, expected a number above 0"],
    );
    check_error(
        &[("d.json", &DOMAIN.replace("\"van\"]", "\"small\"]")), ("p.json", &good)],
        expect![[
            r#"d.json:4:42: issuesValues.car.values[2]: "small" appears twice, expected distinct values"#
        ]],
    );
    check_error(
        &[
            ("d.json", "{\"name\": \"x\", \"issuesValues\": {\"a b\": {\"values\": [1]}}}"),
            ("p.json", &good),
        ],
        expect![[r#"d.json:1:51: issuesValues["a b"].values[0]: is a number, expected a string"#]],
    );
    check_error(
        &[("d.json", "{\"name\": \"x\",\n \"issuesValues\": {]}"), ("p.json", &good)],
        expect![[r#"d.json:2:19: malformed JSON: found ']', expected a key in double quotes"#]],
    );
    check_error(
        &[("p.json", &good)],
        expect![[r#"no domain file among 'p.json', expected exactly one"#]],
    );
    check_error(
        &[("d.json", DOMAIN), ("e.json", DOMAIN)],
        expect![
            "the folder holds several domains with profiles: 'd.json' (no profile), 'e.json' (no profile); choose one (e.g. with --domain NAME)"
        ],
    );
    check_error(
        &[("d.json", DOMAIN)],
        expect![[r#"no profile file besides the domain 'd.json', expected at least one"#]],
    );
    check_error(
        &[("d.json", DOMAIN), ("p.json", &good), ("q.json", &good)],
        expect![[r#"files 'p.json' and 'q.json' both give party id 'p'"#]],
    );
    check_error(
        &[("d.json", DOMAIN), ("p.json", "[1]")],
        expect![[r#"p.json:1:1: the file: is an array, expected an object"#]],
    );
}
