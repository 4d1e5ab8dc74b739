//! `parley changes [SCENARIO|--database D] --since DATE [--until DATE]`: what changed between
//! two dates ([`parley_report::changes`]). From a database, the event log says what changed,
//! when and by whom; a scenario file keeps only its records' dates.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use jiff::civil::Date;
use parley_model::access::Viewer;
use parley_report::changes::{ChangeList, LogStep, from_dates, from_log};

use crate::files::load;

/// The arguments of `parley changes`.
#[derive(clap::Args, Debug)]
pub struct ChangesArgs {
    /// A scenario file (TOML); the built-in scenario when neither it nor --database is given.
    #[arg(conflicts_with = "database")]
    pub scenario: Option<PathBuf>,
    /// The record's database (a SQLite file or URL, or a postgres:// URL).
    #[arg(long, value_name = "DATABASE")]
    pub database: Option<String>,
    /// With --database: read the record as this role sees it (`mediator`, `observer` or
    /// `delegate:PARTY`), so that only the changes it may see are listed.
    #[arg(long = "as", value_name = "ROLE", default_value = "mediator", requires = "database")]
    pub role: String,
    /// The first day of the window (YYYY-MM-DD, UTC for a database).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub since: Date,
    /// The last day of the window (YYYY-MM-DD, included); up to now when not given.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub until: Option<Date>,
    /// Print the changes as JSON (docs/json-output.md).
    #[arg(long)]
    pub json: bool,
}

/// A day as `YYYY-MM-DD`.
fn parse_day(text: &str) -> Result<Date, String> {
    text.parse::<Date>()
        .ok()
        .filter(|_| text.len() == 10)
        .ok_or_else(|| format!("'{text}' is not a date, expected YYYY-MM-DD"))
}

pub(crate) fn run(args: &ChangesArgs) -> Result<ExitCode> {
    if let Some(until) = args.until
        && until < args.since
    {
        bail!(
            "--until {until} is before --since {}: expected a window that runs forward",
            args.since
        );
    }
    let since = args.since.to_string();
    let until = args.until.map(|until| until.to_string());
    let list = match &args.database {
        Some(database) => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .context("cannot start the async runtime")?;
            let role = parley_store::users::Role::parse(&args.role)
                .with_context(|| format!("invalid --as '{}'", args.role))?;
            runtime.block_on(from_database(database, &role.viewer(), args.since, args.until))?
        }
        None => {
            let paths: Vec<PathBuf> = args.scenario.iter().cloned().collect();
            let loaded = load(&paths, None)?;
            from_dates(loaded.scenario.scenario(), &since, until.as_deref())
        }
    };
    if args.json {
        let mut text =
            serde_json::to_string_pretty(&list).context("cannot write the changes as JSON")?;
        text.push('\n');
        crate::print_exact(&text)?;
    } else {
        crate::print(&parley_report::changes::render_terminal(&list))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The start of a day, UTC.
fn start_of(day: Date) -> Result<jiff::Timestamp> {
    Ok(day.to_zoned(jiff::tz::TimeZone::UTC).context("a day out of range")?.timestamp())
}

async fn from_database(
    database: &str,
    viewer: &Viewer,
    since: Date,
    until: Option<Date>,
) -> Result<ChangeList> {
    let store = crate::db::open_read_only(database).await?;
    if let Viewer::Party(party) = viewer {
        let record = store.state(None).await.context("cannot read the record")?;
        let parties = &record.scenario.scenario().parties;
        if !parties.iter().any(|candidate| candidate.id == *party) {
            let suggestion = parley_model::suggest::did_you_mean(
                party.as_str(),
                parties.iter().map(|candidate| candidate.id.as_str()),
            );
            bail!("invalid --as: no party '{party}' in the record{suggestion}");
        }
    }
    let end = match until {
        Some(until) => Some(start_of(until.tomorrow().context("a day out of range")?)?),
        None => None,
    };
    let window = store
        .window_for(viewer, start_of(since)?, end)
        .await
        .with_context(|| format!("cannot read the log of '{}'", store.database()))?;
    store.close().await;
    let steps = window.steps.iter().map(|step| LogStep {
        recorded_at: &step.recorded_at,
        author: &step.author,
        scenario: step.scenario.scenario(),
    });
    let until = until.map(|until| until.to_string());
    Ok(from_log(
        &since.to_string(),
        until.as_deref(),
        window.start.as_ref().map(|start| start.scenario()),
        steps,
    ))
}
