//! Signing in: tokens are kept hashed, wrong ones are rate-limited per address (by the sign-in
//! form and by API requests alike); a browser gets a session of its own, never the token, by
//! a form of this site's own sign-in page only; a sign-in link works once; sign-out revokes
//! the session.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use parley_server::ServerOptions;
use parley_store::users::TokenKind;
use sha2::{Digest, Sha256};

use crate::harness::{TestServer, Who, test_options};

/// The sign-in check a sign-in page gave: its cookie, and the value its form carries.
const CHECK: &str = "0123456789abcdef0123456789abcdef";

/// A sign-in form sent from an address, as this site's sign-in page sends it.
fn sign_in_form(token: &str, next: &str, address: [u8; 4]) -> Request<Body> {
    posted(&format!("token={token}&next={}", encode(next)), Some(CHECK), Some(CHECK), address)
}

fn encode(text: &str) -> String {
    text.replace('/', "%2F").replace('\r', "%0D").replace('\n', "%0A").replace(' ', "%20")
}

/// A post to /sign-in with a check value in the form and in the cookie.
fn posted(
    fields: &str,
    field_check: Option<&str>,
    cookie_check: Option<&str>,
    address: [u8; 4],
) -> Request<Body> {
    let body = match field_check {
        Some(check) => format!("{fields}&check={check}"),
        None => fields.to_owned(),
    };
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/sign-in")
        .header("host", "parley.test")
        .header("content-type", "application/x-www-form-urlencoded");
    if let Some(check) = cookie_check {
        request = request.header("cookie", format!("parley_sign_in_check={check}"));
    }
    TestServer::from_address(request.body(Body::from(body)).unwrap(), address)
}

/// An API request with a token, from an address.
fn bearer(token: &str, address: [u8; 4]) -> Request<Body> {
    TestServer::from_address(
        TestServer::request(Method::GET, "/api/v1/me", Some(token), None),
        address,
    )
}

#[tokio::test]
async fn wrong_sign_in_tries_from_one_address_are_refused_for_a_while() {
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
        assert!(answer.header("set-cookie").is_none_or(|set| !set.contains("parley_session")));
        // A wrong bearer token is refused 401 every time, even from a limited address: it
        // does not count against the address, so one client cannot lock out its neighbours.
        for token in [wrong, server.revoked.as_str(), "not-even-a-token"] {
            for address in [[10, 0, 0, 1], [10, 0, 0, 2]] {
                let answer = server.send(bearer(token, address)).await;
                assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.text);
                assert_eq!(answer.json()["error"]["status"], 401);
            }
        }
        // Another address has its own tries at the form.
        for _ in 0..3 {
            let answer = server.send(sign_in_form(wrong, "/", [10, 0, 0, 2])).await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.text);
        }
        let answer = server.send(sign_in_form(wrong, "/", [10, 0, 0, 2])).await;
        assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS, "{}", answer.text);
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
async fn a_browser_signs_in_with_a_session_of_its_own_and_out_again() {
    for server in TestServer::all().await {
        let answer = server.send(sign_in_form(&server.russia, "/drafts?x=1", [10, 1, 0, 1])).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
        assert_eq!(answer.header("location"), Some("/drafts?x=1"));
        let cookie = answer.header("set-cookie").unwrap().to_owned();
        // The cookie holds a session, not the token.
        assert!(cookie.starts_with("parley_session=parley_session_"), "{cookie}");
        assert!(!cookie.contains(&server.russia), "{cookie}");
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
            assert!(cookie.contains(attribute), "{cookie}");
        }
        assert!(!cookie.contains("Secure"), "plain HTTP: {cookie}");
        let session = cookie.split(';').next().unwrap().to_owned();
        let request = Request::get("/api/v1/me").header("cookie", &session).body(Body::empty());
        let me = server.send(request.unwrap()).await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.text);
        assert_eq!(me.json()["role"], "delegate:russia");
        assert_eq!(me.json()["party"], "russia");
        let request = Request::get("/").header("cookie", &session).body(Body::empty());
        assert_eq!(server.send(request.unwrap()).await.status, StatusCode::OK);
        // A session is no bearer token, and an API token in a cookie signs no one in.
        let value = session.strip_prefix("parley_session=").unwrap();
        assert_eq!(server.get("/api/v1/me", value).await.status, StatusCode::UNAUTHORIZED);
        let request = Request::get("/api/v1/me")
            .header("cookie", format!("parley_session={}", server.russia))
            .body(Body::empty());
        assert_eq!(server.send(request.unwrap()).await.status, StatusCode::UNAUTHORIZED);

        // A `next` that cannot be a Location goes home.
        let answer =
            server.send(sign_in_form(&server.russia, "/\r\nX-Evil: 1", [10, 1, 0, 1])).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
        assert_eq!(answer.header("location"), Some("/"));

        // Sign-out revokes the session: the cookie, sent again, signs no one in.
        let request = Request::post("/sign-out")
            .header("cookie", &session)
            .header("host", "parley.test")
            .header("origin", "http://parley.test")
            .body(Body::empty());
        let answer = server.send(request.unwrap()).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
        assert_eq!(answer.header("location"), Some("/sign-in"));
        let cleared = answer.header("set-cookie").unwrap();
        assert!(
            cleared.starts_with("parley_session=;") && cleared.contains("Max-Age=0"),
            "{cleared}"
        );
        let request = Request::get("/api/v1/me").header("cookie", &session).body(Body::empty());
        assert_eq!(server.send(request.unwrap()).await.status, StatusCode::UNAUTHORIZED);
        let request = Request::get("/").header("cookie", &session).body(Body::empty());
        let answer = server.send(request.unwrap()).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
        assert_eq!(answer.header("location"), Some("/sign-in?next=/"));
        // The API token is not revoked by a session's sign-out.
        assert_eq!(server.get("/api/v1/me", &server.russia).await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn a_sign_in_link_works_once_and_only_from_its_own_page() {
    for server in TestServer::all().await {
        let mediator = server.store.users().await.unwrap().into_iter().next().unwrap();
        let code = server
            .store
            .issue(mediator.id, TokenKind::SignInLink, Some(Duration::from_secs(600)))
            .await
            .unwrap();
        // Opening the link signs no one in: the page asks to confirm, with a check of its own.
        let link = format!("/sign-in?code={code}&next=//evil.example");
        let page = server.send(Request::get(link).body(Body::empty()).unwrap()).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        let set = page.header("set-cookie").unwrap().to_owned();
        assert!(
            set.starts_with("parley_sign_in_check=") && set.contains("SameSite=Strict"),
            "{set}"
        );
        assert!(!set.contains("parley_session"), "{set}");
        let check = set.split(';').next().unwrap().strip_prefix("parley_sign_in_check=").unwrap();
        assert!(page.text.contains(&format!("value=\"{check}\"")), "the form carries the check");
        assert!(page.text.contains(&code));
        // Login CSRF: a cross-site form has no check cookie (SameSite), or names another site.
        let fields = format!("code={code}&next=%2F");
        for (field_check, cookie_check) in
            [(Some(check), None), (None, Some(check)), (Some("other"), Some(check))]
        {
            let answer =
                server.send(posted(&fields, field_check, cookie_check, [10, 2, 0, 1])).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.text);
            assert!(answer.header("set-cookie").is_none_or(|set| !set.contains("parley_session")));
        }
        let mut cross_site = posted(&fields, Some(check), Some(check), [10, 2, 0, 1]);
        cross_site.headers_mut().insert("origin", "http://evil.example".parse().unwrap());
        assert_eq!(server.send(cross_site).await.status, StatusCode::FORBIDDEN);
        // From its own page: signed in, once.
        let answer = server.send(posted(&fields, Some(check), Some(check), [10, 2, 0, 1])).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
        assert!(answer.header("set-cookie").unwrap().starts_with("parley_session=parley_session_"));
        let again = server.send(posted(&fields, Some(check), Some(check), [10, 2, 0, 1])).await;
        assert_eq!(again.status, StatusCode::UNAUTHORIZED, "{}", again.text);
        assert!(again.text.contains("used already"), "{}", again.text);
        // The code is no bearer token either.
        assert_eq!(server.get("/api/v1/me", &code).await.status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn cookies_are_secure_behind_a_trusted_tls_proxy_only() {
    let trusted = || ServerOptions { trust_proxy: true, ..test_options() };
    for (options, secure) in [(test_options as fn() -> ServerOptions, false), (trusted, true)] {
        let server = TestServer::sqlite_with(options()).await;
        let mut request = sign_in_form(&server.russia, "/", [10, 3, 0, 1]);
        request.headers_mut().insert("x-forwarded-proto", "https".parse().unwrap());
        let answer = server.send(request).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
        let cookie = answer.header("set-cookie").unwrap();
        assert_eq!(cookie.contains("; Secure"), secure, "{cookie}");
    }
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let server = TestServer::sqlite().await;
    for path in ["/", "/sign-in", "/api/v1/me", "/assets/parley.css", "/nothing-here"] {
        let answer = server.get(path, &server.mediator).await;
        let csp = answer.header("content-security-policy").unwrap_or_default();
        let script = csp.split(';').map(str::trim).find(|part| part.starts_with("script-src"));
        assert_eq!(script, Some("script-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(answer.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(answer.header("x-frame-options"), Some("DENY"), "{path}");
    }
    // No page has an inline script: the policy would block it.
    let page = server.get("/", &server.mediator).await;
    assert!(!page.text.contains("<script>"), "inline script on /");
    assert!(page.text.contains("<script src=\"/assets/page.js?v="), "{}", page.text);
}
