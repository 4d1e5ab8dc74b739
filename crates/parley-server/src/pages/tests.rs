//! Tests of the pages through the router: what each role is shown and offered, that no page
//! shows a delegate another party's private record, and the forms' round trip (recorded and
//! redirected, or sent back with the problem next to its field).

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use parley_store::Store;
use parley_store::users::{Role, TokenKind};
use serde_json::json;
use tower::ServiceExt;

use crate::auth::{Caller, encode_component};
use crate::entities::Kind;
use crate::state::{AppState, ServerOptions};

/// A site over a fresh database, with a user of each role.
struct Site {
    router: Router,
    state: AppState,
    mediator: String,
    ukraine: String,
    russia: String,
    observer: String,
    _dir: tempfile::TempDir,
}

/// What the site answered.
struct Answer {
    status: StatusCode,
    location: Option<String>,
    cache_control: Option<String>,
    text: String,
}

const PAGES: [&str; 8] = [
    "/",
    "/timeline",
    "/drafts",
    "/drafts/diff",
    "/drafts/florida-20",
    "/stances",
    "/analysis",
    "/claims",
];

impl Site {
    async fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parley.db");
        let store = Store::open_or_seed(path.to_str().unwrap(), &crate::builtin_scenario(), "test")
            .await
            .unwrap();
        let mut tokens = Vec::new();
        for (name, role) in [
            ("mediator", "mediator"),
            ("kyiv", "delegate:ukraine"),
            ("moscow", "delegate:russia"),
            ("press", "observer"),
        ] {
            let user = store.create_user(name, &Role::parse(role).unwrap()).await.unwrap();
            // The pages are read by browsers, with a session in the cookie.
            let session = store.issue(user.id, TokenKind::Session, None).await.unwrap();
            tokens.push(session);
        }
        let options = ServerOptions {
            robustness_samples: 20,
            analysis_threads: 1,
            ..ServerOptions::default()
        };
        let state = AppState::new(store, options).unwrap();
        let [mediator, ukraine, russia, observer] = <[String; 4]>::try_from(tokens).unwrap();
        Site {
            router: crate::router(state.clone()),
            state,
            mediator,
            ukraine,
            russia,
            observer,
            _dir: dir,
        }
    }

    async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let value_of = |name| {
            response
                .headers()
                .get(name)
                .map(|value: &header::HeaderValue| value.to_str().unwrap().to_owned())
        };
        let (location, cache_control) =
            (value_of(header::LOCATION), value_of(header::CACHE_CONTROL));
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            location,
            cache_control,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&self, path: &str, token: &str) -> Answer {
        let request = Request::get(path)
            .header(header::COOKIE, format!("parley_session={token}"))
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    async fn post(&self, path: &str, token: &str, origin: &str, fields: &[(&str, &str)]) -> Answer {
        let body: Vec<String> = fields
            .iter()
            .map(|(name, value)| format!("{}={}", encode_component(name), encode_component(value)))
            .collect();
        let request = Request::post(path)
            .header(header::COOKIE, format!("parley_session={token}"))
            .header(header::HOST, "parley.test")
            .header(header::ORIGIN, origin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.join("&")))
            .unwrap();
        self.send(request).await
    }

    /// Records a position through the API's write path, as Ukraine's delegate.
    async fn record_private_position(&self, note: &str) {
        let user = self.state.store().authenticate(&self.ukraine).await.unwrap().unwrap();
        let caller = Caller { viewer: user.role.viewer(), user };
        let position = json!({
            "party": "ukraine", "issue": "donbas", "date": "2025-12-03", "importance": "critical",
            "stances": { "compromise": "workable" }, "visibility": "private", "note": note,
        });
        crate::api::create_entity(&self.state, &caller, Kind::Positions, position).await.unwrap();
    }
}

const SAME_SITE: &str = "http://parley.test";

#[tokio::test]
async fn every_page_renders_in_the_layout() {
    let site = Site::new().await;
    for path in PAGES {
        let answer = site.get(path, &site.mediator).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.text);
        let page = &answer.text;
        assert!(page.starts_with("<!DOCTYPE html>"), "{path}");
        assert!(page.contains("Talks") || page.contains("talks"), "{path}: the scenario's title");
        assert!(page.contains("action=\"/sign-out\""), "{path}: the sign-out form");
        assert!(page.contains("data-live="), "{path}: parts that follow the record");
        assert!(page.contains("<script src=\"/assets/live.js?v="), "{path}: the live script");
        assert!(!page.contains("<script>"), "{path}: no inline script (the CSP forbids them)");
        assert!(page.contains("aria-current=\"page\""), "{path}: the current page in the nav");
        assert_eq!(answer.cache_control.as_deref(), Some("no-store"), "{path}: kept by no cache");
    }
    let live = site.get("/assets/live.js", &site.mediator).await;
    assert!(live.text.contains("new EventSource('/api/v1/live')"), "{}", live.text);
    let analysis = site.get("/analysis", &site.mediator).await.text;
    assert!(analysis.contains("<svg class=\"fig frontier\""), "the frontier plots");
    let drafts = site.get("/drafts", &site.mediator).await.text;
    assert!(drafts.contains("<svg"), "the lineage diagram");
    let timeline = site.get("/timeline", &site.mediator).await.text;
    assert!(timeline.contains("<svg"), "the timeline figure");
    let stances = site.get("/stances", &site.mediator).await.text;
    assert!(stances.contains("table class=\"heat\""), "the heat map");
    let diff = site.get("/drafts/diff?from=us-plan-early&to=florida-20", &site.mediator).await;
    assert_eq!(diff.status, StatusCode::OK);
    assert!(diff.text.contains("pair-"), "{}", diff.text);
    let missing = site.get("/drafts/no-such-draft", &site.mediator).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.text.contains("no draft"), "{}", missing.text);
    let css = site.get("/assets/parley.css", &site.mediator).await;
    assert!(css.text.contains("nav.pages"));
}

#[tokio::test]
async fn pages_need_a_signed_in_user() {
    let site = Site::new().await;
    let request = Request::get("/stances?as_of=2100-01-01").body(Body::empty()).unwrap();
    let answer = site.send(request).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.location.as_deref(), Some("/sign-in?next=/stances%3Fas_of%3D2100-01-01"));
    let sign_in = site.send(Request::get("/sign-in").body(Body::empty()).unwrap()).await;
    assert!(sign_in.text.contains("id=\"token\""));
    assert!(sign_in.text.contains("action=\"/sign-in\""));
}

#[tokio::test]
async fn each_role_is_offered_only_what_it_may_record() {
    let site = Site::new().await;
    let ukraine = site.get("/stances", &site.ukraine).await.text;
    assert!(ukraine.contains("action=\"/forms/position\""));
    assert!(ukraine.contains("<input type=\"hidden\" name=\"party\" value=\"ukraine\">"));
    assert!(!ukraine.contains("id=\"position-party\" name=\"party\""), "no choice of party");
    assert!(!ukraine.contains("value=\"track:us-russia\""), "no track Ukraine does not sit on");
    let mediator = site.get("/stances", &site.mediator).await.text;
    assert!(mediator.contains("<select id=\"position-party\" name=\"party\""));
    assert!(mediator.contains("<option value=\"russia\">"));
    assert!(mediator.contains("value=\"track:us-russia\""));
    // A delegate's drafts and claims are its party's; its meetings those of its tracks.
    let drafts = site.get("/drafts", &site.russia).await.text;
    assert!(drafts.contains("<input type=\"hidden\" name=\"author\" value=\"russia\">"));
    let claims = site.get("/claims", &site.russia).await.text;
    assert!(claims.contains("<input type=\"hidden\" name=\"claimant\" value=\"russia\">"));
    let timeline = site.get("/timeline", &site.russia).await.text;
    assert!(timeline.contains("<option value=\"us-russia\""));
    assert!(!timeline.contains("<option value=\"us-ukraine\""));
    // Observers and pages of the past get no forms.
    for path in PAGES {
        let observer = site.get(path, &site.observer).await.text;
        assert!(!observer.contains("action=\"/forms/"), "{path}: a form for an observer");
        let past = site.get(&format!("{path}?as_of=2100-01-01"), &site.mediator).await;
        assert!(!past.text.contains("action=\"/forms/"), "{path}: a form in the past");
        assert!(past.text.contains("as it stood at"), "{path}: the as_of banner");
        assert!(!past.text.contains("live.js"), "{path}: the past does not change");
    }
}

#[tokio::test]
async fn no_page_shows_a_delegate_another_partys_private_note() {
    let site = Site::new().await;
    let note = "Kyiv could live with a line along the front (private-4711)";
    site.record_private_position(note).await;
    for path in PAGES {
        for (who, token) in [("russia", &site.russia), ("observer", &site.observer)] {
            let page = site.get(path, token).await;
            assert_eq!(page.status, StatusCode::OK, "{who} {path}");
            assert!(!page.text.contains("private-4711"), "{who} sees Ukraine's note on {path}");
        }
    }
    for token in [&site.mediator, &site.ukraine] {
        let stances = site.get("/stances", token).await.text;
        assert!(stances.contains(note), "the note is shown to Ukraine and the mediator");
    }
}

#[tokio::test]
async fn a_form_records_the_change_and_goes_back_to_the_page() {
    let site = Site::new().await;
    let fields = [
        ("party", "russia"),
        ("issue", "donbas"),
        ("date", "2025-12-03"),
        ("importance:donbas", "high"),
        ("stance:donbas:compromise", "objection"),
        ("stance:donbas:cede-all", ""),
        ("visibility", "private"),
        ("note", "Recorded <through> the form & kept"),
    ];
    // A delegate's party is its own, whatever the form says.
    let answer = site.post("/forms/position", &site.ukraine, SAME_SITE, &fields).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
    assert_eq!(answer.location.as_deref(), Some("/stances?done=position"));
    let page = site.get("/stances?done=position", &site.ukraine).await.text;
    assert!(page.contains("Position recorded."));
    assert!(page.contains("Recorded &lt;through&gt; the form &amp; kept"), "escaped");
    assert!(!page.contains("<through>"));
    let russia = site.get("/stances", &site.russia).await.text;
    assert!(!russia.contains("through"), "recorded as Ukraine's private position");

    let meeting = [
        ("track", "us-russia"),
        ("title", "Third round"),
        ("date", "2025-12-20"),
        ("status", "planned"),
        ("place", "Abu Dhabi"),
        ("visibility", "public"),
    ];
    let answer = site.post("/forms/meeting", &site.russia, SAME_SITE, &meeting).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
    assert!(site.get("/timeline", &site.observer).await.text.contains("Third round"));

    let draft = [
        ("title", "Counter-proposal"),
        ("status", "proposed"),
        ("date", "2025-12-03"),
        ("parents", "florida-20"),
        ("visibility", "public"),
        ("summary", "Ukraine's answer to the 20 points."),
    ];
    let answer = site.post("/forms/draft", &site.ukraine, SAME_SITE, &draft).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
    let drafts = site.get("/drafts", &site.mediator).await.text;
    assert!(drafts.contains("Counter-proposal"));

    let claim = [
        ("claimant", "europe"),
        ("statement", "Talks continue in Geneva."),
        ("status", "unverified"),
        ("date", "2025-12-02"),
        ("disputes", ""),
        ("visibility", "public"),
    ];
    let answer = site.post("/forms/claim", &site.mediator, SAME_SITE, &claim).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text);
    assert!(site.get("/claims", &site.russia).await.text.contains("Talks continue in Geneva."));
}

#[tokio::test]
async fn a_refused_form_comes_back_with_the_problem_next_to_its_field() {
    let site = Site::new().await;
    let fields = [
        ("issue", "nato"),
        ("date", "2031-01-01"),
        ("stance:nato:keep", "preferred"),
        ("visibility", "private"),
        ("note", "typed before the mistake"),
    ];
    let answer = site.post("/forms/position", &site.ukraine, SAME_SITE, &fields).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.text);
    let page = &answer.text;
    assert!(page.contains("id=\"position-date-error\""), "the problem at the date: {page}");
    assert!(page.contains("value=\"2031-01-01\""), "what was typed is kept");
    assert!(page.contains("typed before the mistake"));
    assert!(page.contains("<option value=\"nato\" selected>"), "the issue chosen is kept");
    // No stance at all: the problem is shown at the stances.
    let fields = [("issue", "nato"), ("stance:nato:keep", "")];
    let answer = site.post("/forms/position", &site.ukraine, SAME_SITE, &fields).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer.text.contains("fieldset class=\"invalid\" data-case=\"nato\""),
        "{}",
        answer.text
    );
    // A form from another site is refused, and records nothing.
    let fields = [("issue", "nato"), ("stance:nato:keep", "workable"), ("note", "forged")];
    let answer = site.post("/forms/position", &site.ukraine, "http://evil.example", &fields).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(!site.get("/stances", &site.mediator).await.text.contains("forged"));
    // An observer may not record, even by posting the form by hand.
    let answer = site.post("/forms/claim", &site.observer, SAME_SITE, &[("statement", "x")]).await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.text);
}

#[tokio::test]
async fn the_stance_history_charts_a_private_position_only_for_those_who_may_see_it() {
    let site = Site::new().await;
    let chart = "aria-label=\"Stances over time on";
    let russia_before = site.get("/stances", &site.russia).await.text;
    assert!(russia_before.contains("id=\"stance-history\""), "the section is there");
    assert!(!russia_before.contains(chart), "the built-in positions are undated");
    site.record_private_position("history-canary-5521").await;
    for token in [&site.mediator, &site.ukraine] {
        let stances = site.get("/stances", token).await.text;
        assert!(stances.contains(chart), "Ukraine's dated position is charted");
    }
    for token in [&site.russia, &site.observer] {
        let stances = site.get("/stances", token).await.text;
        assert!(!stances.contains(chart), "a private position is charted for another party");
    }
    assert_eq!(site.get("/stances", &site.russia).await.text, russia_before);
}

#[tokio::test]
async fn the_changes_page_lists_what_each_viewer_may_see_change() {
    let site = Site::new().await;
    let empty = site.get("/changes", &site.russia).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.text.contains("Choose the first day of the window."));
    let all = "/changes?since=2000-01-01";
    let russia_before = site.get(all, &site.russia).await.text;
    assert!(russia_before.contains("<code>florida-20</code>"), "the import lists the drafts");
    site.record_private_position("changes-canary-7310").await;
    let mediator = site.get(all, &site.mediator).await.text;
    assert!(mediator.contains("<code>ukraine/donbas/2025-12-03</code>"), "the check can fail");
    for token in [&site.russia, &site.observer] {
        let page = site.get(all, token).await.text;
        assert!(!page.contains("ukraine/donbas/2025-12-03"), "a private position is listed");
    }
    assert_eq!(site.get(all, &site.russia).await.text, russia_before, "Russia learns nothing");
    let later = site.get("/changes?since=2000-01-01&until=2000-01-02", &site.mediator).await;
    assert!(later.text.contains("Nothing you may see changed."), "{}", later.text);
    for (query, message) in [
        ("since=2025-13-01", "'2025-13-01' is not a date, expected YYYY-MM-DD"),
        ("since=2025-12-02&until=2025-12-01", "'2025-12-01' is before '2025-12-02'"),
    ] {
        let answer = site.get(&format!("/changes?{query}"), &site.mediator).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
        assert!(answer.text.contains(message), "{query}: {}", answer.text);
    }
}
