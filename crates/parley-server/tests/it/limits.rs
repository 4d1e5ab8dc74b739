//! The limits a server keeps: the size of a body and of each text in it, the rate of each
//! client's requests, each user's changes, and its live streams.

use axum::http::{Method, StatusCode};
use parley_server::ServerOptions;
use serde_json::json;

use crate::harness::{TestServer, Who, test_options};

#[tokio::test]
async fn a_body_over_the_limit_is_refused() {
    let options = || ServerOptions { body_limit: 2048, ..test_options() };
    for server in TestServer::all_with(options).await {
        let claim = |size: usize| json!({ "claimant": "ukraine", "statement": "x".repeat(size), "status": "unverified" });
        let answer =
            server.call_as(Who::Ukraine, Method::POST, "/api/v1/claims", Some(&claim(4000))).await;
        assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", answer.text);
        assert_eq!(answer.json()["error"]["status"], 413);
        assert!(answer.message().contains("larger than the server accepts"), "{}", answer.text);
        let answer = server
            .call_as(Who::Mediator, Method::PUT, "/api/v1/claims/big", Some(&claim(4000)))
            .await;
        assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", answer.text);
        let claims = server.get("/api/v1/claims", &server.mediator).await.text;
        assert!(!claims.contains("xxxx"), "nothing was written");
        let answer =
            server.call_as(Who::Ukraine, Method::POST, "/api/v1/claims", Some(&claim(1000))).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    }
}

#[tokio::test]
async fn a_client_over_its_request_rate_is_told_when_to_come_back() {
    let options = || ServerOptions { requests_per_second: 1, request_burst: 3, ..test_options() };
    for server in TestServer::all_with(options).await {
        // Three at once, then one a second: a slow machine may earn one more in between.
        let mut n_allowed = 0;
        let answer = loop {
            let answer = server.get("/api/v1/me", &server.russia).await;
            if answer.status != StatusCode::OK || n_allowed == 10 {
                break answer;
            }
            n_allowed += 1;
        };
        assert!((3..=4).contains(&n_allowed), "{n_allowed} requests allowed");
        assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS, "{}", answer.text);
        assert_eq!(answer.header("retry-after"), Some("1"));
        assert_eq!(answer.json()["error"]["status"], 429);
        // Writes count too, and each token has its own allowance.
        let answer = server
            .call_as(Who::Russia, Method::POST, "/api/v1/sources", Some(&json!({ "title": "T" })))
            .await;
        assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(server.get("/api/v1/me", &server.observer).await.status, StatusCode::OK);
        // Clients without a token are told apart by their address.
        let from = |address| {
            let request = TestServer::request(Method::GET, "/api/v1/record", None, None);
            server.send(TestServer::from_address(request, address))
        };
        let mut n_allowed = 0;
        let answer = loop {
            let answer = from([10, 0, 0, 1]).await;
            if answer.status != StatusCode::UNAUTHORIZED || n_allowed == 10 {
                break answer;
            }
            n_allowed += 1;
        };
        assert!((3..=4).contains(&n_allowed), "{n_allowed} requests allowed");
        assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS, "{}", answer.text);
        assert_eq!(from([10, 0, 0, 2]).await.status, StatusCode::UNAUTHORIZED);
        // The allowance comes back with time.
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        assert_eq!(server.get("/api/v1/me", &server.russia).await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn a_text_over_the_limit_is_refused_with_its_field() {
    let options = || ServerOptions { max_text_chars: 100, ..test_options() };
    for server in TestServer::all_with(options).await {
        let position = |note: &str| {
            json!({
                "party": "ukraine", "issue": "nato", "date": "2025-12-03",
                "stances": { "keep": "preferred" }, "visibility": "private", "note": note,
            })
        };
        let answer = server
            .call_as(
                Who::Ukraine,
                Method::POST,
                "/api/v1/positions",
                Some(&position(&"é".repeat(101))),
            )
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text);
        assert_eq!(answer.json()["error"]["field"], "note", "{}", answer.text);
        assert!(
            answer.message().contains("101 characters long, expected at most 100"),
            "{}",
            answer.text
        );
        let answer = server
            .call_as(
                Who::Ukraine,
                Method::POST,
                "/api/v1/positions",
                Some(&position(&"é".repeat(100))),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    }
}

#[tokio::test]
async fn a_user_over_its_write_quota_is_told_when_to_come_back() {
    let options = || ServerOptions { write_burst: 3, writes_per_minute: 1, ..test_options() };
    for server in TestServer::all_with(options).await {
        let claim = |n: usize| json!({ "claimant": "ukraine", "statement": format!("Claim {n}"), "status": "unverified" });
        for n in 0..3 {
            let answer =
                server.call_as(Who::Ukraine, Method::POST, "/api/v1/claims", Some(&claim(n))).await;
            assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
        }
        let answer =
            server.call_as(Who::Ukraine, Method::POST, "/api/v1/claims", Some(&claim(3))).await;
        assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS, "{}", answer.text);
        assert_eq!(answer.header("retry-after"), Some("60"));
        assert!(answer.message().contains("each user may record 3 at once"), "{}", answer.text);
        // Nothing was written, and another user has a quota of its own.
        let claims = server.get("/api/v1/claims", &server.mediator).await.text;
        assert!(!claims.contains("Claim 3"), "{claims}");
        let answer = server
            .call_as(
                Who::Russia,
                Method::POST,
                "/api/v1/claims",
                Some(&json!({ "claimant": "russia", "statement": "Mine", "status": "unverified" })),
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    }
}

#[tokio::test]
async fn a_user_holds_a_bounded_number_of_live_streams() {
    let options = || ServerOptions { max_listeners_per_user: 2, ..test_options() };
    let server = TestServer::sqlite_with(options()).await;
    let first = server.listen(&server.russia).await;
    let second = server.listen(&server.russia).await;
    let third = server.get("/api/v1/live", &server.russia).await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS, "{}", third.text);
    assert!(third.message().contains("each user may hold 2 open at once"), "{}", third.text);
    // Another user is not held back; a stream closed gives its place back.
    drop(server.listen(&server.ukraine).await);
    drop(first);
    let again = server.listen(&server.russia).await;
    drop((second, again));
}
