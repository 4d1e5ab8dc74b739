//! The limits a server keeps: the size of a body and the rate of each client's requests.

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
