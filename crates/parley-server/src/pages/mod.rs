//! The web pages, rendered on the server from the caller's view with maud: little script, no
//! build step. Every page is a view of [`crate::state::View`], so it shows only what the
//! signed-in user may see; the figures and sections are the HTML report's
//! ([`parley_report::html::sections`]), with the same style sheet.
//!
//! Each page marks the parts that follow the record with `data-live`; a small script listens to
//! `/api/v1/live` and, when the caller's view changes, fetches the page again and swaps those
//! parts, leaving the forms as the user left them. Forms post to `/forms/...` ([`forms`]), which
//! record the change through the API's own write path and send the browser back to the page.

mod analysis;
mod changes;
mod claims;
mod columns;
mod drafts;
pub(crate) mod forms;
mod overview;
mod people;
mod records;
mod stances;
#[cfg(test)]
mod tests;
mod timeline;
mod transfer;

use std::sync::OnceLock;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{DOCTYPE, Markup, html};
use parley_model::Id;
pub(crate) use parley_report::html::names::{issue_title, option_label, party_name};
use parley_report::schema::Report;
use parley_store::users::Role;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::api::parse_as_of;
use crate::auth::{Caller, encode_component};
use crate::error::ApiError;
use crate::state::{AppState, View};

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(overview::page))
        .route("/timeline", get(timeline::page))
        .route("/changes", get(changes::page))
        .route("/drafts", get(drafts::page))
        .route("/drafts/diff", get(drafts::diff_page))
        .route("/drafts/{id}", get(drafts::draft_page))
        .route("/stances", get(stances::page))
        .route("/analysis", get(analysis::page))
        .route("/claims", get(claims::page))
        .merge(forms::routes())
        .merge(columns::routes())
        .merge(people::routes())
        .merge(transfer::routes())
        .merge(records::routes())
        .layer(middleware::map_response(kept_private))
        .route("/assets/parley.css", get(stylesheet))
        .route("/assets/page.js", get(page_script))
        .route("/assets/live.js", get(live_script))
}

/// Pages hold what one user may see: no cache keeps them, and no other site frames them (a
/// framed form could be clicked unawares).
async fn kept_private(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// The query every page takes.
#[derive(Deserialize, Debug, Default)]
pub(crate) struct PageQuery {
    /// The record as it stood at this time (see [`parse_as_of`]).
    pub(crate) as_of: Option<String>,
    /// What a form just recorded, for the confirmation.
    pub(crate) done: Option<String>,
}

impl PageQuery {
    /// The time asked for: `None` for now; an empty `as_of` means now too.
    fn as_of(&self) -> Option<&str> {
        self.as_of.as_deref().map(str::trim).filter(|text| !text.is_empty())
    }
}

/// The pages of the navigation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Nav {
    Overview,
    Timeline,
    Drafts,
    Stances,
    Analysis,
    Claims,
    Record,
}

impl Nav {
    const ALL: [Nav; 7] = [
        Nav::Overview,
        Nav::Timeline,
        Nav::Drafts,
        Nav::Stances,
        Nav::Analysis,
        Nav::Claims,
        Nav::Record,
    ];

    fn path(self) -> &'static str {
        match self {
            Nav::Overview => "/",
            Nav::Timeline => "/timeline",
            Nav::Drafts => "/drafts",
            Nav::Stances => "/stances",
            Nav::Analysis => "/analysis",
            Nav::Claims => "/claims",
            Nav::Record => "/records",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Nav::Overview => "Overview",
            Nav::Timeline => "Timeline",
            Nav::Drafts => "Drafts",
            Nav::Stances => "Stances",
            Nav::Analysis => "Analysis",
            Nav::Claims => "Claims",
            Nav::Record => "Record",
        }
    }
}

/// What a page is rendered from: who asks, what they may see, and when.
pub(crate) struct Page<'a> {
    pub(crate) caller: &'a Caller,
    pub(crate) view: &'a View,
    pub(crate) report: &'a Report,
    /// The time asked for, as given: the page shows the past and offers no forms.
    pub(crate) as_of: Option<&'a str>,
    /// The confirmation of what a form just recorded.
    pub(crate) notice: Option<&'static str>,
}

impl Page<'_> {
    /// The party a delegate speaks for; `None` for mediators and observers.
    pub(crate) fn own_party(&self) -> Option<&Id> {
        match &self.caller.user.role {
            Role::Delegate(party) => Some(party),
            Role::Mediator | Role::Observer => None,
        }
    }

    /// Whether the page offers forms: to mediators and delegates, looking at the record now.
    pub(crate) fn offers_forms(&self) -> bool {
        self.as_of.is_none() && self.caller.user.role != Role::Observer
    }

    /// A link to a page of this site that keeps the time asked for.
    pub(crate) fn href(&self, path: &str) -> String {
        match self.as_of {
            None => path.to_owned(),
            Some(as_of) => {
                let separator = if path.contains('?') { '&' } else { '?' };
                format!("{path}{separator}as_of={}", encode_component(as_of))
            }
        }
    }

    /// The date a form proposes: the record's own date, or today when it has none.
    pub(crate) fn default_date(&self) -> String {
        match &self.report.scenario.as_of {
            Some(date) => date.date.clone(),
            None => jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date().to_string(),
        }
    }
}

/// Answers a page drawn by `draw` from the caller's view at the time the query asks for.
pub(crate) async fn show(
    state: &AppState,
    caller: &Caller,
    query: &PageQuery,
    draw: impl FnOnce(&Page<'_>) -> Result<Response, PageError>,
) -> Result<Response, PageError> {
    let view = view_for(state, caller, query).await?;
    let report = view.record();
    draw(&Page {
        caller,
        view: &view,
        report: &report,
        as_of: query.as_of(),
        notice: notice(query.done.as_deref()),
    })
}

/// Gets the view a page shows.
pub(crate) async fn view_for(
    state: &AppState,
    caller: &Caller,
    query: &PageQuery,
) -> Result<std::sync::Arc<View>, PageError> {
    let time = query.as_of().map(parse_as_of).transpose()?;
    Ok(state.view(&caller.viewer, time).await?)
}

/// What a form just recorded, said back: only known words, so nothing typed is reflected.
pub(crate) fn notice(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "position" => Some("Position recorded."),
        "meeting" => Some("Meeting recorded."),
        "draft" => Some("Draft recorded."),
        "claim" => Some("Claim recorded."),
        "agreement" => Some("Agreement recorded."),
        "source" => Some("Source recorded."),
        "party" => Some("Party recorded."),
        "issue" => Some("Issue recorded."),
        "track" => Some("Track recorded."),
        _ => None,
    }
}

/// An error answered with a page rather than JSON.
#[derive(Debug)]
pub(crate) struct PageError(pub(crate) ApiError);

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> PageError {
        PageError(error)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status;
        let heading = match status {
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::FORBIDDEN => "Not allowed",
            StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => "Cannot show this",
            _ => "Something went wrong",
        };
        let page = bare_page(
            heading,
            html! {
                section {
                    h1 { (heading) }
                    p.form-error role="alert" { (self.0.message) }
                    p { a href="/" { "Back to the overview" } }
                }
            },
        );
        (status, page).into_response()
    }
}

/// The style sheet: the report's, then the pages' own; and its digest, which the pages put in
/// its address so that browsers may keep it for good.
fn style() -> &'static (String, String) {
    static STYLE: OnceLock<(String, String)> = OnceLock::new();
    STYLE.get_or_init(|| {
        let text = format!(
            "{}{}{}",
            parley_report::html::STYLE,
            parley_report::rounds::ROUNDS_STYLE,
            PAGE_CSS
        );
        let digest = hex::encode(&Sha256::digest(text.as_bytes())[..6]);
        (text, digest)
    })
}

/// A script's address, with its digest so that browsers may keep it for good. Scripts are
/// files of their own, never inline, so the pages' Content-Security-Policy allows scripts
/// from this site only.
fn script_address(name: &str, text: &str) -> String {
    format!("/assets/{name}?v={}", hex::encode(&Sha256::digest(text.as_bytes())[..6]))
}

async fn page_script() -> Response {
    script_response(SCRIPT)
}

async fn live_script() -> Response {
    script_response(LIVE_SCRIPT)
}

fn script_response(text: &'static str) -> Response {
    let mut response = text.into_response();
    let headers = response.headers_mut();
    headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000"));
    response
}

fn stylesheet_link() -> Markup {
    html! { link rel="stylesheet" href=(format!("/assets/parley.css?v={}", style().1)); }
}

async fn stylesheet() -> Response {
    let mut response = style().0.clone().into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000"));
    response
}

/// A page outside the record (sign-in, errors): the site's bar, no navigation.
fn bare_page(title: &str, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Parley" }
                (stylesheet_link())
            }
            body {
                header.site { div.masthead { a.brand href="/" { "Parley" } } }
                main.narrow { (content) }
                script src=(script_address("page.js", SCRIPT)) {}
            }
        }
    }
}

/// How a user's role reads in the header.
fn role_label(caller: &Caller, report: &Report) -> String {
    match &caller.user.role {
        Role::Mediator => "mediator".to_owned(),
        Role::Observer => "observer".to_owned(),
        Role::Delegate(party) => format!("delegate of {}", party_name(report, party.as_str())),
    }
}

/// The layout every page of the record shares: the scenario's title, the navigation, who is
/// signed in, the time asked for, and the live-update script.
pub(crate) fn layout(page: &Page<'_>, current: Nav, title: &str, content: Markup) -> Markup {
    layout_with(page, Some(current), title, content)
}

/// The layout, for a page outside the navigation's list (`None`: people, sessions, import
/// and export).
pub(crate) fn layout_with(
    page: &Page<'_>,
    current: Option<Nav>,
    title: &str,
    content: Markup,
) -> Markup {
    let report = page.report;
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (report.scenario.title) " · Parley" }
                (stylesheet_link())
            }
            body data-view=(page.view.fingerprint) {
                header.site {
                    div.masthead {
                        a.brand href=(page.href("/")) { "Parley" }
                        span.scenario { (report.scenario.title) }
                        div.user {
                            span { strong { (page.caller.user.name) } " · " (role_label(page.caller, report)) }
                            nav.account aria-label="Your access" {
                                @if page.caller.is_mediator() { a href="/people" { "People" } }
                                a href="/transfer" { "Import and export" }
                                a href="/sessions" { "Your sessions" }
                            }
                            form method="post" action="/sign-out" { button.link type="submit" { "Sign out" } }
                        }
                    }
                    nav.pages aria-label="Pages" {
                        @for nav in Nav::ALL {
                            a href=(page.href(nav.path())) aria-current=[(Some(nav) == current).then_some("page")] { (nav.label()) }
                        }
                    }
                }
                main {
                    // Inside the main landmark, so that assistive technology reaches it with the page.
                    @if let Some(as_of) = page.as_of {
                        div.asof role="note" {
                            "You are looking at the record as it stood at " strong { (as_of) } ". "
                            "It does not change, and nothing can be recorded here. "
                            a href=(current.map_or("/", Nav::path)) { "See the record now" }
                        }
                    }
                    @if let Some(notice) = page.notice { p.notice role="status" { (notice) } }
                    (content)
                }
                footer {
                    "Parley · what you see is the record as your role may see it"
                    @if page.caller.is_mediator() { " · log version " (page.view.version) }
                    "."
                }
                div #live-notice role="status" aria-live="polite" hidden { "Updated" }
                script src=(script_address("page.js", SCRIPT)) {}
                @if page.as_of.is_none() { script src=(script_address("live.js", LIVE_SCRIPT)) {} }
            }
        }
    }
}

/// The sign-in page: a confirmation of a sign-in link's code, or a form for an API token;
/// `check` ties the form to this browser (see `session.rs`).
pub(crate) fn sign_in(next: &str, code: Option<&str>, check: &str, error: Option<&str>) -> Markup {
    bare_page(
        "Sign in",
        html! {
            section.sign-in {
                h1 { "Sign in" }
                @if let Some(error) = error { p.form-error role="alert" { (error) } }
                @if let Some(code) = code {
                    p.muted { "This one-time link signs you in once, in this browser." }
                    form.record.single method="post" action="/sign-in" {
                        input type="hidden" name="next" value=(next);
                        input type="hidden" name="check" value=(check);
                        input type="hidden" name="code" value=(code);
                        div.actions { button.primary type="submit" { "Sign in" } }
                    }
                } @else {
                    p.muted { "Open the one-time sign-in link you were given, or paste an API token (from " code { "parley db add-user" } ")." }
                    form.record.single method="post" action="/sign-in" {
                        input type="hidden" name="next" value=(next);
                        input type="hidden" name="check" value=(check);
                        div.field {
                            label for="token" { "Token" }
                            input #token type="password" name="token" autocomplete="current-password" required;
                        }
                        div.actions { button.primary type="submit" { "Sign in" } }
                    }
                }
            }
        },
    )
}

/// A record's visibility as it reads.
pub(crate) fn visibility_label(
    report: &Report,
    visibility: &parley_model::scenario::Visibility,
) -> String {
    use parley_model::scenario::Visibility;
    match visibility {
        Visibility::Public => "public".to_owned(),
        Visibility::Private => "private".to_owned(),
        Visibility::Track(track) => {
            let name = report
                .tracks
                .iter()
                .find(|candidate| candidate.id == track.as_str())
                .map_or(track.as_str(), |track| track.name.as_str());
            format!("shared with {name}")
        }
    }
}

/// A badge for a record that is not public.
pub(crate) fn visibility_badge(
    report: &Report,
    visibility: &parley_model::scenario::Visibility,
) -> Markup {
    html! {
        @if *visibility != parley_model::scenario::Visibility::Public {
            " " span.badge.vis { (visibility_label(report, visibility)) }
        }
    }
}

/// The pages' own style, after the report's: the site's bar and navigation, forms, notices.
const PAGE_CSS: &str = r#"
header.site { max-width:none; margin:0; padding:0; background:#1d2330; color:#fff; }
header.site .masthead { max-width:1120px; margin:0 auto; padding:10px 16px 6px; display:flex; flex-wrap:wrap;
  align-items:center; gap:4px 14px; }
header.site .brand { color:#fff; font-weight:700; text-decoration:none; font-size:1.05rem; }
header.site .scenario { flex:1 1 200px; min-width:0; color:#cfd6df; font-size:.92rem; }
header.site .user { display:flex; flex-wrap:wrap; align-items:center; gap:4px 10px; font-size:.85rem; color:#cfd6df; }
header.site .user strong { color:#fff; }
header.site .user form { margin:0; }
nav.account { display:flex; flex-wrap:wrap; gap:2px 10px; }
nav.account a { color:#dfe6ee; }
table.people td, table.people th { vertical-align:top; }
table.people form { display:flex; flex-wrap:wrap; gap:4px; align-items:center; margin:0; }
.visually-hidden { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
.link-once { width:100%; font-family:monospace; font-size:.85rem; }
.preview-list { columns: 2 18em; }
button.link { background:none; border:1px solid #5b6575; color:#fff; border-radius:5px; padding:2px 9px;
  font:inherit; font-size:.8rem; cursor:pointer; }
button.link:hover { background:#2f3a4d; }
nav.pages { max-width:1120px; margin:0 auto; padding:2px 12px 10px; display:flex; flex-wrap:wrap; gap:4px; }
nav.pages a { color:#dfe6ee; text-decoration:none; padding:4px 11px; border-radius:14px; font-size:.9rem; }
nav.pages a:hover { background:#2f3a4d; }
nav.pages a[aria-current=page] { background:#fff; color:#1d2330; font-weight:600; }
main { padding-top: 8px; }
main.narrow { max-width: 560px; }
main > h1 { margin: 18px 0 4px; }
p.lead { color: var(--muted); margin: 0 0 8px; }
footer { padding-top: 8px; }
.asof { max-width:1120px; margin:12px auto 0; padding:10px 14px; background:var(--assumed-bg);
  border:1px solid #f0cf7a; border-left:5px solid #e0a800; border-radius:6px; }
.notice { background:#dcefd8; border:1px solid #a6d49c; color:#1f4d18; padding:8px 12px; border-radius:6px;
  margin:12px 0; }
.form-error { background:#fde2e0; border:1px solid #f3b1ab; color:#8c1d18; padding:8px 12px; border-radius:6px; }
a { color: var(--accent); }
.jump { font-size:.9rem; }
form.record { display:grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap:12px 16px;
  align-items:start; }
form.record.single { grid-template-columns: 1fr; }
form.record .span2 { grid-column: span 2; }
form.record .wide, form.record fieldset, form.record .actions, form.record .form-error { grid-column: 1 / -1; }
.field label, .field .label, fieldset legend { display:block; font-weight:600; font-size:.85rem; margin:0 0 3px; }
.field input, .field select, .field textarea { width:100%; font:inherit; font-size:.92rem; padding:6px 8px;
  border:1px solid #b9c2ce; border-radius:6px; background:#fff; color:var(--ink); }
.field select[multiple] { min-height: 6.5em; }
.field textarea { min-height: 4.5em; resize: vertical; }
.field .fixed { padding:6px 0; font-weight:600; }
.field .hint { color: var(--muted); font-size:.8rem; margin:3px 0 0; }
.field.invalid input, .field.invalid select, .field.invalid textarea { border-color:#c0392b; box-shadow:0 0 0 1px #c0392b; }
fieldset.invalid { border-color:#c0392b; }
.field-error { color:#8c1d18; font-size:.85rem; font-weight:600; margin:4px 0 0; }
fieldset { border:1px solid var(--line); border-radius:8px; padding:8px 12px 12px; margin:0; min-width:0; }
fieldset .grid { display:grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap:10px 16px; }
.checks { display:flex; flex-direction:column; gap:4px; font-size:.9rem; }
.checks label { font-weight:normal; display:flex; gap:6px; align-items:baseline; }
.checks input { width:auto; }
.actions { display:flex; gap:10px; align-items:center; flex-wrap:wrap; }
button.primary { background:var(--accent); color:#fff; border:0; padding:8px 18px; border-radius:6px;
  font:inherit; font-weight:600; cursor:pointer; }
button.primary:hover { background:#24496d; }
form.picker { display:flex; flex-wrap:wrap; gap:10px 14px; align-items:end; }
form.picker .field { flex: 1 1 220px; }
.badge.vis { background:#eee6f7; color:#5b3b86; }
table.positions td.note { min-width: 16em; }
.badge.change-added { background:#dcefe0; color:#1d6b35; }
.badge.change-changed { background:#fde6cf; color:#8a4300; }
.badge.change-removed { background:#f6dcdc; color:#8c1d18; }
table.changes td code { overflow-wrap:anywhere; }
table.changes td:nth-child(2) { min-width: 13em; }
table.changes td:nth-child(3), table.changes td:nth-child(4) { min-width: 10em; }
table.positions td.stances { min-width: 10em; }
table.diff td, table.diff th { width: auto; }
table.diff td.side { width: 42%; }
tr.pair-same td.side { color: var(--muted); }
tr.pair-changed td.side { background:#fff6dd; }
tr.pair-added td.to { background:#e3f3df; }
tr.pair-removed td.from { background:#fde7e5; }
.status-same { background:#e8ecf1; color:#445; }
.status-changed { background:#fff0c9; color:#7a5600; }
.status-added { background:#dcefd8; color:#2c6a22; }
.status-removed { background:#fde2e0; color:#8c1d18; }
.status-unknown { background:#ece7f6; color:#4b3b78; }
tr.pair-unknown td.from { background:#f4f1fa; }
.crumbs { margin: 14px 0 0; font-size:.9rem; }
#live-notice { position:fixed; right:16px; bottom:16px; z-index:10; background:#1d2330; color:#fff;
  padding:7px 14px; border-radius:8px; font-size:.85rem; box-shadow:0 2px 10px rgba(0,0,0,.25); }
#live-notice[hidden] { display:none; }
@media (max-width: 600px) {
  header.site .masthead { padding: 8px 8px 4px; }
  header.site .scenario { flex-basis: 100%; order: 3; font-size: .85rem; }
  nav.pages { padding: 2px 4px 8px; }
  nav.pages a { padding: 4px 9px; font-size: .85rem; }
  form.record { grid-template-columns: 1fr; }
  form.record .span2 { grid-column: auto; }
  fieldset .grid { grid-template-columns: 1fr; }
  .asof { margin: 8px 0 0; }
  table.diff td.side { width: auto; min-width: 9em; }
  fieldset.row, fieldset.part, fieldset.group { padding: 6px 8px 8px; }
  #live-notice { right: 8px; bottom: 8px; }
}
td.claimant { white-space: nowrap; }
form.record.full { grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); }
form.record fieldset.part, form.record fieldset.group, form.record fieldset.checks-field { grid-column: 1 / -1; }
fieldset.row { margin: 8px 0; background: #f8fafc; }
fieldset.row legend, fieldset.part legend, fieldset.group > legend { font-weight: 700; }
fieldset.group > .hint, .hint { color: var(--muted); font-size: .8rem; margin: 3px 0 0; }
fieldset .grid .field.wide, fieldset .grid fieldset { grid-column: 1 / -1; }
span.required { color: var(--muted); font-weight: normal; font-size: .8rem; }
button.add, .actions button:not(.primary) { background: #fff; color: var(--accent); border: 1px solid var(--accent);
  padding: 6px 14px; border-radius: 6px; font: inherit; font-size: .9rem; cursor: pointer; margin-top: 6px; }
button.add:hover, .actions button:not(.primary):hover { background: #eef3f8; }
button.default-submit { position: absolute; left: -9999px; width: 1px; height: 1px; overflow: hidden; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.error-summary { border: 2px solid #c0392b; border-radius: 8px; padding: 8px 14px; margin: 12px 0; background: #fff7f6; }
.error-summary h2 { margin: 4px 0 6px; font-size: 1.05rem; color: #8c1d18; }
.error-summary a { color: #8c1d18; font-weight: 600; }
fieldset.checks-field.invalid { border-color: #c0392b; }
a.button { display: inline-block; background: var(--accent); color: #fff; padding: 6px 14px; border-radius: 6px;
  text-decoration: none; font-weight: 600; }
ul.records li { margin: 3px 0; }
:focus-visible { outline: 3px solid #e0a800; outline-offset: 2px; }
"#;

/// Shows the fieldset of the chosen case (the options of the chosen issue) and hides the rest.
const SCRIPT: &str = r#"
document.querySelectorAll('select[data-switch]').forEach(function (select) {
  function sync() {
    select.form.querySelectorAll('[data-case]').forEach(function (part) {
      part.hidden = part.getAttribute('data-case') !== select.value;
    });
  }
  select.addEventListener('change', sync);
  sync();
});
// A form sent back with problems: focus goes to the first field at fault, or to the message.
(function () {
  var invalid = document.querySelector('[aria-invalid="true"]');
  var alert = document.querySelector('.form-error[role="alert"]');
  if (invalid) { invalid.focus(); }
  else if (alert) { alert.setAttribute('tabindex', '-1'); alert.focus(); }
})();
// A draft's form shows its difference from its parents as it is typed: the form is posted
// to the server's diff and the answer shown under it.
document.querySelectorAll('form[data-preview]').forEach(function (form) {
  var target = document.getElementById(form.getAttribute('data-preview-target'));
  if (!target || !window.fetch || !window.FormData || !window.URLSearchParams) return;
  var timer = null, asked = 0;
  function ask() {
    var mine = ++asked;
    fetch(form.getAttribute('data-preview'), {
      method: 'POST', credentials: 'same-origin',
      body: new URLSearchParams(new FormData(form))
    })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (text) { if (text !== null && mine === asked) target.innerHTML = text; })
      .catch(function () {});
  }
  function later() { clearTimeout(timer); timer = setTimeout(ask, 250); }
  form.addEventListener('input', later);
  form.addEventListener('change', later);
});
"#;

/// Live updates: when the view this page shows changes, fetch the page again and swap its
/// `data-live` parts (forms are outside them, so what the user is typing stays).
const LIVE_SCRIPT: &str = r#"
(function () {
  if (!window.EventSource || !window.fetch || !window.DOMParser) return;
  var body = document.body, shown = body.getAttribute('data-view');
  var notice = document.getElementById('live-notice'), timer = null, busy = false, again = false;
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (text) {
        if (!text) return;
        var next = new DOMParser().parseFromString(text, 'text/html');
        var view = next.body && next.body.getAttribute('data-view');
        if (!view) return;
        document.querySelectorAll('[data-live]').forEach(function (part) {
          var fresh = next.querySelector('[data-live="' + part.getAttribute('data-live') + '"]');
          if (!fresh) return;
          var open = Array.prototype.map.call(part.querySelectorAll('details'), function (d) { return d.open; });
          fresh.querySelectorAll('details').forEach(function (d, idx) { if (open[idx]) d.open = true; });
          part.replaceWith(document.adoptNode(fresh));
        });
        shown = view;
        body.setAttribute('data-view', view);
        notice.textContent = 'Updated ' + new Date().toLocaleTimeString();
        notice.hidden = false;
        clearTimeout(timer);
        timer = setTimeout(function () { notice.hidden = true; }, 6000);
      })
      .catch(function () {})
      .then(function () { busy = false; if (again) { again = false; refresh(); } });
  }
  function heard(event) {
    body.setAttribute('data-live-state', 'listening');
    try {
      var view = JSON.parse(event.data).view;
      if (view && view !== shown) refresh();
    } catch (error) {}
  }
  var source = new EventSource('/api/v1/live');
  source.addEventListener('ready', heard);
  source.addEventListener('change', heard);
  source.addEventListener('error', function () { body.setAttribute('data-live-state', 'reconnecting'); });
})();
"#;
