//! `parley serve`: the server over a database (a SQLite file by default, created and seeded
//! with the built-in scenario on first start), on loopback unless told otherwise.

use std::net::{IpAddr, SocketAddr};

use anyhow::{Context, Result};
use clap::Args;
use parley_server::{ServerOptions, Started};

/// `parley serve`'s options.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// A SQLite file (created and seeded with the built-in scenario if missing) or a
    /// postgres:// URL.
    #[arg(long, default_value = crate::db::DEFAULT_DATABASE)]
    pub database: String,
    /// The port to listen on (0: any free port).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// The address to listen on; the default serves this machine only.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Requests each client may make per second, on average (0: no limit).
    #[arg(long, default_value_t = ServerOptions::default().requests_per_second)]
    pub rate_limit: u32,
    /// Robustness samples each analysis draws.
    #[arg(long, default_value_t = ServerOptions::default().robustness_samples)]
    pub samples: usize,
    /// Threads for analyses (default: PARLEY_MAX_THREADS, else every core).
    #[arg(long)]
    pub threads: Option<usize>,
    /// A proxy in front is trusted: its X-Forwarded-Host counts for the forms' origin check,
    /// and its X-Forwarded-Proto: https marks cookies Secure.
    #[arg(long)]
    pub trust_proxy: bool,
    /// Mark every cookie Secure: the server is reached over TLS only.
    #[arg(long)]
    pub secure_cookies: bool,
    /// The time each analysis may take, as `30s`, `2m` or a number of seconds (`none`: no
    /// time limit). Steps still running then are cut short: the answer lists them in
    /// `cut_short` and every other result stays exact.
    #[arg(long, value_name = "TIME", default_value = "30s", value_parser = crate::args::parse_budget)]
    pub budget: crate::args::Limit,
    /// Changes each user may record a minute, after a burst as large (0: no limit).
    #[arg(long, default_value_t = ServerOptions::default().writes_per_minute)]
    pub writes_per_minute: u32,
}

/// Runs the server until the process is stopped.
pub(crate) fn run(args: ServeArgs) -> Result<std::process::ExitCode> {
    let options = ServerOptions {
        requests_per_second: args.rate_limit,
        robustness_samples: args.samples,
        analysis_threads: crate::thread_count(args.threads)?,
        trust_proxy: args.trust_proxy,
        secure_cookies: args.secure_cookies,
        writes_per_minute: args.writes_per_minute,
        write_burst: args.writes_per_minute,
        analysis_time_limit: args.budget.0.map_or(std::time::Duration::MAX, |seconds| {
            std::time::Duration::try_from_secs_f64(seconds).unwrap_or(std::time::Duration::MAX)
        }),
        ..ServerOptions::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let address = SocketAddr::new(args.bind, args.port);
    runtime
        .block_on(parley_server::serve(&args.database, address, options, announce))
        .with_context(|| format!("cannot serve '{}'", parley_store::redact(&args.database)))?;
    Ok(std::process::ExitCode::SUCCESS)
}

fn announce(started: &Started) {
    let url = format!("http://{}", started.address);
    let mut text =
        format!("Parley serves {} at {url}/ (API: {url}/api/openapi.json)\n", started.database);
    let minutes = ServerOptions::default().sign_in_link_lifetime.as_secs() / 60;
    match &started.first_sign_in_code {
        Some(code) => text.push_str(&format!(
            "A mediator account was created. Sign in with this one-time link (good for {minutes} minutes; `parley db sign-in-link mediator` gives another):\n  {url}/sign-in?code={code}\n"
        )),
        None => text.push_str(
            "Sign in with a link from `parley db sign-in-link NAME` (`parley db add-user NAME --role ROLE` adds a user).\n",
        ),
    }
    text.push_str("Press Ctrl-C to stop.\n");
    // The message is best effort: the server runs whether or not it could be printed.
    let _ = crate::print(&text);
}
