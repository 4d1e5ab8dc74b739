//! People and access through the router: the mediator invites, the invitee accepts once and
//! is signed in, the mediator revokes or changes a role, each user ends its own sessions; and
//! what an attacker would try: a link used twice, an expired one, a delegate at the
//! mediator's addresses, a post from another site or from another browser.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use parley_store::access::{ACCESS_KIND, AccessAction, AccessEvent};
use parley_store::users::{Role, TokenKind};

use crate::harness::{Answer, TestServer, Who};

const SITE: &str = "http://parley.test";

/// A form post, with a bearer token or a session cookie, from `origin`.
fn form(path: &str, auth: Auth<'_>, origin: &str, fields: &[(&str, &str)]) -> Request<Body> {
    let body = fields
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&");
    let request = Request::post(path)
        .header(header::HOST, "parley.test")
        .header(header::ORIGIN, origin)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    auth.apply(request).body(Body::from(body)).unwrap()
}

fn get(path: &str, auth: Auth<'_>) -> Request<Body> {
    auth.apply(Request::get(path).header(header::HOST, "parley.test")).body(Body::empty()).unwrap()
}

#[derive(Clone, Copy)]
enum Auth<'a> {
    None,
    Bearer(&'a str),
    /// Cookies, as a browser sends them (`name=value; ...`).
    Cookies(&'a str),
}

impl Auth<'_> {
    fn apply(self, request: axum::http::request::Builder) -> axum::http::request::Builder {
        match self {
            Auth::None => request,
            Auth::Bearer(token) => request.header(header::AUTHORIZATION, format!("Bearer {token}")),
            Auth::Cookies(cookies) => request.header(header::COOKIE, cookies),
        }
    }
}

fn encode(text: &str) -> String {
    let mut encoded = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// The value of a cookie an answer sets.
fn set_cookie(answer: &Answer, name: &str) -> Option<String> {
    answer
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| value.split(';').next()?.split_once('='))
        .find(|(found, _)| *found == name)
        .map(|(_, value)| value.to_owned())
}

/// The invitation code a page shows in its link.
fn code_in(page: &str) -> String {
    let start = page.find("/invite?code=").expect("an invitation link") + "/invite?code=".len();
    page[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}

/// Makes an invitation from the people page, as the mediator: the code of its link.
async fn invite(server: &TestServer, role: &str) -> String {
    let answer = server
        .send(form(
            "/people/invite",
            Auth::Bearer(&server.mediator),
            SITE,
            &[("role", role), ("lifetime", "24")],
        ))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    let code = code_in(&answer.text);
    assert!(code.starts_with("parley_invite_") && code.len() == 14 + 64, "{code}");
    assert!(
        answer.text.contains("http://parley.test/invite?code=parley_invite_"),
        "an absolute link"
    );
    code
}

/// Opens an invitation's page in a fresh browser: its check cookie.
async fn open(server: &TestServer, code: &str) -> (Answer, Option<String>) {
    let answer = server.send(get(&format!("/invite?code={code}"), Auth::None)).await;
    let check = set_cookie(&answer, "parley_invite_check");
    (answer, check)
}

async fn accept(server: &TestServer, code: &str, check: &str, name: &str) -> Answer {
    let cookies = format!("parley_invite_check={check}");
    server
        .send(form(
            "/invite",
            Auth::Cookies(&cookies),
            SITE,
            &[("code", code), ("check", check), ("name", name)],
        ))
        .await
}

/// The changes of access made through the server, after the users the test harness added
/// (each of those is an `add` event by the operator).
async fn access_actions(server: &TestServer) -> Vec<AccessAction> {
    server
        .store
        .events(0, 1000)
        .await
        .unwrap()
        .iter()
        .filter(|event| event.kind == ACCESS_KIND)
        .map(|event| AccessEvent::from_payload(&event.payload).unwrap().action)
        .skip_while(|action| *action == AccessAction::Add)
        .collect()
}

#[tokio::test]
async fn an_invited_delegate_signs_up_once_and_sees_its_party() {
    for server in TestServer::all().await {
        let people = server.send(get("/people", Auth::Bearer(&server.mediator))).await;
        assert_eq!(people.status, StatusCode::OK, "{}", people.text);
        for name in ["ukraine-delegate", "russia-delegate", "observer", "Invite someone"] {
            assert!(people.text.contains(name), "{name}");
        }
        let code = invite(&server, "delegate:ukraine").await;
        let (page, check) = open(&server, &code).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(page.text.contains("a delegate of Ukraine"), "{}", page.text);
        assert!(page.text.contains("<label for=\"invite-name\">"), "a labelled field");
        let check = check.expect("a check cookie");

        let welcome = accept(&server, &code, &check, "olena").await;
        assert_eq!(welcome.status, StatusCode::OK, "{}", welcome.text);
        let session = set_cookie(&welcome, "parley_session").expect("signed in");
        assert_eq!(TokenKind::of(&session), Some(TokenKind::Session));
        let start = welcome.text.find("value=\"parley_").expect("the token, shown once") + 7;
        let token: String = welcome.text[start..].chars().take_while(|c| *c != '"').collect();
        assert_eq!(TokenKind::of(&token), Some(TokenKind::Api));

        // The new delegate sees its party's pages, with its name, by session and by token.
        let cookies = format!("parley_session={session}");
        let stances = server.send(get("/stances", Auth::Cookies(&cookies))).await;
        assert_eq!(stances.status, StatusCode::OK);
        assert!(stances.text.contains("olena") && stances.text.contains("delegate of Ukraine"));
        let me = server.call(Method::GET, "/api/v1/me", Some(&token), None).await;
        assert_eq!(me.json()["party"], "ukraine", "{}", me.text);

        // The link works once: its page and its post both refuse it now.
        let (again, _) = open(&server, &code).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);
        assert!(again.text.contains("accepted already"), "{}", again.text);
        let reused = accept(&server, &code, &check, "olena-2").await;
        assert_eq!(reused.status, StatusCode::NOT_FOUND, "{}", reused.text);
        assert!(set_cookie(&reused, "parley_session").is_none());

        let people = server.send(get("/people", Auth::Bearer(&server.mediator))).await;
        assert!(people.text.contains("accepted by olena"), "{}", people.text);
        assert_eq!(access_actions(&server).await, [AccessAction::Invite, AccessAction::Accept]);
        assert!(server.store.verify().await.unwrap().is_ok());
    }
}

#[tokio::test]
async fn invitations_refuse_what_an_attacker_would_try() {
    for server in TestServer::all().await {
        // An expired link, one that never was, one of another kind.
        let (_, expired) = server
            .store
            .invite("mediator", &Role::Observer, std::time::Duration::ZERO)
            .await
            .unwrap();
        for code in [expired.as_str(), "parley_invite_0000", "parley_link_0000", ""] {
            let (answer, check) = open(&server, code).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{code}");
            assert!(check.is_none(), "{code}: no form");
        }
        let code = invite(&server, "observer").await;
        let (_, check) = open(&server, &code).await;
        let check = check.unwrap();
        // Without the check cookie (a form posted from elsewhere), with another browser's,
        // or from another site: refused, and the invitation stays open.
        let no_cookie = server
            .send(form(
                "/invite",
                Auth::None,
                SITE,
                &[("code", &code), ("check", &check), ("name", "eve")],
            ))
            .await;
        assert_eq!(no_cookie.status, StatusCode::FORBIDDEN);
        // A form from one browser with another's check cookie.
        let other = server
            .send(form(
                "/invite",
                Auth::Cookies("parley_invite_check=0123456789abcdef0123456789abcdef"),
                SITE,
                &[("code", &code), ("check", &check), ("name", "eve")],
            ))
            .await;
        assert_eq!(other.status, StatusCode::FORBIDDEN);
        let cookies = format!("parley_invite_check={check}");
        let cross_site = server
            .send(form(
                "/invite",
                Auth::Cookies(&cookies),
                "http://evil.example",
                &[("code", &code), ("check", &check), ("name", "eve")],
            ))
            .await;
        assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
        // A name that is taken: the problem is tied to the field, and nothing is spent.
        let taken = accept(&server, &code, &check, "observer").await;
        assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.text);
        assert!(taken.text.contains("aria-invalid=\"true\""), "{}", taken.text);
        assert!(taken.text.contains("aria-describedby=\"invite-name-error\""), "{}", taken.text);
        assert!(taken.text.contains("id=\"invite-name-error\""));
        assert!(taken.text.contains("value=\"observer\""), "what was typed is kept");
        let bad = accept(&server, &code, &check, "two words").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(server.store.open_invitation(&code).await.unwrap().is_some());
        assert!(!server.store.users().await.unwrap().iter().any(|user| user.name == "eve"));

        // The mediator's invitation form, from another site or with a bad role.
        let n_invitations = server.store.invitations().await.unwrap().len();
        let cross_site = server
            .send(form(
                "/people/invite",
                Auth::Bearer(&server.mediator),
                "http://evil.example",
                &[("role", "mediator"), ("lifetime", "24")],
            ))
            .await;
        assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
        let unknown = server
            .send(form(
                "/people/invite",
                Auth::Bearer(&server.mediator),
                SITE,
                &[("role", "delegate:atlantis"), ("lifetime", "24")],
            ))
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            unknown.text.contains("aria-describedby=\"invite-role-error\""),
            "{}",
            unknown.text
        );
        assert!(unknown.text.contains("unknown party 'atlantis'"));
        let lifetime = server
            .send(form(
                "/people/invite",
                Auth::Bearer(&server.mediator),
                SITE,
                &[("role", "observer"), ("lifetime", "100000")],
            ))
            .await;
        assert_eq!(lifetime.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(lifetime.text.contains("aria-describedby=\"invite-lifetime-error\""));
        assert_eq!(server.store.invitations().await.unwrap().len(), n_invitations);
    }
}

#[tokio::test]
async fn only_mediators_reach_people_and_access() {
    for server in TestServer::all().await {
        let users = server.store.users().await.unwrap();
        let russia = users.iter().find(|user| user.name == "russia-delegate").unwrap().id;
        let (invitation, _) = server
            .store
            .invite("mediator", &Role::Observer, std::time::Duration::from_secs(600))
            .await
            .unwrap();
        let posts = [
            ("/people/invite".to_owned(), vec![("role", "mediator"), ("lifetime", "24")]),
            (format!("/people/{russia}/revoke"), vec![]),
            (format!("/people/{russia}/role"), vec![("role", "mediator")]),
            (format!("/people/invitations/{}/withdraw", invitation.id), vec![]),
        ];
        for who in [Who::Ukraine, Who::Russia, Who::Observer] {
            let token = server.token(who).unwrap();
            let page = server.send(get("/people", Auth::Bearer(token))).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{who:?}");
            // The page that refuses names nobody.
            assert!(!page.text.contains("russia-delegate"), "{}", page.text);
            for (path, fields) in &posts {
                let answer = server.send(form(path, Auth::Bearer(token), SITE, fields)).await;
                assert_eq!(answer.status, StatusCode::FORBIDDEN, "{who:?} {path}");
            }
        }
        for who in [Who::Anonymous, Who::Revoked] {
            let page = server.call_as(who, Method::GET, "/people", None).await;
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{who:?}");
        }
        // Nothing changed: no access event, Russia's delegate still in force as it was.
        assert!(access_actions(&server).await == [AccessAction::Invite]);
        let me = server.call_as(Who::Russia, Method::GET, "/api/v1/me", None).await;
        assert_eq!(me.json()["party"], "russia");
        assert!(server.store.open_invitation("parley_invite_x").await.unwrap().is_none());
    }
}

#[tokio::test]
async fn a_revoked_user_is_out_at_once_and_a_new_role_holds_at_once() {
    for server in TestServer::all().await {
        let users = server.store.users().await.unwrap();
        let id = |name: &str| users.iter().find(|user| user.name == name).unwrap().id;
        // Russia's delegate also has a browser session.
        let session =
            server.store.issue(id("russia-delegate"), TokenKind::Session, None).await.unwrap();
        let cookies = format!("parley_session={session}");
        assert_eq!(
            server.send(get("/stances", Auth::Cookies(&cookies))).await.status,
            StatusCode::OK
        );

        let mediator = Auth::Bearer(&server.mediator);
        let path = format!("/people/{}/revoke", id("russia-delegate"));
        let revoked = server.send(form(&path, mediator, SITE, &[])).await;
        assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.text);
        assert_eq!(revoked.headers["location"], "/people?done=revoked");
        let me = server.call_as(Who::Russia, Method::GET, "/api/v1/me", None).await;
        assert_eq!(me.status, StatusCode::UNAUTHORIZED);
        let page = server.send(get("/stances", Auth::Cookies(&cookies))).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "sent to sign in");

        // The observer becomes a delegate of Ukraine: its next request says so.
        let path = format!("/people/{}/role", id("observer"));
        let changed =
            server.send(form(&path, mediator, SITE, &[("role", "delegate:ukraine")])).await;
        assert_eq!(changed.headers["location"], "/people?done=role");
        let me = server.call_as(Who::Observer, Method::GET, "/api/v1/me", None).await;
        assert_eq!(me.json()["party"], "ukraine", "{}", me.text);
        let path = format!("/people/{}/role", id("observer"));
        let unknown =
            server.send(form(&path, mediator, SITE, &[("role", "delegate:atlantis")])).await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST);

        // A mediator does not lock itself out.
        let path = format!("/people/{}/revoke", id("mediator"));
        assert_eq!(
            server.send(form(&path, mediator, SITE, &[])).await.status,
            StatusCode::FORBIDDEN
        );
        let page = server.send(get("/people?done=revoked", mediator)).await;
        assert!(page.text.contains("Access revoked"));
        assert!(page.text.contains("revoked 2"), "the revocation's time");
        assert_eq!(access_actions(&server).await, [AccessAction::Revoke, AccessAction::Role]);
        assert!(server.store.verify().await.unwrap().is_ok());
    }
}

#[tokio::test]
async fn a_delegate_sees_and_ends_only_its_own_sessions() {
    for server in TestServer::all().await {
        let users = server.store.users().await.unwrap();
        let id = |name: &str| users.iter().find(|user| user.name == name).unwrap().id;
        let ukraine = id("ukraine-delegate");
        let laptop = server.store.issue(ukraine, TokenKind::Session, None).await.unwrap();
        let phone = server.store.issue(ukraine, TokenKind::Session, None).await.unwrap();
        let russia =
            server.store.issue(id("russia-delegate"), TokenKind::Session, None).await.unwrap();
        let cookies = format!("parley_session={laptop}");
        let page = server.send(get("/sessions", Auth::Cookies(&cookies))).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert_eq!(page.text.matches("<tr>").count(), 1 + 2, "{}", page.text);
        assert_eq!(page.text.matches("this browser").count(), 1);

        // From another site: refused.
        let cross_site = server
            .send(form("/sessions/end-all", Auth::Cookies(&cookies), "http://evil.example", &[]))
            .await;
        assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
        let ended =
            server.send(form("/sessions/end-all", Auth::Cookies(&cookies), SITE, &[])).await;
        assert_eq!(ended.status, StatusCode::SEE_OTHER);
        assert_eq!(ended.headers["location"], "/sign-in");
        assert_eq!(set_cookie(&ended, "parley_session").as_deref(), Some(""));
        for session in [&laptop, &phone] {
            let cookies = format!("parley_session={session}");
            let page = server.send(get("/stances", Auth::Cookies(&cookies))).await;
            assert_eq!(page.status, StatusCode::SEE_OTHER);
        }
        // Its API token and the other party's session still work.
        let me = server.call_as(Who::Ukraine, Method::GET, "/api/v1/me", None).await;
        assert_eq!(me.status, StatusCode::OK);
        let cookies = format!("parley_session={russia}");
        assert_eq!(
            server.send(get("/sessions", Auth::Cookies(&cookies))).await.status,
            StatusCode::OK
        );
    }
}
