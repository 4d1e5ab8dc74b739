//! The pages' forms: each posts to `/forms/{position,meeting,draft,claim}`, which builds the
//! entity in the scenario file's shape, records it through the API's own write path
//! ([`api::create_entity`]: the same rights and checks) and sends the browser back to the page
//! with a confirmation; or renders the page again with what was typed and the problem shown
//! next to the field at fault.
//!
//! The session cookie is `SameSite=Strict`, so another site cannot post with it; a post whose
//! `Origin` (or `Referer`) names another host than the one it was sent to is refused as well.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use maud::{Markup, html};
use parley_model::Id;
use parley_store::users::Role;
use serde_json::{Value, json};

use super::{Page, PageError};
use crate::api;
use crate::auth::{Caller, PageCaller};
use crate::entities::Kind;
use crate::error::ApiError;
use crate::state::AppState;

pub(super) fn routes() -> Router<AppState> {
    let mut router = Router::new();
    for form in FormKind::ALL {
        router = router.route(
            &format!("/forms/{}", form.key()),
            post(move |state, caller, headers, fields| {
                record(form, state, caller, headers, fields)
            })
            // A form's address opened by hand (or after signing in) leads to its page.
            .get(move || async move { Redirect::to(form.page()) }),
        );
    }
    router
}

/// The forms the pages offer.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum FormKind {
    Position,
    Meeting,
    Draft,
    Claim,
}

impl FormKind {
    const ALL: [FormKind; 4] =
        [FormKind::Position, FormKind::Meeting, FormKind::Draft, FormKind::Claim];

    pub(crate) fn key(self) -> &'static str {
        match self {
            FormKind::Position => "position",
            FormKind::Meeting => "meeting",
            FormKind::Draft => "draft",
            FormKind::Claim => "claim",
        }
    }

    /// The page that shows the form.
    fn page(self) -> &'static str {
        match self {
            FormKind::Position => "/stances",
            FormKind::Meeting => "/timeline",
            FormKind::Draft => "/drafts",
            FormKind::Claim => "/claims",
        }
    }

    fn kind(self) -> Kind {
        use parley_model::change::Collection;
        match self {
            FormKind::Position => Kind::Positions,
            FormKind::Meeting => Kind::Entity(Collection::Meetings),
            FormKind::Draft => Kind::Entity(Collection::Drafts),
            FormKind::Claim => Kind::Entity(Collection::Claims),
        }
    }

    /// The names of the form's inputs that a problem may be shown next to.
    fn inputs(self) -> &'static [&'static str] {
        match self {
            FormKind::Position => &["party", "issue", "date", "visibility", "note", "stances"],
            FormKind::Meeting => {
                &["track", "title", "date", "status", "place", "summary", "visibility"]
            }
            FormKind::Draft => {
                &["title", "status", "date", "author", "parents", "summary", "visibility"]
            }
            FormKind::Claim => {
                &["claimant", "statement", "status", "date", "place", "disputes", "visibility"]
            }
        }
    }
}

/// What a form sent, in order (a name may repeat: the parents of a draft).
#[derive(Debug, Default)]
pub(crate) struct Fields(pub(crate) Vec<(String, String)>);

impl Fields {
    /// The first value sent for a name, trimmed; `None` when it is empty.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
            .find(|value| !value.is_empty())
    }

    /// Every value sent for a name, trimmed, the empty ones left out.
    pub(crate) fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    }

    /// The first value sent for a name, as sent.
    fn raw(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }
}

/// A form sent back with a problem: what was typed, and what went wrong where.
#[derive(Debug)]
pub(crate) struct Sent {
    pub(crate) form: FormKind,
    pub(crate) fields: Fields,
    /// What went wrong.
    pub(crate) message: String,
    /// The input at fault, when the form has one for it.
    pub(crate) field: Option<String>,
    /// Every problem, when there are several.
    pub(crate) problems: Vec<String>,
}

/// Whether a post comes from a page of this site: its `Origin` (or, without one, its
/// `Referer`) names the host it was sent to (`Host`, or `X-Forwarded-Host` when a proxy is
/// trusted to set it: `--trust-proxy`; a client's own is ignored). A post with neither is
/// let through: only very old browsers send neither, and the session cookie does not go with
/// cross-site posts.
pub(crate) fn same_origin(headers: &HeaderMap, trust_proxy: bool) -> bool {
    let text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let Some(source) = text("origin").or_else(|| text("referer")) else {
        return true;
    };
    let Some(authority) = source
        .split_once("://")
        .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(rest))
    else {
        return false;
    };
    let forwarded = if trust_proxy { text("x-forwarded-host") } else { None };
    [text("host"), forwarded].into_iter().flatten().any(|host| host.eq_ignore_ascii_case(authority))
}

async fn record(
    form: FormKind,
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    if !same_origin(&headers, state.inner.options.trust_proxy) {
        return PageError(ApiError::forbidden(
            "the form was sent from a page of another site: open the page here and send it again",
        ))
        .into_response();
    }
    if caller.user.role == Role::Observer {
        return PageError(ApiError::forbidden("observers cannot record changes")).into_response();
    }
    let fields = Fields(fields);
    let result = match entity(form, &caller, &fields) {
        Ok(body) => api::create_entity(&state, &caller, form.kind(), body).await.map(|_| ()),
        Err(error) => Err(error),
    };
    let error = match result {
        Ok(()) => {
            return Redirect::to(&format!("{}?done={}", form.page(), form.key())).into_response();
        }
        Err(error) => error,
    };
    let field = error.field.as_deref().and_then(|path| input_for(form, path, &fields));
    let problems = if error.problems.len() > 1 {
        error
            .problems
            .iter()
            .map(|problem| match problem.field.as_str() {
                "" => problem.message.clone(),
                field => format!("{field}: {}", problem.message),
            })
            .collect()
    } else {
        Vec::new()
    };
    let sent = Sent { form, fields, message: error.message, field, problems };
    match render_again(&state, &caller, &sent).await {
        Ok(page) => (error.status, page).into_response(),
        Err(error) => error.into_response(),
    }
}

/// The form's page, with the form as it was sent and its problem.
async fn render_again(state: &AppState, caller: &Caller, sent: &Sent) -> Result<Markup, PageError> {
    let view = state.view(&caller.viewer, None).await?;
    let report = view.record();
    let page = Page { caller, view: &view, report: &report, as_of: None, notice: None };
    Ok(match sent.form {
        FormKind::Position => super::stances::render(&page, Some(sent)),
        FormKind::Meeting => super::timeline::render(&page, Some(sent)),
        FormKind::Draft => super::drafts::render(&page, Some(sent)),
        FormKind::Claim => super::claims::render(&page, Some(sent)),
    })
}

/// The input a problem's field (a path in the entity: `date`, `stances.compromise`,
/// `lineage[0].parent`) is shown next to.
fn input_for(form: FormKind, path: &str, fields: &Fields) -> Option<String> {
    let head = path.split(['.', '[']).next()?;
    let input = match (form, head) {
        (FormKind::Position, "importance" | "weight") => {
            format!("importance:{}", fields.get("issue").unwrap_or_default())
        }
        (FormKind::Draft, "lineage") => "parents".to_owned(),
        (_, head) if form.inputs().contains(&head) => head.to_owned(),
        _ => return None,
    };
    Some(input)
}

fn missing(field: &str, message: &str) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message).with_field(field)
}

/// The party a delegate speaks for.
fn own_party(caller: &Caller) -> Option<&Id> {
    match &caller.user.role {
        Role::Delegate(party) => Some(party),
        Role::Mediator | Role::Observer => None,
    }
}

/// The party a record is by: a delegate's own (whatever was sent), or the one a mediator chose.
fn party_field(
    caller: &Caller,
    fields: &Fields,
    name: &str,
    what: &str,
) -> Result<String, ApiError> {
    match own_party(caller) {
        Some(party) => Ok(party.to_string()),
        None => fields
            .get(name)
            .map(str::to_owned)
            .ok_or_else(|| missing(name, &format!("choose the party {what}"))),
    }
}

/// A visibility as sent (`public`, `private`, `track:ID`) in the file's shape.
fn visibility(fields: &Fields) -> Option<Value> {
    let text = fields.get("visibility")?;
    Some(match text.strip_prefix("track:") {
        Some(track) => json!({ "track": track }),
        None => Value::from(text),
    })
}

/// Sets the optional text fields that were filled in.
fn copy_texts(body: &mut Value, fields: &Fields, names: &[&str]) {
    for name in names {
        if let Some(value) = fields.get(name) {
            body[*name] = Value::from(value);
        }
    }
}

/// The entity a form describes, in the scenario file's shape.
fn entity(form: FormKind, caller: &Caller, fields: &Fields) -> Result<Value, ApiError> {
    let mut body = match form {
        FormKind::Position => {
            let party = party_field(caller, fields, "party", "whose position this is")?;
            let issue =
                fields.get("issue").ok_or_else(|| missing("issue", "choose the issue"))?.to_owned();
            let mut body = json!({ "party": party, "issue": issue });
            copy_texts(&mut body, fields, &["date"]);
            if let Some(importance) = fields.get(&format!("importance:{issue}")) {
                body["importance"] = Value::from(importance);
            }
            let prefix = format!("stance:{issue}:");
            let stances: serde_json::Map<String, Value> = fields
                .0
                .iter()
                .filter_map(|(name, value)| {
                    let option = name.strip_prefix(&prefix)?;
                    let value = value.trim();
                    let stance = match value.parse::<f64>() {
                        Ok(number) => Value::from(number),
                        Err(_) if value.is_empty() => return None,
                        Err(_) => Value::from(value),
                    };
                    Some((option.to_owned(), stance))
                })
                .collect();
            if stances.is_empty() {
                return Err(missing(
                    "stances",
                    "give the party's stance on at least one option of the issue",
                ));
            }
            body["stances"] = Value::Object(stances);
            body
        }
        FormKind::Meeting => {
            let track = fields.get("track").ok_or_else(|| missing("track", "choose the track"))?;
            let status = fields.get("status").unwrap_or("held");
            let mut body = json!({ "track": track, "status": status });
            copy_texts(&mut body, fields, &["title", "date"]);
            if let Some(place) = fields.get("place") {
                body["place"] = json!({ "name": place });
            }
            copy_texts(&mut body, fields, &["summary"]);
            body
        }
        FormKind::Draft => {
            let title =
                fields.get("title").ok_or_else(|| missing("title", "give the draft a title"))?;
            let status = fields.get("status").unwrap_or("proposed");
            let mut body = json!({ "title": title, "status": status });
            copy_texts(&mut body, fields, &["date"]);
            match own_party(caller) {
                Some(party) => body["author"] = Value::from(party.as_str()),
                None => copy_texts(&mut body, fields, &["author"]),
            }
            let parents: Vec<&str> = fields.all("parents").collect();
            if !parents.is_empty() {
                body["parents"] = Value::from(parents.clone());
                // The form does not ask what became of each parent's points: the record says
                // it is not known, which is what validation asks for in that case.
                body["lineage"] = parents
                    .iter()
                    .map(|parent| json!({ "parent": parent, "points": "rest", "fate": "unknown" }))
                    .collect();
            }
            copy_texts(&mut body, fields, &["summary"]);
            body
        }
        FormKind::Claim => {
            let claimant = party_field(caller, fields, "claimant", "that makes the claim")?;
            let statement = fields
                .get("statement")
                .ok_or_else(|| missing("statement", "write what is claimed"))?;
            let status = fields.get("status").unwrap_or("unverified");
            let mut body =
                json!({ "claimant": claimant, "statement": statement, "status": status });
            copy_texts(&mut body, fields, &["date"]);
            if let Some(place) = fields.get("place") {
                body["place"] = json!({ "name": place });
            }
            copy_texts(&mut body, fields, &["disputes"]);
            body
        }
    };
    if let Some(visibility) = visibility(fields) {
        body["visibility"] = visibility;
    }
    if form == FormKind::Position
        && let Some(note) = fields.raw("note").map(str::trim).filter(|note| !note.is_empty())
    {
        body["note"] = Value::from(note);
    }
    Ok(body)
}

/// How one input is shown.
#[derive(Clone, Copy, Default)]
pub(crate) struct Opts {
    /// The browser asks for a value before sending.
    pub(crate) required: bool,
    /// It spans the form's width.
    pub(crate) wide: bool,
    /// It spans two columns of a wide form.
    pub(crate) span2: bool,
    /// Its value chooses which `data-case` part of the form is shown.
    pub(crate) switch: bool,
}

/// The inputs of one form, filled with what was sent when the form comes back with a problem.
pub(crate) struct Inputs<'a> {
    form: FormKind,
    sent: Option<&'a Sent>,
}

impl<'a> Inputs<'a> {
    pub(crate) fn new(form: FormKind, sent: Option<&'a Sent>) -> Inputs<'a> {
        Inputs { form, sent: sent.filter(|sent| sent.form == form) }
    }

    fn id(&self, name: &str) -> String {
        format!("{}-{}", self.form.key(), name.replace(':', "-"))
    }

    /// The problem to show next to an input.
    pub(crate) fn error(&self, name: &str) -> Option<&'a str> {
        self.sent
            .filter(|sent| sent.field.as_deref() == Some(name))
            .map(|sent| sent.message.as_str())
    }

    /// The value sent back, or the default for a fresh form.
    pub(crate) fn value(&self, name: &str, default: &str) -> String {
        match self.sent {
            Some(sent) => sent.fields.raw(name).unwrap_or_default().to_owned(),
            None => default.to_owned(),
        }
    }

    fn chosen(&self, name: &str, value: &str, by_default: bool) -> bool {
        match self.sent {
            Some(sent) => sent.fields.all(name).any(|sent| sent == value),
            None => by_default,
        }
    }

    /// The form's own problem, when no input shows it, or all of them when there are several.
    pub(crate) fn problem(&self) -> Markup {
        let Some(sent) = self.sent else { return html! {} };
        html! {
            @if !sent.problems.is_empty() {
                div.form-error role="alert" {
                    "The record was not changed: " (sent.problems.len()) " problems."
                    ul { @for problem in &sent.problems { li { (problem) } } }
                }
            } @else if sent.field.is_none() {
                p.form-error role="alert" { "The record was not changed: " (sent.message) }
            } @else {
                p.form-error role="alert" { "The record was not changed: see the field marked below." }
            }
        }
    }

    fn field(&self, name: &str, label: &str, opts: Opts, control: Markup) -> Markup {
        let error = self.error(name);
        html! {
            div.field.invalid[error.is_some()].wide[opts.wide].span2[opts.span2] {
                label for=(self.id(name)) { (label) }
                (control)
                @if let Some(error) = error { p.field-error id=(format!("{}-error", self.id(name))) { (error) } }
            }
        }
    }

    fn described_by(&self, name: &str) -> Option<String> {
        self.error(name).map(|_| format!("{}-error", self.id(name)))
    }

    /// A one-line input (`type` text, date, ...).
    pub(crate) fn text(
        &self,
        name: &str,
        label: &str,
        input_type: &str,
        default: &str,
        opts: Opts,
    ) -> Markup {
        let control = html! {
            input id=(self.id(name)) type=(input_type) name=(name) value=(self.value(name, default))
                required[opts.required] aria-invalid=[self.error(name).map(|_| "true")]
                aria-describedby=[self.described_by(name)];
        };
        self.field(name, label, opts, control)
    }

    /// A text area.
    pub(crate) fn textarea(&self, name: &str, label: &str, default: &str, opts: Opts) -> Markup {
        let control = html! {
            textarea id=(self.id(name)) name=(name) rows="3" required[opts.required]
                aria-invalid=[self.error(name).map(|_| "true")] aria-describedby=[self.described_by(name)] {
                (self.value(name, default))
            }
        };
        self.field(name, label, opts, control)
    }

    /// A choice of one of `(value, label)`; `default` is chosen in a fresh form.
    pub(crate) fn select(
        &self,
        name: &str,
        label: &str,
        choices: &[(String, String)],
        default: &str,
        opts: Opts,
    ) -> Markup {
        let control = html! {
            select id=(self.id(name)) name=(name) required[opts.required] data-switch[opts.switch]
                aria-invalid=[self.error(name).map(|_| "true")] aria-describedby=[self.described_by(name)] {
                @for (value, text) in choices {
                    option value=(value) selected[self.chosen(name, value, value == default)] { (text) }
                }
            }
        };
        self.field(name, label, opts, control)
    }

    /// Boxes to tick any of `(value, label)`.
    pub(crate) fn checks(&self, name: &str, label: &str, choices: &[(String, String)]) -> Markup {
        let error = self.error(name);
        html! {
            fieldset.wide.invalid[error.is_some()] {
                legend { (label) }
                div.checks {
                    @for (value, text) in choices {
                        label { input type="checkbox" name=(name) value=(value) checked[self.chosen(name, value, false)]; (text) }
                    }
                }
                @if let Some(error) = error { p.field-error { (error) } }
            }
        }
    }

    /// A value the user cannot change (a delegate's own party), sent with the form.
    pub(crate) fn fixed(&self, name: &str, label: &str, value: &str, shown: &str) -> Markup {
        html! {
            div.field {
                span.label { (label) }
                div.fixed id=(self.id(name)) { (shown) }
                input type="hidden" name=(name) value=(value);
            }
        }
    }

    /// Who may see the record: everyone, its party and the mediators, or a track's parties.
    pub(crate) fn visibility(&self, page: &Page<'_>, default: &str, private: &str) -> Markup {
        let report = page.report;
        let mut choices = vec![
            ("public".to_owned(), "Public: everyone".to_owned()),
            ("private".to_owned(), format!("Private: {private} and the mediators")),
        ];
        for track in &report.tracks {
            if page
                .own_party()
                .is_none_or(|party| track.parties.iter().any(|id| id == party.as_str()))
            {
                choices
                    .push((format!("track:{}", track.id), format!("Shared with {}", track.name)));
            }
        }
        self.select(
            "visibility",
            "Who may see it",
            &choices,
            default,
            Opts { span2: true, ..Opts::default() },
        )
    }

    /// The party a record is by: fixed for a delegate, chosen by a mediator.
    pub(crate) fn party(
        &self,
        page: &Page<'_>,
        name: &str,
        label: &str,
        blank: Option<&str>,
    ) -> Markup {
        let report = page.report;
        match page.own_party() {
            Some(party) => {
                self.fixed(name, label, party.as_str(), super::party_name(report, party.as_str()))
            }
            None => {
                let mut choices: Vec<(String, String)> = Vec::new();
                match blank {
                    Some(blank) => choices.push((String::new(), blank.to_owned())),
                    None => choices.push((String::new(), "Choose a party".to_owned())),
                }
                choices.extend(
                    report.party_details.iter().map(|party| (party.id.clone(), party.name.clone())),
                );
                let opts = Opts { required: blank.is_none(), ..Opts::default() };
                self.select(name, label, &choices, "", opts)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_from_other_sites_are_refused() {
        let headers = |pairs: &[(&'static str, &str)]| {
            let mut headers = HeaderMap::new();
            for (name, value) in pairs {
                headers.insert(*name, value.parse().unwrap());
            }
            headers
        };
        assert!(same_origin(&headers(&[("host", "127.0.0.1:8080")]), false));
        assert!(same_origin(
            &headers(&[("host", "127.0.0.1:8080"), ("origin", "http://127.0.0.1:8080")]),
            false
        ));
        assert!(same_origin(
            &headers(&[
                ("host", "parley.example"),
                ("referer", "https://parley.example/stances?x=1")
            ]),
            false
        ));
        assert!(!same_origin(
            &headers(&[("host", "127.0.0.1:8080"), ("origin", "http://evil.example")]),
            false
        ));
        assert!(!same_origin(&headers(&[("host", "127.0.0.1:8080"), ("origin", "null")]), false));
        assert!(!same_origin(&headers(&[("origin", "http://127.0.0.1:8080")]), false));
        // A client's own X-Forwarded-Host counts only behind a trusted proxy.
        let forwarded = headers(&[
            ("host", "127.0.0.1:8080"),
            ("x-forwarded-host", "evil.example"),
            ("origin", "http://evil.example"),
        ]);
        assert!(!same_origin(&forwarded, false));
        assert!(same_origin(&forwarded, true));
    }

    #[test]
    fn problems_are_shown_next_to_their_inputs() {
        let fields = Fields(vec![("issue".to_owned(), "nato".to_owned())]);
        let input = |form, path| input_for(form, path, &fields);
        assert_eq!(input(FormKind::Position, "date").as_deref(), Some("date"));
        assert_eq!(input(FormKind::Position, "stances.keep").as_deref(), Some("stances"));
        assert_eq!(input(FormKind::Position, "importance").as_deref(), Some("importance:nato"));
        assert_eq!(input(FormKind::Draft, "lineage[0].parent").as_deref(), Some("parents"));
        assert_eq!(input(FormKind::Claim, "disputes").as_deref(), Some("disputes"));
        assert_eq!(input(FormKind::Claim, "cites[0]"), None);
    }

    #[test]
    fn a_position_form_becomes_a_position() {
        let caller = Caller {
            user: parley_store::users::User {
                id: 1,
                name: "kyiv".to_owned(),
                role: Role::Delegate(Id::parse("ukraine").unwrap()),
                created_at: String::new(),
            },
            viewer: parley_model::access::Viewer::Party(Id::parse("ukraine").unwrap()),
        };
        let fields = Fields(
            [
                ("party", "russia"),
                ("issue", "donbas"),
                ("date", "2025-12-03"),
                ("importance:donbas", "critical"),
                ("stance:donbas:compromise", "workable"),
                ("stance:donbas:cede-all", ""),
                ("stance:donbas:no-cession", "0.9"),
                ("stance:nato:keep", "preferred"),
                ("visibility", "track:us-ukraine"),
                ("note", "  Kyiv's reading  "),
            ]
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect(),
        );
        let body = entity(FormKind::Position, &caller, &fields).unwrap();
        assert_eq!(
            body,
            json!({
                "party": "ukraine", "issue": "donbas", "date": "2025-12-03",
                "importance": "critical",
                "stances": { "compromise": "workable", "no-cession": 0.9 },
                "visibility": { "track": "us-ukraine" },
                "note": "Kyiv's reading",
            })
        );
    }
}
