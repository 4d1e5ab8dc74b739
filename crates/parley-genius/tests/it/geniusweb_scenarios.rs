//! Every GENIUS scenario of `../shared/scenarios/genius` (and those of `genius-more` that the
//! GENIUS reader reads) converts to GeniusWeb files and back to the same Parley scenario, but
//! for what GeniusWeb cannot hold.
//!
//! What GeniusWeb cannot hold: a reservation value without a bid, a discount factor (both
//! dropped, and listed in `Export::left_out`), and weights that do not add up to 1 (GeniusWeb
//! requires that they do, so they are normalised: equal to the normalised GENIUS weights
//! within 1e-12, as division and decimal rounding allow). Every other number (each option's
//! utility) comes back exactly.
#![allow(clippy::print_stderr, reason = "skipped folders are named")]

use parley_genius::geniusweb;
use parley_model::scenario::Scenario as ModelScenario;
use parley_model::stance::Importance;

use crate::helpers::{Folder, genius_root, scenario_folders, shared_scenarios};

const WEIGHT_TOLERANCE: f64 = 1e-12;

/// The GENIUS scenario as a Parley one, as `parley import genius` makes it; `None` where the
/// GENIUS reader refuses the folder.
fn from_genius(folder: &Folder) -> Option<ModelScenario> {
    let genius = parley_genius::parse_scenario(&folder.files).ok()?;
    let fallback_id = folder.name.rsplit('/').next().unwrap();
    parley_genius::to_model(&genius, fallback_id).ok()
}

/// Through GeniusWeb files and back.
fn through_geniusweb(folder: &Folder, model: &ModelScenario) -> (ModelScenario, Vec<String>) {
    let text = parley_model::scenario_file::write_scenario(model);
    let valid = parley_model::scenario_file::read_scenario(&text).scenario.unwrap();
    let export =
        geniusweb::from_model(&valid).unwrap_or_else(|error| panic!("{}: {error}", folder.name));
    let mut files = vec![(
        format!("{}/{}.json", folder.name, export.domain.name),
        geniusweb::write_domain(&export.domain),
    )];
    for profile in &export.profiles {
        files.push((
            format!("{}/{}-profile.json", folder.name, profile.name),
            geniusweb::write_profile(profile),
        ));
    }
    let back = geniusweb::parse_scenario(&files)
        .unwrap_or_else(|error| panic!("{}: {error}", folder.name));
    let back = geniusweb::to_model(&back, "unused")
        .unwrap_or_else(|error| panic!("{}: {error}", folder.name));
    (back, export.left_out)
}

/// Each party's weights, normalised, in position order; the positions' weights are then set
/// to 1 so that the rest can be compared exactly.
fn take_weights(model: &mut ModelScenario) -> Vec<f64> {
    let mut weights = Vec::new();
    for party in &model.parties {
        let raw: Vec<f64> = model
            .positions
            .iter()
            .filter(|position| position.party == party.id)
            .map(|position| match position.importance {
                Some(Importance::Weight(weight)) => weight,
                ref other => panic!("{other:?}"),
            })
            .collect();
        let total: f64 = raw.iter().sum();
        weights.extend(raw.iter().map(|weight| weight / total));
    }
    for position in &mut model.positions {
        position.importance = Some(Importance::Weight(1.0));
    }
    weights
}

fn assert_same_but_for_what_geniusweb_cannot_hold(folder: &Folder, model: &ModelScenario) {
    let (mut back, left_out) = through_geniusweb(folder, model);
    let mut expected = model.clone();
    let mut expected_left_out = 0;
    for party in &mut expected.parties {
        expected_left_out += usize::from(party.reservation.take().is_some());
        expected_left_out += usize::from(party.discount_factor.take().is_some());
    }
    assert_eq!(left_out.len(), expected_left_out, "{}: {left_out:?}", folder.name);
    let weights = take_weights(&mut expected);
    let back_weights = take_weights(&mut back);
    assert_eq!(weights.len(), back_weights.len(), "{}", folder.name);
    for (weight, back_weight) in weights.iter().zip(&back_weights) {
        assert!(
            (weight - back_weight).abs() <= WEIGHT_TOLERANCE,
            "{}: weight {weight} came back as {back_weight}",
            folder.name
        );
    }
    assert_eq!(
        back, expected,
        "{}: GENIUS to GeniusWeb and back changed the scenario",
        folder.name
    );
}

#[test]
fn every_genius_scenario_converts_to_geniusweb_and_back() {
    let Some(root) = genius_root() else { return };
    let folders = scenario_folders(&root);
    assert!(!folders.is_empty());
    for folder in &folders {
        let model = from_genius(folder)
            .unwrap_or_else(|| panic!("{}: the GENIUS reader refuses it", folder.name));
        assert_same_but_for_what_geniusweb_cannot_hold(folder, &model);
    }
}

#[test]
fn every_further_genius_scenario_converts_to_geniusweb_and_back_or_is_refused_for_constraints() {
    let Some(root) = shared_scenarios("genius-more") else { return };
    let (mut n_additive, mut n_constraints) = (0, 0);
    for folder in &scenario_folders(&root) {
        let model = from_genius(folder)
            .unwrap_or_else(|| panic!("genius-more/{}: the GENIUS reader refuses it", folder.name));
        if model.constraint_utilities.is_empty() {
            assert_same_but_for_what_geniusweb_cannot_hold(folder, &model);
            n_additive += 1;
            continue;
        }
        // GeniusWeb's linear additive profiles cannot hold GENIUS's non-linear ones.
        let text = parley_model::scenario_file::write_scenario(&model);
        let valid = parley_model::scenario_file::read_scenario(&text).scenario.unwrap();
        let refused = geniusweb::from_model(&valid).err();
        assert!(
            matches!(refused, Some(parley_genius::ConversionError::ConstraintUtilities)),
            "{}: {refused:?}",
            folder.name
        );
        n_constraints += 1;
    }
    assert!(n_additive > 0 && n_constraints > 0);
}

#[test]
fn a_geniusweb_scenario_converts_back_exactly_and_keeps_its_reservation_bids() {
    let Some(root) = genius_root() else { return };
    // A GENIUS scenario made GeniusWeb, given reservation bids, is a fixed point of
    // import-export-import, reservation bids included.
    let folder =
        scenario_folders(&root).into_iter().find(|folder| folder.name == "y2011/Laptop").unwrap();
    let model = from_genius(&folder).unwrap();
    let (first, _) = through_geniusweb(&folder, &model);
    let text = parley_model::scenario_file::write_scenario(&first);
    let valid = parley_model::scenario_file::read_scenario(&text).scenario.unwrap();
    let mut export = geniusweb::from_model(&valid).unwrap();
    for profile in &mut export.profiles {
        let bid = profile.domain.issues.iter().map(|issue| {
            let geniusweb::ValueSet::Discrete(values) = &issue.values else { unreachable!() };
            (issue.name.clone(), values[values.len() / 2].clone())
        });
        profile.reservation_bid = Some(bid.collect());
    }
    let mut files = vec![("l/domain.json".to_owned(), geniusweb::write_domain(&export.domain))];
    for profile in &export.profiles {
        files.push((format!("l/{}.json", profile.name), geniusweb::write_profile(profile)));
    }
    let with_bids = geniusweb::to_model(&geniusweb::parse_scenario(&files).unwrap(), "l").unwrap();
    assert!(with_bids.parties.iter().all(|party| party.reservation.is_some()));
    let (again, left_out) = through_geniusweb(&folder, &with_bids);
    assert_eq!(left_out, Vec::<String>::new());
    assert_eq!(again, with_bids);
}
