//! Each draft's evaluation. A draft settles some issues on one option, keeps bracketed
//! alternatives on others, and leaves the rest open; its *completions* are the outcomes that
//! agree with it. For each negotiating party: the range of its utility over the completions
//! and the points it objects to; for all of them: whether every completion, some completion or
//! no completion lies in the agreement zone; and how far the best completions are from the
//! Pareto frontier.

use parley_engine::control::Control;
use parley_engine::outcome_set::OutcomeSet;
use parley_engine::space::{Scope, UtilitySpace};
use parley_model::scenario::{Position, Settlement};
use parley_model::stance::{Stance, StanceLevel};
use parley_model::validate::ValidScenario;
use rayon::ThreadPool;

use crate::{Compiled, Result};

/// Whether the parties whose consent is needed would accept a draft.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Acceptance {
    /// Every completion of the draft lies in the agreement zone.
    Accepted,
    /// Some completions lie in the zone, others do not: it depends on the open points.
    DependsOnOpenPoints,
    /// No completion lies in the zone.
    Rejected,
}

impl Acceptance {
    /// The keyword used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Acceptance::Accepted => "accepted",
            Acceptance::DependsOnOpenPoints => "depends-on-open-points",
            Acceptance::Rejected => "rejected",
        }
    }
}

/// A point of a draft that a party objects to.
#[derive(Clone, PartialEq, Debug)]
pub struct Objection {
    /// The point's index in the draft.
    pub point_idx: usize,
    /// Whether every option the point allows is one of the party's red lines.
    pub red_line: bool,
}

/// One party's view of a draft.
#[derive(Clone, PartialEq, Debug)]
pub struct PartyView {
    /// The least and the most utility the party gets over the draft's completions.
    pub utility_range: (f64, f64),
    /// The points it objects to: every option they allow is an objection, a strong
    /// objection or a red line for it (or an exact value below the scale's workable band).
    pub objections: Vec<Objection>,
    /// Whether no completion reaches the party's reservation or avoids its red lines.
    pub rejects: bool,
}

/// The evaluation of one draft.
#[derive(Clone, PartialEq, Debug)]
pub struct DraftEvaluation {
    /// The options each issue may still take under the draft, `[issue][..]`.
    pub allowed_options: Vec<Vec<usize>>,
    /// The issues its points settle on different options (their intersection is empty): such
    /// an issue keeps all its options.
    pub contradictions: Vec<usize>,
    /// How many completions the draft has.
    pub n_completions: f64,
    /// Each negotiating party's view, in the order of the analysis's parties.
    pub parties: Vec<PartyView>,
    /// Whether the parties whose consent is needed would accept it.
    pub acceptance: Acceptance,
    /// The smallest Euclidean distance, in utility space, from a Pareto-optimal completion of
    /// the draft to an outcome of the (unrestricted) frontier that weakly dominates it: 0 when
    /// the open points can still be settled on the frontier; `None` when that frontier's
    /// step was cut short.
    pub distance_to_frontier: Option<f64>,
}

/// The options each issue may take under a draft, and the issues its points contradict on.
fn allowed_options(scenario: &ValidScenario, draft_idx: usize) -> (Vec<Vec<usize>>, Vec<usize>) {
    let record = scenario.scenario();
    let draft = &record.drafts[draft_idx];
    let mut allowed: Vec<Vec<usize>> =
        record.issues.iter().map(|issue| (0..issue.options.len()).collect()).collect();
    let mut contradictions = Vec::new();
    for point in &draft.points {
        let Some(issue_idx) = point.issue.as_ref().and_then(|issue| scenario.issue_index(issue))
        else {
            continue;
        };
        let issue = &record.issues[issue_idx];
        let options: Vec<usize> = match &point.settlement {
            Settlement::Unspecified => continue,
            Settlement::Option(option) => issue.option_index(option).into_iter().collect(),
            Settlement::Bracketed(options) => {
                options.iter().filter_map(|option| issue.option_index(option)).collect()
            }
        };
        let narrowed: Vec<usize> =
            allowed[issue_idx].iter().copied().filter(|idx| options.contains(idx)).collect();
        if narrowed.is_empty() {
            contradictions.push(issue_idx);
        } else {
            allowed[issue_idx] = narrowed;
        }
    }
    contradictions.dedup();
    for &issue_idx in &contradictions {
        allowed[issue_idx] = (0..record.issues[issue_idx].options.len()).collect();
    }
    (allowed, contradictions)
}

/// The space restricted to the draft's completions: each issue keeps only its allowed options,
/// and an indifferent issue (narrowed to one option in `space`) its one.
fn restricted_space(
    space: &UtilitySpace,
    indifferent: &[usize],
    allowed: &[Vec<usize>],
) -> Result<UtilitySpace> {
    let narrowed: Vec<Vec<usize>> =
        allowed
            .iter()
            .enumerate()
            .map(|(issue_idx, options)| {
                if indifferent.binary_search(&issue_idx).is_ok() {
                    vec![0]
                } else {
                    options.clone()
                }
            })
            .collect();
    Ok(space.restricted(&narrowed)?)
}

/// Whether a party objects to an option: a stance of objection or worse, or an exact value
/// below the scale's workable band. An unknown stance is no objection.
fn objects_to(scenario: &ValidScenario, stance: Option<Stance>) -> bool {
    let workable_floor = scenario.scenario().scale.stance(StanceLevel::Workable).low;
    match stance {
        Some(Stance::Level(level)) => level <= StanceLevel::Objection,
        Some(Stance::Value(value)) => value < workable_floor,
        None => false,
    }
}

/// Evaluates every draft of the scenario.
pub(crate) fn evaluate_drafts(
    compiled: &Compiled<'_>,
    frontier: Option<&OutcomeSet>,
    pool: &ThreadPool,
    control: &Control<'_>,
) -> Result<Vec<DraftEvaluation>> {
    // The same positions as the utilities: each party's latest as of the analysis's date.
    let positions = compiled.scenario.current_positions(compiled.as_of);
    (0..compiled.scenario.scenario().drafts.len())
        .map(|draft_idx| evaluate_draft(compiled, &positions, frontier, draft_idx, pool, control))
        .collect()
}

fn evaluate_draft(
    compiled: &Compiled<'_>,
    positions: &[Vec<Option<&Position>>],
    frontier: Option<&OutcomeSet>,
    draft_idx: usize,
    pool: &ThreadPool,
    control: &Control<'_>,
) -> Result<DraftEvaluation> {
    let Compiled { scenario, parties, space, indifferent, .. } = *compiled;
    let record = scenario.scenario();
    let draft = &record.drafts[draft_idx];
    let (allowed, contradictions) = allowed_options(scenario, draft_idx);
    let restricted = restricted_space(space, indifferent, &allowed)?;
    let views: Vec<PartyView> = parties
        .iter()
        .enumerate()
        .map(|(party_idx, party)| {
            let low = lowest_utility(&restricted, party_idx);
            let objections = draft
                .points
                .iter()
                .enumerate()
                .filter_map(|(point_idx, point)| {
                    let issue_idx =
                        point.issue.as_ref().and_then(|issue| scenario.issue_index(issue))?;
                    let issue = &record.issues[issue_idx];
                    let options: Vec<&parley_model::Id> = match &point.settlement {
                        Settlement::Unspecified => return None,
                        Settlement::Option(option) => vec![option],
                        Settlement::Bracketed(options) => options.iter().collect(),
                    };
                    let position = positions[party.party_idx][issue_idx];
                    let stance = |option: &parley_model::Id| {
                        position.and_then(|position| position.stance_on(option))
                    };
                    let objects = options.iter().all(|option| objects_to(scenario, stance(option)));
                    objects.then(|| Objection {
                        point_idx,
                        red_line: options.iter().all(|option| {
                            issue
                                .option_index(option)
                                .is_some_and(|option_idx| party.red_lines[issue_idx][option_idx])
                        }),
                    })
                })
                .collect();
            let red_line_everywhere = (0..restricted.n_issues()).any(|issue_idx| {
                (0..restricted.option_counts()[issue_idx])
                    .all(|option_idx| restricted.is_red_line(party_idx, issue_idx, option_idx))
            });
            let high = restricted.best()[party_idx];
            let below_reservation = restricted.constrains_zone(party_idx)
                && restricted.reservation(party_idx).is_some_and(|reservation| {
                    high < reservation - parley_engine::space::ZONE_TOLERANCE
                });
            PartyView {
                utility_range: (low, high),
                objections,
                rejects: red_line_everywhere || below_reservation,
            }
        })
        .collect();
    let acceptance = restricted_acceptance(&restricted, control)?;
    let distance_to_frontier = match frontier {
        None => None,
        Some(frontier) => {
            let completions = parley_engine::frontier::pareto_frontier(
                &restricted,
                Scope::Unrestricted,
                pool,
                control,
            )?;
            let mut distance = f64::INFINITY;
            for (_, utilities) in completions.iter() {
                // Comparing with every frontier outcome is a step each.
                control.spend(frontier.len() as u64)?;
                distance = distance.min(distance_to_dominating(utilities, frontier));
            }
            Some(distance)
        }
    };
    Ok(DraftEvaluation {
        n_completions: allowed.iter().map(|options| options.len() as f64).product(),
        allowed_options: allowed,
        contradictions,
        parties: views,
        acceptance,
        distance_to_frontier,
    })
}

/// The options each issue may take under each draft, `[draft][issue][..]`.
pub(crate) fn allowed_options_of_drafts(scenario: &ValidScenario) -> Vec<Vec<Vec<usize>>> {
    (0..scenario.scenario().drafts.len())
        .map(|draft_idx| allowed_options(scenario, draft_idx).0)
        .collect()
}

/// Whether the completions of a draft (its allowed options) lie in the zone of a space, e.g.
/// a sampled one.
pub(crate) fn acceptance(
    space: &UtilitySpace,
    indifferent: &[usize],
    allowed: &[Vec<usize>],
    control: &Control<'_>,
) -> Result<Acceptance> {
    restricted_acceptance(&restricted_space(space, indifferent, allowed)?, control)
}

fn lowest_utility(space: &UtilitySpace, party_idx: usize) -> f64 {
    (0..space.n_issues())
        .map(|issue_idx| {
            (0..space.option_counts()[issue_idx])
                .map(|option_idx| space.value(party_idx, issue_idx, option_idx))
                .fold(f64::INFINITY, f64::min)
        })
        .sum()
}

/// Whether every, some or no outcome of a (restricted) space lies in its zone.
fn restricted_acceptance(restricted: &UtilitySpace, control: &Control<'_>) -> Result<Acceptance> {
    if !parley_engine::zone::zone_exists(restricted, control)? {
        return Ok(Acceptance::Rejected);
    }
    let every_completion_in_zone = (0..restricted.n_parties()).all(|party_idx| {
        let no_red_line = (0..restricted.n_issues()).all(|issue_idx| {
            (0..restricted.option_counts()[issue_idx])
                .all(|option_idx| !restricted.is_red_line(party_idx, issue_idx, option_idx))
        });
        let floor_met = !restricted.constrains_zone(party_idx)
            || restricted.reservation(party_idx).is_none_or(|reservation| {
                lowest_utility(restricted, party_idx)
                    >= reservation - parley_engine::space::ZONE_TOLERANCE
            });
        no_red_line && floor_met
    });
    Ok(if every_completion_in_zone {
        Acceptance::Accepted
    } else {
        Acceptance::DependsOnOpenPoints
    })
}

/// The smallest Euclidean distance from a utility vector to a frontier outcome that weakly
/// dominates it. Every outcome is weakly dominated by some frontier outcome, so one exists.
fn distance_to_dominating(utilities: &[f64], frontier: &OutcomeSet) -> f64 {
    frontier
        .iter()
        .filter(|(_, candidate)| {
            candidate.iter().zip(utilities).all(|(candidate, own)| candidate >= own)
        })
        .map(|(_, candidate)| {
            candidate
                .iter()
                .zip(utilities)
                .map(|(candidate, own)| (candidate - own).powi(2))
                .sum::<f64>()
                .sqrt()
        })
        .fold(f64::INFINITY, f64::min)
}
