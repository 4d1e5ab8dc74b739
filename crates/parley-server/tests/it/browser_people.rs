//! People and access, import and export in a real browser: the mediator previews and confirms
//! an import, invites a delegate of Ukraine (a refused invitation first, with the focus on the
//! field at fault); the delegate follows the link in a browser of its own, is refused a name
//! that is taken, picks another, is signed in and records a private position. Skips, saying
//! so, when chromedriver or chromium is missing; with `PARLEY_SCREENSHOTS=DIR`, saves each of
//! these pages at 1280 and 390 px.

use std::path::Path;
use std::time::Duration;

use fantoccini::{Client, Locator};
use parley_model::access::Viewer;
use serde_json::json;

use crate::browser::{
    browser_programs, eventually, path, screenshot, script, shown, sign_in, with_two_browsers,
};
use crate::harness::TestServer;

/// The element that has the focus: its id.
async fn focused(client: &Client) -> String {
    let id =
        script(client, "return document.activeElement ? document.activeElement.id : ''", vec![])
            .await;
    id.as_str().unwrap_or_default().to_owned()
}

async fn click(client: &Client, css: &str) {
    client.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
}

async fn maybe_screenshot(client: &Client, name: &str) {
    if let Some(dir) = std::env::var_os("PARLEY_SCREENSHOTS") {
        std::fs::create_dir_all(&dir).unwrap();
        screenshot(client, Path::new(&dir), name).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invited_delegate_signs_up_and_records_a_private_position() {
    let Some((chromedriver, chrome)) = browser_programs() else {
        #[allow(clippy::print_stderr, reason = "a skipped test says why")]
        {
            eprintln!("skipping the browser test: chromedriver or chromium is not installed");
        }
        return;
    };
    let server = std::sync::Arc::new(TestServer::sqlite().await);
    let programs = (chromedriver, chrome);
    with_two_browsers(server, programs, Duration::from_secs(300), people_scenario).await;
}

async fn people_scenario(
    server: std::sync::Arc<TestServer>,
    base: String,
    mediator: Client,
    invitee: Client,
) {
    sign_in(&mediator, &base, &server.mediator, "/transfer").await;

    // Import the built-in scenario's file: previewed (nothing changes), then confirmed.
    maybe_screenshot(&mediator, "mediator-transfer").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("talks.toml");
    std::fs::write(&file, parley_model::builtin::TALKS_2025_TOML).unwrap();
    let n_events = server.store.events(0, 1000).await.unwrap().len();
    mediator
        .find(Locator::Css("#import-file"))
        .await
        .unwrap()
        .send_keys(&file.display().to_string())
        .await
        .unwrap();
    click(&mediator, "form[action='/import/preview'] button[type=submit]").await;
    eventually("the import's preview", || async {
        shown(&mediator).await.contains("changes no record")
    })
    .await;
    maybe_screenshot(&mediator, "mediator-import-preview").await;
    click(&mediator, "form[action='/import/confirm'] button[type=submit]").await;
    eventually("the import recorded", || async {
        path(&mediator).await == "/transfer?done=imported"
    })
    .await;
    assert_eq!(server.store.events(0, 1000).await.unwrap().len(), n_events + 1);

    // A refused invitation: the problem is at the role, which has the focus.
    mediator.goto(&format!("{base}/people")).await.unwrap();
    let role = mediator.find(Locator::Css("#invite-role")).await.unwrap();
    mediator
        .execute(
            "var option = document.createElement('option'); option.value = 'delegate:atlantis'; arguments[0].appendChild(option); arguments[0].value = 'delegate:atlantis'; return true",
            vec![serde_json::to_value(&role).unwrap()],
        )
        .await
        .unwrap();
    click(&mediator, "form[action='/people/invite'] button[type=submit]").await;
    eventually("the refused invitation", || async {
        shown(&mediator).await.contains("Nobody was invited")
    })
    .await;
    assert_eq!(focused(&mediator).await, "invite-role", "the focus is on the field at fault");
    assert!(shown(&mediator).await.contains("unknown party 'atlantis'"));
    maybe_screenshot(&mediator, "mediator-people-refused").await;

    // The invitation, for a delegate of Ukraine.
    mediator
        .find(Locator::Css("#invite-role"))
        .await
        .unwrap()
        .select_by_value("delegate:ukraine")
        .await
        .unwrap();
    click(&mediator, "form[action='/people/invite'] button[type=submit]").await;
    eventually("the invitation's link", || async {
        shown(&mediator).await.contains("Invitation made")
    })
    .await;
    let link = mediator
        .find(Locator::Css("#invitation-link"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    assert!(link.starts_with(&format!("{base}/invite?code=parley_invite_")), "{link}");
    maybe_screenshot(&mediator, "mediator-people").await;

    // The invitee follows the link, tries a name that is taken, then another.
    invitee.goto(&link).await.unwrap();
    assert!(shown(&invitee).await.contains("a delegate of Ukraine"));
    maybe_screenshot(&invitee, "invite").await;
    let name = invitee.find(Locator::Css("#invite-name")).await.unwrap();
    name.send_keys("russia-delegate").await.unwrap();
    click(&invitee, "form[action='/invite'] button[type=submit]").await;
    eventually("the refused name", || async { shown(&invitee).await.contains("exists already") })
        .await;
    assert_eq!(focused(&invitee).await, "invite-name");
    maybe_screenshot(&invitee, "invite-refused").await;
    let name = invitee.find(Locator::Css("#invite-name")).await.unwrap();
    name.clear().await.unwrap();
    // From the keyboard: Enter in the field sends the form.
    name.send_keys(&format!("olena{}", char::from(fantoccini::key::Key::Enter))).await.unwrap();
    eventually("the welcome", || async { shown(&invitee).await.contains("Welcome, olena") }).await;
    maybe_screenshot(&invitee, "invite-welcome").await;

    // Signed in, the new delegate records a private position.
    invitee.goto(&format!("{base}/stances")).await.unwrap();
    let note = format!("Olena's private reading (note {})", std::process::id());
    let form = invitee.find(Locator::Css("form[action='/forms/position']")).await.unwrap();
    form.find(Locator::Css("select[name=issue]"))
        .await
        .unwrap()
        .select_by_value("donbas")
        .await
        .unwrap();
    form.find(Locator::Css("select[name='stance:donbas:compromise']"))
        .await
        .unwrap()
        .select_by_value("workable")
        .await
        .unwrap();
    form.find(Locator::Css("select[name=visibility]"))
        .await
        .unwrap()
        .select_by_value("private")
        .await
        .unwrap();
    form.find(Locator::Css("textarea[name=note]")).await.unwrap().send_keys(&note).await.unwrap();
    form.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
    eventually("the position recorded", || async {
        path(&invitee).await == "/stances?done=position" && shown(&invitee).await.contains(&note)
    })
    .await;
    let record = server.store.state_for(&Viewer::Mediator, None).await.unwrap();
    let position = record
        .scenario
        .scenario()
        .positions
        .iter()
        .find(|position| position.note.as_deref() == Some(note.as_str()))
        .expect("the record holds the position");
    assert_eq!(position.party.as_str(), "ukraine");
    assert_eq!(position.visibility, parley_model::scenario::Visibility::Private);
    for token in [&server.russia, &server.observer] {
        assert!(!server.get("/stances", token).await.text.contains(&note));
    }

    // Its own sessions; the mediator sees it among the people.
    invitee.goto(&format!("{base}/sessions")).await.unwrap();
    assert!(shown(&invitee).await.contains("this browser"));
    maybe_screenshot(&invitee, "sessions").await;
    mediator.goto(&format!("{base}/people")).await.unwrap();
    assert!(shown(&mediator).await.contains("accepted by olena"));
    let forbidden = invitee.goto(&format!("{base}/people")).await;
    assert!(forbidden.is_ok());
    assert!(shown(&invitee).await.contains("managed by the mediators"));
    assert_eq!(
        script(&invitee, "return document.title", vec![]).await,
        json!("Not allowed · Parley")
    );
}
