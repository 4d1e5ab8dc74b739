//! People and access: the mediator invites a user with a role by a one-time link, sees who
//! has access (role, last use, sessions) and revokes it or changes a role; the invitee opens
//! the link, picks a name and is signed in; every signed-in user sees its own sessions and
//! can sign out everywhere. Each change of access is an `access` event of the log (see
//! [`parley_store::access`]).
//!
//! Every post is checked as the record's forms are: from a page of this site
//! ([`same_origin`]) and, for the acceptance of an invitation (which has no session yet), tied
//! to the browser that was shown the form by a check cookie compared in constant time.

use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{Markup, html};
use parley_store::access::{INVITATION_PREFIX, Invitation, Person};
use parley_store::users::{Role, TokenKind};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::{Page, PageError, PageQuery, bare_page, layout_with, party_name, view_for};
use crate::auth::{
    Caller, PageCaller, cleared_cookie, cookie, cookie_attributes, over_tls, session_cookie,
    session_token,
};
use crate::error::ApiError;
use crate::pages::forms::same_origin;
use crate::state::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/people", get(people_page))
        .route("/people/invite", post(invite).get(|| async { Redirect::to("/people") }))
        .route("/people/{id}/revoke", post(revoke))
        .route("/people/{id}/role", post(change_role))
        .route("/people/invitations/{id}/withdraw", post(withdraw))
        .route("/invite", get(invitation_page).post(accept))
        .route("/sessions", get(sessions_page))
        .route("/sessions/end-all", post(end_sessions))
}

/// How long an invitation may stay open, as the form offers it: `(hours, label)`.
const LIFETIMES: [(&str, &str); 4] =
    [("1", "1 hour"), ("24", "1 day"), ("168", "7 days"), ("720", "30 days")];

/// The lifetime a fresh form proposes.
const DEFAULT_LIFETIME: &str = "168";

/// The cookie that ties an invitation's form to the browser it was shown to.
const INVITE_CHECK_COOKIE: &str = "parley_invite_check";

/// What a form on these pages sent back with a problem.
#[derive(Debug, Default)]
struct Problem {
    /// The input at fault (its `name`), when one is.
    field: Option<&'static str>,
    message: String,
}

/// The pages of this module refuse what is not for the caller: people and access are the
/// mediators'.
fn mediators_only(caller: &Caller) -> Result<(), PageError> {
    if caller.is_mediator() {
        Ok(())
    } else {
        Err(PageError(ApiError::forbidden(
            "people and access are managed by the mediators; your own sessions are at /sessions",
        )))
    }
}

fn from_this_site(state: &AppState, headers: &HeaderMap) -> Result<(), PageError> {
    if same_origin(headers, state.inner.options.trust_proxy) {
        Ok(())
    } else {
        Err(PageError(ApiError::forbidden(
            "the form was sent from a page of another site: open the page here and send it again",
        )))
    }
}

/// A labelled input whose problem, when it has one, is tied to it (`aria-describedby`) and
/// marks it invalid, so that a screen reader reads it and the page script focuses it.
fn field(
    id: &str,
    label: &str,
    error: Option<&str>,
    control: impl Fn(Option<&str>) -> Markup,
) -> Markup {
    let error_id = format!("{id}-error");
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (label) }
            (control(error.map(|_| error_id.as_str())))
            @if let Some(error) = error { p.field-error id=(error_id) { (error) } }
        }
    }
}

/// The roles a mediator may give: mediator, observer, or a delegate of a party of the record.
fn role_choices(page: &Page<'_>) -> Vec<(String, String)> {
    let mut choices = vec![
        ("observer".to_owned(), "Observer: sees what is public".to_owned()),
        ("mediator".to_owned(), "Mediator: sees and manages everything".to_owned()),
    ];
    choices.extend(
        page.report
            .party_details
            .iter()
            .map(|party| (format!("delegate:{}", party.id), format!("Delegate of {}", party.name))),
    );
    choices
}

fn role_text(page: &Page<'_>, role: &Role) -> String {
    match role {
        Role::Mediator => "mediator".to_owned(),
        Role::Observer => "observer".to_owned(),
        Role::Delegate(party) => {
            format!("delegate of {}", party_name(page.report, party.as_str()))
        }
    }
}

/// A time as the log writes it, shorter: to the minute, in UTC.
fn when(time: &str) -> String {
    match time.get(..16) {
        Some(short) => format!("{} UTC", short.replace('T', " ")),
        None => time.to_owned(),
    }
}

#[derive(Deserialize, Debug, Default)]
struct PeopleQuery {
    done: Option<String>,
}

/// What a form on the people page just did, said back: only known words.
fn people_notice(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "revoked" => Some("Access revoked: the user's sessions and tokens no longer work."),
        "role" => Some("Role changed: it holds from the user's next request."),
        "withdrawn" => Some("Invitation withdrawn: its link no longer works."),
        "unchanged" => Some("Nothing changed."),
        _ => None,
    }
}

/// What the people page shows after a post: the invitation link made, or a problem.
#[derive(Default)]
struct Sent {
    /// The invitation's link, shown once.
    link: Option<String>,
    invitation: Option<Invitation>,
    /// The invitation form as it was sent, with its problem.
    role: Option<String>,
    lifetime: Option<String>,
    problem: Option<Problem>,
}

async fn people_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(query): Query<PeopleQuery>,
) -> Result<Response, PageError> {
    mediators_only(&caller)?;
    render_people(
        &state,
        &caller,
        people_notice(query.done.as_deref()),
        Sent::default(),
        StatusCode::OK,
    )
    .await
}

async fn render_people(
    state: &AppState,
    caller: &Caller,
    notice: Option<&'static str>,
    sent: Sent,
    status: StatusCode,
) -> Result<Response, PageError> {
    let people = state.store().people().await.map_err(ApiError::from)?;
    let invitations = state.store().invitations().await.map_err(ApiError::from)?;
    let view = view_for(state, caller, &PageQuery::default()).await?;
    let report = view.record();
    let page = Page { caller, view: &view, report: &report, as_of: None, notice };
    let content = people_content(&page, &people, &invitations, &sent);
    Ok((status, layout_with(&page, None, "People and access", content)).into_response())
}

fn people_content(
    page: &Page<'_>,
    people: &[Person],
    invitations: &[Invitation],
    sent: &Sent,
) -> Markup {
    let now = parley_store::chain::format_time(jiff::Timestamp::now());
    let choices = role_choices(page);
    let problem = sent.problem.as_ref();
    let error_at = |name: &str| {
        problem
            .filter(|problem| problem.field == Some(name))
            .map(|problem| problem.message.as_str())
    };
    html! {
        h1 { "People and access" }
        @if let (Some(link), Some(invitation)) = (&sent.link, &sent.invitation) {
            section.notice role="status" aria-labelledby="link-heading" {
                h2 #link-heading { "Invitation made" }
                p {
                    "Send this link to the person you invite, as " strong { (role_text(page, &invitation.role)) }
                    ". It works once, until " (when(&invitation.expires_at)) ". It is shown only now: the server keeps only its fingerprint."
                }
                label for="invitation-link" { "Invitation link" }
                input.link-once #invitation-link type="text" readonly value=(link);
            }
        }
        section aria-labelledby="invite-heading" {
            h2 #invite-heading { "Invite someone" }
            @if let Some(problem) = problem {
                p.form-error role="alert" { "Nobody was invited: " (problem.message) }
            }
            form.record method="post" action="/people/invite" {
                (field("invite-role", "Role", error_at("role"), |described| html! {
                    select #invite-role name="role" required aria-invalid=[described.map(|_| "true")] aria-describedby=[described] {
                        @for (value, label) in &choices {
                            option value=(value) selected[sent.role.as_deref() == Some(value.as_str())] { (label) }
                        }
                    }
                }))
                (field("invite-lifetime", "The link works for", error_at("lifetime"), |described| html! {
                    select #invite-lifetime name="lifetime" aria-invalid=[described.map(|_| "true")] aria-describedby=[described] {
                        @for (hours, label) in LIFETIMES {
                            option value=(hours) selected[sent.lifetime.as_deref().unwrap_or(DEFAULT_LIFETIME) == hours] { (label) }
                        }
                    }
                }))
                div.actions { button.primary type="submit" { "Make an invitation link" } }
            }
        }
        section aria-labelledby="people-heading" {
            h2 #people-heading { "Who has access" }
            div.scroll tabindex="0" role="region" aria-label="Users" {
                table.people {
                    thead { tr { th scope="col" { "Name" } th scope="col" { "Role" } th scope="col" { "Since" } th scope="col" { "Last used" } th scope="col" { "Sessions" } th scope="col" { "Access" } } }
                    tbody {
                        @for person in people {
                            @let user = &person.user;
                            @let is_self = user.id == page.caller.user.id;
                            tr {
                                th scope="row" { (user.name) @if is_self { " (you)" } }
                                td { (role_text(page, &user.role)) }
                                td { (when(&user.created_at)) }
                                td { (person.last_used_at.as_deref().map_or("never".to_owned(), when)) }
                                td { (person.n_sessions) }
                                td {
                                    @if let Some(revoked_at) = &person.revoked_at {
                                        "revoked " (when(revoked_at))
                                    } @else if is_self {
                                        span.muted { "in force" }
                                    } @else {
                                        form method="post" action=(format!("/people/{}/role", user.id)) {
                                            label.visually-hidden for=(format!("role-{}", user.id)) { "New role for " (user.name) }
                                            select id=(format!("role-{}", user.id)) name="role" {
                                                @for (value, label) in &choices {
                                                    option value=(value) selected[*value == user.role.to_string()] { (label) }
                                                }
                                            }
                                            button type="submit" { "Change role" span.visually-hidden { " of " (user.name) } }
                                        }
                                        form method="post" action=(format!("/people/{}/revoke", user.id)) {
                                            button type="submit" { "Revoke access" span.visually-hidden { " of " (user.name) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        section aria-labelledby="invitations-heading" {
            h2 #invitations-heading { "Invitations" }
            @if invitations.is_empty() {
                p.muted { "No invitation was made yet." }
            } @else {
                div.scroll tabindex="0" role="region" aria-label="Invitations" {
                    table.people {
                        thead { tr { th scope="col" { "Role" } th scope="col" { "Made by" } th scope="col" { "Made" } th scope="col" { "Expires" } th scope="col" { "State" } } }
                        tbody {
                            @for invitation in invitations {
                                tr {
                                    td { (role_text(page, &invitation.role)) }
                                    td { (invitation.invited_by) }
                                    td { (when(&invitation.created_at)) }
                                    td { (when(&invitation.expires_at)) }
                                    td {
                                        @if let Some(user_id) = invitation.user_id {
                                            "accepted by "
                                            (people.iter().find(|person| person.user.id == user_id).map_or("a user", |person| person.user.name.as_str()))
                                        } @else if invitation.accepted_at.is_some() {
                                            "accepted"
                                        } @else if invitation.withdrawn_at.is_some() {
                                            "withdrawn"
                                        } @else if !invitation.is_open(&now) {
                                            "expired"
                                        } @else {
                                            form method="post" action=(format!("/people/invitations/{}/withdraw", invitation.id)) {
                                                "open · "
                                                button type="submit" { "Withdraw" span.visually-hidden { " this invitation" } }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[derive(Deserialize, Debug)]
struct InviteForm {
    role: Option<String>,
    lifetime: Option<String>,
}

/// The site's own address, as the browser reached it, for a link to send on.
fn site_address(state: &AppState, headers: &HeaderMap) -> String {
    let text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let forwarded = if state.inner.options.trust_proxy { text("x-forwarded-host") } else { None };
    let host = forwarded.or_else(|| text("host")).filter(|host| {
        !host.is_empty()
            && host
                .chars()
                .all(|character| character.is_ascii_alphanumeric() || "-.:[]".contains(character))
    });
    let scheme = if over_tls(headers, &state.inner.options) { "https" } else { "http" };
    host.map_or_else(String::new, |host| format!("{scheme}://{host}"))
}

async fn invite(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    headers: HeaderMap,
    Form(form): Form<InviteForm>,
) -> Result<Response, PageError> {
    from_this_site(&state, &headers)?;
    mediators_only(&caller)?;
    let role_sent = form.role.as_deref().map(str::trim).unwrap_or_default().to_owned();
    let lifetime_sent =
        form.lifetime.as_deref().map(str::trim).unwrap_or(DEFAULT_LIFETIME).to_owned();
    let refuse = |field: &'static str, message: String| Sent {
        role: Some(role_sent.clone()),
        lifetime: Some(lifetime_sent.clone()),
        problem: Some(Problem { field: Some(field), message }),
        ..Sent::default()
    };
    let role = match Role::parse(&role_sent) {
        Ok(role) => role,
        Err(error) => {
            let sent = refuse("role", error.to_string());
            return render_people(&state, &caller, None, sent, StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        }
    };
    let Some(hours) = LIFETIMES
        .iter()
        .find(|(hours, _)| *hours == lifetime_sent)
        .and_then(|(hours, _)| hours.parse::<u64>().ok())
    else {
        let sent = refuse(
            "lifetime",
            format!("invalid lifetime '{lifetime_sent}': expected 1, 24, 168 or 720 hours"),
        );
        return render_people(&state, &caller, None, sent, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let made =
        state.store().invite(&caller.user.name, &role, Duration::from_secs(hours * 3600)).await;
    match made {
        Ok((invitation, code)) => {
            let link = format!("{}/invite?code={code}", site_address(&state, &headers));
            let sent = Sent { link: Some(link), invitation: Some(invitation), ..Sent::default() };
            render_people(&state, &caller, None, sent, StatusCode::OK).await
        }
        Err(error @ parley_store::Error::UnknownParty { .. }) => {
            let sent = refuse("role", error.to_string());
            render_people(&state, &caller, None, sent, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => Err(PageError(error.into())),
    }
}

/// A user id from a path, as the people page's forms send it.
fn user_id(text: &str) -> Result<i64, PageError> {
    text.parse().map_err(|_| PageError(ApiError::not_found("user", text)))
}

async fn revoke(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    from_this_site(&state, &headers)?;
    mediators_only(&caller)?;
    let id = user_id(&id)?;
    if id == caller.user.id {
        return Err(PageError(ApiError::forbidden(
            "you cannot revoke your own access: ask another mediator",
        )));
    }
    let revoked = state.store().revoke_user(id, &caller.user.name).await.map_err(ApiError::from)?;
    Ok(Redirect::to(if revoked { "/people?done=revoked" } else { "/people?done=unchanged" })
        .into_response())
}

#[derive(Deserialize, Debug)]
struct RoleForm {
    role: Option<String>,
}

async fn change_role(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<RoleForm>,
) -> Result<Response, PageError> {
    from_this_site(&state, &headers)?;
    mediators_only(&caller)?;
    let id = user_id(&id)?;
    if id == caller.user.id {
        return Err(PageError(ApiError::forbidden(
            "you cannot change your own role: ask another mediator",
        )));
    }
    let text = form.role.as_deref().map(str::trim).unwrap_or_default();
    let role = Role::parse(text)
        .map_err(|error| PageError(ApiError::bad_request("role", error.to_string())))?;
    let changed =
        state.store().set_role(id, &role, &caller.user.name).await.map_err(
            |error| match error {
                error @ parley_store::Error::UnknownParty { .. } => {
                    ApiError::bad_request("role", error.to_string())
                }
                error => ApiError::from(error),
            },
        )?;
    Ok(Redirect::to(if changed { "/people?done=role" } else { "/people?done=unchanged" })
        .into_response())
}

async fn withdraw(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    from_this_site(&state, &headers)?;
    mediators_only(&caller)?;
    let id: i64 = id.parse().map_err(|_| PageError(ApiError::not_found("invitation", &id)))?;
    let withdrawn =
        state.store().withdraw_invitation(id, &caller.user.name).await.map_err(ApiError::from)?;
    Ok(Redirect::to(if withdrawn { "/people?done=withdrawn" } else { "/people?done=unchanged" })
        .into_response())
}

#[derive(Deserialize, Debug, Default)]
struct InvitationQuery {
    code: Option<String>,
}

/// A fresh random value for the invitation's check cookie.
fn fresh_check() -> Option<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).ok()?;
    Some(hex::encode(bytes))
}

const GONE: &str = "This invitation is unknown, expired, withdrawn or accepted already: ask the mediator for a new one.";

/// The invitation's page: the role it gives and a form to pick a name, with a fresh check.
fn invitation_form(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    code: &str,
    role: &str,
    name: &str,
    problem: Option<&Problem>,
) -> Response {
    let Some(check) = fresh_check() else {
        return PageError(ApiError::internal("no random bytes for the invitation's check"))
            .into_response();
    };
    let error = problem
        .filter(|problem| problem.field == Some("name"))
        .map(|problem| problem.message.as_str());
    let page = bare_page(
        "Accept an invitation",
        html! {
            section.sign-in {
                h1 { "Accept an invitation" }
                @if let Some(problem) = problem {
                    p.form-error role="alert" { "You were not signed up: " (problem.message) }
                }
                p { "You are invited to this record's negotiation as " strong { (role) } ". Pick the name others will see you by." }
                form.record.single method="post" action="/invite" {
                    input type="hidden" name="code" value=(code);
                    input type="hidden" name="check" value=(check);
                    (field("invite-name", "Your name", error, |described| html! {
                        input #invite-name type="text" name="name" value=(name) required maxlength="64"
                            autocomplete="username" aria-invalid=[described.map(|_| "true")]
                            aria-describedby=[described.or(Some("invite-name-hint"))];
                    }))
                    p.muted #invite-name-hint { "1 to 64 characters, no spaces." }
                    div.actions { button.primary type="submit" { "Accept and sign in" } }
                }
            }
        },
    );
    let mut response = (status, page).into_response();
    let secure = over_tls(headers, &state.inner.options);
    let value =
        format!("{INVITE_CHECK_COOKIE}={check}; {}", cookie_attributes("/invite", 3600, secure));
    if let Ok(value) = HeaderValue::from_str(&value) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

fn gone() -> Response {
    let page = bare_page(
        "Invitation",
        html! { section { h1 { "Invitation" } p.form-error role="alert" { (GONE) } p { a href="/sign-in" { "Sign in" } } } },
    );
    (StatusCode::NOT_FOUND, page).into_response()
}

/// How a role reads to its invitee, from the record's current state.
async fn role_for_invitee(state: &AppState, role: &Role) -> String {
    match role {
        Role::Mediator => "a mediator".to_owned(),
        Role::Observer => "an observer".to_owned(),
        Role::Delegate(party) => {
            // The party's name is public in every view.
            let name = match state
                .store()
                .state_for(&parley_model::access::Viewer::Observer, None)
                .await
            {
                Ok(snapshot) => snapshot
                    .scenario
                    .scenario()
                    .parties
                    .iter()
                    .find(|candidate| &candidate.id == party)
                    .map_or_else(|| party.to_string(), |party| party.name.clone()),
                Err(_) => party.to_string(),
            };
            format!("a delegate of {name}")
        }
    }
}

async fn invitation_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<InvitationQuery>,
) -> Response {
    let code = query.code.as_deref().map(str::trim).unwrap_or_default();
    if !code.starts_with(INVITATION_PREFIX) {
        return gone();
    }
    match state.store().open_invitation(code).await {
        Ok(Some(invitation)) => {
            let role = role_for_invitee(&state, &invitation.role).await;
            invitation_form(&state, &headers, StatusCode::OK, code, &role, "", None)
        }
        Ok(None) => gone(),
        Err(error) => PageError(error.into()).into_response(),
    }
}

#[derive(Deserialize, Debug)]
struct AcceptForm {
    code: Option<String>,
    check: Option<String>,
    name: Option<String>,
}

async fn accept(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<AcceptForm>,
) -> Response {
    let code = form.code.as_deref().map(str::trim).unwrap_or_default();
    let name = form.name.as_deref().map(str::trim).unwrap_or_default();
    let check = form.check.as_deref().unwrap_or_default();
    let kept = cookie(&headers, INVITE_CHECK_COOKIE).unwrap_or_default();
    let checked = !check.is_empty() && bool::from(check.as_bytes().ct_eq(kept.as_bytes()));
    if !checked || !same_origin(&headers, state.inner.options.trust_proxy) {
        return PageError(ApiError::forbidden(
            "this acceptance was not sent from the invitation's page: open the link again",
        ))
        .into_response();
    }
    let invitation = match state.store().open_invitation(code).await {
        Ok(Some(invitation)) => invitation,
        Ok(None) => return gone(),
        Err(error) => return PageError(error.into()).into_response(),
    };
    let refuse = |status, message: String| {
        let state = state.clone();
        let headers = headers.clone();
        let invitation = invitation.clone();
        async move {
            let role = role_for_invitee(&state, &invitation.role).await;
            let problem = Problem { field: Some("name"), message };
            invitation_form(&state, &headers, status, code, &role, name, Some(&problem))
        }
    };
    let user = match state.store().accept_invitation(code, name).await {
        Ok(Some(user)) => user,
        Ok(None) => return gone(),
        Err(error @ parley_store::Error::InvalidUserName(_)) => {
            return refuse(StatusCode::UNPROCESSABLE_ENTITY, error.to_string()).await;
        }
        Err(error @ parley_store::Error::UserExists(_)) => {
            return refuse(StatusCode::CONFLICT, format!("{error}: pick another name")).await;
        }
        Err(error) => return PageError(error.into()).into_response(),
    };
    let lifetime = state.inner.options.session_lifetime;
    let tokens = async {
        let session = state.store().issue(user.id, TokenKind::Session, Some(lifetime)).await?;
        let token = state.store().issue_token(user.id).await?;
        Ok::<_, parley_store::Error>((session, token))
    };
    let (session, token) = match tokens.await {
        Ok(tokens) => tokens,
        Err(error) => return PageError(error.into()).into_response(),
    };
    let page = bare_page(
        "Welcome",
        html! {
            section.sign-in {
                h1 { "Welcome, " (user.name) }
                p.notice role="status" { "You are signed in, in this browser." }
                p {
                    "Keep this token somewhere safe: it signs you in again from the sign-in page, and it is shown only now. "
                    "A mediator can also send you a one-time sign-in link."
                }
                label for="api-token" { "Your token" }
                input.link-once #api-token type="text" readonly value=(token);
                p { a href="/" { "Go to the record" } }
            }
        },
    );
    let mut response = (StatusCode::OK, page).into_response();
    let secure = over_tls(&headers, &state.inner.options);
    if let Ok(value) = HeaderValue::from_str(&session_cookie(&session, lifetime, secure)) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    let spent = format!("{INVITE_CHECK_COOKIE}=; {}", cookie_attributes("/invite", 0, secure));
    if let Ok(value) = HeaderValue::from_str(&spent) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

async fn sessions_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let sessions = state
        .store()
        .sessions(caller.user.id, session_token(&headers))
        .await
        .map_err(ApiError::from)?;
    let view = view_for(&state, &caller, &PageQuery::default()).await?;
    let report = view.record();
    let page = Page { caller: &caller, view: &view, report: &report, as_of: None, notice: None };
    let content = html! {
        h1 { "Your sessions" }
        p { "Each browser you signed in with has a session. Signing out everywhere ends them all, this one too; your API tokens stay." }
        @if sessions.is_empty() {
            p.muted { "You have no session in force (you reached this page with an API token)." }
        } @else {
            div.scroll tabindex="0" role="region" aria-label="Sessions" {
                table.people {
                    thead { tr { th scope="col" { "Began" } th scope="col" { "Last used" } th scope="col" { "Ends" } th scope="col" { "Sign out" } } }
                    tbody {
                        @for session in &sessions {
                            tr {
                                td { (when(&session.created_at)) }
                                td { (session.last_used_at.as_deref().map_or("not yet".to_owned(), when)) }
                                td { (session.expires_at.as_deref().map_or("when revoked".to_owned(), when)) }
                                td { @if session.current { strong { "this browser" } } }
                            }
                        }
                    }
                }
            }
        }
        form method="post" action="/sessions/end-all" {
            button.primary type="submit" { "Sign out everywhere" }
        }
    };
    Ok(layout_with(&page, None, "Your sessions", content).into_response())
}

async fn end_sessions(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    from_this_site(&state, &headers)?;
    state.store().end_sessions(caller.user.id).await.map_err(ApiError::from)?;
    let mut response = Redirect::to("/sign-in").into_response();
    let secure = over_tls(&headers, &state.inner.options);
    if let Ok(value) = HeaderValue::from_str(&cleared_cookie(secure)) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    Ok(response)
}
