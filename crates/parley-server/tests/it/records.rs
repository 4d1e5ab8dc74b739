//! The record forms (`/records/...`) through the router: what each role is offered, a record
//! with repeatable rows written through its form, and a refused one shown at its field with
//! nothing written.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::Value;

use crate::harness::{Answer, TestServer, Who};
use crate::roles;
use crate::samples::PUBLIC_UKRAINE_DRAFT;

/// The kinds of record with a form, by their key.
const KINDS: [&str; 8] =
    ["sources", "parties", "issues", "tracks", "meetings", "drafts", "claims", "positions"];

/// Sends a form as a user, as a browser would.
pub(crate) async fn post_form(
    server: &TestServer,
    who: Who,
    path: &str,
    pairs: &[(&str, &str)],
) -> Answer {
    let body = pairs
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&");
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(token) = server.token(who) {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    server.send(request.body(Body::from(body)).unwrap()).await
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                (byte as char).to_string()
            }
            b' ' => "+".to_owned(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The value of an attribute in a tag's text.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let rest = &tag[start..];
    Some(&rest[..rest.find('"')?])
}

/// The controls of a page that a user fills in, as `(tag, type, id)`; and whether each has a
/// label: a `<label for>` naming it, or (a box to tick) a label around it.
fn unlabelled_controls(html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let parts: Vec<&str> = html.split('<').collect();
    for (idx, part) in parts.iter().enumerate() {
        let Some(tag) =
            ["input ", "select ", "textarea "].iter().find(|tag| part.starts_with(**tag))
        else {
            continue;
        };
        let kind = attribute(part, "type").unwrap_or_default();
        if kind == "hidden" {
            continue;
        }
        let Some(id) = attribute(part, "id") else {
            problems.push(format!("<{tag}without an id: {part}"));
            continue;
        };
        let wrapped = kind == "checkbox" && idx > 0 && parts[idx - 1].starts_with("label>");
        if !wrapped && !html.contains(&format!("for=\"{id}\"")) {
            problems.push(format!("{id} has no label"));
        }
    }
    problems
}

#[tokio::test]
async fn every_form_labels_its_inputs_and_each_role_gets_only_its_own() {
    let server = TestServer::sqlite().await;
    roles::prepare(&server).await;
    for who in [Who::Mediator, Who::Ukraine, Who::Observer] {
        for kind in KINDS {
            let path = format!("/records/{kind}");
            let answer = server.call_as(who, Method::GET, &path, None).await;
            let allowed = match who {
                Who::Mediator => true,
                Who::Ukraine => !matches!(kind, "parties" | "issues" | "tracks"),
                _ => false,
            };
            let want = if allowed { StatusCode::OK } else { StatusCode::FORBIDDEN };
            assert_eq!(answer.status, want, "{who:?} GET {path}");
            if allowed {
                assert_eq!(
                    unlabelled_controls(&answer.text),
                    Vec::<String>::new(),
                    "{who:?} {path}"
                );
                assert!(answer.text.contains("<form class=\"record full\""), "{who:?} {path}");
            }
        }
    }
    // A delegate's draft is its party's: the author is fixed, and the form has no id to choose.
    let ukraine = server.call_as(Who::Ukraine, Method::GET, "/records/drafts", None).await;
    assert!(ukraine.text.contains("name=\"author\" value=\"ukraine\""), "{}", ukraine.text);
    assert!(!ukraine.text.contains("name=\"id\""));
    // Positions have no id to choose, not even for a mediator; other records do.
    let positions = server.call_as(Who::Mediator, Method::GET, "/records/positions", None).await;
    assert!(!positions.text.contains("name=\"id\""));
    let drafts = server.call_as(Who::Mediator, Method::GET, "/records/drafts", None).await;
    assert!(drafts.text.contains("name=\"id\""));
    // Ukraine may change its own draft, not the US's; Russia not Ukraine's.
    let own = format!("/records/drafts/{PUBLIC_UKRAINE_DRAFT}");
    assert_eq!(server.call_as(Who::Ukraine, Method::GET, &own, None).await.status, StatusCode::OK);
    let other =
        server.call_as(Who::Ukraine, Method::GET, "/records/drafts/us-plan-early", None).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    assert_eq!(
        server.call_as(Who::Russia, Method::GET, &own, None).await.status,
        StatusCode::FORBIDDEN
    );
    // The list offers to change only what one may.
    let index = server.call_as(Who::Ukraine, Method::GET, "/records", None).await;
    assert!(index.text.contains(&format!("href=\"/records/drafts/{PUBLIC_UKRAINE_DRAFT}\"")));
    assert!(!index.text.contains("href=\"/records/drafts/us-plan-early\""));
    assert!(!index.text.contains("href=\"/records/parties\""));
}

/// The number of events in the log, as the mediator reads it.
async fn events(server: &TestServer) -> usize {
    let answer = server.call_as(Who::Mediator, Method::GET, "/api/v1/events", None).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    answer.json()["items"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn a_draft_with_points_brackets_and_lineage_is_recorded_through_its_form() {
    let server = TestServer::sqlite().await;
    let before = events(&server).await;
    let form = [
        ("id", "florida-21"),
        ("title", "21 points"),
        ("date.date", "2025-12-02"),
        ("date.precision", "approximate"),
        ("date.basis", "assumed"),
        ("author", "us"),
        ("status", "under-discussion"),
        ("status_basis", "inferred"),
        ("stage", "framework"),
        ("condition.text", "Europe pays"),
        ("condition.party", "europe"),
        ("parents", "us-plan-early"),
        ("point_count", "21"),
        ("summary", "A later list."),
        ("visibility", "track:us-ukraine"),
        ("cites[0].source", "report"),
        ("cites[0].section", "Opening"),
        ("points[0].id", ""),
        ("points[0].text", ""),
        ("points[1].id", "territory"),
        ("points[1].number", "1"),
        ("points[1].text", "The line of contact, or part of Donbas."),
        ("points[1].issue", "donbas"),
        ("points[1].brackets", "compromise, no-cession"),
        ("points[1].cites[0].source", "report"),
        ("points[1].cites[0].speaker", "the reporter"),
        ("lineage[0].parent", "us-plan-early"),
        ("lineage[0].points", "territory"),
        ("lineage[0].fate", "amended"),
        ("lineage[0].into", "territory"),
        ("lineage[1].parent", "us-plan-early"),
        ("lineage[1].points", "rest"),
        ("lineage[1].fate", "unknown"),
    ];
    let answer = post_form(&server, Who::Mediator, "/records/drafts", &form).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
    assert_eq!(answer.header("location"), Some("/records?done=draft"));
    assert_eq!(events(&server).await, before + 1, "one change, one event");
    let stored =
        server.call_as(Who::Mediator, Method::GET, "/api/v1/drafts/florida-21", None).await;
    let draft: Value = stored.json();
    let expected = serde_json::json!({
        "id": "florida-21", "title": "21 points",
        "date": { "date": "2025-12-02", "precision": "approximate", "basis": "assumed" },
        "author": "us", "status": "under-discussion", "status_basis": "inferred",
        "condition": { "text": "Europe pays", "party": "europe" }, "stage": "framework",
        "parents": ["us-plan-early"], "point_count": 21, "summary": "A later list.",
        "visibility": { "track": "us-ukraine" },
        "cites": ["report#Opening"],
        "points": [{
            "id": "territory", "number": 1, "text": "The line of contact, or part of Donbas.",
            "issue": "donbas", "brackets": ["compromise", "no-cession"],
            "cites": [{ "source": "report", "speaker": "the reporter" }],
        }],
        "lineage": [
            { "parent": "us-plan-early", "points": ["territory"], "fate": "amended", "into": "territory" },
            { "parent": "us-plan-early", "points": "rest", "fate": "unknown" },
        ],
    });
    let entity = if draft.get("entity").is_some() { &draft["entity"] } else { &draft };
    assert_eq!(entity, &expected);
    // Its form shows it as stored, with its difference from its parent.
    let edit = server.call_as(Who::Mediator, Method::GET, "/records/drafts/florida-21", None).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert!(edit.text.contains("name=\"points[0].brackets\" value=\"compromise, no-cession\""));
    assert!(edit.text.contains("id=\"diff\""), "the difference from its parent is shown");
}

#[tokio::test]
async fn a_refused_form_shows_the_api_message_at_its_field_and_writes_nothing() {
    let server = TestServer::sqlite().await;
    let before = events(&server).await;
    let form = [
        ("title", "A plan"),
        ("status", "proposed"),
        ("points[0].id", "land"),
        ("points[0].text", "Some land."),
        ("points[0].issue", "donbas"),
        ("points[0].option", "no-such-option"),
        ("point_count", "many"),
    ];
    let answer = post_form(&server, Who::Mediator, "/records/drafts", &form).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text);
    assert_eq!(events(&server).await, before, "nothing is written");
    // The API gives the same messages for the same entity.
    let body = serde_json::json!({
        "title": "A plan", "status": "proposed", "point_count": "many",
        "points": [{ "id": "land", "text": "Some land.", "issue": "donbas", "option": "no-such-option" }],
    });
    let api = server.call_as(Who::Mediator, Method::POST, "/api/v1/drafts", Some(&body)).await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems = api.json()["error"]["problems"].as_array().cloned().unwrap_or_default();
    let problems = if problems.is_empty() {
        vec![serde_json::json!({ "field": api.json()["error"]["field"], "message": api.message() })]
    } else {
        problems
    };
    for problem in &problems {
        let message = problem["message"].as_str().unwrap();
        let escaped = message
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        assert!(answer.text.contains(&escaped), "'{message}' is not shown: {}", answer.text);
    }
    let field = problems[0]["field"].as_str().unwrap();
    let id = format!("f-{}", field.replace(['.', '[', ']'], "-"));
    // The summary links to the input, which is marked, described by the message, and focused.
    assert!(answer.text.contains("class=\"error-summary\""));
    assert!(answer.text.contains(&format!("href=\"#{id}")), "{id}: {}", answer.text);
    let input = answer
        .text
        .split('<')
        .find(|tag| tag.contains(&format!("id=\"{id}")) && !tag.starts_with("fieldset"))
        .unwrap_or_else(|| panic!("no input {id}"));
    assert!(input.contains("aria-invalid=\"true\""), "{input}");
    assert!(input.contains("autofocus"), "{input}");
    assert!(input.contains("-error"), "{input}");
    // What was typed is kept.
    assert!(answer.text.contains("value=\"Some land.\"") || answer.text.contains(">Some land.<"));
}

#[tokio::test]
async fn adding_a_row_sends_the_form_back_with_one_more_and_writes_nothing() {
    let server = TestServer::sqlite().await;
    let before = events(&server).await;
    let form = [
        ("title", "A plan"),
        ("points[0].id", "land"),
        ("points[0].text", "Some land."),
        ("rows:points", "2"),
        ("add", "points"),
    ];
    let answer = post_form(&server, Who::Ukraine, "/records/drafts", &form).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    assert!(answer.text.contains("name=\"points[2].id\""), "a third row");
    assert!(!answer.text.contains("name=\"points[3].id\""));
    assert!(answer.text.contains("value=\"land\""));
    assert_eq!(events(&server).await, before);
}

#[tokio::test]
async fn a_delegate_cannot_record_through_a_form_what_its_role_forbids() {
    let server = TestServer::sqlite().await;
    let before = events(&server).await;
    // A claim in Russia's name, sent by Ukraine's delegate: refused, nothing written.
    let claim = [("claimant", "russia"), ("statement", "x"), ("status", "unverified")];
    let answer = post_form(&server, Who::Ukraine, "/records/claims", &claim).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.text);
    let party = [("name", "Someone"), ("role", "observer")];
    let answer = post_form(&server, Who::Ukraine, "/records/parties", &party).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    let answer = post_form(&server, Who::Observer, "/records/sources", &[("title", "x")]).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(events(&server).await, before);
    // Its own claim goes through.
    let claim = [
        ("claimant", "ukraine"),
        ("statement", "Kyiv holds."),
        ("status", "contested"),
        ("place.name", "Pokrovsk"),
        ("place.precision", "approximate"),
        ("disputes", "pokrovsk-captured"),
        ("visibility", "private"),
    ];
    let answer = post_form(&server, Who::Ukraine, "/records/claims", &claim).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
    assert_eq!(events(&server).await, before + 1);
}

#[tokio::test]
async fn the_draft_preview_gives_the_servers_diff_of_what_is_typed() {
    let server = TestServer::sqlite().await;
    let form = [
        ("title", "Typed"),
        ("status", "proposed"),
        ("parents", "us-plan-early"),
        ("points[0].id", "territory"),
        ("points[0].text", "Ukraine keeps the whole Donbas region."),
        ("points[0].issue", "donbas"),
        ("points[0].option", "no-cession"),
        ("lineage[0].parent", "us-plan-early"),
        ("lineage[0].points", "territory"),
        ("lineage[0].fate", "amended"),
        ("lineage[0].into", "territory"),
    ];
    let answer = post_form(&server, Who::Ukraine, "/records/draft-preview", &form).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    assert!(answer.text.contains("Ukraine keeps the whole Donbas region."));
    assert!(answer.text.contains("1 changed"), "{}", answer.text);
    assert!(answer.text.contains("lineage: amended"), "{}", answer.text);
    // Without a script, the button shows the same on the page.
    let mut with_button = form.to_vec();
    with_button.push(("preview", "1"));
    let page = post_form(&server, Who::Ukraine, "/records/drafts", &with_button).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("1 changed"));
}

#[tokio::test]
async fn a_missing_field_is_shown_at_its_input() {
    let server = TestServer::sqlite().await;
    let claim = [("claimant", "ukraine"), ("statement", "  "), ("status", "unverified")];
    let answer = post_form(&server, Who::Ukraine, "/records/claims", &claim).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text);
    assert!(answer.text.contains("href=\"#f-statement\""), "{}", answer.text);
    let input = answer.text.split('<').find(|tag| tag.starts_with("textarea id=\"f-statement\""));
    let input = input.expect("the statement's input");
    assert!(input.contains("aria-invalid=\"true\"") && input.contains("autofocus"), "{input}");
}

#[tokio::test]
async fn a_delegate_records_a_private_position_through_the_record_form() {
    let server = TestServer::sqlite().await;
    let form = [
        ("party", "ukraine"),
        ("issue", "nato"),
        ("date.date", "2025-12-03"),
        ("importance", "high"),
        ("confidence", "stated"),
        ("stances.keep", "preferred"),
        ("stances.renounce", "0.1"),
        ("visibility", "private"),
        ("note", "Kyiv keeps its aspirations."),
    ];
    let answer = post_form(&server, Who::Ukraine, "/records/positions", &form).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
    let list = server.call_as(Who::Mediator, Method::GET, "/api/v1/positions", None).await.json();
    let stored = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|position| position["note"] == "Kyiv keeps its aspirations.")
        .cloned()
        .expect("the position");
    assert_eq!(stored["party"], "ukraine");
    assert_eq!(stored["visibility"], "private");
    assert_eq!(stored["stances"], serde_json::json!({ "keep": "preferred", "renounce": 0.1 }));
    let russia = server.call_as(Who::Russia, Method::GET, "/api/v1/positions", None).await;
    assert!(!russia.text.contains("Kyiv keeps its aspirations."));
    // A stance that is neither a level nor a number is refused at its input.
    let bad = [("party", "ukraine"), ("issue", "nato"), ("stances.keep", "sort of")];
    let answer = post_form(&server, Who::Ukraine, "/records/positions", &bad).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text);
    assert!(answer.text.contains("href=\"#f-stances-keep\""), "{}", answer.text);
}

#[tokio::test]
async fn an_issue_settled_by_a_number_offers_no_grid_points_as_options() {
    let server = TestServer::sqlite().await;
    let issue = [
        ("id", "budget"),
        ("title", "Budget"),
        ("category", "finance-and-reconstruction"),
        ("range.lower", "10.5"),
        ("range.upper", "40.5"),
        ("range.grid", "4"),
    ];
    let answer = post_form(&server, Who::Mediator, "/records/issues", &issue).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
    let form = server.call_as(Who::Mediator, Method::GET, "/records/positions", None).await;
    assert!(form.text.contains("name=\"stances.keep\""), "options of other issues are offered");
    assert!(!form.text.contains("Budget: "), "{}", form.text);
    // Its own form shows its range, and no options.
    let edit = server.call_as(Who::Mediator, Method::GET, "/records/issues/budget", None).await;
    assert!(edit.text.contains("name=\"range.lower\" value=\"10.5\""), "{}", edit.text);
    assert!(!edit.text.contains("name=\"options[0].id\" value=\"1"), "{}", edit.text);
}
