//! Every real ANAC scenario under `../shared/scenarios/genius` parses, normalises sensibly and
//! survives a write and parse round trip.

use std::fmt::Write as _;

use expect_test::expect;
use parley_genius::{
    IssueKind, Scenario, parse_domain, parse_scenario, write_domain, write_profile,
};

use crate::helpers::{Folder, genius_root, scenario_folders};

const TOLERANCE: f64 = 1e-9;

fn real_scenarios() -> Option<Vec<(Folder, Scenario)>> {
    let root = genius_root()?;
    let folders = scenario_folders(&root);
    assert!(!folders.is_empty(), "{} holds no scenario folders", root.display());
    let mut failures = Vec::new();
    let mut res = Vec::new();
    for folder in folders {
        match parse_scenario(&folder.files) {
            Ok(scenario) => res.push((folder, scenario)),
            Err(error) => failures.push(format!("{}: {error}", folder.name)),
        }
    }
    assert!(failures.is_empty(), "scenarios that do not parse:\n{}", failures.join("\n"));
    Some(res)
}

#[test]
fn every_real_scenario_parses_with_one_profile_per_other_file() {
    let Some(scenarios) = real_scenarios() else { return };
    let mut summary = String::new();
    for (folder, scenario) in &scenarios {
        assert_eq!(scenario.profiles().len() + 1, folder.files.len(), "{}", folder.name);
        let parties: Vec<&str> =
            scenario.profiles().iter().map(|(party, _)| party.as_str()).collect();
        let n_outcomes: u128 = scenario
            .domain()
            .issues
            .iter()
            .map(|issue| match &issue.kind {
                IssueKind::Discrete { values } => values.len() as u128,
                IssueKind::Integer { lower, upper } => (upper - lower + 1) as u128,
                IssueKind::Real { .. } => unreachable!("the shared GENIUS scenarios are discrete"),
            })
            .product();
        let _ = writeln!(
            summary,
            "{}: {} issues, {n_outcomes} outcomes, parties {}",
            folder.name,
            scenario.domain().issues.len(),
            parties.join(" ")
        );
    }
    expect![[r#"
        y2010/EnglandZimbabwe: 5 issues, 576 outcomes, parties England Zimbabwe
        y2010/ItexvsCypress: 4 issues, 180 outcomes, parties ItexvsCypress_Cypress ItexvsCypress_Itex
        y2010/Travel: 7 issues, 188160 outcomes, parties travel_chox travel_fanny
        y2011/Amsterdam: 6 issues, 3024 outcomes, parties Amsterdam_party1 Amsterdam_party2
        y2011/Camera: 6 issues, 3600 outcomes, parties camera_buyer_utility camera_seller_utility
        y2011/Car: 6 issues, 15625 outcomes, parties adg_deal adg_deal2
        y2011/Energy: 8 issues, 390625 outcomes, parties energy_consumer energy_distributor
        y2011/Grocery: 5 issues, 1600 outcomes, parties Grocery_domain_mary Grocery_domain_sam
        y2011/IS_BT_Acquisition: 5 issues, 384 outcomes, parties IS_BT_Acquisition_BT_prof IS_BT_Acquisition_IS_prof
        y2011/Laptop: 3 issues, 27 outcomes, parties laptop_buyer_utility laptop_seller_utility
        y2011/NiceOrDie: 1 issues, 3 outcomes, parties NiceOrDie1 NiceOrDie2
        y2012/EnglandvsZimbabweA: 5 issues, 576 outcomes, parties EnglandvsZimbabwe-A-prof1 EnglandvsZimbabwe-A-prof2
        y2012/EnglandvsZimbabweB: 5 issues, 576 outcomes, parties EnglandvsZimbabwe-B-prof1 EnglandvsZimbabwe-B-prof2
        y2012/EnglandvsZimbabweC: 5 issues, 576 outcomes, parties EnglandvsZimbabwe-C-prof1 EnglandvsZimbabwe-C-prof2
        y2012/ItexvsCypressA: 4 issues, 180 outcomes, parties ItexvsCypress-A-prof1 ItexvsCypress-A-prof2
        y2012/TravelA: 7 issues, 188160 outcomes, parties Travel-A-prof1 Travel-A-prof2
        y2012/TravelB: 7 issues, 188160 outcomes, parties Travel-B-prof1 Travel-B-prof2
        y2013/Acquisition: 5 issues, 384 outcomes, parties Acquisition-A-prof1 Acquisition-A-prof2
        y2013/Animal: 5 issues, 1152 outcomes, parties Animal_util1 Animal_util2
        y2013/Coffee: 3 issues, 112 outcomes, parties Coffee_util1 Coffee_util2
        y2013/DefensiveCharms: 3 issues, 36 outcomes, parties DefensiveCharms_util1 DefensiveCharms_util2
        y2013/DogChoosing: 5 issues, 270 outcomes, parties DogChoosing_util1 DogChoosing_util2
        y2013/Fifty2013: 1 issues, 11 outcomes, parties FiftyFifty2013_prof1 FiftyFifty2013_prof2
        y2013/HouseKeeping: 5 issues, 384 outcomes, parties HouseKeeping-C-prof1 HouseKeeping-C-prof2
        y2013/Icecream: 4 issues, 720 outcomes, parties Icecream_util1 Icecream_util2
        y2013/Kitchen: 6 issues, 15625 outcomes, parties Kitchen-husband Kitchen-wife
        y2013/Laptop: 3 issues, 27 outcomes, parties Laptop-C-prof1 Laptop-C-prof2
        y2013/Lunch: 6 issues, 3840 outcomes, parties Lunch_util1 Lunch_util2
        y2013/NiceOrDie: 1 issues, 3 outcomes, parties NiceOrDie-B-prof1 NiceOrDie-B-prof2
        y2013/Outfit: 4 issues, 128 outcomes, parties Outfit-B-prof1 Outfit-B-prof2
        y2013/SmartPhone: 6 issues, 12000 outcomes, parties SmartPhone_util1 SmartPhone_util2
        y2013/Ultimatum: 2 issues, 9 outcomes, parties Ultimatum_util1 Ultimatum_util2
        y2013/Wholesaler: 7 issues, 56700 outcomes, parties Wholesaler-prof1 Wholesaler-prof2
        y2013/cameradomain: 6 issues, 3600 outcomes, parties Camera-A-prof1 Camera-A-prof2
        y2013/planes: 3 issues, 27 outcomes, parties plane_buyer_utility plane_seller_utility
        y2015/group2-dinner: 5 issues, 1200 outcomes, parties Dinner_util1 Dinner_util2 Dinner_util3
        y2015/group2-new_sporthal: 5 issues, 243 outcomes, parties New_sporthal_util1 New_sporthal_util2 New_sporthal_util3
        y2015/group2-politics: 8 issues, 23040 outcomes, parties Politics_util1 Politics_util2 Politics_util3
        y2015/group9-vacation: 5 issues, 1600 outcomes, parties Vacation_util2 Vacation_util3 Vacation_util4
        y2016/AgentHp2: 8 issues, 5764801 outcomes, parties consumer producer provider
        y2016/Atlas3: 2 issues, 9 outcomes, parties triangularFight_util1 triangularFight_util2 triangularFight_util3
        y2016/Farma: 2 issues, 25 outcomes, parties DomainTwF_util1 DomainTwF_util2 DomainTwF_util3
    "#]].assert_eq(&summary);
}

#[test]
fn every_real_profile_normalises_into_the_unit_interval_with_best_outcome_one() {
    let Some(scenarios) = real_scenarios() else { return };
    for (folder, scenario) in &scenarios {
        for party in scenario.normalised_utilities() {
            let context = format!("{} party {}", folder.name, party.party);
            let weight_sum: f64 = party.issues.iter().map(|issue| issue.weight).sum();
            assert!(
                (weight_sum - 1.0).abs() < TOLERANCE,
                "{context}: weights add up to {weight_sum}"
            );
            let mut best_utility = 0.0;
            let mut worst_utility = 0.0;
            for issue in &party.issues {
                assert!(
                    issue.weight >= 0.0,
                    "{context}: issue {} has weight {}",
                    issue.name,
                    issue.weight
                );
                assert!(
                    !issue.options.is_empty(),
                    "{context}: issue {} has no options",
                    issue.name
                );
                for option in &issue.options {
                    assert!(
                        (0.0..=1.0).contains(&option.value),
                        "{context}: option {} of {} has value {}",
                        option.label,
                        issue.name,
                        option.value
                    );
                }
                let max_value = issue.options.iter().map(|option| option.value).fold(0.0, f64::max);
                let min_value = issue.options.iter().map(|option| option.value).fold(1.0, f64::min);
                best_utility += issue.weight * max_value;
                worst_utility += issue.weight * min_value;
            }
            assert!(
                (best_utility - 1.0).abs() < TOLERANCE,
                "{context}: best utility {best_utility}"
            );
            assert!(
                worst_utility < best_utility,
                "{context}: every outcome has utility {best_utility}"
            );
        }
    }
}

#[test]
fn every_real_scenario_survives_write_and_parse() {
    let Some(scenarios) = real_scenarios() else { return };
    for (folder, scenario) in &scenarios {
        let domain = scenario.domain();
        let domain_text = write_domain(domain);
        assert_eq!(
            parse_domain("written.xml", &domain_text).as_ref(),
            Ok(domain),
            "{}",
            folder.name
        );
        // Written files keep the party ids, so the whole scenario must come back unchanged.
        let mut written_files = vec![(format!("{}/domain.xml", folder.name), domain_text)];
        for (party, profile) in scenario.profiles() {
            let file_name = format!("{}/{party}.xml", folder.name);
            written_files.push((file_name, write_profile(domain, profile)));
        }
        let reread = parse_scenario(&written_files)
            .unwrap_or_else(|error| panic!("{}: written files do not parse: {error}", folder.name));
        assert_eq!(&reread, scenario, "{}", folder.name);
    }
}

fn find<'a>(scenarios: &'a [(Folder, Scenario)], name: &str) -> &'a Scenario {
    let found = scenarios.iter().find(|(folder, _)| folder.name == name);
    &found.unwrap_or_else(|| panic!("no folder {name}")).1
}

fn render_party(scenario: &Scenario, party: &str, n_issues: usize) -> String {
    let utilities = scenario.normalised_utilities();
    let party = utilities.iter().find(|candidate| candidate.party == party).expect("the party");
    let mut res = String::new();
    for issue in party.issues.iter().take(n_issues) {
        let options: Vec<String> = issue
            .options
            .iter()
            .map(|option| format!("{}={:.4}", option.label, option.value))
            .collect();
        let _ = writeln!(res, "{} w={:.4}: {}", issue.name, issue.weight, options.join(", "));
    }
    res
}

#[test]
fn real_discrete_and_integer_evaluations_match_genius() {
    let Some(scenarios) = real_scenarios() else { return };
    // Raw evaluations such as 41 and 370 are divided by the issue's largest.
    let travel = find(&scenarios, "y2010/Travel");
    expect![[r#"
        Atmosphere w=0.3705: Cultural heritage=0.1108, Local traditions=0.0892, Political stability=0.5757, Security (personal)=0.7081, Liveliness=0.1216, Turistic activities=0.1000, Hospitality=1.0000
    "#]].assert_eq(&render_party(travel, "travel_chox", 1));
    // Linear evaluators run from the lower bound: offset 1.0, slope -0.15 over 8..=14.
    let energy = find(&scenarios, "y2016/AgentHp2");
    expect![[r#"
        0:00-2:59 prices [cents/kWh] w=0.0830: 8=1.0000, 9=0.8500, 10=0.7000, 11=0.5500, 12=0.4000, 13=0.2500, 14=0.1000
    "#]].assert_eq(&render_party(energy, "consumer", 1));
    // The y2011 Car profiles carry similarity functions, which are ignored.
    let car = find(&scenarios, "y2011/Car");
    expect![[r#"
        CD player w=0.1600: good=1.0000, fairly good=0.9800, standard=0.9200, meager=0.7500, none=0.0000
    "#]].assert_eq(&render_party(car, "adg_deal", 1));
    // Discount factors and reservation values are kept as written.
    let vacation = find(&scenarios, "y2015/group9-vacation");
    let kept: Vec<String> = vacation
        .profiles()
        .iter()
        .map(|(party, profile)| {
            format!("{party}: {:?} {:?}", profile.reservation, profile.discount_factor)
        })
        .collect();
    expect![[r#"
        Vacation_util2: Some(0.3) Some(1.0)
        Vacation_util3: Some(0.0) Some(1.0)
        Vacation_util4: Some(0.0) Some(1.0)"#]]
    .assert_eq(&kept.join("\n"));
}

#[test]
fn every_real_scenario_converts_to_a_valid_parley_scenario_and_back() {
    let Some(scenarios) = real_scenarios() else { return };
    for (folder, scenario) in &scenarios {
        let fallback_id = folder.name.rsplit('/').next().unwrap();
        let model = parley_genius::to_model(scenario, fallback_id)
            .unwrap_or_else(|error| panic!("{}: {error}", folder.name));
        let text = parley_model::scenario_file::write_scenario(&model);
        let loaded = parley_model::scenario_file::read_scenario(&text);
        let rendered: Vec<String> =
            loaded.diagnostics.iter().map(|d| d.render(&folder.name)).collect();
        assert_eq!(rendered, Vec::<String>::new(), "{}", folder.name);
        let valid = loaded.scenario.unwrap();
        assert_eq!(
            valid.scenario(),
            &model,
            "{}: the TOML round trip changed the scenario",
            folder.name
        );
        let (domain, profiles) = parley_genius::from_model(&valid).unwrap();
        let mut files =
            vec![(format!("{}/domain.xml", folder.name), parley_genius::write_domain(&domain))];
        for (party, profile) in &profiles {
            files.push((
                format!("{}/{party}.xml", folder.name),
                parley_genius::write_profile(&domain, profile),
            ));
        }
        let back = parley_genius::parse_scenario(&files)
            .unwrap_or_else(|error| panic!("{}: {error}", folder.name));
        let back = parley_genius::to_model(&back, "unused").unwrap();
        assert_eq!(back, model, "{}: export then import changed the scenario", folder.name);
    }
}
