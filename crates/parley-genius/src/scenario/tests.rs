//! Tests for reading whole scenarios and for the normalised view, on small hand-written XML.

use std::fmt::Write as _;

use expect_test::{Expect, expect};

use super::{Scenario, parse_scenario, party_id};
use crate::error::Error;
use crate::model::{Domain, DomainIssue, IssueEvaluator, IssueKind, Profile};
use crate::parse::{parse_domain, parse_profile};

const DOMAIN: &str = r#"<negotiation_template>
<utility_space>
<objective index="0" name="Lunch">
<issue index="1" name="Food" type="discrete">
<item index="1" value="Soup"/>
<item index="2" value="Fish"/>
<item index="3" value="Salad"/>
</issue>
<issue index="2" name="Price" type="integer" lowerbound="8" upperbound="11">
</issue>
</objective>
</utility_space>
</negotiation_template>
"#;

/// Weights that do not add up to 1, and raw evaluations above 1.
const PROFILE_A: &str = r#"<utility_space>
<objective index="0" name="Lunch">
<issue index="1" name="Food" type="discrete">
<item index="1" value="Soup" evaluation="20"/>
<item index="2" value="Fish" evaluation="80"/>
<item index="3" value="Salad" evaluation="0"/>
</issue>
<issue index="2" name="Price" type="integer" lowerbound="8" upperbound="11">
<evaluator ftype="linear" offset="1.0" slope="-0.5"/>
</issue>
<weight index="1" value="3"/>
<weight index="2" value="1"/>
</objective>
<reservation value="0.3"/>
</utility_space>
"#;

/// No weights at all, evaluations already at most 1, and issues in another order.
const PROFILE_B: &str = r#"<utility_space>
<objective index="0" name="Lunch">
<issue index="2" name="Price" type="integer" lowerbound="8" upperbound="11">
<evaluator ftype="linear" offset="0.4" slope="0.25"/>
</issue>
<issue index="1" name="Food" type="discrete">
<item index="3" value="Salad" evaluation="0.5"/>
<item index="1" value="Soup" evaluation="0.25"/>
<item index="2" value="Fish" evaluation="0.25"/>
</issue>
</objective>
</utility_space>
"#;

fn files(entries: &[(&str, &str)]) -> Vec<(String, String)> {
    entries.iter().map(|(name, text)| ((*name).to_owned(), (*text).to_owned())).collect()
}

fn check_scenario(entries: &[(&str, &str)], expect: Expect) {
    let actual = match parse_scenario(&files(entries)) {
        Ok(scenario) => render_utilities(&scenario),
        Err(error) => format!("error: {error}"),
    };
    expect.assert_eq(&actual);
}

fn render_utilities(scenario: &Scenario) -> String {
    let mut res = String::new();
    for party in scenario.normalised_utilities() {
        let _ = writeln!(res, "{}", party.party);
        for issue in party.issues {
            let options: Vec<String> = issue
                .options
                .iter()
                .map(|option| format!("{}={:.4}", option.label, option.value))
                .collect();
            let _ = writeln!(res, "  {} w={:.4}: {}", issue.name, issue.weight, options.join(" "));
        }
    }
    for warning in scenario.warnings() {
        let _ = writeln!(res, "warning: {warning}");
    }
    for skipped in scenario.skipped() {
        let _ = writeln!(res, "skipped: {}: {}", skipped.file, skipped.reason);
    }
    res
}

/// The scenario with one profile replaced by an edited copy.
fn check_edited_profile(from: &str, to: &str, expect: Expect) {
    assert!(PROFILE_A.contains(from), "fixture lacks {from:?}");
    let edited = PROFILE_A.replacen(from, to, 1);
    check_scenario(&[("Lunch/domain.xml", DOMAIN), ("Lunch/a.xml", &edited)], expect);
}

#[test]
fn normalises_with_genius_semantics() {
    check_scenario(
        &[("Lunch/a.xml", PROFILE_A), ("Lunch/domain.xml", DOMAIN), ("Lunch/b.xml", PROFILE_B)],
        expect![[r#"
            a
              Food w=0.7500: Soup=0.2500 Fish=1.0000 Salad=0.0000
              Price w=0.2500: 8=1.0000 9=0.5000 10=0.0000 11=0.0000
            b
              Food w=0.5000: Soup=0.5000 Fish=0.5000 Salad=1.0000
              Price w=0.5000: 8=0.4000 9=0.6500 10=0.9000 11=1.0000
        "#]],
    );
}

#[test]
fn keeps_raw_profile_data() {
    let scenario = parse_scenario(&files(&[
        ("Lunch/domain.xml", DOMAIN),
        ("Lunch/a.xml", PROFILE_A),
        ("Lunch/b.xml", PROFILE_B),
    ]))
    .unwrap();
    assert_eq!(scenario.domain().name, "Lunch");
    let parties: Vec<&str> = scenario.profiles().iter().map(|(party, _)| party.as_str()).collect();
    assert_eq!(parties, ["a", "b"]);
    let (_, profile_a) = &scenario.profiles()[0];
    assert_eq!(profile_a.reservation, Some(0.3));
    assert_eq!(profile_a.issues[0].weight, Some(3.0));
    let (_, profile_b) = &scenario.profiles()[1];
    assert_eq!(profile_b.issues[0].name, "Price");
    assert_eq!(profile_b.issues[0].weight, None);
}

#[test]
fn evaluates_tiny_maxima_and_zero_weights_as_genius_does() {
    check_edited_profile(
        r#"evaluation="80""#,
        r#"evaluation="0.000001""#,
        expect![[r#"
            a
              Food w=0.7500: Soup=1.0000 Fish=0.0000 Salad=0.0000
              Price w=0.2500: 8=1.0000 9=0.5000 10=0.0000 11=0.0000
        "#]],
    );
    let tiny = PROFILE_A.replacen(r#"evaluation="20""#, r#"evaluation="0.000001""#, 1).replacen(
        r#"evaluation="80""#,
        r#"evaluation="0.000002""#,
        1,
    );
    check_scenario(
        &[("domain.xml", DOMAIN), ("a.xml", &tiny)],
        expect![[r#"
            a
              Food w=0.7500: Soup=0.0000 Fish=0.0000 Salad=0.0000
              Price w=0.2500: 8=1.0000 9=0.5000 10=0.0000 11=0.0000
        "#]],
    );
    let zero_weights = PROFILE_A
        .replacen(r#"<weight index="1" value="3"/>"#, r#"<weight index="1" value="0"/>"#, 1)
        .replacen(r#"<weight index="2" value="1"/>"#, r#"<weight index="2" value="0"/>"#, 1);
    check_scenario(
        &[("domain.xml", DOMAIN), ("a.xml", &zero_weights)],
        expect![[r#"
            a
              Food w=0.0000: Soup=0.2500 Fish=1.0000 Salad=0.0000
              Price w=0.0000: 8=1.0000 9=0.5000 10=0.0000 11=0.0000
        "#]],
    );
}

#[test]
fn clamps_linear_evaluations_to_unit_interval() {
    check_edited_profile(
        r#"offset="1.0" slope="-0.5""#,
        r#"offset="-0.5" slope="0.75""#,
        expect![[r#"
            a
              Food w=0.7500: Soup=0.2500 Fish=1.0000 Salad=0.0000
              Price w=0.2500: 8=0.0000 9=0.2500 10=1.0000 11=1.0000
        "#]],
    );
}

#[test]
fn requires_exactly_one_domain_and_a_profile() {
    check_scenario(
        &[("a.xml", PROFILE_A), ("b.xml", PROFILE_B)],
        expect!["error: no domain file among 'a.xml', 'b.xml', expected exactly one"],
    );
    check_scenario(&[], expect!["error: no domain file among no files, expected exactly one"]);
    check_scenario(
        &[("x/d1.xml", DOMAIN), ("x/a.xml", PROFILE_A), ("x/d2.xml", DOMAIN)],
        expect![
            "error: the folder holds several domains with profiles: 'x/d1.xml' (profiles 'x/a.xml'), 'x/d2.xml' (profiles 'x/a.xml'); choose one (e.g. with --domain NAME)"
        ],
    );
    check_scenario(
        &[("x/d1.xml", DOMAIN)],
        expect!["error: no profile file besides the domain 'x/d1.xml', expected at least one"],
    );
    check_scenario(
        &[("x/d.xml", DOMAIN), ("x/a.xml", PROFILE_A), ("y/a.xml", PROFILE_B)],
        expect!["error: files 'x/a.xml' and 'y/a.xml' both give party id 'a'"],
    );
    check_scenario(
        &[("x/d.xml", DOMAIN), ("x/a.xml", "not xml")],
        expect!["error: no profile file besides the domain 'x/d.xml', expected at least one"],
    );
}

#[test]
fn reports_profiles_that_do_not_fit_the_domain_and_reads_what_genius_reads() {
    check_edited_profile(
        r#"value="Salad" evaluation="0""#,
        r#"value="Pasta" evaluation="0""#,
        expect![[r#"
            a
              Food w=0.7500: Soup=0.2500 Fish=1.0000 Salad=0.0000
              Price w=0.2500: 8=1.0000 9=0.5000 10=0.0000 11=0.0000
            warning: Lunch/a.xml:6:1: <item> has value 'Pasta', which domain issue 'Food' lacks: skipped, as GENIUS skips it
            warning: Lunch/a.xml:3:1: <issue> 'Food' has no <item> for the domain's value 'Salad': it evaluates to 0, as in GENIUS
        "#]],
    );
    check_edited_profile(
        "<item index=\"3\" value=\"Salad\" evaluation=\"0\"/>\n",
        "",
        expect![[r#"
            a
              Food w=0.7500: Soup=0.2500 Fish=1.0000 Salad=0.0000
              Price w=0.2500: 8=1.0000 9=0.5000 10=0.0000 11=0.0000
            warning: Lunch/a.xml:3:1: <issue> 'Food' has no <item> for the domain's value 'Salad': it evaluates to 0, as in GENIUS
        "#]],
    );
    check_edited_profile(
        r#"index="1" name="Food""#,
        r#"index="1" name="Dish""#,
        expect![[r#"
            a
              Food w=0.7500: Soup=0.2500 Fish=1.0000 Salad=0.0000
              Price w=0.2500: 8=1.0000 9=0.5000 10=0.0000 11=0.0000
            warning: Lunch/a.xml:3:1: <issue> with index '1' is named 'Dish' here but 'Food' in the domain: matched by its index, as GENIUS matches it
        "#]],
    );
    check_edited_profile(
        r#"index="2" name="Price""#,
        r#"index="5" name="Price""#,
        expect!["error: Lunch/a.xml:12:1: <weight> has index '2', but no <issue> has that index"],
    );
    check_edited_profile(
        r#"upperbound="11">
<evaluator"#,
        r#"upperbound="12">
<evaluator"#,
        expect![[r#"
            a
              Food w=0.7500: Soup=0.2500 Fish=1.0000 Salad=0.0000
              Price w=0.2500: 8=1.0000 9=0.5000 10=0.0000 11=0.0000
            warning: Lunch/a.xml:8:1: <issue> 'Price' has bounds '8'..'12' here but '8'..'11' in the domain: the domain's values are evaluated from this lower bound, as GENIUS does
        "#]],
    );
    check_edited_profile(
        r#"<issue index="2" name="Price" type="integer" lowerbound="8" upperbound="11">
<evaluator ftype="linear" offset="1.0" slope="-0.5"/>
</issue>
"#,
        "",
        expect!["error: Lunch/a.xml:9:1: <weight> has index '2', but no <issue> has that index"],
    );
    check_edited_profile(
        r#"<issue index="2" name="Price" type="integer" lowerbound="8" upperbound="11">
<evaluator ftype="linear" offset="1.0" slope="-0.5"/>
</issue>
"#,
        r#"<issue index="2" name="Price" type="discrete"><item value="8" evaluation="1"/></issue>
"#,
        expect![
            "error: Lunch/a.xml:8:1: <issue> 'Price' has type 'discrete' here but 'integer' in the domain"
        ],
    );
}

#[test]
fn reports_missing_issue_at_the_objective() {
    let without_price = PROFILE_A
        .replacen(
            r#"<issue index="2" name="Price" type="integer" lowerbound="8" upperbound="11">
<evaluator ftype="linear" offset="1.0" slope="-0.5"/>
</issue>
"#,
            "",
            1,
        )
        .replacen("<weight index=\"2\" value=\"1\"/>\n", "", 1);
    check_scenario(
        &[("domain.xml", DOMAIN), ("a.xml", &without_price)],
        expect![
            "error: a.xml:2:1: <objective> has no <issue> for domain issue 'Price' (index '2'), expected one for every domain issue"
        ],
    );
}

#[test]
fn reports_issue_the_domain_lacks_and_bad_domains() {
    let renumbered = PROFILE_A
        .replacen(r#"index="2" name="Price""#, r#"index="5" name="Price""#, 1)
        .replacen(r#"<weight index="2""#, r#"<weight index="5""#, 1);
    check_scenario(
        &[("domain.xml", DOMAIN), ("a.xml", &renumbered)],
        expect![
            "error: a.xml:8:1: <issue> 'Price' has index '5', which no issue of domain 'Lunch' has"
        ],
    );
    let bad_domain = DOMAIN.replacen(r#"value="Fish""#, r#"value="Soup""#, 1);
    check_scenario(
        &[("domain.xml", &bad_domain), ("a.xml", PROFILE_A)],
        expect![[r#"
            a
              Food w=0.7500: Soup=1.0000 Salad=0.0000
              Price w=0.2500: 8=1.0000 9=0.5000 10=0.0000 11=0.0000
            warning: domain.xml:6:1: <item> repeats value 'Soup' of issue 'Food': one value, as GENIUS offers it
            warning: a.xml:5:1: <item> has value 'Fish', which domain issue 'Food' lacks: skipped, as GENIUS skips it
        "#]],
    );
}

#[test]
fn new_checks_hand_built_data() {
    let domain = parse_domain("d.xml", DOMAIN).unwrap();
    let profile = parse_profile("a.xml", PROFILE_A).unwrap();
    let scenario = Scenario::new(domain.clone(), vec![("a".to_owned(), profile.clone())]).unwrap();
    assert_eq!(
        scenario.clone().into_parts(),
        (domain.clone(), vec![("a".to_owned(), profile.clone())])
    );

    let mut bad_profile = profile.clone();
    if let IssueEvaluator::Discrete { evaluations } = &mut bad_profile.issues[0].evaluator {
        evaluations[0].evaluation = f64::NAN;
    }
    let error = Scenario::new(domain.clone(), vec![("a".to_owned(), bad_profile)]).unwrap_err();
    expect!["profile of party 'a' does not fit the domain: <item> has evaluation 'NaN', expected a finite number that is not negative"]
        .assert_eq(&error.to_string());

    let mut partial_weights = profile.clone();
    partial_weights.issues[1].weight = None;
    let error = Scenario::new(domain.clone(), vec![("a".to_owned(), partial_weights)]).unwrap_err();
    expect!["profile of party 'a' does not fit the domain: <objective> has no <weight> for issue 'Price' (index '2'), expected a weight for every issue or for none"]
        .assert_eq(&error.to_string());

    let twice = vec![("a".to_owned(), profile.clone()), ("a".to_owned(), profile.clone())];
    let error = Scenario::new(domain.clone(), twice).unwrap_err();
    expect!["profile of party 'a' does not fit the domain: the party id is used by an earlier profile too"]
        .assert_eq(&error.to_string());

    let bad_domain = Domain {
        name: "x".to_owned(),
        issues: vec![DomainIssue {
            name: "n".to_owned(),
            index: 1,
            kind: IssueKind::Integer { lower: 2, upper: 1 },
        }],
    };
    let error = Scenario::new(bad_domain, Vec::<(String, Profile)>::new()).unwrap_err();
    assert!(matches!(error, Error::InvalidDomain { .. }));
    expect!["domain is not well formed: <issue> 'n' has lowerbound '2' above upperbound '1', expected lowerbound <= upperbound"]
        .assert_eq(&error.to_string());
}

#[test]
fn party_id_is_file_stem() {
    assert_eq!(party_id("y2011/Car/adg_deal.xml"), "adg_deal");
    assert_eq!(party_id(r"y2011\Car\adg_deal2.xml"), "adg_deal2");
    assert_eq!(party_id("profile"), "profile");
    assert_eq!(party_id("a.b.xml"), "a.b");
    assert_eq!(party_id(".xml"), ".xml");
}

const NONLINEAR_DOMAIN: &str = r#"<negotiation_template><utility_space>
<objective index="0" name="Grid">
<issue index="1" name="a" type="integer" lowerbound="0" upperbound="3"/>
<issue index="2" name="b" type="integer" lowerbound="0" upperbound="3"/>
</objective></utility_space></negotiation_template>"#;

const NONLINEAR_PROFILE: &str = r#"
<!-- a comment before the declaration, as the ANAC 2014 files have it -->
<?xml version="1.0" encoding="utf-8" ?>
<utility_space type="nonlinear">
<objective index="0" name="Grid">
<issue index="1" name="a" type="integer" lowerbound="0" upperbound="3"/>
<issue index="2" name="b" type="integer" lowerbound="0" upperbound="3"/>
<utility maxutility="10">
<ufun type="PlainUfun" weight="1" aggregation="sum">
<hyperRectangle utility="6"><INCLUDES index="1" min="1" max="2"/><INCLUDES index="2" min="0" max="0"/></hyperRectangle>
<ufun weight="0.5" aggregation="sum"><hyperRectangle utility="8"><EXCLUDES index="2" min="0" max="1"/></hyperRectangle></ufun>
</ufun>
</utility>
</objective>
<reservation value="0.2"/>
</utility_space>"#;

#[test]
fn a_nonlinear_profile_is_read_flattened_and_written_back() {
    let files = files(&[("g/domain.xml", NONLINEAR_DOMAIN), ("g/p.xml", NONLINEAR_PROFILE)]);
    let scenario = parse_scenario(&files).unwrap();
    let profile = &scenario.profiles()[0].1;
    let constraints = profile.constraints.as_ref().unwrap();
    assert_eq!(constraints.max_utility, 10.0);
    // The inner function's weight multiplies its rectangle's utility.
    let values: Vec<f64> = constraints.constraints.iter().map(|c| c.value).collect();
    assert_eq!(values, [6.0, 4.0]);
    assert_eq!(constraints.constraints[1].kind, crate::ConstraintKind::Excludes);
    assert_eq!(scenario.warnings().len(), 1, "{:?}", scenario.warnings());
    assert!(scenario.warnings()[0].message.contains("XML declaration"));
    let written = crate::write_profile(scenario.domain(), profile);
    let back = crate::parse_profile("g/p.xml", &written).unwrap();
    assert_eq!(&back, profile);
}

/// The same domain under two names, and a profile for each, named like the ANAC 2012 files.
#[test]
fn identical_domains_are_told_apart_by_file_name_and_chosen_by_name() {
    let entries = [
        ("e/E-A-domain.xml", DOMAIN),
        ("e/E-A-prof1.xml", PROFILE_A),
        ("e/E-B-domain.xml", DOMAIN),
        ("e/E-B-prof1.xml", PROFILE_B),
    ];
    let folder = super::read_folder(&files(&entries), None).unwrap();
    let paired: Vec<(String, Vec<String>)> = folder
        .domains
        .iter()
        .map(|domain| {
            (domain.file.clone(), domain.profiles.iter().map(|(file, _, _)| file.clone()).collect())
        })
        .collect();
    assert_eq!(
        paired,
        [
            ("e/E-A-domain.xml".to_owned(), vec!["e/E-A-prof1.xml".to_owned()]),
            ("e/E-B-domain.xml".to_owned(), vec!["e/E-B-prof1.xml".to_owned()]),
        ]
    );
    let error = folder.clone().scenario(None).unwrap_err();
    assert!(
        matches!(error, Error::SeveralDomains { ref choices } if choices.len() == 2),
        "{error}"
    );
    let chosen = folder.clone().scenario(Some("E-B-domain")).unwrap();
    assert_eq!(chosen.profiles()[0].0, "E-B-prof1");
    assert!(chosen.skipped().iter().any(|skipped| skipped.file == "e/E-A-domain.xml"));
    let unknown = folder.scenario(Some("nothing")).unwrap_err();
    assert!(matches!(unknown, Error::UnknownDomain { .. }), "{unknown}");
}

#[test]
fn a_reference_frontier_is_read_beside_the_profiles_and_other_files_are_skipped() {
    let entries = [
        ("f/domain.xml", DOMAIN),
        ("f/a.xml", PROFILE_A),
        ("f/pareto.xml", "\n0.5, 1\n1.0, 0.25\n"),
        ("f/README", "notes about the folder"),
    ];
    // One profile, two utilities a point: the reference does not fit.
    check_scenario(
        &entries,
        expect![
            "error: f/pareto.xml:1:1: has 2 utilities a point, expected one for each of the 1 profiles"
        ],
    );
    let entries = [
        ("f/domain.xml", DOMAIN),
        ("f/a.xml", PROFILE_A),
        ("f/b.xml", PROFILE_B),
        ("f/pareto.xml", "0.5, 1\n1.0, 0.25\n"),
        ("f/README", "notes about the folder"),
    ];
    let scenario = parse_scenario(&files(&entries)).unwrap();
    assert_eq!(scenario.reference().unwrap().points, [vec![0.5, 1.0], vec![1.0, 0.25]]);
    assert_eq!(scenario.skipped()[0].file, "f/README");
    let bad =
        [("f/domain.xml", DOMAIN), ("f/a.xml", PROFILE_A), ("f/pareto.xml", "0.5, 1\n1.0, x\n")];
    check_scenario(
        &bad,
        expect![
            "error: f/pareto.xml:2:1: '1.0, x' is not a list of numbers separated by commas, expected one like the first line"
        ],
    );
}
