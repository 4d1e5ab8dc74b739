//! Who sees what. A mediator sees everything; a party's delegates see what is public, what is
//! shared with a track their party sits on, and their own party's private records; an
//! observer sees what is public. [`visible_to`] gives the scenario a viewer may see, so that
//! every view and analysis built on it reveals nothing else: not a hidden position, not a
//! count of them, not a figure computed from them.
//!
//! What a record's `private` visibility covers: a position, its party; a draft, its author;
//! a claim, its claimant; a meeting, the parties of its track (others still see that the
//! meeting exists, when and where, but not its attendees, outcome or summary). Reservation
//! values are private to their party.

use crate::Id;
use crate::scenario::{Meeting, Scenario, Visibility};
use crate::validate::ValidScenario;

/// Who is looking.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Viewer {
    /// A mediator: sees everything.
    Mediator,
    /// A delegate of this party.
    Party(Id),
    /// An observer: sees what is public.
    Observer,
}

/// Whether the viewer may see a record with this visibility, owned by these parties.
fn sees(scenario: &Scenario, viewer: &Viewer, visibility: &Visibility, owners: &[&Id]) -> bool {
    match (viewer, visibility) {
        (Viewer::Mediator, _) | (_, Visibility::Public) => true,
        (Viewer::Observer, _) => false,
        (Viewer::Party(party), Visibility::Private) => owners.contains(&party),
        (Viewer::Party(party), Visibility::Track(track)) => scenario
            .tracks
            .iter()
            .any(|candidate| &candidate.id == track && candidate.parties.contains(party)),
    }
}

/// What a viewer who may not see a private meeting's details sees of it.
fn redacted(meeting: &Meeting) -> Meeting {
    Meeting {
        attendees: Vec::new(),
        settled: Vec::new(),
        left_open: Vec::new(),
        summary: "Details are private to the parties of this track.".to_owned(),
        ..meeting.clone()
    }
}

/// The scenario as a viewer may see it.
pub fn visible_to(scenario: &ValidScenario, viewer: &Viewer) -> ValidScenario {
    if *viewer == Viewer::Mediator {
        return scenario.clone();
    }
    let record = scenario.scenario();
    let mut visible = record.clone();
    for party in &mut visible.parties {
        if *viewer != Viewer::Party(party.id.clone()) {
            party.reservation = None;
        }
    }
    visible
        .positions
        .retain(|position| sees(record, viewer, &position.visibility, &[&position.party]));
    visible.claims.retain(|claim| sees(record, viewer, &claim.visibility, &[&claim.claimant]));
    let visible_claims: Vec<Id> = visible.claims.iter().map(|claim| claim.id.clone()).collect();
    for claim in &mut visible.claims {
        if claim.disputes.as_ref().is_some_and(|disputed| !visible_claims.contains(disputed)) {
            claim.disputes = None;
        }
    }
    visible.meetings = record
        .meetings
        .iter()
        .map(|meeting| {
            let track_parties: Vec<&Id> = record
                .tracks
                .iter()
                .filter(|track| track.id == meeting.track)
                .flat_map(|track| track.parties.iter())
                .collect();
            if sees(record, viewer, &meeting.visibility, &track_parties) {
                meeting.clone()
            } else {
                redacted(meeting)
            }
        })
        .collect();
    visible.drafts.retain(|draft| {
        let owners: Vec<&Id> = draft.author.iter().collect();
        sees(record, viewer, &draft.visibility, &owners)
    });
    let visible_drafts: Vec<Id> = visible.drafts.iter().map(|draft| draft.id.clone()).collect();
    for draft in &mut visible.drafts {
        draft.parents.retain(|parent| visible_drafts.contains(parent));
        draft.lineage.retain(|entry| visible_drafts.contains(&entry.parent));
    }
    for track in &mut visible.tracks {
        if track.document.as_ref().is_some_and(|document| !visible_drafts.contains(document)) {
            track.document = None;
        }
    }
    match ValidScenario::new(visible) {
        Ok((visible, _)) => visible,
        // The steps above mend every reference that removing records breaks; should one be
        // missed, the viewer sees the structure of the talks only, never more than allowed.
        Err(_) => structure_only(record),
    }
}

/// Parties (without reservations), issues and tracks (without documents): always valid.
fn structure_only(record: &Scenario) -> ValidScenario {
    let mut structure = Scenario {
        id: record.id.clone(),
        title: record.title.clone(),
        description: record.description.clone(),
        as_of: record.as_of,
        scale: record.scale.clone(),
        sources: record.sources.clone(),
        parties: record.parties.clone(),
        issues: record.issues.clone(),
        tracks: record.tracks.clone(),
        ..Scenario::default()
    };
    for party in &mut structure.parties {
        party.reservation = None;
    }
    for track in &mut structure.tracks {
        track.document = None;
    }
    let (structure, _) = ValidScenario::new(structure)
        .expect("parties, issues and tracks of a valid scenario are valid");
    structure
}

#[cfg(test)]
mod tests;
