//! Import and export from the browser.
//!
//! Export: the record as the caller may see it (a delegate's export holds only what it may
//! see), as a scenario file (TOML) or as the HTML report, now or as of a time.
//!
//! Import, for mediators: a scenario file (TOML), or a GENIUS or GeniusWeb folder uploaded as
//! a zip archive, read and checked as `parley db import` reads and checks a file; then a
//! preview of what would change (records added, changed, removed), and only on confirmation
//! one `import` event. The confirmation carries the scenario as TOML, read and checked again,
//! and a fingerprint of the record the preview was made from: a record changed in between is
//! not overwritten unseen.

use std::io::Read;

use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{Markup, html};
use parley_model::diagnostic::Diagnostic;
use parley_model::scenario::Scenario;
use parley_model::scenario_file::{read_scenario_bytes, write_scenario};
use parley_model::validate::ValidScenario;
use serde::Deserialize;

use super::{Page, PageError, PageQuery, layout_with, view_for};
use crate::auth::{Caller, PageCaller};
use crate::error::ApiError;
use crate::pages::forms::same_origin;
use crate::state::AppState;

/// The most bytes an uploaded file (a TOML file or a zip archive) may have.
pub(crate) const MAX_UPLOAD_BYTES: usize = 8 << 20;
/// The most entries an archive may hold.
pub(crate) const MAX_ARCHIVE_ENTRIES: usize = 256;
/// The most bytes an archive may hold once unpacked, all files together.
pub(crate) const MAX_UNPACKED_BYTES: u64 = 32 << 20;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/transfer", get(transfer_page))
        .route("/export/scenario.toml", get(export_scenario))
        .route("/export/report.html", get(export_report))
        .route(
            "/import/preview",
            post(preview)
                .get(|| async { Redirect::to("/transfer") })
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + (64 << 10))),
        )
        .route(
            "/import/confirm",
            post(confirm)
                .get(|| async { Redirect::to("/transfer") })
                // The scenario as TOML, form-encoded: up to three bytes for each.
                .layer(DefaultBodyLimit::max(3 * MAX_UPLOAD_BYTES + (64 << 10))),
        )
}

fn mediators_only(caller: &Caller) -> Result<(), PageError> {
    if caller.is_mediator() {
        Ok(())
    } else {
        Err(PageError(ApiError::forbidden("only mediators import into the record")))
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

/// What an import's form sent back: the problems, each with where it is.
#[derive(Default)]
struct Refused {
    file_name: String,
    problems: Vec<String>,
}

async fn transfer_page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let notice = match query.done.as_deref() {
        Some("imported") => {
            Some("Imported: the record is the file's now, as one event of the log.")
        }
        _ => None,
    };
    render_transfer(&state, &caller, &query, notice, None, StatusCode::OK).await
}

async fn render_transfer(
    state: &AppState,
    caller: &Caller,
    query: &PageQuery,
    notice: Option<&'static str>,
    refused: Option<&Refused>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let view = view_for(state, caller, query).await?;
    let report = view.record();
    let page = Page {
        caller,
        view: &view,
        report: &report,
        as_of: query.as_of.as_deref().filter(|as_of| !as_of.trim().is_empty()),
        notice,
    };
    let content = transfer_content(&page, refused);
    Ok((status, layout_with(&page, None, "Import and export", content)).into_response())
}

fn transfer_content(page: &Page<'_>, refused: Option<&Refused>) -> Markup {
    let whose = if page.caller.is_mediator() {
        "the whole record"
    } else {
        "the record as your role may see it: what others keep private is not in it"
    };
    html! {
        h1 { "Import and export" }
        section aria-labelledby="export-heading" {
            h2 #export-heading { "Export" }
            p { "Download " (whose) "." }
            ul {
                li { a href=(page.href("/export/scenario.toml")) download { "The record as a scenario file (TOML)" } }
                li { a href=(page.href("/export/report.html")) download { "The record as an HTML report" } }
            }
        }
        @if page.caller.is_mediator() && page.as_of.is_none() {
            section aria-labelledby="import-heading" {
                h2 #import-heading { "Import" }
                p {
                    "Replace the record by a scenario: a scenario file (TOML), or a GENIUS or GeniusWeb folder as a zip archive. "
                    "You see what would change before anything is recorded; the log keeps every earlier state."
                }
                @if let Some(refused) = refused {
                    div.form-error role="alert" {
                        "Nothing was imported: " (refused.file_name) " has " (refused.problems.len()) " problem(s)."
                    }
                }
                form.record.single method="post" action="/import/preview" enctype="multipart/form-data" {
                    div.field.invalid[refused.is_some()] {
                        label for="import-file" { "Scenario file or archive" }
                        input #import-file type="file" name="file" accept=".toml,.zip" required
                            aria-invalid=[refused.map(|_| "true")]
                            aria-describedby=(if refused.is_some() { "import-file-error import-file-hint" } else { "import-file-hint" });
                        p.muted #import-file-hint {
                            "At most " (MAX_UPLOAD_BYTES >> 20) " MiB; an archive at most " (MAX_ARCHIVE_ENTRIES)
                            " files and " (MAX_UNPACKED_BYTES >> 20) " MiB unpacked."
                        }
                        @if let Some(refused) = refused {
                            ul.field-error #import-file-error {
                                @for problem in &refused.problems { li { (problem) } }
                            }
                        }
                    }
                    div.actions { button.primary type="submit" { "Preview the import" } }
                }
            }
        }
    }
}

/// The headers of a download.
fn download(content_type: &'static str, file_name: &str, body: String) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

async fn export_scenario(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let view = view_for(&state, &caller, &query).await?;
    let text = write_scenario(view.scenario.scenario());
    let file_name = format!("{}.toml", safe_file_stem(&view.scenario.scenario().id));
    Ok(download("application/toml; charset=utf-8", &file_name, text))
}

async fn export_report(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let view = view_for(&state, &caller, &query).await?;
    let text = parley_report::html::render(&view.record());
    let file_name = format!("{}.html", safe_file_stem(&view.scenario.scenario().id));
    Ok(download("text/html; charset=utf-8", &file_name, text))
}

/// A scenario's id as a file name: letters, digits, `-` and `_` only.
fn safe_file_stem(id: &str) -> String {
    let stem: String = id
        .chars()
        .filter(|character| character.is_ascii_alphanumeric() || "-_".contains(*character))
        .take(64)
        .collect();
    if stem.is_empty() { "record".to_owned() } else { stem }
}

/// A scenario read from an upload, or the problems that stop it, each with its place.
fn read_upload(file_name: &str, bytes: &[u8]) -> Result<Scenario, Vec<String>> {
    let is_zip = bytes.starts_with(b"PK\x03\x04")
        || file_name.to_ascii_lowercase().ends_with(".zip")
        || bytes.starts_with(b"PK\x05\x06");
    let scenario = if is_zip {
        let files = unpack(bytes).map_err(|problem| vec![format!("{file_name}: {problem}")])?;
        read_folder_files(file_name, &files)?
    } else {
        // The checks of `parley db import`: the file read and validated as a whole.
        let loaded = read_scenario_bytes(bytes);
        match loaded.scenario {
            Some(scenario) => scenario.into_scenario(),
            None => return Err(errors(&loaded.diagnostics, file_name)),
        }
    };
    match ValidScenario::new(scenario) {
        Ok((valid, _warnings)) => Ok(valid.into_scenario()),
        Err(diagnostics) => Err(errors(&diagnostics, file_name)),
    }
}

fn errors(diagnostics: &[Diagnostic], file_name: &str) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.is_error())
        .map(|diagnostic| diagnostic.render(file_name))
        .collect()
}

/// The files of a zip archive, by name, within the limits; a file in a folder is named by
/// its path. Entries that would land outside the archive's folder (absolute paths, `..`)
/// refuse the whole archive, as do too many entries or too many bytes once unpacked,
/// whatever the archive's own headers say.
pub(crate) fn unpack(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|error| format!("not a zip archive: {error}"))?;
    if archive.len() > MAX_ARCHIVE_ENTRIES {
        return Err(format!(
            "the archive holds {} entries, expected at most {MAX_ARCHIVE_ENTRIES}",
            archive.len()
        ));
    }
    let mut files = Vec::new();
    let mut unpacked: u64 = 0;
    for index in 0..archive.len() {
        let mut entry = archive
            .by_index(index)
            .map_err(|error| format!("entry {index} cannot be read: {error}"))?;
        let raw_name = entry.name().to_owned();
        let Some(path) = entry.enclosed_name() else {
            return Err(format!("entry '{raw_name}' names a place outside the archive's folder"));
        };
        if entry.is_dir() {
            continue;
        }
        if entry.is_symlink() {
            return Err(format!("entry '{raw_name}' is a link, expected files only"));
        }
        let name = path.to_string_lossy().replace('\\', "/");
        // Read at most what is left of the budget, plus one byte to tell that it is over.
        let budget = MAX_UNPACKED_BYTES - unpacked;
        let mut content = Vec::new();
        (&mut entry)
            .take(budget + 1)
            .read_to_end(&mut content)
            .map_err(|error| format!("entry '{name}' cannot be unpacked: {error}"))?;
        unpacked += content.len() as u64;
        if unpacked > MAX_UNPACKED_BYTES {
            return Err(format!(
                "the archive unpacks to more than {} MiB, expected at most that",
                MAX_UNPACKED_BYTES >> 20
            ));
        }
        files.push((name, content));
    }
    Ok(files)
}

/// A GENIUS or GeniusWeb scenario from an archive's files: those of its top folder (the
/// archive's root, or the one folder everything is in), told apart by content as
/// `parley check FOLDER` tells them.
fn read_folder_files(
    archive_name: &str,
    files: &[(String, Vec<u8>)],
) -> Result<Scenario, Vec<String>> {
    // What archivers add beside the folder (macOS's resource forks) is not part of it.
    let files: Vec<&(String, Vec<u8>)> =
        files.iter().filter(|(name, _)| !name.starts_with("__MACOSX/")).collect();
    let top = common_folder(&files);
    let in_top: Vec<(String, &[u8])> = files
        .iter()
        .filter_map(|(name, bytes)| {
            let rest = name.strip_prefix(&top)?;
            (!rest.contains('/') && !rest.is_empty()).then(|| (name.clone(), bytes.as_slice()))
        })
        .filter(|(name, _)| !name.rsplit('/').next().unwrap_or_default().starts_with('.'))
        .collect();
    let fallback_id = {
        let folder = top.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
        let stem = archive_name.rsplit(['/', '\\']).next().unwrap_or_default();
        let stem = stem.strip_suffix(".zip").unwrap_or(stem);
        if folder.is_empty() { stem.to_owned() } else { folder.to_owned() }
    };
    let is_json = |name: &str| name.to_ascii_lowercase().ends_with(".json");
    let is_xml = |name: &str| name.to_ascii_lowercase().ends_with(".xml");
    let problem = |error: &dyn std::fmt::Display| vec![format!("{archive_name}: {error}")];
    if in_top.iter().any(|(name, _)| is_json(name)) && !in_top.iter().any(|(name, _)| is_xml(name))
    {
        let mut texts = Vec::new();
        for (name, bytes) in in_top.iter().filter(|(name, _)| is_json(name)) {
            let text = parley_genius::decode_file(name, bytes).map_err(|error| problem(&error))?;
            texts.push((name.clone(), text.to_owned()));
        }
        let scenario =
            parley_genius::geniusweb::parse_scenario(&texts).map_err(|error| problem(&error))?;
        return parley_genius::geniusweb::to_model(&scenario, &fallback_id)
            .map_err(|error| problem(&error));
    }
    let mut texts = Vec::new();
    for (name, bytes) in &in_top {
        // A file that is neither XML nor text is not part of the scenario.
        if let Ok((text, _warning)) = parley_genius::decode_genius_file(name, bytes) {
            texts.push((name.clone(), text.into_owned()));
        }
    }
    if texts.is_empty() {
        return Err(vec![format!(
            "{archive_name}: holds no scenario file, expected a GENIUS domain and profiles (.xml) or a GeniusWeb domain and profiles (.json)"
        )]);
    }
    let folder = parley_genius::read_folder(&texts, None).map_err(|error| problem(&error))?;
    let genius = folder.scenario(None).map_err(|error| problem(&error))?;
    parley_genius::to_model(&genius, &fallback_id).map_err(|error| problem(&error))
}

/// The folder every file is in (`name/`), or the root (``).
fn common_folder(files: &[&(String, Vec<u8>)]) -> String {
    let mut folders = files.iter().map(|(name, _)| match name.split_once('/') {
        Some((folder, _)) => format!("{folder}/"),
        None => String::new(),
    });
    let Some(first) = folders.next() else { return String::new() };
    if folders.all(|folder| folder == first) { first } else { String::new() }
}

/// What an import would change in one collection: ids (or, for positions, party, issue and
/// date) added, changed and removed.
pub(crate) struct Changes {
    pub(crate) collection: &'static str,
    pub(crate) added: Vec<String>,
    pub(crate) changed: Vec<String>,
    pub(crate) removed: Vec<String>,
}

/// The difference between the record and what an import would make it, collection by
/// collection.
pub(crate) fn changes(current: &Scenario, next: &Scenario) -> Vec<Changes> {
    fn compare<T: PartialEq>(
        collection: &'static str,
        current: &[T],
        next: &[T],
        key: impl Fn(&T) -> String,
    ) -> Changes {
        let mut changes =
            Changes { collection, added: Vec::new(), changed: Vec::new(), removed: Vec::new() };
        for record in next {
            match current.iter().find(|old| key(old) == key(record)) {
                None => changes.added.push(key(record)),
                Some(old) if old != record => changes.changed.push(key(record)),
                Some(_) => {}
            }
        }
        for record in current {
            if !next.iter().any(|new| key(new) == key(record)) {
                changes.removed.push(key(record));
            }
        }
        changes
    }
    vec![
        compare("parties", &current.parties, &next.parties, |party| party.id.to_string()),
        compare("issues", &current.issues, &next.issues, |issue| issue.id.to_string()),
        compare("tracks", &current.tracks, &next.tracks, |track| track.id.to_string()),
        compare("meetings", &current.meetings, &next.meetings, |meeting| meeting.id.to_string()),
        compare("drafts", &current.drafts, &next.drafts, |draft| draft.id.to_string()),
        compare("positions", &current.positions, &next.positions, |position| {
            match &position.date {
                Some(date) => format!("{} on {} at {date}", position.party, position.issue),
                None => format!("{} on {}", position.party, position.issue),
            }
        }),
        compare("claims", &current.claims, &next.claims, |claim| claim.id.to_string()),
        compare("sources", &current.sources, &next.sources, |source| source.id.to_string()),
        compare(
            "constraint utilities",
            &current.constraint_utilities,
            &next.constraint_utilities,
            |utility| utility.party.to_string(),
        ),
    ]
}

async fn preview(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    from_this_site(&state, &headers)?;
    mediators_only(&caller)?;
    let mut upload: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => {
                let refused = Refused {
                    file_name: "the upload".to_owned(),
                    problems: vec![format!(
                        "the upload cannot be read ({error}); a file has at most {} MiB",
                        MAX_UPLOAD_BYTES >> 20
                    )],
                };
                return refuse(&state, &caller, &refused).await;
            }
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("upload").to_owned();
        let bytes = match field.bytes().await {
            Ok(bytes) => bytes,
            Err(error) => {
                let refused = Refused {
                    file_name: name.clone(),
                    problems: vec![format!(
                        "{name} cannot be read ({error}); a file has at most {} MiB",
                        MAX_UPLOAD_BYTES >> 20
                    )],
                };
                return refuse(&state, &caller, &refused).await;
            }
        };
        upload = Some((name, bytes.to_vec()));
    }
    let Some((file_name, bytes)) = upload.filter(|(_, bytes)| !bytes.is_empty()) else {
        let refused = Refused {
            file_name: "the upload".to_owned(),
            problems: vec![
                "no file was chosen, expected a scenario file or a zip archive".to_owned(),
            ],
        };
        return refuse(&state, &caller, &refused).await;
    };
    let file_name: String =
        file_name.chars().filter(|character| !character.is_control()).take(200).collect();
    let scenario = match read_upload(&file_name, &bytes) {
        Ok(scenario) => scenario,
        Err(problems) => {
            let refused = Refused { file_name, problems };
            return refuse(&state, &caller, &refused).await;
        }
    };
    let current = match state.store().state(None).await {
        Ok(snapshot) => Some(snapshot),
        Err(parley_store::Error::Empty) => None,
        Err(error) => return Err(PageError(error.into())),
    };
    let empty = Scenario::default();
    let current_scenario = current.as_ref().map_or(&empty, |snapshot| snapshot.scenario.scenario());
    let base = record_fingerprint(current.as_ref().map(|snapshot| snapshot.scenario.scenario()));
    let changes = changes(current_scenario, &scenario);
    let text = write_scenario(&scenario);
    let view = view_for(&state, &caller, &PageQuery::default()).await?;
    let report = view.record();
    let page = Page { caller: &caller, view: &view, report: &report, as_of: None, notice: None };
    let n_changes: usize = changes
        .iter()
        .map(|change| change.added.len() + change.changed.len() + change.removed.len())
        .sum();
    let content = html! {
        h1 { "Preview the import" }
        p { "Importing " strong { (file_name) } " (“" (scenario.title) "”) would make the record the file's. Nothing is recorded until you confirm." }
        @if n_changes == 0 && scenario.id == current_scenario.id && scenario.title == current_scenario.title {
            p.notice role="status" { "The file holds the record as it is: importing it changes no record." }
        }
        div.scroll tabindex="0" role="region" aria-label="What would change" {
            table.people {
                caption { "What would change, by kind of record" }
                thead { tr { th scope="col" { "Records" } th scope="col" { "Added" } th scope="col" { "Changed" } th scope="col" { "Removed" } } }
                tbody {
                    @for change in &changes {
                        tr {
                            th scope="row" { (change.collection) }
                            @for list in [&change.added, &change.changed, &change.removed] {
                                td {
                                    @if list.is_empty() { "none" } @else {
                                        (list.len()) ": "
                                        (list.iter().take(12).cloned().collect::<Vec<_>>().join(", "))
                                        @if list.len() > 12 { ", …" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        form.record.single method="post" action="/import/confirm" {
            input type="hidden" name="base" value=(base);
            input type="hidden" name="file_name" value=(file_name);
            input type="hidden" name="scenario" value=(text);
            div.actions {
                button.primary type="submit" { "Import" }
                " " a href="/transfer" { "Cancel" }
            }
        }
    };
    Ok(layout_with(&page, None, "Preview the import", content).into_response())
}

async fn refuse(
    state: &AppState,
    caller: &Caller,
    refused: &Refused,
) -> Result<Response, PageError> {
    render_transfer(
        state,
        caller,
        &PageQuery::default(),
        None,
        Some(refused),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// What the record is, as the preview saw it: the SHA-256 of it as a scenario file (of
/// nothing, for an empty log). Changes of access leave it as it is.
fn record_fingerprint(scenario: Option<&Scenario>) -> String {
    use sha2::{Digest, Sha256};
    let text = scenario.map(write_scenario).unwrap_or_default();
    hex::encode(Sha256::digest(text.as_bytes()))
}

#[derive(Deserialize, Debug)]
struct ConfirmForm {
    base: Option<String>,
    file_name: Option<String>,
    scenario: Option<String>,
}

async fn confirm(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    headers: HeaderMap,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, PageError> {
    from_this_site(&state, &headers)?;
    mediators_only(&caller)?;
    let file_name = form.file_name.unwrap_or_else(|| "the file".to_owned());
    let text = form.scenario.unwrap_or_default();
    // Read and checked again: what is recorded is what is checked now, not what a page said.
    let scenario = match read_upload(&file_name, text.as_bytes()) {
        Ok(scenario) => scenario,
        Err(problems) => return refuse(&state, &caller, &Refused { file_name, problems }).await,
    };
    let current = match state.store().state(None).await {
        Ok(snapshot) => Some(snapshot),
        Err(parley_store::Error::Empty) => None,
        Err(error) => return Err(PageError(error.into())),
    };
    let base = record_fingerprint(current.as_ref().map(|snapshot| snapshot.scenario.scenario()));
    if form.base.as_deref() != Some(base.as_str()) {
        return Err(PageError(ApiError::new(
            StatusCode::CONFLICT,
            "the record changed since the preview was made: preview the import again",
        )));
    }
    match state.store().import(&caller.user.name, scenario).await {
        Ok(_) => Ok(Redirect::to("/transfer?done=imported").into_response()),
        Err(parley_store::Error::Invalid(diagnostics)) => {
            let problems = errors(&diagnostics, &file_name);
            refuse(&state, &caller, &Refused { file_name, problems }).await
        }
        Err(error) => Err(PageError(error.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            writer.start_file(*name, options).unwrap();
            writer.write_all(bytes).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn archives_unpack_within_their_folder_and_limits() {
        let files =
            unpack(&archive(&[("talks/a.xml", b"<a/>"), ("talks/b.xml", b"<b/>")])).unwrap();
        assert_eq!(
            files.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>(),
            ["talks/a.xml", "talks/b.xml"]
        );
        assert_eq!(common_folder(&files.iter().collect::<Vec<_>>()), "talks/");

        for name in ["../escape.xml", "/etc/passwd", "talks/../../escape.xml"] {
            let problem = unpack(&archive(&[(name, b"x")])).unwrap_err();
            assert!(problem.contains("outside the archive's folder"), "{name}: {problem}");
        }
        // A bomb: a small archive that unpacks past the limit is refused, whatever its
        // headers say, without unpacking it all.
        let zeros = vec![0u8; (MAX_UNPACKED_BYTES / 2 + 1) as usize];
        let bomb = archive(&[("a.xml", &zeros), ("b.xml", &zeros)]);
        assert!(bomb.len() < 1 << 20, "{}", bomb.len());
        let problem = unpack(&bomb).unwrap_err();
        assert!(problem.contains("unpacks to more than 32 MiB"), "{problem}");
        let many: Vec<(String, &[u8])> =
            (0..=MAX_ARCHIVE_ENTRIES).map(|index| (format!("{index}.xml"), &b"x"[..])).collect();
        let many: Vec<(&str, &[u8])> =
            many.iter().map(|(name, bytes)| (name.as_str(), *bytes)).collect();
        let problem = unpack(&archive(&many)).unwrap_err();
        assert!(problem.contains("257 entries, expected at most 256"), "{problem}");
        assert!(unpack(b"PK\x03\x04 not really").unwrap_err().starts_with("not a zip archive"));
    }

    #[test]
    fn an_upload_is_checked_as_db_import_checks_a_file() {
        let problems = read_upload("talks.toml", b"id = \"x\"\ntitle = 3\n").unwrap_err();
        assert!(problems.iter().all(|problem| problem.starts_with("talks.toml:")), "{problems:?}");
        assert!(problems.iter().any(|problem| problem.contains("talks.toml:2:")), "{problems:?}");
        let builtin =
            read_upload("talks.toml", parley_model::builtin::TALKS_2025_TOML.as_bytes()).unwrap();
        assert_eq!(builtin, crate::builtin_scenario());
        let problems = read_upload("empty.zip", &archive(&[("readme.txt", b"hello")])).unwrap_err();
        assert!(problems[0].contains("empty.zip"), "{problems:?}");
    }

    #[test]
    fn a_geniusweb_folder_in_an_archive_reads_as_a_scenario() {
        let domain = r#"{"name": "rental", "issuesValues": {"car": {"values": ["small", "van"]}}}"#;
        let profile = |name: &str, small: &str, van: &str| {
            format!(
                r#"{{"LinearAdditiveUtilitySpace": {{"name": "{name}", "domain": {domain},
  "issueUtilities": {{"car": {{"DiscreteValueSetUtilities": {{"valueUtilities": {{"small": {small}, "van": {van}}}}}}}}},
  "issueWeights": {{"car": 1}}, "reservationBid": null}}}}"#
            )
        };
        let (customer, agency) = (profile("customer", "1", "0"), profile("agency", "0", "1"));
        let zip = archive(&[
            ("rental/rental.json", domain.as_bytes()),
            ("rental/customer.json", customer.as_bytes()),
            ("rental/agency.json", agency.as_bytes()),
            ("rental/.DS_Store", b"\0\x01"),
            ("__MACOSX/rental/._rental.json", b"\0\x05"),
        ]);
        let scenario = read_upload("rental.zip", &zip).unwrap();
        assert_eq!(scenario.id, "rental");
        let mut parties: Vec<String> =
            scenario.parties.iter().map(|party| party.id.to_string()).collect();
        parties.sort();
        assert_eq!(parties, ["agency", "customer"]);
        // A profile that names a value the domain lacks: the file and the field are named.
        let broken = profile("agency", "0", "1").replace("\"van\": 1", "\"truck\": 1");
        let zip = archive(&[
            ("rental/rental.json", domain.as_bytes()),
            ("rental/customer.json", customer.as_bytes()),
            ("rental/agency.json", broken.as_bytes()),
        ]);
        let problems = read_upload("rental.zip", &zip).unwrap_err();
        assert!(problems[0].starts_with("rental.zip: "), "{problems:?}");
        assert!(problems[0].contains("agency.json"), "{problems:?}");
    }

    #[test]
    fn the_preview_names_what_is_added_changed_and_removed() {
        let current = crate::builtin_scenario();
        let mut next = current.clone();
        let removed = next.claims.remove(0).id.to_string();
        next.drafts[0].title.push_str(" (edited)");
        let changed = next.drafts[0].id.to_string();
        let changes = changes(&current, &next);
        let of = |name: &str| changes.iter().find(|change| change.collection == name).unwrap();
        assert_eq!(of("claims").removed, [removed]);
        assert_eq!(of("drafts").changed, [changed]);
        assert!(of("parties").added.is_empty() && of("parties").changed.is_empty());
        let from_nothing = super::changes(&Scenario::default(), &current);
        assert_eq!(of("parties").collection, "parties");
        assert_eq!(
            from_nothing.iter().find(|change| change.collection == "parties").unwrap().added.len(),
            current.parties.len()
        );
    }
}
