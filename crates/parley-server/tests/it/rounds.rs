//! Draft rounds and agreements through the router: the columns page, the agreement page and
//! its form, the agreements API, and what each role is shown. A private column and a private
//! agreement carry canaries that another party's delegate must never see, on any page, nor
//! learn anything from (the pages it reads are byte for byte what they were).

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::harness::{TestServer, Who};

const COLUMN_TITLE: &str = "canary-column-title-5e21";
const COLUMN_POINT: &str = "canary-column-point-b7c3";
const COLUMN_EXTRA: &str = "canary-column-extra-point-19fd";
const AGREEMENT_NOTE: &str = "canary-agreement-note-44a0";

/// The mediator's public compromise text, with two points.
async fn record_compromise(server: &TestServer) -> String {
    let compromise = json!({
        "title": "Mediator's compromise", "status": "under-discussion", "author": "us",
        "points": [
            { "id": "guarantees", "number": 1, "text": "Guarantees that match the threat.", "issue": "security-guarantees", "option": "matching" },
            { "id": "money", "number": 2, "text": "Europe pays.", "issue": "financing" },
        ],
    });
    server.create(Who::Mediator, "drafts", &compromise).await
}

/// Ukraine's private column answering the compromise and its private agreement to a point.
async fn record_private_round(server: &TestServer, compromise: &str) -> String {
    let column = json!({
        "title": COLUMN_TITLE, "status": "proposed", "author": "ukraine", "answers": compromise,
        "visibility": "private",
        "points": [
            { "id": "guarantees", "text": COLUMN_POINT, "issue": "security-guarantees", "option": "matching" },
            { "id": COLUMN_EXTRA, "text": "Ukraine keeps its army." },
        ],
    });
    let column = server.create(Who::Ukraine, "drafts", &column).await;
    let agreement = json!({
        "party": "ukraine", "point": "guarantees", "kind": "ad-referendum", "date": "2025-12-03",
        "visibility": "private", "note": AGREEMENT_NOTE,
    });
    let path = format!("/api/v1/drafts/{compromise}/agreements");
    let answer = server.call_as(Who::Ukraine, Method::POST, &path, Some(&agreement)).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    column
}

fn pages(compromise: &str) -> Vec<String> {
    vec![
        format!("/drafts/{compromise}/columns"),
        format!("/drafts/{compromise}/agreement"),
        format!("/drafts/{compromise}"),
        "/drafts".to_owned(),
        format!("/api/v1/drafts/{compromise}"),
        "/api/v1/record".to_owned(),
        "/api/v1/drafts".to_owned(),
    ]
}

#[tokio::test]
async fn another_partys_private_column_and_agreement_leave_no_trace() {
    for server in TestServer::all().await {
        let compromise = record_compromise(&server).await;
        let paths = pages(&compromise);
        let mut before = Vec::new();
        for path in &paths {
            before.push(server.call_as(Who::Russia, Method::GET, path, None).await.text);
        }
        let column = record_private_round(&server, &compromise).await;
        let canaries = [COLUMN_TITLE, COLUMN_POINT, COLUMN_EXTRA, AGREEMENT_NOTE, column.as_str()];
        for who in [Who::Russia, Who::Observer] {
            for path in &paths {
                let answer = server.call_as(who, Method::GET, path, None).await;
                assert_eq!(answer.status, StatusCode::OK, "{who:?} {path}");
                for canary in canaries {
                    assert!(!answer.text.contains(canary), "{who:?} GET {path} shows {canary}");
                }
                // Russia's column view reads as before: no column, no count, no agreement.
                if who == Who::Russia {
                    let idx = paths.iter().position(|candidate| candidate == path).unwrap();
                    assert_eq!(
                        answer.text, before[idx],
                        "{}: Russia GET {path} changed",
                        server.backend
                    );
                }
            }
            let hidden =
                server.call_as(who, Method::GET, &format!("/drafts/{column}/columns"), None).await;
            assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{who:?}");
        }
        // The checks can fail: Ukraine and the mediator see the column and the agreement.
        for who in [Who::Ukraine, Who::Mediator] {
            let page = server.call_as(who, Method::GET, &paths[0], None).await.text;
            for canary in [COLUMN_POINT, COLUMN_EXTRA] {
                assert!(page.contains(canary), "{who:?} does not see {canary}");
            }
            assert!(page.contains("class=\"added\""), "{who:?}: {page}");
            let record = server.call_as(who, Method::GET, "/api/v1/record", None).await.text;
            assert!(
                record.contains("\"agreed_by_some\":[{\"point\":\"guarantees\""),
                "{who:?}: {record}"
            );
        }
    }
}

#[tokio::test]
async fn a_delegate_records_agreements_for_its_own_party_only_and_a_mediator_for_any() {
    let server = TestServer::sqlite().await;
    let compromise = record_compromise(&server).await;
    let path = format!("/api/v1/drafts/{compromise}/agreements");
    let for_russia = json!({ "party": "russia", "point": "guarantees", "kind": "final" });
    let answer = server.call_as(Who::Ukraine, Method::POST, &path, Some(&for_russia)).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.text);
    let answer = server.call_as(Who::Observer, Method::POST, &path, Some(&for_russia)).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.text);
    let answer = server.call_as(Who::Mediator, Method::POST, &path, Some(&for_russia)).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    // The record's own rules: a point the draft does not have is refused, named by its field.
    let unknown = json!({ "party": "ukraine", "point": "nowhere", "kind": "final" });
    let answer = server.call_as(Who::Ukraine, Method::POST, &path, Some(&unknown)).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text);
    assert!(answer.text.contains("has no point 'nowhere'"), "{}", answer.text);
    // A delegate's form records its own party's agreement whatever party was sent.
    let form = format!(
        "draft={compromise}&party=russia&point=guarantees&kind=ad-referendum&date=2025-12-03&visibility=public"
    );
    let answer = server.send(form_request(&server, Who::Ukraine, &form)).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
    assert_eq!(
        answer.header("location"),
        Some(format!("/drafts/{compromise}/agreement?done=agreement").as_str())
    );
    let page = server
        .call_as(Who::Mediator, Method::GET, &format!("/drafts/{compromise}/agreement"), None)
        .await;
    assert!(page.text.contains("Ukraine (ad-referendum, 2025-12-03)"), "{}", page.text);
    assert!(page.text.contains("Russian Federation (final)"), "{}", page.text);
    // Guarantees need Ukraine, Russia and Europe: Europe has not agreed.
    assert!(page.text.contains("agreed-some"), "{}", page.text);
    // A form with a problem comes back with it and what was typed.
    let bad = format!("draft={compromise}&point=nowhere&kind=final&visibility=public");
    let answer = server.send(form_request(&server, Who::Ukraine, &bad)).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text);
    assert!(answer.text.contains("has no point"), "{}", answer.text);
    // The observer is offered no form; the mediator chooses the party.
    let observer = server
        .call_as(Who::Observer, Method::GET, &format!("/drafts/{compromise}/agreement"), None)
        .await;
    assert!(!observer.text.contains("/forms/agreement"));
    let mediator = server
        .call_as(Who::Mediator, Method::GET, &format!("/drafts/{compromise}/agreement"), None)
        .await;
    assert!(mediator.text.contains("Choose a party"));
}

/// A form post as someone, from a page of this site.
fn form_request(
    server: &TestServer,
    who: Who,
    body: &str,
) -> axum::http::Request<axum::body::Body> {
    let mut request = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/forms/agreement")
        .header("content-type", "application/x-www-form-urlencoded");
    if let Some(token) = server.token(who) {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    request.body(axum::body::Body::from(body.to_owned())).unwrap()
}

#[tokio::test]
async fn the_columns_page_sets_each_visible_column_beside_the_compromise() {
    let server = TestServer::sqlite().await;
    let compromise = record_compromise(&server).await;
    record_private_round(&server, &compromise).await;
    let page = server
        .call_as(Who::Ukraine, Method::GET, &format!("/drafts/{compromise}/columns"), None)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("Ukraine: 2 difference(s)"), "{}", page.text);
    // The draft page links to its columns and its agreement.
    let draft =
        server.call_as(Who::Ukraine, Method::GET, &format!("/drafts/{compromise}"), None).await;
    assert!(draft.text.contains(&format!("/drafts/{compromise}/columns")), "{}", draft.text);
    assert!(draft.text.contains(&format!("/drafts/{compromise}/agreement")), "{}", draft.text);
    let missing = server.call_as(Who::Ukraine, Method::GET, "/drafts/nowhere/columns", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}
