//! The record forms in a real browser: from a record that holds nothing but its title, the
//! mediator builds a representative part of the built-in case through the forms alone (every
//! kind of record, every field of each), rows added with the forms' own "Add" buttons; each
//! stored record is compared with what was typed. Ukraine's delegate then records its own
//! private claim and draft through the same forms. Every form is checked at 1280 and 390 px
//! wide (nothing wider than the screen) for both, and a refused submission shows its problem
//! at the field, with the focus there, and writes nothing. Skips, saying so, when chromedriver
//! or chromium is missing; with `PARLEY_SCREENSHOTS=DIR` it saves a PNG of each form.
#![cfg(unix)]

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

use crate::browser::{
    browser_programs, path, screenshot, script, set_viewport, shown, sign_in, with_two_browsers,
};
use crate::harness::{TestServer, Who};

/// How long a page may take to come back here: the forms are long, and a loaded machine
/// runs the browsers slowly.
const PATIENCE: Duration = Duration::from_secs(60);

/// Waits until `check` holds, or fails the test saying what it waited for.
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = std::time::Instant::now();
    while !check().await {
        assert!(start.elapsed() < PATIENCE, "waited {PATIENCE:?} for {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// What is typed into one form: `(input name, value)`; a box to tick is named by its value.
type Typed = &'static [(&'static str, &'static str)];

/// Names whose inputs are boxes to tick (one pair for each box ticked).
const CHECKS: [&str; 6] =
    ["parents", "attendees", "settled", "left_open", "parties", "consent.issues"];

fn is_check(name: &str) -> bool {
    CHECKS.contains(&name)
}

/// The group rows a name needs (`points[2].text` needs 3 rows of `points`), outermost first.
fn rows_needed(name: &str) -> Vec<(String, usize)> {
    let mut res = Vec::new();
    let mut from = 0;
    while let Some(open) = name[from..].find('[').map(|at| at + from) {
        let close = name[open..].find(']').map(|at| at + open).unwrap();
        let index: usize = name[open + 1..close].parse().unwrap();
        res.push((name[..open].to_owned(), index + 1));
        from = close + 1;
    }
    res
}

/// Opens a form and fills it in: rows added first (with the form's buttons, which send it
/// back), then every value set and the form sent.
async fn fill(client: &Client, base: &str, form: &str, typed: Typed) {
    client.goto(&format!("{base}{form}")).await.unwrap();
    for (name, _) in typed {
        for (group, rows) in rows_needed(name) {
            loop {
                let probe = format!("[name^=\"{group}[{}]\"]", rows - 1);
                if !client.find_all(Locator::Css(&probe)).await.unwrap().is_empty() {
                    break;
                }
                let add = format!("button[name=add][value=\"{group}\"]");
                client.find(Locator::Css(&add)).await.unwrap().click().await.unwrap();
                eventually(&format!("a row more of {group}"), || async {
                    !client.find_all(Locator::Css(&probe)).await.unwrap().is_empty()
                })
                .await;
            }
        }
    }
    // Every value set at once, as typing would leave it (one round trip, not one a field).
    let code = r#"
        var missing = [];
        arguments[0].forEach(function (pair) {
          var name = pair[0], value = pair[1], all = document.getElementsByName(name);
          if (!all.length) { missing.push(name); return; }
          var element = all[0];
          if (element.type === 'checkbox') {
            var box = Array.prototype.find.call(all, function (box) { return box.value === value; });
            if (!box) { missing.push(name + '=' + value); return; }
            box.checked = true;
            element = box;
          } else if (element.tagName === 'SELECT') {
            var known = Array.prototype.some.call(element.options, function (o) { return o.value === value; });
            if (!known) { missing.push(name + '=' + value); return; }
            element.value = value;
          } else {
            element.value = value;
          }
          element.dispatchEvent(new Event('input', { bubbles: true }));
        });
        return missing;
    "#;
    let pairs: Vec<Value> = typed.iter().map(|(name, value)| json!([name, value])).collect();
    let missing = script(client, code, vec![Value::Array(pairs)]).await;
    assert_eq!(missing, json!([]), "{form}: inputs or choices not found");
}

async fn send(client: &Client) {
    client
        .find(Locator::Css("form.record .actions button.primary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Sends a filled form and waits for the list of records with its confirmation.
async fn record(client: &Client, base: &str, form: &str, typed: Typed) {
    fill(client, base, form, typed).await;
    send(client).await;
    eventually(&format!("{form} to be recorded"), || async {
        path(client).await.starts_with("/records?done=")
    })
    .await;
    assert!(shown(client).await.contains("recorded."), "{form}");
}

/// A stored entity's value at an input's path, as the form writes it: lists joined by ", "
/// (lines by "\n"), a track's visibility as `track:ID`, a citation `source#section` split.
fn stored_at(entity: &Value, name: &str) -> Vec<String> {
    let mut value = entity.clone();
    let mut segments: Vec<String> = Vec::new();
    for part in name.split('.') {
        match part.split_once('[') {
            Some((key, index)) => {
                segments.push(key.to_owned());
                segments.push(format!("[{}", index.trim_end_matches(']')));
            }
            None => segments.push(part.to_owned()),
        }
    }
    for segment in &segments {
        value = match (segment.strip_prefix('['), &value) {
            (Some(index), Value::Array(items)) => {
                items.get(index.parse::<usize>().unwrap()).cloned().unwrap_or(Value::Null)
            }
            (None, Value::Object(map)) => map.get(segment).cloned().unwrap_or(Value::Null),
            // A plain date, a citation written `source#section`, a visibility's track.
            (None, Value::String(text)) => match segment.as_str() {
                "date" => Value::from(text.clone()),
                "source" => Value::from(text.split('#').next().unwrap_or_default()),
                "section" => text.split_once('#').map_or(Value::Null, |(_, s)| Value::from(s)),
                _ => Value::Null,
            },
            _ => Value::Null,
        };
    }
    match value {
        Value::String(text) => vec![text],
        Value::Number(number) => vec![number.to_string()],
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::Array(pair) => {
                    pair.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ")
                }
                other => other.as_str().map(str::to_owned).unwrap_or_default(),
            })
            .collect(),
        Value::Object(map) => match map.get("track") {
            Some(Value::String(track)) => vec![format!("track:{track}")],
            _ => map.keys().cloned().collect(),
        },
        _ => Vec::new(),
    }
}

/// Checks that the stored entity holds every value typed.
async fn compare(server: &TestServer, kind: &str, id: &str, typed: Typed) {
    let answer =
        server.call_as(Who::Mediator, Method::GET, &format!("/api/v1/{kind}/{id}"), None).await;
    assert_eq!(answer.status, StatusCode::OK, "{kind}/{id}: {}", answer.text);
    let body = answer.json();
    check(body.get("entity").unwrap_or(&body), &format!("{kind}/{id}"), typed);
}

/// The position of a party on an issue whose note is this, as stored.
async fn position(server: &TestServer, party: &str, note: &str) -> Value {
    let answer = server.call_as(Who::Mediator, Method::GET, "/api/v1/positions", None).await;
    let list = answer.json()["items"].as_array().cloned().unwrap_or_default();
    list.into_iter()
        .find(|position| position["party"] == party && position["note"] == note)
        .unwrap_or_else(|| panic!("no position of {party} noted {note:?}: {}", answer.text))
}

fn check(entity: &Value, what: &str, typed: Typed) {
    let (kind, id) = what.split_once('/').unwrap_or((what, ""));
    for (name, value) in typed {
        let stored = stored_at(entity, name);
        let wanted: Vec<String> = if is_check(name) || name.ends_with("brackets") {
            value.split(", ").map(str::to_owned).collect()
        } else if *name == "sections" || *name == "curve" {
            value.lines().map(str::to_owned).collect()
        } else if name.ends_with("].points") && *value != "rest" {
            value.split(", ").map(str::to_owned).collect()
        } else {
            vec![(*value).to_owned()]
        };
        for want in wanted {
            assert!(
                stored.contains(&want),
                "{kind}/{id} {name}: typed {want:?}, stored {stored:?}"
            );
        }
    }
}

const SOURCE: Typed = &[
    ("id", "report"),
    ("title", "News report on the US-Russia talks in Moscow and the parallel US-Ukraine track"),
    ("publisher", "A news agency"),
    ("date.date", "2025-12-01"),
    ("date.precision", "month"),
    ("date.basis", "assumed"),
    ("address", "shared/seed/talks-report.txt"),
    ("sections", "Opening\nInside the High-Level Meeting\nTerritorial Disputes Remain Central"),
];

const ISSUE_DONBAS: Typed = &[
    ("id", "donbas"),
    ("title", "Donbas"),
    ("category", "territory"),
    ("description", "Whether Ukraine cedes the Donbas region."),
    ("options[0].id", "cede-all"),
    ("options[0].label", "Ukraine cedes all of Donbas"),
    ("options[1].id", "compromise"),
    ("options[1].label", "A compromise line"),
    ("options[2].id", "no-cession"),
    ("options[2].label", "No cession"),
    ("cites[0].source", "report"),
    ("cites[0].section", "Territorial Disputes Remain Central"),
    ("cites[0].speaker", "the reporter"),
    ("cites[0].quote", "progress on territory"),
];

const ISSUE_FINANCING: Typed = &[
    ("id", "financing"),
    ("title", "Reconstruction money (billions)"),
    ("category", "finance-and-reconstruction"),
    ("range.lower", "2.5"),
    ("range.upper", "500.5"),
    ("range.grid", "11"),
];

const PARTY_US: Typed = &[("id", "us"), ("name", "United States"), ("role", "mediator")];

const PARTY_RUSSIA: Typed = &[("id", "russia"), ("name", "Russia"), ("role", "principal")];

const PARTY_UKRAINE: Typed = &[
    ("id", "ukraine"),
    ("name", "Ukraine"),
    ("role", "principal"),
    ("consent", "issues"),
    ("consent.issues", "donbas"),
    ("consent_basis", "inferred"),
    ("delegates[0].id", "zelenskyy"),
    ("delegates[0].name", "Volodymyr Zelenskyy"),
    ("delegates[0].title", "President"),
    ("delegates[0].cites[0].source", "report"),
    ("delegates[0].cites[0].section", "Opening"),
    ("delegates[1].id", "umerov"),
    ("delegates[1].name", "Rustem Umerov"),
    ("interests[0].label", "Sovereignty and territorial integrity"),
    ("interests[0].cites[0].source", "report"),
    ("interests[0].cites[0].section", "Opening"),
    ("reservation.value", "0.2"),
    ("reservation.basis", "assumed"),
    ("reservation.note", "War goes on without a deal"),
    ("reservation.cites[0].source", "report"),
    ("reservation.cites[0].quote", "survival"),
    ("discount_factor", "0.9"),
    ("notes[0].text", "Kyiv rejected the early terms at once."),
    ("notes[0].date.date", "2025-11-20"),
    ("notes[0].date.precision", "approximate"),
    ("notes[0].date.basis", "assumed"),
    ("notes[0].basis", "stated"),
    ("notes[0].cites[0].source", "report"),
    ("notes[0].cites[0].section", "Opening"),
    ("cites[0].source", "report"),
    ("cites[0].section", "Opening"),
];

const TRACK: Typed = &[
    ("id", "us-ukraine"),
    ("name", "US-Ukraine"),
    ("parties", "us"),
    ("parties", "ukraine"),
    ("description", "The Florida talks."),
    ("cites[0].source", "report"),
    ("cites[0].section", "Opening"),
];

const TRACK_DOCUMENT: Typed = &[("document", "us-plan-early")];

const DRAFT_EARLY: Typed = &[
    ("id", "us-plan-early"),
    ("title", "Early US peace plan (28 points)"),
    ("author", "us"),
    ("status", "superseded"),
    ("status_basis", "inferred"),
    ("stage", "framework"),
    ("point_count", "28"),
    ("summary", "The earlier versions appeared to align closely with Moscow's demands."),
    ("cites[0].source", "report"),
    ("cites[0].section", "Opening"),
    ("points[0].id", "territory"),
    ("points[0].number", "1"),
    ("points[0].text", "Ukraine gives up the whole Donbas region."),
    ("points[0].issue", "donbas"),
    ("points[0].option", "cede-all"),
    ("points[0].cites[0].source", "report"),
    ("points[0].cites[0].section", "Opening"),
    ("points[1].id", "money"),
    ("points[1].text", "Reconstruction money, amount in brackets."),
    ("points[1].issue", "donbas"),
    ("points[1].brackets", "compromise, no-cession"),
    ("points[2].id", "guarantees"),
    ("points[2].text", "Security guarantees."),
];

const DRAFT_FLORIDA: Typed = &[
    ("id", "florida-20"),
    ("title", "20-point list (Florida)"),
    ("date.date", "2025-11-30"),
    ("date.precision", "approximate"),
    ("date.basis", "assumed"),
    ("author", "us"),
    ("status", "under-discussion"),
    ("status_basis", "inferred"),
    ("stage", "framework"),
    ("condition.text", "the discussions signal fairness"),
    ("condition.party", "ukraine"),
    ("parents", "us-plan-early"),
    ("point_count", "20"),
    ("summary", "The 28 points cut to 20."),
    ("visibility", "track:us-ukraine"),
    ("points[0].id", "territory"),
    ("points[0].text", "A line of contact, to be agreed."),
    ("points[0].issue", "donbas"),
    ("points[0].option", "compromise"),
    ("lineage[0].parent", "us-plan-early"),
    ("lineage[0].points", "territory"),
    ("lineage[0].fate", "amended"),
    ("lineage[0].into", "territory"),
    ("lineage[0].cites[0].source", "report"),
    ("lineage[0].cites[0].section", "Opening"),
    ("lineage[1].parent", "us-plan-early"),
    ("lineage[1].points", "money, guarantees"),
    ("lineage[1].fate", "dropped"),
    ("lineage[2].parent", "us-plan-early"),
    ("lineage[2].points", "rest"),
    ("lineage[2].fate", "unknown"),
];

const MEETING: Typed = &[
    ("id", "florida-round"),
    ("track", "us-ukraine"),
    ("title", "US and Ukrainian negotiators in Florida"),
    ("date.date", "2025-11-30"),
    ("date.precision", "approximate"),
    ("date.basis", "assumed"),
    ("place.name", "Florida"),
    ("place.region", "Florida"),
    ("place.country", "United States"),
    ("place.precision", "region"),
    ("duration_minutes", "300"),
    ("status", "held"),
    ("status_basis", "stated"),
    ("condition.text", "the discussions signal fairness"),
    ("condition.party", "ukraine"),
    ("attendees", "us"),
    ("attendees", "zelenskyy"),
    ("settled", "financing"),
    ("left_open", "donbas"),
    ("summary", "The list went from 28 points to 20."),
    ("visibility", "track:us-ukraine"),
    ("cites[0].source", "report"),
    ("cites[0].section", "Opening"),
    ("cites[0].speaker", "officials"),
    ("cites[0].quote", "useful and substantive"),
];

const CLAIM_CAPTURED: Typed = &[
    ("id", "pokrovsk-captured"),
    ("claimant", "russia"),
    ("statement", "Russian forces have captured Pokrovsk."),
    ("date.date", "2025-12-01"),
    ("date.precision", "approximate"),
    ("date.basis", "assumed"),
    ("place.name", "Pokrovsk"),
    ("place.region", "Donetsk"),
    ("place.country", "Ukraine"),
    ("place.precision", "approximate"),
    ("status", "contested"),
    ("cites[0].source", "report"),
    ("cites[0].section", "Opening"),
    ("cites[0].speaker", "Russia"),
];

const CLAIM_CONTESTED: Typed = &[
    ("id", "pokrovsk-still-contested"),
    ("claimant", "ukraine"),
    ("statement", "Fighting for Pokrovsk goes on."),
    ("status", "contested"),
    ("disputes", "pokrovsk-captured"),
];

const POSITION_RUSSIA: Typed = &[
    ("party", "russia"),
    ("issue", "donbas"),
    ("date.date", "2025-12-02"),
    ("date.precision", "approximate"),
    ("date.basis", "assumed"),
    ("importance", "critical"),
    ("importance_basis", "assumed"),
    ("confidence", "inferred"),
    ("stances.cede-all", "preferred"),
    ("stances.compromise", "0.25"),
    ("stances.no-cession", "red-line"),
    ("condition.text", "the talks go on"),
    ("condition.party", "us"),
    ("visibility", "private"),
    ("note", "Moscow insists on the whole region."),
    ("cites[0].source", "report"),
    ("cites[0].section", "Territorial Disputes Remain Central"),
];

const POSITION_CURVE: Typed = &[
    ("party", "us"),
    ("issue", "financing"),
    ("weight", "0.4"),
    ("curve", "2.5 1.0\n500.5 0.0"),
    ("note", "The US would rather pay less."),
];

/// Ukraine's own position, private: the form fixes its party.
const UKRAINE_POSITION: Typed = &[
    ("issue", "donbas"),
    ("importance", "critical"),
    ("stances.cede-all", "red-line"),
    ("stances.no-cession", "preferred"),
    ("visibility", "private"),
    ("note", "Kyiv will not give up land it holds."),
];

/// Ukraine's own claim, private: the form fixes its claimant.
const UKRAINE_CLAIM: Typed = &[
    ("statement", "Kyiv's own private reading of the front."),
    ("status", "unverified"),
    ("place.name", "Kupiansk"),
    ("place.precision", "approximate"),
    ("visibility", "private"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_builds_the_record_through_the_forms_alone() {
    let Some((chromedriver, chrome)) = browser_programs() else {
        #[allow(clippy::print_stderr, reason = "a skipped test says why")]
        {
            eprintln!(
                "skipping the forms' browser test: chromedriver or chromium is not installed"
            );
        }
        return;
    };
    let builtin = parley_server::builtin_scenario();
    let seed = parley_model::scenario::Scenario {
        id: builtin.id.clone(),
        title: builtin.title.clone(),
        ..parley_model::scenario::Scenario::default()
    };
    let server = Arc::new(TestServer::sqlite_seeded(&seed).await);
    let programs = (chromedriver, chrome);
    with_two_browsers(server, programs, Duration::from_secs(1200), build_the_record).await;
}

/// Checks a form at both widths (nothing wider than a phone's screen) and saves it when asked.
async fn look_at(client: &Client, name: &str) {
    for (width, height) in [(1280, 900), (390, 844)] {
        set_viewport(client, width, height).await;
        let overflow = script(
            client,
            "return document.documentElement.scrollWidth - window.innerWidth",
            vec![],
        )
        .await;
        assert!(overflow.as_i64().unwrap_or(1) <= 0, "{name} at {width} px is wider by {overflow}");
    }
    set_viewport(client, 1280, 900).await;
    if let Some(dir) = std::env::var_os("PARLEY_SCREENSHOTS") {
        std::fs::create_dir_all(&dir).unwrap();
        screenshot(client, Path::new(&dir), &format!("form-{name}")).await;
    }
}

async fn count(server: &TestServer, kind: &str) -> usize {
    let answer = server.call_as(Who::Mediator, Method::GET, &format!("/api/v1/{kind}"), None).await;
    answer.json()["items"].as_array().map_or(0, Vec::len)
}

/// A refused form: the summary names the problem, the focus is on the field at fault, which
/// is marked invalid and described by the message; nothing is written.
async fn refused(
    server: &TestServer,
    client: &Client,
    base: &str,
    form: &str,
    kind: &str,
    typed: Typed,
    name: &str,
) {
    let before = count(server, kind).await;
    fill(client, base, form, typed).await;
    send(client).await;
    eventually(&format!("{form} sent back"), || async {
        shown(client).await.contains("The record was not changed")
    })
    .await;
    let focused = script(
        client,
        "var e = document.activeElement; return [e.name, e.getAttribute('aria-invalid'), \
         document.getElementById(e.getAttribute('aria-describedby').split(' ').pop()).innerText]",
        vec![],
    )
    .await;
    assert_eq!(focused[0], json!(name), "{form}: the focus is on the field at fault");
    assert_eq!(focused[1], json!("true"));
    assert!(!focused[2].as_str().unwrap_or_default().is_empty(), "{form}: {focused}");
    let link = format!(".error-summary a[href=\"#f-{}\"]", name.replace(['.', '[', ']'], "-"));
    assert!(!client.find_all(Locator::Css(&link)).await.unwrap().is_empty(), "{form}: {link}");
    assert_eq!(count(server, kind).await, before, "{form}: nothing is written");
}

async fn build_the_record(
    server: Arc<TestServer>,
    base: String,
    mediator: Client,
    ukraine: Client,
) {
    sign_in(&mediator, &base, &server.mediator, "/records").await;
    let steps: [(&str, &str, &str, Typed); 11] = [
        ("sources", "report", "/records/sources", SOURCE),
        ("issues", "donbas", "/records/issues", ISSUE_DONBAS),
        ("issues", "financing", "/records/issues", ISSUE_FINANCING),
        ("parties", "us", "/records/parties", PARTY_US),
        ("parties", "russia", "/records/parties", PARTY_RUSSIA),
        ("parties", "ukraine", "/records/parties", PARTY_UKRAINE),
        ("tracks", "us-ukraine", "/records/tracks", TRACK),
        ("drafts", "us-plan-early", "/records/drafts", DRAFT_EARLY),
        ("tracks", "us-ukraine", "/records/tracks/us-ukraine", TRACK_DOCUMENT),
        ("drafts", "florida-20", "/records/drafts", DRAFT_FLORIDA),
        ("meetings", "florida-round", "/records/meetings", MEETING),
    ];
    for (kind, id, form, typed) in steps {
        record(&mediator, &base, form, typed).await;
        compare(&server, kind, id, typed).await;
    }
    // Typing a draft shows its difference from its parent, from the server's diff.
    fill(
        &mediator,
        &base,
        "/records/drafts/florida-20",
        &[("points[0].text", "A line typed anew.")],
    )
    .await;
    eventually("the difference as it is typed", || async {
        let text =
            script(&mediator, "return document.getElementById('draft-preview').innerText", vec![])
                .await;
        text.as_str()
            .is_some_and(|text| text.contains("A line typed anew.") && text.contains("changed"))
    })
    .await;
    for (kind, id, typed) in [
        ("claims", "pokrovsk-captured", CLAIM_CAPTURED),
        ("claims", "pokrovsk-still-contested", CLAIM_CONTESTED),
    ] {
        record(&mediator, &base, "/records/claims", typed).await;
        compare(&server, kind, id, typed).await;
    }
    for (party, typed) in [("russia", POSITION_RUSSIA), ("us", POSITION_CURVE)] {
        record(&mediator, &base, "/records/positions", typed).await;
        let note = typed.iter().find(|(name, _)| *name == "note").unwrap().1;
        check(&position(&server, party, note).await, "positions", typed);
    }
    // Every kind of record is in the record now, and the scenario is valid throughout.
    for kind in
        ["sources", "parties", "issues", "tracks", "meetings", "drafts", "claims", "positions"]
    {
        assert!(count(&server, kind).await > 0, "no {kind}");
    }
    for form in
        ["sources", "parties", "issues", "tracks", "meetings", "drafts", "claims", "positions"]
    {
        mediator.goto(&format!("{base}/records/{form}")).await.unwrap();
        look_at(&mediator, &format!("mediator-{form}")).await;
    }
    mediator.goto(&format!("{base}/records")).await.unwrap();
    look_at(&mediator, "mediator-index").await;
    // The mediator's refused draft: an option of no issue.
    let bad: Typed = &[
        ("title", "A bad draft"),
        ("points[0].id", "x"),
        ("points[0].issue", "donbas"),
        ("points[0].brackets", "compromise, no-such-option"),
    ];
    refused(&server, &mediator, &base, "/records/drafts", "drafts", bad, "points[0].brackets")
        .await;
    look_at(&mediator, "mediator-drafts-refused").await;

    // Ukraine, now recorded, gets a delegate, who records its own private claim; its forms
    // fix the party.
    let role = parley_store::users::Role::parse("delegate:ukraine").unwrap();
    let user = server.store.create_user("ukraine-delegate", &role).await.unwrap();
    let token = server.store.issue_token(user.id).await.unwrap();
    sign_in(&ukraine, &base, &token, "/records").await;
    for form in ["sources", "meetings", "drafts", "claims", "positions"] {
        ukraine.goto(&format!("{base}/records/{form}")).await.unwrap();
        look_at(&ukraine, &format!("ukraine-{form}")).await;
    }
    ukraine.goto(&format!("{base}/records")).await.unwrap();
    look_at(&ukraine, "ukraine-index").await;
    // By keyboard alone: Tab goes from one input to the next, Enter records (it does not add
    // a row, whose buttons come first in some forms).
    ukraine.goto(&format!("{base}/records/sources")).await.unwrap();
    let title = ukraine.find(Locator::Css("[name=title]")).await.unwrap();
    title.send_keys("A statement of Kyiv's delegation").await.unwrap();
    title.send_keys("\u{E004}").await.unwrap();
    let next = script(&ukraine, "return document.activeElement.name", vec![]).await;
    assert_eq!(next, json!("publisher"), "Tab goes to the next input");
    let sources = count(&server, "sources").await;
    title.send_keys("\u{E007}").await.unwrap();
    eventually("the source recorded by Enter", || async {
        path(&ukraine).await == "/records?done=source"
    })
    .await;
    assert_eq!(count(&server, "sources").await, sources + 1);
    let before = count(&server, "claims").await;
    record(&ukraine, &base, "/records/claims", UKRAINE_CLAIM).await;
    assert_eq!(count(&server, "claims").await, before + 1);
    let claims = server.call_as(Who::Mediator, Method::GET, "/api/v1/claims", None).await.json();
    let own = claims["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|claim| claim["statement"] == UKRAINE_CLAIM[0].1)
        .expect("Ukraine's claim")
        .clone();
    assert_eq!(own["claimant"], "ukraine");
    compare(&server, "claims", own["id"].as_str().unwrap(), UKRAINE_CLAIM).await;
    record(&ukraine, &base, "/records/positions", UKRAINE_POSITION).await;
    let own = position(&server, "ukraine", UKRAINE_POSITION[5].1).await;
    check(&own, "positions", UKRAINE_POSITION);
    assert_eq!(own["party"], "ukraine");
    let role = parley_store::users::Role::parse("delegate:russia").unwrap();
    let user = server.store.create_user("russia-delegate", &role).await.unwrap();
    let russia_token = server.store.issue_token(user.id).await.unwrap();
    let russia = server.call(Method::GET, "/api/v1/claims", Some(&russia_token), None).await;
    assert_eq!(russia.status, StatusCode::OK);
    assert!(russia.text.contains("pokrovsk-captured"), "Russia sees the public claims");
    assert!(!russia.text.contains(UKRAINE_CLAIM[0].1), "Russia does not see Ukraine's");
    let russia = server.call(Method::GET, "/api/v1/positions", Some(&russia_token), None).await;
    assert!(russia.text.contains(POSITION_RUSSIA[14].1), "Russia sees its own private position");
    assert!(!russia.text.contains(UKRAINE_POSITION[5].1), "nor its private position");
    // Ukraine's refused draft: a point on an option of another issue.
    let bad: Typed = &[
        ("title", "Kyiv's text"),
        ("points[0].id", "land"),
        ("points[0].issue", "financing"),
        ("points[0].option", "cede-all"),
    ];
    refused(&server, &ukraine, &base, "/records/drafts", "drafts", bad, "points[0].option").await;
    look_at(&ukraine, "ukraine-drafts-refused").await;
}
