//! Tests of the columns of a draft round and of provisional agreement.

use super::*;
use crate::access::{Viewer, visible_to};
use crate::scenario_file::read_scenario;

/// A mediator's compromise on two issues, North's private column and South's column shared
/// with the mediated track; North agrees the port ad referendum in private, South agrees it
/// finally in public.
pub(crate) const ROUND: &str = r#"
[scenario]
id = "round"
title = "Round"

[[parties]]
id = "north"
name = "North"
role = "principal"

[[parties]]
id = "south"
name = "South"
role = "principal"

[[parties]]
id = "league"
name = "League"
role = "mediator"

[[issues]]
id = "port"
title = "Port"
category = "territory"
options = [{ id = "north" }, { id = "south" }, { id = "shared" }]

[[issues]]
id = "fish"
title = "Fish"
category = "other"
options = [{ id = "quota" }, { id = "free" }]

[[tracks]]
id = "south-track"
name = "League and South"
parties = ["league", "south"]

[[positions]]
party = "north"
issue = "port"
importance = "high"
stances = { north = "preferred", shared = "acceptable", south = "red-line" }

[[positions]]
party = "south"
issue = "port"
importance = "high"
stances = { south = "preferred", shared = "acceptable", north = "red-line" }

[[positions]]
party = "north"
issue = "fish"
importance = "low"
stances = { quota = "acceptable", free = "preferred" }

[[positions]]
party = "south"
issue = "fish"
importance = "medium"
stances = { quota = "preferred", free = "acceptable" }

[[drafts]]
id = "text"
title = "League's text"
author = "league"
status = "under-discussion"
date = 2025-11-01
points = [
  { id = "port", number = 1, text = "The port is shared.", issue = "port", option = "shared" },
  { id = "fish", number = 2, issue = "fish", brackets = ["quota", "free"] },
]
agreements = [
  { party = "north", point = "port", kind = "ad-referendum", date = 2025-11-02, visibility = "private" },
  { party = "south", point = "port", kind = "final", date = 2025-11-03 },
]

[[drafts]]
id = "north-column"
title = "North's column"
author = "north"
answers = "text"
status = "proposed"
visibility = "private"
points = [
  { id = "port", text = "The port is North's.", issue = "port", option = "north" },
  { id = "canary-north-point", text = "North keeps the lighthouse." },
]

[[drafts]]
id = "south-column"
title = "South's column"
author = "south"
answers = "text"
status = "proposed"
visibility = { track = "south-track" }
points = [
  { id = "port", text = "The port is shared.", issue = "port", option = "shared" },
]
"#;

fn round() -> ValidScenario {
    let loaded = read_scenario(ROUND);
    let rendered: Vec<String> = loaded.diagnostics.iter().map(|d| d.render("round")).collect();
    assert_eq!(rendered, Vec::<String>::new());
    loaded.scenario.expect("the round is valid")
}

fn party(id: &str) -> Viewer {
    Viewer::Party(Id::parse(id).unwrap())
}

fn id(text: &str) -> Id {
    Id::parse(text).unwrap()
}

/// The columns as text: one line per row, the compromise's option then each column's state.
fn columns_text(scenario: &ValidScenario, draft: &str) -> String {
    let round = columns(scenario, &id(draft)).expect("the draft exists");
    let mut lines = vec![format!(
        "compromise {} | {}",
        round.compromise.id,
        round.columns.iter().map(|column| column.id.to_string()).collect::<Vec<_>>().join(" ")
    )];
    for row in &round.rows {
        let cells: Vec<String> = row.cells.iter().map(|cell| format!("{:?}", cell.state)).collect();
        lines.push(format!("{} {}: {}", row.id, row.compromise.is_some(), cells.join(" ")));
    }
    lines.push(format!("differences {:?}", round.differences()));
    lines.join("\n")
}

#[test]
fn a_round_sets_each_partys_column_beside_the_compromise_point_by_point() {
    let scenario = round();
    let text = columns_text(&scenario, "text");
    assert_eq!(
        text,
        "compromise text | north-column south-column\n\
         port true: Differs Same\n\
         fish true: Absent Absent\n\
         canary-north-point false: Added Absent\n\
         differences [2, 0]"
    );
    // A column names the same round.
    assert_eq!(columns_text(&scenario, "south-column"), text);
}

#[test]
fn a_delegate_sees_its_own_column_and_shared_ones_never_another_partys_private_column() {
    let scenario = round();
    let south = visible_to(&scenario, &party("south"));
    let text = columns_text(&south, "text");
    assert_eq!(
        text,
        "compromise text | south-column\nport true: Same\nfish true: Absent\ndifferences [0]"
    );
    assert!(!text.contains("north"), "{text}");
    let north = visible_to(&scenario, &party("north"));
    assert_eq!(
        columns_text(&north, "text"),
        "compromise text | north-column\n\
         port true: Differs\n\
         fish true: Absent\n\
         canary-north-point false: Added\n\
         differences [2]"
    );
    assert!(columns(&south, &id("north-column")).is_none());
    let observer = visible_to(&scenario, &Viewer::Observer);
    assert_eq!(columns(&observer, &id("text")).unwrap().columns.len(), 0);
}

#[test]
fn a_point_is_agreed_by_all_only_when_every_party_it_needs_agreed() {
    let scenario = round();
    let draft = &scenario.scenario().drafts[0];
    let agreement = draft_agreement(&scenario, draft);
    assert_eq!(agreement.consenting, vec![id("north"), id("south")]);
    let port = &agreement.points[0];
    assert_eq!(port.state, Agreed::ByAll);
    let kinds: Vec<(String, AgreementKind)> =
        port.agreed.iter().map(|agreed| (agreed.party.to_string(), agreed.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            ("north".to_owned(), AgreementKind::AdReferendum),
            ("south".to_owned(), AgreementKind::Final)
        ]
    );
    assert_eq!(agreement.points[1].state, Agreed::ByNone);
    assert_eq!(agreement.open_brackets, vec![&id("fish")]);
    assert_eq!(agreement.package, Package::Open);
    // South does not see North's private agreement: to South, the port is agreed by some.
    let south = visible_to(&scenario, &party("south"));
    let south_agreement = draft_agreement(&south, &south.scenario().drafts[0]);
    assert_eq!(south_agreement.points[0].state, Agreed::BySome);
    assert_eq!(south_agreement.points[0].agreed.len(), 1);
}

/// The round with the fish settled and these agreements to the whole text.
fn accepted(whole: &str) -> ValidScenario {
    let text = ROUND.replace(
        "{ id = \"fish\", number = 2, issue = \"fish\", brackets = [\"quota\", \"free\"] }",
        "{ id = \"fish\", number = 2, issue = \"fish\", option = \"quota\" }",
    );
    let text = text.replace(
        "  { party = \"south\", point = \"port\", kind = \"final\", date = 2025-11-03 },\n",
        &format!("  {{ party = \"south\", point = \"port\", kind = \"final\", date = 2025-11-03 }},\n{whole}"),
    );
    let loaded = read_scenario(&text);
    let rendered: Vec<String> = loaded.diagnostics.iter().map(|d| d.render("round")).collect();
    assert_eq!(rendered, Vec::<String>::new());
    loaded.scenario.unwrap()
}

#[test]
fn the_package_stands_only_when_every_consenting_party_accepts_the_whole_for_good() {
    let package = |whole: &str| {
        let scenario = accepted(whole);
        draft_agreement(&scenario, &scenario.scenario().drafts[0]).package
    };
    assert_eq!(package(""), Package::Open);
    assert_eq!(package("  { party = \"north\", kind = \"final\" },\n"), Package::Open);
    assert_eq!(
        package(
            "  { party = \"north\", kind = \"final\" },\n  { party = \"south\", kind = \"ad-referendum\" },\n"
        ),
        Package::Provisional
    );
    assert_eq!(
        package(
            "  { party = \"north\", kind = \"final\" },\n  { party = \"south\", kind = \"final\" },\n"
        ),
        Package::Stands
    );
    // A whole-draft acceptance counts for every point.
    let scenario = accepted(
        "  { party = \"north\", kind = \"final\" },\n  { party = \"south\", kind = \"final\" },\n",
    );
    let agreement = draft_agreement(&scenario, &scenario.scenario().drafts[0]);
    assert_eq!(agreement.points[1].state, Agreed::ByAll);
    assert!(agreement.points[1].agreed.iter().all(|agreed| agreed.whole));
}

#[test]
fn keeping_agreed_points_fixes_their_issues_and_leaves_the_rest_to_negotiate() {
    let scenario = round();
    let kept = keep_agreed(&scenario).unwrap();
    assert_eq!(kept.fixed.len(), 1);
    assert_eq!(kept.fixed[0].issue, id("port"));
    assert_eq!(kept.fixed[0].option, id("shared"));
    assert_eq!(kept.fixed[0].kind, AgreementKind::AdReferendum);
    assert_eq!(kept.fixed[0].points, vec![(id("text"), id("port"))]);
    assert_eq!(kept.remaining, vec![id("fish")]);
    let port = &kept.scenario.scenario().issues[0];
    assert_eq!(port.options.len(), 1);
    assert_eq!(port.options[0].id, id("shared"));
    // North's column settled the port on another option: in the narrowed record it is open.
    let north_column = &kept.scenario.scenario().drafts[1];
    assert_eq!(north_column.points[0].settlement, Settlement::Unspecified);
    // What South may see holds North's agreement no more: nothing is fixed for South.
    let south = visible_to(&scenario, &party("south"));
    assert!(keep_agreed(&south).unwrap().fixed.is_empty());
}

#[test]
fn two_agreements_that_fix_one_issue_differently_are_refused() {
    let text = format!(
        "{ROUND}\n[[drafts]]\nid = \"other\"\ntitle = \"Other\"\nstatus = \"proposed\"\npoints = [{{ id = \"port\", issue = \"port\", option = \"north\" }}]\nagreements = [{{ party = \"north\", kind = \"final\" }}, {{ party = \"south\", kind = \"final\" }}]\n"
    );
    let scenario = read_scenario(&text).scenario.unwrap();
    let error = keep_agreed(&scenario).unwrap_err();
    assert_eq!(
        error.to_string(),
        "issue 'port' is agreed on 'shared' (draft 'text', point 'port') and on 'north' (draft 'other', point 'port'), expected one option"
    );
}
