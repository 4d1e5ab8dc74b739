//! `/records`: a form for every field of every kind of record (sources, parties, issues,
//! tracks, meetings, drafts, claims; positions have theirs on /stances), to record a new one
//! (`/records/{kind}`) or change one (`/records/{kind}/{id}`).
//!
//! A form is a list of [`spec::Item`]s whose inputs are named by their paths in the entity
//! (`points[0].brackets`), so what was sent becomes the entity in the file's shape
//! ([`values::build`]) and goes through the API's own write path ([`api::create_entity`],
//! [`api::update_entity`]): the same rights, the same checks, one event or none. A problem the
//! model finds at a path is shown at the input of that name, listed in a summary at the top
//! with a link to it, and the first such input takes the focus.
//!
//! Repeatable rows (a draft's points, its lineage, citations, a party's delegates) need no
//! script: each group shows its rows and a spare blank one, an "Add" button sends the form back
//! with one row more, and a row left blank is left out. A draft's form shows its difference
//! from its parents (the server's diff, [`crate::diff`]): as it is typed, where scripts run
//! (`page.js` posts the form to `/records/draft-preview`), or with a button.

mod spec;
mod values;

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{Markup, html};
use parley_model::Id;
use parley_model::access::Viewer;
use parley_model::change::Collection;
use parley_model::scenario::Scenario;
use serde_json::Value;

use self::spec::{Choices, Control, Field, Item, RecordKind};
use self::values::{build, flatten, input_for, row_indices};
use super::forms::{Fields, same_origin};
use super::{Nav, Page, PageError, PageQuery, layout, notice};
use crate::api;
use crate::auth::{Caller, PageCaller, encode_component};
use crate::entities::{self, Kind};
use crate::error::ApiError;
use crate::state::{AppState, View};
use parley_report::diff::draft_diff;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/records", get(index))
        .route("/records/draft-preview", post(preview))
        .route("/records/{kind}", get(new_form).post(create))
        .route("/records/{kind}/{id}", get(edit_form).post(update))
}

/// Whether a viewer may change a record it sees: the API's own rule.
fn may_edit(viewer: &Viewer, view: &Scenario, kind: RecordKind, id: &Id) -> bool {
    let Some(collection) = kind.collection() else { return false };
    entities::only(view, collection, id).is_some_and(|one| {
        entities::authorize(viewer, view, Kind::Entity(collection), &one, true).is_ok()
    })
}

fn kind_of(key: &str) -> Result<RecordKind, PageError> {
    RecordKind::from_key(key).ok_or_else(|| PageError(ApiError::not_found("kind of record", key)))
}

fn refuse_observers(caller: &Caller) -> Result<(), PageError> {
    match caller.viewer {
        Viewer::Observer => Err(PageError(ApiError::forbidden("observers cannot record changes"))),
        _ => Ok(()),
    }
}

fn may_create(caller: &Caller, kind: RecordKind) -> Result<(), PageError> {
    refuse_observers(caller)?;
    if kind.may_create(&caller.viewer) {
        return Ok(());
    }
    Err(PageError(ApiError::forbidden(format!("only a mediator can record {}", kind.key()))))
}

fn check_edit(caller: &Caller, view: &View, kind: RecordKind, id: &str) -> Result<Id, PageError> {
    refuse_observers(caller)?;
    let scenario = view.scenario.scenario();
    let id = Id::parse(id)
        .ok()
        .filter(|id| {
            kind.collection()
                .is_some_and(|collection| entities::ids(scenario, collection).contains(&id))
        })
        .ok_or_else(|| PageError(ApiError::not_found(kind.singular(), id)))?;
    if !may_edit(&caller.viewer, scenario, kind, &id) {
        return Err(PageError(ApiError::forbidden(format!(
            "you may see this {} but not change it",
            kind.singular()
        ))));
    }
    Ok(id)
}

async fn index(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let view = state.view(&caller.viewer, None).await?;
    let report = view.record();
    let page = Page {
        caller: &caller,
        view: &view,
        report: &report,
        as_of: None,
        notice: notice(query.done.as_deref()),
    };
    let scenario = view.scenario.scenario();
    let observer = caller.viewer == Viewer::Observer;
    let content = html! {
        h1 { "Record" }
        p.lead { "Every kind of record, with a form for each of its fields. You change only what your role allows." }
        @if observer { p.muted { "Observers read the record; they do not change it." } }
        @for kind in RecordKind::ALL {
            @let ids = kind.collection().map(|collection| entities::ids(scenario, collection)).unwrap_or_default();
            section id=(format!("records-{}", kind.key())) {
                h2 { (kind.plural_title()) " (" (ids.len()) ")" }
                @if kind.may_create(&caller.viewer) {
                    p { a.button href=(format!("/records/{}", kind.key())) { "New " (kind.singular()) } }
                }
                @if !ids.is_empty() {
                    ul.records {
                        @for id in &ids {
                            li {
                                (entity_title(scenario, kind, id)) " " code.small { (id) }
                                @if may_edit(&caller.viewer, scenario, kind, id) {
                                    " · " a href=(format!("/records/{}/{}", kind.key(), encode_component(id.as_str()))) {
                                        "Edit" span.visually-hidden { " " (entity_title(scenario, kind, id)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        section #records-positions {
            h2 { "Positions" }
            @if RecordKind::Position.may_create(&caller.viewer) {
                p { a.button href="/records/positions" { "New position" } }
            }
            p { "A party's positions over time are on " a href="/stances" { "the stances page" } "; a new one is recorded for a later date." }
        }
    };
    Ok(layout(&page, Nav::Record, "Record", content).into_response())
}

/// How a record is named in lists.
fn entity_title(scenario: &Scenario, kind: RecordKind, id: &Id) -> String {
    let found = match kind {
        RecordKind::Position => None,
        RecordKind::Source => {
            scenario.sources.iter().find(|e| &e.id == id).map(|e| e.title.clone())
        }
        RecordKind::Party => scenario.parties.iter().find(|e| &e.id == id).map(|e| e.name.clone()),
        RecordKind::Issue => scenario.issues.iter().find(|e| &e.id == id).map(|e| e.title.clone()),
        RecordKind::Track => scenario.tracks.iter().find(|e| &e.id == id).map(|e| e.name.clone()),
        RecordKind::Meeting => scenario.meetings.iter().find(|e| &e.id == id).map(|e| {
            if e.title.is_empty() { format!("Meeting on {}", e.track) } else { e.title.clone() }
        }),
        RecordKind::Draft => scenario.drafts.iter().find(|e| &e.id == id).map(|e| e.title.clone()),
        RecordKind::Claim => {
            scenario.claims.iter().find(|e| &e.id == id).map(|e| e.statement.clone())
        }
    };
    found.unwrap_or_else(|| id.to_string())
}

/// A form as shown: its values, how many rows each group shows, and its problems.
struct FormState {
    values: Fields,
    /// Rows each group showed when the form was sent (`rows:points`).
    shown: HashMap<String, usize>,
    /// The group whose "Add" button was pressed.
    add: Option<String>,
    /// Problems, in the order found: the input at fault (when one is) and the message.
    problems: Vec<(Option<String>, String)>,
    /// The draft's difference from its parents, when asked for without a script.
    preview: Option<Markup>,
}

impl FormState {
    fn fresh(values: Fields) -> FormState {
        FormState { values, shown: HashMap::new(), add: None, problems: Vec::new(), preview: None }
    }

    /// What was sent, read along the form: blank rows left out.
    fn sent(items: &[Item], raw: &Fields) -> FormState {
        let body = build(items, raw);
        let shown = raw
            .0
            .iter()
            .filter_map(|(name, value)| {
                Some((name.strip_prefix("rows:")?.to_owned(), value.trim().parse().ok()?))
            })
            .collect();
        FormState {
            values: flatten(items, &body),
            shown,
            add: raw.get("add").map(str::to_owned),
            problems: Vec::new(),
            preview: None,
        }
    }

    /// The rows a group shows: those filled, a blank one to fill, at least as many as before.
    fn rows(&self, full: &str, min_rows: usize) -> usize {
        let filled = row_indices(&self.values, full).last().map_or(0, |last| last + 1);
        let spare = usize::from(filled > 0 && filled >= min_rows);
        let rows = (filled + spare).max(min_rows).max(self.shown.get(full).copied().unwrap_or(0));
        rows + usize::from(self.add.as_deref() == Some(full))
    }

    /// Every input's name and how it reads in a summary, in the form's order.
    fn inputs(&self, items: &[Item], prefix: &str, context: &str, out: &mut Vec<(String, String)>) {
        for item in items {
            match item {
                Item::Field(field) => {
                    let label = match context {
                        "" => field.label.clone(),
                        context => format!("{context} · {}", field.label),
                    };
                    out.push((format!("{prefix}{}", field.name), label));
                }
                Item::Part { items, .. } => self.inputs(items, prefix, context, out),
                Item::Group(group) => {
                    let full = format!("{prefix}{}", group.name);
                    for idx in 0..self.rows(&full, group.min_rows) {
                        let row = format!("{} {}", group.row, idx + 1);
                        let context =
                            if context.is_empty() { row } else { format!("{context} · {row}") };
                        self.inputs(&group.items, &format!("{full}[{idx}]."), &context, out);
                    }
                }
            }
        }
    }

    fn errors(&self, name: &str) -> Vec<&str> {
        self.problems
            .iter()
            .filter(|(input, _)| input.as_deref() == Some(name))
            .map(|(_, message)| message.as_str())
            .collect()
    }

    fn first_error(&self) -> Option<&str> {
        self.problems.iter().find_map(|(input, _)| input.as_deref())
    }
}

/// An input's id: its name with what ids do not hold made dashes.
fn input_id(name: &str) -> String {
    let mut id = String::from("f-");
    for ch in name.chars() {
        id.push(if ch.is_ascii_alphanumeric() || ch == '_' { ch } else { '-' });
    }
    id
}

fn render_items(state: &FormState, items: &[Item], prefix: &str) -> Markup {
    html! {
        @for item in items {
            @match item {
                Item::Field(field) => (render_field(state, field, &format!("{prefix}{}", field.name))),
                Item::Part { legend, items } => {
                    fieldset.part {
                        legend { (legend) }
                        div.grid { (render_items(state, items, prefix)) }
                    }
                }
                Item::Group(group) => {
                    @let full = format!("{prefix}{}", group.name);
                    @let rows = state.rows(&full, group.min_rows);
                    fieldset.group id=(input_id(&full)) {
                        legend { (group.label) }
                        p.hint { "A row left blank is left out." }
                        @for idx in 0..rows {
                            fieldset.row {
                                legend { (group.row) " " (idx + 1) }
                                div.grid { (render_items(state, &group.items, &format!("{full}[{idx}]."))) }
                            }
                        }
                        input type="hidden" name=(format!("rows:{full}")) value=(rows);
                        button.add type="submit" name="add" value=(full) formnovalidate {
                            "Add a row: " (group.row.to_lowercase())
                        }
                    }
                }
            }
        }
    }
}

fn render_field(state: &FormState, field: &Field, name: &str) -> Markup {
    let id = input_id(name);
    let errors = state.errors(name);
    let invalid = !errors.is_empty();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described: Vec<&str> =
        [field.hint.as_ref().map(|_| hint_id.as_str()), invalid.then_some(error_id.as_str())]
            .into_iter()
            .flatten()
            .collect();
    let described = (!described.is_empty()).then(|| described.join(" "));
    let focus = state.first_error() == Some(name);
    let value = state.values.get(name).unwrap_or_default().to_owned();
    let all: Vec<&str> = state.values.all(name).collect();
    let wide = matches!(
        field.control,
        Control::Area | Control::Lines | Control::Pairs | Control::Checks(_)
    );
    let required_mark =
        html! { @if field.required { " " span.required aria-hidden="true" { "(required)" } } };
    let control = match &field.control {
        Control::Text | Control::Date | Control::Number | Control::List => {
            let (kind, mode) = match field.control {
                Control::Date => ("date", None),
                Control::Number => ("text", Some("decimal")),
                _ => ("text", None),
            };
            html! {
                input id=(id) type=(kind) name=(name) value=(value) inputmode=[mode]
                    required[field.required] aria-invalid=[invalid.then_some("true")]
                    aria-describedby=[described.as_deref()] autofocus[focus];
            }
        }
        Control::Suggest(suggestions) => {
            let list = format!("{id}-list");
            html! {
                input id=(id) type="text" name=(name) value=(value) list=(list)
                    aria-invalid=[invalid.then_some("true")]
                    aria-describedby=[described.as_deref()] autofocus[focus];
                datalist id=(list) { @for suggestion in suggestions { option value=(suggestion) {} } }
            }
        }
        Control::Area | Control::Lines | Control::Pairs => {
            let text = if matches!(field.control, Control::Lines | Control::Pairs) {
                state.values.0.iter().find(|(key, _)| key == name).map_or("", |(_, v)| v.as_str())
            } else {
                value.as_str()
            };
            html! {
                textarea id=(id) name=(name) rows="3" required[field.required]
                    aria-invalid=[invalid.then_some("true")] aria-describedby=[described.as_deref()]
                    autofocus[focus] { (text) }
            }
        }
        Control::Select(choices) => html! {
            select id=(id) name=(name) required[field.required] aria-invalid=[invalid.then_some("true")]
                aria-describedby=[described.as_deref()] autofocus[focus] {
                @for (choice, label) in choices {
                    option value=(choice) selected[*choice == value] { (label) }
                }
                // A value sent that is not among the choices stays, so that nothing typed is lost.
                @if !value.is_empty() && !choices.iter().any(|(choice, _)| *choice == value) {
                    option value=(value) selected { (value) }
                }
            }
        },
        Control::Checks(choices) => {
            return html! {
                fieldset.checks-field.invalid[invalid] id=(id) aria-describedby=[described.as_deref()] {
                    legend { (field.label) (required_mark) }
                    @if choices.is_empty() { p.muted.small { "None recorded yet." } }
                    div.checks {
                        @for (idx, (choice, label)) in choices.iter().enumerate() {
                            label {
                                input type="checkbox" id=(format!("{id}-{idx}")) name=(name) value=(choice)
                                    checked[all.contains(&choice.as_str())]
                                    aria-invalid=[invalid.then_some("true")]
                                    aria-describedby=[(idx == 0).then_some(described.as_deref()).flatten()]
                                    autofocus[focus && idx == 0];
                                (label)
                            }
                        }
                    }
                    @if let Some(hint) = &field.hint { p.hint id=(hint_id) { (hint) } }
                    @for error in &errors { p.field-error id=(error_id) { (error) } }
                }
            };
        }
        Control::Fixed(shown) => {
            return html! {
                div.field {
                    span.label id=(format!("{id}-label")) { (field.label) }
                    div.fixed id=(id) aria-labelledby=(format!("{id}-label")) { (shown) }
                    input type="hidden" name=(name) value=(value);
                }
            };
        }
    };
    html! {
        div.field.invalid[invalid].wide[wide] {
            label for=(id) { (field.label) (required_mark) }
            (control)
            @if let Some(hint) = &field.hint { p.hint id=(hint_id) { (hint) } }
            @for error in &errors { p.field-error id=(error_id) { (error) } }
        }
    }
}

/// The summary of a form's problems, each linked to its input.
fn error_summary(state: &FormState, labels: &[(String, String)]) -> Markup {
    let count = state.problems.len();
    html! {
        @if count > 0 {
            div.error-summary role="alert" aria-labelledby="error-summary-title" {
                h2 #error-summary-title {
                    "The record was not changed: " (count) @if count == 1 { " problem" } @else { " problems" }
                }
                ul {
                    @for (input, message) in &state.problems {
                        li {
                            @match input {
                                Some(input) => {
                                    @let label = labels.iter().find(|(name, _)| name == input).map_or(input.as_str(), |(_, label)| label.as_str());
                                    a href=(format!("#{}", input_id(input))) { (label) } ": " (message)
                                }
                                None => (message),
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The page of a form.
fn form_page(
    page: &Page<'_>,
    kind: RecordKind,
    editing: Option<&Id>,
    items: &[Item],
    state: &FormState,
) -> Markup {
    let scenario = page.view.scenario.scenario();
    let action = match editing {
        Some(id) => format!("/records/{}/{}", kind.key(), encode_component(id.as_str())),
        None => format!("/records/{}", kind.key()),
    };
    let title = match editing {
        Some(id) => format!("Change {}: {}", kind.singular(), entity_title(scenario, kind, id)),
        None => format!("New {}", kind.singular()),
    };
    let mut labels = Vec::new();
    state.inputs(items, "", "", &mut labels);
    let draft = kind == RecordKind::Draft;
    let content = html! {
        p.crumbs { a href="/records" { "← Record" } }
        h1 { (title) }
        p.lead {
            "Fields marked required must be filled; the others may be left empty. "
            "What you send is checked as a whole: nothing is recorded unless all of it can be."
        }
        (error_summary(state, &labels))
        form.record.full method="post" action=(action) novalidate
            data-preview=[draft.then_some("/records/draft-preview")] data-preview-target=[draft.then_some("draft-preview")] {
            // The first button is the one Enter presses: record, not add a row.
            button.default-submit type="submit" tabindex="-1" aria-hidden="true" { "Record" }
            (render_items(state, items, ""))
            div.actions {
                button.primary type="submit" {
                    @if editing.is_some() { "Save the " (kind.singular()) } @else { "Record the " (kind.singular()) }
                }
                @if draft {
                    button type="submit" name="preview" value="1" formnovalidate { "Show the difference from its parents" }
                }
                a href="/records" { "Cancel" }
            }
        }
        @if draft {
            section #draft-preview-section {
                h2 { "Difference from its parents" }
                div #draft-preview aria-live="polite" {
                    @match &state.preview {
                        Some(preview) => (preview),
                        None => p.muted { "Tick the drafts it revises: the difference shows here as you type (or with the button above)." },
                    }
                }
            }
        }
    };
    layout(page, Nav::Record, &title, content)
}

async fn new_form(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(key): Path<String>,
) -> Result<Response, PageError> {
    let kind = kind_of(&key)?;
    may_create(&caller, kind)?;
    let view = state.view(&caller.viewer, None).await?;
    let choices = Choices::new(&caller.viewer, view.scenario.scenario());
    let items = choices.spec(kind, None);
    let form = FormState::fresh(Fields(choices.defaults(kind)));
    Ok(render(&caller, &view, kind, None, &items, &form, StatusCode::OK))
}

async fn edit_form(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((key, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let kind = kind_of(&key)?;
    let view = state.view(&caller.viewer, None).await?;
    let id = check_edit(&caller, &view, kind, &id)?;
    let scenario = view.scenario.scenario();
    let choices = Choices::new(&caller.viewer, scenario);
    let items = choices.spec(kind, Some(id.as_str()));
    let entity = kind
        .collection()
        .and_then(|collection| entities::entity_json(scenario, collection, &id))
        .ok_or_else(|| PageError(ApiError::not_found(kind.singular(), id.as_str())))?;
    let mut form = FormState::fresh(flatten(&items, &entity));
    if kind == RecordKind::Draft {
        let page_report = view.record();
        let page = page_for(&caller, &view, &page_report);
        form.preview = Some(preview_markup(&page, scenario, &entity));
    }
    Ok(render(&caller, &view, kind, Some(&id), &items, &form, StatusCode::OK))
}

fn page_for<'a>(
    caller: &'a Caller,
    view: &'a View,
    report: &'a parley_report::schema::Report,
) -> Page<'a> {
    Page { caller, view, report, as_of: None, notice: None }
}

fn render(
    caller: &Caller,
    view: &View,
    kind: RecordKind,
    editing: Option<&Id>,
    items: &[Item],
    form: &FormState,
    status: StatusCode,
) -> Response {
    let report = view.record();
    let page = page_for(caller, view, &report);
    (status, form_page(&page, kind, editing, items, form)).into_response()
}

async fn create(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    headers: HeaderMap,
    Path(key): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let kind = kind_of(&key)?;
    submit(&state, &caller, &headers, kind, None, Fields(fields)).await
}

async fn update(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    headers: HeaderMap,
    Path((key, id)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let kind = kind_of(&key)?;
    submit(&state, &caller, &headers, kind, Some(id), Fields(fields)).await
}

/// A form sent: rows added, the difference shown, or the record written; or the form again
/// with its problems at their inputs.
async fn submit(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    kind: RecordKind,
    editing: Option<String>,
    raw: Fields,
) -> Result<Response, PageError> {
    if !same_origin(headers, state.inner.options.trust_proxy) {
        return Err(PageError(ApiError::forbidden(
            "the form was sent from a page of another site: open the page here and send it again",
        )));
    }
    let view = state.view(&caller.viewer, None).await?;
    let editing = match &editing {
        Some(id) => Some(check_edit(caller, &view, kind, id)?),
        None => {
            may_create(caller, kind)?;
            None
        }
    };
    let scenario = view.scenario.scenario();
    let choices = Choices::new(&caller.viewer, scenario);
    let items = choices.spec(kind, editing.as_ref().map(Id::as_str));
    let body = build(&items, &raw);
    let mut form = FormState::sent(&items, &raw);
    if form.add.is_some() {
        return Ok(render(caller, &view, kind, editing.as_ref(), &items, &form, StatusCode::OK));
    }
    if kind == RecordKind::Draft && raw.get("preview").is_some() {
        let report = view.record();
        let page = page_for(caller, &view, &report);
        form.preview = Some(preview_markup(&page, scenario, &body));
        return Ok(render(caller, &view, kind, editing.as_ref(), &items, &form, StatusCode::OK));
    }
    let result = match (&editing, kind.collection()) {
        (Some(id), Some(collection)) => {
            api::update_entity(state, caller, collection, id, body).await
        }
        _ => api::create_entity(state, caller, kind.api_kind(), body).await,
    };
    let error = match result {
        Ok(_) => {
            return Ok(Redirect::to(&format!("/records?done={}", kind.singular())).into_response());
        }
        Err(error) => error,
    };
    let mut names = Vec::new();
    form.inputs(&items, "", "", &mut names);
    let names: Vec<String> = names.into_iter().map(|(name, _)| name).collect();
    let located = |field: Option<&str>, message: &str| {
        input_for(&problem_path(field.unwrap_or_default(), message), &names)
    };
    form.problems = if error.problems.is_empty() {
        vec![(located(error.field.as_deref(), &error.message), error.message.clone())]
    } else {
        error
            .problems
            .iter()
            .map(|problem| {
                let input = located(Some(problem.field.as_str()), &problem.message);
                let message = match (&input, problem.field.as_str()) {
                    (None, field) if !field.is_empty() => format!("{field}: {}", problem.message),
                    _ => problem.message.clone(),
                };
                (input, message)
            })
            .collect()
    };
    // Over-long texts and throttling are no field's: the status says what they are.
    let status =
        if error.status.is_success() { StatusCode::UNPROCESSABLE_ENTITY } else { error.status };
    if status == StatusCode::FORBIDDEN && form.problems.iter().all(|(input, _)| input.is_none()) {
        return Err(PageError(error));
    }
    Ok(render(caller, &view, kind, editing.as_ref(), &items, &form, status))
}

/// The path of the field a problem is about: a table that lacks a field (`missing field
/// `title``, at the table's path) is a problem of that field.
fn problem_path(field: &str, message: &str) -> String {
    match message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
        Some(name) if field.is_empty() => name.to_owned(),
        Some(name) => format!("{field}.{name}"),
        None => field.to_owned(),
    }
}

/// The placeholder id of a draft being typed that has none yet.
const TYPED_DRAFT: &str = "this-draft";

/// The difference of a draft being typed (in the file's shape) from each of its parents, in
/// the caller's view with the draft put in.
fn preview_markup(page: &Page<'_>, view: &Scenario, body: &Value) -> Markup {
    let mut body = body.clone();
    let id = body
        .get("id")
        .and_then(Value::as_str)
        .and_then(|id| Id::parse(id).ok())
        .unwrap_or_else(|| Id::parse(TYPED_DRAFT).expect("a valid id"));
    entities::set_id(&mut body, &id);
    let fragment = match entities::parse_entity(Kind::Entity(Collection::Drafts), &body) {
        Ok(fragment) => fragment,
        Err(error) => {
            return html! { p.muted { "The difference shows once the draft reads: " (error.message) } };
        }
    };
    let mut scenario = view.clone();
    scenario.drafts.retain(|draft| draft.id != id);
    scenario.drafts.extend(fragment.scenario.drafts);
    let parents = scenario.drafts.last().map(|draft| draft.parents.clone()).unwrap_or_default();
    html! {
        @if parents.is_empty() {
            p.muted { "It revises no draft: tick its parents to see what it changes." }
        }
        @for parent in &parents {
            @match draft_diff(&scenario, parent.as_str(), id.as_str()) {
                Ok(diff) => (super::drafts::diff_section(page, parent.as_str(), id.as_str(), &diff)),
                Err(error) => p.form-error { (error.to_string()) },
            }
        }
    }
}

/// `POST /records/draft-preview`: the difference of the draft form's contents from its
/// parents, as a fragment of HTML for the form's script.
async fn preview(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    if !same_origin(&headers, state.inner.options.trust_proxy) {
        return Err(PageError(ApiError::forbidden(
            "the form was sent from a page of another site",
        )));
    }
    refuse_observers(&caller)?;
    let view = state.view(&caller.viewer, None).await?;
    let scenario = view.scenario.scenario();
    let choices = Choices::new(&caller.viewer, scenario);
    let editing = fields.iter().find(|(name, _)| name == "id").map(|(_, id)| id.clone());
    let items = choices.spec(RecordKind::Draft, editing.as_deref());
    let body = build(&items, &Fields(fields));
    let report = view.record();
    let page = page_for(&caller, &view, &report);
    let markup = preview_markup(&page, scenario, &body);
    let mut response = markup.into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    Ok(response)
}
