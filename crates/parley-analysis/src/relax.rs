//! How the answer moves when the analyst's readings are relaxed: each figure marked
//! `inferred` (the analyst's reading of a cited sentence) is read one step weaker, one at a
//! time and then all at once, and the agreement zone and the Nash package are computed again
//! on the point estimates.
//!
//! One step weaker: on a position whose stances are inferred, a red line becomes a strong
//! objection, a strong objection an objection, and a preference acceptable (the middle levels
//! and exact values stay); an inferred importance drops one level (critical to high, high to
//! medium, medium to low); an inferred consent scope is dropped (the party's consent is not
//! needed). Assumed figures are not relaxed: no sentence gives them a stronger or weaker
//! reading.

use parley_engine::control::Control;
use parley_engine::zone::ZoneSize;
use parley_model::scenario::{Consent, Scenario};
use parley_model::stance::{Importance, ImportanceLevel, Stance, StanceLevel};
use parley_model::utility::party_utilities;
use parley_model::validate::ValidScenario;
use parley_model::{Basis, Date, Id};
use rayon::ThreadPool;

use crate::{Result, compile_space};

/// One relaxation and what follows from it.
#[derive(Debug, Clone, PartialEq)]
pub struct Relaxation {
    /// The fields relaxed, as paths in the scenario (`positions[1]`,
    /// `positions[1].importance`, `parties[3].consent`); several for the relaxation of all
    /// inferred readings at once.
    pub paths: Vec<String>,
    /// What was relaxed, as a sentence.
    pub what: String,
    /// The negotiating parties of the relaxed scenario (a dropped consent removes one).
    pub parties: Vec<Id>,
    /// Whether the relaxed scenario has an agreement zone.
    pub zone_exists: bool,
    /// How many outcomes its zone holds, over all issues, when counted and at most
    /// `u64::MAX`.
    pub zone_size: Option<u64>,
    /// Its Nash packages: for each, the option of each issue (`None` on an issue no party
    /// tells apart) and each of `parties`' utility; empty without a zone.
    pub nash: Vec<(Vec<Option<usize>>, Vec<f64>)>,
}

/// One step weaker reading of a stance level.
pub fn relax_stance(level: StanceLevel) -> StanceLevel {
    match level {
        StanceLevel::RedLine => StanceLevel::StrongObjection,
        StanceLevel::StrongObjection => StanceLevel::Objection,
        StanceLevel::Preferred => StanceLevel::Acceptable,
        other => other,
    }
}

/// One level lower importance; low stays low.
pub fn relax_importance(level: ImportanceLevel) -> ImportanceLevel {
    match level {
        ImportanceLevel::Critical => ImportanceLevel::High,
        ImportanceLevel::High => ImportanceLevel::Medium,
        _ => ImportanceLevel::Low,
    }
}

/// One relaxation of a record: the paths it touches, what it says, and the edit.
struct Edit {
    paths: Vec<String>,
    what: String,
    apply: Box<dyn Fn(&mut Scenario)>,
}

/// The relaxations of a scenario's inferred readings, one at a time: positions (whose stances
/// change), importances (that can drop) and consent scopes.
fn edits(record: &Scenario) -> Vec<Edit> {
    let mut edits = Vec::new();
    for (position_idx, position) in record.positions.iter().enumerate() {
        if position.confidence == Basis::Inferred {
            let changes: Vec<String> = position
                .stances
                .iter()
                .filter_map(|(option, stance)| match stance {
                    Stance::Level(level) if relax_stance(*level) != *level => Some(format!(
                        "{option} {} to {}",
                        level.as_str(),
                        relax_stance(*level).as_str()
                    )),
                    _ => None,
                })
                .collect();
            if !changes.is_empty() {
                edits.push(Edit {
                    paths: vec![format!("positions[{position_idx}]")],
                    what: format!(
                        "stances of '{}' on '{}': {}",
                        position.party,
                        position.issue,
                        changes.join(", ")
                    ),
                    apply: Box::new(move |scenario: &mut Scenario| {
                        for (_, stance) in &mut scenario.positions[position_idx].stances {
                            if let Stance::Level(level) = stance {
                                *level = relax_stance(*level);
                            }
                        }
                    }),
                });
            }
        }
        if position.importance_basis == Basis::Inferred
            && let Some(Importance::Level(level)) = position.importance
            && relax_importance(level) != level
        {
            edits.push(Edit {
                paths: vec![format!("positions[{position_idx}].importance")],
                what: format!(
                    "importance of '{}' to '{}': {} to {}",
                    position.issue,
                    position.party,
                    level.as_str(),
                    relax_importance(level).as_str()
                ),
                apply: Box::new(move |scenario: &mut Scenario| {
                    let position = &mut scenario.positions[position_idx];
                    if let Some(Importance::Level(level)) = &mut position.importance {
                        *level = relax_importance(*level);
                    }
                }),
            });
        }
    }
    for (party_idx, party) in record.parties.iter().enumerate() {
        if party.consent_basis == Basis::Inferred && party.consent.is_required_anywhere() {
            edits.push(Edit {
                paths: vec![format!("parties[{party_idx}].consent")],
                what: format!("consent of '{}' not needed", party.id),
                apply: Box::new(move |scenario: &mut Scenario| {
                    scenario.parties[party_idx].consent = Consent::NotRequired;
                }),
            });
        }
    }
    edits
}

/// Every inferred reading of the scenario relaxed one step, one at a time and then (when
/// there are several) all at once, each with its agreement zone and Nash package on the
/// point estimates, using the positions as of a date. Empty when nothing is inferred.
pub fn relaxations(
    scenario: &ValidScenario,
    as_of: Option<Date>,
    zone_count_limit: f64,
    pool: &ThreadPool,
    control: &Control<'_>,
) -> Result<Vec<Relaxation>> {
    let record = scenario.scenario();
    let edits = edits(record);
    let mut runs: Vec<(Vec<String>, String, Scenario)> = edits
        .iter()
        .map(|edit| {
            let mut relaxed = record.clone();
            (edit.apply)(&mut relaxed);
            (edit.paths.clone(), edit.what.clone(), relaxed)
        })
        .collect();
    if edits.len() > 1 {
        let mut relaxed = record.clone();
        for edit in &edits {
            (edit.apply)(&mut relaxed);
        }
        let paths = edits.iter().flat_map(|edit| edit.paths.clone()).collect();
        runs.push((paths, "every inferred reading at once".to_owned(), relaxed));
    }
    let mut res = Vec::new();
    for (paths, what, relaxed) in runs {
        // Relaxing a level or dropping a consent cannot make a valid record invalid.
        let Ok((relaxed, _)) = ValidScenario::new(relaxed) else { continue };
        res.push(relaxed_analysis(&relaxed, paths, what, as_of, zone_count_limit, pool, control)?);
    }
    Ok(res)
}

fn relaxed_analysis(
    scenario: &ValidScenario,
    paths: Vec<String>,
    what: String,
    as_of: Option<Date>,
    zone_count_limit: f64,
    pool: &ThreadPool,
    control: &Control<'_>,
) -> Result<Relaxation> {
    use parley_engine::{solutions, zone};

    let parties = party_utilities(scenario, as_of);
    let (space, indifferent) = compile_space(scenario, &parties)?.without_indifference();
    let zone_exists = zone::zone_exists(&space, control)?;
    let per_outcome: Option<u64> = indifferent.iter().try_fold(1u64, |product, &issue_idx| {
        product.checked_mul(scenario.scenario().issues[issue_idx].options.len() as u64)
    });
    let zone_size = match zone::zone_size(&space, zone_count_limit, pool, control)? {
        ZoneSize::Counted(count) => per_outcome.and_then(|factor| factor.checked_mul(count)),
        ZoneSize::NotCounted { .. } => None,
    };
    let nash = solutions::nash(&space, pool, control)?;
    let nash = nash
        .iter()
        .map(|(outcome, utilities)| {
            let options = outcome
                .iter()
                .enumerate()
                .map(|(issue_idx, &option_idx)| {
                    indifferent
                        .binary_search(&issue_idx)
                        .is_err()
                        .then_some(usize::from(option_idx))
                })
                .collect();
            (options, utilities.to_vec())
        })
        .collect();
    Ok(Relaxation {
        paths,
        what,
        parties: parties.iter().map(|party| party.party.clone()).collect(),
        zone_exists,
        zone_size,
        nash,
    })
}
