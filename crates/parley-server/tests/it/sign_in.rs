//! Signing in: tokens are kept hashed, wrong ones are rate-limited per address (by the sign-in
//! form and by API requests alike), and a browser holds its token in a session cookie.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use parley_server::ServerOptions;
use sha2::{Digest, Sha256};

use crate::harness::{TestServer, Who, test_options};

/// A sign-in form sent from an address.
fn sign_in_form(token: &str, next: &str, address: [u8; 4]) -> Request<Body> {
    let next =
        next.replace('/', "%2F").replace('\r', "%0D").replace('\n', "%0A").replace(' ', "%20");
    let body = format!("token={token}&next={next}");
    let request = Request::builder()
        .method(Method::POST)
        .uri("/sign-in")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    TestServer::from_address(request, address)
}

/// An API request with a token, from an address.
fn bearer(token: &str, address: [u8; 4]) -> Request<Body> {
    TestServer::from_address(
        TestServer::request(Method::GET, "/api/v1/me", Some(token), None),
        address,
    )
}

#[tokio::test]
async fn wrong_tokens_from_one_address_are_refused_for_a_while() {
    let options = || ServerOptions {
        sign_in_burst: 3,
        sign_in_interval: Duration::from_secs(60),
        ..test_options()
    };
    for server in TestServer::all_with(options).await {
        let wrong = "parley_0000000000000000000000000000000000000000000000000000000000000000";
        // The sign-in form: three tries, then 429 with when to come back.
        for _ in 0..3 {
            let answer = server.send(sign_in_form(wrong, "/", [10, 0, 0, 1])).await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.text);
            assert!(answer.text.contains("unknown or has been revoked"), "{}", answer.text);
        }
        let answer = server.send(sign_in_form(wrong, "/", [10, 0, 0, 1])).await;
        assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS, "{}", answer.text);
        assert_eq!(answer.header("retry-after"), Some("60"));
        assert!(answer.text.contains("too many requests"), "{}", answer.text);
        assert!(answer.header("set-cookie").is_none());
        // The same address with a bearer token, revoked or made up: limited alike.
        for token in [wrong, server.revoked.as_str(), "not-even-a-token"] {
            let answer = server.send(bearer(token, [10, 0, 0, 1])).await;
            assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS, "{}", answer.text);
            assert_eq!(answer.header("retry-after"), Some("60"));
        }
        // Another address has its own tries, by bearer tokens too.
        for _ in 0..3 {
            let answer = server.send(bearer(&server.revoked, [10, 0, 0, 2])).await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.text);
        }
        let answer = server.send(bearer(wrong, [10, 0, 0, 2])).await;
        assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS, "{}", answer.text);
        assert_eq!(answer.json()["error"]["status"], 429);
        let answer = server.send(sign_in_form(wrong, "/", [10, 0, 0, 2])).await;
        assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS, "{}", answer.text);
        let answer = server.send(bearer(wrong, [10, 0, 0, 3])).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.text);
        // Only wrong tokens count: a user's own token still works from a limited address (a
        // token is 256 random bits, so refusing it would only lock users out).
        let answer = server.send(bearer(&server.ukraine, [10, 0, 0, 1])).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        let answer = server.send(sign_in_form(&server.ukraine, "/", [10, 0, 0, 1])).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
    }
}

#[tokio::test]
async fn tokens_are_kept_hashed() {
    for server in TestServer::all().await {
        let (hashes, stored) = server.stored_secrets().await;
        assert_eq!(hashes.len(), 5, "{}", server.backend);
        for who in [Who::Mediator, Who::Ukraine, Who::Russia, Who::Observer, Who::Revoked] {
            let token = server.token(who).unwrap();
            let secret = token.strip_prefix("parley_").unwrap();
            assert_eq!(secret.len(), 64, "{who:?}: 256 random bits");
            assert!(!stored.contains(secret), "{}: {who:?}'s token is stored", server.backend);
            let hash = hex::encode(Sha256::digest(token.as_bytes()));
            assert!(hashes.contains(&hash), "{}: {who:?}'s hash", server.backend);
        }
        // What is stored is no token: sending a hash back signs no one in.
        let answer = server.get("/api/v1/me", &format!("parley_{}", hashes[0])).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        let answer = server.get("/api/v1/me", &hashes[0]).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn a_browser_signs_in_with_a_cookie_and_out_again() {
    for server in TestServer::all().await {
        let answer = server.send(sign_in_form(&server.russia, "/drafts?x=1", [10, 1, 0, 1])).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
        assert_eq!(answer.header("location"), Some("/drafts?x=1"));
        let cookie = answer.header("set-cookie").unwrap().to_owned();
        assert!(cookie.starts_with(&format!("parley_session={};", server.russia)), "{cookie}");
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(cookie.contains(attribute), "{cookie}");
        }
        let session = cookie.split(';').next().unwrap().to_owned();
        let request = Request::get("/api/v1/me").header("cookie", &session).body(Body::empty());
        let me = server.send(request.unwrap()).await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.text);
        assert_eq!(me.json()["role"], "delegate:russia");
        assert_eq!(me.json()["party"], "russia");
        let request = Request::get("/").header("cookie", &session).body(Body::empty());
        assert_eq!(server.send(request.unwrap()).await.status, StatusCode::OK);

        // A `next` that cannot be a Location goes home.
        let answer =
            server.send(sign_in_form(&server.russia, "/\r\nX-Evil: 1", [10, 1, 0, 1])).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
        assert_eq!(answer.header("location"), Some("/"));
        // The link `parley serve` prints signs in at once; `next` stays on this site.
        let link = format!("/sign-in?token={}&next=//evil.example", server.mediator);
        let answer = server.send(Request::get(link).body(Body::empty()).unwrap()).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
        assert_eq!(answer.header("location"), Some("/"));
        assert!(answer.header("set-cookie").is_some());

        let answer = server.send(Request::post("/sign-out").body(Body::empty()).unwrap()).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
        assert_eq!(answer.header("location"), Some("/sign-in"));
        let cleared = answer.header("set-cookie").unwrap();
        assert!(
            cleared.starts_with("parley_session=;") && cleared.contains("Max-Age=0"),
            "{cleared}"
        );
        // A revoked token's cookie is sent to sign in again.
        let request =
            Request::get("/").header("cookie", format!("parley_session={}", server.revoked));
        let answer = server.send(request.body(Body::empty()).unwrap()).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
        assert_eq!(answer.header("location"), Some("/sign-in?next=/"));
    }
}
