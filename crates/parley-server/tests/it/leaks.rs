//! Confidentiality. Ukraine's delegate records private things, each carrying a unique canary
//! text; then every answer Russia's delegate and an observer can get (every read of the OpenAPI
//! document, every page, errors, counts, the analysis, the event log, live updates) is checked
//! for the canaries, and must be byte for byte what it was before Ukraine wrote. The mediator
//! must see every canary, so that the checks can fail.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::{Answer, TestServer, Who};
use crate::roles::{self, PAGES};
use crate::samples::PUBLIC_UKRAINE_DRAFT;

const MEETING_SUMMARY: &str = "canary-meeting-summary-7f3a";
const MEETING_TITLE: &str = "canary-meeting-title-61b2";
const MEETING_PLACE: &str = "canary-meeting-place-0d9c";
const MEETING_REGION: &str = "canary-meeting-region-a4e7";
/// The private meeting's duration, checked field by field (a number may appear by chance).
const MEETING_MINUTES: u64 = 4817;
const POSITION_NOTE: &str = "canary-position-note-5b1e";
const DRAFT_TITLE: &str = "canary-draft-title-c41d";
const DRAFT_SUMMARY: &str = "canary-draft-summary-90aa";
const DRAFT_POINT: &str = "canary-draft-point-e2f8";
const CLAIM_STATEMENT: &str = "canary-claim-statement-3c6b";
const TRACK_CLAIM_STATEMENT: &str = "canary-track-claim-statement-d7e0";
/// From the note of Ukraine's reservation value, private to Ukraine in the built-in scenario.
const RESERVATION_NOTE: &str = "which lowers what no deal is worth to it";

/// What Ukraine recorded in private.
struct Canaries {
    /// Every text that must not reach another party: the canaries and the hidden ids.
    texts: Vec<String>,
    draft_id: String,
    claim_ids: Vec<String>,
}

/// Ukraine's meeting, on a track Russia does not sit on: Russia sees that a meeting took
/// place on that track and when, nothing else. Gives back the texts that must not reach
/// Russia: its canaries and its id.
async fn record_meeting(server: &TestServer) -> Vec<String> {
    let meeting = json!({
        "track": "us-ukraine", "status": "held", "date": "2025-12-01",
        "title": MEETING_TITLE, "attendees": ["zelenskyy", "witkoff"],
        "place": { "name": MEETING_PLACE, "region": MEETING_REGION },
        "duration_minutes": MEETING_MINUTES, "cites": ["report#Opening"],
        "left_open": ["security-guarantees"], "summary": MEETING_SUMMARY,
        "visibility": { "track": "us-ukraine" },
    });
    let id = server.create(Who::Ukraine, "meetings", &meeting).await;
    [MEETING_TITLE, MEETING_PLACE, MEETING_REGION, MEETING_SUMMARY, &id].map(str::to_owned).to_vec()
}

/// What of the private meeting a viewer's list of meetings shows, field by field: every
/// field but its track, date, status and visibility must be withheld.
fn meeting_fields_shown(meetings: &Value) -> Vec<String> {
    let mut shown = Vec::new();
    for meeting in meetings["items"].as_array().expect("a list") {
        if meeting["track"] != "us-ukraine" || meeting["date"] != "2025-12-01" {
            continue;
        }
        for field in ["place", "attendees", "duration_minutes", "settled", "left_open", "cites"] {
            let withheld = match &meeting[field] {
                Value::Null => true,
                Value::Array(items) => items.is_empty(),
                _ => false,
            };
            if !withheld {
                shown.push(format!("{field}: {}", meeting[field]));
            }
        }
    }
    shown
}

/// Ukraine's private records; none changes what Russia or an observer may see.
async fn record_private(server: &TestServer) -> Canaries {
    let position = json!({
        "party": "ukraine", "issue": "europe-seat", "date": "2025-12-03", "importance": "critical",
        "stances": { "sidelined": "red-line", "major-role": "preferred" },
        "note": POSITION_NOTE, "visibility": "private",
    });
    server.create(Who::Ukraine, "positions", &position).await;
    let draft = json!({
        "title": DRAFT_TITLE, "status": "proposed", "author": "ukraine", "summary": DRAFT_SUMMARY,
        "visibility": "private", "parents": [PUBLIC_UKRAINE_DRAFT],
        "points": [{ "id": "guarantees", "text": DRAFT_POINT, "issue": "security-guarantees", "option": "matching" }],
        "lineage": [{ "parent": PUBLIC_UKRAINE_DRAFT, "points": "rest", "fate": "unknown" }],
    });
    let draft_id = server.create(Who::Ukraine, "drafts", &draft).await;
    let claim = json!({
        "claimant": "ukraine", "statement": CLAIM_STATEMENT, "status": "contested",
        "date": "2025-12-02", "disputes": "pokrovsk-captured", "visibility": "private",
    });
    let claim_id = server.create(Who::Ukraine, "claims", &claim).await;
    let shared = json!({
        "claimant": "ukraine", "statement": TRACK_CLAIM_STATEMENT, "status": "unverified",
        "visibility": { "track": "ukraine-europe" },
    });
    let shared_id = server.create(Who::Ukraine, "claims", &shared).await;
    let mut texts: Vec<String> = [
        POSITION_NOTE,
        DRAFT_TITLE,
        DRAFT_SUMMARY,
        DRAFT_POINT,
        CLAIM_STATEMENT,
        TRACK_CLAIM_STATEMENT,
        RESERVATION_NOTE,
    ]
    .map(str::to_owned)
    .to_vec();
    texts.extend([draft_id.clone(), claim_id.clone(), shared_id.clone()]);
    Canaries { texts, draft_id, claim_ids: vec![claim_id, shared_id] }
}

/// Every read a user can make, by path: each GET of the document (now and as of a later
/// time) and each page.
async fn read_paths(server: &TestServer) -> Vec<String> {
    let mut paths = Vec::new();
    for operation in roles::operations(server).await {
        if operation.method == Method::GET {
            let path = roles::public_path(&operation.path);
            paths.push(format!("{path}?as_of=2100-01-01"));
            paths.push(path);
        }
    }
    for page in PAGES {
        if roles::has_page(server, page).await {
            paths.push(page.to_owned());
        }
    }
    // The exports (a delegate's holds only what it may see), their page, and the people
    // page (a delegate may not list users).
    for path in ["/export/scenario.toml", "/export/report.html", "/transfer", "/people"] {
        paths.push(path.to_owned());
    }
    paths.push("/export/scenario.toml?as_of=2100-01-01".to_owned());
    // What changed since long before the record began: every change of the log.
    paths.push(CHANGES_PAGE.to_owned());
    paths
}

/// The changes page over the whole log.
const CHANGES_PAGE: &str = "/changes?since=2000-01-01";

/// What a user gets from each read: status, ETag and body.
async fn read_everything(
    server: &TestServer,
    who: Who,
    paths: &[String],
) -> BTreeMap<String, (StatusCode, Option<String>, String)> {
    let mut res = BTreeMap::new();
    for path in paths {
        let answer = server.call_as(who, Method::GET, path, None).await;
        let etag = answer.header("etag").map(str::to_owned);
        res.insert(path.clone(), (answer.status, etag, answer.text));
    }
    res
}

/// The canaries an answer shows, in its body or its headers.
fn shown(canaries: &Canaries, answer: &Answer) -> Vec<String> {
    let headers: Vec<&str> =
        answer.headers.values().filter_map(|value| value.to_str().ok()).collect();
    let whole = format!("{}\n{}", headers.join("\n"), answer.text);
    canaries.texts.iter().filter(|canary| whole.contains(canary.as_str())).cloned().collect()
}

/// An id of the same shape that no record has.
fn nonexistent_like(id: &str) -> String {
    let (kind, _) = id.split_once('-').unwrap();
    format!("{kind}-{}", "0".repeat(id.len() - kind.len() - 1))
}

/// Whether two answers are the same but for the id each names.
fn alike(first: &Answer, first_id: &str, second: &Answer, second_id: &str) -> bool {
    first.status == second.status
        && first.header("content-type") == second.header("content-type")
        && first.text.replace(first_id, "ID") == second.text.replace(second_id, "ID")
}

#[tokio::test]
async fn nothing_private_to_ukraine_reaches_russia_or_an_observer() {
    for server in TestServer::all().await {
        roles::prepare(&server).await;
        let meeting_texts = record_meeting(&server).await;
        let paths = read_paths(&server).await;
        let mut before = BTreeMap::new();
        for who in [Who::Russia, Who::Observer, Who::Mediator] {
            before.insert(format!("{who:?}"), read_everything(&server, who, &paths).await);
        }
        // Pages may carry what changes on each request (none does yet): only those that read
        // alike twice are compared.
        let again = read_everything(&server, Who::Russia, &paths).await;
        let stable: Vec<&String> =
            paths.iter().filter(|path| again[*path] == before["Russia"][*path]).collect();
        assert!(stable.iter().any(|path| path.starts_with("/api/v1/analysis")));
        for (path, (status, _, text)) in &before["Russia"] {
            let want = if path.starts_with("/api/v1/events") || path == "/people" {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::OK
            };
            assert_eq!(*status, want, "{}: Russia GET {path}: {text}", server.backend);
        }
        assert!(stable.len() >= paths.len() - PAGES.len(), "{stable:?}");
        assert!(stable.iter().any(|path| *path == CHANGES_PAGE), "the changes page is compared");

        let mut canaries = record_private(&server).await;
        canaries.texts.extend(meeting_texts);
        let mut problems = Vec::new();
        for who in [Who::Russia, Who::Observer] {
            let meetings = server.call_as(who, Method::GET, "/api/v1/meetings", None).await.json();
            for field in meeting_fields_shown(&meetings) {
                problems.push(format!("{who:?} sees the private meeting's {field}"));
            }
            let after = read_everything(&server, who, &paths).await;
            for path in &stable {
                if after[*path] != before[&format!("{who:?}")][*path] {
                    problems.push(format!("{who:?} GET {path} changed: {:?}", after[*path]));
                }
            }
            let mut reads: Vec<String> = paths.clone();
            let hidden_draft = &canaries.draft_id;
            reads.push(format!("/api/v1/drafts/{hidden_draft}"));
            reads.push(format!("/api/v1/drafts/{hidden_draft}/diff/{PUBLIC_UKRAINE_DRAFT}"));
            reads.push(format!("/api/v1/drafts/{PUBLIC_UKRAINE_DRAFT}/diff/{hidden_draft}"));
            reads.extend(canaries.claim_ids.iter().map(|id| format!("/api/v1/claims/{id}")));
            reads.push("/api/v1/events?after=0&limit=1000".to_owned());
            for path in &reads {
                let answer = server.call_as(who, Method::GET, path, None).await;
                // A path that names a hidden id gets it back in "no draft 'ID'", as any id.
                let mut leaked = shown(&canaries, &answer);
                leaked.retain(|canary| !path.contains(canary.as_str()));
                if !leaked.is_empty() {
                    problems.push(format!("{who:?} GET {path} shows {leaked:?}"));
                }
            }
            problems.extend(hidden_answers_like_nonexistent(&server, who, &canaries).await);
        }
        assert!(problems.is_empty(), "{}: {}", server.backend, problems.join("\n"));

        // The checks can fail: the mediator sees every canary, Ukraine every one of its own.
        for who in [Who::Mediator, Who::Ukraine] {
            let mut seen = String::new();
            let mut reads = read_paths(&server).await;
            reads.push(format!("/api/v1/drafts/{}", canaries.draft_id));
            for path in &reads {
                seen.push_str(&server.call_as(who, Method::GET, path, None).await.text);
            }
            let missing: Vec<&String> =
                canaries.texts.iter().filter(|canary| !seen.contains(canary.as_str())).collect();
            assert!(missing.is_empty(), "{}: {who:?} does not see {missing:?}", server.backend);
        }
        // The changes page lists Ukraine's private records to those who may see them.
        let changes = server.get(CHANGES_PAGE, &server.mediator).await.text;
        for canary in [DRAFT_TITLE, CLAIM_STATEMENT, &canaries.draft_id] {
            assert!(
                changes.contains(canary),
                "{}: the mediator's changes lack {canary}",
                server.backend
            );
        }
        let log = server.get("/api/v1/events?limit=1000", &server.mediator).await;
        let not_logged: Vec<&String> =
            canaries.texts.iter().filter(|canary| !log.text.contains(canary.as_str())).collect();
        assert!(not_logged.is_empty(), "{}: {not_logged:?}", server.backend);
        let mediator_before = &before["Mediator"]["/api/v1/analysis"];
        let mediator_after = server.get("/api/v1/analysis", &server.mediator).await;
        assert_ne!(mediator_after.header("etag"), mediator_before.1.as_deref());
        assert_ne!(mediator_after.text, mediator_before.2, "the mediator's analysis changed");
    }
}

/// A hidden record is answered exactly like one that does not exist, by reads, changes,
/// removals, diffs and references to it.
async fn hidden_answers_like_nonexistent(
    server: &TestServer,
    who: Who,
    canaries: &Canaries,
) -> Vec<String> {
    let mut problems = Vec::new();
    let party = if who == Who::Russia { "russia" } else { "ukraine" };
    let draft = json!({ "title": "Edited", "status": "proposed", "author": party });
    let claim = json!({ "claimant": party, "statement": "Edited", "status": "unverified" });
    let mut cases = vec![("drafts", canaries.draft_id.clone(), draft)];
    for id in &canaries.claim_ids {
        cases.push(("claims", id.clone(), claim.clone()));
    }
    for (collection, hidden, body) in cases {
        let missing = nonexistent_like(&hidden);
        for (method, suffix, body) in [
            (Method::GET, "", None),
            (Method::PUT, "", Some(&body)),
            (Method::DELETE, "", None),
            (Method::GET, "/diff/florida-20", None),
            (Method::GET, "?as_of=2100-01-01", None),
        ] {
            if suffix.starts_with("/diff") && collection != "drafts" {
                continue;
            }
            let hidden_answer = server
                .call_as(
                    who,
                    method.clone(),
                    &format!("/api/v1/{collection}/{hidden}{suffix}"),
                    body,
                )
                .await;
            let missing_answer = server
                .call_as(
                    who,
                    method.clone(),
                    &format!("/api/v1/{collection}/{missing}{suffix}"),
                    body,
                )
                .await;
            if !alike(&hidden_answer, &hidden, &missing_answer, &missing) {
                problems.push(format!(
                    "{who:?} {method} {collection}/ID{suffix}: hidden {} {} but missing {} {}",
                    hidden_answer.status,
                    hidden_answer.text,
                    missing_answer.status,
                    missing_answer.text
                ));
            }
        }
    }
    // Records that refer to hidden ones are refused like those that refer to nothing.
    if who == Who::Russia {
        let hidden = &canaries.claim_ids[0];
        let missing = nonexistent_like(hidden);
        let disputing = |id: &str| json!({ "claimant": "russia", "statement": "Not so", "status": "contested", "disputes": id });
        let hidden_answer =
            server.call_as(who, Method::POST, "/api/v1/claims", Some(&disputing(hidden))).await;
        let missing_answer =
            server.call_as(who, Method::POST, "/api/v1/claims", Some(&disputing(&missing))).await;
        if hidden_answer.status != StatusCode::UNPROCESSABLE_ENTITY
            || !alike(&hidden_answer, hidden, &missing_answer, &missing)
        {
            problems.push(format!(
                "a claim disputing a hidden one: {} {} but a missing one: {}",
                hidden_answer.status, hidden_answer.text, missing_answer.text
            ));
        }
        let hidden = &canaries.draft_id;
        let missing = nonexistent_like(hidden);
        let revising = |id: &str| {
            json!({ "title": "Revision", "status": "proposed", "author": "russia", "parents": [id],
                    "lineage": [{ "parent": id, "points": "rest", "fate": "unknown" }] })
        };
        let hidden_answer =
            server.call_as(who, Method::POST, "/api/v1/drafts", Some(&revising(hidden))).await;
        let missing_answer =
            server.call_as(who, Method::POST, "/api/v1/drafts", Some(&revising(&missing))).await;
        if hidden_answer.status != StatusCode::UNPROCESSABLE_ENTITY
            || !alike(&hidden_answer, hidden, &missing_answer, &missing)
        {
            problems.push(format!(
                "a draft revising a hidden one: {} {} but a missing one: {}",
                hidden_answer.status, hidden_answer.text, missing_answer.text
            ));
        }
    }
    problems
}

#[tokio::test]
async fn live_updates_reach_only_those_who_can_see_the_change() {
    for server in TestServer::all().await {
        let mut mediator = server.listen(&server.mediator).await;
        let mut russia = server.listen(&server.russia).await;
        let mut observer = server.listen(&server.observer).await;
        for live in [&mut mediator, &mut russia, &mut observer] {
            let (name, _) = live.next_event(Duration::from_secs(10)).await.expect("ready");
            assert_eq!(name, "ready");
        }
        let russia_view = server.get("/api/v1/record", &server.russia).await;

        // A private position of Ukraine: the mediator is told, Russia and the observer are not.
        let private = json!({
            "party": "ukraine", "issue": "financing", "date": "2025-12-03", "importance": "low",
            "stances": { "europe-finances": "acceptable" }, "note": POSITION_NOTE,
            "visibility": "private",
        });
        server.create(Who::Ukraine, "positions", &private).await;
        let (name, data) =
            mediator.next_event(Duration::from_secs(10)).await.expect("the mediator is told");
        assert_eq!(name, "change");
        let mediator_etag = server.get("/api/v1/record", &server.mediator).await;
        assert!(etag_holds(mediator_etag.header("etag"), &data), "{data} {mediator_etag:?}");
        assert_eq!(russia.next_event(Duration::from_millis(300)).await, None);
        assert_eq!(observer.next_event(Duration::from_millis(100)).await, None);
        let unchanged = server.get("/api/v1/record", &server.russia).await;
        assert_eq!(unchanged.header("etag"), russia_view.header("etag"));

        // A public change: everyone is told, and Russia's next event is this one, with its new
        // view (so it was told nothing of the private one).
        let mut claim =
            server.get("/api/v1/claims/europe-obstructs", &server.mediator).await.json();
        claim["status"] = json!("refuted");
        let answer = server
            .call_as(Who::Mediator, Method::PUT, "/api/v1/claims/europe-obstructs", Some(&claim))
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        for (who, live) in
            [("mediator", &mut mediator), ("russia", &mut russia), ("observer", &mut observer)]
        {
            let (name, data) = live.next_event(Duration::from_secs(10)).await.expect(who);
            assert_eq!(name, "change", "{who}");
            let token = match who {
                "mediator" => &server.mediator,
                "russia" => &server.russia,
                _ => &server.observer,
            };
            let now = server.get("/api/v1/record", token).await;
            assert!(
                etag_holds(now.header("etag"), &data),
                "{who}: {data} {:?}",
                now.header("etag")
            );
            assert!(!data.contains(POSITION_NOTE));
        }
        assert_eq!(russia.next_event(Duration::from_millis(200)).await, None);
    }
}

/// Whether an ETag names the view a live event's data gives.
fn etag_holds(etag: Option<&str>, data: &str) -> bool {
    let view: Value = serde_json::from_str(data).unwrap();
    let fingerprint = view["view"].as_str().unwrap();
    etag.is_some_and(|etag| etag.trim_matches('"').ends_with(&format!("-{fingerprint}")))
}

#[tokio::test]
async fn a_listener_whose_token_is_revoked_is_cut_off() {
    let server = TestServer::sqlite().await;
    let mut ukraine = server.listen(&server.ukraine).await;
    assert_eq!(
        ukraine.next_event(Duration::from_secs(10)).await.map(|event| event.0).as_deref(),
        Some("ready")
    );
    let user = server
        .store
        .users()
        .await
        .unwrap()
        .into_iter()
        .find(|user| user.name == "ukraine-delegate")
        .unwrap();
    server.store.revoke_tokens(user.id).await.unwrap();
    let claim = json!({ "claimant": "us", "statement": "Public news", "status": "unverified" });
    server.create(Who::Mediator, "claims", &claim).await;
    assert!(ukraine.ends_within(Duration::from_secs(10)).await, "the stream goes on");
}

#[tokio::test]
async fn a_delegate_cannot_write_over_what_it_sees_redacted_or_write_blind() {
    for server in TestServer::all().await {
        // A meeting of the US-Russia track whose details are shared with the US-Ukraine track
        // only: Russia sits on its track but sees it redacted.
        let meeting = json!({
            "track": "us-russia", "status": "held", "date": "2025-12-01",
            "summary": MEETING_SUMMARY, "visibility": { "track": "us-ukraine" },
        });
        let id = server.create(Who::Mediator, "meetings", &meeting).await;
        let path = format!("/api/v1/meetings/{id}");
        // Russia knows it under another id: the recorded one is answered as nonexistent.
        let by_recorded_id = server.call_as(Who::Russia, Method::GET, &path, None).await;
        assert_eq!(by_recorded_id.status, StatusCode::NOT_FOUND, "{}", by_recorded_id.text);
        let listed = server.get("/api/v1/meetings", &server.russia).await.json();
        let redacted = listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|meeting| meeting["track"] == "us-russia" && meeting["date"] == "2025-12-01")
            .expect("Russia sees that the meeting took place")
            .clone();
        assert!(!redacted.to_string().contains(MEETING_SUMMARY), "{redacted}");
        let redacted_path = format!("/api/v1/meetings/{}", redacted["id"].as_str().unwrap());
        let answer =
            server.call_as(Who::Russia, Method::PUT, &redacted_path, Some(&redacted)).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.text);
        let mut edited = redacted.clone();
        edited["id"] = json!(id);
        let answer = server.call_as(Who::Russia, Method::PUT, &path, Some(&edited)).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{}", answer.text);
        let kept = server.get(&path, &server.mediator).await;
        assert!(kept.text.contains(MEETING_SUMMARY), "{}", kept.text);
        let meetings = server.get("/api/v1/meetings", &server.mediator).await.text;
        assert!(!meetings.contains("private-meeting"), "no meeting was written: {meetings}");

        // Records a delegate could not read back are refused.
        let blind = [
            (
                "claims",
                json!({ "claimant": "ukraine", "statement": "Blind", "status": "unverified", "visibility": { "track": "us-russia" } }),
            ),
            (
                "positions",
                json!({ "party": "ukraine", "issue": "nato", "date": "2025-12-03", "stances": { "keep": "preferred" }, "visibility": { "track": "us-russia" } }),
            ),
            (
                "drafts",
                json!({ "title": "Blind", "status": "proposed", "author": "ukraine", "visibility": { "track": "us-russia" } }),
            ),
            (
                "meetings",
                json!({ "track": "us-ukraine", "status": "planned", "visibility": { "track": "us-russia" } }),
            ),
        ];
        for (collection, body) in blind {
            let answer = server
                .call_as(Who::Ukraine, Method::POST, &format!("/api/v1/{collection}"), Some(&body))
                .await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{collection}: {}", answer.text);
            assert!(answer.message().contains("visible to 'ukraine'"), "{}", answer.text);
        }
        // Shared with a track Ukraine sits on: recorded.
        let shared = json!({ "claimant": "ukraine", "statement": "Shared", "status": "unverified", "visibility": { "track": "ukraine-europe" } });
        server.create(Who::Ukraine, "claims", &shared).await;
    }
}

/// A change a delegate makes to its own record does not depend on the records hidden from it
/// that depend on it (here, Ukraine's private counter-claim disputes Russia's claim and is
/// dated before Russia's new date; and Ukraine's private revision of a draft): the rules
/// between records kept apart by different parties are warnings, so the change is recorded
/// and its answer says nothing of the hidden record.
#[tokio::test]
async fn a_change_that_a_hidden_record_depends_on_is_recorded_all_the_same() {
    for server in TestServer::all().await {
        let mut own = server.get("/api/v1/claims/europe-obstructs", &server.russia).await.json();
        let hidden = json!({
            "claimant": "ukraine", "statement": CLAIM_STATEMENT, "status": "contested",
            "date": "2025-12-01", "disputes": "europe-obstructs", "visibility": "private",
        });
        server.create(Who::Ukraine, "claims", &hidden).await;
        let path = "/api/v1/claims/europe-obstructs";
        for date in ["2025-12-02", "2025-11-30"] {
            own["date"] = json!(date);
            let answer = server.call_as(Who::Russia, Method::PUT, path, Some(&own)).await;
            assert_eq!(answer.status, StatusCode::OK, "{date}: {}", answer.text);
            assert!(shown_nothing(&answer), "{}", answer.text);
        }
        // The hidden claim is still there, for the mediator.
        let claims = server.get("/api/v1/claims", &server.mediator).await.text;
        assert!(claims.contains(CLAIM_STATEMENT), "{claims}");
    }
}

/// A delegate edits its own records as it reads them, without the links to records hidden
/// from it; the links are kept.
#[tokio::test]
async fn a_delegates_edit_keeps_the_links_it_cannot_see() {
    for server in TestServer::all().await {
        let hidden_claim = server
            .create(
                Who::Ukraine,
                "claims",
                &json!({ "claimant": "ukraine", "statement": CLAIM_STATEMENT, "status": "contested", "visibility": "private" }),
            )
            .await;
        let hidden_draft = server
            .create(
                Who::Ukraine,
                "drafts",
                &json!({ "title": DRAFT_TITLE, "status": "proposed", "author": "ukraine", "visibility": "private" }),
            )
            .await;
        // The mediator links Russia's records to Ukraine's hidden ones.
        let claim = server
            .create(
                Who::Mediator,
                "claims",
                &json!({ "claimant": "russia", "statement": "Denied.", "status": "contested", "disputes": hidden_claim }),
            )
            .await;
        let draft = server
            .create(
                Who::Mediator,
                "drafts",
                &json!({
                    "title": "Russian reply", "status": "proposed", "author": "russia", "parents": [hidden_draft],
                    "lineage": [{ "parent": hidden_draft, "points": "rest", "fate": "unknown" }],
                }),
            )
            .await;
        for (collection, id) in [("claims", &claim), ("drafts", &draft)] {
            let path = format!("/api/v1/{collection}/{id}");
            let mut seen = server.get(&path, &server.russia).await.json();
            assert!(seen.get("disputes").is_none() && seen.get("parents").is_none(), "{seen}");
            let field = if collection == "claims" { "statement" } else { "title" };
            seen[field] = json!("Edited by Russia");
            let answer = server.call_as(Who::Russia, Method::PUT, &path, Some(&seen)).await;
            assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.text);
            assert!(!answer.text.contains(&hidden_claim) && !answer.text.contains(&hidden_draft));
            let kept = server.get(&path, &server.mediator).await.json();
            assert_eq!(kept[field], "Edited by Russia", "{kept}");
            if collection == "claims" {
                assert_eq!(kept["disputes"], json!(hidden_claim), "{kept}");
            } else {
                assert_eq!(kept["parents"], json!([hidden_draft]), "{kept}");
                assert_eq!(kept["lineage"][0]["parent"], json!(hidden_draft), "{kept}");
            }
        }
    }
}

/// Russia names, as its draft's parent, a public draft whose hidden parent is Ukraine's
/// revision of Russia's draft: a cycle Russia cannot see, so it is no reason to refuse.
#[tokio::test]
async fn a_cycle_through_a_hidden_draft_does_not_refuse_a_delegates_change() {
    for server in TestServer::all().await {
        let own = server
            .create(
                Who::Russia,
                "drafts",
                &json!({ "title": "Russian text", "status": "proposed", "author": "russia" }),
            )
            .await;
        let hidden = server
            .create(
                Who::Ukraine,
                "drafts",
                &json!({
                    "title": DRAFT_TITLE, "status": "proposed", "author": "ukraine", "visibility": "private",
                    "parents": [own], "lineage": [{ "parent": own, "points": "rest", "fate": "unknown" }],
                }),
            )
            .await;
        let public = server
            .create(
                Who::Mediator,
                "drafts",
                &json!({
                    "title": "Mediator's text", "status": "proposed", "parents": [hidden],
                    "lineage": [{ "parent": hidden, "points": "rest", "fate": "unknown" }],
                }),
            )
            .await;
        let path = format!("/api/v1/drafts/{own}");
        let mut seen = server.get(&path, &server.russia).await.json();
        seen["parents"] = json!([public]);
        seen["lineage"] = json!([{ "parent": public, "points": "rest", "fate": "unknown" }]);
        let answer = server.call_as(Who::Russia, Method::PUT, &path, Some(&seen)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        assert!(
            !answer.text.contains(&hidden) && !answer.text.contains(DRAFT_TITLE),
            "{}",
            answer.text
        );
        // The mediator is told of the cycle, as a warning.
        let kept = server.get(&path, &server.mediator).await.json();
        assert_eq!(kept["parents"], json!([public]), "{kept}");
    }
}

/// A party's analysis is not computed anew for an event hidden from it: the answer is the
/// one kept, so it takes no longer than before and tells of no hidden write.
#[tokio::test]
async fn an_event_hidden_from_a_delegate_computes_nothing_anew_for_it() {
    for server in TestServer::all().await {
        let before = server.get("/api/v1/analysis", &server.russia).await;
        assert_eq!(before.status, StatusCode::OK, "{}", before.text);
        let run = server.state.analyses_run();
        for n in 0..3 {
            let position = json!({
                "party": "ukraine", "issue": "europe-seat", "date": format!("2025-12-0{}", n + 1),
                "importance": "critical", "stances": { "sidelined": "red-line" }, "visibility": "private",
            });
            server.create(Who::Ukraine, "positions", &position).await;
            let after = server.get("/api/v1/analysis", &server.russia).await;
            assert_eq!(after.header("etag"), before.header("etag"));
            assert_eq!(after.text, before.text);
            assert_eq!(server.state.analyses_run(), run, "{}: hidden write {n}", server.backend);
        }
        // The check can fail: an event Russia sees is analysed anew.
        let public = json!({
            "party": "ukraine", "issue": "europe-seat", "date": "2025-12-03",
            "importance": "critical", "stances": { "sidelined": "red-line" },
        });
        server.create(Who::Ukraine, "positions", &public).await;
        let after = server.get("/api/v1/analysis", &server.russia).await;
        assert_ne!(after.header("etag"), before.header("etag"));
        assert_eq!(server.state.analyses_run(), run + 1, "{}", server.backend);
    }
}

fn shown_nothing(answer: &Answer) -> bool {
    !answer.text.contains(CLAIM_STATEMENT) && !answer.text.contains("ukraine")
}

#[tokio::test]
async fn what_the_built_in_record_keeps_private_stays_private() {
    // Reservation notes are their party's; the Kremlin meeting's every detail (its title
    // names the attendees, its id and place the building) is the US-Russia track's.
    let russia_reservation = "keeps up pressure on the battlefield";
    let europe_reservation = "so Europe can hold out";
    let kremlin_summary = "called the talks serious and forward-leaning";
    let kremlin_title = "Putin receives Witkoff and Kushner";
    let kremlin_id = "kremlin-meeting";
    let ukraine_reservation = RESERVATION_NOTE;
    let secrets = [
        russia_reservation,
        europe_reservation,
        kremlin_summary,
        kremlin_title,
        kremlin_id,
        ukraine_reservation,
    ];
    for server in TestServer::all().await {
        roles::prepare(&server).await;
        let paths = read_paths(&server).await;
        for (who, may_see) in [
            (Who::Mediator, &secrets[..]),
            (Who::Russia, &[russia_reservation, kremlin_summary, kremlin_title, kremlin_id][..]),
            (Who::Ukraine, &[ukraine_reservation][..]),
            (Who::Observer, &[][..]),
        ] {
            let mut seen = String::new();
            for answer in read_everything(&server, who, &paths).await.into_values() {
                seen.push_str(&answer.2);
            }
            for secret in secrets {
                assert_eq!(
                    seen.contains(secret),
                    may_see.contains(&secret),
                    "{}: {who:?} and '{secret}'",
                    server.backend
                );
            }
        }
    }
}

/// The record forms offer as choices (parents, disputed claims, tracks, attendees) only what
/// the caller may see: Russia's forms show none of Ukraine's private records, while the
/// mediator's and Ukraine's offer them, so that the check can fail.
#[tokio::test]
async fn record_forms_offer_no_choice_that_another_party_may_not_see() {
    for server in TestServer::all().await {
        roles::prepare(&server).await;
        let mut canaries = record_private(&server).await;
        canaries.texts.extend(record_meeting(&server).await);
        let forms = ["/records", "/records/meetings", "/records/drafts", "/records/claims"];
        for path in forms.into_iter().chain(["/records/sources", "/records/positions"]) {
            for who in [Who::Russia, Who::Observer] {
                let answer = server.call_as(who, Method::GET, path, None).await;
                let want = if who == Who::Observer && path != "/records" {
                    StatusCode::FORBIDDEN
                } else {
                    StatusCode::OK
                };
                assert_eq!(answer.status, want, "{who:?} GET {path}: {}", answer.text);
                assert_eq!(shown(&canaries, &answer), Vec::<String>::new(), "{who:?} GET {path}");
            }
        }
        for who in [Who::Mediator, Who::Ukraine] {
            let drafts = server.call_as(who, Method::GET, "/records/drafts", None).await;
            assert!(drafts.text.contains(DRAFT_TITLE), "{who:?} is offered the private draft");
            let claims = server.call_as(who, Method::GET, "/records/claims", None).await;
            assert!(claims.text.contains(CLAIM_STATEMENT), "{who:?} is offered the private claim");
        }
        // Russia can neither open the private draft's form nor preview against it.
        let path = format!("/records/drafts/{}", canaries.draft_id);
        let edit = server.call_as(Who::Russia, Method::GET, &path, None).await;
        assert_eq!(edit.status, StatusCode::NOT_FOUND);
        assert!(!edit.text.contains(DRAFT_TITLE) && !edit.text.contains(DRAFT_POINT));
        let request = axum::http::Request::builder()
            .method(Method::POST)
            .uri("/records/draft-preview")
            .header("authorization", format!("Bearer {}", server.russia))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(format!(
                "title=x&status=proposed&parents={}&points%5B0%5D.id=guarantees&points%5B0%5D.text=y",
                canaries.draft_id
            )))
            .unwrap();
        let preview = server.send(request).await;
        for canary in [DRAFT_TITLE, DRAFT_POINT, DRAFT_SUMMARY] {
            assert!(!preview.text.contains(canary), "the preview shows {canary}: {}", preview.text);
        }
    }
}
