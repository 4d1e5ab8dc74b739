//! What a mediator reads first, computed from the record alone: the timeline of meetings,
//! each draft's lineage, the party x issue stance matrix, the issues that red lines block,
//! the contested claims, and every figure that is an analyst's assumption or reading.

use std::collections::BTreeMap;

use crate::scenario::{
    Citation, Claim, ClaimStatus, Consent, Draft, Fate, Meeting, PointSelection, Position,
};
use crate::stance::{Importance, Stance, StanceLevel};
use crate::validate::ValidScenario;
use crate::{Basis, Date, FuzzyDate, Id};

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
    /// The basis of the red lines (the blocking position's stances) and of what the blocked
    /// party can accept (its position's stances): the blocking rests on both.
    pub bases: [Basis; 2],
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
                        bases: [blocking_position.confidence, blocked_position.confidence],
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

/// A figure or reading that is the analyst's, not a source's: assumed (no source gives it)
/// or inferred (the analyst's reading of the sentences cited), with where it is.
#[derive(Clone, PartialEq, Debug)]
pub struct Assumption {
    /// The field, as a path in the scenario, e.g. `parties[1].reservation`.
    pub path: String,
    /// What is assumed or inferred.
    pub what: String,
    /// [`Basis::Assumed`] or [`Basis::Inferred`].
    pub basis: Basis,
    /// For an inferred reading, the sentences it reads (empty for an assumption that cites
    /// nothing).
    pub cites: Vec<Citation>,
}

/// The stances of a position as text: `cede-all red-line, no-cession preferred`.
pub fn stances_text(position: &Position) -> String {
    let stances: Vec<String> = position
        .stances
        .iter()
        .map(|(option, stance)| match stance {
            Stance::Level(level) => format!("{option} {}", level.as_str()),
            Stance::Value(value) => format!("{option} {value}"),
        })
        .collect();
    if stances.is_empty() { "no stance".to_owned() } else { stances.join(", ") }
}

/// An importance as text: its level keyword or `weight W`.
pub fn importance_text(importance: Importance) -> String {
    match importance {
        Importance::Level(level) => level.as_str().to_owned(),
        Importance::Weight(weight) => format!("weight {weight}"),
    }
}

/// Every figure and reading that is the analyst's rather than a source's: the scale (when
/// assumed), reservations, dates, consent scopes, meeting and draft statuses, notes, the
/// stances and importances of positions, and constraint utilities whose basis is
/// `assumed` or `inferred`.
pub fn assumptions(scenario: &ValidScenario) -> Vec<Assumption> {
    let record = scenario.scenario();
    let mut found = Vec::new();
    let mut date = |path: String, what: &str, date: &Option<FuzzyDate>| {
        if let Some(date) = date
            && date.basis.is_analysts()
        {
            // The basis is the assumption's own: the date is shown without it.
            let shown = FuzzyDate { basis: Basis::Reported, ..*date };
            found.push(Assumption {
                path,
                what: format!("{what} date {shown}"),
                basis: date.basis,
                cites: Vec::new(),
            });
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
    let mut push = |path: String, what: String, basis: Basis, cites: &[Citation]| {
        if basis.is_analysts() {
            found.push(Assumption { path, what, basis, cites: cites.to_vec() });
        }
    };
    push(
        "scale".to_owned(),
        "the mapping from stances to values and from importances to weights".to_owned(),
        record.scale.basis,
        &[],
    );
    for (idx, meeting) in record.meetings.iter().enumerate() {
        push(
            format!("meetings[{idx}].status"),
            format!("status '{}' of meeting '{}'", meeting.status.as_str(), meeting.id),
            meeting.status_basis,
            &meeting.cites,
        );
    }
    for (idx, draft) in record.drafts.iter().enumerate() {
        push(
            format!("drafts[{idx}].status"),
            format!("status '{}' of draft '{}'", draft.status.as_str(), draft.id),
            draft.status_basis,
            &draft.cites,
        );
        for (agreement_idx, agreement) in draft.agreements.iter().enumerate() {
            let what = match &agreement.point {
                Some(point) => format!("point '{point}'"),
                None => "the whole".to_owned(),
            };
            push(
                format!("drafts[{idx}].agreements[{agreement_idx}]"),
                format!(
                    "'{}' agreeing {} to {what} of draft '{}'",
                    agreement.party,
                    agreement.kind.as_str(),
                    draft.id
                ),
                agreement.basis,
                &agreement.cites,
            );
        }
    }
    for (idx, party) in record.parties.iter().enumerate() {
        let consent = match &party.consent {
            Consent::Required => "required on every issue".to_owned(),
            Consent::NotRequired => "not required".to_owned(),
            Consent::OnIssues(issues) => {
                let issues: Vec<&str> = issues.iter().map(Id::as_str).collect();
                format!("required on {}", issues.join(", "))
            }
        };
        push(
            format!("parties[{idx}].consent"),
            format!("consent of '{}': {consent}", party.id),
            party.consent_basis,
            &party.cites,
        );
        if let Some(reservation) = &party.reservation {
            push(
                format!("parties[{idx}].reservation"),
                format!("reservation value {} of '{}'", reservation.value, party.id),
                reservation.basis,
                &reservation.cites,
            );
        }
        for (note_idx, note) in party.notes.iter().enumerate() {
            push(
                format!("parties[{idx}].notes[{note_idx}]"),
                format!("note on '{}': {}", party.id, note.text),
                note.basis,
                &note.cites,
            );
        }
    }
    for (idx, position) in record.positions.iter().enumerate() {
        push(
            format!("positions[{idx}]"),
            format!(
                "position of '{}' on '{}': {}",
                position.party,
                position.issue,
                stances_text(position)
            ),
            position.confidence,
            &position.cites,
        );
        if let Some(importance) = position.importance {
            push(
                format!("positions[{idx}].importance"),
                format!(
                    "importance of '{}' to '{}': {}",
                    position.issue,
                    position.party,
                    importance_text(importance)
                ),
                position.importance_basis,
                &position.cites,
            );
        }
    }
    for (idx, utility) in record.constraint_utilities.iter().enumerate() {
        push(
            format!("constraint_utilities[{idx}]"),
            format!(
                "constraint utility of '{}' ({} constraint(s), max utility {})",
                utility.party,
                utility.constraints.len(),
                utility.max_utility
            ),
            utility.basis,
            &utility.cites,
        );
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
    fn inferred_readings_are_listed_with_the_sentences_they_read() {
        let text = r#"
[scenario]
id = "readings"
title = "Readings"

[[sources]]
id = "report"
title = "Report"

[[parties]]
id = "a"
name = "A"
role = "principal"

[[parties]]
id = "g"
name = "G"
role = "guarantor"
consent = { issues = ["price"] }
consent_basis = "inferred"
cites = ["report"]

[[issues]]
id = "price"
title = "Price"
category = "other"
options = [{ id = "low" }, { id = "high" }]

[[meetings]]
id = "next"
track = "ag"
status = "planned"
status_basis = "assumed"

[[tracks]]
id = "ag"
name = "A-G"
parties = ["a", "g"]

[[positions]]
party = "a"
issue = "price"
importance = "high"
importance_basis = "assumed"
confidence = "inferred"
stances = { low = "red-line" }
cites = [{ source = "report", speaker = "A's envoy", quote = "never low" }]

[[positions]]
party = "g"
issue = "price"
importance = "low"
stances = { high = "workable" }
cites = ["report"]
"#;
        let scenario = read_scenario(text).scenario.unwrap();
        let listed: Vec<String> = assumptions(&scenario)
            .into_iter()
            .map(|assumption| {
                format!(
                    "{} {}: {} ({} cite(s))",
                    assumption.basis.as_str(),
                    assumption.path,
                    assumption.what,
                    assumption.cites.len()
                )
            })
            .collect();
        assert_eq!(
            listed,
            [
                "assumed scale: the mapping from stances to values and from importances to weights (0 cite(s))",
                "assumed meetings[0].status: status 'planned' of meeting 'next' (0 cite(s))",
                "inferred parties[1].consent: consent of 'g': required on price (1 cite(s))",
                "inferred positions[0]: position of 'a' on 'price': low red-line (1 cite(s))",
                "assumed positions[0].importance: importance of 'price' to 'a': high (1 cite(s))",
            ]
        );
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
