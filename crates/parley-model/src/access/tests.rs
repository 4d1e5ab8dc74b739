//! Tests of the access rules: each viewer against records of each visibility.

use super::*;
use crate::builtin::TALKS_2025_TOML;
use crate::scenario_file::read_scenario;
use crate::stance::{Stance, StanceLevel};

/// Two principals, a mediator and an observer; positions private to each principal, one
/// shared with the mediated track, one public; a private draft of each principal, the second
/// revising the first; a private claim.
const SECRETS: &str = r#"
[scenario]
id = "secrets"
title = "Secrets"

[[parties]]
id = "north"
name = "North"
role = "principal"
reservation = { value = 0.3 }
delegates = [{ id = "nadia", name = "Nadia" }]

[[parties]]
id = "south"
name = "South"
role = "principal"
reservation = { value = 0.4 }

[[parties]]
id = "league"
name = "League"
role = "mediator"

[[parties]]
id = "press"
name = "Press"
role = "observer"

[[issues]]
id = "port"
title = "Port"
category = "territory"
options = [{ id = "north" }, { id = "south" }, { id = "shared" }]

[[tracks]]
id = "north-track"
name = "League and North"
parties = ["league", "north"]

[[tracks]]
id = "south-track"
name = "League and South"
parties = ["league", "south"]

[[meetings]]
id = "north-round"
track = "north-track"
status = "held"
attendees = ["nadia", "league"]
left_open = ["port"]
summary = "North said it could live with a shared port."
visibility = "private"

[[drafts]]
id = "north-proposal"
title = "North's proposal"
author = "north"
status = "proposed"
visibility = "private"
points = [{ id = "port", issue = "port", option = "north" }]

[[drafts]]
id = "league-text"
title = "League's text"
author = "league"
status = "proposed"
parents = ["north-proposal"]
points = [{ id = "port", issue = "port", brackets = ["north", "shared"] }]
lineage = [{ parent = "north-proposal", points = ["port"], fate = "amended", into = "port" }]

[[positions]]
party = "north"
issue = "port"
stances = { north = "preferred", south = "red-line", shared = "workable" }
visibility = "private"

[[positions]]
party = "south"
issue = "port"
stances = { north = "red-line", south = "preferred", shared = "objection" }
visibility = { track = "south-track" }

[[positions]]
party = "south"
issue = "port"
date = 2025-01-01
stances = { shared = "acceptable" }

[[claims]]
id = "ships"
claimant = "south"
statement = "North moved ships into the port."
status = "unverified"
visibility = "private"
"#;

fn secrets() -> ValidScenario {
    let loaded = read_scenario(SECRETS);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.scenario.unwrap()
}

fn party(id: &str) -> Viewer {
    Viewer::Party(Id::parse(id).unwrap())
}

/// What a viewer sees, in one line per kind of record.
fn summary(viewer: &Viewer) -> String {
    let visible = visible_to(&secrets(), viewer);
    let record = visible.scenario();
    let positions: Vec<String> = record
        .positions
        .iter()
        .map(|position| {
            format!(
                "{}{}",
                position.party,
                position.date.map_or(String::new(), |date| format!("@{}", date.date))
            )
        })
        .collect();
    let drafts: Vec<String> = record
        .drafts
        .iter()
        .map(|draft| format!("{}<{}>", draft.id, draft.parents.len()))
        .collect();
    let reservations: Vec<String> = record
        .parties
        .iter()
        .filter_map(|party| {
            party
                .reservation
                .as_ref()
                .map(|reservation| format!("{}={}", party.id, reservation.value))
        })
        .collect();
    let meeting = &record.meetings[0];
    format!(
        "positions {positions:?}; drafts {drafts:?}; claims {}; reservations {reservations:?}; meeting left open {}",
        record.claims.len(),
        meeting.left_open.len()
    )
}

#[test]
fn a_mediator_sees_everything() {
    assert_eq!(
        summary(&Viewer::Mediator),
        r#"positions ["north", "south", "south@2025-01-01"]; drafts ["north-proposal<0>", "league-text<1>"]; claims 1; reservations ["north=0.3", "south=0.4"]; meeting left open 1"#
    );
}

#[test]
fn a_delegate_sees_its_own_private_records_and_its_tracks_shared_ones() {
    assert_eq!(
        summary(&party("north")),
        r#"positions ["north", "south@2025-01-01"]; drafts ["north-proposal<0>", "league-text<1>"]; claims 0; reservations ["north=0.3"]; meeting left open 1"#
    );
    assert_eq!(
        summary(&party("south")),
        r#"positions ["south", "south@2025-01-01"]; drafts ["league-text<0>"]; claims 1; reservations ["south=0.4"]; meeting left open 0"#
    );
}

#[test]
fn an_observer_sees_only_what_is_public() {
    let expected = r#"positions ["south@2025-01-01"]; drafts ["league-text<0>"]; claims 0; reservations []; meeting left open 0"#;
    assert_eq!(summary(&Viewer::Observer), expected);
    assert_eq!(summary(&party("press")), expected);
}

/// A private meeting whose every field carries a canary.
const CANARY_MEETING: &str = r#"
[[sources]]
id = "notes"
title = "Notes"
sections = ["canary-section"]

[[meetings]]
id = "canary-id"
track = "north-track"
title = "canary-title"
date = 2025-03-04
place = { name = "canary-place", region = "canary-region", country = "canary-country" }
attendees = ["nadia"]
duration_minutes = 4321
status = "held"
status_basis = "inferred"
condition = { text = "canary-condition", party = "north" }
settled = ["port"]
summary = "canary-summary"
visibility = "private"
cites = [{ source = "notes", section = "canary-section", speaker = "canary-speaker", quote = "canary-quote" }]
"#;

#[test]
fn a_private_meeting_keeps_its_track_date_and_status_and_nothing_else() {
    let text = format!("{SECRETS}{CANARY_MEETING}");
    let loaded = read_scenario(&text);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let record = loaded.scenario.unwrap();
    let full = &record.scenario().meetings[1];
    for viewer in [party("south"), Viewer::Observer] {
        let visible = visible_to(&record, &viewer);
        let meetings = &visible.scenario().meetings;
        assert_eq!(meetings.len(), 2, "{viewer:?}: a private meeting still shows it took place");
        let seen = &meetings[1];
        assert_eq!(seen.id.as_str(), "private-meeting-2", "{viewer:?}");
        assert_eq!(seen.title, REDACTED_MEETING_TITLE);
        assert_eq!(seen.summary, REDACTED_MEETING_SUMMARY);
        assert_eq!((&seen.track, seen.date, seen.status), (&full.track, full.date, full.status));
        assert_eq!(seen.status_basis, full.status_basis);
        assert!(seen.condition.is_none(), "{viewer:?}");
        assert_eq!(seen.visibility, full.visibility);
        assert!(seen.place.is_none() && seen.duration_minutes.is_none(), "{viewer:?}");
        assert!(seen.attendees.is_empty() && seen.settled.is_empty() && seen.left_open.is_empty());
        assert!(seen.cites.is_empty(), "{viewer:?}");
        // Nothing of the meeting reaches the viewer, anywhere in its view.
        let whole = crate::scenario_file::write_scenario(visible.scenario());
        for canary in [
            "canary-id",
            "canary-title",
            "canary-place",
            "canary-region",
            "canary-country",
            "4321",
            "canary-summary",
            "canary-condition",
            "canary-speaker",
            "canary-quote",
        ] {
            assert!(!whole.contains(canary), "{viewer:?} sees {canary}");
        }
    }
    // The checks can fail: north sits on the track and sees every field.
    let north = visible_to(&record, &party("north"));
    assert_eq!(&north.scenario().meetings[1], full);
}

#[test]
fn a_redacted_meetings_id_never_collides_with_a_recorded_one() {
    let text = format!("{SECRETS}{}", CANARY_MEETING.replace("canary-id", "private-meeting-1"));
    let record = read_scenario(&text).scenario.unwrap();
    let visible = visible_to(&record, &Viewer::Observer);
    let ids: Vec<&str> =
        visible.scenario().meetings.iter().map(|meeting| meeting.id.as_str()).collect();
    assert_eq!(ids, ["private-meeting-2", "private-meeting-3"]);
}

#[test]
fn another_partys_private_data_changes_nothing_in_a_view() {
    let original = secrets();
    let mut changed = original.scenario().clone();
    changed.positions[0].stances =
        vec![(Id::parse("south").unwrap(), Stance::Level(StanceLevel::Preferred))];
    changed.parties[0].reservation.as_mut().unwrap().value = 0.9;
    changed.drafts[0].title = "North's real proposal".to_owned();
    let (changed, _) = ValidScenario::new(changed).unwrap();
    for viewer in [party("south"), Viewer::Observer] {
        assert_eq!(
            visible_to(&original, &viewer).scenario(),
            visible_to(&changed, &viewer).scenario(),
            "{viewer:?}"
        );
    }
    assert_ne!(
        visible_to(&original, &party("north")).scenario(),
        visible_to(&changed, &party("north")).scenario()
    );
}

#[test]
fn the_public_view_of_the_builtin_scenario_hides_the_kremlin_meetings_details_and_the_reservations()
{
    let talks = read_scenario(TALKS_2025_TOML).scenario.unwrap();
    let public = visible_to(&talks, &Viewer::Observer);
    let kremlin = public
        .scenario()
        .meetings
        .iter()
        .find(|meeting| {
            meeting.track.as_str() == "us-russia"
                && meeting.status == crate::scenario::MeetingStatus::Held
        })
        .unwrap();
    assert!(kremlin.left_open.is_empty());
    assert!(!kremlin.title.contains("Kremlin") && !kremlin.id.as_str().contains("kremlin"));
    assert!(kremlin.place.is_none() && kremlin.attendees.is_empty());
    assert!(public.scenario().parties.iter().all(|party| party.reservation.is_none()));
    let russia = visible_to(&talks, &party("russia"));
    let kremlin = russia
        .scenario()
        .meetings
        .iter()
        .find(|meeting| meeting.id.as_str() == "kremlin-meeting")
        .unwrap();
    assert_eq!(kremlin.left_open.len(), 1);
}

/// South's public reply to North's private proposal, and North's public denial of South's
/// private claim: each links to a record the other party may not see.
const LINKS_TO_HIDDEN: &str = r#"
[[drafts]]
id = "south-reply"
title = "South's reply"
author = "south"
status = "proposed"
parents = ["north-proposal"]
points = [{ id = "port", issue = "port", option = "shared" }]
lineage = [{ parent = "north-proposal", points = ["port"], fate = "amended", into = "port" }]

[[claims]]
id = "no-ships"
claimant = "north"
statement = "No ships moved."
status = "contested"
disputes = "ships"
"#;

#[test]
fn a_change_written_from_a_view_keeps_the_links_the_view_hides() {
    let loaded = read_scenario(&format!("{SECRETS}{LINKS_TO_HIDDEN}"));
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let record = loaded.scenario.unwrap();
    for (viewer, kind) in [(party("south"), "drafts"), (party("north"), "claims")] {
        let view = visible_to(&record, &viewer);
        let mut read_back = view.scenario().clone();
        read_back.drafts.retain(|draft| draft.id.as_str() == "south-reply" && kind == "drafts");
        read_back.claims.retain(|claim| claim.id.as_str() == "no-ships" && kind == "claims");
        // What the viewer read lacks the hidden links.
        assert!(read_back.drafts.iter().all(|draft| draft.parents.is_empty()));
        assert!(read_back.claims.iter().all(|claim| claim.disputes.is_none()));
        let fragment = crate::scenario_file::Fragment {
            scenario: Scenario {
                drafts: read_back.drafts,
                claims: read_back.claims,
                ..Scenario::default()
            },
            has_header: false,
            has_scale: false,
        };
        let Change::Upsert(kept) =
            keep_hidden_links(record.scenario(), &viewer, Change::Upsert(fragment))
        else {
            panic!("an upsert stays an upsert");
        };
        if kind == "drafts" {
            let draft = &kept.scenario.drafts[0];
            assert_eq!(draft.parents, [Id::parse("north-proposal").unwrap()]);
            assert_eq!(draft.lineage, record.scenario().drafts[2].lineage);
        } else {
            assert_eq!(kept.scenario.claims[0].disputes, Some(Id::parse("ships").unwrap()));
        }
        // Applied, the change leaves the record as it was.
        let applied = crate::change::apply(record.scenario(), &Change::Upsert(kept));
        assert_eq!(&applied, record.scenario(), "{viewer:?}");
    }
}

/// The parties, issue and tracks of [`SECRETS`], with a fifth party and a constraint utility
/// for each principal: North's private, South's shared with its track, West's public.
fn constraint_secrets() -> ValidScenario {
    let structure = SECRETS.split("[[meetings]]").next().unwrap();
    let text = format!(
        r#"{structure}
[[parties]]
id = "west"
name = "West"
role = "principal"

[[constraint_utilities]]
party = "north"
max_utility = 10
visibility = "private"
note = "canary-note"
constraints = [{{ value = 4321, includes = [{{ issue = "port", from = "north", to = "south" }}] }}]

[[constraint_utilities]]
party = "south"
max_utility = 5
visibility = {{ track = "south-track" }}
constraints = [{{ value = 5, excludes = [{{ issue = "port", from = "north", to = "north" }}] }}]

[[constraint_utilities]]
party = "west"
max_utility = 1
constraints = [{{ value = 1, includes = [] }}]
"#
    );
    let loaded = read_scenario(&text);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.scenario.unwrap()
}

/// The parties whose constraint utilities a viewer sees.
fn constraint_parties(record: &ValidScenario, viewer: &Viewer) -> Vec<String> {
    visible_to(record, viewer)
        .scenario()
        .constraint_utilities
        .iter()
        .map(|utility| utility.party.to_string())
        .collect()
}

#[test]
fn constraint_utilities_are_seen_like_positions() {
    let record = constraint_secrets();
    assert_eq!(constraint_parties(&record, &Viewer::Mediator), ["north", "south", "west"]);
    assert_eq!(constraint_parties(&record, &party("north")), ["north", "west"]);
    assert_eq!(constraint_parties(&record, &party("south")), ["south", "west"]);
    // The league sits on South's track, not in North's private records.
    assert_eq!(constraint_parties(&record, &party("league")), ["south", "west"]);
    assert_eq!(constraint_parties(&record, &party("west")), ["west"]);
    assert_eq!(constraint_parties(&record, &Viewer::Observer), ["west"]);
    assert_eq!(constraint_parties(&record, &party("press")), ["west"]);
}

#[test]
fn another_partys_private_constraint_utility_changes_nothing_in_a_view() {
    let original = constraint_secrets();
    let mut changed = original.scenario().clone();
    let north = &mut changed.constraint_utilities[0];
    north.max_utility = 3.0;
    north.constraints[0].value = 7.0;
    north.constraints[0].bounds.clear();
    north.note = None;
    let (changed, _) = ValidScenario::new(changed).unwrap();
    for viewer in [party("south"), party("west"), party("league"), Viewer::Observer] {
        let view = visible_to(&original, &viewer);
        assert_eq!(view.scenario(), visible_to(&changed, &viewer).scenario(), "{viewer:?}");
        // Nothing of North's private utility reaches the viewer, anywhere in its view.
        let whole = crate::scenario_file::write_scenario(view.scenario());
        for canary in ["canary-note", "4321"] {
            assert!(!whole.contains(canary), "{viewer:?} sees {canary}");
        }
    }
    // The checks can fail: North sees its own.
    assert_ne!(
        visible_to(&original, &party("north")).scenario(),
        visible_to(&changed, &party("north")).scenario()
    );
    let whole =
        crate::scenario_file::write_scenario(visible_to(&original, &party("north")).scenario());
    assert!(whole.contains("canary-note") && whole.contains("4321"));
}

#[test]
fn the_structure_only_view_has_no_constraint_utilities() {
    let record = constraint_secrets();
    assert!(structure_only(record.scenario()).scenario().constraint_utilities.is_empty());
}

#[test]
fn a_delegate_sees_no_trace_of_another_partys_private_column_or_agreement() {
    let record = read_scenario(crate::agreement::tests::ROUND).scenario.unwrap();
    let south =
        crate::scenario_file::write_scenario(visible_to(&record, &party("south")).scenario());
    for canary in ["north-column", "canary-north-point", "lighthouse", "North's column"] {
        assert!(!south.contains(canary), "south sees '{canary}':\n{south}");
    }
    // North's ad referendum agreement to the port is private: South sees its own only.
    let agreements: Vec<&str> = south.split("[[drafts.agreements]]\n").skip(1).collect();
    assert_eq!(agreements.len(), 1, "{south}");
    assert!(agreements[0].starts_with("party = \"south\""), "{south}");
    let north =
        crate::scenario_file::write_scenario(visible_to(&record, &party("north")).scenario());
    assert!(north.contains("canary-north-point"), "{north}");
    assert_eq!(north.matches("[[drafts.agreements]]").count(), 2, "{north}");
    assert!(!north.contains("south-column"), "{north}");
}

#[test]
fn a_change_written_from_a_view_keeps_the_agreements_the_view_hides() {
    let record = read_scenario(crate::agreement::tests::ROUND).scenario.unwrap();
    let south = party("south");
    let view = visible_to(&record, &south);
    let mut text = view.scenario().drafts[0].clone();
    text.summary = "South's edit".to_owned();
    let change = Change::Upsert(crate::scenario_file::Fragment {
        scenario: Scenario { drafts: vec![text], ..Scenario::default() },
        has_header: false,
        has_scale: false,
    });
    let Change::Upsert(kept) = keep_hidden_links(record.scenario(), &south, change) else {
        panic!("an upsert stays an upsert")
    };
    let parties: Vec<String> = kept.scenario.drafts[0]
        .agreements
        .iter()
        .map(|agreement| agreement.party.to_string())
        .collect();
    assert_eq!(parties, vec!["south", "north"]);
}
