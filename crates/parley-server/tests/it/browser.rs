//! The pages in a real browser (chromium through chromedriver, driven with fantoccini): three
//! users sign in through the sign-in form; Ukraine's delegate records a private position
//! through the form on /stances; the mediator's open page shows it without a reload, and
//! Russia's delegate's page never does; Ukraine's private column of a draft round shows on its
//! columns page, never on Russia's. Then axe-core checks every page, as the mediator and as
//! a delegate sees it, and the HTML reports (the built-in scenario's, GENIUS scenarios' and a
//! tournament's), at desktop and phone width: none may have a violation. Skips, saying so,
//! when chromedriver or chromium is missing, and the accessibility checks when axe-core is
//! (the prerequisites test names what is missing). With `PARLEY_SCREENSHOTS=DIR`, it also
//! saves a PNG of every page and report at desktop (1280x900) and phone (390x844) width.
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

use crate::harness::{TestServer, Who};

/// How long the browsers may take to show what the test waits for.
pub(crate) const PATIENCE: Duration = Duration::from_secs(15);

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

/// Serves `server` on a local port, opens two browsers, and runs `scenario` with the server's
/// address and them, for at most `limit`; the browsers are closed however it ends, and a panic
/// in the scenario is the test's.
pub(crate) async fn with_two_browsers<F, Fut>(
    server: Arc<TestServer>,
    (chromedriver, chrome): (PathBuf, PathBuf),
    limit: Duration,
    scenario: F,
) where
    F: FnOnce(Arc<TestServer>, String, Client, Client) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = server.router.clone().into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let driver = Driver::start(&chromedriver).await;
    let first = driver.browser(&chrome).await;
    let second = driver.browser(&chrome).await;
    let clients = [first.clone(), second.clone()];
    let run = tokio::spawn(scenario(server, base, first, second));
    let outcome = tokio::time::timeout(limit, run).await;
    for client in clients {
        let _ = client.close().await;
    }
    drop(driver);
    match outcome {
        Err(_) => panic!("the browser test took more than {} s", limit.as_secs()),
        Ok(Err(error)) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        Ok(Err(error)) => panic!("{error}"),
        Ok(Ok(())) => {}
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
pub(crate) async fn document(client: &Client) -> String {
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
    let outcome = tokio::time::timeout(Duration::from_secs(900), run).await;
    for client in clients {
        let _ = client.close().await;
    }
    drop(driver);
    match outcome {
        Err(_) => panic!("the browser test took more than 15 minutes"),
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

    // A draft round: the mediator's compromise and Ukraine's private column beside it.
    let column_text =
        format!("Kyiv keeps every guarantee on paper (column {})", std::process::id());
    let compromise = server
        .create(
            Who::Mediator,
            "drafts",
            &json!({
                "title": "Mediator's compromise", "status": "under-discussion", "author": "us",
                "points": [
                    { "id": "guarantees", "number": 1, "text": "Guarantees that match the threat, with European safeguards for Ukraine and the wider region.", "issue": "security-guarantees", "option": "matching" },
                    { "id": "money", "number": 2, "text": "Europe finances reconstruction.", "issue": "financing" },
                    { "id": "seat", "number": 3, "text": "Europe takes part in the talks.", "issue": "europe-seat", "option": "major-role" },
                ],
                "agreements": [{ "party": "ukraine", "point": "seat", "kind": "ad-referendum", "date": "2025-12-03" }],
            }),
        )
        .await;
    server
        .create(
            Who::Ukraine,
            "drafts",
            &json!({
                "title": "Ukraine's column", "status": "proposed", "author": "ukraine",
                "answers": compromise, "visibility": "private",
                "points": [
                    { "id": "guarantees", "text": column_text, "issue": "security-guarantees", "option": "matching" },
                    { "id": "seat", "text": "Europe takes part in the talks.", "issue": "europe-seat", "option": "major-role" },
                    { "id": "army", "text": "Ukraine keeps the army it needs." },
                ],
            }),
        )
        .await;
    let columns = format!("{base}/drafts/{compromise}/columns");
    ukraine.goto(&columns).await.unwrap();
    eventually("Ukraine's column", || async { shown(ukraine).await.contains(&column_text) }).await;
    let highlighted = ukraine.find_all(Locator::Css("table.columns td.differs")).await.unwrap();
    assert_eq!(highlighted.len(), 1, "the one point that differs is highlighted");
    russia.goto(&columns).await.unwrap();
    eventually("Russia's columns page", || async { shown(russia).await.contains("Columns:") })
        .await;
    assert!(!document(russia).await.contains(&column_text));
    assert!(!document(russia).await.contains("Ukraine's column"));

    // What changed, and how stances moved: the mediator's pages show the private position,
    // Russia's do not.
    let changes = format!("{base}/changes?since=2000-01-01");
    let recorded = record
        .scenario
        .scenario()
        .positions
        .iter()
        .find(|position| position.note.as_deref() == Some(note.as_str()));
    let date = recorded.and_then(|position| position.date).expect("the form dates it").date;
    let key = format!("<code>ukraine/donbas/{date}</code>");
    for (client, sees) in [(mediator, true), (russia, false)] {
        client.goto(&changes).await.unwrap();
        eventually("the changes page", || async { shown(client).await.contains("What changed") })
            .await;
        assert_eq!(document(client).await.contains(&key), sees, "changes: {sees}");
        client.goto(&format!("{base}/stances")).await.unwrap();
        eventually("the stances page", || async {
            shown(client).await.contains("How stances moved")
        })
        .await;
        let charted = document(client).await.contains("aria-label=\"Stances over time on");
        assert_eq!(charted, sees, "history: {sees}");
    }

    let report_dir = tempfile::tempdir().unwrap();
    let reports = write_reports(report_dir.path());
    match std::fs::read_to_string(crate::prerequisites::support::axe_js()) {
        Ok(axe) => accessibility(&server, &base, &browsers, &axe, &reports).await,
        Err(_) => {
            #[allow(clippy::print_stderr, reason = "a skipped check says why")]
            {
                eprintln!("skipping the accessibility checks: axe-core is not found");
            }
        }
    }

    if let Some(dir) = std::env::var_os("PARLEY_SCREENSHOTS") {
        screenshots(&base, &browsers, Path::new(&dir), &reports, &compromise).await;
    }
}

/// The server's pages, by name and path.
const PAGES: [(&str, &str); 11] = [
    ("overview", "/"),
    ("timeline", "/timeline"),
    ("drafts", "/drafts"),
    ("draft", "/drafts/florida-20"),
    ("diff", "/drafts/diff?from=us-plan-early&to=florida-20"),
    ("stances", "/stances"),
    ("history", "/stances#stance-history"),
    ("changes", "/changes?since=2000-01-01"),
    ("analysis", "/analysis"),
    ("claims", "/claims"),
    ("past", "/stances?as_of=2100-01-01"),
];

/// The HTML reports, as `parley analyze --html` and `parley tournament` write them, by name and
/// file: the built-in scenario's, those of GENIUS scenarios of ../shared where it is there, and a
/// tournament's.
fn write_reports(dir: &Path) -> Vec<(String, PathBuf)> {
    use parley_analysis::{AnalysisOptions, analyze};
    use parley_engine::control::{Control, build_thread_pool};

    let pool = build_thread_pool(1).unwrap();
    let options = AnalysisOptions { robustness_samples: 50, ..AnalysisOptions::default() };
    let report_of = |scenario: &parley_model::validate::ValidScenario,
                     warnings: &[parley_model::diagnostic::Diagnostic],
                     file: &str| {
        let analysis = analyze(scenario, &options, &pool, &Control::none()).unwrap();
        parley_report::html::render(&parley_report::schema::build(
            scenario,
            warnings,
            file,
            Some((&analysis, 3)),
        ))
    };
    let mut pages: Vec<(String, String)> = Vec::new();
    let builtin =
        parley_model::scenario_file::read_scenario(parley_model::builtin::TALKS_2025_TOML);
    let scenario = builtin.scenario.expect("the built-in scenario is valid");
    pages.push((
        "report-builtin".to_owned(),
        report_of(&scenario, &builtin.diagnostics, "talks-2025.toml"),
    ));
    let genius = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/scenarios/genius");
    for (name, folder) in
        [("report-politics", "y2015/group2-politics"), ("report-travel", "y2010/Travel")]
    {
        let folder = genius.join(folder);
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        let mut paths: Vec<PathBuf> = entries.map(|entry| entry.unwrap().path()).collect();
        paths.sort();
        let texts: Vec<(String, String)> = paths
            .iter()
            .filter_map(|path| {
                let name = path.display().to_string();
                let bytes = std::fs::read(path).ok()?;
                let (text, _) = parley_genius::decode_genius_file(&name, &bytes).ok()?;
                Some((name, text.into_owned()))
            })
            .collect();
        let read = parley_genius::read_folder(&texts, None).unwrap().scenario(None).unwrap();
        let model = parley_genius::to_model(&read, name).unwrap();
        let (scenario, warnings) =
            parley_model::validate::ValidScenario::new(model).unwrap_or_else(|_| panic!("{name}"));
        pages.push((
            name.to_owned(),
            report_of(&scenario, &warnings, &folder.display().to_string()),
        ));
    }
    pages.push((
        "report-tournament".to_owned(),
        parley_report::html::tournament::render(&tournament()),
    ));
    pages
        .into_iter()
        .map(|(name, html)| {
            let path = dir.join(format!("{name}.html"));
            std::fs::write(&path, html).unwrap();
            (name, path)
        })
        .collect()
}

/// A tournament of two scenarios, three strategies and two protocols, as the CLI reports it.
fn tournament() -> parley_report::tournament::TournamentReport {
    use parley_report::tournament::{
        TournamentAggregate, TournamentReport, TournamentRun, TournamentScenario,
    };
    let strategies = ["boulware", "linear", "conceder"];
    let protocols = ["alternating-offers", "single-text-veto"];
    let scenarios = vec![
        TournamentScenario {
            file: "scenarios/talks-2025.toml".to_owned(),
            id: "talks-2025".to_owned(),
            parties: vec!["russia".to_owned(), "ukraine".to_owned(), "europe".to_owned()],
            issues: vec!["donbas".to_owned(), "nato".to_owned()],
        },
        TournamentScenario {
            file: "<b>hostile</b> & \"quoted\".toml".to_owned(),
            id: "hostile".to_owned(),
            parties: vec!["buyer".to_owned(), "seller".to_owned()],
            issues: vec!["price".to_owned()],
        },
    ];
    let mut runs = Vec::new();
    for (scenario_idx, scenario) in scenarios.iter().enumerate() {
        for protocol in protocols {
            for first in strategies {
                for other in strategies {
                    for seed in 0..3_u32 {
                        let agreed = (seed + scenario_idx as u32).is_multiple_of(2);
                        let n_parties = scenario.parties.len();
                        runs.push(TournamentRun {
                            scenario_idx,
                            protocol: protocol.to_owned(),
                            mediator: (protocol != "alternating-offers")
                                .then(|| "hill-climbing".to_owned()),
                            profile: format!("{protocol} {first},{other}"),
                            strategies: (0..n_parties)
                                .map(|idx| if idx == 0 { first } else { other }.to_owned())
                                .collect(),
                            seed: u64::from(seed),
                            agreement: agreed
                                .then(|| scenario.issues.iter().map(|_| "x".to_owned()).collect()),
                            rounds: 10 + seed as usize,
                            utilities: (0..n_parties)
                                .map(|idx| f64::from((seed + idx as u32 * 3) % 10) / 10.0)
                                .collect(),
                            distance_to_nash: agreed.then_some(0.1),
                            distance_to_frontier: Some(0.0),
                            offer_evaluations: 100,
                            elapsed_seconds: Some(0.002),
                        });
                    }
                }
            }
        }
    }
    let aggregate = |name: String, rate: f64| TournamentAggregate {
        name,
        runs: 36,
        agreement_rate: rate,
        mean_utility: 0.45,
        mean_distance_to_nash: Some(0.12),
        negotiations_per_second: Some(480.0),
    };
    TournamentReport {
        scenarios,
        seeds: 3,
        deadline_rounds: 100,
        elapsed_seconds: 0.4,
        threads: 2,
        runs,
        by_strategy: strategies
            .iter()
            .enumerate()
            .map(|(idx, name)| aggregate((*name).to_owned(), 0.3 + 0.2 * idx as f64))
            .collect(),
        by_profile: protocols
            .iter()
            .flat_map(|protocol| {
                strategies.iter().flat_map(move |first| {
                    strategies.map(|other| format!("{protocol} {first},{other}"))
                })
            })
            .enumerate()
            .map(|(idx, name)| aggregate(name, (idx % 5) as f64 / 4.0))
            .collect(),
    }
}

/// One axe-core violation: the rule, its impact, and the elements it found.
#[derive(serde::Deserialize, Debug)]
struct Violation {
    id: String,
    impact: Option<String>,
    help: String,
    nodes: Vec<ViolationNode>,
}

#[derive(serde::Deserialize, Debug)]
struct ViolationNode {
    target: String,
    summary: Option<String>,
}

/// Runs axe-core on the page the browser shows, injected through WebDriver (which the pages'
/// Content-Security-Policy does not apply to), at desktop and at phone width.
async fn audit(client: &Client, axe: &str, name: &str) -> Vec<(String, Vec<Violation>)> {
    eventually(&format!("{name} to load"), || async {
        script(client, "return document.readyState", vec![]).await == json!("complete")
    })
    .await;
    if script(client, "return typeof window.axe", vec![]).await != json!("object") {
        client.execute(&format!("{axe}\n;return true"), vec![]).await.unwrap();
    }
    let mut found = Vec::new();
    for (width, height) in [(1280, 900), (390, 844)] {
        set_viewport(client, width, height).await;
        let run = r"
            const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] }).then(
                (result) => done(result.violations.map((violation) => ({
                    id: violation.id,
                    impact: violation.impact,
                    help: violation.help,
                    nodes: violation.nodes.map((node) => ({
                        target: node.target.join(' '),
                        summary: node.failureSummary,
                    })),
                }))),
                (error) => done(String(error)),
            );";
        let answer = client.execute_async(run, vec![]).await.unwrap();
        let violations: Vec<Violation> = serde_json::from_value(answer.clone())
            .unwrap_or_else(|_| panic!("axe-core on {name}: {answer}"));
        found.push((format!("{name} at {width} px"), violations));
    }
    set_viewport(client, 1280, 900).await;
    found
}

/// axe-core on every page, as the mediator and as a delegate sees it, on a form sent back with
/// its problem, on the sign-in page, and on the HTML reports: none may have a violation.
async fn accessibility(
    server: &TestServer,
    base: &str,
    browsers: &Browsers,
    axe: &str,
    reports: &[(String, PathBuf)],
) {
    let Browsers { mediator, ukraine, russia } = browsers;
    let mut found = Vec::new();
    for (role, client) in [("mediator", mediator), ("delegate", ukraine)] {
        for (name, path) in PAGES {
            client.goto(&format!("{base}{path}")).await.unwrap();
            found.extend(audit(client, axe, &format!("{role} {name}")).await);
        }
    }
    refuse_a_form(ukraine, base).await;
    found.extend(audit(ukraine, axe, "delegate stances, a form sent back").await);
    russia.goto(&format!("{base}/claims")).await.unwrap();
    sign_out(russia).await;
    found.extend(audit(russia, axe, "sign-in").await);
    sign_in(russia, base, &server.russia, "/stances").await;
    for (name, file) in reports {
        mediator.goto(&format!("file://{}", file.display())).await.unwrap();
        found.extend(audit(mediator, axe, name).await);
    }
    let mut summary = String::new();
    for (page, violations) in &found {
        let n_nodes: usize = violations.iter().map(|violation| violation.nodes.len()).sum();
        summary.push_str(&format!(
            "{page}: {} violation(s) on {n_nodes} element(s)\n",
            violations.len()
        ));
        for violation in violations {
            summary.push_str(&format!(
                "  {} ({}): {}\n",
                violation.id,
                violation.impact.as_deref().unwrap_or("-"),
                violation.help
            ));
            for node in violation.nodes.iter().take(3) {
                summary.push_str(&format!(
                    "    {}: {}\n",
                    node.target,
                    node.summary.as_deref().unwrap_or("").replace('\n', " ")
                ));
            }
        }
    }
    if let Some(path) = std::env::var_os("PARLEY_AXE_SUMMARY") {
        std::fs::write(path, &summary).unwrap();
    }
    assert!(
        found.iter().all(|(_, violations)| violations.is_empty()),
        "axe-core found violations:\n{summary}"
    );
}

/// Sends the delegate's position form back with a date after the record's.
async fn refuse_a_form(client: &Client, base: &str) {
    client.goto(&format!("{base}/stances")).await.unwrap();
    let form = client.find(Locator::Css("form[action='/forms/position']")).await.unwrap();
    let date = form.find(Locator::Css("input[name=date]")).await.unwrap();
    client
        .execute("arguments[0].value = '2031-01-01'", vec![serde_json::to_value(&date).unwrap()])
        .await
        .unwrap();
    form.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
    eventually("the form sent back", || async {
        shown(client).await.contains("The record was not changed")
    })
    .await;
}

async fn sign_out(client: &Client) {
    client
        .find(Locator::Css("form[action='/sign-out'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    eventually("the sign-in page", || async { path(client).await.starts_with("/sign-in") }).await;
}

/// A PNG of every page and report at desktop and phone width.
async fn screenshots(
    base: &str,
    browsers: &Browsers,
    dir: &Path,
    reports: &[(String, PathBuf)],
    compromise: &str,
) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, path) in PAGES {
        browsers.mediator.goto(&format!("{base}{path}")).await.unwrap();
        screenshot(&browsers.mediator, dir, &format!("mediator-{name}")).await;
    }
    browsers.ukraine.goto(&format!("{base}/stances")).await.unwrap();
    screenshot(&browsers.ukraine, dir, "ukraine-stances").await;
    for (name, path) in [("columns", "columns"), ("agreement", "agreement")] {
        browsers.ukraine.goto(&format!("{base}/drafts/{compromise}/{path}")).await.unwrap();
        screenshot(&browsers.ukraine, dir, &format!("ukraine-{name}")).await;
    }
    browsers.russia.goto(&format!("{base}/drafts/{compromise}/columns")).await.unwrap();
    screenshot(&browsers.russia, dir, "russia-columns").await;
    browsers.russia.goto(&format!("{base}/changes?since=2000-01-01")).await.unwrap();
    screenshot(&browsers.russia, dir, "russia-changes").await;
    browsers.russia.goto(&format!("{base}/changes?since=2025-13-01")).await.unwrap();
    screenshot(&browsers.russia, dir, "russia-changes-bad-date").await;
    // A form sent back with its problem at the field.
    refuse_a_form(&browsers.ukraine, base).await;
    screenshot(&browsers.ukraine, dir, "ukraine-stances-refused").await;
    browsers.russia.goto(&format!("{base}/claims")).await.unwrap();
    screenshot(&browsers.russia, dir, "russia-claims").await;
    sign_out(&browsers.russia).await;
    screenshot(&browsers.russia, dir, "sign-in").await;
    for (name, file) in reports {
        browsers.mediator.goto(&format!("file://{}", file.display())).await.unwrap();
        screenshot(&browsers.mediator, dir, name).await;
    }
}
