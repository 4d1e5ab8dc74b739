//! What every request shares: the store, the views of the record computed so far (one per
//! viewer, log version and time asked for), the analysis thread pool, the live-update channel
//! and the rate limiters.
//!
//! Every read on behalf of a user goes through [`AppState::view`], which asks the store for
//! the record as that viewer may see it ([`parley_store::Store::state_for`]); everything a
//! response holds (pages, JSON, analyses, counts, fingerprints) is computed from that view.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use parley_model::access::Viewer;
use parley_model::validate::ValidScenario;
use parley_report::schema::Report;
use parley_store::Store;
use parley_store::users::RateLimiter;
use sha2::{Digest, Sha256};
use tokio::sync::broadcast;

use crate::error::ApiError;

/// How the server behaves; [`ServerOptions::default`] is what `parley serve` uses.
#[derive(Clone, Debug)]
pub struct ServerOptions {
    /// Requests each client (token or address) may make per second, on average; 0 for no limit.
    pub requests_per_second: u32,
    /// Requests a client may make at once before the average applies.
    pub request_burst: u32,
    /// Sign-in attempts an address may make at once, then one per `sign_in_interval`.
    pub sign_in_burst: u32,
    /// See `sign_in_burst`.
    pub sign_in_interval: Duration,
    /// The largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Robustness samples each analysis draws.
    pub robustness_samples: usize,
    /// Threads of the analysis pool.
    pub analysis_threads: usize,
    /// How often the server looks for events written by other processes. Reads see such
    /// events within this time too: they take the head of the log as last seen, so that a
    /// read needs no query. Events this server writes are seen at once.
    pub poll_interval: Duration,
    /// How long a checked token is trusted before the database is asked again: a token
    /// revoked by another process is accepted for up to this long; one revoked through this
    /// server's store, at once.
    pub token_check_interval: Duration,
    /// How long a browser's session lasts after signing in.
    pub session_lifetime: Duration,
    /// How long the sign-in link printed on first start stays good.
    pub sign_in_link_lifetime: Duration,
    /// Trust a proxy in front: its `X-Forwarded-Host` counts for the forms' origin check and
    /// its `X-Forwarded-Proto: https` marks cookies `Secure`. Off, a client's own forwarded
    /// headers are ignored.
    pub trust_proxy: bool,
    /// Mark cookies `Secure` on every answer (the server is reached over TLS only).
    pub secure_cookies: bool,
    /// How long a client has to send a request's head, and how long a kept-alive connection
    /// may sit idle, before it is closed.
    pub header_timeout: Duration,
    /// Connections served at once; more wait to be accepted.
    pub max_connections: usize,
    /// Live-update streams each user may hold open at once.
    pub max_listeners_per_user: usize,
    /// Changes each user may record at once, then `writes_per_minute` a minute; 0 for no limit.
    pub write_burst: u32,
    /// See `write_burst`.
    pub writes_per_minute: u32,
    /// The longest text a change may carry in one field (a note, a summary, a statement), in
    /// characters.
    pub max_text_chars: usize,
    /// How long one analysis may run; past it, the steps not finished are cut short (the
    /// answer lists them in `cut_short`) and every other result stays exact. Each step is
    /// bounded in work and memory too ([`parley_analysis::DEFAULT_MAX_STEPS`],
    /// [`parley_analysis::DEFAULT_MAX_BYTES`]).
    pub analysis_time_limit: Duration,
    /// Analyses run at once; more wait their turn in a queue.
    pub max_running_analyses: usize,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            requests_per_second: 1000,
            request_burst: 2000,
            sign_in_burst: 10,
            sign_in_interval: Duration::from_secs(6),
            body_limit: 1 << 20,
            robustness_samples: 1000,
            analysis_threads: std::thread::available_parallelism().map_or(1, usize::from),
            poll_interval: Duration::from_millis(500),
            token_check_interval: Duration::from_secs(5),
            session_lifetime: Duration::from_secs(12 * 3600),
            sign_in_link_lifetime: Duration::from_secs(30 * 60),
            trust_proxy: false,
            secure_cookies: false,
            header_timeout: Duration::from_secs(30),
            max_connections: 1024,
            max_listeners_per_user: 8,
            write_burst: 120,
            writes_per_minute: 120,
            max_text_chars: 20_000,
            analysis_time_limit: Duration::from_secs(30),
            max_running_analyses: 2,
        }
    }
}

/// The record as one viewer may see it, at one log version and time, with what has been
/// computed from it so far.
pub(crate) struct View {
    /// What the viewer may see.
    pub(crate) scenario: ValidScenario,
    /// The log version it was replayed to; shown to mediators only.
    pub(crate) version: u64,
    /// A digest of what the viewer may see: it changes when, and only when, the view does, so
    /// it serves as the ETag and the live-update signal without telling of hidden events.
    pub(crate) fingerprint: String,
    /// The record's report (no analysis), computed once.
    record: OnceLock<Arc<Report>>,
    record_json: OnceLock<axum::body::Bytes>,
    /// The report with the analysis: computed once, while someone waits for it.
    analysis: Mutex<AnalysisCell>,
    /// Other answers computed from the view, by name.
    answers: Mutex<HashMap<String, axum::body::Bytes>>,
}

impl View {
    fn new(scenario: ValidScenario, version: u64) -> View {
        let text = parley_model::scenario_file::write_scenario(scenario.scenario());
        let digest = Sha256::digest(text.as_bytes());
        View {
            scenario,
            version,
            fingerprint: hex::encode(&digest[..12]),
            record: OnceLock::new(),
            record_json: OnceLock::new(),
            analysis: Mutex::new(AnalysisCell::NotStarted),
            answers: Mutex::new(HashMap::new()),
        }
    }

    /// The report of the record as the viewer sees it, without the analysis.
    pub(crate) fn record(&self) -> Arc<Report> {
        self.record
            .get_or_init(|| {
                Arc::new(parley_report::schema::build(&self.scenario, &[], "record", None))
            })
            .clone()
    }

    /// An answer computed from the view once and kept with it.
    pub(crate) fn cached(
        &self,
        name: &str,
        compute: impl FnOnce(&View) -> axum::body::Bytes,
    ) -> axum::body::Bytes {
        let kept =
            self.answers.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).get(name).cloned();
        if let Some(kept) = kept {
            return kept;
        }
        let answer = compute(self);
        let mut answers = self.answers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // A view's answers are few (one per page and collection), but diffs are many.
        if answers.len() >= 256 {
            answers.clear();
        }
        answers.entry(name.to_owned()).or_insert(answer).clone()
    }

    /// The report as JSON.
    pub(crate) fn record_json(&self) -> axum::body::Bytes {
        self.record_json
            .get_or_init(|| {
                serde_json::to_vec(&*self.record()).expect("a report serializes").into()
            })
            .clone()
    }
}

/// The report with the analysis, as JSON too; or why the record cannot be analysed.
type AnalysisResult = Result<(Arc<Report>, axum::body::Bytes), String>;

/// Where a view's analysis stands.
enum AnalysisCell {
    /// Nobody asked for it yet, or everyone who asked gave up before it was done.
    NotStarted,
    /// Queued or running, for the requests waiting on it.
    Running(Arc<AnalysisJob>),
    /// Done, and kept with the view.
    Done(AnalysisResult),
}

/// An analysis queued or running for one view.
struct AnalysisJob {
    /// Set when the last request waiting for it is gone: the engine stops within a few
    /// thousand steps.
    cancel: std::sync::atomic::AtomicBool,
    /// Requests waiting for it (changed under the view's cell lock).
    waiting: std::sync::atomic::AtomicUsize,
    /// Its result, once there is one.
    done: tokio::sync::watch::Sender<Option<AnalysisResult>>,
}

/// A request's wait for an analysis: when the request is dropped (its client went away)
/// and nobody else waits, the analysis is cancelled and forgotten.
struct AnalysisWaiter {
    state: AppState,
    view: Arc<View>,
    job: Arc<AnalysisJob>,
}

impl Drop for AnalysisWaiter {
    fn drop(&mut self) {
        use std::sync::atomic::Ordering;
        let mut cell = self.view.lock_analysis();
        let left = self.job.waiting.fetch_sub(1, Ordering::SeqCst) - 1;
        if left == 0 && matches!(&*cell, AnalysisCell::Running(job) if Arc::ptr_eq(job, &self.job))
        {
            self.job.cancel.store(true, Ordering::SeqCst);
            *cell = AnalysisCell::NotStarted;
            self.state.inner.analyses_cancelled.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl View {
    fn lock_analysis(&self) -> std::sync::MutexGuard<'_, AnalysisCell> {
        self.analysis.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
struct ViewKey {
    viewer: String,
    head: u64,
    as_of: Option<String>,
}

/// A viewer's key and the time asked for: what [`Shared::latest`] keeps a view by.
type LatestKey = (String, Option<String>);

/// The state shared by every request; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub(crate) inner: Arc<Shared>,
}

pub(crate) struct Shared {
    pub(crate) store: Store,
    pub(crate) options: ServerOptions,
    /// A view is computed once however many requests ask for it at once: the first fills
    /// its cell and the others wait for it.
    views: Mutex<HashMap<ViewKey, Arc<tokio::sync::OnceCell<Arc<View>>>>>,
    /// The latest view of each viewer (and time asked for), by the viewer's key: a view at a
    /// newer head whose fingerprint is the same *is* this one, with everything computed from
    /// it, so an event hidden from a viewer costs it nothing, not even time.
    latest: Mutex<HashMap<LatestKey, (Viewer, Arc<View>)>>,
    /// Analyses run so far, to tell in tests which answers were computed anew.
    pub(crate) analyses_run: std::sync::atomic::AtomicU64,
    /// Analyses cancelled because nobody waited for them any more.
    analyses_cancelled: std::sync::atomic::AtomicU64,
    /// Analyses running on the pool now.
    analyses_running: std::sync::atomic::AtomicU64,
    /// Places for running analyses ([`ServerOptions::max_running_analyses`]).
    analysis_queue: Arc<tokio::sync::Semaphore>,
    pool: rayon::ThreadPool,
    /// Sends the head's sequence number whenever the log grows.
    pub(crate) live: broadcast::Sender<u64>,
    pub(crate) sign_in_limiter: RateLimiter,
    pub(crate) request_limiter: Option<RateLimiter>,
    /// Changes each user may record (see [`ServerOptions::write_burst`]).
    pub(crate) write_limiter: Option<RateLimiter>,
    /// Live-update streams open, by user id.
    listeners: Mutex<HashMap<i64, usize>>,
}

/// A live-update stream's place in its user's count: given back when the stream ends.
pub(crate) struct ListenerSlot {
    state: AppState,
    user_id: i64,
}

impl Drop for ListenerSlot {
    fn drop(&mut self) {
        let mut listeners =
            self.state.inner.listeners.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = listeners.get_mut(&self.user_id) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                listeners.remove(&self.user_id);
            }
        }
    }
}

/// An analysis's result as an answer: a record that cannot be analysed is 422.
fn answer(result: AnalysisResult) -> Result<(Arc<Report>, axum::body::Bytes), ApiError> {
    result.map_err(|message| ApiError::new(axum::http::StatusCode::UNPROCESSABLE_ENTITY, message))
}

/// How many views are kept before the cache starts over.
const MAX_VIEWS: usize = 512;

/// The key of a viewer in the cache.
pub(crate) fn viewer_key(viewer: &Viewer) -> String {
    match viewer {
        Viewer::Mediator => "mediator".to_owned(),
        Viewer::Party(party) => format!("party:{party}"),
        Viewer::Observer => "observer".to_owned(),
    }
}

impl AppState {
    /// The state of a server over a store.
    pub fn new(store: Store, options: ServerOptions) -> Result<AppState, crate::Error> {
        let pool = parley_engine::control::build_thread_pool(options.analysis_threads.max(1))
            .map_err(|error| crate::Error::ThreadPool(error.to_string()))?;
        let (live, _) = broadcast::channel(64);
        let request_limiter = (options.requests_per_second > 0).then(|| {
            RateLimiter::new(
                options.request_burst.max(options.requests_per_second),
                Duration::from_secs(1) / options.requests_per_second,
            )
        });
        let write_limiter = (options.write_burst > 0 && options.writes_per_minute > 0).then(|| {
            RateLimiter::new(
                options.write_burst,
                Duration::from_secs(60) / options.writes_per_minute,
            )
        });
        let analysis_queue =
            Arc::new(tokio::sync::Semaphore::new(options.max_running_analyses.max(1)));
        Ok(AppState {
            inner: Arc::new(Shared {
                write_limiter,
                listeners: Mutex::new(HashMap::new()),
                sign_in_limiter: RateLimiter::new(options.sign_in_burst, options.sign_in_interval),
                request_limiter,
                store,
                options,
                views: Mutex::new(HashMap::new()),
                latest: Mutex::new(HashMap::new()),
                analyses_run: std::sync::atomic::AtomicU64::new(0),
                analyses_cancelled: std::sync::atomic::AtomicU64::new(0),
                analyses_running: std::sync::atomic::AtomicU64::new(0),
                analysis_queue,
                pool,
                live,
            }),
        })
    }

    pub(crate) fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The record as a viewer may see it, now or as of a time.
    pub(crate) async fn view(
        &self,
        viewer: &Viewer,
        as_of: Option<jiff::Timestamp>,
    ) -> Result<Arc<View>, ApiError> {
        let head = self.inner.store.recent_head(self.inner.options.poll_interval).await?;
        let head = head.map_or(0, |head| head.seq);
        let key =
            ViewKey { viewer: viewer_key(viewer), head, as_of: as_of.map(|time| time.to_string()) };
        let latest_key = (key.viewer.clone(), key.as_of.clone());
        let cell = {
            let mut views = self.lock_views();
            if !views.contains_key(&key) && views.len() >= MAX_VIEWS {
                views.retain(|kept, _| kept.head >= head);
                if views.len() >= MAX_VIEWS {
                    views.clear();
                }
            }
            views.entry(key).or_default().clone()
        };
        let view = cell
            .get_or_try_init(|| async {
                let snapshot = self.inner.store.state_for(viewer, as_of).await?;
                let fresh = View::new(snapshot.scenario, snapshot.version);
                let mut latest =
                    self.inner.latest.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                let kept = latest.get(&latest_key).map(|(_, kept)| kept.clone());
                match kept {
                    // Mediators see every event, and are shown the log version: no reuse.
                    Some(kept)
                        if kept.fingerprint == fresh.fingerprint && *viewer != Viewer::Mediator =>
                    {
                        Ok::<_, ApiError>(kept)
                    }
                    _ => {
                        let fresh = Arc::new(fresh);
                        if latest.len() >= MAX_VIEWS && !latest.contains_key(&latest_key) {
                            latest.clear();
                        }
                        latest.insert(latest_key, (viewer.clone(), fresh.clone()));
                        Ok(fresh)
                    }
                }
            })
            .await?;
        Ok(view.clone())
    }

    /// Brings the latest view of every viewer seen lately up to the head, off any request,
    /// so that the first request after an event (hidden from it or not) finds its view ready.
    fn refresh_views(&self) {
        let viewers: Vec<Viewer> = {
            let latest = self.inner.latest.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            latest
                .iter()
                .filter(|((_, as_of), _)| as_of.is_none())
                .map(|(_, (viewer, _))| viewer.clone())
                .collect()
        };
        let state = self.clone();
        tokio::spawn(async move {
            for viewer in viewers {
                // A failure here is met again, and answered, by the request that needs it.
                let _ = state.view(&viewer, None).await;
            }
        });
    }

    fn lock_views(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<ViewKey, Arc<tokio::sync::OnceCell<Arc<View>>>>> {
        self.inner.views.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The report with the analysis of a view: computed once per view, in a queue of at most
    /// [`ServerOptions::max_running_analyses`] at once, on the analysis pool, off the async
    /// threads, within [`ServerOptions::analysis_time_limit`]. Requests for the same view
    /// wait for the same analysis; when every one of them is gone, it is cancelled.
    pub(crate) async fn analysis(
        &self,
        view: Arc<View>,
    ) -> Result<(Arc<Report>, axum::body::Bytes), ApiError> {
        use std::sync::atomic::Ordering;
        let (job, mut done) = {
            let mut cell = view.lock_analysis();
            match &*cell {
                AnalysisCell::Done(result) => return answer(result.clone()),
                AnalysisCell::Running(job) => {
                    job.waiting.fetch_add(1, Ordering::SeqCst);
                    (job.clone(), job.done.subscribe())
                }
                AnalysisCell::NotStarted => {
                    let (sender, receiver) = tokio::sync::watch::channel(None);
                    let job = Arc::new(AnalysisJob {
                        cancel: std::sync::atomic::AtomicBool::new(false),
                        waiting: std::sync::atomic::AtomicUsize::new(1),
                        done: sender,
                    });
                    *cell = AnalysisCell::Running(job.clone());
                    tokio::spawn(self.clone().run_job(view.clone(), job.clone()));
                    (job, receiver)
                }
            }
        };
        let _waiter = AnalysisWaiter { state: self.clone(), view, job };
        let result = done
            .wait_for(Option::is_some)
            .await
            .map_err(|_| ApiError::internal("the analysis stopped without a result"))?
            .clone()
            .expect("waited for a result");
        answer(result)
    }

    /// Runs a queued analysis when its turn comes, unless nobody waits for it by then, and
    /// keeps its result with the view.
    async fn run_job(self, view: Arc<View>, job: Arc<AnalysisJob>) {
        use std::sync::atomic::Ordering;
        let Ok(_turn) = self.inner.analysis_queue.clone().acquire_owned().await else { return };
        if job.cancel.load(Ordering::SeqCst) {
            return;
        }
        let (state, running, for_view) = (self.clone(), job.clone(), view.clone());
        let outcome = tokio::task::spawn_blocking(move || {
            state.run_analysis(&for_view.scenario, &running.cancel)
        })
        .await;
        let result = match outcome {
            Ok(Some(result)) => result,
            // Cancelled: the last waiter has already forgotten it.
            Ok(None) => return,
            Err(panicked) => Err(format!("the analysis failed: {panicked}")),
        };
        let mut cell = view.lock_analysis();
        if matches!(&*cell, AnalysisCell::Running(current) if Arc::ptr_eq(current, &job)) {
            *cell = AnalysisCell::Done(result.clone());
        }
        job.done.send_replace(Some(result));
    }

    /// One analysis, `None` when cancelled.
    fn run_analysis(
        &self,
        scenario: &ValidScenario,
        cancel: &std::sync::atomic::AtomicBool,
    ) -> Option<AnalysisResult> {
        use std::sync::atomic::Ordering;
        struct Running<'a>(&'a std::sync::atomic::AtomicU64);
        impl Drop for Running<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::SeqCst);
            }
        }
        self.inner.analyses_run.fetch_add(1, Ordering::Relaxed);
        self.inner.analyses_running.fetch_add(1, Ordering::SeqCst);
        let _running = Running(&self.inner.analyses_running);
        let start = Instant::now();
        let allowed = self.inner.options.analysis_time_limit;
        let out_of_time = || start.elapsed() >= allowed;
        let mut options = parley_analysis::AnalysisOptions {
            as_of: scenario.scenario().as_of.map(|date| date.date),
            robustness_samples: self.inner.options.robustness_samples,
            ..parley_analysis::AnalysisOptions::default()
        };
        options.limits.out_of_time = Some(&out_of_time);
        let control = parley_engine::control::Control::none().with_cancel(cancel);
        let analysis =
            match parley_analysis::analyze(scenario, &options, &self.inner.pool, &control) {
                Ok(analysis) => analysis,
                Err(parley_analysis::Error::Engine(parley_engine::Error::Cancelled)) => {
                    return None;
                }
                Err(error) => return Some(Err(format!("the record cannot be analysed: {error}"))),
            };
        let report = parley_report::schema::build(
            scenario,
            &[],
            "record",
            Some((&analysis, options.max_concessions)),
        );
        Some(match serde_json::to_vec(&report) {
            Ok(json) => Ok((Arc::new(report), json.into())),
            Err(error) => Err(error.to_string()),
        })
    }

    /// How many analyses are running on the pool now.
    pub fn analyses_running(&self) -> u64 {
        self.inner.analyses_running.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// How many analyses were cancelled because every request waiting for them was gone.
    pub fn analyses_cancelled(&self) -> u64 {
        self.inner.analyses_cancelled.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many analyses this server has run: an answer served from a kept view runs none.
    pub fn analyses_run(&self) -> u64 {
        self.inner.analyses_run.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Tells live listeners that the log may have grown.
    pub(crate) fn announce(&self, head: u64) {
        self.refresh_views();
        // No listener is not an error.
        let _ = self.inner.live.send(head);
    }

    /// A place for one more live-update stream of a user, `None` when it holds
    /// [`ServerOptions::max_listeners_per_user`] already.
    pub(crate) fn listener_slot(&self, user_id: i64) -> Option<ListenerSlot> {
        let mut listeners =
            self.inner.listeners.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = listeners.entry(user_id).or_default();
        if *count >= self.inner.options.max_listeners_per_user {
            return None;
        }
        *count += 1;
        Some(ListenerSlot { state: self.clone(), user_id })
    }

    /// Refuses a change beyond the user's write quota, with when to try again.
    pub(crate) fn allow_write(&self, user: &str) -> Result<(), ApiError> {
        match &self.inner.write_limiter {
            Some(limiter) if !limiter.check(user, Instant::now()) => {
                let per_minute = self.inner.options.writes_per_minute.max(1);
                Err(ApiError::too_many_requests(u64::from(60 / per_minute).max(1)).with_message(
                    format!(
                        "too many changes: each user may record {} at once, then {per_minute} a minute",
                        self.inner.options.write_burst
                    ),
                ))
            }
            _ => Ok(()),
        }
    }

    /// Whether a client may make one more request now.
    pub(crate) fn allow_request(&self, client: &str) -> bool {
        self.inner
            .request_limiter
            .as_ref()
            .is_none_or(|limiter| limiter.check(client, Instant::now()))
    }

    /// Watches the log for events other processes write (`parley db import` while the server
    /// runs) and announces them.
    pub(crate) async fn watch_head(self) {
        let mut last = None;
        loop {
            if let Ok(head) = self.inner.store.head().await {
                let seq = head.map_or(0, |head| head.seq);
                if last.is_some_and(|last| last != seq) {
                    self.announce(seq);
                }
                last = Some(seq);
            }
            tokio::time::sleep(self.inner.options.poll_interval).await;
        }
    }
}
