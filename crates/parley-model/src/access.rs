//! Who sees what. A mediator sees everything; a party's delegates see what is public, what is
//! shared with a track their party sits on, and their own party's private records; an
//! observer sees what is public. [`visible_to`] gives the scenario a viewer may see, so that
//! every view and analysis built on it reveals nothing else: not a hidden position, not a
//! count of them, not a figure computed from them.
//!
//! What a record's `private` visibility covers: a position or a constraint utility, its
//! party; a draft, its author; a claim, its claimant; a meeting, the parties of its track; a
//! party's agreement to a draft or one of its points, that party. Reservation values are
//! private to their party.
//!
//! A party's column in a draft round is a draft of its own (one that answers the round's
//! compromise), seen like any draft: a viewer who may not see it sees no trace of it, and a
//! draft whose compromise is hidden from the viewer is shown answering nothing.
//!
//! A record hidden from a viewer is absent from its view, with one exception: a meeting. A
//! viewer who may not see a meeting's details still sees that a meeting took place (or is
//! planned) on a track, and when; [`redacted`] decides, field by field, what it sees:
//!
//! | field | shown |
//! | --- | --- |
//! | `track`, `date`, `status`, `status_basis` | as recorded |
//! | `id` | replaced by `private-meeting-N` (N counts the meetings redacted for this viewer, in the record's order): a recorded id can name a place or a person |
//! | `title` | replaced by "Private meeting" |
//! | `summary` | replaced by a sentence saying the details are private |
//! | `place`, `duration_minutes`, `attendees`, `settled`, `left_open`, `condition`, `cites` | withheld |
//! | `visibility` | as recorded (it names the track that may see the details) |

use crate::Id;
use crate::change::Change;
use crate::scenario::{Agreement, Claim, Draft, Meeting, Scenario, Visibility};
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

/// Whether a party's delegates may see a record with this visibility, owned by these parties.
pub(crate) fn party_sees(
    scenario: &Scenario,
    party: &Id,
    visibility: &Visibility,
    owners: &[&Id],
) -> bool {
    sees(scenario, &Viewer::Party(party.clone()), visibility, owners)
}

fn claim_visible(record: &Scenario, viewer: &Viewer, claim: &Claim) -> bool {
    sees(record, viewer, &claim.visibility, &[&claim.claimant])
}

fn draft_visible(record: &Scenario, viewer: &Viewer, draft: &Draft) -> bool {
    let owners: Vec<&Id> = draft.author.iter().collect();
    sees(record, viewer, &draft.visibility, &owners)
}

fn agreement_visible(record: &Scenario, viewer: &Viewer, agreement: &Agreement) -> bool {
    sees(record, viewer, &agreement.visibility, &[&agreement.party])
}

/// A change made by a viewer, with the links it could not see kept: a viewer reads a claim
/// without the `disputes` link to a claim hidden from it, and a draft without its hidden
/// parents and their lineage entries, the compromise it answers when that is hidden, and
/// the agreements to it that are hidden, so a change written from what it read would erase
/// them. For each claim and draft the change replaces, the links of the recorded one to
/// records hidden from the viewer are carried over (a link the change itself sets wins).
pub fn keep_hidden_links(record: &Scenario, viewer: &Viewer, change: Change) -> Change {
    let Change::Upsert(mut fragment) = change else { return change };
    if *viewer == Viewer::Mediator {
        return Change::Upsert(fragment);
    }
    for claim in &mut fragment.scenario.claims {
        let Some(recorded) = record.claims.iter().find(|recorded| recorded.id == claim.id) else {
            continue;
        };
        let hidden_dispute = recorded.disputes.as_ref().filter(|disputed| {
            record
                .claims
                .iter()
                .find(|candidate| &&candidate.id == disputed)
                .is_some_and(|disputed| !claim_visible(record, viewer, disputed))
        });
        if claim.disputes.is_none() {
            claim.disputes = hidden_dispute.cloned();
        }
    }
    for draft in &mut fragment.scenario.drafts {
        let Some(recorded) = record.drafts.iter().find(|recorded| recorded.id == draft.id) else {
            continue;
        };
        let hidden = |parent: &Id| {
            record
                .drafts
                .iter()
                .find(|candidate| &candidate.id == parent)
                .is_some_and(|parent| !draft_visible(record, viewer, parent))
        };
        for parent in recorded.parents.iter().filter(|parent| hidden(parent)) {
            if !draft.parents.contains(parent) {
                draft.parents.push(parent.clone());
            }
        }
        for entry in recorded.lineage.iter().filter(|entry| hidden(&entry.parent)) {
            if !draft.lineage.iter().any(|kept| kept.parent == entry.parent) {
                draft.lineage.push(entry.clone());
            }
        }
        if draft.answers.is_none() && recorded.answers.as_ref().is_some_and(hidden) {
            draft.answers = recorded.answers.clone();
        }
        for agreement in &recorded.agreements {
            if !agreement_visible(record, viewer, agreement)
                && !draft.agreements.contains(agreement)
            {
                draft.agreements.push(agreement.clone());
            }
        }
    }
    Change::Upsert(fragment)
}

/// The title a viewer who may not see a meeting's details sees.
pub const REDACTED_MEETING_TITLE: &str = "Private meeting";

/// The summary a viewer who may not see a meeting's details sees.
pub const REDACTED_MEETING_SUMMARY: &str = "Details are private to the parties it is shared with.";

/// What a viewer who may not see a meeting's details sees of it: its track, date, status and
/// visibility, under the id given (see the module's table).
fn redacted(meeting: &Meeting, id: Id) -> Meeting {
    Meeting {
        id,
        track: meeting.track.clone(),
        title: REDACTED_MEETING_TITLE.to_owned(),
        date: meeting.date,
        place: None,
        attendees: Vec::new(),
        duration_minutes: None,
        status: meeting.status,
        status_basis: meeting.status_basis,
        condition: None,
        settled: Vec::new(),
        left_open: Vec::new(),
        summary: REDACTED_MEETING_SUMMARY.to_owned(),
        visibility: meeting.visibility.clone(),
        cites: Vec::new(),
    }
}

/// The ids redacted meetings get: `private-meeting-N`, skipping any id the record uses.
fn redacted_ids(record: &Scenario) -> impl Iterator<Item = Id> + '_ {
    (1..).filter_map(move |n| {
        let id = Id::parse(&format!("private-meeting-{n}")).expect("a well-formed id");
        (!record.meetings.iter().any(|meeting| meeting.id == id)).then_some(id)
    })
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
    visible
        .constraint_utilities
        .retain(|utility| sees(record, viewer, &utility.visibility, &[&utility.party]));
    visible.claims.retain(|claim| claim_visible(record, viewer, claim));
    let visible_claims: Vec<Id> = visible.claims.iter().map(|claim| claim.id.clone()).collect();
    for claim in &mut visible.claims {
        if claim.disputes.as_ref().is_some_and(|disputed| !visible_claims.contains(disputed)) {
            claim.disputes = None;
        }
    }
    let mut redacted_ids = redacted_ids(record);
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
                redacted(meeting, redacted_ids.next().expect("ids without end"))
            }
        })
        .collect();
    visible.drafts.retain(|draft| draft_visible(record, viewer, draft));
    let visible_drafts: Vec<Id> = visible.drafts.iter().map(|draft| draft.id.clone()).collect();
    for draft in &mut visible.drafts {
        draft.parents.retain(|parent| visible_drafts.contains(parent));
        draft.lineage.retain(|entry| visible_drafts.contains(&entry.parent));
        if draft.answers.as_ref().is_some_and(|answers| !visible_drafts.contains(answers)) {
            draft.answers = None;
        }
        draft.agreements.retain(|agreement| agreement_visible(record, viewer, agreement));
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
