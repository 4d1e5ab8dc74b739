//! The API's reads, writes and errors.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::harness::TestServer;

#[tokio::test]
async fn a_delegate_records_a_position_and_the_mediator_reads_it() {
    let server = TestServer::sqlite().await;
    let position = json!({
        "party": "ukraine", "issue": "donbas", "date": "2025-12-03",
        "importance": "critical",
        "stances": { "compromise": "workable", "cede-all": "red-line" },
        "visibility": "private",
        "note": "canary-7f3e: Kyiv could live with a compromise",
    });
    let answer = server
        .call(Method::POST, "/api/v1/positions", Some(&server.ukraine), Some(&position))
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    assert!(answer.json().get("event").is_none(), "a delegate is not told the log's length");
    let positions = server.get("/api/v1/positions", &server.mediator).await.json();
    let recorded = positions["items"].as_array().unwrap().iter().any(|item| {
        item["party"] == "ukraine"
            && item["issue"] == "donbas"
            && item["stances"]["compromise"] == "workable"
    });
    assert!(recorded, "{positions}");
    // Russia's delegate does not see it, and may not record for Ukraine.
    let seen_by_russia = server.get("/api/v1/positions", &server.russia).await.text;
    assert!(!seen_by_russia.contains("canary-7f3e"), "{seen_by_russia}");
    let answer =
        server.call(Method::POST, "/api/v1/positions", Some(&server.russia), Some(&position)).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.text);
}

#[tokio::test]
async fn errors_are_json_and_name_the_field() {
    let server = TestServer::sqlite().await;
    let answer = server.get("/api/v1/record?as_of=yesterday", &server.mediator).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.json()["error"]["field"], "as_of");
    let bad =
        json!({ "party": "ukraine", "issue": "no-such-issue", "stances": { "x": "preferred" } });
    let answer =
        server.call(Method::POST, "/api/v1/positions", Some(&server.ukraine), Some(&bad)).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text);
    assert_eq!(answer.json()["error"]["field"], "issue", "{}", answer.text);
    let answer = server.call(Method::GET, "/api/v1/record", None, None).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert!(answer.json()["error"]["message"].as_str().unwrap().contains("sign in"));
}

#[tokio::test]
async fn observers_read_and_cannot_write_and_etags_follow_the_view() {
    let server = TestServer::sqlite().await;
    let first = server.get("/api/v1/stance-matrix", &server.observer).await;
    assert_eq!(first.status, StatusCode::OK);
    let etag = first.headers["etag"].to_str().unwrap().to_owned();
    let claim =
        json!({ "claimant": "ukraine", "statement": "A public statement.", "status": "contested" });
    let answer =
        server.call(Method::POST, "/api/v1/claims", Some(&server.observer), Some(&claim)).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.text);
    // The log did not grow.
    assert_eq!(server.store.head().await.unwrap().unwrap().seq, 1);
    let answer =
        server.call(Method::POST, "/api/v1/claims", Some(&server.ukraine), Some(&claim)).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    let second = server.get("/api/v1/stance-matrix", &server.observer).await;
    let claims = server.get("/api/v1/claims", &server.observer).await;
    assert!(claims.text.contains("A public statement."));
    assert_ne!(second.headers["etag"], claims.headers["etag"]);
    assert_ne!(etag, claims.headers["etag"].to_str().unwrap());
}
