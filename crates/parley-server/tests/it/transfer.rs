//! Import and export through the router: a delegate's export is its view; an import is
//! previewed, then recorded once confirmed; bad files, stale previews, other sites and other
//! roles are refused, and nothing is written then.

use std::io::Write;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use parley_model::access::Viewer;
use parley_model::scenario_file::{read_scenario, write_scenario};

use crate::harness::{TestServer, Who};

const SITE: &str = "http://parley.test";

/// A multipart post of one file, as a browser sends the import form.
fn upload(path: &str, token: &str, origin: &str, file_name: &str, bytes: &[u8]) -> Request<Body> {
    let boundary = "----parley-test-boundary-5f1c";
    let mut body = Vec::new();
    write!(
        body,
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .unwrap();
    body.extend_from_slice(bytes);
    write!(body, "\r\n--{boundary}--\r\n").unwrap();
    Request::post(path)
        .header(header::HOST, "parley.test")
        .header(header::ORIGIN, origin)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap()
}

fn confirm(token: &str, origin: &str, fields: &[(&str, &str)]) -> Request<Body> {
    let body: Vec<String> = fields
        .iter()
        .map(|(name, value)| {
            format!(
                "{name}={}",
                value.bytes().map(|byte| format!("%{byte:02X}")).collect::<String>()
            )
        })
        .collect();
    Request::post("/import/confirm")
        .header(header::HOST, "parley.test")
        .header(header::ORIGIN, origin)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.join("&")))
        .unwrap()
}

/// The value of a hidden input of a page, unescaped.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).unwrap_or_else(|| panic!("no {name} in {page}")) + marker.len();
    let end = start + page[start..].find('"').unwrap();
    page[start..end]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

async fn n_events(server: &TestServer) -> usize {
    server.store.events(0, 1000).await.unwrap().len()
}

fn archive(entries: &[(&str, &str)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, text) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(text.as_bytes()).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

#[tokio::test]
async fn each_role_exports_what_it_may_see() {
    for server in TestServer::all().await {
        for (who, viewer) in [
            (Who::Mediator, Viewer::Mediator),
            (Who::Russia, Viewer::Party(parley_model::Id::parse("russia").unwrap())),
            (Who::Observer, Viewer::Observer),
        ] {
            let answer = server.call_as(who, Method::GET, "/export/scenario.toml", None).await;
            assert_eq!(answer.status, StatusCode::OK, "{who:?}");
            assert!(answer.header("content-disposition").unwrap().starts_with("attachment;"));
            let seen = server.store.state_for(&viewer, None).await.unwrap();
            assert_eq!(answer.text, write_scenario(seen.scenario.scenario()), "{who:?}");
            let read = read_scenario(&answer.text);
            assert!(read.scenario.is_some(), "{who:?}: {:?}", read.diagnostics);

            let report = server.call_as(who, Method::GET, "/export/report.html", None).await;
            assert_eq!(report.status, StatusCode::OK);
            assert!(report.header("content-type").unwrap().starts_with("text/html"));
            assert!(report.text.starts_with("<!DOCTYPE html>"), "{}", &report.text[..100]);
        }
        let mediator =
            server.call_as(Who::Mediator, Method::GET, "/export/scenario.toml", None).await;
        let russia = server.call_as(Who::Russia, Method::GET, "/export/scenario.toml", None).await;
        assert_ne!(mediator.text, russia.text, "the built-in record keeps things private");
        let anonymous =
            server.call_as(Who::Anonymous, Method::GET, "/export/scenario.toml", None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
        // The page offers the import to mediators only.
        let page = server.call_as(Who::Russia, Method::GET, "/transfer", None).await;
        assert!(
            page.text.contains("/export/scenario.toml") && !page.text.contains("/import/preview")
        );
        let page = server.call_as(Who::Mediator, Method::GET, "/transfer", None).await;
        assert!(page.text.contains("action=\"/import/preview\""));
        assert!(page.text.contains("<label for=\"import-file\">"));
    }
}

#[tokio::test]
async fn an_import_is_previewed_then_recorded_once_confirmed() {
    for server in TestServer::all().await {
        let mut next = parley_server::builtin_scenario();
        // A claim that no other record names.
        let builtin = parley_model::builtin::TALKS_2025_TOML;
        let lone = next
            .claims
            .iter()
            .position(|claim| builtin.matches(&format!("\"{}\"", claim.id)).count() == 1)
            .expect("a claim no record names");
        let removed = next.claims.remove(lone).id.to_string();
        let edited = next.drafts[1].id.to_string();
        next.drafts[1].title = "An edited title".to_owned();
        let text = write_scenario(&next);
        let before = n_events(&server).await;

        let preview = server
            .send(upload("/import/preview", &server.mediator, SITE, "next.toml", text.as_bytes()))
            .await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.text);
        let row = |name: &str| {
            let start = preview.text.find(&format!("<th scope=\"row\">{name}</th>")).unwrap();
            let end = start + preview.text[start..].find("</tr>").unwrap();
            preview.text[start..end].to_owned()
        };
        assert!(row("claims").contains(&format!("1: {removed}")), "{}", row("claims"));
        assert!(row("drafts").contains(&format!("1: {edited}")), "{}", row("drafts"));
        assert_eq!(row("parties").matches("none").count(), 3, "{}", row("parties"));
        assert_eq!(n_events(&server).await, before, "a preview records nothing");

        let fields = [
            ("base", hidden(&preview.text, "base")),
            ("file_name", hidden(&preview.text, "file_name")),
            ("scenario", hidden(&preview.text, "scenario")),
        ];
        let fields: Vec<(&str, &str)> =
            fields.iter().map(|(name, value)| (*name, value.as_str())).collect();
        // From another site, or by a delegate: refused.
        let cross_site =
            server.send(confirm(&server.mediator, "http://evil.example", &fields)).await;
        assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
        let delegate = server.send(confirm(&server.ukraine, SITE, &fields)).await;
        assert_eq!(delegate.status, StatusCode::FORBIDDEN);
        assert_eq!(n_events(&server).await, before);

        let done = server.send(confirm(&server.mediator, SITE, &fields)).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
        assert_eq!(done.headers["location"], "/transfer?done=imported");
        let state = server.store.state(None).await.unwrap();
        assert_eq!(state.scenario.scenario(), &next);
        let events = server.store.events(0, 1000).await.unwrap();
        assert_eq!((events.len(), events.last().unwrap().kind.as_str()), (before + 1, "import"));
        assert_eq!(events.last().unwrap().author, "mediator");

        // A change of access between a preview and its confirmation changes no record: the
        // preview still holds.
        let mut third = next.clone();
        third.drafts[1].title = "A third title".to_owned();
        let again = server
            .send(upload(
                "/import/preview",
                &server.mediator,
                SITE,
                "third.toml",
                write_scenario(&third).as_bytes(),
            ))
            .await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.text);
        server
            .store
            .invite(
                "mediator",
                &parley_store::users::Role::Observer,
                std::time::Duration::from_secs(60),
            )
            .await
            .unwrap();
        let fields_again = [
            ("base", hidden(&again.text, "base")),
            ("file_name", hidden(&again.text, "file_name")),
            ("scenario", hidden(&again.text, "scenario")),
        ];
        let fields_again: Vec<(&str, &str)> =
            fields_again.iter().map(|(name, value)| (*name, value.as_str())).collect();
        let done = server.send(confirm(&server.mediator, SITE, &fields_again)).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
        assert_eq!(server.store.state(None).await.unwrap().scenario.scenario(), &third);
        let n_after = n_events(&server).await;
        assert_eq!(n_after, before + 3, "two imports and an invitation");

        // The same confirmation again: its preview is out of date now.
        let stale = server.send(confirm(&server.mediator, SITE, &fields)).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.text);
        assert!(stale.text.contains("preview the import again"));
        assert_eq!(n_events(&server).await, n_after);
        assert!(server.store.verify().await.unwrap().is_ok());
    }
}

#[tokio::test]
async fn bad_files_and_other_roles_import_nothing() {
    for server in TestServer::all().await {
        let before = n_events(&server).await;
        // A file with an error: its line and column, tied to the file input.
        let bad = server
            .send(upload(
                "/import/preview",
                &server.mediator,
                SITE,
                "bad.toml",
                b"id = \"x\"\ntitle = 3\n",
            ))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
        assert!(bad.text.contains("bad.toml:2:"), "{}", bad.text);
        assert!(bad.text.contains("aria-invalid=\"true\""));
        assert!(bad.text.contains("aria-describedby=\"import-file-error import-file-hint\""));
        // An archive with a path out of its folder, and one with no scenario.
        let escape = archive(&[("../domain.xml", "<a/>")]);
        let answer = server
            .send(upload("/import/preview", &server.mediator, SITE, "escape.zip", &escape))
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(answer.text.contains("outside the archive"), "{}", answer.text);
        let empty = archive(&[("notes/readme.txt", "nothing here")]);
        let answer = server
            .send(upload("/import/preview", &server.mediator, SITE, "notes.zip", &empty))
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        // A confirmation whose scenario was altered to be invalid is checked again.
        let forged = server
            .send(confirm(&server.mediator, SITE, &[("base", "any"), ("scenario", "id = 1\n")]))
            .await;
        assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", forged.text);
        // Delegates, observers, other sites.
        let text = parley_model::builtin::TALKS_2025_TOML.as_bytes();
        for (token, origin) in [
            (&server.russia, SITE),
            (&server.observer, SITE),
            (&server.mediator, "http://evil.example"),
        ] {
            let answer =
                server.send(upload("/import/preview", token, origin, "talks.toml", text)).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN);
        }
        // Too large a file: refused before it is read whole.
        let large = vec![b'#'; 9 << 20];
        let answer = server
            .send(upload("/import/preview", &server.mediator, SITE, "large.toml", &large))
            .await;
        assert!(
            matches!(
                answer.status,
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::PAYLOAD_TOO_LARGE
            ),
            "{}",
            answer.status
        );
        assert_eq!(n_events(&server).await, before);
    }
}

#[tokio::test]
async fn a_genius_folder_in_an_archive_is_previewed() {
    const DOMAIN: &str = r#"<negotiation_template><utility_space><objective index="0" name="Lunch">
<issue index="1" name="Food" type="discrete"><item index="1" value="Soup"/><item index="2" value="Fish"/></issue>
</objective></utility_space></negotiation_template>"#;
    let profile = |soup: &str, fish: &str| {
        format!(
            r#"<utility_space><objective index="0" name="Lunch"><issue index="1" name="Food" type="discrete">
<item index="1" value="Soup" evaluation="{soup}"/><item index="2" value="Fish" evaluation="{fish}"/></issue>
<weight index="1" value="1"/></objective></utility_space>"#
        )
    };
    let (alice, bob) = (profile("1", "0.2"), profile("0.1", "1"));
    let zip = archive(&[
        ("lunch/lunch_domain.xml", DOMAIN),
        ("lunch/alice.xml", &alice),
        ("lunch/bob.xml", &bob),
    ]);
    for server in TestServer::all().await {
        let preview =
            server.send(upload("/import/preview", &server.mediator, SITE, "lunch.zip", &zip)).await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.text);
        assert!(preview.text.contains("alice") && preview.text.contains("bob"), "{}", preview.text);
        let scenario = hidden(&preview.text, "scenario");
        let read = read_scenario(&scenario).scenario.unwrap();
        assert_eq!(read.scenario().parties.len(), 2);
    }
}
