//! What a mediator reads first, computed from the record alone: the timeline of meetings,
//! each draft's lineage, the party x issue stance matrix, the issues that red lines block,
//! the contested claims, and every figure that is an analyst's assumption.

use std::collections::BTreeMap;

use crate::scenario::{Claim, ClaimStatus, Draft, Fate, Meeting, PointSelection, Position};
use crate::stance::{Stance, StanceLevel};
use crate::validate::ValidScenario;
use crate::{Basis, Date, FuzzyDate, Id};

/// What an assumed position says, as it reads: `: importance medium; major-role
/// objection, consulted workable`.
fn position_summary(position: &crate::scenario::Position) -> String {
    use crate::stance::{Importance, Stance};
    let mut parts = Vec::new();
    match position.importance {
        Some(Importance::Level(level)) => parts.push(format!("importance {}", level.as_str())),
        Some(Importance::Weight(weight)) => parts.push(format!("weight {weight}")),
        None => {}
    }
    let stances: Vec<String> = position
        .stances
        .iter()
        .map(|(option, stance)| match stance {
            Stance::Level(level) => format!("{option} {}", level.as_str()),
            Stance::Value(value) => format!("{option} {value}"),
        })
        .collect();
    if !stances.is_empty() {
        parts.push(stances.join(", "));
    }
    if parts.is_empty() { String::new() } else { format!(": {}", parts.join("; ")) }
}

/// The meetings in date order; undated meetings follow, planned ones last.
pub fn timeline(scenario: &ValidScenario) -> Vec<&Meeting> {
    let mut meetings: Vec<&Meeting> = scenario.scenario().meetings.iter().collect();
    meetings.sort_by_key(|meeting| {
        (meeting.date.is_none(), meeting.date.map(|date| date.date), meeting.status)
    });
    meetings
}

/// What became of one parent's points in a draft.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ParentLineage {
    /// The parent draft.
    pub parent: Id,
    /// The number of the parent's points for each fate, in [`Fate::ALL`] order; points that
    /// a `rest` entry covers count with its fate.
    pub counts: Vec<(Fate, usize)>,
    /// The parent's points that were merged, with the point they were merged into.
    pub merged: Vec<(Id, Id)>,
    /// The parent's points that were dropped.
    pub dropped: Vec<Id>,
}

/// Each draft's lineage from each of its parents, in the order of the drafts.
pub fn lineage(scenario: &ValidScenario) -> Vec<(&Draft, Vec<ParentLineage>)> {
    let drafts = &scenario.scenario().drafts;
    drafts
        .iter()
        .map(|draft| {
            let parents = draft
                .parents
                .iter()
                .map(|parent_id| {
                    let parent =
                        &drafts[scenario.draft_index(parent_id).expect("validated: parents exist")];
                    parent_lineage(draft, parent)
                })
                .collect();
            (draft, parents)
        })
        .collect()
}

fn parent_lineage(draft: &Draft, parent: &Draft) -> ParentLineage {
    let mut counts: BTreeMap<Fate, usize> = BTreeMap::new();
    let mut merged = Vec::new();
    let mut dropped = Vec::new();
    let mut n_listed = 0;
    let mut rest_fate = None;
    for entry in draft.lineage.iter().filter(|entry| entry.parent == parent.id) {
        match &entry.points {
            PointSelection::Rest => rest_fate = Some(entry.fate),
            PointSelection::Listed(points) => {
                n_listed += points.len();
                *counts.entry(entry.fate).or_default() += points.len();
                for point in points {
                    match (entry.fate, &entry.into) {
                        (Fate::Merged, Some(into)) => merged.push((point.clone(), into.clone())),
                        (Fate::Dropped, _) => dropped.push(point.clone()),
                        _ => {}
                    }
                }
            }
        }
    }
    if let Some(fate) = rest_fate {
        let n_rest = parent.n_points().saturating_sub(n_listed);
        if n_rest > 0 {
            *counts.entry(fate).or_default() += n_rest;
        }
    }
    let counts =
        Fate::ALL.iter().filter_map(|fate| counts.get(fate).map(|&count| (*fate, count))).collect();
    ParentLineage { parent: parent.id.clone(), counts, merged, dropped }
}

/// The stance matrix: each party's latest position on each issue as of a date,
/// `[party][issue]`, in the scenario's order.
pub fn stance_matrix(scenario: &ValidScenario, as_of: Option<Date>) -> Vec<Vec<Option<&Position>>> {
    scenario.current_positions(as_of)
}

/// Options of an issue that a party can accept: a stance of workable or better, or an exact
/// value at or above the low end of the scale's workable band.
pub fn acceptable_options(scenario: &ValidScenario, position: &Position) -> Vec<Id> {
    let workable_floor = scenario.scenario().scale.stance(StanceLevel::Workable).low;
    position
        .stances
        .iter()
        .filter(|(_, stance)| match stance {
            Stance::Level(level) => level.is_acceptable(),
            Stance::Value(value) => *value >= workable_floor,
        })
        .map(|(option, _)| option.clone())
        .collect()
}

/// Options of an issue that a party's red lines exclude.
pub fn red_lined_options(position: &Position) -> Vec<Id> {
    position
        .stances
        .iter()
        .filter(|(_, stance)| stance.is_red_line())
        .map(|(option, _)| option.clone())
        .collect()
}

/// An issue on which one consenting party's red lines exclude every option that another
/// consenting party can accept.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Blocking {
    /// The issue.
    pub issue: Id,
    /// The party whose red lines block.
    pub blocking_party: Id,
    /// The party all of whose acceptable options are red-lined.
    pub blocked_party: Id,
    /// The options the blocked party can accept, all red-lined by the blocking party.
    pub excluded_options: Vec<Id>,
}

/// The blocking issues, as of a date: for every issue and every ordered pair of parties
/// whose consent the issue needs, whether the first one's red lines exclude every option
/// that the second one can accept. A party that can accept no known option blocks no one.
pub fn blocking_issues(scenario: &ValidScenario, as_of: Option<Date>) -> Vec<Blocking> {
    let record = scenario.scenario();
    let matrix = scenario.current_positions(as_of);
    let mut blocking = Vec::new();
    for (issue_idx, issue) in record.issues.iter().enumerate() {
        let consenting: Vec<usize> = (0..record.parties.len())
            .filter(|&party_idx| record.parties[party_idx].consent.is_required_on(&issue.id))
            .collect();
        for &blocking_idx in &consenting {
            let Some(blocking_position) = matrix[blocking_idx][issue_idx] else { continue };
            let red_lined = red_lined_options(blocking_position);
            for &blocked_idx in consenting.iter().filter(|&&idx| idx != blocking_idx) {
                let Some(blocked_position) = matrix[blocked_idx][issue_idx] else { continue };
                let acceptable = acceptable_options(scenario, blocked_position);
                if !acceptable.is_empty()
                    && acceptable.iter().all(|option| red_lined.contains(option))
                {
                    blocking.push(Blocking {
                        issue: issue.id.clone(),
                        blocking_party: record.parties[blocking_idx].id.clone(),
                        blocked_party: record.parties[blocked_idx].id.clone(),
                        excluded_options: acceptable,
                    });
                }
            }
        }
    }
    blocking
}

/// A contested claim and the claims that dispute it.
#[derive(Clone, PartialEq, Debug)]
pub struct ContestedClaim<'a> {
    /// The claim.
    pub claim: &'a Claim,
    /// The counter-claims.
    pub counter_claims: Vec<&'a Claim>,
}

/// The contested claims that dispute no other claim, each with its counter-claims.
pub fn contested_claims(scenario: &ValidScenario) -> Vec<ContestedClaim<'_>> {
    let claims = &scenario.scenario().claims;
    claims
        .iter()
        .filter(|claim| claim.status == ClaimStatus::Contested && claim.disputes.is_none())
        .map(|claim| ContestedClaim {
            claim,
            counter_claims: claims
                .iter()
                .filter(|counter| counter.disputes.as_ref() == Some(&claim.id))
                .collect(),
        })
        .collect()
}

/// A figure or reading that is the analyst's assumption, with where it is.
#[derive(Clone, PartialEq, Debug)]
pub struct Assumption {
    /// The field, as a path in the scenario, e.g. `parties[1].reservation`.
    pub path: String,
    /// What is assumed.
    pub what: String,
}

/// Every figure that no source gives: the scale (when assumed), reservations, dates,
/// positions and constraint utilities whose basis is the analyst's assumption.
pub fn assumptions(scenario: &ValidScenario) -> Vec<Assumption> {
    let record = scenario.scenario();
    let mut found = Vec::new();
    let mut date = |path: String, what: &str, date: &Option<FuzzyDate>| {
        if let Some(date) = date
            && date.basis == Basis::Assumed
        {
            found.push(Assumption { path, what: format!("{what} date {date}") });
        }
    };
    date("scenario.as_of".to_owned(), "the scenario's", &record.as_of);
    for (idx, source) in record.sources.iter().enumerate() {
        date(format!("sources[{idx}].date"), &format!("source '{}'", source.id), &source.date);
    }
    for (idx, meeting) in record.meetings.iter().enumerate() {
        date(format!("meetings[{idx}].date"), &format!("meeting '{}'", meeting.id), &meeting.date);
    }
    for (idx, draft) in record.drafts.iter().enumerate() {
        date(format!("drafts[{idx}].date"), &format!("draft '{}'", draft.id), &draft.date);
    }
    for (idx, claim) in record.claims.iter().enumerate() {
        date(format!("claims[{idx}].date"), &format!("claim '{}'", claim.id), &claim.date);
    }
    if record.scale.basis == Basis::Assumed {
        found.push(Assumption {
            path: "scale".to_owned(),
            what: "the mapping from stances to values and from importances to weights".to_owned(),
        });
    }
    for (idx, party) in record.parties.iter().enumerate() {
        if let Some(reservation) = &party.reservation
            && reservation.basis == Basis::Assumed
        {
            found.push(Assumption {
                path: format!("parties[{idx}].reservation"),
                what: format!("reservation value {} of '{}'", reservation.value, party.id),
            });
        }
        for (note_idx, note) in party.notes.iter().enumerate() {
            if note.basis == Basis::Assumed {
                found.push(Assumption {
                    path: format!("parties[{idx}].notes[{note_idx}]"),
                    what: format!("note on '{}': {}", party.id, note.text),
                });
            }
        }
    }
    for (idx, position) in record.positions.iter().enumerate() {
        if position.confidence == Basis::Assumed {
            found.push(Assumption {
                path: format!("positions[{idx}]"),
                what: format!(
                    "position of '{}' on '{}'{}",
                    position.party,
                    position.issue,
                    position_summary(position)
                ),
            });
        }
    }
    for (idx, utility) in record.constraint_utilities.iter().enumerate() {
        if utility.basis == Basis::Assumed {
            found.push(Assumption {
                path: format!("constraint_utilities[{idx}]"),
                what: format!(
                    "constraint utility of '{}' ({} constraint(s), max utility {})",
                    utility.party,
                    utility.constraints.len(),
                    utility.max_utility
                ),
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario_file::read_scenario;

    /// Two principals: `a` additive with an assumed position, `b` by constraints, assumed,
    /// with a position that gives no stances.
    const MIXED: &str = r#"
[scenario]
id = "mixed"
title = "Mixed"

[[parties]]
id = "a"
name = "A"
role = "principal"

[[parties]]
id = "b"
name = "B"
role = "principal"

[[issues]]
id = "price"
title = "Price"
category = "other"
options = [{ id = "low" }, { id = "high" }]

[[positions]]
party = "a"
issue = "price"
confidence = "assumed"
stances = { low = "preferred", high = "red-line" }

[[positions]]
party = "b"
issue = "price"
note = "B will not say."

[[constraint_utilities]]
party = "b"
max_utility = 4
basis = "assumed"
constraints = [{ value = 4, includes = [{ issue = "price", from = "high", to = "high" }] }]
"#;

    #[test]
    fn a_party_with_a_constraint_utility_keeps_its_row_of_the_stance_matrix_and_blocks_no_one() {
        let scenario = read_scenario(MIXED).scenario.unwrap();
        let matrix = stance_matrix(&scenario, None);
        assert_eq!(matrix.len(), 2);
        assert_eq!(matrix[1][0].map(|position| position.stances.len()), Some(0));
        assert_eq!(blocking_issues(&scenario, None), Vec::new());
    }

    #[test]
    fn an_assumed_constraint_utility_is_listed_with_the_assumptions() {
        let scenario = read_scenario(MIXED).scenario.unwrap();
        let listed: Vec<String> = assumptions(&scenario)
            .into_iter()
            .map(|assumption| format!("{}: {}", assumption.path, assumption.what))
            .collect();
        assert_eq!(
            listed,
            [
                "scale: the mapping from stances to values and from importances to weights",
                "positions[0]: position of 'a' on 'price': low preferred, high red-line",
                "constraint_utilities[0]: constraint utility of 'b' (1 constraint(s), max utility 4)",
            ]
        );
    }
}
