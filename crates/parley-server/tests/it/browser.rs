//! The pages in a real browser (chromium through chromedriver, driven with fantoccini): three
//! users sign in through the sign-in form; Ukraine's delegate records a private position
//! through the form on /stances; the mediator's open page shows it without a reload, and
//! Russia's delegate's page never does. Skips, saying so, when chromedriver or chromium is
//! missing. With `PARLEY_SCREENSHOTS=DIR`, it also saves a PNG of every page at desktop
//! (1280x900) and phone (390x844) width.
#![cfg(unix)]

use std::future::Future;
use std::net::SocketAddr;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use parley_model::access::Viewer;
use serde_json::{Value, json};

use crate::harness::TestServer;

/// How long the browsers may take to show what the test waits for.
const PATIENCE: Duration = Duration::from_secs(15);

/// A program named by an environment variable, or found on the PATH or at a known place.
fn program(variable: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(variable) {
        return Some(PathBuf::from(path)).filter(|path| path.is_file());
    }
    let search = std::env::var_os("PATH").unwrap_or_default();
    names.iter().find_map(|name| {
        let name = Path::new(name);
        if name.is_absolute() {
            return name.is_file().then(|| name.to_owned());
        }
        std::env::split_paths(&search).map(|dir| dir.join(name)).find(|path| path.is_file())
    })
}

/// chromedriver and the browser, where both are found.
pub(crate) fn browser_programs() -> Option<(PathBuf, PathBuf)> {
    Some((
        program("CHROMEDRIVER", &["chromedriver", "/usr/lib/chromium/chromedriver"])?,
        program(
            "CHROME",
            &["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"],
        )?,
    ))
}

/// chromedriver, running until dropped; it and the browsers it started share a process group,
/// which is ended with it, whether the test passed or not.
pub(crate) struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    pub(crate) async fn start(program: &Path) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", program.display()));
        let mut driver = Driver { child, url: format!("http://127.0.0.1:{port}") };
        let start = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!("chromedriver stopped at once: {status}");
            }
            assert!(start.elapsed() < Duration::from_secs(20), "chromedriver does not listen");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        driver
    }

    /// A new browser session at the desktop size.
    pub(crate) async fn browser(&self, chrome: &Path) -> Client {
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,900",
        ];
        let mut capabilities = Capabilities::new();
        capabilities.insert(
            "goog:chromeOptions".to_owned(),
            json!({ "binary": chrome.to_string_lossy(), "args": args }),
        );
        ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .unwrap_or_else(|error| panic!("cannot open a browser session: {error}"))
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The process group is chromedriver's own (it was started as its leader).
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until `check` holds, or fails the test saying what it waited for.
pub(crate) async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let start = Instant::now();
    while !check().await {
        assert!(start.elapsed() < PATIENCE, "waited {PATIENCE:?} for {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

pub(crate) async fn script(client: &Client, code: &str, args: Vec<Value>) -> Value {
    client.execute(code, args).await.unwrap_or_else(|error| panic!("{code}: {error}"))
}

/// The text the page shows in its `<main>`.
pub(crate) async fn shown(client: &Client) -> String {
    let text = script(client, "return document.querySelector('main').innerText", vec![]).await;
    text.as_str().unwrap_or_default().to_owned()
}

/// The whole document, shown or not.
async fn document(client: &Client) -> String {
    client.source().await.unwrap()
}

pub(crate) async fn path(client: &Client) -> String {
    let url = client.current_url().await.unwrap();
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    }
}

pub(crate) async fn sign_in(client: &Client, base: &str, token: &str, next: &str) {
    client.goto(&format!("{base}/sign-in?next={next}")).await.unwrap();
    client.find(Locator::Css("#token")).await.unwrap().send_keys(token).await.unwrap();
    client
        .find(Locator::Css("form[action='/sign-in'] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    eventually(&format!("{next} after signing in"), || async { path(client).await == next }).await;
}

/// Waits until the page's live-update script listens to the server.
async fn listening(client: &Client) {
    eventually("the page to listen for changes", || async {
        script(client, "return document.body.getAttribute('data-live-state')", vec![]).await
            == json!("listening")
    })
    .await;
}

/// Makes the page's viewport `width` x `height` CSS pixels.
pub(crate) async fn set_viewport(client: &Client, width: u32, height: u32) {
    client.set_window_size(width, height).await.unwrap();
    let inner = script(client, "return [window.innerWidth, window.innerHeight]", vec![]).await;
    let (inner_width, inner_height) =
        (inner[0].as_u64().unwrap_or(0) as u32, inner[1].as_u64().unwrap_or(0) as u32);
    if (inner_width, inner_height) != (width, height) {
        let outer_width = 2 * width - inner_width.min(2 * width);
        let outer_height = 2 * height - inner_height.min(2 * height);
        client.set_window_size(outer_width, outer_height).await.unwrap();
    }
}

/// Saves the whole page at a width, as `DIR/NAME-WIDTH.png`.
pub(crate) async fn screenshot(client: &Client, dir: &Path, name: &str) {
    for (width, height) in [(1280, 900), (390, 844)] {
        set_viewport(client, width, height).await;
        let full = script(client, "return document.documentElement.scrollHeight", vec![]).await;
        let full = (full.as_u64().unwrap_or(u64::from(height)) as u32).clamp(height, 16_000);
        set_viewport(client, width, full).await;
        let png = client.screenshot().await.unwrap();
        std::fs::write(dir.join(format!("{name}-{width}.png")), png).unwrap();
    }
    set_viewport(client, 1280, 900).await;
}

struct Browsers {
    mediator: Client,
    ukraine: Client,
    russia: Client,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_position_reaches_the_mediator_live_and_never_russia() {
    let Some((chromedriver, chrome)) = browser_programs() else {
        #[allow(clippy::print_stderr, reason = "a skipped test says why")]
        {
            eprintln!("skipping the browser test: chromedriver or chromium is not installed");
        }
        return;
    };
    let server = Arc::new(TestServer::sqlite().await);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = server.router.clone().into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await });

    let driver = Driver::start(&chromedriver).await;
    let browsers = Browsers {
        mediator: driver.browser(&chrome).await,
        ukraine: driver.browser(&chrome).await,
        russia: driver.browser(&chrome).await,
    };
    let clients = [browsers.mediator.clone(), browsers.ukraine.clone(), browsers.russia.clone()];
    // The scenario runs as its own task so that, should it fail, the sessions still close.
    let run = tokio::spawn(scenario(server, base, browsers));
    let outcome = tokio::time::timeout(Duration::from_secs(300), run).await;
    for client in clients {
        let _ = client.close().await;
    }
    drop(driver);
    match outcome {
        Err(_) => panic!("the browser test took more than 5 minutes"),
        Ok(Err(error)) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        Ok(Err(error)) => panic!("{error}"),
        Ok(Ok(())) => {}
    }
}

async fn scenario(server: Arc<TestServer>, base: String, browsers: Browsers) {
    let Browsers { mediator, ukraine, russia } = &browsers;
    sign_in(mediator, &base, &server.mediator, "/stances").await;
    sign_in(russia, &base, &server.russia, "/stances").await;
    sign_in(ukraine, &base, &server.ukraine, "/stances").await;
    listening(mediator).await;
    listening(russia).await;
    // A page that reloads loses this.
    for client in [mediator, russia] {
        script(client, "window.parleyKept = 'kept'; return true", vec![]).await;
    }

    // Ukraine's delegate records a private position through the form.
    let note = format!("Kyiv could accept a freeze along the line (note {})", std::process::id());
    let form = ukraine.find(Locator::Css("form[action='/forms/position']")).await.unwrap();
    assert!(
        form.find_all(Locator::Css("select[name=party]")).await.unwrap().is_empty(),
        "a delegate does not choose the party"
    );
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
    eventually("Ukraine's confirmation", || async {
        path(ukraine).await == "/stances?done=position"
            && shown(ukraine).await.contains("Position recorded.")
    })
    .await;
    assert!(shown(ukraine).await.contains(&note), "Ukraine sees its own position");

    // The mediator's open page shows it, without a reload, and says it was updated.
    eventually("the position on the mediator's page", || async {
        shown(mediator).await.contains(&note)
    })
    .await;
    assert_eq!(script(mediator, "return window.parleyKept", vec![]).await, json!("kept"));
    let notice = script(mediator, "return document.getElementById('live-notice').hidden", vec![]);
    assert_eq!(notice.await, json!(false), "the mediator is told the page was updated");

    // Russia's page is not told: its view did not change. Nor does a reload show it.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(!document(russia).await.contains(&note));
    assert_eq!(script(russia, "return window.parleyKept", vec![]).await, json!("kept"));
    let notice = script(russia, "return document.getElementById('live-notice').hidden", vec![]);
    assert_eq!(notice.await, json!(true), "Russia's page was not updated");
    russia.refresh().await.unwrap();
    eventually("Russia's page to load again", || async {
        script(
            russia,
            "return window.parleyKept === undefined && document.readyState === 'complete'",
            vec![],
        )
        .await
            == json!(true)
    })
    .await;
    assert!(shown(russia).await.contains("Stances"));
    assert!(!document(russia).await.contains(&note), "a reload does not show it either");
    // Nor do the other roles' pages, fetched as HTML; the record holds it.
    for token in [&server.russia, &server.observer] {
        let answer = server.get("/stances", token).await;
        let content_type = answer.headers.get("content-type").and_then(|value| value.to_str().ok());
        assert_eq!(content_type, Some("text/html; charset=utf-8"));
        assert!(!answer.text.contains(&note));
    }
    let record = server.store.state_for(&Viewer::Mediator, None).await.unwrap();
    let kept = record.scenario.scenario().positions.iter().any(|position| {
        position.note.as_deref() == Some(note.as_str())
            && position.visibility == parley_model::scenario::Visibility::Private
    });
    assert!(kept, "the record holds the private position");

    if let Some(dir) = std::env::var_os("PARLEY_SCREENSHOTS") {
        screenshots(&base, &browsers, Path::new(&dir)).await;
    }
}

/// A PNG of every page at desktop and phone width.
async fn screenshots(base: &str, browsers: &Browsers, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let pages = [
        ("overview", "/"),
        ("timeline", "/timeline"),
        ("drafts", "/drafts"),
        ("draft", "/drafts/florida-20"),
        ("diff", "/drafts/diff?from=us-plan-early&to=florida-20"),
        ("stances", "/stances"),
        ("analysis", "/analysis"),
        ("claims", "/claims"),
        ("past", "/stances?as_of=2100-01-01"),
    ];
    for (name, path) in pages {
        browsers.mediator.goto(&format!("{base}{path}")).await.unwrap();
        screenshot(&browsers.mediator, dir, &format!("mediator-{name}")).await;
    }
    browsers.ukraine.goto(&format!("{base}/stances")).await.unwrap();
    screenshot(&browsers.ukraine, dir, "ukraine-stances").await;
    // A form sent back with its problem at the field.
    let form = browsers.ukraine.find(Locator::Css("form[action='/forms/position']")).await.unwrap();
    let date = form.find(Locator::Css("input[name=date]")).await.unwrap();
    browsers
        .ukraine
        .execute("arguments[0].value = '2031-01-01'", vec![serde_json::to_value(&date).unwrap()])
        .await
        .unwrap();
    form.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
    eventually("the form sent back", || async {
        shown(&browsers.ukraine).await.contains("The record was not changed")
    })
    .await;
    screenshot(&browsers.ukraine, dir, "ukraine-stances-refused").await;
    browsers.russia.goto(&format!("{base}/claims")).await.unwrap();
    screenshot(&browsers.russia, dir, "russia-claims").await;
    browsers
        .russia
        .find(Locator::Css("form[action='/sign-out'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    eventually("the sign-in page", || async {
        path(&browsers.russia).await.starts_with("/sign-in")
    })
    .await;
    screenshot(&browsers.russia, dir, "sign-in").await;
}
